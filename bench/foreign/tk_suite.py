"""Queries on the Tk/ttk screens (tests/apps/foreign/tk_app.py), judged by Tk's geometry.

Phrasings are what a person types about these screens; the truth is each widget's
``winfo_rootx/rooty/width/height`` from the app's state file. The phrasings and the run loop
are shared with the GTK suite (app_screens.py); Tk's form alone has an Apply button.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from gui_agent.perception.perceiver import Perceiver
from gui_agent.screen.capture import ScreenCapture
from tests.apps.foreign.launch import launch_tk
from tests.apps.foreign.tk_app import KEYS

from .app_screens import (
    SCREENS,
    Spec,
    Widgets,
    dialog_spec,
    keypad_spec,
    run_screens,
    settings_spec,
    toolbar_spec,
    widget_queries,
)
from .scoring import Outcome, Query

THEMES = ("clam", "alt", "default")


def _settings() -> Spec:
    return [*settings_spec(), ("the Apply button", "text", "btn_apply")]


SPECS: dict[str, Callable[[], Spec]] = {
    "settings": _settings,
    "keypad": lambda: keypad_spec(KEYS),
    "dialog": dialog_spec,
    "toolbar": toolbar_spec,
}


def tk_queries(screen: str, widgets: Widgets) -> list[Query]:
    """The screen's queries with their true boxes from the app's own widget list."""
    return widget_queries(SPECS[screen](), widgets)


def run_tk(
    display: str,
    cap: ScreenCapture,
    perceivers: dict[str, Perceiver],
    workdir: Path,
    themes: tuple[str, ...] = THEMES,
    screens: tuple[str, ...] = SCREENS,
) -> list[tuple[str, Outcome]]:
    """Every Tk screen in every theme: one capture each, perceived by every perceiver."""
    return run_screens(
        "tk", launch_tk, tk_queries, display, cap, perceivers, workdir, themes, screens
    )
