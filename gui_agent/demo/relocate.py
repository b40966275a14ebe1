"""Find a recorded target on today's screen: by its words, by its pixels, by its neighbours.

Each stage votes for elements of the current ``ScreenState`` with a score in [0, 1]; the
votes are combined per element, and the winner must clear a threshold and beat the runner-up
clearly. Words are the strongest identity: a candidate whose text disagrees with a labelled
target's is marked down hard, so a look-alike button ("Cancel" for "Save") never wins on
pixels alone. Every stage's verdict is kept, for the journal and for the person who has to
decide when nothing is certain.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np
from rapidfuzz import fuzz

from gui_agent.demo.format import TargetDescription
from gui_agent.demo.targets import INTERACTIVE, element_at
from gui_agent.geometry import Point
from gui_agent.perception.locate import TargetQuery, locate_all
from gui_agent.perception.state import Element, ElementKind, ScreenState
from gui_agent.screen.frame import Frame

SCALES = (1.0, 1.25, 1.5, 0.8, 0.667)
TEMPLATE_FLOOR = 0.55
AMBIGUITY_GAP = 0.05


@dataclass(frozen=True)
class StageVote:
    stage: str  # text | template | neighbours
    element: Element
    score: float


@dataclass
class Relocation:
    """The outcome for one target: the chosen element (None when unsure), its confidence,
    every stage's best vote, and the leading candidates in words."""

    element: Element | None
    confidence: float
    votes: list[StageVote] = field(default_factory=list)
    candidates: list[tuple[Element, float]] = field(default_factory=list)
    problem: str = ""

    def summary(self) -> str:
        best: dict[str, StageVote] = {}
        for v in self.votes:
            if v.stage not in best or v.score > best[v.stage].score:
                best[v.stage] = v
        parts = [f"{s} {v.score:.2f} -> #{v.element.id}" for s, v in best.items()]
        return "; ".join(parts) or "no stage found anything"

    def candidates_text(self, n: int = 3) -> str:
        shown = [f"{e.describe()} ({score:.2f})" for e, score in self.candidates[:n]]
        return ", ".join(shown) or "nothing similar on screen"


def _norm(text: str) -> str:
    return "".join(text.lower().split())


def text_votes(desc: TargetDescription, state: ScreenState) -> list[StageVote]:
    if not desc.text.strip():
        return []
    matches = locate_all(state, TargetQuery(text=desc.text, raw=desc.text))
    return _discount_ties([StageVote("text", m.element, m.score) for m in matches
                           if m.score >= 0.5][:6], 0.6)  # fmt: skip


def tree_votes(desc: TargetDescription, state: ScreenState) -> list[StageVote]:
    """The element the app's accessibility tree names as it did when recorded: same role,
    same name. Exact evidence, so it scores high; ties (two "OK" buttons) are discounted."""
    if not desc.role or not desc.name.strip():
        return []
    want = _norm(desc.name)
    same = [e for e in state.elements if e.role == desc.role and _norm(e.text) == want]
    return _discount_ties([StageVote("tree", e, 0.9) for e in same], 0.6)


def _discount_ties(votes: list[StageVote], factor: float) -> list[StageVote]:
    """Evidence that fits several separate elements equally well (two 'Delete' buttons, five
    empty fields that look alike) cannot tell them apart: weaken it for all of them."""
    votes = sorted(votes, key=lambda v: -v.score)
    if len(votes) < 2:
        return votes
    top = votes[0]
    tied = [v for v in votes[1:] if top.score - v.score < AMBIGUITY_GAP
            and not _nested(top.element, v.element)]  # fmt: skip
    if not tied:
        return votes
    return [StageVote(v.stage, v.element, v.score * factor) for v in votes]


def _nested(a: Element, b: Element) -> bool:
    return a.box.overlap_ratio(b.box) >= 0.5 or b.box.overlap_ratio(a.box) >= 0.5


