"""The fixture apps tell the truth: their state file matches real pixels and real input.

Every other GUI test and benchmark trusts these boxes and values as ground truth, so this
file checks them against screenshots (mss) and synthetic input (xdotool) on the session Xvfb.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import mss
import numpy as np
import pytest
from PIL import Image

from gui_agent.headless.xvfb import Xvfb
from tests.apps.launcher import Box, by_name, centre, click, xdo
from tests.conftest import Start

pytestmark = pytest.mark.skipif(
    shutil.which("Xvfb") is None or shutil.which("xdotool") is None,
    reason="needs Xvfb and xdotool (bash packaging/install-system-deps.sh)",
)


FORM_NAMES = (
    "menu_file", "menu_edit", "menu_help",
    "tool_new", "tool_open", "tool_save", "tool_cut", "tool_copy", "tool_paste",
    "tool_delete", "tool_refresh",
    "label_name", "field_name", "label_email", "field_email", "label_password",
    "field_password", "label_phone", "field_phone", "label_city", "field_city",
    "label_country", "combo_country", "check_remember", "check_subscribe", "check_terms",
    "label_plan", "radio_basic", "radio_pro", "radio_enterprise", "label_items", "list_items",
    "btn_save", "btn_cancel", "btn_delete_all", "btn_settings", "status_message",
)  # fmt: skip


def grab(display: str) -> np.ndarray:
    """The whole screen as an RGB array."""
    factory = getattr(mss, "MSS", None) or mss.mss
    with factory(display=display) as shooter:
        shot = shooter.grab(shooter.monitors[0])
    return np.asarray(Image.frombytes("RGB", shot.size, shot.rgb))


def save_png(image: np.ndarray, path: Path) -> None:
    Image.fromarray(image).save(path)


def ink_bbox(image: np.ndarray, box: Box, pad: int) -> Box:
    """Bounding box of pixels that differ from the background ring around ``box`` + ``pad``.

    If the state's box is right, the drawn widget fills it exactly.
    """
    x, y, w, h = box
    region = image[y - pad : y + h + pad, x - pad : x + w + pad].astype(int)
    ring = np.concatenate([region[0], region[-1], region[:, 0], region[:, -1]])
    background = np.median(ring, axis=0)
    ink = np.abs(region - background).max(axis=2) > 16
    ys, xs = np.nonzero(ink)
    assert len(xs), f"nothing drawn around {box}"
    return [
        int(xs.min()) + x - pad,
        int(ys.min()) + y - pad,
        int(xs.max() - xs.min()) + 1,
        int(ys.max() - ys.min()) + 1,
    ]


def assert_box_matches_pixels(image: np.ndarray, box: Box, tolerance: int, pad: int = 3) -> None:
    found = ink_bbox(image, box, pad)
    assert all(abs(a - b) <= tolerance for a, b in zip(found, box, strict=True)), (
        f"state box {box} but pixels show {found}"
    )


def not_uniform(image: np.ndarray, box: Box) -> bool:
    x, y, w, h = box
    return float(image[y : y + h, x : x + w].std()) > 5.0


def test_form_starts_with_complete_ground_truth(start: Start) -> None:
    app = start()
    state = app.state()
    assert state["ready"] is True
    assert state["pid"] == app.process.pid
    assert state["variant"] == "default" and state["scale"] == 1.0
    assert state["window"] == [0, 0, 1280, 800]
    assert state["fields"] == dict.fromkeys(("name", "email", "password", "phone", "city"), "")
    assert state["checkboxes"] == {"remember": False, "subscribe": False, "terms": False}
    assert state["radio"] == "basic"
    assert state["status"] == "Ready"
    assert state["list_selected"] is None and state["list_scroll"] == 0
    assert state["dialog_open"] is False and state["menu_log"] == [] and state["clicks"] == []
    widgets = by_name(state)
    missing = [n for n in FORM_NAMES if n not in widgets]
    assert not missing
    assert widgets["tool_save"]["icon_only"] is True and widgets["tool_save"]["text"]
    assert widgets["label_name"]["text"] == "Name"
    assert widgets["btn_settings"]["text"] == "Settings..."
    for w in widgets.values():
        x, y, width, height = w["box"]
        assert w["visible"] and width > 0 and height > 0, w
        assert x >= 0 and x + width <= 1280 and y >= 0 and y + height <= 800, w
    # Labels sit to the left of their fields, on the same row.
    name_label, name_field = widgets["label_name"]["box"], widgets["field_name"]["box"]
    assert name_label[0] + name_label[2] < name_field[0]
    assert abs(centre(name_label)[1] - centre(name_field)[1]) <= 2
    assert len(state["list_rows"]) > 10 and state["list_rows"][0]["text"] == "Item 1"
    app.close()
    assert app.process.returncode == 0  # SIGTERM is a clean exit


def test_boxes_match_pixels_and_clicks_land(start: Start, xvfb: Xvfb, test_output: Path) -> None:
    app = start()
    image = grab(xvfb.display)
    save_png(image, test_output / "fixture_form_default.png")
    state = app.state()
    widgets = by_name(state)
    for w in widgets.values():
        assert not_uniform(image, w["box"]), f"{w['name']} box {w['box']} is blank on screen"
    for name in ("btn_save", "btn_settings", "field_name", "field_city", "combo_country"):
        assert_box_matches_pixels(image, widgets[name]["box"], tolerance=1)
    # Tight text boxes of labels: the ink lies inside, close to the edges.
    found = ink_bbox(image, widgets["label_email"]["box"], pad=2)
    box = widgets["label_email"]["box"]
    assert box[0] <= found[0] <= box[0] + 2 and found[0] + found[2] <= box[0] + box[2] + 1

    click(xvfb.display, widgets["btn_save"]["box"])
    state = app.wait_for(lambda s: s["last_clicked"] == "btn_save")
    assert state["status"] == "Saved" and state["saved_count"] == 1
    click(xvfb.display, widgets["tool_copy"]["box"])
    state = app.wait_for(lambda s: s["last_clicked"] == "tool_copy")
    assert state["clicks"] == ["btn_save", "tool_copy"]


def test_typing_and_command_file(start: Start, xvfb: Xvfb) -> None:
    app = start()
    click(xvfb.display, app.widget("field_name")["box"])
    xdo(xvfb.display, "type", "--delay", "5", "Alice Smith")
    state = app.wait_for(lambda s: s["fields"]["name"] == "Alice Smith")
    assert state["focus"] == "field_name"
    assert app.widget("field_name")["text"] == "Alice Smith"

    click(xvfb.display, app.widget("field_password")["box"])
    xdo(xvfb.display, "type", "--delay", "5", "pw123")
    app.wait_for(lambda s: s["fields"]["password"] == "pw123")
    assert app.widget("field_password")["text"] != "pw123"  # shown masked

    before = grab(xvfb.display)
    status_box = app.widget("status_message")["box"]
    app.command("status Hello from the benchmark")
    assert app.state()["status"] == "Hello from the benchmark"
    after = grab(xvfb.display)
    x, y, w, h = app.widget("status_message")["box"]
    assert w > status_box[2]
    assert not np.array_equal(before[y : y + h, x : x + w], after[y : y + h, x : x + w])

    app.command("set email bob@example.com")
    assert app.state()["fields"]["email"] == "bob@example.com"
    with pytest.raises(ValueError, match="unknown field"):
        app.command("set nosuch value")


def test_checkbox_radio_and_list(start: Start, xvfb: Xvfb) -> None:
    app = start()
    click(xvfb.display, app.widget("check_terms")["box"])
    app.wait_for(lambda s: s["checkboxes"]["terms"] is True)
    click(xvfb.display, app.widget("check_terms")["box"])
    app.wait_for(lambda s: s["checkboxes"]["terms"] is False)
    click(xvfb.display, app.widget("radio_pro")["box"])
    state = app.wait_for(lambda s: s["radio"] == "pro")
    assert by_name(state)["radio_pro"]["checked"] and not by_name(state)["radio_basic"]["checked"]

    row = next(r for r in app.state()["list_rows"] if r["text"] == "Item 3")
    click(xvfb.display, row["box"])
    app.wait_for(lambda s: s["list_selected"] == "Item 3")
    list_centre = centre(app.widget("list_items")["box"])
    xdo(xvfb.display, "mousemove", *list_centre, "click", "--repeat", "2", "5")  # wheel down
    state = app.wait_for(lambda s: s["list_scroll"] > 0)
    assert state["list_rows"][0]["text"] != "Item 1"

    click(xvfb.display, app.widget("btn_delete_all")["box"])
    app.wait_for(lambda s: s["status"] == "Deleted")


def test_menu_and_settings_dialog(start: Start, xvfb: Xvfb) -> None:
    app = start()
    click(xvfb.display, app.widget("menu_file")["box"])
    state = app.wait_for(lambda s: s["open_menu"] == "File")
    items = {w["text"]: w for w in state["widgets"] if w["kind"] == "menu_item"}
    assert list(items) == ["New", "Open...", "Save", "Save As...", "Quit"]
    assert not_uniform(grab(xvfb.display), items["Save As..."]["box"])
    click(xvfb.display, items["Save"]["box"])
    state = app.wait_for(lambda s: s["menu_log"] == ["File/Save"] and s["open_menu"] is None)
    assert state["saved_count"] == 1

    main_window = app.state()["window"]
    click(xvfb.display, app.widget("btn_settings")["box"])
    state = app.wait_for(lambda s: s["dialog_open"])
    widgets = by_name(state)
    for name in ("dialog_settings", "dialog_server", "dialog_proxy", "dialog_ok", "dialog_cancel"):
        assert widgets[name]["visible"], name
    dialog = widgets["dialog_settings"]["box"]
    assert abs(centre(dialog)[0] - centre(main_window)[0]) <= 2
    image = grab(xvfb.display)
    for name in ("dialog_ok", "dialog_server"):
        assert_box_matches_pixels(image, widgets[name]["box"], tolerance=1)

    click(xvfb.display, widgets["dialog_server"]["box"])
    xdo(xvfb.display, "type", "--delay", "5", "proxy.example.org")
    click(xvfb.display, widgets["dialog_proxy"]["box"])
    app.wait_for(lambda s: s["dialog_proxy"])
    click(xvfb.display, widgets["dialog_ok"]["box"])
    state = app.wait_for(lambda s: not s["dialog_open"])
    assert state["settings_server"] == "proxy.example.org"
    assert "dialog_ok" not in by_name(state)


def test_variants_move_restyle_and_scale(start: Start, xvfb: Xvfb, test_output: Path) -> None:
    default = by_name(start().state())

    moved_app = start(variant="moved")
    moved_state = moved_app.state()
    moved = by_name(moved_state)
    assert moved_state["window"] == [400, 180, 1280, 800]
    # Not just shifted: the list is now left of the form and spacing differs.
    assert moved["list_items"]["box"][0] < moved["field_name"]["box"][0]
    shift = np.subtract(moved["btn_save"]["box"][:2], default["btn_save"]["box"][:2])
    shift_field = np.subtract(moved["field_name"]["box"][:2], default["field_name"]["box"][:2])
    assert not np.array_equal(shift, shift_field)
    image = grab(xvfb.display)
    save_png(image, test_output / "fixture_form_moved.png")
    assert_box_matches_pixels(image, moved["btn_save"]["box"], tolerance=1)
    click(xvfb.display, moved["btn_cancel"]["box"])
    moved_app.wait_for(lambda s: s["status"] == "Cancelled")

    dark_app = start(variant="dark")
    dark = by_name(dark_app.state())
    assert {n: w["box"] for n, w in dark.items()} == {n: w["box"] for n, w in default.items()}
    image = grab(xvfb.display)
    save_png(image, test_output / "fixture_form_dark.png")
    assert image[:800, :1280].mean() < 90  # a dark theme
    # The dark outer bevel is low-contrast, so the ink can start 1 px inside the box.
    assert_box_matches_pixels(image, dark["btn_save"]["box"], tolerance=2)

    big_app = start(variant="scale150")
    big_state = big_app.state()
    big = by_name(big_state)
    assert big_state["scale"] == 1.5 and big_state["window"] == [0, 0, 1800, 1050]
    for name in ("btn_save", "field_name", "check_terms", "tool_save", "menu_file"):
        ratio = big[name]["box"][3] / default[name]["box"][3]
        assert 1.3 <= ratio <= 1.7, (name, big[name]["box"], default[name]["box"])
    ratio = big["btn_settings"]["box"][2] / default["btn_settings"]["box"][2]
    assert 1.3 <= ratio <= 1.7
    image = grab(xvfb.display)
    save_png(image, test_output / "fixture_form_scale150.png")
    assert_box_matches_pixels(image, big["btn_save"]["box"], tolerance=2)
    assert_box_matches_pixels(image, big["field_email"]["box"], tolerance=2)
    click(xvfb.display, big["btn_save"]["box"])
    big_app.wait_for(lambda s: s["last_clicked"] == "btn_save")


def test_busy_app(start: Start, xvfb: Xvfb, test_output: Path) -> None:
    app = start("busy_app")
    state = app.state()
    assert state["window"] == [0, 0, 1920, 1080]
    buttons = [w for w in state["widgets"] if w["kind"] == "button"]
    assert len(buttons) == 20 and len({b["text"] for b in buttons}) == 20
    visible = [line for line in state["lines"] if line["visible"]]
    assert len(visible) >= 60
    assert all(100 <= len(line["text"]) <= 140 for line in state["lines"])
    image = grab(xvfb.display)
    save_png(image, test_output / "fixture_busy.png")
    for w in buttons:
        assert not_uniform(image, w["box"]), w
    assert_box_matches_pixels(image, buttons[0]["box"], tolerance=1)
    for line in visible[:: len(visible) // 4]:
        found = ink_bbox(image, line["box"], pad=1)
        assert abs(found[0] - line["box"][0]) <= 2 and abs(found[2] - line["box"][2]) <= 3, line

    status = app.widget("status_message")["box"]
    app.command("status Build 4711 finished")
    assert app.state()["status"] == "Build 4711 finished"
    after = grab(xvfb.display)
    x, y, w, h = status
    assert not np.array_equal(image[y : y + h, x : x + w], after[y : y + h, x : x + w])
    click(xvfb.display, app.widget("btn_export_pdf")["box"])
    app.wait_for(lambda s: s["last_clicked"] == "btn_export_pdf")
