"""Qt side of the generator: the application, split constants, fonts, icons, palettes and
stylesheets. Never import cv2 here: opencv-python points QT_QPA_PLATFORM_PLUGIN_PATH at its
own Qt plugins."""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from PySide6.QtCore import (
    QByteArray,
    QPointF,
    QRectF,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QIcon,
    QImage,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyleFactory,
)

from gui_agent.data import data_path
from gui_agent.qt_environment import pin_qt_environment

SCALES = (1.0, 1.25, 1.5)
ICON_DIR = data_path("icons")

TRAIN_LAYOUTS = ("form", "grid", "stack", "settings")
HELDOUT_LAYOUTS = ("toolbar", "dialog", "splitter", "wizard")
TRAIN_THEMES = ("fusion_light", "fusion_dark", "custom_light", "custom_dark")
HELDOUT_THEMES = (
    "custom_light_alt",
    "custom_dark_alt",
    "sepia",
    "lowcontrast_dark",
    "saturated",
    "high_contrast",
)
TRAIN_SHEETS = ("none", "rounded", "flat", "outlined", "pill", "material")
HELDOUT_SHEETS = ("pill", "material")  # the held-out set draws these more often
# Meta values that only the heldout split ever produces (``impls`` is a list in the meta).
HELDOUT_ONLY: dict[str, frozenset[str]] = {
    "theme": frozenset(HELDOUT_THEMES),
    "layout": frozenset(HELDOUT_LAYOUTS),
    "icons": frozenset({"heldout"}),
    "impls": frozenset(
        {
            "QCommandLinkButton",
            "QToolButton.text",
            "QDoubleSpinBox",
            "QDateEdit",
            "QTimeEdit",
            "QFontComboBox",
            "switch.material",
            "switch.square",
        }
    ),
}
# Accent hues (degrees) of the custom palettes: train [0, 180), heldout [180, 360).
TRAIN_HUES = (0.0, 180.0)
HELDOUT_HUES = (180.0, 360.0)

# The largest "desktop" (logical px); the frame is enlarged to its minimum size up to this.
MAX_W, MAX_H = 1200, 880
MIN_W, MIN_H = 480, 360

# Standard pixmaps, split in two disjoint sets. The fixture app's toolbar icons are in train.
_SP_TRAIN = (
    "SP_FileIcon",
    "SP_DialogOpenButton",
    "SP_DialogSaveButton",
    "SP_DialogCloseButton",
    "SP_FileDialogDetailedView",
    "SP_DialogOkButton",
    "SP_TrashIcon",
    "SP_BrowserReload",
    "SP_ArrowBack",
    "SP_ArrowForward",
    "SP_ArrowUp",
    "SP_DialogApplyButton",
    "SP_DialogHelpButton",
    "SP_DirIcon",
    "SP_DirHomeIcon",
    "SP_DriveHDIcon",
    "SP_ComputerIcon",
    "SP_FileDialogNewFolder",
    "SP_FileDialogListView",
    "SP_FileDialogToParent",
    "SP_MediaPlay",
    "SP_MediaPause",
    "SP_MediaStop",
    "SP_MediaVolume",
    "SP_MessageBoxInformation",
    "SP_MessageBoxWarning",
    "SP_DialogResetButton",
    "SP_FileLinkIcon",
    "SP_MediaSeekForward",
)
_SP_HELDOUT = (
    "SP_ArrowDown",
    "SP_ArrowLeft",
    "SP_ArrowRight",
    "SP_BrowserStop",
    "SP_DesktopIcon",
    "SP_DialogCancelButton",
    "SP_DialogDiscardButton",
    "SP_DialogNoButton",
    "SP_DialogYesButton",
    "SP_DirClosedIcon",
    "SP_DirLinkIcon",
    "SP_DirOpenIcon",
    "SP_DockWidgetCloseButton",
    "SP_DriveCDIcon",
    "SP_DriveDVDIcon",
    "SP_DriveFDIcon",
    "SP_DriveNetIcon",
    "SP_FileDialogBack",
    "SP_FileDialogContentsView",
    "SP_FileDialogEnd",
    "SP_FileDialogInfoView",
    "SP_FileDialogStart",
    "SP_MediaSeekBackward",
    "SP_MediaSkipBackward",
    "SP_MediaSkipForward",
    "SP_MediaVolumeMuted",
    "SP_MessageBoxCritical",
    "SP_MessageBoxQuestion",
    "SP_TabCloseButton",
)
# Black glyphs: nearly invisible on dark themes, so they are rarer there.
_SP_BLACK = frozenset(
    {
        "SP_ArrowBack",
        "SP_ArrowDown",
        "SP_ArrowForward",
        "SP_ArrowLeft",
        "SP_ArrowRight",
        "SP_ArrowUp",
        "SP_DialogCloseButton",
        "SP_FileDialogBack",
        "SP_FileDialogDetailedView",
        "SP_FileDialogListView",
        "SP_FileDialogToParent",
        "SP_MediaPause",
        "SP_MediaPlay",
        "SP_MediaSeekBackward",
        "SP_MediaSeekForward",
        "SP_MediaSkipBackward",
        "SP_MediaSkipForward",
        "SP_MediaStop",
        "SP_MediaVolume",
        "SP_MediaVolumeMuted",
    }
)
_TITLE_GLYPHS = ("min", "max", "close")

