"""``gui-agent demo``: the agent on the sample form, from any install, in under half a minute.

On a private virtual display (or the user's own with ``--use-display``) it opens the sample
form that ships in the package, shows what the agent perceives (every element, a few targets
located), then lets the agent fill the form itself: a short goal through the embedded
planner in ``auto`` autonomy, the same gate, executor and journal as ``gui-agent run``. It
prints each step, checks the outcome against the form's *own* state file (not the agent's
account of it), and writes the same HTML report ``gui-agent test`` writes.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gui_agent.errors import GuiAgentError
from gui_agent.launch import self_command

__all__ = ["DEMO_GOAL", "DEMO_QUERIES", "EXPECTED", "run_demo"]

DEMO_GOAL = (
    "type 'Ada Lovelace' into Name, type 'ada@example.com' into Email, type 'London' into City, "
    "tick Remember me, click Save"
)
# What the form's own state must say afterwards: its fields, its check box, one save.
EXPECTED = {"name": "Ada Lovelace", "email": "ada@example.com", "city": "London"}
DEMO_QUERIES = (
    "the Save button",
    "the Email field",
    "checkbox Remember me",
    "the field right of Phone",
    "radio Pro",
    "the third icon",
    "Delete all",
)


@dataclass
class DemoResult:
    outcome: str
    form_ok: bool
    report: Path | None
    seconds: float


def _perceive(cap: Any, display: str, find: Sequence[str], png: Path | None) -> Any:
    from gui_agent.perception.annotate import annotate, save_png
    from gui_agent.perception.listing import elements_table, report_queries
    from gui_agent.perception.perceiver import Perceiver

    perceiver = Perceiver()
    t = time.perf_counter()
    perceiver.ocr  # noqa: B018 - load the models before timing perception
    print(f"models loaded in {(time.perf_counter() - t) * 1000:.0f} ms")
    frame = cap.grab()
    state = perceiver.perceive(frame)
    print(f"\nperceived {len(state.elements)} elements on {display}:\n")
    print(elements_table(state))
    print(
        f"\nfull perception: {state.timings['total'] * 1000:.0f} ms "
        f"(ocr {state.timings['ocr'] * 1000:.0f} ms, "
        f"shapes {state.timings['proposals'] * 1000:.0f} ms, "
        f"fusion {state.timings['fuse'] * 1000:.1f} ms)"
    )
    again = perceiver.perceive(cap.grab())
    print(f"same screen again (incremental): {again.timings['total'] * 1000:.1f} ms, "
          f"{perceiver.stats.last_mode}")  # fmt: skip
    print("\nlocate:")
    report_queries(state, find or DEMO_QUERIES)
    if png is not None:
        save_png(annotate(frame, state), png)
        print(f"\nannotated frame written to {png}")
    return perceiver


def _act(cap: Any, perceiver: Any, out: Path) -> tuple[Any, Any, Any]:
    """The agent fills the form: the same factory, gate and journal as ``gui-agent run``."""
    from gui_agent.agent.factory import SessionParts, SessionSpec, build_session
    from gui_agent.agent.session import Event, EventKind
    from gui_agent.control.approvers import NobodyApprover
    from gui_agent.headless.steps import StepShots, step_reports

    shots = StepShots(cap)

    def show(event: Event) -> None:
        shots(event)
        if event.kind in (EventKind.STEP_PLANNED, EventKind.VERIFIED):
            print(f"[{event.step:>2}] {event.kind.value:<12} {event.message}", flush=True)

    journal = out / "journal.db"
    journal.unlink(missing_ok=True)
    spec = SessionSpec.of(goal=DEMO_GOAL, autonomy="auto", journal=journal)
    parts = SessionParts(capture=cap, approver=NobodyApprover(), on_event=show,
                         perceiver=perceiver)  # fmt: skip
    print(f"\nthe agent, in auto autonomy: {DEMO_GOAL}\n")
    with build_session(spec, parts) as session:
        shots.session = session
        outcome = session.run()
        steps = step_reports(session.journal, session.session_id, shots)
    return outcome, steps, journal


def _form_state(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _verified(state: dict[str, Any]) -> tuple[bool, str]:
    fields = state.get("fields", {})
    checks = [(name, fields.get(name) == want) for name, want in EXPECTED.items()]
    checks.append(("Remember me", state.get("checkboxes", {}).get("remember") is True))
    checks.append(("saved once", state.get("saved_count") == 1))
    missing = [name for name, ok in checks if not ok]
    if missing:
        return False, f"the form's own state disagrees on: {', '.join(missing)}"
    return True, (f"the form's own state says: name {fields['name']!r}, email "
                  f"{fields['email']!r}, city {fields['city']!r}, Remember me ticked, "
                  "saved once")  # fmt: skip


def run_demo(*, launch: str | None = None, use_display: bool = False,
             png: Path | None = None, out: Path = Path("demo-output"),
             find: Sequence[str] = ()) -> int:  # fmt: skip
    """The demo; returns the exit status (0: the form was filled and saved, as the form
    itself reports)."""
    import shlex

    from gui_agent.headless.apps import LaunchedProcess, wait_for_stable_screen
    from gui_agent.headless.xvfb import maybe_virtual_display
    from gui_agent.screen.capture import ScreenCapture

    t0 = time.perf_counter()
    if out.exists() and not out.is_dir():
        raise GuiAgentError(f"--out {out}: is a file; name a folder for the demo's output")
    out.mkdir(parents=True, exist_ok=True)
    png = png if png is not None else out / "perception.png"
    state_file = out / "sample-form.json"
    state_file.unlink(missing_ok=True)
    if launch:
        argv = shlex.split(launch)
    else:
        argv = self_command("sample-form", "--state", str(state_file.resolve()))
    with maybe_virtual_display(not use_display) as display:
        if not display:
            raise GuiAgentError("no display: drop --use-display to run on a virtual one")
        with ScreenCapture(display) as cap, LaunchedProcess(argv, display) as app:
            print(f"launched: {' '.join(argv)}")
            wait_for_stable_screen(cap, timeout=30, proc=app.proc)
            perceiver = _perceive(cap, display, find, png)
            if launch:
                return 0  # another app: perception only, the agent does not act on it
            outcome, steps, journal = _act(cap, perceiver, out)
            form_ok, said = _verified(_form_state(state_file))
            report = _report(steps, outcome, form_ok, said, out, time.perf_counter() - t0)
    ok = outcome.status == "finished" and form_ok
    print(f"\n{outcome.status}: {outcome.message}")
    print(f"{'verified' if form_ok else 'NOT verified'}: {said}")
    print(f"journal: {journal}\nHTML report: {report}")
    print(f"demo took {time.perf_counter() - t0:.1f} s")
    return 0 if ok else 1


def _report(steps: list[Any], outcome: Any, form_ok: bool, said: str, out: Path,
            seconds: float) -> Path:  # fmt: skip
    from gui_agent.headless.report import write_html
    from gui_agent.headless.results import CheckResult, TaskResult

    passed = outcome.status == "finished" and form_ok
    result = TaskResult(
        name="gui-agent demo: fill the sample form", file="(built in)",
        status="passed" if passed else "failed",
        reason="" if passed else f"{outcome.status}: {outcome.message}; {said}",
        duration=seconds, steps=steps,
        checks=[CheckResult("the form's own state", form_ok, said)],
        outcome=outcome.status,
    )  # fmt: skip
    return Path(write_html([result], out / "report"))
