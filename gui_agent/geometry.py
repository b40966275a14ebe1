"""Rectangles, points and the one place where logical (HiDPI) and physical pixels meet.

Everything that crosses a module boundary is in *screen pixels of the virtual desktop*:
physical pixels, origin at the top-left of the bounding box of all monitors as X reports it.
Logical coordinates (what a toolkit with a scale factor uses) are converted here and only here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Point:
    x: int
    y: int

    def offset(self, dx: int, dy: int) -> Point:
        return Point(self.x + dx, self.y + dy)


@dataclass(frozen=True, slots=True)
class Rect:
    """Axis-aligned box, half-open: covers x <= px < x + w, y <= py < y + h."""

    x: int
    y: int
    w: int
    h: int

    @staticmethod
    def from_ltrb(left: float, top: float, right: float, bottom: float) -> Rect:
        lx, ty = round(left), round(top)
        return Rect(lx, ty, max(0, round(right) - lx), max(0, round(bottom) - ty))

    @property
    def left(self) -> int:
        return self.x

    @property
    def top(self) -> int:
        return self.y

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h

    @property
    def area(self) -> int:
        return self.w * self.h

    @property
    def center(self) -> Point:
        return Point(self.x + self.w // 2, self.y + self.h // 2)

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    def is_empty(self) -> bool:
        return self.w <= 0 or self.h <= 0

    def contains_point(self, p: Point) -> bool:
        return self.x <= p.x < self.right and self.y <= p.y < self.bottom

    def contains(self, other: Rect) -> bool:
        return (
            self.x <= other.x
            and self.y <= other.y
            and other.right <= self.right
            and other.bottom <= self.bottom
        )

    def intersection(self, other: Rect) -> Rect:
        left, top = max(self.x, other.x), max(self.y, other.y)
        right, bottom = min(self.right, other.right), min(self.bottom, other.bottom)
        if right <= left or bottom <= top:
            return Rect(left, top, 0, 0)
        return Rect(left, top, right - left, bottom - top)

    def intersects(self, other: Rect) -> bool:
        return not self.intersection(other).is_empty()

    def union(self, other: Rect) -> Rect:
        return Rect.from_ltrb(
            min(self.x, other.x),
            min(self.y, other.y),
            max(self.right, other.right),
            max(self.bottom, other.bottom),
        )

    def iou(self, other: Rect) -> float:
        inter = self.intersection(other).area
        union = self.area + other.area - inter
        return inter / union if union > 0 else 0.0

    def overlap_ratio(self, other: Rect) -> float:
        """Share of *this* box covered by ``other`` (0..1)."""
        return self.intersection(other).area / self.area if self.area else 0.0

    def expand(self, dx: int, dy: int | None = None) -> Rect:
        dy = dx if dy is None else dy
        return Rect(self.x - dx, self.y - dy, self.w + 2 * dx, self.h + 2 * dy)

    def translate(self, dx: int, dy: int) -> Rect:
        return Rect(self.x + dx, self.y + dy, self.w, self.h)

    def clip(self, bounds: Rect) -> Rect:
        return self.intersection(bounds)

    def as_tuple(self) -> tuple[int, int, int, int]:
        return (self.x, self.y, self.w, self.h)


@dataclass(frozen=True, slots=True)
class Monitor:
    """One physical monitor, placed in the virtual desktop (physical pixels)."""

    index: int
    rect: Rect
    scale: float = 1.0
    primary: bool = False


def to_logical(p: Point, monitor: Monitor) -> tuple[float, float]:
    """Physical virtual-desktop pixels -> logical coordinates of a toolkit scaled by the monitor."""
    return (
        monitor.rect.x + (p.x - monitor.rect.x) / monitor.scale,
        monitor.rect.y + (p.y - monitor.rect.y) / monitor.scale,
    )


def to_physical(x: float, y: float, monitor: Monitor) -> Point:
    """Logical coordinates on ``monitor`` -> physical virtual-desktop pixels."""
    return Point(
        round(monitor.rect.x + (x - monitor.rect.x) * monitor.scale),
        round(monitor.rect.y + (y - monitor.rect.y) * monitor.scale),
    )


def rect_to_physical(r: tuple[float, float, float, float], monitor: Monitor) -> Rect:
    """A logical (x, y, w, h) box on ``monitor`` -> physical virtual-desktop pixels."""
    tl = to_physical(r[0], r[1], monitor)
    br = to_physical(r[0] + r[2], r[1] + r[3], monitor)
    return Rect(tl.x, tl.y, br.x - tl.x, br.y - tl.y)


def rect_to_logical(r: Rect, monitor: Monitor) -> tuple[float, float, float, float]:
    x0, y0 = to_logical(Point(r.x, r.y), monitor)
    x1, y1 = to_logical(Point(r.right, r.bottom), monitor)
    return (x0, y0, x1 - x0, y1 - y0)
