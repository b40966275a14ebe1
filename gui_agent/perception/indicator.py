"""The drawn indicator of a check box or radio: where it is and whether it is square or round.

Why: the detector sees a 13-px indicator through a stride-4 stem, and on dark or tinted
palettes it sometimes reads a check box as a radio, or draws a bare indicator's box twice
its size. The pixels settle both: a check box's indicator is a square (corners filled), a
radio's a circle (corners empty), and its outline is where the box belongs. This looks
only inside and around a detection, so it costs about 0.2 ms per check box; where the
pixels are not clear it says nothing and the detector's answer stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

from gui_agent.geometry import Rect

Shape = Literal["square", "round"]

# A bare indicator is 11-26 px on screen at 1x-2x; smaller outlines are glyph parts.
_MIN_SIDE = 9
# Corner fill of the outline's bounding square: a square (even with 2-3 px rounded
# corners) fills most of its corners, a circle almost none. Between the two: no answer.
_SQUARE_FILL = 0.6
_ROUND_FILL = 0.3
# the leading mark: how far right of a box's left end it may reach (in box heights), the
# ink contrast that counts, and the widest gap inside one mark (in box heights)
_MARK_REACH = 1.6
_MARK_INK = 30
_MARK_GAP = 0.15


@dataclass(frozen=True, slots=True)
class Indicator:
    rect: Rect
    shape: Shape


def is_bare(box: Rect) -> bool:
    """A box about as wide as tall: an indicator without a label (or a too-large box of one)."""
    return box.w < 1.6 * box.h


def _background(crop: np.ndarray) -> np.ndarray:
    """The crop's background colour: the median of its border pixels."""
    border = np.concatenate([crop[0], crop[-1], crop[:, 0], crop[:, -1]])
    out: np.ndarray = np.median(border, axis=0)
    return out


def corner_fill(mask: np.ndarray) -> float:
    """Filled share of the four corner patches of a filled outline's bounding square."""
    h, w = mask.shape
    k = max(2, round(min(h, w) / 5))
    corners = (mask[:k, :k], mask[:k, -k:], mask[-k:, :k], mask[-k:, -k:])
    return float(sum(int(c.sum()) for c in corners)) / (4 * k * k)


def leading_mark(bgr: np.ndarray, box: Rect) -> Rect | None:
    """The square around the first thing drawn at ``box``'s left end, or None where nothing is.

    Why: what perception took for a check box or radio is named by the icon classifier,
    which must see the mark at the indicator end whole and centred: a favicon or a lens
    beside its text, wherever the detector's box happened to begin. The mark is the first
    run of ink columns from the box's left (gaps within a glyph are narrower than the gap to
    the label), within the box's height and a little more than its height to the right.
    """
    h_img, w_img = bgr.shape[:2]
    x0, y0 = max(0, round(box.x) - 2), max(0, round(box.y))
    x1 = min(w_img, round(box.x + _MARK_REACH * box.h) + 2)
    y1 = min(h_img, round(box.bottom))
    if x1 - x0 < 3 or y1 - y0 < 3:
        return None
    crop = bgr[y0:y1, x0:x1].astype(np.int16)
    ink = np.abs(crop - _background(crop)).max(axis=2) >= _MARK_INK
    cols = np.flatnonzero(ink.any(axis=0))
    if len(cols) == 0:
        return None
    gap = max(2.0, _MARK_GAP * (y1 - y0))
    start = end = int(cols[0])
    for c in cols[1:]:
        if c - end > gap:
            break
        end = int(c)
    rows = np.flatnonzero(ink[:, start : end + 1].any(axis=1))
    left, right = x0 + start, x0 + end + 1
    top, bottom = y0 + int(rows[0]), y0 + int(rows[-1]) + 1
    side = round(1.15 * max(right - left, bottom - top)) + 2
    cx, cy = (left + right) / 2, (top + bottom) / 2
    return Rect(round(cx - side / 2), round(cy - side / 2), side, side)


def find_indicator(bgr: np.ndarray, box: Rect) -> Indicator | None:
    """The left-most clear square or circle outline in and around ``box``, if any.

    ``box`` is a detection: a whole check box (indicator and label) or a bare indicator,
    possibly too large or a few pixels off. The indicator is the left-most closed outline
    about as tall as the box's text line; text glyphs are thinner, open or smaller.
    """
    h_img, w_img = bgr.shape[:2]
    m = max(3, round(box.h * 0.3))
    lo, hi = _MIN_SIDE, max(_MIN_SIDE, box.h * 1.15)
    bare = is_bare(box)
    # a labelled check box starts at its indicator; a bare one is the indicator
    reach = box.right + m if bare else box.x + 0.3 * box.h + 2
    x0, y0 = max(0, round(box.x) - m), max(0, round(box.y) - m)
    x1 = min(w_img, round(box.right) + m, round(reach + hi) + 2)  # the label's text is no help
    y1 = min(h_img, round(box.bottom) + m)
    if x1 - x0 < _MIN_SIDE + 2 or y1 - y0 < _MIN_SIDE + 2:
        return None
    crop = bgr[y0:y1, x0:x1].astype(np.int16)
    diff = np.abs(crop - _background(crop)).max(axis=2).astype(np.uint8)
    top = int(diff.max())
    if top < 12:
        return None
    best: tuple[float, float, Indicator] | None = None
    # faint frames (a light grey square on a light window) need a low cut, dark glyphs
    # next to them a high one; the left-most clear outline at any cut wins
    for cut in sorted({10, 20, 36, max(10, round(top * 0.45))}):
        mask = (diff >= cut).astype(np.uint8)
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for c in contours:
            cx, cy, cw, ch = cv2.boundingRect(c)
            side = max(cw, ch)
            if not (lo <= side <= hi) or min(cw, ch) < 0.85 * side:
                continue
            left, centre_y = x0 + cx, y0 + cy + ch / 2
            if not (box.y - 2 <= centre_y <= box.bottom + 2) or not (box.x - m <= left <= reach):
                continue
            filled = np.zeros((ch, cw), np.uint8)
            cv2.drawContours(filled, [c], -1, 1, thickness=-1, offset=(-cx, -cy))
            if filled.mean() < 0.6:  # not a closed outline around its own inside
                continue
            fill = corner_fill(filled)
            if fill >= _SQUARE_FILL:
                shape: Shape = "square"
            elif fill <= _ROUND_FILL:
                shape = "round"
            else:
                continue
            found = Indicator(Rect(left, y0 + cy, cw, ch), shape)
            if best is None or left < best[0] - 2 or (left <= best[0] + 2 and side > best[1]):
                best = (left, side, found)
    return best[2] if best else None
