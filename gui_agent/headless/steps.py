"""A session's steps as a report shows them: a screenshot after each, from the journal.

Shared by the task runner (``gui-agent test``) and the demo (``gui-agent demo``), which both
turn one session into a ``TaskResult`` for the HTML report. Screenshots are grabbed as each
step is executed, with the session's secret fields blacked out first.
"""

from __future__ import annotations

from typing import Any

import cv2

from gui_agent.agent.journal import Journal
from gui_agent.agent.session import Event, EventKind, Session, mask_boxes
from gui_agent.errors import GuiAgentError
from gui_agent.headless.results import StepReport

__all__ = ["StepShots", "describe_record", "png_of", "step_reports"]

SHOT_MAX_WIDTH = 1280


def png_of(pixels: Any, max_width: int = SHOT_MAX_WIDTH) -> tuple[bytes, float]:
    """PNG bytes of a BGR frame, shrunk to ``max_width``; also the factor applied."""
    h, w = pixels.shape[:2]
    factor = min(1.0, max_width / w)
    if factor < 1.0:
        pixels = cv2.resize(pixels, (round(w * factor), round(h * factor)),
                            interpolation=cv2.INTER_AREA)  # fmt: skip
    ok, buf = cv2.imencode(".png", pixels)
    return (buf.tobytes() if ok else b""), factor


def _scaled(box: tuple[int, int, int, int] | None, f: float) -> tuple[int, int, int, int] | None:
    if box is None:
        return None
    x, y, w, h = box
    return round(x * f), round(y * f), max(1, round(w * f)), max(1, round(h * f))


def describe_record(action: dict[str, Any]) -> str:
    """A journaled action in words (its type alone when it no longer parses)."""
    from gui_agent.planning.actions import describe, parse_action

    try:
        return describe(parse_action(action))
    except GuiAgentError:
        return str(action.get("type", "?"))


class StepShots:
    """An event listener that grabs the screen after each executed step (secrets masked)."""

    def __init__(self, capture: Any) -> None:
        self.capture = capture
        self.session: Session | None = None  # set once the session exists
        self.shots: dict[int, tuple[bytes, float]] = {}

    def __call__(self, event: Event) -> None:
        if event.kind is EventKind.EXECUTED and self.session is not None:
            pixels = mask_boxes(self.capture.grab().pixels, self.session.secret_boxes)
            self.shots[event.step] = png_of(pixels)


def step_reports(journal: Journal, session_id: int, shots: StepShots) -> list[StepReport]:
    """The session's journaled steps with their screenshots and boxes in screenshot pixels."""
    out = []
    for record in journal.steps(session_id):
        png, factor = shots.shots.get(record.index or 0, (None, 1.0))
        v = record.verification
        out.append(StepReport(
            index=record.index or 0,
            action=describe_record(record.action),
            approval=record.approval,
            result=record.result or "skipped",
            message=record.result_message,
            target_box=_scaled(record.resolved_box, factor),
            screenshot_png=png,
            timings=dict(record.timings),
            proven=None if v is None else v.proven,
        ))  # fmt: skip
    return out
