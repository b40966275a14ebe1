"""Demos in the desktop app: record, edit and replay, on the session Xvfb with the fixture form.

Everything is real: the app's window and editor (pytest-qt), the core recorder listening with
pynput while xdotool drives the form (another X client, as a person's input would be), the
player re-locating each step through the app's worker, gate and approval panel. Ground truth
is the form's state file and the saved ``.gademo``.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QInputDialog
from pytestqt.qtbot import QtBot

from gui_agent.app.window import MainWindow, Phase, format_question
from gui_agent.demo.format import load_demo
from gui_agent.headless.xvfb import Xvfb
from gui_agent.planning.actions import Type
from tests import test_app
from tests.conftest import Start
from tests.test_app import WAIT_MS, click, snap
from tests.test_demo import click_widget, xdo

# The app's fixtures: the application on the session Xvfb, the window, the screenshot folder.
qapp = test_app.qapp
window = test_app.window
shots = test_app.shots

FILL = Path(__file__).parent / "tasks" / "fill.gademo"
ALLOW_SECRETS = ["Type ••• into*"]  # the user's consent: typing a secret is risky even in auto


def auto_with_secrets(w: MainWindow) -> None:
    w.autonomy.setCurrentIndex(w.autonomy.findData("auto"))
    w.settings.allow = list(ALLOW_SECRETS)


def wait_recording(qtbot: QtBot, w: MainWindow) -> None:
    qtbot.waitUntil(lambda: w.recording == "recording", timeout=WAIT_MS)
    assert not w.isVisible(), "the app's window would be recorded"
    assert w.overlay.isVisible() and "recording" in w.overlay.text.text().lower()


def test_replay_a_demo_from_the_app(
    window: MainWindow, qtbot: QtBot, start: Start, shots: Path
) -> None:
    w = window
    form = start("form_app")
    auto_with_secrets(w)
    assert w.replay_demo(FILL, {"password": "s3cret"})
    assert w.phase is Phase.RUNNING and not w.replay_btn.isEnabled()
    qtbot.waitUntil(lambda: w.phase in (Phase.FINISHED, Phase.FAILED), timeout=60_000)
    assert w.phase is Phase.FINISHED, w.banner.text()
    st = form.wait_for(lambda s: s["saved_count"] == 1, timeout=15)
    assert st["fields"]["name"] == "Alice" and st["fields"]["email"] == "alice@example.com"
    assert st["fields"]["password"] == "s3cret" and st["checkboxes"]["remember"] is True
    assert [w.steps.rows[i].decision for i in range(1, 6)] == ["auto"] * 5
    assert "Finished" in w.banner.text() and w.replay_btn.isEnabled()
    snap(w, shots / "demo-replayed.png")


def test_an_unsure_replay_shows_the_question_and_candidates(
    window: MainWindow, qtbot: QtBot, start: Start, shots: Path
) -> None:
    w = window
    form = start("form_app")
    form.command("hide btn_save")
    auto_with_secrets(w)
    w.replay_demo(FILL, {"password": "pw"}, wait_timeout=1.5)
    qtbot.waitUntil(lambda: w.phase in (Phase.FINISHED, Phase.FAILED), timeout=60_000)
    assert w.phase is Phase.FAILED
    text = w.banner.text()
    assert w.banner.isVisible() and w.banner.property("kind") == "ask"
    assert "The demo needs you" in text and "demo step 5" in text
    assert "cannot find the target button" in text
    assert "Closest candidates on screen now" in text and "<li>" in text
    assert "Needs you" in w.next_action.text()
    assert form.state()["saved_count"] == 0
    snap(w, shots / "demo-question.png")


def test_format_question_lists_the_candidates() -> None:
    html = format_question(
        "the planner asks the user: demo step 2 (Click button 'Go'): cannot find the target "
        "button 'Go' at [1, 2, 3, 4] confidently (best 0.41 < 0.60); candidates: button 'Gone' "
        "at [5, 6, 7, 8] (0.41), text 'Go on' at [9, 9, 9, 9] (0.30)"
    )
    assert html is not None and html.count("<li>") == 2
    assert "<li>button &#x27;Gone&#x27; at [5, 6, 7, 8] (0.41)</li>" in html
    assert format_question("stopped by the user") is None


def test_record_then_edit_in_the_app(
    window: MainWindow, qtbot: QtBot, start: Start, xvfb: Xvfb, tmp_path: Path, shots: Path
) -> None:
    w = window
    form = start("form_app")
    w._arm_stop_hotkey()  # as after a run: the recorder's stop chord is also the emergency stop
    assert w.stop_hotkey is not None
    xdo(xvfb, "mousemove", "1000", "1000")
    assert w.record_demo(tmp_path / "mine")  # the suffix is added
    wait_recording(qtbot, w)
    snap(w.overlay, shots / "demo-recording.png")
    click_widget(xvfb, form, "field_name")
    xdo(xvfb, "type", "--delay", "20", "Bob")
    time.sleep(0.3)
    click_widget(xvfb, form, "check_remember")
    click_widget(xvfb, form, "btn_save")
    xdo(xvfb, "key", "ctrl+alt+Escape")
    qtbot.waitUntil(lambda: w.recording == "" and w.demo_editor is not None, timeout=WAIT_MS)
    assert form.state()["saved_count"] == 1  # the demonstration really happened
    assert w.isVisible() and not w.overlay.isVisible()
    assert not w.worker.switch.tripped, "ending the recording tripped the emergency stop"
    assert "Recorded 3 steps" in w.banner.text()
    editor = w.demo_editor
    assert editor is not None and editor.isVisible()
    qtbot.waitExposed(editor)
    path = tmp_path / "mine.gademo"
    assert editor.path == path
    assert editor.steps_text()[0].startswith("Type 'Bob' into")
    assert editor.steps_text()[1:] == ["Click checkbox 'Remember me'", "Click button 'Save'"]

    # Delete the tick with the button, then make the typed name a parameter via its dialog.
    editor.list.setCurrentRow(1)
    click(qtbot, editor.delete_btn)
    assert len(editor.steps_text()) == 2 and editor.dirty
    editor.list.setCurrentRow(0)
    suggested: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(100, answer)
            return
        suggested.append(dialog.textValue())
        dialog.setTextValue("who")
        dialog.accept()

    QTimer.singleShot(100, answer)
    click(qtbot, editor.param_btn)
    assert suggested == ["name"]  # from "the field right of Name"
    assert editor.steps_text()[0].startswith("Type '{who}' into")
    snap(editor, shots / "demo-editor-recorded.png")
    click(qtbot, editor.save_btn)
    assert not editor.dirty and "Saved" in editor.error.text()

    demo = load_demo(path)
    assert [s.action.type for s in demo.steps] == ["type", "click"]
    first = demo.steps[0].action
    assert isinstance(first, Type) and first.text == "{who}"
    assert demo.params() == ["who"]
    assert demo.steps[1].targets["target"].text == "Save"
    assert all(t.crop in demo.crops for s in demo.steps for t in s.targets.values())


def test_rerecord_a_step_stopped_from_the_status_strip(
    window: MainWindow, qtbot: QtBot, start: Start, xvfb: Xvfb, tmp_path: Path
) -> None:
    w = window
    form = start("form_app")
    copy = tmp_path / "fill.gademo"
    copy.write_bytes(FILL.read_bytes())
    editor = w.open_demo_editor(copy)
    qtbot.waitExposed(editor)
    editor.list.setCurrentRow(4)
    click(qtbot, editor.rerecord_btn)
    assert not editor.isVisible() and not w.isVisible()
    wait_recording(qtbot, w)
    assert w.overlay.text.text().startswith("Re-recording step 5")
    click_widget(xvfb, form, "btn_cancel")
    # End it with the strip's Stop button: that click is on gui-agent itself, so left out.
    stop = w.overlay.stop_btn.mapToGlobal(w.overlay.stop_btn.rect().center())
    xdo(xvfb, "mousemove", str(stop.x()), str(stop.y()))
    xdo(xvfb, "click", "1")
    qtbot.waitUntil(lambda: w.recording == "", timeout=WAIT_MS)
    assert editor.isVisible() and w.isVisible() and not w.overlay.isVisible()
    assert editor.error.isHidden(), editor.error.text()
    assert editor.steps_text()[4] == "Click button 'Cancel'" and editor.dirty
    assert editor.save()
    demo = load_demo(copy)
    assert len(demo.steps) == 5 and demo.steps[4].targets["target"].text == "Cancel"
    assert demo.steps[0].action.describe().startswith("Type 'Alice'")
    assert all(t.crop in demo.crops for s in demo.steps for t in s.targets.values())


def test_a_bad_demo_file_is_a_message_not_a_crash(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, shots: Path
) -> None:
    w = window
    good = w.open_demo_editor(FILL)
    qtbot.waitExposed(good)
    assert good.error.isHidden() and len(good.steps_text()) == 5
    assert "parameters: {password}" in good.summary.text()
    good.list.setCurrentRow(2)  # the secret: already a parameter
    assert not good.param_btn.isEnabled() and good.delete_btn.isEnabled()
    good.list.setCurrentRow(1)
    assert good.param_btn.isEnabled() and not good.save_btn.isEnabled()
    snap(good, shots / "demo-editor.png")

    bad = tmp_path / "broken.gademo"
    bad.write_text("not a zip at all")
    editor = w.open_demo_editor(bad)
    qtbot.waitExposed(editor)
    assert editor.demo is None and editor.error.isVisible()
    assert "not a demo file, or truncated" in editor.error.text()
    assert not any(b.isEnabled() for b in (editor.delete_btn, editor.param_btn,
                                           editor.rerecord_btn, editor.save_btn))  # fmt: skip
    assert editor.steps_text() == [] and not editor.save()
    snap(editor, shots / "demo-editor-error.png")

    # Replaying it is the usual setup banner; the app stays usable.
    w.replay_demo(bad, {})
    qtbot.waitUntil(lambda: "not a demo file" in w.banner.text(), timeout=WAIT_MS)
    assert w.phase is Phase.IDLE and w.replay_btn.isEnabled()
    # A missing parameter value, too (it names the parameter, not a CLI flag).
    w.replay_demo(FILL, {})
    qtbot.waitUntil(lambda: "{password}" in w.banner.text(), timeout=WAIT_MS)
    assert "--param" not in w.banner.text() and w.phase is Phase.IDLE
