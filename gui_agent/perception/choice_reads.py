"""A check box or radio that the recogniser reads as a letter of the words beside it.

Why: the geometric pass takes any small closed outline with words to its right for an
indicator, and a letter is one: the "O" of "Open", the "D" of "DELETE", the "o" inside
"network". Its box then fences OCR's line, so the word is read without the letter ("pen in
new window") and the letter is reported as a radio. Nothing in the layout tells such a
letter from a real indicator: the gap after it, its height and its colour are shared with
Tk's and HTML's indicators (measured on the held-out sets). The recogniser tells them apart.
Read together with its words, a real indicator comes out as a mark ("O", "口") followed by
a jump to the first letter of its words; a letter is followed by the next letter at the
same pitch as the rest of the line's letters. The pitch is coarse (the recogniser places
characters in steps of a few pixels), so only a mark inked as its words are is read: an
HTML radio set tight against "JPEG" reads "OJPEG" at the letters' pitch, but is grey or
coloured where its words are black. Such a choice becomes the words it belongs
to, read whole ("Open in new window"), with any piece of the word that OCR read apart on
its left ("netw" + "ork").
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from gui_agent.geometry import Rect
from gui_agent.perception.elements import renumbered
from gui_agent.perception.mark_pixels import ink_colour
from gui_agent.perception.state import Element, ElementKind

_CHOICES = (ElementKind.CHECKBOX, ElementKind.RADIO)
# a letter is followed by the next one at most this many times the line's median pitch
# (letters measured 0.8-1.0, and 1.33 for a wide capital; real indicators 1.5 and more)
_PITCH = 1.4
# the words begin within this many box heights right of the choice (OCR may have lost the
# letters between: "c" | "a" | "tions"); a piece of the word read apart ends within this
# share of the box's height left of it
_REACH, _JOIN = 2.0, 0.5
# the read runs this many box heights past the words' start: enough letters for a pitch
_SPAN = 6.0
# the line's pitch needs this many letter-to-letter steps
_STEPS = 2
# a letter is inked as its words are: no channel further apart than this (0-255). Real
# indicators beside tightly set words are drawn apart from them (HTML: a grey ring, a
# coloured dot, 70 and more from the words' ink), and a letter in its own word 0-2
_SAME_INK = 24


class Recogniser(Protocol):
    def recognize_lines(
        self, img: np.ndarray, boxes: list[Rect]
    ) -> list[tuple[str, float, tuple[int, ...]]]: ...


@dataclass(frozen=True, slots=True)
class _Candidate:
    index: int
    prefix: int | None  # the element holding the word's start, read apart on the left
    crop: Rect  # desktop coordinates


def letters_read(
    elements: list[Element], pixels: np.ndarray, origin: Rect, ocr: Recogniser
) -> list[Element]:
    """``elements`` with every check box or radio that reads as a letter of its words made
    that text (and the piece of the word on its left merged in), renumbered when any
    changed. ``pixels`` is the frame at ``origin``; element boxes are in desktop
    coordinates."""
    h, w = pixels.shape[:2]
    frame = Rect(origin.x, origin.y, w, h)
    cands = [c for i in range(len(elements)) if (c := _candidate(i, elements, pixels, frame))]
    if not cands:
        return elements
    local = [c.crop.translate(-origin.x, -origin.y) for c in cands]
    reads = ocr.recognize_lines(pixels, local)
    letters = [
        (c, read)
        for c, read in zip(cands, reads, strict=True)
        if _letter_at(elements[c.index], read[0], read[2], origin.x)
    ]
    if not letters:
        return elements
    out: list[Element | None] = list(elements)
    for c, (text, score, xs) in letters:
        prefix = None if c.prefix is None else elements[c.prefix]
        out[c.index] = _as_words(elements[c.index], prefix, text, score, xs, origin.x)
        if c.prefix is not None:
            out[c.prefix] = None
    return renumbered([e for e in out if e is not None])


def _candidate(
    i: int, elements: Sequence[Element], pixels: np.ndarray, frame: Rect
) -> _Candidate | None:
    """What to read for ``elements[i]``, when it is a choice with words right beside it on
    its row, drawn in their ink (``frame``: where ``pixels`` lie on the desktop)."""
    e = elements[i]
    words = e.label_box
    if e.kind not in _CHOICES or words is None or sum(ch.isalnum() for ch in e.text) < 2:
        return None
    if not (e.box.x < words.x <= e.box.right + _REACH * e.box.h) or not _same_row(e.box, words):
        return None
    if not _inked_as_words(e, words, pixels, frame):
        return None
    prefix = next(
        (k for k, o in enumerate(elements)
         if o.kind is ElementKind.TEXT and o.text.strip() and _same_row(o.box, e.box)
         and o.box.x < e.box.x and 0 <= e.box.x - o.box.right <= _JOIN * e.box.h),
        None,
    )  # fmt: skip
    left = elements[prefix].box.x if prefix is not None else e.box.x
    right = min(words.right, max(e.box.right, words.x) + round(_SPAN * e.box.h))
    top, bottom = min(e.box.y, words.y), max(e.box.bottom, words.bottom)
    crop = Rect.from_ltrb(left - 2, top, right + 1, bottom).clip(frame)
    return _Candidate(i, prefix, crop) if crop.w > 4 and crop.h > 4 else None


def _inked_as_words(e: Element, words: Rect, pixels: np.ndarray, origin: Rect) -> bool:
    """``e``'s mark is drawn in the ink of its ``words``' first letters."""
    first = Rect.from_ltrb(words.x, words.y, min(words.right, words.x + 2 * e.box.h), words.bottom)
    mark, ink = ink_colour(pixels, e.box, origin), ink_colour(pixels, first, origin)
    return mark is not None and ink is not None and float(np.abs(mark - ink).max()) <= _SAME_INK


def _same_row(a: Rect, b: Rect) -> bool:
    return min(a.bottom, b.bottom) - max(a.y, b.y) >= 0.5 * min(a.h, b.h)


def _letter_at(e: Element, text: str, xs: tuple[int, ...], ox: int) -> bool:
    """The recogniser put a letter at ``e``'s indicator (left of its words) and the next
    character after it at the line's own letter pitch, with no space between."""
    if not xs or len(xs) != len(text):
        return False
    assert e.label_box is not None
    zone = (e.box.x - ox, min(e.box.right, e.label_box.x + 1) - ox)
    at = [k for k, x in enumerate(xs) if zone[0] <= x <= zone[1]]
    if not at:
        return False
    k = at[-1]
    if not text[k].isalnum() or k + 1 >= len(text) or not text[k + 1].strip():
        return False
    if not _cased_as_a_word(text[k], text[k + 1 : k + 3]):
        return False
    steps = [
        xs[j + 1] - xs[j]
        for j in range(k + 1, len(text) - 1)
        if text[j].strip() and text[j + 1].strip()
    ]
    if len(steps) < _STEPS:
        return False
    return xs[k + 1] - xs[k] <= _PITCH * statistics.median(steps)


