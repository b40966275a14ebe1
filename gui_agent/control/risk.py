"""The risk gate: which planned actions run on their own, which need a person, which never run.

An agent that clicks on someone's desktop must not send, delete, pay or close things behind
their back, but asking about every scroll makes it useless. And a planner can be fooled by the
screen, so the gate cannot trust the planner's words either: it judges **what the action will
do where it lands**, from evidence gathered right before it runs (``ActionContext``):

* the **control at the pixel**: its own words ("Delete all"), or, for an icon-only control,
  the icon's name (trash, close); an icon that cannot be named is risky, its effect unknown;
* the **window** it is in: a generic "Yes", "OK" or "Continue" takes its meaning from the
  window's prompt ("Really delete 500 records?" makes it destructive, "Keep the changes?" does
  not), and "Close" on a secondary dialog (a Find & Replace box) closes no document;
* **focus**, for keys: Enter and Space press whatever has focus, so they are judged as a
  click on the focused control, and are risky when what has focus is unknown; a plain letter
  or alt+letter outside a text field may fire a menu accelerator or a button's mnemonic;
* the **kind** of control: ``type`` is legal only into an editable element; typing into a
  button or a label is an *invalid* action, refused at every level, never executed;
* **secrets**: typing into a field whose label, placeholder or masking says secret.

All words are compared after ``gui_agent.textnorm.normalize`` (look-alike letters, zero-width
characters, case, spacing), and the vocabulary is data (``risk_policy.toml``, which a user
extends with their own file). The steps:

1. ``assess`` judges the action in its context: **risky**, **irreversible** (cannot be
   undone), **sensitive** (a secret), **unknown** (its effect cannot be told), **invalid**,
   and which user rule (``RiskRules``) matches.
2. ``Gate.decide`` turns that and the ``Autonomy`` into ``execute``, ``ask`` or ``refuse``.
3. An ``Approver`` (``gui_agent.control.approvers``) answers an ``ask``.

Decisions, in order (the first that applies wins):

* an invalid action -> **refuse**, at every level;
* a ``never_allow`` rule matches -> **refuse**, at every level;
* an ``always_ask`` rule matches -> **ask**, at every level;
* ``Wait``, ``AskUser`` and ``Done`` never touch the desktop -> **execute**;
* autonomy ``ask`` -> **ask** for every other action;
* autonomy ``ask-risky`` -> **ask** when the action is risky, else execute (allow rules are
  ignored: this is the mode for watching every risky step);
* autonomy ``auto`` -> **execute**, except a risky action asks unless an ``allow`` rule covers
  it. For an irreversible or unknown action an allow rule counts only when it **names** the
  word, key or icon that made it so: ``allow = ["Delete draft"]`` lets "Delete draft" run, but
  ``["*"]`` does not, so a catch-all rule can never silently let the agent delete or pay.

Rule patterns match case-insensitively (after normalisation) against the control's text, the
query, the hotkey combo, the action's description and the effect the gate found (for a "Yes"
under "Delete the file?", that prompt). A pattern with ``*``, ``?`` or ``[`` is a glob over the
whole string; any other pattern is a substring.

What the gate does not promise: it judges what the screen shows. An app that does something
destructive behind a harmless-looking label in a harmless-looking window (a "Save" that
deletes) is beyond it; so is a window system that cannot be asked about windows (then a band
of screen around the target stands in for the window).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from fnmatch import fnmatchcase
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from gui_agent.control.context import (
    EDITABLE,
    ActionContext,
    Focus,
    editable_target,
    secret_reason,
)
from gui_agent.control.policy import Policy, default_policy, word_regex
from gui_agent.geometry import Rect
from gui_agent.perception.state import Element, ElementKind
from gui_agent.planning.actions import (
    Action,
    AskUser,
    Click,
    Done,
    Drag,
    Hotkey,
    ResolvedTarget,
    Type,
    Wait,
    targets_of,
)
from gui_agent.textnorm import normalize

__all__ = [
    "Autonomy",
    "Gate",
    "GateDecision",
    "RiskAssessment",
    "RiskRules",
    "Verdict",
    "assess",
    "editable_target",
    "is_editable",
    "pattern_matches",
]

K = ElementKind

# --------------------------------------------------------------------------------------------
# Settings
# --------------------------------------------------------------------------------------------


class Autonomy(StrEnum):
    """How much the agent may do without asking (see the module docstring for the table)."""

    ASK = "ask"
    ASK_RISKY = "ask-risky"
    AUTO = "auto"

    @classmethod
    def parse(cls, value: str | Autonomy) -> Autonomy:
        """``"ask_risky"``, ``"Ask-Risky"`` -> ``ASK_RISKY``; raises ``ValueError`` naming the
        accepted values, because this comes from a command line or a config file."""
        if isinstance(value, Autonomy):
            return value
        key = value.strip().lower().replace("_", "-")
        try:
            return cls(key)
        except ValueError:
            allowed = ", ".join(a.value for a in cls)
            raise ValueError(f"unknown autonomy {value!r}; use one of {allowed}") from None


RuleKind = Literal["never_allow", "always_ask", "allow"]


class RiskRules(BaseModel):
    """A person's own rules, e.g. from the ``[risk]`` table of the config file.

    ``never_allow`` beats ``always_ask`` beats ``allow`` (see the module docstring).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    always_ask: list[str] = Field(default_factory=list)
    never_allow: list[str] = Field(default_factory=list)
    allow: list[str] = Field(default_factory=list)

    @field_validator("always_ask", "never_allow", "allow", mode="before")
    @classmethod
    def _one_string_is_a_list(cls, v: object) -> object:
        # A config with `allow = "Save"` means a list of one; accepting it is unambiguous.
        return [v] if isinstance(v, str) else v

    @field_validator("always_ask", "never_allow", "allow")
    @classmethod
    def _no_blank_patterns(cls, v: list[str]) -> list[str]:
        out = [" ".join(p.split()) for p in v]
        if any(not p for p in out):
            # An empty substring would match everything: refuse rather than guess.
            raise ValueError("a rule pattern is empty; write the words to match, e.g. 'Delete*'")
        return out

    def first_match(self, kind: RuleKind, subjects: list[str]) -> str | None:
        """The first pattern of list ``kind`` that matches any of ``subjects``, else None."""
        for pattern in getattr(self, kind):
            if any(pattern_matches(pattern, s) for s in subjects):
                return str(pattern)
        return None


