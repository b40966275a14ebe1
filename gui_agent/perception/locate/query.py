"""The query grammar: target words ("the second Delete button", "the field right of
Email") parsed into a ``TargetQuery`` (see the package docstring for the grammar)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal, cast

from gui_agent.perception.state import ElementKind

Relation = Literal["right_of", "left_of", "below", "above", "near", "inside", "context"]

K = ElementKind


@dataclass(frozen=True)
class TargetQuery:
    """A parsed query.

    ``ordinal`` is 1-based; negative counts from the end (-1 = last). ``ordinal_phrase`` and
    ``kind_phrase``/``kind_at`` keep the words that were read as an ordinal or a kind, because
    they are sometimes part of a label ("the First Name field", "the Edit menu") and the
    locator re-reads the query with them folded back into the text.
    """

    text: str = ""
    kinds: tuple[ElementKind, ...] = ()
    ordinal: int | None = None
    relation: Relation | None = None
    anchor: TargetQuery | None = None
    quoted: bool = False
    element_id: int | None = None
    raw: str = ""
    ordinal_phrase: str = ""
    kind_phrase: str = ""
    kind_at: Literal["", "prefix", "suffix"] = ""


_ARTICLES = {"the", "a", "an"}

_ORDINAL_WORDS: dict[str, int] = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "last": -1,
    "penultimate": -2,
}
_ORDINAL_NUM = re.compile(r"(\d+)(?:st|nd|rd|th|\.)", re.IGNORECASE)

# Kind phrases: words -> kinds. Longest phrases are tried first.
_KIND_PHRASES: dict[tuple[str, ...], ElementKind] = {}


def _add_kind(kind: ElementKind, *phrases: str) -> None:
    for p in phrases:
        _KIND_PHRASES[tuple(p.split())] = kind


_add_kind(
    K.FIELD,
    "field",
    "box",
    "input",
    "textbox",
    "text box",
    "text field",
    "text input",
    "input field",
    "input box",
    "edit box",
    "entry",
    "edit",
    "text area",
    "textarea",
    "editor",
    "text editor",
    "editing area",
)
_add_kind(K.BUTTON, "button", "btn", "push button", "key")
_add_kind(K.CHECKBOX, "checkbox", "check box", "check-box", "tickbox", "tick box")
_add_kind(K.RADIO, "radio", "radio button", "option", "option button")
_add_kind(
    K.COMBO,
    "combo",
    "combo box",
    "combobox",
    "dropdown",
    "drop-down",
    "drop down",
    "select",
    "dropdown list",
    "drop-down list",
)
_add_kind(K.MENU_ITEM, "menu", "menu item", "menu entry")
_add_kind(K.ICON, "icon", "toolbar button", "tool button", "toolbar icon")
_add_kind(K.LINK, "link", "hyperlink")
_add_kind(K.TOGGLE, "toggle", "switch", "toggle switch", "on/off switch")
_add_kind(K.SLIDER, "slider", "range slider")
_add_kind(K.TAB, "tab")
_add_kind(K.SCROLLBAR, "scrollbar", "scroll bar")
_add_kind(K.LIST, "list", "list box", "listbox")
_add_kind(K.TEXT, "label", "text", "caption", "heading", "title")
_add_kind(K.CONTAINER, "dialog", "window", "panel", "pane", "group", "container", "frame")

_KIND_PHRASE_ORDER = sorted(_KIND_PHRASES, key=len, reverse=True)

# Kind words that are also common labels, by how often they are a label rather than a kind
# word: when the whole query matches an element's text literally ("Edit", "New Window") the
# literal reading wins, and "menu Edit" / "Edit menu" read the less label-like word as the kind.
_WEAK_KIND_WORDS: dict[str, int] = {
    "edit": 3,
    "editor": 2,
    "select": 3,
    "option": 2,
    "entry": 2,
    "text": 2,
    "title": 2,
    "heading": 2,
    "caption": 2,
    "window": 2,
    "panel": 2,
    "pane": 2,
    "group": 2,
    "frame": 2,
    "input": 1,
    "box": 1,
    "key": 1,
    "menu": 1,
    "label": 1,
    "dialog": 1,
    "container": 1,
}

_REL_PATTERNS: list[tuple[Relation, str]] = [
    (
        "right_of",
        r"(?:(?:to|on|at)\s+(?:the\s+)?)?right(?:\s+side)?\s+of|(?:to\s+the\s+)?right\s+from",
    ),
    (
        "left_of",
        r"(?:(?:to|on|at)\s+(?:the\s+)?)?left(?:\s+side)?\s+of|(?:to\s+the\s+)?left\s+from",
    ),
    ("below", r"below|underneath|under|beneath"),
    ("above", r"above|on\s+top\s+of"),
    ("near", r"next\s+to(?!\s+last\b)|nearby|near(?:\s+to)?|beside|close\s+to|adjacent\s+to"),
    ("inside", r"inside(?:\s+of)?|within|in"),
    # "the Add to cart for the cat toy": the text that tells repeated labels apart
    ("context", r"for|belonging\s+to"),
]
# Words for the one-character keys and buttons people name rather than type ("the minus
# key", "press equals"): each reading is tried, and wins only where a control shows it.
SYMBOL_NAMES: dict[str, tuple[str, ...]] = {
    "minus": ("-", "−"),
    "plus": ("+",),
    "times": ("*", "×", "x"),
    "multiply": ("*", "×", "x"),
    "multiplication": ("*", "×", "x"),
    "asterisk": ("*",),
    "divide": ("/", "÷"),
    "division": ("/", "÷"),
    "slash": ("/",),
    "equals": ("=",),
    "equal": ("=",),
    "percent": ("%",),
    "dot": (".",),
    "point": (".",),
    "decimal point": (".",),
    "period": (".",),
    "comma": (",",),
    "ellipsis": ("...", "…", "⋯"),
}
# Nouns that say "a thing" without a kind: "the Appearance item", "the OK element".
_GENERIC_NOUNS = frozenset({"item", "element", "control", "thing", "widget", "entry point"})
# Places named by what they are, not by a text on screen: a context that names one of these
# and finds no such text narrows nothing, so the target alone is located.
GENERIC_PLACES = frozenset(
    {"toolbar", "tool bar", "sidebar", "side bar", "header", "footer", "menu bar", "menubar",
     "status bar", "table", "form", "page", "screen", "window", "dialog", "top bar",
     "navigation", "nav bar", "navbar", "title bar", "ribbon", "panel", "list"}
)  # fmt: skip
# "in" followed by these continues a label ("Sign in with Google") rather than naming where.
_NOT_A_PLACE = frozenset({"with", "to", "as", "using", "via", "from", "on", "and", "or", "now"})
# Words that name where the context text sits rather than the text itself: "the Edit
# button in the Bob row" means the row that reads "Bob".
_CONTEXT_PLACES = frozenset(
    {"row", "line", "section", "column", "card", "area", "entry", "item", "part", "block"}
)
_REL_RE = re.compile(
    r"(?<![\w'])(?:"
    + "|".join(f"(?P<{name}>{pat})" for name, pat in _REL_PATTERNS)
    + r")(?![\w'])",
    re.IGNORECASE,
)

_ID_RE = re.compile(r"#\s*(\d+)|(?:element|elem|id)\s*#?\s*(\d+)", re.IGNORECASE)
_QUOTE_RE = re.compile(r"""(?:^|(?<=[\s(]))(["'“‘`])(.+?)(["'”’`])(?=$|[\s,.;:!?)])""")
_PLEASE_RE = re.compile(r"[\s,]*\bplease\s*$", re.IGNORECASE)


def _clean(query: str) -> str:
    """Strip politeness and trailing sentence punctuation, keeping a trailing ellipsis."""
    s = " ".join(query.split())
    s = _PLEASE_RE.sub("", s).strip()
    stripped = re.sub(r"[!?,;:]+$", "", s).rstrip()
    if stripped.endswith(".") and not stripped.endswith(".."):
        stripped = stripped[:-1].rstrip()
    s = _PLEASE_RE.sub("", stripped).strip() if stripped else s
    return s


def _strip_articles(tokens: list[str]) -> list[str]:
    i = 0
    while i < len(tokens) and tokens[i].lower() in _ARTICLES:
        i += 1
    return tokens[i:]


def _mask_quotes(s: str) -> str:
    """Replace quoted text by filler so relation and id patterns never match inside it."""
    return _QUOTE_RE.sub(lambda m: m.group(1) + "\x00" * len(m.group(2)) + m.group(3), s)


def parse_query(query: str) -> TargetQuery:
    """Parse a target description into a ``TargetQuery`` (see the module doc for the grammar).

    Relations split at the first relation word outside quotes that leaves a target on the left
    and an anchor on the right; the anchor is parsed recursively, so relations nest.
    """
    raw = query.strip()
    s = _clean(query)
    tokens = _strip_articles(s.split())
    bare = " ".join(tokens)
    m = _ID_RE.fullmatch(bare)
    if m:
        return TargetQuery(element_id=int(m.group(1) or m.group(2)), raw=raw)

    masked = _mask_quotes(s)
    for rm in _REL_RE.finditer(masked):
        rel = rm.lastgroup
        left = s[: rm.start()].strip()
        right = s[rm.end() :].strip()
        if not right or not _strip_articles(left.split()) or rel is None:
            continue
        target = _parse_target(left, raw)
        if rel == "inside" and rm.group(0).lower() == "in" and not target.kinds:
            if right.split()[0].lower() in _NOT_A_PLACE:
                continue  # "Sign in with Google", "Log in to continue": one label
            rel = "context"  # "Edit in Billing address"
        anchor = parse_query(right)
        if rel == "context" and not (anchor.text or anchor.element_id):
            continue  # "the Log in button": "in" inside a label, then the kind word
        if rel in ("inside", "context"):
            anchor = _without_place_word(anchor)
        return replace(target, relation=cast(Relation, rel), anchor=anchor)
    return _parse_target(s, raw)


def _without_place_word(anchor: TargetQuery) -> TargetQuery:
    """ "the Bob row" -> "Bob": the place word is not part of the text to find."""
    words = anchor.text.split()
    if anchor.quoted or anchor.kinds or len(words) < 2 or words[-1].lower() not in _CONTEXT_PLACES:
        return anchor
    return replace(anchor, text=" ".join(words[:-1]))


def _parse_target(s: str, raw: str) -> TargetQuery:
    """Parse the target part (no relation): [article] [ordinal] [kind] text [kind]."""
    text = ""
    quoted = False
    qm = _QUOTE_RE.search(s)
    rest = s
    if qm:
        text = qm.group(2).strip()
        quoted = True
        rest = (s[: qm.start()] + " " + s[qm.end() :]).strip()
    tokens = _strip_articles(rest.split())

    ordinal: int | None = None
    ordinal_phrase = ""
    low = [t.lower() for t in tokens]
    if len(low) >= 3 and low[0] == "second" and low[1] == "to" and low[2] == "last":
        ordinal, ordinal_phrase, tokens = -2, " ".join(tokens[:3]), tokens[3:]
    elif low and low[0] in ("second-to-last", "second-last"):
        ordinal, ordinal_phrase, tokens = -2, tokens[0], tokens[1:]
    elif len(low) >= 2 and low[0] == "second" and low[1] == "last":
        ordinal, ordinal_phrase, tokens = -2, " ".join(tokens[:2]), tokens[2:]
    elif low and low[0] in _ORDINAL_WORDS:
        ordinal, ordinal_phrase, tokens = _ORDINAL_WORDS[low[0]], tokens[0], tokens[1:]
    elif low and (om := _ORDINAL_NUM.fullmatch(low[0])) and int(om.group(1)) > 0:
        ordinal, ordinal_phrase, tokens = int(om.group(1)), tokens[0], tokens[1:]
    tokens = _strip_articles(tokens)

    kinds: tuple[ElementKind, ...] = ()
    kind_phrase = ""
    kind_at: Literal["", "prefix", "suffix"] = ""
    low = [t.lower() for t in tokens]
    suffix = next(
        (p for p in _KIND_PHRASE_ORDER if len(p) <= len(low) and tuple(low[-len(p) :]) == p), None
    )
    prefix = next(
        (p for p in _KIND_PHRASE_ORDER if len(p) <= len(low) and tuple(low[: len(p)]) == p), None
    )
    chosen: tuple[str, ...] | None = None
    if suffix and prefix and len(suffix) + len(prefix) <= len(low):
        # "menu Edit" vs "Edit menu": the word that is less often a label is the kind word.
        weak_suffix = _WEAK_KIND_WORDS.get(" ".join(suffix), 0)
        weak_prefix = _WEAK_KIND_WORDS.get(" ".join(prefix), 0)
        chosen = prefix if weak_prefix < weak_suffix else suffix
        kind_at = "prefix" if chosen is prefix else "suffix"
    elif suffix:
        chosen, kind_at = suffix, "suffix"
    elif prefix:
        chosen, kind_at = prefix, "prefix"
    if chosen is not None:
        kinds = (_KIND_PHRASES[chosen],)
        n = len(chosen)
        if kind_at == "suffix":
            kind_phrase = " ".join(tokens[-n:])
            tokens = tokens[:-n]
        else:
            kind_phrase = " ".join(tokens[:n])
            tokens = tokens[n:]
        tokens = _strip_articles(tokens)
    if not quoted:
        if len(tokens) > 1 and tokens[-1].lower() in _GENERIC_NOUNS:
            tokens = tokens[:-1]  # "the Appearance item": the text is "Appearance"
        text = " ".join(tokens)
    return TargetQuery(
        text=text,
        kinds=kinds,
        ordinal=ordinal,
        quoted=quoted,
        raw=raw,
        ordinal_phrase=ordinal_phrase,
        kind_phrase=kind_phrase,
        kind_at=kind_at,
    )
