"""Replay success per layout variant: record once on the default form, replay everywhere.

A private Xvfb; the demonstration is recorded for real (xdotool drives the form while the
recorder listens): Name, Email, Password (a secret parameter), tick Remember me, Save. Each
variant (moved widgets, dark theme, 1.25x and 1.5x scale) is then replayed ``--runs`` times
on a fresh form; a run counts as a success only when the form's own state file shows every
value and one save. Also printed: the median seconds per replayed step (relocation, gate,
input and verification together) and, for scale, one plain full-frame RapidOCR call on the
same screen, measured in the same process.
Run: .venv/bin/python bench/replay.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from _common import table

from gui_agent.agent.factory import SessionParts, SessionSpec, build_session
from gui_agent.control.approvers import NobodyApprover
from gui_agent.control.executor import PyAutoGuiBackend
from gui_agent.control.risk import Autonomy, RiskRules
from gui_agent.demo.format import load_demo
from gui_agent.demo.recorder import Recorder
from gui_agent.headless.xvfb import Xvfb, virtual_display
from gui_agent.perception.ocr import OcrEngine
from gui_agent.perception.perceiver import Perceiver
from gui_agent.screen.capture import ScreenCapture
from tests.apps.launcher import LaunchedApp, launch_app

VARIANTS = ("default", "moved", "dark", "scale125", "scale150")


def _click(xvfb: Xvfb, app: LaunchedApp, name: str) -> None:
    x, y, w, h = app.widget(name)["box"]
    env = xvfb.env()
    subprocess.run(["xdotool", "mousemove", str(x + w // 2), str(y + h // 2), "click", "1"],
                   env=env, check=True)  # fmt: skip
    time.sleep(0.35)


def record(xvfb: Xvfb, engine: OcrEngine, folder: Path) -> Path:
    app = launch_app("form_app", folder / "rec.json", xvfb.display)
    path = folder / "bench.gademo"
    try:
        with ScreenCapture(xvfb.display) as cap:
            rec = Recorder(path, capture=cap, perceiver=Perceiver(engine)).start()
            for name, text in (("field_name", "Alice"), ("field_email", "alice@example.com"),
                               ("field_password", "hunter2")):  # fmt: skip
                _click(xvfb, app, name)
                subprocess.run(["xdotool", "type", "--delay", "20", text], env=xvfb.env(),
                               check=True)  # fmt: skip
                time.sleep(0.3)
            _click(xvfb, app, "check_remember")
            _click(xvfb, app, "btn_save")
            rec.finish()
    finally:
        app.close()
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    from rapidocr_onnxruntime import RapidOCR

    baseline_ocr = RapidOCR()
    engine = OcrEngine()
    rows = []
    with virtual_display(1920, 1080) as xvfb, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        demo_path = record(xvfb, engine, folder)
        demo = load_demo(demo_path)
        backend = PyAutoGuiBackend()
        for variant in VARIANTS:
            ok, per_step, baseline = 0, [], []
            for run in range(args.runs):
                app = launch_app("form_app", folder / f"{variant}{run}.json", xvfb.display, variant)
                try:
                    with ScreenCapture(xvfb.display) as cap:
                        backend.move(1700, 1000)
                        t = time.perf_counter()
                        baseline_ocr(cap.grab().pixels)
                        baseline.append(time.perf_counter() - t)
                        spec = SessionSpec.of(
                            goal="bench", planner="demo", demo=demo_path,
                            params={"password": "pw"}, demo_wait=4, autonomy=Autonomy.AUTO,
                            rules=RiskRules(allow=["Type ••• into*"]),
                            journal=folder / f"{variant}{run}.db",
                        )  # fmt: skip
                        parts = SessionParts(
                            capture=cap,
                            approver=NobodyApprover(),
                            backend=backend,
                            perceiver=Perceiver(engine),
                        )
                        with build_session(spec, parts) as session:
                            t = time.perf_counter()
                            out = session.run()
                        per_step.append((time.perf_counter() - t) / max(1, out.steps))
                    st = app.state()
                    f = st["fields"]
                    ok += (out.status == "finished" and st["saved_count"] == 1
                           and (f["name"], f["email"], f["password"]) == ("Alice",
                                "alice@example.com", "pw")
                           and st["checkboxes"]["remember"])  # fmt: skip
                finally:
                    app.close()
            step = statistics.median(per_step)
            base = statistics.median(baseline)
            rate = f"{100 * ok / args.runs:.0f}%"
            ms = f"{step * 1000:.0f}"
            rows.append((variant, f"{ok}/{args.runs}", rate, ms, f"{base * 1000:.0f}",
                         f"{step / base:.2f}x"))  # fmt: skip
    print(f"demo: {len(demo.steps)} steps recorded on the default layout; {args.runs} replays "
          "per variant\n")  # fmt: skip
    print(table(("variant", "passed", "success", "ms/step", "RapidOCR ms", "step/OCR"), rows))


if __name__ == "__main__":
    main()
