"""The one error the command grammar raises, with the hint every refusal carries."""

from __future__ import annotations

from gui_agent.errors import GuiAgentError

__all__ = ["LLM_HINT", "UnparsedCommand"]

LLM_HINT = "or use an LLM planner: --planner openai or --planner anthropic"


class UnparsedCommand(GuiAgentError):
    """Part of a goal is not a direct command the embedded planner knows.

    ``part`` is the clause it could not read (as the goal wrote it), so the message can point
    at it; the message always names the LLM planners, because a goal that is not a direct
    command is exactly what they are for.
    """

    def __init__(self, part: str, goal: str = "", detail: str = "") -> None:
        self.part = part
        self.goal = goal
        self.detail = detail
        one_line = " ".join(part.split())
        shown = f'"{one_line[:200]}"' if part else "the goal"
        why = f" ({detail})" if detail else ""
        super().__init__(
            f"the built-in planner cannot understand {shown}{why}. It follows direct "
            'commands only, such as "click Save", "type \'q3.pdf\' into the File name '
            'field", "press ctrl+s", "scroll down", "wait for Saved". Rephrase it as such '
            f"commands, {LLM_HINT}."
        )
