"""Target grounding: turn words a person or planner writes ("the second Delete button", "the
field right of Email") into one element of a ``ScreenState``.

Query grammar (case-insensitive; leading articles, "please" and end punctuation ignored)::

    query    := "#12" | "element 12"                       element by id
              | target [relation anchor]
    target   := [ordinal] [kind] text [kind] | [ordinal] kind | 'quoted text' [kind]
    ordinal  := first..tenth | 1st 2nd 3rd 4th... | last | second to last | penultimate
    kind     := field|box|input|text box|text field|entry|edit  button|btn
              | checkbox|check box|tickbox  radio|radio button|option  combo|combo box|dropdown
              | select  menu|menu item  icon|toolbar button  link  list  label|text
              | dialog|window|panel (containers)
    relation := right of|to the right of  left of  below|under  above
              | next to|near|beside  inside|within|in (after a kind word)
    anchor   := query (recursively)

Why it is built the way it is:

* Perception text comes from OCR, so every text comparison is tolerant: case, whitespace and
  punctuation are ignored at one level ("OpenFile" == "Open File"), small errors at the next
  (edit-distance similarity counting a swap as one edit, plus a fold of the usual OCR
  confusions 0/o, 1/l/i, 5/s). Exact beats normalised-equal beats fuzzy beats substring, so
  a precise label elsewhere on the screen always outranks a loose one. Quoted text must
  match closely (no substring matches).
* Fields, combos and lists are named by their *label*, a separate text element left of them
  or above them; checkboxes and radios without text by the text to their right; icons by a
  caption under them; containers by their title. Those associations are computed once per
  ``ScreenState`` and cached, so repeated look-ups on one frame only score pre-normalised
  texts.
* We never guess: when nothing scores at least ``min_confidence`` we raise ``TargetNotFound``
  naming the query and the closest candidates, so the caller (or a person) can correct it.
  When two matches are equally good we return the first in reading order but lower the
  confidence and list the other, because a silent coin-flip is worse than a visible doubt.
"""

from __future__ import annotations

import math
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal, cast

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import OSA

from gui_agent.errors import GuiAgentError
from gui_agent.geometry import Rect
from gui_agent.perception.state import Element, ElementKind, ScreenState

__all__ = [
    "LocateResult",
    "Match",
    "Relation",
    "TargetNotFound",
    "TargetQuery",
    "label_of",
    "locate",
    "locate_all",
    "parse_query",
]

Relation = Literal["right_of", "left_of", "below", "above", "near", "inside"]

K = ElementKind

# --------------------------------------------------------------------------------------------
# Public result types
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """One scored candidate; ``reason`` says in words why it scored what it did."""

    element: Element
    score: float
    reason: str


@dataclass(frozen=True)
class LocateResult:
    """The chosen element plus the evidence a caller needs to trust or question it.

    ``confidence`` is the match score, lowered when the choice was ambiguous (several equally
    good matches and no ordinal to pick between them); ``runners_up`` are the next best
    matches, best first, so a planner can offer alternatives.
    """

    element: Element
    confidence: float
    runners_up: list[Match]
    query: str
    reason: str = ""
    ambiguous: bool = False


class TargetNotFound(GuiAgentError):
    """No element matches a query well enough; carries the closest candidates for a person."""

    def __init__(
        self,
        query: str,
        candidates: list[Match] | None = None,
        *,
        detail: str = "",
        names: list[str] | None = None,
    ) -> None:
        self.query = query
        self.candidates: list[Match] = list(candidates or [])
        self.detail = detail
        shown = names if names is not None else [_describe(m.element, "") for m in self.candidates]
        shown_query = f'"{query}"' if "'" in query else f"'{query}'"
        head = f"no element matches {shown_query}"
        if detail:
            head += f" ({detail})"
        if self.candidates:
            closest = ", ".join(
                f"{name} ({m.score:.2f})" for name, m in zip(shown, self.candidates, strict=False)
            )
        else:
            closest = "nothing similar on screen"
        super().__init__(f"{head}; closest: {closest}")


# --------------------------------------------------------------------------------------------
# Query model and parser
# --------------------------------------------------------------------------------------------


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
)
_add_kind(K.BUTTON, "button", "btn", "push button")
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
]
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
            continue  # "Sign in", "Log in": only read "in" as a relation after a kind word
        anchor = parse_query(right)
        return replace(target, relation=cast(Relation, rel), anchor=anchor)
    return _parse_target(s, raw)


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


# --------------------------------------------------------------------------------------------
# Text normalisation
# --------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------
# Per-state index (cached)
# --------------------------------------------------------------------------------------------

