"""Scores for the icon classifier: accuracy with 95% intervals, false names, worst classes.

Shared by training (which writes them into the manifest record) and ``bench/icons.py``, so
both report the same quantities the same way. Works on class probabilities, so it is the
same whether they came from torch or from onnxruntime.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gui_agent.perception.icon_vocabulary import CLASSES, NONE_CLASS

NONE_LABEL = CLASSES.index(NONE_CLASS)


def wilson(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion: honest near 0 and 1, unlike p +- 2 sd."""
    if n == 0:
        return (0.0, 1.0)
    p = hits / n
    den = 1 + z * z / n
    mid = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return (max(0.0, mid - half), min(1.0, mid + half))


def named(probs: np.ndarray, threshold: float) -> np.ndarray:
    """The class each row is named as, or -1 for "cannot name it" (none, or below threshold)."""
    k = probs.argmax(axis=1)
    keep = (k != NONE_LABEL) & (probs[np.arange(len(k)), k] >= threshold)
    return np.where(keep, k, -1)


@dataclass(frozen=True, slots=True)
class Scores:
    icons: int  # crops of a vocabulary icon
    correct: int  # ... named right
    wrong: int  # ... named as something else
    top1: int  # ... whose top class (before the threshold) is right
    nones: int  # crops that must stay unnamed
    false_named: int  # ... that got a name anyway

    @property
    def accuracy(self) -> float:
        return self.correct / max(1, self.icons)

    @property
    def accuracy_ci(self) -> tuple[float, float]:
        return wilson(self.correct, self.icons)

    @property
    def false_name_rate(self) -> float:
        return self.false_named / max(1, self.nones)

    @property
    def false_name_ci(self) -> tuple[float, float]:
        return wilson(self.false_named, self.nones)

    def as_dict(self) -> dict[str, float | int | list[float]]:
        return {
            "icons": self.icons,
            "accuracy": round(self.accuracy, 4),
            "accuracy_95": [round(v, 4) for v in self.accuracy_ci],
            "wrong_name_rate": round(self.wrong / max(1, self.icons), 4),
            "top1": round(self.top1 / max(1, self.icons), 4),
            "nones": self.nones,
            "none_false_name_rate": round(self.false_name_rate, 4),
            "none_false_name_95": [round(v, 4) for v in self.false_name_ci],
        }


def score(probs: np.ndarray, labels: np.ndarray, threshold: float) -> Scores:
    got = named(probs, threshold)
    icon = labels != NONE_LABEL
    return Scores(
        icons=int(icon.sum()),
        correct=int((got[icon] == labels[icon]).sum()),
        wrong=int(((got[icon] != labels[icon]) & (got[icon] >= 0)).sum()),
        top1=int((probs[icon].argmax(axis=1) == labels[icon]).sum()),
        nones=int((~icon).sum()),
        false_named=int((got[~icon] >= 0).sum()),
    )


def per_class(
    probs: np.ndarray, labels: np.ndarray, threshold: float
) -> list[tuple[str, float, int]]:
    """(meaning, accuracy, crops) for every icon class present, worst first."""
    got = named(probs, threshold)
    rows = []
    for k in sorted(set(labels.tolist()) - {NONE_LABEL}):
        sel = labels == k
        rows.append((CLASSES[k], float((got[sel] == k).mean()), int(sel.sum())))
    return sorted(rows, key=lambda r: (r[1], r[0]))


def calibrate(probs: np.ndarray, labels: np.ndarray, wrong_cost: float = 4.0) -> float:
    """The score threshold that best trades names given against wrong names.

    A wrong name (an icon called something else, or a non-icon named) costs ``wrong_cost``
    right names: acting on "the trash icon" at the wrong place is worse than not finding it.
    """
    best, best_t = -math.inf, 0.5
    for t in np.arange(0.2, 0.96, 0.025):
        s = score(probs, labels, float(t))
        gain = s.correct - wrong_cost * (s.wrong + s.false_named)
        if gain > best:
            best, best_t = gain, float(t)
    return round(best_t, 3)
