"""The accessibility tree as a second perception source: exact roles, names and states.

Vision reads every pixel but guesses what a control is; an app that describes itself to
screen readers says it exactly. ``AccessibilitySource`` is the seam: the Linux AT-SPI2
implementation lives in ``atspi``; a Windows one (UI Automation, through ``uiautomation`` or
``pywinauto``) would go in ``uia.py`` and a macOS one (the AX API, through ``pyobjc``) in
``ax.py``, each returning the same ``A11yNode`` list, so fusion and everything after it never
ask which platform spoke.
"""

from __future__ import annotations

import os
import sys

from gui_agent.perception.accessibility.nodes import A11yNode, A11ySnapshot, AccessibilitySource

__all__ = ["A11yNode", "A11ySnapshot", "AccessibilitySource", "default_source", "switched_off"]


def switched_off() -> bool:
    """``GUI_AGENT_ACCESSIBILITY=off`` (or 0/no/false) turns the tree off everywhere."""
    said = os.environ.get("GUI_AGENT_ACCESSIBILITY", "").strip().lower()
    return said in ("off", "0", "no", "false")


def default_source(enabled: bool = True) -> AccessibilitySource | None:
    """The platform's tree source where one can work here: AT-SPI on Linux with a session
    bus. None elsewhere, or when switched off; perception then reads pixels alone."""
    if not enabled or switched_off():
        return None
    if sys.platform.startswith("linux") and os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        from gui_agent.perception.accessibility.atspi import AtspiSource

        return AtspiSource()
    return None  # Windows (UI Automation) and macOS (AX) sources would be chosen here
