"""Crops that check the icon classifier from outside its training distribution.

- the held-out font (Phosphor), one crop per glyph, rendered like the training crops;
- real Qt widgets: a ``QToolButton`` showing one of Qt's own standard icons (drawn by the
  Fusion style, never trained on), grabbed offscreen as the screen would show it;
- our own SVG icons drawn by QtSvg at 36-44 px, larger than any training render;
- line icons (the first Lucide and Heroicons drawing of every meaning that has one) drawn
  plainly by QtSvg at toolbar and large sizes and three stroke weights, in both polarities;
- crops that must stay unnamed: words of text and photo-like noise.

Tests and the benchmark need them without starting Qt in their own process (a pytest
process may need an xcb QApplication for other tests), so ``python -m
gui_agent.training.icons.probes OUT.npz`` renders them in a child process and saves them.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import numpy as np

# Qt standard icons whose Fusion drawing plainly shows one meaning of the vocabulary.
STANDARD_ICONS: dict[str, str] = {
    "SP_DialogCloseButton": "close",
    "SP_LineEditClearButton": "close",
    "SP_MediaPlay": "play",
    "SP_MediaPause": "pause",
    "SP_MediaStop": "stop",
    "SP_MediaSkipForward": "skip_next",
    "SP_MediaSkipBackward": "skip_previous",
    "SP_MediaVolume": "volume",
    "SP_MediaVolumeMuted": "mute",
    "SP_TitleBarContextHelpButton": "help",
    "SP_TitleBarMinButton": "minimise",
    "SP_TitleBarNormalButton": "restore",
    "SP_MessageBoxInformation": "info",
    "SP_MessageBoxQuestion": "help",
    "SP_MessageBoxWarning": "warning",
    "SP_DialogApplyButton": "check",
    "SP_DialogSaveButton": "save",
    "SP_BrowserReload": "refresh",
    "SP_TrashIcon": "delete",
}
SVG_SIZES = (36, 40, 44)
LINE_SIZES = (18, 22, 40)  # px of the 24-unit grid: toolbar icons, and larger than trained
LINE_WIDTHS = ("1.5", "2", "2.5")
TEXTS = ("Settings", "OK", "Name:", "File", "Cancel", "Total 42", "Help", "abc", "Q3", "Edit")


def _grab(widget: object) -> np.ndarray:
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QWidget

    from gui_agent.training.icons.render import qimage_to_bgr

    assert isinstance(widget, QWidget)
    img = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    return qimage_to_bgr(img)


def standard_icon_crops(icon_px: int = 20) -> list[tuple[str, np.ndarray]]:
    """(meaning, crop) of auto-raised tool buttons showing Qt's standard icons."""
    from PySide6.QtCore import QSize
    from PySide6.QtWidgets import QApplication, QStyle, QToolButton

    style = QApplication.style()
    out = []
    for name, meaning in STANDARD_ICONS.items():
        button = QToolButton()
        button.setAutoRaise(True)
        button.setIcon(style.standardIcon(getattr(QStyle.StandardPixmap, name)))
        button.setIconSize(QSize(icon_px, icon_px))
        button.resize(icon_px + 8, icon_px + 8)
        out.append((meaning, _grab(button)))
    return out


def svg_crops() -> list[tuple[str, np.ndarray]]:
    """(meaning, crop) of our SVG icons, dark on light and light on dark, at untrained sizes."""

    from gui_agent.data import data_path
    from gui_agent.perception.icon_vocabulary import MEANINGS

    out = []
    for m in MEANINGS:
        for i, name in enumerate(m.glyphs.get("svg", ())):
            text = (data_path("icons") / f"{name}.svg").read_text()
            for j, size in enumerate(SVG_SIZES):
                out.append((m.name, _plain_svg(text, size, dark=(i + j) % 2 == 0)))
    return out


def _plain_svg(text: str, size: int, dark: bool) -> np.ndarray:
    """One SVG icon drawn by QtSvg ``size`` px across, 6 px of flat background around it."""
    from PySide6.QtCore import QByteArray, QRectF
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    from gui_agent.training.icons.render import qimage_to_bgr

    ink, bg = ("#202124", "#f1f3f4") if dark else ("#e8eaed", "#2b2b2b")
    renderer = QSvgRenderer(QByteArray(text.replace("currentColor", ink).encode()))
    box = size + 12
    img = QImage(box, box, QImage.Format.Format_RGB32)
    img.fill(QColor(bg))
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    renderer.render(p, QRectF(6, 6, size, size))
    p.end()
    return qimage_to_bgr(img)


