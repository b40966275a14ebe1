"""Who answers when the gate says "ask": a person at a terminal, a fixed policy, or nobody.

The gate (``gui_agent.control.risk``) decides *whether* to ask; an ``Approver`` is asked. The
desktop app brings its own (an approval panel) and the headless runner uses ``NobodyApprover``;
all of them answer with an ``Approval``. An answer that cannot be had (end of input, nobody
attached) is never a yes.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Literal, Protocol, TextIO, runtime_checkable

from gui_agent.control.risk import RiskAssessment
from gui_agent.errors import GuiAgentError
from gui_agent.planning.actions import Action, ActionError, parse_action

__all__ = [
    "Approval",
    "Approver",
    "NobodyApprover",
    "PolicyApprover",
    "TerminalApprover",
    "default_approver",
    "parse_edit",
]

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

    def answer(self, question: str) -> str | None:
        """The person's answer to a planner's question ("Which text field do you mean?");
        None on an empty line or end of input: then the run ends with the question."""
        self._say(f"The planner asks: {question}")
        self._say("Your answer (empty to stop): ", end="")
        line = self._read()
        return line or None

    def review(self, action: Action, assessment: RiskAssessment, description: str) -> Approval:
        self._say(f"Next action: {action.describe()}")
        if description and description != action.describe():
            self._say(f"  {description}")
        if assessment.risky:
            label = (
                "IRREVERSIBLE" if assessment.irreversible
                else "EFFECT UNKNOWN" if assessment.unknown
                else "SECRET" if assessment.sensitive else "RISKY"
            )  # fmt: skip
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