_Role = Literal["text", "content", "label", "caption", "title"]
_ROLES: tuple[_Role, ...] = ("text", "content", "label", "caption", "title")
_KIND_LIST: list[ElementKind] = list(ElementKind)
_KIND_CODE: dict[ElementKind, int] = {k: i for i, k in enumerate(_KIND_LIST)}

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


class _Index:
    """Everything about a ScreenState that does not depend on the query, computed once.

    Geometry is held as numpy arrays so the label associations (every field against every
    text) are a few array operations instead of a Python double loop: a new frame's first
    look-up must stay cheap too, not only repeated ones.
    """

    def __init__(self, state: ScreenState) -> None:
        self.elements: list[Element] = list(state.elements)
        els = self.elements
        n = len(els)
        self.kinds: list[ElementKind] = [e.kind for e in els]
        self.pos_of_id: dict[int, int] = {e.id: i for i, e in enumerate(els)}
        self.by_kind: dict[ElementKind, list[int]] = {}
        for i, e in enumerate(els):
            self.by_kind.setdefault(e.kind, []).append(i)
        boxes = np.array([e.box.as_tuple() for e in els], dtype=np.float64).reshape(n, 4)
        self.L: FloatArray = boxes[:, 0]
        self.T: FloatArray = boxes[:, 1]
        self.R: FloatArray = boxes[:, 0] + boxes[:, 2]
        self.B: FloatArray = boxes[:, 1] + boxes[:, 3]
        self.rank: list[int] = _reading_ranks(els)
        self.label_of: dict[int, int] = {}
        self.row_labelled: dict[int, int] = {}  # text idx -> field idx it labels on its row
        self._associate_labels()

        # Name sources: every text an element can be called by, with its role.
        src_elem: list[int] = []
        src_role: list[int] = []
        src_norm: list[_Norm] = []
        src_text: list[str] = []

        def add(i: int, role: _Role, text: str) -> None:
            if text.strip():
                src_elem.append(i)
                src_role.append(_ROLES.index(role))
                src_norm.append(_norm(text))
                src_text.append(text)

        for i, e in enumerate(els):
            add(i, "content" if e.kind in (K.FIELD, K.COMBO) else "text", e.text)
            li = self.label_of.get(i)
            if li is not None:
                role: _Role = (
                    "caption" if e.kind is K.ICON else "title" if e.kind is K.CONTAINER else "label"
                )
                add(i, role, els[li].text)
        self.src_elem = src_elem
        self.src_norm = src_norm
        self.src_text = src_text
        self.src_loose = [x.loose for x in src_norm]
        self.src_fold = [x.fold for x in src_norm]
        self.src_role_arr = np.array(src_role, dtype=np.intp)
        self.src_kind_arr = np.array([_KIND_CODE[els[i].kind] for i in src_elem], dtype=np.intp)
        self.src_plain_label = np.array(
            [els[i].kind in (K.CHECKBOX, K.RADIO, K.TOGGLE) for i in src_elem], dtype=bool
        )

    def _idx(self, pred: Callable[[Element], bool]) -> IntArray:
        return np.array([i for i, e in enumerate(self.elements) if pred(e)], dtype=np.intp)

    def _associate_labels(self) -> None:
        texts = self._idx(lambda e: e.kind is K.TEXT and bool(e.text.strip()))
        if texts.size == 0:
            return
        L, T, R, B = self.L, self.T, self.R, self.B
        tL, tT, tR, tB = L[texts][None, :], T[texts][None, :], R[texts][None, :], B[texts][None, :]
        tH, tCY, tCX = tB - tT, (tT + tB) / 2, (tL + tR) / 2

        boxes = self._idx(
            lambda e: e.kind in (K.CHECKBOX, K.RADIO, K.TOGGLE) and not e.text.strip()
        )
        if boxes.size:  # a checkbox without text is named by the text right of it
            cT, cR, cB = (a[boxes][:, None] for a in (T, R, B))
            cH, cCY = cB - cT, (cT + cB) / 2
            gap = tL - cR
            ok = (
                (tL >= cR - 4)
                & (np.abs(tCY - cCY) <= np.maximum(cH, tH) / 2 + 2)
                & (gap <= np.maximum(3 * cH, 30))
            )
            best, has = _argmin_where(ok, gap)
            for r, ci in enumerate(boxes.tolist()):
                if has[r]:
                    self.label_of[ci] = int(texts[best[r]])

        icons = self._idx(lambda e: e.kind is K.ICON and not e.text.strip())
        if icons.size:  # a toolbar icon may carry a caption right under it
            iL, iT, iR, iB = (a[icons][:, None] for a in (L, T, R, B))
            iW, iH = iR - iL, iB - iT
            gap = tT - iB
            ok = (
                (tT >= iB - 4)
                & (tCX >= iL - iW / 2)
                & (tCX <= iR + iW / 2)
                & (gap <= np.maximum(0.3 * iH, 6))
                & (tR - tL <= 4 * iW + 20)
            )
            best, has = _argmin_where(ok, gap)
            for r, ii in enumerate(icons.tolist()):
                if has[r]:
                    self.label_of[ii] = int(texts[best[r]])

        # Texts already naming a checkbox or an icon do not name a field as well.
        free = np.isin(texts, list(self.label_of.values()), invert=True)[None, :]
        fields = self._idx(lambda e: e.kind in (K.FIELD, K.COMBO, K.LIST))
        if fields.size:
            fL, fT, fR, fB = (a[fields][:, None] for a in (L, T, R, B))
            fH, fCY = fB - fT, (fT + fB) / 2
            is_left = tR <= fL + 4
            row_plain = np.abs(tCY - fCY) <= fH / 2 + 2
            row_tall = (tCY >= fT - tH / 2) & (tCY <= fT + 1.5 * tH + 4)
            gap_l = fL - tR
            left_ok = free & is_left & np.where(fH > 60, row_tall, row_plain) & (gap_l <= 320)
            gap_a = fT - tB
            above_ok = (
                free
                & ~is_left
                & (tB <= fT + 4)
                & (tL < fR)
                & (tR > fL)
                & (gap_a <= np.maximum(fH, 24))
            )
            best_l, has_l = _argmin_where(left_ok, gap_l)
            best_a, has_a = _argmin_where(above_ok, gap_a)
            # A left label with another control between it and the field labels that control.
            ctrl = self._idx(lambda e: e.kind not in (K.TEXT, K.CONTAINER))
            lab = texts[best_l]
            between = (
                (L[ctrl][None, :] >= R[lab][:, None] - 2)
                & (R[ctrl][None, :] <= fL + 2)
                & (T[ctrl][None, :] < B[lab][:, None])
                & (B[ctrl][None, :] > T[lab][:, None])
            )
            blocked: list[bool] = (
                cast(npt.NDArray[np.bool_], between.any(axis=1)).tolist()
                if ctrl.size
                else [False] * fields.size
            )
            for r, fi in enumerate(fields.tolist()):
                if has_l[r] and not blocked[r]:
                    self.label_of[fi] = int(texts[best_l[r]])
                    self.row_labelled.setdefault(int(texts[best_l[r]]), fi)
                elif has_a[r]:
                    self.label_of[fi] = int(texts[best_a[r]])

        text_list = texts.tolist()
        for ci in self.by_kind.get(K.CONTAINER, []):
            box = self.elements[ci].box
            if self.elements[ci].text.strip():
                continue
            inside = [
                t
                for t in text_list
                if box.contains(self.elements[t].box) and self.elements[t].box.top - box.top <= 40
            ]
            if inside:  # a dialog or panel is named by its title, the first text at its top
                self.label_of[ci] = min(inside, key=lambda t: self.rank[t])

    def name_of(self, i: int) -> str:
        """The words a person would use for element ``i``: its text or its label's."""
        e = self.elements[i]
        if e.text.strip() and e.kind not in (K.FIELD, K.COMBO):
            return e.text
        li = self.label_of.get(i)
        if li is not None:
            return self.elements[li].text
        return e.text


