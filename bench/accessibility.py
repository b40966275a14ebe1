"""Direct-command goals on real third-party apps, with the accessibility tree on and off.

Each goal (tests/apps/a11y_tasks.py: zenity forms, check and radio lists, yad, galculator's
one-character keys, a Chromium page) runs with the embedded planner in ``auto`` autonomy on a
private Xvfb with its own D-Bus session and AT-SPI bus; the outcome is read from the app
itself (what it printed, its display, its window title). Both modes run in the same process
on the same apps, alternating, so machine noise falls on both alike.

    .venv/bin/python bench/accessibility.py [--runs 3] [--only calculator] [--mode both|on|off]

Target: >= 95% over at least 20 tasks with the tree on; the tree-off column shows what
vision alone does on the same goals.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from _common import table
from foreign.scoring import cell

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gui_agent.headless.xvfb import Xvfb
from gui_agent.perception.ocr import OcrEngine
from tests.apps.a11y_tasks import TASKS, missing, run_task


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--runs", type=int, default=3, help="runs per task and mode (1-50)")
    ap.add_argument("--only", default="", help="run tasks whose name contains this")
    ap.add_argument("--mode", choices=("both", "on", "off"), default="both")
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args()
    if not 1 <= args.runs <= 50:
        raise SystemExit(f"--runs {args.runs}: choose 1 to 50")
    tasks = [t for t in TASKS if args.only in t.name]
    if not tasks:
        raise SystemExit(f"no task name contains {args.only!r}")
    modes = [m for m in ("on", "off") if args.mode in ("both", m)]
    ocr = OcrEngine()
    results: dict[tuple[str, str], list[bool]] = {}
    misses: list[str] = []
    t0 = time.monotonic()
    with Xvfb(1280, 800) as x:
        if x.bus is None:
            raise SystemExit(f"no accessibility bus: {x.bus_error}")
        os.environ["DISPLAY"] = x.display  # pyautogui binds the display of the process
        for task in tasks:
            why = missing(task)
            if why is not None:
                print(f"skip {task.name}: {why}")
                continue
            for _ in range(args.runs):
                for mode in modes:
                    ok, said = run_task(task, x, ocr, tree=mode == "on")
                    results.setdefault((task.name, mode), []).append(ok)
                    if not ok:
                        misses.append(f"[{mode}] {task.name}: {said}")
    rows = [[t.name, *(cell(results.get((t.name, m), [])) for m in modes)] for t in tasks]
    every = {m: [ok for (_, mm), oks in results.items() if mm == m for ok in oks] for m in modes}
    per_task = {m: [all(results.get((t.name, m), [False])) for t in tasks] for m in modes}
    rows.append(["all runs", *(cell(every[m]) for m in modes)])
    rows.append(["tasks passing every run", *(cell(per_task[m]) for m in modes)])
    print(table(["task", *(f"tree {m}" for m in modes)], rows))
    print(f"\n{len(tasks)} tasks x {args.runs} runs x {len(modes)} modes in "
          f"{time.monotonic() - t0:.0f} s")  # fmt: skip
    if args.show_misses and misses:
        print("\nmisses:")
        for m in misses:
            print(" ", m)


if __name__ == "__main__":
    main()
