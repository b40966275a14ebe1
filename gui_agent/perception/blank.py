"""Where a frame holds anything at all: the parts of a screen that are not one flat colour.

Why: the text detector costs time in proportion to the pixels it is shown, and much of a
real screen is empty (a calculator in the corner of a maximised browser, the blank page of a
new document, a wide dialog's margins). A flat area holds no text and no control, so
detecting in the rectangles around what is drawn reads exactly what the whole frame would,
for a fraction of the time. The test is deliberately coarse and safe: a tile counts as blank
only if every channel stays within a few grey levels across it, so faint text, thin rules
and gradients all count as content.
"""

from __future__ import annotations

import cv2
import numpy as np

from gui_agent.geometry import Rect, merge_overlapping

TILE = 32  # px; also the text detector's stride, so crops stay aligned to its grid
# A tile whose channels all vary by no more than this (of 255) is blank. Anti-aliased text
# that a person can read differs from its background by far more (light-grey placeholder
# text on white: about 100).
BLANK_RANGE = 10
# Cropping pays only when it drops a good part of the frame, and a few big rectangles
# beat many small ones (every detector call has a fixed cost).
MAX_SHARE = 0.6
MAX_REGIONS = 8
_MIN_SIDE = 128  # smaller images are read whole: nothing to gain


def content_regions(img: np.ndarray) -> list[Rect] | None:
    """Rectangles (image pixels) that hold everything in ``img`` that is not flat, each with
    a blank margin of at least a tile where the image allows; None when reading the whole
    image is as good (too small, mostly content, or content scattered in many islands)."""
    h, w = img.shape[:2]
    if min(h, w) < _MIN_SIDE:
        return None
    gh, gw = -(-h // TILE), -(-w // TILE)
    pix = img if img.ndim == 3 else img[:, :, None]
    c = pix.shape[2]
    # edge padding repeats the last row and column, so it adds no contrast of its own
    padded = np.pad(pix, ((0, gh * TILE - h), (0, gw * TILE - w), (0, 0)), mode="edge")
    # reduce a tile's rows first over contiguous memory, then its columns: ~2 ms at 1080p
    rows = padded.reshape(gh, TILE, gw * TILE * c)
    hi = rows.max(axis=1).reshape(gh, gw, TILE, c).max(axis=2)
    lo = rows.min(axis=1).reshape(gh, gw, TILE, c).min(axis=2)
    spread = hi.astype(np.int16) - lo
    content = (spread.max(axis=-1) > BLANK_RANGE).astype(np.uint8)
    if not content.any():
        return []
    # a tile of margin around everything, which also joins islands one blank tile apart
    grown = cv2.dilate(content, np.ones((3, 3), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(grown, connectivity=8)
    rects = [
        Rect(int(x) * TILE, int(y) * TILE, int(cw) * TILE, int(ch) * TILE).clip(Rect(0, 0, w, h))
        for x, y, cw, ch, _ in stats[1:n]
    ]
    # bounding boxes of L-shaped islands can overlap; each pixel is then read once
    rects = sorted(merge_overlapping(rects), key=lambda r: (r.y, r.x))
    if len(rects) > MAX_REGIONS or sum(r.area for r in rects) > MAX_SHARE * h * w:
        return None
    return rects
