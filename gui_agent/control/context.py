"""What an action will act on, gathered right before it runs: the gate's evidence.

A label's words alone are a poor guide to what a click does: "Yes" deletes 500 records under
one prompt and keeps changes under another, an icon has no words at all, and a key press
acts on whatever has focus. So before the gate judges an action, this module collects:

* the **control at the pixel** the action lands on (the smallest control containing the
  resolved point, which need not be the element the query named: a query for a dialog
  lands on whatever sits at the dialog's centre);
* the **window** it is in (from the window system where one can be asked) and what that
  window shows: its prompt text and its other controls;
* what has **keyboard focus**, as far as the session can know it;
* whether typed text goes into a **secret** field: by its label, by its masking (bullets on
  screen), or because the field is known secret from earlier.

Everything here reads data; nothing sends input.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gui_agent.control.policy import Policy
from gui_agent.geometry import Point, Rect
from gui_agent.perception.locate import TargetNotFound, locate
from gui_agent.perception.state import Element, ElementKind, ScreenState
from gui_agent.planning.actions import ResolvedTarget, Target
from gui_agent.screen.windows import WindowInfo

__all__ = [
    "EDITABLE",
    "MASK_CHARS",
    "ActionContext",
    "Focus",
    "control_at",
    "editable_target",
    "is_masked",
    "resolve_target",
    "secret_reason",
    "window_elements",
]

K = ElementKind

#: Kinds that take typed text. A container is a text area as far as perception can tell.
EDITABLE = frozenset({K.FIELD, K.COMBO, K.CONTAINER})
#: What OCR reads for a masked field's echo characters.
MASK_CHARS = "•●·∙*.∗⚫⬤○◦"
# Kinds a pointer lands on on purpose (a container is where things are, not a target).
_CONTROLS = frozenset(set(ElementKind) - {K.CONTAINER, K.TEXT})
# A runner-up scoring below this is no candidate for a retry (locate's own acceptance bar).
_FAIR_MATCH = 0.6
# Without a window system: how far around a target its "window" is assumed to reach.
_BAND_ABOVE, _BAND_SIDE, _BAND_BELOW = 320, 420, 80


@dataclass(frozen=True)
class Focus:
    """What has keyboard focus, as far as the session knows: the control it last clicked or
    typed into, while nothing since could have moved focus. ``element`` None is "unknown"."""

    element: Element | None = None
    window: WindowInfo | None = None
    reason: str = "nothing has been focused by the agent yet"

    @property
    def known(self) -> bool:
        return self.element is not None

    @property
    def editable(self) -> bool:
        return self.element is not None and self.element.kind in EDITABLE


@dataclass(frozen=True)
class ActionContext:
    """The gate's evidence for one action (see the module docstring)."""

    target: Element | None = None
    destination: Element | None = None
    window: WindowInfo | None = None
    window_elements: tuple[Element, ...] = ()
    focus: Focus = field(default_factory=Focus)
    secret: str | None = None

    def prompt_texts(self) -> list[str]:
        """What the window says around the target: its question or message, and its title.

        The kind of an element is not trusted here (perception may read a dialog's question
        as a button): every text in the window counts, except the target's own, the
        contents of text boxes (the user's data) and other generic answers ("No", "OK").
        In a dialog the whole window speaks; in a main window only what sits near the
        target (above it, as a question sits above its buttons) does."""
        near = None
        if self.target is not None and (self.window is None or not self.window.secondary):
            near = _band(self.target.box)
        out = []
        for e in self.window_elements:
            if e is self.target or e.kind in EDITABLE or not e.text.strip():
                continue
            if self.target is not None and e.box == self.target.box:
                continue
            if near is not None and not near.contains_point(e.box.center):
                continue
            out.append(e.text)
        if self.window is not None and self.window.title.strip():
            out.append(self.window.title)
        return out

    def controls(self) -> list[Element]:
        """The window's other controls (buttons and the like)."""
        return [e for e in self.window_elements if e.kind in _CONTROLS and e is not self.target]


