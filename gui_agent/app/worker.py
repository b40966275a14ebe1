"""The agent's own thread, and the only way the window talks to the session.

A session blocks for seconds (perception, an LLM call, waiting for a person), so it never
runs on the GUI thread. One long-lived worker thread owns everything the session touches
(capture connection, input backend, journal) and runs jobs from a queue: a run, or an undo
after the run ended. The window sends requests through thread-safe methods and hears back
only through Qt signals, which Qt queues onto the GUI thread.

While the session waits for a person, the worker is parked inside ``PanelApprover.review``;
undo requests made in that state are executed right there, still on the worker thread.
"""

from __future__ import annotations

import logging
import queue
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np
from PySide6.QtCore import QObject, Signal

from gui_agent.agent.session import Event, EventKind, Outcome, Session
from gui_agent.app.frames import live_frame, thumbnail_around
from gui_agent.app.hotkey import NotifyingSwitch
from gui_agent.app.selfguard import GuardedBackend, MaskedCapture, OwnWindow, StepAsideExecutor
from gui_agent.control.approvers import Approval
from gui_agent.control.risk import Autonomy, RiskAssessment, RiskRules
from gui_agent.errors import GuiAgentError
from gui_agent.geometry import Rect
from gui_agent.perception.state import ScreenState
from gui_agent.planning.actions import Action, targets_of
from gui_agent.screen.frame import Frame

log = logging.getLogger(__name__)

__all__ = [
    "AgentWorker",
    "ApprovalRequest",
    "PlannedStep",
    "RecordReport",
    "RecordRequest",
    "RunRequest",
    "StepShot",
    "UndoReport",
]

_DEFAULT_HOSTS = {"openai": "https://api.openai.com/v1", "anthropic": "https://api.anthropic.com"}


@dataclass(frozen=True)
class RunRequest:
    """Everything one run needs, copied from the window so the worker never reads widgets."""

    goal: str
    provider: str = "embedded"
    autonomy: Autonomy = Autonomy.ASK
    rules: RiskRules = field(default_factory=RiskRules)
    base_url: str = ""
    model: str = ""
    max_steps: int = 30
    journal_path: Path | None = None
    # A demo replay instead of a planner: the worker plays ``demo`` with these values for its
    # parameters (secret ones included: they live only in memory, for this run).
    demo: Path | None = None
    params: dict[str, str] = field(default_factory=dict)
    demo_threshold: float = 0.6
    demo_wait: float = 10.0
    # Pictures, grounding and computer use, as the Settings say (see gui_agent.config).
    images: str = "auto"
    computer_use: bool = False
    grounding: str = "off"
    grounder_url: str = ""
    grounder_model: str = ""
    grounder_style: str = "ui-tars"
    grounder_convention: str = "auto"
    accessibility: bool = True


@dataclass(frozen=True)
class RecordRequest:
    """Record a demo into ``path`` until ``stop_hotkey`` (or ``AgentWorker.stop_recording``)."""

    path: Path
    stop_hotkey: str


@dataclass(frozen=True)
class RecordReport:
    path: Path
    steps: int = 0
    stopped_by: str = ""
    error: str = ""  # why nothing (or not everything) was recorded
    dropped: int = 0  # inputs into gui-agent's own windows (the overlay's Stop), left out


@dataclass(frozen=True)
class ApprovalRequest:
    step: int
    action: Action
    assessment: RiskAssessment
    description: str


@dataclass(frozen=True)
class PlannedStep:
    step: int
    action: Action
    target: Rect | None
    plan: list[str]


@dataclass(frozen=True)
class StepShot:
    step: int
    image: np.ndarray


@dataclass(frozen=True)
class UndoReport:
    """(step, verified, detail) for each step the undo reached, newest first."""

    results: list[tuple[int, bool, str]]
    error: str = ""  # why the undo stopped before it could judge a step (e.g. a stop)


@dataclass(frozen=True)
class _Undo:
    count: int


def _first_target(action: Action) -> Any:
    found = targets_of(action)
    return found[0] if found else None


def check_endpoint(provider: str, base_url: str, timeout: float = 3.0) -> None:
    """Fail fast, in words, when the LLM server cannot even be connected to: the SDKs retry
    with back-off first, and a person staring at "running" for a minute learns nothing."""
    url = base_url or _DEFAULT_HOSTS.get(provider, "")
    parsed = urlparse(url if "://" in url else f"http://{url}")
    host = parsed.hostname
    if not host:
        raise GuiAgentError(f"the LLM base URL {url!r} has no host; fix it in Settings")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        raise GuiAgentError(
            f"Cannot reach the LLM endpoint {url} ({host}:{port}: {why}). Start the server, "
            "fix the base URL in Settings, or pick the Embedded planner."
        ) from exc


