"""Non-text UI elements from pixels with OpenCV, fused with OCR text into typed elements.

Two cheap passes over an edge map find what OCR cannot:
- *closed rectangles*: regions free of edges whose bounding ring is (almost) all edge — the
  inside of a field, a button, a check box, a list; an integral image makes the ring test O(1);
- *small blobs*: outer contours of 8–48 px shapes — radio circles, check boxes, icons.
Fusion then decides kinds from geometry and text: a rectangle that hugs a centred label is a
button, a wide one with left-aligned or no text is a field, a small square with a label to its
right is a check box. So a button's box is the button, not only its label.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

import cv2
import numpy as np

from gui_agent.geometry import Rect
from gui_agent.perception.detector import Detection
from gui_agent.perception.indicator import corner_fill, is_bare
from gui_agent.perception.ocr import TextLine
from gui_agent.perception.state import Element, ElementKind

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Shape:
    """A geometric proposal in image coordinates (before fusion gives it a kind)."""

    box: Rect
    form: str  # "rect" | "square" | "circle" | "blob"
    fill: float = 0.0  # share of dark/ink pixels inside (check marks, radio dots, icons)
    arrow: bool = False  # a drop-down arrow near the right end (combo boxes)
    # bounded by a closed ring of edges (the rectangle pass): a drawn box or ring, square or
    # round (a check box's or a radio's), never a letter
    closed: bool = False


# -- proposals -----------------------------------------------------------------------------


_KERNEL = np.ones((3, 3), np.uint8)
# a closed small outline whose inside fills less of its box's corners than this is round
_SQUARE_CORNERS = 0.25


def _edges(gray: np.ndarray) -> np.ndarray:
    """A 3-px band around every contrast step (morphological gradient, thresholded).

    Unlike Canny it never breaks a 1-px border into dashes (focus frames, double lines), so a
    widget's inside stays a closed region. The low threshold keeps dark-theme borders that sit
    a few grey levels off the background.
    """
    grad = cv2.morphologyEx(gray, cv2.MORPH_GRADIENT, _KERNEL)
    return np.where(grad > 10, np.uint8(255), np.uint8(0))


def _ring_coverage(integral: np.ndarray, r: Rect) -> float:
    """Share of the 1-px ring just outside ``r`` that is edge (from a 1-px-dilated edge map)."""
    x0, y0, x1, y1 = r.x - 1, r.y - 1, r.right + 1, r.bottom + 1
    if x0 < 0 or y0 < 0 or x1 >= integral.shape[1] or y1 >= integral.shape[0]:
        return 0.0
    outer = integral[y1, x1] - integral[y0, x1] - integral[y1, x0] + integral[y0, x0]
    inner = (
        integral[r.bottom, r.right]
        - integral[r.y, r.right]
        - integral[r.bottom, r.x]
        + integral[r.y, r.x]
    )
    ring = 2 * (r.w + 2) + 2 * r.h
    return float(outer - inner) / ring


def _ink_fill(gray: np.ndarray, r: Rect) -> float:
    m = max(2, round(min(r.w, r.h) * 0.2))  # skip the border and its anti-aliasing at any scale
    inner = gray[r.y + m : r.bottom - m, r.x + m : r.right - m]
    if inner.size == 0:
        return 0.0
    bg = int(np.median(inner))
    return float(np.mean(np.abs(inner.astype(np.int16) - bg) > 60))


def _has_arrow(gray: np.ndarray, r: Rect) -> bool:
    """A combo box's drop-down arrow: ink in the right end, about at mid-height."""
    strip = gray[r.y + 2 : r.bottom - 2, max(r.x, r.right - r.h) : r.right - 2]
    if strip.size == 0:
        return False
    bg = int(np.median(gray[r.y + 2 : r.bottom - 2, r.x + 2 : r.x + 2 + r.h]))
    ink = np.abs(strip.astype(np.int16) - bg) > 60
    cols = np.flatnonzero(ink.any(axis=0))
    return 0 < cols.size <= r.h and ink.sum() >= 6


def _isolated(gray: np.ndarray, r: Rect, margin: int = 3) -> bool:
    """No ink within ``margin`` px left or right of ``r``: true of a check box or radio,
    false of a letter's round counter or an 'o' inside a word."""
    y0, y1 = max(0, r.y), min(gray.shape[0], r.bottom)
    left = gray[y0:y1, max(0, r.x - margin) : max(0, r.x - 1)]
    right = gray[y0:y1, r.right + 1 : r.right + margin + 1]
    for strip in (left, right):
        if strip.size and int(strip.max()) - int(strip.min()) > 60:
            return False
    return True


