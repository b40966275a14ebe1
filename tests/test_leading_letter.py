"""A closed outline at the start of a text line is a radio or check box only when OCR did
not read a letter there (elements._split_leading_controls): "B" of "By creating…" drawn
with closed loops is a letter; "O Pro", where OCR read the radio as "O", is a control."""

from __future__ import annotations

from gui_agent.geometry import Rect
from gui_agent.perception.elements import Shape, fuse
from gui_agent.perception.ocr import TextLine
from gui_agent.perception.state import ElementKind as K


def _line(text: str, x0: int, step: int = 9) -> TextLine:
    chars = tuple(x0 + 5 + step * i for i in range(len(text)))
    return TextLine(Rect(x0, 99, step * len(text) + 6, 23), text, 0.95, chars)


def test_a_letter_with_closed_loops_is_no_radio() -> None:
    line = _line("By creating an account you agree to our Terms of Service", 50)
    letter = Shape(Rect(53, 102, 20, 17), "circle")
    els = fuse([line], [letter])
    assert [(e.kind, e.text) for e in els] == [(K.TEXT, line.text)]
    assert els[0].box == line.box


def test_an_indicator_read_as_a_glyph_is_still_a_control() -> None:
    line = _line("O Pro plan", 50)
    radio = Shape(Rect(51, 103, 14, 14), "circle")
    els = fuse([line], [radio])
    assert [(e.kind, e.text) for e in els] == [(K.RADIO, "Pro plan")]


def test_an_indicator_ocr_did_not_read_is_still_a_control() -> None:
    line = TextLine(Rect(50, 99, 120, 23), "Pro plan", 0.95, tuple(range(75, 147, 9)))
    radio = Shape(Rect(51, 103, 14, 14), "circle")
    els = fuse([line], [radio])
    assert [(e.kind, e.text) for e in els] == [(K.RADIO, "Pro plan")]


def test_a_lone_letter_before_the_words_is_the_control_read_as_one() -> None:
    line = _line("C Nightly", 171, step=8)  # Tk's alt-theme radio, read as "C"
    radio = Shape(Rect(174, 103, 14, 14), "circle")
    els = fuse([line], [radio])
    assert [e.kind for e in els] == [K.RADIO]
