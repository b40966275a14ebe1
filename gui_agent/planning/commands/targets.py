"""Target phrases -> ``Target``: the words around a label, ids, ordinals and kinds.

What reaches ``perception.locate`` is the label with the words that help it (a kind, an
ordinal, a relation) and without the words that would mislead it ("labelled", "on",
"(the blue one)", "to close the dialog"). Three rules worth knowing:

* An id is only an id when the goal says so ("element 3", "element #3", "id 3"). "#3" and
  "Tab #3" are labels, quoted for the locator: web pages and apps name things that way far
  more often than people type element ids.
* "button #2", "the #2 link" (a kind word in lower case with "#N") are ordinals: "the 2nd
  button".
* Typed text goes to "the T field" unless T already names a kind ("the Notes box", "the
  input"); check commands go to "checkbox T" unless T names one. A role-only target ("the
  text field", "the box") is left as it is: the planner resolves it on the screen.
"""

from __future__ import annotations

import re

from gui_agent.planning.actions import Target
from gui_agent.planning.commands.literals import Literals

__all__ = [
    "CHECK_KINDS",
    "FIELD_KINDS",
    "clean",
    "is_secret",
    "judgement",
    "names_kind",
    "ordinal_word",
    "target",
]

_I = re.IGNORECASE
ARTICLE_RE = re.compile(r"^(?:the|a|an)\s+", _I)
FIELD_KINDS = (
    r"field|box|input|textbox|text\s+box|entry|area|textarea|text\s+area|combo|combobox|"
    r"combo\s+box|dropdown|drop-down|drop\s+down|list|editor|spinbox|spin\s+box|picker"
)
CHECK_KINDS = r"checkbox|check\s+box|check-box|tickbox|tick\s+box|box|radio|option|switch|toggle"
_KIND_WORDS = (
    r"button|btn|link|tab|item|icon|field|box|input|checkbox|radio|option|entry|textbox|"
    r"menu|list|row|cell|card|image|picture"
)
_ELEMENT_ID_RE = re.compile(
    r"(?:the\s+)?(?:element|elem|id)\s*(?:number\s+|no\.?\s*)?#?\s*(\d+)", _I
)
_SECRET_RE = re.compile(r"\b(?:password|passwd|passcode|passphrase|pin|secret|pwd)s?\b", _I)
_LABEL_WORDS_RE = re.compile(
    r"\s+(?:labell?ed|named|called|titled|entitled|marked|reading|saying|that\s+says|"
    r"which\s+says|that\s+reads|with\s+the\s+(?:text|label|caption|name|title)|"
    r"with\s+(?:text|label|caption|title))\s+(?=\S)",
    _I,
)
_TAIL_RE = re.compile(
    r"(?:\s*\([^()]*\)|\s+from\s+the\s+(?:top|bottom|left|right)|"
    r"\s+(?:in\s+order\s+)?to\s+(?:close|open|continue|proceed|confirm|finish|submit|go|see|"
    r"expand|show)\b.*)$",
    _I,
)
_ORDINALS = {1: "first", 2: "2nd", 3: "3rd"}
# Words that ask for judgement, not for an element: the embedded planner will not guess.
_JUDGEMENT_RE = re.compile(
    r"\b(?:that|which|who|whose)\s+(?!says\b|reads\b)\w+|\b(?:cheapest|largest|biggest|"
    r"smallest|best|worst|correct|appropriate|random|most|least|recent|latest|oldest|newest|"
    r"matching|matches|right\s+one|any)\b",
    _I,
)


def ordinal_word(n: int) -> str:
    """2 -> "2nd", 11 -> "11th" (the locator reads both words and digits)."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }".replace(" ", "")


def clean(masked: str) -> str:
    """A target phrase without the words around the label ("on", "labelled", end marks,
    parentheticals, "to close the dialog")."""
    s = masked.strip().rstrip(".!?,;: ")
    s = re.sub(r"^(?:on|at|upon)\s+(?=\S)", "", s, flags=_I)
    s = _LABEL_WORDS_RE.sub(" ", s)
    prev = None
    while prev != s:
        prev, s = s, _TAIL_RE.sub("", s).strip()
    # "the #2 button" / "button #2" (lower-case kind word) -> "the 2nd button"
    s = re.sub(
        rf"^(?:the\s+)?#\s*(\d+)\s+({_KIND_WORDS})s?$",
        lambda m: f"the {ordinal_word(int(m.group(1)))} {m.group(2)}",
        s,
    )
    s = re.sub(
        rf"^(?:the\s+)?({_KIND_WORDS})\s+(?:#|number\s+|no\.\s*)(\d+)$",
        lambda m: f"the {ordinal_word(int(m.group(2)))} {m.group(1)}",
        s,
    )
    # "the section Dolor": the label after a container word is exact text for the locator
    s = re.sub(
        r"^((?:the\s+)?(?:section|panel|accordion|heading|header|group|part|pane)\s+)"
        r"([A-Z][^\x01]*)$",
        r'\1"\2"',
        s,
    )
    return " ".join(s.split())


def judgement(masked: str) -> bool:
    """Whether an (unquoted) target needs judgement rather than a label: "the cheapest
    flight", "the word that is a fruit"."""
    return bool(_JUDGEMENT_RE.search(masked))


def names_kind(query: str, kinds: str) -> bool:
    """Whether ``query`` already says what kind of element it is (first or last words)."""
    q = ARTICLE_RE.sub("", query.strip())
    q = re.sub(r"^(?:first|second|third|fourth|fifth|last|\d+(?:st|nd|rd|th))\s+", "", q, flags=_I)
    # A kind word first counts in lower case only: "field Name" names a field, "Field 1" is
    # a label.
    return bool(re.search(rf"(?:^|\s)(?:{kinds})$", q, _I) or re.match(rf"(?:{kinds})\s", q))


def target(lits: Literals, masked: str, kind: str = "") -> Target:
    """A ``Target`` from a masked phrase; ``kind`` ("field", "checkbox") is added when the
    phrase does not name one."""
    masked = clean(masked)
    m = _ELEMENT_ID_RE.fullmatch(masked)
    if m:
        return Target(element_id=int(m.group(1)))
    # "#3", "Tab #3", "Item #5": a label that looks like an id; quote it for the locator.
    if re.fullmatch(r"(?:[A-Z]\w*\s+)?#\s*\d+", masked):
        masked = f'"{masked}"'
    query = lits.restore(masked)
    bare = ARTICLE_RE.sub("", query)
    if kind == "field" and not names_kind(query, FIELD_KINDS):
        query = f"the {bare} field"
    elif kind == "checkbox" and not names_kind(query, CHECK_KINDS):
        query = f"checkbox {bare}"
    return Target(query=query)


def is_secret(t: Target | None) -> bool:
    return t is not None and t.query is not None and bool(_SECRET_RE.search(t.query))
