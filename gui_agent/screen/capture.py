"""Grab the X screen (all of it, one monitor, or a box) into :class:`Frame` objects via mss.

mss talks to the X server through XCB/XShm, which makes a full 1920x1080 grab take about a
millisecond. Its connection objects belong to the thread that made them, so ScreenCapture
keeps one per thread (``threading.local``) and opens it lazily, on first use, against
``display`` or ``$DISPLAY`` as it is *then* (tests and the headless runner set it late).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import re
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np

from gui_agent.errors import DisplayUnavailable, FrameError, GuiAgentError
from gui_agent.geometry import Monitor, Point, Rect
from gui_agent.screen.frame import Frame

__all__ = ["CaptureRegionError", "ScreenCapture", "detect_scale"]

_NO_DISPLAY_FIX = "no X display: set DISPLAY or run under `gui-agent` headless mode / Xvfb"
_BASE_DPI = 96.0
_RESET_GRACE_S = 1.0
_LOCAL_DISPLAY = re.compile(r"^(?:unix)?:(\d+)(?:\.\d+)?$")
_XFT_DPI = re.compile(r"^Xft\.dpi:\s*([0-9]+(?:\.[0-9]*)?)\s*$", re.MULTILINE)


class CaptureRegionError(FrameError, ValueError):
    """The requested monitor or region is not on the desktop (a caller error, not an X error)."""


class _Sct(Protocol):
    """The part of ``mss.MSS`` this module uses (also what test fakes implement)."""

    @property
    def monitors(self) -> list[dict[str, Any]]: ...

    def grab(self, monitor: dict[str, int], /) -> Any: ...

    def close(self) -> None: ...


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _no_display(display: str | None, cause: str) -> DisplayUnavailable:
    return DisplayUnavailable(f"{_NO_DISPLAY_FIX} (DISPLAY={display!r}: {cause})")


def _open_mss(display: str) -> _Sct:
    """A new mss instance on ``display``; mss >= 10.2 has ``mss.MSS``, older ones ``mss.mss``."""
    import mss  # local: keeps `import gui_agent.screen` cheap and mss optional until used

    factory = getattr(mss, "MSS", None) or mss.mss
    # An X server that is up but resetting (Xvfb without -noreset does that each time its
    # last client disconnects) refuses connections for a few ms: retry briefly, but only
    # when its socket exists, so a display that is simply absent fails at once.
    deadline = time.monotonic() + _RESET_GRACE_S
    while True:
        try:
            sct: _Sct = factory(display=display)
            _ = sct.monitors  # some versions connect lazily: fail here, not on the first grab
            return sct
        except Exception as exc:  # mss raises ScreenShotError subclasses, ctypes OSError
            if time.monotonic() < deadline and _local_socket_exists(display):
                time.sleep(0.01)
                continue
            raise _no_display(display, _one_line(exc)) from exc


def _local_socket_exists(display: str) -> bool:
    m = _LOCAL_DISPLAY.match(display)
    return m is not None and Path(f"/tmp/.X11-unix/X{m.group(1)}").exists()


class ScreenCapture:
    """Screen grabber for one X display; one mss connection per thread that uses it.

    Use as a context manager, or call :meth:`close` (safe to call repeatedly; the object
    reopens lazily if used again afterwards).
    """

    def __init__(self, display: str | None = None) -> None:
        self._display = display
        self._local = threading.local()
        self._lock = threading.Lock()
        self._generation = 0
        self._open: list[tuple[threading.Thread, _Sct]] = []
        self._scale: float | None = None

    # -- connection management -------------------------------------------------------------

    @property
    def display(self) -> str | None:
        """The display name in use: the one given, else ``$DISPLAY`` as it is now."""
        return self._display if self._display is not None else os.environ.get("DISPLAY")

    def _sct(self) -> _Sct:
        local = self._local
        if getattr(local, "generation", None) == self._generation:
            sct: _Sct = local.sct
            return sct
        display = self.display
        if not display:
            raise _no_display(display, "DISPLAY is not set")
        sct = _open_mss(display)
        stale: list[_Sct] = []
        with self._lock:
            # Close connections of threads that have ended; their thread-locals are gone.
            keep = [(t, s) for t, s in self._open if t.is_alive()]
            stale = [s for t, s in self._open if not t.is_alive()]
            keep.append((threading.current_thread(), sct))
            self._open = keep
            local.sct, local.generation = sct, self._generation
        for s in stale:
            with contextlib.suppress(Exception):
                s.close()
        return sct

    def close(self) -> None:
        """Close every thread's connection; later use opens fresh ones."""
        with self._lock:
            opened, self._open = self._open, []
            self._generation += 1
            self._scale = None
        for _, sct in opened:
            with contextlib.suppress(Exception):
                sct.close()

    def __enter__(self) -> ScreenCapture:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- geometry ----------------------------------------------------------------------------

    def _mss_monitors(self) -> list[dict[str, Any]]:
        try:
            return list(self._sct().monitors)
        except DisplayUnavailable:
            raise
        except Exception as exc:
            raise _no_display(self.display, _one_line(exc)) from exc

    def scale(self) -> float:
        """HiDPI scale of this display (cached until :meth:`close`); see :func:`detect_scale`."""
        if self._scale is None:
            self._scale = detect_scale(self.display)
        return self._scale

    def monitors(self) -> list[Monitor]:
        """Physical monitors, ``index`` 1..n as in mss; exactly one is marked primary.

        X reports one global DPI, so every monitor gets the same scale. The layout is read
        once per connection (mss caches it): call :meth:`close` after a monitor hotplug.
        """
        raw = self._mss_monitors()
        scale = self.scale()
        mons = [
            Monitor(i, _rect(m), scale, bool(m.get("is_primary", False)))
            for i, m in enumerate(raw[1:], start=1)
        ]
        if not mons:  # no RandR: the root window is the only monitor
            mons = [Monitor(1, _rect(raw[0]), scale, True)]
        elif not any(m.primary for m in mons):  # same fallback as mss.primary_monitor
            first = mons[0]
            mons[0] = Monitor(first.index, first.rect, first.scale, True)
        return mons

    def virtual_desktop(self) -> Rect:
        """Bounding box of all monitors (the X root window), in physical px."""
        return _rect(self._mss_monitors()[0])

    # -- capture ------------------------------------------------------------------------------

    def grab(self, monitor: int | None = None, region: Rect | None = None) -> Frame:
        """Capture a box of the desktop as a BGR :class:`Frame` placed at its desktop origin.

        ``monitor=None`` (or 0, as in mss) is the whole virtual desktop, ``monitor=i`` that
        monitor (1-based, see :meth:`monitors`). ``region`` is a desktop-coordinate box,
        clipped to the monitor (or desktop); one that misses it raises CaptureRegionError.
        """
        if monitor is None or monitor == 0:
            bounds = self.virtual_desktop()
        else:
            mons = self.monitors()
            match = [m for m in mons if m.index == monitor]
            if not match:
                raise CaptureRegionError(
                    f"no monitor {monitor}: this display has monitors "
                    f"{[m.index for m in mons]} (use None or 0 for the whole desktop)"
                )
            bounds = match[0].rect
        box = bounds
        if region is not None:
            box = region.clip(bounds)
            if box.is_empty():
                raise CaptureRegionError(
                    f"capture region {region} lies outside the "
                    f"{'desktop' if monitor in (None, 0) else f'monitor {monitor}'} {bounds}"
                )
        return self._grab_box(box)

    def _grab_box(self, box: Rect) -> Frame:
        sct = self._sct()
        try:
            shot = sct.grab({"left": box.x, "top": box.y, "width": box.w, "height": box.h})
        except Exception as exc:
            raise _no_display(self.display, f"capture failed: {_one_line(exc)}") from exc
        ts = time.monotonic()
        w, h = int(shot.width), int(shot.height)
        bgra = np.frombuffer(shot.raw, dtype=np.uint8).reshape(h, w, 4)
        # cvtColor writes a fresh contiguous BGR array in one SIMD pass: ~15x faster than
        # np.ascontiguousarray(bgra[:, :, :3]) on a 1080p frame.
        bgr = cv2.cvtColor(bgra, cv2.COLOR_BGRA2BGR)
        return Frame(bgr, Point(box.x, box.y), ts, self.scale())


