"""Synthetic Qt screens with their widget geometry, rendered for tests in a child process.

Why a child: the generator needs its own offscreen QApplication, and the test process may
already run a QApplication on Xvfb (pytest-qt, the fixture app).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import cv2
import numpy as np

# (BGR image, boxes as ``[cls, x0, y0, x1, y1, widget]``) per screen
Screens = list[tuple[np.ndarray, list[list[Any]]]]


def render_synthetic(tmp_path: Path, seeds: range, split: str) -> Screens:
    """The screens of ``seeds``, in order."""
    code = (
        "import json, sys\n"
        "from PIL import Image\n"
        "from gui_agent.training.synth import render_screen\n"
        f"for seed in range({seeds.start}, {seeds.stop}):\n"
        f"    s = render_screen(seed, {split!r})\n"
        f"    Image.fromarray(s.image).save(f'{tmp_path}/{{seed}}.png')\n"
        f"    json.dump([b.as_list() for b in s.boxes], open(f'{tmp_path}/{{seed}}.json', 'w'))\n"
    )
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=120)
    out: Screens = []
    for seed in seeds:
        img = cv2.imread(str(tmp_path / f"{seed}.png"), cv2.IMREAD_COLOR)
        assert img is not None, f"the child wrote no image for seed {seed}"
        out.append((img, json.loads((tmp_path / f"{seed}.json").read_text())))
    return out
