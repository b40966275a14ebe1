"""One clause -> steps: the verbs people use for direct commands, and what each one means.

The grammar is a table of clause patterns tried in order (``_Parser.clause``); each names
its verbs and synonyms once. It stays regular expressions rather than a parser generator on
purpose: a command is a verb, a free-text label and a few particles ("into", "from",
"with"), and the labels are arbitrary words, so a context-free grammar would reduce to the
same verb-led patterns plus an ambiguous "any words" rule, slower (the corpus bench allows
5 ms a goal) and no easier to read.

Verbs (case-insensitive; labels keep their case and go to ``perception.locate``)::

    click     := [double-|triple-|right-|middle-|left-]click [on|into] T [twice] | tap T
    check     := check|tick|mark|enable|turn on|switch on T -> a click that ends checked;
                 uncheck|untick|unmark|disable|turn off|switch off T; toggle T
                 (check|uncheck|clear) all|every (the) boxes -> one click per box on screen
    select    := select|choose|pick T [from|in T2] [as|for ...]  (screen decides: see meaning)
                 select all|everything -> ctrl+a; select nothing -> no step
    navigate  := focus [on|into] T | put the cursor in T | expand|collapse|show|open T
                 | go|switch|navigate to T | visit|follow T  -> click;  go back -> alt+left
                 close|dismiss the dialog|popup -> esc
    type      := type|enter|input|write|put|answer TEXT [into|in|on|to T]  (+ the field kind)
                 TEXT as|for T -> fill;  enter the username "ana" -> into the username field
                 search for TEXT -> type into the search field, press enter
    fill      := fill [in|out] T with TEXT [and T2 with TEXT2] | set|change|update T to TEXT
                 | replace the text in T with TEXT | fill the form: T "x", T2 "y"
    clear     := clear|empty|erase T | delete the text in T
    press     := press|hit|push KEYS [key] [twice|N times] | a bare key or chord
                 | press|hit|push a label -> click "the LABEL button"
    edit      := copy | paste [into T] | undo | redo | save [the file]
    submit    := submit [the form]  -> the form's submit button;  log in|sign in [as U with
                 password P | with username U and password P] -> fills, then the login button
    scroll    := scroll [up|down] [N] [in|over T] [until|to TEXT] | scroll to the bottom|top
    wait      := wait|pause|sleep N [unit] | wait for|until TEXT [up to N s] | wait a moment
    drag      := drag [and drop]|move T to T2
    ask, done := ask [me] QUESTION | done|finish|stop [: SUMMARY]

A clause with no verb continues the previous one: "click File, then Save As" clicks both;
after a plain comma a list item may be lower case ("select ACjXo, ktK, ZAHr"); "T2 with X"
continues a fill, "'b' into T2" a type. Elsewhere a verbless clause must read like a label
(capital, digit, quote, "the"), so "click Save, then make coffee" is refused, not clicked.

Refused on purpose (``UnparsedCommand``, pointing at the LLM planners): anything whose target
needs judgement ("the cheapest", "the word that is a fruit", "a random option"), typed text
that is a description rather than text ("write a poem"), questions and statements.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from gui_agent.planning.actions import (
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
from gui_agent.planning.commands.errors import UnparsedCommand
from gui_agent.planning.commands.literals import TOKEN_RE, Literals
from gui_agent.planning.commands.split import Clause, clauses
from gui_agent.planning.commands.steps import Intent, Step
from gui_agent.planning.commands.targets import (
    ARTICLE_RE,
    FIELD_KINDS,
    clean,
    is_secret,
    judgement,
    names_kind,
    target,
)

__all__ = ["DEFAULT_SCROLL", "MAX_GOAL_CHARS", "parse_goal"]

DEFAULT_SCROLL = 3
MAX_GOAL_CHARS = 4000

_I = re.IGNORECASE


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, _I)


# -- patterns, one per command family ---------------------------------------------------------
_DONE_RE = _re(
    r"^(?:done|finish(?:ed)?|stop|that'?s\s+(?:all|it)|that\s+is\s+all|all\s+done)"
    r"(?:\s*[:\-]\s*(?P<s>.+))?$"
)
_ALL_BOXES_RE = _re(
    r"^(?P<v>check|tick|mark|select|uncheck|untick|unmark|clear|deselect)\s+(?:all|every)"
    r"(?:\s+(?:of\s+)?the)?\s+(?:check\s*-?)?box(?:es)?$"
)
_SELECT_ALL_RE = _re(r"^select\s+(?:all|everything)(?:\s+(?:of\s+)?the\s+text)?$")
_SELECT_TEXT_IN_RE = _re(r"^select\s+(?:all\s+)?the\s+text\s+(?:in|of)\s+(?P<t>.+)$")
_SUBMIT_RE = _re(
    r"^submit(?:\s+(?:the\s+|your\s+|this\s+)?(?:form|answer|it|page|entry|data|details|"
    r"information|request|response))?$"
)
_LOGIN_RE = _re(
    r"^(?:log\s*-?\s*in|sign\s*-?\s*in|log\s+on)(?:\s*(?:to|into)\s+(?:the\s+)?"
    r"(?:site|app|page|account|website|portal|system))?(?P<rest>\s+.+)?$"
)
_LOGOUT_RE = _re(r"^(?P<v>log|sign)\s*-?\s*(?:out|off)$")
_CLICK_RE = _re(
    r"^(?P<verb>(?:(?P<mod>double|dbl|triple|right|middle|left)[- ]?)?click(?:ing)?|tap)"
    r"(?:\s+(?:into|in)(?=\s+(?:the\s|\x01)))?\s+(?P<t>.+?)(?:\s+(?P<twice>twice))?$"
)
_CHECK_RE = _re(
    r"^(?P<v>check|tick|mark|enable|turn\s+on|switch\s+on|uncheck|untick|unmark|disable|"
    r"turn\s+off|switch\s+off|toggle)(?:\s+on)?\s+(?P<t>.+)$"
)
_TURN_RE = _re(r"^(?:turn|switch)\s+(?P<t>.+?)\s+(?P<v>on|off)$")
_SELECT_RE = _re(r"^(?:select|choose|pick)\s+(?P<t>.+)$")
_FROM_RE = _re(r"^(?P<t>.+?)\s+(?P<how>from|in|within|inside|out\s+of)\s+(?P<src>.+)$")
_AS_TAIL_RE = _re(r"\s+(?:as|for)\s+(?:the\s+|a\s+|your\s+|my\s+)?[\w-]+(?:\s+[\w-]+)?$")
_NOTHING_RE = _re(r"^(?:nothing|none|no\s+(?:items?|options?|boxes|words|one))(?:\s+at\s+all)?$")
_FOCUS_RE = _re(
    r"^(?:focus|put\s+the\s+(?:cursor|caret|focus)|place\s+the\s+cursor|"
    r"move\s+the\s+(?:cursor|caret|focus)|set\s+(?:the\s+)?focus)"
    r"(?:\s+(?:on|into|in|onto|to|at))?\s+(?P<t>.+)$"
)
_EXPAND_RE = _re(r"^(?:expand|collapse|show|reveal|unfold|fold)\s+(?P<t>.+)$")
_OPEN_RE = _re(r"^(?:open|visit|follow)\s+(?P<t>.+)$")
_GOTO_RE = _re(r"^(?:go|switch|navigate|jump|head)\s+(?:over\s+)?(?:to|into)\s+(?P<t>.+)$")
_BACK_RE = _re(r"^go\s+back(?:\s+to\s+the\s+previous\s+page|\s+a\s+page)?$")
_CLOSE_RE = _re(
    r"^(?:close|dismiss|exit|cancel)\s+(?:the\s+|this\s+)?(?:dialog(?:\s+box)?|pop-?up|modal|"
    r"menu|message|banner|alert|notification|overlay|prompt)$"
)
_FILL_RE = _re(r"^fill(?:\s+in|\s+out)?\s+(?P<rest>.+)$")
_FORM_RE = _re(r"^(?:in\s+|out\s+)?(?:the\s+)?form(?:\s*:\s*|\s+with\s+)(?P<pairs>.+)$")
_WITH_RE = _re(r"^(?P<t>.+?)\s+with\s+(?P<x>.+)$")
_SET_RE = _re(
    r"^(?:set|change|update)\s+(?:the\s+(?:value|text|contents?)\s+(?:of|in)\s+)?"
    r"(?P<t>.+?)\s+to\s+(?P<x>.+)$"
)
_REPLACE_RE = _re(
    r"^replace\s+the\s+(?:text|value|contents?)\s+(?:in|of)\s+(?P<t>.+?)\s+with\s+(?P<x>.+)$"
)
_CLEAR_RE = _re(
    r"^(?:(?:clear|empty|erase)(?:\s+(?:out\s+)?the\s+(?:text|contents?|value)\s+(?:in|of))?|"
    r"delete\s+(?:all\s+)?the\s+(?:text|contents?|value)\s+(?:in|of))\s+(?P<t>.+)$"
)
_TYPE_RE = _re(r"^(?P<v>type|enter|input|write|put|answer|use|key\s+in)\s+(?P<rest>.+)$")
_SEARCH_RE = _re(r"^search\s+for\s+(?P<x>.+)$")
_KEY_WORD_RE = _re(r"^(?:the\s+)?(?:key|letter|character)\s+(?P<k>.+)$")
# "type the text 'abc'", "enter the name 'Ana' into the box": words that introduce the text.
# Before a target any of them; without one only those that cannot be a field's name.
_INTRO_RE = _re(
    r"^(?:in\s+|out\s+)?(?:the\s+)?(?:(?:text|word|words|string|phrase|letters?)\s+(?=\x01)|"
    r"(?:text|word|words|name|value|number|string|phrase|date|code|letters?|answer)\s+"
    r"(?=(?:\x01\d+\x02|\S+)\s+(?:into|in|on)\s))"
)
_CRED_RE = _re(
    r"^(?:the\s+|my\s+)?(?P<f>user\s*name|user|login|e-?mail|password|passcode|pin|name)"
    r"(?:\s+(?:is|as|of))?\s+(?P<x>\x01\d+\x02|\S+)$"
)
_PAIR_RE = _re(r"(?P<x>\x01\d+\x02|.+?)\s+(?P<how>into|in|on|to|inside|as|for)\s+(?P<t>.+)")
_PAIR_LIT_RE = _re(r"^(?P<t>(?:the\s+)?[\w\x01\x02 -]+?)\s*:?\s+(?P<x>\x01\d+\x02)$")
_PRESS_RE = _re(
    r"^(?P<verb>press|hit|push|key|keys|shortcut|use\s+(?:the\s+)?shortcut)\s+(?P<k>.+?)"
    r"(?:\s+(?:key|keys))?(?:\s+(?P<rep>twice|thrice|\d+\s+times|x\s*\d+))?$"
)
_BARE_KEY_RE = _re(r"^(?:\S+\s*\+\s*)+\S+$|^(?:enter|return|tab|esc|escape|page\s+(?:up|down))$")
_EDIT_RE = _re(
    r"^(?P<v>copy|cut|undo|redo|save)(?:\s+(?:it|this|that|the\s+(?:text|selection|selected\s+"
    r"text|file|changes)|your\s+changes|changes|everything))?$"
)
_PASTE_RE = _re(r"^paste(?:\s+(?:it|this|that|the\s+text))?(?:\s+(?:into|in)\s+(?P<t>.+))?$")
_SCROLL_EDGE_RE = _re(
    r"^scroll\s+(?:(?:down|up)\s+)?(?:to\s+the\s+(?P<e>bottom|top|end|start|beginning)"
    r"(?:\s+of\s+the\s+(?:page|document|list))?|all\s+the\s+way\s+(?P<w>down|up))$"
)
_UNTIL_RE = _re(
    r"\s*(?:\b(?:until|till)\s+(?:you\s+(?:can\s+)?(?:see|find|reach)\s+)?|\bto\s+)(?P<u>.+)$"
)
_APPEARS_RE = _re(
    r"\s+(?:appears|is\s+visible|shows\s+up|is\s+shown|comes\s+into\s+view|to\s+appear|"
    r"becomes\s+visible)$"
)
_NUM = r"\d+(?:\.\d+)?"
_WAIT_TIME_RE = _re(
    rf"^wait(?:\s+for)?\s+(?P<n>{_NUM})\s*"
    r"(?P<u>ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?)?$"
)
_WAIT_MOMENT_RE = _re(
    r"^wait(?:\s+(?:for\s+)?(?:a|one)\s+(?P<few>few\s+seconds|second|sec|moment|bit|"
    r"little|while))?$"
)
_WAIT_LOAD_RE = _re(
    r"^wait\s+(?:for|until)\s+(?:the\s+)?(?:page|site|app|screen)\s+(?:to\s+load|loads|"
    r"is\s+loaded|to\s+finish\s+loading)$"
)
_WAIT_TEXT_RE = _re(
    r"^wait\s+(?:for|until|till)\s+(?:the\s+(?:text|message|word|label)\s+)?(?:the\s+)?"
    r"(?P<x>.+?)(?:\s+(?:message|text|label|notification|banner))?"
    r"(?:\s+(?:to\s+appear|appears|is\s+shown|is\s+visible|shows\s+up|to\s+show\s+up))?"
    rf"(?:\s+(?:for\s+)?(?:up\s+to|at\s+most|max)\s+(?P<t>{_NUM})\s*(?:s|secs?|seconds?))?$"
)
_WAIT_GONE_RE = _re(r"\b(?:disappear|disappears|go\s+away|goes\s+away|vanish|vanishes|be\s+gone)\b")
_DRAG_RE = _re(
    r"^(?:drag(?:\s+and\s+drop)?|move)\s+(?P<s>.+)\s+(?:to|onto|into|over|in)\s+(?P<d>.+)$"
)
_DIRECTION_RE = _re(r"^(?:the\s+)?(?:left|right|top|bottom|up|down|middle|center|centre)$")
_ASK_RE = _re(r"^ask(?:\s+(?:me|the\s+user|user))?\s+(?P<q>.+)$")
_MOUSE_RE = _re(r"^(?:hover|mouse\s+over|move\s+the\s+(?:mouse|pointer))\b")

_PLURAL_RE = _re(
    r"^(?:the\s+)?(?:(?P<kind>check\s*-?boxes|boxes|buttons|links|tabs|radio\s+buttons)"
    r"|(?:words|items|options|entries|rows|values|names))"
    r"(?:\s+(?P<rel>for|next\s+to|beside|labell?ed|named))?\s+(?=\S)"
)
_SINGULAR = {"boxes": "checkbox", "buttons": "button", "links": "link", "tabs": "tab"}
# A verbless clause repeats the previous verb when it reads like an element name.
_LABEL_LIKE_RE = re.compile(r"^(?:[A-Z0-9\x01#]|(?:the|element)\s)")
_ITEM_RE = re.compile(r"^(?:\x01\d+\x02|[^\s\x01]+)$")
_STOP_ITEMS = _re(r"^(?:it|them|this|that|then|now|go|do|make|book|stop|help|or|nor|but)$")
# Common button words that "press" clicks even in lower case ("hit login").
_BUTTON_WORDS = _re(
    r"^(?:ok|okay|submit|cancel|save|next|continue|send|search|done|login|log\s+in|sign\s+in|"
    r"signup|sign\s+up|apply|confirm|close|back|start|go|yes|no|reset|finish|accept|delete)$"
)
_OPENABLE = _re(
    r"\b(?:menu|tab|section|link|dropdown|drop-down|list|panel|page|dialog|folder|file|item|"
    r"combo|window|accordion|group|node|tree|details|settings)\b"
)
_URL_RE = _re(r"(?:https?://|www\.|\.(?:com|org|net|io|de|fr|uk|gov|edu)\b)")

# "Continue" a previous command with a verbless clause: returns None when it does not fit.
_Again = Callable[[str, bool], list[Step] | None]


def _repeat(rep: str | None) -> int:
    if not rep:
        return 1
    rep = rep.lower()
    if rep == "twice":
        return 2
    if rep == "thrice":
        return 3
    return int(re.sub(r"\D", "", rep))


def _split_and(masked: str) -> list[str]:
    return [p for p in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", masked) if p.strip()]


class _Parser:
    def __init__(self, goal: str) -> None:
        self.goal = goal
        self.lits = Literals(goal)
        self.again: _Again | None = None
        self.mention = ""  # the last target, for "it"

    # -- driver --------------------------------------------------------------------------------
    def fail(self, clause: str, detail: str = "") -> UnparsedCommand:
        return UnparsedCommand(self.lits.restore(clause), self.goal, detail)

    def parse(self) -> list[Step]:
        masked = re.sub(
            r"(\b(?:log|sign)\s*in\s+as\s+\S+)\s*,\s*(?=password\b)",
            r"\1 with ",
            self.lits.masked,
            flags=_I,
        )
        parts = clauses(masked)
        if not parts:
            raise UnparsedCommand("", self.goal, "the goal is empty")
        if any(p.menu for p in parts):  # "File > Save As": a menu path is clicked
            self.again = self._clicker(self._click_target)
        steps: list[Step] = []
        for c in parts:
            try:
                steps.extend(self.clause(c))
            except ActionError as e:
                raise self.fail(c.text, str(e)) from None
        return steps

    def clause(self, clause: Clause) -> list[Step]:
        c = clause.text
        previous, self.again = self.again, None
        if previous is not None and re.fullmatch(r"[A-Z][a-z]+", c):
            # "click Edit, Copy": a lone capitalised word after a click is the next label,
            # even when it is also a verb ("Save", "Copy", "Open").
            out = previous(c, clause.listed or clause.menu)
            if out is not None:
                self.again = previous
                return out
        for handler in self._handlers:
            out = handler(self, c)
            if out is not None:
                return out
        if previous is not None:
            out = previous(c, clause.listed or clause.menu)
            if out is not None:
                self.again = previous
                return out
        raise self.fail(c)

    # -- targets -------------------------------------------------------------------------------
    def tg(self, masked: str, kind: str = "") -> Target:
        """A target from a phrase; "it" / "this" / "that" is the last one named."""
        m = masked.strip()
        if re.fullmatch(r"(?:it|this|that|there|this\s+field|that\s+field)", m, _I):
            if not self.mention:
                raise self.fail(masked, 'say what "it" is')
            m = self.mention
        if not self.lits.is_literal(m) and judgement(clean(m)):
            raise self.fail(m, "choosing it needs judgement")
        self.mention = m
        return target(self.lits, m, kind)

    def _items(self, masked: str, split: bool) -> tuple[list[str], Callable[[str], str]]:
        """List items of a target phrase ("the boxes for Alice and Bob", "A and B") and how
        each item becomes a target phrase again."""
        t = clean(masked)
        t = re.sub(r"^both\s+", "", t, flags=_I)
        pattern = "{item}"
        m = _PLURAL_RE.match(t)
        if m:
            split = True
            t = t[m.end() :]
            kind = _SINGULAR.get(re.sub(r"^check\s*-?", "", m["kind"] or "").lower())
            if m["kind"] and "radio" in m["kind"].lower():
                kind = "radio button"
            rel = (m["rel"] or "").lower()
            if kind and rel.startswith(("next", "beside")):
                pattern = f"the {kind} {rel} {{item}}"
            elif kind and not rel.startswith("for"):
                pattern = f"the {kind} {{item}}"
        items = _split_and(t) if split else [t]
        return items, lambda item: pattern.replace("{item}", item)

    # -- command families ----------------------------------------------------------------------
    def _done(self, c: str) -> list[Step] | None:
        if m := _DONE_RE.match(c):
            return [Step(Done(summary=self.lits.text(m["s"]) if m["s"] else ""))]
        return None

    def _specials(self, c: str) -> list[Step] | None:
        """Commands whose meaning is a fixed action or a screen-time intent."""
        lits = self.lits
        if m := _ALL_BOXES_RE.match(c):
            on = m["v"].lower() in ("check", "tick", "mark", "select")
            return [Step(Click(target=Target(query="checkbox"), checked=on), intent="all")]
        if _SELECT_ALL_RE.match(c):
            return [Step(Hotkey(keys=["ctrl", "a"]))]
        if m := _SELECT_TEXT_IN_RE.match(c):
            return [Step(Click(target=self.tg(m["t"], "field"), count=3))]
        if _SUBMIT_RE.match(c):
            return [_intent("submit")]
        if m := _LOGIN_RE.match(c):
            return self._login(c, (m["rest"] or "").strip())
        if m := _LOGOUT_RE.match(c):
            return [Step(Click(target=Target(query=f"{m['v'].capitalize()} out")))]
        if _BACK_RE.match(c):
            return [Step(Hotkey(keys=["alt", "left"]))]
        if _CLOSE_RE.match(c):
            return [Step(Hotkey(keys=["esc"]))]
        if _MOUSE_RE.match(c):
            raise self.fail(c, "hovering is not an action the planner has")
        if m := _EDIT_RE.match(c):
            key = {"copy": "c", "cut": "x", "undo": "z", "redo": "y", "save": "s"}
            if m["v"].lower() == "save" and not re.fullmatch(r"save(?:\s+(?:it|the\s+file|"
                                                             r"(?:the\s+|your\s+)?changes))?",
                                                             c, _I):  # fmt: skip
                return None
            return [Step(Hotkey(keys=["ctrl", key[m["v"].lower()]]))]
        if m := _PASTE_RE.match(c):
            pre = [Step(Click(target=self.tg(m["t"], "field")))] if m["t"] else []
            return [*pre, Step(Hotkey(keys=["ctrl", "v"]))]
        if m := _SEARCH_RE.match(c):
            return [
                Step(Type(text=lits.text(m["x"]), target=Target(query="the search field"))),
                Step(Hotkey(keys=["enter"])),
            ]
        return None

    def _login(self, c: str, rest: str) -> list[Step]:
        """ "log in" alone, or with the credentials the goal gives."""
        if not rest:
            return [_intent("login")]
        user_field, user, pw = "username", "", ""
        if m := re.fullmatch(
            r"as\s+(?P<u>\S+)\s+(?:with|and|using)\s+(?:the\s+|a\s+)?(?:password|pw|pwd)"
            r"(?:\s+of)?\s+(?P<p>\S+)",
            rest,
            _I,
        ):
            user, pw = m["u"], m["p"]
        elif m := re.fullmatch(
            r"(?:with|using)\s+(?:the\s+)?(?P<f>user\s*name|user|login|e-?mail)\s+(?P<u>\S+)"
            r"\s+and\s+(?:the\s+)?(?:password|pw|pwd)\s+(?P<p>\S+)",
            rest,
            _I,
        ):
            user, pw = m["u"], m["p"]
            f = m["f"].lower().replace(" ", "")
            user_field = "email" if "mail" in f else "username"
        elif m := re.fullmatch(
            r"(?:with|using)\s+(?P<u>\x01\d+\x02|\S+)\s*(?:/|and)\s*(?P<p>\x01\d+\x02|\S+)",
            rest,
            _I,
        ):
            user, pw = m["u"], m["p"]
        else:
            raise self.fail(c, 'say "log in as NAME with password SECRET"')
        return [
            Step(self._type(user, f"the {user_field} field", clear=True)),
            Step(self._type(pw, "the password field", clear=True)),
            _intent("login"),
        ]

    def _clicker(self, make: Callable[[str], Step]) -> _Again:
        """Continuation for click-like verbs: label-like clauses, or list items after a comma."""

        def again(c: str, listed: bool) -> list[Step] | None:
            items = _split_and(clean(c)) if listed else [clean(c)]
            for i in items:
                if not (_LABEL_LIKE_RE.match(i) or (listed and _ITEM_RE.match(i))):
                    return None
                if _STOP_ITEMS.match(i):
                    return None
            return [make(i) for i in items]

        return again

    def _click_target(self, t: str) -> Step:
        return Step(Click(target=self.tg(t)))

    def _click(self, c: str) -> list[Step] | None:
        m = _CLICK_RE.match(c)
        if not m:
            return None
        mod = (m["mod"] or "").lower()
        count = {"double": 2, "dbl": 2, "triple": 3}.get(mod, 1)
        if m["twice"]:
            count = 2
        button = mod if mod in ("right", "middle") else "left"

        def make(t: str, count: int = count, button: str = button) -> Step:
            action = Click.model_validate({"target": self.tg(t), "button": button, "count": count})
            return Step(action)

        items, form = self._items(m["t"], split=False)
        self.again = self._clicker(lambda i: make(form(i)))
        return [make(form(i)) for i in items]

    def _check(self, c: str) -> list[Step] | None:
        m = _CHECK_RE.match(c)
        verb, t = (m["v"], m["t"]) if m else ("", "")
        if not m and (m2 := _TURN_RE.match(c)):
            verb, t = f"turn {m2['v']}", m2["t"]
        if not verb:
            return None
        if re.match(r"(?:that|whether|if|for|out|to\s+see)\b", t, _I):
            raise self.fail(c, "to verify something, use an LLM planner")
        v = " ".join(verb.lower().split())
        asked = None if v == "toggle" else v not in (
            "uncheck", "untick", "unmark", "disable", "turn off", "switch off",
        )  # fmt: skip

        def make(t: str, asked: bool | None = asked) -> Step:
            return Step(Click(target=self.tg(t, "checkbox"), checked=asked))

        lit_pair = all(self.lits.is_literal(p) for p in _split_and(clean(t)))
        items, form = self._items(t, split=lit_pair)
        self.again = self._clicker(lambda i: make(form(i)))
        return [make(form(i)) for i in items]

    def _select(self, c: str) -> list[Step] | None:
        m = _SELECT_RE.match(c)
        if not m:
            return None
        t, src = clean(m["t"]), None
        # "from" always names where X is; "in" only before "the ..." or a quoted name
        # ("select Rock in Roll" keeps its label).
        f = _FROM_RE.match(t)
        if f and (
            f["how"].lower() == "from"
            or re.match(r"(?:the|a|this)\s", f["src"], _I)
            or self.lits.is_literal(f["src"])
        ):
            t, src = f["t"], f["src"].strip()
        if src is None:
            t = _AS_TAIL_RE.sub("", t) if not self.lits.is_literal(t) else t
        if _NOTHING_RE.match(t):
            return []
        source = self.tg(src) if src else None

        def make(t: str) -> Step:
            return Step(Click(target=self.tg(t)), intent="select", source=source)

        items, form = self._items(t, split=True)
        self.again = self._clicker(lambda i: make(form(i)))
        return [make(form(i)) for i in items]

    def _navigate(self, c: str) -> list[Step] | None:
        if m := _FOCUS_RE.match(c):
            return [Step(Click(target=self.tg(m["t"], "field")))]
        if m := _EXPAND_RE.match(c):
            return [Step(Click(target=self.tg(m["t"])))]
        m = _OPEN_RE.match(c)
        loose = False
        if not m:
            m, loose = _GOTO_RE.match(c), True
        if not m:
            return None
        t = clean(m["t"])
        quoted = TOKEN_RE.search(t) is not None
        if _URL_RE.search(t) or not (
            quoted
            or _OPENABLE.search(t)
            or re.fullmatch(r"(?:[A-Z]\w*\s+)?#\s*\d+", t)
            or (loose and t[:1].isupper())
        ):
            raise self.fail(c, "opening apps or web addresses is not a direct command here")
        self.again = self._clicker(self._click_target)
        return [Step(Click(target=self.tg(t)))]

    def _fill(self, c: str) -> list[Step] | None:
        if m := _SET_RE.match(c):
            return [Step(self._type(m["x"], m["t"], clear=True))]
        if m := _REPLACE_RE.match(c):
            return [Step(self._type(m["x"], m["t"], clear=True))]
        if m := _CLEAR_RE.match(c):
            return [Step(Type(text="", target=self.tg(m["t"], "field"), clear=True))]
        m = _FILL_RE.match(c)
        if not m:
            return None
        rest = m["rest"]
        if f := _FORM_RE.match(rest):
            steps = self._pairs(f["pairs"], fill=True)
            if steps is None:
                raise self.fail(c, 'give each value in quotes: fill the form: Name "Ana"')
            self.again = lambda c2, _listed: self._pairs(c2, fill=True)
            return steps
        if re.fullmatch(r"(?:in\s+|out\s+)?(?:the\s+|this\s+)?form", rest, _I):
            raise self.fail(c, 'say what goes where: fill the form: Name "Ana", Email "a@b.c"')
        steps = self._withs(rest)
        if steps is None:
            return None
        self.again = lambda c2, _listed: self._withs(c2)
        return steps

    def _withs(self, rest: str) -> list[Step] | None:
        """ "T with X [and T2 with X2]" -> fills; None when it does not read that way."""
        parts = re.split(r"\s+and\s+(?=(?:(?!\swith\s).)+\swith\s)", rest, flags=_I)
        steps: list[Step] = []
        for p in parts:
            m = _WITH_RE.match(p.strip())
            if not m:
                return None
            if not self.lits.is_literal(m["x"]) and re.match(
                r"(?:realistic|random|fake|some|any|appropriate|valid|your|my|the|a|an)\b",
                m["x"],
                _I,
            ):
                raise self.fail(p, "say the exact text, in quotes")
            steps.append(Step(self._type(m["x"], m["t"], clear=True)))
        return steps

    def _type(self, text: str, where: str, *, clear: bool = False) -> Type:
        t = self.tg(where, "field") if where.strip() else None
        return Type(text=self.lits.text(text), target=t, clear=clear, secret=is_secret(t))

    def _typing(self, c: str) -> list[Step] | None:
        m = _TYPE_RE.match(c)
        if not m:
            return None
        verb = " ".join(m["v"].lower().split())
        rest = m["rest"].strip()
        if k := _KEY_WORD_RE.match(rest):
            key = self._hotkey(self.lits.inner(k["k"]) or k["k"])
            if key is not None:
                return [Step(key)]
        rest = _INTRO_RE.sub("", re.sub(r"^in\s+(?=\x01)", "", rest, flags=_I))
        steps = self._pairs(rest, fill=False, verb=verb)
        if steps is None:
            if verb == "use":
                return None
            steps = [Step(self._type_one(c, rest, verb))]
        self.again = lambda c2, _listed: self._pairs(c2, fill=False, verb=verb)
        return steps

    def _pairs(self, rest: str, *, fill: bool, verb: str = "type") -> list[Step] | None:
        """Several "TEXT into T" / "TEXT as T" / "T 'text'" joined by "and"; None unless every
        part reads that way."""
        parts = _split_and(rest) if " and " in rest.lower() or "," in rest else [rest]
        steps: list[Step] = []
        for p in parts:
            s = self._pair(p.strip(), fill=fill, verb=verb)
            if s is None:
                return None
            steps.append(s)
        return steps

    def _pair(self, p: str, *, fill: bool, verb: str) -> Step | None:
        """One "TEXT into T" (or "in", "on", "to"), "TEXT as T" / "TEXT for T" (a fill),
        "the username ana" or "Name 'Ana'"; None when ``p`` reads none of those ways."""
        lits = self.lits
        p = _INTRO_RE.sub("", p)
        m = _PAIR_RE.fullmatch(p)
        if m and not (not lits.is_literal(m["x"]) and " into " in m["t"].lower()):
            how = m["how"].lower()
            strict = how in ("in", "on", "to", "inside")
            if lits.is_literal(m["x"]) or self._names_element(m["t"], strict=strict):
                self._no_description(p, m["x"])
                return Step(self._type(m["x"], m["t"], clear=fill or how in ("as", "for")))
        if m := re.fullmatch(r"(?P<x>.+)\s+into\s+(?P<t>.+)", p, _I):  # the last "into"
            self._no_description(p, m["x"])
            return Step(self._type(m["x"], m["t"], clear=fill))
        if m := _CRED_RE.match(p):
            return Step(self._type(m["x"], m["f"], clear=fill))
        m = _PAIR_LIT_RE.match(p)
        if m and verb != "answer" and m["t"].strip().lower() not in ("the", "in", "out"):
            return Step(self._type(m["x"], m["t"], clear=fill))
        return None

    def _names_element(self, t: str, *, strict: bool = False) -> bool:
        """Whether ``t`` names an element; ``strict`` (after "in"/"on", which also occur
        inside typed text: "I live in Paris") wants an article, a kind, an id or quotes."""
        t = t.strip()
        if strict:
            return bool(
                ARTICLE_RE.match(t)
                or names_kind(self.lits.restore(t), FIELD_KINDS)
                or re.match(r"(?:element|id)\s*#?\d+$|#\s*\d+$", t, _I)
                or self.lits.is_literal(t)
            )
        return bool(
            ARTICLE_RE.match(t)
            or names_kind(self.lits.restore(t), FIELD_KINDS)
            or re.match(r"(?:element|id)\s*#?\d+$", t, _I)
            or re.fullmatch(r"it|this|that", t, _I)
            or (t[:1].isupper() and len(t.split()) <= 3)
            or self.lits.is_literal(t)
        )

    def _no_description(self, part: str, text: str) -> None:
        if not self.lits.is_literal(text) and re.match(
            r"(?:a|an|some|the|my|your|its|their)\s", text.strip(), _I
        ):
            raise self.fail(part, "say the exact text to type, in quotes")

    def _type_one(self, c: str, rest: str, verb: str) -> Type:
        """``type TEXT [into|in|on|to T]`` when no pair form matched."""
        lits = self.lits
        if TOKEN_RE.match(rest.strip()) and not lits.is_literal(rest):
            raise self.fail(c, "after the quoted text, say where: into the Name field")
        if not rest.strip() or rest.strip().lower().endswith(" into"):
            raise self.fail(c, "nothing to type")
        self._no_description(c, rest)
        if verb == "answer" and not lits.is_literal(rest):
            raise self.fail(c, "say the exact answer, in quotes")
        m = re.match(r"^(?P<x>.+)\s+(?:in|on)\s+(?P<t>.+?)$", rest, _I)
        if m and (
            ARTICLE_RE.match(m["t"])
            or names_kind(m["t"], FIELD_KINDS)
            or re.fullmatch(r"#\s*\d+|(?:element|id)\s*#?\s*\d+", m["t"].strip(), _I)
        ):
            return self._type(m["x"], m["t"])
        return Type(text=lits.text(rest))

    def _hotkey(self, masked: str) -> Hotkey | None:
        inner = self.lits.inner(masked)
        if inner is not None:  # a quoted key name: "press 'Enter'" (not a single letter)
            if len(inner) < 2:
                return None
            masked = inner
        s = re.sub(r"^(ctrl|control|alt|shift|cmd|win|super|meta)-(?=\S)", r"\1+", masked, flags=_I)
        s = re.sub(r"\bspace\s+bar\b", "space", s, flags=_I)
        s = re.sub(r"\s+key$", "", s, flags=_I)
        try:
            return Hotkey.parse(self.lits.restore(s))
        except ActionError:
            return None

    def _keys(self, c: str) -> list[Step] | None:
        lits = self.lits
        if _BARE_KEY_RE.match(c) and (key := self._hotkey(c)) is not None:
            return [Step(key)]
        m = _PRESS_RE.match(c)
        if not m:
            return None
        k = ARTICLE_RE.sub("", m["k"]) if not lits.is_literal(m["k"]) else m["k"]
        key = self._hotkey(k)
        if key is not None:
            self.again = self._more_keys
            return [Step(key)] * _repeat(m["rep"])
        if m["verb"].lower() in ("press", "hit", "push"):
            t = clean(m["k"])
            if lits.is_literal(t) or names_kind(lits.restore(t), r"button|btn|icon|link"):
                return [Step(Click(target=self.tg(t)))]
            bare = ARTICLE_RE.sub("", t)
            labelled = bare[:1].isupper() or _BUTTON_WORDS.match(bare)
            if not m["rep"] and labelled and not judgement(bare):
                self.again = self._clicker(lambda i: Step(Click(target=self.tg(i))))
                return [Step(Click(target=self.tg(f"the {bare} button")))]
        try:
            Hotkey.parse(lits.restore(ARTICLE_RE.sub("", m["k"])))
        except ActionError as e:
            raise self.fail(c, str(e).split(": ", 2)[-1]) from None
        return None  # pragma: no cover - parse above raised

    def _more_keys(self, c: str, _listed: bool) -> list[Step] | None:
        """ "press ctrl+a then Delete": a verbless key name after a key press is pressed."""
        key = self._hotkey(ARTICLE_RE.sub("", c))
        return [Step(key)] if key is not None else None

    def _scroll(self, c: str) -> list[Step] | None:
        if re.fullmatch(r"page\s+(?:down|up)", c, _I):
            return [Step(Hotkey.parse(c.lower()))]
        if m := _SCROLL_EDGE_RE.match(c):
            end = (m["e"] or "").lower() in ("bottom", "end") or (m["w"] or "").lower() == "down"
            return [Step(Hotkey(keys=["end" if end else "home"]))]
        if not re.match(r"scroll\b", c, _I):
            return None
        rest = re.sub(r"^scroll\s*", "", c, flags=_I)
        rest = re.sub(
            r"\b(?:a\s+(?:bit|little)|slightly|a\s+few\s+times|some)\b", "", rest, flags=_I
        )
        until = None
        if u := _UNTIL_RE.search(rest):
            until = _APPEARS_RE.sub("", u["u"].strip())
            if re.fullmatch(r"(?:the\s+)?(?:bottom|top|end|start)", until, _I):
                raise self.fail(c, 'say how far, e.g. "scroll down 10", or press end / home')
            rest = rest[: u.start()]
        direction = None
        if d := re.search(r"\b(down|up)\b", rest, _I):
            direction = d.group(1).lower()
            rest = rest[: d.start()] + rest[d.end() :]
        n = DEFAULT_SCROLL
        if k := re.search(
            r"(?:\bby\s+)?\b(\d+)(?:\s+(?:times|notches|clicks|steps|lines|ticks))?", rest, _I
        ):
            n = int(k.group(1))
            rest = rest[: k.start()] + rest[k.end() :]
        rest = " ".join(rest.split())
        where = None
        if rest:
            t = re.sub(r"^(?:in|on|over|inside|through)\s+", "", rest, flags=_I)
            if not re.fullmatch(r"(?:the\s+)?(?:page|document|screen|window)", t, _I):
                where = self.tg(t)
        if not (direction or until):
            raise self.fail(c, 'say "scroll down" or "scroll up"')
        text = self.lits.text(until) if until else None
        if until:
            self.mention = until
        amount = -n if direction == "up" else n
        return [Step(Scroll(amount=amount, target=where, until_text=text))]

    def _wait(self, c: str) -> list[Step] | None:
        c = re.sub(r"^(?:pause|sleep|hold\s+on)(?:\s+for)?\b", "wait", c, flags=_I)
        if not re.match(r"wait\b", c, _I):
            return None
        if m := _WAIT_TIME_RE.match(c):
            unit = (m["u"] or "s").lower()
            scale = 0.001 if unit.startswith("m") and unit not in ("m", "min", "mins") else 1.0
            if unit in ("m", "min", "mins", "minute", "minutes"):
                scale = 60.0
            return [Step(Wait(seconds=float(m["n"]) * scale))]
        if (m := _WAIT_MOMENT_RE.match(c)) and c.strip().lower() != "wait":
            return [Step(Wait(seconds=3.0 if m["few"] and "few" in m["few"] else 1.0))]
        if _WAIT_LOAD_RE.match(c):
            return [Step(Wait(seconds=2.0))]
        if _WAIT_GONE_RE.search(c):
            raise self.fail(c, "waiting for something to go away needs an LLM planner")
        if m := _WAIT_TEXT_RE.match(c):
            timeout = float(m["t"]) if m["t"] else 10.0
            return [Step(Wait(until_text=self.lits.text(m["x"]), timeout=timeout))]
        return None

    def _drag(self, c: str) -> list[Step] | None:
        m = _DRAG_RE.match(c)
        if not m:
            return None
        if _DIRECTION_RE.match(m["d"].strip()):
            raise self.fail(c, "drag to an element, not a direction")
        if re.match(r"(?:the\s+)?(?:mouse|pointer|cursor)\b", m["s"], _I):
            return None
        return [Step(Drag(source=self.tg(m["s"]), destination=self.tg(m["d"])))]

    def _ask(self, c: str) -> list[Step] | None:
        if m := _ASK_RE.match(c):
            q = self.lits.text(m["q"])
            return [Step(AskUser(question=q if q.endswith("?") else q + "?"))]
        return None

    _handlers: tuple[Callable[[_Parser, str], list[Step] | None], ...] = (
        _done,
        _specials,
        _click,
        _check,
        _select,
        _navigate,
        _fill,
        _keys,
        _typing,
        _scroll,
        _wait,
        _drag,
        _ask,
    )


def _intent(kind: Intent) -> Step:
    label = {"submit": "the Submit button", "login": "the Log in button"}[kind]
    return Step(Click(target=Target(query=label)), intent=kind)


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def parse_goal(goal: str) -> list[Step]:
    """Parse a goal made of direct commands into steps, or raise ``UnparsedCommand``.

    >>> from gui_agent.planning.commands.steps import spell
    >>> spell(parse_goal('Select Alice, bob and Eve and press Submit.'))
    'select Alice | select bob | select Eve | click the Submit button'
    """
    if not isinstance(goal, str):
        raise UnparsedCommand("", "", "the goal must be text")
    if len(goal) > MAX_GOAL_CHARS:
        raise UnparsedCommand(
            "", goal[:200], f"the goal is {len(goal)} characters; at most {MAX_GOAL_CHARS}"
        )
    if _CONTROL_RE.search(goal):
        raise UnparsedCommand("", goal, "the goal holds control characters")
    return _Parser(goal).parse()
