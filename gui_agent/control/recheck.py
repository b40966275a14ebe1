"""Pixel checks made right before input: is the control still the one that was judged, and
does a field mask what is typed into it?

Both run on small crops and cost well under a millisecond, so they can run before every
click and every typed text:

* ``same_shapes`` compares the *edges* of a crop then and now. Hovering a button changes its
  fill, not its outline or its letters, so a hover highlight passes; a control swapped for
  another (a "Save draft" that turns into "Delete forever" under the pointer) does not, and
  the executor then perceives the crop again before deciding.
* ``echo_glyphs`` counts what appeared in a field after one probe keystroke: a masked field
  draws a bullet (a small, filled, roughly round blob) where a plain field only moves its
  caret (a 1-2 px line) or drops a placeholder (letters disappearing, not ink appearing).
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["echo_glyphs", "same_shapes"]

# Edges present in one crop and absent (beyond one pixel) from the other, as a share of its
# edges, before the two count as different shapes. Measured on Qt buttons, fields, icons
# and check boxes hovered: 0.000-0.001; "Save draft" swapped for "Delete forever": 0.13.
_EDGE_TOLERANCE = 0.02
_MIN_EDGES = 12


def _edges(bgr: np.ndarray) -> np.ndarray:
    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    return cv2.Canny(gray, 40, 120) > 0


def same_shapes(then: np.ndarray, now: np.ndarray) -> bool:
    """Whether two crops of the same desktop box show the same outlines and letters."""
    if then.shape != now.shape:
        return False
    a, b = _edges(then), _edges(now)
    na, nb = int(a.sum()), int(b.sum())
    if na < _MIN_EDGES and nb < _MIN_EDGES:
        return True  # both (nearly) blank: nothing to tell apart
    kernel = np.ones((3, 3), np.uint8)
    a_near = cv2.dilate(a.astype(np.uint8), kernel) > 0
    b_near = cv2.dilate(b.astype(np.uint8), kernel) > 0
    missing_in_now = float((a & ~b_near).sum()) / max(1, na)
    new_in_now = float((b & ~a_near).sum()) / max(1, nb)
    return missing_in_now <= _EDGE_TOLERANCE and new_in_now <= _EDGE_TOLERANCE


def echo_glyphs(before: np.ndarray, after: np.ndarray, *, strict: bool = True) -> int:
    """How many bullet-like blobs of ink appeared between two crops of a text field.

    ``strict`` asks for a filled, round bullet. Loose (when the field already refused to
    hand over its text, which plain fields never do) any new blob that is not a caret
    counts: some toolkits echo an asterisk, which is neither filled nor round."""
    if before.shape != after.shape or before.size == 0:
        return 0
    h = before.shape[0]
    changed = cv2.absdiff(before, after).max(axis=2) > 40
    if not changed.any():
        return 0
    # Ink in ``after``: far from the field's background (its commonest grey level).
    gray = cv2.cvtColor(after, cv2.COLOR_BGR2GRAY)
    background = int(np.bincount(gray.ravel(), minlength=256).argmax())
    ink = np.abs(gray.astype(np.int16) - background) > 60
    blobs = (changed & ink).astype(np.uint8)
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(blobs, connectivity=8)
    count = 0
    for i in range(1, n):
        w, bh, area = (int(v) for v in stats[i][2:])
        if w < 3 or not 3 <= bh <= 0.8 * h:
            continue
        if not 0.6 <= w / bh <= 1.6:
            continue  # a caret (tall and thin) or a dash
        if strict and area / float(w * bh) < 0.55:
            continue  # a ring ("o", "e") is a letter, not a filled bullet
        count += 1
    return count
