"""A second look at every check box and radio the detector reports (``models/choice_check.onnx``).

Why: on browser tab strips and settings sidebars a small favicon beside its text looks, to
the detector's stride-4 stem, just like a check box's indicator beside its label, and
``gui_agent.perception.indicator`` cannot tell them apart either: a favicon can be a square
outline, and Tk's ``classic`` check box shows no clear indicator to a pixel rule. A tiny CNN
(trained by ``gui_agent.training.choices`` on the detector's own false check boxes and on
real ones from every toolkit we render) looks at the indicator end of the detection and
says check box, radio or neither; a detection it calls neither with confidence is dropped.
Perception asks it again about every check box and radio it fuses, the geometric pass's
included (``gui_agent.perception.choice_verdict``).

The crop is the square around where the indicator must be: the left end of a labelled
check box (an indicator is as tall as the label's line) or the whole of a bare one, with a
little context either side. It is resized to 32x32 and the background (the median of the
crop's outer ring) is subtracted per channel, so a palette's background colour does not
matter but an indicator's colour (a favicon's, a Material accent) still does. Training
crops go through this same ``preprocess``. onnxruntime only; torch is never imported here.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from gui_agent.errors import ModelError
from gui_agent.geometry import Rect
from gui_agent.perception.classifier import OnnxClassifier
from gui_agent.perception.models import ModelRegistry

log = logging.getLogger(__name__)

MODEL_NAME = "choice_check"
INPUT_SIZE = 32
CLASSES = ("checkbox", "radio", "none")
NONE_INDEX = CLASSES.index("none")
# How much wider than the label's line the square around the indicator is: enough for the
# indicator (which may be a few px off the box's end) and a sliver of what is beside it.
CONTEXT = 1.6
# How sure of the other kind (check box vs radio) the verifier must be to change the class
# the net and the indicator check gave: only a clear call, since the indicator's shape is
# usually right when it is found.
SETTLE = 0.95
_MIN_SIDE = 12  # px: a crop smaller than this is upscaled from almost nothing
_BATCH = 256  # crops per onnxruntime call: bounds the input tensor, not the answer


def indicator_region(box: Rect) -> tuple[float, float, float]:
    """Centre x, centre y and side of the square crop around ``box``'s indicator end.

    An indicator is as tall as its label's line, so the square is ``CONTEXT`` times the
    box's height, centred one half-height in from the left end (for a bare indicator,
    narrower than it is tall, on its middle).
    """
    side = max(float(_MIN_SIDE), CONTEXT * box.h)
    cx = box.x + min(box.w, box.h) / 2
    return cx, box.y + box.h / 2, side


def crop_square(bgr: np.ndarray, cx: float, cy: float, side: float) -> np.ndarray:
    """The ``side`` x ``side`` square of ``bgr`` centred on (cx, cy), edge pixels repeated
    where it runs off the image, resized to ``INPUT_SIZE`` (uint8 BGR)."""
    h, w = bgr.shape[:2]
    s = max(2, round(side))
    x0, y0 = round(cx - s / 2), round(cy - s / 2)
    x1, y1 = x0 + s, y0 + s
    cut = bgr[max(0, y0) : max(0, min(h, y1)), max(0, x0) : max(0, min(w, x1))]
    if cut.size == 0:
        return np.zeros((INPUT_SIZE, INPUT_SIZE, 3), np.uint8)
    pads = (max(0, -y0), max(0, y1 - h), max(0, -x0), max(0, x1 - w))
    if any(pads):
        cut = cv2.copyMakeBorder(cut, *pads, cv2.BORDER_REPLICATE)
    interp = cv2.INTER_AREA if s > INPUT_SIZE else cv2.INTER_LINEAR
    out: np.ndarray = cv2.resize(cut, (INPUT_SIZE, INPUT_SIZE), interpolation=interp)
    return out


def normalise(crops: np.ndarray) -> np.ndarray:
    """N x 32 x 32 x 3 uint8 crops -> N x 3 x 32 x 32 float32, background 0, ink about +-1.

    The background is the per-channel median of the outer two-pixel ring; dividing by a
    fixed 128 (not the crop's own contrast) keeps a faint outline faint and a saturated
    favicon saturated, which is part of what tells them apart.
    """
    x = crops.astype(np.float32)
    ring = np.concatenate(
        [x[:, :2].reshape(len(x), -1, 3), x[:, -2:].reshape(len(x), -1, 3),
         x[:, 2:-2, :2].reshape(len(x), -1, 3), x[:, 2:-2, -2:].reshape(len(x), -1, 3)],
        axis=1,
    )  # fmt: skip
    bg = np.median(ring, axis=1)[:, None, None, :]
    out = (x - bg) / 128.0
    return np.ascontiguousarray(out.transpose(0, 3, 1, 2))


def crops_of(bgr: np.ndarray, boxes: Sequence[Rect]) -> np.ndarray:
    """The uint8 N x 32 x 32 x 3 indicator crops of ``boxes`` in the frame ``bgr``."""
    if not boxes:
        return np.zeros((0, INPUT_SIZE, INPUT_SIZE, 3), np.uint8)
    return np.stack([crop_square(bgr, *indicator_region(b)) for b in boxes])


class ChoiceCheck:
    """The verifier, loaded from the model manifest (sha256 checked before loading)."""

    def __init__(
        self,
        registry: ModelRegistry | None = None,
        threads: int | None = None,
        path: Path | None = None,
        threshold: float | None = None,
        settle: float | None = None,
    ) -> None:
        record: dict[str, Any] = {}
        if path is None:
            reg = registry or ModelRegistry()
            path = reg.path(MODEL_NAME)
            record = reg.entries[MODEL_NAME].record
        try:
            self.threshold = float(record["threshold"] if threshold is None else threshold)
            self.settle = float(record.get("settle", SETTLE) if settle is None else settle)
            if record and tuple(record["classes"]) != CLASSES:
                raise ValueError(f"classes {record['classes']} are not {CLASSES}")
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(
                f"model '{MODEL_NAME}': its manifest record lacks a usable 'threshold' or "
                f"'classes' ({exc}). Fix: regenerate it: python -m gui_agent.training.choices.train"
            ) from exc
        self._net = OnnxClassifier(MODEL_NAME, path, threads)
        self.session = self._net.session

    def probabilities(self, crops: np.ndarray) -> np.ndarray:
        """N x 3 probabilities (``CLASSES`` order) of uint8 N x 32 x 32 x 3 crops."""
        if len(crops) == 0:
            return np.zeros((0, len(CLASSES)), np.float32)
        return self._net.probabilities(normalise(crops), _BATCH)

    def check(self, bgr: np.ndarray, boxes: Sequence[Rect]) -> np.ndarray:
        """Probabilities for detections ``boxes`` (check boxes or radios) in frame ``bgr``."""
        return self.probabilities(crops_of(bgr, boxes))

    def keep(self, probs: np.ndarray) -> np.ndarray:
        """Which rows are not confidently "none" (a bool array)."""
        out: np.ndarray = probs[:, NONE_INDEX] < self.threshold
        return out

    def verdicts(self, probs: np.ndarray, classes: Sequence[str]) -> list[str | None]:
        """Per detection of class ``classes[i]``: None to drop it, else the class it keeps
        or, when the verifier is at least ``settle`` sure of the other kind, that kind."""
        out: list[str | None] = []
        for p, cls, kept in zip(probs, classes, self.keep(probs), strict=True):
            if not kept:
                out.append(None)
                continue
            other = CLASSES[1 - CLASSES.index(cls)] if cls in CLASSES[:NONE_INDEX] else cls
            out.append(other if p[CLASSES.index(other)] >= self.settle else cls)
        return out


def load_choice_check(registry: ModelRegistry | None = None) -> ChoiceCheck | None:
    """The verifier of ``registry`` (the shipped models by default), or None when it cannot
    run: then one log line says why and how to fix it.

    Unlike the detector, a missing or corrupt verifier is no reason to perceive nothing: the
    detector with its indicator check is still right on most screens, only less sure of
    check boxes beside icons.
    """
    try:
        reg = registry or ModelRegistry()
        if MODEL_NAME not in reg.entries:
            log.warning("check box/radio verifier off: no '%s' model in the manifest", MODEL_NAME)
            return None
        return ChoiceCheck(reg)
    except ModelError as exc:
        log.warning("check box/radio verifier off: %s", exc)
        return None


_default: ChoiceCheck | None = None
_default_loaded = False
_default_lock = threading.Lock()


def default_choice_check() -> ChoiceCheck | None:
    """The shipped verifier, loaded (or found unusable, and said so) once per process."""
    global _default, _default_loaded
    with _default_lock:
        if not _default_loaded:
            _default = load_choice_check()
            _default_loaded = True
        return _default
