"""Prepare the process environment before the first ``QApplication``.

Two things in this project break Qt at start-up unless handled first: importing cv2
(opencv-python) points ``QT_QPA_PLATFORM_PLUGIN_PATH`` at opencv's own, incompatible Qt
plugins, and python-xlib (pyautogui) refuses to connect to an X server without an
authority file. Neither should ever reach a user as a crash.
"""

from __future__ import annotations

import os

from gui_agent.errors import DisplayUnavailable

__all__ = ["display_problem", "prepare_qt_environment"]


def prepare_qt_environment() -> None:
    os.environ.pop("QT_QPA_PLATFORM_PLUGIN_PATH", None)
    if os.environ.get("DISPLAY"):
        from gui_agent.headless.xvfb import xauthority_env

        os.environ.update(xauthority_env())


def display_problem() -> DisplayUnavailable | None:
    """Why no window can be shown here, or None: checked before Qt, which would abort the
    whole process with a platform-plugin error a person cannot act on."""
    if os.environ.get("QT_QPA_PLATFORM", "").startswith(("offscreen", "minimal")):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return DisplayUnavailable(
        "gui-agent app needs a desktop session, but neither DISPLAY nor WAYLAND_DISPLAY is "
        "set. Run it from your desktop, or start a virtual one (e.g. `Xvfb :99 &` and "
        "`DISPLAY=:99 gui-agent app`); use `gui-agent run` on machines without a screen."
    )
