"""The check-box/radio verifier's say on every check box and radio perception reports.

Why: the verifier (``choice_check``) sat inside the detector, so it only ever saw the
detector's check boxes. The geometric pass makes a check box of any small square or circle
with a word to its right, and on a browser's tab strip or a settings sidebar that is every
favicon beside its title: perception reported about three fake check boxes per screen that
the detector itself had been stopped from reporting. Here every fused check box and radio,
whatever found it, goes past the same verifier in one batch; one it calls "none" with
confidence becomes the icon it is, and the words taken for its label a text of their own.
So does one whose words end in a close button, read or drawn (a tab's favicon beside its
title), and a radio whose inside is not its dot (a favicon drawn in a ring).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from gui_agent.geometry import Rect
from gui_agent.perception.choice_check import CLASSES, ChoiceCheck
from gui_agent.perception.choice_siblings import icons_among_icons
from gui_agent.perception.elements import renumbered
from gui_agent.perception.icon_vocabulary import GLYPH_NAMES
from gui_agent.perception.mark_pixels import close_after, lopsided_inside
from gui_agent.perception.state import Element, ElementKind

_KIND = {ElementKind.CHECKBOX: "checkbox", ElementKind.RADIO: "radio"}
_BACK = {v: k for k, v in _KIND.items()}
_NONE = CLASSES.index("none")


def verify_choices(
    elements: list[Element], pixels: np.ndarray, origin: Rect, check: ChoiceCheck
) -> list[Element]:
    """``elements`` with the check boxes and radios ``check`` calls none made icons (and
    their labels texts), and the ones it is sure are the other kind retyped. ``pixels`` is
    the frame at ``origin``; element boxes are in desktop coordinates."""
    idx = [i for i, e in enumerate(elements) if e.kind in _KIND]
    if not idx:
        return elements
    h, w = pixels.shape[:2]
    frame = Rect(0, 0, w, h)
    local = [elements[i].box.translate(-origin.x, -origin.y).clip(frame) for i in idx]
    grown = [_grown(elements[i]).translate(-origin.x, -origin.y).clip(frame) for i in idx]
    both = check.check(pixels, local + grown)
    bare, tall = both[: len(idx)], both[len(idx) :]
    # each choice as the crop that sees it most surely a choice
    probs = np.where((bare[:, _NONE] <= tall[:, _NONE])[:, None], bare, tall)
    verdicts = check.verdicts(probs, [_KIND[elements[i].kind] for i in idx])
    out = list(elements)
    split: list[Element] = []
    for i, verdict in zip(idx, verdicts, strict=True):
        e = out[i]
        kind = None if verdict is None else _BACK[verdict]
        if kind is None or _a_tab(e, pixels, origin) or _no_radio(kind, e, pixels, origin):
            out[i], label = not_a_choice(e)
            split += [label] if label is not None else []
        elif kind is not e.kind:
            out[i] = replace(e, kind=kind)
    out = icons_among_icons(out + split, pixels, origin, not_a_choice)
    if len(out) == len(elements):  # nothing inserted: every id still holds
        return out
    return renumbered(out)


def _a_tab(e: Element, pixels: np.ndarray, origin: Rect) -> bool:
    """``e``'s words are followed by a close button, read with them or drawn after them: a
    tab's title, and ``e`` its favicon. No check box or radio has a close button."""
    if _closed_by_its_words(e.text):
        return True
    return e.label_box is not None and close_after(pixels, e.box, e.label_box, origin)


def _no_radio(kind: ElementKind, e: Element, pixels: np.ndarray, origin: Rect) -> bool:
    """A radio whose inside is no dot: a favicon drawn in a ring (a face, a bell, "!")."""
    return kind is ElementKind.RADIO and lopsided_inside(pixels, e.box, origin)


def _closed_by_its_words(text: str) -> bool:
    """The words end in a lone close mark ("SYNCED DATE ×"): a tab's title and its close
    button, read as one line, so the mark before them is the tab's favicon. No check box
    or radio has a close button among its words; a capital X ends one ("Mirror X") unless
    the words before it are capitals too, as a tab's title in a capitals style is."""
    *words, last = text.split() or [""]
    if not words:
        return False
    if GLYPH_NAMES.get(last) != ("close",):
        return False
    return last != "X" or all(w.isupper() for w in words if any(ch.isalpha() for ch in w))


def _grown(e: Element) -> Rect:
    """The indicator grown to its label's line height about its own centre: the scale of
    the detector's boxes, which the verifier learnt (as tall as the label's line).

    The verifier is asked about both this and the bare indicator, and a choice goes only
    when both crops say none: asked about the bare 13-px indicator alone it called Tk's
    ticked check box and GTK's filled radio none; asked about this one alone, Chromium's
    plain 13-px check boxes. Indicator and label together (the detector's own box) kept
    more favicons than either.
    """
    if e.label_box is None:
        return e.box
    side = max(e.box.h, e.label_box.h)
    c = e.box.center
    return Rect(round(c.x - side / 2), round(c.y - side / 2), side, side)


def not_a_choice(e: Element) -> tuple[Element, Element | None]:
    """What perception took for a check box or radio, as the icon it is (unnamed: the icon
    classifier may name it next); the words taken for its label (the title beside a favicon)
    as a text of their own, or None when there were none (an OCR reading of the pictogram
    itself: "x", "α")."""
    icon = replace(e, kind=ElementKind.ICON, text="", label_box=None, checked=None, char_x=())
    words = sum(ch.isalpha() for ch in e.text) >= 2
    if e.label_box is None or not words or e.box.contains(e.label_box):
        return icon, None
    label = replace(e, kind=ElementKind.TEXT, box=e.label_box, label_box=None, checked=None)
    return icon, label
