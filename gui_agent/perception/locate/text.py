"""Text normalisation for matching OCR readings: case, spacing, punctuation and the usual
OCR confusions (0/o, 1/l/i, 5/s) are folded at successive levels."""

from __future__ import annotations

import re
from dataclasses import dataclass

_NON_ALNUM = re.compile(r"[\W_]+")
_WORD = re.compile(r"\w+")
_OCR_FOLD = str.maketrans({"0": "o", "1": "l", "i": "l", "5": "s", "|": "l"})


def _low_full(s: str) -> str:
    return " ".join(s.replace("…", "...").casefold().split())


def _low(s: str) -> str:
    """Case-folded, whitespace-collapsed, without a trailing ':' or ellipsis ("Name:", "Save
    As...") because those are UI decoration, not part of the name."""
    full = _low_full(s)
    trimmed = full.rstrip(" :.")
    return trimmed or full


def _loose(s: str) -> str:
    return _NON_ALNUM.sub("", s.casefold())


@dataclass(frozen=True, slots=True)
class _Norm:
    full: str
    low: str
    loose: str
    fold: str
    words: str  # " w1 w2 " padded, for whole-word containment


def _norm(s: str) -> _Norm:
    loose = _loose(s)
    return _Norm(
        full=_low_full(s),
        low=_low(s),
        loose=loose,
        fold=loose.translate(_OCR_FOLD),
        words=" " + " ".join(_WORD.findall(s.casefold())) + " ",
    )
