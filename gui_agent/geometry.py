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


def merge_overlapping(rects: list[Rect]) -> list[Rect]:
    """Union overlapping rectangles until none overlap."""
    out = list(rects)
    merged = True
    while merged:
        merged = False
        for i in range(len(out)):
            for j in range(i + 1, len(out)):
                if out[i].intersects(out[j]):
                    out[i] = out[i].union(out.pop(j))
                    merged = True
                    break
            if merged:
                break
    return out


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


# -- pictures sent to models ------------------------------------------------------------------
# A model sees a resized copy of a frame and answers in that picture's terms (pixels, a 0-1
# fraction, or thousandths); these helpers are the one place those answers become desktop
# pixels, so a planner or grounder never does its own arithmetic on coordinates.

#: How a model writes a coordinate: pixels of the picture it saw, a 0-1 fraction of its
#: size, or thousandths of it (0-1000, as OS-Atlas and UI-TARS 1.0 do).
CONVENTIONS = ("absolute", "relative", "thousandths")


@dataclass(frozen=True, slots=True)
class ImageBudget:
    """The largest picture a provider takes without resizing it again on its side (which would
    silently change what its pixel coordinates mean): longest side, shortest side and total
    pixels; 0 means no limit. ``multiple`` rounds both sides to a multiple (28 for Qwen2.5-VL
    style encoders, whose own resize is then the identity)."""

    max_side: int = 1568
    max_short: int = 0
    max_pixels: int = 1_150_000
    multiple: int = 1


def fit_size(width: int, height: int, budget: ImageBudget) -> tuple[int, int]:
    """The size a ``width`` x ``height`` frame is sent at: scaled down (never up) so every
    limit of ``budget`` holds, aspect ratio kept as far as rounding allows."""
    if width <= 0 or height <= 0:
        raise ValueError(f"cannot fit an empty picture of {width}x{height}")
    factor = 1.0
    if budget.max_side:
        factor = min(factor, budget.max_side / max(width, height))
    if budget.max_short:
        factor = min(factor, budget.max_short / min(width, height))
    if budget.max_pixels:
        factor = min(factor, (budget.max_pixels / (width * height)) ** 0.5)
    w, h = max(1, int(width * factor)), max(1, int(height * factor))
    m = max(1, budget.multiple)
    if m > 1:
        w, h = max(m, w // m * m), max(m, h // m * m)
    return w, h


@dataclass(frozen=True, slots=True)
class ImageMapping:
    """How a picture sent to a model covers the desktop: ``source`` is the frame's box in
    desktop pixels, ``width`` x ``height`` the picture's size."""

    source: Rect
    width: int
    height: int

    @property
    def sx(self) -> float:
        return self.source.w / self.width

    @property
    def sy(self) -> float:
        return self.source.h / self.height

    def to_screen(self, x: float, y: float, convention: str = "absolute") -> Point:
        """A point the model gave, in ``convention``, as desktop pixels (not clipped: see
        ``on_source``). Picture pixel ``(x, y)`` covers desktop pixels from its top-left."""
        if convention == "relative":
            x, y = x * self.width, y * self.height
        elif convention == "thousandths":
            x, y = x * self.width / 1000, y * self.height / 1000
        elif convention != "absolute":
            raise ValueError(f"unknown coordinate convention {convention!r}; use {CONVENTIONS}")
        return Point(
            self.source.x + int(x * self.sx),
            self.source.y + int(y * self.sy),
        )

    def on_source(self, p: Point) -> bool:
        return self.source.contains_point(p)

    def to_image(self, p: Point) -> tuple[int, int]:
        """A desktop point as picture pixels (where a mark for it is drawn)."""
        return (
            int((p.x - self.source.x) / self.sx),
            int((p.y - self.source.y) / self.sy),
        )

    def rect_to_image(self, r: Rect) -> Rect:
        """A desktop box as a picture box, covering at least one pixel."""
        x0, y0 = self.to_image(Point(r.x, r.y))
        x1 = round((r.right - self.source.x) / self.sx)
        y1 = round((r.bottom - self.source.y) / self.sy)
        return Rect(x0, y0, max(1, x1 - x0), max(1, y1 - y0))


def image_mapping(source: Rect, budget: ImageBudget) -> ImageMapping:
    """The mapping of a frame covering ``source`` sent within ``budget``."""
    w, h = fit_size(source.w, source.h, budget)
    return ImageMapping(source, w, h)