def _argmin_where(
    ok: npt.NDArray[np.bool_], cost: FloatArray
) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    """Per row: the column of least ``cost`` among ``ok`` ones, and whether there was one."""
    masked = np.where(ok, cost, np.inf)
    best = masked.argmin(axis=1)
    return best, np.isfinite(masked[np.arange(masked.shape[0]), best])


def _reading_ranks(els: list[Element]) -> list[int]:
    """Reading order: rows of mutually vertically-overlapping elements, top to bottom, each
    left to right. Mutual centre containment keeps a tall container from swallowing rows."""
    order = sorted(range(len(els)), key=lambda i: (els[i].box.cy, els[i].box.x))
    rows: list[list[int]] = []
    ref: Rect | None = None
    for i in order:
        b = els[i].box
        if ref is not None and ref.top <= b.cy <= ref.bottom and b.top <= ref.cy <= b.bottom:
            rows[-1].append(i)
        else:
            rows.append([i])
            ref = b
    rank = [0] * len(els)
    r = 0
    for row in rows:
        for i in sorted(row, key=lambda j: (els[j].box.x, els[j].box.y)):
            rank[i] = r
            r += 1
    return rank


_CACHE: OrderedDict[int, tuple[ScreenState, tuple[int, ...], _Index]] = OrderedDict()
_CACHE_SIZE = 8
_CACHE_LOCK = threading.Lock()


