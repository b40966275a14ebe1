"""Perception on a real screen: the fixture form under Xvfb, the real PP-OCR models.

Ground truth is the fixture app's own widget geometry, never our own output.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from gui_agent.geometry import Point, Rect
from gui_agent.perception.annotate import annotate, save_png
from gui_agent.perception.locate import locate
from gui_agent.perception.perceiver import Perceiver
from gui_agent.perception.state import Element, ElementKind, ScreenState
from gui_agent.screen.frame import Frame
from tests.apps.launcher import LaunchedApp
from tests.conftest import Start

Grab = Callable[[], Frame]


def true_box(app: LaunchedApp, name: str) -> Rect:
    return Rect(*app.widget(name)["box"])


def best_overlap(state: ScreenState, box: Rect, kind: ElementKind) -> Element | None:
    cands = [e for e in state.elements if e.kind is kind and e.box.iou(box) > 0]
    return max(cands, key=lambda e: e.box.iou(box), default=None)


def signature(state: ScreenState) -> list[tuple[str, str, tuple[int, int, int, int]]]:
    """Kinds, boxes and texts; an icon's caption (OCR's reading of a pictogram, which can flip
    with a change elsewhere in the detector's view) is left out."""
    return sorted(
        (e.kind.value, "" if e.kind is ElementKind.ICON else e.text, e.box.as_tuple())
        for e in state.elements
    )


@pytest.fixture
def form(start: Start) -> LaunchedApp:
    return start("form_app")


def test_finds_every_kind_of_control_with_its_real_box(
    form: LaunchedApp, perceiver: Perceiver, grab: Grab, test_output: Path
) -> None:
    frame = grab()
    state = perceiver.perceive(frame)
    save_png(annotate(frame, state), test_output / "perception_form.png")

    for name in ("field_name", "field_email", "field_password", "field_phone", "field_city"):
        el = best_overlap(state, true_box(form, name), ElementKind.FIELD)
        assert el is not None, f"{name} not found as a field"
        assert el.box.iou(true_box(form, name)) > 0.8, (name, el.box, true_box(form, name))

    for name, label in (
        ("btn_save", "Save"),
        ("btn_cancel", "Cancel"),
        ("btn_delete_all", "Delete all"),
    ):
        el = best_overlap(state, true_box(form, name), ElementKind.BUTTON)
        assert el is not None and el.text == label
        # The button's box is the button, not only its label.
        assert el.box.iou(true_box(form, name)) > 0.8

    for name, label in (("check_remember", "Remember me"), ("check_terms", "Accept terms")):
        el = next(e for e in state.elements if e.kind is ElementKind.CHECKBOX and e.text == label)
        assert true_box(form, name).contains_point(el.box.center)
        assert el.checked is False

    radios = {e.text: e for e in state.of_kind(ElementKind.RADIO)}
    assert set(radios) >= {"Basic", "Pro", "Enterprise"}
    assert radios["Basic"].checked and not radios["Pro"].checked

    combo = best_overlap(state, true_box(form, "combo_country"), ElementKind.COMBO)
    assert combo is not None and combo.text == "United States"

    icons = [w for w in form.state()["widgets"] if w.get("icon_only")]
    hits = sum(
        any(
            e.kind is ElementKind.ICON and Rect(*w["box"]).contains_point(e.box.center)
            for e in state.elements
        )
        for w in icons
    )
    assert hits >= len(icons) - 1, f"only {hits} of {len(icons)} toolbar icons found"

    # ids are unique and in reading order
    assert [e.id for e in state.elements] == list(range(1, len(state.elements) + 1))


def test_checked_state_and_locate_on_a_real_frame(
    form: LaunchedApp, perceiver: Perceiver, grab: Grab
) -> None:
    form.command("check remember on")
    form.command("set email alice@example.com")
    state = perceiver.perceive(grab())
    box = locate(state, "checkbox Remember me")
    assert box.element.checked is True
    assert true_box(form, "check_remember").contains_point(box.element.box.center)

    for query, widget in (
        ("the Save button", "btn_save"),
        ("the Name field", "field_name"),
        ("the field right of Phone", "field_phone"),
        ("the button below Plan", "btn_save"),
        ("Settings...", "btn_settings"),
        ("radio Enterprise", "radio_enterprise"),
    ):
        got = locate(state, query).element
        assert true_box(form, widget).contains_point(got.box.center), (query, got)
    email = locate(state, "the Email field").element
    assert email.text.replace(" ", "") == "alice@example.com"


def test_incremental_rereads_only_the_change_and_matches_a_full_pass(
    form: LaunchedApp, perceiver: Perceiver, ocr_engine: object, grab: Grab
) -> None:
    perceiver.perceive(grab())
    again = perceiver.perceive(grab())
    assert perceiver.stats.last_mode == "unchanged"
    assert again.elements

    form.command("set name Bob Builder")
    frame = grab()
    state = perceiver.perceive(frame)
    assert perceiver.stats.last_mode == "incremental"
    dirty = perceiver.stats.last_dirty
    assert sum(d.area for d in dirty) < 0.1 * frame.box.area
    name_box = true_box(form, "field_name")
    assert any(d.contains(name_box) for d in dirty)
    assert locate(state, "the Name field").element.text.replace(" ", "") == "BobBuilder"

    full = Perceiver(perceiver.ocr).perceive(frame)
    assert signature(state) == signature(full)

    form.command("status Saved just now")
    state = perceiver.perceive(grab())
    assert perceiver.stats.last_mode == "incremental"
    assert any(e.text == "Saved just now" for e in state.elements)


def test_dark_theme_moved_layout_and_hidpi_scale(
    start: Start, perceiver: Perceiver, grab: Grab
) -> None:
    for variant in ("dark", "moved", "scale150"):
        app = start("form_app", variant)
        perceiver.reset()
        state = perceiver.perceive(grab())
        for query, widget in (
            ("the Save button", "btn_save"),
            ("the City field", "field_city"),
            ("checkbox Subscribe to newsletter", "check_subscribe"),
        ):
            got = locate(state, query).element
            assert true_box(app, widget).contains_point(got.box.center), (variant, query, got)


def test_frame_origin_is_respected(perceiver: Perceiver, form: LaunchedApp, grab: Grab) -> None:
    full = grab()
    region = Rect(800, 700, 500, 100)  # around the bottom buttons
    state = perceiver.perceive(full.crop(region))
    save = locate(state, "Save button").element
    assert true_box(form, "btn_save").contains_point(save.box.center)
    assert state.frame_box == region
    assert Point(save.box.x, save.box.y).x >= region.x
