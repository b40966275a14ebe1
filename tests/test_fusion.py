"""Fusion decides kinds from geometry and text: cases other toolkits showed us (display-free)."""

from __future__ import annotations

import cv2
import numpy as np

from gui_agent.geometry import Rect
from gui_agent.perception.elements import Shape, fuse, propose
from gui_agent.perception.ocr import TextLine
from gui_agent.perception.perceiver import _fences
from gui_agent.perception.state import ElementKind

K = ElementKind


def test_a_long_value_in_a_field_is_not_a_centred_caption() -> None:
    # Chromium's plain <input>: the value starts at the left padding and runs past the
    # middle, so its centre sits near the field's centre; it is still a field
    field = Rect(8, 142, 179, 21)
    value = TextLine(Rect(11, 144, 118, 17), "you@example.com", 0.98)
    kinds = {e.text: e.kind for e in fuse([value], [Shape(field, "rect")])}
    assert kinds["you@example.com"] is K.FIELD


def test_a_centred_caption_is_a_button() -> None:
    box = Rect(100, 100, 80, 26)
    caption = TextLine(Rect(122, 104, 36, 17), "Save", 0.99)
    (el,) = fuse([caption], [Shape(box, "rect")])
    assert el.kind is K.BUTTON and el.box == box and el.label_box == caption.box


def test_a_field_keeps_the_box_of_its_text() -> None:
    field = Rect(8, 142, 179, 21)
    value = TextLine(Rect(11, 144, 60, 17), "Orion", 0.98)
    (el,) = fuse([value], [Shape(field, "rect")])
    assert el.kind is K.FIELD and el.label_box == value.box


def test_a_field_cut_short_by_the_caret_is_whole_again() -> None:
    from gui_agent.perception.detector import Detection

    # the caret after "Alice" closes a region: the geometry's field starts at the caret
    cut = Shape(Rect(123, 106, 629, 21), "rect")
    typed = TextLine(Rect(92, 108, 30, 14), "Alice", 0.97)
    whole = Detection("field", Rect(88, 104, 666, 25), 0.8)
    fields = [e for e in fuse([typed], [cut], [whole]) if e.kind is K.FIELD]
    assert len(fields) == 1
    assert fields[0].box.x <= 92 and fields[0].text == "Alice"


def test_pictograms_read_as_symbols_do_not_label_a_radio() -> None:
    # GTK's thin close glyph is a small circle to the geometry, and OCR reads the next
    # icons as "×α+": that is no label, so the glyph stays an icon
    glyph = Shape(Rect(15, 14, 14, 14), "circle", 0.1)
    symbols = TextLine(Rect(34, 12, 40, 18), "×α+", 0.7)
    kinds = [e.kind for e in fuse([symbols], [glyph])]
    assert K.RADIO not in kinds and K.ICON in kinds


def test_a_radio_with_a_word_is_a_radio() -> None:
    dot = Shape(Rect(15, 14, 14, 14), "circle", 0.2)
    label = TextLine(Rect(34, 12, 30, 18), "Pro", 0.99)
    (el,) = fuse([label], [dot])
    assert el.kind is K.RADIO and el.text == "Pro"


def _small_closed(img: np.ndarray) -> list[Shape]:
    return [s for s in propose(img) if s.closed]


def test_a_ring_that_closes_its_inside_is_a_radio_and_a_rounded_box_a_check_box() -> None:
    """An HTML radio's 1-px ring closes its inside as a check box's square does; the
    inside's corners say which: empty for a ring, filled for a box, rounded and ticked."""
    img = np.full((60, 120, 3), 250, np.uint8)
    cv2.circle(img, (20, 30), 11, (90, 90, 90), 1, cv2.LINE_AA)  # a 23-px radio, off
    cv2.rectangle(img, (60, 21), (77, 38), (150, 20, 150), 2)  # a 17-px box, on
    cv2.rectangle(img, (64, 25), (73, 34), (40, 40, 40), -1)
    for corner in ((60, 21), (77, 21), (60, 38), (77, 38)):  # rounded by 1 px
        img[corner[1], corner[0]] = 250
    shapes = sorted(_small_closed(img), key=lambda s: s.box.x)
    assert [s.form for s in shapes] == ["circle", "square"]
    # both are fences OCR does not read across ("Basic ( ) Pro ( ) Enterprise")
    assert len(_fences(shapes, 0, 0)) == 2
    label = TextLine(Rect(36, 22, 20, 16), "Pro", 0.99)
    kinds = [e.kind for e in fuse([label], shapes[:1])]
    assert kinds == [K.RADIO]