def _index_for(state: ScreenState) -> _Index:
    """The index of ``state``, cached for the last few states.

    Keyed by ``id(state)``; the entry holds the state itself, so that id cannot be reused
    while cached. ScreenState is mutable, so the entry also records the identities of its
    elements (the index keeps those alive, so a replaced element always changes them).
    """
    key = id(state)
    fingerprint = tuple(map(id, state.elements))
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None and hit[0] is state and hit[1] == fingerprint:
            _CACHE.move_to_end(key)
            return hit[2]
    ix = _Index(state)
    with _CACHE_LOCK:
        _CACHE[key] = (state, fingerprint, ix)
        _CACHE.move_to_end(key)
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return ix


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------

# When a query asks for kind X, these other kinds are accepted at a lower score (perception
# sometimes classifies a toolbar button as an icon, a combo as a field, a button as text).
_KIND_FALLBACK: dict[ElementKind, dict[ElementKind, float]] = {
    K.BUTTON: {K.LINK: 0.85, K.MENU_ITEM: 0.8, K.ICON: 0.8, K.TAB: 0.75, K.TEXT: 0.75},
    K.LINK: {K.TEXT: 0.85, K.BUTTON: 0.8},
    K.MENU_ITEM: {K.TEXT: 0.8, K.BUTTON: 0.8, K.LINK: 0.75},
    K.FIELD: {K.COMBO: 0.8},
    K.COMBO: {K.FIELD: 0.8, K.BUTTON: 0.7, K.LIST: 0.7},
    K.CHECKBOX: {K.TOGGLE: 0.85, K.RADIO: 0.7},
    K.RADIO: {K.CHECKBOX: 0.7},
    K.TOGGLE: {K.CHECKBOX: 0.85},
    K.TAB: {K.BUTTON: 0.8, K.TEXT: 0.8},
    K.SLIDER: {K.SCROLLBAR: 0.6},
    K.ICON: {K.BUTTON: 0.8},
    K.LIST: {K.CONTAINER: 0.7, K.COMBO: 0.7},
    K.CONTAINER: {K.LIST: 0.8},
    K.TEXT: {k: 0.8 for k in ElementKind if k is not K.TEXT},
}

_EXACT = 0.97  # scores at or above this count as "the text is the same"
# A literal re-reading has no kind to agree with, so an exact text match scores a little less
# (a plain text element is 0.95); it still settles the query when it is that exact.
_EXACT_LITERAL = 0.95
_TIE = 0.02  # scores this close are "equally good"
_ORDINAL_BAND = 0.1  # matches within this of the best take part in ordinal counting


def _kind_table(kinds: tuple[ElementKind, ...]) -> dict[ElementKind, tuple[float, bool]]:
    """(factor, exact-kind) for every element kind under a query's kinds."""
    if not kinds:
        table = {k: (1.0, True) for k in ElementKind}
        table[K.TEXT] = (0.95, True)  # prefer the actionable element over a bare text
        table[K.CONTAINER] = (0.9, True)
        return table
    table = {k: (0.0, False) for k in ElementKind}
    for want in kinds:
        for k, f in _KIND_FALLBACK.get(want, {}).items():
            if f > table[k][0]:
                table[k] = (f, False)
    for want in kinds:
        table[want] = (1.0, True)
    return table


def _text_score(q: _Norm, s: _Norm, sim: float, quoted: bool) -> tuple[float, str]:
    """How well one element text matches the query text, with the level in words."""
    if not q.loose:  # punctuation-only query ("+", "...")
        return (1.0, "exact") if q.full == s.full else (0.0, "different")
    if not s.loose:
        return 0.0, "different"
    if q.low == s.low:
        return 1.0, "exact"
    if q.loose == s.loose:
        return _EXACT, "same ignoring case, spaces and punctuation"
    if q.fold == s.fold:
        return 0.93, "same up to OCR confusions"
    fuzzy = 0.9 * sim
    if quoted and sim >= 0.85:
        return fuzzy, f"fuzzy {sim:.2f}"
    # A quoted query must match closely: looser matches are halved so they are reported as
    # candidates but cannot reach a sensible min_confidence.
    penalty, note = (0.5, ", quoted text must match closely") if quoted else (1.0, "")
    if len(q.loose) >= 2 and q.loose in s.loose:
        cov = len(q.loose) / len(s.loose)
        boundary = q.words in s.words or s.loose.startswith(q.loose) or s.loose.endswith(q.loose)
        sub = (0.6 if boundary else 0.4) + 0.3 * cov
        if sub > fuzzy:
            return sub * penalty, f"contains the query ({cov:.0%} of it){note}"
    return fuzzy * penalty, f"fuzzy {sim:.2f}{note}"


