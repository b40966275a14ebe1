"""The embedded planner's command language: direct commands in words -> steps, no LLM.

One module per job: ``literals`` (quoted text), ``split`` (a goal into clauses), ``targets``
(label phrases into ``Target``), ``grammar`` (the verbs and what each clause means),
``steps`` (the result and its one-line spelling) and ``meaning`` (the steps that only the
screen can settle: "select X", "submit", "log in", role-only targets such as "the text
field", "uncheck all boxes"). The corpus in ``tests/data/commands`` and
``bench/commands.py`` measure it; nothing here knows about them.
"""

from __future__ import annotations

from gui_agent.planning.actions import Action
from gui_agent.planning.commands.errors import LLM_HINT, UnparsedCommand
from gui_agent.planning.commands.grammar import DEFAULT_SCROLL, MAX_GOAL_CHARS, parse_goal
from gui_agent.planning.commands.steps import Step, flatten, spell, spell_step

__all__ = [
    "DEFAULT_SCROLL",
    "LLM_HINT",
    "MAX_GOAL_CHARS",
    "Step",
    "UnparsedCommand",
    "flatten",
    "parse_commands",
    "parse_goal",
    "spell",
    "spell_step",
]


def parse_commands(goal: str) -> list[Action]:
    """The static actions of a goal (see ``steps.flatten``), or ``UnparsedCommand``.

    >>> [a.describe() for a in parse_commands("click File, then Save As; press enter")]
    ['Click File', 'Click Save As', 'Press enter']
    """
    return flatten(parse_goal(goal))
