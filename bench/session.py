"""Time per step of the whole agent loop with the embedded planner, on the five-step goal.

A private Xvfb, the fixture form, real pyautogui input: each run launches a fresh form and
drives "type Name, Email, City, tick Remember me, click Save" in ``auto`` autonomy. The
session's own per-step timings (perceive, plan, act incl. verification, total) come from
the journal. The baseline, measured in the same process on the same screen, is one plain
full-frame RapidOCR call: what a pipeline that re-reads the screen every step pays for
perception alone.
Run: .venv/bin/python bench/session.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from _common import median_max, table

from gui_agent.agent.factory import SessionParts, SessionSpec, build_session
from gui_agent.control.approvers import NobodyApprover
from gui_agent.control.executor import PyAutoGuiBackend
from gui_agent.control.risk import Autonomy
from gui_agent.headless.xvfb import virtual_display
from gui_agent.perception.ocr import OcrEngine
from gui_agent.perception.perceiver import Perceiver
from gui_agent.screen.capture import ScreenCapture
from tests.apps.launcher import launch_app

GOAL = (
    "type 'Alice' into Name, type 'alice@example.com' into Email, type 'Paris' into City, "
    "tick Remember me, click Save"
)
STAGES = ("perceive", "plan", "act", "total")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    from rapidocr_onnxruntime import RapidOCR

    baseline_ocr = RapidOCR()
    engine = OcrEngine()
    per_stage: dict[str, list[float]] = {s: [] for s in STAGES}
    baseline: list[float] = []
    wall: list[float] = []
    failures = 0
    with virtual_display(1920, 1080) as xvfb, tempfile.TemporaryDirectory() as tmp:
        backend = PyAutoGuiBackend()
        for run in range(args.runs):
            app = launch_app("form_app", Path(tmp) / f"form-{run}.json", xvfb.display)
            try:
                with ScreenCapture(xvfb.display) as cap:
                    backend.move(1700, 1000)
                    t = time.perf_counter()
                    baseline_ocr(cap.grab().pixels)
                    baseline.append(time.perf_counter() - t)
                    spec = SessionSpec.of(goal=GOAL, autonomy=Autonomy.AUTO,
                                          journal=Path(tmp) / f"{run}.db")  # fmt: skip
                    parts = SessionParts(
                        capture=cap,
                        approver=NobodyApprover(),
                        backend=backend,
                        perceiver=Perceiver(engine),
                    )
                    with build_session(spec, parts) as session:
                        t = time.perf_counter()
                        out = session.run()
                        wall.append(time.perf_counter() - t)
                        records = session.journal.steps(session.session_id)
                    st = app.wait_for(lambda st: st["saved_count"] == 1, timeout=10)
                    ok = out.status == "finished" and st["fields"]["city"] == "Paris"
                    failures += not ok
                    for step in records:
                        for s in STAGES:
                            per_stage[s].append(step.timings.get(s, 0.0))
            finally:
                app.close()

    base = statistics.median(baseline)
    rows = []
    for s in STAGES:
        med, mx = median_max(per_stage[s])
        rows.append((s, f"{med * 1000:.0f}", f"{mx * 1000:.0f}", f"{med / base:.2f}x"))
    worst = max(baseline)
    rows.append(
        ("baseline: RapidOCR full frame", f"{base * 1000:.0f}", f"{worst * 1000:.0f}", "1.00x")
    )
    print(f"five-step goal, embedded planner, auto; {args.runs} runs, "
          f"{len(per_stage['total'])} steps, {failures} failed runs")  # fmt: skip
    print(f"whole goal: median {statistics.median(wall):.2f} s\n")
    print(table(("per step", "median ms", "max ms", "vs baseline"), rows))
    print("\ntarget: total <= 400 ms per step")


if __name__ == "__main__":
    main()
