"""``perceive(frame) -> ScreenState``: OCR + shape proposals + fusion, incremental across frames.

An agent looks at nearly the same screen again and again: after typing into a field only that
field changed. The perceiver keeps the previous frame's raw layers (text lines and shapes, in
desktop coordinates) and, when a small part of the screen changed, re-reads only that part:
the changed tiles, grown to whole text lines and whole controls they touch. Fusion, which is
cheap, then runs over the whole screen so kinds and labels stay consistent.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout
from dataclasses import dataclass, field, replace

import numpy as np

from gui_agent.geometry import Point, Rect, merge_overlapping
from gui_agent.perception.accessibility import A11yNode, A11ySnapshot, AccessibilitySource
from gui_agent.perception.accessibility.fusion import fuse_tree
from gui_agent.perception.blank import content_regions
from gui_agent.perception.choice_letters import letters_of_labels
from gui_agent.perception.choice_reads import letters_read
from gui_agent.perception.choice_verdict import verify_choices
from gui_agent.perception.detector import Detection, ElementDetector, default_detector
from gui_agent.perception.elements import Shape, fuse, propose
from gui_agent.perception.icon_names import IconNamer, default_icon_namer
from gui_agent.perception.naming import IconNaming
from gui_agent.perception.ocr import OcrEngine, OcrSettings, TextLine
from gui_agent.perception.state import Element, ScreenState
from gui_agent.screen.diff import changed_regions
from gui_agent.screen.frame import Frame

# Above this share of changed area a full pass is cheaper than many small ones.
_FULL_PASS_FRACTION = 0.3
# Controls are re-detected whole when a change touches them; bigger shapes (lists, panels)
# are kept unless the change covers them, or every change inside a list would re-read it all.
_CONTROL_MAX_H = 64


@dataclass(slots=True)
class _Layers:
    pixels: np.ndarray
    box: Rect
    texts: list[TextLine]
    shapes: list[Shape]
    detections: list[Detection]
    state: ScreenState


@dataclass(slots=True)
class PerceptionStats:
    full_passes: int = 0
    incremental_passes: int = 0
    unchanged: int = 0
    last_mode: str = ""
    last_dirty: list[Rect] = field(default_factory=list)


def _shift_text(t: TextLine, dx: int, dy: int) -> TextLine:
    return t.translate(dx, dy)


def _shift_shape(s: Shape, dx: int, dy: int) -> Shape:
    return replace(s, box=s.box.translate(dx, dy))


def _grow(region: Rect, boxes: list[Rect], bounds: Rect, margin: int = 0) -> Rect:
    """Grow ``region`` until it wholly contains every box it touches, with ``margin`` pixels
    around each (a control flush with a crop's edge is not found in that crop)."""
    padded = [b.expand(margin).clip(bounds) for b in boxes]
    grown = region.clip(bounds)
    changed = True
    while changed:
        changed = False
        for b, p in zip(boxes, padded, strict=True):
            if grown.intersects(b) and not grown.contains(p):
                grown = grown.union(p)
                changed = True
    return grown


# Controls whose inside is read when the text detector found no line in them: a key, a
# short button, a tab. Taller boxes are panels; the cap bounds the cost on a busy screen.
_READ_KINDS = ("button", "tab", "combo")  # not "icon": a pictogram read as "8" is no caption
_MAX_INSIDE_READS = 80


def _textless_controls(
    texts: list[TextLine], shapes: list[Shape], detections: list[Detection]
) -> list[Rect]:
    boxes = [
        s.box
        for s in shapes
        if (s.form == "rect" and 16 <= s.box.h <= _CONTROL_MAX_H and s.box.w <= 8 * s.box.h)
        # a square key ("I", "-"), or a round one
        or (s.closed and s.box.h >= 18)
    ]
    found = [d.box for d in detections if d.cls in _READ_KINDS and 12 <= d.box.h <= _CONTROL_MAX_H]
    # The drawn edges first: they are the key's own border; the detector's box may be a few
    # pixels off and take in a focus ring.
    boxes.sort(key=lambda r: (r.area, r.y, r.x))
    found.sort(key=lambda r: (r.area, r.y, r.x))
    out: list[Rect] = []
    for b in boxes + found:
        if any(t.box.intersection(b).area > 0.3 * min(t.box.area, b.area) for t in texts):
            continue
        if any(o.iou(b) > 0.5 or b.contains(o) or o.contains(b) for o in out):
            continue  # the same key seen twice, or a frame around a key already taken
        out.append(b)
    return out[:_MAX_INSIDE_READS]


def _fences(shapes: list[Shape], ox: int, oy: int) -> list[Rect]:
    """Control boxes, in the read image's coordinates, that no text line crosses: buttons,
    fields and drop-downs, and check boxes and radios drawn as closed outlines ("Remember me
    ☐ Email me news" is two labels, not one). Other circles and filled squares are not
    fences: a bold letter's outline looks like one ("F" of "File" at 150 %), and cutting a
    word at it would lose the word. Nor is a closed outline clearly narrower than it is
    tall and than a key: that is the counter of a large capital ("O" of "CONTINUE", read as
    "C" and "NTINUE" when it fenced the line; "D" of "Department", read as "epartment"),
    while a control that holds text is wider than tall or a key-sized square, and a check
    box is square."""
    return [
        s.box.translate(-ox, -oy)
        for s in shapes
        if not _counter(s.box)
        and (
            (s.form == "rect" and 12 <= s.box.h <= _CONTROL_MAX_H)
            or (s.closed and 10 <= s.box.h <= 28)
        )
    ]


_KEY_MIN_W = 16  # px: the narrowest control that holds text (a one-character key)


def _counter(box: Rect) -> bool:
    """Clearly narrower than tall (a check box's square is within a pixel or two of even)
    and narrower than a key, but at most twice as tall as wide: a long thin strip (a scroll
    bar's trough) still keeps two text columns apart."""
    return box.w + 2 < box.h <= 2 * box.w and box.w < _KEY_MIN_W


# Detected controls sure enough to cut a text line at their edges, by class: a check box or
# radio with its label (where one ends the next begins) needs a surer detection, since a
# letter read as an indicator would cut its own word.
_FENCE_SCORES = {
    "button": 0.2,
    "tab": 0.2,
    "field": 0.2,
    "combo": 0.2,
    "checkbox": 0.3,
    "radio": 0.3,
}


def _detected_fences(
    detections: list[Detection], ox: int, oy: int, drawn: list[Rect]
) -> list[Rect]:
    """The detector's sure controls as fences too, where no drawn edge is: links drawn as a
    row of icon-and-word items ("⚙General 👤Account 🔔Notifications") and a row of radios
    have no edges for the proposals to find, and the text detector joins them into one line
    that no single target can match. Where the proposals found a control's edges (``drawn``,
    the other fences) those are the truth: a detection a few pixels off would cut its
    caption ("Previou s")."""
    boxes = [
        d.box.translate(-ox, -oy)
        for d in detections
        if d.score >= _FENCE_SCORES.get(d.cls, 2.0) and 16 <= d.box.h <= _CONTROL_MAX_H
    ]
    return [b for b in boxes if not any(b.intersects(f) for f in drawn)]


def _inside(box: Rect, regions: list[Rect]) -> bool:
    return any(r.contains(box) for r in regions)


class Perceiver:
    """Turns frames into screen states; remembers the last frame to work incrementally.

    Not thread-safe per instance (it holds the previous frame); use one per session.
    """

    def __init__(
        self,
        ocr: OcrEngine | None = None,
        settings: OcrSettings | None = None,
        detector: ElementDetector | bool = True,
        icons: IconNamer | bool = True,
        accessibility: AccessibilitySource | None = None,
        a11y_budget: float = 1.0,
        a11y_wait: float = 0.15,
    ) -> None:
        """``detector``: True loads the shipped UI-element detector on first use (none when
        the manifest has no entry), False perceives with OCR and OpenCV alone. ``icons``:
        the same for the icon classifier that names icon-only controls. ``accessibility``:
        a tree source read beside OCR on every pass and fused in (None: pixels only);
        ``a11y_budget`` bounds its read, in seconds, and ``a11y_wait`` how long a pass that is
        otherwise done may wait for it: the read runs beside OCR, so a tree that takes as
        long as OCR costs nothing, and a slow or hung one delays a pass by ``a11y_wait`` at
        most (that frame goes without it)."""
        self._ocr = ocr
        self._settings = settings
        self._detector: ElementDetector | bool = detector
        self._icons: IconNaming | bool = (
            IconNaming(icons) if isinstance(icons, IconNamer) else icons
        )
        self._prev: _Layers | None = None
        self.stats = PerceptionStats()
        self.accessibility = accessibility
        self.a11y_budget = a11y_budget
        self.a11y_wait = a11y_wait
        self._tree_pool: ThreadPoolExecutor | None = None
        self._tree: Future[A11ySnapshot] | None = None
        self._tree_started = 0.0
        self._tree_fresh = False
        self._tree_kept: list[A11yNode] | None = None  # the last read's nodes a refresh keeps
        self._tree_asked = -1  # nodes a refresh asked about again (-1: a whole read)
        self.last_tree: A11ySnapshot | None = None

    @property
    def detector(self) -> ElementDetector | None:
        if self._detector is True:
            self._detector = default_detector() or False
        return self._detector if isinstance(self._detector, ElementDetector) else None

    def _detect(self, frame: Frame, region: Rect | None = None) -> list[Detection]:
        """The detector over the frame, or over one region of it (desktop coordinates)."""
        det = self.detector
        if det is None:
            return []
        crop = frame if region is None else frame.crop(region)
        ox, oy = crop.origin.x, crop.origin.y
        found = det.detect(crop.pixels)
        if region is not None:
            # a box flush with a crop edge that is not the frame's edge: the crop cut it
            fb, w, h = frame.box, crop.box.w, crop.box.h
            found = [
                d
                for d in found
                if (d.box.x > 1 or crop.box.x == fb.x)
                and (d.box.y > 1 or crop.box.y == fb.y)
                and (d.box.right < w - 1 or crop.box.right == fb.right)
                and (d.box.bottom < h - 1 or crop.box.bottom == fb.bottom)
            ]
        return [replace(d, box=d.box.translate(ox, oy)) for d in found]

    @property
    def icon_naming(self) -> IconNaming | None:
        if self._icons is True:
            namer = default_icon_namer()
            self._icons = IconNaming(namer) if namer is not None else False
        return self._icons if isinstance(self._icons, IconNaming) else None

    @property
    def ocr(self) -> OcrEngine:
        if self._ocr is None:
            self._ocr = OcrEngine(self._settings)
        return self._ocr

    def reset(self) -> None:
        self._prev = None

    def close(self) -> None:
        """Stop the tree reader's thread and connection (a no-op without a tree source)."""
        if self._tree_pool is not None:
            self._tree_pool.shutdown(wait=False, cancel_futures=True)
            self._tree_pool = None
        if self.accessibility is not None:
            self.accessibility.close()

    # -- the accessibility tree, read beside OCR -------------------------------------------
    def _start_tree(self, changed: list[Rect] | None = None) -> None:
        """Start this pass's tree read: the whole tree, or, when only ``changed`` (a small
        part of a frame whose last read was whole) moved, just the nodes there, asked again
        in two round trips; the rest of the last read stands."""
        self._tree_fresh, self._tree_kept = False, None
        source = self.accessibility
        if source is None or (self._tree is not None and not self._tree.done()):
            return  # a read still running from an earlier frame is not stacked on
        if self._tree_pool is None:
            self._tree_pool = ThreadPoolExecutor(1, thread_name_prefix="a11y")
        self._tree_started, self._tree_fresh = time.perf_counter(), True
        last = self.last_tree
        if changed and last is not None and last.complete and last.nodes:
            near = [r.expand(8) for r in changed]
            again = [n for n in last.nodes if any(n.box.intersects(r) for r in near)]
            self._tree_kept = [n for n in last.nodes if not any(n.box.intersects(r) for r in near)]
            self._tree_asked = len(again)
            self._tree = self._tree_pool.submit(source.refresh, again, self.a11y_budget)
            return
        self._tree_asked = -1  # the whole tree
        self._tree = self._tree_pool.submit(source.read, self.a11y_budget)

    def _with_tree(self, elements: list[Element], frame: Rect, timings: dict[str, float],
                   dirty: list[Rect] | None) -> list[Element]:  # fmt: skip
        """Fuse this pass's tree read in, if it came within the bound. A read that did not
        leaves the previous read's nodes where nothing changed (an incremental pass knows
        where); a full pass then goes without the tree, since anything may have moved."""
        tree = self._tree
        t = time.perf_counter()
        snap: A11ySnapshot | None = None
        if tree is not None and self._tree_fresh:
            # The read ran beside OCR; a pass waits for it only a short while once done.
            left = min(self._tree_started + self.a11y_budget + 0.02, t + self.a11y_wait) - t
            try:
                snap = tree.result(timeout=max(0.0, left))
                self._tree = None
            except FuturesTimeout:
                pass  # too slow for this frame; no new read is stacked on it
        elif tree is not None and tree.done():
            self._tree = None  # an earlier frame's late read: stale for this one
        if snap is None or not snap.complete:
            last = self.last_tree
            if last is None or dirty is None or not last.nodes:
                return elements
            kept = [n for n in last.nodes if not any(n.box.intersects(d) for d in dirty)]
            timings["a11y_reused"] = float(len(kept))
            return fuse_tree(elements, kept, frame) if kept else elements
        if self._tree_kept is not None:
            snap = _merged(self._tree_kept, snap, self.last_tree)
            timings["a11y_asked"] = float(self._tree_asked)
        self.last_tree = snap
        timings["a11y"] = snap.seconds
        if not snap.nodes:
            return elements
        timings["a11y_wait"] = time.perf_counter() - t  # beyond vision: <= a11y_wait
        t = time.perf_counter()
        fused = fuse_tree(elements, snap.nodes, frame)
        timings["a11y_fuse"] = time.perf_counter() - t
        return fused

    def perceive(self, frame: Frame | np.ndarray, *, incremental: bool = True) -> ScreenState:
        if not isinstance(frame, Frame):
            frame = Frame.from_array(frame)
        t0 = time.perf_counter()
        prev = self._prev if incremental else None
        regions: list[Rect] | None = None
        if prev is not None and prev.box == frame.box:
            regions = changed_regions(prev.pixels, frame.pixels, tile=32, threshold=8, gap=1)
            regions = [r.translate(frame.origin.x, frame.origin.y) for r in regions]
            if not regions:
                self.stats.unchanged += 1
                self.stats.last_mode, self.stats.last_dirty = "unchanged", []
                state = replace(prev.state, timestamp=time.time(), timings={"total": 0.0})
                state.timings["total"] = time.perf_counter() - t0
                prev.state = state
                return state
        changed = sum(r.area for r in regions or []) / max(1, frame.box.area)
        small = prev is not None and bool(regions) and changed <= _FULL_PASS_FRACTION
        self._start_tree(regions if small else None)  # runs beside OCR; joined in _finish
        if small and prev is not None and regions:
            return self._incremental(frame, prev, regions, t0)
        return self._full(frame, t0)

    # -- passes ----------------------------------------------------------------------------
    def _full(self, frame: Frame, t0: float) -> ScreenState:
        ox, oy = frame.origin.x, frame.origin.y
        t = time.perf_counter()
        shapes = [_shift_shape(s, ox, oy) for s in propose(frame.pixels)]
        t_prop = time.perf_counter() - t
        t = time.perf_counter()
        regions = content_regions(frame.pixels)
        if regions is None:
            detections = self._detect(frame)
        else:  # only where something is drawn, as the text detector does
            detections = [d for r in regions for d in self._detect(frame, r.translate(ox, oy))]
        t_det = time.perf_counter() - t
        t = time.perf_counter()
        fences = _fences(shapes, ox, oy)
        fences += _detected_fences(detections, ox, oy, fences)
        h, w = frame.pixels.shape[:2]
        drawn = regions if regions is not None else [Rect(0, 0, w, h)]
        read = self.ocr.read(frame.pixels, fences=fences, regions=drawn)
        texts = [_shift_text(x, ox, oy) for x in read]
        t_ocr = time.perf_counter() - t
        self.stats.full_passes += 1
        self.stats.last_mode, self.stats.last_dirty = "full", [frame.box]
        timings = {"proposals": t_prop, "ocr": t_ocr, "detector": t_det}
        texts += self._read_controls(frame, texts, shapes, detections, [frame.box], timings)
        return self._finish(frame, texts, shapes, detections, t0, timings, None)

    def _read_controls(
        self,
        frame: Frame,
        texts: list[TextLine],
        shapes: list[Shape],
        detections: list[Detection],
        regions: list[Rect],
        timings: dict[str, float],
    ) -> list[TextLine]:
        """Lines read inside the controls of ``regions`` that no detected line falls in."""
        t = time.perf_counter()
        boxes = [b for b in _textless_controls(texts, shapes, detections) if _inside(b, regions)]
        ox, oy = frame.origin.x, frame.origin.y
        local = [b.translate(-ox, -oy) for b in boxes]
        found = [_shift_text(x, ox, oy) for x in self.ocr.read_inside(frame.pixels, local)]
        timings["ocr"] = timings.get("ocr", 0.0) + time.perf_counter() - t
        return found

    def _incremental(
        self, frame: Frame, prev: _Layers, regions: list[Rect], t0: float
    ) -> ScreenState:
        bounds = frame.box
        old_text_boxes = [t.box for t in prev.texts]
        controls = [s.box for s in prev.shapes if s.box.h <= _CONTROL_MAX_H]
        # A tile's change may be the tail of a line ("Alice" -> "Alice Smith"): look one tile
        # sideways for the rest of the line, then take whole lines and whole controls.
        # Growth runs to a fixed point over lines and controls together, margin included: a
        # box the dirty area only clips would be dropped from the old layers and not be whole
        # in the re-read crop, and so vanish (a label next to a field that was typed into).
        whole = old_text_boxes + controls

        dirty = [_grow(r.expand(32, 4).clip(bounds), whole, bounds, 4) for r in regions]
        while True:  # merging can make a region clip a box again
            merged = merge_overlapping(dirty)
            again = [_grow(d, whole, bounds, 4) for d in merged]
            if again == merged:
                break
            dirty = again
        dirty = merged
        texts = [t for t in prev.texts if not any(t.box.intersects(d) for d in dirty)]
        shapes = [
            s
            for s in prev.shapes
            if not any(
                d.contains(s.box) or (s.box.h <= _CONTROL_MAX_H and s.box.intersects(d))
                for d in dirty
            )
        ]
        t_ocr = t_prop = 0.0
        for d in dirty:
            crop = frame.crop(d)
            t = time.perf_counter()
            inner = Rect(0, 0, d.w, d.h).expand(-1)
            found = [s for s in propose(crop.pixels) if inner.contains(s.box)]
            shapes += [_shift_shape(s, d.x, d.y) for s in found]
            t_prop += time.perf_counter() - t
            t = time.perf_counter()
            # the controls detected there last time fence its lines as in a full pass
            known = [det for det in prev.detections if d.contains(det.box)]
            fences = _fences(found, 0, 0)
            fences += _detected_fences(known, d.x, d.y, fences)
            read = self.ocr.read(crop.pixels, fences=fences)
            texts += [_shift_text(x, d.x, d.y) for x in read]
            t_ocr += time.perf_counter() - t
        # The detector sees more context than OCR needs: each change plus a margin, grown to
        # whole earlier detections, so a widget is either re-detected whole or kept.
        t = time.perf_counter()
        old = [d.box for d in prev.detections]
        grown = [_grow(d.expand(48).clip(bounds), old, bounds, 8) for d in dirty]
        regions = merge_overlapping(grown)
        detections = [d for d in prev.detections if not any(d.box.intersects(r) for r in regions)]
        for r in regions:
            detections += self._detect(frame, r)
        t_det = time.perf_counter() - t
        self.stats.incremental_passes += 1
        self.stats.last_mode, self.stats.last_dirty = "incremental", dirty
        timings = {"proposals": t_prop, "ocr": t_ocr, "detector": t_det}
        texts += self._read_controls(frame, texts, shapes, detections, dirty, timings)
        return self._finish(frame, texts, shapes, detections, t0, timings, dirty)

    def _finish(
        self,
        frame: Frame,
        texts: list[TextLine],
        shapes: list[Shape],
        detections: list[Detection],
        t0: float,
        timings: dict[str, float],
        dirty: list[Rect] | None,
    ) -> ScreenState:
        t = time.perf_counter()
        elements = letters_of_labels(fuse(texts, shapes, detections))
        det = self.detector
        check = det.choice_check if det is not None else None
        if check is not None:
            elements = verify_choices(elements, frame.pixels, frame.box, check)
        timings["fuse"] = time.perf_counter() - t
        t = time.perf_counter()
        elements = letters_read(elements, frame.pixels, frame.box, self.ocr)
        timings["ocr"] = timings.get("ocr", 0.0) + time.perf_counter() - t
        naming = self.icon_naming
        if naming is not None:
            t = time.perf_counter()
            elements = naming.name(elements, frame.pixels, frame.box)
            timings["icons"] = time.perf_counter() - t
        elements = self._with_tree(elements, frame.box, timings, dirty)
        timings["total"] = time.perf_counter() - t0
        state = ScreenState(elements, frame.box, time.time(), timings)
        # Keep our own copy: the caller may reuse or mutate the frame's buffer.
        self._prev = _Layers(frame.pixels.copy(), frame.box, texts, shapes, detections, state)
        return state


def _merged(kept: list[A11yNode], fresh: A11ySnapshot, last: A11ySnapshot | None) -> A11ySnapshot:
    """A refresh's nodes beside the ones it did not need to ask about. A node that lost its
    name in the refresh (a check column's cell, named from its row) keeps the old one."""
    names = {(n.app, n.path): n.name for n in (last.nodes if last is not None else [])}
    nodes = [n if n.name else replace(n, name=names.get((n.app, n.path), "")) for n in fresh.nodes]
    apps = last.apps if last is not None else fresh.apps
    return A11ySnapshot(kept + nodes, apps, fresh.seconds, fresh.complete, fresh.error)


_default: Perceiver | None = None
_default_lock = threading.Lock()


def perceive(frame: Frame | np.ndarray, *, incremental: bool = True) -> ScreenState:
    """Perceive with a process-wide perceiver (models loaded once, on first use)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Perceiver()
        return _default.perceive(frame, incremental=incremental)


__all__ = ["Perceiver", "PerceptionStats", "Point", "perceive"]