def pattern_matches(pattern: str, subject: str) -> bool:
    """Rule matching: glob when ``pattern`` has ``*?[``, else substring; both normalised, so a
    look-alike spelling of a denied word is still denied."""
    p, s = normalize(pattern), normalize(subject)
    if any(c in p for c in "*?["):
        return fnmatchcase(s, p)
    return p in s


#: Actions that never touch the desktop: executed without approval at every level.
_INERT = (Wait, AskUser, Done)
#: Kinds that, without any text, are icon-only controls: judged by their icon.
_ICON_LIKE = frozenset({K.ICON, K.BUTTON, K.LINK, K.MENU_ITEM, K.TAB})


# --------------------------------------------------------------------------------------------
# Assessment
# --------------------------------------------------------------------------------------------


class RiskAssessment(BaseModel):
    """What ``assess`` found: a record the gate decides on and the journal keeps.

    ``risky`` covers ``irreversible``, ``sensitive`` and ``unknown``. ``invalid`` says why the
    action cannot be executed at all. ``effect`` is what the action will do, in words.
    ``triggers`` are the words, keys or icons that made it risky, as found.
    """

    model_config = ConfigDict(frozen=True)

    risky: bool = False
    irreversible: bool = False
    sensitive: bool = False
    unknown: bool = False
    invalid: str | None = None
    effect: str = ""
    reasons: list[str] = Field(default_factory=list)
    rule: str | None = None
    rule_kind: RuleKind | None = None
    denied: bool = False
    triggers: list[str] = Field(default_factory=list)

    def summary(self) -> str:
        """The risk in words for a prompt: "irreversible: 'Delete all' says delete"."""
        if self.invalid:
            return f"invalid: {self.invalid}"
        if not self.risky:
            return "no risk found"
        label = (
            "irreversible" if self.irreversible else "effect unknown" if self.unknown else "risky"
        )
        return f"{label}: {'; '.join(self.reasons)}" if self.reasons else label


