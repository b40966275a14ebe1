"""Steps whose meaning depends on the screen, settled against the current ``ScreenState``.

The grammar knows what a person *said*; only the screen says what it means:

* a role-only target ("the text field", "the button", "the box") is the only element of that
  role on screen; with several, the planner asks which one (``AskUser``), never picks;
* "select X" ticks X when X is a check box or radio, clicks it when it is a list row, a tab
  or a menu entry, and opens the drop-down first when X is not on screen yet ("from the
  Size dropdown", or the one drop-down there is);
* "submit" and "log in" click the form's own button, whatever it says ("Submit", "Send",
  "Sign in"), asking when there are several candidates and none is named so;
* "uncheck all boxes" clicks each ticked box, one per step, re-reading the screen between;
* text on screen that repeats the goal itself is the page's own instructions (short web tasks
  print them above the controls: "Click the button."), never a target: a role-only or
  ordinal target skips it, and a label the locator would find only inside it is looked up
  again without it.

Each call returns the action to take now and whether the step is finished with it, so a
step can take several actions (open, then pick) while the session re-perceives in between.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from gui_agent.geometry import Rect
from gui_agent.perception.locate import TargetNotFound, locate, parse_query
from gui_agent.perception.state import Element, ElementKind, ScreenState
from gui_agent.planning.actions import Action, AskUser, Click, Drag, Scroll, Target, Type
from gui_agent.planning.commands.steps import Step

__all__ = ["Memo", "settle"]

_CHECKABLE = (ElementKind.CHECKBOX, ElementKind.TOGGLE, ElementKind.RADIO)
_SUBMIT_WORDS = (
    "submit", "send", "ok", "done", "continue", "save", "confirm", "apply", "go", "search",
    "next", "finish",
)  # fmt: skip
_LOGIN_WORDS = ("log in", "login", "sign in", "signin", "log on", "submit", "continue", "ok", "go")


@dataclass
class Memo:
    """What one step has done so far across screens (reset when the step is finished)."""

    opened: bool = False
    clicked: list[Rect] = field(default_factory=list)

    def seen(self, box: Rect) -> bool:
        return any(box.iou(b) > 0.5 for b in self.clicked)


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _names(elements: list[Element]) -> str:
    shown = [f"'{e.text}'" if e.text else f"#{e.id}" for e in elements[:6]]
    more = f" and {len(elements) - 6} more" if len(elements) > 6 else ""
    return ", ".join(shown) + more


def _instructions(state: ScreenState, goal: str) -> set[int]:
    """Ids of elements whose text is the goal itself (the task's printed instructions)."""
    g = _norm(goal)
    if len(g) < 10:
        return set()
    return {
        e.id
        for e in state.elements
        if len(_norm(e.text)) >= 0.6 * len(g) and fuzz.ratio(_norm(e.text), g) >= 80
    }


def _without(state: ScreenState, ids: set[int]) -> ScreenState:
    return ScreenState([e for e in state.elements if e.id not in ids], state.frame_box)


def _role_only(t: Target, state: ScreenState, checkable: bool, skip: set[int]) -> Target | AskUser:
    """``t`` resolved when it names a role only ("the text field", "the 2nd input box"),
    or when only the task's instructions would match it; ``t`` itself otherwise."""
    if t.query is None:
        return t
    q = parse_query(t.query)
    if q.text or not q.kinds or q.relation is not None:
        return t if q.relation is not None else _labelled(t, q.text, bool(q.kinds), state, skip)
    kinds = tuple(q.kinds)
    if checkable and ElementKind.FIELD in kinds:  # "check the box"
        kinds = _CHECKABLE
    found = [e for e in state.of_kind(*kinds) if e.id not in skip]
    if q.ordinal is not None:
        i = q.ordinal - 1 if q.ordinal > 0 else len(found) + q.ordinal
        if 0 <= i < len(found):
            return Target(element_id=found[i].id)
        return t
    if len(found) == 1:
        return Target(element_id=found[0].id)
    if not found:
        return t  # the locator says it is not there, with the closest candidates
    role = q.kind_phrase or kinds[0].value
    return AskUser(
        question=f"Which {role} do you mean? I see {len(found)}: {_names(found)}. "
        f'Name it in the goal, e.g. "the first {role}" or by its label.'
    )


def _labelled(t: Target, text: str, kinded: bool, state: ScreenState, skip: set[int]) -> Target:
    """A labelled target, pinned to an element where the locator alone would go wrong: when
    it would land on the task's instructions (which quote the label too), or when the kind
    word is what fails (a link drawn like a tab, a check box whose own text OCR misread)
    and the label alone matches one element exactly. Otherwise ``t`` as it is."""
    query = t.query or ""
    try:
        first = locate(state, query)
        if first.element.id not in skip:
            return t
        return Target(element_id=locate(_without(state, skip), query).element.id)
    except TargetNotFound:
        pass
    if text and kinded:
        try:
            r = locate(_without(state, skip), f'"{text}"')
        except TargetNotFound:
            return t
        if r.confidence >= 0.85 and not r.ambiguous:
            return Target(element_id=r.element.id)
    return t


def _with_targets(action: Action, state: ScreenState, skip: set[int]) -> Action:
    """``action`` with its role-only targets resolved, or the question to ask instead."""
    checkable = isinstance(action, Click) and action.checked is not None
    if isinstance(action, Click):
        r = _role_only(action.target, state, checkable, skip)
        return r if isinstance(r, AskUser) else action.model_copy(update={"target": r})
    if isinstance(action, Type | Scroll) and action.target is not None:
        r = _role_only(action.target, state, False, skip)
        return r if isinstance(r, AskUser) else action.model_copy(update={"target": r})
    if isinstance(action, Drag):
        src = _role_only(action.source, state, False, skip)
        dst = _role_only(action.destination, state, False, skip)
        for r in (src, dst):
            if isinstance(r, AskUser):
                return r
        assert isinstance(src, Target) and isinstance(dst, Target)
        return action.model_copy(update={"source": src, "destination": dst})
    return action


def _find(state: ScreenState, t: Target) -> Element | None:
    if t.element_id is not None:
        return next((e for e in state.elements if e.id == t.element_id), None)
    try:
        return locate(state, t.query or "").element
    except TargetNotFound:
        return None


def _form_button(state: ScreenState, words: tuple[str, ...], what: str) -> Action:
    buttons = state.of_kind(ElementKind.BUTTON)
    for word in words:
        named = [b for b in buttons if _norm(b.text) == word]
        if len(named) == 1:
            return Click(target=Target(query=f'the "{named[0].text}" button'))
        if len(named) > 1:
            break
    if len(buttons) == 1:
        only = buttons[0]
        target = f'the "{only.text}" button' if only.text else None
        return Click(target=Target(query=target) if target else Target(element_id=only.id))
    if not buttons:
        return Click(target=Target(query=f"the {words[0].capitalize()} button"))
    return AskUser(
        question=f"Which button {what}? I see {len(buttons)}: {_names(buttons)}. "
        'Say "click" and its label.'
    )


def settle(
    step: Step, state: ScreenState, memo: Memo, goal: str = ""
) -> tuple[Action | None, bool]:
    """The action for ``step`` on ``state`` now, and whether the step is then finished.

    ``goal``: the goal's words, to tell the page's printed instructions from its controls.
    ``(None, True)``: nothing to do (e.g. every box is already unticked)."""
    action = step.action
    skip = _instructions(state, goal)
    if step.intent == "submit":
        return _form_button(state, _SUBMIT_WORDS, "submits the form"), True
    if step.intent == "login":
        return _form_button(state, _LOGIN_WORDS, "logs in"), True
    if step.intent == "all" and isinstance(action, Click):
        want = bool(action.checked)
        boxes = [
            b
            for b in state.of_kind(ElementKind.CHECKBOX, ElementKind.TOGGLE)
            if b.checked is not want and not memo.seen(b.box)
        ]
        if not boxes:
            return None, True
        memo.clicked.append(boxes[0].box)
        return Click(target=Target(element_id=boxes[0].id), checked=want), False
    if step.intent == "select" and isinstance(action, Click):
        return _select(step, action, state, memo, skip)
    return _with_targets(action, state, skip), True


def _select(
    step: Step, action: Click, state: ScreenState, memo: Memo, skip: set[int]
) -> tuple[Action, bool]:
    resolved = _with_targets(action, state, skip)
    if isinstance(resolved, AskUser):
        return resolved, True
    assert isinstance(resolved, Click)
    el = _find(_without(state, skip), resolved.target)
    if el is not None:
        if el.kind in _CHECKABLE:
            return resolved.model_copy(update={"checked": True}), True
        return resolved, True
    if not memo.opened:  # not on screen: open what holds it first, then look again
        source: Target | None = step.source
        if source is None:
            combos = state.of_kind(ElementKind.COMBO)
            source = Target(element_id=combos[0].id) if len(combos) == 1 else None
        if source is not None:
            memo.opened = True
            opened = _with_targets(Click(target=source), state, skip)
            return opened, False
    return resolved, True


def answered(step: Step, answer: str) -> Step:
    """``step`` with the person's answer to "which one?" in its role-only target: "the text
    field" answered "Email" is "Email text field", answered "the second" is "the second text
    field"; an answer that names a kind itself ("the Email box") replaces the target."""
    answer = " ".join(answer.split()).strip(" .!?")
    target = getattr(step.action, "target", None)
    if not answer or not isinstance(target, Target) or target.query is None:
        return step
    q = parse_query(target.query)
    if q.text or not q.kinds:
        return step  # not a role-only target: the question was about something else
    role = q.kind_phrase or next(iter(q.kinds)).value
    said = parse_query(answer)
    query = answer if said.kinds else f"{answer} {role}"
    new = step.action.model_copy(update={"target": Target(query=query)})
    return Step(new, step.intent, step.source)