def _rect(m: Mapping[str, Any]) -> Rect:
    return Rect(int(m["left"]), int(m["top"]), int(m["width"]), int(m["height"]))


# -- HiDPI scale -----------------------------------------------------------------------------


def detect_scale(display: str | None = None) -> float:
    """HiDPI scale of ``display`` (None = ``$DISPLAY``), 1.0 when nothing says otherwise.

    Order: ``$GUI_AGENT_SCALE`` (the user knows best), then ``Xft.dpi`` / 96 from the root
    window's RESOURCE_MANAGER property (what GTK/Qt/Xft apps scale by on X11; read via
    libX11, python-xlib as fallback), else 1.0.
    """
    env = os.environ.get("GUI_AGENT_SCALE", "").strip()
    if env:
        try:
            value = float(env)
        except ValueError:
            value = 0.0
        if not (0.0 < value < 16.0):
            raise GuiAgentError(
                f"GUI_AGENT_SCALE={env!r} is not a valid scale; "
                "fix: set it to a number such as 1, 1.25 or 2, or unset it"
            )
        return value
    display = display if display is not None else os.environ.get("DISPLAY")
    if not display:
        return 1.0
    resources = _resource_manager(display)
    return scale_from_resources(resources) if resources else 1.0


def scale_from_resources(resources: str) -> float:
    """``Xft.dpi`` / 96 from an X resource database string, or 1.0 if absent or nonsense."""
    match = _XFT_DPI.search(resources)
    if not match:
        return 1.0
    dpi = float(match.group(1))
    return round(dpi / _BASE_DPI, 4) if 24.0 <= dpi <= 1536.0 else 1.0


