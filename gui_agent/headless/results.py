"""What an unattended task run produced: the runner fills these, the reports read them.

Plain data with no behaviour beyond small conveniences, so the runner (which owns displays,
processes and sessions) and the report writers (JUnit XML, HTML) never depend on each other.
Screenshots are PNG bytes in screen pixels; a step's ``target_box`` is in the same pixels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

TaskStatus = Literal["passed", "failed", "error"]


@dataclass
class StepReport:
    """One step of a task's session, as the journal and the executor saw it."""

    index: int
    action: str  # the action in words, secrets masked ("Type ••• into the Password field")
    approval: str  # auto | approved | rejected | refused | edited
    result: str  # ok | failed | skipped
    message: str
    target_box: tuple[int, int, int, int] | None = None  # x, y, w, h in screen pixels
    screenshot_png: bytes | None = None  # the screen right after the step
    timings: dict[str, float] = field(default_factory=dict)  # perceive, plan, act, total (s)
    proven: bool | None = None  # did the step's expected effect show (None: not judged)


@dataclass
class CheckResult:
    """One entry of the task file's ``checks`` after the run."""

    name: str  # e.g. "text_visible: Saved"
    passed: bool
    detail: str = ""


@dataclass
class TaskResult:
    """A whole task: ``failed`` means the app misbehaved or a check failed; ``error`` means
    the task could not be run as written (bad file, app never opened a window, timeout)."""

    name: str
    file: str
    status: TaskStatus
    reason: str = ""  # why it failed or errored, in one or two sentences
    duration: float = 0.0  # seconds, launch to teardown
    stage_timings: dict[str, float] = field(default_factory=dict)  # launch, run, checks (s)
    steps: list[StepReport] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    last_screen_png: bytes | None = None
    app_output: str = ""  # the tail of the launched app's stdout and stderr
    outcome: str = ""  # the session's own status: finished, unverified, refused, ...

    @property
    def passed(self) -> bool:
        return self.status == "passed"