@dataclass
class _Finding:
    """Accumulates what the checks below find for one action; ``subjects`` are the strings
    the user's rules are matched against."""

    reasons: list[str] = field(default_factory=list)
    irreversible: list[str] = field(default_factory=list)
    risky: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    sensitive: bool = False
    invalid: str | None = None
    effect: str = ""

    def add(self, kind: str, trigger: str, reason: str) -> None:
        self.reasons.append(reason)
        {"irreversible": self.irreversible, "risky": self.risky, "unknown": self.unknown}[
            kind
        ].append(trigger)


def _as_element(target: ResolvedTarget | Element | None) -> Element | None:
    if target is None or isinstance(target, Element):
        return target
    try:
        kind = ElementKind(target.kind)
    except ValueError:
        kind = K.TEXT
    return Element(target.element_id or 0, kind, Rect(*target.box), target.text, target.confidence)


def _queries(action: Action) -> list[str]:
    return [t.query or "" for t in targets_of(action)]


def _shown(text: str) -> str:
    return " ".join(text.split())[:80]


def _judge_control(
    f: _Finding, el: Element | None, queries: list[str], ctx: ActionContext, policy: Policy
) -> None:
    """What pressing ``el`` does: its words, its icon, or its window's prompt."""
    own = _shown(el.text) if el is not None else ""
    sense = policy.label_sense(own) if own else None
    if sense == "negative":
        f.effect = f"declines ('{own}')"
        return
    seen = _shown(el.seen_text) if el is not None else ""
    words = [t for t in [own, seen, *queries] if t]
    for text in dict.fromkeys(words):
        for effect, word in policy.effects_in(text):
            if effect.close and _closes_a_dialog(f, ctx, policy):
                continue  # a secondary window: nothing is lost by closing it
            kind = "irreversible" if effect.irreversible else "risky"
            f.add(kind, word, f"'{text}' says {word}: it {effect.effect}"
                  + (" (cannot be undone)" if effect.irreversible else ""))  # fmt: skip
            f.effect = f.effect or effect.effect
    if f.reasons:
        return
    if sense == "affirmative":
        for prompt in _prompts(ctx, policy):
            found = policy.effects_in(prompt)
            extra = policy.prompt_word(prompt)
            if found or extra:
                trigger = found[0][1] if found else str(extra)
                f.add("irreversible", trigger,
                      f"'{own}' confirms '{_shown(prompt)}' (cannot be undone)")  # fmt: skip
                f.effect = f"confirms '{_shown(prompt)}'"
                f.subjects.append(prompt)
                return
        f.effect = f"confirms ('{own}')"
        return
    if el is None:
        return
    if el.kind in _ICON_LIKE and not _captioned(el.text, policy) and not _named_by_app(el, policy):
        _judge_icon(f, el, ctx, policy)


def _closes_a_dialog(f: _Finding, ctx: ActionContext, policy: Policy) -> bool:
    """Whether a close lands on a secondary window (a dialog or tool window owned by another)
    whose text says nothing about losing work: then closing it loses nothing."""
    win = ctx.window
    if win is None or not win.secondary or any(policy.prompt_word(t) for t in ctx.prompt_texts()):
        return False
    f.effect = f"closes the dialog '{_shown(win.title)}'"
    return True


def _captioned(text: str, policy: Policy) -> bool:
    """Whether a control's text is a caption in words, not OCR's reading of its icon: at
    least two letters (OCR reads a trash can as "旬" and a gear as "@"), and no glyph that
    names an icon ("×")."""
    if policy.icon_name(text) is not None:
        return False
    return len(re.findall(r"[^\W\d_]", text)) >= 2


def _named_by_app(el: Element, policy: Policy) -> bool:
    """The app's accessibility tree names the control ("7", "+"): its caption is exact, not
    OCR's guess at a pictogram. A glyph that names an icon ("×") is still judged as that
    icon, and so is a control whose pixels read as a different icon."""
    if el.source == "vision" or not el.text.strip() or policy.icon_name(el.text) is not None:
        return False
    return not el.seen_text or policy.icon_name(el.seen_text) is None


