"""What a field-like box shows at its right end: a spin box's stepper or a combo's drop-down.

Why: to the detector a spin box and an editable combo are the same long framed box with a
small control at the right end, and it mixes them up both ways (held-out date, time and
decimal editors read as combos; combos read as fields). The control itself settles it: a
stepper is an up arrow over a down arrow, or two stacked buttons; a drop-down is one down
arrow at mid-height. This looks only at the right end of a detection, and where it finds
neither it says nothing and the detector's answer stands.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

from gui_agent.geometry import Rect

Control = Literal["stepper", "dropdown"]

# An arrow glyph is wider than tall and fills a triangle's or a chevron's share of its box.
_ARROW_ASPECT = 1.2
_ARROW_FILL = (0.2, 0.8)
# How strongly a glyph's row widths must grow (up arrow) or shrink (down arrow) with height.
_SLOPE = 0.45
# A drop-down arrow sits at mid-height (within 0.06 of the box height in 99% of rendered
# combos); a stepper's down arrow sits lower (0.14 or more in 95% of spin boxes).
_MID_BAND = 0.1


@dataclass(frozen=True, slots=True)
class _Arrow:
    cx: float
    cy: float
    w: int
    up: bool


@dataclass(frozen=True, slots=True)
class _End:
    """The right end of a box, as colour distances to its main colours."""

    diffs: list[np.ndarray]
    x0: int
    y0: int
    box: Rect


def _right_end(bgr: np.ndarray, box: Rect) -> _End | None:
    h_img, w_img = bgr.shape[:2]
    reach = min(box.w * 0.5, 1.6 * box.h)
    x0, x1 = max(0, round(box.right - reach)), min(w_img, round(box.right) + 2)
    y0, y1 = max(0, round(box.y) - 2), min(h_img, round(box.bottom) + 2)
    if x1 - x0 < 6 or y1 - y0 < 8:
        return None
    crop = bgr[y0:y1, x0:x1].astype(np.int16)
    # the two commonest colours: the field's inside and, where it has one, the face of the
    # stepper or drop-down button (arrows are drawn against the button, not the field)
    q = (crop // 8).reshape(-1, 3)
    keys = q[:, 0] * 1024 + q[:, 1] * 32 + q[:, 2]
    values, counts = np.unique(keys, return_counts=True)
    diffs: list[np.ndarray] = []
    for j in np.argsort(-counts)[:2]:
        if diffs and counts[j] < 0.08 * len(keys):
            break
        colour = crop.reshape(-1, 3)[keys == values[j]].mean(axis=0)
        diffs.append(np.abs(crop - colour).max(axis=2).astype(np.uint8))
    return _End(diffs, x0, y0, box)


def _masks(end: _End, cuts: tuple[int, ...], floor: int) -> Iterator[np.ndarray]:
    """Ink masks at fixed cuts and at half the strongest contrast: faint frames and dark
    glyphs next to them need different cuts."""
    for diff in end.diffs:
        top = int(diff.max())
        if top < floor:
            continue
        for cut in sorted({*cuts, max(cuts[0], round(top * 0.45))}):
            yield diff >= cut


def _arrows(end: _End) -> list[_Arrow]:
    h = end.box.h
    out: list[_Arrow] = []
    for ink in _masks(end, (16, 32, 56), 20):
        rh, rw = ink.shape
        n, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
        for i in range(1, n):
            gx, gy, gw, gh, area = (int(v) for v in stats[i])
            if gx == 0 or gy == 0 or gx + gw >= rw or gy + gh >= rh:
                continue  # frames and text cut by the region's edge
            if not (3 <= gh <= 0.5 * h and 4 <= gw <= 0.8 * h and gw >= _ARROW_ASPECT * gh):
                continue
            if not (_ARROW_FILL[0] <= area / (gw * gh) <= _ARROW_FILL[1]):
                continue
            pad = 2  # an arrow stands alone; a letter has neighbours
            if (
                ink[gy : gy + gh, max(0, gx - pad) : gx].any()
                or ink[gy : gy + gh, gx + gw : gx + gw + pad].any()
            ):
                continue
            glyph = labels[gy : gy + gh, gx : gx + gw] == i
            cols = np.arange(gw)
            left = np.where(glyph, cols, gw).min(axis=1)
            right = np.where(glyph, cols, -1).max(axis=1)
            width = np.maximum(right - left + 1, 0).astype(float)
            t = np.arange(gh) - (gh - 1) / 2
            slope = float((t * (width - width.mean())).sum() / (t * t).sum()) * gh / gw
            if abs(slope) > _SLOPE:
                cx, cy = end.x0 + gx + gw / 2, end.y0 + gy + gh / 2
                out.append(_Arrow(cx, cy, gw, up=slope > 0))
    return out


def _stacked_buttons(end: _End, frames: list[np.ndarray]) -> bool:
    """Two closed boxes of one width, one above the other: stepper buttons without arrows."""
    h = end.box.h
    for ink in frames:
        rh, rw = ink.shape
        space = (~ink).astype(np.uint8)
        n, _, stats, _ = cv2.connectedComponentsWithStats(space, connectivity=4)
        holes = []
        for i in range(1, n):
            gx, gy, gw, gh, area = (int(v) for v in stats[i])
            if gx == 0 or gy == 0 or gx + gw >= rw or gy + gh >= rh:
                continue
            sized = 0.15 * h <= gh <= 0.6 * h and max(5, 0.3 * h) <= gw <= 1.6 * h
            if sized and area >= 0.6 * gw * gh:  # a box's inside, an arrow or not
                holes.append((gx, gy, gw, gh))
        for a in holes:
            for b in holes:
                overlap = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
                gap = b[1] - (a[1] + a[3])
                if (
                    b[1] > a[1]
                    and overlap >= 0.75 * max(a[2], b[2])
                    and 0 <= gap <= max(3, 0.25 * h)
                    and 0.6 <= a[3] / b[3] <= 1.67
                    and b[1] + b[3] - a[1] >= 0.45 * h
                ):
                    return True
    return False


def _ledges(end: _End, frames: list[np.ndarray]) -> bool:
    """Two equal lower edges joined by one right edge, the upper one near mid-height: the
    shaded outline of two stacked buttons whose other edges are too faint to close."""
    h = end.box.h
    top = end.box.y - end.y0
    for ink in frames:
        runs = []
        edges = np.diff(np.pad(ink.astype(np.int8), ((0, 0), (1, 1))), axis=1)
        for row, start in zip(*np.nonzero(edges == 1), strict=True):
            stop = int(np.argmax(edges[row, start:] == -1)) + start
            if start > 0 and 0.35 * h <= stop - start <= 1.3 * h:
                runs.append((int(row), int(start), stop))
        for a in runs:
            if not (0.3 * h <= a[0] - top <= 0.7 * h):
                continue
            for b in runs:
                if b[0] - a[0] < 0.25 * h or abs(b[1] - a[1]) > 2 or abs(b[2] - a[2]) > 2:
                    continue
                right = max(a[2], b[2])
                side = ink[a[0] : b[0] + 1, max(0, right - 3) : right].any(axis=1).mean()
                inside = ink[a[0] + 2 : b[0] - 1, max(a[1], b[1]) + 2 : min(a[2], b[2]) - 3]
                if side >= 0.85 and (inside.size == 0 or inside.mean() <= 0.3):
                    return True
    return False


def find_control(bgr: np.ndarray, box: Rect, *, arrows_only: bool = False) -> Control | None:
    """``"stepper"``, ``"dropdown"`` or None (neither is clear) at ``box``'s right end.

    Arrows decide first: an up arrow above a down arrow is a stepper, a lone down arrow at
    mid-height a drop-down. Without arrows, two stacked buttons are a stepper; a caller
    that only asks "is there a drop-down?" skips that slower look (``arrows_only``).
    """
    end = _right_end(bgr, box)
    if end is None:
        return None
    arrows = _arrows(end)
    ups = [a for a in arrows if a.up]
    downs = [a for a in arrows if not a.up]
    mid = box.y + box.h / 2
    for u in ups:
        for d in downs:
            if (
                u.cy < mid <= d.cy + 1
                and abs(u.cx - d.cx) <= max(2, 0.2 * box.h)
                and 0.5 <= u.w / d.w <= 2
            ):
                return "stepper"
    centred = [d.cx for d in downs if abs(d.cy - mid) <= _MID_BAND * box.h]
    if centred and not ups and max(centred) - min(centred) <= max(3, 0.2 * box.h):
        return "dropdown"
    if arrows_only:
        return None
    frames = list(_masks(end, (10, 20, 36), 12))  # button outlines: lower cuts than glyphs
    if _stacked_buttons(end, frames) or _ledges(end, frames):
        return "stepper"
    return None
