"""A check box or radio among icons, looking like no choice near it, is an icon.

Why: the verifier (``choice_check``) sees one 32-px square, and at that size a favicon
drawn in a style it never learnt (thin-line icon fonts) can look like an indicator: on
settings sidebars whose icons came from a font no training page draws, a third of the
check boxes perception reported were favicons. The screen around the square says what the
square cannot. A sidebar or a tab strip is an evenly spaced run of marks, each beside its
own words, aligned in a column or a row, and every mark differs from the next; a group of
check boxes is a run of indicators that look alike (every one off, or on). So in a run of
labelled marks that are mostly unlike icons, a check box or radio that looks like neither
entry beside it nor any other check box or radio on the screen is one more icon. A run of
real check boxes is mostly check boxes, so this never touches it; a lone check box has no
run. The icons of a run need not have been reported: a favicon the detector missed, or
one OCR read into its words as a letter, is found where the choice sits beside its own.
Likeness beside a choice is the outline's and what is drawn inside it: at 16 px a shield
and an envelope share a check box's square, but an indicator's group-mates draw the same
inside it, or nothing (the empty box beside the ticked one).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from gui_agent.geometry import Rect
from gui_agent.perception.mark_pixels import (
    Silhouette,
    alike,
    drawn,
    leading,
    look_at,
    mark_then_words,
    same_group,
)
from gui_agent.perception.state import Element, ElementKind

_CHOICES = (ElementKind.CHECKBOX, ElementKind.RADIO)
_MARKS = (*_CHOICES, ElementKind.ICON)
# a mark is 8-48 px and about square: a favicon, an icon or an indicator
_MIN_SIDE, _MAX_SIDE, _SQUARE = 8, 48, 1.6
# neighbours in a run: centres within this share of the smaller side across the run, sides
# within this ratio, and at most this many sides apart along it (a sidebar's pitch is 2-3)
_ALIGN, _SIZE_RATIO, _COLUMN_PITCH, _ROW_PITCH = 0.35, 1.6, 8.0, 20.0
# a mark's own words begin within this many sides of its right edge (a tab's title, centred,
# may begin well right of its favicon) and share this much of the smaller height with it
# (a title on two lines is centred on the favicon's middle, a quarter in each)
_LABEL_GAP, _LABEL_ROWS = 2.5, 0.25
_MIN_RUN = 3
# steps along a run stay within this factor of its smallest
_UNEVEN = 2.2
# unseen marks are looked for this many pitches away along a column (anywhere along a row):
# the run's own pitch decides which of them join it
_REACH = 3

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
    marks, and looks like no entry beside it and no other choice, passed through ``turn``
    (which makes it an icon and returns its label as a text of its own, or None)."""
    marks = _labelled_marks(elements, pixels, origin)
    if not any(m.choice for m in marks):
        return elements
    cache: dict[int, Silhouette] = {}

    def look(m: _Mark) -> Silhouette:
        if m.index not in cache:
            cache[m.index] = look_at(pixels, m.box.translate(-origin.x, -origin.y))
        return cache[m.index]

    marks += _unseen_marks(elements, marks, pixels, origin, look)

    doomed: set[int] = set()
    chosen = [m for m in marks if m.choice]
    for run in _runs(marks):
        choices = [m for m in run if m.choice]
        # mostly icons: those perception reported, or with the unseen ones where every
        # entry of the column has its mark (a form's plain rows would be unseen "icons")
        seen = [m for m in run if m.index >= 0]
        if not choices or not (
            _mostly_icons(seen, look)
            or (_mostly_icons(run, look, chosen) and not _bare(run, elements))
        ):
            continue
        for n, m in enumerate(run):
            if not m.choice:
                continue
            # like the next or the last entry (a group of indicators is contiguous; its
            # mates the verifier dropped or perception missed), or like any other choice
            # on the screen (a row of check boxes crossing a column of icons); one icon
            # further along that happens to be round as a radio is no group-mate, nor one
            # beside it whose outline is alike but that draws its own picture inside
            beside = run[max(0, n - 1) : n] + run[n + 1 : n + 2]
            if any(same_group(look(m), look(o)) for o in beside):
                continue
            if len(beside) == 2 and same_group(look(beside[0]), look(beside[1])):
                continue  # the one ticked box between two empty ones of its group
            if not any(_vouches(o, m, run, look) for o in chosen if o is not m):
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