def line_crops() -> list[tuple[str, np.ndarray]]:
    """(meaning, crop) of the first Lucide and Heroicons drawing of each meaning, plainly
    drawn at ``LINE_SIZES`` with ``LINE_WIDTHS`` strokes, in both polarities."""
    import re

    from gui_agent.training.icons.line_sets import LINE_GLYPHS, svg_text

    out = []
    k = 0
    for key, table in LINE_GLYPHS.items():
        for meaning, names in table.items():
            width = LINE_WIDTHS[k % len(LINE_WIDTHS)]
            text = re.sub(
                r'stroke-width="[0-9.]+"', f'stroke-width="{width}"', svg_text(key, names[0])
            )
            out.append((meaning, _plain_svg(text, LINE_SIZES[k % len(LINE_SIZES)], k % 2 == 0)))
            k += 1
    return out


def text_crops() -> list[np.ndarray]:
    """Crops of words as a label or a text button shows them: must never get an icon name."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPainter

    from gui_agent.training.icons.render import qimage_to_bgr

    out = []
    for i, text in enumerate(TEXTS):
        font = QFont("DejaVu Sans")
        font.setPixelSize(12 + i % 4 * 2)
        w = 10 + int(len(text) * font.pixelSize() * 0.62)
        h = font.pixelSize() + 10
        img = QImage(w, h, QImage.Format.Format_RGB32)
        img.fill(QColor("#ffffff" if i % 2 else "#303030"))
        p = QPainter(img)
        p.setFont(font)
        p.setPen(QColor("#202020" if i % 2 else "#f0f0f0"))
        p.drawText(img.rect(), Qt.AlignmentFlag.AlignCenter, text)
        p.end()
        out.append(qimage_to_bgr(img))
    return out


def noise_crops(count: int, seed: int) -> list[np.ndarray]:
    """Photo-like texture patches (no Qt needed)."""
    from gui_agent.training.icons.render import texture_patch

    rng = random.Random(seed)
    return [texture_patch(rng, rng.randint(16, 48), rng.randint(16, 48)) for _ in range(count)]


def heldout_crops(per_glyph: int, seed: int) -> list[tuple[str, np.ndarray]]:
    """(meaning, crop) for every glyph of the held-out font, rendered like training crops."""
    from gui_agent.perception.icon_vocabulary import CLASSES
    from gui_agent.training.icons.render import render_icon, vocabulary_glyphs

    rng = random.Random(f"probes:{seed}")
    return [
        (CLASSES[g.label], render_icon(g, rng))
        for g in vocabulary_glyphs("heldout")
        for _ in range(per_glyph)
    ]


def _pack(prefix: str, items: list[tuple[str, np.ndarray]], arrays: dict[str, np.ndarray]) -> None:
    arrays[f"{prefix}_labels"] = np.array([m for m, _ in items])
    for i, (_, crop) in enumerate(items):
        arrays[f"{prefix}_{i}"] = crop


def write_probes(path: Path, seed: int = 0, heldout_step: int = 1) -> None:
    """Render every probe set into one .npz: ``<set>_labels`` and ``<set>_<i>`` crops.

    ``heldout_step`` keeps every n-th held-out crop (the tests keep a fixed sample).
    """
    from gui_agent.training.icons.render import ensure_app

    ensure_app()
    arrays: dict[str, np.ndarray] = {}
    _pack("heldout", heldout_crops(1, seed)[::heldout_step], arrays)
    _pack("standard", standard_icon_crops(), arrays)
    _pack("svg", svg_crops(), arrays)
    _pack("line", line_crops(), arrays)
    _pack("text", [("none", c) for c in text_crops()], arrays)
    _pack("noise", [("none", c) for c in noise_crops(20, seed)], arrays)
    np.savez_compressed(path, **arrays)  # type: ignore[arg-type]


def load_probes(path: Path, name: str) -> list[tuple[str, np.ndarray]]:
    """One probe set from a ``write_probes`` file: (meaning, crop) pairs."""
    with np.load(path) as data:
        labels = [str(v) for v in data[f"{name}_labels"]]
        return [(m, data[f"{name}_{i}"]) for i, m in enumerate(labels)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Render the icon classifier's probe crops.")
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--heldout-step", type=int, default=1)
    args = ap.parse_args(argv)
    write_probes(args.out, args.seed, args.heldout_step)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