def _judge_icon(f: _Finding, el: Element, ctx: ActionContext, policy: Policy) -> None:
    name = policy.icon_name(el.text)
    if name is None:
        f.add("unknown", "icon", f"an icon-only control at {list(el.box.as_tuple())} whose "
              "effect cannot be told (its icon has no known name)")  # fmt: skip
        f.effect = "unknown (an unnamed icon)"
        return
    if name in policy.icon_harmless:
        f.effect = f"the '{name}' icon"
        return
    if name in policy.icon_close:
        if not _closes_a_dialog(f, ctx, policy):
            f.add("irreversible", name, f"the '{name}' icon closes a window (cannot be undone)")
        return
    hit = policy.icon_effects.get(name)
    if hit is not None:
        effect, irrev = hit
        f.add("irreversible" if irrev else "risky", name, f"the '{name}' icon {effect}")
        f.effect = effect
        return
    f.add("unknown", "icon", f"the '{name}' icon's effect is not known")


def _judge_typing(f: _Finding, action: Type, el: Element | None, queries: list[str],
                  ctx: ActionContext, policy: Policy) -> None:  # fmt: skip
    if action.target is not None and el is not None and el.kind not in EDITABLE:
        f.invalid = (
            f"'type' needs an editable element, and {el.kind.value}"
            f"{f' {_shown(el.text)!r}' if el.text else ''} is not one: typing into it would "
            "press it or do nothing"
        )
        return
    field = el if action.target is not None else ctx.focus.element
    secret_words = [w for w in (policy.secret_word(q) for q in queries) if w]
    own = secret_reason(None, field, policy) if field is not None else None
    if action.secret or ctx.secret or own or secret_words:
        f.sensitive = True
        why = ctx.secret or own or (f"'{secret_words[0]}'" if secret_words else "marked secret")
        f.reasons.append(f"types a secret (sensitive: {why})")
        f.risky += secret_words
        f.effect = "types a secret"
    if action.target is None and field is None:
        f.add("unknown", "typing", "types into whatever has focus, and what has focus is not "
              "known")  # fmt: skip
        return
    if action.target is None and field is not None and field.kind not in EDITABLE:
        if " " in action.text or "\n" in action.text:
            _judge_activation(f, "space", ctx, policy)
        else:
            f.add("unknown", "typing", f"types into a focused {field.kind.value}, which may "
                  "take the letters as shortcuts")  # fmt: skip
        return
    if "\n" in action.text:
        _judge_activation(f, "enter", ctx, policy)


def _prompts(ctx: ActionContext, policy: Policy) -> list[str]:
    """The window's words that could be a question, without the other generic answers."""
    return [t for t in ctx.prompt_texts() if policy.label_sense(t) is None]


def _window_is_destructive(ctx: ActionContext, policy: Policy) -> str | None:
    for prompt in _prompts(ctx, policy):
        found = policy.effects_in(prompt)
        if found:
            return found[0][1]
        word = policy.prompt_word(prompt)
        if word:
            return word
    return None


def _judge_activation(f: _Finding, key: str, ctx: ActionContext, policy: Policy) -> None:
    """Enter or Space: they press whatever has focus."""
    focus: Focus = ctx.focus
    el = focus.element
    if el is None:
        f.add("unknown", key, f"{key} presses whatever has focus, and what has focus is not "
              f"known ({focus.reason})")  # fmt: skip
        f.effect = "unknown (presses the focused control)"
        return
    if el.kind in EDITABLE:
        if key == "space":
            f.effect = "types a space"
            return
        word = _window_is_destructive(ctx, policy)
        if word is not None:
            f.add("irreversible", word, f"enter in a field submits its window, which asks "
                  f"about '{word}'")  # fmt: skip
        f.effect = "submits the focused field's form"
        return
    before = len(f.reasons)
    _judge_control(f, el, [], ctx, policy)
    if len(f.reasons) > before:
        f.reasons[before] = f"{key} presses the focused {el.kind.value}: {f.reasons[before]}"
    f.effect = f"presses the focused {el.kind.value}" + (f" ({f.effect})" if f.effect else "")


def hotkey_keys(action: Hotkey) -> frozenset[str]:
    """The chord as a set, left/right modifier variants folded ("ctrlleft" -> "ctrl")."""
    out = set()
    for k in action.keys:
        for side in ("left", "right"):
            if k.endswith(side) and k[: -len(side)] in ("ctrl", "alt", "shift", "win"):
                k = k[: -len(side)]
        out.add(k)
    return frozenset(out)


