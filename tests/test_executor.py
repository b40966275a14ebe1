"""The executor and undo on a real Xvfb with the fixture form app and real pyautogui input.

Ground truth comes from the app's state file, never from the agent's own perception, so a
test cannot pass because the executor and the check share the same mistake.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator

import numpy as np
import pytest

from gui_agent.control.estop import StopSwitch
from gui_agent.control.executor import EmergencyStop, Executor, PyAutoGuiBackend
from gui_agent.control.undo import undo
from gui_agent.geometry import Rect
from gui_agent.perception.locate import TargetNotFound, locate
from gui_agent.perception.perceiver import Perceiver
from gui_agent.perception.state import Element, ElementKind, ScreenState
from gui_agent.planning.actions import Click, Drag, Hotkey, ResolvedTarget, Scroll, Target, Type
from gui_agent.screen.capture import ScreenCapture
from gui_agent.screen.frame import Frame
from tests.apps.launcher import LaunchedApp
from tests.conftest import Start

needs_x = pytest.mark.skipif(
    shutil.which("Xvfb") is None or shutil.which("xdotool") is None,
    reason="needs Xvfb and xdotool (bash packaging/install-system-deps.sh)",
)


@pytest.fixture
def form(start: Start, display: object) -> LaunchedApp:
    return start("form_app")


@pytest.fixture
def executor(display: object, perceiver: Perceiver) -> Iterator[Executor]:
    backend = PyAutoGuiBackend()
    backend.move(1700, 1000)  # off the form, away from the fail-safe corners
    with ScreenCapture() as cap:
        yield Executor(backend, cap, perceiver)


def _name_field(executor: Executor) -> tuple[Target, ScreenState]:
    """The Name field's id on a state perceived while no field has focus.

    Perception reads a *focused* field with text poorly (the focus frame and caret confuse
    OCR), so the tests name fields by id in a state from before, as a planner would.
    """
    _, state = executor.observe()
    return Target(element_id=locate(state, "the Name field").element.id), state


@needs_x
def test_click_type_and_clear(form: LaunchedApp, executor: Executor) -> None:
    name, state = _name_field(executor)
    res = executor.execute(Click(target=Target.of("the Save button")))
    form.wait_for(lambda s: s["last_clicked"] == "btn_save")
    assert res.ok and res.irreversible and res.undo is None
    assert res.target is not None and res.target.text == "Save"
    assert res.verification is not None and res.verification.changed

    res = executor.execute(Type(text="Alice", target=Target.of("the Name field")))
    form.wait_for(lambda s: s["fields"]["name"] == "Alice")
    assert res.ok and res.verification is not None and res.verification.region_changed

    res = executor.execute(Type(text="Bob", target=name, clear=True), state=state)
    form.wait_for(lambda s: s["fields"]["name"] == "Bob")
    assert res.ok


@needs_x
def test_checkbox_click_and_undo(form: LaunchedApp, executor: Executor) -> None:
    res = executor.execute(Click(target=Target.of("the Remember me checkbox")))
    form.wait_for(lambda s: s["checkboxes"]["remember"] is True)
    assert res.undo is not None and res.undo.kind == "checkbox" and not res.irreversible
    assert res.undo.checked is False

    result = undo(res.undo, executor)
    form.wait_for(lambda s: s["checkboxes"]["remember"] is False)
    assert result.verified, result.detail


@needs_x
def test_radio_click_and_undo(form: LaunchedApp, executor: Executor) -> None:
    res = executor.execute(Click(target=Target.of("the Pro radio")))
    form.wait_for(lambda s: s["radio"] == "pro")
    assert res.undo is not None and res.undo.kind == "radio"
    assert res.undo.previous_radio is not None and res.undo.previous_radio.text == "Basic"

    result = undo(res.undo, executor)
    form.wait_for(lambda s: s["radio"] == "basic")
    assert result.verified, result.detail


@needs_x
def test_type_then_undo_restores_previous_content(form: LaunchedApp, executor: Executor) -> None:
    form.command("set name Alice")
    name, state = _name_field(executor)
    res = executor.execute(Type(text="Zed", target=name, clear=True), state=state)
    form.wait_for(lambda s: s["fields"]["name"] == "Zed")
    assert res.undo is not None and res.undo.previous_text == "Alice"

    result = undo(res.undo, executor)
    form.wait_for(lambda s: s["fields"]["name"] == "Alice")
    assert result.verified, result.detail

    # The app changes the field between the action and its undo: the undo must not claim
    # success (and must not overwrite the app's change).
    res = executor.execute(Type(text="Max", target=name, clear=True), state=state)
    form.wait_for(lambda s: s["fields"]["name"] == "Max")
    form.command("set name Xavier")
    assert res.undo is not None
    result = undo(res.undo, executor)
    assert not result.verified
    assert "not" in result.detail.lower()
    assert form.state()["fields"]["name"] == "Xavier"


@needs_x
@pytest.mark.parametrize("use_clipboard", [True, False])
def test_probing_a_field_keeps_its_content_and_tells_masking(
    form: LaunchedApp, executor: Executor, use_clipboard: bool
) -> None:
    """The probe types a space and takes it back: a filled field keeps its text, a filled
    password field its secret; with a clipboard the text is read exactly, without one the
    bullet alone tells masking."""
    if use_clipboard and not executor.use_clipboard:
        pytest.skip("no clipboard tool (xclip) on this machine")
    executor.use_clipboard = use_clipboard
    form.command("set name Alice")
    form.command("set password pw-9")
    form.command("set email")
    _, state = executor.observe()
    found = {}
    for name in ("name", "password", "email"):
        box = Rect(*form.widget(f"field_{name}")["box"])
        el = max(state.elements, key=lambda e: e.box.iou(box))
        found[name] = executor.probe_field(
            ResolvedTarget.from_element(Target(element_id=el.id), el)
        )
    # The app handles the probe's last backspace a moment after it is sent (seconds on a
    # loaded machine): read its state until it settles, a lost backspace still fails.
    deadline = time.monotonic() + 5
    fields = form.state()["fields"]
    while fields["email"] != "" and time.monotonic() < deadline:
        time.sleep(0.1)
        fields = form.state()["fields"]
    assert (fields["name"], fields["password"], fields["email"]) == ("Alice", "pw-9", "")
    assert not found["name"].masked and not found["email"].masked and found["password"].masked
    if use_clipboard:
        assert found["name"].text == "Alice" and found["email"].text == ""
        assert found["password"].text is None


@needs_x
def test_scroll_and_undo(form: LaunchedApp, executor: Executor) -> None:
    _, state = executor.observe()
    list_box = Rect(*form.widget("list_items")["box"])
    el = max(state.elements, key=lambda e: e.box.iou(list_box))
    assert el.box.iou(list_box) > 0.8, el

    res = executor.execute(Scroll(amount=3, target=Target(element_id=el.id)), state=state)
    scrolled = form.wait_for(lambda s: s["list_scroll"] > 0)["list_scroll"]
    assert res.undo is not None and res.undo.scroll_notches == 3
    assert res.verification is not None and res.verification.region_changed

    result = undo(res.undo, executor)
    form.wait_for(lambda s: s["list_scroll"] == 0)
    assert result.verified, result.detail

    # Scrolled again, then moved by the app: scrolling back cannot restore the region.
    res = executor.execute(Scroll(amount=3, target=Target(element_id=el.id)), state=state)
    form.wait_for(lambda s: s["list_scroll"] == scrolled)
    form.command("scroll 25")
    assert res.undo is not None
    result = undo(res.undo, executor)
    assert not result.verified and "NOT verified" in result.detail


@needs_x
def test_click_on_label_changes_nothing(form: LaunchedApp, executor: Executor) -> None:
    # The first click into the window activates it (X has no window manager here) and Qt
    # then draws the focus frame of its first field: a real change. The second one is not.
    first = executor.execute(Click(target=Target.of("the Items label")))
    assert first.verification is not None and not first.verification.region_changed
    res = executor.execute(Click(target=Target.of("the Items label")))
    assert res.ok and res.verification is not None
    assert not res.verification.changed
    assert res.verification.detail == "the screen did not change"
    assert form.state()["clicks"] == []


@needs_x
def test_missing_target_and_emergency_stop_send_nothing(
    form: LaunchedApp, executor: Executor
) -> None:
    pos = executor.backend.position()
    with pytest.raises(TargetNotFound):
        executor.execute(Click(target=Target.of("the Frobnicate button")))
    assert executor.backend.position() == pos
    assert form.state()["clicks"] == []

    subprocess.run(
        ["xdotool", "mousemove", "0", "0"],
        env={**os.environ},
        check=True,
        timeout=10,
    )
    try:
        with pytest.raises(EmergencyStop):
            executor.execute(Click(target=Target.of("the Save button")))
        assert executor.backend.position() == (0, 0)
        assert form.state()["clicks"] == []
    finally:
        subprocess.run(["xdotool", "mousemove", "1700", "1000"], check=True, timeout=10)


@needs_x
def test_a_tripped_stop_switch_halts_typing_mid_text(form: LaunchedApp, display: object) -> None:
    switch = StopSwitch()
    backend = PyAutoGuiBackend(typing_interval=0.02, switch=switch)
    bx, by, bw, bh = form.widget("field_name")["box"]
    backend.click(bx + bw // 2, by + bh // 2)
    timer = threading.Timer(0.3, switch.trip, args=("test stop",))
    timer.start()
    with pytest.raises(EmergencyStop, match="test stop"):
        backend.type("x" * 200)  # about 4 s of typing; the stop lands after 0.3 s
    typed = form.wait_for(lambda st: st["fields"]["name"] != "")["fields"]["name"]
    assert 0 < len(typed) < 100
    with pytest.raises(EmergencyStop):
        backend.click(10, 10)  # stays tripped until reset
    switch.reset()
    backend.check()


# --------------------------------------------------------------------------------------------
# Without a display: a recording backend and a still screen check the input sequences.
# --------------------------------------------------------------------------------------------


class _Recorder:
    """Records every call; the pointer sits at (500, 500), away from the fail-safe corners."""

    def __init__(self) -> None:
        self.calls: list[tuple[object, ...]] = []

    def check(self) -> None:
        pass

    def position(self) -> tuple[int, int]:
        return (500, 500)

    def move(self, x: int, y: int) -> None:
        self.calls.append(("move", x, y))

    def click(self, x: int, y: int, button: str = "left", count: int = 1) -> None:
        self.calls.append(("click", x, y, button, count))

    def type(self, text: str) -> None:
        self.calls.append(("type", text))

    def hotkey(self, *keys: str) -> None:
        self.calls.append(("hotkey", *keys))

    def keys(self, *combos: str) -> None:
        for combo in combos:
            self.hotkey(*combo.split("+"))

    def scroll(self, notches_up: int, x: int | None = None, y: int | None = None) -> None:
        self.calls.append(("scroll", notches_up, x, y))

    def drag(self, start: tuple[int, int], end: tuple[int, int]) -> None:
        self.calls.append(("drag", start, end))


class _StillScreen:
    def grab(self) -> Frame:
        return Frame.from_array(np.full((200, 300, 3), 200, np.uint8))


def _offline() -> tuple[Executor, _Recorder, ScreenState]:
    rec = _Recorder()
    ex = Executor(rec, _StillScreen(), Perceiver(), quiet=0.001)  # type: ignore[arg-type]
    state = ScreenState(
        [
            Element(1, ElementKind.ICON, Rect(10, 10, 20, 20)),
            Element(2, ElementKind.LIST, Rect(100, 50, 100, 100)),
        ],
        Rect(0, 0, 300, 200),
    )
    return ex, rec, state


def test_drag_scroll_sign_and_secret_typing_offline() -> None:
    ex, rec, state = _offline()
    res = ex.execute(Drag(source=Target.of(1), destination=Target.of(2)), state=state)
    assert ("drag", (20, 20), (150, 100)) in rec.calls
    assert res.undo is not None and res.verification is not None
    assert res.verification.detail == "the screen did not change"
    rec.calls.clear()
    result = undo(res.undo, ex)
    assert ("drag", (150, 100), (20, 20)) in rec.calls and result.verified

    rec.calls.clear()
    res = ex.execute(Scroll(amount=2, target=Target.of(2)), state=state)
    assert ("scroll", -2, 150, 100) in rec.calls  # ours: +2 = down; pyautogui: -2
    rec.calls.clear()
    undo(res.undo, ex)  # type: ignore[arg-type]
    assert ("scroll", 2, 150, 100) in rec.calls

    res = ex.execute(Type(text="hunter2", target=Target.of(2), secret=True), state=state)
    assert res.undo is None and res.irreversible
    assert isinstance(res.action, Type) and res.action.text == "" and res.action.text_redacted
    assert "hunter2" not in repr(res)

    res = ex.execute(Hotkey(keys=["ctrl", "s"]))
    assert res.irreversible and res.undo is None and ("hotkey", "ctrl", "s") in rec.calls
