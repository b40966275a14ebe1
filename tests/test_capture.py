"""Screen capture against a real Xvfb: known colours drawn with Xlib must come back exactly."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from gui_agent.errors import DisplayUnavailable, FrameError, GuiAgentError
from gui_agent.geometry import Point, Rect
from gui_agent.headless.xvfb import Xvfb
from gui_agent.screen import capture as capture_mod
from gui_agent.screen.capture import (
    CaptureRegionError,
    ScreenCapture,
    detect_scale,
    scale_from_resources,
)
from gui_agent.screen.frame import Frame, validate_pixels

BG = 0x336699  # what `xsetroot -solid '#336699'` would paint
RED = 0xFF0000
BG_BGR = (0x99, 0x66, 0x33)
RED_BGR = (0x00, 0x00, 0xFF)
BOX = Rect(100, 200, 50, 40)


class Painter:
    """Draws straight onto the root window with python-xlib (no Qt, no window manager).

    Keep one open while a test relies on what it drew: Xvfb resets (clearing the root window
    and its properties) whenever its last client disconnects.
    """

    def __init__(self, display: str) -> None:
        from Xlib import display as xdisplay

        # python-xlib refuses to connect without a readable Xauthority file; Xvfb needs none.
        # A just-started or resetting Xvfb can refuse for a moment: retry briefly.
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("XAUTHORITY", os.devnull)
            for attempt in range(100):
                try:
                    self.dpy = xdisplay.Display(display)
                    break
                except Exception:
                    if attempt == 99:
                        raise
                    time.sleep(0.02)
        self.root = self.dpy.screen().root
        self.gc = self.root.create_gc(foreground=0)

    def fill(self, rect: Rect, rgb: int) -> None:
        self.gc.change(foreground=rgb)
        self.root.fill_rectangle(self.gc, rect.x, rect.y, rect.w, rect.h)
        self.dpy.sync()  # the server has drawn it before we capture

    def set_resources(self, text: str) -> None:
        from Xlib import Xatom

        atom = self.dpy.intern_atom("RESOURCE_MANAGER")
        self.root.change_property(atom, Xatom.STRING, 8, text.encode())
        self.dpy.sync()

    def close(self) -> None:
        self.dpy.close()


@pytest.fixture(scope="module")
def painter(xvfb: Xvfb) -> Iterator[Painter]:
    """One connection to the session Xvfb for the whole module (see Painter)."""
    p = Painter(xvfb.display)
    yield p
    p.close()


@pytest.fixture(autouse=True)
def _no_scale_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GUI_AGENT_SCALE", raising=False)


@pytest.fixture
def painted(display: Xvfb, painter: Painter) -> Painter:
    """Session display painted solid BG with one RED box at BOX."""
    painter.fill(Rect(0, 0, 1920, 1080), BG)
    painter.fill(BOX, RED)
    return painter


@pytest.fixture
def cap(display: Xvfb) -> Iterator[ScreenCapture]:
    with ScreenCapture() as c:
        yield c


def px(frame: Frame, x: int, y: int) -> tuple[int, ...]:
    """BGR of desktop pixel (x, y) in ``frame``."""
    return tuple(int(v) for v in frame.pixels[y - frame.origin.y, x - frame.origin.x])


# -- whole desktop, monitors, regions -------------------------------------------------------


def test_whole_desktop_has_exact_colours(painted: Painter, cap: ScreenCapture) -> None:
    f = cap.grab()
    assert f.pixels.shape == (1080, 1920, 3)
    assert f.pixels.dtype == np.uint8 and f.pixels.flags.c_contiguous
    assert f.origin == Point(0, 0) and f.box == Rect(0, 0, 1920, 1080)
    assert (f.width, f.height) == (1920, 1080)
    assert f.scale == 1.0
    expected = np.empty((1080, 1920, 3), np.uint8)
    expected[:] = BG_BGR
    expected[BOX.y : BOX.bottom, BOX.x : BOX.right] = RED_BGR
    assert np.array_equal(f.pixels, expected)
    # Corners of the box, and just outside it (half-open rect).
    assert px(f, BOX.x, BOX.y) == RED_BGR
    assert px(f, BOX.right - 1, BOX.bottom - 1) == RED_BGR
    assert px(f, BOX.x - 1, BOX.y) == BG_BGR
    assert px(f, BOX.right, BOX.bottom - 1) == BG_BGR


def test_monitors_and_virtual_desktop(display: Xvfb, cap: ScreenCapture) -> None:
    mons = cap.monitors()
    assert [m.index for m in mons] == [1]
    (m,) = mons
    assert m.rect == Rect(0, 0, 1920, 1080)
    assert m.primary and m.scale == 1.0
    assert cap.virtual_desktop() == Rect(0, 0, 1920, 1080)


def test_grab_monitor_equals_whole_desktop_on_one_screen(
    painted: Painter, cap: ScreenCapture
) -> None:
    f = cap.grab(monitor=1)
    assert f.box == Rect(0, 0, 1920, 1080)
    assert np.array_equal(f.pixels, cap.grab().pixels)
    assert np.array_equal(cap.grab(monitor=0).pixels, f.pixels)  # 0 = all, as in mss


def test_region_origin_and_offsets(painted: Painter, cap: ScreenCapture) -> None:
    f = cap.grab(region=Rect(90, 190, 100, 100))
    assert f.origin == Point(90, 190) and f.pixels.shape == (100, 100, 3)
    assert tuple(f.pixels[10, 10]) == RED_BGR  # desktop (100, 200): the box's top-left
    assert tuple(f.pixels[9, 9]) == BG_BGR
    assert tuple(f.pixels[49, 59]) == RED_BGR  # desktop (149, 239): bottom-right inside
    assert tuple(f.pixels[50, 60]) == BG_BGR
    red = np.all(f.pixels == RED_BGR, axis=2)
    ys, xs = np.nonzero(red)
    assert (xs.min() + 90, ys.min() + 190, xs.max() + 91, ys.max() + 191) == (
        BOX.x,
        BOX.y,
        BOX.right,
        BOX.bottom,
    )


def test_region_on_a_monitor(painted: Painter, cap: ScreenCapture) -> None:
    f = cap.grab(monitor=1, region=BOX)
    assert f.box == BOX
    assert np.all(f.pixels == RED_BGR)


@pytest.mark.parametrize(
    ("region", "clipped"),
    [
        (Rect(1900, 1060, 100, 100), Rect(1900, 1060, 20, 20)),
        (Rect(-10, -20, 30, 40), Rect(0, 0, 20, 20)),
        (Rect(-50, 500, 4000, 10), Rect(0, 500, 1920, 10)),
    ],
)
def test_region_partly_outside_is_clipped(
    painted: Painter, cap: ScreenCapture, region: Rect, clipped: Rect
) -> None:
    f = cap.grab(region=region)
    assert f.box == clipped
    assert f.pixels.shape == (clipped.h, clipped.w, 3)
    assert np.all(f.pixels == BG_BGR)


@pytest.mark.parametrize(
    "region", [Rect(1920, 0, 10, 10), Rect(-100, -100, 100, 100), Rect(10, 10, 0, 5)]
)
def test_region_outside_raises(display: Xvfb, cap: ScreenCapture, region: Rect) -> None:
    with pytest.raises(CaptureRegionError, match="outside the desktop"):
        cap.grab(region=region)
    # Catchable as both the project's frame error and a plain bad-argument error.
    assert issubclass(CaptureRegionError, FrameError)
    assert issubclass(CaptureRegionError, ValueError)


def test_unknown_monitor_raises(display: Xvfb, cap: ScreenCapture) -> None:
    with pytest.raises(CaptureRegionError, match=r"no monitor 2: this display has monitors \[1\]"):
        cap.grab(monitor=2)


def test_other_display_size(xvfb_factory: Any, display: Xvfb) -> None:
    small = xvfb_factory(1280, 720)
    # An explicit display wins over $DISPLAY (which points at the 1920x1080 session one).
    with ScreenCapture(small.display) as c:
        f = c.grab()
        assert f.pixels.shape == (720, 1280, 3)
        assert c.virtual_desktop() == Rect(0, 0, 1280, 720)
        assert c.grab(region=Rect(1200, 700, 500, 500)).box == Rect(1200, 700, 80, 20)


# -- no display -----------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, "", ":999", "nonsense"])
def test_missing_display_raises_with_fix(
    monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is None:
        monkeypatch.delenv("DISPLAY", raising=False)
    else:
        monkeypatch.setenv("DISPLAY", value)
    c = ScreenCapture()
    for call in (c.grab, c.monitors, c.virtual_desktop):
        with pytest.raises(DisplayUnavailable) as info:
            call()
        msg = str(info.value)
        assert msg.startswith("no X display: set DISPLAY or run under `gui-agent` headless")
        assert "Xvfb" in msg and "\n" not in msg
        assert repr(value or None) in msg or repr(value) in msg
    c.close()


def test_explicit_bad_display_raises(display: Xvfb) -> None:
    with pytest.raises(DisplayUnavailable, match=r"DISPLAY=':999'"):
        ScreenCapture(":999").grab()


# -- threads and lifecycle ------------------------------------------------------------------


def test_one_connection_per_thread_and_close(painted: Painter) -> None:
    c = ScreenCapture()
    frames: dict[str, Frame] = {}
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            frames[name] = c.grab(region=BOX)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f"t{i}",)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(np.all(f.pixels == RED_BGR) for f in frames.values())
    main_frame = c.grab(region=BOX)
    assert np.all(main_frame.pixels == RED_BGR)
    # Worker threads have ended: their connections are pruned when a new one opens,
    # so at most the main thread's one remains open.
    assert len(c._open) == 1
    c.close()
    c.close()  # idempotent
    assert c._open == []
    assert np.all(c.grab(region=BOX).pixels == RED_BGR)  # reopens lazily
    c.close()


# -- HiDPI scale ----------------------------------------------------------------------------


def test_scale_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUI_AGENT_SCALE", "1.5")
    assert detect_scale(":999") == 1.5
    monkeypatch.setenv("GUI_AGENT_SCALE", "big")
    with pytest.raises(GuiAgentError, match="GUI_AGENT_SCALE='big'"):
        detect_scale()


def test_scale_from_resources_parsing() -> None:
    assert scale_from_resources("Xft.dpi:\t120\nXft.antialias:\t1\n") == 1.25
    assert scale_from_resources("Xcursor.size: 24\nXft.dpi: 144.0\n") == 1.5
    assert scale_from_resources("Xft.antialias:\t1\n") == 1.0
    assert scale_from_resources("Xft.dpi:\t0\n") == 1.0


def test_scale_from_xft_dpi(xvfb_factory: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    server = xvfb_factory(640, 480)
    p = Painter(server.display)
    try:
        monkeypatch.setenv("XAUTHORITY", os.devnull)  # for the python-xlib fallback below
        assert detect_scale(server.display) == 1.0  # nothing set: 96 dpi
        p.set_resources("Xft.antialias:\t1\nXft.dpi:\t120\n")
        assert detect_scale(server.display) == 1.25
        with ScreenCapture(server.display) as c:
            assert [m.scale for m in c.monitors()] == [1.25]
            assert c.grab().scale == 1.25

        # Without libX11, python-xlib reads it; with neither, the answer is 1.0.
        def fail(display: str) -> str:
            raise OSError("not available")

        monkeypatch.setattr(capture_mod, "_resource_manager_libx11", fail)
        assert detect_scale(server.display) == 1.25
        monkeypatch.setattr(capture_mod, "_resource_manager_xlib", fail)
        assert detect_scale(server.display) == 1.0
    finally:
        p.close()


# -- multi-monitor layout (fake mss: Xvfb has one screen) -----------------------------------


class FakeShot:
    def __init__(self, mon: dict[str, int]) -> None:
        self.width, self.height = mon["width"], mon["height"]
        # BGRA with B = column, G = row, R = 7, A = 255: checks order and placement.
        a = np.empty((self.height, self.width, 4), np.uint8)
        a[..., 0] = (np.arange(self.width) % 256)[None, :]
        a[..., 1] = (np.arange(self.height) % 256)[:, None]
        a[..., 2] = 7
        a[..., 3] = 255
        self.raw = bytearray(a.tobytes())


class FakeSct:
    """Two monitors: a 1280x1024 one left of (negative x) and below the top of a 1920x1080."""

    monitors = [  # noqa: RUF012
        {"left": -1280, "top": 0, "width": 3200, "height": 1080},
        {"left": -1280, "top": 56, "width": 1280, "height": 1024},
        {"left": 0, "top": 0, "width": 1920, "height": 1080, "is_primary": True},
    ]

    def __init__(self) -> None:
        self.grabbed: list[dict[str, int]] = []
        self.closed = False

    def grab(self, mon: dict[str, int]) -> FakeShot:
        self.grabbed.append(dict(mon))
        return FakeShot(mon)

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeSct:
    sct = FakeSct()
    monkeypatch.setattr(capture_mod, "_open_mss", lambda display: sct)
    monkeypatch.setenv("DISPLAY", ":fake")
    monkeypatch.setenv("GUI_AGENT_SCALE", "1.25")
    return sct


def test_fake_multi_monitor_layout(fake: FakeSct) -> None:
    with ScreenCapture() as c:
        mons = c.monitors()
        assert [(m.index, m.rect, m.primary, m.scale) for m in mons] == [
            (1, Rect(-1280, 56, 1280, 1024), False, 1.25),
            (2, Rect(0, 0, 1920, 1080), True, 1.25),
        ]
        assert c.virtual_desktop() == Rect(-1280, 0, 3200, 1080)

        f = c.grab(monitor=1, region=Rect(-1300, 1000, 100, 100))
        assert fake.grabbed[-1] == {"left": -1280, "top": 1000, "width": 80, "height": 80}
        assert f.box == Rect(-1280, 1000, 80, 80) and f.scale == 1.25
        assert tuple(f.pixels[3, 5]) == (5, 3, 7)  # BGRA -> BGR, alpha dropped, not swapped

        with pytest.raises(CaptureRegionError, match="outside the monitor 1"):
            c.grab(monitor=1, region=Rect(0, 0, 10, 10))  # on monitor 2 only
        assert c.grab(region=Rect(-10, 0, 20, 5)).box == Rect(-10, 0, 20, 5)
    assert fake.closed


# -- Frame and validate_pixels --------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        (np.zeros((0, 10, 3), np.uint8), "empty"),
        (np.zeros((10, 10, 5), np.uint8), "wrong channel count: shape (10, 10, 5) has 5"),
        (np.full((4, 4, 3), 200.0), "float pixels outside 0..1"),
        (np.full((4, 4, 3), np.nan, np.float32), "float pixels outside 0..1"),
        ([[0, 0, 0]], "must be a numpy.ndarray"),
        (np.zeros((2, 2, 2, 3), np.uint8), "wrong number of dimensions"),
        (np.zeros((4, 4, 3), np.uint16), "wrong dtype uint16"),
        (np.zeros((4, 4, 3), bool), "wrong dtype bool"),
    ],
    ids=["empty", "5-channels", "float-255", "nan", "list", "4-d", "uint16", "bool"],
)
def test_validate_pixels_errors(bad: Any, words: str) -> None:
    with pytest.raises(FrameError) as info:
        validate_pixels(bad)
    assert words in str(info.value)
    with pytest.raises(FrameError):
        Frame.from_array(bad)


def test_validate_pixels_conversions() -> None:
    bgr = np.arange(4 * 5 * 3, dtype=np.uint8).reshape(4, 5, 3)
    assert validate_pixels(bgr) is bgr  # valid input: no copy
    bgra = np.dstack([bgr, np.full((4, 5), 9, np.uint8)])
    assert np.array_equal(validate_pixels(bgra), bgr)
    gray = np.arange(20, dtype=np.uint8).reshape(4, 5)
    out = validate_pixels(gray)
    assert out.shape == (4, 5, 3) and np.array_equal(out[..., 2], gray)
    assert validate_pixels(gray[..., None]).shape == (4, 5, 3)
    floats = np.full((2, 2, 3), 0.5)
    assert np.all(validate_pixels(floats) == 128)
    strided = bgr[:, ::2]
    assert validate_pixels(strided).flags.c_contiguous


def test_frame_invariants_and_crop() -> None:
    arr = np.zeros((100, 200, 3), np.uint8)
    arr[40:60, 50:70] = (1, 2, 3)
    f = Frame.from_array(arr, origin=Point(1000, 500), timestamp=12.5, scale=1.5)
    assert f.box == Rect(1000, 500, 200, 100) and f.timestamp == 12.5

    c = f.crop(Rect(1050, 540, 20, 20))
    assert c.box == Rect(1050, 540, 20, 20) and c.scale == 1.5 and c.timestamp == 12.5
    assert np.all(c.pixels == (1, 2, 3)) and c.pixels.flags.c_contiguous

    clipped = f.crop(Rect(1150, 450, 100, 100))
    assert clipped.box == Rect(1150, 500, 50, 50)
    rows = f.crop(Rect(0, 520, 5000, 10))  # full-width: a view, no copy
    assert rows.box == Rect(1000, 520, 200, 10) and np.shares_memory(rows.pixels, f.pixels)

    with pytest.raises(FrameError, match="does not overlap"):
        f.crop(Rect(0, 0, 10, 10))
    with pytest.raises(FrameError, match=r"use Frame\.from_array"):
        Frame(np.zeros((4, 4), np.uint8))
    with pytest.raises(FrameError, match=r"use Frame\.from_array"):
        Frame(np.zeros((4, 4, 3), np.uint8)[:, ::2])


def test_display_env_is_read_lazily(display: Xvfb, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY")
    c = ScreenCapture()  # constructing needs no display
    monkeypatch.setenv("DISPLAY", display.display)
    assert c.display == os.environ["DISPLAY"]
    assert c.grab(region=Rect(0, 0, 8, 8)).pixels.shape == (8, 8, 3)
    c.close()
