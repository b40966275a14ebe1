"""Time from launching the app to the main window's first paint: the checkout's
``python -m gui_agent.app`` and, with ``--bundle``, the desktop bundle's own executable,
measured in the same run (and the bundle's size on disk).

Each run is a fresh process on a private Xvfb (``virtual_display``), so no import or font
cache of a previous run in this process helps; the OS page cache does, as it would for a
person opening the app twice. The app prints ``first-paint <epoch>`` when its central
widget first paints (``--quit-after-paint``) and exits; we subtract the spawn time.

    .venv/bin/python bench/app_start.py [--runs 7] [--bundle dist/bundle/gui-agent]

Target: median <= 2 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import median_max, table

from gui_agent.headless.xvfb import virtual_display

TARGET_S = 2.0


def one_run(env: dict[str, str], argv: list[str]) -> tuple[float, float]:
    """(seconds to first paint, seconds until the process exited)."""
    t0 = time.time()
    proc = subprocess.run([*argv, "--quit-after-paint"], env=env, capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    total = time.time() - t0
    marks = [line for line in proc.stdout.splitlines() if line.startswith("first-paint ")]
    if proc.returncode != 0 or not marks:
        raise SystemExit(f"app failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return float(marks[0].split()[1]) - t0, total


def _size_mb(folder: Path) -> float:
    # Links (PyInstaller links shared libraries into place) are counted once, as du does.
    return (
        sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
        / 2**20
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--bundle", type=Path, help="a built bundle folder (packaging/build.sh)")
    args = parser.parse_args()
    kinds: dict[str, list[str]] = {"checkout": [sys.executable, "-m", "gui_agent.app"]}
    if args.bundle is not None:
        kinds["bundle"] = [str(args.bundle / "gui-agent"), "app"]
    paint: dict[str, list[float]] = {k: [] for k in kinds}
    exits: dict[str, list[float]] = {k: [] for k in kinds}
    with tempfile.TemporaryDirectory() as cfg, virtual_display(1920, 1080) as xvfb:
        env = xvfb.env() | {"GUI_AGENT_CONFIG_DIR": cfg, "QT_QPA_PLATFORM": "xcb"}
        env.pop("QT_QPA_PLATFORM_PLUGIN_PATH", None)
        for _ in range(max(1, args.runs)):
            for kind, argv in kinds.items():  # interleaved: the machine's noise hits both
                p, t = one_run(env, argv)
                paint[kind].append(p)
                exits[kind].append(t)
    print(f"gui-agent app start-up on Xvfb {xvfb.display} ({args.runs} fresh processes each, "
          f"{os.cpu_count()} CPUs)\n")  # fmt: skip
    rows = []
    for kind in kinds:
        pm, px = median_max(paint[kind])
        em, _ = median_max(exits[kind])
        ratio = pm / statistics.median(paint["checkout"])
        rows.append([kind, f"{pm:.3f}", f"{px:.3f}", f"{em:.3f}", f"{ratio:.2f}x",
                     f"{TARGET_S:.1f}"])  # fmt: skip
    print(table(["build", "first paint median s", "max s", "exit median s", "vs checkout",
                 "target s"], rows))  # fmt: skip
    if args.bundle is not None:
        print(f"\nbundle size on disk: {_size_mb(args.bundle):.0f} MB ({args.bundle})")
    pm = statistics.median(paint["checkout"])
    ok = all(statistics.median(v) <= TARGET_S for v in paint.values())
    print(f"\n{'PASS' if ok else 'FAIL'}: median first paint checkout {pm:.3f} s"
          + (f", bundle {statistics.median(paint['bundle']):.3f} s" if "bundle" in paint else "")
          + f" (target <= {TARGET_S:.1f} s)")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