_T = TypeVar("_T")

# Qt application, styles, fonts, icons
# ---------------------------------------------------------------------------------------------


class _Qt:
    """Per-process Qt state: the application, our style objects and caches."""

    app: QApplication | None = None
    owned = False
    styles: ClassVar[dict[str, QStyle]] = {}
    families: ClassVar[list[str]] = []
    svgs: ClassVar[dict[str, str]] = {}
    icon_cache: ClassVar[dict[tuple[Any, ...], QIcon]] = {}


def _ensure_app() -> QApplication:
    """Reuse the running QApplication, or start our own on the offscreen platform."""
    existing = QApplication.instance()
    if _Qt.app is not None and existing is _Qt.app:
        return _Qt.app
    if existing is None:
        pin_qt_environment(os.environ, "offscreen")
        app = QApplication(["gui-agent-synth"])
        app.setStyle("Fusion")
        _Qt.owned = True
    elif isinstance(existing, QApplication):
        app = existing
    else:
        raise RuntimeError(
            "synth needs a QApplication, but a QCoreApplication/QGuiApplication runs"
        )
    for key, name in (("fusion", "Fusion"), ("windows", "Windows")):
        style = QStyleFactory.create(name)
        if style is None:
            raise RuntimeError(f"Qt style {name!r} is not available")
        _Qt.styles[key] = style
    skip = ("math", "symbol", "emoji", "dingbat", "webdings", "wingdings")
    _Qt.families = sorted(
        f for f in QFontDatabase.families() if not any(s in f.lower() for s in skip)
    ) or [app.font().family()]
    _Qt.app = app
    return app


def _svg_names(split: str) -> list[str]:
    names = sorted(p.stem for p in ICON_DIR.glob("*.svg"))
    half = (len(names) + 1) // 2
    return names[:half] if split == "train" else names[half:]


def _svg_icon(name: str, color: QColor, px: int, scale: float) -> QIcon:
    key = ("svg", name, color.name(), px, scale)
    icon = _Qt.icon_cache.get(key)
    if icon is not None:
        return icon
    text = _Qt.svgs.get(name)
    if text is None:
        text = (ICON_DIR / f"{name}.svg").read_text(encoding="utf-8")
        _Qt.svgs[name] = text
    renderer = QSvgRenderer(QByteArray(text.replace("currentColor", color.name()).encode()))
    size = max(1, round(px * scale))
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    pixmap = QPixmap.fromImage(image)
    pixmap.setDevicePixelRatio(scale)
    icon = QIcon(pixmap)
    if len(_Qt.icon_cache) > 2000:
        _Qt.icon_cache.clear()
    _Qt.icon_cache[key] = icon
    return icon


def _title_icon(name: str, color: QColor, px: int, scale: float, width: float) -> QIcon:
    """Window title-bar glyphs (minimise, maximise, close) drawn in ``color``."""
    size = max(1, round(px * scale))
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(color, width * scale))
    m, e = size * 0.2, size * 0.8
    if name == "min":
        p.drawLine(QPointF(m, size * 0.7), QPointF(e, size * 0.7))
    elif name == "max":
        p.drawRect(QRectF(m, m, e - m, e - m))
    else:
        p.drawLine(QPointF(m, m), QPointF(e, e))
        p.drawLine(QPointF(e, m), QPointF(m, e))
    p.end()
    pixmap = QPixmap.fromImage(image)
    pixmap.setDevicePixelRatio(scale)
    return QIcon(pixmap)


