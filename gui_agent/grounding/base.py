"""The grounder interface: a model that answers "where is <query>?" with a point.

Grounding models (UI-TARS, OS-Atlas, UGround, Qwen2.5-VL) find controls our own perception
missed, but their answer is a guess about pixels: it is mapped to desktop pixels in
``geometry.py``, snapped to the perceived control under it, and then judged by the gate like
any other target. Nothing here clicks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from gui_agent.errors import GuiAgentError
from gui_agent.geometry import Point, Rect
from gui_agent.screen.frame import Frame

#: When the session asks the grounder: never, when a query has no confident match, or first.
GROUNDING_MODES = ("off", "fallback", "always")


class GroundingError(GuiAgentError):
    """The grounding model gave no usable point: unreachable, too slow, a reply without
    coordinates, or a point outside the screen it was shown."""


@dataclass(frozen=True, slots=True)
class Grounding:
    """A grounder's answer in desktop pixels; ``box`` when the model gave a box."""

    point: Point
    box: Rect | None
    source: str  # "grounder <model>": kept in the journal with the query
    seconds: float = 0.0
    sent_bytes: int = 0


class Grounder(Protocol):
    """Finds ``query`` on ``frame``; ``hidden`` boxes (secret fields) are black in anything
    sent to a model. Raises ``GroundingError``."""

    name: str

    def ground(self, query: str, frame: Frame, hidden: Sequence[Rect] = ()) -> Grounding: ...
