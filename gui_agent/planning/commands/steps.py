"""What the grammar produces: steps (an action plus what it *means*), and their spelling.

Most commands mean exactly one action. A few mean something only the screen can settle:
"select X" (a check box is ticked, a radio or list row clicked, a closed drop-down opened
first), "submit" and "log in" (the form's own button, whatever it says), "uncheck all boxes"
(as many clicks as there are ticked boxes). Those steps carry an ``intent`` that the embedded
planner resolves against the current screen (``commands.meaning``); their ``action`` is the
static reading, which is what ``parse_commands`` returns for callers without a screen.

``spell`` writes a plan in one line, the way the command corpus (``tests/data/commands``)
states what each goal must give, so a reviewer can read both side by side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from gui_agent.planning.actions import (
    Action,
    AskUser,
    Click,
    Done,
    Drag,
    Hotkey,
    Scroll,
    Target,
    Type,
    Wait,
)

__all__ = ["Intent", "Step", "flatten", "spell", "spell_step"]

Intent = Literal["", "select", "submit", "login", "all"]


@dataclass(frozen=True, slots=True)
class Step:
    """One planned step. ``source``: for "select X from S", the container S (opened first
    when X is not on screen yet)."""

    action: Action
    intent: Intent = ""
    source: Target | None = None


def flatten(steps: list[Step]) -> list[Action]:
    """The static actions of ``steps``: "select X from the Size dropdown" clicks the drop-down
    then X (a list, already open, is not clicked first)."""
    out: list[Action] = []
    for s in steps:
        if s.source is not None and not _is_open_list(s.source):
            out.append(Click(target=s.source))
        out.append(s.action)
    return out


def _is_open_list(t: Target) -> bool:
    q = (t.query or "").lower().rstrip()
    return q.endswith((" list", " listbox", " list box")) or q == "list"


def _t(t: Target | None) -> str:
    if t is None:
        return ""
    return f"#{t.element_id}" if t.element_id is not None else str(t.query)


def spell_step(step: Step) -> str:
    """One step in the corpus spelling (see ``tests/data/commands/README.md``)."""
    a = step.action
    if step.intent in ("submit", "login"):
        return "submit" if step.intent == "submit" else "log in"
    if step.intent == "all" and isinstance(a, Click):
        return f"{'check' if a.checked else 'uncheck'} all checkboxes"
    if step.intent == "select" and isinstance(a, Click):
        src = f" from {_t(step.source)}" if step.source is not None else ""
        return f"select {_t(a.target)}{src}"
    return spell_action(a)


def spell_action(a: Action) -> str:
    if isinstance(a, Click):
        if a.checked is not None:
            return f"{'check' if a.checked else 'uncheck'} {_t(a.target)}"
        verb = {1: "click", 2: "double-click", 3: "triple-click"}[a.count]
        if a.button != "left":
            verb = f"{a.button}-{verb}"
        return f"{verb} {_t(a.target)}"
    if isinstance(a, Type):
        secret = " (secret)" if a.secret else ""
        if a.clear and a.text == "":
            return f"clear {_t(a.target)}"
        if a.clear and a.target is not None:
            return f'fill {_t(a.target)} with "{a.text}"{secret}'
        where = f" into {_t(a.target)}" if a.target is not None else ""
        return f'type "{a.text}"{where}{secret}'
    if isinstance(a, Hotkey):
        return f"press {a.combo}"
    if isinstance(a, Scroll):
        s = f"scroll {a.amount}"
        if a.target is not None:
            s += f" over {_t(a.target)}"
        if a.until_text is not None:
            s += f' until "{a.until_text}"'
        return s
    if isinstance(a, Wait):
        if a.seconds is not None:
            return f"wait {a.seconds:g}s"
        limit = f" {a.timeout:g}s" if a.timeout != 10 else ""
        return f'wait for "{a.until_text}"{limit}'
    if isinstance(a, Drag):
        return f"drag {_t(a.source)} to {_t(a.destination)}"
    if isinstance(a, AskUser):
        return f'ask "{a.question}"'
    if isinstance(a, Done):
        return f'done "{a.summary}"' if a.summary else "done"
    raise TypeError(a)  # pragma: no cover - the union is closed


def spell(steps: list[Step]) -> str:
    """A whole plan in one line, steps joined by " | "."""
    return " | ".join(spell_step(s) for s in steps)
