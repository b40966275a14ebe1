"""The risk gate: which planned actions run on their own, which need a person, which never run.

An agent that clicks on someone's desktop must not send, delete, pay or close things behind
their back, but asking about every scroll makes it useless. So every action goes through
three steps before the executor touches the mouse:

1. ``assess`` judges the action and its resolved target in words: is it **risky** (built-in
   vocabulary such as "Delete all", "Send", "Pay now"; hotkeys such as alt+f4; typing into a
   password field), **irreversible** (cannot be undone: send, delete, pay, close, publish...),
   and does a user rule (``RiskRules``) match it.
2. ``Gate.decide`` turns that and the chosen ``Autonomy`` into ``execute``, ``ask`` or
   ``refuse``, with the reason in words naming the action and the rule.
3. An ``Approver`` asks a person (``TerminalApprover``), applies a fixed policy
   (``PolicyApprover``) or, when nobody can be asked, refuses (``NobodyApprover``).

Decisions, in order (the first that applies wins):

* a ``never_allow`` rule matches -> **refuse**, at every autonomy level;
* an ``always_ask`` rule matches -> **ask**, at every level;
* ``Wait``, ``AskUser`` and ``Done`` never touch the desktop -> **execute**, at every level
  (approving "Done" would only be noise);
* autonomy ``ask`` -> **ask** for every other action (allow rules do not skip it: the person
  chose to see every step);
* autonomy ``ask-risky`` -> **ask** when the action is risky (irreversible and sensitive ones
  are risky too), else execute. Allow rules are ignored here as well: ``ask-risky`` is the
  mode for watching every risky step;
* autonomy ``auto`` -> **execute**, except a risky action asks unless an ``allow`` rule
  covers it. For an *irreversible* action an allow rule counts only when it **names** a word
  (or hotkey) that made it irreversible: ``allow = ["Delete draft"]`` or ``["*delete*"]``
  lets "Delete draft" run, but ``["*"]`` or ``["*draft*"]`` does not, so a catch-all rule
  written for convenience can never silently let the agent delete, send or pay.

Matching:

* The built-in vocabulary matches **whole words**, case-insensitively, in the target's text
  and query (not in typed text: typing the word "delete" into a document is harmless):
  "Delete all" is risky, "Undelete" and "Deleted items" are not.
* User rule patterns (``RiskRules``) match case-insensitively against the target's text, its
  query, the hotkey combo (``"alt+f4"``) and the action's description (``"Click Delete
  all"``). A pattern with ``*``, ``?`` or ``[`` is an ``fnmatch`` glob over the whole string
  (``"delete*"`` matches "Delete all" but not "Undelete"); any other pattern is a plain
  substring (``"draft"`` matches "Delete draft" and "Drafts").

``assess`` should run after the target is resolved (``ResolvedTarget`` or ``Element``): with
only an element id and no resolved target there are no words to judge, and the action is
judged from its own fields alone.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from enum import StrEnum
from fnmatch import fnmatchcase
from typing import Literal, Protocol, TextIO, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, field_validator

from gui_agent.errors import GuiAgentError
from gui_agent.perception.state import Element
from gui_agent.planning.actions import (
    Action,
    ActionError,
    AskUser,
    Click,
    Done,
    Drag,
    Hotkey,
    ResolvedTarget,
    Scroll,
    Type,
    Wait,
    parse_action,
)

__all__ = [
    "Approval",
    "Approver",
    "Autonomy",
    "Gate",
    "GateDecision",
    "NobodyApprover",
    "PolicyApprover",
    "RiskAssessment",
    "RiskRules",
    "TerminalApprover",
    "Verdict",
    "assess",
    "default_approver",
]


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

    Patterns are matched case-insensitively: globs (``*``, ``?``, ``[``) over the whole
    string, anything else as a substring (see the module docstring for what is matched).
    ``never_allow`` beats ``always_ask`` beats ``allow``.
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
    """Rule matching: case-insensitive glob when ``pattern`` has ``*?[``, else substring."""
    p, s = pattern.lower(), " ".join(subject.lower().split())
    if any(c in p for c in "*?["):
        return fnmatchcase(s, p)
    return p in s


# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------

#: Words that make an action irreversible (and so risky): what they do cannot be undone.
IRREVERSIBLE_WORDS: tuple[str, ...] = (
    "send",
    "delete",
    "erase",
    "pay",
    "purchase",
    "buy",
    "checkout",
    "check out",
    "submit",
    "submit order",
    "place order",
    "transfer",
    "close",
    "quit",
    "exit",
    "format",
    "uninstall",
    "overwrite",
    "discard",
    "don't save",
    "do not save",
    "publish",
    "post",
    "empty trash",
    "empty recycle bin",
)

#: Words that make an action risky but usually recoverable (sign back in, restore from trash).
RISKY_WORDS: tuple[str, ...] = (
    "remove",
    "logout",
    "log out",
    "log off",
    "sign out",
    "signout",
    "trash",
    "recycle bin",
)

#: Words in a field's name that make typing into it sensitive (a secret may leak).
SENSITIVE_WORDS: tuple[str, ...] = ("password", "passcode", "passphrase", "pin", "secret")

#: Hotkeys (as sorted key sets) that close, quit or delete, and whether they are irreversible.
RISKY_HOTKEYS: dict[frozenset[str], tuple[str, bool]] = {
    frozenset({"alt", "f4"}): ("closes the window", True),
    frozenset({"ctrl", "w"}): ("closes the tab or window", True),
    frozenset({"ctrl", "shift", "w"}): ("closes the window", True),
    frozenset({"ctrl", "q"}): ("quits the application", True),
    frozenset({"shift", "delete"}): ("deletes permanently, bypassing the trash", True),
    frozenset({"ctrl", "enter"}): ("sends or submits in many applications", True),
    frozenset({"delete"}): ("deletes the selection", False),
    frozenset({"ctrl", "shift", "delete"}): ("clears browsing data", False),
    frozenset({"ctrl", "alt", "delete"}): ("opens the security screen", False),
}

_MODIFIER_VARIANTS = {
    "ctrlleft": "ctrl",
    "ctrlright": "ctrl",
    "altleft": "alt",
    "altright": "alt",
    "shiftleft": "shift",
    "shiftright": "shift",
    "winleft": "win",
    "winright": "win",
}


def _word_regex(term: str) -> re.Pattern[str]:
    """Whole-word, case-insensitive regex for ``term``; words inside may be joined by spaces,
    hyphens or underscores ("sign-out", "check_out"). Letters and digits next to the term
    break the match ("Undelete"), punctuation does not ("Delete…", "(Send)")."""
    parts = [re.escape(w) for w in term.split()]
    body = r"[\s\-_]+".join(parts).replace("'", "['’]")
    return re.compile(rf"(?<![^\W_]){body}(?![^\W_])", re.IGNORECASE)


_IRREVERSIBLE_RE = [(w, _word_regex(w)) for w in IRREVERSIBLE_WORDS]
_RISKY_RE = [(w, _word_regex(w)) for w in RISKY_WORDS]
_SENSITIVE_RE = [(w, _word_regex(w)) for w in SENSITIVE_WORDS]

#: Actions that never touch the desktop: executed without approval at every level.
_INERT = (Wait, AskUser, Done)


# --------------------------------------------------------------------------------------------
# Assessment
# --------------------------------------------------------------------------------------------


class RiskAssessment(BaseModel):
    """What ``assess`` found: a record the gate decides on and the journal keeps.

    ``risky`` covers ``irreversible`` and ``sensitive``. ``rule`` is the user pattern that
    matched, ``rule_kind`` its list; ``denied`` is true when it is a ``never_allow`` rule.
    ``triggers`` are the words or hotkeys that made the action risky, as found.
    """

    model_config = ConfigDict(frozen=True)

    risky: bool = False
    irreversible: bool = False
    sensitive: bool = False
    reasons: list[str] = Field(default_factory=list)
    rule: str | None = None
    rule_kind: RuleKind | None = None
    denied: bool = False
    triggers: list[str] = Field(default_factory=list)

    def summary(self) -> str:
        """The risk in words for a prompt: "irreversible: 'Delete all' says delete"."""
        if not self.risky:
            return "no risk found"
        label = "irreversible" if self.irreversible else "risky"
        return f"{label}: {'; '.join(self.reasons)}" if self.reasons else label


def _target_texts(action: Action, target: ResolvedTarget | Element | None) -> list[str]:
    """The words naming what the action acts on: resolved text, the query asked for, and
    the queries inside the action itself (both ends of a drag)."""
    texts: list[str] = []
    if isinstance(target, ResolvedTarget):
        texts += [target.text, target.query or ""]
    elif isinstance(target, Element):
        texts.append(target.text)
    if isinstance(action, Click | Type | Scroll) and action.target is not None:
        texts.append(action.target.query or "")
    if isinstance(action, Drag):
        texts += [action.source.query or "", action.destination.query or ""]
    return list(dict.fromkeys(t for t in (" ".join(t.split()) for t in texts) if t))


def _hotkey_key(action: Hotkey) -> frozenset[str]:
    return frozenset(_MODIFIER_VARIANTS.get(k, k) for k in action.keys)


def _find(regexes: list[tuple[str, re.Pattern[str]]], texts: list[str]) -> list[tuple[str, str]]:
    """(term, text) for every term found as a whole word in one of ``texts``."""
    found = []
    for term, rx in regexes:
        for t in texts:
            if rx.search(t):
                found.append((term, t))
                break
    return found


def _names_trigger(pattern: str, triggers: list[str]) -> bool:
    """Does an allow ``pattern`` itself name one of ``triggers`` (as a whole word)? That is
    what makes an allow rule explicit enough to let an irreversible action run."""
    words = re.sub(r"[*?\[\]]", " ", pattern)
    return any(_word_regex(t).search(words) for t in triggers)


def assess(
    action: Action,
    target: ResolvedTarget | Element | None = None,
    rules: RiskRules | None = None,
) -> RiskAssessment:
    """Judge ``action`` on ``target`` (its resolved element, when known) against the built-in
    vocabulary and the user's ``rules``. Pure: no I/O, so it is cheap to test and to journal.
    """
    rules = rules or RiskRules()
    texts = [] if isinstance(action, _INERT) else _target_texts(action, target)
    reasons: list[str] = []
    irreversible_triggers: list[str] = []
    risky_triggers: list[str] = []
    sensitive = False

    if isinstance(action, Hotkey):
        hit = RISKY_HOTKEYS.get(_hotkey_key(action))
        if hit is not None:
            what, irrev = hit
            reasons.append(f"{action.combo} {what}")
            (irreversible_triggers if irrev else risky_triggers).append(action.combo)
    elif isinstance(action, Type):
        # Typing only fills a field; the field's own name is what makes it sensitive. The
        # typed text is never searched: "delete" typed into a document deletes nothing.
        found = _find(_SENSITIVE_RE, texts)
        if action.secret or found:
            sensitive = True
            where = f"'{found[0][1]}'" if found else "a field"
            reasons.append(f"types a secret into {where} (sensitive)")
            risky_triggers += [term for term, _ in found]
    elif isinstance(action, Click | Drag):
        # Scrolling over or waiting for a "Delete" button does nothing to it; only a click
        # (or a drop onto it: "drag the file to the Trash") acts on what the words say.
        for term, text in _find(_IRREVERSIBLE_RE, texts):
            reasons.append(f"'{text}' says {term} (cannot be undone)")
            irreversible_triggers.append(term)
        for term, text in _find(_RISKY_RE, texts):
            reasons.append(f"'{text}' says {term}")
            risky_triggers.append(term)

    irreversible = bool(irreversible_triggers)
    risky = irreversible or sensitive or bool(risky_triggers)

    subjects = [*texts, action.describe()]
    if isinstance(action, Hotkey):
        subjects.append(action.combo)
    rule: str | None = None
    kind: RuleKind | None = None
    strict: tuple[RuleKind, ...] = ("never_allow", "always_ask")
    for k in strict:
        rule = rules.first_match(k, subjects)
        if rule is not None:
            kind = k
            break
    if kind is None:
        for pattern in rules.allow:
            if not any(pattern_matches(pattern, s) for s in subjects):
                continue
            if irreversible and not _names_trigger(pattern, irreversible_triggers):
                reasons.append(
                    f"allow rule '{pattern}' ignored: it does not name "
                    f"{' / '.join(irreversible_triggers)}, and the action cannot be undone"
                )
                continue
            rule, kind = pattern, "allow"
            break

    return RiskAssessment(
        risky=risky,
        irreversible=irreversible,
        sensitive=sensitive,
        reasons=reasons,
        rule=rule,
        rule_kind=kind,
        denied=kind == "never_allow",
        triggers=[*irreversible_triggers, *risky_triggers],
    )


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
        self, autonomy: Autonomy | str = Autonomy.ASK, rules: RiskRules | None = None
    ) -> None:
        self.autonomy = Autonomy.parse(autonomy)
        self.rules = rules or RiskRules()

    def assess(
        self, action: Action, target: ResolvedTarget | Element | None = None
    ) -> RiskAssessment:
        """``assess`` with this gate's rules."""
        return assess(action, target, self.rules)

    def check(self, action: Action, target: ResolvedTarget | Element | None = None) -> GateDecision:
        """Assess and decide in one step: what the executor calls before each action."""
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
        kind = "irreversible" if a.irreversible else "risky"
        return out(
            Verdict.ASK,
            f"{what} needs approval: {level} still asks for {kind} actions no allow rule "
            f"covers{risk}",
        )


# --------------------------------------------------------------------------------------------
# Approvers
# --------------------------------------------------------------------------------------------

ApprovalKind = Literal["approve", "reject", "edit", "stop"]


@dataclass(frozen=True, slots=True)
class Approval:
    """A person's (or a policy's) answer about one action.

    ``edit`` carries the replacement ``action``; the caller should pass it through the gate
    again (a never_allow rule still applies to what the person typed). ``stop`` ends the
    whole run; ``reject`` skips this action and lets the planner try something else.
    """

    kind: ApprovalKind
    action: Action | None = None
    message: str = ""

    @classmethod
    def approve(cls, message: str = "") -> Approval:
        return cls("approve", message=message)

    @classmethod
    def reject(cls, message: str = "") -> Approval:
        return cls("reject", message=message)

    @classmethod
    def edit(cls, action: Action, message: str = "") -> Approval:
        return cls("edit", action=action, message=message)

    @classmethod
    def stop(cls, message: str = "") -> Approval:
        return cls("stop", message=message)


@runtime_checkable
class Approver(Protocol):
    """Who answers when the gate says ``ask``. ``description`` is what to show the person
    (normally ``GateDecision.reason``: the action, and the rule that asked)."""

    def review(self, action: Action, assessment: RiskAssessment, description: str) -> Approval:
        """Approve, reject, edit or stop for ``action``."""
        ...


class TerminalApprover:
    """Asks on a text stream: ``[a]pprove / [r]eject / [e]dit / [s]top``.

    ``edit`` takes one action as JSON (``{"type": "click", ...}``) or as a command the
    built-in planner understands ("click Save"), inline (``e click Save``) or on the next
    line. Invalid input re-prompts, up to ``max_attempts``; end of input stops the run,
    because an unanswered question must never turn into a yes.
    """

    PROMPT = "[a]pprove / [r]eject / [e]dit / [s]top: "

    def __init__(
        self, input: TextIO | None = None, output: TextIO | None = None, max_attempts: int = 10
    ) -> None:
        self.input = input if input is not None else sys.stdin
        self.output = output if output is not None else sys.stdout
        self.max_attempts = max_attempts

    def _say(self, text: str, end: str = "\n") -> None:
        self.output.write(text + end)
        self.output.flush()

    def _read(self) -> str | None:
        line = self.input.readline()
        return None if line == "" else line.strip()

    def review(self, action: Action, assessment: RiskAssessment, description: str) -> Approval:
        self._say(f"Next action: {action.describe()}")
        if description and description != action.describe():
            self._say(f"  {description}")
        if assessment.risky:
            label = "IRREVERSIBLE" if assessment.irreversible else "RISKY"
            self._say(f"  {label}:")
            for reason in assessment.reasons:
                self._say(f"    - {reason}")
        for _ in range(self.max_attempts):
            self._say(self.PROMPT, end="")
            line = self._read()
            if line is None:
                return Approval.stop("no answer (end of input); stopping")
            word, _, rest = line.partition(" ")
            word = word.lower()
            if word in ("a", "approve", "y", "yes"):
                return Approval.approve()
            if word in ("r", "reject", "n", "no"):
                return Approval.reject("rejected by the user")
            if word in ("s", "stop", "q", "quit"):
                return Approval.stop("stopped by the user")
            if word in ("e", "edit"):
                text = rest.strip()
                if not text:
                    self._say("New action (JSON or a command like 'click Save'): ", end="")
                    got = self._read()
                    if got is None:
                        return Approval.stop("no answer (end of input); stopping")
                    text = got
                try:
                    new = parse_edit(text)
                except GuiAgentError as e:
                    self._say(f"Cannot use that action: {e}")
                    continue
                self._say(f"Edited to: {new.describe()}")
                return Approval.edit(new, "edited by the user")
            self._say(f"Please answer a, r, e or s (got {line!r}).")
        return Approval.stop(f"no valid answer after {self.max_attempts} tries; stopping")


def parse_edit(text: str) -> Action:
    """One action from what a person typed when editing: JSON, or one direct command.

    Raises ``ActionError`` (a ``GuiAgentError``) when it is neither, or names several.
    """
    from gui_agent.planning.rules import parse_commands  # planner grammar, only when editing

    text = text.strip()
    if not text:
        raise ActionError("no action given")
    if text.startswith("{"):
        return parse_action(text)
    actions = parse_commands(text)
    if len(actions) != 1:
        shown = "; ".join(a.describe() for a in actions)
        raise ActionError(f"that is {len(actions)} actions ({shown}); give exactly one")
    return actions[0]


@dataclass
class PolicyApprover:
    """Headless: answers every question by a fixed policy, and keeps what it was asked.

    ``approve_irreversible`` defaults to ``approve``; set it to False to let a batch run
    approve risky-but-recoverable steps while still rejecting what cannot be undone.
    """

    approve: bool = False
    approve_irreversible: bool | None = None
    reviewed: list[tuple[Action, RiskAssessment, str]] = field(default_factory=list)

    def review(self, action: Action, assessment: RiskAssessment, description: str) -> Approval:
        self.reviewed.append((action, assessment, description))
        ok = self.approve
        if assessment.irreversible and self.approve_irreversible is not None:
            ok = self.approve_irreversible
        if ok:
            return Approval.approve("approved by policy")
        return Approval.reject(f"'{action.describe()}' rejected by policy: {description}")


class NobodyApprover:
    """No terminal on stdin and no app: nobody can say yes, so every question is refused.

    It answers ``stop``, not ``reject``: with nobody to ask, every later approval would be
    refused too, and a planner working around a refused step is worse than a clear stop. The
    message names the action and what required approval, so the log says how to fix it.
    """

    def review(self, action: Action, assessment: RiskAssessment, description: str) -> Approval:
        why = description or assessment.summary()
        rule = (
            f" (matched {assessment.rule_kind} rule '{assessment.rule}')"
            if assessment.rule and assessment.rule_kind != "allow"
            else ""
        )
        return Approval.stop(
            f"Refused '{action.describe()}': it needs approval, but nobody can give it "
            f"(stdin is not a terminal and no app is attached). Why it needs approval: "
            f"{why}{rule}. Run in a terminal to approve it, or change the autonomy level or "
            f"the allow rules."
        )


def default_approver(stdin: TextIO | None = None, stdout: TextIO | None = None) -> Approver:
    """``TerminalApprover`` when ``stdin`` is a TTY (a person can answer), else
    ``NobodyApprover`` (a pipe or a service: nobody to ask, so refuse rather than hang)."""
    stream = stdin if stdin is not None else sys.stdin
    try:
        tty = stream is not None and stream.isatty()
    except (ValueError, OSError):  # closed or detached stream
        tty = False
    if tty:
        return TerminalApprover(stream, stdout)
    return NobodyApprover()
