"""The detector's numpy parts: target maps, decoding, metrics, and fusion with the geometry.

These run without the model or torch: they pin down what each part computes so a retrained
model cannot hide a decoding or metric bug behind good-looking numbers.
"""

from __future__ import annotations

import numpy as np
import pytest

from gui_agent.geometry import Rect
from gui_agent.perception.detector import Detection, decode, iou
from gui_agent.perception.elements import Shape, fuse
from gui_agent.perception.ocr import TextLine
from gui_agent.perception.state import ElementKind
from gui_agent.training.metrics import evaluate
from gui_agent.training.targets import build_targets


def test_targets_put_a_peak_at_the_centre_and_exact_distances() -> None:
    boxes = np.array([[40, 20, 140, 48], [8, 100, 22, 114]], np.float32)
    t = build_targets(boxes, np.array([2, 3]), 4, 160, 160, 4)
    assert t.heat.shape == (4, 40, 40) and t.box.shape == (4, 40, 40)
    ys, xs = np.nonzero(t.heat[2] == 1.0)
    assert list(zip(ys, xs, strict=True)) == [(8, 22)]  # centre (90, 34) / 4 - 0.5, rounded
    assert t.heat[3].max() == 1.0 and t.heat[0].max() == 0.0
    # at the peak cell the distances reproduce the box exactly
    px, py = (22 + 0.5) * 4, (8 + 0.5) * 4
    assert t.box[:, 8, 22].tolist() == pytest.approx([px - 40, py - 20, 140 - px, 48 - py])
    assert t.weight[8, 22] > 0 and t.weight[0, 0] == 0
    # the long field's Gaussian is elongated: wider than tall
    row, col = t.heat[2, 8, :], t.heat[2, :, 22]
    assert (row > 0.5).sum() > (col > 0.5).sum()


def test_decode_reads_peaks_back_into_boxes_and_suppresses_duplicates() -> None:
    heat = np.zeros((3, 20, 20), np.float32)
    box = np.zeros((4, 20, 20), np.float32)
    heat[0, 5, 5] = 0.9  # a button at cell (5, 5): centre (22, 22)
    box[:, 5, 5] = [10, 6, 12, 8]
    heat[1, 5, 6] = 0.5  # the same widget seen as an icon, weaker: suppressed
    box[:, 5, 6] = [14, 6, 8, 8]
    heat[2, 15, 15] = 0.2  # below the threshold
    out = decode(heat, box, ("button", "icon", "field"), 4, 0.3)
    assert len(out) == 1
    cls, score, b = out[0]
    assert cls == 0 and score == pytest.approx(0.9)
    assert b.tolist() == pytest.approx([12, 16, 34, 30])
    assert decode(np.zeros_like(heat), box, ("a", "b", "c"), 4, 0.3) == []


def test_iou() -> None:
    a = np.array([0, 0, 10, 10], float)
    b = np.array([[0, 0, 10, 10], [5, 0, 15, 10], [20, 20, 30, 30]], float)
    assert iou(a, b).tolist() == pytest.approx([1.0, 1 / 3, 0.0])


def test_metrics_ap_and_recall() -> None:
    gt = [("button", (0, 0, 10, 10)), ("button", (20, 0, 30, 10)), ("field", (0, 20, 50, 30))]
    perfect = [(c, b, 0.9) for c, b in gt]
    ev = evaluate([(gt, perfect)], ("button", "field", "icon"))
    assert ev.mean_ap == pytest.approx(1.0)
    assert ev.per_class["button"].recall == 1.0 and ev.per_class["icon"].gt == 0
    # one button found, one false positive scored higher, the field boxed badly
    dets = [
        ("button", (100, 100, 110, 110), 0.95),
        ("button", (0, 0, 10, 10), 0.8),
        ("field", (0, 20, 20, 30), 0.9),
    ]
    ev = evaluate([(gt, dets)], ("button", "field"))
    assert ev.per_class["button"].ap == pytest.approx(0.25)  # precision 1/2 at recall 1/2
    assert ev.per_class["button"].recall == 0.5
    assert ev.per_class["field"].ap == 0.0
    # recall counts only detections at the operating point
    ev = evaluate([(gt, perfect)], ("button", "field"), recall_threshold=0.95)
    assert ev.per_class["button"].recall == 0.0 and ev.per_class["button"].ap == 1.0


def _text(x: int, y: int, w: int, h: int, s: str) -> TextLine:
    return TextLine(Rect(x, y, w, h), s, 0.95)


