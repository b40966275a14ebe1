"""HTML training screens: Chromium's layout is the ground truth, classes come from the DOM.

Skipped as a whole when the chromium binary (or websocket-client) is missing.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gui_agent.training.chromium import chromium_binary

if chromium_binary() is None:
    pytest.skip(
        "chromium is not installed (bash packaging/install-system-deps.sh)",
        allow_module_level=True,
    )
pytest.importorskip("websocket", reason="websocket-client is not installed")

from gui_agent.training.synth import html
from gui_agent.training.synth.recipe import HTML_HELDOUT_THEMES


@pytest.fixture(scope="module")
def page() -> Iterator[html.Page]:
    with html.Page() as p:
        yield p


def rec(tag: str, **kw: Any) -> dict[str, Any]:
    base = {"tag": tag, "type": "", "role": "", "inner": "", "custom": "", "text": 0}
    return base | {"graphic": False} | kw


@pytest.mark.parametrize(
    ("record", "cls"),
    [
        (rec("input"), "field"),
        (rec("input", type="search"), "field"),
        (rec("textarea"), "field"),
        (rec("select"), "combo"),
        (rec("input", type="checkbox"), "checkbox"),
        (rec("label", inner="radio", text=5), "radio"),
        (rec("label", custom="checkbox", text=5), "checkbox"),
        (rec("input", type="range"), "slider"),
        (rec("input", type="submit"), "button"),
        (rec("button", text=4), "button"),
        (rec("a", text=4, graphic=True), "button"),
        (rec("button", graphic=True), "icon"),
        (rec("button", role="tab", text=3), "tab"),
        (rec("span", role="switch"), "toggle"),
        (rec("img"), "icon"),
        (rec("label", text=5), None),
        (rec("input", type="file"), None),
    ],
)
def test_dom_elements_map_to_classes(record: dict[str, Any], cls: str | None) -> None:
    assert html.dom_class(record) == cls


def test_render_is_deterministic(page: html.Page) -> None:
    a = html.render_screen(3, "train", page)
    html.render_screen(4, "heldout", page, favicon=True)
    b = html.render_screen(3, "train", page)
    assert np.array_equal(a.image, b.image) and a.boxes == b.boxes and a.boxes


def test_heldout_theme_is_never_drawn_for_training(page: html.Page) -> None:
    train = {html.render_screen(s, "train", page).meta["theme"] for s in range(12)}
    held = {html.render_screen(s, "heldout", page).meta["theme"] for s in range(3)}
    assert not train & {f"css.{t}" for t in HTML_HELDOUT_THEMES}
    assert held == {f"css.{t}" for t in HTML_HELDOUT_THEMES}


FIXED = """<!doctype html><html><body style="margin:0;background:#fff">
<button data-gt style="position:absolute;left:40px;top:30px;width:100px;height:30px;
  border:2px solid #f00;background:#0f0;padding:0">Go</button>
<label class="choice" data-gt style="position:absolute;left:40px;top:100px;display:inline-flex;
  align-items:center;gap:4px;font:16px sans-serif"><input type="checkbox" checked
  style="margin:0">Remember me</label>