def propose(img: np.ndarray) -> list[Shape]:
    """Rectangles and small blobs in a BGR image (image coordinates)."""
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY) if img.ndim == 3 else img
    edges = _edges(gray)
    integral = cv2.integral((edges > 0).astype(np.uint8))
    shapes: list[Shape] = []

    # Closed rectangles: connected regions without edges, bounded by an edge ring.
    free = (edges == 0).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(free, connectivity=4)
    big = gray.shape[0] * gray.shape[1] * 0.9
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        if w < 8 or h < 8 or w * h > big or area < 0.4 * w * h:
            continue
        r = Rect(x, y, w, h)
        ring = _ring_coverage(integral, r)
        if ring < 0.8:
            continue
        outer = r.expand(2)  # the inside plus the 1-px border line
        if abs(w - h) <= 3 and w <= 22:
            if ring > 0.95 and _isolated(gray, outer):
                # a radio's ring closes its inside too: that inside leaves its box's corners
                # empty, a square's fills them (a tick lies in the middle)
                inside = (labels[y : y + h, x : x + w] == i).astype(np.uint8)
                form = "square" if corner_fill(inside) >= _SQUARE_CORNERS else "circle"
                shapes.append(Shape(outer, form, _ink_fill(gray, outer), closed=True))
        else:
            arrow = 14 <= h <= 48 and w >= 3 * h and _has_arrow(gray, outer)
            shapes.append(Shape(outer, "rect", 0.0, arrow))

    # Small blobs: radio circles (not closed rectangles) and icons.
    # RETR_CCOMP puts shapes inside a frame's hole on the top level too (radios in a group box).
    contours, hierarchy = cv2.findContours(edges, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    for c, link in zip(contours, hierarchy[0] if hierarchy is not None else [], strict=False):
        if link[3] != -1:
            continue  # a hole, not an outer boundary
        x, y, w, h = cv2.boundingRect(c)
        if not (8 <= w <= 64 and 8 <= h <= 64) or max(w, h) > 2 * min(w, h):
            continue
        r = Rect(x, y, w, h)
        fill_ratio = cv2.contourArea(c) / float(w * h)
        control_size = (
            abs(w - h) <= 3 and min(w, h) >= 11 and max(w, h) <= 26 and _isolated(gray, r, 2)
        )
        if control_size and 0.6 <= fill_ratio < 0.84:
            shapes.append(Shape(r, "circle", _ink_fill(gray, r)))
        elif control_size and fill_ratio >= 0.84:
            shapes.append(Shape(r, "square", _ink_fill(gray, r)))
        elif w >= 12 and h >= 12:
            # For a blob, ``fill`` is its inner detail: edge pixels in its middle 60 %. Icons
            # have some; an empty frame or a flat swatch has none.
            mx, my = max(1, w // 5), max(1, h // 5)
            inner = edges[y + my : y + h - my, x + mx : x + w - mx]
            shapes.append(Shape(r, "blob", float(np.mean(inner > 0)) if inner.size else 0.0))
    return shapes


# -- fusion --------------------------------------------------------------------------------


def _same_row(a: Rect, b: Rect) -> bool:
    return abs(a.cy - b.cy) <= max(a.h, b.h) * 0.6


def _beside(indicator: Rect, words: Rect, lines: Sequence[TextLine]) -> bool:
    """An indicator is drawn level with its words: its middle lies within their line, or
    within the block their line makes with the lines right above or below it (a table
    cell's label in two lines, the box centred on both). One on the row's edge (a square
    the edges close in a textured background, below a sidebar's title) is no control of
    theirs."""
    if not _same_row(indicator, words):
        return False
    top, bottom, near = words.y, words.bottom, 0.25 * words.h
    for u in lines:
        b = u.box
        if b == words or b.right <= words.x or words.right <= b.x:
            continue
        if abs(b.y - words.bottom) <= near:
            bottom = max(bottom, b.bottom)
        elif abs(words.y - b.bottom) <= near:
            top = min(top, b.y)
    return top <= indicator.cy <= bottom


def _dedupe(shapes: list[Shape]) -> list[Shape]:
    """Nested borders (Fusion draws a frame and a bevel) give near-identical boxes: keep the
    outermost of each cluster."""
    kept: list[Shape] = []
    for s in sorted(shapes, key=lambda s: -s.box.area):
        if any(
            k.box.contains(s.box.expand(-1)) and s.box.area > 0.7 * k.box.area and k.form == s.form
            for k in kept
        ):
            continue
        kept.append(s)
    return kept


def _dedupe_small(shapes: list[Shape]) -> list[Shape]:
    """The rectangle pass and the contour pass both see a check box: keep one, outer first."""
    kept: list[Shape] = []
    for s in sorted(shapes, key=lambda s: -s.box.area):
        if not any(k.box.iou(s.box) > 0.3 or k.box.contains(s.box) for k in kept):
            kept.append(s)
    return kept


@dataclass(slots=True)
class _Draft:
    kind: ElementKind
    box: Rect
    text: str = ""
    confidence: float = 0.8
    label_box: Rect | None = None
    checked: bool | None = None
    chars: tuple[int, ...] = ()


# Detected kinds whose frame may hold an icon and a caption, and how sure a detection must be
# to overrule the geometry's reading of them as a check box or radio and its label (on the
# held-out sets 0.25 removes no more fakes, and 0.2 already takes a real check box).
_FRAMING = ("button", "tab")
_FRAMING_SCORE = 0.3
# A frame this many times the pair's area or more holds an icon and caption, not a check box
# and its label: a button's padding surrounds them. A button the detector is sure of may
# hold them closer (a tool button's icon and caption fill it), while a weak tab around a
# real check box and its label is about as tight (held-out sets: buttons at 0.68-0.82 around
# icons at 1.46-1.96 times, tabs at 0.32-0.56 around real check boxes at 1.54-1.91 times).
_ROOMY, _ROOMY_SURE, _SURE_BUTTON = 2.0, 1.3, 0.6

_GLYPHS = {"o", "O", "0", "口", "□", "☐", "☑", "✓", "√", "V", "v", "回", "a", "D"}


def _letter_drawn_there(t: TextLine, box: Rect) -> bool:
    """The recogniser placed the line's first character on ``box`` and read it as the first
    letter of a word, one no indicator is read as: the closed outline there is that letter's
    ("B" of "By creating", "N" of a heading), not a radio or check box before the words. A
    letter standing alone before the words ("C Nightly") is OCR's reading of the control.
    A letter an indicator is also read as ("o", "a", "O") is the word's own when the word
    goes on in lower case ("or", "are", "Olivia") and its outline is no square: indicators
    are drawn as wide as tall, and a label glued to one may start in lower case ("Osmall")."""
    first = t.text[:1]
    word = t.text.partition(" ")[0]
    return (
        bool(t.chars)
        and len(word) >= 2
        and first.isalnum()
        and (first not in _GLYPHS or (first.isalpha() and word[1].islower() and _oblong(box)))
        and box.x <= t.chars[0] <= box.right
    )


def _oblong(box: Rect) -> bool:
    """Clearly taller than wide or wider than tall: a letter's outline ("a" 12 x 15), not
    an indicator's (13 x 13; a pixel off at most)."""
    return abs(box.w - box.h) > max(1.0, 0.08 * max(box.w, box.h))


def _inside_a_word(box: Rect, texts: Sequence[TextLine]) -> bool:
    """Whether a line read on this row runs into ``box`` from its left: the small closed
    outline is then one of that word's letters ("C" then "O" of "CONTINUE", where the
    outline's counter cut the line; "n" of "an"). OCR reads a real indicator as the first
    character of its label's line ("ODaily"), never as the last of a word before it. The
    label of the choice before it in a row may end right at it (Chromium's radios have a
    3-px margin), so a line that only touches it must be a fragment of one or two letters."""
    return any(
        t.box.x < box.x - box.w // 2
        and _same_row(t.box, box)
        and t.text[-1:].isalpha()
        and (t.box.right >= box.cx or (_short(t.text) and box.x - 1 <= t.box.right <= box.right))
        and any(c < box.x for c in t.chars)
        for t in texts
    )


def _an_icon_to_the_detector(box: Rect, detections: Sequence[Detection]) -> bool:
    """An outline clearly taller than wide or wider than tall (a book, a bag, "!" in a
    frame: favicons), which the detector takes for an icon and for no check box or radio:
    an indicator is drawn as wide as tall, and two cues agree that this is none."""
    if not _oblong(box):
        return False
    on = [d for d in detections if d.box.iou(box) >= 0.5]
    return any(d.cls == "icon" for d in on) and not any(
        d.cls in ("checkbox", "radio") and d.box.intersection(box).area >= 0.5 * box.area
        for d in detections
    )


def _framed(frame: Rect, indicator: Rect, label: Rect, room: float = _ROOMY) -> bool:
    """A detected button or tab holds both the would-be indicator and its label, with
    ``room`` times their area: the pair is the button's icon (or first letter) and caption.
    A check box and its label are never drawn inside a button's frame."""
    return (
        frame.contains(indicator.expand(-1))
        and frame.contains(label.expand(-2))
        and (frame.area > room * indicator.union(label).area)
    )


def _after_a_tail(t: TextLine, box: Rect, texts: Sequence[TextLine]) -> TextLine | None:
    """The words after the control at ``box`` when ``t`` reads it as a glyph standing alone
    after the tail of the word before it ("s O Current page"), and another line already
    holds that tail ("All pages"): in a row of inline radios the text detector's box for one
    label may start a letter early. The tail is read twice, so it is dropped; None when
    ``t`` is no such line."""
    head, _, rest = t.text.partition(" ")
    glyph, _, words = rest.partition(" ")
    if not (
        len(t.chars) == len(t.text)
        and 1 <= len(head) <= 2
        and head.isalpha()
        and glyph in _GLYPHS
        and words
        and box.x > t.box.x
        and box.x <= t.chars[len(head) + 1] <= box.right
        and _same_row(t.box, box)
    ):
        return None
    # the other line's box runs into this one's: the tail lies in both
    if not any(
        u is not t and u.box.x < t.box.x < u.box.right and _same_row(u.box, t.box) for u in texts
    ):
        return None
    start = len(head) + len(glyph) + 2
    return TextLine(
        Rect.from_ltrb(box.right + 1, t.box.y, t.box.right, t.box.bottom),
        words,
        t.score,
        t.chars[start:],
    )


def _split_leading_controls(texts: list[TextLine], smalls: list[Shape]) -> list[TextLine]:
    """OCR boxes often swallow the check box or radio right before a label ("O Pro"): cut the
    control out of the box and drop the glyph OCR read for it."""
    out: list[TextLine] = []
    for t in texts:
        for s in smalls:
            b = s.box
            after = _after_a_tail(t, b, texts)
            if after is not None:
                t = after
                break
            # The control sits at the box's left end, possibly sticking out of it.
            at_start = t.box.x - b.w <= b.x <= t.box.x + 8 and b.right < t.box.right - 4
            if at_start and b.overlap_ratio(t.box) > 0.3 and _same_row(b, t.box):
                if _letter_drawn_there(t, b):
                    break  # the "control" is the outline of the line's own first letter
                text = t.text
                head, _, rest = text.partition(" ")
                if rest and len(head) == 1 and head in _GLYPHS:
                    text = rest
                elif len(text) > 1 and text[0] in _GLYPHS - {"a", "D", "o", "v", "V", "O"}:
                    text = text[1:].lstrip()
                box = Rect.from_ltrb(b.right + 1, t.box.y, t.box.right, t.box.bottom)
                t = TextLine(box, text, t.score, t.chars[len(t.text) - len(text) :])
                break
        out.append(t)
    return out


def fuse(
    texts: list[TextLine], shapes: list[Shape], detections: Sequence[Detection] = ()
) -> list[Element]:
    """Typed elements, in reading order, from OCR lines, shape proposals and the detector's
    detections (all in the same coordinates).

    The result depends only on the sets given, not their order: an incremental pass hands in
    the same lines and shapes as a full pass, but in another order.
    """
    texts = sorted(texts, key=lambda t: (t.box.y, t.box.x, t.box.w, t.box.h, t.text))
    shapes = sorted(shapes, key=lambda s: (s.form, s.box.y, s.box.x, s.box.w, s.box.h))
    read = texts  # as OCR read them: a label's lines before any control is cut out of them
    texts = _split_leading_controls(texts, [s for s in shapes if s.form in ("square", "circle")])
    rects = _dedupe([s for s in shapes if s.form == "rect"])
    smalls = [s for s in shapes if s.form in ("square", "circle")]
    blobs = [s for s in shapes if s.form == "blob"]
    used: set[int] = set()
    drafts: list[_Draft] = []
    icons: list[tuple[Rect, float]] = []  # candidates, merged at the end

    def texts_in(box: Rect) -> list[int]:
        return [
            i
            for i, t in enumerate(texts)
            if box.contains_point(t.box.center) and t.box.overlap_ratio(box) > 0.6
        ]

    # Rectangles: buttons, fields, combo boxes, containers.
    others = [
        s.box
        for s in shapes
        if s.form != "blob" and not any(s.box.overlap_ratio(t.box) > 0.5 for t in texts)
    ]
    for s in sorted(rects, key=lambda s: s.box.area):
        r = s.box
        inside = texts_in(r)
        holds_shapes = any(r.contains(o) and o.area < 0.5 * r.area for o in others)
        if r.h > 64 or holds_shapes or (r.h > 48 and len(inside) > 1):
            kind = (
                ElementKind.LIST if len(inside) >= 3 and not holds_shapes else ElementKind.CONTAINER
            )
            drafts.append(_Draft(kind, r, confidence=0.5))
            continue
        if r.h < 12:
            continue
        own = sorted((i for i in inside if i not in used), key=lambda i: texts[i].box.x)
        if any(
            texts[b].box.x - texts[a].box.right > 0.45 * texts[a].box.h
            for a, b in itertools.pairwise(own)
        ):
            # Words far apart in one strip: a menu bar, tab bar or status bar, not a field.
            drafts.append(_Draft(ElementKind.CONTAINER, r, confidence=0.5))
            continue
        text = " ".join(texts[i].text for i in own)
        read_box = _union([texts[i].box for i in own])
        centred = len(own) == 1 and _centred(texts[own[0]].box, r)
        if centred and r.w < 6 * r.h + texts[own[0]].box.w:
            drafts.append(_Draft(ElementKind.BUTTON, r, text, 0.9, texts[own[0]].box))
        elif s.arrow:
            drafts.append(_Draft(ElementKind.COMBO, r, text, 0.8, read_box))
        elif r.w >= 3 * r.h:
            drafts.append(_Draft(ElementKind.FIELD, r, text, 0.85, read_box))
        elif not own and r.w <= 64:
            icons.append((r, 0.6))
        else:
            drafts.append(_Draft(ElementKind.BUTTON, r, text, 0.6, read_box))
        used.update(own)

    # Check boxes and radio buttons: a small square or circle with a label to its right.
    claimed: list[Rect] = [
        d.box for d in drafts if d.kind not in (ElementKind.LIST, ElementKind.CONTAINER)
    ]
    glyph_boxes = [s.box for s in shapes if s.form != "rect"]
    framing = [
        (d.box, _ROOMY_SURE if d.cls == "button" and d.score >= _SURE_BUTTON else _ROOMY)
        for d in detections
        if d.cls in _FRAMING and d.score >= _FRAMING_SCORE
    ]
    for s in _dedupe_small(smalls):
        over = [
            i
            for i, t in enumerate(texts)
            if s.box.overlap_ratio(t.box) > 0.3 or t.box.overlap_ratio(s.box) > 0.5
        ]
        if any(not _short(texts[i].text) for i in over):
            continue  # a letter's counter inside a word, not a control
        if any(c.contains(s.box) and c.area > 2 * s.box.area for c in claimed):
            continue  # a square inside a button or field is decoration
        if _inside_a_word(s.box, texts):
            continue  # "O" of "CONTINUE", "n" of "an": a letter's outline, not a control
        label = None
        for i, t in enumerate(texts):
            gap = t.box.x - s.box.right
            # a label's padded box may reach a few pixels into the indicator
            near = -max(4, s.box.w // 3) <= gap <= 3 * s.box.w
            if i in used or i in over or not (near and _beside(s.box, t.box, read)):
                continue
            if _short(t.text) and any(g.intersects(t.box) for g in glyph_boxes if g != s.box):
                continue  # OCR's reading of the next icon, not a label
            if not _wordlike(t.text):
                continue  # "×α+": OCR's reading of a row of pictograms, not a label
            if label is None or t.box.x < texts[label].box.x:
                label = i
        if label is None or _an_icon_to_the_detector(s.box, detections):
            # An unlabelled small square or circle is far more often an icon than a control.
            icons.append((s.box, 0.5))
            continue
        if any(_framed(b, s.box, texts[label].box, room) for b, room in framing):
            continue  # an icon or a letter on a button's face ("OPEN"), not a control
        kind = ElementKind.CHECKBOX if s.form == "square" else ElementKind.RADIO
        checked = s.fill > (0.08 if kind is ElementKind.CHECKBOX else 0.12)
        used.add(label)
        used.update(over)  # OCR's reading of the check mark or radio dot
        drafts.append(_Draft(kind, s.box, texts[label].text, 0.85, texts[label].box, checked))
        claimed.append(s.box)

    # Icons: blobs with inner detail that are neither words nor part of another control.
    words = [t.box for t in texts if not _short(t.text)]  # labels included
    for s in blobs:
        if s.fill < 0.04 or any(c.intersects(s.box) for c in claimed):
            continue
        if any(s.box.overlap_ratio(w) > 0.3 for w in words):
            continue
        icons.append((s.box, 0.6))
    drafts += _merge_icons(icons, texts, used)
    indicators = [m.box for m in smalls]
    drafts = _with_detections(drafts, texts, used, detections, indicators)

    for i, t in enumerate(texts):
        if i not in used:
            drafts.append(_Draft(ElementKind.TEXT, t.box, t.text, t.score, chars=t.chars))

    return _number(drafts)


# -- the detector's view -------------------------------------------------------------------

_DETECTED_KIND = {
    "button": ElementKind.BUTTON,
    "icon": ElementKind.ICON,
    "field": ElementKind.FIELD,
    "checkbox": ElementKind.CHECKBOX,
    "radio": ElementKind.RADIO,
    "toggle": ElementKind.TOGGLE,
    "slider": ElementKind.SLIDER,
    "combo": ElementKind.COMBO,
    "tab": ElementKind.TAB,
    "scrollbar": ElementKind.SCROLLBAR,
}
_LABELLED_SMALL = (ElementKind.CHECKBOX, ElementKind.RADIO, ElementKind.TOGGLE)
_STRUCTURAL = (ElementKind.LIST, ElementKind.CONTAINER, ElementKind.TEXT)
# What the geometric passes may call a control the detector names otherwise, and be wrong:
# an unlabelled square is an "icon" to them but a check box to the detector; a switch's knob
# with its label looks like a check box; a flat field they read as a button. At or above
# this score the detector's kind wins.
_RETYPE_SCORE = 0.4
_RETYPABLE = {
    ElementKind.ICON: (ElementKind.CHECKBOX, ElementKind.RADIO, ElementKind.TOGGLE),
    ElementKind.CHECKBOX: (ElementKind.TOGGLE,),
    ElementKind.RADIO: (ElementKind.TOGGLE,),
    ElementKind.BUTTON: (ElementKind.COMBO, ElementKind.TAB),
    ElementKind.FIELD: (ElementKind.COMBO,),
}
# Widgets made of parts the geometry sees separately (a switch's knob, a slider's handle, a
# scroll bar's arrows): those parts are not elements of their own.
_COMPOSITE = (ElementKind.TOGGLE, ElementKind.SLIDER, ElementKind.SCROLLBAR)
_PARTS = (ElementKind.ICON, ElementKind.CHECKBOX, ElementKind.RADIO, ElementKind.BUTTON)


def _covers(outer: Rect, inner: Rect) -> bool:
    return inner.area > 0 and outer.intersection(inner).area >= 0.8 * inner.area


def _matching_draft(drafts: list[_Draft], kind: ElementKind, box: Rect) -> _Draft | None:
    best, best_iou = None, 0.0
    for d in drafts:
        if d.kind in _STRUCTURAL:
            continue
        overlap = d.box.iou(box)
        # the detector boxes indicator + label; the geometric pass the indicator only
        if (
            kind in _LABELLED_SMALL
            and d.kind in (*_LABELLED_SMALL, ElementKind.ICON)
            and _covers(box, d.box)
            and d.box.x - box.x <= max(6, box.h // 2)
        ):
            overlap = max(overlap, 0.6)
        if overlap >= 0.5 and overlap > best_iou:
            best, best_iou = d, overlap
    return best


def _without_parts(drafts: list[_Draft], box: Rect, keep: _Draft | None = None) -> list[_Draft]:
    return [
        d
        for d in drafts
        if d is keep
        or d.kind not in _PARTS
        or d.text
        or not (_covers(box, d.box) and d.box.area < 0.6 * box.area)
    ]


def _knob(drafts: list[_Draft], box: Rect) -> tuple[list[_Draft], _Draft | None]:
    """``drafts`` less a labelled check box or radio lying inside the switch at ``box``, and
    that one: the geometry takes a switch's square or round knob, with the words beside
    the switch, for a check box or radio. A real one is never drawn inside a switch."""
    for d in drafts:
        choice = d.kind in (ElementKind.CHECKBOX, ElementKind.RADIO) and bool(d.text)
        if choice and _covers(box, d.box) and d.box.area < 0.6 * box.area:
            return [o for o in drafts if o is not d], d
    return drafts, None


def _promote_container(drafts: list[_Draft], kind: ElementKind, box: Rect) -> _Draft | None:
    """A "container" the size of a control is the control: the geometry calls a closed
    rectangle with a shape inside a container (a switch's track holding its knob). The
    draft promoted, or None."""
    for d in drafts:
        if d.kind is ElementKind.CONTAINER and d.box.iou(box) >= 0.6:
            d.kind, d.box, d.confidence = kind, box, 0.7
            return d
    return None


def _labelled_by_knob(switch: _Draft, knob: _Draft | None) -> None:
    """The words the knob took for its label are the switch's, when it has none of its own."""
    if knob is not None and not switch.text:
        switch.text, switch.label_box = knob.text, knob.label_box


def _with_detections(
    drafts: list[_Draft],
    texts: list[TextLine],
    used: set[int],
    detections: Sequence[Detection],
    indicators: Sequence[Rect],
) -> list[_Draft]:
    """Merge the detector's elements into the geometric ones.

    The two agree on most controls; the detector adds what edges alone miss (borderless
    and icon-only buttons, toggles, sliders, tabs, scroll bars, unlabelled check boxes) and
    corrects a kind the geometry guessed. Where a detection overlaps a geometric control of
    another kind without matching it, the geometry wins: it was built from this frame's own
    edges and text, so adding a second, overlapping element would only make ``locate``
    choose between two answers for one widget.
    """
    out = list(drafts)
    ordered = sorted(detections, key=lambda d: (-d.score, d.box.y, d.box.x, d.cls))
    tabs = [d.box for d in detections if d.cls == "tab"]
    for det in ordered:
        kind = _DETECTED_KIND.get(det.cls)
        if kind is None or (kind is ElementKind.TAB and _lone_weak_tab(det, tabs)):
            continue
        if kind in (ElementKind.CHECKBOX, ElementKind.RADIO) and _weak_without_indicator(
            det, indicators
        ):
            continue
        box = det.box
        match = _matching_draft(out, kind, box)
        if match is not None:
            retype = match.kind is not kind and det.score >= _RETYPE_SCORE
            if retype and kind in _RETYPABLE.get(match.kind, ()):
                match.kind = kind
                if kind is ElementKind.TOGGLE:
                    match.box = box  # the whole track, not the knob the geometry saw
            match.confidence = max(match.confidence, det.score)
            if match.kind is ElementKind.TOGGLE and det.score >= _RETYPE_SCORE:
                out, knob = _knob(out, match.box)
                _labelled_by_knob(match, knob)
            if match.kind in _COMPOSITE:
                out = _without_parts(out, match.box, keep=match)
            if kind is ElementKind.FIELD and match.kind is ElementKind.FIELD:
                out = _whole_field(out, match, box, texts, used)
            continue
        knob = None
        if kind is ElementKind.TOGGLE and det.score >= _RETYPE_SCORE:
            out, knob = _knob(out, box)
        if kind in _COMPOSITE:
            out = _without_parts(out, box)
        promoted = _promote_container(out, kind, box) if det.score >= _RETYPE_SCORE else None
        if promoted is not None:
            _labelled_by_knob(promoted, knob)
            continue
        if any(
            d.kind not in _STRUCTURAL
            and d.box.intersection(box).area > 0.3 * min(d.box.area, box.area)
            for d in out
        ):
            continue
        inside = sorted(
            (
                i
                for i, t in enumerate(texts)
                if i not in used
                and box.contains_point(t.box.center)
                and t.box.overlap_ratio(box) > 0.6
            ),
            key=lambda i: (texts[i].box.y, texts[i].box.x),
        )
        if _stacked_lines(kind, det.score, [texts[i].box for i in inside]):
            continue
        text = " ".join(texts[i].text for i in inside)
        label_box = None
        if inside:
            label_box = texts[inside[0]].box
            for i in inside[1:]:
                label_box = label_box.union(texts[i].box)
        if kind in (ElementKind.SLIDER, ElementKind.SCROLLBAR):
            text, label_box, inside = "", None, []
        elif kind in (ElementKind.CHECKBOX, ElementKind.RADIO) and box.w > 1.6 * box.h:
            # indicator + label: the element is the indicator, as the geometric pass makes it
            side = min(box.h, box.w)
            box = Rect(box.x, box.y, side, box.h)
        elif kind is ElementKind.ICON and not _short(text):
            text, label_box, inside = "", None, []
        used.update(inside)
        out.append(_Draft(kind, box, text, det.score, label_box))
        _labelled_by_knob(out[-1], knob)
    return out


def _stacked_lines(kind: ElementKind, score: float, lines: list[Rect]) -> bool:
    """Lines of text one under another are a list or a paragraph, not one button or tab: a
    weak detection over them would fold a bullet list into one control. (A field may hold
    several lines: an editor.)"""
    if kind is ElementKind.FIELD or score >= 0.6 or len(lines) < 2:
        return False
    return any(not _same_row(a, b) for a, b in itertools.pairwise(lines))


def _whole_field(
    drafts: list[_Draft], field: _Draft, box: Rect, texts: list[TextLine], used: set[int]
) -> list[_Draft]:
    """A field the geometry saw cut short: the caret after typed text is a line from the
    field's top to its bottom, so the edges close a separate region left of it and the
    "field" starts at the caret. The detector's box is the whole field: take it, with the
    typed text and the bits of the cut-off part."""
    f = field.box
    grown = box.x < f.x - 8 and box.contains(f.expand(-2)) and abs(box.cy - f.cy) <= 4
    if not grown:
        return drafts
    left = Rect.from_ltrb(box.x, f.y, f.x, f.bottom)
    inside = sorted(
        (i for i, t in enumerate(texts) if i not in used and left.contains_point(t.box.center)),
        key=lambda i: texts[i].box.x,
    )
    field.box = Rect.from_ltrb(box.x, f.y, f.right, f.bottom)
    if inside:
        field.text = " ".join([*(texts[i].text for i in inside), field.text]).strip()
        field.label_box = _union([texts[i].box for i in inside])
        used.update(inside)
    return [
        d
        for d in drafts
        if d is field
        or d.text
        or d.kind not in _PARTS
        or field.box.intersection(d.box).area < 0.6 * d.box.area
    ]


def _lone_weak_tab(det: Detection, tabs: Sequence[Rect]) -> bool:
    """A form label next to its field is the detector's likeliest false tab: a word on a
    plain background, right-aligned against a frame. Tabs come in bars, so a tab with no
    tab beside it on its row must be sure of itself to turn the OCR text into a tab."""
    if det.score >= _RETYPE_SCORE:
        return False
    b = det.box
    return not any(
        t != b and _same_row(t, b) and max(t.x - b.right, b.x - t.right) <= max(b.h, 24)
        for t in tabs
    )


def _weak_without_indicator(det: Detection, indicators: Sequence[Rect]) -> bool:
    """A form label is the detector's likeliest false check box: a word on a plain
    background, like a check box's label. A labelled check box shows its indicator at its
    left end, where the geometric pass sees a small square or circle; without one there, a
    detection must be sure of itself to turn the label into a check box."""
    b = det.box
    if det.score >= _RETYPE_SCORE or is_bare(b):
        return False  # sure of itself, or a bare indicator: nothing to mistake it for
    return not any(
        b.x - 4 <= s.x <= b.x + b.h and b.y - 4 <= s.cy <= b.bottom + 4 for s in indicators
    )


def _centred(text: Rect, box: Rect) -> bool:
    """A caption centred in its box (a button), not a value starting at a field's left
    padding: the margins either side agree. (A long value in a field has its middle near the
    field's middle too, so the middles alone do not tell them apart.)"""
    left, right = text.x - box.x, box.right - text.right
    return (
        abs(left - right) <= max(6, 0.25 * (left + right))
        and abs(text.cx - box.cx) <= 0.15 * box.w + 4
    )


def _union(boxes: list[Rect]) -> Rect | None:
    """Where a control's text was read (None when it has none): locate points at words."""
    if not boxes:
        return None
    out = boxes[0]
    for b in boxes[1:]:
        out = out.union(b)
    return out


def _wordlike(text: str) -> bool:
    """At least half letters or digits: a label ("Pro", "1"), not pictograms read as
    symbols ("×α+")."""
    plain = text.replace(" ", "")
    return sum(ch.isalnum() for ch in plain) * 2 >= len(plain) > 0


def _short(text: str) -> bool:
    """OCR's reading of a pictogram: one or two characters ("8", "目", "X目")."""
    return len(text.replace(" ", "")) <= 2


# Keys and short buttons that are one symbol: a calculator's operators, a zoom "+" or "-".
_KEY_SYMBOLS = frozenset("+-*/=%.,<>?!#&@$()[]")


def _caption(t: TextLine) -> bool:
    """Whether a short reading on an icon-sized control is its caption: plain letters or
    digits, or one key symbol; a misread pictogram ("目") is not."""
    plain = t.text.replace(" ", "")
    if plain.isascii() and plain.isalnum():
        return True
    return len(plain) == 1 and plain in _KEY_SYMBOLS


def _merge_icons(
    cands: list[tuple[Rect, float]], texts: list[TextLine], used: set[int]
) -> list[_Draft]:
    """One element per icon: the passes above may each see part of the same pictogram.

    A short OCR reading on an icon becomes its caption when it is plain letters or digits
    (a "B" bold button), and is dropped when it is a misread pictogram ("目").
    """
    kept: list[tuple[Rect, float]] = []
    for box, conf in sorted(cands, key=lambda c: -c[0].area):
        if any(box.intersection(k).area >= 0.5 * min(box.area, k.area) for k, _ in kept):
            continue
        kept.append((box, conf))
    drafts = []
    for box, conf in kept:
        caption = ""
        for i, t in enumerate(texts):
            if (
                i not in used
                and _short(t.text)
                and t.box.intersection(box).area >= 0.4 * min(t.box.area, box.area)
            ):
                used.add(i)
                if _caption(t):
                    caption = t.text
        drafts.append(_Draft(ElementKind.ICON, box, caption, conf))
    return drafts


def reading_order(items: Sequence[T], box: Callable[[T], Rect]) -> list[T]:
    """Reading order: rows top to bottom (by vertical overlap), then left to right."""
    order = sorted(items, key=lambda d: (box(d).cy, box(d).x))
    rows: list[list[T]] = []
    for d in order:
        if rows and abs(box(rows[-1][0]).cy - box(d).cy) <= min(box(rows[-1][0]).h, box(d).h) / 2:
            rows[-1].append(d)
        else:
            rows.append([d])
    return [d for row in rows for d in sorted(row, key=lambda d: box(d).x)]


def renumbered(elements: Sequence[Element]) -> list[Element]:
    """``elements`` in reading order, numbered from 1: after a step added or removed some,
    so that ids stay the 1..n a state's readers (and the planner) count on."""
    return [replace(e, id=n + 1) for n, e in enumerate(reading_order(elements, lambda e: e.box))]


def _number(drafts: list[_Draft]) -> list[Element]:
    return [
        Element(i + 1, d.kind, d.box, d.text, d.confidence, d.label_box, d.checked, d.chars)
        for i, d in enumerate(reading_order(drafts, lambda d: d.box))
    ]
