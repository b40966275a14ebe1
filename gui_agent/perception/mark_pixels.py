"""What is drawn at a mark: silhouettes to tell whether two marks look alike, and the
drawings perception reported nothing for (beside a text, or at the start of its box).

Why a module of its own: ``choice_siblings`` decides from the layout (runs of marks), and
this is the one place that reads pixels for it, so the thresholds on ink, size and
likeness live together and are tested on drawn shapes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from gui_agent.geometry import Rect

# Two marks look alike when their silhouettes (what their outlines enclose) overlap by this
# share of their union and are as large within a pixel: a toolkit draws every indicator of a
# kind at one size, so a radio off, on and hovered are alike, while favicons that are all
# roughly square differ by a few pixels or in outline. Compared at ``_LOOK`` px, cut from a
# square ``_CROP`` times the mark's side; ink is this far from the background (0-255).
ALIKE = 0.9
_SIZE_SLACK = 1
_LOOK, _CROP, _INK = 24, 1.25, 30
# inside the outline: a rim this wide (px at ``_LOOK``) is the outline's own; an inside
# inked over less than this share is empty; two insides alike overlap by this share
_RIM, _EMPTY, _INSIDE_ALIKE = 3, 0.03, 0.5
# a drawing's own colour: its ink this percentile of contrast and above
_STRONG = 70
# a mark ends where a blank gap this share of its line's height begins (a glyph's own gaps
# are narrower; the space before its words is wider)
_WORDS_GAP = 0.15
# a tab's close button: looked for this many mark heights right of the title; an × is
# this share of the mark's side at least, within this aspect, looked at this many px
# square, with this share of its ink on the two diagonals
_CLOSE_REACH, _CROSS_MIN, _SQUARE_ISH, _CROSS_LOOK, _CROSS_SHARE = 4.0, 0.35, 1.35, 11, 0.85
# half the width of a diagonal stroke at that size, px
_STROKE = 2
# a round mark's inside: the ellipse this share of its outline's half-sides about its centre
# (clear of the ring); looked at only for an outline this many px at least that fills this
# share of the box it was reported in; this many inked px there at least make a drawing, and
# one whose 180-degree turn covers less than this share of it is no radio's dot
_INSIDE, _MIN_RING, _RING_FILLS, _MIN_DRAWING, _TURNS_ONTO = 0.55, 13, 0.7, 4, 0.75
# a closed outline encloses at least this many times its own ink (a thin ring about three
# times; an open arc, or a disc, about once)
_ENCLOSES = 1.8


@dataclass(frozen=True, slots=True)
class Silhouette:
    """What a mark's outline encloses, scaled to ``_LOOK`` px square, and its size in px."""

    mask: np.ndarray
    w: int
    h: int
    # the ink inside the outline, at the same scale, less a rim of ``_RIM`` px: an
    # indicator's mark (a tick, a dot) or nothing; a favicon's drawing
    inside: np.ndarray = field(default_factory=lambda: np.zeros((_LOOK, _LOOK), bool))


