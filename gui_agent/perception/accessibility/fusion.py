"""Vision and the accessibility tree into one list of elements.

The tree is exact about what a control is (role, name, state) and blind to how it is drawn;
vision is the reverse. So an element both see keeps the tree's kind, name and state; the box
is the tree's once it is checked against the pixels. A tree whose boxes are shifted (a
toolkit reporting window-relative or stale coordinates) is detected by where its named
controls' texts were read and moved back; boxes that still disagree with every pixel are
not trusted and that node is left out rather than placed where nothing is. What the tree
lacks (custom-drawn canvases, apps without a tree) stays as vision saw it.
"""

from __future__ import annotations

import functools
import statistics
from dataclasses import replace

from rapidfuzz import fuzz

from gui_agent.geometry import Rect
from gui_agent.perception.accessibility.nodes import A11yNode
from gui_agent.perception.elements import renumbered
from gui_agent.perception.state import Element, ElementKind
from gui_agent.textnorm import normalize

# Kinds a node contributes as a control of its own (added when vision missed it).
_CONTROLS = frozenset(
    {
        ElementKind.BUTTON,
        ElementKind.FIELD,
        ElementKind.CHECKBOX,
        ElementKind.RADIO,
        ElementKind.COMBO,
        ElementKind.TOGGLE,
        ElementKind.TAB,
        ElementKind.LINK,
        ElementKind.MENU_ITEM,
        ElementKind.SLIDER,
    }
)
# Controls whose box holds their own label: vision's separate reading of it is the same thing.
_LABELLED = frozenset(
    {
        ElementKind.BUTTON,
        ElementKind.CHECKBOX,
        ElementKind.RADIO,
        ElementKind.TOGGLE,
        ElementKind.TAB,
        ElementKind.LINK,
        ElementKind.MENU_ITEM,
    }
)
# Rows of a list, a table or a tree: selected by a click, so they count as controls too.
_ROWS = frozenset({"list item", "table cell", "tree item"})
_MIN_SHIFT = 3  # px: smaller disagreements are anti-aliasing, not a wrong origin


@functools.lru_cache(maxsize=4096)
def _key(text: str) -> str:
    """The words as compared: normalised (case, confusables, punctuation), spaces dropped.
    Cached: fusion compares every node with every element, and screens repeat their texts."""
    return normalize(text).replace(" ", "")


def _same_text(a: str, b: str) -> bool:
    """The tree's name and OCR's reading are the same words: equal, one inside the other, or
    (long texts) close enough that the difference is OCR's ("ham" for "harm")."""
    fa, fb = _key(a), _key(b)
    if not fa or not fb:
        return False
    if fa == fb or (min(len(fa), len(fb)) >= 4 and (fa in fb or fb in fa)):
        return True
    return min(len(fa), len(fb)) >= 8 and fuzz.ratio(fa, fb) >= 85


def _shift(nodes: list[A11yNode], vision: list[Element]) -> tuple[int, int]:
    """The offset that moves the tree's boxes onto the pixels: the median gap between a named
    node and the vision text of the same words, when most such pairs agree on it."""
    gaps = []
    for n in nodes:
        if not n.name:
            continue
        same = [e for e in vision if e.text and _same_text(e.text, n.name)]
        if len(same) == 1:
            e = same[0]
            gaps.append((round(e.box.cx - n.box.cx), round(e.box.cy - n.box.cy)))
    if len(gaps) < 2:
        return 0, 0
    dx = round(statistics.median(g[0] for g in gaps))
    dy = round(statistics.median(g[1] for g in gaps))
    agree = sum(abs(g[0] - dx) <= 8 and abs(g[1] - dy) <= 8 for g in gaps)
    if agree < 0.6 * len(gaps) or (abs(dx) < _MIN_SHIFT and abs(dy) < _MIN_SHIFT):
        return 0, 0
    return dx, dy


def placed(nodes: list[A11yNode], vision: list[Element], frame: Rect) -> list[A11yNode]:
    """The nodes on this frame, their boxes corrected per app and clipped to the frame."""
    out: list[A11yNode] = []
    apps = sorted({n.app for n in nodes})
    for app in apps:
        mine = [n for n in nodes if n.app == app]
        dx, dy = _shift(mine, vision)
        for n in mine:
            box = n.box.translate(dx, dy) if (dx or dy) else n.box
            if "visible" not in n.states and "showing" not in n.states:
                continue
            clipped = box.clip(frame)
            if clipped.is_empty() or clipped.area < 0.5 * box.area:
                continue  # off screen, or mostly outside what was captured
            out.append(replace(n, box=clipped))
    return out


