"""Crop collection for the check-box/radio verifier: labelled indicator crops from screens.

Three kinds of crop, all cut by the runtime's own ``crops_of`` so that training sees exactly
what perception feeds the model:

- the detector's own check box and radio detections (net, then the indicator check, as
  ``ElementDetector.detect`` runs them), labelled by the ground truth they land on: a real
  check box or radio, or "none" where no check box or radio is anywhere near. These are
  the hard negatives (a favicon beside its text, a bullet, an "O") and the positives the
  verifier must keep, with the box errors the detector really makes;
- every ground-truth check box and radio, its box shifted and scaled a little: positives
  the detector missed on this screen but may find on the next;
- every ground-truth icon as if it were the indicator end of a labelled check box: the
  favicon beside text the detector has not (yet) mistaken, so the lesson does not depend
  on which favicons this detector happens to trip on;
- every ground-truth tab and button as if it were a labelled check box (``tab_crops``): a
  browser tab with a favicon at its left end is the false check box the first verifier
  still let through.

A detection that half-overlaps a real check box (a box too wide, two of one indicator) is
left out: neither answer is right for it.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from gui_agent.geometry import Rect
from gui_agent.perception.choice_check import CLASSES, crops_of, indicator_region
from gui_agent.perception.detector import ElementDetector, by_indicator
from gui_agent.training.synth import load_labels

CHOICE = ("checkbox", "radio")
LABEL = {c: i for i, c in enumerate(CLASSES)}
# Sources of crops, kept with each crop so evaluation can say where the errors come from.
SOURCES = ("detection", "truth", "icon", "tab")


@dataclass
class CropSet:
    """Crops (N x 32 x 32 x 3 uint8), labels (``CLASSES`` index), where each came from
    (``SOURCES`` index), the screen's renderer and a screen id (to split by screen)."""

    x: np.ndarray
    y: np.ndarray
    source: np.ndarray
    renderer: np.ndarray
    screen: np.ndarray

    def __len__(self) -> int:
        return len(self.y)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            path, x=self.x, y=self.y, source=self.source, renderer=self.renderer, screen=self.screen
        )

    @staticmethod
    def load(path: Path) -> CropSet:
        with np.load(path) as f:
            return CropSet(f["x"], f["y"], f["source"], f["renderer"], f["screen"])

    @staticmethod
    def join(parts: list[CropSet]) -> CropSet:
        return CropSet(*(np.concatenate([getattr(p, k) for p in parts]) for k in _FIELDS))

    def subset(self, mask: np.ndarray) -> CropSet:
        return CropSet(*(getattr(self, k)[mask] for k in _FIELDS))


_FIELDS = ("x", "y", "source", "renderer", "screen")


def label_detection(box: Rect, truth: list[tuple[str, Rect]]) -> int | None:
    """The class index a detection's crop should get, None when it is ambiguous.

    A real check box or radio: IoU >= 0.5 with it, or the two indicator squares (where the
    crop is cut) overlap at IoU >= 0.5, since then the crop shows that very indicator.
    "none": no check box or radio overlaps it at all (IoU < 0.05 and no shared indicator).
    """
    best: tuple[float, str] | None = None
    near = False
    for cls, g in truth:
        if cls not in CHOICE:
            continue
        overlap = box.iou(g)
        same_indicator = _square(box).iou(_square(g))
        score = max(overlap, same_indicator)
        if score >= 0.5 and (best is None or score > best[0]):
            best = (score, cls)
        near = near or overlap >= 0.05 or same_indicator >= 0.2
    if best is not None:
        return LABEL[best[1]]
    return None if near else LABEL["none"]


def _square(box: Rect) -> Rect:
    cx, cy, side = indicator_region(box)
    return Rect.from_ltrb(cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2)


def _jitter(box: Rect, rng: random.Random) -> Rect:
    """A box a detector might have drawn for ``box``: a few px off, a little too big or small."""
    h = box.h
    dx, dy = rng.uniform(-0.15, 0.15) * h, rng.uniform(-0.12, 0.12) * h
    s = rng.uniform(0.85, 1.2)
    nh = max(4.0, h * s)
    return Rect.from_ltrb(box.x + dx, box.cy - nh / 2 + dy, box.right + dx, box.cy + nh / 2 + dy)


def _as_labelled(icon: Rect, img_w: int, rng: random.Random) -> Rect:
    """An icon box seen as a labelled check box: the icon its indicator, text to its right."""
    h = icon.h * rng.uniform(1.0, 1.5)
    w = min(img_w - icon.x, icon.w + rng.uniform(2.0, 6.0) * h)
    return Rect.from_ltrb(
        icon.x - rng.uniform(0, 0.2) * h, icon.cy - h / 2, icon.x + w, icon.cy + h / 2
    )


