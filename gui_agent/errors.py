"""Errors a user can act on.

Every error carries a message that names the cause and, where there is one, the fix, because
these messages end up in a terminal, a report or a dialog in front of a person.
"""

from __future__ import annotations


class GuiAgentError(Exception):
    """Base class: anything the agent reports to a person."""


class DisplayUnavailable(GuiAgentError):
    """No X display (or no capture backend) can be opened."""


class ModelError(GuiAgentError):
    """A model file is missing, corrupt or does not match its manifest hash."""


class FrameError(GuiAgentError):
    """A frame handed to perception is empty or has the wrong shape or dtype."""
