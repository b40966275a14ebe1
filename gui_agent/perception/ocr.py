"""Text detection and recognition with the PP-OCRv4 ONNX models, tuned for screens.

We call onnxruntime directly instead of going through ``RapidOCR.__call__`` because screen
text is axis-aligned, high-contrast and small, and the generic pipeline spends its time on
things a screen does not need: float64 pre-processing, the 180° angle classifier, perspective
crops, up-scaling small crops to 736 px, and padded batches (one crop at a time is about twice
as fast on 2 cores for long lines). We reuse RapidOCR's DB post-processing and CTC decoding, so
boxes and text stay what the models were trained to produce.
"""

from __future__ import annotations

import itertools
import math
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort
from rapidocr_onnxruntime.ch_ppocr_det.utils import DBPostProcess
from rapidocr_onnxruntime.ch_ppocr_rec.utils import CTCLabelDecode

from gui_agent.errors import ModelError
from gui_agent.geometry import Rect
from gui_agent.perception.blank import content_regions
from gui_agent.perception.models import ModelRegistry


@dataclass(frozen=True, slots=True)
class TextLine:
    """One detected line of text; ``box`` in the coordinates of the image given to ``read``."""

    box: Rect
    text: str
    score: float
    # x of each character's centre (image coordinates), from where the recogniser emitted
    # it: a word inside a line becomes a target of its own. Empty when unknown.
    chars: tuple[int, ...] = ()

    def translate(self, dx: int, dy: int) -> TextLine:
        return TextLine(self.box.translate(dx, dy), self.text, self.score,
                        tuple(x + dx for x in self.chars))  # fmt: skip


@dataclass(frozen=True, slots=True)
class OcrSettings:
    # 2 threads match the 2 cores we target; more threads than cores only adds contention.
    threads: int = max(1, min(4, os.cpu_count() or 1))
    # Detection runs at the frame's own scale. At 0.75 (measured on Chromium pages, Tk and
    # xcalc) the detector loses one-character keys, 11 px status lines and short toolbar
    # labels, and merges neighbouring buttons into one line: reading lost more (CER 16.8% vs
    # 11.0%) than the 0.3 s it saved on a 1920x1080 frame.
    det_scale: float = 1.0
    det_thresh: float = 0.3
    det_box_thresh: float = 0.5
    det_unclip_ratio: float = 1.6
    rec_height: int = 40
    # Above this many model pixels the frame is detected in horizontal strips: one pass over
    # a whole 1920x1080 frame at full scale holds 130 MB more activations at its peak.
    det_max_pixels: int = 1_100_000
    # Short crops are padded to this width ratio, as in training (long lines never are).
    # Narrower padding is faster but reads worse: at 3, CER over the 16 Chromium text pages
    # rose from 1.50% to 1.58%; at 2 a lone "C" reads "c" and "0" reads "o".
    rec_min_ratio: float = 4.0
    min_score: float = 0.5
    key_min_score: float = 0.4


def _session(path: Path, threads: int) -> ort.InferenceSession:
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.log_severity_level = 3
    # Memory patterns are cached per input shape; text crops come in every width, so the cache
    # only grows (measured: 657 MB peak after four busy screens with it, 477 MB without).
    opts.enable_mem_pattern = False
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    try:
        return ort.InferenceSession(
            str(path), sess_options=opts, providers=["CPUExecutionProvider"]
        )
    except Exception as exc:  # onnxruntime raises its own untyped errors for bad files
        raise ModelError(f"onnxruntime cannot load {path}: {exc}") from exc


PAD = 0.25