def test_fusion_adds_what_geometry_missed() -> None:
    texts = [_text(100, 104, 60, 14, "Wi-Fi"), _text(400, 104, 40, 14, "Save")]
    detections = [
        Detection("toggle", Rect(40, 100, 44, 22), 0.8),  # no edges the OpenCV pass closes
        Detection("button", Rect(380, 98, 80, 26), 0.7),  # a borderless button
        Detection("slider", Rect(40, 200, 200, 20), 0.6),
    ]
    els = fuse(texts, [], detections)
    kinds = {e.kind: e for e in els}
    assert kinds[ElementKind.TOGGLE].box == Rect(40, 100, 44, 22)
    button = kinds[ElementKind.BUTTON]
    assert button.text == "Save" and button.label_box == Rect(400, 104, 40, 14)
    assert kinds[ElementKind.SLIDER].text == ""
    # the label next to the toggle stays a text element (locate pairs them)
    assert [e.text for e in els if e.kind is ElementKind.TEXT] == ["Wi-Fi"]
    assert all(e.text != "Save" for e in els if e.kind is ElementKind.TEXT)


def test_fusion_retypes_an_unlabelled_square_and_keeps_geometry_on_conflict() -> None:
    square = Shape(Rect(50, 50, 16, 16), "square", 0.2)
    field = Shape(Rect(200, 40, 240, 28), "rect")
    els = fuse([], [square, field], [])
    assert {e.kind for e in els} == {ElementKind.ICON, ElementKind.FIELD}
    detections = [
        Detection("checkbox", Rect(49, 49, 18, 18), 0.9),
        Detection("button", Rect(210, 40, 100, 28), 0.9),  # overlaps the field: ignored
    ]
    els = fuse([], [square, field], detections)
    assert sorted(e.kind.value for e in els) == ["checkbox", "field"]
    low = fuse([], [square, field], [Detection("checkbox", Rect(49, 49, 18, 18), 0.3)])
    assert sorted(e.kind.value for e in low) == ["field", "icon"]


def test_fusion_with_a_labelled_checkbox_detection_keeps_one_element() -> None:
    square = Shape(Rect(50, 50, 14, 14), "square", 0.3)
    texts = [_text(70, 50, 80, 14, "Remember me")]
    plain = fuse(texts, [square], [])
    both = fuse(texts, [square], [Detection("checkbox", Rect(49, 48, 103, 18), 0.85)])
    assert [(e.kind, e.box, e.text) for e in both] == [(e.kind, e.box, e.text) for e in plain]
    # a check box the geometry missed: the element is the indicator, the label its text
    only = fuse(texts, [], [Detection("checkbox", Rect(49, 48, 103, 18), 0.85)])
    assert len(only) == 1 and only[0].kind is ElementKind.CHECKBOX
    assert only[0].box == Rect(49, 48, 18, 18) and only[0].text == "Remember me"


@pytest.mark.parametrize("track", [True, False], ids=["track seen", "track unseen"])
def test_a_switch_knob_with_words_beside_it_is_the_switch_and_they_its_label(track: bool) -> None:
    """Qt's switch: a square knob at one end of a rounded track, words right of the track.
    The geometry takes knob and words for a check box; the detector sees the switch. A
    check box is never drawn inside a switch, so the switch keeps the words; a switch the
    detector is unsure of leaves the check box as it is."""
    knob = Shape(Rect(223, 538, 24, 24), "square", 0.0, closed=True)
    shapes = [knob] + ([Shape(Rect(188, 534, 60, 31), "rect")] if track else [])
    texts = [_text(259, 539, 241, 24, "Auto-save every 5 minutes")]
    plain = fuse(texts, shapes, [])
    assert [(e.kind, e.text) for e in plain if e.text] == [
        (ElementKind.CHECKBOX, "Auto-save every 5 minutes")
    ]
    sure = fuse(texts, shapes, [Detection("toggle", Rect(184, 531, 71, 38), 0.91)])
    assert [(e.kind, e.box, e.text) for e in sure] == [
        (ElementKind.TOGGLE, Rect(184, 531, 71, 38), "Auto-save every 5 minutes")
    ]
    assert sure[0].label_box == texts[0].box
    unsure = fuse(texts, shapes, [Detection("toggle", Rect(184, 531, 71, 38), 0.3)])
    assert ElementKind.CHECKBOX in {e.kind for e in unsure}
    # a labelled check box beside a switch (not inside it) stays a check box
    beside = fuse(
        [*texts, _text(110, 600, 120, 20, "Remember me")],
        [*shapes, Shape(Rect(88, 602, 16, 16), "square", 0.0, closed=True)],
        [Detection("toggle", Rect(184, 531, 71, 38), 0.91)],
    )
    assert [e.text for e in beside if e.kind is ElementKind.CHECKBOX] == ["Remember me"]