def _vouches(o: _Mark, m: _Mark, run: list[_Mark], look: Callable[[_Mark], Silhouette]) -> bool:
    """Another choice ``o`` makes ``m`` a group-mate: drawn alike, anywhere else on the
    screen (a row of check boxes crossing a column of icons); further along ``m``'s own run,
    drawn alike inside too and with at most one icon between them (a group is contiguous,
    less one box perception missed). Two favicons of one round or square outline, each read
    as a choice, do not vouch for each other across a sidebar."""
    if o not in run:
        return alike(look(m), look(o))
    a, b = sorted((run.index(m), run.index(o)))
    icons_between = sum(not x.choice for x in run[a + 1 : b])
    return icons_between <= 1 and same_group(look(m), look(o))


def _labelled_marks(elements: Sequence[Element], pixels: np.ndarray, origin: Rect) -> list[_Mark]:
    """Check boxes, radios and icons of mark size with words just right of them; an icon
    lying on a choice is the same mark seen twice and is left out. A choice whose words
    begin inside its box (OCR read its favicon as their first letter, and the box, as tall
    as the tab or row, took in their start) is the drawing at its left and the words from
    where they really begin: as reported it lines up with no entry of its column."""
    words = [e.box for e in elements if e.kind not in _MARKS and e.text.strip()]
    choices = [e.box for e in elements if e.kind in _CHOICES]
    out: list[_Mark] = []
    for i, e in enumerate(elements):
        b, label = e.box, e.label_box
        choice = e.kind in _CHOICES
        if choice and label is not None and label.x < b.right - 1:
            split = mark_then_words(pixels, b, label, origin)
            if split is not None and _mark_sized(split[0]) and split[1] < label.right:
                b, label = split[0], Rect(split[1], label.y, label.right - split[1], label.h)
        if e.kind not in _MARKS or not _mark_sized(b) or _a_word(e):
            continue
        if not choice and any(_overlap(b, c) for c in choices):
            continue
        if label is None:
            beside = sorted((w for w in words if _beside(b, w)), key=lambda w: w.x)
            if not beside:
                continue
            label = beside[0]
        out.append(_Mark(i, b, choice, label))
    return out


def _a_word(e: Element) -> bool:
    """An icon OCR read as a word in lower case ("to" of "Subscribe to newsletter", left
    out of its line): letters, not a favicon of a run. Pictograms read as text come out as
    symbols, digits or capitals ("@", "C>", "8")."""
    t = e.text.strip()
    return e.kind is ElementKind.ICON and len(t) >= 2 and t.isalpha() and t.islower()


def _mostly_icons(
    marks: list[_Mark], look: Callable[[_Mark], Silhouette], choices: Sequence[_Mark] = ()
) -> bool:
    """Icons that look like no other icon of the run make half of it: two alike are more
    likely indicators that perception missed or the verifier dropped than two favicons,
    and so is an unseen mark drawn like a check box or radio perception reported
    (``choices``: a row of radios whose first was read into its words)."""
    icons = [m for m in marks if not m.choice]
    unlike = [
        m
        for m in icons
        if m.index >= 0
        or not any(alike(look(m), look(o)) for o in [*icons, *choices] if o is not m)
    ]
    return 2 * len(unlike) >= len(marks)


