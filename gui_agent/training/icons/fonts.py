"""Where qtawesome's icon fonts are and what glyphs they hold, without importing Qt.

Why a module of its own: the icon renderer (``render.py``) paints with Qt, but the HTML
renderer's glyph favicons (``synth/html.py``, training and held-out) need the same fonts in
a Chromium page, in a process that must not start Qt.
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path

from gui_agent.perception.icon_vocabulary import FONT_BY_KEY


def fonts_dir() -> Path:
    """qtawesome's font folder; RuntimeError with the fix when the wheel is missing."""
    spec = importlib.util.find_spec("qtawesome")
    if spec is None or spec.origin is None:
        raise RuntimeError(
            "the icon fonts come from the qtawesome wheel, which is not installed. "
            "Fix: pip install -e '.[train]'"
        )
    return Path(spec.origin).parent / "fonts"


@cache
def charmap(font: str) -> dict[str, int]:
    """Glyph name -> code point for one qtawesome font."""
    raw: dict[str, str] = json.loads((fonts_dir() / FONT_BY_KEY[font].charmap).read_text())
    return {k: int(v, 16) for k, v in raw.items()}
