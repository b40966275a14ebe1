"""HTML pages in hand-written CSS theme families, for Chromium on the test display.

Every element a query can target has an ``id``; the bench asks Chromium where it laid each
one out (``Chromium.boxes``), so the ground truth is the browser's own geometry. Icons are
inline SVG with ``aria-label``s, so a person knows their names and OCR cannot read them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gui_agent.training.chromium import Chromium

HERE = Path(__file__).resolve().parent
PAGES = ("signup", "toolbar", "table", "settings", "article")
THEMES = ("plain", "bootstrap", "material")

_STROKE = (
    '<svg width="24" height="24" viewBox="0 0 24 24" fill="none" stroke="currentColor" '
    'stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">{}</svg>'
)
SVG: dict[str, str] = {
    "close": '<path d="M6 6L18 18M18 6L6 18"/>',
    "search": '<circle cx="10" cy="10" r="6"/><path d="M14.5 14.5L20 20"/>',
    "trash": '<path d="M4 7h16M9 7V4h6v3M6 7l1 14h10l1-14M10 11v7M14 11v7"/>',
    "gear": '<circle cx="12" cy="12" r="3"/><circle cx="12" cy="12" r="7"/>'
    '<path d="M12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1'
    'M4.9 19.1L7 17M17 7l2.1-2.1"/>',
    "plus": '<path d="M12 5v14M5 12h14"/>',
    "menu": '<path d="M4 6h16M4 12h16M4 18h16"/>',
    "more": '<circle cx="12" cy="5" r="1.2"/><circle cx="12" cy="12" r="1.2"/>'
    '<circle cx="12" cy="19" r="1.2"/>',
    "home": '<path d="M3 12L12 4l9 8M6 10v10h12V10"/><path d="M10 20v-5h4v5"/>',
    "refresh": '<path d="M20 12a8 8 0 1 1-2.3-5.7"/><path d="M20 4v5h-5"/>',
    "save": '<path d="M5 4h11l3 3v13H5zM8 4v5h7V4M8 20v-6h8v6"/>',
    "user": '<circle cx="12" cy="8" r="4"/><path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7"/>',
    "bell": '<path d="M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 20a2 2 0 0 0 4 0"/>',
    "lock": '<rect x="5" y="11" width="14" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 8 0v4"/>',
    "sun": '<circle cx="12" cy="12" r="4"/><path d="M12 2v2M12 20v2M2 12h2M20 12h2'
    'M5 5l1.5 1.5M17.5 17.5L19 19M5 19l1.5-1.5M17.5 6.5L19 5"/>',
    "card": '<rect x="3" y="6" width="18" height="13" rx="2"/><path d="M3 10h18M7 15h4"/>',
}
_ICON_RE = re.compile(r"\{\{icon:(\w+)\}\}")


def html(page: str, theme: str) -> str:
    """The full document for ``page`` styled by ``theme``."""
    if page not in PAGES or theme not in THEMES:
        raise ValueError(f"unknown page/theme {page}/{theme}; pages {PAGES}, themes {THEMES}")
    body = (HERE / "html" / f"{page}.html").read_text(encoding="utf-8")
    body = _ICON_RE.sub(lambda m: _STROKE.format(SVG[m.group(1)]), body)
    css = (HERE / "css" / f"{theme}.css").read_text(encoding="utf-8")
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{page}</title>'
        f"<style>{css}</style></head><body>{body}</body></html>"
    )


Box = tuple[int, int, int, int]

# getClientRects, not the bounding box: a link that wraps onto a second line is two boxes,
# and the rectangle around both covers words that are not the link.
_RECTS_JS = """
Array.from(document.querySelectorAll('[id]')).map(el => [el.id,
  Array.from(el.getClientRects()).filter(r => r.width > 0 && r.height > 0)
       .map(r => [r.left, r.top, r.right, r.bottom])])
"""


def truth(browser: Chromium) -> dict[str, list[Box]]:
    """Every element with an ``id``: its line boxes in screen pixels (one for a block, one
    per line for wrapped inline text). The kiosk window sits at (0, 0), so page pixels
    times the device scale are screen pixels. Elements not rendered have no boxes."""
    s = browser.scale
    out: dict[str, list[Box]] = {}
    for element_id, rects in browser.evaluate(_RECTS_JS):
        boxes = []
        for left, top, right, bottom in rects:
            x, y = round(left * s), round(top * s)
            boxes.append((x, y, round(right * s) - x, round(bottom * s) - y))
        out[str(element_id)] = boxes
    return out
