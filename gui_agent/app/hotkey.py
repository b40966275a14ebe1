"""The app's emergency stop: the core's ``StopSwitch`` and stop hotkey, wired to the window.

While the agent acts, its window stands aside and the keyboard belongs to the application
being driven, so an in-window shortcut cannot be the brake. The core's ``StopHotkey``
(pynput; RECORD on X11, which observes without grabbing) trips a ``StopSwitch`` that the
input backend checks before every event, so a stop lands even mid-action. Here the switch
also calls back, so the session is told to stop between steps and the window can say so.
"""

from __future__ import annotations

from collections.abc import Callable

from gui_agent.control.estop import StopHotkey, StopSwitch

__all__ = ["AppStopHotkey", "NotifyingSwitch"]


class NotifyingSwitch(StopSwitch):
    """A ``StopSwitch`` that calls ``on_trip(reason)`` once per trip, on the tripping thread."""

    def __init__(self, on_trip: Callable[[str], None]) -> None:
        super().__init__()
        self._on_trip = on_trip

    def trip(self, reason: str = "emergency stop") -> None:
        first = not self.tripped
        super().trip(reason)
        if first:
            self._on_trip(self.reason)


class AppStopHotkey(StopHotkey):
    """The core hotkey; kept as the app's name for it (the core's ``stop`` ends pynput's
    listener thread at once, see ``control.estop.stop_listener``)."""
