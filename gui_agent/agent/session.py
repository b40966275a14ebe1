"""The agent loop: capture → perceive → plan → resolve → gate → act → prove → journal.

The session is the one core every surface drives (CLI, desktop app, headless runner, pytest
plugin; ``gui_agent.agent.factory`` builds it for all of them). It knows nothing of terminals
or Qt: it reports through events and asks through an ``Approver``.

One step, in order:

1. **Look**: a fresh frame and its perceived state. A planner may look again (playback waits
   for its target) through ``PlannerContext.look``; the session acts on the freshest state.
2. **Plan**: one action, bounded by the per-step timeout.
3. **Resolve** each target on that state: the element named, the **control at the pixel**
   the action will land on, and the runners-up.
4. **Secrets**: typing into a field whose label, placeholder or masking says secret makes
   the text a secret (in ``ask-risky`` and ``auto`` an unlabelled field is probed for
   masking first: a click and one space taken back). From then on the value is scrubbed from
   everything stored or printed, and an LLM sees it only as ``{secretN}``.
5. **Gate** the action in its context (window, prompt, focus, control kind); ask, refuse or
   go on. An invalid action (typing into a button) is never executed.
6. **Act**: the executor re-checks the pixels at the target right before input; a control
   that changed since it was judged stops the step with nothing sent.
7. **Prove**: each action's expected effect must show. A step that changed nothing is tried
   once more with the next candidate (through the gate again); a run whose steps are not all
   proven ends ``unverified``, never ``finished``.
8. **Journal** the step in its own transaction (a crash loses at most the step in flight)
   and tell the planner, in ids and kinds only, what happened.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np

from gui_agent.agent.feedback import StepNote, action_ref
from gui_agent.agent.journal import Journal, StepRecord, thumbnail
from gui_agent.agent.journal import Verification as JournalVerification
from gui_agent.agent.secrets import SecretVault, secret_literals
from gui_agent.control.approvers import Approval, Approver, NobodyApprover
from gui_agent.control.context import (
    EDITABLE,
    ActionContext,
    Focus,
    control_at,
    editable_target,
    secret_reason,
    window_elements,
)
from gui_agent.control.executor import (
    EmergencyStop,
    ExecutionResult,
    Executor,
    SecretFieldFound,
    TargetChanged,
    UndoRecord,
)
from gui_agent.control.risk import Autonomy, Gate, GateDecision, Verdict, hotkey_keys
from gui_agent.control.undo import UndoResult, undo
from gui_agent.errors import GuiAgentError
from gui_agent.geometry import Rect
from gui_agent.grounding.base import Grounder
from gui_agent.grounding.snap import locate_target
from gui_agent.perception.locate import TargetNotFound
from gui_agent.perception.state import Element, ScreenState
from gui_agent.planning.actions import (
    Action,
    AskUser,
    Click,
    Done,
    Drag,
    Hotkey,
    ResolvedTarget,
    Target,
    Type,
    describe,
    redact,
    targets_of,
)
from gui_agent.planning.llm import PlannerReply
from gui_agent.planning.planner import Planner
from gui_agent.planning.prompt import PlannerContext
from gui_agent.screen.frame import Frame
from gui_agent.screen.windows import NoWindows, WindowSource

__all__ = ["Event", "EventKind", "Outcome", "Session", "StepTimeout"]


class StepTimeout(GuiAgentError):
    """A step's planning outlived the session's per-step timeout."""


class EventKind(StrEnum):
    STEP_PLANNED = "step_planned"
    AWAITING_APPROVAL = "awaiting_approval"
    REJECTED = "rejected"
    EXECUTED = "executed"
    VERIFIED = "verified"
    UNDONE = "undone"
    FINISHED = "finished"
    FAILED = "failed"
    STOPPED = "stopped"


@dataclass(frozen=True)
class Event:
    kind: EventKind
    step: int
    message: str
    action: Action | None = None
    data: dict[str, Any] = field(default_factory=dict)


#: How a run ends. ``unverified``: the planner said done, but some step's effect never showed.
STATUSES = ("finished", "unverified", "failed", "stopped", "refused", "max_steps", "error")


@dataclass
class Outcome:
    status: str  # one of STATUSES
    message: str
    steps: int
    session_id: int
    unproven: list[int] = field(default_factory=list)


@dataclass
class _Done:
    step_id: int
    index: int
    result: ExecutionResult


@dataclass
class _Target:
    """One target of an action, resolved: what was named, what is at the pixel the action
    lands on, and the next candidates (for a retry when the first changed nothing)."""

    resolved: ResolvedTarget
    element: Element | None
    control: Element | None
    alternatives: list[Element] = field(default_factory=list)


# Keys that move the caret inside a text field without leaving it.
_CARET_KEYS = frozenset({"left", "right", "home", "end", "up", "down", "shift"})


class _StepFailed(Exception):
    """Internal: ends a step with a journaled refusal; ``outcome`` None lets a replanning
    planner go on."""

    def __init__(self, outcome: Outcome | None) -> None:
        self.outcome = outcome


def _undo_json(record: UndoRecord | None) -> dict[str, Any] | None:
    """What the journal keeps of an undo record: its kind and region, never field contents."""
    if record is None:
        return None
    return {"kind": record.kind, "region": list(record.region.as_tuple()), "source": record.source}


def _with_target(action: Action, index: int, element: Element) -> Action:
    """``action`` retargeted (target ``index``) at ``element`` by id."""
    t = Target(element_id=element.id)
    if isinstance(action, Drag):
        return action.model_copy(update={"source" if index == 0 else "destination": t})
    return action.model_copy(update={"target": t})


def _query_of(target: ResolvedTarget | None, note: str) -> str | None:
    """What the journal keeps as the step's query: the planner's words (or its reason), and
    who placed the target when it was not our own perception."""
    if target is None:
        return None
    query = target.query or note or None
    if target.source:
        return f"{query or ''} [placed by {target.source}]".strip()
    return query


def mask_boxes(pixels: np.ndarray, boxes: list[Rect], origin: tuple[int, int] = (0, 0)) -> Any:
    """A copy of ``pixels`` with ``boxes`` (desktop pixels) painted black: secret fields in
    thumbnails and report screenshots."""
    if not boxes:
        return pixels
    out = pixels.copy()
    h, w = out.shape[:2]
    for b in boxes:
        x0, y0 = max(0, b.x - origin[0]), max(0, b.y - origin[1])
        x1, y1 = min(w, b.right - origin[0]), min(h, b.bottom - origin[1])
        if x1 > x0 and y1 > y0:
            out[y0:y1, x0:x1] = 0
    return out


class Session:
    """One goal, run to completion, failure or stop. ``run`` may be called from any thread;
    ``stop``, ``pause`` and ``resume`` from any other."""

    def __init__(
        self,
        goal: str,
        planner: Planner,
        executor: Executor,
        gate: Gate,
        approver: Approver,
        journal: Journal,
        *,
        planner_name: str = "embedded",
        max_steps: int = 30,
        step_timeout: float | None = 120.0,
        on_event: Callable[[Event], None] | None = None,
        windows: WindowSource | None = None,
        vault: SecretVault | None = None,
        grounder: Grounder | None = None,
        grounding: str = "off",
    ) -> None:
        self.planner = planner
        # A coordinate-grounding model for queries perception cannot place ("fallback") or
        # places second ("always"); its point is snapped and gated like any target.
        self.grounder, self.grounding = grounder, grounding
        self.executor = executor
        self.gate = gate
        self.approver = approver
        self.journal = journal
        self.max_steps = max_steps
        self.step_timeout = step_timeout
        self.windows: WindowSource = windows if windows is not None else NoWindows()
        self.listeners: list[Callable[[Event], None]] = [on_event] if on_event else []
        self.vault = vault if vault is not None else SecretVault()
        for value in secret_literals(goal, gate.policy):
            self.vault.add(value)
        known = getattr(planner, "known_secrets", None)
        for value in known() if callable(known) else []:
            self.vault.add(value)
        self.vault.listen(journal.redact_values)
        self.goal = self.vault.scrub(goal)
        self.ctx = PlannerContext(goal=self.vault.placeholders(goal), observe=self.observe,
                                  picture=self._picture)  # fmt: skip
        self.session_id = journal.start_session(goal, planner_name, str(gate.autonomy))
        self.done: list[_Done] = []
        self.focus = Focus()
        self.unproven: list[tuple[int, str]] = []
        self.secret_boxes: list[Rect] = []
        self._seen: tuple[Frame, ScreenState] | None = None
        self._note = ""  # the planner's reason for the step in flight, journaled with it
        self.owned: list[Any] = []  # what ``close`` releases (the factory's journal, windows)
        self._stop = threading.Event()
        self._running = threading.Event()
        self._running.set()

    def close(self) -> None:
        """Release what the session owns (its journal and window source, when the factory
        opened them); committed steps are already on disk."""
        for thing in self.owned:
            thing.close()
        self.owned = []

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- control from other threads ------------------------------------------------------------
    def stop(self) -> None:
        self._stop.set()
        self._running.set()

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def scrub(self, text: str) -> str:
        """``text`` with this session's secrets masked: for anything printed or reported."""
        return self.vault.scrub(text)

    def _emit(self, kind: EventKind, step: int, message: str, action: Action | None = None,
              **data: Any) -> None:  # fmt: skip
        event = Event(kind, step, self.scrub(message),
                      redact(action) if action is not None else None, data)  # fmt: skip
        for listener in self.listeners:
            listener(event)

    # -- looking -------------------------------------------------------------------------------
    def last_seen(self) -> tuple[Frame, ScreenState] | None:
        """The freshest frame and state the session looked at (what its ids refer to)."""
        return self._seen

    def observe(self) -> tuple[Frame, ScreenState]:
        """A fresh frame and state; the session acts on the last one any look returned."""
        frame, state = self.executor.observe()
        self._seen = (frame, state)
        return frame, state

    def _ask(self, question: str) -> str | None:
        """The person's answer to the planner's question, from an approver that can ask one
        (the terminal; the app); None where nobody can answer, or no answer was given."""
        ask = getattr(self.approver, "answer", None)
        if not callable(ask):
            return None
        got = ask(self.scrub(question))
        return got.strip() if isinstance(got, str) and got.strip() else None

    def hidden_boxes(self, state: ScreenState) -> list[Rect]:
        """Boxes no picture may show: fields found secret in this session, every element
        perception marks secret, and every editable field of ``state`` that masks its text
        or is labelled as a secret."""
        boxes = list(self.secret_boxes)
        for e in state.elements:
            if getattr(e, "secret", False) or (
                e.kind in EDITABLE and secret_reason(state, e, self.gate.policy) is not None
            ):
                boxes.append(e.box)
        return boxes

    def _picture(self) -> tuple[Frame, list[Rect]] | None:
        """The frame behind the freshest state, with its secret boxes, for a planner that
        sends pictures (``PlannerContext.picture``)."""
        if self._seen is None:
            return None
        frame, state = self._seen
        return frame, self.hidden_boxes(state)

    # -- the loop ------------------------------------------------------------------------------
    def run(self) -> Outcome:
        try:
            outcome = self._loop()
        except Exception as exc:  # a bug or an unexpected library error: end the run cleanly
            outcome = self._out("error", f"internal error: {type(exc).__name__}: {exc}", 0)
        except BaseException:
            self.journal.end_session(self.session_id, "stopped")
            raise
        outcome.message = self.scrub(outcome.message)
        self.journal.end_session(self.session_id, outcome.status)
        kind = {
            "finished": EventKind.FINISHED,
            "stopped": EventKind.STOPPED,
        }.get(outcome.status, EventKind.FAILED)
        self._emit(kind, outcome.steps, outcome.message, status=outcome.status)
        return outcome

    def _out(self, status: str, message: str, step: int) -> Outcome:
        return Outcome(status, message, step, self.session_id, [s for s, _ in self.unproven])

    def _loop(self) -> Outcome:
        for step in range(1, self.max_steps + 1):
            self._running.wait()
            if self._stop.is_set():
                return self._out("stopped", "stopped by the user", step - 1)
            try:
                outcome = self._step(step)
            except EmergencyStop as exc:
                return self._out("stopped", f"emergency stop: {exc}", step - 1)
            except _StepFailed as exc:
                outcome = exc.outcome
            except GuiAgentError as exc:
                return self._out("failed", str(exc), step)
            if outcome is not None:
                return outcome
        return self._out("max_steps", f"gave up after {self.max_steps} steps", self.max_steps)

    def _finished(self, action: Done, step: int) -> Outcome:
        summary = action.summary or "goal reached"
        if self.unproven:
            which = "; ".join(f"step {s}: {why}" for s, why in self.unproven)
            return self._out(
                "unverified",
                f"the planner says done ({summary}), but {len(self.unproven)} step(s) did not "
                f"show their effect: {which}",
                step - 1,
            )
        return self._out("finished", summary, step - 1)

    def _step(self, step: int) -> Outcome | None:
        t0 = time.perf_counter()
        self.executor.backend.check()
        self.observe()
        t_perceive = time.perf_counter() - t0
        t = time.perf_counter()
        assert self._seen is not None
        reply = self._plan(step, self._seen[1])
        t_plan = time.perf_counter() - t
        frame, state = self._seen  # the freshest look, the one the action's ids refer to
        self._note = reply.reason
        action = self.vault.fill(self.vault.mark(reply.action))
        timings = {"perceive": t_perceive, "plan": t_plan, **self._usage()}
        if isinstance(action, Done):
            self._emit(EventKind.STEP_PLANNED, step, describe(action), action,
                       plan=list(reply.plan))  # fmt: skip
            return self._finished(action, step)
        if isinstance(action, AskUser):
            self._emit(EventKind.STEP_PLANNED, step, describe(action), action,
                       plan=list(reply.plan))  # fmt: skip
            answer = self._ask(action.question)
            if answer is None:  # nobody to ask (headless): the run ends with the question
                return self._out("failed", f"the planner asks the user: {action.question}",
                                 step - 1)  # fmt: skip
            self.ctx.answer = answer
            self.ctx.history.append(f"step {step}: asked the user; they answered")
            self.ctx.notes.append(self.scrub(f"asked: {action.question} answer: {answer}"))
            return None
        try:
            targets = self._resolve(action, state)
        except TargetNotFound as exc:
            self._emit(EventKind.STEP_PLANNED, step, describe(action), action,
                       plan=list(reply.plan))  # fmt: skip
            closest = ", ".join(f"#{m.element.id} ({m.element.kind.value})"
                                for m in exc.candidates[:3]) or "nothing similar"  # fmt: skip
            self._record(action, "refused", None, "failed", str(exc), step, frame.pixels)
            self._tell(StepNote.of(step, action, [], f"target not found; closest: {closest}",
                                   f"step {step}: {describe(action)}: {exc}"))  # fmt: skip
            return None if self.planner.replans else self._out("failed", str(exc), step)
        action = self._secrecy(action, targets, state)
        timings.update(self._usage(self.grounder, ("grounder", "grounder_bytes")))
        self._emit(EventKind.STEP_PLANNED, step, describe(action), action, plan=list(reply.plan))
        return self._attempt(step, action, targets, frame, state, t0, timings, retry=True)

    # -- resolution and context ------------------------------------------------------------------
    def _resolve(self, action: Action, state: ScreenState) -> list[_Target]:
        out = []
        frame = self._seen[0] if self._seen is not None else None
        hidden = self.hidden_boxes(state) if self.grounder is not None else []
        for t in targets_of(action):
            rt, el, alternatives = locate_target(
                t, state, frame=frame, hidden=hidden, grounder=self.grounder, mode=self.grounding
            )
            out.append(_Target(rt, el, self._control(action, state, rt, el), alternatives))
        return out

    @staticmethod
    def _control(action: Action, state: ScreenState, rt: ResolvedTarget,
                 el: Element | None) -> Element | None:  # fmt: skip
        """The control the action lands on: for typing, the text box at the point (a line
        of text inside a text area is the text area)."""
        here = control_at(state, rt.center, el)
        if isinstance(action, Type) and here is not None:
            return editable_target(state, here) or here
        return here

    def _secret_of(self, element: Element | None, state: ScreenState) -> str | None:
        if element is None:
            return None
        if any(b.iou(element.box) > 0.5 for b in self.secret_boxes):
            return "the field was found secret earlier in this session"
        return secret_reason(state, element, self.gate.policy)

    def _secrecy(self, action: Action, targets: list[_Target], state: ScreenState) -> Action:
        """Mark a ``Type`` secret when its field is (see the module docstring, step 4)."""
        if not isinstance(action, Type):
            return action
        field_el = targets[0].control if targets else self.focus.element
        if field_el is None or field_el.kind not in EDITABLE:
            return action
        reason = self._secret_of(field_el, state)
        if reason is None and not action.secret and action.text \
                and self.gate.autonomy is not Autonomy.ASK:  # fmt: skip
            rt = targets[0].resolved if targets else ResolvedTarget.from_element(
                Target(element_id=field_el.id), field_el)  # fmt: skip
            if self.executor.probe_field(rt, click=True).masked:
                reason = "the field masks what is typed into it"
        if reason is None and not action.secret:
            return action
        return self._make_secret(action, field_el)

    def _make_secret(self, action: Type, field_el: Element | None) -> Type:
        if field_el is not None and not any(b.iou(field_el.box) > 0.5 for b in self.secret_boxes):
            self.secret_boxes.append(field_el.box)
        self.vault.add(action.text)
        self.ctx.goal = self.vault.placeholders(self.ctx.goal)
        return action if action.secret else action.model_copy(update={"secret": True})

    def _context(self, action: Action, targets: list[_Target], state: ScreenState) -> ActionContext:
        focused_input = isinstance(action, Hotkey) or (isinstance(action, Type) and not targets)
        if focused_input and not self.focus.known:
            # the app's accessibility tree knows exactly what has focus, where it has a tree
            tree = next((e for e in state.elements if e.focused and e.source != "vision"), None)
            if tree is not None:
                self.focus = Focus(tree, self.windows.focused(),
                                   "the app's accessibility tree says it has focus")  # fmt: skip
        if focused_input or not targets:
            el = self.focus.element
            win = self.windows.focused() if focused_input else None
            return ActionContext(
                target=el, window=win, window_elements=window_elements(state, win, el),
                focus=self.focus,
                secret=self._secret_of(el, state) if isinstance(action, Type) else None,
            )  # fmt: skip
        first = targets[0]
        win = self.windows.window_at(*first.resolved.center)
        return ActionContext(
            target=first.control,
            destination=targets[1].control if len(targets) > 1 else None,
            window=win,
            window_elements=window_elements(state, win, first.control),
            focus=self.focus,
            secret=self._secret_of(first.control, state) if isinstance(action, Type) else None,
        )

    # -- one attempt: gate, approval, execution, proof -------------------------------------------
    def _attempt(self, step: int, action: Action, targets: list[_Target], frame: Frame,
                 state: ScreenState, t0: float, timings: dict[str, float], *,
                 retry: bool, tried: str = "") -> Outcome | None:  # fmt: skip
        context = self._context(action, targets, state)
        elements = [t.control or t.element for t in targets]
        decision = self.gate.check(action, context)
        approval_kind = "auto"
        if decision.verdict is Verdict.REFUSE:
            return self._refused(step, action, targets, decision, frame)
        if decision.verdict is Verdict.ASK:
            self._emit(EventKind.AWAITING_APPROVAL, step, decision.reason, action,
                       risky=decision.assessment.risky,
                       irreversible=decision.assessment.irreversible)  # fmt: skip
            approval: Approval = self.approver.review(action, decision.assessment, decision.reason)
            if approval.kind == "stop":
                self._record(action, "refused", targets, "skipped", approval.message, step,
                             frame.pixels)  # fmt: skip
                status = "refused" if isinstance(self.approver, NobodyApprover) else "stopped"
                return self._out(status, approval.message or "stopped by the user", step - 1)
            if approval.kind == "reject":
                self._record(action, "rejected", targets, "skipped", "rejected by the user",
                             step, frame.pixels)  # fmt: skip
                self._emit(EventKind.REJECTED, step, describe(action), action)
                self._tell(StepNote.of(step, action, elements, "rejected by the user",
                                       f"the user rejected: {describe(action)}"))  # fmt: skip
                return None
            approval_kind = "approved"
            if approval.kind == "edit" and approval.action is not None:
                # An edited action is resolved and judged again: editing is not a bypass.
                edited = self.vault.mark(approval.action)
                try:
                    new_targets = self._resolve(edited, state)
                except TargetNotFound as exc:
                    self._record(edited, "refused", None, "failed", str(exc), step, frame.pixels)
                    return self._out("failed", str(exc), step)
                edited = self._secrecy(edited, new_targets, state)
                again = self.gate.check(edited, self._context(edited, new_targets, state))
                if again.verdict is Verdict.REFUSE:
                    self._record(edited, "refused", new_targets, "skipped", again.reason, step,
                                 frame.pixels)  # fmt: skip
                    return self._out("refused", again.reason, step)
                action, targets, approval_kind = edited, new_targets, "edited"
                elements = [t.control or t.element for t in targets]
                context = self._context(action, targets, state)
        try:
            result = self.executor.execute(
                action, state, targets=[t.resolved for t in targets], seen=frame,
                scope=context.window.box if context.window is not None else None,
            )  # fmt: skip
        except TargetChanged as exc:
            self._record(action, approval_kind, targets, "skipped", str(exc), step, frame.pixels)
            self._tell(StepNote.of(step, action, elements, "not done: the control at the target "
                                   "changed after it was checked", str(exc)))  # fmt: skip
            self.focus = Focus(reason="the pointer moved over a control that changed")
            self.unproven.append(
                (
                    step,
                    f"{action_ref(action, elements)}: not done, the control "
                    "at the target changed after it was checked",
                )
            )
            return None if self.planner.replans else self._out("failed", str(exc), step)
        except SecretFieldFound:
            if not isinstance(action, Type) or action.secret:  # pragma: no cover - guarded
                raise
            secret = self._make_secret(action, targets[0].control if targets else None)
            self._tell(
                StepNote.of(
                    step,
                    secret,
                    elements,
                    "not typed yet: the field masks its "
                    "input, so the text is a secret and is judged again",
                )
            )
            return self._attempt(step, secret, targets, frame, state, t0, timings, retry=retry)
        timings = {**timings, "act": result.seconds, "total": time.perf_counter() - t0}
        proof = result.proof
        proven = proof is None or proof.proven
        changed = result.verification is None or result.verification.changed
        # A control named only by the icon classifier is weaker evidence than words on
        # screen: "Save" that did nothing is not retried on a toolbar icon it calls "save".
        first_el = targets[0].element if targets else None
        alts = [
            a for a in (targets[0].alternatives if targets else [])
            if not a.icon_name or (first_el is not None and first_el.icon_name)
        ]  # fmt: skip
        if not proven and retry and not changed and alts:
            alt = alts[0]
            first = f"{result.message}; {proof.describe() if proof else ''}"
            self._tell(
                StepNote.of(step, action, elements, "changed nothing; trying the next "
                            f"candidate #{alt.id} ({alt.kind.value})", first)
            )  # fmt: skip
            retarget = _with_target(action, 0, alt)
            try:
                new_targets = self._resolve(retarget, state)
            except TargetNotFound:  # pragma: no cover - the element is in this state
                return None
            return self._attempt(
                step,
                retarget,
                new_targets,
                frame,
                state,
                t0,
                timings,
                retry=False,
                tried=f"first try changed nothing ({first}); ",
            )
        step_id = self._record(
            action, approval_kind, targets, "ok" if result.ok else "failed",
            tried + result.message, step, (result.after or frame).pixels, res=result,
            timings=timings,
        )  # fmt: skip
        self.done.append(_Done(step_id, step, result))
        self._emit(EventKind.EXECUTED, step, result.message, action, ok=result.ok,
                   irreversible=result.irreversible,
                   proven=proven)  # fmt: skip
        v = result.verification
        if v is not None:
            self._emit(EventKind.VERIFIED, step, v.detail + (f"; {proof.describe()}" if proof
                                                            else ""), action,
                       changed=v.changed, proven=proven)  # fmt: skip
        if not proven:
            assert proof is not None
            self.unproven.append((step, f"{action_ref(action, elements)}: expected "
                                        f"{proof.expected}; {proof.observed}"))  # fmt: skip
        status = "done" if result.ok else "failed"
        said = proof.describe() if proof is not None else "not checked"
        self._tell(StepNote.of(step, action, elements, f"{status}, {said}",
                               f"step {step}: {describe(action)}: {result.message}"))  # fmt: skip
        self._track_focus(action, targets, result)
        if not result.ok and not self.planner.replans:
            return self._out("failed", result.message, step)
        return None

    def _refused(self, step: int, action: Action, targets: list[_Target],
                 decision: GateDecision, frame: Frame) -> Outcome | None:  # fmt: skip
        self._record(action, "refused", targets, "skipped", decision.reason, step, frame.pixels)
        elements = [t.control or t.element for t in targets]
        a = decision.assessment
        if a.invalid:
            kind = elements[0].kind.value if elements and elements[0] is not None else "target"
            self._tell(StepNote.of(step, action, elements,
                                   f"refused as invalid: 'type' needs an editable element, and "
                                   f"the target is a {kind}", decision.reason))  # fmt: skip
            return None if self.planner.replans else self._out("refused", decision.reason, step)
        return self._out("refused", decision.reason, step)

    def _track_focus(self, action: Action, targets: list[_Target],
                     result: ExecutionResult) -> None:  # fmt: skip
        """What has keyboard focus after ``action``, as far as the agent can tell."""
        before = self.focus
        focused = self.windows.focused()
        if isinstance(action, Click | Type) and targets and targets[0].control is not None:
            el = targets[0].control
            win = self.windows.window_at(*targets[0].resolved.center)
            if win is not None and focused is not None and focused.id != win.id:
                self.focus = Focus(None, focused, "a new window took focus")
                return
            big = result.verification is not None and result.verification.changed_fraction > 0.2
            if win is None and big:
                self.focus = Focus(reason="much of the screen changed after the click")
                return
            self.focus = Focus(el, win, f"the agent last {action.type}ed into it")
            return
        if isinstance(action, Hotkey):
            keys = hotkey_keys(action)
            in_field = before.editable and keys <= _CARET_KEYS
            moves = keys in self.gate.policy.navigate_keys or keys == {"enter"}
            if moves and not in_field:
                self.focus = Focus(None, focused, f"{action.combo} may have moved focus")
                return
        if isinstance(action, Drag):
            self.focus = Focus(reason="a drag moves focus")
            return
        if before.window is not None and focused is not None and focused.id != before.window.id:
            self.focus = Focus(None, focused, "another window took focus")

    def _tell(self, note: StepNote) -> None:
        """Feedback to the planner: the id-and-kind line in the instruction channel, the
        screen-quoting detail (secrets masked) for the data block."""
        self.ctx.feedback = note.line
        self.ctx.history.append(note.line)
        if note.detail:
            self.ctx.notes.append(self.scrub(note.detail))

    def _usage(
        self, of: Any = None, keys: tuple[str, ...] = ("llm", "sent_bytes")
    ) -> dict[str, float]:
        """What the planner's last step (or the grounder's last answer) cost: seconds waiting
        for a model and bytes sent, for the journal's timings and the report; empty for a
        planner that calls no model. The grounder's figures are taken once."""
        usage = getattr(self.planner if of is None else of, "usage", None)
        if not isinstance(usage, dict):
            return {}
        out = {k: float(usage[k]) for k in keys if k in usage}
        if of is not None:
            usage.clear()
        return out

    def _plan(self, step: int, state: ScreenState) -> PlannerReply:
        """Ask the planner, bounded by the per-step timeout.

        A planner that hangs (an LLM server that accepts and never answers) must not hang the
        session; its thread is abandoned, and since planning sends no input, nothing half-done
        is left on screen.
        """
        if self.step_timeout is None:
            return self.planner.next_step(self.ctx, state)
        box: list[PlannerReply | BaseException] = []

        def work() -> None:
            try:
                box.append(self.planner.next_step(self.ctx, state))
            except BaseException as exc:  # handed to the session thread below
                box.append(exc)

        worker = threading.Thread(target=work, name=f"planner-step-{step}", daemon=True)
        worker.start()
        worker.join(self.step_timeout)
        if not box:
            raise StepTimeout(
                f"step {step}: the planner gave no answer within the per-step timeout of "
                f"{self.step_timeout:g} s"
            )
        if isinstance(box[0], BaseException):
            raise box[0]
        return box[0]

    def _record(self, action: Action, approval: str, targets: list[_Target] | None,
                result: str, message: str, step: int, pixels: Any, *,
                res: ExecutionResult | None = None,
                timings: dict[str, float] | None = None) -> int:  # fmt: skip
        verification = None
        if res is not None and res.verification is not None:
            region = res.undo.region.as_tuple() if res.undo is not None else None
            proof = res.proof
            verification = JournalVerification(
                res.verification.changed, region,
                res.verification.detail + (f"; {proof.describe()}" if proof else ""),
                proven=None if proof is None else proof.proven,
                expected="" if proof is None else proof.expected,
            )  # fmt: skip
        undo_status = "irreversible" if res is not None and res.irreversible else "none"
        target = targets[0].resolved if targets else None
        record = StepRecord(
            action=redact(action).model_dump(mode="json"),
            approval=approval,  # type: ignore[arg-type]
            index=step,
            target_query=_query_of(target, self._note),
            resolved_box=(tuple(target.box) if target is not None else None),  # type: ignore[arg-type]
            result=result,  # type: ignore[arg-type]
            result_message=self.scrub(message),
            verification=verification,
            undo_record=_undo_json(res.undo if res is not None else None),
            undo_status=undo_status,  # type: ignore[arg-type]
            thumbnail=thumbnail(mask_boxes(pixels, self.secret_boxes)),
            timings=timings or {},
        )
        return self.journal.record_step(self.session_id, record)

    # -- undo ----------------------------------------------------------------------------------
    def undo_last(self, n: int = 1) -> list[tuple[int, UndoResult]]:
        """Undo the last ``n`` executed steps, newest first; stops at the first one that cannot
        be undone (irreversible, or not verified), since undoing past it would be a guess."""
        results: list[tuple[int, UndoResult]] = []
        while self.done and len(results) < n:
            item = self.done.pop()
            rec = item.result.undo
            if rec is None:
                why = "irreversible" if item.result.irreversible else "no undo record"
                results.append((item.index, UndoResult(False, f"step {item.index}: {why}")))
                break
            res = undo(rec, self.executor)
            status = "undone" if res.verified else "undo_failed"
            self.journal.update_step(item.step_id, undo_status=status)
            self._emit(EventKind.UNDONE, item.index, res.detail, item.result.action,
                       verified=res.verified)  # fmt: skip
            results.append((item.index, res))
            if not res.verified:
                break
        self.focus = Focus(reason="an undo moved focus")
        return results
