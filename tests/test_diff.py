"""Frame diffing: exactly the tiles that changed, merged into the boxes a person would draw."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Iterator

import numpy as np
import pytest

from gui_agent.errors import FrameError
from gui_agent.geometry import Point, Rect
from gui_agent.headless.xvfb import Xvfb
from gui_agent.screen.capture import ScreenCapture
from gui_agent.screen.diff import changed_fraction, changed_regions, changed_tiles, tile_mask
from gui_agent.screen.frame import Frame


def blank(h: int = 1080, w: int = 1920, origin: Point = Point(0, 0)) -> Frame:  # noqa: B008
    return Frame.from_array(np.full((h, w, 3), 40, np.uint8), origin=origin)


def paint(f: Frame, r: Rect, bgr: tuple[int, int, int] = (0, 0, 255)) -> Frame:
    """A copy of ``f`` with desktop rect ``r`` filled."""
    px = f.pixels.copy()
    px[r.y - f.origin.y : r.bottom - f.origin.y, r.x - f.origin.x : r.right - f.origin.x] = bgr
    return Frame(px, f.origin, f.timestamp + 1, f.scale)


def tiles_of(
    r: Rect,
    tile: int = 32,
    origin: Point = Point(0, 0),  # noqa: B008
    size: tuple[int, int] = (1080, 1920),
) -> list[Rect]:
    """The tile rects (row-major) a desktop rect touches, computed the slow obvious way."""
    out = []
    h, w = size
    for ty in range(0, h, tile):
        for tx in range(0, w, tile):
            cell = Rect(origin.x + tx, origin.y + ty, min(tile, w - tx), min(tile, h - ty))
            if cell.intersects(r):
                out.append(cell)
    return out


def test_identical_frames_have_no_changes() -> None:
    a = blank()
    assert changed_tiles(a, a) == []
    assert changed_regions(a, Frame(a.pixels.copy(), a.origin)) == []
    assert changed_fraction(a, a) == 0.0


def test_drawn_rectangle_gives_exactly_its_tiles() -> None:
    a = blank()
    r = Rect(100, 70, 71, 70)  # x 100..170 -> tile cols 3..5, y 70..139 -> rows 2..4
    b = paint(a, r)
    tiles = changed_tiles(a, b)
    assert tiles == tiles_of(r)
    assert len(tiles) == 9
    assert tiles[0] == Rect(96, 64, 32, 32) and tiles[-1] == Rect(160, 128, 32, 32)
    assert changed_regions(a, b) == [Rect(96, 64, 96, 96)]
    assert changed_regions(a, b)[0].contains(r)
    assert changed_fraction(a, b) == pytest.approx(9 * 32 * 32 / (1920 * 1080))


def test_single_pixel_and_edge_tiles() -> None:
    a = blank()
    b = paint(a, Rect(1919, 1079, 1, 1))
    # 1080 = 33*32 + 24: the bottom row of tiles is 24 px tall and never leaves the frame.
    assert changed_tiles(a, b) == [Rect(1888, 1056, 32, 24)]
    assert changed_fraction(a, b) == pytest.approx(32 * 24 / (1920 * 1080))
    c = paint(a, Rect(0, 0, 1, 1))
    assert changed_tiles(a, c) == [Rect(0, 0, 32, 32)]


def test_threshold_is_strict_and_per_channel() -> None:
    a = blank()
    for delta, hit in [(8, False), (9, True)]:
        px = a.pixels.copy()
        px[500, 700, 1] += delta  # green only
        tiles = changed_tiles(a, Frame(px))
        assert tiles == ([Rect(672, 480, 32, 32)] if hit else [])
    px = a.pixels.copy()
    px[500, 700, 2] -= 9  # a darker pixel counts the same as a brighter one
    assert changed_tiles(a, Frame(px)) == [Rect(672, 480, 32, 32)]
    assert changed_tiles(a, Frame(px), threshold=9) == []


def test_results_are_in_cur_desktop_coordinates() -> None:
    origin = Point(-1280, 56)
    a = blank(300, 400, origin)
    r = Rect(-1200, 100, 10, 10)  # frame-relative (80, 44): tile col 2, row 1
    b = paint(a, r)
    assert changed_tiles(a, b) == [Rect(-1280 + 64, 56 + 32, 32, 32)]
    assert changed_regions(a, b) == [Rect(-1216, 88, 32, 32)]
    # Plain arrays sit at (0, 0).
    assert changed_tiles(a.pixels, b.pixels) == [Rect(64, 32, 32, 32)]


def test_gap_controls_merging() -> None:
    a = blank()
    left = Rect(0, 0, 32, 32)  # tile (0, 0)
    one_apart = Rect(64, 0, 32, 32)  # tile (0, 2): one empty tile between
    two_apart = Rect(96, 64, 32, 32)  # tile (2, 3): diagonal, one empty row between
    b = paint(paint(a, left), one_apart)
    assert changed_regions(a, b, gap=1) == [Rect(0, 0, 96, 32)]
    assert sorted(changed_regions(a, b, gap=0), key=lambda r: r.x) == [left, one_apart]

    c = paint(a, left)
    c = paint(c, Rect(96, 0, 32, 32))  # tile (0, 3): two empty tiles between
    assert len(changed_regions(a, c, gap=1)) == 2
    assert changed_regions(a, c, gap=2) == [Rect(0, 0, 128, 32)]

    d = paint(paint(a, one_apart), two_apart)
    assert changed_regions(a, d, gap=0) != [Rect(64, 0, 64, 96)]
    assert changed_regions(a, d, gap=1) == [Rect(64, 0, 64, 96)]

    touching = paint(paint(a, Rect(0, 0, 32, 32)), Rect(32, 32, 32, 32))  # diagonal
    assert changed_regions(a, touching, gap=0) == [Rect(0, 0, 64, 64)]


def test_regions_sorted_largest_first() -> None:
    a = blank()
    b = paint(paint(a, Rect(1480, 900, 10, 10)), Rect(100, 100, 300, 200))
    regions = changed_regions(a, b, gap=0)
    assert len(regions) == 2
    assert regions[0].contains(Rect(100, 100, 300, 200))
    assert regions[1] == Rect(1472, 896, 32, 32)


def test_different_shapes_mean_everything_changed() -> None:
    a = blank(100, 100)
    b = blank(120, 100, Point(5, 6))
    whole = Rect(5, 6, 100, 120)
    assert changed_tiles(a, b) == [whole]
    assert changed_regions(a, b) == [whole]
    assert changed_fraction(a, b) == 1.0
    assert tile_mask(a, b) is None


def test_bad_inputs() -> None:
    a = blank(64, 64)
    with pytest.raises(FrameError, match="wrong channel count"):
        changed_tiles(a, np.zeros((64, 64, 5), np.uint8))
    with pytest.raises(ValueError, match="tile"):
        changed_tiles(a, a, tile=0)
    with pytest.raises(ValueError, match="threshold"):
        changed_tiles(a, a, threshold=300)
    with pytest.raises(ValueError, match="gap"):
        changed_regions(a, a, gap=-1)


def test_odd_tile_sizes_and_small_frames() -> None:
    a = blank(10, 7)
    b = paint(a, Rect(6, 9, 1, 1))
    assert changed_tiles(a, b, tile=32) == [Rect(0, 0, 7, 10)]
    assert changed_tiles(a, b, tile=3) == [Rect(6, 9, 1, 1)]
    assert changed_fraction(a, b, tile=3) == pytest.approx(1 / 70)
    big = blank(1000, 1000)
    r = Rect(333, 250, 100, 17)
    assert changed_tiles(big, paint(big, r), tile=50) == tiles_of(r, 50, size=(1000, 1000))


def test_diff_is_fast() -> None:
    rng = np.random.default_rng(0)
    a = Frame(rng.integers(0, 256, (1080, 1920, 3), np.uint8))
    b = paint(a, Rect(700, 500, 100, 40))
    times = []
    for _ in range(15):
        t = time.perf_counter()
        changed_regions(a, b)
        times.append(time.perf_counter() - t)
    # Target is < 5 ms on 2 cores; the bound is loose so a busy CI box does not flake.
    assert statistics.median(times) < 0.05


# -- on a real screen ------------------------------------------------------------------------


@pytest.fixture
def xroot(display: Xvfb) -> Iterator[object]:
    """A python-xlib connection to the session Xvfb's root window (held open: Xvfb resets,
    wiping the root, when its last client leaves)."""
    from Xlib import display as xdisplay

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XAUTHORITY", os.devnull)  # python-xlib insists on a file; Xvfb needs none
        for attempt in range(100):  # a resetting Xvfb refuses connections for a moment
            try:
                dpy = xdisplay.Display(display.display)
                break
            except Exception:
                if attempt == 99:
                    raise
                time.sleep(0.02)
    yield dpy
    dpy.close()


def _fill(dpy: object, r: Rect, rgb: int) -> None:
    root = dpy.screen().root  # type: ignore[attr-defined]
    gc = root.create_gc(foreground=rgb)
    root.fill_rectangle(gc, r.x, r.y, r.w, r.h)
    gc.free()
    dpy.sync()  # type: ignore[attr-defined]


def test_diff_of_real_captures(xroot: object) -> None:
    _fill(xroot, Rect(0, 0, 1920, 1080), 0x202020)
    with ScreenCapture() as cap:
        before = cap.grab()
        region_before = cap.grab(region=Rect(300, 200, 400, 300))
        drawn = Rect(450, 330, 90, 50)  # cols 14..16, rows 10..11
        _fill(xroot, drawn, 0x33CC66)
        after = cap.grab()
        region_after = cap.grab(region=Rect(300, 200, 400, 300))
        again = cap.grab()

    assert changed_tiles(before, after) == tiles_of(drawn)
    assert changed_regions(before, after) == [Rect(448, 320, 96, 64)]
    # A region grab: tiles start at the region's origin, results stay in desktop coords.
    tiles = changed_tiles(region_before, region_after)
    assert tiles == tiles_of(drawn, origin=Point(300, 200), size=(300, 400))
    (box,) = changed_regions(region_before, region_after)
    assert box.contains(drawn) and box == Rect(428, 328, 128, 64)
    # Two grabs of an unchanged screen: nothing.
    assert changed_tiles(after, again) == [] and changed_fraction(after, again) == 0.0
