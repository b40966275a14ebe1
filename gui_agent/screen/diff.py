"""What changed between two frames, as tile-aligned desktop rectangles.

The agent waits for the UI to settle and re-runs perception only where pixels changed, so
this runs on every captured frame and must stay cheap: one ``cv2.absdiff`` pass, one
vectorised per-tile max, and tiny arrays after that (about 0.3 ms per 1080p frame pair).

Rules shared by every function here:

* A pixel changed when any channel differs by more than ``threshold`` (strictly), which
  ignores compression/dithering noise but catches a caret or a 1 px border.
* Results are in the desktop coordinates of ``cur``; ``prev`` is compared pixel for pixel
  (only shapes must match, origins are not compared). Plain arrays sit at origin (0, 0).
* Frames of different shapes (a resized window crop, another monitor) cannot be compared:
  that counts as *everything changed*, i.e. one Rect covering ``cur``, never an error,
  because the caller's right reaction is the same as for a full repaint.
* Tiles at the right/bottom edges may be smaller than ``tile``; rectangles never extend
  past ``cur``.
"""

from __future__ import annotations

import cv2
import numpy as np

from gui_agent.geometry import Point, Rect
from gui_agent.screen.frame import Frame, validate_pixels

__all__ = ["changed_fraction", "changed_regions", "changed_tiles", "tile_mask"]

FrameLike = Frame | np.ndarray


def _unpack(f: FrameLike) -> tuple[np.ndarray, Point]:
    if isinstance(f, Frame):
        return f.pixels, f.origin
    return validate_pixels(f), Point(0, 0)


def _check_args(tile: int, threshold: int) -> None:
    if tile < 1:
        raise ValueError(f"tile must be >= 1 px, got {tile}")
    if not 0 <= threshold <= 255:
        raise ValueError(f"threshold must be in 0..255, got {threshold}")


def tile_mask(
    prev: FrameLike, cur: FrameLike, tile: int = 32, threshold: int = 8
) -> tuple[np.ndarray, Point, tuple[int, int]] | None:
    """Boolean ``(ceil(H/tile), ceil(W/tile))`` mask of changed tiles, ``cur``'s origin and
    ``(H, W)``; None when the shapes differ (see the module docstring: all changed)."""
    _check_args(tile, threshold)
    a, _ = _unpack(prev)
    b, origin = _unpack(cur)
    h, w = b.shape[:2]
    if a.shape != b.shape:
        return None
    # Treat each row as W*3 bytes: channels and columns reduce together below.
    d = cv2.absdiff(a, b).reshape(h, w * 3)
    full = h // tile
    rows = []
    if full:
        # max over the rows of each tile band: a reshape + contiguous reduce, ~10x faster
        # than np.maximum.reduceat along axis 0.
        rows.append(d[: full * tile].reshape(full, tile, w * 3).max(axis=1))
    if h % tile:
        rows.append(d[full * tile :].max(axis=0, keepdims=True))
    band = rows[0] if len(rows) == 1 else np.vstack(rows)
    per_tile = np.maximum.reduceat(band, np.arange(0, w * 3, tile * 3), axis=1)
    return per_tile > threshold, origin, (h, w)


def _tile_rect(
    ty: int, tx: int, ty1: int, tx1: int, tile: int, origin: Point, size: tuple[int, int]
) -> Rect:
    """Desktop rect of tiles [ty..ty1] x [tx..tx1] (inclusive), clipped to the frame."""
    h, w = size
    x0, y0 = tx * tile, ty * tile
    x1, y1 = min((tx1 + 1) * tile, w), min((ty1 + 1) * tile, h)
    return Rect(origin.x + x0, origin.y + y0, x1 - x0, y1 - y0)


def _whole(cur: FrameLike) -> Rect:
    b, origin = _unpack(cur)
    return Rect(origin.x, origin.y, int(b.shape[1]), int(b.shape[0]))


def changed_tiles(
    prev: FrameLike, cur: FrameLike, tile: int = 32, threshold: int = 8
) -> list[Rect]:
    """Every ``tile`` x ``tile`` cell (desktop coords of ``cur``) with a changed pixel,
    row-major; ``[]`` when nothing changed, ``[cur's box]`` when the shapes differ."""
    res = tile_mask(prev, cur, tile, threshold)
    if res is None:
        return [_whole(cur)]
    mask, origin, size = res
    ys, xs = np.nonzero(mask)
    return [
        _tile_rect(int(y), int(x), int(y), int(x), tile, origin, size)
        for y, x in zip(ys, xs, strict=True)
    ]


def changed_regions(
    prev: FrameLike, cur: FrameLike, tile: int = 32, threshold: int = 8, gap: int = 1
) -> list[Rect]:
    """Changed tiles merged into bounding boxes, largest first.

    Tiles that touch (8-connected) always merge; ``gap`` is how many unchanged tiles may lie
    between two changed ones and still merge (0 = touching only), so a dialog redrawn in
    patches comes back as one box. Boxes are tile-aligned and hug the changed tiles only
    (the gap padding is not included); ``[cur's box]`` when the shapes differ.
    """
    if gap < 0:
        raise ValueError(f"gap must be >= 0 tiles, got {gap}")
    res = tile_mask(prev, cur, tile, threshold)
    if res is None:
        return [_whole(cur)]
    mask, origin, size = res
    if not mask.any():
        return []
    m8: np.ndarray = mask.astype(np.uint8)
    if gap:
        # Grow each tile by `gap` tiles towards the bottom-right only: two tiles `gap` apart
        # then touch, two tiles `gap + 1` apart still do not.
        kernel = np.ones((gap + 1, gap + 1), np.uint8)
        m8 = cv2.dilate(m8, kernel, anchor=(gap, gap))
    count, labels = cv2.connectedComponents(m8, connectivity=8)
    ys, xs = np.nonzero(mask)
    lab: np.ndarray = np.asarray(labels, dtype=np.intp)[ys, xs]
    # Per-label bounding boxes of the *original* changed tiles (dilation only links them).
    big = np.iinfo(np.int64).max
    y0 = np.full(count, big, np.int64)
    x0 = np.full(count, big, np.int64)
    y1 = np.full(count, -1, np.int64)
    x1 = np.full(count, -1, np.int64)
    np.minimum.at(y0, lab, ys)
    np.minimum.at(x0, lab, xs)
    np.maximum.at(y1, lab, ys)
    np.maximum.at(x1, lab, xs)
    rects = [
        _tile_rect(int(y0[i]), int(x0[i]), int(y1[i]), int(x1[i]), tile, origin, size)
        for i in range(1, count)
        if y1[i] >= 0
    ]
    rects.sort(key=lambda r: (-r.area, r.y, r.x))
    return rects


def changed_fraction(prev: FrameLike, cur: FrameLike, tile: int = 32, threshold: int = 8) -> float:
    """Share (0..1) of ``cur``'s area covered by changed tiles; 1.0 when shapes differ.

    Area-weighted, so the smaller edge tiles count for what they cover.
    """
    res = tile_mask(prev, cur, tile, threshold)
    if res is None:
        return 1.0
    mask, _, (h, w) = res
    if not mask.any():
        return 0.0
    col_w = np.minimum(tile, w - np.arange(mask.shape[1]) * tile)
    row_h = np.minimum(tile, h - np.arange(mask.shape[0]) * tile)
    changed = int(row_h @ (mask.astype(np.int64) @ col_w))
    return changed / float(h * w)
