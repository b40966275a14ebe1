"""Synthetic screens with their widgets' geometry, rendered for tests in a child process.

Why a child: the Qt generator needs its own offscreen QApplication, and the test process
may already run a QApplication on Xvfb (pytest-qt, the fixture app); Tk in the test process
leaves its X connection behind for the next module that starts a display of its own; and
Chromium is simplest to start and end with a process of its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from gui_agent.geometry import Rect

# (BGR image, boxes as ``[cls, x0, y0, x1, y1, widget]``) per screen
Screens = list[tuple[np.ndarray, list[list[Any]]]]


def choice_truth(boxes: list[list[Any]]) -> list[tuple[str, Rect]]:
    """The check boxes and radios among a screen's boxes, as (class, box)."""
    return [(b[0], Rect.from_ltrb(*b[1:5])) for b in boxes if b[0] in ("checkbox", "radio")]


def render_synthetic(tmp_path: Path, seeds: range, split: str) -> Screens:
    """The Qt screens of ``seeds``, in order."""
    return render_in_child(
        tmp_path,
        seeds,
        f"render_screen(key, {split!r})",
        imports="from gui_agent.training.synth import render_screen",
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )


def render_in_child(
    tmp_path: Path,
    keys: Sequence[int],
    screen: str,
    *,
    imports: str,
    context: str = "contextlib.nullcontext()",
    env: dict[str, str] | None = None,
    timeout: float = 180,
) -> Screens:
    """One screen per key, in order: ``screen`` is a Python expression of ``key`` (and of
    ``ctx``, what ``context`` enters: a Chromium page, a Tk display) that renders a
    ``gui_agent.training.synth`` screen; ``imports`` are the lines it needs."""
    code = (
        "import contextlib, json\n"
        "from PIL import Image\n"
        f"{imports}\n"
        f"with {context} as ctx:\n"
        f"    for key in {list(keys)!r}:\n"
        f"        s = {screen}\n"
        f"        Image.fromarray(s.image).save(f'{tmp_path}/{{key}}.png')\n"
        "        boxes = [b.as_list() for b in s.boxes]\n"
        f"        json.dump(boxes, open(f'{tmp_path}/{{key}}.json', 'w'))\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=timeout)
    out: Screens = []
    for key in keys:
        img = cv2.imread(str(tmp_path / f"{key}.png"), cv2.IMREAD_COLOR)
        assert img is not None, f"the child wrote no image for {key}"
        out.append((img, json.loads((tmp_path / f"{key}.json").read_text())))
    return out


def render_glyph_favicon_pages(tmp_path: Path, keys: Sequence[int]) -> Screens:
    """Held-out favicon pages from headless Chromium whose favicons are glyphs of the icon
    font no renderer draws (``bench/detector.py --only favicon_glyphs``), in order."""
    return render_in_child(
        tmp_path,
        keys,
        "html.render_screen(key, 'heldout', ctx, favicon=True,"
        " glyphs=html.glyph_font_for('heldout', key))",
        imports="from gui_agent.training.synth import html",
        context="html.Page()",
    )
