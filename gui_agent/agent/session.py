"""The agent loop: capture → perceive → plan → gate → execute → verify → journal.

The session is the one core every surface drives (CLI, desktop app, headless runner). It knows
nothing of terminals or Qt: it reports through events and asks through an ``Approver``. Each
step is journaled in its own transaction as soon as it is decided, so a crash loses at most the
step in flight; undo records (with their before-frames) stay in memory for this session.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from gui_agent.agent.journal import Journal, StepRecord, thumbnail
from gui_agent.agent.journal import Verification as JournalVerification
from gui_agent.control.executor import EmergencyStop, ExecutionResult, Executor, UndoRecord
from gui_agent.control.risk import Approval, Approver, Gate, NobodyApprover, Verdict
from gui_agent.control.undo import UndoResult, undo
from gui_agent.errors import GuiAgentError
from gui_agent.perception.locate import TargetNotFound
from gui_agent.perception.state import ScreenState
from gui_agent.planning.actions import (
    Action,
    AskUser,
    Click,
    Done,
    Drag,
    ResolvedTarget,
    Scroll,
    Type,
    describe,
    redact,
)
from gui_agent.planning.llm import PlannerReply
from gui_agent.planning.planner import Planner, ScriptPlanner
from gui_agent.planning.prompt import PlannerContext


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


@dataclass
class Outcome:
    status: str  # finished | failed | stopped | refused | max_steps
    message: str
    steps: int
    session_id: int


@dataclass
class _Done:
    step_id: int
    index: int
    result: ExecutionResult


def _first_target(action: Action) -> Any:
    if isinstance(action, Click):
        return action.target
    if isinstance(action, Type | Scroll):
        return action.target
    if isinstance(action, Drag):
        return action.source
    return None


def _undo_json(record: UndoRecord | None) -> dict[str, Any] | None:
    """What the journal keeps of an undo record: its kind and region, never field contents."""
    if record is None:
        return None
    return {"kind": record.kind, "region": list(record.region.as_tuple()), "source": record.source}


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
    ) -> None:
        self.goal = goal
        self.planner = planner
        self.executor = executor
        self.gate = gate
        self.approver = approver
        self.journal = journal
        self.max_steps = max_steps
        self.step_timeout = step_timeout
        self.listeners: list[Callable[[Event], None]] = [on_event] if on_event else []
        self.ctx = PlannerContext(goal=goal)
        self.session_id = journal.start_session(goal, planner_name, str(gate.autonomy))
        self.done: list[_Done] = []
        self._note = ""  # the planner's reason for the step in flight, journaled with it
        self._stop = threading.Event()
        self._running = threading.Event()
        self._running.set()

    # -- control from other threads ------------------------------------------------------------
    def stop(self) -> None:
        self._stop.set()
        self._running.set()

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def _emit(self, kind: EventKind, step: int, message: str, action: Action | None = None,
              **data: Any) -> None:  # fmt: skip
        event = Event(kind, step, message, redact(action) if action is not None else None, data)
        for listener in self.listeners:
            listener(event)

    # -- the loop ------------------------------------------------------------------------------
    def run(self) -> Outcome:
        outcome = self._loop()
        self.journal.end_session(self.session_id, outcome.status)
        kind = {
            "finished": EventKind.FINISHED,
            "stopped": EventKind.STOPPED,
        }.get(outcome.status, EventKind.FAILED)
        self._emit(kind, outcome.steps, outcome.message)
        return outcome

    def _out(self, status: str, message: str, step: int) -> Outcome:
        return Outcome(status, message, step, self.session_id)

    def _loop(self) -> Outcome:
        for step in range(1, self.max_steps + 1):
            self._running.wait()
            if self._stop.is_set():
                return self._out("stopped", "stopped by the user", step - 1)
            try:
                outcome = self._step(step)
            except EmergencyStop as exc:
                return self._out("stopped", f"emergency stop: {exc}", step - 1)
            except GuiAgentError as exc:
                return self._out("failed", str(exc), step)
            if outcome is not None:
                return outcome
        return self._out("max_steps", f"gave up after {self.max_steps} steps", self.max_steps)

    def _step(self, step: int) -> Outcome | None:
        t0 = time.perf_counter()
        self.executor.backend.check()
        frame, state = self.executor.observe()
        t_perceive = time.perf_counter() - t0
        t = time.perf_counter()
        reply = self._plan(step, state)
        t_plan = time.perf_counter() - t
        # A planner may have looked again (playback waits for its target to appear): act on
        # the freshest state, the one its element ids refer to.
        if self.executor.last_state is not None:
            state = self.executor.last_state
        self._note = reply.reason
        action = reply.action
        self._emit(EventKind.STEP_PLANNED, step, describe(action), action, plan=list(reply.plan))
        if isinstance(action, Done):
            return self._out("finished", action.summary or "goal reached", step - 1)
        if isinstance(action, AskUser):
            return self._out("failed", f"the planner asks the user: {action.question}", step - 1)

        target: ResolvedTarget | None = None
        query = _first_target(action)
        if query is not None:
            try:
                target = self.executor.resolve(query, state)
            except TargetNotFound as exc:
                self._record(action, "refused", None, "failed", str(exc), step, frame.pixels)
                self.ctx.feedback = f"target not found: {exc}"
                self.ctx.history.append(f"step {step}: {describe(action)} -> target not found")
                if isinstance(self.planner, ScriptPlanner):  # it cannot choose another way
                    return self._out("failed", str(exc), step)
                return None

        decision = self.gate.check(action, target)
        approval_kind = "auto"
        if decision.verdict is Verdict.REFUSE:
            self._record(action, "refused", target, "skipped", decision.reason, step, frame.pixels)
            return self._out("refused", decision.reason, step)
        if decision.verdict is Verdict.ASK:
            self._emit(EventKind.AWAITING_APPROVAL, step, decision.reason, action,
                       risky=decision.assessment.risky,
                       irreversible=decision.assessment.irreversible)  # fmt: skip
            approval: Approval = self.approver.review(action, decision.assessment, decision.reason)
            if approval.kind == "stop":
                self._record(action, "refused", target, "skipped", approval.message, step,
                             frame.pixels)  # fmt: skip
                status = "refused" if isinstance(self.approver, NobodyApprover) else "stopped"
                return self._out(status, approval.message or "stopped by the user", step - 1)
            if approval.kind == "reject":
                self._record(action, "rejected", target, "skipped", "rejected by the user", step,
                             frame.pixels)  # fmt: skip
                self._emit(EventKind.REJECTED, step, describe(action), action)
                self.ctx.feedback = f"the user rejected: {describe(action)}"
                self.ctx.history.append(f"step {step}: {describe(action)} -> rejected")
                return None
            approval_kind = "approved"
            if approval.kind == "edit" and approval.action is not None:
                edited = approval.action
                # An edited action goes through the gate again: editing is not a bypass.
                again = self.gate.check(edited, None)
                if again.verdict is Verdict.REFUSE:
                    self._record(edited, "refused", None, "skipped", again.reason, step,
                                 frame.pixels)  # fmt: skip
                    return self._out("refused", again.reason, step)
                action, target, approval_kind = edited, None, "edited"

        result = self.executor.execute(action, state)
        timings = {"perceive": t_perceive, "plan": t_plan, "act": result.seconds,
                   "total": time.perf_counter() - t0}  # fmt: skip
        step_id = self._record(
            action, approval_kind, result.target or target, "ok" if result.ok else "failed",
            result.message, step, (result.after or frame).pixels, res=result, timings=timings,
        )  # fmt: skip
        self.done.append(_Done(step_id, step, result))
        self._emit(EventKind.EXECUTED, step, result.message, action, ok=result.ok,
                   irreversible=result.irreversible)  # fmt: skip
        v = result.verification
        if v is not None:
            self._emit(EventKind.VERIFIED, step, v.detail, action, changed=v.changed)
        changed = "screen changed" if v is None or v.changed else "the screen did NOT change"
        self.ctx.feedback = f"{result.message}; {changed}"
        self.ctx.history.append(f"step {step}: {describe(action)} -> "
                                f"{'ok' if result.ok else 'failed'}, {changed}")  # fmt: skip
        return None

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

    def _record(self, action: Action, approval: str, target: ResolvedTarget | None,
                result: str, message: str, step: int, pixels: Any, *,
                res: ExecutionResult | None = None,
                timings: dict[str, float] | None = None) -> int:  # fmt: skip
        verification = None
        if res is not None and res.verification is not None:
            region = res.undo.region.as_tuple() if res.undo is not None else None
            verification = JournalVerification(res.verification.changed, region,
                                               res.verification.detail)  # fmt: skip
        undo_status = "irreversible" if res is not None and res.irreversible else "none"
        record = StepRecord(
            action=redact(action).model_dump(mode="json"),
            approval=approval,  # type: ignore[arg-type]
            index=step,
            target_query=(target.query or self._note or None) if target is not None else None,
            resolved_box=(tuple(target.box) if target is not None else None),  # type: ignore[arg-type]
            result=result,  # type: ignore[arg-type]
            result_message=message,
            verification=verification,
            undo_record=_undo_json(res.undo if res is not None else None),
            undo_status=undo_status,  # type: ignore[arg-type]
            thumbnail=thumbnail(pixels),
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
        return results