def _tighten(img: np.ndarray, box: Rect) -> list[Rect]:
    """Snap a detected box to the ink it holds, split it at wide gaps, and add a margin
    proportional to the text height.

    The detector's boxes grow with its down-scaling (its dilation is in model pixels) and the
    recogniser is sensitive to the margin around the glyphs: a normalised margin makes
    recognition independent of the detection scale. The detector also joins words that sit
    far apart on one baseline ("File   Edit   Help" in a menu bar); a gap much wider than a
    space separates two targets, so each becomes its own line.
    """
    crop = img[box.y : box.bottom, box.x : box.right]
    gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    ink = np.abs(gray.astype(np.int16) - int(np.median(border))) > 48
    # Columns inked from top to bottom are a frame or separator line, not glyphs.
    ink[:, ink.mean(axis=0) > 0.9] = False
    row_ink: np.ndarray = np.asarray(ink.any(axis=1))
    mid = len(row_ink) // 2
    if not row_ink[mid]:
        # Two lines one above the other in one box ("First name" over "Last name" in a
        # form): each run of inked rows is a line of its own.
        runs = [(a, b) for a, b in _runs(row_ink) if b - a >= 6]  # not the bars of a "="
        if len(runs) < 2:
            return [box]
        return [
            piece
            for a, b in runs
            for piece in _tighten(img, Rect(box.x, box.y + a, box.w, b - a).expand(0, 1).clip(
                Rect(0, 0, img.shape[1], img.shape[0])))
        ]  # fmt: skip
    # Grow from the middle row only: the rows above and below may hold a neighbouring line.
    top, bottom = mid, mid
    while top > 0 and row_ink[top - 1]:
        top -= 1
    while bottom < len(row_ink) - 1 and row_ink[bottom + 1]:
        bottom += 1
    col_ink = ink[top : bottom + 1].any(axis=0)
    cols = np.flatnonzero(col_ink)
    if cols.size == 0:
        return [box]
    y0, y1 = box.y + top, box.y + bottom + 1
    text_h = y1 - y0
    pad = max(2, round(PAD * text_h))
    # Runs of ink separated by gaps wider than ~0.9 text heights (a space is about 0.3).
    min_gap = max(6, int(0.9 * text_h))
    gaps = np.flatnonzero(np.diff(cols) > min_gap)
    starts = [int(cols[0]), *(int(cols[g + 1]) for g in gaps)]
    ends = [*(int(cols[g]) + 1 for g in gaps), int(cols[-1]) + 1]
    h, w = img.shape[:2]
    return [
        Rect.from_ltrb(
            max(0, box.x + a - pad), max(0, y0 - pad), min(w, box.x + b + pad), min(h, y1 + pad)
        )
        for a, b in zip(starts, ends, strict=True)
    ]


_SMALL_MARGIN = 12
# Short crops recognised in one model call.
_BATCH = 16
# Strips overlap by this much: any line shorter than it is whole in one of them.
_STRIP_OVERLAP = 96


def _strips(h: int, w: int, scale: float, max_pixels: int) -> list[tuple[int, int]]:
    """Row ranges that split an image into overlapping strips of at most ``max_pixels``."""
    n = math.ceil(h * w * scale * scale / max_pixels)
    if n <= 1 or h < 4 * _STRIP_OVERLAP:
        return [(0, h)]
    step = math.ceil((h + (n - 1) * _STRIP_OVERLAP) / n)
    out, top = [], 0
    while True:
        bottom = min(h, top + step)
        out.append((top, bottom))
        if bottom >= h:
            return out
        top = bottom - _STRIP_OVERLAP


def _dedupe_boxes(boxes: list[Rect]) -> list[Rect]:
    """One box per line seen whole in two overlapping strips."""
    kept: list[Rect] = []
    for b in sorted(boxes, key=lambda r: -r.area):
        if not any(k.iou(b) > 0.6 for k in kept):
            kept.append(b)
    return kept


_EDGE_GAP = 3  # px kept clear of a control's edge where a line is cut there
# A detected line this flat (padding included) holds a stroke or two, not a line of text.
_FLAT_LINE = 8