@dataclass(slots=True)
class _Cand:
    """A scored element. ``base`` is text x kind (x alignment for relations); ``score`` also
    weighs distance relative to the nearest candidate, so ordinals count on ``base``."""

    idx: int
    score: float
    reason: str
    exact_kind: bool
    cost: float = 0.0
    base: float = 0.0

    def __post_init__(self) -> None:
        self.base = self.score


def _score_elements(ix: _Index, q: TargetQuery, floor: float = 0.3) -> dict[int, _Cand]:
    """Text and kind score of the elements that could match, best name source per element.

    Fuzzy similarity for all sources comes from one vectorised rapidfuzz call; only sources
    that can be exact, OCR-equal or contain the query go through the detailed Python path.
    Elements under ``floor`` are dropped, except the few best, kept to explain a failure.
    """
    table = _kind_table(q.kinds)
    kinds_requested = bool(q.kinds)
    out: dict[int, _Cand] = {}
    if not q.text:
        for k in ElementKind:
            f, exact = table[k]
            if f <= 0.0:
                continue
            if not kinds_requested:
                f = 1.0 if k is not K.CONTAINER else 0.9
            for i in ix.by_kind.get(k, []):
                out[i] = _Cand(i, f, f"kind {k.value}", exact)
        return out
    if not ix.src_elem:
        return out

    kf = np.array([table[k][0] for k in _KIND_LIST])[ix.src_kind_arr]
    ex = np.array([table[k][1] for k in _KIND_LIST])[ix.src_kind_arr]
    qn = _norm(q.text)
    scorer = OSA.normalized_similarity
    sims = process.cdist([qn.loose], ix.src_loose, scorer=scorer, dtype=np.float64)[0]
    simsf = process.cdist([qn.fold], ix.src_fold, scorer=scorer, dtype=np.float64)[0]
    sim = np.maximum(sims, 0.98 * simsf)
    # A quoted query must match closely: looser matches are halved (reported, never chosen).
    ts = np.where(sim >= 0.85, 0.9 * sim, 0.45 * sim) if q.quoted else 0.9 * sim
    hows: dict[int, str] = {}
    ql = qn.loose
    if not ql:
        special = list(range(len(ix.src_elem)))  # punctuation-only query: compare in full
    else:
        special_set = set(np.flatnonzero((sims >= 0.999) | (simsf >= 0.999)).tolist())
        if len(ql) >= 2:
            special_set.update(j for j, sl in enumerate(ix.src_loose) if ql in sl)
        special = sorted(special_set)
    norms = ix.src_norm
    for j in special:
        ts[j], hows[j] = _text_score(qn, norms[j], float(sim[j]), q.quoted)
    role = ix.src_role_arr
    full_label = (role == 2) & ((ex & kinds_requested) | ix.src_plain_label)
    rf = np.where((role == 0) | full_label, 1.0, 0.9)
    score = ts * rf * kf

    keep = np.flatnonzero(score >= max(floor, 1e-9))
    if keep.size < 6:
        keep = np.argsort(-score, kind="stable")[:6]
    keep = keep[np.argsort(-score[keep], kind="stable")]
    note = ", quoted text must match closely" if q.quoted else ""
    for j in keep.tolist():
        sj = float(score[j])
        ei = ix.src_elem[j]
        if sj <= 0.0 or ei in out:
            continue
        how = hows.get(j) or f"fuzzy {sim[j]:.2f}{note if sim[j] < 0.85 else ''}"
        reason = f"{_ROLES[role[j]]} '{ix.src_text[j]}' ({how}), kind {ix.kinds[ei].value}"
        out[ei] = _Cand(ei, sj, reason, bool(ex[j]))
    return out


