"""Everything about a screen state that does not depend on the query: label associations
(which text names which field, check box, icon or panel), name sources, reading order;
computed once per state and cached."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Literal, cast

import numpy as np
import numpy.typing as npt

from gui_agent.geometry import Rect
from gui_agent.perception.icon_names import icon_words
from gui_agent.perception.icon_vocabulary import GLYPH_NAMES, meaning_of_word
from gui_agent.perception.locate.text import _Norm, _norm
from gui_agent.perception.state import Element, ElementKind, ScreenState

K = ElementKind

_GLYPH_MAX = 48


def _words_for(meaning: str) -> tuple[str, ...]:
    """A glyph's meaning and the words the icon vocabulary has for it ("more" -> "more
    options", "kebab" ...)."""
    try:
        return tuple(dict.fromkeys((meaning, *icon_words(meaning))))
    except (KeyError, ValueError):
        return (meaning,)


_Role = Literal["text", "content", "label", "caption", "title", "guess"]
_ROLES: tuple[_Role, ...] = ("text", "content", "label", "caption", "title", "guess")
GUESS_ROLE = _ROLES.index("guess")


def guess_weight(score: float) -> float:
    """How far an icon's guessed meaning (not its name) counts against a name: from 0.665
    for a 0.15 guess to 0.77 at 0.5 and above, always well under a name's 0.9, so a guess
    answers only a query that no named icon or text answers, and only with the query's own
    word (a fuzzy word times this falls under the usual 0.6 confidence)."""
    return 0.62 + 0.3 * min(max(score, 0.0), 0.5)


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
        src_weight: list[float] = []
        src_vocab: list[bool] = []

        def add(i: int, role: _Role, text: str, weight: float = 1.0, vocab: bool = False) -> None:
            if text.strip():
                src_elem.append(i)
                src_role.append(_ROLES.index(role))
                src_norm.append(_norm(text))
                src_text.append(text)
                src_weight.append(weight)
                src_vocab.append(vocab)

        for i, e in enumerate(els):
            add(i, "content" if e.kind in (K.FIELD, K.COMBO) else "text", e.text)
            if e.box.w <= _GLYPH_MAX and e.box.h <= _GLYPH_MAX:
                for meaning in GLYPH_NAMES.get(e.text.strip(), ()):
                    for word in _words_for(meaning):
                        add(i, "caption", word, vocab=True)  # a "×" button is "the close button"
            if e.icon_name:
                for word in icon_words(e.icon_name):
                    add(i, "caption", word, vocab=True)  # the trash can is "the delete icon"
            for meaning, score in e.icon_guesses:
                for word in icon_words(meaning):
                    # a gear the model took for a sun
                    add(i, "guess", word, guess_weight(score), vocab=True)
            if e.source != "vision" and e.box.w <= _GLYPH_MAX and e.box.h <= _GLYPH_MAX:
                # an icon-only control the app names by what it does ("Settings"): a person
                # names it by what it shows, "the gear icon"
                named = meaning_of_word(e.text)
                for word in _words_for(named) if named else ():
                    add(i, "caption", word, vocab=True)
            li = self.label_of.get(i)
            if li is not None:
                role: _Role = (
                    "caption" if e.kind is K.ICON else "title" if e.kind is K.CONTAINER else "label"
                )
                add(i, role, els[li].text)
        # Name sources that are a line's own text with character positions: a word inside
        # them can be a target of its own.
        text_role = _ROLES.index("text")
        self.placed_lines: list[int] = [
            j
            for j, (i, role) in enumerate(zip(src_elem, src_role, strict=True))
            if role == text_role and els[i].char_x and " " in src_text[j].strip()
        ]
        # The lines under each placed line that could continue it (a wrapped link's second
        # part starts there), nearest first: geometry only, so worked out once per state.
        placed = {j: els[src_elem[j]].box for j in self.placed_lines}
        self.lines_below: dict[int, list[int]] = {
            j: sorted(
                (
                    k
                    for k, b in placed.items()
                    if 0 < b.top - a.top <= 1.6 * a.h and b.x <= a.x + a.h and b.right > a.x
                ),
                key=lambda k: placed[k].top,
            )
            for j, a in placed.items()
        }
        self.src_elem = src_elem
        self.src_norm = src_norm
        self.src_text = src_text
        self.src_loose = [x.loose for x in src_norm]
        self.src_fold = [x.fold for x in src_norm]
        self.src_role_arr = np.array(src_role, dtype=np.intp)
        self.src_weight = np.array(src_weight, dtype=np.float64)
        # our vocabulary's words, spelt as we wrote them (not OCR's run-together reading):
        # a query word is inside one only as a whole word, so "star" is not in "start page"
        self.src_vocab = src_vocab
        self.src_kind_arr = np.array([_KIND_CODE[els[i].kind] for i in src_elem], dtype=np.intp)
        # own words the app's accessibility tree gave (exact), as against OCR's reading
        self.src_by_app = np.array(
            [els[i].source != "vision" and r == 0 for i, r in zip(src_elem, src_role, strict=True)],
            dtype=bool,
        )
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
        fields = np.array(
            [
                i
                for i, e in enumerate(self.elements)
                if e.kind in (K.FIELD, K.COMBO, K.LIST)
                or self._editor_like(i)
                or (e.kind is K.BUTTON and e.box.w >= 3 * e.box.h)  # a drop-down seen as one
            ],
            dtype=np.intp,
        )
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
            above: dict[int, tuple[float, int]] = {}  # label -> (gap, field) nearest under it
            for r, fi in enumerate(fields.tolist()):
                if has_l[r] and not blocked[r]:
                    self.label_of[fi] = int(texts[best_l[r]])
                    self.row_labelled.setdefault(int(texts[best_l[r]]), fi)
                elif has_a[r]:
                    li, dist = int(texts[best_a[r]]), float(gap_a[r, best_a[r]])
                    if li not in above or dist < above[li][0]:
                        above[li] = (dist, fi)
            # A label above names the field right under it, not the next one down as well
            # ("Password" over its field, "Promo code" field below with only a placeholder).
            for li, (_, fi) in above.items():
                self.label_of[fi] = li

        text_list = texts.tolist()
        for ci in self.by_kind.get(K.CONTAINER, []):
            box = self.elements[ci].box
            if self.elements[ci].text.strip() or ci in self.label_of:
                continue  # named already: by its own text, or as an editor by its label
            inside = [
                t
                for t in text_list
                if box.contains(self.elements[t].box) and self.elements[t].box.top - box.top <= 40
            ]
            if inside:  # a dialog or panel is named by its title, the first text at its top
                self.label_of[ci] = min(inside, key=lambda t: self.rank[t])

    def pictogram(self, i: int) -> bool:
        """A small button showing a picture or a glyph, not a caption in words: an icon to a
        person counting "the third icon" (a "×" button, a toolbar button)."""
        e = self.elements[i]
        small = e.box.w <= _GLYPH_MAX and e.box.h <= _GLYPH_MAX
        return e.kind is K.BUTTON and small and sum(ch.isalpha() for ch in e.text) < 2

    def _editor_like(self, i: int) -> bool:
        """An untitled panel that holds nothing but text, the size of a text box: a
        multi-line editor perception did not call a field (a Tk Text, a <textarea>)."""
        e = self.elements[i]
        if e.kind is not K.CONTAINER or e.text.strip() or not (30 <= e.box.h <= 400):
            return False
        if e.box.w < 80:
            return False
        return not any(
            o.kind is not K.TEXT and j != i and e.box.contains(o.box)
            for j, o in enumerate(self.elements)
        )

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
