"""Text read at full fidelity, on screens we did not draw with our own generator.

Chromium renders the pages (bench/text_pages.py) and the DOM says what text is where; plain
RapidOCR with its default settings reads the same frame in the same test. Perception must
read at least as well (character error rate), read one-character keys, and keep the words
of a line apart where the screen has them apart. Real onnxruntime, real browser.
"""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import numpy as np
import pytest

from bench._text_truth import TruthText, cer, group_words, html_truth
from bench.text_pages import page
from gui_agent.geometry import Rect
from gui_agent.perception.locate import locate
from gui_agent.perception.ocr import OcrEngine
from gui_agent.perception.perceiver import Perceiver
from gui_agent.training.chromium import Chromium, chromium_binary

needs_chromium = pytest.mark.skipif(
    chromium_binary() is None,
    reason="chromium is not installed (bash packaging/install-system-deps.sh)",
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    if chromium_binary() is None:
        pytest.skip("chromium is not installed (bash packaging/install-system-deps.sh)")
    with Chromium(1280, 800) as b:
        yield b


def _frame(browser: Chromium, kind: str, theme: str) -> tuple[np.ndarray, list[TruthText]]:
    browser.load(page(kind, theme))
    return cv2.cvtColor(browser.screenshot(), cv2.COLOR_RGB2BGR), html_truth(browser)


@needs_chromium
@pytest.mark.parametrize(("kind", "theme"), [("keypad", "bootstrap"), ("app", "dark_dense")])
def test_reads_at_least_as_well_as_plain_rapidocr(
    browser: Chromium, ocr_engine: OcrEngine, kind: str, theme: str
) -> None:
    from rapidocr_onnxruntime import RapidOCR

    pixels, truth = _frame(browser, kind, theme)
    base_lines = []
    for quad, text, _ in RapidOCR()(pixels)[0] or []:
        xs, ys = [p[0] for p in quad], [p[1] for p in quad]
        base_lines.append((Rect.from_ltrb(min(xs), min(ys), max(xs), max(ys)), text))
    state = Perceiver(ocr_engine).perceive(pixels)
    ours = cer(truth, [(e.label_box or e.box, e.text) for e in state.elements if e.text])
    base = cer(truth, base_lines)
    assert ours.errors <= base.errors, (ours, base)
    assert ours.missed <= base.missed


@needs_chromium
def test_every_key_of_a_keypad_is_read_and_found(browser: Chromium, ocr_engine: OcrEngine) -> None:
    pixels, _ = _frame(browser, "keypad", "plain")
    keys = browser.boxes("button")
    state = Perceiver(ocr_engine).perceive(pixels)
    for key in keys:
        box = Rect(round(key["x"]), round(key["y"]), round(key["w"]), round(key["h"]))
        got = locate(state, key["text"]).element
        assert box.contains_point(got.box.center), (key["text"], got)
    plus = next(k for k in keys if k["text"] == "+")
    plus_box = Rect(round(plus["x"]), round(plus["y"]), round(plus["w"]), round(plus["h"]))
    assert plus_box.contains_point(locate(state, "the plus key").element.box.center)


@needs_chromium
def test_adjacent_controls_keep_their_own_text(browser: Chromium, ocr_engine: OcrEngine) -> None:
    pixels, _ = _frame(browser, "app", "plain")
    state = Perceiver(ocr_engine).perceive(pixels)
    texts = [e.text for e in state.elements]
    # two drop-downs side by side were one line "Normal text100%"
    assert "Normal text" in texts and "100%" in texts, texts
    # stacked form labels are lines of their own
    assert any(t.startswith("Project name") for t in texts)


@needs_chromium
def test_a_link_inside_a_sentence_is_clicked_on_its_words(
    browser: Chromium, ocr_engine: OcrEngine
) -> None:
    pixels, _ = _frame(browser, "prose", "plain")
    links = {a["text"]: a for a in browser.boxes("a")}
    state = Perceiver(ocr_engine).perceive(pixels)
    for name in ("migration guide", "known issues"):
        a = links[name]
        box = Rect(round(a["x"]), round(a["y"]), round(a["w"]), round(a["h"]))
        got = locate(state, f"the {name} link")
        assert box.contains_point(got.element.box.center), (name, got.element, got.reason)
        assert got.element.box.w < 2 * box.w


@needs_chromium
@pytest.mark.parametrize(
    ("page_name", "theme", "query", "target"),
    [
        # the text detector merged the title with the toolbar's buttons into one line,
        # and the line was cut down to the button its middle fell in
        ("toolbar", "plain", "Untitled document", "doc-title"),
        # the label beside a drop-down was swallowed into the drop-down
        ("signup", "plain", "Country", "l-country"),
        # three radios on one row were one label "FreeOPro"
        ("signup", "plain", "the Pro radio", "plan-pro l-plan-pro"),
        # a row of icon-and-word links was one line
        ("settings", "plain", "the Privacy link", "s-privacy"),
        # a search lens's circle was a radio "labelled" with the lens read as "α", and a
        # document icon a radio labelled with the title beside it: the classifier names
        # both, so they are icons and the title a text of its own
        ("toolbar", "bootstrap", "the search icon", "t-search"),
        ("toolbar", "bootstrap", "Untitled document", "doc-title"),
        ("settings", "material", "the bell icon", "s-notifications"),
        # ... while a real, empty check box (drawn like a "stop" square) stays a check box
        ("signup", "material", "the I agree to the terms check box", "terms l-terms"),
    ],
)
def test_labels_between_controls_are_their_own_lines(
    browser: Chromium, ocr_engine: OcrEngine, page_name: str, theme: str, query: str, target: str
) -> None:
    from tests.apps.foreign.pages import html, truth

    browser.load(html(page_name, theme))
    boxes = truth(browser)
    pixels = cv2.cvtColor(browser.screenshot(), cv2.COLOR_RGB2BGR)
    got = locate(Perceiver(ocr_engine).perceive(pixels), query)
    want = [Rect(*b) for t in target.split() for b in boxes[t]]  # a radio: circle or label
    assert any(b.contains_point(got.element.box.center) for b in want), (got.element, want)


def test_words_group_into_items_as_a_person_reads_them() -> None:
    words = [
        ("File", Rect(10, 5, 30, 16)),
        ("Edit", Rect(70, 5, 30, 16)),
        ("Save", Rect(10, 40, 34, 16)),
        ("for", Rect(48, 40, 20, 16)),
        ("later", Rect(72, 40, 34, 16)),
    ]
    items = group_words(words)
    assert [i.text for i in items] == ["File", "Edit", "Save for later"]


def test_cer_cuts_a_merged_line_by_columns() -> None:
    truth = [TruthText("Save", Rect(0, 0, 40, 20)), TruthText("Cancel", Rect(60, 0, 60, 20))]
    merged = [(Rect(0, 0, 120, 20), "Save  Cancel")]
    assert cer(truth, merged).errors <= 2
    assert cer(truth, []).missed == 2


def test_a_line_is_cut_at_controls_it_runs_across_and_kept_by_the_one_it_captions() -> None:
    from gui_agent.perception.ocr import _cut_at_fences

    # the text detector's box (47 px tall for 16 px text) across a toolbar: the title
    # between two buttons is a piece of its own, stopping short of their borders
    line = Rect(92, 4, 515, 43)
    buttons = [Rect(53, 8, 40, 33), Rect(252, 8, 40, 33), Rect(297, 8, 40, 33)]
    pieces = _cut_at_fences(line, buttons)
    title = pieces[0]
    assert title.x >= 92 and title.right <= 252 - 2 and title.w > 140
    # a line in the middle of the 297 button is not clipped into that button
    assert sum(p.w for p in pieces) > 0.9 * line.w - 30
    # a caption overhanging its own button by the detector's margin is kept inside it
    caption = Rect(250, 6, 46, 36)
    assert _cut_at_fences(caption, buttons) == [caption.intersection(buttons[1].expand(-2))]
    # a label beside a drop-down is cut off the drop-down, not swallowed into it
    label_and_select = Rect(5, 220, 215, 26)
    select = Rect(77, 222, 139, 22)
    label, inside = _cut_at_fences(label_and_select, [select])
    assert label.x == 5 and label.right <= 77 - 2
    assert select.x < inside.x and inside.right < select.right


def test_short_crops_read_in_batches_as_they_read_alone(ocr_engine: OcrEngine) -> None:
    img = np.full((60, 400, 3), 255, np.uint8)
    for i, ch in enumerate("7+=/"):
        cv2.putText(img, ch, (20 + 90 * i, 40), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
    boxes = [Rect(8 + 90 * i, 10, 44, 40) for i in range(4)] + [Rect(0, 0, 400, 60)]
    batched = ocr_engine.recognize_lines(img, boxes)
    alone = [ocr_engine.recognize_lines(img, [b])[0] for b in boxes]
    assert [t for t, _, _ in batched] == [t for t, _, _ in alone]
    assert all(abs(a[1] - b[1]) < 1e-3 for a, b in zip(batched, alone, strict=True))


_CAPITALS = """<html><body style="margin:0;background:#f4f4f4;font-family:'DejaVu Serif',serif">
<div style="padding:30px;display:flex;gap:24px;align-items:center">
<button style="font-size:26px;letter-spacing:2px;padding:12px 36px;background:#222;
 color:#3050c0;border:0">CONTINUE</button>
<button style="font-size:24px;padding:10px 30px;background:#fff;color:#2a8a3a;
 border:1px solid #ccc">DOWNLOAD</button></div></body></html>"""


@needs_chromium
def test_a_large_capital_does_not_cut_its_own_word(
    browser: Chromium, ocr_engine: OcrEngine
) -> None:
    # the counter of CONTINUE's "O" is a closed outline 13 x 16 px: as a fence it cut the
    # line into "C" and "NTINUE", and "the CONTINUE button" could not be found
    browser.load(_CAPITALS)
    pixels = cv2.cvtColor(browser.screenshot(), cv2.COLOR_RGB2BGR)
    state = Perceiver(ocr_engine).perceive(pixels)
    texts = [e.text for e in state.elements if e.text]
    assert "CONTINUE" in texts and "NTINUE" not in texts, texts
    b = next(x for x in browser.boxes("button") if x["text"] == "CONTINUE")
    box = Rect(round(b["x"]), round(b["y"]), round(b["w"]), round(b["h"]))
    got = locate(state, "the CONTINUE button")
    assert box.contains_point(got.element.box.center), (got.element, got.reason)


def test_a_letter_counter_is_no_fence_but_a_check_box_and_a_key_are() -> None:
    from gui_agent.perception.elements import Shape
    from gui_agent.perception.perceiver import _fences

    counter = Shape(Rect(90, 48, 13, 16), "square", closed=True)  # "O" of CONTINUE
    rect_counter = Shape(Rect(574, 193, 12, 16), "rect")  # the same, seen as a rectangle
    check_box = Shape(Rect(20, 50, 13, 14), "square", closed=True)
    key = Shape(Rect(200, 40, 24, 30), "rect")
    trough = Shape(Rect(1336, 345, 13, 54), "rect")  # a thin strip between two columns
    fences = _fences([counter, rect_counter, check_box, key, trough], 0, 0)
    assert fences == [check_box.box, key.box, trough.box]
