"""The desktop app on the session Xvfb, driving the real fixture form with real input.

The app window sits right of the form (x >= 1300), as a person would dock it; both share one
screen, which is exactly the situation the self-guard exists for.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.exceptions import TimeoutError as QtTimeoutError
from pytestqt.qtbot import QtBot

from gui_agent.agent.journal import Journal
from gui_agent.app.approval import build_action
from gui_agent.app.selfguard import GuardedBackend, OwnWindow, SelfClickRefused
from gui_agent.app.style import app_font, style_sheet
from gui_agent.app.window import MainWindow, Phase
from gui_agent.config import ConfigError, Settings, load_settings
from gui_agent.control.executor import PyAutoGuiBackend
from gui_agent.control.risk import Autonomy
from gui_agent.headless.xvfb import Xvfb
from gui_agent.perception.ocr import OcrEngine
from gui_agent.planning import planner as planner_module
from tests.apps.launcher import LaunchedApp
from tests.conftest import MemoryKeyring, Start
from tests.llm_server import ScriptedLLMServer

GOAL = ("type 'Alice' into Name, type 'Paris' into City, type 'x' into Phone, "
        "tick Remember me, click Delete all")  # fmt: skip
APP_GEOMETRY = (1300, 10, 610, 1040)
WAIT_MS = 30_000


@pytest.fixture(scope="session")
def qapp(xvfb: Xvfb) -> Iterator[QApplication]:
    """pytest-qt's application, made on the session Xvfb after cv2's plugin path is gone."""
    os.environ["DISPLAY"] = xvfb.display
    os.environ.pop("QT_QPA_PLATFORM_PLUGIN_PATH", None)
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    app = QApplication.instance() or QApplication(["gui-agent-test"])
    assert isinstance(app, QApplication)
    app.setFont(app_font())
    app.setStyleSheet(style_sheet())
    yield app


@pytest.fixture
def shots(test_output: Path) -> Path:
    out = test_output / "app"
    out.mkdir(parents=True, exist_ok=True)
    return out


@pytest.fixture
def window(qapp: QApplication, qtbot: QtBot, ocr_engine: OcrEngine, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:  # fmt: skip
    monkeypatch.setenv("GUI_AGENT_CONFIG_DIR", str(tmp_path / "cfg"))
    w = MainWindow(Settings(), ocr=ocr_engine, settings_path=tmp_path / "cfg" / "config.toml",
                   journal_dir=tmp_path / "journal")  # fmt: skip
    qtbot.addWidget(w)
    w.setGeometry(*APP_GEOMETRY)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.worker.shutdown()
    # Every window the test opened (editor, dialogs, the status strip) goes: later tests
    # share this display, and a stray "Save" button there would be theirs to find.
    for top in QApplication.topLevelWidgets():
        top.close()
        top.deleteLater()
    qapp.processEvents()


def snap(w: QWidget, path: Path) -> None:
    QApplication.processEvents()
    assert w.grab().save(str(path)), path


def click(qtbot: QtBot, button: QWidget) -> None:
    assert button.isEnabled() and button.isVisible(), button
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def wait_approval(qtbot: QtBot, w: MainWindow, step: int) -> str:
    qtbot.waitUntil(lambda: w.phase is Phase.WAITING and w.approval.request is not None
                    and w.approval.request.step == step, timeout=WAIT_MS)  # fmt: skip
    assert w.approval.isVisible()
    assert w.approval.request is not None
    return w.approval.request.action.describe()


def test_approve_reject_edit_undo_through_the_panel(
    window: MainWindow, qtbot: QtBot, start: Start, shots: Path
) -> None:
    w = window
    form: LaunchedApp = start("form_app")
    w.goal.setCurrentText(GOAL)
    assert w.autonomy.currentData() == Autonomy.ASK.value
    snap(w, shots / "1-idle.png")
    aside: list[tuple[bool, bool, bool]] = []  # (asked to hide, window shown, overlay shown)

    def seen(hide: bool) -> None:
        aside.append((hide, w.isVisible(), w.overlay.isVisible()))
        if hide and len(aside) == 1:
            snap(w.overlay, shots / "2-running-overlay.png")

    w.worker.aside_requested.connect(seen)  # runs after the window's own handler

    click(qtbot, w.start_btn)
    assert w.phase is Phase.RUNNING and not w.start_btn.isEnabled()

    # 1: approve "type Alice into Name" with the panel's button.
    assert "Alice" in wait_approval(qtbot, w, 1)
    assert w.live.frame is not None and w.live.target is not None
    # What the agent saw had the app's own window masked out, so nothing of it was perceived.
    own = w.own.rect()
    assert own is not None and w.live.frame.hidden == own
    assert not any(e.box.x + e.box.w > own.x for e in w.live.frame.elements), (
        "the agent perceived its own window"
    )
    click(qtbot, w.approval.approve_btn)
    snap(w, shots / "2-running.png")
    form.wait_for(lambda st: st["fields"]["name"] == "Alice", timeout=15)

    # 2: reject "type Paris into City": it never happens.
    assert "Paris" in wait_approval(qtbot, w, 2)
    click(qtbot, w.approval.reject_btn)

    # 3: edit "type x into Phone" into "type bob@example.com into the Email field".
    assert "'x'" in wait_approval(qtbot, w, 3)
    assert form.state()["fields"]["city"] == ""
    click(qtbot, w.approval.edit_btn)
    assert w.approval.edit_type.currentText() == "type"
    w.approval.edit_target.setText("the Email field")
    w.approval.edit_text.setText("bob@example.com")
    snap(w, shots / "2-editing.png")
    click(qtbot, w.approval.approve_btn)
    form.wait_for(lambda st: st["fields"]["email"] == "bob@example.com", timeout=15)
    assert form.state()["fields"]["phone"] == ""

    # 4: approve the tick.
    assert "Remember me" in wait_approval(qtbot, w, 4)
    click(qtbot, w.approval.approve_btn)
    form.wait_for(lambda st: st["checkboxes"]["remember"] is True, timeout=15)

    # 5: "Delete all" is irreversible: shown as such, with the reason.
    assert wait_approval(qtbot, w, 5) == "Click Delete all"
    assert w.approval.property("risk") == "irreversible"
    assert w.approval.badge.text() == "IRREVERSIBLE"
    assert "cannot be undone" in w.approval.risk_label.text()
    snap(w, shots / "3-waiting-risky.png")
    # Undo last while the question is open: the tick is taken back, on the worker.
    click(qtbot, w.approval.undo_btn)
    form.wait_for(lambda st: st["checkboxes"]["remember"] is False, timeout=15)
    qtbot.waitUntil(lambda: w.steps.rows[4].settled, timeout=WAIT_MS)
    assert "undone" in w.steps.rows[4].result
    # Esc rejects the delete; the run ends.
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=5000)
    qtbot.keyClick(w, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: w.phase is Phase.FINISHED, timeout=WAIT_MS)
    st = form.state()
    assert (st["fields"]["name"], st["fields"]["email"]) == ("Alice", "bob@example.com")
    snap(w, shots / "4-finished.png")
    assert load_settings().goal_history == [GOAL]  # the goal box remembers it

    decisions = [w.steps.rows[i].decision for i in range(1, 6)]
    assert decisions == ["approved", "rejected", "edited", "approved", "rejected"]
    # For every action the window stood aside and the overlay stood in; then they swapped.
    assert (True, False, True) in aside and (False, True, False) in aside
    assert set(aside) == {(True, False, True), (False, True, False)}

    # Undo step 1 from the list: step 3 (the email) is undone first, then step 1.
    click(qtbot, w.steps.rows[1].button)
    qtbot.waitUntil(lambda: w.steps.rows[1].settled and w.steps.rows[3].settled,
                    timeout=WAIT_MS)  # fmt: skip
    form.wait_for(lambda st: st["fields"]["name"] == "" and st["fields"]["email"] == "",
                  timeout=15)  # fmt: skip
    assert "undone" in w.steps.rows[1].result
    assert "undone" in w.steps.rows[3].result
    assert form.state()["saved_count"] == 0
    snap(w, shots / "5-after-undo.png")

    session = w.worker.session
    assert session is not None
    with Journal(session.journal.path, create=False) as j:
        steps = j.steps(session.session_id)
    assert [s.approval for s in steps] == ["approved", "rejected", "edited", "approved",
                                           "rejected"]  # fmt: skip
    assert [s.undo_status for s in steps if s.result == "ok"] == ["undone"] * 3


def test_enter_approves_and_stop_ends_the_run_before_the_next_action(
    window: MainWindow, qtbot: QtBot, start: Start
) -> None:
    w = window
    form = start("form_app")
    w.goal.setCurrentText("tick Remember me, click Save")
    click(qtbot, w.start_btn)
    assert wait_approval(qtbot, w, 1) == "Check checkbox Remember me"
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=5000)
    qtbot.keyClick(w, Qt.Key.Key_Return)
    form.wait_for(lambda st: st["checkboxes"]["remember"] is True, timeout=15)
    assert wait_approval(qtbot, w, 2) == "Click Save"
    click(qtbot, w.stop_btn)
    qtbot.waitUntil(lambda: w.phase is Phase.FAILED, timeout=WAIT_MS)
    assert "Stopped" in w.banner.text() and w.start_btn.isEnabled()
    assert form.state()["saved_count"] == 0
    # Ctrl+Z after the run takes the tick back (the stop does not block a later undo).
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=5000)
    qtbot.keyClick(w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    form.wait_for(lambda st: st["checkboxes"]["remember"] is False, timeout=15)
    qtbot.waitUntil(lambda: w.steps.rows[1].settled, timeout=WAIT_MS)
    assert w.steps.rows[1].result.startswith("↶ undone")


def test_pause_holds_the_run_until_resumed(window: MainWindow, qtbot: QtBot, start: Start) -> None:
    w = window
    form = start("form_app")
    w.autonomy.setCurrentIndex(w.autonomy.findData("auto"))
    w.goal.setCurrentText("type 'Zoe' into Name")
    click(qtbot, w.start_btn)
    click(qtbot, w.pause_btn)  # at once: before the worker has even set the run up
    assert w.phase is Phase.PAUSED and w.pause_btn.text() == "Resume"
    qtbot.wait(2500)
    assert form.state()["fields"]["name"] == "" and not w.steps.rows
    click(qtbot, w.pause_btn)
    qtbot.waitUntil(lambda: w.phase is Phase.FINISHED, timeout=WAIT_MS)
    form.wait_for(lambda st: st["fields"]["name"] == "Zoe", timeout=15)
    assert w.steps.rows[1].decision == "auto"


def test_global_stop_hotkey_stops_a_paused_run(
    window: MainWindow, qtbot: QtBot, start: Start, xvfb: Xvfb
) -> None:
    w = window
    form = start("form_app")
    w.autonomy.setCurrentIndex(w.autonomy.findData("auto"))
    w.goal.setCurrentText("type 'Zoe' into Name")
    click(qtbot, w.start_btn)
    click(qtbot, w.pause_btn)
    assert w.stop_hotkey is not None and w.stop_hotkey.combo == "<ctrl>+<alt>+<esc>"
    qtbot.waitUntil(lambda: w.worker.session is not None, timeout=WAIT_MS)
    # The key goes through the X server, as a person's would: not through Qt. The listener
    # turns on asynchronously after Start, so a press in its first instant may go unseen.
    for _ in range(5):
        subprocess.run(["xdotool", "key", "ctrl+alt+Escape"], env=xvfb.env(), check=True)
        with contextlib.suppress(QtTimeoutError):
            qtbot.waitUntil(lambda: w.phase is Phase.FAILED, timeout=2000)
            break
    assert w.phase is Phase.FAILED
    assert "stopped" in w.banner.text().lower()
    assert form.state()["fields"]["name"] == ""


def test_guard_refuses_input_into_the_apps_own_window(window: MainWindow, qtbot: QtBot) -> None:
    own = window.own.rect()
    assert own is not None and own.x >= 1300
    guarded = GuardedBackend(PyAutoGuiBackend(), window.own)
    g = window.start_btn.mapToGlobal(window.start_btn.rect().center())
    window.goal.setCurrentText("click Save")
    with pytest.raises(SelfClickRefused, match="own window"):
        guarded.click(g.x(), g.y())
    qtbot.wait(200)
    assert window.phase is Phase.IDLE  # Start was never pressed
    assert window.own.contains(g.x(), g.y()) and not window.own.contains(own.x - 1, own.y)
    # While the window stands aside (hidden), nothing is refused: it is not there.
    window.hide()
    assert window.own.rect() is None and not window.own.contains(g.x(), g.y())
    assert OwnWindow().rect() is None


def test_unreachable_llm_endpoint_is_a_clear_message(window: MainWindow, qtbot: QtBot) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again on exit: nothing listens there
    window.settings.base_url = f"http://127.0.0.1:{port}/v1"
    window.planner.setCurrentIndex(window.planner.findData("openai"))
    window.goal.setCurrentText("fill in the form")
    click(qtbot, window.start_btn)
    qtbot.waitUntil(lambda: window.banner.isVisible() and "Cannot reach" in window.banner.text(),
                    timeout=WAIT_MS)  # fmt: skip
    assert f"127.0.0.1:{port}" in window.banner.text()
    assert window.phase is Phase.IDLE and window.start_btn.isEnabled()
    assert window.worker.session is None
    # Still usable: the next attempt runs, and its own problem replaces the message.
    window.planner.setCurrentIndex(window.planner.findData("embedded"))
    window.goal.setCurrentText("make me a sandwich")
    click(qtbot, window.start_btn)
    qtbot.waitUntil(lambda: "cannot understand" in window.banner.text(), timeout=WAIT_MS)
    assert "“OpenAI-compatible”" in window.banner.text()
    assert window.phase is Phase.IDLE and window.start_btn.isEnabled()


def test_openai_compatible_planner_runs_from_the_app(
    window: MainWindow,
    qtbot: QtBot,
    start: Start,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    form = start("form_app")
    made: list[dict[str, Any]] = []
    real_make = planner_module.make_planner

    def spy(kind: str, goal: str, **kwargs: Any) -> Any:
        made.append({"kind": kind, **kwargs})
        return real_make(kind, goal, **kwargs)

    monkeypatch.setattr(planner_module, "make_planner", spy)
    server = ScriptedLLMServer()
    try:
        action = {"type": "type", "text": "Zoe", "target": {"query": "the Name field"}}
        server.script(
            json.dumps({"plan": ["fill the name"], "action": action}),
            json.dumps({"plan": [], "action": {"type": "done", "summary": "named"}}),
        )
        memory_keyring.set_password("gui-agent", "openai", "sk-from-keyring")
        window.settings.base_url = server.base_url
        window.settings.model = "scripted"
        window.planner.setCurrentIndex(window.planner.findData("openai"))
        window.autonomy.setCurrentIndex(window.autonomy.findData("auto"))
        window.goal.setCurrentText("put Zoe in the name field")
        click(qtbot, window.start_btn)
        qtbot.waitUntil(lambda: window.phase is Phase.FINISHED, timeout=WAIT_MS)
        form.wait_for(lambda st: st["fields"]["name"] == "Zoe", timeout=15)
        assert "named" in window.banner.text()
        assert server.requests[0]["model"] == "scripted"
        assert made == [
            {
                "kind": "openai",
                "model": "scripted",
                "base_url": server.base_url,
                "api_key": "sk-from-keyring",
                "timeout": 60.0,
            }
        ]  # the key came from the keyring
    finally:
        server.close()


def test_missing_models_and_a_corrupt_config_are_clear_messages(
    qapp: QApplication, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUI_AGENT_MODELS_DIR", str(tmp_path / "no-models"))
    broken = tmp_path / "config.toml"
    broken.write_text("autonomy = [unclosed\n")
    with pytest.raises(ConfigError) as err:
        load_settings(broken)
    w = MainWindow(Settings(), settings_path=broken, config_error=str(err.value))
    assert str(broken) in w.banner.text() and "Using default settings" in w.banner.text()
    qtbot.addWidget(w)
    w.setGeometry(*APP_GEOMETRY)
    w.show()
    w.goal.setCurrentText("click Save")
    click(qtbot, w.start_btn)
    qtbot.waitUntil(lambda: "model manifest not found" in w.banner.text(), timeout=WAIT_MS)
    assert w.phase is Phase.IDLE and w.start_btn.isEnabled()
    assert broken.read_text() == "autonomy = [unclosed\n"  # left for the person to fix
    w.worker.shutdown()


def test_settings_dialog_round_trip(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, shots: Path, memory_keyring: MemoryKeyring
) -> None:
    dialog = window.open_settings()
    qtbot.waitExposed(dialog)
    dialog.provider.setCurrentIndex(dialog.provider.findData("openai"))
    dialog.base_url.setText("http://127.0.0.1:8080/v1")
    dialog.model.setText("qwen2.5-vl")
    dialog.api_key.setText("sk-secret-1")
    dialog.autonomy.setCurrentIndex(dialog.autonomy.findData("ask-risky"))
    dialog.never_allow.setPlainText("Format disk\n\n  Empty trash  ")
    dialog.allow.setPlainText("Delete draft")
    dialog.ocr_threads.setValue(3)
    snap(dialog, shots / "6-settings.png")
    # An invalid hotkey keeps the dialog open with the reason.
    dialog.stop_hotkey.setText("a+b")
    dialog.save()
    assert dialog.isVisible() and "modifier" in dialog.error.text()
    dialog.stop_hotkey.setText("<ctrl>+<alt>+<esc>")
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    saved = load_settings(tmp_path / "cfg" / "config.toml")
    assert saved.provider == "openai" and saved.model == "qwen2.5-vl"
    assert saved.autonomy is Autonomy.ASK_RISKY and saved.ocr_threads == 3
    assert saved.never_allow == ["Format disk", "Empty trash"] and saved.allow == ["Delete draft"]
    assert memory_keyring.store == {("gui-agent", "openai"): "sk-secret-1"}
    assert "sk-secret" not in (tmp_path / "cfg" / "config.toml").read_text()
    assert window.planner.currentData() == "openai"
    assert window.autonomy.currentData() == "ask-risky"


def test_edit_form_builds_valid_actions_and_explains_bad_ones() -> None:
    assert build_action("click", "#12", "").describe() == "Click element #12"
    assert build_action("hotkey", "", "ctrl+s").describe() == "Press ctrl+s"
    assert build_action("type", "the Email field", "a@b.c").describe() == (
        "Type 'a@b.c' into the Email field"
    )
    from gui_agent.errors import GuiAgentError

    with pytest.raises(GuiAgentError, match="whole number"):
        build_action("scroll", "", "lots")
    with pytest.raises(GuiAgentError, match="target"):
        build_action("click", "", "")


def test_without_a_display_the_app_says_so(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}  # fmt: skip
    proc = subprocess.run([sys.executable, "-m", "gui_agent.app"], env=env,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert proc.returncode == 2
    assert "DISPLAY" in proc.stderr and "Xvfb" in proc.stderr
