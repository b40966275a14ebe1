"""The foreign-toolkit grounding bench's own checks: its ground truth is where the pixels
are, and its scoring rule counts hits and misses right.

Deliberately no accuracy assertions: perception is being improved, and the bench
(bench/grounding.py --suite foreign) is where accuracy is measured. One Tk screen, two GTK
screens and one Chromium page, about 7 s in all.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from bench.foreign.gtk_suite import gtk_queries
from bench.foreign.html_suite import check_fills_screen, html_queries
from bench.foreign.scoring import Query, cell, score, tally, wilson
from bench.foreign.settle import settled_grab
from bench.foreign.tk_suite import tk_queries
from gui_agent.geometry import Rect
from gui_agent.headless.xvfb import Xvfb
from gui_agent.perception.state import Element, ElementKind, ScreenState
from gui_agent.screen.capture import ScreenCapture
from gui_agent.training.chromium import Chromium, chromium_binary
from tests.apps.foreign.launch import gtk_unavailable, launch_gtk, launch_tk
from tests.apps.foreign.pages import html, truth

Box = tuple[int, int, int, int]


@pytest.fixture
def cap(xvfb: Xvfb) -> Iterator[ScreenCapture]:
    with ScreenCapture(xvfb.display) as capture:
        yield capture


def _edges_visible(pixels: np.ndarray, box: Box, contrast: float = 25.0) -> list[str]:
    """The sides of ``box`` with no edge: no line 0-2 px inside the side differs (in mean
    brightness) from the line 2 px outside it. A box off by a few pixels, or on the wrong
    widget, fails this on some side."""
    x, y, w, h = box
    grey = pixels.astype(float).mean(axis=2)
    m = 4  # skip rounded corners
    sides = {
        "top": lambda d: grey[y + d, x + m : x + w - m].mean(),
        "bottom": lambda d: grey[y + h - 1 - d, x + m : x + w - m].mean(),
        "left": lambda d: grey[y + m : y + h - m, x + d].mean(),
        "right": lambda d: grey[y + m : y + h - m, x + w - 1 - d].mean(),
    }
    return [
        name
        for name, line in sides.items()
        if max(abs(line(d) - line(-2)) for d in (0, 1, 2)) < contrast
    ]


def _inside(box: Box, width: int, height: int) -> bool:
    x, y, w, h = box
    return w > 0 and h > 0 and x >= 0 and y >= 0 and x + w <= width and y + h <= height


def test_tk_truth_matches_the_pixels(xvfb: Xvfb, cap: ScreenCapture, tmp_path: Path) -> None:
    with launch_tk("keypad", "clam", tmp_path / "keypad.json", xvfb.display) as app:
        state = app.state()
        frame = settled_grab(cap)
    widgets = {w["name"]: w for w in state["widgets"]}
    assert state["screen_size"] == [xvfb.width, xvfb.height]
    for w in widgets.values():
        assert _inside(tuple(w["box"]), xvfb.width, xvfb.height), w
    keys = [Rect(*w["box"]) for n, w in widgets.items() if n.startswith("key_")]
    assert len(keys) == 18
    for i, a in enumerate(keys):  # a grid of separate buttons
        assert not any(a.intersects(b) for b in keys[i + 1 :]), a
    for name in ("key_=", "key_C", "key_7", "display"):
        assert _edges_visible(frame.pixels, tuple(widgets[name]["box"])) == [], name
    # the bench's queries for this screen all point at real widgets
    assert {q.target for q in tk_queries("keypad", widgets)} <= set(widgets)


@pytest.mark.skipif(gtk_unavailable() is not None, reason=f"GTK 3 screens cannot run: "
                    f"{gtk_unavailable()}")  # fmt: skip
def test_gtk_truth_matches_the_pixels(xvfb: Xvfb, cap: ScreenCapture, tmp_path: Path) -> None:
    """GTK's allocations, moved to root coordinates by the app, land on the drawn widgets,
    and GTK_THEME reaches the app (the dark theme really is dark)."""
    with launch_gtk("keypad", "adwaita", tmp_path / "keypad.json", xvfb.display) as app:
        state = app.state()
        frame = settled_grab(cap)
    widgets = {w["name"]: w for w in state["widgets"]}
    assert state["toolkit"] == "gtk" and state["screen_size"] == [xvfb.width, xvfb.height]
    keys = [Rect(*w["box"]) for n, w in widgets.items() if n.startswith("key_")]
    assert len(keys) == 18
    for i, a in enumerate(keys):  # a grid of separate buttons
        assert not any(a.intersects(b) for b in keys[i + 1 :]), a
    for name in ("key_=", "key_C", "key_7", "display"):
        assert _edges_visible(frame.pixels, tuple(widgets[name]["box"])) == [], name
    assert {q.target for q in gtk_queries("keypad", widgets)} <= set(widgets)

    with launch_gtk("settings", "dark", tmp_path / "settings.json", xvfb.display) as app:
        state = app.state()
        frame = settled_grab(cap)
    widgets = {w["name"]: w for w in state["widgets"]}
    for w in widgets.values():
        assert _inside(tuple(w["box"]), xvfb.width, xvfb.height), w
    for name in ("field_name", "field_server", "combo_theme", "field_description", "btn_save"):
        assert _edges_visible(frame.pixels, tuple(widgets[name]["box"])) == [], name
    x, y, w = widgets["heading"]["box"][:3]
    assert frame.pixels[y - 6, x : x + w].mean() < 80  # Adwaita:dark's window background
    assert {q.target for q in gtk_queries("settings", widgets)} <= set(widgets)


@pytest.mark.skipif(chromium_binary() is None, reason="chromium is not installed "
                    "(packaging/install-system-deps.sh)")  # fmt: skip
def test_chromium_truth_matches_the_pixels(xvfb: Xvfb, cap: ScreenCapture) -> None:
    size = (xvfb.width, xvfb.height)
    with Chromium(*size, display=xvfb.display) as browser:
        check_fills_screen(browser, size)
        browser.load(html("signup", "bootstrap"))
        boxes = truth(browser)
        frame = settled_grab(cap)
        dom = browser.boxes("#submit")[0]
    submit = boxes["submit"][0]
    assert len(boxes["submit"]) == 1
    assert submit == (round(dom["x"]), round(dom["y"]), round(dom["w"]), round(dom["h"]))
    for element_id, rects in boxes.items():
        assert rects and all(_inside(r, *size) for r in rects), element_id
    for element_id in ("submit", "cancel", "email", "country"):
        assert _edges_visible(frame.pixels, boxes[element_id][0]) == [], element_id
    # the primary button is Bootstrap blue (#0d6efd) inside its box and nowhere just outside
    x, y, w, h = submit
    bgr = frame.pixels.astype(int)
    blue = (abs(bgr[..., 0] - 0xFD) < 20) & (abs(bgr[..., 1] - 0x6E) < 20) & (bgr[..., 2] < 40)
    assert blue[y : y + h, x : x + w].mean() > 0.6
    ring = blue[y - 3 : y + h + 3, x - 3 : x + w + 3].sum() - blue[y : y + h, x : x + w].sum()
    assert ring == 0
    queries = html_queries("signup", boxes)
    remember = next(q for q in queries if q.text == "the Remember me checkbox")
    assert len(remember.truth) == 2  # the box and its label both count


def _state(*elements: tuple[ElementKind, str, Box]) -> ScreenState:
    els = [Element(i, kind, Rect(*box), text) for i, (kind, text, box) in enumerate(elements)]
    return ScreenState(els, Rect(0, 0, 800, 600))


def test_scoring_counts_a_known_hit_and_a_known_miss() -> None:
    state = _state(
        (ElementKind.BUTTON, "OK", (400, 300, 80, 30)),
        (ElementKind.BUTTON, "Cancel", (500, 300, 80, 30)),
        (ElementKind.TEXT, "Delete 3 files?", (400, 250, 180, 20)),
    )
    ok_truth = (Rect(398, 298, 84, 34),)
    hit = score(state, Query("the OK button", "text", "btn_ok", ok_truth), "tk/clam", "dialog")
    assert hit.hit and "'OK'" in hit.got
    # found, but the centre lies in another widget: a miss
    wrong = score(state, Query("Cancel", "text", "btn_ok", ok_truth), "tk/clam", "dialog")
    assert not wrong.hit and "'Cancel'" in wrong.got
    # not found is a miss, and says so
    gone = score(state, Query("the Frobnicate button", "text", "x", ok_truth), "tk/clam", "dialog")
    assert not gone.hit and gone.got.startswith("not found")
    assert "Frobnicate" in gone.miss_line() and "(398, 298, 84, 34)" in gone.miss_line()
    # a check box's label counts as well as its indicator
    check = _state((ElementKind.TEXT, "Remember me", (130, 100, 100, 16)))
    two = (Rect(110, 100, 14, 14), Rect(128, 98, 104, 20))
    label_hit = score(check, Query("Remember me", "checkbox", "#remember", two), "html/x", "s")
    assert label_hit.hit
    counts = tally([hit, wrong, gone, label_hit], "group")
    assert counts[("tk/clam", "text")] == [True, False, False]
    assert counts[("all", "all")] == [True, False, False, True]
    assert tally([hit], "screen")[("tk dialog", "text")] == [True]
    assert cell([True, False, False]) == "33% 1/3 [6-79]"
    assert cell([]) == "-"


def test_wilson_interval() -> None:
    lo, hi = wilson(5, 10)
    assert (round(lo, 3), round(hi, 3)) == (0.237, 0.763)
    assert wilson(0, 10)[0] == 0.0 and wilson(10, 10)[1] == 1.0
    assert wilson(0, 0) == (0.0, 1.0)


def test_query_needs_a_known_bucket_and_a_box() -> None:
    with pytest.raises(ValueError, match="bucket"):
        Query("OK", "button", "b", (Rect(0, 0, 1, 1),))
    with pytest.raises(ValueError, match="a true box"):
        Query("OK", "text", "b", ())
    with pytest.raises(ValueError, match="a true box"):
        Query("the print icon", "absent", "-", (Rect(0, 0, 1, 1),))


def test_an_absent_icon_is_right_when_not_found() -> None:
    """The toolbars are also asked for icons they lack: an answer there is a wrong answer,
    counted in its own column and kept out of the targets' "all"."""
    state = _state((ElementKind.BUTTON, "Print", (400, 300, 80, 30)))
    gone = score(state, Query("the bell icon", "absent", "-", ()), "gtk/dark", "toolbar")
    found = score(state, Query("the print icon", "absent", "-", ()), "gtk/dark", "toolbar")
    assert gone.hit and gone.got.startswith("not found")
    assert not found.hit and "'Print'" in found.got
    counts = tally([gone, found], "group")
    assert counts[("gtk/dark", "absent")] == [True, False]
    assert ("all", "all") not in counts
