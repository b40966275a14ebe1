"""Reading coordinates out of a grounding model's reply, whatever its house style.

- UI-TARS-1.5: ``Action: click(start_box='<|box_start|>(512,340)<|box_end|>')`` or
  ``click(point='<point>512 340</point>')``, pixels of the picture it saw.
- Qwen2.5-VL: ``[{"bbox_2d": [x1, y1, x2, y2], "label": "Save"}]`` (or ``point_2d``), pixels.
- OS-Atlas: ``<|box_start|>(x1,y1),(x2,y2)<|box_end|>``, thousandths of the picture.

The reply is untrusted text: it is searched with bounded, non-backtracking patterns, and
anything that is not a finite number is refused.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

_NUM = r"(-?\d{1,7}(?:\.\d{1,12})?)"
_POINT_TAG = re.compile(rf"<point>\s*{_NUM}[\s,]+{_NUM}\s*</point>")
_TUPLE = re.compile(rf"[(\[]\s*{_NUM}\s*,\s*{_NUM}(?:\s*,\s*{_NUM}\s*,\s*{_NUM})?\s*[)\]]")
_KEYS = ("bbox_2d", "point_2d", "bbox", "box", "point", "coordinate", "coordinates", "position")
_MAX_REPLY = 20_000


class ReplyError(ValueError):
    """The reply holds no coordinates (the message quotes a little of it)."""


@dataclass(frozen=True, slots=True)
class ModelAnswer:
    """Numbers as the model wrote them: a point ``(x, y)`` or a box ``(x0, y0, x1, y1)``."""

    values: tuple[float, ...]

    @property
    def is_box(self) -> bool:
        return len(self.values) == 4

    @property
    def point(self) -> tuple[float, float]:
        v = self.values
        return ((v[0] + v[2]) / 2, (v[1] + v[3]) / 2) if self.is_box else (v[0], v[1])

    def fractional(self) -> bool:
        """All values within 0..1 with a decimal part: a relative answer."""
        return all(0 <= v <= 1 for v in self.values) and any(v != int(v) for v in self.values)


def _quote(text: str) -> str:
    short = " ".join(text.split())[:120]
    return f"'{short}'" if short else "an empty reply"


def _from_json(text: str) -> tuple[float, ...] | None:
    start = min((i for i in (text.find("{"), text.find("[")) if i >= 0), default=-1)
    if start < 0:
        return None
    end = max(text.rfind("}"), text.rfind("]"))
    try:
        data: Any = json.loads(text[start : end + 1])
    except (ValueError, RecursionError):
        return None
    if isinstance(data, list) and data and isinstance(data[0], dict):
        data = data[0]
    if isinstance(data, dict):
        for key in _KEYS:
            value = data.get(key)
            numbers = isinstance(value, list) and all(
                isinstance(v, int | float) and not isinstance(v, bool) for v in value
            )
            if numbers and len(value) in (2, 4):  # type: ignore[arg-type]
                return tuple(float(v) for v in value)  # type: ignore[union-attr]
    return None


def parse_answer(text: str) -> ModelAnswer:
    """The first point or box in ``text``. Raises ``ReplyError``."""
    if len(text) > _MAX_REPLY:
        raise ReplyError(f"the reply is {len(text)} characters long, not a coordinate")
    values = _from_json(text)
    if values is None:
        # UI-TARS thinks aloud first; its coordinates are in the action line.
        action = text[text.rfind("Action:") :] if "Action:" in text else text
        tag = _POINT_TAG.search(action)
        if tag is not None:
            values = tuple(float(v) for v in tag.groups())
        else:
            pairs = [m for m in _TUPLE.finditer(action)][:2]
            if pairs:
                first = [float(v) for v in pairs[0].groups() if v is not None]
                if len(first) == 2 and len(pairs) == 2 and pairs[1].group(3) is None:
                    first += [float(v) for v in pairs[1].groups()[:2]]  # (x1,y1),(x2,y2)
                values = tuple(first)
    if values is None:
        raise ReplyError(f"the reply has no coordinates: {_quote(text)}")
    if not all(math.isfinite(v) for v in values):
        raise ReplyError(f"the reply's coordinates are not finite numbers: {_quote(text)}")
    return ModelAnswer(values)