def _match(node: A11yNode, vision: list[Element], taken: set[int], named_only: bool = False
           ) -> Element | None:  # fmt: skip
    """The vision element ``node`` is. A static text node (``named_only``) claims only an
    element that reads its words: a label never takes over the field it wraps."""
    best, best_score = None, 0.0
    for e in vision:
        if e.id in taken:
            continue
        overlap = node.box.iou(e.box)
        common = node.box.intersection(e.box).area
        inside = common >= 0.8 * max(1, e.box.area)  # vision's box within the node's
        holds = common >= 0.8 * max(1, node.box.area)  # the node within vision's box
        named = bool(node.name) and bool(e.text) and _same_text(node.name, e.text)
        score = overlap + (0.5 if (inside or holds) and named else 0.0) + (0.2 if inside else 0.0)
        if (e.kind is ElementKind.CONTAINER and overlap < 0.7) or (named_only and not named):
            continue
        if node.name and not inside and len(_key(node.name)) < 0.85 * len(_key(e.text)):
            continue  # a link or a run of words inside a longer line would cut the line
        close = (
            overlap >= 0.3 or (inside and (named or node.kind in _LABELLED)) or (holds and named)
        )
        close = close or (named and overlap > 0.05)
        if close and score > best_score:
            best, best_score = e, score
    return best


def _from_node(node: A11yNode, seen: Element | None) -> Element:
    """The element for ``node``: the tree's kind, name and state; vision's reading of a
    field's content (the tree names a field by its label)."""
    text = node.name
    seen_text = seen.text if seen is not None else ""
    if node.kind is ElementKind.FIELD or node.kind is ElementKind.COMBO:
        text = seen.text if seen is not None and seen.text else (node.value or "")
    elif not text and seen is not None:
        text = seen.text
    return Element(
        id=0,
        kind=node.kind,
        box=node.box,
        text=text,
        confidence=1.0,
        label_box=seen.label_box if seen is not None else None,
        checked=node.checked,
        char_x=seen.char_x if seen is not None and seen.text == text else (),
        icon_name=seen.icon_name if seen is not None else "",
        icon_score=seen.icon_score if seen is not None else 0.0,
        icon_guesses=seen.icon_guesses if seen is not None else (),
        source="both" if seen is not None else "a11y",
        seen_text=seen_text if seen_text and not _same_text(seen_text, text) else "",
        role=node.role,
        secret=node.secret,
        enabled="enabled" in node.states or "sensitive" in node.states,
        focused="focused" in node.states,
    )


def _stray_label(node: A11yNode, seen: Element) -> Element | None:
    """Vision's label of ``seen`` as a text of its own, when it lies mostly outside the tree
    control ``node`` that ``seen`` turned out to be; None when it is the control's own."""
    lab = seen.label_box
    if lab is None or not seen.text or node.box.intersection(lab).area >= 0.5 * lab.area:
        return None
    return replace(
        seen,
        kind=ElementKind.TEXT,
        box=lab,
        label_box=None,
        checked=None,
        icon_name="",
        icon_score=0.0,
        icon_guesses=(),
    )


def _wraps(node: A11yNode, vision: list[Element]) -> bool:
    """A link that wraps onto a second line: the tree gives the rectangle around both parts,
    which holds the rest of both lines and whose middle is on neither. Vision's lines stay,
    and locate finds the words across the wrap."""
    if node.kind is not ElementKind.LINK:
        return False
    lines = [
        e.box.h
        for e in vision
        if e.kind is ElementKind.TEXT and node.box.intersection(e.box).area >= 0.5 * e.box.area
    ]
    return len(lines) >= 2 and node.box.h >= 1.6 * sorted(lines)[len(lines) // 2]


def fuse_tree(vision: list[Element], nodes: list[A11yNode], frame: Rect) -> list[Element]:
    """One element list from both sources, renumbered in reading order."""
    nodes = placed(nodes, vision, frame)
    if not nodes:
        return vision
    taken: set[int] = set()
    out: list[Element] = []
    covered: list[Rect] = []

    # controls first (smallest first, so a check box wins its label over the panel around it)
    def control(n: A11yNode) -> bool:
        return n.kind in _CONTROLS or n.role in _ROWS

    for node in sorted(nodes, key=lambda n: (not control(n), n.box.area)):
        if not control(node) and not node.name:
            continue  # a nameless label or heading wrapper says nothing vision lacks
        if _wraps(node, vision):
            continue  # its box spans two lines of words that are not its own: vision's lines
        seen = _match(node, vision, taken, named_only=not control(node))
        if seen is None and not control(node):
            continue  # a label vision did not read: nothing there worth a target of its own
        if seen is not None:
            taken.add(seen.id)
            stray = _stray_label(node, seen)
            if stray is not None:
                # vision hung a text beside the control on it (a fake radio over a document
                # icon "labelled" with the title next to it): the control is the tree's, the
                # text stays a text of its own
                out.append(stray)
                seen = replace(seen, label_box=None, text="", char_x=())
        out.append(_from_node(node, seen))
        if control(node):
            covered.append(node.box)
    for e in vision:
        if e.id in taken:
            continue
        # vision's reading of a control's own label or content (or a misreading straddling
        # it, as OCR's "8" across a calculator's "5" key), now part of that control
        if any(b.intersection(e.box).area >= 0.5 * max(1, e.box.area) for b in covered):
            continue
        out.append(e)
    return renumbered(out)
