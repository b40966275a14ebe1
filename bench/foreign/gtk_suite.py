"""Queries on the GTK 3 screens (tests/apps/foreign/gtk_app.py), judged by GTK's geometry.

The same screens and phrasings as the Tk suite (app_screens.py), drawn by GTK's widgets,
themes and Adwaita's symbolic icons; the truth is each widget's allocation in root
coordinates from the app's state file. GTK's form adds what Tk's lacks: a field labelled
above it, placeholders, and a blue Save button.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from gui_agent.perception.perceiver import Perceiver
from gui_agent.screen.capture import ScreenCapture
from tests.apps.foreign.gtk_app import KEYS, THEMES
from tests.apps.foreign.launch import launch_gtk

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


def _settings() -> Spec:
    return [
        *settings_spec(),
        ("the Server address field", "field", "field_server"),
        ("the field below Server address", "field", "field_server"),
        ("the Save button", "text", "btn_save"),
        ("Save", "text", "btn_save"),
    ]


SPECS: dict[str, Callable[[], Spec]] = {
    "settings": _settings,
    "keypad": lambda: keypad_spec(KEYS),
    "dialog": dialog_spec,
    "toolbar": toolbar_spec,
}


def gtk_queries(screen: str, widgets: Widgets) -> list[Query]:
    """The screen's queries with their true boxes from the app's own widget list."""
    return widget_queries(SPECS[screen](), widgets)


def run_gtk(
    display: str,
    cap: ScreenCapture,
    perceivers: dict[str, Perceiver],
    workdir: Path,
    themes: tuple[str, ...] = tuple(THEMES),
    screens: tuple[str, ...] = SCREENS,
) -> list[tuple[str, Outcome]]:
    """Every GTK screen in every theme: one capture each, perceived by every perceiver.
    Check ``gtk_unavailable()`` (tests/apps/foreign/launch.py) first."""
    return run_screens(
        "gtk", launch_gtk, gtk_queries, display, cap, perceivers, workdir, themes, screens
    )
