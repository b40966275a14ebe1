"""Turning a point (a grounder's answer, a computer-use click) into a target the session can
gate, and the session's one entry for resolving any target with an optional grounder.

A point is never trusted more than our own perception: it is snapped to the perceived control
under it when there is one (so the gate, the pre-input re-check and the proof all see that
control, as for any click), and kept as a bare point otherwise (the gate then judges the
control at that pixel, which it finds itself).
"""

from __future__ import annotations

from collections.abc import Sequence

from gui_agent.control.context import control_at, resolve_target
from gui_agent.geometry import Point, Rect
from gui_agent.grounding.base import Grounder, GroundingError
from gui_agent.perception.locate import TargetNotFound
from gui_agent.perception.state import Element, ElementKind, ScreenState
from gui_agent.planning.actions import ResolvedTarget, Target
from gui_agent.screen.frame import Frame

# Elements too large to stand for the point: clicking their centre is not clicking the point.
_NO_SNAP = frozenset({ElementKind.CONTAINER, ElementKind.LIST})
#: How much a grounder's pick is trusted next to a locate match (which reports its own score).
GROUNDER_CONFIDENCE = 0.5

Resolved = tuple[ResolvedTarget, Element | None, list[Element]]


def resolve_point(
    point: Point, state: ScreenState, *, query: str | None, source: str, confidence: float = 1.0
) -> Resolved:
    """The control under ``point`` as the target, else the bare point (a 5x5 box round it)."""
    if not state.frame_box.contains_point(point):
        raise GroundingError(
            f"{source} chose the point ({point.x}, {point.y}), outside the screen "
            f"{list(state.frame_box.as_tuple())}"
        )
    el = control_at(state, (point.x, point.y), None)
    if el is not None and el.kind not in _NO_SNAP:
        rt = ResolvedTarget.from_element(Target(element_id=el.id), el, confidence)
        return rt.model_copy(update={"query": query, "source": source}), el, []
    box = Rect(point.x - 2, point.y - 2, 5, 5)
    rt = ResolvedTarget(query=query, box=box.as_tuple(), kind="point", confidence=confidence,
                        source=source)  # fmt: skip
    return rt, None, []


def locate_target(
    target: Target,
    state: ScreenState,
    *,
    frame: Frame | None = None,
    hidden: Sequence[Rect] = (),
    grounder: Grounder | None = None,
    mode: str = "off",
) -> Resolved:
    """Resolve ``target``: a point as above; an id or a query by our own perception; a query
    with no match by the grounder when ``mode`` is ``fallback``, or by the grounder first
    when ``always`` (our own perception still answers when the grounder fails)."""
    if target.point is not None:
        return resolve_point(Point(*target.point), state, query=None, source="computer-use")
    use = grounder is not None and frame is not None and target.query is not None
    if use and mode == "always":
        try:
            return _grounded(target, state, frame, hidden, grounder)  # type: ignore[arg-type]
        except GroundingError:
            pass
    try:
        return resolve_target(target, state)
    except TargetNotFound as exc:
        if not use or mode not in ("fallback", "always"):
            raise
        if mode == "always":
            raise
        try:
            return _grounded(target, state, frame, hidden, grounder)  # type: ignore[arg-type]
        except GroundingError as gexc:
            detail = f"{exc.detail}; " if exc.detail else ""
            raise TargetNotFound(exc.query, exc.candidates,
                                 detail=f"{detail}the grounding model found nothing either: "
                                 f"{gexc}") from None  # fmt: skip


def _grounded(
    target: Target, state: ScreenState, frame: Frame, hidden: Sequence[Rect], grounder: Grounder
) -> Resolved:
    assert target.query is not None
    found = grounder.ground(target.query, frame, hidden)
    return resolve_point(found.point, state, query=target.query, source=found.source,
                         confidence=GROUNDER_CONFIDENCE)  # fmt: skip