def _geometry(rel: Relation, a: Rect, c: Rect) -> tuple[float, bool] | None:
    """(cost in px, aligned) of ``c`` relative to anchor box ``a``, or None if not in that
    direction. Cost is the gap along the direction plus twice the misalignment across it."""
    if rel in ("right_of", "left_of"):
        if rel == "right_of":
            if c.left < a.cx:
                return None
            gap = max(0, c.left - a.right)
        else:
            if c.right > a.cx:
                return None
            gap = max(0, a.left - c.right)
        ov = min(a.bottom, c.bottom) - max(a.top, c.top)
        return gap + 2 * max(0, -ov) + 0.1 * abs(c.cy - a.cy), ov > 0
    if rel in ("below", "above"):
        if rel == "below":
            if c.top < a.cy:
                return None
            gap = max(0, c.top - a.bottom)
        else:
            if c.bottom > a.cy:
                return None
            gap = max(0, a.top - c.bottom)
        ov = min(a.right, c.right) - max(a.left, c.left)
        return gap + 2 * max(0, -ov) + 0.1 * abs(c.cx - a.cx), ov > 0
    if rel == "near":
        dx = max(0, c.left - a.right, a.left - c.right)
        dy = max(0, c.top - a.bottom, a.top - c.bottom)
        aligned = dx == 0 or dy == 0
        return math.hypot(dx, dy) + (0 if aligned else min(dx, dy)), aligned
    # inside
    if c.overlap_ratio(a) >= 0.8 and c.area < a.area:
        return 0.0, True
    return None


# --------------------------------------------------------------------------------------------
# Locating
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Outcome:
    ranked: list[_Cand]  # every candidate worth reporting, best first
    pool: list[_Cand]  # candidates eligible for the choice, best first
    ordinal_pool: list[_Cand]  # candidates an ordinal counts among (by base score)
    detail: str = ""
    by_cost: bool = False  # ordinals count by distance (directional relations)
    anchor_err: TargetNotFound | None = None


def _sort_key(ix: _Index, c: _Cand) -> tuple[float, float, int]:
    return (-round(c.score, 6), c.cost, ix.rank[c.idx])


def _eligible(cands: list[_Cand], min_conf: float) -> list[_Cand]:
    """Candidates the choice is made from: the requested kinds only, unless none of them
    matches well enough, then the fallback kinds ("the OK button" may be OCR'd as text)."""
    use_exact = any(c.exact_kind and c.base >= min_conf for c in cands)
    return [c for c in cands if (c.exact_kind or not use_exact) and c.base >= min_conf]


def _ranked(ix: _Index, eligible: list[_Cand], cands: list[_Cand]) -> list[_Cand]:
    """Eligible candidates first (best first), then the rest, for runners-up and reports."""
    eligible.sort(key=lambda c: _sort_key(ix, c))
    chosen = {id(c) for c in eligible}
    rest = sorted((c for c in cands if id(c) not in chosen), key=lambda c: _sort_key(ix, c))
    return eligible + rest


def _candidates(
    ix: _Index, q: TargetQuery, min_conf: float, anchor_conf: float | None = None
) -> _Outcome:
    """Score the whole state for ``q``; resolves the anchor first for relational queries
    (with ``anchor_conf``, default ``min_conf``)."""
    if q.relation is None or q.anchor is None:
        cands = list(_score_elements(ix, q, min(0.3, min_conf)).values())
        pool = _eligible(cands, min_conf)
        return _Outcome(_ranked(ix, pool, cands), pool, pool)

    try:
        _, ai = _resolve(ix, q.anchor, min_conf if anchor_conf is None else anchor_conf)
    except TargetNotFound as err:
        return _Outcome([], [], [], f"anchor '{q.anchor.raw}' not found", anchor_err=err)
    a_el = ix.elements[ai]
    abox = a_el.box
    if q.relation in ("below", "above") and ai in ix.row_labelled:
        abox = abox.union(ix.elements[ix.row_labelled[ai]].box)  # "below Password" = its row

    rel_words = q.relation.replace("_", " ")
    qualified: list[_Cand] = []
    for i, c in _score_elements(ix, q, min(0.3, min_conf)).items():
        if i == ai:
            continue
        cb = ix.elements[i].box
        if q.relation != "inside" and cb.contains(a_el.box):
            continue  # the window around the anchor is not "next to" it
        g = _geometry(q.relation, abox, cb)
        if g is None:
            continue
        c.cost, aligned = g
        c.reason += f", {rel_words} #{a_el.id} ({c.cost:.0f}px, {'' if aligned else 'not '}aligned)"
        if not aligned:
            c.score *= 0.9
        c.base = c.score
        qualified.append(c)

    eligible = _eligible(qualified, min_conf)
    chosen_ids = {id(c) for c in eligible}
    rest = [c for c in qualified if id(c) not in chosen_ids]
    for group in (eligible, rest):
        if group:  # nearest gets its base score, farther ones less: 100 px costs half
            best_cost = min(c.cost for c in group)
            for c in group:
                c.score = c.base * 100.0 / (100.0 + c.cost - best_cost)
    ranked = _ranked(ix, eligible, qualified)
    pool = [c for c in eligible if c.score >= min_conf]
    return _Outcome(
        ranked,
        pool,
        eligible,
        f"{rel_words} {ix.name_of(ai) or a_el.kind.value} #{a_el.id}",
        by_cost=q.relation != "inside",
    )


