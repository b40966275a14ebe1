"""Turn desktop frames into what the window shows: a small live image and step thumbnails.

Scaling happens on the worker thread, so a 1080p frame never crosses into the GUI thread
and painting stays cheap; only numpy arrays cross (Qt images are made on the GUI side).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from gui_agent.geometry import Rect
from gui_agent.perception.state import ScreenState
from gui_agent.screen.frame import Frame

__all__ = ["LiveFrame", "live_frame", "thumbnail_around"]

LIVE_WIDTH = 960
THUMB_SIZE = (144, 72)


@dataclass(frozen=True)
class LiveElement:
    box: Rect
    kind: str
    text: str


@dataclass(frozen=True)
class LiveFrame:
    """A downscaled frame; ``scale`` maps desktop px to image px, from ``origin``."""

    image: np.ndarray  # BGR, C-contiguous
    origin: tuple[int, int]
    scale: float
    elements: list[LiveElement]
    hidden: Rect | None = None  # the app's own window, masked out of what the agent saw


def live_frame(
    frame: Frame, state: ScreenState, hidden: Rect | None = None, width: int = LIVE_WIDTH
) -> LiveFrame:
    scale = min(1.0, width / max(1, frame.width))
    size = (max(1, round(frame.width * scale)), max(1, round(frame.height * scale)))
    small = cv2.resize(frame.pixels, size, interpolation=cv2.INTER_AREA)
    elements = [LiveElement(e.box, e.kind.value, e.text) for e in state.elements
                if hidden is None or not _within(e.box, hidden)]  # fmt: skip
    origin = (frame.box.x, frame.box.y)
    return LiveFrame(np.ascontiguousarray(small), origin, scale, elements, hidden)


def _within(box: Rect, outer: Rect) -> bool:
    """The mask's own outline is perceived as a box; it is no element of the desktop."""
    return (box.x >= outer.x - 4 and box.y >= outer.y - 4
            and box.x + box.w <= outer.x + outer.w + 4
            and box.y + box.h <= outer.y + outer.h + 4)  # fmt: skip


def thumbnail_around(
    frame: Frame, box: Rect | None, size: tuple[int, int] = THUMB_SIZE
) -> np.ndarray:
    """The part of the screen a step acted on, with context: a window 2:1 around ``box``
    (at least 320x160 px), scaled to ``size``; the whole frame when there is no target."""
    tw, th = size
    if box is None:
        crop = frame.pixels
    else:
        w = max(320, box.w + 200)
        h = max(160, box.h + 120, w // 2)
        w = max(w, h * 2)
        cx, cy = box.x + box.w // 2, box.y + box.h // 2
        region = Rect(cx - w // 2, cy - h // 2, w, h).clip(frame.box)
        crop = frame.crop(region).pixels if not region.is_empty() else frame.pixels
    ch, cw = crop.shape[:2]
    scale = min(tw / cw, th / ch)
    small = cv2.resize(crop, (max(1, round(cw * scale)), max(1, round(ch * scale))),
                       interpolation=cv2.INTER_AREA)  # fmt: skip
    canvas = np.full((th, tw, 3), 245, np.uint8)
    y0, x0 = (th - small.shape[0]) // 2, (tw - small.shape[1]) // 2
    canvas[y0 : y0 + small.shape[0], x0 : x0 + small.shape[1]] = small
    return canvas
