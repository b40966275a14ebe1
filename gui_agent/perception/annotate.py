"""Draw a screen state over its frame, so a person can see what the agent sees."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from gui_agent.errors import GuiAgentError
from gui_agent.geometry import Rect
from gui_agent.perception.state import ElementKind, ScreenState
from gui_agent.screen.frame import Frame

# BGR colours per kind: controls in strong colours, plain text in grey.
COLOURS: dict[ElementKind, tuple[int, int, int]] = {
    ElementKind.TEXT: (140, 140, 140),
    ElementKind.BUTTON: (40, 40, 230),
    ElementKind.FIELD: (30, 160, 30),
    ElementKind.CHECKBOX: (220, 90, 0),
    ElementKind.RADIO: (200, 0, 200),
    ElementKind.ICON: (0, 170, 240),
    ElementKind.COMBO: (120, 120, 0),
    ElementKind.LIST: (140, 60, 0),
    ElementKind.CONTAINER: (180, 180, 60),
    ElementKind.LINK: (200, 120, 0),
    ElementKind.MENU_ITEM: (90, 40, 160),
    ElementKind.TOGGLE: (0, 120, 200),
    ElementKind.SLIDER: (60, 200, 200),
    ElementKind.TAB: (160, 100, 60),
    ElementKind.SCROLLBAR: (100, 100, 100),
}


def annotate(frame: Frame, state: ScreenState, highlight: Rect | None = None) -> np.ndarray:
    """A copy of the frame with every element's box and id drawn; ``highlight`` in red, thick."""
    out = frame.pixels.copy()
    ox, oy = frame.origin.x, frame.origin.y
    for e in state.elements:
        b = e.box.translate(-ox, -oy)
        colour = COLOURS.get(e.kind, (0, 0, 0))
        cv2.rectangle(out, (b.x, b.y), (b.right - 1, b.bottom - 1), colour, 1)
        label = str(e.id)
        (tw, th), _ = cv2.getTextSize(label, cv2.FONT_HERSHEY_PLAIN, 0.8, 1)
        ty = b.y - 2 if b.y - th - 2 >= 0 else b.bottom + th + 2
        cv2.rectangle(out, (b.x, ty - th - 1), (b.x + tw + 1, ty + 1), colour, -1)
        cv2.putText(out, label, (b.x + 1, ty), cv2.FONT_HERSHEY_PLAIN, 0.8, (255, 255, 255), 1)
    if highlight is not None:
        h = highlight.translate(-ox, -oy)
        cv2.rectangle(out, (h.x - 2, h.y - 2), (h.right + 1, h.bottom + 1), (0, 0, 255), 3)
    return out


def save_png(pixels: np.ndarray, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not cv2.imwrite(str(path), pixels):
        raise GuiAgentError(f"could not write {path} (is the folder writable and the name .png?)")
