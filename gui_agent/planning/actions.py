"""The action schema: the one language spoken by planners, demos, the journal and the UI.

Every plan step is one of a small set of pydantic models, told apart by the field ``type``
(a discriminated union), because a plan has to survive three trips intact: out of an LLM as
structured output (``action_json_schema``), into the journal as JSON and back, and into the
approval UI as plain words (``describe``). Validation therefore happens here, once, with
messages a person can act on (``ActionError``), rather than deep inside the executor after
the mouse has already moved.

Conventions the executor relies on:

* A ``Target`` names an element either by its id in the current ``ScreenState`` (``#12``; ids
  are only stable within one frame) or by a query in words that
  ``gui_agent.perception.locate`` resolves ("the Save button"). Exactly one of the two.
* ``Scroll.amount`` is in wheel notches and **positive means down** (further into the
  document, the way a person reads); negative means up. Note this is the opposite of
  ``pyautogui.scroll``, whose positive amounts scroll up: the executor negates it.
* ``Type.text`` is the literal text. When ``secret`` is true it must never be shown or
  logged: ``repr``, ``describe`` and error messages print ``•••``, and ``redacted()`` gives a
  copy whose text is gone, which is what the journal stores.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from gui_agent.errors import GuiAgentError

__all__ = [
    "KEY_ALIASES",
    "KNOWN_KEYS",
    "SECRET_MASK",
    "Action",
    "ActionError",
    "AskUser",
    "Click",
    "Done",
    "Drag",
    "Hotkey",
    "ResolvedTarget",
    "Scroll",
    "Target",
    "Type",
    "Wait",
    "action_adapter",
    "action_json_schema",
    "describe",
    "normalize_key",
    "parse_action",
    "parse_actions",
    "redact",
    "targets_of",
]

SECRET_MASK = "•••"


class ActionError(GuiAgentError):
    """An action (from an LLM, a demo file or the journal) is malformed; the message says how."""


# --------------------------------------------------------------------------------------------
# Key names
# --------------------------------------------------------------------------------------------

_NAMED_KEYS = {
    "enter",
    "esc",
    "tab",
    "space",
    "backspace",
    "delete",
    "insert",
    "up",
    "down",
    "left",
    "right",
    "home",
    "end",
    "pageup",
    "pagedown",
    "ctrl",
    "ctrlleft",
    "ctrlright",
    "alt",
    "altleft",
    "altright",
    "shift",
    "shiftleft",
    "shiftright",
    "win",
    "winleft",
    "winright",
    "capslock",
    "numlock",
    "scrolllock",
    "printscreen",
    "pause",
    "apps",
    "clear",
    "volumeup",
    "volumedown",
    "volumemute",
    "playpause",
    "nexttrack",
    "prevtrack",
    "stop",
    "browserback",
    "browserforward",
    "browserrefresh",
    "browserhome",
    "browsersearch",
    "decimal",
    "add",
    "subtract",
    "multiply",
    "divide",
    "separator",
}
_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")

#: Every key name a ``Hotkey`` accepts after normalisation (a subset of pyautogui's names).
KNOWN_KEYS: frozenset[str] = frozenset(
    _NAMED_KEYS
    | set("abcdefghijklmnopqrstuvwxyz0123456789")
    | {f"f{i}" for i in range(1, 25)}
    | {f"num{i}" for i in range(10)}
    | _PUNCTUATION
)

#: Spellings people and LLMs use, mapped to the one canonical name we store.
KEY_ALIASES: dict[str, str] = {
    "control": "ctrl",
    "ctl": "ctrl",
    "strg": "ctrl",
    "return": "enter",
    "ret": "enter",
    "escape": "esc",
    "option": "alt",
    "opt": "alt",
    "menu": "apps",
    "super": "win",
    "cmd": "win",
    "command": "win",
    "meta": "win",
    "windows": "win",
    "spacebar": "space",
    "del": "delete",
    "ins": "insert",
    "bksp": "backspace",
    "back": "backspace",
    "pgup": "pageup",
    "page up": "pageup",
    "page_up": "pageup",
    "pgdn": "pagedown",
    "pgdown": "pagedown",
    "page down": "pagedown",
    "page_down": "pagedown",
    "arrowup": "up",
    "arrowdown": "down",
    "arrowleft": "left",
    "arrowright": "right",
    "up arrow": "up",
    "down arrow": "down",
    "left arrow": "left",
    "right arrow": "right",
    "prtsc": "printscreen",
    "prtscr": "printscreen",
    "print": "printscreen",
    "print screen": "printscreen",
    "caps lock": "capslock",
    "num lock": "numlock",
    "scroll lock": "scrolllock",
    "plus": "+",
    "minus": "-",
    "comma": ",",
    "period": ".",
    "dot": ".",
    "slash": "/",
    "backslash": "\\",
    "semicolon": ";",
    "equals": "=",
    "equal": "=",
}

_MODIFIERS = {"ctrl", "alt", "shift", "win"}


def normalize_key(name: str) -> str:
    """Canonical key name for ``name`` ("Control" -> "ctrl", "Return" -> "enter", "S" -> "s").

    Raises ``ValueError`` (pydantic turns it into a field error) for names we do not know,
    because pyautogui silently ignores unknown names and a shortcut that does nothing is
    harder to debug than one that is refused.
    """
    raw = name.strip()
    if len(raw) == 1:  # a single character: letters fold to lower case, punctuation as is
        key = raw.lower()
    else:
        key = " ".join(raw.lower().split())
        key = KEY_ALIASES.get(key, key)
        if key.startswith("key") and key[3:] in KNOWN_KEYS and len(key) > 3:
            key = key[3:]  # "keyA"-style names some toolkits emit
    if key not in KNOWN_KEYS:
        shown = raw or "(empty)"
        raise ValueError(
            f"unknown key name '{shown}'; use names like ctrl, alt, shift, win, enter, esc, "
            "tab, space, backspace, delete, up, down, left, right, home, end, pageup, "
            "pagedown, f1-f24, letters and digits"
        )
    return key


# --------------------------------------------------------------------------------------------
# Targets
# --------------------------------------------------------------------------------------------


class _Model(BaseModel):
    """Shared settings: immutable (a plan step is a record, not a scratchpad) and strict about
    unknown fields (a misspelt field from an LLM should fail loudly, not be dropped)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Target(_Model):
    """What an action acts on: an element id of the current frame, or a query in words."""

    element_id: int | None = Field(
        default=None, ge=0, description="Id of an element in the current screen state."
    )
    query: str | None = Field(
        default=None,
        description="Words that locate an element, e.g. 'the Save button', 'the Name field'.",
    )
    # A desktop point (virtual-desktop pixels), for planners that plan in coordinates (Claude's
    # computer-use tool). Not offered to text planners (absent from the schema); resolved to
    # the control at that pixel and gated like any other target.
    point: SkipJsonSchema[tuple[int, int] | None] = None

    @model_serializer(mode="wrap")
    def _without_empty_point(self, handler: Any) -> Any:
        # Records written before points existed (journals, demos) keep their exact shape.
        data = handler(self)
        if isinstance(data, dict) and data.get("point", 0) is None:
            del data["point"]
        return data

    @field_validator("query")
    @classmethod
    def _query_not_blank(cls, v: str | None) -> str | None:
        if v is not None:
            v = " ".join(v.split())
            if not v:
                raise ValueError("query is empty; name the element, e.g. 'the Save button'")
        return v

    @model_validator(mode="after")
    def _exactly_one(self) -> Target:
        named = (self.element_id is not None) + (self.query is not None)
        if self.point is not None and named == 0:
            return self
        if (self.element_id is None) == (self.query is None) or self.point is not None:
            raise ValueError(
                "a target needs exactly one of element_id (e.g. 12) or query "
                "(e.g. 'the Save button')" + (", not both" if self.element_id is not None else "")
            )
        return self

    @classmethod
    def of(cls, ref: int | str | Target) -> Target:
        """Convenience: ``Target.of(12)`` or ``Target.of("the Save button")``."""
        if isinstance(ref, Target):
            return ref
        if isinstance(ref, int):
            return cls(element_id=ref)
        return cls(query=ref)

    def describe(self) -> str:
        """The target in words, as the approval UI shows it."""
        if self.element_id is not None:
            return f"element #{self.element_id}"
        if self.point is not None:
            return f"the point ({self.point[0]}, {self.point[1]})"
        return str(self.query)


