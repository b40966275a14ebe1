"""Logical <-> physical conversions: the one place HiDPI scaling happens must round-trip."""

from __future__ import annotations

import pytest

from gui_agent.geometry import (
    Monitor,
    Point,
    Rect,
    rect_to_logical,
    rect_to_physical,
    to_logical,
    to_physical,
)

MONITORS = [
    Monitor(1, Rect(0, 0, 2400, 1350), scale=1.25, primary=True),
    Monitor(1, Rect(0, 0, 2880, 1620), scale=1.5, primary=True),
    # A secondary monitor right of a 1920 px one and lower by 120 px, scaled 1.5.
    Monitor(2, Rect(1920, 120, 2880, 1620), scale=1.5),
    # Left of the primary: negative virtual-desktop coordinates.
    Monitor(3, Rect(-2400, -60, 2400, 1350), scale=1.25),
]


@pytest.mark.parametrize("mon", MONITORS, ids=lambda m: f"{m.rect.x},{m.rect.y}@{m.scale}")
def test_point_round_trip_physical_logical_physical(mon: Monitor) -> None:
    r = mon.rect
    samples = [
        Point(r.x, r.y),
        Point(r.right - 1, r.bottom - 1),
        Point(r.x + 1, r.y + 1),
        Point(r.x + 637, r.y + 211),
        r.center,
    ]
    for p in samples:
        lx, ly = to_logical(p, mon)
        assert to_physical(lx, ly, mon) == p


@pytest.mark.parametrize("mon", MONITORS, ids=lambda m: f"{m.rect.x},{m.rect.y}@{m.scale}")
def test_logical_coordinates_are_relative_to_the_monitor_origin(mon: Monitor) -> None:
    # The monitor's own origin is fixed; 100 logical px from it are 100*scale physical px.
    assert to_logical(Point(mon.rect.x, mon.rect.y), mon) == (mon.rect.x, mon.rect.y)
    p = to_physical(mon.rect.x + 100, mon.rect.y + 40, mon)
    assert p == Point(mon.rect.x + round(100 * mon.scale), mon.rect.y + round(40 * mon.scale))


@pytest.mark.parametrize("scale", [1.25, 1.5])
def test_logical_grid_round_trips_exactly(scale: float) -> None:
    mon = Monitor(2, Rect(1920, 120, 2880, 1620), scale=scale)
    for lx in range(1920, 1920 + 400, 7):
        for ly in range(120, 120 + 200, 11):
            p = to_physical(lx, ly, mon)
            back = to_logical(p, mon)
            # Physical px are finer than logical ones: back within half a physical pixel
            # (exactly half on .5 ties, hence the epsilon).
            tol = 0.5 / scale + 1e-9
            assert back[0] == pytest.approx(lx, abs=tol)
            assert back[1] == pytest.approx(ly, abs=tol)
            # ... and physical -> logical -> physical is exact.
            assert to_physical(*back, mon) == p


@pytest.mark.parametrize("mon", MONITORS, ids=lambda m: f"{m.rect.x},{m.rect.y}@{m.scale}")
def test_rect_round_trip(mon: Monitor) -> None:
    box = Rect(mon.rect.x + 40, mon.rect.y + 80, 300, 120)
    logical = rect_to_logical(box, mon)
    assert logical[2] == pytest.approx(300 / mon.scale)
    assert logical[3] == pytest.approx(120 / mon.scale)
    assert rect_to_physical(logical, mon) == box


def test_scale_one_is_identity() -> None:
    mon = Monitor(2, Rect(1920, 0, 1280, 1024), scale=1.0)
    p = Point(2000, 500)
    assert to_logical(p, mon) == (2000, 500)
    assert to_physical(2000, 500, mon) == p
