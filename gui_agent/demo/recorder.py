"""Record a demonstration: global input listeners, a ring of recent frames, and a worker that
perceives the frame taken just before each input and turns the inputs into demo steps.

The listeners (pynput, RECORD extension on X11) only timestamp and queue, so they never lag
the person's input; perception (a few hundred milliseconds a frame) runs in the worker.
Recording ends with the stop hotkey or ``stop()`` (the CLI maps Ctrl+C to it); either way the
steps so far are saved.
"""

from __future__ import annotations

import bisect
import contextlib
import queue
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gui_agent.control.estop import DEFAULT_STOP_HOTKEY, stop_listener
from gui_agent.demo.builder import DemoBuilder, KeyEvent, MouseEvent, WheelEvent
from gui_agent.demo.format import Demo, DemoManifest, Monitor, save_demo
from gui_agent.demo.targets import Described, describe_target
from gui_agent.errors import GuiAgentError
from gui_agent.geometry import Point
from gui_agent.perception.perceiver import Perceiver
from gui_agent.screen.capture import ScreenCapture
from gui_agent.screen.frame import Frame

_FPS = 15
_RING = 45  # three seconds of frames
_BEFORE = 0.012  # a frame this close to the input may already show its effect


class RecorderError(GuiAgentError):
    """Recording cannot start (no display, no input listener)."""


class FrameRing:
    """The last few seconds of frames, captured on a thread of their own."""

    def __init__(self, capture: ScreenCapture, fps: int = _FPS) -> None:
        self.capture = capture
        self.period = 1.0 / fps
        self._frames: deque[Frame] = deque(maxlen=_RING)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="frame-ring", daemon=True)
        self.error: BaseException | None = None

    def start(self) -> FrameRing:
        self._frames.append(self.capture.grab())  # fail here, loudly, if there is no display
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.period):
                frame = self.capture.grab()
                with self._lock:
                    self._frames.append(frame)
        except BaseException as exc:  # reported by before()
            self.error = exc

    def before(self, t: float) -> Frame:
        """The newest frame taken before monotonic time ``t`` (else the oldest one kept)."""
        with self._lock:
            frames = list(self._frames)
        stamps = [f.timestamp for f in frames]
        i = bisect.bisect_left(stamps, t - _BEFORE)
        return frames[max(0, i - 1)]

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)


_PYNPUT_KEYS = {
    "ctrl_l": "ctrl", "ctrl_r": "ctrl", "ctrl": "ctrl", "alt_l": "alt", "alt_r": "alt",
    "alt": "alt", "alt_gr": "alt", "shift": "shift", "shift_l": "shift", "shift_r": "shift",
    "cmd": "win", "cmd_l": "win", "cmd_r": "win", "page_up": "pageup", "page_down": "pagedown",
    "caps_lock": "capslock", "num_lock": "numlock", "scroll_lock": "scrolllock",
    "print_screen": "printscreen", "menu": "apps",
}  # fmt: skip


def key_name(key: Any) -> str | None:
    """pynput's key object as our canonical name: a character, or ``enter``, ``ctrl``, ..."""
    char = getattr(key, "char", None)
    if char:
        return str(char)
    name = getattr(key, "name", None)
    if name:
        return _PYNPUT_KEYS.get(name, name)
    vk = getattr(key, "vk", None)
    return None if vk is None else f"vk{vk}"


@dataclass
class RecordResult:
    path: Path
    steps: int
    stopped_by: str