def _cased_as_a_word(letter: str, then: str) -> bool:
    """``letter`` and the two characters after it could start a word: a capital is never
    preceded by a small letter inside a word, and a word in capitals goes on in capitals. A
    small dot radio set tight against "All pages" reads "oAll"; a ring before "Yes", "OYes"."""
    if not then[0].isupper():
        return True
    return letter.isupper() and not then[1:].islower()


def _as_words(
    e: Element,
    prefix: Element | None,
    text: str,
    score: float,
    xs: tuple[int, ...],
    ox: int,
) -> Element:
    """The text ``e`` is a letter of: what was read left of its words' start (the letter,
    and any lost between), after ``prefix``'s words, before its own words."""
    assert e.label_box is not None
    start = e.label_box.x - ox
    lead = [(ch, x + ox) for ch, x in zip(text, xs, strict=True) if x < start]
    if prefix is not None:  # the prefix's own letters were read again: keep only the new
        lead = [(ch, x) for ch, x in lead if x >= prefix.box.right]
    else:
        while lead and not lead[0][0].strip():
            lead.pop(0)
    head = "".join(ch for ch, _ in lead)
    before = prefix.text if prefix is not None else ""
    chars: tuple[int, ...] = ()
    if (prefix is None or prefix.char_x) and e.char_x:
        chars = (prefix.char_x if prefix else ()) + tuple(x for _, x in lead) + e.char_x
    box = e.box.union(e.label_box)
    if prefix is not None:
        box = box.union(prefix.box)
    return replace(
        e,
        kind=ElementKind.TEXT,
        box=box,
        text=before + head + e.text,
        confidence=min(e.confidence, score),
        label_box=None,
        checked=None,
        char_x=chars if len(chars) == len(before + head + e.text) else (),
    )