def _hsv(h: float, s: float, v: float, a: float = 1.0) -> QColor:
    return QColor.fromHsvF((h % 360.0) / 360.0, min(max(s, 0.0), 1.0), min(max(v, 0.0), 1.0), a)


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


def _luma(c: QColor) -> float:
    return (0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue()) / 255.0


def _on(c: QColor) -> QColor:
    """Readable text colour on background ``c``."""
    return QColor(20, 20, 20) if _luma(c) > 0.55 else QColor(250, 250, 250)


# ---------------------------------------------------------------------------------------------
# Themes and stylesheets
# ---------------------------------------------------------------------------------------------


@dataclass
class _Theme:
    name: str
    hue: float | None
    window: QColor
    text: QColor
    base: QColor
    button: QColor
    accent: QColor
    placeholder: QColor
    dark: bool
    palette: QPalette

    @property
    def border(self) -> QColor:
        return _mix(self.window, self.text, 0.3)

    @property
    def accent_text(self) -> QColor:
        return _on(self.accent)


def _palette(
    window: QColor, text: QColor, base: QColor, button: QColor, accent: QColor, dark: bool
) -> QPalette:
    p = QPalette(button, window)
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    alt = _mix(base, text, 0.05)
    placeholder = _mix(base, text, 0.45)
    for r, c in (
        (role.Window, window),
        (role.WindowText, text),
        (role.Base, base),
        (role.AlternateBase, alt),
        (role.Text, text),
        (role.Button, button),
        (role.ButtonText, text),
        (role.BrightText, QColor(255, 80, 80)),
        (role.Highlight, accent),
        (role.HighlightedText, _on(accent)),
        (role.Link, accent),
        (role.ToolTipBase, _mix(base, text, 0.1)),
        (role.ToolTipText, text),
        (role.PlaceholderText, placeholder),
    ):
        p.setColor(r, c)
    disabled = _mix(window, text, 0.45)
    for r in (role.Text, role.WindowText, role.ButtonText):
        p.setColor(group.Disabled, r, disabled)
    if dark:
        p.setColor(role.Light, _mix(button, QColor(255, 255, 255), 0.15))
        p.setColor(role.Midlight, _mix(button, QColor(255, 255, 255), 0.07))
        p.setColor(role.Mid, _mix(button, QColor(0, 0, 0), 0.3))
        p.setColor(role.Dark, _mix(button, QColor(0, 0, 0), 0.5))
        p.setColor(role.Shadow, QColor(0, 0, 0))
    return p


def _wide_colours(
    tint: float, dark: bool, rng: random.Random
) -> tuple[QColor, QColor, QColor, QColor]:
    """Train-only window, base, button and text colours beyond the usual desktop greys:
    tinted windows, fields in the window's own colour, weaker text. Held-out check boxes
    were read as radios, and fields missed, mostly on palettes like these, where the
    indicator's or the frame's contrast is all that is left. The held-out families stay
    out of reach: ``saturated`` starts at 0.55 saturation, ``high_contrast`` is pure black
    or white, and their accents keep their own hues."""
    u = rng.uniform
    if dark:
        window = _hsv(tint, u(0, 0.4), u(0.06, 0.3))
        text = _hsv(tint, u(0, 0.15), u(0.6, 0.96))
    else:
        window = _hsv(tint, u(0.1, 0.5), u(0.6, 0.95))
        text = _on(window) if rng.random() < 0.5 else _hsv(tint, u(0, 0.4), u(0.05, 0.3))
    if rng.random() < 0.35:
        base = QColor(window)
    elif dark:
        base = _hsv(tint, u(0, 0.3), u(0.04, 0.35))
    else:
        base = _hsv(tint, u(0, 0.25), u(0.85, 1.0))
    button = _hsv(tint, window.saturationF() * u(0.5, 1.0), window.valueF() + u(-0.08, 0.08))
    return window, base, button, text


