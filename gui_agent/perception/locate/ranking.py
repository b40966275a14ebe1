"""Ranking: text and kind scores per element, relations to an anchor, ordinals, ties and
alternative readings of one query, down to one chosen element or a clear refusal."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from gui_agent.geometry import Rect
from gui_agent.perception.locate.index import _KIND_LIST, _ROLES, GUESS_ROLE, _Index
from gui_agent.perception.locate.query import (
    _WEAK_KIND_WORDS,
    GENERIC_PLACES,
    SYMBOL_NAMES,
    Relation,
    TargetQuery,
    _clean,
    _strip_articles,
)
from gui_agent.perception.locate.results import LocateResult, Match, TargetNotFound, _describe
from gui_agent.perception.locate.text import _Norm, _norm
from gui_agent.perception.locate.words import (
    FUZZY_MIN,
    span_in_line,
    words_inside,
    wrapped_head,
)
from gui_agent.perception.state import Element, ElementKind

K = ElementKind

# When a query asks for kind X, these other kinds are accepted at a lower score (perception
# sometimes classifies a toolbar button as an icon, a combo as a field, a button as text).
_KIND_FALLBACK: dict[ElementKind, dict[ElementKind, float]] = {
    # A plain push button is drawn like a field in some styles (Fusion's flat bevel) and
    # perception may call it one: its exact caption must still answer "the Save button".
    K.BUTTON: {
        K.LINK: 0.85,
        K.MENU_ITEM: 0.8,
        K.ICON: 0.8,
        K.TAB: 0.75,
        K.TEXT: 0.75,
        K.FIELD: 0.7,
        K.COMBO: 0.65,
        K.TOGGLE: 0.6,
    },
    K.LINK: {K.TEXT: 0.85, K.BUTTON: 0.8},
    K.MENU_ITEM: {K.TEXT: 0.8, K.BUTTON: 0.8, K.LINK: 0.75},
    # A multi-line editor is a field; perception may see it as a panel or a list.
    K.FIELD: {K.COMBO: 0.8, K.CONTAINER: 0.75, K.LIST: 0.75},
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
# With an exact text, a fallback kind that is a control loses only this share of its
# penalty (0.7 -> 0.88). A bare text or a panel is not evidence of a control.
_EXACT_KIND_SLACK = 0.4
_BARE = (K.TEXT, K.CONTAINER, K.LIST)
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


def _text_score(
    q: _Norm, s: _Norm, sim: float, quoted: bool, whole_words: bool = False
) -> tuple[float, str]:
    """How well one element text matches the query text, with the level in words.
    ``whole_words``: ``s`` is a vocabulary word, never a run-together OCR reading, so it
    contains the query only word for word."""
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
    if len(q.loose) >= 2 and q.loose in s.loose and (not whole_words or q.words in s.words):
        cov = len(q.loose) / len(s.loose)
        boundary = q.words in s.words or s.loose.startswith(q.loose) or s.loose.endswith(q.loose)
        sub = (0.6 if boundary else 0.4) + 0.3 * cov
        if sub > fuzzy:
            return sub * penalty, f"contains the query ({cov:.0%} of it){note}"
    return fuzzy * penalty, f"fuzzy {sim:.2f}{note}"


# Whole words inside a line whose characters the recogniser placed are a target of their own
# ("the link massa" in a sentence): nearly as good as a text of their own.
_WORDS_IN_LINE = 0.92


def _score_words_in_lines(
    ix: _Index, text: str, qn: _Norm, ts: np.ndarray, hows: dict[int, str], parts: dict[int, str]
) -> None:
    """Raise the score of lines that hold the query's words (exactly, or with an OCR slip)
    where the recogniser placed their characters: those words can be clicked on their own."""
    lines = ix.placed_lines
    if not lines:
        return
    _score_wrapped(ix, text, ts, hows, parts)
    loose = [ix.src_loose[j] for j in lines]
    partial = process.cdist([qn.loose], loose, scorer=fuzz.partial_ratio, dtype=np.float64)[0]
    for j, p in zip(lines, partial.tolist(), strict=True):
        if p < 100 * FUZZY_MIN or ts[j] >= _WORDS_IN_LINE:
            continue
        span = span_in_line(ix.src_text[j], text)
        if span is None:
            continue
        score = _WORDS_IN_LINE * span[2]
        if score > ts[j]:
            ts[j] = score
            alike = f" (read {span[2]:.2f} alike)" if span[2] < 1.0 else ""
            hows[j] = f"words inside the line, clicked on their own{alike}"


def _score_wrapped(
    ix: _Index, text: str, ts: np.ndarray, hows: dict[int, str], parts: dict[int, str]
) -> None:
    """A phrase that wraps from the end of one line to the start of the line under it (a
    link in a paragraph) is found on its first part."""
    if " " not in text.strip():
        return
    for j, below in ix.lines_below.items():
        if ts[j] >= _WORDS_IN_LINE:
            continue
        for k in below:
            head = wrapped_head(ix.src_text[j], ix.src_text[k], text)
            if head is not None:
                ts[j] = _WORDS_IN_LINE * 0.98
                hows[j] = f"the words wrap onto the next line '{ix.src_text[k]}'"
                parts[j] = head
                break


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
    evidence: bool = False  # exact text on a control of another kind (kind as evidence)
    words: str = ""  # the part of the query this line holds (a phrase wrapping onto the next)
    aligned: bool = True  # on the anchor's row or column (relational queries)

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
                if K.ICON in q.kinds and ix.pictogram(i):
                    out[i] = _Cand(i, 1.0, f"kind {k.value} showing a pictogram", True)
                else:
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
        ts[j], hows[j] = _text_score(qn, norms[j], float(sim[j]), q.quoted, ix.src_vocab[j])
    parts: dict[int, str] = {}
    if not q.quoted and len(qn.loose) >= 2:
        _score_words_in_lines(ix, q.text, qn, ts, hows, parts)
    role = ix.src_role_arr
    full_label = (role == 2) & ((ex & kinds_requested) | ix.src_plain_label)
    rf = np.where((role == 0) | full_label, 1.0, 0.9)
    rf = np.where(role == GUESS_ROLE, ix.src_weight, rf)
    # Kind is evidence, not a filter: an exact caption on an element of another plausible
    # kind keeps most of its score, so "the Save button" finds the control reading "Save"
    # that perception typed as a field before a fuzzy "Save draft" that is a button.
    control = np.array([k not in _BARE for k in _KIND_LIST])[ix.src_kind_arr]
    evidence = (ts >= _EXACT) & (kf > 0.0) & ~ex & control
    kf = np.where(evidence, 1.0 - (1.0 - kf) * _EXACT_KIND_SLACK, kf)
    score = ts * rf * kf
    if ix.src_by_app.any():
        # where the app named its controls, its exact name outranks OCR's same-looking guess
        # (a misread "8" straddling the "5" key), never a better match on the words
        score = np.where(ix.src_by_app, score, score * 0.97)

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
        out[ei] = _Cand(
            ei, sj, reason, bool(ex[j]), evidence=bool(evidence[j]), words=parts.get(j, "")
        )
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
    inside = c.overlap_ratio(a) >= 0.8 and c.area < a.area
    if rel == "inside":
        return (0.0, True) if inside else None
    # context: the candidate that belongs with the anchor text. Inside it, on its row (a
    # table row, a card's button beside its title) or under it in its column (a section
    # below its heading) is close; anything else costs its distance, and more.
    if inside:
        return 0.0, True
    dx = max(0, c.left - a.right, a.left - c.right)
    dy = max(0, c.top - a.bottom, a.top - c.bottom)
    same_row = min(a.bottom, c.bottom) - max(a.top, c.top) > 0
    under = c.top >= a.top and min(a.right, c.right) - max(a.left, c.left) > 0
    if same_row:
        return float(dx), True
    if under:
        return float(dy), True
    return 1.5 * math.hypot(dx, dy) + 50.0, False


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
    """Candidates the choice is made from: the requested kinds, and other kinds only where
    they match better than any of those ("the OK button" may be OCR'd as text; a button
    typed as a field still reads exactly "Save")."""
    best_exact = max((c.base for c in cands if c.exact_kind and c.base >= min_conf), default=0.0)
    return [
        c
        for c in cands
        if c.base >= min_conf
        and (c.exact_kind or not best_exact or (c.evidence and c.base > best_exact))
    ]


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
        if q.relation in ("inside", "context") and q.anchor.text.lower() in GENERIC_PLACES:
            # "the trash icon in the toolbar" with no text "toolbar": the target alone
            out = _candidates(ix, replace(q, relation=None, anchor=None), min_conf)
            out.detail = f"no '{q.anchor.text}' text on screen, so the target alone"
            return out
        return _Outcome([], [], [], f"anchor '{q.anchor.raw}' not found", anchor_err=err)
    a_el = ix.elements[ai]
    abox = a_el.box
    rel = q.relation
    if rel == "inside" and a_el.kind not in (K.CONTAINER, K.LIST):
        rel = "context"  # "the OK button in Settings", where Settings is a heading
    if rel in ("below", "above") and ai in ix.row_labelled:
        abox = abox.union(ix.elements[ix.row_labelled[ai]].box)  # "below Password" = its row

    rel_words = "with" if rel == "context" else rel.replace("_", " ")
    qualified: list[_Cand] = []
    for i, c in _score_elements(ix, q, min(0.3, min_conf)).items():
        if i == ai:
            continue
        cb = ix.elements[i].box
        if rel != "inside" and cb.contains(a_el.box):
            continue  # the window around the anchor is not "next to" it
        g = _geometry(rel, abox, cb)
        if g is None:
            continue
        c.cost, aligned = g
        c.reason += f", {rel_words} #{a_el.id} ({c.cost:.0f}px, {'' if aligned else 'not '}aligned)"
        if not aligned:
            c.score *= 0.9
        c.base = c.score
        c.aligned = aligned
        qualified.append(c)

    eligible = _eligible(qualified, min_conf)
    if rel == "context":
        # The context is what the person is sure of; the kind is our guess. "The Edit button
        # in the Bob row" is the Edit on Bob's row even when only another row's Edit was
        # typed a button: kinds are weighed among the candidates that belong with the anchor.
        belonging = _eligible([c for c in qualified if c.aligned], min_conf)
        if belonging:
            eligible = belonging
    chosen_ids = {id(c) for c in eligible}
    rest = [c for c in qualified if id(c) not in chosen_ids]
    for group in (eligible, rest):
        if not group:
            continue
        if rel == "context":
            # Within the anchor's row or section the words decide and distance only settles
            # equals: "Edit" two cells away beats "Editor" next to "Bob".
            top = max(c.base for c in group)
            near = [c for c in group if c.base >= top - _ORDINAL_BAND]
            for c in group:
                if c.base < top - _ORDINAL_BAND:
                    c.score = c.base * 0.5
        else:
            near = group
        best_cost = min(c.cost for c in near)
        for c in near:  # nearest gets its base score, farther ones less: 100 px costs half
            c.score = c.base * 100.0 / (100.0 + c.cost - best_cost)
    ranked = _ranked(ix, eligible, qualified)
    pool = [c for c in eligible if c.score >= min_conf]
    return _Outcome(
        ranked,
        pool,
        eligible,
        f"{rel_words} {ix.name_of(ai) or a_el.kind.value} #{a_el.id}",
        by_cost=rel != "inside",
    )


def _names(ix: _Index, cands: list[_Cand]) -> list[str]:
    return [_describe(ix.elements[c.idx], ix.name_of(c.idx)) for c in cands]


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
    element = ix.elements[chosen.idx]
    aimed = _aim_at_caption(element) if chosen.evidence else None
    if aimed is not None:
        element = aimed
        reason = f"{reason}; aimed at its words, since its kind was a guess"
    inside = words_inside(element, chosen.words or q.text) if q.text else None
    if inside is not None:
        element, note, times = inside
        reason = f"{reason}; {note}"
        if times > 1 and not ambiguous:
            ambiguous, confidence = True, confidence / math.sqrt(times)
    result = LocateResult(
        element=element,
        confidence=round(min(1.0, confidence), 4),
        runners_up=runners,
        query=q.raw,
        reason=reason,
        ambiguous=ambiguous,
    )
    return result, chosen.idx


# A caption filling less than this share of its box's width is aimed at on its own.
_NARROW_CAPTION = 0.6


def _aim_at_caption(element: Element) -> Element | None:
    """A control found by its exact caption but typed as another kind ("the Delete button"
    perceived as a wide field reading "DELETE"): its box is the part perception guessed,
    its caption the part it read, so the click goes to the caption. Pressing a button's
    words presses it, and a field's value is inside the field, so either way it lands."""
    lab = element.label_box
    if element.kind not in (K.FIELD, K.COMBO) or lab is None:
        return None
    if lab.w >= _NARROW_CAPTION * element.box.w or not element.box.contains_point(lab.center):
        return None
    return replace(element, box=lab)


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
    for symbol in SYMBOL_NAMES.get(q.text.lower(), ()) if not q.quoted else ():
        alts.append((replace(q, text=symbol), True))  # "the minus key" -> "-"
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
