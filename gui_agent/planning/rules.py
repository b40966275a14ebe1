r"""The embedded planner: direct commands in words -> actions, with no LLM.

It exists so the agent is useful offline and testable deterministically: a person who says
*exactly* what to do ("click File, then Save As; type 'q3.pdf' into the File name field;
press enter") gets exactly that, and anything it does not understand is refused with
``UnparsedCommand`` (naming the part it could not read and pointing at the LLM planners),
never guessed at, because a wrong guess here becomes a wrong click on someone's desktop.

Grammar (case-insensitive verbs; element names keep their case and go to
``gui_agent.perception.locate`` as queries, so its whole query grammar works in them)::

    goal     := command (SEP command)*
    SEP      := newline | ";" | "," [and] [then] | "." + space | "then" | "and then"
              | "and" before a command verb
    command  := click | check | select | type | fill | clear | press | scroll | wait
              | drag | ask | done | bare-key | bare-target (after a click-like command)

    click    := [double-|triple-|right-|middle-|left-]click [on] T | tap T
    check    := (check|tick|uncheck|untick|toggle) T   -> Click "checkbox T" (kind added
                                                          unless T names one)
    select   := (select|choose|pick) T [from T2]       -> Click T2 (to open it), Click T
    type     := (type|enter|input|write) TEXT [(into|in|on) T]
                                                       -> Type into "the T field"
    fill     := fill [in|out] T with TEXT              -> Type into "the T field", clear=True
    clear    := (clear|empty|erase) T                  -> Type "" into "the T field", clear
    press    := (press|hit|push) KEYS [key] [twice|N times] | (key|keys|shortcut) KEYS
              | (press|push) T-naming-a-button         -> Click
    bare-key := KEYS with "+" | enter | return | tab | esc | escape
    scroll   := scroll [down|up] [[by] N [times|notches|...]] [(in|on|over) T]
                [(until|till) [you see] TEXT [appears|is visible|...]]
              | scroll to TEXT
    wait     := wait [for] N [ms|s|seconds|min] | wait a (second|moment|bit)
              | wait (for|until) TEXT [appears|to appear|...] [(up to|at most) N seconds]
    drag     := drag [and drop] T (to|onto|into|over) T
    ask      := ask [me|the user] QUESTION
    done     := done | finish | stop [":" SUMMARY]

Choices worth knowing:

* Quoted text ('...', "...", ‘...’, “...”) is literal: separators and keywords inside it are
  ignored. Typed text should be quoted when it contains a separator or " into ".
* A command with no verb right after a click-like one repeats that verb ("click File, then
  Save As" clicks both), because that is what the sentence says, but only when it reads like
  an element name (starts with a capital, a digit, a quote, "#" or "the"): "click Save,
  then make coffee" is refused rather than clicking "make coffee".
* Typed text goes to "the T field" unless T already names a kind ("the Notes box",
  "the Country combo") or an id ("#12"). "fill" replaces what is in the field; "type"
  and "enter" add to it. A target that mentions a password, passcode, PIN, passphrase or
  secret makes the Type ``secret``.
* "select X" clicks X with no kind added: X may be a radio button, a list row, a tab or a
  menu entry, and ``locate`` prefers actionable elements on its own; say "select the Pro
  option" to insist on a radio button.
* "check"/"uncheck" are clicks, which toggle: the plan says what to click, and the executor
  (which sees ``Element.checked``) decides whether the click is still needed.
* "scroll ... until X appears" is one ``Scroll`` with ``until_text``: the executor repeats
  it (re-perceiving in between) up to ``max_steps`` times. A direction defaults to down and
  an amount to 3 notches, since "scroll down" without a number means "a bit".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from gui_agent.errors import GuiAgentError
from gui_agent.planning.actions import (
    Action,
    ActionError,
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

__all__ = ["DEFAULT_SCROLL", "UnparsedCommand", "parse_commands"]

DEFAULT_SCROLL = 3

_LLM_HINT = "or use an LLM planner: --planner openai or --planner anthropic"


class UnparsedCommand(GuiAgentError):
    """Part of a goal is not a direct command the embedded planner knows."""

    def __init__(self, part: str, goal: str = "", detail: str = "") -> None:
        self.part = part
        self.goal = goal
        self.detail = detail
        shown = f'"{part}"' if part else "the goal"
        why = f" ({detail})" if detail else ""
        super().__init__(
            f"the built-in planner cannot understand {shown}{why}. It follows direct "
            'commands only, such as "click Save", "type \'q3.pdf\' into the File name '
            'field", "press ctrl+s", "scroll down", "wait for Saved". Rephrase it as such '
            f"commands, {_LLM_HINT}."
        )


# --------------------------------------------------------------------------------------------
# Quotes and separators
# --------------------------------------------------------------------------------------------

# A quote opens at the start or after whitespace/"(" and closes before the end, whitespace or
# punctuation, so apostrophes inside words ("don't", "Bob's") are not quotes.
_QUOTE_RE = re.compile(
    r"""(?:^|(?<=[\s(]))(?:'(?P<a>.*?)'|"(?P<b>.*?)"|‘(?P<c>.*?)’|“(?P<d>.*?)”)"""
    r"""(?=$|[\s,.;:!?)])""",
    re.DOTALL,
)
_OPEN_QUOTE_RE = re.compile(r"""(?:^|(?<=[\s(]))['"‘“]""")
_TOKEN_RE = re.compile(r"\x01(\d+)\x02")

_VERBS = (
    r"(?:double[- ]?|triple[- ]?|right[- ]?|middle[- ]?|left[- ]?)?click|tap|check|uncheck|"
    r"tick|untick|toggle|select|choose|pick|type|enter|input|write|fill|clear|empty|erase|"
    r"press|hit|push|scroll|wait|drag|ask|done|finish"
)
_SEP_RE = re.compile(
    r"\s*(?:\n|;|,\s*(?:and\s+)?(?:then\b)?|(?<!\.)\.(?:\s+|$)|\s+and\s+then\b|\s+then\b"
    rf"|\s+and\s+(?=(?:{_VERBS})\b))\s*",
    re.IGNORECASE,
)
_FILLER_RE = re.compile(
    r"^(?:please|then|and|also|next|now|finally|first|afterwards|after\s+that)\b[\s,:]*",
    re.IGNORECASE,
)
_TAIL_RE = re.compile(r"(?:[\s,]+please)?[\s!]*$", re.IGNORECASE)


class _Literals:
    """Quoted spans of one goal, masked out as ``\\x01N\\x02`` tokens while we split."""

    def __init__(self, goal: str) -> None:
        self.items: list[tuple[str, str]] = []  # (text inside, text with its quotes)

        def repl(m: re.Match[str]) -> str:
            inner = next(g for g in m.group("a", "b", "c", "d") if g is not None)
            self.items.append((inner, m.group(0)))
            return f"\x01{len(self.items) - 1}\x02"

        self.masked = _QUOTE_RE.sub(repl, goal)
        if _OPEN_QUOTE_RE.search(self.masked):
            raise UnparsedCommand(
                goal.strip(), goal, "a quote is not closed; close it with the same quote mark"
            )

    def restore(self, s: str) -> str:
        """``s`` with tokens put back, quotes included (for element queries and messages)."""
        return _TOKEN_RE.sub(lambda m: self.items[int(m.group(1))][1], s)

    def text(self, s: str) -> str:
        """Literal text: a lone quoted span loses its quotes; anything else is restored."""
        m = _TOKEN_RE.fullmatch(s.strip())
        if m:
            return self.items[int(m.group(1))][0]
        return self.restore(s.strip())

    def is_literal(self, s: str) -> bool:
        return _TOKEN_RE.fullmatch(s.strip()) is not None


def _split(masked: str) -> list[str]:
    """Clauses of a masked goal, with filler words and trailing politeness removed."""
    clauses: list[str] = []
    for raw in _SEP_RE.split(masked):
        c = raw.strip()
        while True:
            stripped = _FILLER_RE.sub("", c, count=1).strip()
            if stripped == c:
                break
            c = stripped
        c = _TAIL_RE.sub("", c).strip()
        if c:
            clauses.append(c)
    return clauses


# --------------------------------------------------------------------------------------------
# Targets
# --------------------------------------------------------------------------------------------

_ID_RE = re.compile(r"#\s*(\d+)|(?:element|elem|id)\s*#?\s*(\d+)", re.IGNORECASE)
_ARTICLE_RE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_FIELD_KINDS = (
    r"field|box|input|textbox|text\s+box|entry|area|textarea|combo|combobox|combo\s+box|"
    r"dropdown|drop-down|list|editor|spinbox|spin\s+box"
)
_CHECK_KINDS = r"checkbox|check\s+box|check-box|tickbox|tick\s+box|box|radio|option|switch|toggle"
_SECRET_RE = re.compile(
    r"\b(?:password|passwd|passcode|passphrase|pin|secret|pwd)s?\b", re.IGNORECASE
)


def _names_kind(query: str, kinds: str) -> bool:
    """Whether ``query`` already says what kind of element it is (first or last words)."""
    q = _ARTICLE_RE.sub("", query.strip())
    return bool(re.search(rf"(?:^|\s)(?:{kinds})$", q, re.IGNORECASE)) or bool(
        re.match(rf"(?:{kinds})\s", q, re.IGNORECASE)
    )


def _target(lits: _Literals, masked: str, kind: str = "") -> Target:
    """A ``Target`` from a masked phrase: "#12" is an id; ``kind`` is added when missing."""
    masked = masked.strip()
    m = _ID_RE.fullmatch(masked)
    if m:
        return Target(element_id=int(m.group(1) or m.group(2)))
    query = lits.restore(masked)
    if kind == "field" and not _names_kind(query, _FIELD_KINDS):
        query = f"the {_ARTICLE_RE.sub('', query)} field"
    elif kind == "checkbox" and not _names_kind(query, _CHECK_KINDS):
        query = f"checkbox {_ARTICLE_RE.sub('', query)}"
    return Target(query=query)


def _is_secret(target: Target | None) -> bool:
    return target is not None and target.query is not None and bool(_SECRET_RE.search(target.query))


# --------------------------------------------------------------------------------------------
# Clause grammar
# --------------------------------------------------------------------------------------------

_I = re.IGNORECASE
_CLICK_RE = re.compile(
    r"^(?P<verb>(?:(?P<mod>double|dbl|triple|right|middle|left)[- ]?)?click|tap)"
    r"(?:\s+on)?\s+(?P<t>.+?)(?:\s+(?P<twice>twice))?$",
    _I,
)
_CHECK_RE = re.compile(r"^(?:check|tick|uncheck|untick|toggle)(?:\s+on)?\s+(?P<t>.+)$", _I)
_SELECT_RE = re.compile(
    r"^(?:select|choose|pick)\s+(?P<t>.+?)(?:\s+from\s+(?P<src>.+))?$",
    _I,
)
_TYPE_RE = re.compile(r"^(?:type|enter|input|write)\s+(?P<rest>.+)$", _I)
_FILL_RE = re.compile(r"^fill(?:\s+in|\s+out)?\s+(?P<t>.+?)\s+with\s+(?P<x>.+)$", _I)
_CLEAR_RE = re.compile(r"^(?:clear|empty|erase)\s+(?P<t>.+)$", _I)
_PRESS_RE = re.compile(
    r"^(?P<verb>press|hit|push|key|keys|shortcut|use\s+shortcut)\s+(?P<k>.+?)"
    r"(?:\s+(?:key|keys))?(?:\s+(?P<rep>twice|thrice|\d+\s+times|x\s*\d+))?$",
    _I,
)
_BARE_KEY_RE = re.compile(r"^(?:\S+\s*\+\s*)+\S+$|^(?:enter|return|tab|esc|escape)$", _I)
_SCROLL_RE = re.compile(
    r"^scroll(?:\s+(?P<dir>down|up))?"
    r"(?:\s+(?:by\s+)?(?P<n>\d+)(?:\s+(?:times|notches|clicks|steps|lines|ticks))?)?"
    r"(?:\s+(?:in|on|over|inside)\s+(?P<t>.+?))?"
    r"(?:\s+(?:(?:until|till)\s+(?:you\s+see\s+)?|to\s+)(?P<u>.+?)"
    r"(?:\s+(?:appears|is\s+visible|shows\s+up|is\s+shown|comes\s+into\s+view))?)?$",
    _I,
)
_NUM = r"\d+(?:\.\d+)?"
_WAIT_TIME_RE = re.compile(
    rf"^wait(?:\s+for)?\s+(?P<n>{_NUM})\s*"
    r"(?P<u>ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?)?$",
    _I,
)
_WAIT_MOMENT_RE = re.compile(r"^wait(?:\s+(?:for\s+)?a\s+(?:second|sec|moment|bit))?$", _I)
_WAIT_TEXT_RE = re.compile(
    r"^wait\s+(?:for|until|till)\s+(?:the\s+text\s+)?(?P<x>.+?)"
    r"(?:\s+(?:to\s+appear|appears|is\s+shown|is\s+visible|shows\s+up|to\s+show\s+up))?"
    rf"(?:\s+(?:for\s+)?(?:up\s+to|at\s+most|max)\s+(?P<t>{_NUM})\s*(?:s|secs?|seconds?))?$",
    _I,
)
_DRAG_RE = re.compile(
    r"^drag(?:\s+and\s+drop)?\s+(?P<s>.+)\s+(?:to|onto|into|over)\s+(?P<d>.+)$", _I
)
_ASK_RE = re.compile(r"^ask(?:\s+(?:me|the\s+user|user))?\s+(?P<q>.+)$", _I)
_DONE_RE = re.compile(
    r"^(?:done|finish(?:ed)?|stop|that'?s\s+all|that\s+is\s+all)(?:\s*[:\-]\s*(?P<s>.+))?$",
    _I,
)

_ClickLike = Callable[[str], Action]

# A verbless clause repeats the previous click-like verb only when it reads like an element
# name (capitalised, quoted, "#12" or "the ..."); "click Save, then make coffee" is refused.
_INHERITS_RE = re.compile(r"^(?:[A-Z0-9\x01#]|(?:the|element)\s)")


def _repeat(rep: str | None) -> int:
    if not rep:
        return 1
    rep = rep.lower()
    if rep == "twice":
        return 2
    if rep == "thrice":
        return 3
    return int(re.sub(r"\D", "", rep))


class _Parser:
    def __init__(self, goal: str) -> None:
        self.goal = goal
        self.lits = _Literals(goal)
        self.last_click: _ClickLike | None = None

    def fail(self, clause: str, detail: str = "") -> UnparsedCommand:
        return UnparsedCommand(self.lits.restore(clause), self.goal, detail)

    def parse(self) -> list[Action]:
        clauses = _split(self.lits.masked)
        if not clauses:
            raise UnparsedCommand("", self.goal, "the goal is empty")
        actions: list[Action] = []
        for c in clauses:
            try:
                actions.extend(self.clause(c))
            except ActionError as e:
                raise self.fail(c, str(e)) from None
        return actions

    def clause(self, c: str) -> list[Action]:
        lits = self.lits
        previous, self.last_click = self.last_click, None

        if m := _DONE_RE.match(c):
            return [Done(summary=lits.text(m["s"]) if m["s"] else "")]

        if m := _CLICK_RE.match(c):
            mod = (m["mod"] or "").lower()
            count = {"double": 2, "dbl": 2, "triple": 3}.get(mod, 1)
            if m["twice"]:
                count = 2
            button = mod if mod in ("right", "middle") else "left"

            def click(t: str, count: int = count, button: str = button) -> Action:
                return Click.model_validate(
                    {"target": _target(lits, t), "button": button, "count": count}
                )

            self.last_click = click
            return [click(m["t"])]

        if m := _CHECK_RE.match(c):
            if re.match(r"(?:that|whether|if|for|out)\b", m["t"], _I):
                raise self.fail(c, "to verify something, use an LLM planner")

            verb = c.split(None, 1)[0].lower()
            asked = None if verb == "toggle" else not verb.startswith("un")

            def check(t: str, asked: bool | None = asked) -> Action:
                return Click(target=_target(lits, t, "checkbox"), checked=asked)

            self.last_click = check
            return [check(m["t"])]

        if m := _SELECT_RE.match(c):

            def select(t: str) -> Action:
                return Click(target=_target(lits, t))

            self.last_click = select
            opened: list[Action] = [select(m["src"])] if m["src"] else []
            return [*opened, select(m["t"])]

        if m := _FILL_RE.match(c):
            target = _target(lits, m["t"], "field")
            return [
                Type(text=lits.text(m["x"]), target=target, clear=True, secret=_is_secret(target))
            ]

        if m := _CLEAR_RE.match(c):
            return [Type(text="", target=_target(lits, m["t"], "field"), clear=True)]

        if _BARE_KEY_RE.match(c) and (keys := self._hotkey(c)) is not None:
            return [keys]

        if m := _TYPE_RE.match(c):
            return [self._type(c, m["rest"])]

        if m := _PRESS_RE.match(c):
            key = self._hotkey(_ARTICLE_RE.sub("", m["k"]))
            if key is not None:
                return [key] * _repeat(m["rep"])
            if m["verb"].lower() in ("press", "push") and (
                lits.is_literal(m["k"]) or _names_kind(lits.restore(m["k"]), r"button|btn|icon")
            ):
                return [Click(target=_target(lits, m["k"]))]
            try:
                Hotkey.parse(lits.restore(_ARTICLE_RE.sub("", m["k"])))
            except ActionError as e:
                raise self.fail(c, str(e).split(": ", 2)[-1]) from None

        if m := _SCROLL_RE.match(c):
            if m["u"] and re.fullmatch(r"(?:the\s+)?(?:bottom|top|end|start)", m["u"], _I):
                raise self.fail(c, 'say how far, e.g. "scroll down 10", or press end / home')
            if not (m["dir"] or m["u"]):
                raise self.fail(c, 'say "scroll down" or "scroll up"')
            n = int(m["n"]) if m["n"] else DEFAULT_SCROLL
            return [
                Scroll(
                    amount=-n if (m["dir"] or "down").lower() == "up" else n,
                    target=_target(lits, m["t"]) if m["t"] else None,
                    until_text=lits.text(m["u"]) if m["u"] else None,
                )
            ]

        if m := _WAIT_TIME_RE.match(c):
            unit = (m["u"] or "s").lower()
            scale = 0.001 if unit.startswith("m") and unit not in ("m", "min", "mins") else 1.0
            if unit in ("m", "min", "mins", "minute", "minutes"):
                scale = 60.0
            return [Wait(seconds=float(m["n"]) * scale)]
        if _WAIT_MOMENT_RE.match(c) and c.strip().lower() != "wait":
            return [Wait(seconds=1.0)]
        if m := _WAIT_TEXT_RE.match(c):
            timeout = float(m["t"]) if m["t"] else 10.0
            return [Wait(until_text=lits.text(m["x"]), timeout=timeout)]

        if m := _DRAG_RE.match(c):
            return [Drag(source=_target(lits, m["s"]), destination=_target(lits, m["d"]))]

        if m := _ASK_RE.match(c):
            q = lits.text(m["q"])
            return [AskUser(question=q if q.endswith("?") else q + "?")]

        if previous is not None and _INHERITS_RE.match(c):
            self.last_click = previous
            return [previous(c)]

        raise self.fail(c)

    def _hotkey(self, masked: str) -> Hotkey | None:
        if self.lits.is_literal(masked):
            return None
        try:
            return Hotkey.parse(self.lits.restore(masked))
        except ActionError:
            return None

    def _type(self, c: str, rest: str) -> Type:
        """``type TEXT [into|in|on|to T]``; unquoted TEXT splits at the last " into ", or at
        the last " in "/" on " only when what follows clearly names an element."""
        lits = self.lits
        text_part, target_part = rest, ""
        lead = re.match(r"^\s*(\x01\d+\x02)\s*(?:(?:into|in|on|to)\s+(?P<t>.+))?$", rest, _I)
        if lead:
            text_part, target_part = lead.group(1), lead["t"] or ""
        elif _TOKEN_RE.match(rest.strip()):
            raise self.fail(c, "after the quoted text, say where: into the Name field")
        else:
            parts = re.split(r"\s+into\s+", rest, flags=_I)
            if len(parts) > 1:
                text_part, target_part = " into ".join(parts[:-1]), parts[-1]
            else:
                m = re.match(r"^(?P<x>.+)\s+(?:in|on)\s+(?P<t>.+?)$", rest, _I)
                if m and (
                    _ARTICLE_RE.match(m["t"])
                    or _names_kind(m["t"], _FIELD_KINDS)
                    or _ID_RE.fullmatch(m["t"])
                ):
                    text_part, target_part = m["x"], m["t"]
        if not text_part.strip() or (target_part == "" and rest.strip().lower().endswith(" into")):
            raise self.fail(c, "nothing to type")
        target = _target(lits, target_part, "field") if target_part.strip() else None
        return Type(text=lits.text(text_part), target=target, secret=_is_secret(target))


def parse_commands(goal: str) -> list[Action]:
    """Parse a goal made of direct commands into actions, or raise ``UnparsedCommand``.

    >>> [a.describe() for a in parse_commands("click File, then Save As; press enter")]
    ['Click File', 'Click Save As', 'Press enter']
    """
    return _Parser(goal).parse()