def _hit(e: Element) -> Rect:
    return e.box.union(e.label_box) if e.label_box is not None else e.box


def resolve_target(
    target: Target, state: ScreenState
) -> tuple[ResolvedTarget, Element, list[Element]]:
    """Ground ``target`` on ``state``: by id, or by query through ``locate``; also the next
    candidates (a query's runners-up). ``TargetNotFound`` for an unknown id as well, so
    callers handle one error."""
    if target.element_id is not None:
        try:
            el = state.by_id(target.element_id)
        except KeyError:
            raise TargetNotFound(
                f"#{target.element_id}", detail="no such element id in this screen state"
            ) from None
        return ResolvedTarget.from_element(target, el), el, []
    assert target.query is not None
    hit = locate(state, target.query)
    found = ResolvedTarget.from_element(target, hit.element, hit.confidence)
    return found, hit.element, [m.element for m in hit.runners_up if m.score >= _FAIR_MATCH]


def control_at(
    state: ScreenState, point: tuple[int, int], fallback: Element | None
) -> Element | None:
    """The control a pointer at ``point`` acts on: the smallest control containing it (a
    check box's label counts as the check box), else the smallest text or container there,
    else ``fallback``."""
    p = Point(*point)
    inside = [e for e in state.elements if _hit(e).contains_point(p)]
    controls = [e for e in inside if e.kind in _CONTROLS]
    for pool in (controls, [e for e in inside if e.kind is K.TEXT], inside):
        if pool:
            return min(pool, key=lambda e: _hit(e).area)
    return fallback


def editable_target(state: ScreenState, element: Element) -> Element | None:
    """The editable box that ``element`` is, or that contains it (a line of text inside a
    text area is the text area); None when typing there would not go into a text box."""
    if element.kind in EDITABLE:
        return element
    if element.kind is K.TEXT:
        boxes = [e for e in state.elements if e.kind in EDITABLE and e.box.contains(element.box)]
        if boxes:
            return min(boxes, key=lambda e: e.box.area)
    return None


def _band(t: Rect) -> Rect:
    """Around a target: where the question it answers would be (mostly above it)."""
    return Rect.from_ltrb(t.left - _BAND_SIDE, t.top - _BAND_ABOVE, t.right + _BAND_SIDE,
                          t.bottom + _BAND_BELOW)  # fmt: skip


def window_elements(
    state: ScreenState, window: WindowInfo | None, target: Element | None
) -> tuple[Element, ...]:
    """What the target's window shows. With a known window: every element whose centre is
    inside it. Without one: a band around the target (a dialog's question sits above its
    buttons), a guess that errs towards including a prompt."""
    if window is not None:
        box = window.box
    elif target is not None:
        box = _band(target.box)
    else:
        return ()
    return tuple(e for e in state.elements if box.contains_point(e.box.center))


def is_masked(text: str) -> bool:
    """Whether a field's visible text is echo characters only (a filled password field)."""
    t = text.replace(" ", "")
    return bool(t) and all(ch in MASK_CHARS for ch in t)


def secret_reason(state: ScreenState | None, element: Element | None, policy: Policy) -> str | None:
    """Why typing into ``element`` types a secret, or None: it shows masked text, or its
    label (or its own placeholder) names a secret ("Password", "PIN", "API key")."""
    if element is None:
        return None
    if element.secret:
        return "the app says it is a password field"
    if is_masked(element.text):
        return "the field masks what is typed into it"
    word = policy.secret_word(element.text) if element.kind in EDITABLE else None
    if word is not None:
        return f"the field says '{word}'"
    if state is not None:
        from gui_agent.perception.locate import label_of  # the locator's own label rule

        label = label_of(state, element)
        if label is not None:
            word = policy.secret_word(label.text)
            if word is not None:
                return f"its label says '{word}'"
    return None
