"""A check box or radio among icons, looking like no other choice beside it, is an icon.

Why: the verifier (``choice_check``) sees one 32-px square, and at that size a favicon
drawn in a style it never learnt (thin-line icon fonts) can look like an indicator: on
settings sidebars whose icons came from a font no training page draws, a third of the
check boxes perception reported were favicons. The screen around the square says what the
square cannot. A sidebar or a tab strip is a run of marks, each beside its own words,
aligned in a column or a row, and every mark differs from the next; a column of check boxes
is a run of indicators that look alike (every one off, or on). So in a run of labelled
marks that are mostly icons already, a check box or radio that looks like no other check
box or radio of the run is one more icon. A run of real check boxes is mostly check boxes,
so this never touches it; a lone check box has no run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from gui_agent.geometry import Rect
from gui_agent.perception.state import Element, ElementKind

_CHOICES = (ElementKind.CHECKBOX, ElementKind.RADIO)
_MARKS = (*_CHOICES, ElementKind.ICON)
# a mark is 8-48 px and about square: a favicon, an icon or an indicator
_MIN_SIDE, _MAX_SIDE, _SQUARE = 8, 48, 1.6
# neighbours in a run: centres within this share of the smaller side across the run, sides
# within this ratio, and at most this many sides apart along it (a sidebar's pitch is 2-3)
_ALIGN, _SIZE_RATIO, _COLUMN_PITCH, _ROW_PITCH = 0.35, 1.6, 8.0, 20.0
# a mark's own words begin within this many sides of its right edge
_LABEL_GAP = 1.5
_MIN_RUN = 3
# Two marks look alike when their silhouettes (what their outlines enclose) overlap by this
# share of their union and are as large within a pixel: a toolkit draws every indicator of a
# kind at one size, so a radio off, on and hovered are alike, while favicons that are all
# roughly square differ by a few pixels or in outline. Compared at ``_LOOK`` px, cut from a
# square ``_CROP`` times the mark's side; ink is this far from the background (0-255).
ALIKE = 0.9
_SIZE_SLACK = 1
_LOOK, _CROP, _INK = 24, 1.25, 30

# what the caller does to a choice found to be an icon (``choice_verdict.not_a_choice``):
# the icon, and its label as a text of its own or None
TurnIcon = Callable[[Element], tuple[Element, Element | None]]


@dataclass(frozen=True, slots=True)
class _Mark:
    index: int
    box: Rect
    choice: bool
    label: Rect  # the words beside it

    @property
    def side(self) -> float:
        return float(max(self.box.w, self.box.h))


def icons_among_icons(
    elements: list[Element], pixels: np.ndarray, origin: Rect, turn: TurnIcon
) -> list[Element]:
    """``elements`` with every check box or radio that sits in a mostly-icon run of labelled
    marks, and looks like no other choice of that run, passed through ``turn`` (which makes
    it an icon and returns its label as a text of its own, or None)."""
    marks = _labelled_marks(elements)
    if not any(m.choice for m in marks):
        return elements
    local = {m.index: m.box.translate(-origin.x, -origin.y) for m in marks}
    looks: dict[int, _Silhouette] = {}
    doomed: set[int] = set()
    for run in _runs(marks):
        choices = [m for m in run if m.choice]
        if not choices or 2 * (len(run) - len(choices)) < len(run):
            continue
        for m in choices:
            if not any(
                _alike(_look(pixels, local, looks, m), _look(pixels, local, looks, o))
                for o in run
                if o is not m
            ):
                doomed.add(m.index)
    if not doomed:
        return elements
    out: list[Element] = []
    for i, e in enumerate(elements):
        if i in doomed:
            icon, label = turn(e)
            out += [icon] if label is None else [icon, label]
        else:
            out.append(e)
    return out


def _labelled_marks(elements: Sequence[Element]) -> list[_Mark]:
    """Check boxes, radios and icons of mark size with words just right of them; an icon
    lying on a choice is the same mark seen twice and is left out."""
    words = [e.box for e in elements if e.kind not in _MARKS and e.text.strip()]
    choices = [e.box for e in elements if e.kind in _CHOICES]
    out: list[_Mark] = []
    for i, e in enumerate(elements):
        b = e.box
        if e.kind not in _MARKS or not _mark_sized(b):
            continue
        choice = e.kind in _CHOICES
        if not choice and any(_overlap(b, c) for c in choices):
            continue
        label = e.label_box if choice else None
        if label is None:
            beside = sorted((w for w in words if _beside(b, w)), key=lambda w: w.x)
            if not beside:
                continue
            label = beside[0]
        out.append(_Mark(i, b, choice, label))
    return out


def _mark_sized(b: Rect) -> bool:
    side = max(b.w, b.h)
    return _MIN_SIDE <= side <= _MAX_SIDE and max(b.w, b.h) <= _SQUARE * max(1, min(b.w, b.h))


def _overlap(a: Rect, b: Rect) -> bool:
    w = min(a.right, b.right) - max(a.x, b.x)
    h = min(a.bottom, b.bottom) - max(a.y, b.y)
    return w > 0 and h > 0 and w * h >= 0.3 * min(a.area, b.area)


def _beside(mark: Rect, words: Rect) -> bool:
    """``words`` begin just right of ``mark``, on its line."""
    side = max(mark.w, mark.h)
    gap = words.x - mark.right
    rows = min(mark.bottom, words.bottom) - max(mark.y, words.y)
    return -2 <= gap <= _LABEL_GAP * side and rows >= 0.5 * min(mark.h, words.h)


def _runs(marks: list[_Mark]) -> list[list[_Mark]]:
    """Runs of at least ``_MIN_RUN`` marks: columns whose words begin at one x (a sidebar, a
    list of options), columns of marks centred on one x (the detected boxes of a sidebar's
    icons are ragged, and one of the two ways misses what the other finds), and rows of marks
    on one line (a tab strip)."""

    def column(a: _Mark, b: _Mark, step: float) -> bool:
        small, big = sorted((a.label.h, b.label.h))
        return (
            abs(a.label.x - b.label.x) <= max(3.0, _ALIGN * small)
            and big <= _SIZE_RATIO * small
            and step <= _COLUMN_PITCH * big
        )

    def marks_in(across: str, pitch: float) -> Callable[[_Mark, _Mark, float], bool]:
        def linked(a: _Mark, b: _Mark, step: float) -> bool:
            small, big = sorted((a.side, b.side))
            return (
                abs(getattr(a.box, across) - getattr(b.box, across)) <= _ALIGN * small
                and big <= _SIZE_RATIO * small
                and step <= pitch * big
            )

        return linked

    return (
        _chains(marks, lambda m: m.label.cy, column)
        + _chains(marks, lambda m: m.box.cy, marks_in("cx", _COLUMN_PITCH))
        + _chains(marks, lambda m: m.box.cx, marks_in("cy", _ROW_PITCH))
    )


def _chains(
    marks: list[_Mark],
    along: Callable[[_Mark], float],
    linked: Callable[[_Mark, _Mark, float], bool],
) -> list[list[_Mark]]:
    """Chains in ``along`` order, each mark linked to the chain's first (alignment, size)
    and last (pitch) by ``linked``; a mark belongs to the first chain that takes it."""
    order = sorted(marks, key=along)
    taken: set[int] = set()
    out: list[list[_Mark]] = []
    for n, start in enumerate(order):
        if start.index in taken:
            continue
        run = [start]
        for m in order[n + 1 :]:
            step = along(m) - along(run[-1])
            fits = step > 0 and linked(start, m, 0) and linked(run[-1], m, step)
            if fits and m.index not in taken:
                run.append(m)
        if len(run) >= _MIN_RUN:
            taken |= {m.index for m in run}
            out.append(run)
    return out


def _look(
    pixels: np.ndarray, local: dict[int, Rect], cache: dict[int, _Silhouette], m: _Mark
) -> _Silhouette:
    """The mark's silhouette (cached per mark)."""
    if m.index not in cache:
        b = local[m.index]
        side = max(2, round(_CROP * m.side))
        x0, y0 = round(b.cx - side / 2), round(b.cy - side / 2)
        h, w = pixels.shape[:2]
        cut = pixels[max(0, y0) : max(0, min(h, y0 + side)), max(0, x0) : max(0, min(w, x0 + side))]
        cache[m.index] = silhouette(cut)
    return cache[m.index]


