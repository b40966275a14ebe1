"""Our own UI-element detector (``models/ui_elements.onnx``), run with onnxruntime only.

OCR finds text and the OpenCV pass finds closed rectangles; neither knows a toggle from a
check box or sees an icon-only button whose edges are faint. The detector does, and gives
each element a class and a score. It is trained on synthetic Qt screens (see
``gui_agent.training``); torch is never imported here.

The ONNX graph takes the frame as it is (1 x H x W x 3 uint8, BGR) and does the scaling and
the 3x3 peak filter itself, so decoding is a threshold and a small cross-class NMS. Two
pixel checks then settle what the net mixes up:
- check boxes and radios against the indicator drawn on screen
  (``gui_agent.perception.indicator``): its shape settles the class, and a bare
  indicator's outline is its box; then a small learned verifier
  (``gui_agent.perception.choice_check``) looks at the indicator end of each one and drops
  those that are no check box or radio at all (a favicon beside its text);
- fields and combos against the control at their right end
  (``gui_agent.perception.arrows``): a stepper makes a field, a lone drop-down arrow a combo.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnxruntime as ort

from gui_agent.errors import ModelError
from gui_agent.geometry import Rect
from gui_agent.perception.arrows import find_control
from gui_agent.perception.choice_check import ChoiceCheck, default_choice_check, load_choice_check
from gui_agent.perception.indicator import find_indicator, is_bare
from gui_agent.perception.models import ModelRegistry

MODEL_NAME = "ui_elements"
# the class each indicator shape belongs to
_INDICATOR_CLASS = {"square": "checkbox", "round": "radio"}


@dataclass(frozen=True, slots=True)
class Detection:
    cls: str
    box: Rect
    score: float


def iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU of one box ``a`` (x0, y0, x1, y1) against an N x 4 array ``b``."""
    ix = np.clip(np.minimum(a[2], b[:, 2]) - np.maximum(a[0], b[:, 0]), 0, None)
    iy = np.clip(np.minimum(a[3], b[:, 3]) - np.maximum(a[1], b[:, 1]), 0, None)
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1]) - inter
    out: np.ndarray = inter / np.maximum(union, 1e-6)
    return out


def decode(
    heat: np.ndarray,
    box: np.ndarray,
    classes: tuple[str, ...],
    stride: int,
    threshold: float,
    nms_iou: float = 0.7,
    max_detections: int = 500,
) -> list[tuple[int, float, np.ndarray]]:
    """Peaks above ``threshold`` to (class index, score, x0 y0 x1 y1) with cross-class NMS.

    ``heat`` is C x h x w (already peak-filtered), ``box`` is 4 x h x w (ltrb pixels).
    Cross-class NMS because one widget may peak in two classes (a square button both
    "icon" and "button"): the stronger one stands for it.
    """
    c, ys, xs = np.nonzero(heat > threshold)
    if len(c) == 0:
        return []
    scores = heat[c, ys, xs]
    order = np.argsort(-scores)[:max_detections]
    c, ys, xs, scores = c[order], ys[order], xs[order], scores[order]
    px = (xs.astype(np.float32) + 0.5) * stride
    py = (ys.astype(np.float32) + 0.5) * stride
    d = box[:, ys, xs]
    boxes = np.stack([px - d[0], py - d[1], px + d[2], py + d[3]], axis=1)
    keep: list[int] = []
    suppressed = np.zeros(len(scores), bool)
    for i in range(len(scores)):
        if suppressed[i]:
            continue
        keep.append(i)
        if i + 1 < len(scores):
            suppressed[i + 1 :] |= iou(boxes[i], boxes[i + 1 :]) > nms_iou
    return [(int(c[i]), float(scores[i]), boxes[i]) for i in keep]


def by_indicator(bgr: np.ndarray, found: list[Detection]) -> list[Detection]:
    """Check boxes and radios as their drawn indicator says (``found`` strongest first).

    The shape of the indicator decides check box or radio. A bare indicator (a box about
    as wide as tall) takes the outline's rect, since the net tends to draw tiny boxes too
    large; not when the outline is much smaller than the box (a clipped radio's dot).
    Where no clear indicator shows, the detection stands as it was. Two detections of one
    indicator keep the stronger.
    """
    out: list[Detection] = []
    seen: set[tuple[int, int, int, int]] = set()
    for d in found:
        if d.cls not in _INDICATOR_CLASS.values():
            out.append(d)
            continue
        ind = find_indicator(bgr, d.box)
        if ind is None:
            out.append(d)
            continue
        key = ind.rect.as_tuple()
        if key in seen:
            continue
        seen.add(key)
        bare = is_bare(d.box) and ind.rect.h >= 0.45 * min(d.box.w, d.box.h)
        box = ind.rect if bare else d.box
        out.append(Detection(_INDICATOR_CLASS[ind.shape], box, d.score))
    return out