# --------------------------------------------------------------------------------------------
# Actions
# --------------------------------------------------------------------------------------------


class Click(_Model):
    """Click an element; ``count`` 2 is a double-click, 3 a triple-click (select a line).

    ``checked`` is the state a check box or toggle should end in ("tick" / "untick"): the
    click is skipped when it already is, and the result is checked against it.
    """

    type: Literal["click"] = "click"
    target: Target
    button: Literal["left", "right", "middle"] = "left"
    count: int = Field(default=1, ge=1, le=3)
    checked: bool | None = Field(
        default=None, description="For a check box or toggle: the state it should end in."
    )

    def describe(self) -> str:
        if self.checked is not None:
            return f"{'Check' if self.checked else 'Uncheck'} {self.target.describe()}"
        verb = {1: "Click", 2: "Double-click", 3: "Triple-click"}[self.count]
        if self.button != "left":
            verb = f"{self.button.capitalize()}-{verb.lower()}"
        return f"{verb} {self.target.describe()}"


class Type(_Model):
    """Type literal text, into ``target`` (clicked first) or the focused element when None.

    ``clear`` selects and deletes the existing content first. ``secret`` hides the text from
    every display and from the journal (see ``redacted()``). ``text_redacted`` marks a copy
    whose text was removed, so a journal replay knows it must ask for the text again.
    """

    type: Literal["type"] = "type"
    text: str
    target: Target | None = None
    secret: bool = False
    clear: bool = False
    text_redacted: bool = False

    def _shown_text(self) -> str:
        return SECRET_MASK if self.secret or self.text_redacted else repr(self.text)

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        for name, value in super().__repr_args__():
            if name == "text" and (self.secret or self.text_redacted):
                yield name, SECRET_MASK
            else:
                yield name, value

    def describe(self) -> str:
        shown = self._shown_text()
        if self.target is None:
            return f"Clear the focused field and type {shown}" if self.clear else f"Type {shown}"
        where = self.target.describe()
        if self.clear and self.text == "" and not self.text_redacted:
            return f"Clear {where}"
        if self.clear:
            return f"Replace the text in {where} with {shown}"
        return f"Type {shown} into {where}"

    def redacted(self) -> Type:
        """A copy safe to log or journal: the text is dropped when the action is secret
        (non-secret text is part of the record and kept)."""
        if not self.secret:
            return self
        return self.model_copy(update={"text": "", "text_redacted": True})


