"""Throughput of ``gui-agent test``: tasks per minute with one and with two workers.

The suite is the passing half of tests/tasks (goal, explicit steps, two demo replays, a
quit with an exit code, the dark theme), copied to a scratch folder with the fixture form.
Each configuration runs the same suite; ``-j 2`` is the ratio against ``-j 1`` measured in
the same process. On this 2-core machine each worker runs its own Xvfb, app and OCR, so
expect well under 2x.
Run: .venv/bin/python bench/headless.py [--rounds N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from _common import REPO, table

from gui_agent.headless.runner import run_tasks
from gui_agent.headless.taskfile import load_task

SUITE = (
    "01_goal_fill_form.yaml",
    "02_steps_fill_form.yaml",
    "03_demo_replay.yaml",
    "04_demo_moved_layout.yaml",
    "05_quit_exit_code.yaml",
    "06_dark_theme_goal.yaml",
)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tasks_dir = Path(tmp) / "tasks"
        tasks_dir.mkdir()
        for name in (*SUITE, "fill.gademo"):
            shutil.copy(REPO / "tests" / "tasks" / name, tasks_dir)
        tasks = [load_task(tasks_dir / name) for name in SUITE]
        rates: dict[int, list[float]] = {1: [], 2: []}
        passed: dict[int, int] = {1: 0, 2: 0}
        for _ in range(args.rounds):
            for jobs in (1, 2):
                t = time.perf_counter()
                results = run_tasks(tasks, jobs=jobs)
                minutes = (time.perf_counter() - t) / 60
                rates[jobs].append(len(results) / minutes)
                passed[jobs] += sum(r.passed for r in results)
    one = statistics.median(rates[1])
    rows = [
        (f"-j {j}", f"{passed[j]}/{len(SUITE) * args.rounds}", f"{statistics.median(rates[j]):.1f}",
         f"{60 / statistics.median(rates[j]):.1f}", f"{statistics.median(rates[j]) / one:.2f}x")
        for j in (1, 2)
    ]  # fmt: skip
    print(f"{len(SUITE)} tasks, {args.rounds} round(s)\n")
    print(table(("workers", "passed", "tasks/min", "s/task", "vs -j 1"), rows))


if __name__ == "__main__":
    main()
