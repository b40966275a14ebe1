"""Run task files unattended: one process and one Xvfb per task, ``jobs`` at a time.

A task runs in a fresh process because pyautogui binds to the display it sees when imported,
and because a task that wedges its process must not take the others with it. Each worker
starts its own Xvfb of the task's size, launches the app, waits for its window, runs the
session in ``auto`` autonomy with the task's rules (an action that still needs approval is
refused: nobody is there to ask), evaluates the checks, and tears everything down in
``finally``, on SIGTERM too. The parent only schedules, collects results and, if a worker
dies or hangs past its deadline, kills what that worker had started.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import pickle
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gui_agent.errors import GuiAgentError
from gui_agent.headless.results import CheckResult, StepReport, TaskResult
from gui_agent.headless.taskfile import TaskFile, TaskFileError, load_task

# After its own timeout a worker gets this long to clean up before the parent kills it.
_GRACE = 45.0


class _Pids:
    """What a worker started, written where the parent can find it if the worker dies."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.groups: list[int] = []

    def add(self, pgid: int) -> None:
        self.groups.append(pgid)
        self.path.write_text(" ".join(map(str, self.groups)))


def kill_groups(path: Path) -> None:
    """Kill every process group a dead worker recorded (its Xvfb and its app)."""
    with contextlib.suppress(OSError, ValueError):
        for pgid in map(int, path.read_text().split()):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pgid, signal.SIGKILL)


def execute_task(task: TaskFile, work: Path, pids: _Pids | None = None) -> TaskResult:
    """Run one task in this process; sets DISPLAY for it (so: a fresh process per task)."""
    from gui_agent.headless.apps import AppLaunchError, LaunchedProcess, wait_for_stable_screen
    from gui_agent.headless.steps import png_of
    from gui_agent.headless.xvfb import Xvfb, xauthority_env
    from gui_agent.screen.capture import ScreenCapture

    t0 = time.monotonic()
    result = TaskResult(name=task.name, file=str(task.path or ""), status="error")
    xvfb = Xvfb(task.screen.width, task.screen.height).start()
    app: LaunchedProcess | None = None
    try:
        assert xvfb.process is not None
        if pids is not None:
            pids.add(xvfb.process.pid)
        os.environ["DISPLAY"] = xvfb.display
        os.environ.update(xauthority_env())
        os.environ.update(xvfb.bus_env())  # the task's app publishes its tree on it
        cwd = task.path.parent if task.path is not None else None
        app = LaunchedProcess(task.command(), xvfb.display, task.env, cwd=cwd)
        if pids is not None:
            pids.add(app.proc.pid)
        with ScreenCapture(xvfb.display) as cap:
            try:
                wait_for_stable_screen(cap, timeout=task.window_timeout, proc=app.proc)
            except AppLaunchError as exc:
                result.reason = f"the app never opened a window: {exc}"
                result.last_screen_png = png_of(cap.grab().pixels)[0]
                return result
            result.stage_timings["launch"] = time.monotonic() - t0
            _run_session(task, work, cap, app, result, t0)
            t = time.monotonic()
            if result.status != "error":
                _evaluate_checks(task, cap, app, result)
            result.stage_timings["checks"] = time.monotonic() - t
            result.last_screen_png = png_of(cap.grab().pixels)[0]
    except (GuiAgentError, OSError) as exc:
        result.status, result.reason = "error", f"{type(exc).__name__}: {exc}"
    finally:
        if app is not None:
            result.app_output = app.output_tail()
            app.close()
        xvfb.stop()
        result.duration = time.monotonic() - t0
    return result


def _spec(task: TaskFile, work: Path) -> Any:
    """The task as a ``SessionSpec``: auto autonomy, the task's rules and time limits."""
    from gui_agent.agent.factory import SessionSpec
    from gui_agent.control.risk import Autonomy, RiskRules

    common: dict[str, Any] = {
        "autonomy": Autonomy.AUTO, "rules": RiskRules(**task.rules.model_dump()),
        "step_timeout": min(120.0, task.timeout), "journal": work / "journal.db",
    }  # fmt: skip
    if task.demo is not None:
        return SessionSpec.of(goal=task.name, planner="demo", demo=task.resolve(task.demo),
                              params=dict(task.params), **common)  # fmt: skip
    if task.steps is not None:
        return SessionSpec.of(goal=task.name, planner="steps", steps=tuple(task.actions()),
                              **common)  # fmt: skip
    assert task.goal is not None
    return SessionSpec.of(goal=task.goal, planner=task.planner, model=task.model,
                          base_url=task.base_url, llm_timeout=min(60.0, task.timeout),
                          **common)  # fmt: skip


