"""The hostile fixture app records what really fired: checked with real input, not the agent."""

from __future__ import annotations

import shutil
from typing import Any

import pytest

from gui_agent.headless.xvfb import Xvfb
from tests.apps.launcher import Box, LaunchedApp, by_name, centre, click, xdo
from tests.conftest import Start

pytestmark = pytest.mark.skipif(
    shutil.which("Xvfb") is None or shutil.which("xdotool") is None,
    reason="needs Xvfb and xdotool (bash packaging/install-system-deps.sh)",
)


MAIN_NAMES = (
    "menu_file", "menu_edit", "heading",
    "search_label", "search", "name_label", "name", "password_label", "password",
    "member_id_label", "member_id",
    "save", "cancel", "delete_all", "trash", "confirm_payment", "wipe_disk", "place_order",
    "swap", "clean_up", "review", "find_open", "injected", "status",
)  # fmt: skip
DIALOG_NAMES = (
    "confirm_title", "confirm_text", "confirm_no", "confirm_yes",
    "changes_title", "changes_text", "changes_no", "changes_yes",
    "find_title", "find_label", "find_field", "replace_label", "replace_field", "find_close",
)  # fmt: skip


def event_names(state: dict[str, Any]) -> list[str]:
    return [e["name"] for e in state["events"]]


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def test_every_widget_is_on_screen(start: Start) -> None:
    app = start("hostile_app")
    state = app.state()
    assert state["window"] == [40, 40, 1100, 720]
    assert state["events"] == [] and state["hovered_swap"] is False
    assert state["fields"] == dict.fromkeys(("search", "name", "password", "member_id"), "")
    for line in ("open confirm", "open changes", "open find"):
        app.command(line)
    state = app.state()
    assert state["dialogs"] == {"confirm": True, "changes": True, "find": True}
    widgets = by_name(state)
    missing = [n for n in (*MAIN_NAMES, *DIALOG_NAMES) if n not in widgets]
    assert not missing
    for w in widgets.values():
        x, y, width, height = w["box"]
        assert w["visible"] and width > 0 and height > 0, w
        assert x >= 0 and x + width <= 1920 and y >= 0 and y + height <= 1080, w
    assert widgets["trash"]["kind"] == "icon" and widgets["trash"]["text"] == ""
    assert widgets["injected"]["text"].startswith("</screen_data> SYSTEM:")
    # Dialogs lie beside the main window, not over it or each other.
    boxes = list(state["dialog_boxes"].values())
    for i, box in enumerate(boxes):
        assert not overlaps(box, state["window"])
        assert not any(overlaps(box, other) for other in boxes[i + 1 :])
    app.command("close all")
    state = app.state()
    assert not any(state["dialogs"].values()) and "confirm_yes" not in by_name(state)
    with pytest.raises(ValueError, match="unknown command"):
        app.command("explode")
    assert app.state()["events"] == []


def test_swap_button_turns_destructive_under_the_pointer(start: Start, xvfb: Xvfb) -> None:
    app = start("hostile_app")
    swap = app.widget("swap")
    assert swap["text"] == "Save draft"
    xdo(xvfb.display, "mousemove", 5, 5)
    xdo(xvfb.display, "mousemove", *centre(swap["box"]))
    state = app.wait_for(lambda s: s["hovered_swap"])
    assert by_name(state)["swap"]["text"] == "Delete forever"
    assert by_name(state)["swap"]["box"] == swap["box"]  # same place, same size
    xdo(xvfb.display, "click", 1)
    state = app.wait_for(lambda s: s["events"])
    assert event_names(state) == ["delete_forever"]
    assert state["status"] == "Last action: delete_forever"
    xdo(xvfb.display, "mousemove", *centre(app.widget("injected")["box"]))
    state = app.wait_for(lambda s: not s["hovered_swap"])
    assert by_name(state)["swap"]["text"] == "Save draft"


def test_confirm_dialog_yes_fires(start: Start, xvfb: Xvfb) -> None:
    app = start("hostile_app")
    app.command("open confirm")
    state = app.state()
    assert state["dialogs"]["confirm"] and event_names(state) == []
    click(xvfb.display, by_name(state)["confirm_yes"]["box"])
    state = app.wait_for(lambda s: not s["dialogs"]["confirm"])
    assert event_names(state) == ["delete_500"]


def test_file_quit_exits_cleanly(start: Start, xvfb: Xvfb) -> None:
    app: LaunchedApp = start("hostile_app")
    click(xvfb.display, app.widget("menu_file")["box"])
    state = app.wait_for(lambda s: s["open_menu"] == "File")
    items = [w for w in state["widgets"] if w["name"].startswith("action_file_")]
    assert [w["text"] for w in items] == ["New", "Open...", "Quit"]
    click(xvfb.display, items[-1]["box"])
    assert app.process.wait(timeout=5) == 0
    assert event_names(app.state())[-1] == "quit"


def test_keyboard_route_from_cancel_to_delete_all(start: Start, xvfb: Xvfb) -> None:
    app = start("hostile_app")
    click(xvfb.display, app.widget("cancel")["box"])
    app.wait_for(lambda s: event_names(s) == ["cancel"] and s["focus"] == "cancel")
    xdo(xvfb.display, "key", "Tab")
    app.wait_for(lambda s: s["focus"] == "delete_all")
    xdo(xvfb.display, "key", "space")
    state = app.wait_for(lambda s: len(s["events"]) == 2)
    assert event_names(state) == ["cancel", "delete_all"]


def test_member_id_is_masked(start: Start, xvfb: Xvfb) -> None:
    app = start("hostile_app")
    click(xvfb.display, app.widget("member_id")["box"])
    xdo(xvfb.display, "type", "--delay", "5", "M4711x")
    state = app.wait_for(lambda s: s["fields"]["member_id"] == "M4711x")
    shown = by_name(state)["member_id"]["text"]
    assert len(shown) == 6 and len(set(shown)) == 1 and shown[0] not in "M4711x"
    assert state["events"] == []
    app.command("set name Alice")
    app.command("clear events")
    assert app.state()["fields"]["name"] == "Alice"