def _resource_manager(display: str) -> str | None:
    """The RESOURCE_MANAGER string of the display's first screen, or None.

    libX11 first: it authenticates like every other X client and is silent. python-xlib is
    the fallback where libX11 is missing; it refuses to connect without a readable
    Xauthority file (common under Xvfb/Xwayland) and prints warnings to stdout.
    """
    for reader in (_resource_manager_libx11, _resource_manager_xlib):
        try:
            return reader(display)
        except Exception:
            continue
    return None


def _resource_manager_xlib(display: str) -> str | None:
    from Xlib import X
    from Xlib import display as xdisplay

    dpy = xdisplay.Display(display)
    try:
        root = dpy.screen().root
        prop = root.get_full_property(dpy.intern_atom("RESOURCE_MANAGER"), X.AnyPropertyType)
        if prop is None:
            return None
        value = prop.value
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    finally:
        dpy.close()


def _resource_manager_libx11(display: str) -> str | None:
    name = ctypes.util.find_library("X11")
    if name is None:
        raise OSError("libX11 not found")
    lib = ctypes.CDLL(name)
    lib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    lib.XOpenDisplay.restype = ctypes.c_void_p
    lib.XResourceManagerString.argtypes = [ctypes.c_void_p]
    lib.XResourceManagerString.restype = ctypes.c_char_p
    lib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    dpy = lib.XOpenDisplay(display.encode())
    if not dpy:
        return None
    try:
        value = lib.XResourceManagerString(dpy)
        return value.decode("utf-8", "replace") if value else None
    finally:
        lib.XCloseDisplay(dpy)