class Hotkey(_Model):
    """Press keys together (a chord), e.g. ``["ctrl", "s"]``; one key is a plain key press."""

    type: Literal["hotkey"] = "hotkey"
    keys: list[str] = Field(json_schema_extra={"minItems": 1, "maxItems": 5})

    @field_validator("keys", mode="before")
    @classmethod
    def _split_string(cls, v: Any) -> Any:
        # LLMs often send "ctrl+s" where a list is expected; accept it, it is unambiguous.
        if isinstance(v, str):
            return _split_combo(v)
        return v

    @field_validator("keys")
    @classmethod
    def _normalise(cls, v: list[str]) -> list[str]:
        if not v:
            raise ValueError("no keys given; name at least one, e.g. ['ctrl', 's'] or ['enter']")
        if len(v) > 5:
            raise ValueError(f"{len(v)} keys in one chord; at most 5 can be pressed together")
        keys = [normalize_key(k) for k in v]
        if len(set(keys)) != len(keys):
            raise ValueError(f"a key appears twice in {'+'.join(keys)}")
        return keys

    @classmethod
    def parse(cls, combo: str) -> Hotkey:
        """``Hotkey.parse("Ctrl+Shift+S")`` -> keys ``["ctrl", "shift", "s"]``.

        Raises ``ActionError`` for unknown key names or an empty combo.
        """
        return _validated(cls, {"type": "hotkey", "keys": _split_combo(combo)})

    @property
    def combo(self) -> str:
        return "+".join(self.keys)

    def describe(self) -> str:
        return f"Press {self.combo}"


def _split_combo(combo: str) -> list[str]:
    """Split "ctrl+s" / "ctrl + shift + s" / "ctrl++" into key names (empty -> [])."""
    s = combo.strip()
    if not s:
        return []
    if s == "+":
        return ["+"]
    parts = [p.strip() for p in s.split("+")]
    if s.endswith("++"):  # "ctrl++" is ctrl and the plus key
        parts = [*parts[:-2], "+"]
    return parts