def by_choice_check(
    bgr: np.ndarray, found: list[Detection], check: ChoiceCheck | None
) -> list[Detection]:
    """Check boxes and radios as the verifier sees them; the rest of ``found`` as it is.

    A detection the verifier calls "none" with confidence is dropped (a favicon beside its
    text); one it is sure is the other kind of choice takes that class (a radio the net
    called a check box). Without a verifier (``check`` None), ``found`` unchanged. Runs
    after ``by_indicator``, on its boxes: a bare indicator's box is then its outline, which
    is where the verifier's crop is cut. All of a frame's candidates go in one batch.
    """
    if check is None:
        return found
    idx = [i for i, d in enumerate(found) if d.cls in _INDICATOR_CLASS.values()]
    if not idx:
        return found
    probs = check.check(bgr, [found[i].box for i in idx])
    verdicts = dict(zip(idx, check.verdicts(probs, [found[i].cls for i in idx]), strict=True))
    out: list[Detection] = []
    for i, d in enumerate(found):
        cls = verdicts.get(i, d.cls)
        if cls is not None:
            out.append(d if cls == d.cls else Detection(cls, d.box, d.score))
    return out


def by_control(bgr: np.ndarray, found: list[Detection]) -> list[Detection]:
    """Fields and combos as the control at their right end says.

    A combo with a stepper (an up arrow over a down one, or two stacked buttons) is a spin
    box, date or time editor: a field. A field with one drop-down arrow at mid-height is a
    combo. Anything else stands as the net said.
    """
    out: list[Detection] = []
    for d in found:
        if d.cls == "combo" and find_control(bgr, d.box) == "stepper":
            d = Detection("field", d.box, d.score)
        elif d.cls == "field" and find_control(bgr, d.box, arrows_only=True) == "dropdown":
            d = Detection("combo", d.box, d.score)
        out.append(d)
    return out


def _session(path: Path, threads: int) -> ort.InferenceSession:
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # Frames change size (whole screens, dirty-region crops): a memory pattern planned for
    # one shape is kept per shape. Without it peak RSS is ~100 MB lower at 1080p for a few
    # ms more per frame.
    opts.enable_mem_pattern = False
    try:
        return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own untyped errors
        raise ModelError(f"cannot load the UI-element detector {path}: {exc}") from exc


class ElementDetector:
    """Loads the detector once (hash-checked) and runs it on BGR frames or crops."""

    def __init__(
        self,
        registry: ModelRegistry | None = None,
        *,
        threshold: float = 0.2,
        threads: int | None = None,
        path: Path | None = None,
        classes: tuple[str, ...] | None = None,
        stride: int | None = None,
        pixel_checks: bool = True,
        choice_check: ChoiceCheck | bool = True,
    ) -> None:
        """``choice_check``: the check-box/radio verifier of the pixel-check stage; True
        loads the one beside the model (``registry``'s, or the shipped one), False runs
        without it. A verifier that cannot load is logged in one line and left out."""
        if path is None:
            reg = registry or ModelRegistry()
            path = reg.path(MODEL_NAME)
            record = reg.entries[MODEL_NAME].record
            classes = classes or tuple(record["classes"])
            stride = stride or int(record.get("stride", 4))
        if classes is None or stride is None:
            raise ModelError("an explicit detector path needs its classes and stride")
        self.path = path
        self.classes = classes
        self.stride = stride
        self.threshold = threshold
        self.pixel_checks = pixel_checks  # False: the net's answer alone (bench/detector.py)
        self.choice_check: ChoiceCheck | None = None
        if isinstance(choice_check, ChoiceCheck):
            self.choice_check = choice_check
        elif choice_check:
            self.choice_check = load_choice_check(registry) if registry else default_choice_check()
        n = threads or max(1, min(4, os.cpu_count() or 1))
        self._session = _session(path, n)
        self._lock = threading.Lock()  # one InferenceSession run at a time per detector

    def raw(self, bgr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The graph's outputs for an H x W x 3 uint8 BGR image: heat (C,h,w), box (4,h,w)."""
        if bgr.ndim != 3 or bgr.shape[2] != 3 or bgr.dtype != np.uint8:
            raise ValueError(f"expected an H x W x 3 uint8 BGR image, got {bgr.shape} {bgr.dtype}")
        x = np.ascontiguousarray(bgr)[None]
        with self._lock:
            heat, box = self._session.run(None, {"image": x})
        return heat[0], box[0]

    def detect(self, bgr: np.ndarray, threshold: float | None = None) -> list[Detection]:
        h, w = bgr.shape[:2]
        if h < self.stride * 8 or w < self.stride * 8:
            return []  # smaller than one stride-32 cell: nothing the model can see
        heat, box = self.raw(bgr)
        thr = self.threshold if threshold is None else threshold
        found = decode(heat, box, self.classes, self.stride, thr)
        out: list[Detection] = []
        for ci, score, (x0, y0, x1, y1) in found:
            r = Rect.from_ltrb(max(0.0, x0), max(0.0, y0), min(float(w), x1), min(float(h), y1))
            if r.w >= 3 and r.h >= 3:
                out.append(Detection(self.classes[ci], r, score))
        if not self.pixel_checks:
            return out
        checked = by_choice_check(bgr, by_indicator(bgr, out), self.choice_check)
        return by_control(bgr, checked)


_default: ElementDetector | None = None
_default_lock = threading.Lock()


def default_detector() -> ElementDetector | None:
    """The shipped detector, loaded once; None when the manifest has no detector entry.

    A detector entry whose file is missing or fails its hash raises ``ModelError``: a
    broken model is a fault to report, not a reason to quietly perceive less.
    """
    global _default
    with _default_lock:
        if _default is None:
            reg = ModelRegistry()
            if MODEL_NAME not in reg.entries:
                return None
            _default = ElementDetector(reg)
        return _default
