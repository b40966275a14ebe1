"""A closed outline at the start of a text line is a radio or check box only when OCR did
not read a letter there (elements._split_leading_controls): "B" of "By creating…" drawn
with closed loops is a letter; "O Pro", where OCR read the radio as "O", is a control."""

from __future__ import annotations

import pytest

from gui_agent.geometry import Rect
from gui_agent.perception.detector import Detection
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


def test_a_letter_inside_a_word_cut_at_its_counter_is_no_radio() -> None:
    # "CONTINUE" in a large serif: the "O"'s counter cut the line into "C" and "NTINUE"
    head = TextLine(Rect(551, 190, 20, 24), "C", 0.9, (558,))
    tail = TextLine(Rect(589, 190, 108, 24), "NTINUE", 0.9, (601, 621, 631, 645, 670, 690))
    letter = Shape(Rect(571, 191, 18, 19), "circle")
    els = fuse([head, tail], [letter])
    assert all(e.kind is K.TEXT for e in els)
    # ... and "an account", whose "n" is a closed square beside "account"
    word = TextLine(Rect(293, 11, 32, 25), "an", 0.9, (300, 315))
    rest = TextLine(Rect(333, 11, 101, 25), "account", 0.9, (341, 356, 371, 381, 396, 411))
    els = fuse([word, rest], [Shape(Rect(310, 18, 12, 15), "square", fill=0.4)])
    assert all(e.kind is K.TEXT for e in els)


def test_a_mark_and_caption_inside_a_detected_button_are_the_buttons() -> None:
    line = _line("OPEN", 442, step=20)
    letter = Shape(Rect(444, 102, 20, 21), "circle")
    button = Detection("button", Rect(353, 88, 332, 47), 0.35)
    els = fuse([line], [letter], [button])
    assert [(e.kind, e.text) for e in els] == [(K.BUTTON, "OPEN")]
    # a detection too unsure to overrule the geometry leaves the radio
    weak = Detection("button", Rect(353, 88, 332, 47), 0.2)
    assert K.RADIO in [e.kind for e in fuse([line], [letter], [weak])]


@pytest.mark.parametrize("gap", [14, 1, 0])
def test_the_next_choice_in_a_row_is_still_a_control(gap: int) -> None:
    # "( ) Daily  ( ) Weekly": the first label ends a word's gap before the second radio, or
    # right at it (Chromium's radios have a 3-px margin and OCR pads its box)
    daily = TextLine(Rect(112, 341, 38, 19), "Daily", 0.95, (118, 125, 133, 137, 144))
    x = daily.box.right + gap
    weekly = TextLine(Rect(x + 20, 341, 52, 19), "Weekly", 0.95, (x + 29, x + 37, x + 48))
    radios = [Shape(Rect(92, 339, 20, 20), "circle"), Shape(Rect(x, 339, 20, 20), "circle")]
    els = fuse([daily, weekly], radios)
    assert [(e.kind, e.text) for e in els] == [(K.RADIO, "Daily"), (K.RADIO, "Weekly")]


@pytest.mark.parametrize(
    ("text", "box"),
    [
        ("are", (858, 191, 12, 15)),  # the "a" drawn 12 x 15 (Chromium, held-out Material)
        ("or and", (932, 581, 12, 14)),
        ("Olivia", (255, 328, 22, 19)),
        ("of for", (823, 330, 19, 16)),
    ],
)
def test_a_letter_an_indicator_is_read_as_is_the_words_own_when_it_goes_on_lower_case(
    text: str, box: tuple[int, int, int, int]
) -> None:
    x, _, w, h = box
    line = _line(text, x - 3)
    els = fuse([line], [Shape(Rect(x, 102, w, h), "circle")])
    assert [(e.kind, e.text) for e in els] == [(K.TEXT, text)]


@pytest.mark.parametrize("text", ["Osmall", "Oword wrap", "ODaily", "aDaily"])
def test_a_square_indicator_glued_to_its_label_stays_a_control(text: str) -> None:
    # lower-case labels exist ("small", "center"): a round indicator as wide as tall is no
    # letter, whatever follows it
    line = _line(text, 124, step=13)
    els = fuse([line], [Shape(Rect(129, 103, 17, 17), "circle")])
    assert [e.kind for e in els] == [K.RADIO]
