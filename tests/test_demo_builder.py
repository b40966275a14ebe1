"""The rules that turn raw input events into demo steps (no display needed): the recorder
feeds exactly these events from its pynput listeners."""

from __future__ import annotations

import numpy as np

from gui_agent.demo.builder import DemoBuilder, KeyEvent, MouseEvent, WheelEvent
from gui_agent.demo.targets import Described, describe_target
from gui_agent.geometry import Point, Rect
from gui_agent.perception.state import Element, ElementKind, ScreenState
from gui_agent.planning.actions import Click, Drag, Hotkey, Scroll, Type
from gui_agent.screen.frame import Frame

FRAME = Frame.from_array(np.full((400, 600, 3), 240, np.uint8))
STATE = ScreenState(
    [
        Element(1, ElementKind.TEXT, Rect(10, 12, 50, 14), "Email"),
        Element(2, ElementKind.FIELD, Rect(80, 8, 300, 22), ""),
        Element(3, ElementKind.TEXT, Rect(10, 52, 70, 14), "Password"),
        Element(4, ElementKind.FIELD, Rect(80, 48, 300, 22), ""),
        Element(5, ElementKind.BUTTON, Rect(80, 100, 80, 24), "Save"),
        Element(6, ElementKind.LIST, Rect(400, 8, 180, 300), ""),
        Element(7, ElementKind.CONTAINER, Rect(0, 0, 600, 400), ""),
    ],
    Rect(0, 0, 600, 400),
)


def builder() -> DemoBuilder:
    def describe(point: Point, frame_ref: object, name: str) -> Described:
        return describe_target(FRAME, STATE, point, name)

    return DemoBuilder(describe)


def click(b: DemoBuilder, x: int, y: int, t: float, button: str = "left") -> None:
    b.feed(MouseEvent("press", x, y, button, t, FRAME))
    b.feed(MouseEvent("release", x, y, button, t + 0.05))


def keys(b: DemoBuilder, t: float, *names: str) -> None:
    for i, k in enumerate(names):
        b.feed(KeyEvent(k, True, t + i * 0.01))
        b.feed(KeyEvent(k, False, t + i * 0.01 + 0.005))


def test_click_then_typing_is_one_type_step_into_the_field() -> None:
    b = builder()
    click(b, 200, 19, 1.0)
    keys(b, 1.5, "b", "o", "x", "backspace", "b")
    b.feed(KeyEvent("shift", True, 1.7))
    keys(b, 1.71, "!")
    b.feed(KeyEvent("shift", False, 1.75))
    click(b, 120, 112, 3.0)
    (typed, save) = b.finish()
    assert isinstance(typed.action, Type) and typed.action.text == "bob!"
    assert typed.action.target is not None
    assert typed.action.target.query == "the field right of Email"
    assert typed.targets["target"].kind == "field" and not typed.action.secret
    assert isinstance(save.action, Click) and save.action.target.query == "button 'Save'"
    assert save.delay == 1.5  # from the first key press to the click


def test_password_field_text_becomes_a_secret_parameter() -> None:
    b = builder()
    click(b, 200, 59, 1.0)
    keys(b, 1.2, "p", "w")
    (step,) = b.finish()
    assert isinstance(step.action, Type) and step.action.secret
    assert step.action.text == "{password}" and step.params() == ["password"]


def test_double_click_drag_scroll_and_hotkeys() -> None:
    b = builder()
    click(b, 120, 112, 1.0)
    click(b, 121, 112, 1.2)  # a double-click: one step with count 2
    b.feed(MouseEvent("press", 120, 112, "left", 2.0, FRAME))
    b.feed(MouseEvent("release", 450, 200, "left", 2.3))  # far away: a drag
    for i in range(3):
        b.feed(WheelEvent(450, 150, 1, 3.0 + i * 0.1, FRAME))  # three notches: one scroll
    b.feed(WheelEvent(450, 150, -1, 5.0, FRAME))  # later and the other way: a new one
    b.feed(KeyEvent("ctrl", True, 6.0))
    keys(b, 6.01, "s")
    b.feed(KeyEvent("ctrl", False, 6.1))
    keys(b, 7.0, "enter")
    steps = [s.action for s in b.finish()]
    dbl, drag, down, up, save, enter = steps
    assert isinstance(dbl, Click) and dbl.count == 2
    assert isinstance(drag, Drag) and drag.source.query == "button 'Save'"
    assert isinstance(down, Scroll) and down.amount == 3
    assert isinstance(up, Scroll) and up.amount == -1
    assert isinstance(save, Hotkey) and save.keys == ["ctrl", "s"]
    assert isinstance(enter, Hotkey) and enter.keys == ["enter"]


def test_a_click_on_empty_space_is_a_point_not_the_window() -> None:
    b = builder()
    click(b, 300, 350, 1.0)
    (step,) = b.finish()
    assert step.targets["target"].kind == "point"
    assert step.targets["target"].crop in b.crops
