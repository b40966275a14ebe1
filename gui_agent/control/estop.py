"""The emergency stop: a switch any thread can trip, and a global hotkey that trips it.

The input backend checks the switch before every input event it sends, so a trip halts the
agent within the step in flight, not only between steps. The hotkey is heard through pynput,
which on X11 listens with the RECORD extension: it works whichever window has the focus,
including the one the agent is typing into.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

from gui_agent.errors import GuiAgentError

DEFAULT_STOP_HOTKEY = "<ctrl>+<alt>+<esc>"


class StopSwitch:
    """Once tripped, stays tripped until ``reset``: a stop must never be lost to a race."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.reason = ""

    def trip(self, reason: str = "emergency stop") -> None:
        if not self._event.is_set():
            self.reason = reason
        self._event.set()

    @property
    def tripped(self) -> bool:
        return self._event.is_set()

    def reset(self) -> None:
        self.reason = ""
        self._event.clear()

    def wait(self, timeout: float | None = None) -> bool:
        return self._event.wait(timeout)


def stop_listener(listener: Any, timeout: float = 2.0) -> None:
    """Stop a pynput listener and wait for it.

    On X11, pynput's ``stop()`` only takes effect at the next input event: until then its
    thread and two X connections stay up. Disabling its RECORD context ourselves ends the
    thread at once.
    """
    listener.stop()
    display = getattr(listener, "_display_stop", None)
    context = getattr(listener, "_context", None)
    if display is not None and context is not None:
        with contextlib.suppress(Exception):
            display.record_disable_context(context)
            display.flush()
    listener.join(timeout)


class HotkeyError(GuiAgentError):
    """The stop hotkey cannot be listened for (no display, bad combination)."""


class StopHotkey:
    """Listens for a global key combination (pynput syntax, e.g. ``<ctrl>+<alt>+<esc>``) and
    trips a ``StopSwitch``. Use as a context manager; the listener is a daemon thread."""

    def __init__(self, switch: StopSwitch, combo: str = DEFAULT_STOP_HOTKEY) -> None:
        self.switch = switch
        self.combo = combo
        self._listener: Any = None

    def start(self) -> StopHotkey:
        try:
            from pynput import keyboard  # local: needs DISPLAY at import time
        except ImportError as exc:  # pynput raises ImportError when no X server answers
            raise HotkeyError(f"cannot listen for the stop hotkey: {exc}") from exc
        try:
            keyboard.HotKey.parse(self.combo)
        except ValueError as exc:
            raise HotkeyError(f"bad stop hotkey {self.combo!r}: {exc}") from exc
        listener = keyboard.GlobalHotKeys(
            {self.combo: lambda: self.switch.trip(f"stop hotkey {self.combo} pressed")}
        )
        listener.daemon = True
        listener.start()
        listener.wait()  # returns once the listener is receiving events
        self._listener = listener
        return self

    def stop(self) -> None:
        if self._listener is not None:
            stop_listener(self._listener)
            self._listener = None

    close = stop  # for contextlib.closing

    def __enter__(self) -> StopHotkey:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