def _cut_at_fences(box: Rect, fences: Sequence[Rect]) -> list[Rect]:
    """``box`` cut wherever the edge of a control on its row runs through it, and kept inside
    the control its middle lies in: the detector's box around a caption often takes in the
    control's border, read as "[" ("[Normal text")."""
    # A control shorter than the line cannot hold it: a rectangle the edges close around
    # part of a field's text is no home, and clipping to it would cut the glyphs.
    # The detector's box is taller than its text (its unclip margin, or a toolbar's buttons
    # merged into the line), so a control at 0.6 of its height still holds a line.
    fences = [f for f in fences if f.h >= 0.6 * box.h - 4]
    # A control is the line's home when the line only overhangs it by the detector's margin
    # (a caption whose box takes in its button's border). A line that runs on beyond it (a
    # label beside a drop-down, a toolbar merged into one line) is cut at its edges instead.
    home = [
        f
        for f in fences
        if f.contains_point(box.center)
        and f.w > 8
        and f.h > 8
        and box.w - box.intersection(f).w <= 0.8 * box.h
    ]
    if home:
        inner = min(home, key=lambda f: f.area).expand(-2)
        if inner.w > 3 and inner.h > 3 and box.intersects(inner):
            box = box.intersection(inner)
    cuts: set[int] = set()
    for f in fences:
        if not (f.y <= box.cy <= f.bottom) or f.contains(box):
            continue
        for edge in (f.x, f.right):
            if box.x + 3 < edge < box.right - 3:
                cuts.add(edge)
            elif box.x <= edge <= box.x + 3 and edge == f.right:
                # the line starts on the border of the control before it: a column of ink
                # that would stretch the line to the control's height
                box = Rect.from_ltrb(edge + _EDGE_GAP, box.y, box.right, box.bottom)
            elif box.right - 3 <= edge <= box.right and edge == f.x:
                box = Rect.from_ltrb(box.x, box.y, edge - _EDGE_GAP, box.bottom)
    if box.w <= 3:
        return []
    if not cuts:
        return [box]
    # A piece stops short of the edge it was cut at: the control's border is a column of ink
    # that would stretch the line to the control's height.
    xs = [box.x, *sorted(cuts), box.right]
    out: list[Rect] = []
    for a, b in itertools.pairwise(xs):
        a2 = a + _EDGE_GAP if a in cuts else a
        b2 = b - _EDGE_GAP if b in cuts else b
        if b2 - a2 > 3:
            out.append(Rect.from_ltrb(a2, box.y, b2, box.bottom))
    return out


def _refit(img: np.ndarray, line: Rect, fences: Sequence[Rect]) -> list[Rect]:
    """A line that cannot be the caption of the control its middle lies in, made one.

    Taller than the control: the detector sometimes takes a whole block of filled keys for
    one text blob; cut at the keys' edges and split at their rows, each piece is a key's
    full height and more, and a caption matched to that box is matched to nothing. The
    piece is cut to the control and snapped to its ink again. Too flat to be text (a few
    pixels, and a fraction of the control's height): the detector saw one bar of a key's
    "=" or its "-" alone; the control's whole ink is the caption, as ``read_inside`` crops
    it for a key the detector found nothing in.
    """
    home = [f for f in fences if f.contains_point(line.center)]
    if not home:
        return [line]
    control = min(home, key=lambda f: f.area)
    if line.h > control.h:
        clipped = line.intersection(control.expand(-2))
        if clipped.w <= 3 or clipped.h <= 3:
            return [line]
        return _tighten(img, clipped)
    if line.h < _FLAT_LINE and line.h < 0.4 * control.h:
        ink = _ink_box(img, control)
        return [ink] if ink is not None and ink.contains_point(line.center) else [line]
    return [line]


