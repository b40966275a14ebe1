"""Capture a screen only once it has stopped changing.

A toolkit reports its layout (Tk's state file, Chromium's "laid out" promise) a moment
before the X server shows the pixels; perceiving a half-painted frame would blame
perception for the bench's own timing.
"""

from __future__ import annotations

import time

import numpy as np

from gui_agent.screen.capture import ScreenCapture
from gui_agent.screen.frame import Frame


def settled_grab(cap: ScreenCapture, timeout: float = 3.0, interval: float = 0.08) -> Frame:
    """The first capture identical to the one before it (or the last one at ``timeout``)."""
    prev = cap.grab()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(interval)
        cur = cap.grab()
        if np.array_equal(cur.pixels, prev.pixels):
            return cur
        prev = cur
    return prev