def _run_session(
    task: TaskFile, work: Path, cap: Any, app: Any, result: TaskResult, t0: float
) -> None:
    from gui_agent.agent.factory import SessionParts, build_session
    from gui_agent.agent.session import Outcome
    from gui_agent.control.approvers import NobodyApprover
    from gui_agent.control.estop import StopSwitch
    from gui_agent.control.executor import PyAutoGuiBackend
    from gui_agent.headless.steps import StepShots, step_reports

    switch = StopSwitch()
    backend = PyAutoGuiBackend(switch=switch)
    backend.move(task.screen.width - 40, task.screen.height - 40)  # off the app, off corners
    shots = StepShots(cap)
    t = time.monotonic()
    parts = SessionParts(capture=cap, approver=NobodyApprover(), on_event=shots,
                         switch=switch, backend=backend)  # fmt: skip
    with build_session(_spec(task, work), parts) as session:
        shots.session = session
        journal = session.journal
        box: list[Outcome | BaseException] = []

        def run() -> None:
            try:
                box.append(session.run())
            except BaseException as exc:  # reported below
                box.append(exc)

        runner = threading.Thread(target=run, name="task-session", daemon=True)
        runner.start()
        deadline = t0 + task.timeout
        crashed: int | None = None
        expects_exit = any(c.exit_code is not None for c in task.checks)
        while runner.is_alive():
            runner.join(0.2)
            code = app.proc.poll()
            if code is not None and not expects_exit and crashed is None:
                crashed = code
                switch.trip(f"the app exited with code {code}")
                session.stop()
            if time.monotonic() > deadline and not switch.tripped:
                switch.trip(f"the task timed out after {task.timeout:g} s")
                session.stop()
            if switch.tripped and time.monotonic() > deadline + 15:
                break  # a session wedged in C code: report what we have
        result.stage_timings["run"] = time.monotonic() - t
        result.steps.extend(step_reports(journal, session.session_id, shots))
    if crashed is not None:
        result.status, result.reason = "failed", f"the app exited with code {crashed} mid-run"
    elif switch.tripped:
        result.status, result.reason = "error", switch.reason + _hung_hint(result.steps)
    elif not box or isinstance(box[0], BaseException):
        exc = box[0] if box else RuntimeError("the session ended without an outcome")
        result.status, result.reason = "error", f"{type(exc).__name__}: {exc}"
    elif box[0].status != "finished":
        result.status, result.reason = "failed", f"{box[0].status}: {box[0].message}"
        result.outcome = box[0].status
    else:
        result.status = "passed"
        result.outcome = box[0].status


def _hung_hint(steps: list[StepReport]) -> str:
    """A timeout after actions that changed nothing smells of a frozen app: say so."""
    still = 0
    for step in reversed(steps):
        if "did not change" not in step.message:
            break
        still += 1
    return f" (the app looks hung: its screen did not change after the last {still} actions)" \
        if still >= 2 else ""  # fmt: skip


def _evaluate_checks(task: TaskFile, cap: Any, app: Any, result: TaskResult) -> None:
    from gui_agent.perception.perceiver import Perceiver

    perceiver = Perceiver()
    for check in task.checks:
        name = check.describe()
        if check.text_visible is not None or check.text_absent is not None:
            text = check.text_visible if check.text_visible is not None else check.text_absent
            assert text is not None
            want = check.text_visible is not None
            # The app repaints when it gets to it: give the expected state a moment to show.
            deadline = time.monotonic() + 3.0
            while True:
                seen = perceiver.perceive(cap.grab()).has_text(text)
                if seen == want or time.monotonic() > deadline:
                    break
                time.sleep(0.25)
            ok = seen == want
            detail = f"'{text}' is {'on' if seen else 'not on'} the screen"
        elif check.file_exists is not None:
            path = task.resolve(check.file_exists)
            ok = path.exists()
            detail = f"{path} {'exists' if ok else 'does not exist'}"
        else:
            try:
                code = app.proc.wait(timeout=10)
                ok = code == check.exit_code
                detail = f"the app exited with code {code}"
            except Exception:  # still running
                ok, detail = False, "the app is still running"
        result.checks.append(CheckResult(name, ok, detail))
    failed = [c for c in result.checks if not c.passed]
    if failed and result.status == "passed":
        result.status = "failed"
        result.reason = "; ".join(f"check {c.name} failed: {c.detail}" for c in failed)