def _names(ix: _Index, cands: list[_Cand]) -> list[str]:
    return [_describe(ix.elements[c.idx], ix.name_of(c.idx)) for c in cands]


def _describe(e: Element, name: str) -> str:
    if e.text.strip() and e.kind not in (K.FIELD, K.COMBO):
        return f"'{e.text}' {e.kind.value} #{e.id}"
    if name.strip():
        return f"{e.kind.value} #{e.id} labelled '{name}'"
    if e.text.strip():
        return f"{e.kind.value} #{e.id} containing '{e.text}'"
    return f"{e.kind.value} #{e.id}"


def _to_match(ix: _Index, c: _Cand) -> Match:
    return Match(ix.elements[c.idx], round(min(1.0, c.score), 4), c.reason)


def _not_found(ix: _Index, q: TargetQuery, out: _Outcome, detail: str = "") -> TargetNotFound:
    if out.anchor_err is not None:
        err = out.anchor_err
        return TargetNotFound(
            q.raw,
            err.candidates,
            detail=f"anchor '{q.anchor.raw if q.anchor else ''}' not found",
            names=[
                _describe(m.element, ix.name_of(ix.pos_of_id[m.element.id])) for m in err.candidates
            ],
        )
    top = [c for c in out.ranked if c.score > 0.0][:5]
    return TargetNotFound(
        q.raw,
        [_to_match(ix, c) for c in top],
        detail=detail or out.detail,
        names=_names(ix, top),
    )


def _ordinal_words(q: TargetQuery) -> str:
    if q.ordinal_phrase:
        return q.ordinal_phrase.lower()
    n = q.ordinal or 0
    return f"number {n}" if n > 0 else f"number {-n} from the end"


def _choose(ix: _Index, q: TargetQuery, out: _Outcome) -> tuple[LocateResult, int]:
    """Pick one candidate: by ordinal if asked, else the best (first in reading order among
    equally good ones, with confidence divided by sqrt(number tied))."""
    if not out.pool:
        raise _not_found(ix, q, out)
    best = out.pool[0]
    ambiguous = False
    if q.ordinal is not None:
        top_base = max(c.base for c in out.ordinal_pool)
        band = [c for c in out.ordinal_pool if c.base >= top_base - _ORDINAL_BAND]
        if out.by_cost:
            band.sort(key=lambda c: (c.cost, ix.rank[c.idx]))
        else:
            band.sort(key=lambda c: ix.rank[c.idx])
        k = q.ordinal - 1 if q.ordinal > 0 else len(band) + q.ordinal
        if not 0 <= k < len(band):
            raise _not_found(
                ix, q, out, detail=f"asked for the {_ordinal_words(q)} but only {len(band)} match"
            )
        chosen = band[k]
        confidence = chosen.base
        ordered = "by distance" if out.by_cost else "in reading order"
        reason = f"{chosen.reason}; the {_ordinal_words(q)} of {len(band)} {ordered}"
    else:
        tied = [c for c in out.pool if c.score >= best.score - _TIE]
        if len(tied) > 1:
            ambiguous = True
            chosen = min(tied, key=lambda c: (c.cost, ix.rank[c.idx]))
            confidence = chosen.score / math.sqrt(len(tied))
            reason = f"{chosen.reason}; ambiguous: {len(tied)} equally good matches, first taken"
        else:
            chosen = best
            confidence = best.score
            reason = best.reason
    runners = [_to_match(ix, c) for c in out.ranked if c is not chosen and c.score > 0.0][:5]
    result = LocateResult(
        element=ix.elements[chosen.idx],
        confidence=round(min(1.0, confidence), 4),
        runners_up=runners,
        query=q.raw,
        reason=reason,
        ambiguous=ambiguous,
    )
    return result, chosen.idx


