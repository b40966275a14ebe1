"""One query against one perceived screen, and the tallies a report needs.

A hit means the centre of the returned element's box lies inside one of the target's true
boxes (a check box or radio lists its indicator and its label, either counts); "not found"
is a miss. An ``absent`` query asks for an icon the screen does not show ("the print icon"
on a toolbar without one): there "not found" is the right answer and any element a miss, so
the suite counts wrong answers as well as missed targets; absent queries stay out of the
"all" column, which keeps the targets' numbers. Kept free of displays and browsers so the
rule itself can be unit-tested.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from gui_agent.geometry import Point, Rect
from gui_agent.perception.locate import TargetNotFound, locate
from gui_agent.perception.state import ScreenState

BUCKETS = ("text", "field", "checkbox", "radio", "combo", "icon", "absent")
TARGET_BUCKETS = BUCKETS[:-1]  # what "all" sums: queries with a target on screen
# Icons no toolbar in the suite shows; asked on every toolbar screen, each must be not found.
ABSENT_ICONS = (
    "the print icon",
    "the bell icon",
    "the camera button",
    "the star icon",
    "the upload icon",
    "the calendar icon",
    "the mail icon",
    "the lock icon",
)


@dataclass(frozen=True)
class Query:
    """A target phrase as a person writes it, and where the toolkit says the target is."""

    text: str
    bucket: str
    target: str  # the widget's name or the element's id, for the misses listing
    truth: tuple[Rect, ...]

    def __post_init__(self) -> None:
        if self.bucket not in BUCKETS:
            raise ValueError(f"unknown bucket {self.bucket!r}; choose one of {BUCKETS}")
        if bool(self.truth) == (self.bucket == "absent"):
            raise ValueError(f"query {self.text!r}: a true box for every query but an absent one")


@dataclass(frozen=True)
class Outcome:
    """How one query went on one screen; ``group`` is e.g. ``tk/clam`` and ``screen`` the
    screen's name, the two ways the report slices results."""

    group: str
    screen: str
    query: Query
    hit: bool
    got: str

    def miss_line(self) -> str:
        boxes = " | ".join(str(r.as_tuple()) for r in self.query.truth)
        return (
            f"{self.group:18} {self.screen:9} {self.query.text!r:44} "
            f"want {self.query.target} {boxes}  got {self.got}"
        )


def score(state: ScreenState, query: Query, group: str, screen: str) -> Outcome:
    """Run ``locate`` for ``query`` on ``state`` and judge it against the truth."""
    try:
        el = locate(state, query.text).element
    except TargetNotFound as exc:
        return Outcome(group, screen, query, not query.truth, f"not found: {str(exc)[:140]}")
    centre = Point(int(el.box.cx), int(el.box.cy))
    hit = any(r.contains_point(centre) for r in query.truth)
    got = f"#{el.id} {el.kind.value} {el.text!r} {el.box.as_tuple()}"
    return Outcome(group, screen, query, hit, got)


def wilson(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval for a proportion: honest at small n and at 0% or 100%,
    where the normal approximation collapses to a zero-width interval."""
    if n == 0:
        return 0.0, 1.0
    p = hits / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def cell(hits: Sequence[bool]) -> str:
    """``83% 10/12 [55-95]``, or ``-`` when the bucket is empty."""
    if not hits:
        return "-"
    k, n = sum(hits), len(hits)
    lo, hi = wilson(k, n)
    return f"{100 * k / n:.0f}% {k}/{n} [{100 * lo:.0f}-{100 * hi:.0f}]"


def tally(outcomes: Iterable[Outcome], by: str) -> dict[tuple[str, str], list[bool]]:
    """Hits per (row, bucket), with "all" rows and columns; ``by`` is "group" or "screen"
    (a screen row joins the toolkit to the screen's name: ``tk keypad``)."""
    out: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for o in outcomes:
        row = o.group if by == "group" else f"{o.group.split('/')[0]} {o.screen}"
        for r in (row, "all"):
            for b in (o.query.bucket, "all") if o.query.bucket in TARGET_BUCKETS else ("absent",):
                out[(r, b)].append(o.hit)
    return out
