"""A check box or radio the recogniser reads as a letter of its words is those words
(``choice_reads.letters_read``): drawn lines read by the real recogniser, display-free, then
the whole of perception on held-out pages from headless Chromium where the "O" of "Open"
and the "o" inside "network" were reported as radios.

What must hold: a letter at the start of a word, or inside one, gives its word back whole
(and the piece of the word read apart on its left joins it); a real indicator, a ring or a
box with its words a normal gap after it, stays a choice, however the recogniser reads it.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from gui_agent.geometry import Rect
from gui_agent.perception import perceiver as perceiver_module
from gui_agent.perception.choice_reads import _letter_at, letters_read
from gui_agent.perception.mark_pixels import ink_colour
from gui_agent.perception.ocr import OcrEngine
from gui_agent.perception.perceiver import Perceiver
from gui_agent.perception.state import Element, ElementKind
from gui_agent.training.synth.dataset import screen_seed
from tests.synthetic_screens import choice_truth, render_glyph_favicon_pages

ORIGIN = Rect(0, 0, 0, 0)
SIZE = 18


@pytest.fixture(scope="module")
def ocr() -> OcrEngine:
    return OcrEngine()


def _canvas() -> tuple[Image.Image, ImageDraw.ImageDraw, ImageFont.FreeTypeFont]:
    img = Image.new("RGB", (520, 60), (245, 245, 245))
    font = ImageFont.load_default(size=SIZE)
    assert isinstance(font, ImageFont.FreeTypeFont)  # Pillow bundles one since 10.1
    return img, ImageDraw.Draw(img), font


def _ink(draw: ImageDraw.ImageDraw, font: ImageFont.FreeTypeFont, x: int, s: str) -> Rect:
    """Draw ``s`` at ``x`` and answer its ink box."""
    draw.text((x, 15), s, fill=(40, 40, 40), font=font)
    left, top, right, bottom = draw.textbbox((x, 15), s, font=font)
    return Rect.from_ltrb(left, top, right, bottom)


def _letter_split(word: str, rest: str) -> tuple[np.ndarray, Element]:
    """``word + rest`` drawn as one line, and the radio the geometry would make of its first
    letter with the remaining words as its label."""
    img, draw, font = _canvas()
    line = _ink(draw, font, 20, word + rest)
    first = draw.textbbox((20, 15), word[0], font=font)
    letter = Rect.from_ltrb(*first)
    label = Rect.from_ltrb(letter.right + 1, line.y, line.right, line.bottom)
    radio = Element(1, ElementKind.RADIO, letter, (word[1:] + rest).strip(), 0.9, label)
    return np.ascontiguousarray(np.asarray(img)[:, :, ::-1]), radio


@pytest.mark.parametrize(("word", "rest"), [("Open", " in new window"), ("Only", " once")])
def test_a_letter_taken_for_a_radio_is_its_word(ocr: OcrEngine, word: str, rest: str) -> None:
    pixels, radio = _letter_split(word, rest)
    out = letters_read([radio], pixels, ORIGIN, ocr)
    assert [e.kind for e in out] == [ElementKind.TEXT], out
    assert out[0].text == word + rest
    assert out[0].box.contains(radio.box) and out[0].label_box is None


def test_a_letter_inside_a_word_joins_the_piece_read_apart(ocr: OcrEngine) -> None:
    img, draw, font = _canvas()
    line = _ink(draw, font, 20, "network will")
    head = Rect.from_ltrb(*draw.textbbox((20, 15), "netw", font=font))
    o = Rect.from_ltrb(*draw.textbbox((20, 15), "netwo", font=font))
    letter = Rect.from_ltrb(head.right, o.y, o.right, o.bottom)
    label = Rect.from_ltrb(letter.right + 1, line.y, line.right, line.bottom)
    piece = Element(1, ElementKind.TEXT, Rect.from_ltrb(line.x, line.y, head.right, line.bottom),
                    "netw", 0.9)  # fmt: skip
    radio = Element(2, ElementKind.RADIO, letter, "rk will", 0.9, label)
    pixels = np.ascontiguousarray(np.asarray(img)[:, :, ::-1])
    out = letters_read([piece, radio], pixels, ORIGIN, ocr)
    assert [(e.kind, e.text) for e in out] == [(ElementKind.TEXT, "network will")], out


@pytest.mark.parametrize("mark", ["ring", "box"])
@pytest.mark.parametrize("gap", [5, 9])
def test_a_real_indicator_stays_a_choice(ocr: OcrEngine, mark: str, gap: int) -> None:
    img, draw, font = _canvas()
    side = 16
    box = Rect(20, 20, side, side)
    shape = [box.x, box.y, box.right - 1, box.bottom - 1]
    if mark == "ring":
        draw.ellipse(shape, outline=(60, 60, 60), width=2)
    else:
        draw.rectangle(shape, outline=(60, 60, 60), width=2)
    words = _ink(draw, font, box.right + gap, "Yes please")
    kind = ElementKind.RADIO if mark == "ring" else ElementKind.CHECKBOX
    choice = Element(1, kind, box, "Yes please", 0.9, words)
    pixels = np.ascontiguousarray(np.asarray(img)[:, :, ::-1])
    assert letters_read([choice], pixels, ORIGIN, ocr) == [choice]


def test_a_choice_without_words_beside_it_is_not_read(ocr: OcrEngine) -> None:
    img, draw, font = _canvas()
    _ink(draw, font, 20, "Open in new window")

    class Refuses:
        def recognize_lines(self, *_: object) -> list[tuple[str, float, tuple[int, ...]]]:
            raise AssertionError("nothing to read")

    pixels = np.ascontiguousarray(np.asarray(img)[:, :, ::-1])
    alone = Element(1, ElementKind.RADIO, Rect(20, 15, 16, 20), "", 0.9, None)
    far = Element(2, ElementKind.CHECKBOX, Rect(20, 15, 16, 20), "window", 0.9,
                  Rect(300, 15, 80, 20))  # fmt: skip
    assert letters_read([alone, far], pixels, ORIGIN, Refuses()) == [alone, far]


# held-out favicon pages (``bench/detector.py --only favicon_glyphs``) where letters were
# radios: "O" of "Output" and "Open in new window" (twice), "o" of "network" (seed
# 5000003, screen 111), "O" of "Or All" (3000003, 62)
LETTER_PAGES = tuple(screen_seed(s, i) for s, i in ((5000003, 111), (3000003, 62)))
# and pages of real radios that the recogniser reads as "O" right before their words
# ("OJPEG", "OYes", "OLeft")
GROUP_PAGES = tuple(screen_seed(s, i) for s, i in ((1000003, 20), (1000003, 65), (4000003, 109)))


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[np.ndarray, list[Rect]]]:
    """(screen, boxes of its real check boxes and radios) per page, from Chromium."""
    screens = render_glyph_favicon_pages(
        tmp_path_factory.mktemp("letters"), (*LETTER_PAGES, *GROUP_PAGES)
    )
    return [(img, [b for _, b in choice_truth(boxes)]) for img, boxes in screens]


def test_perception_reports_no_choice_at_a_letter_and_keeps_real_ones(
    pages: list[tuple[np.ndarray, list[Rect]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    perceiver = Perceiver(OcrEngine())
    kinds = (ElementKind.CHECKBOX, ElementKind.RADIO)

    def count(img: np.ndarray, truth: list[Rect]) -> tuple[int, int, list[str]]:
        state = perceiver.perceive(img, incremental=False)
        choices = [e for e in state.elements if e.kind in kinds]
        real = sum(any(t.contains_point(e.box.center) for t in truth) for e in choices)
        texts = [e.text for e in state.elements if e.kind is ElementKind.TEXT]
        return real, len(choices) - real, texts

    after = [count(img, truth) for img, truth in pages]
    monkeypatch.setattr(perceiver_module, "letters_read", lambda elements, *_: elements)
    before = [count(img, truth) for img, truth in pages]
    print(f"(real, fake) choices per page, without the rule {[b[:2] for b in before]}, "
          f"with it {[a[:2] for a in after]}")  # fmt: skip
    n = len(LETTER_PAGES)
    assert sum(f for _, f, _ in before[:n]) >= 5, before  # what this test is about
    assert sum(f for _, f, _ in after[:n]) == 0, after
    assert "Open in new window" in after[0][2] and "Open in new window" not in before[0][2]
    assert all(a[0] >= b[0] for a, b in zip(after, before, strict=True)), (before, after)
    assert sum(b[0] for b in before[n:]) >= 6, before  # the real ones are found at all


def test_a_mark_is_inked_as_its_words_only_when_drawn_in_their_colour() -> None:
    img, draw, font = _canvas()
    words = _ink(draw, font, 60, "JPEG")
    ring = Rect(38, words.y, words.h, words.h)
    draw.ellipse([ring.x, ring.y, ring.right - 1, ring.bottom - 1], outline=(140, 50, 120), width=2)
    letter = _ink(draw, font, 200, "O")
    pixels = np.ascontiguousarray(np.asarray(img)[:, :, ::-1])
    ink = ink_colour(pixels, words, ORIGIN)
    ring_ink, letter_ink = ink_colour(pixels, ring, ORIGIN), ink_colour(pixels, letter, ORIGIN)
    assert ink is not None and ring_ink is not None and letter_ink is not None
    assert np.abs(letter_ink - ink).max() <= 24 < np.abs(ring_ink - ink).max()
    assert ink_colour(pixels, Rect(400, 2, 20, 10), ORIGIN) is None  # nothing drawn there


@pytest.mark.parametrize(
    ("text", "xs", "letter"),
    [
        ("DELETE", (74, 92, 104, 117, 130, 143), True),  # a capital of a word in capitals
        ("Open in", (28, 40, 52, 64, 72, 80, 92), True),
        ("oAll pa", (185, 197, 215, 227, 239, 251, 263), False),  # a dot radio, monospace
        ("OYes", (80, 92, 104, 116), False),  # a ring before a capitalised word
        ("OYES", (80, 92, 104, 116), True),
    ],
)
def test_a_letter_is_cased_as_its_word(text: str, xs: tuple[int, ...], letter: bool) -> None:
    words = Rect(xs[1] - 5, 10, 200, 20)
    choice = Element(1, ElementKind.RADIO, Rect(xs[0] - 6, 12, 12, 16), text[1:], 0.9, words)
    assert _letter_at(choice, text, xs, 0) is letter
