"""Coordinate grounding: models that answer "where is <query>?" with a point on a screenshot,
as a fallback (or a first opinion) for ``locate``; see ``base`` for how far they are trusted."""

from gui_agent.grounding.base import GROUNDING_MODES, Grounder, Grounding, GroundingError
from gui_agent.grounding.openai_grounder import OpenAIGrounder

__all__ = ["GROUNDING_MODES", "Grounder", "Grounding", "GroundingError", "OpenAIGrounder"]