@dataclass(frozen=True, slots=True)
class _Silhouette:
    """What a mark's outline encloses, scaled to ``_LOOK`` px square, and its size in px."""

    mask: np.ndarray
    w: int
    h: int


def silhouette(bgr: np.ndarray) -> _Silhouette:
    """The filled outline of everything drawn in ``bgr`` (ink against the median of its
    border), cut to its bounding box and scaled to ``_LOOK`` px square."""
    empty = _Silhouette(np.zeros((_LOOK, _LOOK), bool), 0, 0)
    if bgr.size == 0:
        return empty
    x = bgr[:, :, :3].astype(np.int16)
    border = np.concatenate([x[0], x[-1], x[:, 0], x[:, -1]])
    ink = (np.abs(x - np.median(border, axis=0)).max(axis=2) >= _INK).astype(np.uint8)
    contours, _ = cv2.findContours(ink, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return empty
    filled = np.zeros_like(ink)
    cv2.drawContours(filled, contours, -1, 1, thickness=cv2.FILLED)
    ys, xs = np.nonzero(filled)
    cut = filled[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    mask = cv2.resize(cut * 255, (_LOOK, _LOOK), interpolation=cv2.INTER_AREA) >= 128
    return _Silhouette(mask, cut.shape[1], cut.shape[0])


def _alike(a: _Silhouette, b: _Silhouette) -> bool:
    """The same outline at the same size: an indicator on, off or hovered, or the same icon."""
    if not (a.w and b.w):
        return False
    if abs(a.w - b.w) > _SIZE_SLACK or abs(a.h - b.h) > _SIZE_SLACK:
        return False
    union = int((a.mask | b.mask).sum())
    return union > 0 and int((a.mask & b.mask).sum()) >= ALIKE * union
