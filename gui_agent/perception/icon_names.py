"""Names for icon-only controls (a tab's ×, a toolbar's trash can, ⋮), so a query can say
"the close button" or "the trash icon" about an element that has no text.

A small CNN (``models/icon_names.onnx``, trained by ``gui_agent.training.icons``) classifies
the crop of an ``icon`` element into one of a fixed vocabulary of meanings or "none". It runs
with onnxruntime only, on the CPU, in well under a millisecond per icon.

Why the crop is normalised here, in numpy, and not in the graph: training renders its crops
through this same ``preprocess``, so the model sees exactly what the runtime feeds it. The
crop becomes a 32x32 single-channel image whose background is 0 and whose ink is positive,
whatever the polarity (dark on light or light on dark), colour or contrast of the screen.

A name is returned only above a score threshold calibrated on held-back renders (kept in the
manifest record with the classes); below it, or for "none", the answer is None: an icon the
model cannot name stays unnamed rather than getting a wrong name.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from gui_agent.errors import ModelError
from gui_agent.perception.classifier import OnnxClassifier
from gui_agent.perception.icon_vocabulary import NONE_CLASS, also_means, words_of
from gui_agent.perception.models import ModelRegistry

MODEL_NAME = "icon_names"
INPUT_SIZE = 32
# Below this ink contrast (0..1 grey levels) a crop is treated as flat: its faint texture is
# not stretched into a shape the model could mistake for an icon.
MIN_CONTRAST = 0.12
# Larger crops are not icons; refusing them keeps a stray whole-window crop from being named.
MAX_SIDE = 512
_BATCH = 64  # crops per onnxruntime call: bounds the input tensor, not the answer
# A meaning other than the name that the model gives at least this probability is kept as a
# guess: what the icon may show, for a query that nothing names (a gear the model calls a
# sun at 0.74 and a gear at 0.19). On the held-out icon font the guesses hold the truth for
# half the icons it does not name right, at 0.27 guesses per icon; 17% of non-icons carry one
# (bench/icons.py prints these). Locate weighs a guess well under a name.
GUESS_MIN = 0.15
_MAX_GUESSES = 3


@dataclass(frozen=True, slots=True)
class IconName:
    """What an icon means: the vocabulary's name for it, the model's score, the query words."""

    meaning: str
    score: float
    synonyms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class IconReading:
    """All the classifier says of one crop: its name (None when it cannot name it) and the
    other meanings it may show, best first, with their scores; a meaning drawn with the same
    glyph on some toolkit (``icon_vocabulary.DRAWN_ALIKE``) takes the name's score."""

    name: IconName | None
    guesses: tuple[tuple[str, float], ...] = ()


def icon_words(meaning: str) -> tuple[str, ...]:
    """The words a query may use for ``meaning`` ("delete" -> "delete", "trash", "bin" ...)."""
    return words_of(meaning)