def _judge_hotkey(f: _Finding, action: Hotkey, ctx: ActionContext, policy: Policy) -> None:
    keys = hotkey_keys(action)
    fixed = policy.hotkeys.get(keys)
    if fixed is not None:
        f.add("irreversible" if fixed.irreversible else "risky", action.combo,
              f"{action.combo} {fixed.effect}")  # fmt: skip
        f.effect = fixed.effect
        return
    if keys in policy.activate_keys:
        _judge_activation(f, action.combo, ctx, policy)
        return
    if keys in policy.navigate_keys or keys in policy.edit_keys:
        f.effect = "moves focus or edits text"
        return
    plain = keys - {"shift"}
    if len(plain) == 1 and len(next(iter(plain))) == 1:  # a printable character
        if ctx.focus.editable:
            f.effect = "types a character"
            return
        f.add("unknown", action.combo, f"{action.combo} outside a text field may fire a menu "
              "accelerator of whatever has focus")  # fmt: skip
        return
    if "alt" in keys and len(keys) == 2:
        letter = next(iter(keys - {"alt"}))
        if len(letter) == 1 and letter.isalnum():
            risky = [c for c in ctx.controls() if policy.effects_in(c.text)]
            word = _window_is_destructive(ctx, policy)
            if (ctx.window is None and not ctx.window_elements) or risky or word:
                f.add("unknown", action.combo, f"{action.combo} may press the button whose "
                      "mnemonic is that letter, in a window with risky controls")  # fmt: skip
            return


def assess(
    action: Action,
    target: ResolvedTarget | Element | ActionContext | None = None,
    rules: RiskRules | None = None,
    *,
    policy: Policy | None = None,
) -> RiskAssessment:
    """Judge ``action`` in its context against the policy and the user's ``rules``.

    ``target`` is the evidence: a full ``ActionContext`` from the session, or just the
    resolved element (then window and focus are unknown). Pure: no I/O.
    """
    policy = policy or default_policy()
    rules = rules or RiskRules()
    ctx = target if isinstance(target, ActionContext) else ActionContext(target=_as_element(target))
    f = _Finding()
    queries = [q for q in _queries(action) if q]
    el = ctx.target
    if not isinstance(action, _INERT):
        f.subjects += [t for t in ([el.text] if el is not None else []) + queries if t]

    if isinstance(action, Hotkey):
        _judge_hotkey(f, action, ctx, policy)
    elif isinstance(action, Type):
        _judge_typing(f, action, el, queries, ctx, policy)
    elif isinstance(action, Click):
        _judge_control(f, el, queries[:1], ctx, policy)
    elif isinstance(action, Drag):
        # A drop acts on what it lands on: "drag the file to the Trash".
        _judge_control(f, ctx.destination, queries[1:], ctx, policy)
        f.subjects += [ctx.destination.text] if ctx.destination is not None else []

    irreversible = bool(f.irreversible)
    unknown = bool(f.unknown) and not irreversible
    risky = irreversible or unknown or f.sensitive or bool(f.risky)

    if el is not None and not isinstance(action, _INERT):
        f.subjects.append(f"{el.kind.value} {el.text}".strip())  # "icon", "button Save"
    if f.effect:
        f.subjects.append(f.effect)
    subjects = [*dict.fromkeys(" ".join(s.split()) for s in f.subjects if s.strip()),
                action.describe()]  # fmt: skip
    if isinstance(action, Hotkey):
        subjects.append(action.combo)
    rule: str | None = None
    kind: RuleKind | None = None
    strict_kinds: tuple[RuleKind, ...] = ("never_allow", "always_ask")
    for k in strict_kinds:
        rule = rules.first_match(k, subjects)
        if rule is not None:
            kind = k
            break
    strict_triggers = f.irreversible if irreversible else f.unknown
    if kind is None:
        for pattern in rules.allow:
            if not any(pattern_matches(pattern, s) for s in subjects):
                continue
            if (irreversible or unknown) and not _names_trigger(pattern, strict_triggers):
                what = "cannot be undone" if irreversible else "has an effect that is not known"
                f.reasons.append(
                    f"allow rule '{pattern}' ignored: it does not name "
                    f"{' / '.join(strict_triggers)}, and the action {what}"
                )
                continue
            rule, kind = pattern, "allow"
            break

    return RiskAssessment(
        risky=risky,
        irreversible=irreversible,
        sensitive=f.sensitive,
        unknown=unknown,
        invalid=f.invalid,
        effect=f.effect,
        reasons=f.reasons,
        rule=rule,
        rule_kind=kind,
        denied=kind == "never_allow",
        triggers=[*f.irreversible, *f.unknown, *f.risky],
    )


