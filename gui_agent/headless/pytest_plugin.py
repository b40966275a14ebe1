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
        self._perceiver: Any = None
        self._backend: Any = None
        self.journal_path = folder / "journal.db"

    # -- apps ----------------------------------------------------------------------------------
    def launch(self, argv: Sequence[str], *, env: dict[str, str] | None = None,
               window_timeout: float = 20.0, cwd: str | Path | None = None) -> Any:  # fmt: skip
        """Start ``argv`` on the display and wait until its window holds still."""
        from gui_agent.headless.apps import LaunchedProcess, wait_for_stable_screen

        # on the display's private bus, so the app publishes its accessibility tree
        app = LaunchedProcess(argv, self.display.display, {**self.display.bus_env(), **(env or {})},
                              cwd=cwd)  # fmt: skip
        self.apps.append(app)
        wait_for_stable_screen(self.capture, timeout=window_timeout, proc=app.proc)
        return app

    # -- acting --------------------------------------------------------------------------------
    @property
    def perceiver(self) -> Any:
        """One perceiver for the harness (models load once; incremental between looks)."""
        if self._perceiver is None:
            from gui_agent.perception.accessibility import switched_off
            from gui_agent.perception.accessibility.atspi import AtspiSource
            from gui_agent.perception.perceiver import Perceiver

            bus = self.display.bus_env().get("DBUS_SESSION_BUS_ADDRESS")
            tree = AtspiSource(bus) if bus and not switched_off() else None
            self._perceiver = Perceiver(accessibility=tree)
        return self._perceiver

    @property
    def backend(self) -> Any:
        if self._backend is None:
            from gui_agent.control.executor import PyAutoGuiBackend

            self._backend = PyAutoGuiBackend()
            self._backend.move(self.display.width - 40, self.display.height - 40)
        return self._backend

    def run(self, goal: str, *, planner: str = "embedded", allow: Sequence[str] = (),
            max_steps: int = 30, **planner_options: Any) -> Any:  # fmt: skip
        """Work towards ``goal``; returns the session's ``Outcome``."""
        return self._session(goal=goal, planner=planner, allow=allow, max_steps=max_steps,
                             **planner_options)  # fmt: skip

    def steps(self, steps: Sequence[dict[str, Any]], *, allow: Sequence[str] = ()) -> Any:
        """Explicit steps in the task-file syntax: ``[{"click": "Save"}]``."""
        from gui_agent.headless.taskfile import step_action

        actions = tuple(step_action(dict(s)) for s in steps)
        return self._session(goal="explicit steps", planner="steps", steps=actions, allow=allow)

    def replay(self, demo: str | Path, params: dict[str, str] | None = None, *,
               allow: Sequence[str] = ()) -> Any:  # fmt: skip
        return self._session(goal=f"replay {demo}", planner="demo", demo=Path(demo),
                             params=dict(params or {}), allow=allow)  # fmt: skip

    def _session(self, *, allow: Sequence[str], **values: Any) -> Any:
        from gui_agent.agent.factory import SessionParts, SessionSpec, build_session
        from gui_agent.control.approvers import NobodyApprover
        from gui_agent.control.risk import Autonomy, RiskRules

        if "timeout" in values:
            values["llm_timeout"] = values.pop("timeout")
        spec = SessionSpec.of(autonomy=Autonomy.AUTO, rules=RiskRules(allow=list(allow)),
                              journal=self.journal_path, **values)  # fmt: skip
        parts = SessionParts(capture=self.capture, approver=NobodyApprover(),
                             backend=self.backend, perceiver=self.perceiver)  # fmt: skip
        with build_session(spec, parts) as session:
            return session.run()

    # -- looking -------------------------------------------------------------------------------
    def screen(self) -> Any:
        """The current ``ScreenState``."""
        return self.perceiver.perceive(self.capture.grab())

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