class Scroll(_Model):
    """Scroll by ``amount`` wheel notches: **positive = down**, negative = up (never 0).

    With ``target`` the pointer is moved over that element first (the list to scroll).
    With ``until_text`` the scroll repeats, up to ``max_steps`` times, until that text is on
    screen: one action for "scroll down until Terms appears", so the loop lives in the
    executor, which re-perceives between steps, not in a planner that cannot.
    """

    type: Literal["scroll"] = "scroll"
    amount: int = Field(
        ge=-1000, le=1000, description="Wheel notches; positive scrolls down, negative up."
    )
    target: Target | None = None
    until_text: str | None = None
    max_steps: int = Field(default=20, ge=1, le=200)

    @field_validator("amount")
    @classmethod
    def _non_zero(cls, v: int) -> int:
        if v == 0:
            raise ValueError(
                "scroll amount is 0; use a positive number to scroll down, negative up"
            )
        return v

    @field_validator("until_text")
    @classmethod
    def _text_not_blank(cls, v: str | None) -> str | None:
        if v is not None and not v.strip():
            raise ValueError("until_text is empty; name the text to scroll to")
        return v

    def describe(self) -> str:
        direction = "down" if self.amount > 0 else "up"
        n = abs(self.amount)
        s = f"Scroll {direction} {n} notch{'es' if n != 1 else ''}"
        if self.target is not None:
            s += f" over {self.target.describe()}"
        if self.until_text is not None:
            s += f" until '{self.until_text}' appears (at most {self.max_steps} times)"
        return s


class Drag(_Model):
    """Press on ``source``, move to ``destination``, release."""

    type: Literal["drag"] = "drag"
    source: Target
    destination: Target

    def describe(self) -> str:
        return f"Drag {self.source.describe()} to {self.destination.describe()}"


class Wait(_Model):
    """Wait a fixed time, or until some text is on screen (giving up after ``timeout`` s)."""

    type: Literal["wait"] = "wait"
    seconds: float | None = Field(default=None, gt=0, le=3600)
    until_text: str | None = None
    timeout: float = Field(default=10, gt=0, le=3600)

    @model_validator(mode="after")
    def _exactly_one(self) -> Wait:
        if (self.seconds is None) == (self.until_text is None):
            raise ValueError(
                "a wait needs exactly one of seconds (e.g. 2) or until_text (e.g. 'Saved')"
            )
        if self.until_text is not None and not self.until_text.strip():
            raise ValueError("until_text is empty; name the text to wait for")
        return self

    def describe(self) -> str:
        if self.seconds is not None:
            return f"Wait {self.seconds:g} second{'s' if self.seconds != 1 else ''}"
        return f"Wait until '{self.until_text}' appears (up to {self.timeout:g} s)"


class AskUser(_Model):
    """Stop and ask the person a question; the answer comes back to the planner."""

    type: Literal["ask_user"] = "ask_user"
    question: str = Field(min_length=1)

    def describe(self) -> str:
        return f"Ask you: {self.question}"


class Done(_Model):
    """The goal is reached (or the plan ends); ``summary`` says what was done."""

    type: Literal["done"] = "done"
    summary: str = ""

    def describe(self) -> str:
        return f"Done: {self.summary}" if self.summary else "Done"


Action = Annotated[
    Click | Type | Hotkey | Scroll | Drag | Wait | AskUser | Done,
    Field(discriminator="type"),
]

#: Validates and serialises any action (``action_adapter.dump_json(a)``).
action_adapter: TypeAdapter[Action] = TypeAdapter(Action)
_ACTION_LIST: TypeAdapter[list[Action]] = TypeAdapter(list[Action])


def _condense(err: ValidationError) -> str:
    """One readable line from a pydantic error, never echoing the input (it may be a secret)."""
    parts: list[str] = []
    for e in err.errors(include_url=False, include_input=False):
        loc = ".".join(str(p) for p in e["loc"])
        msg = str(e["msg"])
        for prefix in ("Value error, ", "Assertion failed, "):
            if msg.startswith(prefix):
                msg = msg[len(prefix) :]
        if e["type"] == "union_tag_invalid":
            ctx = e.get("ctx") or {}
            msg = f"unknown action type {ctx.get('tag')!r}; expected one of {', '.join(_TAGS)}"
        elif e["type"] == "union_tag_not_found":
            msg = f"missing field 'type' (one of {', '.join(_TAGS)})"
        elif e["type"] == "missing":
            msg = "missing"
        elif e["type"] == "extra_forbidden":
            msg = "unknown field"
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(dict.fromkeys(parts))


