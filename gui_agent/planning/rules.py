"""The embedded planner's grammar, under its historical name.

The grammar lives in ``gui_agent.planning.commands`` (see its modules' docstrings, chiefly
``commands.grammar`` for the verbs it understands); this module keeps the import path that
callers and tests already use.
"""

from __future__ import annotations

from gui_agent.planning.commands import (
    DEFAULT_SCROLL,
    Step,
    UnparsedCommand,
    parse_commands,
    parse_goal,
    spell,
)

__all__ = ["DEFAULT_SCROLL", "Step", "UnparsedCommand", "parse_commands", "parse_goal", "spell"]