class Recorder:
    """Records until ``stop()`` or the stop hotkey, then writes the demo to ``path``."""

    def __init__(
        self,
        path: str | Path,
        *,
        capture: ScreenCapture | None = None,
        perceiver: Perceiver | None = None,
        stop_hotkey: str = DEFAULT_STOP_HOTKEY,
    ) -> None:
        self.path = Path(path)
        self.capture = capture or ScreenCapture()
        self.perceiver = perceiver or Perceiver()
        self.stop_hotkey = stop_hotkey
        self.ring = FrameRing(self.capture)
        self.builder = DemoBuilder(self._describe)
        self._events: queue.Queue[Any] = queue.Queue()
        self._stopped = threading.Event()
        self.stopped_by = ""
        self._listeners: list[Any] = []
        self._worker = threading.Thread(target=self._work, name="demo-recorder", daemon=True)
        self._stop_keys: set[str] = set()
        self._worker_error: BaseException | None = None
        self.started = threading.Event()

    # -- life cycle ----------------------------------------------------------------------------
    def start(self) -> Recorder:
        try:
            from pynput import keyboard, mouse  # local: needs DISPLAY at import time
        except ImportError as exc:
            raise RecorderError(f"cannot listen to input: {exc}") from exc
        self._stop_keys = {k.strip("<>") for k in self.stop_hotkey.lower().split("+")}
        self._stop_keys = {_PYNPUT_KEYS.get(k, k) for k in self._stop_keys}
        try:
            self.ring.start()
            self.perceiver.perceive(self.ring.before(time.monotonic() + 1))  # warm the models
            m = mouse.Listener(on_click=self._on_click, on_scroll=self._on_scroll)
            k = keyboard.Listener(on_press=self._on_press, on_release=self._on_release)
            for listener in (m, k):
                listener.daemon = True
                listener.start()
                listener.wait()
                self._listeners.append(listener)
        except BaseException:
            self.close()  # a half-started recorder leaves no listener or capture thread
            raise
        self._worker.start()
        self.started.set()
        return self

    def close(self) -> None:
        """Stop listening and capturing without saving anything."""
        self.stop("closed")
        for listener in self._listeners:
            stop_listener(listener, timeout=1.0)
        self._listeners.clear()
        self.ring.stop()

    def stop(self, reason: str = "stopped") -> None:
        if not self.stopped_by:
            self.stopped_by = reason
        self._stopped.set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._stopped.wait(timeout)

    def finish(self) -> RecordResult:
        """Stop listening, turn the queued inputs into steps, and save the demo."""
        self.stop()
        for listener in self._listeners:
            stop_listener(listener, timeout=1.0)
        self._events.put(None)
        self._worker.join()
        self.ring.stop()
        if self._worker_error is not None:
            raise RecorderError(f"recording failed: {self._worker_error}") from self._worker_error
        steps = self.builder.finish()
        frame = self.ring.before(time.monotonic() + 1)
        monitors = []
        with contextlib.suppress(Exception):
            monitors = [Monitor(x=m.rect.x, y=m.rect.y, width=m.rect.w, height=m.rect.h)
                        for m in self.capture.monitors()]  # fmt: skip
        manifest = DemoManifest(screen=(frame.width, frame.height), scale=frame.scale,
                                monitors=monitors)  # fmt: skip
        save_demo(Demo(manifest, steps, dict(self.builder.crops)), self.path)
        return RecordResult(self.path, len(steps), self.stopped_by)

    def __enter__(self) -> Recorder:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        if self._worker.is_alive():
            self.finish()

    # -- listeners (pynput threads: stamp and queue only) ---------------------------------------
    def _on_click(self, x: int, y: int, button: Any, pressed: bool) -> None:
        if self._stopped.is_set():
            return
        t = time.monotonic()
        frame = self.ring.before(t) if pressed else None
        kind = "press" if pressed else "release"
        self._events.put(MouseEvent(kind, int(x), int(y), str(button.name), t, frame))

    def _on_scroll(self, x: int, y: int, dx: int, dy: int) -> None:
        if self._stopped.is_set() or dy == 0:
            return
        t = time.monotonic()
        # pynput: dy > 0 is a notch up; the action schema: positive scrolls down.
        self._events.put(WheelEvent(int(x), int(y), -int(dy), t, self.ring.before(t)))

    def _on_press(self, key: Any) -> None:
        name = key_name(key)
        if name is None or self._stopped.is_set():
            return
        self._events.put(KeyEvent(name, True, time.monotonic()))

    def _on_release(self, key: Any) -> None:
        name = key_name(key)
        if name is None or self._stopped.is_set():
            return
        self._events.put(KeyEvent(name, False, time.monotonic()))

    # -- worker ----------------------------------------------------------------------------
    def _work(self) -> None:
        held: set[str] = set()
        pending: list[KeyEvent] = []  # key events that may turn out to be the stop chord
        while True:
            event = self._events.get()
            if event is None:
                break
            try:
                if isinstance(event, KeyEvent):
                    if event.pressed:
                        held.add(event.key)
                    else:
                        held.discard(event.key)
                    if event.key.lower() in self._stop_keys:
                        pending.append(event)
                        if self._stop_keys <= {k.lower() for k in held}:
                            pending.clear()
                            self.stop(f"stop hotkey {self.stop_hotkey}")
                        elif not held & self._stop_keys:
                            for e in pending:  # not the chord after all: they were input
                                self.builder.feed(e)
                            pending.clear()
                        continue
                    for e in pending:
                        self.builder.feed(e)
                    pending.clear()
                if self._stopped.is_set() and isinstance(event, KeyEvent):
                    continue
                self.builder.feed(event)
            except BaseException as exc:  # surfaced by finish()
                self._worker_error = exc
                self.stop("error")
                break

    def _describe(self, point: Point, frame_ref: object, crop_name: str) -> Described:
        assert isinstance(frame_ref, Frame)
        state = self.perceiver.perceive(frame_ref)
        return describe_target(frame_ref, state, point, crop_name)
