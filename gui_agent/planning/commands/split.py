"""A goal -> clauses: separators, list markers, menu paths, politeness and padding.

The splitter works on the masked goal (quoted text already replaced by tokens, see
``literals``), so nothing inside quotes is ever a separator. It splits at newlines, ";",
", then", ". ", "then", "and then", " — ", at "and" before a command verb, and at commas
(the clause parser decides whether a verbless clause continues a list: "select A, B and C").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["CORE_VERBS", "MENU_PATH", "Clause", "clauses"]

_I = re.IGNORECASE

#: Verbs that start a new command after "and" whatever their case.
CORE_VERBS = (
    r"(?:double|dbl|triple|right|middle|left)?[- ]?click|tap|check|uncheck|tick|untick|toggle|"
    r"select|choose|pick|type|enter|input|write|fill|clear|empty|erase|press|hit|push|scroll|"
    r"wait|drag|ask|done|finish|focus|expand|collapse|submit|log\s+in|login|sign\s+in|"
    r"log\s+out|sign\s+out|paste|search|mark|unmark|set|change|answer|put"
)
#: Verbs that start a new command after "and" only in lower case: capitalised, they are more
#: likely part of a label ("click File and Save").
_WEAK_VERBS = r"open|close|dismiss|go|switch|navigate|turn|enable|disable|save|copy|undo|redo"

MENU_PATH = "\x03"  # a "File > Save As" separator: a verbless next clause is clicked

_SEP_RE = re.compile(
    r"(\s*(?:\n|;|,\s*(?:and\s+)?(?:then\b)?|(?<![.\d])\.(?:\s+|$)|!+(?:\s+|$)|"
    r"\s+and\s+then\b|\s+then\b|\s+[—–]\s+|\.\.\.+|…"
    rf"|\s+and\s+(?=(?i:{CORE_VERBS})\b)|\s+and\s+(?={_WEAK_VERBS}\b))\s*)",
)
_LISTED_RE = re.compile(r"\s*,\s*(?:and\s+)?", _I)


@dataclass(frozen=True, slots=True)
class Clause:
    """One clause: ``listed`` when a plain comma (", ", ", and ") came before it, so a verbless
    clause may continue a list ("select A, b, c"); ``menu`` after a menu-path arrow."""

    text: str
    listed: bool = False
    menu: bool = False


_MENU_RE = re.compile(r"\s+(?:→|->|>|»|›)\s+")
_MARKER_RE = re.compile(
    r"(?:^|(?<=\n)|(?<=\s))(?:step\s+\d+\s*[:.)]|\d+\s*[.)]|[-*•])\s+(?=\S)", _I
)
_LEAD_MARKER_RE = re.compile(r"^\s*(?:step\s+\d+\s*[:.)]|\d+\s*[.)]|[-*•])\s+", _I)
_PREFIX_RE = re.compile(
    r"^(?:(?:your\s+)?(?:task|goal|instructions?|todo|to\s+do)\s*:\s*|(?:hi|hello|hey)(?:\s+there)?"
    r"\s*[!,.]+\s*|(?:ok|okay|alright|right|thanks|thank\s+you)\s*[,!]\s*)",
    _I,
)
_FILLER_RE = re.compile(
    r"^(?:please|pls|plz|kindly|then|and|also|next|now|finally|first|afterwards|lastly|"
    r"after\s+that|just|simply|go\s+ahead\s+and|let'?s|try\s+(?=\w+ing\b)|try\s+to|"
    r"(?:can|could|would|will)\s+you(?:\s+please)?|"
    r"i(?:'d|\s+would)\s+like\s+you\s+to|i\s+want\s+you\s+to|i\s+need\s+you\s+to|"
    r"you\s+(?:need|have)\s+to|you\s+should|you\s+must|make\s+sure\s+(?:to|you)|"
    r"don'?t\s+forget\s+to|remember\s+to|be\s+sure\s+to)\b[\s,:]*",
    _I,
)
_THANKS_RE = re.compile(
    r"(?:thanks|thank\s+you|thx|cheers|please)(?:\s+\w+)?|go\s+ahead|let'?s\s+(?:go|start)", _I
)
_TAIL_RE = re.compile(r"(?:[\s,]+(?:please|pls|thanks|thank\s+you))?[\s!?.,;:]*$", _I)


def clauses(masked: str) -> list[Clause]:
    """Clauses of a masked goal, with markers, filler words and politeness removed."""
    s = masked.replace("\r\n", "\n").replace("\t", " ")
    if _LEAD_MARKER_RE.match(s):  # a numbered or bulleted list: every marker is a separator
        s = _MARKER_RE.sub("\n", s)
    s = re.sub(r"(?:^|(?<=[\n.]))\s*step\s+\d+\s*:\s*", "\n", s, flags=_I)
    s = _MENU_RE.sub(f"\n{MENU_PATH}", s)
    s = _PREFIX_RE.sub("", s.strip())
    out: list[Clause] = []
    parts = _SEP_RE.split(s)
    for i in range(0, len(parts), 2):
        listed = i > 0 and _LISTED_RE.fullmatch(parts[i - 1]) is not None
        c = parts[i].strip()
        menu = c.startswith(MENU_PATH)
        c = c.lstrip(MENU_PATH).strip()
        while True:
            stripped = _FILLER_RE.sub("", c, count=1).strip()
            if stripped == c:
                break
            c = stripped
        c = _TAIL_RE.sub("", c).strip()
        if _THANKS_RE.fullmatch(c):
            continue
        if c:
            out.append(Clause(c, listed=listed, menu=menu))
    return out