<input data-gt style="position:absolute;left:200px;top:30px;width:120px">
<button data-gt style="position:absolute;left:400px;top:30px">Hidden</button>
<div style="position:absolute;left:390px;top:20px;width:200px;height:60px;background:#00f"></div>
</body></html>"""


def test_boxes_match_the_drawn_controls(page: html.Page) -> None:
    image, records = page.render(FIXED, 640, 200, 1.25)
    boxes = html.boxes_from_records(records, 1.25, image.shape[1], image.shape[0])
    assert [b.cls for b in boxes] == ["button", "field", "checkbox"]
    button, _field, check = boxes
    # the button's red border lies exactly on its box's edges, white just outside
    assert (button.x0, button.y0, button.x1, button.y1) == (50, 38, 175, 75)
    red = np.array([255, 0, 0])
    assert np.abs(image[button.y0 + 1, button.x0 + 10].astype(int) - red).max() < 40
    assert np.abs(image[button.y1 - 2, button.x1 - 10].astype(int) - red).max() < 40
    assert image[button.y0 - 2, button.x0 + 10].min() > 240
    assert image[(button.y0 + button.y1) // 2, button.x1 + 2].min() > 240
    # the check box's box holds the indicator's ink at its left end and the label's text
    crop = image[check.y0 : check.y1, check.x0 : check.x1].min(axis=2)
    assert (crop[:, : crop.shape[0]] < 128).any()  # the ticked indicator
    assert (crop[:, crop.shape[0] + 4 :] < 128).any()  # the text
    assert check.x1 - check.x0 > 3 * (check.y1 - check.y0)


def test_favicons_beside_text_are_icons_never_choices(page: html.Page) -> None:
    icons = 0
    for seed in range(6):
        screen = html.render_screen(seed, "train", page, favicon=True)
        assert screen.meta["layout"] in html.FAVICON_LAYOUTS
        tabs = [b for b in screen.boxes if b.cls == "tab"]
        for b in screen.boxes:
            if b.cls != "icon":
                continue
            icons += 1
            for c in screen.boxes:
                if c.cls in ("checkbox", "radio"):
                    assert not (c.x0 <= b.x0 and b.x1 <= c.x1 and c.y0 <= b.y0 and b.y1 <= c.y1)
        top = min((t.y0 for t in tabs), default=0)
        for t in [t for t in tabs if t.y0 == top]:  # browser tabs hold their favicon, an icon
            inside = [
                b
                for b in screen.boxes
                if b.cls == "icon" and t.x0 <= b.x0 and b.x1 <= t.x1 and t.y0 <= b.y0
            ]
            assert inside or screen.meta["layout"] != "browser"
    assert icons >= 20


def test_favicons_can_all_come_from_the_held_out_icon_font(page: html.Page) -> None:
    pytest.importorskip("qtawesome", reason="the held-out icon font is in the [train] extra")
    glyphs = html.heldout_glyph_font()
    assert len(glyphs.codes) > 500 and "font/ttf;base64," in glyphs.face
    # the markup: every favicon is one of the font's glyphs
    m = html._Markup(random.Random(3), "plain", glyphs)
    for _ in range(20):
        span = m.favicon(18)
        code = int(span.split("&#x")[1].split(";")[0], 16)
        assert code in glyphs.codes and f"font-family:'{glyphs.family}'" in span
    # the page: the font loads, so each favicon box is drawn (a missing font draws nothing
    # or a tofu box of the same size on every icon)
    screen = html.render_screen(7, "heldout", page, favicon=True, glyphs=glyphs)
    plain = html.render_screen(7, "heldout", page, favicon=True)
    assert screen.meta["theme"] == plain.meta["theme"]
    icons = [b for b in screen.boxes if b.cls == "icon" and 12 <= b.y1 - b.y0 <= 24]
    assert len(icons) >= 3
    crops = [screen.image[round(b.y0) : round(b.y1), round(b.x0) : round(b.x1)] for b in icons]
    assert all(c.std() > 10 for c in crops)
    assert len({c.tobytes() for c in crops}) >= len(crops) // 2  # different glyphs


def test_training_glyph_favicons_never_draw_the_held_out_font() -> None:
    """The verifier learns glyph favicons from the icon classifier's training fonts; the
    held-out font (Phosphor) stays for the bench's ``favicon_glyphs`` set alone."""
    pytest.importorskip("qtawesome", reason="the icon fonts are in the [train] extra")
    held = html.heldout_glyph_font()
    drawn = {html.glyph_font_for("train", s).family for s in range(60)}
    assert held.family not in drawn and len(drawn) >= 6  # a spread of fonts, brands included
    shown = html.glyph_font_for("heldout", 0)
    assert all(html.glyph_font_for("heldout", s) == shown for s in range(5))
    assert shown.family == held.family and set(shown.codes) < set(held.codes)
    assert html.glyph_font_for("train", 11) == html.glyph_font_for("train", 11)


def test_no_favicon_in_any_split_is_a_drawing_of_a_check_box_or_radio() -> None:
    """Neither the training pages nor the held-out pages draw a check box or radio as a
    favicon, in any weight: a radio-shaped glyph beside "General" is a radio to the eye."""
    pytest.importorskip("qtawesome", reason="the icon fonts are in the [train] extra")
    from gui_agent.training.icons.fonts import charmap

    key = html.heldout_glyph_font_key()
    names, shown = charmap(key), set(html.glyph_font_for("heldout", 1).codes)
    for name in ("radio", "radio-bold", "circle-thin", "square-light", "check-square-offset",
                 "check-circle-bold", "record-fill"):  # fmt: skip
        assert names[name] not in shown
    for name in ("arrow-circle-down", "x-circle", "user-circle", "number-circle-four",
                 "square-half", "shield-check", "squares-four"):  # fmt: skip
        assert names[name] in shown  # a mark in a ring, a split square: icons
    assert len(shown) > 0.97 * len(html.heldout_glyph_font().codes)


