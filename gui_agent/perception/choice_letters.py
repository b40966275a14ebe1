"""A check box or radio at the start of another one's words is the first letter of them.

Why: the geometric pass takes any small closed outline with words beside it for an
indicator, and OCR often leaves a label's first letter out of the line it reads ("ompress
output") or cuts it off. The capital "C", "S" or "O" of the label is then a second check
box inside the first one's words: on Tk screens 18 of the 43 check boxes perception
reported wrongly were such letters. A real indicator is drawn before its own words, never
on another choice's, so one whose box starts where another choice's words start, with its
own words (if any) inside those, is dropped: the words stay with the real one, and words
read apart after them ("Show" | "line numbers") stay as a text. Nor is a choice that lies
on the start of its own words where other words end without a space ("S" | "how line
numbers", OCR split inside a word): its box is on the letters after the split.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from gui_agent.perception.elements import renumbered
from gui_agent.perception.state import Element, ElementKind

_CHOICES = (ElementKind.CHECKBOX, ElementKind.RADIO)
_TEXT = ElementKind.TEXT
# the letter's box begins within this share of its side from the words' start; its own
# words are the other's when this much of them lies inside those
_AT_START, _INSIDE = 1.0, 0.8
# two reads of one word meet within this many px (a read's box ends at its last ink; the
# space between two words, or a label and the next indicator, is wider)
_RUN_IN = 1


def letters_of_labels(elements: list[Element]) -> list[Element]:
    """``elements`` less every check box or radio that is the first letter of another's
    words (words of its own beyond those become a text), renumbered in reading order when
    any went."""
    choices = [e for e in elements if e.kind in _CHOICES]
    letters = {
        id(e)
        for e in choices
        if any(_first_letter(e, o) for o in choices if o is not e) or _run_into(e, elements)
    }
    if not letters:
        return elements
    out: list[Element] = []
    for e in elements:
        if id(e) not in letters:
            out.append(e)
        elif e.label_box is not None and e.text.strip() and not _in_words_of_another(e, elements):
            # "Show" | "line numbers": the rest of the line, read apart, stays as words
            out.append(replace(e, kind=ElementKind.TEXT, box=e.label_box, label_box=None))
    return renumbered(out)


def _first_letter(e: Element, of: Element) -> bool:
    """``e`` starts where ``of``'s words start, right of ``of``'s indicator (its box may
    reach back over the indicator's right half, as a letter's outline grown by the detector
    does)."""
    words = of.label_box
    if words is None or not words.contains_point(e.box.center) or of.box.cx >= e.box.x:
        return False
    return e.box.x - words.x <= _AT_START * max(e.box.w, e.box.h)


def _run_into(e: Element, elements: Sequence[Element]) -> bool:
    """``e``'s box lies on its own words' start, and other words on its row end where those
    begin (within ``_RUN_IN`` px): one word read in two, and ``e`` on its letters."""
    own = e.label_box
    if own is None or e.box.x < own.x - _RUN_IN:
        return False
    for o in elements:
        words = o.label_box if o.kind in _CHOICES else o.box if o.kind is _TEXT else None
        if o is e or words is None or not o.text.strip() or words.x >= own.x:
            continue
        rows = min(words.bottom, own.bottom) - max(words.y, own.y)
        if rows >= 0.5 * min(words.h, own.h) and abs(own.x - words.right) <= _RUN_IN:
            return True
    return False


def _in_words_of_another(e: Element, elements: Sequence[Element]) -> bool:
    assert e.label_box is not None
    return any(
        o is not e and o.label_box is not None and e.label_box.overlap_ratio(o.label_box) >= _INSIDE
        for o in elements
        if o.kind in _CHOICES
    )
