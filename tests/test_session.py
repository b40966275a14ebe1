"""The whole loop on a real display: perception, planner, gate, real input, journal."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from gui_agent.agent.journal import Journal
from gui_agent.agent.session import Event, EventKind, Session
from gui_agent.control.executor import Executor, PyAutoGuiBackend
from gui_agent.control.risk import (
    Approval,
    Autonomy,
    Gate,
    NobodyApprover,
    RiskAssessment,
    RiskRules,
)
from gui_agent.headless.xvfb import Xvfb
from gui_agent.perception.ocr import OcrEngine
from gui_agent.perception.perceiver import Perceiver
from gui_agent.planning.actions import Action, parse_action
from gui_agent.planning.planner import EmbeddedPlanner
from gui_agent.screen.capture import ScreenCapture
from tests.apps.launcher import LaunchedApp
from tests.conftest import Start

FIVE_STEPS = (
    "type 'Alice' into Name, type 'alice@example.com' into Email, type 'Paris' into City, "
    "tick Remember me, click Save"
)


@dataclass
class ScriptedApprover:
    """Answers in order from a script: 'a'pprove, 'r'eject, an Action to edit, 's'top."""

    answers: list[str | Action]
    asked: list[str] = field(default_factory=list)

    def review(self, action: Action, assessment: RiskAssessment, description: str) -> Approval:
        self.asked.append(action.describe())
        answer = self.answers.pop(0) if self.answers else "a"
        if answer == "a":
            return Approval.approve()
        if answer == "r":
            return Approval.reject()
        if answer == "s":
            return Approval.stop()
        assert not isinstance(answer, str)
        return Approval.edit(answer)


@pytest.fixture
def executor(xvfb: Xvfb, ocr_engine: OcrEngine) -> Iterator[Executor]:
    with ScreenCapture(xvfb.display) as cap:
        yield Executor(PyAutoGuiBackend(), cap, Perceiver(ocr_engine))


@pytest.fixture
def form(start: Start) -> LaunchedApp:
    return start("form_app")


def session(goal: str, executor: Executor, tmp_path: Path, autonomy: str = "auto",
            approver: object = None, rules: RiskRules | None = None,
            events: list[Event] | None = None) -> Session:  # fmt: skip
    journal = Journal(tmp_path / "journal.db")
    return Session(
        goal, EmbeddedPlanner(goal), executor, Gate(Autonomy.parse(autonomy), rules or RiskRules()),
        approver or NobodyApprover(), journal,  # type: ignore[arg-type]
        on_event=(events.append if events is not None else None),
    )  # fmt: skip


def test_five_step_goal_in_auto(form: LaunchedApp, executor: Executor, tmp_path: Path) -> None:
    events: list[Event] = []
    s = session(FIVE_STEPS, executor, tmp_path, events=events)
    out = s.run()
    assert out.status == "finished", out.message
    st = form.wait_for(lambda st: st["saved_count"] == 1)
    assert st["fields"]["name"] == "Alice"
    assert st["fields"]["email"] == "alice@example.com"
    assert st["fields"]["city"] == "Paris"
    assert st["checkboxes"]["remember"] is True
    steps = s.journal.steps(s.session_id)
    assert [r.result for r in steps] == ["ok"] * 5
    assert all(r.approval == "auto" and r.thumbnail for r in steps)
    assert EventKind.FINISHED in {e.kind for e in events}

    # Undo the tick and the typed city: the app's state comes back, and both verify.
    s.done.pop()  # the Save click is not what we undo here
    results = s.undo_last(2)
    assert [r.verified for _, r in results] == [True, True], results
    st = form.wait_for(lambda st: st["fields"]["city"] == "" and not st["checkboxes"]["remember"])


def test_ask_reject_and_edit(form: LaunchedApp, executor: Executor, tmp_path: Path) -> None:
    edited = parse_action({"type": "type", "text": "Bob", "target": {"query": "the Name field"}})
    approver = ScriptedApprover(["r", edited, "a"])
    goal = "type 'Paris' into City, type 'Alice' into Name, click Save"
    out = session(goal, executor, tmp_path, "ask", approver).run()
    assert out.status == "finished", out.message
    st = form.wait_for(lambda st: st["saved_count"] == 1)
    assert st["fields"]["city"] == ""  # rejected: never happened
    assert st["fields"]["name"] == "Bob"  # edited: happened as edited
    assert len(approver.asked) == 3


def test_risky_click_asks_in_ask_risky_and_in_auto_unless_allowed(
    form: LaunchedApp, executor: Executor, tmp_path: Path
) -> None:
    form.command("set name Keep me")
    for autonomy in ("ask-risky", "auto"):
        approver = ScriptedApprover(["r"])
        out = session("click Delete all", executor, tmp_path / autonomy, autonomy, approver).run()
        assert approver.asked == ["Click Delete all"], autonomy
        assert out.status == "finished"
        assert form.state()["fields"]["name"] == "Keep me"
    rules = RiskRules(allow=["Delete all"])
    out = session("click Delete all", executor, tmp_path / "allowed", "auto", None, rules).run()
    assert out.status == "finished", out.message
    form.wait_for(lambda st: st["fields"]["name"] == "")


def test_nobody_to_ask_refuses_and_executes_nothing(
    form: LaunchedApp, executor: Executor, tmp_path: Path
) -> None:
    out = session("click Save", executor, tmp_path, "ask").run()
    assert out.status == "refused" and "Click Save" in out.message
    assert form.state()["saved_count"] == 0


def test_stop_halts_before_the_next_action(
    form: LaunchedApp, executor: Executor, tmp_path: Path
) -> None:
    s = session(FIVE_STEPS, executor, tmp_path)

    def stop_after_first(event: Event) -> None:
        if event.kind is EventKind.EXECUTED and event.step == 1:
            threading.Thread(target=s.stop).start()
            s.stop()

    s.listeners.append(stop_after_first)
    out = s.run()
    assert out.status == "stopped" and out.steps == 1
    st = form.state()
    assert st["fields"]["name"] == "Alice" and st["fields"]["email"] == ""
