"""The shipped UI-element detector at run time: onnxruntime only, on real screens.

Ground truth is the fixture app's own widget geometry, or the synthetic generator's widget
geometry for kinds the fixture app does not have (toggles, sliders, tabs).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gui_agent.errors import ModelError
from gui_agent.geometry import Rect
from gui_agent.perception import elements
from gui_agent.perception.detector import ElementDetector
from gui_agent.perception.locate import locate
from gui_agent.perception.models import REPO_MODELS_DIR, ModelRegistry
from gui_agent.perception.ocr import OcrEngine
from gui_agent.perception.perceiver import Perceiver
from gui_agent.perception.state import ElementKind
from gui_agent.screen.frame import Frame
from gui_agent.training.synth.dataset import screen_seed
from tests.conftest import Start
from tests.synthetic_screens import render_synthetic

FIXTURE_CLASS = {"icon": "icon", "field": "field", "combo": "combo", "checkbox": "checkbox",
                 "radio": "radio", "button": "button"}  # fmt: skip


@pytest.fixture(scope="module")
def detector() -> ElementDetector:
    return ElementDetector()


def _truth(widgets: list[dict]) -> list[tuple[str, Rect]]:
    out = []
    for w in widgets:
        cls = FIXTURE_CLASS.get(w["kind"])
        if cls and w.get("visible", True):
            out.append((cls, Rect(*(w.get("click_box") or w["box"]))))
    return out


@pytest.mark.parametrize("variant", ["default", "dark", "scale150"])
def test_finds_the_fixture_forms_controls_with_their_class(
    detector: ElementDetector, start: Start, grab: object, variant: str
) -> None:
    app = start("form_app", variant)
    frame: Frame = grab()  # type: ignore[operator]
    found = detector.detect(frame.pixels)
    truth = _truth(app.state()["widgets"])
    assert len(truth) >= 20
    missed = [
        (cls, box.as_tuple())
        for cls, box in truth
        if not any(d.cls == cls and d.box.iou(box) >= 0.5 for d in found)
    ]
    # the shipped model's recall over all six fixture screens is about 0.9 (bench/detector.py);
    # one screen may miss more: at 1.5x the form's 924-px-wide fields are longer than most
    # fields it trained on
    assert len(missed) <= 0.2 * len(truth), missed
    # nothing is claimed where the form has only text: no detection centred on a label
    labels = [Rect(*w["box"]) for w in app.state()["widgets"] if w["kind"] == "label"]
    on_labels = [d for d in found if any(lb.contains_point(d.box.center) for lb in labels)]
    assert len(on_labels) <= 1, on_labels


def test_a_model_with_the_wrong_hash_is_refused(tmp_path: Path) -> None:
    shutil.copy(REPO_MODELS_DIR / "manifest.json", tmp_path / "manifest.json")
    data = bytearray((REPO_MODELS_DIR / "ui_elements.onnx").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (tmp_path / "ui_elements.onnx").write_bytes(bytes(data))
    with pytest.raises(ModelError, match="sha256 mismatch"):
        ElementDetector(ModelRegistry(tmp_path))
    (tmp_path / "ui_elements.onnx").unlink()
    with pytest.raises(ModelError, match="missing"):
        ElementDetector(ModelRegistry(tmp_path))


def test_bad_images_get_a_clear_error_and_tiny_ones_nothing(detector: ElementDetector) -> None:
    with pytest.raises(ValueError, match="uint8 BGR"):
        detector.detect(np.zeros((100, 100), np.uint8))
    with pytest.raises(ValueError, match="uint8 BGR"):
        detector.detect(np.zeros((100, 100, 3), np.float32))
    assert detector.detect(np.zeros((20, 400, 3), np.uint8)) == []
    assert detector.detect(np.full((200, 300, 3), 240, np.uint8)) == []  # a blank panel


def test_perceive_fuses_toggles_sliders_and_tabs_the_geometry_cannot_name(
    tmp_path: Path, ocr_engine: OcrEngine
) -> None:
    # screens the model never saw (seeds outside the training run's); generalisation to
    # unseen widget looks is bench/detector.py's job, this test is about fusion
    kinds = {"toggle": ElementKind.TOGGLE, "slider": ElementKind.SLIDER, "tab": ElementKind.TAB}
    screens = [
        (img, boxes)
        for img, boxes in render_synthetic(tmp_path, range(500, 540), "train")
        if any(b[0] in kinds for b in boxes)
    ][:4]
    seen: dict[str, list[bool]] = {k: [] for k in kinds}
    for img, boxes in screens:
        state = Perceiver(ocr_engine, detector=True).perceive(img)
        plain = Perceiver(ocr_engine, detector=False).perceive(img)
        for cls, x0, y0, x1, y1, _widget in boxes:
            if cls not in kinds:
                continue
            truth = Rect.from_ltrb(x0, y0, x1, y1)
            hit = any(e.kind is kinds[cls] and e.box.iou(truth) >= 0.5 for e in state.elements)
            seen[cls].append(hit)
        assert not plain.of_kind(*kinds.values())  # only the detector knows these kinds
    assert sum(len(h) for h in seen.values()) >= 5, seen
    hits = [h for v in seen.values() for h in v]
    assert sum(hits) >= 0.8 * len(hits), seen


def test_locate_names_a_switch_by_its_label(tmp_path: Path, ocr_engine: OcrEngine) -> None:
    rendered = render_synthetic(tmp_path, range(900, 940), "train")
    with_toggle = [(img, boxes) for img, boxes in rendered if any(b[0] == "toggle" for b in boxes)]
    assert with_toggle, "no synthetic screen with a toggle in 40 seeds"
    img, boxes = with_toggle[0]
    state = Perceiver(ocr_engine).perceive(img)
    toggles = state.of_kind(ElementKind.TOGGLE)
    truths = [Rect.from_ltrb(*b[1:5]) for b in boxes if b[0] == "toggle"]
    assert any(t.box.iou(r) >= 0.5 for t in toggles for r in truths)
    # the first switch on screen, by kind word alone
    el = locate(state, "the first switch").element
    assert el.kind is ElementKind.TOGGLE


def test_a_switch_s_knob_is_no_check_box_and_its_words_name_the_switch(
    tmp_path: Path, ocr_engine: OcrEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Held-out Qt screens (``bench/detector.py --only heldout``, seed 1000003, screens 98
    and 136) with a labelled switch whose square knob perception reported as a check box
    holding the switch's words."""
    keys = [screen_seed(1000003, i) for i in (98, 136)]
    screens = render_synthetic(tmp_path, keys, "heldout")

    def knobs_and_switches(img: np.ndarray, boxes: list[list[Any]]) -> tuple[int, list[str]]:
        state = Perceiver(ocr_engine, detector=True).perceive(img)
        truth = [Rect.from_ltrb(*b[1:5]) for b in boxes if b[0] == "toggle"]
        knobs = [
            e
            for e in state.of_kind(ElementKind.CHECKBOX, ElementKind.RADIO)
            if any(t.contains_point(e.box.center) for t in truth)
        ]
        return len(knobs), [e.text for e in state.of_kind(ElementKind.TOGGLE) if e.text]

    found = [knobs_and_switches(img, boxes) for img, boxes in screens]
    assert [k for k, _ in found] == [0, 0], found
    assert "Auto-save every 5 minutes" in found[0][1], found
    assert "Send anonymous usage data" in found[1][1], found
    state = Perceiver(ocr_engine, detector=True).perceive(screens[0][0])
    assert locate(state, "the Auto-save every 5 minutes switch").element.kind is ElementKind.TOGGLE
    # without the rule the knob was the check box, which is what this test is about
    monkeypatch.setattr(elements, "_knob", lambda drafts, _box: (drafts, None))
    assert knobs_and_switches(*screens[0])[0] == 1


def test_an_icon_and_caption_on_a_tool_button_are_the_button(
    tmp_path: Path, ocr_engine: OcrEngine
) -> None:
    """Held-out Qt screens (seed 1000003, screens 31 and 100) with a tool button holding an
    icon and its caption ("< Back", "DONE"), which perception reported as a radio or a check
    box labelled by the caption."""
    keys = [screen_seed(1000003, i) for i in (31, 100)]
    for (img, boxes), caption in zip(
        render_synthetic(tmp_path, keys, "heldout"), ("Back", "DONE"), strict=True
    ):
        state = Perceiver(ocr_engine, detector=True).perceive(img)
        buttons = [Rect.from_ltrb(*b[1:5]) for b in boxes if b[0] == "button"]
        choices = state.of_kind(ElementKind.CHECKBOX, ElementKind.RADIO)
        assert not [e for e in choices if any(b.contains_point(e.box.center) for b in buttons)]
        el = locate(state, f"the {caption} button").element
        assert el.kind is ElementKind.BUTTON and caption in el.text