def test_no_training_favicon_is_a_drawing_of_a_check_box_or_radio() -> None:
    pytest.importorskip("qtawesome", reason="the icon fonts are in the [train] extra")
    from gui_agent.training.icons.fonts import charmap

    for key in ("mdi6", "fa6r", "ri"):
        names = charmap(key)
        codes = set(html._favicon_glyphs(key).codes)
        for name in ("checkbox-blank-outline", "radiobox-marked", "circle", "square-check",
                     "checkbox-blank-line", "checkbox-circle-fill"):  # fmt: skip
            assert name not in names or names[name] not in codes
        for name in ("folder", "arrow-circle-down", "circle-question", "account-circle"):
            assert name not in names or names[name] in codes  # a mark in a ring is an icon
        assert len(codes) > 0.95 * len(html.glyph_font(key).codes)


def test_the_glyph_favicon_mix_renders_glyph_pages_by_split(tmp_path: Path) -> None:
    pytest.importorskip("qtawesome", reason="the icon fonts are in the [train] extra")
    from gui_agent.training.synth import generate, load_labels

    generate(tmp_path / "t", 2, 5, split="train", workers=1, mix="favicon_glyphs")
    rows = load_labels(tmp_path / "t")
    assert [r["meta"]["renderer"] for r in rows] == ["html_glyph_favicon"] * 2
    assert all(r["meta"]["favicon"] and r["meta"]["theme"] != "css.material" for r in rows)
    assert all(any(b[0] == "icon" for b in r["boxes"]) for r in rows)
    assert all(r["meta"]["glyphs"] != html.heldout_glyph_font().family for r in rows)


def test_choice_looks_span_every_part_of_an_indicator() -> None:
    """The random indicator looks cover every on-state style, sizes from small to large and
    the pale thin rings GTK draws, so the verifier sees real indicators as widely as fakes."""
    from gui_agent.training.synth.html_themes import ON_STYLES, choice_looks, palette

    sizes, widths, styles = set(), set(), set()
    for seed in range(200):
        rng = random.Random(seed)
        css = choice_looks(rng, palette(random.Random(seed), dark=seed % 4 == 0))
        sizes.add(int(css.split("width: ")[1].split("px")[0]))
        widths.add(css.split("border: ")[1].split("px")[0])
        styles.add(css.split("/* indicators: ")[1].split(" */")[0])
    assert min(sizes) <= 12 and max(sizes) >= 21
    assert {"1", "2", "3"} <= widths
    assert styles == set(ON_STYLES)
    assert choice_looks(random.Random(5), palette(random.Random(1), False)) == choice_looks(
        random.Random(5), palette(random.Random(1), False)
    )


def test_the_choice_looks_mix_renders_custom_indicators(tmp_path: Path) -> None:
    """Every check box and radio of a looks page is a custom indicator (its DOM says so),
    there are several per page, and two pages draw them differently."""
    pytest.importorskip("qtawesome", reason="the icon fonts are in the [train] extra")
    from PIL import Image

    from gui_agent.training.synth import generate, load_labels

    generate(tmp_path / "t", 3, 9, split="train", workers=1, mix="choice_looks")
    rows = load_labels(tmp_path / "t")
    assert [r["meta"]["renderer"] for r in rows] == ["html_choice_looks"] * 3
    looks = []
    for r in rows:
        assert r["meta"]["looks"] and r["meta"]["layout"] in html.LOOK_LAYOUTS
        assert r["meta"]["theme"] != "css.material"
        choices = [b for b in r["boxes"] if b[0] in ("checkbox", "radio")]
        assert len(choices) >= 4
        assert {b[5] for b in choices} <= {"html.label.checkbox", "html.label.radio"}
        image = np.asarray(Image.open(tmp_path / "t" / r["image"]).convert("RGB"))
        x0, y0, _, y1 = (int(v) for v in choices[0][1:5])
        looks.append(image[y0:y1, x0 : x0 + (y1 - y0)].astype(int))
    assert any(a.shape != b.shape or np.abs(a - b).mean() > 8 for a, b in itertools.pairwise(looks))
