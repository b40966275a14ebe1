"""Icons found by what they may show, on a real GTK 3 toolbar (Adwaita's symbolic icons).

Adwaita's gear is small and toothed: the icon classifier names it a sun, with the gear only
its runner-up, and Adwaita's save is the download glyph itself. A person still finds both;
so does ``locate``, from the classifier's guesses, while icons the toolbar does not show
stay not found.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.foreign.settle import settled_grab
from gui_agent.geometry import Point, Rect
from gui_agent.headless.xvfb import Xvfb
from gui_agent.perception.locate import TargetNotFound, locate
from gui_agent.perception.perceiver import Perceiver
from gui_agent.screen.capture import ScreenCapture
from tests.apps.foreign.launch import gtk_unavailable, launch_gtk


def test_gtk_gear_and_save_are_found_and_absent_icons_are_not(xvfb: Xvfb, tmp_path: Path) -> None:
    if (reason := gtk_unavailable()) is not None:
        pytest.skip(reason)
    with (
        ScreenCapture(xvfb.display) as cap,
        launch_gtk("toolbar", "adwaita", tmp_path / "toolbar.json", xvfb.display) as app,
    ):
        widgets = {w["name"]: Rect(*w["box"]) for w in app.state()["widgets"]}
        state = Perceiver().perceive(settled_grab(cap))
    for query, name in (
        ("the gear icon", "icon_gear"),
        ("the settings button", "icon_gear"),
        ("the save icon", "icon_save"),
        ("the trash icon", "icon_trash"),  # named outright, as before
    ):
        got = locate(state, query)
        centre = Point(int(got.element.box.cx), int(got.element.box.cy))
        assert widgets[name].contains_point(centre), (query, got.reason)
    for query in ("the print icon", "the star icon", "the bell icon", "the upload icon"):
        with pytest.raises(TargetNotFound):
            locate(state, query)