def _bare(run: list[_Mark], elements: Sequence[Element]) -> bool:
    """A column with words in it that have no mark: a form (check boxes among plain rows,
    "Play sounds" under "Start at login"), not a sidebar or a list of options, where every
    entry has its icon. Those words begin where the run's words or its marks do, lie
    between its first and last mark, and are as tall as its words."""
    xs = [m.box.x for m in run]
    ys = [m.box.cy for m in run]
    if max(xs) - min(xs) > max(ys) - min(ys):
        return False  # a row: a tab strip's close buttons and overflow are words of its own
    labels = [m.label for m in run]
    lx = sorted(lb.x for lb in labels)[len(labels) // 2]
    mx = sorted(xs)[len(xs) // 2]
    lh = sorted(lb.h for lb in labels)[len(labels) // 2]
    for e in elements:
        t = e.box
        if e.kind in _MARKS or not e.text.strip() or not min(ys) < t.cy < max(ys):
            continue
        tol = max(3.0, _ALIGN * min(t.h, lh))
        if max(t.h, lh) > _SIZE_RATIO * min(t.h, lh):
            continue
        if abs(t.x - lx) > tol and abs(t.x - mx) > tol:
            continue
        if not any(
            _overlap(t, lb) or _overlap(t, m.box) for lb, m in zip(labels, run, strict=True)
        ):
            return True
    return False


def _unseen_marks(
    elements: Sequence[Element],
    marks: list[_Mark],
    pixels: np.ndarray,
    origin: Rect,
    look: Callable[[_Mark], Silhouette],
) -> list[_Mark]:
    """Icons perception did not report as icons: a sidebar's or a tab strip's favicons that
    the detector missed, or that OCR read into the words as a letter ("@ AFTER DATE").
    For each choice, every text that begins where its words (or the choice) do, a column,
    or that sits on their line, a row, is looked at where the choice sits beside its own
    words, and at its own first letters; a compact drawing there of the choice's size (a
    word's first letter is smaller, and its second follows closer) is one more mark of the
    run, an icon (index ``-1, -2, ...``). Where the missed marks are check boxes the
    detector did not see, they look like the choice, and the choice stays."""
    labels = [m.label for m in marks]
    taken = [e.box for e in elements] + labels  # a choice's words lie in no element of their own
    out: list[_Mark] = []
    for c in (m for m in marks if m.choice):
        ink = look(c)
        if not (ink.w and ink.h):
            continue
        ink_box = Rect(c.box.x, c.box.y, ink.w, ink.h)  # the choice's ink, not its box
        dx, dy = c.box.x - c.label.x, c.box.y - c.label.y
        for e in elements:
            t = e.box
            if e.kind in _MARKS or not e.text.strip() or any(_overlap(t, lb) for lb in labels):
                continue
            # a button (a tab) is taller than its words: its words are on the choice's line
            # when its middle is, and only its own start can hold its favicon
            button = e.kind is ElementKind.BUTTON
            small, big = sorted((min(t.h, c.label.h) if button else t.h, c.label.h))
            tol = max(3.0, _ALIGN * small)
            row = abs(t.cy - c.label.cy) <= _ALIGN * small
            if big > _SIZE_RATIO * small or not (
                row
                or (
                    abs(t.cy - c.label.cy) <= _REACH * _COLUMN_PITCH * big
                    and (abs(t.x - c.label.x) <= tol or abs(t.x - c.box.x) <= tol)
                )
            ):
                continue
            left = Rect(t.x + dx, t.y + dy, c.box.w, c.box.h)
            if (
                not button
                and not any(_overlap(left, o) for o in taken)
                and drawn(pixels, left, origin)
            ):
                box: Rect | None = left
            else:
                box = leading(pixels, t, ink_box, origin)
            if box is None:
                continue
            taken.append(box)
            labels.append(t)
            out.append(_Mark(-1 - len(out), box, False, t))
    return out


def _mark_sized(b: Rect) -> bool:
    side = max(b.w, b.h)
    return _MIN_SIDE <= side <= _MAX_SIDE and side <= _SQUARE * max(1, min(b.w, b.h))


def _overlap(a: Rect, b: Rect) -> bool:
    inter = a.intersection(b).area
    return inter > 0 and inter >= 0.3 * min(a.area, b.area)


def _beside(mark: Rect, words: Rect) -> bool:
    """``words`` begin just right of ``mark``, on its line."""
    side = max(mark.w, mark.h)
    gap = words.x - mark.right
    rows = min(mark.bottom, words.bottom) - max(mark.y, words.y)
    return -2 <= gap <= _LABEL_GAP * side and rows >= _LABEL_ROWS * min(mark.h, words.h)


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
    and last (pitch) by ``linked``, with steps within ``_UNEVEN`` times of the smallest;
    a mark belongs to the first chain that takes it."""
    order = sorted(marks, key=along)
    taken: set[int] = set()
    out: list[list[_Mark]] = []
    for n, start in enumerate(order):
        if start.index in taken:
            continue
        run = [start]
        steps: list[float] = []
        for m in order[n + 1 :]:
            step = along(m) - along(run[-1])
            fits = step > 0 and linked(start, m, 0) and linked(run[-1], m, step)
            if not fits or m.index in taken:
                continue
            # evenly spaced, as a sidebar's entries and a strip's tabs are (one entry
            # without a mark doubles a step): not a radio above a list's icons
            if steps and not min(steps) / _UNEVEN <= step <= _UNEVEN * min(steps):
                break  # the run ends here: what follows is spaced otherwise
            run.append(m)
            steps.append(step)
        if len(run) >= _MIN_RUN:
            taken |= {m.index for m in run}
            out.append(run)
    return out
