"""Names for icon-only controls, from the icon classifier, remembered across frames.

Perception finds a toolbar's trash can as an ``icon`` with no text; the classifier says what
it means ("delete"), so "the trash icon" can be found and the gate can judge it. An agent
sees the same toolbar frame after frame, so names are kept by the icon's pixels: only a new
or changed icon is classified again.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import replace

import numpy as np

from gui_agent.geometry import Rect
from gui_agent.perception.choice_verdict import not_a_choice
from gui_agent.perception.elements import renumbered
from gui_agent.perception.icon_names import IconName, IconNamer, IconReading
from gui_agent.perception.indicator import leading_mark
from gui_agent.perception.state import Element, ElementKind

# Controls named by their pictogram: icons, and buttons or tabs with no caption in words.
_NAMED_KINDS = (ElementKind.ICON, ElementKind.BUTTON, ElementKind.TAB)
_MAX_SIDE = 96  # larger boxes are panels or pictures, not icons
_MIN_SIDE = 8
_MEMORY = 512


# A check box or radio the classifier names surely is a pictogram that perception took for
# an indicator (a search lens's circle, a favicon beside a title): the classifier is trained
# to call real indicators "none", and below this score the indicator stands.
_CHOICE_KINDS = (ElementKind.CHECKBOX, ElementKind.RADIO)
_CHOICE_SURE = 0.8
# Meanings drawn like an indicator itself: an empty square is "stop", a ticked one "check".
_INDICATOR_LIKE = frozenset({"stop", "check"})


def _nameable(e: Element) -> bool:
    if e.kind in _CHOICE_KINDS:
        return choice_nameable(e.box)
    if e.kind not in _NAMED_KINDS or not (min(e.box.w, e.box.h) >= _MIN_SIDE):
        return False
    if max(e.box.w, e.box.h) > _MAX_SIDE:
        return False
    # a caption in words names the control already; a glyph ("×", "+") may be a pictogram
    return sum(ch.isalpha() for ch in e.text) < 2


class IconNaming:
    """Adds ``icon_name`` to the nameable elements of a state; remembers answers by pixels."""

    def __init__(self, namer: IconNamer) -> None:
        self.namer = namer
        self._seen: OrderedDict[bytes, IconReading] = OrderedDict()

    def name(self, elements: list[Element], pixels: np.ndarray, origin: Rect) -> list[Element]:
        """``elements`` with icon names filled in; ``pixels`` is the frame at ``origin``."""
        todo: list[tuple[int, bytes, np.ndarray]] = []
        answers: dict[int, IconReading] = {}
        h, w = pixels.shape[:2]
        for i, e in enumerate(elements):
            if not _nameable(e):
                continue
            b = e.box.translate(-origin.x, -origin.y).clip(Rect(0, 0, w, h))
            if e.kind in _CHOICE_KINDS:
                b = choice_crop(pixels, b)
            if b.w < _MIN_SIDE or b.h < _MIN_SIDE:
                continue
            crop = pixels[b.y : b.bottom, b.x : b.right]
            key = hashlib.blake2b(crop.tobytes(), digest_size=16).digest() + bytes(
                f"{b.w}x{b.h}", "ascii"
            )
            if key in self._seen:
                self._seen.move_to_end(key)
                answers[i] = self._seen[key]
            else:
                todo.append((i, key, np.ascontiguousarray(crop)))
        if todo:
            for (i, key, _), read in zip(
                todo, self.namer.read([c for _, _, c in todo]), strict=True
            ):
                answers[i] = read
                self._seen[key] = read
            while len(self._seen) > _MEMORY:
                self._seen.popitem(last=False)
        out = list(elements)
        split: list[Element] = []
        for i, reading in answers.items():
            e, got = out[i], reading.name
            if e.kind not in _CHOICE_KINDS:
                if got is not None or reading.guesses:
                    out[i] = replace(
                        e,
                        icon_name=got.meaning if got else "",
                        icon_score=round(got.score, 3) if got else 0.0,
                        icon_guesses=reading.guesses,
                    )
            elif got is not None and names_a_pictogram(got):
                out[i], label = _icon_not_choice(e, got, reading.guesses)
                split += [label] if label is not None else []
        if not split:
            return out
        return renumbered(out + split)


def names_a_pictogram(got: IconName | None) -> bool:
    """Whether the classifier's name for what perception took for a check box or radio says
    it is a pictogram instead (a favicon, a lens): named surely, and not as the square or
    tick an indicator itself is drawn like."""
    return got is not None and got.score >= _CHOICE_SURE and got.meaning not in _INDICATOR_LIKE


def choice_nameable(box: Rect) -> bool:
    """A check box or radio of a size the classifier is asked about."""
    return min(box.w, box.h) >= _MIN_SIDE and max(box.w, box.h) <= _MAX_SIDE


def choice_crop(pixels: np.ndarray, box: Rect) -> Rect:
    """Where to ask the classifier about a check box or radio: the mark drawn at its
    indicator end, whole and centred (``indicator.leading_mark``), else ``box`` itself.
    A square cut from where the detector's box began showed a favicon off centre or cut
    in half, and the classifier named neither."""
    h, w = pixels.shape[:2]
    mark = leading_mark(pixels, box)
    return box if mark is None else mark.clip(Rect(0, 0, w, h))


def _icon_not_choice(
    e: Element, got: IconName, guesses: tuple[tuple[str, float], ...] = ()
) -> tuple[Element, Element | None]:
    """A pictogram taken for an indicator, as the icon it is, named; the words taken for its
    label as a text of their own (``choice_verdict.not_a_choice``)."""
    icon, label = not_a_choice(e)
    named = replace(icon, icon_name=got.meaning, icon_score=round(got.score, 3),
                    icon_guesses=guesses)  # fmt: skip
    return named, label