def _gray(pixels: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(pixels, cv2.COLOR_BGR2GRAY) if pixels.ndim == 3 else pixels


def template_votes(
    desc: TargetDescription, crop_png: bytes | None, frame: Frame, state: ScreenState
) -> list[StageVote]:
    """Multi-scale normalised cross-correlation of the recorded crop; also against the
    inverted frame, so a light-theme crop still finds its control in a dark theme."""
    if crop_png is None or desc.crop_box is None:
        return []
    crop = cv2.imdecode(np.frombuffer(crop_png, np.uint8), cv2.IMREAD_GRAYSCALE)
    if crop is None:
        return []
    screen = _gray(frame.pixels)
    # Where the target sits inside the crop, so a match maps back to the target's centre.
    cx = desc.box[0] + desc.box[2] / 2 - desc.crop_box[0]
    cy = desc.box[1] + desc.box[3] / 2 - desc.crop_box[1]
    votes: dict[int, StageVote] = {}
    for scale in SCALES:
        tpl = crop if scale == 1.0 else cv2.resize(crop, None, fx=scale, fy=scale,
                                                    interpolation=cv2.INTER_AREA)  # fmt: skip
        th, tw = tpl.shape
        if th < 8 or tw < 8 or th > screen.shape[0] or tw > screen.shape[1]:
            continue
        for image in (screen, 255 - screen):
            result = cv2.matchTemplate(image, tpl, cv2.TM_CCOEFF_NORMED)
            for _ in range(3):  # the best few peaks, so a repeated control is not hidden
                _, peak, _, (x, y) = cv2.minMaxLoc(result)
                if peak < TEMPLATE_FLOOR:
                    break
                centre = Point(round(x + cx * scale) + frame.origin.x,
                               round(y + cy * scale) + frame.origin.y)  # fmt: skip
                el = element_at(state, centre)
                if el is not None and (el.id not in votes or votes[el.id].score < peak):
                    votes[el.id] = StageVote("template", el, float(peak))
                x0, y0 = max(0, x - tw // 2), max(0, y - th // 2)
                result[y0 : y + th // 2 + 1, x0 : x + tw // 2 + 1] = -1.0
    return _discount_ties(list(votes.values()), 0.5)[:6]


def neighbour_votes(desc: TargetDescription, state: ScreenState) -> list[StageVote]:
    """Each labelled neighbour found again predicts where the target is now."""
    tally: dict[int, tuple[Element, int]] = {}
    anchors = 0
    for n in desc.neighbours:
        found = [m for m in locate_all(state, TargetQuery(text=n.text, raw=n.text))
                 if m.score >= 0.8]  # fmt: skip
        if not found:
            continue
        anchors += 1
        anchor = found[0].element
        scale = anchor.box.h / n.h if n.h > 0 else 1.0
        scale = min(max(scale, 0.5), 2.5)
        p = Point(round(anchor.box.cx + n.dx * scale), round(anchor.box.cy + n.dy * scale))
        el = element_at(state, p)
        if el is None or el is anchor:
            continue
        tally[el.id] = (el, tally.get(el.id, (el, 0))[1] + 1)
    if not anchors:
        return []
    votes = [StageVote("neighbours", el, 0.9 * hits / anchors) for el, hits in tally.values()]
    return sorted(votes, key=lambda v: -v.score)


def _combined(desc: TargetDescription, el: Element, votes: list[StageVote]) -> float:
    best: dict[str, float] = {}
    for v in votes:
        best[v.stage] = max(best.get(v.stage, 0.0), v.score)
    # Independent evidence adds up (noisy-or): two stages at 0.8 make 0.96.
    doubt = 1.0
    for score_ in best.values():
        doubt *= 1.0 - min(score_, 1.0)
    score = 1.0 - doubt
    if desc.text.strip():
        sim = fuzz.ratio(_norm(desc.text), _norm(el.text)) / 100 if el.text else 0.0
        if sim < 0.75:
            # words disagree ("Save" recorded, "Save form" now): only overwhelming other
            # evidence could outvote them
            score *= 0.5
    recorded_kind = (
        ElementKind(desc.kind) if desc.kind in ElementKind.__members__.values() else None
    )
    if recorded_kind in INTERACTIVE and el.kind is not recorded_kind:
        score *= 0.7
    return score


def relocate(
    desc: TargetDescription,
    crop_png: bytes | None,
    frame: Frame,
    state: ScreenState,
    threshold: float = 0.6,
) -> Relocation:
    votes = text_votes(desc, state)
    votes += tree_votes(desc, state)
    votes += template_votes(desc, crop_png, frame, state)
    votes += neighbour_votes(desc, state)
    per: dict[int, list[StageVote]] = {}
    for v in votes:
        per.setdefault(v.element.id, []).append(v)
    ranked = sorted(
        ((vs[0].element, _combined(desc, vs[0].element, vs)) for vs in per.values()),
        key=lambda t: -t[1],
    )
    if not ranked:
        return Relocation(None, 0.0, votes, [], "no stage found anything like it")
    best, score = ranked[0]
    if score < threshold:
        problem = f"best match {score:.2f} is below the threshold {threshold:.2f}"
        return Relocation(None, score, votes, ranked, problem)
    # Nested boxes (a button and its label) are one control, not two rivals.
    rivals = [
        (e, sc)
        for e, sc in ranked[1:]
        if best.box.overlap_ratio(e.box) < 0.5 and e.box.overlap_ratio(best.box) < 0.5
    ]
    if rivals and score - rivals[0][1] < AMBIGUITY_GAP:
        problem = f"two candidates score alike ({score:.2f}, {rivals[0][1]:.2f})"
        return Relocation(None, score, votes, ranked, problem)
    return Relocation(best, score, votes, ranked)