def preprocess(crop: np.ndarray) -> np.ndarray:
    """One crop (BGR, BGRA or grey uint8, any size) -> a 32x32 float32 image, ink > 0.

    The longer side is scaled to 32 (aspect kept, centred, padded with background). The
    background is the median of the outer band; whichever polarity has the stronger ink is
    made positive, and the ink is scaled to about 1. Raises ``ValueError`` for an empty crop.
    """
    if crop.ndim not in (2, 3) or crop.shape[0] == 0 or crop.shape[1] == 0:
        raise ValueError(f"icon crop must be a non-empty HxW or HxWxC image, got {crop.shape}")
    if crop.dtype != np.uint8:
        raise ValueError(f"icon crop must be uint8 pixels as captured, got {crop.dtype}")
    if crop.ndim == 3:
        channels = crop.shape[2]
        if channels == 4:
            crop = cv2.cvtColor(crop, cv2.COLOR_BGRA2GRAY)
        elif channels == 3:
            crop = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
        elif channels == 1:
            crop = crop[:, :, 0]
        else:
            raise ValueError(f"icon crop must have 1, 3 or 4 channels, got {channels}")
    grey = crop.astype(np.float32) / 255.0
    h, w = grey.shape
    scale = INPUT_SIZE / max(h, w)
    nh, nw = max(1, min(INPUT_SIZE, round(h * scale))), max(1, min(INPUT_SIZE, round(w * scale)))
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    small = cv2.resize(grey, (nw, nh), interpolation=interp)
    band = max(1, min(nh, nw) // 6)
    ring = np.concatenate(
        [
            small[:band].ravel(),
            small[-band:].ravel(),
            small[:, :band].ravel(),
            small[:, -band:].ravel(),
        ]
    )
    d = small - float(np.median(ring))
    hi, lo = np.percentile(d, (99.0, 1.0))
    if -lo > hi:
        d, hi = -d, -lo
    d = np.clip(d / max(float(hi), MIN_CONTRAST), -1.0, 1.0)
    out = np.zeros((INPUT_SIZE, INPUT_SIZE), np.float32)
    y0, x0 = (INPUT_SIZE - nh) // 2, (INPUT_SIZE - nw) // 2
    out[y0 : y0 + nh, x0 : x0 + nw] = d
    return out


class IconNamer:
    """The icon classifier, loaded from the model manifest (sha256 checked before loading)."""

    def __init__(self, registry: ModelRegistry | None = None, threads: int | None = None) -> None:
        reg = registry or ModelRegistry()
        path = reg.path(MODEL_NAME)
        record: dict[str, Any] = reg.entries[MODEL_NAME].record
        try:
            self.classes: tuple[str, ...] = tuple(record["classes"])
            self.threshold = float(record["threshold"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(
                f"model '{MODEL_NAME}': its manifest record lacks 'classes' or 'threshold' "
                f"({exc}). Fix: regenerate it: python -m gui_agent.training.icons.train"
            ) from exc
        self._net = OnnxClassifier(MODEL_NAME, path, threads)
        self.session = self._net.session
        outputs = self.session.get_outputs()[0].shape
        if len(outputs) != 2 or outputs[1] != len(self.classes):
            raise ModelError(
                f"model '{MODEL_NAME}' gives {outputs} scores, but its manifest names "
                f"{len(self.classes)} classes. Fix: regenerate the model and its manifest entry"
            )

    def scores(self, crops: Sequence[np.ndarray]) -> np.ndarray:
        """Class probabilities, N x len(classes); ``ValueError`` for an unusable crop."""
        if not crops:
            return np.zeros((0, len(self.classes)), np.float32)
        for crop in crops:
            if crop.ndim >= 2 and max(crop.shape[:2]) > MAX_SIDE:
                raise ValueError(
                    f"icon crop of {crop.shape[1]}x{crop.shape[0]} px is not an icon "
                    f"(the most is {MAX_SIDE} px a side)"
                )
        return self._net.probabilities(np.stack([preprocess(c) for c in crops])[:, None], _BATCH)

    def name(self, crops: Sequence[np.ndarray]) -> list[IconName | None]:
        """One answer per crop: its ``IconName``, or None when the model cannot name it.

        Crops are BGR uint8 images of icon elements as captured (any size). A crop with no
        pixels or one larger than ``MAX_SIDE`` raises ``ValueError``: that is a caller's bug,
        not an icon.
        """
        return [r.name for r in self.read(crops)]

    def read(self, crops: Sequence[np.ndarray]) -> list[IconReading]:
        """``name`` with the guesses beside each name; the same crops and errors."""
        return [self.reading(p) for p in self.scores(crops)]

    def reading(self, p: np.ndarray) -> IconReading:
        """The reading of one row of class probabilities (as ``scores`` gives them)."""
        k = int(p.argmax())
        meaning = self.classes[k]
        name = None
        if meaning != NONE_CLASS and float(p[k]) >= self.threshold:
            name = IconName(meaning, float(p[k]), icon_words(meaning))
        guesses: dict[str, float] = {}
        for j in np.argsort(-p)[: _MAX_GUESSES + 1].tolist():
            other = self.classes[j]
            if p[j] < GUESS_MIN or other == NONE_CLASS or (name and other == name.meaning):
                continue
            guesses[other] = round(float(p[j]), 3)
        if name is not None:
            for alike in also_means(name.meaning):
                guesses.setdefault(alike, round(name.score, 3))
        ranked = sorted(guesses.items(), key=lambda g: -g[1])[:_MAX_GUESSES]
        return IconReading(name, tuple(ranked))


_default: IconNamer | None = None
_default_lock = threading.Lock()


def default_icon_namer() -> IconNamer | None:
    """The shipped icon namer, loaded once; None when the manifest has no ``icon_names`` entry.

    An entry whose file is missing or fails its hash raises ``ModelError``: a broken model is
    a fault to report, not a reason to quietly name nothing.
    """
    global _default
    with _default_lock:
        if _default is None:
            reg = ModelRegistry()
            if MODEL_NAME not in reg.entries:
                return None
            _default = IconNamer(reg)
        return _default
