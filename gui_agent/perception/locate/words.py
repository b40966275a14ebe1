"""A word or phrase inside a longer line as a target of its own.

OCR returns whole lines, so the link "massa" in "Faucibus libero massa nec" used to be the
whole sentence, clicked at its middle. The recogniser emits each character at a known step
of its input, which maps back to an x on screen (``Element.char_x``): the words a query
names get their own box, and a click lands on them.
"""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import replace

from rapidfuzz.distance import OSA

from gui_agent.geometry import Rect
from gui_agent.perception.state import Element, ElementKind

# Lines a person reads as running text; a control's caption is clicked whole.
_LINE_KINDS = (ElementKind.TEXT, ElementKind.LINK)
# A query covering most of the line names the line, not a part of it.
_WHOLE_SHARE = 0.85
# Words read with an error or two still name themselves ("Acount" for "Account").
FUZZY_MIN = 0.8


def _squeezed(text: str) -> tuple[str, list[int]]:
    """``text`` case-folded without spaces, and each kept character's index in ``text``
    (OCR drops and adds spaces: match ignoring them)."""
    keep = [i for i, ch in enumerate(text) if not ch.isspace()]
    return "".join(text[i] for i in keep).casefold(), keep


# OCR drops the space where an icon sat between two words ("privacy⚙Appearance" is read
# "privacyAppearance"): a capital after a small letter starts a word too.
_CASE_BREAK = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _word_spans(text: str) -> list[tuple[int, int]]:
    """(first, last) character of each word in ``text``, splitting at spaces and at a
    capital that follows a small letter."""
    out: list[tuple[int, int]] = []
    for m in re.finditer(r"\S+", text):
        inner = (m.start() + c.start() for c in _CASE_BREAK.finditer(m.group()))
        cuts = [m.start(), *inner, m.end()]
        out += [(a, b - 1) for a, b in itertools.pairwise(cuts) if b > a]
    return out


def _fuzzy_span(text: str, query_text: str) -> tuple[int, int, float] | None:
    """The run of words in ``text`` most like ``query_text`` (OCR misreads a letter, "Acount"
    for "Account"): (first char, last char, similarity), or None below ``FUZZY_MIN``."""
    words = _word_spans(text)
    n = len(query_text.split())
    want, _ = _squeezed(query_text)
    best: tuple[int, int, float] | None = None
    for k in (n - 1, n, n + 1):
        if k < 1:
            continue
        for i in range(len(words) - k + 1):
            a, b = words[i][0], words[i + k - 1][1]
            got, _ = _squeezed(text[a : b + 1])
            got = got.strip(".,;:!?()[]\"'")
            sim = OSA.normalized_similarity(want, got)
            if sim >= FUZZY_MIN and (best is None or sim > best[2]):
                best = (a, b, sim)
    return best


def span_in_line(text: str, query_text: str) -> tuple[int, int, float, int] | None:
    """Where ``query_text`` sits inside the line ``text``: (first char, last char, similarity,
    times found); None when it is the whole line or not in it."""
    want, _ = _squeezed(query_text)
    have, index = _squeezed(text)
    if not want or len(want) >= _WHOLE_SHARE * len(have):
        return None
    starts = [m.start() for m in re.finditer(re.escape(want), have)]

    def bounded(s: int) -> bool:
        a, b = index[s], index[s + len(want) - 1]
        before = text[a - 1] if a > 0 else " "
        after = text[b + 1] if b + 1 < len(text) else " "
        open_before = not before.isalnum() or (before.islower() and text[a].isupper())
        open_after = not after.isalnum() or (text[b].islower() and after.isupper())
        return open_before and open_after

    starts = [s for s in starts if bounded(s)]  # "ibe" inside "libero" is not a target
    if starts:
        s = starts[0]
        return index[s], index[s + len(want) - 1], 1.0, len(starts)
    fuzzy = _fuzzy_span(text, query_text)
    return None if fuzzy is None else (*fuzzy, 1)


def words_inside(element: Element, query_text: str) -> tuple[Element, str, int] | None:
    """``element`` narrowed to the words ``query_text`` names inside it, with a note for the
    locate reason and how many times the line holds them (more than one is ambiguous); None
    when the query is the whole line, is not inside it, or the line has
    no character positions."""
    text, xs = element.text, element.char_x
    if element.kind not in _LINE_KINDS or not xs or len(xs) != len(text):
        return None
    span = span_in_line(text, query_text)
    if span is None:
        return None
    a, b, _sim, times = span
    pitch = statistics.median([q - p for p, q in itertools.pairwise(xs)] or [8])
    half = max(2.0, pitch / 2)
    box = element.box
    x0 = max(box.x, round(xs[a] - half))
    x1 = min(box.right, round(xs[b] + half))
    if x1 - x0 < 2:
        return None
    narrowed = replace(
        element,
        box=Rect(x0, box.y, x1 - x0, box.h),
        text=text[a : b + 1],
        label_box=None,
        char_x=xs[a : b + 1],
    )
    where = f"{times} in the line, first taken" if times > 1 else "in the line"
    note = f"the words '{text[a : b + 1]}' {where} '{text}', at their own box"
    return narrowed, note, times


def _loose_words(text: str) -> list[str]:
    return [w for w in (re.sub(r"[^\w]", "", x).casefold() for x in text.split()) if w]


def wrapped_head(line: str, next_line: str, query_text: str) -> str | None:
    """The words of ``query_text`` that end ``line`` when the rest of it starts
    ``next_line``: a link that wraps ("... acknowledge the privacy" / "policy that
    applies"), clicked on its first part. None when the phrase is not split there."""
    want = _loose_words(query_text)
    have, below = _loose_words(line), _loose_words(next_line)
    for cut in range(1, len(want)):
        head, tail = want[:cut], want[cut:]
        if have[-cut:] == head and below[: len(tail)] == tail:
            return " ".join(line.split()[-cut:]).rstrip(".,;:!?")
    return None
