"""The field/combo check: the control at the right end of real Qt spin boxes, date and time
editors, combos and line edits, rendered by the synthetic generator in both splits, and of
hand-drawn boxes whose answer is known."""

from __future__ import annotations

from collections import Counter

import cv2
import numpy as np

from gui_agent.geometry import Rect
from gui_agent.perception.arrows import find_control
from gui_agent.perception.detector import Detection, by_control
from tests.synthetic_screens import Screens

# QDateEdit is left out: with a calendar pop-up it draws a combo's drop-down arrow
STEPPERS = ("QSpinBox", "QDoubleSpinBox", "QTimeEdit")


def _answers(screens: Screens) -> dict[str, Counter[str | None]]:
    """find_control's answers on ground-truth boxes, by kind: combo, line edit, stepper."""
    out: dict[str, Counter[str | None]] = {"combo": Counter(), "line": Counter(), "spin": Counter()}
    for img, boxes in screens:
        for b in boxes:
            widget = b[5] if len(b) > 5 else ""
            if b[0] == "combo":
                kind = "combo"
            elif widget == "QLineEdit":
                kind = "line"
            elif widget in STEPPERS:
                kind = "spin"
            else:
                continue
            out[kind][find_control(img, Rect.from_ltrb(*b[1:5]))] += 1
    return out


def test_the_right_end_tells_a_spin_box_from_a_combo(synthetic_screens: Screens) -> None:
    seen = _answers(synthetic_screens)
    combo, line, spin = seen["combo"], seen["line"], seen["spin"]
    assert combo.total() >= 40 and line.total() >= 100 and spin.total() >= 15, seen
    # the wrong answers are the costly ones: each turns a right class into a wrong one
    assert combo["stepper"] <= 0.03 * combo.total(), combo
    assert line["dropdown"] <= 0.01 * line.total(), line
    assert spin["dropdown"] == 0, spin
    # where it answers, mostly right; a stepper whose stylesheet hides it gives no answer
    assert combo["dropdown"] >= 0.85 * combo.total(), combo
    assert spin["stepper"] >= 0.5 * spin.total(), spin


def _field(w: int, h: int, control: str | None) -> tuple[np.ndarray, Rect]:
    """A light window with one framed white box at (20, 30), optionally with a control."""
    img = np.full((h + 60, w + 40, 3), 236, np.uint8)
    box = Rect(20, 30, w, h)
    cv2.rectangle(img, (box.x, box.y), (box.right - 1, box.bottom - 1), (255, 255, 255), -1)
    cv2.rectangle(img, (box.x, box.y), (box.right - 1, box.bottom - 1), (120, 120, 120), 1)
    cv2.putText(img, "1250", (box.x + 6, box.bottom - 8), 0, 0.5, (20, 20, 20), 1)
    cx, mid = box.right - h // 2, box.y + h // 2
    dark = (60, 60, 60)
    if control == "dropdown":
        tri = np.array([[cx - 5, mid - 2], [cx + 5, mid - 2], [cx, mid + 3]])
        cv2.fillPoly(img, [tri], dark)
    elif control == "stepper":
        up = np.array([[cx - 4, mid - 3], [cx + 4, mid - 3], [cx, mid - 7]])
        down = np.array([[cx - 4, mid + 3], [cx + 4, mid + 3], [cx, mid + 7]])
        cv2.fillPoly(img, [up, down], dark)
    return img, box


def test_hand_drawn_controls() -> None:
    for control in ("stepper", "dropdown", None):
        img, box = _field(200, 26, control)
        assert find_control(img, box) == control
    img, box = _field(200, 26, "stepper")
    assert find_control(img, box, arrows_only=True) == "stepper"  # arrows are always read
    assert find_control(img[:6, :6], Rect(0, 0, 6, 6)) is None  # too small to hold one


def test_detections_take_the_class_of_their_control() -> None:
    spin_img, spin = _field(180, 24, "stepper")
    combo_img, combo = _field(180, 24, "dropdown")
    plain_img, plain = _field(180, 24, None)
    # the net's two mistakes: a spin box read as a combo, a combo read as a field
    [fixed] = by_control(spin_img, [Detection("combo", spin, 0.7)])
    assert (fixed.cls, fixed.box, fixed.score) == ("field", spin, 0.7)
    [fixed] = by_control(combo_img, [Detection("field", combo, 0.4)])
    assert (fixed.cls, fixed.box, fixed.score) == ("combo", combo, 0.4)
    # right answers, other classes and boxes without a clear control stand
    kept = [
        Detection("field", spin, 0.7),
        Detection("combo", combo, 0.6),
        Detection("button", combo, 0.5),
    ]
    assert by_control(spin_img, kept[:1]) == kept[:1]
    assert by_control(combo_img, kept[1:]) == kept[1:]
    unclear = [Detection("combo", plain, 0.3), Detection("field", plain, 0.3)]
    assert by_control(plain_img, unclear) == unclear