def screen_crops(
    img: np.ndarray,
    truth: list[tuple[str, Rect]],
    detections: list[tuple[str, Rect]],
    rng: random.Random,
    jitters: int = 2,
    icons: int = 8,
) -> tuple[list[Rect], list[int], list[int]]:
    """Boxes to crop on one screen, their labels and sources (see the module's docstring)."""
    boxes: list[Rect] = []
    labels: list[int] = []
    sources: list[int] = []
    for cls, box in detections:
        if cls not in CHOICE:
            continue
        lab = label_detection(box, truth)
        if lab is not None:
            boxes.append(box)
            labels.append(lab)
            sources.append(SOURCES.index("detection"))
    for cls, g in truth:
        if cls in CHOICE:
            for k in range(jitters):
                boxes.append(g if k == 0 else _jitter(g, rng))
                labels.append(LABEL[cls])
                sources.append(SOURCES.index("truth"))
    icon_boxes = [g for cls, g in truth if cls == "icon" and 8 <= g.h <= 48]
    for g in rng.sample(icon_boxes, min(icons, len(icon_boxes))):
        for box in (g, _as_labelled(g, img.shape[1], rng)):
            if label_detection(box, truth) == LABEL["none"]:
                boxes.append(box)
                labels.append(LABEL["none"])
                sources.append(SOURCES.index("icon"))
    return boxes, labels, sources


def tab_crops(data: Path, seed: int = 0, screen_offset: int = 0) -> CropSet:
    """Tabs and buttons (whose left end often holds an icon) as if they were check boxes,
    labelled "none": from the ground truth alone, so no detector run is needed."""
    rng = random.Random(f"choices/tabs/{seed}/{data.name}")
    xs: list[np.ndarray] = []
    rend: list[str] = []
    scr: list[int] = []
    for i, renderer, img, truth in screens(data):
        boxes = []
        for cls, g in truth:
            if cls not in ("tab", "button") or not 12 <= g.h <= 80:
                continue
            box = g if rng.random() < 0.5 else _jitter(g, rng)
            if label_detection(box, truth) == LABEL["none"]:
                boxes.append(box)
        boxes = rng.sample(boxes, min(6, len(boxes)))
        if boxes:
            xs.append(crops_of(img, boxes))
            rend.extend([renderer] * len(boxes))
            scr.extend([screen_offset + i] * len(boxes))
    n = len(rend)
    x = np.concatenate(xs) if xs else np.zeros((0, 32, 32, 3), np.uint8)
    return CropSet(
        x,
        np.full(n, LABEL["none"], np.int64),
        np.full(n, SOURCES.index("tab"), np.int64),
        np.asarray(rend),
        np.asarray(scr),
    )


def _truth(rec: dict[str, Any]) -> list[tuple[str, Rect]]:
    return [(b[0], Rect.from_ltrb(b[1], b[2], b[3], b[4])) for b in rec["boxes"]]


def screens(
    data: Path, limit: int | None = None
) -> Iterator[tuple[int, str, np.ndarray, list[tuple[str, Rect]]]]:
    """(index, renderer, BGR image, truth) of each screen of a synth data set."""
    for i, rec in enumerate(load_labels(data)[:limit]):
        img = cv2.imread(str(data / rec["image"]), cv2.IMREAD_COLOR)
        if img is None:
            raise FileNotFoundError(data / rec["image"])
        yield i, str(rec["meta"].get("renderer", "?")), img, _truth(rec)


def collect(
    data: Path,
    detector: ElementDetector,
    seed: int = 0,
    limit: int | None = None,
    min_score: float = 0.1,
    screen_offset: int = 0,
    progress: Callable[[int], None] | None = None,
) -> CropSet:
    """Crops of every screen of the synth data set ``data`` (training split only: the caller
    must never pass a held-out set)."""
    rng = random.Random(f"choices/{seed}/{data.name}")
    xs: list[np.ndarray] = []
    ys: list[int] = []
    srcs: list[int] = []
    rend: list[str] = []
    scr: list[int] = []
    checks = detector.pixel_checks
    detector.pixel_checks = False
    try:
        for i, renderer, img, truth in screens(data, limit):
            found = [d for d in detector.detect(img, threshold=min_score)]
            found = by_indicator(img, found)
            dets = [(d.cls, d.box) for d in found]
            boxes, labels, sources = screen_crops(img, truth, dets, rng)
            if boxes:
                xs.append(crops_of(img, boxes))
                ys.extend(labels)
                srcs.extend(sources)
                rend.extend([renderer] * len(boxes))
                scr.extend([screen_offset + i] * len(boxes))
            if progress is not None:
                progress(i + 1)
    finally:
        detector.pixel_checks = checks
    x = np.concatenate(xs) if xs else np.zeros((0, 32, 32, 3), np.uint8)
    return CropSet(
        x, np.asarray(ys, np.int64), np.asarray(srcs, np.int64), np.asarray(rend), np.asarray(scr)
    )


def main_collect(data: Path, out: Path, seed: int, limit: int | None, offset: int) -> CropSet:
    """Collect one data set's crops into ``out`` (an .npz), reusing it when it is there; the
    tab crops (no detector needed) are kept beside it, so adding them re-ran no detector."""
    tabs_path = out.with_name(out.stem + "-tabs.npz")
    if not tabs_path.is_file():
        tab_crops(data, seed, offset).save(tabs_path)
    tabs = CropSet.load(tabs_path)
    if out.is_file():
        return CropSet.join([CropSet.load(out), tabs])
    det = ElementDetector(threads=1)
    t = time.perf_counter()

    def tick(n: int) -> None:
        if n % 200 == 0:
            print(f"  {data.name}: {n} screens, {time.perf_counter() - t:.0f} s", flush=True)

    crops = collect(data, det, seed, limit, screen_offset=offset, progress=tick)
    crops.save(out)
    return CropSet.join([crops, tabs])
