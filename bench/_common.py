"""Shared set-up for benchmarks: a private Xvfb, the fixture apps, medians and tables."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def median_max(values: Sequence[float]) -> tuple[float, float]:
    return statistics.median(values), max(values)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(h) for h in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    line = "+".join("-" * (w + 2) for w in widths)
    out = [" | ".join(c.ljust(w) for c, w in zip(cells[0], widths, strict=True)), line]
    out += [" | ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in cells[1:]]
    return "\n".join(out)


def open_settings_dialog(app: Any, xvfb: Any, settle: float = 0.2) -> None:
    """Click the fixture form's Settings... button with a real pointer; wait for its dialog."""
    x, y, w, h = app.widget("btn_settings")["box"]
    subprocess.run(
        ["xdotool", "mousemove", str(x + w // 2), str(y + h // 2), "click", "1"],
        env=xvfb.env(),
        check=True,
    )
    app.wait_for(lambda s: s["dialog_open"])
    time.sleep(settle)
