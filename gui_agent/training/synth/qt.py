"""Qt renderer: lay a random window out offscreen, render it, take boxes from geometry."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import shiboken6
from PySide6.QtCore import (
    QEvent,
    QPoint,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPalette,
    QRegion,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QScrollBar,
    QStyle,
    QStyleFactory,
    QTabBar,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gui_agent.training.synth.qt_style import MAX_H, MAX_W, MIN_H, MIN_W, _ensure_app, _hsv, _Qt
from gui_agent.training.synth.qt_widgets import Mark, _Builder, _Desktop
from gui_agent.training.synth.screen import Box, Screen
from gui_agent.training.synth.vocab import _HEADINGS, SPLITS


def _visible_rect(w: QWidget, rect: QRect, top: QWidget) -> tuple[QRect, QRect] | None:
    """(full, visible) rect of ``rect`` (widget coords) in ``top`` coords, clipped by ancestors."""
    if not w.isVisibleTo(top):
        return None
    full = QRect(w.mapTo(top, rect.topLeft()), rect.size())
    clip = full
    node: QWidget | None = w
    while node is not None and node is not top:
        clip = clip.intersected(QRect(node.mapTo(top, QPoint(0, 0)), node.size()))
        node = node.parentWidget()
    return full, clip


def _collect(top: QWidget, marks: list[Mark], scale: float, width: int, height: int) -> list[Box]:
    items: list[tuple[str, QWidget, QRect]] = []
    seen: set[int] = set()
    for cls, w, fn in marks:
        if shiboken6.isValid(w):
            items.append((cls, w, fn(w) if fn else w.rect()))
            seen.add(id(w))
    for bar in top.findChildren(QToolBar):
        for tb in bar.findChildren(QToolButton):
            if id(tb) in seen:
                continue
            text_only = tb.toolButtonStyle() != Qt.ToolButtonStyle.ToolButtonIconOnly
            items.append(("button" if text_only and tb.text() else "icon", tb, tb.rect()))
    for tabs in top.findChildren(QTabBar):
        for i in range(tabs.count()):
            if tabs.isTabVisible(i):
                items.append(("tab", tabs, tabs.tabRect(i)))
    for sb in top.findChildren(QScrollBar):
        items.append(("scrollbar", sb, sb.rect()))

    boxes: list[Box] = []
    for cls, w, rect in items:
        if rect.isEmpty():
            continue
        found = _visible_rect(w, rect, top)
        if found is None:
            continue
        full, clip = found
        if clip.isEmpty():
            continue
        fx0, fy0, fx1, fy1 = _to_pixels(full, scale)
        x0, y0, x1, y1 = _to_pixels(clip, scale)
        x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, width), min(y1, height)
        if x1 - x0 < 4 or y1 - y0 < 4:
            continue
        if (x1 - x0) * (y1 - y0) * 2 < (fx1 - fx0) * (fy1 - fy0):
            continue
        boxes.append(Box(cls, x0, y0, x1, y1, _widget_name(w)))
    boxes.sort(key=lambda b: (b.y0, b.x0, b.cls, b.x1, b.y1))
    return boxes


def _widget_name(w: QWidget) -> str:
    name = w.metaObject().className()
    if isinstance(w, QToolButton) and w.toolButtonStyle() != Qt.ToolButtonStyle.ToolButtonIconOnly:
        return f"{name}.text"
    return name


def _to_pixels(r: QRect, scale: float) -> tuple[int, int, int, int]:
    x, y = r.x(), r.y()
    return (
        math.floor(x * scale + 0.5),
        math.floor(y * scale + 0.5),
        math.floor((x + r.width()) * scale + 0.5),
        math.floor((y + r.height()) * scale + 0.5),
    )


def _apply_style(root: QWidget, style: QStyle) -> None:
    for w in [root, *root.findChildren(QWidget)]:
        w.setStyle(style)


def _propagate(w: QWidget, palette: QPalette, font: QFont) -> None:
    """Hand palette and font down explicitly: under a stylesheet Qt stops inheriting them."""
    if w.testAttribute(Qt.WidgetAttribute.WA_SetPalette):
        palette = w.palette()
    else:
        w.setPalette(palette)
    if w.testAttribute(Qt.WidgetAttribute.WA_SetFont):
        font = w.font()
    else:
        w.setFont(font)
    for child in w.children():
        if isinstance(child, QWidget):
            _propagate(child, palette, font)


def _settle() -> None:
    QApplication.processEvents()
    QApplication.sendPostedEvents()
    QApplication.processEvents()


def _destroy(w: QWidget) -> None:
    if shiboken6.isValid(w):
        w.hide()
        shiboken6.delete(w)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _to_array(img: QImage) -> np.ndarray:
    rgb = img.convertToFormat(QImage.Format.Format_RGB888)
    h, w, bpl = rgb.height(), rgb.width(), rgb.bytesPerLine()
    data = np.frombuffer(rgb.constBits(), np.uint8, count=h * bpl).reshape(h, bpl)
    return data[:, : w * 3].reshape(h, w, 3).copy()  # copy: ``rgb`` owns the bytes


def _check_split(split: str) -> None:
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: expected one of {', '.join(SPLITS)}")


def render_screen(seed: int, split: str = "train", plain: bool = False) -> Screen:
    """Render one random screen; the same ``(seed, split, plain)`` always gives the same
    result. ``plain``: the style's default palette and no stylesheet (see ``_Builder``)."""
    _check_split(split)
    if not isinstance(seed, int):
        raise TypeError(f"seed must be an int, not {type(seed).__name__}")
    app = _ensure_app()
    b = _Builder(seed, split, plain)
    rng = b.rng
    decorated = rng.random() < 0.45
    tw, th = 4 * rng.randint(MIN_W // 4, MAX_W // 4), 4 * rng.randint(MIN_H // 4, 860 // 4)
    desk_a = _hsv(rng.uniform(0, 360), rng.uniform(0.1, 0.6), rng.uniform(0.2, 0.8))
    desk_b = _hsv(rng.uniform(0, 360), rng.uniform(0.1, 0.6), rng.uniform(0.2, 0.8))
    desk_vertical = rng.random() < 0.5
    own_style = _Qt.owned and b.style_name == "fusion"
    title = rng.choice(_HEADINGS)

    first = 3 if tw * th > 500_000 else 2
    for budget in range(first, -1, -1):
        b.budget = budget
        b.marks, b.impls = [], set()
        desktop = _Desktop(desk_a, desk_b, desk_vertical)
        desktop.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        desktop.resize(MAX_W, MAX_H)
        frame = QFrame(desktop)
        frame.setAutoFillBackground(True)
        frame.setPalette(b.theme.palette)
        frame.setFont(b.font)
        outer = QVBoxLayout(frame)
        outer.setSpacing(0)
        if decorated:
            outer.setContentsMargins(1, 1, 1, 1)
            frame.setFrameShape(QFrame.Shape.Box)
            outer.addWidget(b.title_bar(title))
        else:
            outer.setContentsMargins(0, 0, 0, 0)
        window = b.window()
        window.setAutoFillBackground(True)
        outer.addWidget(window, 1)
        if b.sheet:
            _propagate(window, b.theme.palette, b.font)
            window.setStyleSheet(b.sheet)
        if not own_style:
            # A fresh style object per screen: PySide ties a style set on widgets to them.
            style = QStyleFactory.create("Windows" if b.style_name == "windows" else "Fusion")
            _apply_style(frame, style)
        desktop.show()
        _settle()
        need, hint = frame.minimumSizeHint(), frame.sizeHint()
        margin = 2 * 8 if decorated else 0
        if (need.width() + margin <= MAX_W and need.height() + margin <= MAX_H) or budget == 0:
            break
        _destroy(desktop)

    try:
        if decorated:
            tw -= rng.randint(16, tw // 4)
            th -= rng.randint(16, th // 4)
        # Prefer the preferred size (nothing squeezed), at least the minimum, at most the desktop.
        # Windows are usually not much larger than their content: shrink towards the hint.
        if tw > hint.width():
            tw = hint.width() + round((tw - hint.width()) * rng.random() ** 1.5)
        if th > hint.height():
            th = hint.height() + round((th - hint.height()) * rng.random() ** 1.5)
        fw = max(min(max(tw, hint.width(), MIN_W), MAX_W - margin), need.width())
        fh = max(min(max(th, hint.height(), MIN_H), MAX_H - margin), need.height())
        fw, fh = min(fw, MAX_W - margin), min(fh, MAX_H - margin)
        if decorated:
            W = max(tw + rng.randint(16, 160), fw + margin)
            H = max(th + rng.randint(16, 120), fh + margin)
            W, H = min(W, MAX_W), min(H, MAX_H)
            x, y = rng.randint(8, W - fw - 8), rng.randint(8, H - fh - 8)
        else:
            W, H, x, y = fw, fh, 0, 0
        frame.setGeometry(x, y, fw, fh)
        desktop.region = QSize(W, H)
        _settle()
        scale = b.scale
        img = QImage(round(W * scale), round(H * scale), QImage.Format.Format_RGB32)
        img.setDevicePixelRatio(scale)
        img.fill(QColor(0, 0, 0))
        desktop.render(img, QPoint(0, 0), QRegion(0, 0, W, H))
        boxes = _collect(desktop, b.marks, scale, img.width(), img.height())
        image = _to_array(img)
    finally:
        _destroy(desktop)
    del app
    meta: dict[str, Any] = {
        "split": split,
        "seed": seed,
        "plain": plain,
        "theme": b.theme.name,
        "accent_hue": None if b.theme.hue is None else round(b.theme.hue, 1),
        "dark": b.theme.dark,
        "style": b.style_name,
        "stylesheet": b.sheet_family,
        "scale": scale,
        "font": b.family,
        "font_size": b.points,
        "layout": b.layout_name,
        "icons": split,
        "impls": sorted(b.impls),
        "window": [x, y, fw, fh],
        "title_bar": decorated,
        "size": [W, H],
    }
    return Screen(image, boxes, meta)


# ---------------------------------------------------------------------------------------------
# Data sets on disk
# ---------------------------------------------------------------------------------------------
