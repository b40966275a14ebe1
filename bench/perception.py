"""Perception latency on real screens under Xvfb, against plain RapidOCR in the same process.

Screens (1920x1080): the fixture form (simple) and a busy screen (63 long text lines plus 20
labelled buttons). Per screen and stage, median and max over N runs, with baseline and ours
interleaved so machine noise hits both alike:
  - baseline: RapidOCR() with its default settings on the full frame
  - full: our perception from scratch (OCR + shapes + fusion), no reuse of earlier frames
  - incremental: after a small real change (a field's text, the status line)
  - locate: a set of queries on the full state
Run: .venv/bin/python bench/perception.py [--runs N]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from _common import median_max, table

from gui_agent.headless.xvfb import Xvfb
from gui_agent.perception.locate import locate
from gui_agent.perception.ocr import OcrEngine
from gui_agent.perception.perceiver import Perceiver
from gui_agent.screen.capture import ScreenCapture
from tests.apps.launcher import launch_app

QUERIES = {
    "form_app": ["the Save button", "the Email field", "checkbox Remember me",
                 "the field right of Phone", "the second icon", "radio Pro"],
    "busy_app": ["Export PDF", "the Deploy button", "the button below Save",
                 "the third button", "Schedule backup", "Help"],
}  # fmt: skip
CHANGES = {
    "form_app": lambda i: f"set name Runner {i}",
    "busy_app": lambda i: f"status Step {i} done",
}


def ms(v: float) -> str:
    return f"{v * 1000:.1f}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    from rapidocr_onnxruntime import RapidOCR

    baseline = RapidOCR()
    engine = OcrEngine()
    rows = []
    with Xvfb(1920, 1080) as xvfb, ScreenCapture(xvfb.display) as cap:
        for app_name, label in (("form_app", "simple (form)"), ("busy_app", "busy (63 lines + 20 buttons)")):
            state_file = Path(tempfile.mkdtemp()) / f"{app_name}.json"
            with launch_app(app_name, state_file, xvfb.display) as app:
                frame = cap.grab()
                baseline(frame.pixels)  # warm-up both: first runs allocate
                Perceiver(engine).perceive(frame)
                base_t, full_t = [], []
                for _ in range(args.runs):
                    t = time.perf_counter()
                    baseline(frame.pixels)
                    base_t.append(time.perf_counter() - t)
                    p = Perceiver(engine)
                    t = time.perf_counter()
                    state = p.perceive(frame)
                    full_t.append(time.perf_counter() - t)
                incr_t = []
                p = Perceiver(engine)
                p.perceive(cap.grab())
                for i in range(args.runs):
                    app.command(CHANGES[app_name](i))
                    f = cap.grab()
                    t = time.perf_counter()
                    p.perceive(f)
                    incr_t.append(time.perf_counter() - t)
                    assert p.stats.last_mode == "incremental", p.stats.last_mode
                loc_t = []
                for _ in range(args.runs):
                    for q in QUERIES[app_name]:
                        t = time.perf_counter()
                        locate(state, q)
                        loc_t.append(time.perf_counter() - t)
            bm, bx = median_max(base_t)
            fm, fx = median_max(full_t)
            im, ix = median_max(incr_t)
            lm, lx = median_max(loc_t)
            n_el = len(state.elements)
            rows += [
                (label, "baseline RapidOCR", ms(bm), ms(bx), "1.00", ""),
                (label, f"full perception ({n_el} elements)", ms(fm), ms(fx), f"{fm / bm:.2f}", "<= 0.8" if app_name == "form_app" else "<= 0.5"),
                (label, "incremental (small change)", ms(im), ms(ix), f"{im / bm:.3f}", "<= 0.1"),
                (label, f"locate ({len(QUERIES[app_name])} queries)", ms(lm), ms(lx), "", "<= 5 ms"),
            ]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nperception benchmark, {args.runs} runs each, 1920x1080, times in ms\n")
    print(table(["screen", "stage", "median", "max", "ratio", "target"], rows))
    print(f"\npeak RSS of this process (baseline and ours both loaded): {rss:.0f} MB (target <= 600)")


if __name__ == "__main__":
    main()
