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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np
from _common import REPO, median_max, table

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
    busy_frame = np.zeros((1, 1, 3), np.uint8)
    cer_rows: list[tuple[str, str, str]] = []
    with Xvfb(1920, 1080) as xvfb, ScreenCapture(xvfb.display) as cap:
        for app_name, label in (
            ("form_app", "simple (form)"),
            ("busy_app", "busy (63 lines + 20 buttons)"),
        ):
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
            if app_name == "busy_app":
                busy_frame = frame.pixels
                truth = [line["text"] for line in app.state()["lines"]]
                base_texts = [r[1] for r in (baseline(frame.pixels)[0] or [])]
                ours_texts = [e.text for e in state.elements]
                cer_rows = [("baseline RapidOCR", *_cer(truth, base_texts)),
                            ("our perception", *_cer(truth, ours_texts))]  # fmt: skip
            bm, bx = median_max(base_t)
            fm, fx = median_max(full_t)
            im, ix = median_max(incr_t)
            lm, lx = median_max(loc_t)
            n_el = len(state.elements)
            rows += [
                (label, "baseline RapidOCR", ms(bm), ms(bx), "1.00", ""),
                (
                    label,
                    f"full perception ({n_el} elements)",
                    ms(fm),
                    ms(fx),
                    f"{fm / bm:.2f}",
                    "<= 0.8" if app_name == "form_app" else "<= 0.5",
                ),
                (label, "incremental (small change)", ms(im), ms(ix), f"{im / bm:.3f}", "<= 0.1"),
                (
                    label,
                    f"locate ({len(QUERIES[app_name])} queries)",
                    ms(lm),
                    ms(lx),
                    "",
                    "<= 5 ms",
                ),
            ]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ours = _our_peak_rss(busy_frame, args.runs)
    print(f"\nperception benchmark, {args.runs} runs each, 1920x1080, times in ms\n")
    print(table(["screen", "stage", "median", "max", "ratio", "target"], rows))
    print(
        "\ntext accuracy on the busy screen's log lines (character error rate vs the app's text)\n"
    )
    print(table(["reader", "CER", "CER ignoring spaces"], cer_rows))
    print(
        f"\npeak RSS, our perception alone, {args.runs} busy-screen passes: "
        f"{ours:.0f} MB (target <= 600)"
    )
    print(f"peak RSS of this process (baseline RapidOCR and ours both loaded): {rss:.0f} MB")


def _cer(truth: list[str], texts: list[str]) -> tuple[str, str]:
    """Each true line against its closest read line; edit distance over total length."""
    from rapidfuzz.distance import Levenshtein

    def squeeze(t: str) -> str:
        return t.replace(" ", "")

    err = err_ns = total = 0
    for line in truth:
        best = min(texts, key=lambda t: Levenshtein.distance(t, line)) if texts else ""
        err += Levenshtein.distance(best, line)
        err_ns += Levenshtein.distance(squeeze(best), squeeze(line))
        total += len(line)
    return f"{100 * err / total:.2f}%", f"{100 * err_ns / total:.2f}%"


def _our_peak_rss(frame: np.ndarray, runs: int) -> float:
    """Peak RSS of a fresh process that only runs our perception, so the baseline's own
    memory does not count against us. VmHWM, not ru_maxrss: Linux carries ru_maxrss over
    from the forking parent into the child."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "busy.png"
        cv2.imwrite(str(path), frame)
        code = "\n".join(
            [
                f"import sys, cv2; sys.path.insert(0, {str(REPO)!r})",
                "from gui_agent.perception.perceiver import Perceiver",
                "from gui_agent.perception.ocr import OcrEngine",
                f"img = cv2.imread({str(path)!r}); e = OcrEngine()",
                f"for _ in range({runs}): Perceiver(e).perceive(img)",
                "hwm = next(x for x in open('/proc/self/status') if x.startswith('VmHWM'))",
                "print(int(hwm.split()[1]) / 1024)",
            ]
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        return float(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
