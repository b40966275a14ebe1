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

The package: ``query`` (the grammar), ``text`` (normalisation), ``index`` (per-state label
associations and name sources), ``ranking`` (scores, relations, ordinals, the choice) and
``results`` (what a look-up returns).
"""

from __future__ import annotations

from dataclasses import replace

from gui_agent.perception.locate.index import _index_for
from gui_agent.perception.locate.query import Relation, TargetQuery, parse_query
from gui_agent.perception.locate.ranking import _candidates, _resolve, _sort_key, _to_match
from gui_agent.perception.locate.results import LocateResult, Match, TargetNotFound
from gui_agent.perception.state import Element, ScreenState

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
