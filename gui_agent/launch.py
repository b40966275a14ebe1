"""How gui-agent starts more of itself in a child process: the sample form for the demo, the
Qt probe for ``doctor``.

From a checkout or an install that is this interpreter with ``-m gui_agent.cli``; from the
desktop bundle, whose executable is the CLI itself (there is no Python to run ``-m`` with),
it is the bundle's own executable. Either way the child is ``gui-agent COMMAND ...``.
"""

from __future__ import annotations

import sys

__all__ = ["self_command"]


def self_command(*args: str) -> list[str]:
    """The command line that runs ``gui-agent ARGS`` with this very installation."""
    if getattr(sys, "frozen", False):
        return [sys.executable, *args]
    return [sys.executable, "-m", "gui_agent.cli", *args]
