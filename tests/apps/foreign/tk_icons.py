"""Toolbar icons drawn with PIL for the Tk toolbar screen.

Icon-only buttons in foreign apps carry pictures, not words; these are the common glyphs a
person names ("the trash icon", "the gear") drawn the way most icon sets draw them: dark
strokes on transparency, supersampled so edges are anti-aliased like a real icon font.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PIL import Image, ImageDraw

SIZE = 24
_SS = 4  # supersampling factor
_INK = (40, 40, 40, 255)

Draw = ImageDraw.ImageDraw


def _w(px: float) -> int:
    return max(1, round(px * _SS))


def _s(*xy: float) -> list[float]:
    return [v * _SS for v in xy]


def _close(d: Draw) -> None:
    d.line(_s(6, 6, 18, 18), fill=_INK, width=_w(2.2))
    d.line(_s(18, 6, 6, 18), fill=_INK, width=_w(2.2))


def _search(d: Draw) -> None:
    d.ellipse(_s(4, 4, 15, 15), outline=_INK, width=_w(2.2))
    d.line(_s(13.5, 13.5, 20, 20), fill=_INK, width=_w(2.8))


def _trash(d: Draw) -> None:
    d.line(_s(4, 7, 20, 7), fill=_INK, width=_w(2))
    d.rectangle(_s(9, 3.5, 15, 7), outline=_INK, width=_w(1.6))
    d.polygon(_s(6, 8, 18, 8, 17, 21, 7, 21), outline=_INK, width=_w(2))
    for x in (10, 14):
        d.line(_s(x, 11, x, 18), fill=_INK, width=_w(1.4))


def _gear(d: Draw) -> None:
    cx = cy = 12
    for k in range(8):
        a = k * math.pi / 4
        x, y = cx + 8.5 * math.cos(a), cy + 8.5 * math.sin(a)
        d.line(_s(cx, cy, x, y), fill=_INK, width=_w(3.2))
    d.ellipse(_s(5, 5, 19, 19), fill=_INK)
    d.ellipse(_s(9, 9, 15, 15), fill=(0, 0, 0, 0))


def _plus(d: Draw) -> None:
    d.line(_s(12, 4, 12, 20), fill=_INK, width=_w(2.6))
    d.line(_s(4, 12, 20, 12), fill=_INK, width=_w(2.6))


def _menu(d: Draw) -> None:
    for y in (6, 12, 18):
        d.line(_s(4, y, 20, y), fill=_INK, width=_w(2.2))


def _more(d: Draw) -> None:
    for y in (5, 12, 19):
        d.ellipse(_s(10, y - 2, 14, y + 2), fill=_INK)


def _home(d: Draw) -> None:
    d.line(_s(3, 12, 12, 4, 21, 12), fill=_INK, width=_w(2.2), joint="curve")
    d.line(_s(6, 10, 6, 20, 18, 20, 18, 10), fill=_INK, width=_w(2), joint="curve")
    d.rectangle(_s(10, 14, 14, 20), fill=_INK)


def _refresh(d: Draw) -> None:
    d.arc(_s(4, 4, 20, 20), start=-20, end=280, fill=_INK, width=_w(2.2))
    d.polygon(_s(15, 3, 21, 7, 15, 10), fill=_INK)


def _save(d: Draw) -> None:
    d.rectangle(_s(4, 4, 20, 20), outline=_INK, width=_w(2))
    d.rectangle(_s(8, 4, 16, 9), fill=_INK)
    d.rectangle(_s(7, 13, 17, 20), outline=_INK, width=_w(1.6))


ICONS: dict[str, Callable[[Draw], None]] = {
    "close": _close,
    "search": _search,
    "trash": _trash,
    "gear": _gear,
    "plus": _plus,
    "menu": _menu,
    "more": _more,
    "home": _home,
    "refresh": _refresh,
    "save": _save,
}


def icon(name: str, size: int = SIZE) -> Image.Image:
    """The RGBA icon ``name`` at ``size`` pixels."""
    big = Image.new("RGBA", (SIZE * _SS, SIZE * _SS), (0, 0, 0, 0))
    ICONS[name](ImageDraw.Draw(big))
    return big.resize((size, size), Image.Resampling.LANCZOS)