def _alternatives(q: TargetQuery) -> list[tuple[TargetQuery, bool]]:
    """Other readings of ``q`` as (query, usable-as-fallback).

    Ordinal and weak kind words are often part of a label ("the First Name field", "Edit",
    "New Window"), and a relation word can be part of one ("Insert below"). An alternative
    reading wins whenever it matches some element's text exactly; the first two also stand
    in when the primary reading finds nothing. The literal reading of a relational query
    does not, so a missing anchor is reported as such rather than papered over.
    """
    alts: list[tuple[TargetQuery, bool]] = []
    if q.ordinal_phrase and not q.quoted and q.kind_at != "prefix":
        text = f"{q.ordinal_phrase} {q.text}".strip()
        alts.append((replace(q, text=text, ordinal=None, ordinal_phrase=""), True))
    if q.kind_phrase and not q.quoted and q.kind_phrase.lower() in _WEAK_KIND_WORDS:
        parts = [q.text, q.kind_phrase] if q.kind_at == "suffix" else [q.kind_phrase, q.text]
        text = " ".join(p for p in parts if p)
        alts.append((replace(q, text=text, kinds=(), kind_phrase="", kind_at=""), True))
    if q.relation is not None:
        literal = " ".join(_strip_articles(_clean(q.raw).split()))
        alts.append((TargetQuery(text=literal, raw=q.raw), False))
    return alts


def _resolve(ix: _Index, q: TargetQuery, min_conf: float) -> tuple[LocateResult, int]:
    """Locate one parsed query, trying its alternative readings (see ``_alternatives``)."""
    if q.element_id is not None:
        i = ix.pos_of_id.get(q.element_id)
        if i is None:
            ids = sorted(ix.pos_of_id)
            span = f"ids {ids[0]}..{ids[-1]}" if ids else "the screen has no elements"
            raise TargetNotFound(q.raw, [], detail=f"no element #{q.element_id}; {span}")
        e = ix.elements[i]
        return LocateResult(e, 1.0, [], q.raw, reason=f"element #{e.id} by id"), i

    primary: tuple[LocateResult, int] | None = None
    primary_err: TargetNotFound | None = None
    try:
        primary = _choose(ix, q, _candidates(ix, q, min_conf))
    except TargetNotFound as err:
        primary_err = err
    fallback: tuple[LocateResult, int] | None = None
    settled = primary is not None and primary[0].confidence >= _EXACT
    for alt, fallback_ok in _alternatives(q):
        if settled and alt.relation is None and q.relation is not None:
            continue  # a confident relational answer needs no literal re-reading
        try:
            ares, aidx = _choose(ix, alt, _candidates(ix, alt, min_conf))
        except TargetNotFound:
            continue
        ares = replace(ares, query=q.raw)
        if ares.confidence >= (_EXACT if alt.kinds else _EXACT_LITERAL) and not ares.ambiguous:
            return ares, aidx
        if fallback_ok and fallback is None:
            fallback = (ares, aidx)
    if primary is not None:
        return primary
    if fallback is not None:
        return fallback
    assert primary_err is not None
    raise primary_err


def locate(
    state: ScreenState, query: str | TargetQuery, *, min_confidence: float = 0.6
) -> LocateResult:
    """The element ``query`` names on ``state``.

    Raises ``TargetNotFound`` (with the closest candidates) when no element scores at least
    ``min_confidence``; never picks at random. Ambiguous matches return the first in reading
    order with reduced confidence and ``ambiguous=True``.
    """
    q = parse_query(query) if isinstance(query, str) else query
    if not q.raw:
        q = replace(q, raw=q.text or str(q.kinds))
    if (
        q.element_id is None
        and not q.text
        and not q.kinds
        and q.ordinal is None
        and q.relation is None
    ):
        raise TargetNotFound(q.raw, [], detail="the query names no text, kind or position")
    ix = _index_for(state)
    return _resolve(ix, q, min_confidence)[0]


def label_of(state: ScreenState, element: Element) -> Element | None:
    """The text element that labels ``element`` on ``state`` (a field's label left of or
    above it, a check box's text, an icon's caption), or None. The same association
    ``locate`` uses for "the Password field", so the gate and the locator agree on names."""
    ix = _index_for(state)
    i = ix.pos_of_id.get(element.id)
    if i is None or ix.elements[i].box != element.box:
        return None
    li = ix.label_of.get(i)
    return None if li is None else ix.elements[li]


def locate_all(state: ScreenState, query: str | TargetQuery) -> list[Match]:
    """Every plausible match for ``query``, best first (ties in reading order).

    Ordinals are not applied (they select one of these); an unresolvable anchor gives [].
    """
    q = parse_query(query) if isinstance(query, str) else query
    ix = _index_for(state)
    if q.element_id is not None:
        i = ix.pos_of_id.get(q.element_id)
        return [] if i is None else [Match(ix.elements[i], 1.0, "by id")]
    out = _candidates(ix, q, 0.0, anchor_conf=0.6)
    ranked = sorted(out.ranked, key=lambda c: _sort_key(ix, c))
    return [_to_match(ix, c) for c in ranked if c.score >= 0.3]