# -- worker processes and scheduling ---------------------------------------------------------


def _worker(task_path: str, work: str) -> None:
    """Entry point of a spawned worker: run one task, pickle its result next to it."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so ``finally`` blocks run
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; it sends SIGTERM
    folder = Path(work)
    try:
        task = load_task(task_path)
        result = execute_task(task, folder, _Pids(folder / "pids"))
    except TaskFileError as exc:
        result = TaskResult(name=Path(task_path).stem, file=task_path, status="error",
                            reason=str(exc))  # fmt: skip
    tmp = folder / "result.pickle.tmp"
    tmp.write_bytes(pickle.dumps(result))
    tmp.replace(folder / "result.pickle")


def _collect(task: TaskFile, proc: Any, folder: Path) -> TaskResult:
    path = folder / "result.pickle"
    if path.exists():
        result: TaskResult = pickle.loads(path.read_bytes())
        return result
    kill_groups(folder / "pids")
    return TaskResult(name=task.name, file=str(task.path), status="error",
                      reason=f"the worker process died (exit code {proc.exitcode})")  # fmt: skip


def _slug(name: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())[:40]


def shard(tasks: list[TaskFile], spec: str) -> list[TaskFile]:
    """``K/N``: every N-th task starting at the K-th, so N machines (a CI matrix, say) split
    one suite without overlap and without any coordination between them."""
    try:
        k, n = (int(v) for v in spec.split("/"))
    except ValueError:
        raise GuiAgentError(f"--shard {spec!r}: write K/N, e.g. 2/4") from None
    if not 1 <= k <= n:
        raise GuiAgentError(f"--shard {spec!r}: K must be between 1 and N")
    return tasks[k - 1 :: n]


def run_tasks(
    tasks: list[TaskFile],
    jobs: int = 1,
    keep_going: bool = True,
    on_start: Callable[[TaskFile], None] | None = None,
    on_result: Callable[[TaskResult], None] | None = None,
    work_dir: Path | None = None,
) -> list[TaskResult]:
    """Run ``tasks`` with up to ``jobs`` at once; results in the tasks' order. Without
    ``keep_going`` no new task starts after the first failure. Each task gets its own
    folder under ``work_dir`` (its journal stays there; a temporary one when None)."""
    ctx = mp.get_context("spawn")
    results: dict[int, TaskResult] = {}
    pending = list(enumerate(tasks))
    running: dict[int, tuple[Any, Path, float]] = {}
    stop_scheduling = False
    with contextlib.ExitStack() as stack:
        tmp = work_dir or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ga-")))
        try:
            while (pending and not stop_scheduling) or running:
                while pending and not stop_scheduling and len(running) < max(1, jobs):
                    i, task = pending.pop(0)
                    folder = Path(tmp) / f"{i + 1:03d}-{_slug(task.name)}"
                    shutil.rmtree(folder, ignore_errors=True)
                    folder.mkdir(parents=True)
                    proc = ctx.Process(target=_worker, args=(str(task.path), str(folder)),
                                       name=f"gui-agent-task-{i}")  # fmt: skip
                    proc.start()
                    running[i] = (proc, folder, time.monotonic() + task.timeout + _GRACE)
                    if on_start is not None:
                        on_start(task)
                for i, (proc, folder, hard_deadline) in list(running.items()):
                    if proc.is_alive() and time.monotonic() > hard_deadline:
                        proc.kill()
                        proc.join(5)
                    if proc.is_alive():
                        continue
                    proc.join()
                    del running[i]
                    results[i] = _collect(tasks[i], proc, folder)
                    if not results[i].passed and not keep_going:
                        stop_scheduling = True
                    if on_result is not None:
                        on_result(results[i])
                time.sleep(0.05)
        finally:
            for proc, _folder, _ in running.values():  # Ctrl+C or an error: end them all
                proc.terminate()
            for proc, folder, _ in running.values():
                proc.join(15)
                if proc.is_alive():
                    proc.kill()
                    proc.join(5)
                kill_groups(folder / "pids")
    return [results[i] for i in sorted(results)]