def test_an_icon_and_caption_filling_a_sure_button_are_the_button_not_a_check_box() -> None:
    """A Qt tool button: a floppy-disk icon and "DONE" fill most of its face. The detector
    is sure of the button; a weak tab around a real check box and its label is as tight,
    and leaves the check box alone, as a weak button does."""
    icon = Shape(Rect(954, 148, 20, 21), "square", 0.4)
    texts = [_text(975, 146, 48, 25, "DONE")]
    frame = Rect(944, 143, 90, 33)  # 1.7 times the icon and caption together
    sure = fuse(texts, [icon], [Detection("button", frame, 0.82)])
    assert [(e.kind, e.text) for e in sure] == [(ElementKind.BUTTON, "DONE")]
    for cls, score in (("tab", 0.56), ("button", 0.45)):
        weak = fuse(texts, [icon], [Detection(cls, frame, score)])
        assert ElementKind.CHECKBOX in {e.kind for e in weak}, (cls, score)


def test_fusion_does_not_depend_on_detection_order() -> None:
    texts = [_text(400, 104, 40, 14, "Save")]
    dets = [
        Detection("button", Rect(380, 98, 80, 26), 0.7),
        Detection("icon", Rect(385, 98, 30, 26), 0.5),
        Detection("tab", Rect(10, 10, 80, 24), 0.6),
    ]
    a = fuse(texts, [], dets)
    b = fuse(texts, [], list(reversed(dets)))
    assert a == b


def test_a_weak_lone_tab_on_a_form_label_stays_text() -> None:
    """The fixture's "Country" label read as a tab at 0.24 once, and "the Country dropdown"
    lost its label. Tabs come in bars: a weak one with no tab beside it stays text."""
    label = [_text(945, 515, 57, 18, "Country")]
    combo = [Shape(Rect(1016, 510, 636, 24), "rect")]
    lone = fuse(label, combo, [Detection("tab", Rect(938, 507, 76, 30), 0.24)])
    assert [e.kind for e in lone if e.text == "Country"] == [ElementKind.TEXT]
    sure = fuse(label, combo, [Detection("tab", Rect(938, 507, 76, 30), 0.6)])
    assert [e.kind for e in sure if e.text == "Country"] == [ElementKind.TAB]
    # the same weak tab with a sibling in its bar is a tab
    bar = [_text(945, 515, 57, 18, "Country"), _text(1030, 515, 50, 18, "Region")]
    dets = [
        Detection("tab", Rect(938, 507, 76, 30), 0.24),
        Detection("tab", Rect(1016, 507, 70, 30), 0.5),
    ]
    both = fuse(bar, [], dets)
    assert sorted(e.text for e in both if e.kind is ElementKind.TAB) == ["Country", "Region"]


def test_a_weak_check_box_without_an_indicator_stays_text() -> None:
    """The fixture dialog's "Server" label read as a check box at 0.2 once, and "the Server
    field" lost its label. A labelled check box shows its indicator at its left end: a weak
    detection with no small square or circle there stays text."""
    label = [_text(439, 345, 46, 13, "Server")]
    field = [Shape(Rect(499, 341, 340, 21), "rect")]
    lone = fuse(label, field, [Detection("checkbox", Rect(433, 341, 56, 20), 0.2)])
    assert [e.kind for e in lone if e.text == "Server"] == [ElementKind.TEXT]
    sure = fuse(label, field, [Detection("checkbox", Rect(433, 341, 56, 20), 0.6)])
    assert [e.kind for e in sure if e.text == "Server"] == [ElementKind.CHECKBOX]
    # the same weak detection with an indicator at its left end is a check box
    box = Shape(Rect(433, 343, 16, 16), "square")
    shown = fuse(label, [*field, box], [Detection("checkbox", Rect(433, 341, 56, 20), 0.2)])
    assert [e.kind for e in shown if e.kind is ElementKind.CHECKBOX] == [ElementKind.CHECKBOX]
