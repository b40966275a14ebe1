"""Tk training screens: the image is the Xvfb display, the boxes are Tk's own geometry.

Skipped as a whole without Xvfb or tkinter.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import numpy as np
import pytest

if shutil.which("Xvfb") is None:
    pytest.skip("Xvfb is not installed", allow_module_level=True)
tk = pytest.importorskip("tkinter", reason="tkinter is not installed")

from gui_agent.training.synth import tk as tk_render  # noqa: E402
from gui_agent.training.synth.recipe import TK_HELDOUT_THEMES  # noqa: E402


@pytest.fixture(scope="module")
def display() -> Iterator[tk_render.TkDisplay]:
    with tk_render.TkDisplay() as d:
        yield d


def test_render_is_deterministic(display: tk_render.TkDisplay) -> None:
    a = tk_render.render_screen(5, "train", display)
    tk_render.render_screen(6, "heldout", display)
    b = tk_render.render_screen(5, "train", display)
    assert np.array_equal(a.image, b.image) and a.boxes == b.boxes and a.boxes
    assert a.image.shape[:2] == (a.meta["size"][1], a.meta["size"][0])


def test_heldout_theme_is_never_drawn_for_training(display: tk_render.TkDisplay) -> None:
    train = {tk_render.render_screen(s, "train", display).meta["theme"] for s in range(10)}
    held = {tk_render.render_screen(s, "heldout", display).meta["theme"] for s in range(2)}
    assert not train & {f"tk.{t}" for t in TK_HELDOUT_THEMES}
    assert held == {f"tk.{t}" for t in TK_HELDOUT_THEMES}


def test_every_class_but_toggle_appears_with_sane_boxes(display: tk_render.TkDisplay) -> None:
    seen: set[str] = set()
    for seed in range(12):
        s = tk_render.render_screen(seed, "train", display)
        h, w = s.image.shape[:2]
        for b in s.boxes:
            assert 0 <= b.x0 < b.x1 <= w and 0 <= b.y0 < b.y1 <= h
            crop = s.image[b.y0 : b.y1, b.x0 : b.x1].reshape(-1, 3)
            assert len(np.unique(crop, axis=0)) > 1, b  # something is drawn there
            seen.add(b.cls)
    assert seen >= {"button", "icon", "field", "checkbox", "radio", "slider", "combo", "tab"}


def test_boxes_are_the_widgets_pixels(display: tk_render.TkDisplay) -> None:
    """A red button placed by hand: its box is exactly the red patch; a check button's box
    holds its indicator at the left end and its text after it."""
    root = display.root
    for child in root.winfo_children():
        child.destroy()
    root.geometry("300x120+0+0")
    frame = tk.Frame(root, background="#ffffff", width=300, height=120)
    frame.place(x=0, y=0)
    red = tk.Label(frame, background="#ff0000", borderwidth=0, highlightthickness=0)
    red.place(x=30, y=20, width=80, height=30)
    check = tk.Checkbutton(frame, text="Remember me", background="#ffffff", highlightthickness=0)
    check.select()
    check.place(x=30, y=70)
    marks: list[tk_render.Mark] = [("button", red, "tk.Label"), ("checkbox", check, "x")]
    display.settle()
    image = display.grab(300, 120)
    boxes = tk_render._collect(marks, 300, 120)
    first = boxes[0]
    assert (first.cls, first.x0, first.y0, first.x1, first.y1) == ("button", 30, 20, 110, 50)
    assert (image[20:50, 30:110] == [255, 0, 0]).all()
    assert (image[19, 30:110] == 255).all() and (image[20:50, 110] == 255).all()
    c = boxes[1]
    crop = image[c.y0 : c.y1, c.x0 : c.x1].min(axis=2)
    side = c.y1 - c.y0
    assert (crop[:, :side] < 128).any() and (crop[:, side + 2 :] < 128).any()