def _ink_box(img: np.ndarray, box: Rect) -> Rect | None:
    """The ink inside a control's box (border and bevel excluded), padded like a detected
    line; None when the inside is blank or is all ink (a filled swatch, a photo)."""
    inset = max(2, round(0.15 * min(box.w, box.h)))
    inner = box.expand(-inset)
    if inner.w < 4 or inner.h < 4:
        return None
    crop = img[inner.y : inner.bottom, inner.x : inner.right]
    gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
    ink = np.abs(gray.astype(np.int16) - int(np.median(gray))) > 60
    if int(ink.sum()) < 4 or float(ink.mean()) > 0.5:
        return None  # blank (a "." is 4 px at 96 dpi), or a swatch or photo
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    touching = (rows[0] == 0) + (rows[-1] == ink.shape[0] - 1)
    touching += (cols[0] == 0) + (cols[-1] == ink.shape[1] - 1)
    if touching >= 2:
        return None  # ink from edge to edge: part of a pictogram, not a caption inside a key
    y0, y1 = inner.y + int(rows[0]), inner.y + int(rows[-1]) + 1
    x0, x1 = inner.x + int(cols[0]), inner.x + int(cols[-1]) + 1
    # Pad to the text height a glyph of this box would have, not the ink's own height: a
    # "-" or "." is one or two pixels tall and would be blown up into a blob.
    glyph_h = max(y1 - y0, round(0.45 * inner.h))
    pad = max(2, round(PAD * glyph_h))
    cy = inner.cy  # text sits mid-height in a control: a "." keeps its place on the baseline
    h, w = img.shape[:2]
    top = max(0, round(min(y0, cy - glyph_h / 2)) - pad)
    bottom = min(h, round(max(y1, cy + glyph_h / 2)) + pad)
    return Rect.from_ltrb(max(0, x0 - pad), top, min(w, x1 + pad), bottom)


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of each run of True in a 1-D boolean array."""
    padded = np.concatenate(([False], flags.astype(bool), [False]))
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _suppress_overlaps(lines: list[TextLine]) -> list[TextLine]:
    """The detector sometimes boxes the start of a line twice ("OE" over "Enterprise" after a
    radio button); keep the longer, surer reading of text read twice."""
    kept: list[TextLine] = []
    for line in sorted(lines, key=lambda t: -(len(t.text) * t.score)):
        # A one- or two-character box that runs into a longer line is a fragment of it (the
        # radio's circle and the "E" of "Enterprise" read as "OE"), however little it overlaps.
        share = 0.1 if len(line.text.replace(" ", "")) <= 2 else 0.3
        if not any(line.box.intersection(k.box).area > share * line.box.area for k in kept):
            kept.append(line)
    return sorted(kept, key=lambda t: (t.box.y, t.box.x))


class OcrEngine:
    """Loaded OCR models. Thread-safe: onnxruntime sessions may be run from several threads."""

    def __init__(
        self, settings: OcrSettings | None = None, registry: ModelRegistry | None = None
    ) -> None:
        self.settings = settings or OcrSettings()
        registry = registry or ModelRegistry()
        self._det = _session(registry.path("ocr_det"), self.settings.threads)
        # Recognition runs one crop per call on a pool of single-threaded workers: measured
        # 1.5x faster on 2 cores than one crop at a time with 2 intra-op threads.
        self._rec = _session(registry.path("ocr_rec"), 1)
        self._pool = ThreadPoolExecutor(self.settings.threads, thread_name_prefix="ocr-rec")
        meta = self._rec.get_modelmeta().custom_metadata_map
        if "character" not in meta:
            raise ModelError("the OCR recognition model carries no character list in its metadata")
        self._decode = CTCLabelDecode(character=meta["character"].splitlines())
        self._det_input = self._det.get_inputs()[0].name
        self._rec_input = self._rec.get_inputs()[0].name
        self._post_lock = threading.Lock()
        self._post = DBPostProcess(
            thresh=self.settings.det_thresh,
            box_thresh=self.settings.det_box_thresh,
            max_candidates=1000,
            unclip_ratio=self.settings.det_unclip_ratio,
            use_dilation=True,
            score_mode="fast",
        )

    # -- detection -------------------------------------------------------------------------
    def detect(
        self,
        img: np.ndarray,
        scale: float | None = None,
        fences: Sequence[Rect] = (),
        regions: Sequence[Rect] | None = None,
    ) -> list[Rect]:
        """Axis-aligned boxes of text lines in ``img`` (BGR), in ``img``'s pixel coordinates.

        ``fences`` are control boxes (buttons, fields, drop-downs) a line of text never
        crosses: the detector joins the labels of adjacent controls ("Normal text100%"), and
        a line is cut where a fence's left or right edge runs through it. ``regions``: where
        something is drawn, when the caller has worked it out already
        (``blank.content_regions``, or the whole image); None works it out here.
        """
        s = self.settings.det_scale if scale is None else scale
        if regions is None:
            regions = content_regions(img)
        if regions is None:
            quads_boxes = self._detect_area(img, s)
        else:  # only where something is drawn: a flat area holds no text
            quads_boxes = [
                b.translate(r.x, r.y)
                for r in regions
                for b in self._detect_area(img[r.y : r.bottom, r.x : r.right], s)
            ]
        boxes: list[Rect] = []
        for r in quads_boxes:
            for piece in _cut_at_fences(r, fences):
                for line in _tighten(img, piece):
                    boxes.extend(_refit(img, line, fences))
        return boxes

    def _detect_area(self, img: np.ndarray, s: float) -> list[Rect]:
        """The text detector's boxes for one image, in strips when it is large."""
        h, w = img.shape[:2]
        strips = _strips(h, w, s, self.settings.det_max_pixels)
        if len(strips) == 1:
            return self._detect_quads(img, s)
        found: list[Rect] = []
        for top, bottom in strips:
            part = self._detect_quads(img[top:bottom], s)
            for r in part:
                # a line the strip's inner edge cuts is whole in the neighbouring strip
                if (r.y <= 1 and top > 0) or (r.bottom >= bottom - top - 1 and bottom < h):
                    continue
                found.append(r.translate(0, top))
        return _dedupe_boxes(found)

    def _detect_quads(self, img: np.ndarray, s: float) -> list[Rect]:
        """The text detector's boxes for one image (or strip), in its own pixels."""
        h, w = img.shape[:2]
        # Tiny images (a changed field, a field read back) are padded, never up-scaled:
        # up-scaling costs time and the model sees text at the size it would on a full frame.
        # The pad is a margin of the crop's own background on every side: text flush with the
        # crop's edge (a field cropped to its border) loses words at full detection scale.
        off = 0
        if h < 64 or w < 64:
            ring = np.concatenate([img[0], img[-1], img[:, 0], img[:, -1]])
            colour = [int(v) for v in np.median(ring.reshape(-1, ring.shape[-1]), axis=0)]
            off = _SMALL_MARGIN
            pad_h, pad_w = max(0, 64 - h), max(0, 64 - w)
            img = cv2.copyMakeBorder(
                img, off, off + pad_h, off, off + pad_w, cv2.BORDER_CONSTANT, value=colour
            )
        ph, pw = img.shape[:2]
        th = max(32, round(ph * s / 32) * 32)
        tw = max(32, round(pw * s / 32) * 32)
        blob = cv2.dnn.blobFromImage(
            img, scalefactor=1 / 127.5, size=(tw, th), mean=(127.5, 127.5, 127.5), swapRB=False
        )
        pred = self._det.run(None, {self._det_input: blob})[0]
        with self._post_lock:  # DBPostProcess keeps per-call state on itself
            quads, _scores = self._post(pred, (ph, pw))
        boxes: list[Rect] = []
        for q in quads:
            xs, ys = q[:, 0] - off, q[:, 1] - off
            r = Rect.from_ltrb(
                max(0.0, float(xs.min())),
                max(0.0, float(ys.min())),
                min(float(w), float(xs.max()) + 1),
                min(float(h), float(ys.max()) + 1),
            )
            if r.w > 3 and r.h > 3:
                boxes.append(r)
        return boxes

    # -- recognition -----------------------------------------------------------------------
    def recognize(self, img: np.ndarray, boxes: list[Rect]) -> list[tuple[str, float]]:
        return [(t, s) for t, s, _ in self.recognize_lines(img, boxes)]

    def recognize_lines(
        self, img: np.ndarray, boxes: list[Rect]
    ) -> list[tuple[str, float, tuple[int, ...]]]:
        """Text, score and character centres (image x) of each box."""
        crops = [img[b.y : b.bottom, b.x : b.right] for b in boxes]
        # Short crops (keys, one-word captions) all pad to the recogniser's minimum width, so
        # they run as batches: one call for a keypad's twenty keys instead of twenty calls.
        short = [i for i, c in enumerate(crops) if self._short(c)]
        longer = [i for i, c in enumerate(crops) if not self._short(c)]
        # Longest first, so the two workers finish at about the same time.
        longer.sort(key=lambda i: -crops[i].shape[1] / crops[i].shape[0])
        jobs: list[list[int]] = [[i] for i in longer]
        # as many batches as workers (each worker's model call is single-threaded)
        size = min(_BATCH, max(1, math.ceil(len(short) / self.settings.threads)))
        jobs += [short[k : k + size] for k in range(0, len(short), size)]
        if len(jobs) < 2:
            results = [self._recognize_batch([crops[i] for i in job]) for job in jobs]
        else:
            results = list(
                self._pool.map(lambda job: self._recognize_batch([crops[i] for i in job]), jobs)
            )
        out: list[tuple[str, float, tuple[int, ...]]] = [("", 0.0, ())] * len(crops)
        for job, got in zip(jobs, results, strict=True):
            for i, (text, score, xs) in zip(job, got, strict=True):
                out[i] = (text, score, tuple(boxes[i].x + round(x) for x in xs))
        return out

    def _short(self, crop: np.ndarray) -> bool:
        h, w = crop.shape[:2]
        return h > 0 and w > 0 and w * self.settings.rec_height / h <= self._min_width

    @property
    def _min_width(self) -> int:
        return int(self.settings.rec_height * self.settings.rec_min_ratio)

    def recognize_crop(self, crop: np.ndarray) -> tuple[str, float]:
        text, score, _ = self._recognize_batch([crop])[0]
        return text, score

    def _recognize_batch(
        self, crops: list[np.ndarray]
    ) -> list[tuple[str, float, tuple[float, ...]]]:
        """Text, score and character centres (crop x) of each crop, in one model call: the
        crops are resized to the recogniser's height and padded to the widest of them."""
        H = self.settings.rec_height
        sized = [(c, max(1, math.ceil(c.shape[1] * H / c.shape[0]))) for c in crops if c.size]
        if not sized:
            return [("", 0.0, ())] * len(crops)
        width = max(self._min_width, *(rw for _, rw in sized))
        blob = np.zeros((len(sized), 3, H, width), dtype=np.float32)
        for n, (crop, rw) in enumerate(sized):
            resized = cv2.resize(crop, (rw, H), interpolation=cv2.INTER_LINEAR)
            blob[n, :, :, :rw] = resized.transpose(2, 0, 1).astype(np.float32) / 127.5 - 1.0
        pred = self._rec.run(None, {self._rec_input: blob})[0]
        decoded = self._decode(pred)
        step = width / pred.shape[1]
        read: list[tuple[str, float, tuple[float, ...]]] = []
        for n, (crop, rw) in enumerate(sized):
            text, score = str(decoded[n][0]), float(decoded[n][1])
            # CTC emits each character at one time step; the steps tile the padded input
            # evenly, so a step's centre maps back to the crop's x through the resize.
            idx = pred[n].argmax(axis=1)
            keep = np.flatnonzero((idx != 0) & np.concatenate(([True], idx[1:] != idx[:-1])))
            xs = tuple(float((t + 0.5) * step * crop.shape[1] / rw) for t in keep)
            read.append((text, score, xs if len(xs) == len(text) else ()))
        it = iter(read)
        return [next(it) if c.size else ("", 0.0, ()) for c in crops]

    def read_inside(self, img: np.ndarray, boxes: list[Rect]) -> list[TextLine]:
        """Read what is drawn inside control boxes the text detector found nothing in.

        The detector is trained on words: a key with one character ("7", "*", "=") or a
        two-letter button is too small a blob for it, yet a recogniser reads it well from a
        crop snapped to its ink. Only the box's inside is looked at (its border and bevel
        are not ink), and a box with no ink there is skipped.
        """
        crops: list[Rect] = []
        for box in boxes:
            inner = _ink_box(img, box)
            if inner is not None:
                crops.append(inner)
        # One character alone in a key is read less surely than a word (a thin "/" scores
        # 0.47): the box already says it is a control's caption, so a lower bar holds.
        return self._lines(img, crops, single=self.settings.key_min_score)

    def _lines(
        self, img: np.ndarray, boxes: list[Rect], single: float | None = None
    ) -> list[TextLine]:
        lines: list[TextLine] = []
        for box, (raw, score, xs) in zip(boxes, self.recognize_lines(img, boxes), strict=True):
            text = raw.strip()
            bar = single if single is not None and len(text) == 1 else self.settings.min_score
            if not text or score < bar:
                continue
            if xs:
                lead = len(raw) - len(raw.lstrip())
                xs = xs[lead : lead + len(text)]
            lines.append(TextLine(box, text, score, xs))
        return lines

    # -- both ------------------------------------------------------------------------------
    def read(
        self,
        img: np.ndarray,
        scale: float | None = None,
        fences: Sequence[Rect] = (),
        regions: Sequence[Rect] | None = None,
    ) -> list[TextLine]:
        return _suppress_overlaps(self._lines(img, self.detect(img, scale, fences, regions)))
