"""The indicator check: real Qt check boxes and radios, rendered by the synthetic generator in
both splits (Fusion and Windows styles, light, dark and tinted palettes, 1x-1.5x)."""

from __future__ import annotations

from collections import Counter

import numpy as np

from gui_agent.geometry import Rect
from gui_agent.perception.detector import Detection, by_indicator
from gui_agent.perception.indicator import find_indicator, is_bare
from tests.synthetic_screens import Screens

SHAPE = {"checkbox": "square", "radio": "round"}


def _indicators(screens: Screens) -> list[tuple[np.ndarray, str, Rect]]:
    return [
        (img, b[0], Rect.from_ltrb(*b[1:5]))
        for img, boxes in screens
        for b in boxes
        if b[0] in SHAPE
    ]


def test_the_drawn_shape_tells_a_check_box_from_a_radio(synthetic_screens: Screens) -> None:
    seen: Counter[str] = Counter()
    bare: list[float] = []
    for img, cls, box in _indicators(synthetic_screens):
        ind = find_indicator(img, box)
        if ind is None:
            seen["none"] += 1
            continue
        seen["right" if ind.shape == SHAPE[cls] else "wrong"] += 1
        if is_bare(box):  # a bare indicator: its outline is the widget
            bare.append(ind.rect.iou(box))
        else:  # a labelled one: the indicator is at its left end, not a glyph of the label
            assert ind.rect.x <= box.x + 0.3 * box.h + 2 and ind.rect.h <= box.h + 2
    total = sum(seen.values())
    assert total >= 60 and len(bare) >= 3, (seen, bare)
    # never the other class; on the faintest held-out palettes it may see nothing clear
    assert seen["wrong"] == 0, seen
    assert seen["right"] >= 0.8 * total, seen
    # a clipped radio whose outline runs into a frame line shows only its dot
    assert sum(i >= 0.5 for i in bare) >= 0.85 * len(bare), bare


def test_detections_take_the_class_and_bare_box_of_their_indicator(
    synthetic_screens: Screens,
) -> None:
    samples = [
        (img, cls, box)
        for img, cls, box in _indicators(synthetic_screens)
        if find_indicator(img, box)
    ]
    bare = next((s for s in samples if is_bare(s[2])), None)
    labelled = next(s for s in samples if s[2].w >= 3 * s[2].h)
    assert bare is not None, "no bare indicator in 80 screens"

    # the net's two mistakes: a check box read as a radio (or the other way round) ...
    img, cls, box = labelled
    wrong = "radio" if cls == "checkbox" else "checkbox"
    [fixed] = by_indicator(img, [Detection(wrong, box, 0.6)])
    assert (fixed.cls, fixed.box, fixed.score) == (cls, box, 0.6)
    # ... and a bare indicator's box drawn twice its size, with a second peak on it
    img, cls, box = bare
    big = Rect(box.x - box.w // 2, box.y - box.h // 2, box.w * 2, box.h * 2)
    assert big.iou(box) < 0.5
    out = by_indicator(img, [Detection(cls, big, 0.5), Detection(cls, box, 0.3)])
    assert len(out) == 1 and out[0].cls == cls and out[0].box.iou(box) >= 0.5, out


def test_without_a_clear_indicator_the_detection_stands() -> None:
    panel = np.full((120, 300, 3), 235, np.uint8)
    flat = Detection("checkbox", Rect(20, 40, 120, 22), 0.4)
    other = Detection("button", Rect(150, 40, 90, 28), 0.9)
    assert by_indicator(panel, [flat, other]) == [flat, other]
    assert find_indicator(panel, flat.box) is None
    assert find_indicator(panel[:5, :5], Rect(0, 0, 5, 5)) is None  # smaller than any indicator


def test_the_leading_mark_is_the_first_thing_drawn_whole_and_centred() -> None:
    """The classifier is asked about the favicon beside a title wherever the detector's box
    began: a square around the first mark, not the box's left end nor the title."""
    import cv2

    from gui_agent.perception.indicator import leading_mark

    img = np.full((60, 300, 3), 245, np.uint8)
    cv2.circle(img, (40, 30), 7, (40, 40, 40), 2)  # a lens: ring and handle
    cv2.line(img, (45, 35), (51, 41), (40, 40, 40), 2)
    cv2.putText(img, "Search", (62, 38), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (20, 20, 20), 1)
    box = Rect(22, 14, 150, 32)  # the net's box starts 10 px before the lens
    mark = leading_mark(img, box)
    assert mark is not None and mark.w == mark.h
    assert mark.contains(Rect(33, 23, 19, 19)), mark  # the whole lens ...
    assert mark.right < 66, mark  # ... and none of the title
    assert leading_mark(np.full((60, 300, 3), 245, np.uint8), box) is None  # nothing drawn
