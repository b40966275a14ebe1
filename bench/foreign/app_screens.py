"""What the Tk and GTK suites share: the same four screens, asked about in the same words.

Both apps (tests/apps/foreign/tk_app.py, gtk_app.py) draw a settings form, a keypad, an
OK/Cancel dialog and an icon toolbar under the same widget names, and write each widget's
root-window box to a state file. So the phrasings below, the way a phrasing becomes a
``Query`` with its true box, and the launch → capture → perceive → score loop live here once;
a toolkit suite adds only what its screens have that the other's lack.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from gui_agent.geometry import Rect
from gui_agent.perception.perceiver import Perceiver
from gui_agent.screen.capture import ScreenCapture
from tests.apps.launcher import LaunchedApp

from .scoring import ABSENT_ICONS, Outcome, Query, score
from .settle import settled_grab

SCREENS = ("settings", "keypad", "dialog", "toolbar")

Widgets = dict[str, dict[str, Any]]
Spec = list[tuple[str, str, str]]  # (query, bucket, widget name)
Launch = Callable[[str, str, Path, str], LaunchedApp]  # (screen, theme, state path, display)
Queries = Callable[[str, Widgets], list[Query]]  # (screen, the app's widgets)


def settings_spec() -> Spec:
    """The settings form's queries both apps answer; each suite adds its own buttons."""
    return [
        ("the Project name field", "field", "field_name"),
        ("the Owner email field", "field", "field_email"),
        ("the Port field", "field", "field_port"),
        ("the field right of Port", "field", "field_port"),
        ("the Description field", "field", "field_description"),
        ("the text box below Description", "field", "field_description"),
        ("the Colour theme dropdown", "combo", "combo_theme"),
        ("the Colour theme combo box", "combo", "combo_theme"),
        ("the Enable notifications checkbox", "checkbox", "check_notify"),
        ("the Start at login check box", "checkbox", "check_login"),
        ("Send usage data checkbox", "checkbox", "check_usage"),
        ("the Stable radio", "radio", "radio_stable"),
        ("the Beta radio button", "radio", "radio_beta"),
        ("the Nightly option", "radio", "radio_nightly"),
        ("Cancel", "text", "btn_cancel"),
        ("the Reset button", "text", "btn_reset"),
        ("Project settings", "text", "heading"),
    ]


def keypad_spec(keys: tuple[str, ...]) -> Spec:
    """Every key by its bare character (C, % and ``keys``), and a few said as a person would."""
    spec = [(key, "text", f"key_{key}") for key in ("C", "%", *keys)]
    spec += [
        ("the = key", "text", "key_="),
        ("the C key", "text", "key_C"),
        ("the 0 button", "text", "key_0"),
        ("the * button", "text", "key_*"),
        ("the minus key", "text", "key_-"),
    ]
    return spec


def dialog_spec() -> Spec:
    return [
        ("the OK button", "text", "btn_ok"),
        ("OK", "text", "btn_ok"),
        ("the Cancel button", "text", "btn_cancel"),
        ("Delete 3 files permanently?", "text", "message"),
        ("the Do not ask again checkbox", "checkbox", "check_ask"),
    ]


def toolbar_spec() -> Spec:
    """Icons by what they show and by what they do; both apps order them close ... save."""
    return [
        ("the close button", "icon", "icon_close"),
        ("the search icon", "icon", "icon_search"),
        ("the trash icon in the toolbar", "icon", "icon_trash"),
        ("the delete icon", "icon", "icon_trash"),
        ("the settings button", "icon", "icon_gear"),
        ("the gear icon", "icon", "icon_gear"),
        ("the add button", "icon", "icon_plus"),
        ("the plus icon", "icon", "icon_plus"),
        ("the menu button", "icon", "icon_menu"),
        ("the more options button", "icon", "icon_more"),
        ("the home icon", "icon", "icon_home"),
        ("the refresh button", "icon", "icon_refresh"),
        ("the save icon", "icon", "icon_save"),
        ("the first icon", "icon", "icon_close"),  # by position: is the icon seen at all?
        ("the last icon", "icon", "icon_save"),
    ]


def widget_queries(spec: Spec, widgets: Widgets) -> list[Query]:
    """``spec``'s queries with their true boxes from the app's own widget list; a toolbar's
    spec adds the icons it does not show, which must not be found."""
    queries = [
        Query(text, bucket, name, (Rect(*widgets[name]["box"]),)) for text, bucket, name in spec
    ]
    if any(bucket == "icon" for _, bucket, _ in spec):
        queries += [Query(text, "absent", "-", ()) for text in ABSENT_ICONS]
    return queries


def run_screens(
    toolkit: str,
    launch: Launch,
    queries: Queries,
    display: str,
    cap: ScreenCapture,
    perceivers: dict[str, Perceiver],
    workdir: Path,
    themes: tuple[str, ...],
    screens: tuple[str, ...] = SCREENS,
) -> list[tuple[str, Outcome]]:
    """Every screen in every theme: one settled capture each, perceived by every perceiver,
    each query scored under the group ``toolkit/theme``."""
    out: list[tuple[str, Outcome]] = []
    for theme in themes:
        for screen in screens:
            state_path = workdir / f"{toolkit}-{screen}-{theme}.json"
            # perceived while the app runs: a perceiver reading its accessibility tree asks it
            with launch(screen, theme, state_path, display) as app:
                widgets = {w["name"]: w for w in app.state()["widgets"]}
                frame = settled_grab(cap)
                screen_queries = queries(screen, widgets)
                for mode, perceiver in perceivers.items():
                    perceiver.reset()
                    state = perceiver.perceive(frame)
                    group = f"{toolkit}/{theme}"
                    out += [(mode, score(state, q, group, screen)) for q in screen_queries]
    return out
