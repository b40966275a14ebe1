"""A pytest plugin (registered as ``pytest11``): the ``gui_agent`` fixture.

Teams test their own desktop apps from their own pytest suites::

    def test_save(gui_agent):
        gui_agent.launch(["python", "-m", "myapp"])
        outcome = gui_agent.run("type 'Alice' into Name, click Save")
        assert outcome.status == "finished"
        assert gui_agent.text_visible("Saved")

Each pytest process gets one Xvfb (``gui_agent_display``, session-scoped), so pytest-xdist's
``-n N`` fans a suite out over N virtual displays, and the same over several machines with
xdist's own remote workers; nothing here needs a cluster of its own. A suite that already
runs its own display overrides ``gui_agent_display`` in its conftest.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from gui_agent.headless.xvfb import Xvfb, virtual_display


class GuiAgentHarness:
    """A display, the apps launched on it, and sessions in ``auto`` autonomy against them."""

    def __init__(self, display: Xvfb, folder: Path) -> None:
        from gui_agent.screen.capture import ScreenCapture

        self.display = display
        self.folder = folder
        self.capture = ScreenCapture(display.display)
        self.apps: list[Any] = []
        self._executor: Any = None
        self.journal_path = folder / "journal.db"

    # -- apps ----------------------------------------------------------------------------------
    def launch(self, argv: Sequence[str], *, env: dict[str, str] | None = None,
               window_timeout: float = 20.0, cwd: str | Path | None = None) -> Any:  # fmt: skip
        """Start ``argv`` on the display and wait until its window holds still."""
        from gui_agent.headless.apps import LaunchedProcess, wait_for_stable_screen

        app = LaunchedProcess(argv, self.display.display, env, cwd=cwd)
        self.apps.append(app)
        wait_for_stable_screen(self.capture, timeout=window_timeout, proc=app.proc)
        return app

    # -- acting --------------------------------------------------------------------------------
    @property
    def executor(self) -> Any:
        if self._executor is None:
            from gui_agent.control.executor import Executor, PyAutoGuiBackend
            from gui_agent.perception.perceiver import Perceiver

            backend = PyAutoGuiBackend()
            backend.move(self.display.width - 40, self.display.height - 40)
            self._executor = Executor(backend, self.capture, Perceiver())
        return self._executor

    def run(self, goal: str, *, planner: str = "embedded", allow: Sequence[str] = (),
            max_steps: int = 30, **planner_options: Any) -> Any:  # fmt: skip
        """Work towards ``goal``; returns the session's ``Outcome``."""
        from gui_agent.planning.planner import make_planner

        return self._session(goal, make_planner(planner, goal, **planner_options), planner,
                             allow, max_steps)  # fmt: skip

    def steps(self, steps: Sequence[dict[str, Any]], *, allow: Sequence[str] = ()) -> Any:
        """Explicit steps in the task-file syntax: ``[{"click": "Save"}]``."""
        from gui_agent.headless.taskfile import step_action
        from gui_agent.planning.planner import ScriptPlanner

        actions = [step_action(dict(s)) for s in steps]
        return self._session("explicit steps", ScriptPlanner(actions), "steps", allow,
                             len(actions) + 1)  # fmt: skip

    def replay(self, demo: str | Path, params: dict[str, str] | None = None, *,
               allow: Sequence[str] = ()) -> Any:  # fmt: skip
        from gui_agent.demo.format import load_demo
        from gui_agent.demo.player import DemoPlanner

        planner = DemoPlanner(load_demo(demo), self.executor, params or {})
        return self._session(f"replay {demo}", planner, "demo", allow, 100)

    def _session(self, goal: str, planner: Any, name: str, allow: Sequence[str],
                 max_steps: int) -> Any:  # fmt: skip
        from gui_agent.agent.journal import Journal
        from gui_agent.agent.session import Session
        from gui_agent.control.risk import Autonomy, Gate, NobodyApprover, RiskRules

        gate = Gate(Autonomy.AUTO, RiskRules(allow=list(allow)))
        with Journal(self.journal_path) as journal:
            session = Session(goal, planner, self.executor, gate, NobodyApprover(), journal,
                              planner_name=name, max_steps=max_steps)  # fmt: skip
            return session.run()

    # -- looking -------------------------------------------------------------------------------
    def screen(self) -> Any:
        """The current ``ScreenState``."""
        return self.executor.observe()[1]

    def text_visible(self, text: str, timeout: float = 3.0) -> bool:
        """Whether ``text`` is (or within ``timeout`` seconds comes) on screen: apps repaint
        when they get to it, and a busy CI machine makes them late."""
        deadline = time.monotonic() + timeout
        while True:
            if self.screen().has_text(text):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.2)

    def locate(self, query: str) -> Any:
        from gui_agent.perception.locate import locate

        return locate(self.screen(), query).element

    def close(self) -> None:
        for app in self.apps:
            app.close()
        self.apps.clear()
        self.capture.close()


@pytest.fixture(scope="session")
def gui_agent_display() -> Iterator[Xvfb]:
    """One 1920x1080 Xvfb per pytest process; DISPLAY points at it."""
    with virtual_display(1920, 1080) as display:
        yield display


@pytest.fixture
def gui_agent(gui_agent_display: Xvfb, tmp_path: Path) -> Iterator[GuiAgentHarness]:
    harness = GuiAgentHarness(gui_agent_display, tmp_path)
    try:
        yield harness
    finally:
        harness.close()