_TAGS = ("click", "type", "hotkey", "scroll", "drag", "wait", "ask_user", "done")


def _validated(cls: type[Any], data: dict[str, Any]) -> Any:
    try:
        return cls.model_validate(data)
    except ValidationError as e:
        raise ActionError(f"invalid {data.get('type', 'action')} action: {_condense(e)}") from None


def parse_action(data: dict[str, Any] | str | bytes) -> Action:
    """Validate one action from a dict or a JSON string.

    Raises ``ActionError`` with the problems on one line, e.g.
    ``invalid action: click.target: a target needs exactly one of element_id ... or query``.
    """
    try:
        if isinstance(data, str | bytes):
            try:
                obj = json.loads(data)
            except json.JSONDecodeError as e:
                raise ActionError(f"invalid action: not valid JSON ({e.msg} at {e.pos})") from None
        else:
            obj = data
        return action_adapter.validate_python(obj)
    except ValidationError as e:
        raise ActionError(f"invalid action: {_condense(e)}") from None


def parse_actions(data: list[Any] | str | bytes) -> list[Action]:
    """Validate a list of actions (a whole plan) from a list or a JSON array string."""
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as e:
            raise ActionError(f"invalid plan: not valid JSON ({e.msg} at {e.pos})") from None
    try:
        return _ACTION_LIST.validate_python(data)
    except ValidationError as e:
        raise ActionError(f"invalid plan: {_condense(e)}") from None


def action_json_schema() -> dict[str, Any]:
    """JSON schema of one action (a ``oneOf`` with a ``type`` discriminator), for LLM
    structured output and tool definitions."""
    return action_adapter.json_schema()


def describe(action: Action) -> str:
    """The action in plain words, as the approval UI and the journal show it."""
    return action.describe()


def targets_of(action: Action) -> list[Target]:
    """What ``action`` acts on, in order: a click's, typing's or scroll's target (when it has
    one), a drag's source and destination; nothing for the others."""
    if isinstance(action, Click):
        return [action.target]
    if isinstance(action, Type | Scroll) and action.target is not None:
        return [action.target]
    if isinstance(action, Drag):
        return [action.source, action.destination]
    return []


def redact(action: Action) -> Action:
    """A copy of any action that is safe to log or journal (secret typed text removed)."""
    if isinstance(action, Type):
        return action.redacted()
    return action


# --------------------------------------------------------------------------------------------
# Resolution record
# --------------------------------------------------------------------------------------------


class ResolvedTarget(_Model):
    """A target after grounding: what was asked for and what was found.

    The journal keeps both halves, because "clicked (412, 300)" alone cannot tell a reviewer
    whether the planner asked for the wrong thing or the locator found the wrong thing.
    ``box`` is ``[x, y, w, h]`` in virtual-desktop pixels.
    """

    query: str | None = None
    element_id: int | None = None
    box: tuple[int, int, int, int]
    kind: str = ""
    text: str = ""
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    # Who found it when not our own perception: "grounder <model>", "computer-use". Kept in
    # the journal with the query.
    source: str = ""

    @property
    def center(self) -> tuple[int, int]:
        x, y, w, h = self.box
        return x + w // 2, y + h // 2

    @classmethod
    def from_element(
        cls, target: Target, element: Any, confidence: float | None = None
    ) -> ResolvedTarget:
        """Build from a ``Target`` and a ``perception.state.Element`` (duck-typed so planning
        does not import perception)."""
        b = element.box
        return cls(
            query=target.query,
            element_id=element.id,
            box=(int(b.x), int(b.y), int(b.w), int(b.h)),
            kind=str(getattr(element.kind, "value", element.kind)),
            text=str(element.text),
            confidence=float(element.confidence if confidence is None else confidence),
        )

    def describe(self) -> str:
        asked = f"'{self.query}'" if self.query is not None else f"#{self.element_id}"
        label = f" '{self.text}'" if self.text else ""
        return (
            f"{asked} -> #{self.element_id} {self.kind}{label} at {list(self.box)} "
            f"({self.confidence:.0%})"
        )
