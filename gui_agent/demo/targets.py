"""Describe an input's target from a perceived frame: the element under the pointer, a crop
of its pixels, and its labelled neighbours. Shared by the recorder (to write) and playback's
re-recording of one step (to rewrite)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import cv2

from gui_agent.demo.format import Neighbour, TargetDescription
from gui_agent.geometry import Point, Rect
from gui_agent.perception.state import Element, ElementKind, ScreenState
from gui_agent.screen.frame import Frame

# Kinds a person clicks on purpose; plain text only wins when nothing interactive is there.
INTERACTIVE = frozenset(
    {
        ElementKind.BUTTON,
        ElementKind.FIELD,
        ElementKind.CHECKBOX,
        ElementKind.RADIO,
        ElementKind.ICON,
        ElementKind.LINK,
        ElementKind.MENU_ITEM,
        ElementKind.COMBO,
        ElementKind.TOGGLE,
        ElementKind.SLIDER,
        ElementKind.TAB,
    }
)
_CROP_MARGIN = 10
_MIN_CROP = (48, 28)
_NEIGHBOUR_REACH = 450
_CONTENT = (ElementKind.FIELD, ElementKind.COMBO, ElementKind.LIST)


@dataclass(frozen=True)
class Described:
    description: TargetDescription
    crop_png: bytes | None
    element: Element | None


def hit_box(e: Element) -> Rect:
    """Where a click reaches the element: a check box's or radio's label toggles it too."""
    return e.box.union(e.label_box) if e.label_box is not None else e.box


def element_at(state: ScreenState, point: Point) -> Element | None:
    """The element a person meant at ``point``: the smallest interactive one containing it,
    else the smallest of any other kind but containers, else the nearest within a few
    pixels."""
    # A window or group box is where things are, never what a person clicks on.
    elements = [e for e in state.elements if e.kind is not ElementKind.CONTAINER]
    containing = [e for e in elements if hit_box(e).expand(2).contains_point(point)]
    for pool in ([e for e in containing if e.kind in INTERACTIVE], containing):
        if pool:
            return min(pool, key=lambda e: hit_box(e).area)
    close = [e for e in elements if hit_box(e).expand(12).contains_point(point)]
    if close:
        return min(close, key=lambda e: (e.box.cx - point.x) ** 2 + (e.box.cy - point.y) ** 2)
    return None


def _gap(a: Rect, b: Rect) -> float:
    """Distance between two boxes' edges (0 when they touch or overlap)."""
    dx = max(0, max(a.x, b.x) - min(a.right, b.right))
    dy = max(0, max(a.y, b.y) - min(a.bottom, b.bottom))
    return float((dx * dx + dy * dy) ** 0.5)


def neighbours(
    state: ScreenState, box: Rect, exclude: Element | None, n: int = 3
) -> list[Neighbour]:
    """Up to ``n`` nearest labelled elements (edge to edge, so a wide field's own label on
    its left wins), and the offset from each one's centre to ``box``'s centre. Fields are
    left out: their text is the user's content, which playback may change."""
    content = [e.box for e in state.elements if e.kind in _CONTENT]
    found = []
    for e in state.elements:
        if e is exclude or not e.text.strip() or e.box.contains(box) or e.kind in _CONTENT:
            continue
        if any(c.contains(e.box) for c in content):
            continue  # text inside a field or list is content, not a label
        gap = _gap(e.box, box)
        if gap > _NEIGHBOUR_REACH:
            continue
        left = e.box.y < box.bottom and box.y < e.box.bottom and e.box.right <= box.x + 4
        above = e.box.bottom <= box.y + 4 and e.box.x < box.right and box.x < e.box.right
        # Labels sit left of or above what they name: rank those first.
        found.append((gap * (0.25 if left else 0.6 if above else 1.0), e))
    found.sort(key=lambda t: t[0])
    return [
        Neighbour(
            text=e.text,
            kind=e.kind.value,
            dx=round(box.cx - e.box.cx),
            dy=round(box.cy - e.box.cy),
            h=e.box.h,
        )
        for _, e in found[:n]
    ]


def crop_png(frame: Frame, box: Rect) -> tuple[bytes, Rect]:
    """A PNG of ``box`` with a margin, at least a small minimum size (a bare 13x13 check box
    is too little texture to match on)."""
    grow_x = max(_CROP_MARGIN, (_MIN_CROP[0] - box.w) // 2)
    grow_y = max(_CROP_MARGIN // 2, (_MIN_CROP[1] - box.h) // 2)
    region = box.expand(grow_x, grow_y).clip(frame.box)
    ok, buf = cv2.imencode(".png", frame.crop(region).pixels)
    if not ok:  # pragma: no cover - encoding a valid array does not fail
        raise ValueError("PNG encoding failed")
    return buf.tobytes(), region


def describe_target(frame: Frame, state: ScreenState, point: Point, crop_name: str) -> Described:
    el = element_at(state, point)
    box = el.box if el is not None else Rect(point.x - 12, point.y - 12, 24, 24)
    png, region = crop_png(frame, hit_box(el) if el is not None else box)
    desc = TargetDescription(
        text=el.text if el is not None else "",
        kind=el.kind.value if el is not None else "point",
        box=box.as_tuple(),
        point=(point.x, point.y),
        crop=crop_name,
        crop_box=region.as_tuple(),
        neighbours=neighbours(state, box, el),
        role=el.role if el is not None and el.source != "vision" else "",
        name=el.text if el is not None and el.source != "vision" and not el.secret else "",
    )
    return Described(desc, png, el)


def looks_secret(desc: TargetDescription) -> bool:
    """A password-like field: masked text, or a label nearby that says so (the risk policy's
    secret words, so the recorder and the gate agree on what a secret field is)."""
    from gui_agent.control.context import is_masked
    from gui_agent.control.policy import default_policy

    policy = default_policy()
    if is_masked(desc.text) or policy.secret_word(desc.text):
        return True
    # The nearest neighbour to the left or above is the field's label in most layouts.
    labels = [n for n in desc.neighbours if n.dx >= 0 or n.dy >= 0][:1]
    return any(policy.secret_word(n.text) for n in labels)


def label_of(desc: TargetDescription) -> str:
    """A short name for a field, from its nearest label: 'Email:' -> 'email'."""
    for n in desc.neighbours:
        words = re.findall(r"[A-Za-z0-9]+", n.text)
        if words:
            return "_".join(words).lower()[:24]
    return ""
