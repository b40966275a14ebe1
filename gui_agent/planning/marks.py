"""Set-of-Mark pictures: the frame a multimodal planner sees, every element's id drawn on it.

A model that reads screenshots picks targets far better when each element carries a visible
number that matches the element list (OmniParser's Set-of-Mark). The picture is screen data
like the list: secret fields are painted black *before* anything is drawn or encoded, and
painted black again after the marks, so no mark of a neighbour can reopen them. The frame is
shrunk to the provider's size budget first and the marks drawn at the sent size, so they stay
legible; ``ImageMapping`` (``geometry.py``) maps a point in the picture back to the desktop.

Encoding costs tens of milliseconds and the picture is most of a request's bytes, so the last
picture is cached by a digest of what was drawn: an unchanged screen is neither re-encoded
nor, by default, re-sent (see ``LLMPlanner``).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from gui_agent.geometry import ImageBudget, ImageMapping, Rect, image_mapping
from gui_agent.perception.state import ScreenState
from gui_agent.screen.frame import Frame

# BGR colours that rarely occur in desktop themes; element ``id`` gets PALETTE[id % len].
PALETTE: tuple[tuple[int, int, int], ...] = (
    (255, 0, 255),  # magenta
    (0, 200, 255),  # orange
    (255, 160, 0),  # azure
    (0, 0, 230),  # red
    (0, 170, 0),  # green
    (200, 0, 120),  # purple
)
_FONT = cv2.FONT_HERSHEY_SIMPLEX
_FONT_SCALE = 0.4
DEFAULT_MAX_BYTES = 4_000_000  # Anthropic refuses images over 5 MB; OpenAI over 20 MB


def mark_colour(element_id: int) -> tuple[int, int, int]:
    """The BGR colour of an element's outline and tag (tests check pixels against it)."""
    return PALETTE[element_id % len(PALETTE)]


@dataclass(frozen=True, slots=True)
class MarkedImage:
    """An encoded picture for a model and how it maps back to the desktop."""

    data: bytes
    media_type: str
    mapping: ImageMapping
    key: str

    def b64(self) -> str:
        return base64.b64encode(self.data).decode("ascii")


def _black(pixels: np.ndarray, boxes: Sequence[Rect]) -> None:
    h, w = pixels.shape[:2]
    for b in boxes:
        x0, y0, x1, y1 = max(0, b.x), max(0, b.y), min(w, b.right), min(h, b.bottom)
        if x1 > x0 and y1 > y0:
            pixels[y0:y1, x0:x1] = 0


def render_marks(
    frame: Frame,
    state: ScreenState | None,
    hidden: Sequence[Rect],
    budget: ImageBudget,
) -> tuple[np.ndarray, ImageMapping]:
    """The frame shrunk to ``budget`` with ``hidden`` boxes black and, when ``state`` is
    given, each element's outline and id. Pixels are BGR."""
    fh, fw = frame.pixels.shape[:2]
    source = Rect(frame.origin.x, frame.origin.y, fw, fh)
    mapping = image_mapping(source, budget)
    local = [b.translate(-source.x, -source.y) for b in hidden]
    pixels = frame.pixels.copy()
    _black(pixels, local)
    if (mapping.width, mapping.height) != (fw, fh):
        pixels = cv2.resize(pixels, (mapping.width, mapping.height), interpolation=cv2.INTER_AREA)
    scaled = [mapping.rect_to_image(b) for b in hidden]
    if state is not None:
        for e in state.elements:
            _mark(pixels, mapping.rect_to_image(e.box), e.id)
    _black(pixels, scaled)  # a neighbour's tag must not reopen a secret field
    return pixels, mapping


def _mark(pixels: np.ndarray, r: Rect, element_id: int) -> None:
    """An outline just outside the box and a filled tag with the id above its top-left
    corner (below the box when there is no room above)."""
    colour = mark_colour(element_id)
    h = pixels.shape[0]
    cv2.rectangle(pixels, (r.x - 1, r.y - 1), (r.right, r.bottom), colour, 1)
    label = str(element_id)
    (tw, th), base = cv2.getTextSize(label, _FONT, _FONT_SCALE, 1)
    top = r.y - 1 - th - base - 2
    if top < 0:
        top = min(h - th - base - 2, r.bottom + 1)
    cv2.rectangle(pixels, (r.x - 1, top), (r.x + tw + 2, top + th + base + 1), colour, -1)
    cv2.putText(pixels, label, (r.x + 1, top + th + 1), _FONT, _FONT_SCALE, (255, 255, 255), 1,
                cv2.LINE_AA)  # fmt: skip


def encode(pixels: np.ndarray, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes, str]:
    """PNG (lossless: text stays readable), JPEG when the PNG is over ``max_bytes``."""
    ok, png = cv2.imencode(".png", pixels, [cv2.IMWRITE_PNG_COMPRESSION, 3])
    if ok and len(png) <= max_bytes:
        return png.tobytes(), "image/png"
    for quality in (90, 75, 60, 40):
        ok, jpg = cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, quality])
        if ok and len(jpg) <= max_bytes:
            return jpg.tobytes(), "image/jpeg"
    raise ValueError(f"the picture does not fit in {max_bytes} bytes even as a JPEG")


def picture_key(
    frame: Frame, state: ScreenState | None, hidden: Sequence[Rect], budget: ImageBudget
) -> str:
    """A digest of everything that decides the picture: same key, same bytes."""
    h = hashlib.blake2b(frame.pixels.tobytes(), digest_size=16)
    h.update(repr((frame.origin, budget, tuple(hidden))).encode())
    if state is not None:
        h.update(repr([(e.id, e.box.as_tuple()) for e in state.elements]).encode())
    return h.hexdigest()


class PictureCache:
    """Keeps the last picture: an unchanged screen is not drawn or encoded again."""

    def __init__(self) -> None:
        self.last: MarkedImage | None = None

    def picture(
        self,
        frame: Frame,
        state: ScreenState | None,
        hidden: Sequence[Rect],
        budget: ImageBudget,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> MarkedImage:
        key = picture_key(frame, state, hidden, budget)
        if self.last is not None and self.last.key == key:
            return self.last
        pixels, mapping = render_marks(frame, state, hidden, budget)
        data, media_type = encode(pixels, max_bytes)
        self.last = MarkedImage(data, media_type, mapping, key)
        return self.last
