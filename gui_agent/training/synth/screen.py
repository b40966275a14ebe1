"""What every renderer returns: an RGB image with its element boxes, in image pixels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

Json = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Box:
    """One labelled element: class name and box in image pixels (x1, y1 exclusive), plus the
    Qt class that drew it, so recall can be broken down by widget implementation."""

    cls: str
    x0: int
    y0: int
    x1: int
    y1: int
    widget: str = ""

    def as_list(self) -> list[Any]:
        return [self.cls, self.x0, self.y0, self.x1, self.y1, self.widget]


@dataclass(slots=True)
class Screen:
    """A rendered screen: H x W x 3 RGB uint8 image, its boxes and how it was made."""

    image: np.ndarray
    boxes: list[Box]
    meta: dict[str, Any]


# ---------------------------------------------------------------------------------------------
