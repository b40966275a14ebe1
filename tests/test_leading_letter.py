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


# "( ) All pages (o) Current page" (Chromium, held-out favicon pages): the text detector's
# box for the second label starts on the last letter of the first, and the recogniser reads
# the radio between them as "O"
_ALL = TextLine(
    Rect(136, 183, 67, 23), "All pages", 0.98, (143, 147, 161, 166, 170, 175, 184, 193, 207)
)
_CURRENT_CHARS = (204, 209, 230, 240, 246, 256, 261, 272, 277, 288, 293, 304, 309, 314, 325, 335)


def test_a_radio_after_the_tail_of_the_word_before_it_is_a_radio() -> None:
    line = TextLine(Rect(201, 181, 142, 26), "s O Current page", 0.91, _CURRENT_CHARS)
    radio = Shape(Rect(218, 184, 20, 20), "circle", fill=0.39)
    els = fuse([_ALL, line], [radio])
    assert [(e.kind, e.text) for e in els] == [(K.TEXT, "All pages"), (K.RADIO, "Current page")]
    current = els[1]
    assert current.box == radio.box and current.checked
    assert current.label_box is not None and current.label_box.x == radio.box.right + 1


def test_a_line_whose_head_no_other_line_holds_is_left_whole() -> None:
    # without a line that holds the "s", the head may be a word of its own: nothing is cut,
    # and the line through the circle keeps it from being a radio
    line = TextLine(Rect(201, 181, 142, 26), "s O Current page", 0.91, _CURRENT_CHARS)
    radio = Shape(Rect(218, 184, 20, 20), "circle", fill=0.39)
    els = fuse([line], [radio])
    assert [(e.kind, e.text) for e in els] == [(K.TEXT, "s O Current page")]
    # nor is a line whose glyph is not on the circle
    shifted = Shape(Rect(260, 184, 20, 20), "circle", fill=0.39)
    assert K.RADIO not in [e.kind for e in fuse([_ALL, line], [shifted])]


@pytest.mark.parametrize(("dy", "kind"), [(0, K.CHECKBOX), (9, K.CHECKBOX), (18, K.ICON)])
def test_an_indicator_is_level_with_its_words(dy: int, kind: K) -> None:
    # a square the edges close in a textured background on the row's lower edge, below a
    # sidebar's title, is no check box of the title's (held-out favicon pages)
    words = TextLine(Rect(56, 498, 88, 31), "Display", 0.99, (65, 78, 90, 102, 108, 121, 133))
    square = Shape(Rect(30, 507 + dy, 14, 13), "square", closed=True)
    els = fuse([words], [square])
    assert kind in [e.kind for e in els]


def test_an_indicator_centred_on_a_label_in_two_lines_is_beside_it() -> None:
    # a table row's check box centred on its cell's two lines, "a is" over "them": OCR's
    # "a" was taken for a radio, so the label left is the second line, whose top lies below
    # the box's middle (held-out favicon pages)
    first = TextLine(Rect(144, 535, 48, 22), "a is", 0.97, (155, 164, 172, 181))
    second = TextLine(Rect(142, 557, 72, 29), "them", 0.99, (151, 162, 179, 197))
    box = Shape(Rect(61, 542, 25, 26), "square", closed=True)
    letter = Shape(Rect(147, 538, 15, 16), "circle", fill=0.68)
    els = fuse([first, second], [box, letter])
    assert (K.CHECKBOX, "them") in [(e.kind, e.text) for e in els]
    # the same box beside the second line alone is below its middle: no control of it
    alone = fuse([second], [Shape(Rect(61, 520, 25, 26), "square")])
    assert K.CHECKBOX not in [e.kind for e in alone]
