"""Time from launching ``python -m gui_agent.app`` to the main window's first paint.

Each run is a fresh process on a private Xvfb (``virtual_display``), so no import or font
cache of a previous run in this process helps; the OS page cache does, as it would for a
person opening the app twice. The app prints ``first-paint <epoch>`` when its central
widget first paints (``--quit-after-paint``) and exits; we subtract the spawn time.

    .venv/bin/python bench/app_start.py [--runs 7]

Target: median <= 2 s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

from _common import median_max, table

from gui_agent.headless.xvfb import virtual_display

TARGET_S = 2.0


def one_run(env: dict[str, str]) -> tuple[float, float]:
    """(seconds to first paint, seconds until the process exited)."""
    t0 = time.time()
    proc = subprocess.run([sys.executable, "-m", "gui_agent.app", "--quit-after-paint"],
                          env=env, capture_output=True, text=True, timeout=60)  # fmt: skip
    total = time.time() - t0
    marks = [line for line in proc.stdout.splitlines() if line.startswith("first-paint ")]
    if proc.returncode != 0 or not marks:
        raise SystemExit(f"app failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return float(marks[0].split()[1]) - t0, total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cfg, virtual_display(1920, 1080) as xvfb:
        env = xvfb.env() | {"GUI_AGENT_CONFIG_DIR": cfg, "QT_QPA_PLATFORM": "xcb"}
        env.pop("QT_QPA_PLATFORM_PLUGIN_PATH", None)
        runs = [one_run(env) for _ in range(max(1, args.runs))]
    paint = [p for p, _ in runs]
    exits = [t for _, t in runs]
    pm, px = median_max(paint)
    em, ex = median_max(exits)
    print(f"gui-agent app start-up on Xvfb {xvfb.display} ({len(runs)} fresh processes, "
          f"{os.cpu_count()} CPUs)\n")  # fmt: skip
    print(table(["measure", "median s", "max s", "target s"], [
        ["first paint", f"{pm:.3f}", f"{px:.3f}", f"{TARGET_S:.1f}"],
        ["process exit", f"{em:.3f}", f"{ex:.3f}", "-"],
    ]))  # fmt: skip
    print("\nruns (first paint s): " + ", ".join(f"{p:.3f}" for p in paint))
    ok = pm <= TARGET_S
    print(f"\n{'PASS' if ok else 'FAIL'}: median first paint {pm:.3f} s "
          f"{'<=' if ok else '>'} {TARGET_S:.1f} s")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
