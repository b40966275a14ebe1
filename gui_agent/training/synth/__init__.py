"""Synthetic training screens for the UI-element detector, with boxes from the toolkits.

Every renderer draws real controls and takes the ground truth from the toolkit's own layout,
never from hand labels:

- ``qt``: PySide6 widgets laid out offscreen (styled and plain palettes);
- ``html``: pages laid out by headless Chromium, boxes from the DOM;
- ``tk``: tkinter and ttk on a private Xvfb, boxes from ``winfo`` geometry;
- ``negatives``: photo-like textures, wallpapers and drawings with nothing to find.

``recipe`` says which renderer draws which screen and which looks each split may use;
``dataset`` writes data sets; ``vocab`` and ``screen`` are shared by all.

    python -m gui_agent.training.synth --out DIR --count N --seed S [--split heldout] [--mix M]

Importing this package starts no toolkit: the Qt names (``render_screen``) load on first use,
since the Qt renderer must be imported before cv2 in its process (opencv-python points
QT_QPA_PLATFORM_PLUGIN_PATH at its own Qt plugins).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gui_agent.training.synth.dataset import generate, load_labels, screen_seed
from gui_agent.training.synth.recipe import MIXES, RENDERERS
from gui_agent.training.synth.screen import Box, Screen
from gui_agent.training.synth.vocab import CLASSES, GENERATOR_VERSION, SPLITS

if TYPE_CHECKING:
    from gui_agent.training.synth.qt import render_screen

__all__ = [
    "CLASSES",
    "GENERATOR_VERSION",
    "MIXES",
    "RENDERERS",
    "SPLITS",
    "Box",
    "Screen",
    "generate",
    "load_labels",
    "main",
    "render_screen",
    "screen_seed",
]


def __getattr__(name: str) -> Any:
    if name == "render_screen":
        from gui_agent.training.synth import qt

        return qt.render_screen
    if name == "main":
        from gui_agent.training.synth.__main__ import main

        return main
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