class PanelApprover:
    """The app's ``Approver``: parks the worker thread until the approval panel answers."""

    def __init__(self, worker: AgentWorker) -> None:
        self.worker = worker
        self.answers: queue.Queue[Approval | _Undo] = queue.Queue()
        self.step = 0

    def review(self, action: Action, assessment: RiskAssessment, description: str) -> Approval:
        self.worker.approval_needed.emit(
            ApprovalRequest(self.step, action, assessment, description)
        )
        while True:
            answer = self.answers.get()
            if isinstance(answer, _Undo):
                self.worker.run_undo(answer.count)
                continue
            return answer


class AgentWorker(QObject):
    """Owns the agent thread. Create on the GUI thread; call its methods from there."""

    setup_failed = Signal(str)
    session_event = Signal(object)  # Event
    observed = Signal(object)  # LiveFrame
    planned = Signal(object)  # PlannedStep
    approval_needed = Signal(object)  # ApprovalRequest
    shot = Signal(object)  # StepShot
    undo_done = Signal(object)  # UndoReport
    outcome = Signal(object)  # Outcome
    aside_requested = Signal(bool)
    stop_tripped = Signal(str)  # the stop switch was tripped (button, overlay or hotkey)
    recording_started = Signal(object)  # RecordRequest: the recorder listens now
    recorded = Signal(object)  # RecordReport

    def __init__(self, own: OwnWindow, ocr: Any = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.own = own
        self._ocr = ocr
        self._jobs: queue.Queue[tuple[str, Any]] = queue.Queue()
        self._aside_done = threading.Event()
        self._capture: MaskedCapture | None = None
        self._backend: GuardedBackend | None = None
        self.session: Session | None = None
        self.approver: PanelApprover | None = None
        self._executor: StepAsideExecutor | None = None
        self._last_frame: Frame | None = None
        self._paused = False
        self._record_stop = threading.Event()
        self._record_reason = ""
        self.switch = NotifyingSwitch(self._tripped)
        self._thread = threading.Thread(target=self._loop, name="gui-agent-worker", daemon=True)
        self._thread.start()

    # -- requests from the GUI thread ----------------------------------------------------------
    def start_run(self, request: RunRequest) -> None:
        self._paused = False
        self.switch.reset()
        self._jobs.put(("run", request))

    def record(self, request: RecordRequest) -> None:
        """Record a demo on the worker thread (never while a run is in progress: the queue
        runs jobs one at a time)."""
        self._record_stop.clear()
        self._jobs.put(("record", request))

    def stop_recording(self, reason: str = "stopped in the app") -> None:
        self._record_reason = reason
        self._record_stop.set()

    def answer(self, approval: Approval) -> None:
        if self.approver is not None:
            self.approver.answers.put(approval)

    def undo(self, count: int, *, waiting: bool) -> None:
        """Undo the last ``count`` executed steps on the worker: inside the pending approval
        when the session waits for one, else as a job of its own (after the run)."""
        self.switch.reset()  # asking for an undo is asking for input again
        if waiting and self.approver is not None:
            self.approver.answers.put(_Undo(count))
        else:
            self._jobs.put(("undo", count))

    def pause(self) -> None:
        """Takes effect before the next step, also when the run is still being set up."""
        self._paused = True
        if self.session is not None:
            self.session.pause()

    def resume(self) -> None:
        self._paused = False
        if self.session is not None:
            self.session.resume()

    def stop(self, reason: str = "stopped by the user") -> None:
        """Trip the stop switch: input stops before its next event, even mid-action."""
        self.switch.trip(reason)

    def _tripped(self, reason: str) -> None:
        # Any thread (the pynput listener's, for the hotkey): only thread-safe calls here.
        if self.session is not None:
            self.session.stop()
        self.answer(Approval.stop(reason))
        self.stop_tripped.emit(reason)

    def aside_applied(self) -> None:
        self._aside_done.set()

    def shutdown(self, timeout: float = 5.0) -> None:
        self.stop()
        self.stop_recording("the app was closed")  # a recording in progress is saved
        self._jobs.put(("quit", None))
        self._thread.join(timeout)

    # -- the thread ----------------------------------------------------------------------------
    def _loop(self) -> None:
        while True:
            kind, payload = self._jobs.get()
            try:
                if kind == "quit":
                    break
                if kind == "run":
                    self._run(payload)
                elif kind == "undo":
                    self.run_undo(payload)
                elif kind == "record":
                    self._record(payload)
            except GuiAgentError as exc:
                self.setup_failed.emit(str(exc))
            except Exception as exc:  # a bug must not kill the thread and freeze the window
                log.exception("worker job %s failed", kind)
                self.setup_failed.emit(f"internal error: {type(exc).__name__}: {exc}")
        if self.session is not None:
            self.session.close()
        if self._capture is not None:
            self._capture.close()

    def _step_aside(self, hide: bool) -> None:
        self._aside_done.clear()
        self.aside_requested.emit(hide)
        self._aside_done.wait(5.0)

    def _on_observe(self, frame: Frame, state: ScreenState) -> None:
        self._last_frame = frame
        self.observed.emit(live_frame(frame, state, self.own.rect()))

    def _setup(self) -> tuple[MaskedCapture, GuardedBackend, Any]:
        """Capture, input and OCR, made once and on this thread (pyautogui opens the display
        when imported; models load in a second or so)."""
        if self._capture is None:
            capture = MaskedCapture(self.own)
            capture.virtual_desktop()  # opens the display now, so a missing one fails here
            self._capture = capture
        if self._backend is None:
            from gui_agent.control.executor import PyAutoGuiBackend

            try:
                self._backend = GuardedBackend(PyAutoGuiBackend(switch=self.switch), self.own)
            except Exception as exc:
                raise GuiAgentError(f"cannot send input on this display: {exc}") from exc
        if self._ocr is None:
            from gui_agent.perception.ocr import OcrEngine

            self._ocr = OcrEngine()
        return self._capture, self._backend, self._ocr

    def _spec(self, req: RunRequest) -> Any:
        from gui_agent.agent.factory import SessionSpec

        api_key = None
        if req.demo is None and req.provider != "embedded":
            check_endpoint(req.provider, req.base_url)
            from gui_agent.config import ConfigError, get_api_key

            try:
                api_key = get_api_key(req.provider)
            except ConfigError as exc:  # the environment variable may still provide one
                log.warning("%s", exc)
        if req.demo is not None:
            return SessionSpec.of(goal=req.goal, planner="demo", demo=req.demo,
                                  params=dict(req.params), demo_threshold=req.demo_threshold,
                                  demo_wait=req.demo_wait, autonomy=req.autonomy,
                                  rules=req.rules, max_steps=req.max_steps,
                                  journal=req.journal_path)  # fmt: skip
        planner = "computer-use" if req.provider == "anthropic" and req.computer_use \
            else req.provider  # fmt: skip
        return SessionSpec.of(goal=req.goal, planner=planner, model=req.model or None,
                              base_url=req.base_url or None, api_key=api_key,
                              autonomy=req.autonomy, rules=req.rules, max_steps=req.max_steps,
                              journal=req.journal_path, images=req.images,
                              grounding=req.grounding, grounder_url=req.grounder_url or None,
                              grounder_model=req.grounder_model or None,
                              grounder_style=req.grounder_style,
                              grounder_convention=req.grounder_convention,
                              accessibility=req.accessibility)  # fmt: skip

    def _run(self, req: RunRequest) -> None:
        from gui_agent.agent.factory import SessionParts, build_session
        from gui_agent.perception.accessibility import default_source
        from gui_agent.perception.perceiver import Perceiver

        spec = self._spec(req)  # a bad goal, demo or server fails here, before any input
        capture, backend, ocr = self._setup()
        if self.session is not None:
            self.session.close()
            self.session = None
        self.approver = PanelApprover(self)

        def executor(backend: Any, capture: Any, perceiver: Perceiver) -> StepAsideExecutor:
            ex = StepAsideExecutor(backend, capture, perceiver, step_aside=self._step_aside,
                                   on_observe=self._on_observe)  # fmt: skip
            self._executor = ex
            return ex

        parts = SessionParts(capture=capture, approver=self.approver, on_event=self._on_event,
                             backend=backend, make_executor=executor,
                             perceiver=Perceiver(ocr, accessibility=default_source(
                                 req.accessibility)))  # fmt: skip
        session = build_session(spec, parts)
        session.owned.append(parts.perceiver)  # closed with the session (its tree reader)
        self.session = session
        if self._paused:
            session.pause()
        outcome: Outcome = session.run()
        self.outcome.emit(outcome)

    def _on_event(self, event: Event) -> None:
        if self.approver is not None:
            self.approver.step = event.step
        if event.kind is EventKind.STEP_PLANNED and event.action is not None:
            self.planned.emit(PlannedStep(event.step, event.action, self._target_box(event.action),
                                          list(event.data.get("plan", []))))  # fmt: skip
        elif event.kind is EventKind.EXECUTED and self._executor is not None:
            result = self._executor.last_result
            if result is not None:
                box = Rect(*result.target.box) if result.target is not None else None
                frame = result.after or result.before
                if frame is not None:
                    self.shot.emit(StepShot(event.step, thumbnail_around(frame, box)))
        elif event.kind is EventKind.REJECTED and self._last_frame is not None:
            box = self._target_box(event.action) if event.action is not None else None
            self.shot.emit(StepShot(event.step, thumbnail_around(self._last_frame, box)))
        self.session_event.emit(event)

    def _target_box(self, action: Action) -> Rect | None:
        """Where the planned action will land, on the frame the planner saw (for the live
        view's highlight); None when it cannot be resolved yet."""
        target = _first_target(action)
        ex, seen = self._executor, self.session.last_seen() if self.session else None
        if target is None or ex is None or seen is None:
            return None
        try:
            return Rect(*ex.resolve(target, seen[1]).box)
        except GuiAgentError:
            return None

    def run_undo(self, count: int) -> None:
        """Undo on the worker thread, with the window out of the way."""
        session, ex = self.session, self._executor
        if session is None or ex is None:
            self.undo_done.emit(UndoReport([]))
            return
        try:
            with ex.aside():
                results = session.undo_last(count)
        except GuiAgentError as exc:  # an emergency stop, or a refused self-click
            self.undo_done.emit(UndoReport([], str(exc)))
            return
        self.undo_done.emit(UndoReport([(i, r.verified, r.detail) for i, r in results]))

    # -- recording a demo ----------------------------------------------------------------------
    def _record(self, req: RecordRequest) -> None:
        """Record with the core ``Recorder`` (its own listeners, frame ring and stop hotkey).
        Frames are grabbed with the app's windows masked (the window is hidden, the status
        strip is not), and inputs that landed on the app's own windows are left out."""
        from gui_agent.demo.recorder import Recorder
        from gui_agent.perception.accessibility import default_source
        from gui_agent.perception.perceiver import Perceiver

        try:
            _, _, ocr = self._setup()
        except GuiAgentError as exc:
            self.recorded.emit(RecordReport(req.path, error=str(exc)))
            return
        capture = MaskedCapture(self.own)
        recorder = Recorder(req.path, capture=capture,
                            perceiver=Perceiver(ocr, accessibility=default_source()),
                            stop_hotkey=req.stop_hotkey)  # fmt: skip
        try:
            try:
                recorder.start()
            except Exception as exc:  # RecorderError, or the display/listener's own
                self.recorded.emit(RecordReport(req.path, error=f"cannot record: {exc}"))
                return
            self.recording_started.emit(req)
            while not recorder.wait(0.1):
                if self._record_stop.is_set():
                    recorder.stop(self._record_reason or "stopped in the app")
            own = self.own.rects()  # the status strip, still shown: its Stop was clicked
            result = recorder.finish()
            dropped = _drop_own_inputs(req.path, own) if own else 0
        except Exception as exc:  # never leave the window hidden waiting for a report
            log.exception("recording failed")
            self.recorded.emit(RecordReport(req.path, error=str(exc)))
            return
        finally:
            capture.close()
            self.switch.reset()  # the recorder's stop chord is no emergency stop of a run
        self.recorded.emit(RecordReport(req.path, result.steps - dropped, result.stopped_by,
                                        dropped=dropped))  # fmt: skip


def _drop_own_inputs(path: Path, own: list[Rect]) -> int:
    """Remove the steps whose pointer landed in one of gui-agent's own windows."""
    from gui_agent.demo.format import load_demo, save_demo

    demo = load_demo(path)
    inside = [
        number
        for number, step in enumerate(demo.steps, 1)
        if any(
            r.x <= t.point[0] < r.x + r.w and r.y <= t.point[1] < r.y + r.h
            for t in step.targets.values()
            for r in own
        )
    ]
    for number in reversed(inside):
        demo.delete_step(number)
    if inside:
        save_demo(demo, path)
    return len(inside)