def _names_trigger(pattern: str, triggers: list[str]) -> bool:
    """Does an allow ``pattern`` itself name one of ``triggers`` (as a whole word)? That is
    what makes an allow rule explicit enough to let an irreversible action run."""
    words = normalize(re.sub(r"[*?\[\]]", " ", pattern))
    return any(word_regex(t).search(words) for t in triggers)


# --------------------------------------------------------------------------------------------
# Gate
# --------------------------------------------------------------------------------------------


class Verdict(StrEnum):
    EXECUTE = "execute"
    ASK = "ask"
    REFUSE = "refuse"


@dataclass(frozen=True, slots=True)
class GateDecision:
    """What to do with one action, and why in words (shown to the person and journaled)."""

    verdict: Verdict
    reason: str
    assessment: RiskAssessment

    @property
    def needs_approval(self) -> bool:
        return self.verdict is Verdict.ASK


class Gate:
    """Applies the autonomy level and the user's rules (see the module docstring's table)."""

    def __init__(
        self,
        autonomy: Autonomy | str = Autonomy.ASK,
        rules: RiskRules | None = None,
        policy: Policy | None = None,
    ) -> None:
        self.autonomy = Autonomy.parse(autonomy)
        self.rules = rules or RiskRules()
        self.policy = policy or default_policy()

    def assess(
        self, action: Action, target: ResolvedTarget | Element | ActionContext | None = None
    ) -> RiskAssessment:
        """``assess`` with this gate's rules and policy."""
        return assess(action, target, self.rules, policy=self.policy)

    def check(
        self, action: Action, target: ResolvedTarget | Element | ActionContext | None = None
    ) -> GateDecision:
        """Assess and decide in one step: what the session calls before each action."""
        return self.decide(action, self.assess(action, target))

    def decide(self, action: Action, assessment: RiskAssessment) -> GateDecision:
        """``execute``, ``ask`` or ``refuse`` for ``action``. Trusts ``assessment`` for the
        rule matches, so it must come from ``assess`` with this gate's rules."""
        a = assessment
        what = f"'{action.describe()}'"
        risk = f" ({a.summary()})" if a.risky else ""
        level = f"autonomy '{self.autonomy.value}'"

        def out(verdict: Verdict, reason: str) -> GateDecision:
            return GateDecision(verdict, reason, a)

        if a.invalid:
            return out(Verdict.REFUSE, f"{what} is an invalid action: {a.invalid}")
        if a.denied:
            return out(Verdict.REFUSE, f"{what} is refused by never_allow rule '{a.rule}'{risk}")
        if a.rule_kind == "always_ask":
            return out(Verdict.ASK, f"{what} needs approval: always_ask rule '{a.rule}'{risk}")
        if isinstance(action, _INERT):
            return out(Verdict.EXECUTE, f"{what} does not touch the desktop")
        if self.autonomy is Autonomy.ASK:
            return out(Verdict.ASK, f"{what} needs approval: {level} asks for every action{risk}")
        if not a.risky:
            return out(Verdict.EXECUTE, f"{what} is not risky; {level} runs it")
        if self.autonomy is Autonomy.ASK_RISKY:
            return out(Verdict.ASK, f"{what} needs approval: {level} asks for risky actions{risk}")
        if a.rule_kind == "allow":
            return out(Verdict.EXECUTE, f"{what} is allowed by allow rule '{a.rule}'{risk}")
        kind = "irreversible" if a.irreversible else "unknown" if a.unknown else "risky"
        return out(
            Verdict.ASK,
            f"{what} needs approval: {level} still asks for {kind} actions no allow rule "
            f"covers{risk}",
        )


def is_editable(target: ResolvedTarget | Element | None) -> bool:
    """Whether ``type`` may go into ``target`` (None: the focused element, judged by focus)."""
    el = _as_element(target)
    return el is None or el.kind in EDITABLE
