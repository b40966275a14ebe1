"""One captured image of (part of) the virtual desktop, and the checks every frame passes.

Perception, diffing and annotation all assume the same pixel layout: ``(H, W, 3)`` ``uint8``
in OpenCV's BGR order, C-contiguous, placed in the virtual desktop by ``origin``. Arrays
from elsewhere (tests, files, other libraries) come in through :func:`validate_pixels`, so a
wrong shape or dtype fails here with a precise message instead of deep inside OpenCV or ONNX.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from gui_agent.errors import FrameError
from gui_agent.geometry import Point, Rect

__all__ = ["Frame", "validate_pixels"]


def _describe(arr: np.ndarray) -> str:
    return f"shape {tuple(arr.shape)}, dtype {arr.dtype}"


def validate_pixels(arr: Any) -> np.ndarray:
    """Return ``arr`` as a C-contiguous ``(H, W, 3)`` uint8 BGR array, or raise FrameError.

    Accepted and converted: BGRA (alpha dropped), 2-D or ``(H, W, 1)`` grayscale (replicated
    to BGR), floats in 0..1 (scaled to 0..255). Everything else is rejected with a message
    naming the problem, because a silently reinterpreted frame gives wrong clicks, not errors.
    A valid array is returned as is (no copy).
    """
    if not isinstance(arr, np.ndarray):
        raise FrameError(
            f"frame pixels must be a numpy.ndarray of shape (H, W, 3), got {type(arr).__name__}"
        )
    if arr.size == 0:
        raise FrameError(f"frame is empty: {_describe(arr)} has no pixels")
    if arr.ndim not in (2, 3):
        raise FrameError(
            f"frame has wrong number of dimensions: {_describe(arr)}; "
            "expected (H, W, 3) BGR, (H, W, 4) BGRA or (H, W) grayscale"
        )
    channels = 1 if arr.ndim == 2 else arr.shape[2]
    if channels not in (1, 3, 4):
        raise FrameError(
            f"frame has wrong channel count: shape {tuple(arr.shape)} has {channels} channels; "
            "expected 3 (BGR), 4 (BGRA) or 1 (grayscale)"
        )

    if arr.dtype != np.uint8:
        if np.issubdtype(arr.dtype, np.floating):
            lo, hi = float(np.min(arr)), float(np.max(arr))
            if not (np.isfinite(lo) and np.isfinite(hi)) or lo < 0.0 or hi > 1.0:
                raise FrameError(
                    f"frame has float pixels outside 0..1 (min {lo:g}, max {hi:g}, "
                    f"{_describe(arr)}); pass uint8 0..255 or floats scaled to 0..1"
                )
            arr = np.rint(arr * 255.0).astype(np.uint8)
        else:
            raise FrameError(
                f"frame has wrong dtype {arr.dtype} ({_describe(arr)}); "
                "expected uint8 0..255 (or float 0..1)"
            )

    if channels == 1:
        arr = cv2.cvtColor(np.ascontiguousarray(arr.reshape(arr.shape[:2])), cv2.COLOR_GRAY2BGR)
    elif channels == 4:
        arr = cv2.cvtColor(np.ascontiguousarray(arr), cv2.COLOR_BGRA2BGR)
    return np.ascontiguousarray(arr)


@dataclass(frozen=True, eq=False)
class Frame:
    """Pixels of a desktop box: ``pixels[r, c]`` is desktop pixel ``(origin.x + c, origin.y + r)``.

    ``eq=False``: comparing frames element-wise is a diff (see ``gui_agent.screen.diff``),
    not equality, and numpy arrays have no single truth value anyway.
    """

    pixels: np.ndarray
    """(H, W, 3) uint8, BGR (OpenCV order), C-contiguous."""
    origin: Point = field(default_factory=lambda: Point(0, 0))
    """Virtual-desktop coordinates (physical px) of ``pixels[0, 0]``."""
    timestamp: float = field(default_factory=time.monotonic)
    """``time.monotonic()`` when captured: for ordering and ages, not wall-clock time."""
    scale: float = 1.0
    """HiDPI scale of the monitor it came from (informational; coordinates stay physical)."""

    def __post_init__(self) -> None:
        # Cheap invariant check (no copy): a frame built directly must already be in canonical
        # form; use Frame.from_array for anything that may need converting.
        px = self.pixels
        if not (
            isinstance(px, np.ndarray)
            and px.ndim == 3
            and px.shape[2] == 3
            and px.dtype == np.uint8
            and px.size > 0
            and px.flags.c_contiguous
        ):
            got = _describe(px) if isinstance(px, np.ndarray) else type(px).__name__
            raise FrameError(
                f"Frame needs C-contiguous (H, W, 3) uint8 BGR pixels, got {got}; "
                "use Frame.from_array() to convert"
            )

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])

    @property
    def box(self) -> Rect:
        """Where this frame lies on the virtual desktop."""
        return Rect(self.origin.x, self.origin.y, self.width, self.height)

    def crop(self, rect: Rect) -> Frame:
        """The part of this frame inside ``rect`` (desktop coords), clipped to the frame.

        Raises FrameError when ``rect`` misses the frame entirely. Full-width crops are views;
        others are copied, so ``pixels`` stays C-contiguous for OpenCV and ONNX.
        """
        box = self.box
        r = rect.clip(box)
        if r.is_empty():
            raise FrameError(f"crop {rect} does not overlap the frame at {box}")
        x0, y0 = r.x - box.x, r.y - box.y
        view = self.pixels[y0 : y0 + r.h, x0 : x0 + r.w]
        return Frame(np.ascontiguousarray(view), Point(r.x, r.y), self.timestamp, self.scale)

    @staticmethod
    def from_array(
        arr: Any,
        origin: Point = Point(0, 0),  # noqa: B008 - Point is frozen, sharing it is safe
        timestamp: float | None = None,
        scale: float = 1.0,
    ) -> Frame:
        """Wrap any supported array (see :func:`validate_pixels`) as a Frame."""
        pixels = validate_pixels(arr)
        ts = time.monotonic() if timestamp is None else timestamp
        return Frame(pixels, origin, ts, scale)
