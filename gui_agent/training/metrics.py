"""Detection metrics: per-class average precision at an IoU threshold, and recall.

numpy only, so ``bench/detector.py`` measures the shipped ONNX model without torch. AP is the
VOC all-point interpolated area under the precision/recall curve, the number mAP@0.5 means
in most detection papers; a class absent from the ground truth is left out of the mean.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from gui_agent.perception.detector import iou

BoxT = tuple[float, float, float, float]


@dataclass(slots=True)
class ClassScore:
    """``precision``: of the ``predicted`` detections at or above the recall threshold, the
    share that matched a ground-truth box (0.0 when there were none)."""

    ap: float
    recall: float
    gt: int
    detections: int
    precision: float = 0.0
    predicted: int = 0


@dataclass(slots=True)
class Evaluation:
    classes: tuple[str, ...]
    iou_threshold: float
    recall_threshold: float
    per_class: dict[str, ClassScore] = field(default_factory=dict)

    @property
    def mean_ap(self) -> float:
        aps = [s.ap for s in self.per_class.values() if s.gt > 0]
        return float(np.mean(aps)) if aps else 0.0


@dataclass(slots=True)
class _Acc:
    scores: list[float] = field(default_factory=list)
    hits: list[bool] = field(default_factory=list)
    gt: int = 0
    recalled: int = 0
    predicted: int = 0


def _ap(scores: list[float], hits: list[bool], gt: int) -> float:
    if gt == 0:
        return 0.0
    if not scores:
        return 0.0
    order = np.argsort(-np.asarray(scores), kind="stable")
    tp = np.asarray(hits, dtype=np.float64)[order]
    ctp = np.cumsum(tp)
    cfp = np.cumsum(1.0 - tp)
    recall = ctp / gt
    precision = ctp / np.maximum(ctp + cfp, 1e-9)
    mrec = np.concatenate([[0.0], recall, [1.0]])
    mpre = np.concatenate([[0.0], precision, [0.0]])
    for i in range(len(mpre) - 2, -1, -1):
        mpre[i] = max(mpre[i], mpre[i + 1])
    idx = np.nonzero(mrec[1:] != mrec[:-1])[0]
    return float(np.sum((mrec[idx + 1] - mrec[idx]) * mpre[idx + 1]))


def _match(
    gts: np.ndarray, dets: np.ndarray, det_scores: np.ndarray, thr: float
) -> tuple[list[bool], np.ndarray]:
    """Greedy by score: each detection takes the best unmatched ground truth at IoU >= thr."""
    hits: list[bool] = []
    taken = np.zeros(len(gts), bool)
    for i in np.argsort(-det_scores, kind="stable"):
        if len(gts) == 0:
            hits.append(False)
            continue
        ious = iou(dets[i], gts)
        ious[taken] = -1.0
        j = int(np.argmax(ious))
        if ious[j] >= thr:
            taken[j] = True
            hits.append(True)
        else:
            hits.append(False)
    # hits are in score order; callers only need them paired with sorted scores
    return hits, taken


def evaluate(
    samples: Iterable[tuple[Sequence[tuple[str, BoxT]], Sequence[tuple[str, BoxT, float]]]],
    classes: Sequence[str],
    iou_threshold: float = 0.5,
    recall_threshold: float = 0.2,
) -> Evaluation:
    """``samples``: per image, (ground truth [(cls, box)], detections [(cls, box, score)]).

    Recall counts detections at or above ``recall_threshold`` (the runtime's operating
    point), so it says what the agent actually gets, not what a zero threshold could find.
    """
    acc = {c: _Acc() for c in classes}
    for image in per_image(samples, classes, iou_threshold, recall_threshold):
        for c, one in image.items():
            a = acc[c]
            a.scores.extend(one.scores)
            a.hits.extend(one.hits)
            a.gt += one.gt
            a.recalled += one.recalled
            a.predicted += one.predicted
    return _scores(acc, classes, iou_threshold, recall_threshold)


def _scores(
    acc: dict[str, _Acc], classes: Sequence[str], iou_threshold: float, recall_threshold: float
) -> Evaluation:
    out = Evaluation(tuple(classes), iou_threshold, recall_threshold)
    for c, a in acc.items():
        out.per_class[c] = ClassScore(
            ap=_ap(a.scores, a.hits, a.gt),
            recall=a.recalled / a.gt if a.gt else 0.0,
            gt=a.gt,
            detections=len(a.scores),
            precision=a.recalled / a.predicted if a.predicted else 0.0,
            predicted=a.predicted,
        )
    return out


def per_image(
    samples: Iterable[tuple[Sequence[tuple[str, BoxT]], Sequence[tuple[str, BoxT, float]]]],
    classes: Sequence[str],
    iou_threshold: float = 0.5,
    recall_threshold: float = 0.2,
) -> list[dict[str, _Acc]]:
    """``evaluate``'s counts kept per image, so that ``bootstrap_ap`` can resample screens
    without matching boxes again."""
    out: list[dict[str, _Acc]] = []
    for gt, det in samples:
        ev: dict[str, _Acc] = {}
        for c in classes:
            g = np.array([b for k, b in gt if k == c], np.float64).reshape(-1, 4)
            d = [(b, s) for k, b, s in det if k == c]
            db = np.array([b for b, _ in d], np.float64).reshape(-1, 4)
            ds = np.array([s for _, s in d], np.float64)
            hits, _ = _match(g, db, ds, iou_threshold)
            strong = ds >= recall_threshold
            _, taken = _match(g, db[strong], ds[strong], iou_threshold)
            ev[c] = _Acc(
                sorted(ds.tolist(), reverse=True), hits, len(g), int(taken.sum()), int(strong.sum())
            )
        out.append(ev)
    return out


def bootstrap_ap(
    images: list[dict[str, _Acc]],
    classes: Sequence[str],
    rounds: int = 200,
    seed: int = 0,
) -> dict[str, tuple[float, float]]:
    """95% percentile interval of each class's AP (and of "mean") over screens drawn with
    replacement: how far another draw of screens could move it."""
    rng = np.random.default_rng(seed)
    draws: dict[str, list[float]] = {c: [] for c in [*classes, "mean"]}
    n = len(images)
    if n == 0:
        return {c: (0.0, 0.0) for c in draws}
    for _ in range(rounds):
        pick = rng.integers(n, size=n)
        aps = []
        for c in classes:
            scores: list[float] = []
            hits: list[bool] = []
            gt = 0
            for i in pick:
                a = images[int(i)][c]
                scores.extend(a.scores)
                hits.extend(a.hits)
                gt += a.gt
            if gt:
                ap = _ap(scores, hits, gt)
                draws[c].append(ap)
                aps.append(ap)
        if aps:
            draws["mean"].append(float(np.mean(aps)))
    return {
        c: (float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5))) if v else (0.0, 0.0)
        for c, v in draws.items()
    }


def recall_by_group(
    samples: Iterable[tuple[Sequence[tuple[str, BoxT, str]], Sequence[tuple[str, BoxT, float]]]],
    iou_threshold: float = 0.5,
    recall_threshold: float = 0.2,
) -> dict[tuple[str, str], tuple[int, int]]:
    """Recall per (class, group): ground truth is (cls, box, group), e.g. the Qt class that
    drew the widget. Says which implementations a class's recall loses, which one number
    per class hides. Returns {(cls, group): (found, total)}."""
    out: dict[tuple[str, str], list[int]] = {}
    for gt, det in samples:
        for c in {k for k, _, _ in gt}:
            mine = [(b, g) for k, b, g in gt if k == c]
            g_boxes = np.array([b for b, _ in mine], np.float64).reshape(-1, 4)
            d = [(b, s) for k, b, s in det if k == c and s >= recall_threshold]
            d_boxes = np.array([b for b, _ in d], np.float64).reshape(-1, 4)
            d_scores = np.array([s for _, s in d], np.float64)
            _, taken = _match(g_boxes, d_boxes, d_scores, iou_threshold)
            for (_, group), hit in zip(mine, taken, strict=True):
                acc = out.setdefault((c, group), [0, 0])
                acc[0] += int(hit)
                acc[1] += 1
    return {k: (v[0], v[1]) for k, v in sorted(out.items())}