def _theme(name: str, rng: random.Random) -> _Theme:
    u = rng.uniform
    hue: float | None = None
    if name in ("fusion_light", "windows_light"):
        pal = _Qt.styles[name.split("_")[0]].standardPalette()
        return _Theme(
            name,
            None,
            pal.color(QPalette.ColorRole.Window),
            pal.color(QPalette.ColorRole.WindowText),
            pal.color(QPalette.ColorRole.Base),
            pal.color(QPalette.ColorRole.Button),
            pal.color(QPalette.ColorRole.Highlight),
            pal.color(QPalette.ColorRole.PlaceholderText),
            False,
            pal,
        )
    if name == "fusion_dark":  # the usual hand-made Fusion dark palette
        window, base, text = QColor(45, 45, 48), QColor(30, 30, 30), QColor(220, 220, 220)
        button, accent = QColor(58, 58, 62), QColor(42, 130, 218)
        dark = True
    elif name.startswith("custom"):
        lo, hi = HELDOUT_HUES if name.endswith("_alt") else TRAIN_HUES
        hue = u(lo, hi)
        tint = hue if rng.random() < 0.5 else u(0, 360)
        accent = _hsv(hue, u(0.45, 0.9), u(0.55, 0.88))
        dark = name.startswith("custom_dark")
        if not name.endswith("_alt") and rng.random() < 0.35:
            window, base, button, text = _wide_colours(tint, dark, rng)
        elif dark:
            window = _hsv(tint, u(0, 0.15), u(0.13, 0.25))
            base = _hsv(tint, u(0, 0.12), u(0.08, 0.3))
            button = _hsv(tint, u(0, 0.15), window.valueF() + u(0.02, 0.09))
            text = _hsv(tint, u(0, 0.08), u(0.82, 0.96))
        else:
            window = _hsv(tint, u(0, 0.08), u(0.9, 0.98))
            base = _hsv(tint, u(0, 0.03), u(0.97, 1.0))
            button = _hsv(tint, u(0, 0.08), window.valueF() + u(-0.03, 0.03))
            text = _hsv(tint, u(0, 0.2), u(0.05, 0.22))
    elif name == "sepia":
        window = _hsv(u(32, 45), u(0.15, 0.3), u(0.86, 0.94))
        base = _hsv(u(35, 45), u(0.08, 0.18), u(0.94, 0.99))
        button = _mix(window, QColor(120, 80, 40), u(0.05, 0.12))
        text = _hsv(u(20, 32), u(0.5, 0.75), u(0.22, 0.35))
        accent = _hsv(u(15, 35), u(0.55, 0.8), u(0.5, 0.7))
        dark = False
    elif name == "lowcontrast_dark":
        g = u(0.17, 0.24)
        window = _hsv(0, 0, g)
        base = _hsv(0, 0, g + u(-0.03, 0.04))
        button = _hsv(0, 0, g + u(0.03, 0.07))
        text = _hsv(0, 0, g + u(0.25, 0.35))
        accent = _hsv(u(0, 360), u(0.1, 0.3), g + u(0.2, 0.3))
        dark = True
    elif name == "saturated":
        h = u(0, 360)
        window = _hsv(h, u(0.55, 0.9), u(0.45, 0.85))
        base = _hsv(h, u(0.0, 0.25), u(0.92, 1.0)) if rng.random() < 0.7 else window.lighter(115)
        button = _hsv(h, window.saturationF() * 0.8, window.valueF() + u(-0.1, 0.1))
        text = _on(window)
        accent = _hsv(h + u(120, 240), u(0.6, 0.9), u(0.6, 0.9))
        dark = _luma(window) < 0.5
    elif name == "high_contrast":
        if rng.random() < 0.6:
            window, base, button, text = (QColor(0, 0, 0),) * 3 + (QColor(255, 255, 255),)
            accent = rng.choice((QColor(255, 255, 0), QColor(0, 255, 255), QColor(26, 235, 255)))
            dark = True
        else:
            window, base, button, text = (QColor(255, 255, 255),) * 3 + (QColor(0, 0, 0),)
            accent = rng.choice((QColor(0, 0, 160), QColor(96, 0, 96), QColor(0, 0, 0)))
            dark = False
    else:
        raise ValueError(f"unknown theme {name!r}")
    pal = _palette(window, text, base, button, accent, dark)
    return _Theme(
        name,
        hue,
        window,
        text,
        base,
        button,
        accent,
        pal.color(QPalette.ColorRole.PlaceholderText),
        dark,
        pal,
    )