def silhouette(bgr: np.ndarray) -> Silhouette:
    """The filled outline of everything drawn in ``bgr`` (ink against the median of its
    border), cut to its bounding box and scaled to ``_LOOK`` px square."""
    empty = Silhouette(np.zeros((_LOOK, _LOOK), bool), 0, 0)
    if bgr.size == 0:
        return empty
    ink = ink_mask(bgr)
    contours, _ = cv2.findContours(ink, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return empty
    filled = np.zeros_like(ink)
    cv2.drawContours(filled, contours, -1, 1, thickness=cv2.FILLED)
    ys, xs = np.nonzero(filled)
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    cut = filled[y0:y1, x0:x1]
    mask = cv2.resize(cut * 255, (_LOOK, _LOOK), interpolation=cv2.INTER_AREA) >= 128
    drawn_in = cv2.resize(ink[y0:y1, x0:x1] * 255, (_LOOK, _LOOK), interpolation=cv2.INTER_AREA)
    rim = np.ones((2 * _RIM + 1, 2 * _RIM + 1), np.uint8)
    inner = cv2.erode(mask.astype(np.uint8), rim, borderType=cv2.BORDER_CONSTANT, borderValue=0)
    return Silhouette(mask, cut.shape[1], cut.shape[0], inner.astype(bool) & (drawn_in >= 128))


def ink_mask(bgr: np.ndarray) -> np.ndarray:
    """1 where a pixel is ``_INK`` or more from the median of the crop's border."""
    return (_contrast(bgr) >= _INK).astype(np.uint8)


def _contrast(bgr: np.ndarray) -> np.ndarray:
    """How far each pixel is from the median of the crop's border (largest channel, 0-255)."""
    x = bgr[:, :, :3].astype(np.int16)
    border = np.concatenate([x[0], x[-1], x[:, 0], x[:, -1]])
    return np.abs(x - np.median(border, axis=0)).max(axis=2)


def alike(a: Silhouette, b: Silhouette) -> bool:
    """The same outline at the same size: an indicator on, off or hovered, or the same icon."""
    if not (a.w and b.w):
        return False
    if abs(a.w - b.w) > _SIZE_SLACK or abs(a.h - b.h) > _SIZE_SLACK:
        return False
    union = int((a.mask | b.mask).sum())
    return union > 0 and int((a.mask & b.mask).sum()) >= ALIKE * union


def same_group(a: Silhouette, b: Silhouette) -> bool:
    """``alike``, and drawn alike inside unless one of them is empty there: two indicators
    of a group, one off (empty) and one on (a tick, a dot), or both in one state. Two small
    favicons share a roundish or squarish outline at 16 px, but each draws its own picture
    in it (a shield's tick, an envelope's flap)."""
    if not alike(a, b):
        return False
    ia, ib = int(a.inside.sum()), int(b.inside.sum())
    if min(ia, ib) <= _EMPTY * _LOOK * _LOOK:
        return True
    return int((a.inside & b.inside).sum()) >= _INSIDE_ALIKE * int((a.inside | b.inside).sum())


def drawn(pixels: np.ndarray, box: Rect, origin: Rect) -> bool:
    """Something compact is drawn in ``box``: ink at least half its side each way, that does
    not run across the whole look (a field's border, a rule, a picture)."""
    sq = _look_square(box.translate(-origin.x, -origin.y))
    h, w = pixels.shape[:2]
    if not Rect(0, 0, w, h).contains(sq):
        return False
    ink = ink_mask(pixels[sq.y : sq.bottom, sq.x : sq.right])
    ys, xs = np.nonzero(ink)
    if not len(xs):
        return False
    iw, ih = xs.max() - xs.min() + 1, ys.max() - ys.min() + 1
    return 0.5 * max(box.w, box.h) <= min(iw, ih) and max(iw, ih) < sq.w


def leading(pixels: np.ndarray, words: Rect, mark: Rect, origin: Rect) -> Rect | None:
    """The drawing at the start of ``words`` that OCR took in, as large as ``mark`` within
    30% each way and followed by a blank gap of a fifth of its width (a space, not
    the pixel or two between letters), or None."""
    band = words.translate(-origin.x, -origin.y)
    h, w = pixels.shape[:2]
    y0, y1 = max(0, band.y - 2), min(h, band.bottom + 2)
    x0, x1 = max(0, band.x - 2), min(w, band.x + 3 * mark.w)
    if y1 - y0 < 4 or x1 - x0 < 4:
        return None
    cols = np.asarray(ink_mask(pixels[y0:y1, x0:x1]).any(axis=0), bool)
    run = _first_run(cols, max(3, round(0.2 * mark.w)))
    if run is None or not (0.7 * mark.w <= run[1] - run[0] <= 1.3 * mark.w):
        return None
    start, end = run
    ink = ink_mask(pixels[y0:y1, x0 + start : x0 + end])
    rows = np.nonzero(ink.any(axis=1))[0]
    if not len(rows) or not (0.7 * mark.h <= rows[-1] - rows[0] + 1 <= 1.3 * mark.h):
        return None
    return Rect(
        origin.x + x0 + start,
        origin.y + y0 + int(rows[0]),
        end - start,
        int(rows[-1] - rows[0] + 1),
    )


def mark_then_words(
    pixels: np.ndarray, box: Rect, words: Rect, origin: Rect
) -> tuple[Rect, int] | None:
    """The square about the first drawing from the left of ``box``, and the x where the next
    one (the words) begins, or None when nothing follows it. For a mark whose box took in
    the start of its words and whose words took in the mark (OCR read a favicon as a letter
    of its title): where each really is. A gap of ``_WORDS_GAP`` times the box's height
    ends the mark; a glyph's own gaps are narrower."""
    b, t = box.translate(-origin.x, -origin.y), words.translate(-origin.x, -origin.y)
    h, w = pixels.shape[:2]
    y0, y1 = max(0, b.y), min(h, b.bottom)
    x0, x1 = max(0, min(b.x, t.x) - 2), min(w, max(b.right, t.right))
    if y1 - y0 < 4 or x1 - x0 < 4:
        return None
    ink = ink_mask(pixels[y0:y1, x0:x1])
    cols = np.asarray(ink.any(axis=0), bool)
    run = _first_run(cols, max(3, round(_WORDS_GAP * (y1 - y0))))
    if run is None or not cols[run[1] :].any():
        return None
    start, end = run
    after = end + int(np.argmax(cols[end:]))
    rows = np.flatnonzero(ink[:, start:end].any(axis=1))
    top, bottom = int(rows[0]), int(rows[-1]) + 1
    side = max(end - start, bottom - top)  # a flat glyph (an arc arrow) sits in a square
    cx, cy = x0 + (start + end) / 2, y0 + (top + bottom) / 2
    mark = Rect(round(cx - side / 2), round(cy - side / 2), side, side)
    return mark.translate(origin.x, origin.y), origin.x + x0 + after


def _first_run(cols: np.ndarray, gap: int) -> tuple[int, int] | None:
    """The first drawing along a strip's inked columns ``cols``: its first column and one
    past its last, where ``gap`` blank columns begin inside the strip; None when nothing is
    inked or no such gap ends it."""
    inked = np.flatnonzero(cols)
    if not len(inked):
        return None
    start = int(inked[0])
    end = next((i for i in range(start + 1, len(cols) - gap) if not cols[i : i + gap].any()), None)
    return None if end is None else (start, end)


def look_at(pixels: np.ndarray, box: Rect) -> Silhouette:
    """The silhouette of what is drawn in a square ``_CROP`` times ``box``'s side around its
    centre (``box`` in ``pixels``' own coordinates), as much of it as lies in the frame."""
    h, w = pixels.shape[:2]
    sq = _look_square(box).clip(Rect(0, 0, w, h))
    return silhouette(pixels[sq.y : sq.bottom, sq.x : sq.right])


def _look_square(box: Rect) -> Rect:
    """The square a mark is looked at in: ``_CROP`` times its side, about its centre."""
    side = max(2, round(_CROP * max(box.w, box.h)))
    return Rect(round(box.cx - side / 2), round(box.cy - side / 2), side, side)


def close_after(pixels: np.ndarray, mark: Rect, words: Rect, origin: Rect) -> bool:
    """The first drawing right of ``words``, on ``mark``'s rows, is a close button's ×: a
    tab's favicon, title and close button (the × is centred on the tab's middle, as the
    favicon is, whether the title takes one line or two)."""
    b = mark.translate(-origin.x, -origin.y)
    h, w = pixels.shape[:2]
    y0, y1 = max(0, b.y - 2), min(h, b.bottom + 2)
    x0 = max(words.right, mark.right) - origin.x + 1
    x1 = min(w, x0 + round(_CLOSE_REACH * b.h))
    if y1 - y0 < 4 or x1 - x0 < 4:
        return False
    ink = ink_mask(pixels[y0:y1, x0:x1])
    cols = np.asarray(ink.any(axis=0), bool)
    run = _first_run(cols, 2)
    if run is None:
        return False
    drawing = ink[:, run[0] : run[1]]
    rows = np.flatnonzero(drawing.any(axis=1))
    return is_cross(drawing[rows[0] : rows[-1] + 1], b.h)


def lopsided_inside(pixels: np.ndarray, box: Rect, origin: Rect) -> bool:
    """What is drawn inside the round mark at ``box`` is not symmetric about its centre.

    Why: a radio's inside is empty or holds a dot at its centre, whatever the toolkit (a
    3D-shaded ring is lit from one side, but its inside still is), so turned half a turn it
    falls on itself; a favicon drawn in a ring or an octagon (a face, a bell, "!", a letter)
    does not. Only the inside is looked at: the outline itself may be lit from one side.
    Where no closed outline about the box's size is found, it says nothing (False): an open
    one (a ring lit from one side, only half of it ink, its dot touching it) says nothing of
    where its centre is.
    """
    local = box.translate(-origin.x, -origin.y)
    h, w = pixels.shape[:2]
    sq = _look_square(local).clip(Rect(0, 0, w, h))
    if sq.w < 4 or sq.h < 4:
        return False
    ink = ink_mask(pixels[sq.y : sq.bottom, sq.x : sq.right])
    ring = _closed_ring_about(ink, sq.w / 2, sq.h / 2)
    if ring is None:
        return False
    x, y, rw, rh = ring
    if max(rw, rh) < max(_MIN_RING, _RING_FILLS * max(box.w, box.h)):
        return False
    cx, cy = x + (rw - 1) / 2, y + (rh - 1) / 2
    yy, xx = np.indices(ink.shape)
    inside = ((xx - cx) / (_INSIDE * rw / 2)) ** 2 + ((yy - cy) / (_INSIDE * rh / 2)) ** 2 <= 1
    drawing = ink.astype(bool) & inside
    ys, xs = np.nonzero(drawing)
    if len(xs) < _MIN_DRAWING:
        return False
    # the centre to half a pixel: an outline's anti-aliased edge moves its box by one
    best = 0.0
    for dx in (-0.5, 0.0, 0.5):
        for dy in (-0.5, 0.0, 0.5):
            tx = np.round(2 * (cx + dx) - xs).astype(int)
            ty = np.round(2 * (cy + dy) - ys).astype(int)
            ok = (tx >= 0) & (ty >= 0) & (tx < ink.shape[1]) & (ty < ink.shape[0])
            best = max(best, float(drawing[ty[ok], tx[ok]].sum()) / len(xs))
    return best < _TURNS_ONTO


def _closed_ring_about(ink: np.ndarray, cx: float, cy: float) -> tuple[int, int, int, int] | None:
    """The box (x, y, w, h) of the largest drawing in ``ink`` whose box holds (cx, cy) (the
    mark's outline, not a letter of its label beside it), when that drawing closes around an
    inside of its own; None when there is none or it is open."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    best = 0
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i][:4])
        if x <= cx <= x + w and y <= cy <= y + h and (not best or w * h > _area(stats[best])):
            best = i
    if not best:
        return None
    drawing = (labels == best).astype(np.uint8)
    outer, _ = cv2.findContours(drawing, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    filled = np.zeros_like(drawing)
    cv2.drawContours(filled, outer, -1, 1, thickness=cv2.FILLED)
    if int(filled.sum()) < _ENCLOSES * int(drawing.sum()):
        return None
    x, y, w, h = (int(v) for v in stats[best][:4])
    return x, y, w, h


def _area(stat: np.ndarray) -> int:
    return int(stat[2]) * int(stat[3])


def is_cross(ink: np.ndarray, side: int) -> bool:
    """``ink`` (cut to its drawing) is an ×: two strokes along its diagonals and nothing
    else, smaller than a mark of ``side`` px and about square."""
    h, w = ink.shape
    if not (_CROSS_MIN * side <= max(h, w) <= side + 1) or max(h, w) > _SQUARE_ISH * min(h, w):
        return False
    n = _CROSS_LOOK
    look = cv2.resize(ink.astype(np.uint8) * 255, (n, n), interpolation=cv2.INTER_AREA) >= 128
    i, j = np.indices((n, n))
    main, anti = np.abs(i - j) <= _STROKE, np.abs(i + j - (n - 1)) <= _STROKE
    total = int(look.sum())
    if total == 0 or int((look & (main | anti)).sum()) < _CROSS_SHARE * total:
        return False
    along = [int((look & band).any(axis=1).sum()) for band in (main, anti)]
    return min(along) >= n - 2


def ink_colour(pixels: np.ndarray, box: Rect, origin: Rect) -> np.ndarray | None:
    """The colour ``box``'s drawing is inked in (BGR), or None when nothing is drawn there:
    the median of its most contrasting ink (anti-aliased edges are a blend with the
    background), against the median of a border 2 px outside the box."""
    h, w = pixels.shape[:2]
    r = box.translate(-origin.x, -origin.y).expand(2).clip(Rect(0, 0, w, h))
    if r.w < 3 or r.h < 3:
        return None
    crop = pixels[r.y : r.bottom, r.x : r.right, :3]
    far = _contrast(crop)
    ink = far >= _INK
    if int(ink.sum()) < 3:
        return None
    strong = ink & (far >= np.percentile(far[ink], _STRONG))
    return np.asarray(np.median(crop[strong], axis=0))
