"""Untrusted text, made comparable: the one normal form every word check uses.

Screen text, accessibility names, queries from a planner and rule patterns can spell the same
word in ways that defeat a naive check: a Cyrillic "е" in "Dеlete", a zero-width space in
"De\u200blete", full-width "Ｄｅｌｅｔｅ", odd case and spacing, or OCR's "De1ete". A gate that
judges words must see through all of that, or a look-alike label walks past it. ``normalize``
folds every such spelling onto plain lower-case ASCII where a look-alike exists:

1. NFKC (full-width and compatibility forms become their plain letters);
2. format characters (zero-width spaces and joiners, direction marks, soft hyphens) removed;
3. every character with a visual look-alike among ASCII letters and digits replaced by it,
   from Unicode's confusables table (``confusable-homoglyphs`` ships it);
4. inside words, the digits OCR and spoofers swap for letters (0/o, 1/l, 5/s...) read as
   those letters, so "De1ete" and "P0st" are words again, while plain numbers stay numbers;
5. case folded and whitespace collapsed.

The result is for matching only; nothing shown to a person is ever normalised.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

__all__ = ["normalize"]

# Quote and dash variants: "Don’t save" must read as "don't save".
_PUNCT = str.maketrans({c: "'" for c in "’‘ʼ′`´"} | {c: "-" for c in "‐‑‒–—−"})
# Digits that stand in for letters inside a word (a word that also has real letters).
_DIGIT_AS_LETTER = str.maketrans({"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t"})
_WORD = re.compile(r"[a-z0-9]+")


@cache
def _confusable_map() -> dict[str, str]:
    """Non-ASCII character -> its ASCII letter or digit look-alike, from Unicode's table."""
    from confusable_homoglyphs import confusables  # ~0.1 s to load: only when first needed

    out: dict[str, str] = {}
    for char, glyphs in confusables.confusables_data.items():
        if len(char) != 1 or char.isascii():
            continue
        for g in glyphs:
            c = g.get("c", "")
            if len(c) == 1 and c.isascii() and c.isalnum():
                out[char] = c
                break
    return out


def _fold_word(match: re.Match[str]) -> str:
    word = match.group(0)
    if word.isdigit() or not any(ch.isdigit() for ch in word):
        return word
    return word.translate(_DIGIT_AS_LETTER)


def normalize(text: str) -> str:
    """``text`` in the form every word check compares: see the module docstring."""
    if not text:
        return ""
    s = unicodedata.normalize("NFKC", text)
    s = "".join(ch for ch in s if unicodedata.category(ch) != "Cf")
    if not s.isascii():
        table = _confusable_map()
        s = "".join(table.get(ch, ch) for ch in s)
    s = s.translate(_PUNCT).casefold()
    s = _WORD.sub(_fold_word, s)
    return " ".join(s.split())