def _stylesheet(family: str, t: _Theme, rng: random.Random, font_px: int) -> str:
    """A stylesheet of ``family`` in the theme's colours ('' for plain Fusion)."""
    if family == "none":
        return ""
    r = rng.choice((2, 3, 4, 5, 6, 8))
    px, py = rng.randint(8, 18), rng.randint(3, 7)
    win, text, base, btn = t.window.name(), t.text.name(), t.base.name(), t.button.name()
    acc, acc_t, border = t.accent.name(), t.accent_text.name(), t.border.name()
    hover = _mix(t.button, t.text, 0.08).name()
    dis = _mix(t.window, t.text, 0.45).name()
    tabs = ""
    if rng.random() < 0.5:
        tabs = (
            f"QTabBar::tab {{ background: {hover}; color: {text}; border: 1px solid {border};"
            f" padding: {py}px {px}px; margin-right: {rng.randint(0, 3)}px;"
            f" border-top-left-radius: {r}px; border-top-right-radius: {r}px; }}"
            f" QTabBar::tab:selected {{ background: {win}; border-bottom-color: {win}; }}"
        )
    if family == "rounded":
        return (
            f"QPushButton {{ background-color: {btn}; color: {text}; border: 1px solid {border};"
            f" border-radius: {r}px; padding: {py}px {px}px; }}"
            f" QPushButton:default {{ background-color: {acc}; color: {acc_t};"
            f" border-color: {acc}; }}"
            f" QPushButton:disabled {{ color: {dis}; }}"
            f" QLineEdit, QSpinBox, QComboBox {{ background: {base}; color: {text};"
            f" border: 1px solid {border}; border-radius: {r}px; padding: 3px 5px; }}"
            f" QGroupBox {{ border: 1px solid {border}; border-radius: {r}px;"
            f" margin-top: 1.3em; padding-top: 4px; }}"
            f" QGroupBox::title {{ subcontrol-origin: margin; left: 8px; padding: 0 3px; }}" + tabs
        )
    if family == "flat":
        fill = _mix(t.button, t.text, rng.uniform(0.06, 0.14)).name()
        return (
            f"QPushButton {{ background-color: {fill}; color: {text}; border: none;"
            f" border-radius: {r}px; padding: {py + 1}px {px}px; }}"
            f" QPushButton:default {{ background-color: {acc}; color: {acc_t}; }}"
            f" QPushButton:disabled {{ color: {dis}; }}"
            f" QToolButton {{ border: none; border-radius: {r}px; padding: 3px; }}"
            f" QLineEdit, QSpinBox {{ background: {base}; color: {text};"
            f" border: 1px solid {border}; border-radius: {r}px; padding: 4px 6px; }}" + tabs
        )
    if family == "outlined":
        return (
            f"QPushButton {{ background: transparent; color: {acc}; border: 1px solid {acc};"
            f" border-radius: {r}px; padding: {py}px {px}px; }}"
            f" QPushButton:default {{ background: {acc}; color: {acc_t}; }}"
            f" QPushButton:disabled {{ color: {dis}; border-color: {dis}; }}"
            f" QLineEdit {{ background: {base}; color: {text}; border: 1px solid {border};"
            f" border-radius: {r}px; padding: 3px 5px; }}" + tabs
        )
    if family == "pill":
        bw = rng.randint(2, 3)
        h = font_px + 2 * py + 2 * bw + 4
        return (
            f"QPushButton {{ background-color: {btn}; color: {text}; border: {bw}px solid {acc};"
            f" border-radius: {h // 2}px; padding: {py}px {px + 6}px; font-weight: bold;"
            f" min-height: {h - 2 * py - 2 * bw}px; }}"
            f" QPushButton:default {{ background-color: {acc}; color: {acc_t}; }}"
            f" QLineEdit, QComboBox, QSpinBox, QAbstractSpinBox {{ background: {base};"
            f" color: {text}; border: {bw}px solid {border}; border-radius: {h // 2}px;"
            f" padding: 3px {h // 3}px; }}" + tabs
        )
    if family == "material":
        return (
            f"QLineEdit, QAbstractSpinBox, QComboBox {{ background: transparent; color: {text};"
            f" border: none; border-bottom: 2px solid {acc}; border-radius: 0;"
            f" padding: 4px 2px; }}"
            f" QPushButton {{ background: transparent; color: {acc}; border: none;"
            f" padding: {py + 2}px {px}px; font-weight: bold; }}"
            f" QPushButton:default {{ background: {acc}; color: {acc_t}; border-radius: 3px; }}"
            f" QTabBar::tab {{ background: transparent; color: {text}; border: none;"
            f" padding: {py + 3}px {px}px; }}"
            f" QTabBar::tab:selected {{ color: {acc}; border-bottom: 2px solid {acc}; }}"
        )
    raise ValueError(f"unknown stylesheet family {family!r}")
