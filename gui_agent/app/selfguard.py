"""Keep the agent from seeing or touching its own window.

The app shares the desktop with the applications it drives, so without care the agent would
read its own step list as screen content ("Type 'Alice' into Name" looks like a label) and
could click its own Approve button. Three layers prevent that, all usable from the worker
thread without touching Qt:

* ``OwnWindow``: a thread-safe snapshot of where the app's window is, in desktop pixels,
  kept current by the GUI thread (None while it is hidden).
* ``MaskedCapture``: grabs the desktop with that box painted flat, so perception never
  finds an element of the app itself.
* ``GuardedBackend``: refuses pointer input at a point inside that box (a last line of
  defence, e.g. if the window moved between perception and the click).

``StepAsideExecutor`` adds the fourth: it asks the GUI to take the window out of the way
before any input is sent (actions and undos), and to bring it back afterwards.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

from gui_agent.control.executor import ExecutionResult, Executor, InputBackend, Point2
from gui_agent.errors import GuiAgentError
from gui_agent.geometry import Rect
from gui_agent.perception.state import ScreenState
from gui_agent.planning.actions import Action
from gui_agent.screen.capture import ScreenCapture
from gui_agent.screen.frame import Frame

__all__ = ["GuardedBackend", "MaskedCapture", "OwnWindow", "SelfClickRefused", "StepAsideExecutor"]

# A flat mid-grey: no text, no edges, so neither OCR nor the shape detector finds anything.
_MASK_BGR = (128, 128, 128)


class SelfClickRefused(GuiAgentError):
    """The agent was about to send pointer input into gui-agent's own window."""


class OwnWindow:
    """Where the app's windows are right now (frames included): the main window under
    ``"window"``, others (the status overlay) under their own keys; absent when not shown."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rects: dict[str, Rect] = {}

    def set(self, rect: Rect | None, key: str = "window") -> None:
        with self._lock:
            if rect is None:
                self._rects.pop(key, None)
            else:
                self._rects[key] = rect

    def rect(self, key: str = "window") -> Rect | None:
        with self._lock:
            return self._rects.get(key)

    def rects(self) -> list[Rect]:
        with self._lock:
            return list(self._rects.values())

    def contains(self, x: int, y: int) -> bool:
        return any(r.x <= x < r.x + r.w and r.y <= y < r.y + r.h for r in self.rects())


class MaskedCapture(ScreenCapture):
    """A ``ScreenCapture`` whose frames never show the app's own window."""

    def __init__(self, own: OwnWindow, display: str | None = None) -> None:
        super().__init__(display)
        self.own = own

    def _grab_box(self, box: Rect) -> Frame:
        frame = super()._grab_box(box)
        for r in self.own.rects():
            hit = r.clip(frame.box)
            if hit.is_empty():
                continue
            x0, y0 = hit.x - frame.box.x, hit.y - frame.box.y
            frame.pixels[y0 : y0 + hit.h, x0 : x0 + hit.w] = _MASK_BGR
        return frame


class GuardedBackend:
    """Wraps an ``InputBackend``; pointer input inside the app's window raises instead."""

    def __init__(self, inner: InputBackend, own: OwnWindow) -> None:
        self.inner = inner
        self.own = own

    def _check_point(self, x: int, y: int, what: str) -> None:
        if self.own.contains(x, y):
            raise SelfClickRefused(
                f"refused to {what} at ({x}, {y}): that point is inside gui-agent's own window "
                f"({', '.join(str(r) for r in self.own.rects())}); move the window away from "
                "the application and try again"
            )

    def check(self) -> None:
        self.inner.check()

    def position(self) -> Point2:
        return self.inner.position()

    def move(self, x: int, y: int) -> None:
        self.inner.move(x, y)

    def click(self, x: int, y: int, button: str = "left", count: int = 1) -> None:
        self._check_point(x, y, "click")
        self.inner.click(x, y, button=button, count=count)

    def type(self, text: str) -> None:
        self.inner.type(text)

    def hotkey(self, *keys: str) -> None:
        self.inner.hotkey(*keys)

    def keys(self, *combos: str) -> None:
        self.inner.keys(*combos)

    def scroll(self, notches_up: int, x: int | None = None, y: int | None = None) -> None:
        if x is not None and y is not None:
            self._check_point(x, y, "scroll")
        self.inner.scroll(notches_up, x, y)

    def drag(self, start: Point2, end: Point2) -> None:
        self._check_point(*start, "drag")
        self._check_point(*end, "drop")
        self.inner.drag(start, end)


class StepAsideExecutor(Executor):
    """An ``Executor`` that steps the app's window aside for every action and reports what it
    saw, so the GUI can show the live frame without ever running perception itself.

    ``step_aside(True/False)`` is called on the worker thread and must block until the GUI
    has hidden (or restored) the window; ``on_observe(frame, state)`` gets each planning
    frame; ``on_result(result)`` each executed action's result.
    """

    def __init__(
        self,
        backend: InputBackend,
        capture: ScreenCapture,
        perceiver: Any,
        *,
        step_aside: Callable[[bool], None],
        on_observe: Callable[[Frame, ScreenState], None],
        **kwargs: Any,
    ) -> None:
        super().__init__(backend, capture, perceiver, **kwargs)
        self._step_aside = step_aside
        self._on_observe = on_observe
        self._aside_depth = 0
        self.last_result: ExecutionResult | None = None

    @contextlib.contextmanager
    def aside(self) -> Iterator[None]:
        """Hide the app's window for the body (nested uses hide it once)."""
        self._aside_depth += 1
        if self._aside_depth == 1:
            self._step_aside(True)
        try:
            yield
        finally:
            self._aside_depth -= 1
            if self._aside_depth == 0:
                self._step_aside(False)

    def observe(self) -> tuple[Frame, ScreenState]:
        frame, state = super().observe()
        if self._aside_depth == 0:  # planning frames only, not the executor's re-checks
            self._on_observe(frame, state)
        return frame, state

    def execute(
        self, action: Action, state: ScreenState | None = None, **kwargs: Any
    ) -> ExecutionResult:
        with self.aside():
            self.last_result = super().execute(action, state, **kwargs)
        return self.last_result
