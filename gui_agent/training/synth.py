"""Synthetic training screens for the UI-element detector: real Qt widgets, exact boxes.

Every screen is a tree of real PySide6 widgets (buttons, fields, check boxes, lists, tabs ...)
laid out by Qt, rendered offscreen into a QImage at a device-pixel ratio of 1.0, 1.25 or 1.5.
The ground truth comes from the widgets' own geometry after layout, never from hand labels.

Two disjoint splits measure generalisation honestly: ``train`` and ``heldout`` differ in
palettes (themes and accent hues), widget implementations, icon sets and window layouts (see
``HELDOUT_ONLY``). Styles (Fusion, Windows), stylesheet families and font sizes are shared:
real desktops mix them freely, and a detector that has never seen a rounded button is not
what the held-out set should measure. Everything is drawn from ``random.Random(seed)``, so
``(seed, split)`` always gives the same image and boxes.

    python -m gui_agent.training.synth --out DIR --count N --seed S [--split heldout]

Never import cv2 here: opencv-python points QT_QPA_PLATFORM_PLUGIN_PATH at its own Qt plugins.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import multiprocessing
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import numpy as np
import shiboken6
from PIL import Image
from PySide6.QtCore import (
    QByteArray,
    QDate,
    QEvent,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTime,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QIcon,
    QImage,
    QLinearGradient,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QRadialGradient,
    QRegion,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QBoxLayout,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCommandLinkButton,
    QDateEdit,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFontComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QScrollBar,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QSplitter,
    QStyle,
    QStyleFactory,
    QTabBar,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextEdit,
    QTimeEdit,
    QToolBar,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui_agent.data import data_path
from gui_agent.qt_environment import pin_qt_environment

CLASSES = (
    "button",
    "icon",
    "field",
    "checkbox",
    "radio",
    "toggle",
    "slider",
    "combo",
    "tab",
    "scrollbar",
)
SPLITS = ("train", "heldout")
GENERATOR_VERSION = 8
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
# Text pools
# ---------------------------------------------------------------------------------------------

_BUTTONS = (
    "OK", "Cancel", "Apply", "Save", "Close", "Delete", "Add", "Remove", "Edit", "Browse...",
    "Open", "Export", "Import", "Reset", "Help", "Submit", "Sign in", "Log out", "Connect",
    "Refresh", "Run", "Stop", "Start", "Next", "Back", "Finish", "Continue", "Retry", "Send",
    "Upload", "Download", "Print", "Preview", "Search", "Clear", "Copy", "Paste", "New",
    "Settings...", "Details", "Install", "Update", "Create account", "Save changes",
    "Discard", "Select all", "Load", "Test connection", "Add item", "Choose file...",
    "Restore defaults", "Generate", "Yes", "No", "Skip", "Done", "Share", "Rename",
)  # fmt: skip
_FIELD_LABELS = (
    "Name", "First name", "Last name", "Email", "Password", "Phone", "City", "Country",
    "Address", "Zip code", "Company", "Username", "Server", "Port", "Host", "Path",
    "Folder", "Title", "Description", "Tags", "Amount", "Quantity", "Price", "Width",
    "Height", "Timeout", "Retries", "Language", "Time zone", "Website", "Department",
    "Project", "Version", "Author", "Subject", "Proxy", "Database", "Output file",
    "Search", "Filter", "Label", "Category", "Priority", "Status", "Owner", "Date",
)  # fmt: skip
_CHECKS = (
    "Remember me", "Enable notifications", "Show hidden files", "Start at login",
    "Use proxy", "Auto-save every 5 minutes", "Send anonymous usage data",
    "Check for updates", "Word wrap", "Show line numbers", "Accept terms",
    "Subscribe to newsletter", "Open in new window", "Case sensitive", "Whole words only",
    "Include subfolders", "Keep original", "Overwrite existing files", "Compress output",
    "Show toolbar", "Show status bar", "Enable logging", "Use dark mode", "Sync over Wi-Fi",
    "Play sounds", "Confirm before deleting", "Read only", "Bold", "Italic", "Visible",
)  # fmt: skip
_RADIOS = (
    ("Basic", "Pro", "Enterprise"), ("Small", "Medium", "Large", "Extra large"),
    ("Daily", "Weekly", "Monthly"), ("Light", "Dark", "System"), ("Left", "Center", "Right"),
    ("PNG", "JPEG", "PDF", "SVG"), ("Portrait", "Landscape"), ("Fast", "Balanced", "Best"),
    ("Never", "Ask", "Always"), ("Ascending", "Descending"), ("All pages", "Current page"),
    ("Automatic", "Manual"), ("Yes", "No"), ("TCP", "UDP"), ("Low", "Normal", "High"),
)  # fmt: skip
_TABS = (
    "General", "Advanced", "Display", "Network", "Security", "About", "Details", "Preview",
    "History", "Output", "Console", "Files", "Options", "Account", "Privacy", "Sharing",
    "Appearance", "Keyboard", "Audio", "Video", "Layout", "Summary", "Logs", "Properties",
)  # fmt: skip
_HEADINGS = (
    "Account details", "Settings", "Preferences", "New project", "Connection", "Profile",
    "Export options", "Print", "Sign in", "Create an account", "Billing", "Notifications",
    "Network settings", "Appearance", "Search", "Filters", "Properties", "Overview",
    "Welcome", "Import data", "Backup", "Security", "Users", "Storage", "Shortcuts",
)  # fmt: skip
_MENUS = (
    "File", "Edit", "View", "Insert", "Format", "Tools", "Window", "Help", "Project", "Run",
    "Selection", "Go", "Image", "Layer", "Options", "Bookmarks", "History", "Build",
)  # fmt: skip
_WORDS = (
    "the", "file", "settings", "will", "be", "saved", "to", "your", "account", "when", "you",
    "click", "and", "changes", "are", "applied", "after", "restart", "this", "option",
    "controls", "how", "data", "is", "synced", "between", "devices", "select", "a", "folder",
    "for", "backups", "new", "items", "appear", "in", "list", "below", "use", "search",
    "field", "filter", "results", "by", "name", "or", "date", "project", "report", "server",
    "connection", "may", "take", "few", "minutes", "please", "wait", "while", "we", "check",
    "for", "updates", "all", "of", "documents", "shared", "with", "team", "can", "edit",
    "only", "owner", "delete", "them", "network", "proxy", "not", "required", "most", "users",
)  # fmt: skip
_NAMES = (
    "Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy",
    "Mallory", "Niaj", "Olivia", "Peggy", "Rupert", "Sybil", "Trent", "Victor", "Walter",
)  # fmt: skip
_SURNAMES = ("Smith", "Jones", "Garcia", "Müller", "Rossi", "Tanaka", "Dubois", "Novak", "Silva")
_COMBO_ITEMS = (
    ("Australia", "Brazil", "Canada", "France", "Germany", "India", "Japan", "United States"),
    ("English", "Deutsch", "Français", "Español", "Italiano", "Nederlands", "Português"),
    ("Small", "Medium", "Large"), ("UTF-8", "UTF-16", "ISO-8859-1", "ASCII"),
    ("Low", "Normal", "High", "Urgent"), ("Today", "Yesterday", "Last 7 days", "Last month"),
    ("100%", "75%", "50%", "150%", "200%"), ("Open", "In progress", "Closed", "Blocked"),
    ("Default", "Compact", "Comfortable"), ("A4", "Letter", "Legal", "A3"),
    ("All files (*)", "Images (*.png *.jpg)", "Text files (*.txt)"),
)  # fmt: skip
_PLACEHOLDERS = (
    "Search...", "Enter name", "you@example.com", "Optional", "Type here", "Filter",
    "https://", "0.00", "Required", "Search files", "Find in page",
)  # fmt: skip


def _words(rng: random.Random, lo: int, hi: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(lo, hi)))


def _sentence(rng: random.Random, lo: int = 5, hi: int = 14) -> str:
    text = _words(rng, lo, hi)
    return text[:1].upper() + text[1:] + "."


def _paragraph(rng: random.Random, lo: int = 1, hi: int = 4) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(lo, hi)))


def _value_for(rng: random.Random, label: str) -> str:
    low = label.lower()
    first, last = rng.choice(_NAMES), rng.choice(_SURNAMES)
    if "email" in low:
        return f"{first.lower()}.{last.lower()}@example.com"
    if "name" in low or low in ("owner", "author"):
        return first if "first" in low else f"{first} {last}"
    if low in ("port", "retries", "quantity", "timeout", "width", "height"):
        return str(rng.randint(1, 9999))
    if low in ("price", "amount"):
        return f"{rng.randint(1, 999)}.{rng.randint(0, 99):02d}"
    if low in ("server", "host", "proxy", "website"):
        return rng.choice(("example.com", "10.0.0.12", "db.internal", "https://example.org"))
    if low in ("path", "folder", "output file"):
        return rng.choice(("/home/user/Documents", "C:\\Users\\me\\out.csv", "~/projects/app"))
    if low == "phone":
        return f"+1 555 {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    return _words(rng, 1, 3).capitalize()


def _list_item(rng: random.Random, style: int, i: int) -> str:
    if style == 0:
        return f"Item {i + 1}"
    if style == 1:
        ext = rng.choice(("txt", "png", "pdf", "csv", "py", "docx", "zip"))
        return f"{_words(rng, 1, 2).replace(' ', '_')}_{rng.randint(1, 99)}.{ext}"
    if style == 2:
        return f"{rng.choice(_NAMES)} {rng.choice(_SURNAMES)}"
    return _words(rng, 2, 6).capitalize()


# ---------------------------------------------------------------------------------------------
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
    if name == "fusion_light":
        pal = _Qt.styles["fusion"].standardPalette()
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


# ---------------------------------------------------------------------------------------------
# Custom widgets
# ---------------------------------------------------------------------------------------------


class _Switch(QAbstractButton):
    """An on/off switch: Qt has none, apps draw their own (three looks)."""

    def __init__(
        self, look: str, size: QSize, on: QColor, off: QColor, knob: QColor, edge: QColor
    ) -> None:
        super().__init__()
        self._look, self._on, self._off, self._knob, self._edge = look, on, off, knob, edge
        self.setCheckable(True)
        self.setFixedSize(size)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return self.size()

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h, on = float(self.width()), float(self.height()), self.isChecked()
        track = self._on if on else self._off
        if not self.isEnabled():
            track = _mix(track, self.palette().color(QPalette.ColorRole.Window), 0.55)
        if self._look == "round":
            p.setPen(QPen(self._edge, 1) if not on else Qt.PenStyle.NoPen)
            p.setBrush(track)
            p.drawRoundedRect(QRectF(0.5, 0.5, w - 1, h - 1), (h - 1) / 2, (h - 1) / 2)
            m = max(2.0, round(h * 0.12))
            d = h - 2 * m
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(self._knob)
            p.drawEllipse(QRectF(w - m - d if on else m, m, d, d))
        elif self._look == "material":
            th = round(h * 0.58)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(_mix(track, QColor(255, 255, 255), 0.35) if on else track)
            p.drawRoundedRect(QRectF(h * 0.18, (h - th) / 2, w - h * 0.36, th), th / 2, th / 2)
            p.setPen(QPen(self._edge, 1))
            p.setBrush(self._on if on else self._knob)
            p.drawEllipse(QRectF(w - h + 0.5 if on else 0.5, 0.5, h - 1, h - 1))
        else:  # square
            p.setPen(QPen(self._edge, 1))
            p.setBrush(track)
            p.drawRoundedRect(QRectF(0.5, 0.5, w - 1, h - 1), 3, 3)
            m = max(2.0, round(h * 0.15))
            d = h - 2 * m
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(self._knob)
            p.drawRoundedRect(QRectF(w - m - d if on else m, m, d, d), 2, 2)
        p.end()


class _Desktop(QWidget):
    """The "desktop" behind the window: a gradient, painted over the rendered region."""

    def __init__(self, a: QColor, b: QColor, vertical: bool) -> None:
        super().__init__()
        self._a, self._b, self._vertical = a, b, vertical
        self.region = QSize(MAX_W, MAX_H)

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        w, h = self.region.width(), self.region.height()
        grad = QLinearGradient(0, 0, 0 if self._vertical else w, h)
        grad.setColorAt(0, self._a)
        grad.setColorAt(1, self._b)
        p.fillRect(self.rect(), grad)
        p.end()


# ---------------------------------------------------------------------------------------------
# The screen builder
# ---------------------------------------------------------------------------------------------

Mark = tuple[str, QWidget, Callable[[QWidget], QRect] | None]


def _tight_rect(w: QWidget) -> QRect:
    """Indicator + label of a check box / radio button, even if the layout stretched it."""
    hint, r = w.sizeHint(), w.rect()
    width, height = min(hint.width(), r.width()), min(hint.height(), r.height())
    x = 0 if w.layoutDirection() == Qt.LayoutDirection.LeftToRight else r.width() - width
    return QRect(x, (r.height() - height) // 2, width, height)


class _Builder:
    """Builds one random window of real widgets and remembers which ones to label."""

    def __init__(self, seed: int, split: str) -> None:
        self.seed, self.split = seed, split
        self.heldout = split == "heldout"
        self.rng = rng = random.Random(f"synth/{split}/{seed}")
        self.scale = rng.choice(SCALES)
        self.theme = _theme(rng.choice(HELDOUT_THEMES if self.heldout else TRAIN_THEMES), rng)
        sheets = (
            ("none", "rounded", "flat", "outlined", *HELDOUT_SHEETS, *HELDOUT_SHEETS)
            if self.heldout
            else (*TRAIN_SHEETS, "none")
        )
        self.sheet_family = rng.choice(sheets)
        self.style_name = "windows" if rng.random() < 0.15 else "fusion"
        self.family = rng.choice(_Qt.families)
        sizes = [8, 9, 9, 10, 10, 10, 11, 11, 12, 13, 14, 15, 16]
        self.points = rng.choice(sizes)
        self.font = QFont(self.family)
        self.font.setPointSize(self.points)
        self.font_px = round(self.points * 96 / 72)
        self.sheet = _stylesheet(self.sheet_family, self.theme, rng, self.font_px)
        self.layout_name = rng.choice(HELDOUT_LAYOUTS if self.heldout else TRAIN_LAYOUTS)
        self.sp_names = _SP_HELDOUT if self.heldout else _SP_TRAIN
        self.svg_names = _svg_names(split)
        self.marks: list[Mark] = []
        self.impls: set[str] = set()
        self.depth = 0
        self.budget = 3

    # -- small helpers ------------------------------------------------------------------------

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, seq: Sequence[_T]) -> _T:
        return self.rng.choice(seq)

    def weighted(self, options: Sequence[tuple[_T, float]]) -> _T:
        return self.rng.choices([o for o, _ in options], [w for _, w in options])[0]

    def mark(self, cls: str, w: QWidget, rect: Callable[[QWidget], QRect] | None = None) -> None:
        self.marks.append((cls, w, rect))

    def impl(self, name: str) -> None:
        self.impls.add(name)

    def icon(self, px: int = 16) -> QIcon:
        """A random icon of this split's set, coloured for the theme when it is an SVG."""
        names = self.svg_names
        use_svg = bool(names) and self.chance(0.65 if self.theme.dark else 0.45)
        if not use_svg:
            weights = [0.25 if self.theme.dark and n in _SP_BLACK else 1.0 for n in self.sp_names]
            name = self.rng.choices(self.sp_names, weights)[0]
            return _Qt.styles["fusion"].standardIcon(getattr(QStyle.StandardPixmap, name))
        color = self.weighted(
            (
                (self.theme.text, 0.65),
                (self.theme.accent, 0.2),
                (_mix(self.theme.text, self.theme.window, 0.35), 0.1),
                (_hsv(self.rng.uniform(0, 360), 0.7, 0.75), 0.05),
            )
        )
        return _svg_icon(self.pick(names), color, px, self.scale)

    def margins(self, lo: int = 4, hi: int = 16) -> tuple[int, int, int, int]:
        m = self.rng.randint(lo, hi)
        return (m, m, m, m)

    def heading(self, text: str | None = None, grow: int | None = None) -> QLabel:
        label = QLabel(text or self.pick(_HEADINGS))
        font = QFont(self.font)
        font.setBold(self.chance(0.85))
        font.setPointSize(self.points + (grow if grow is not None else self.rng.randint(1, 6)))
        label.setFont(font)
        return label

    def separator(self, vertical: bool = False) -> QFrame:
        line = QFrame()
        line.setFrameShape(QFrame.Shape.VLine if vertical else QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        return line

    def disable_maybe(self, w: QWidget, p: float = 0.07) -> None:
        if self.chance(p):
            w.setEnabled(False)

    def vbox(self, *children: QWidget | QLayout | None, spacing: int | None = None) -> QVBoxLayout:
        layout = QVBoxLayout()
        layout.setSpacing(self.rng.randint(4, 12) if spacing is None else spacing)
        for c in children:
            if isinstance(c, QWidget):
                layout.addWidget(c)
            elif isinstance(c, QLayout):
                layout.addLayout(c)
        return layout

    def wrap(self, layout: QLayout, margins: tuple[int, int, int, int] = (0, 0, 0, 0)) -> QWidget:
        w = QWidget()
        layout.setContentsMargins(*margins)
        w.setLayout(layout)
        return w

    # -- labelled widgets ---------------------------------------------------------------------

    def button(self, text: str | None = None, icon_p: float = 0.15) -> QAbstractButton:
        text = text or self.pick(_BUTTONS)
        if self.sheet_family == "material":
            text = text.upper()
        kind = "QPushButton"
        if self.heldout:
            kind = self.weighted((("QPushButton", 0.55), ("QToolButton.text", 0.45)))
        else:
            kind = self.weighted((("QPushButton", 0.72), ("QPushButton.flat", 0.28)))
        b: QAbstractButton
        if kind == "QPushButton.flat":
            b = self.flat_button(text)
        elif kind == "QToolButton.text":
            tb = QToolButton()
            tb.setText(text)
            if self.chance(0.7):
                tb.setIcon(self.icon())
                tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            else:
                tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            tb.setAutoRaise(self.chance(0.3))
            b = tb
        else:
            pb = QPushButton(text)
            if self.chance(icon_p):
                pb.setIcon(self.icon())
            if self.chance(0.4):
                pb.setMinimumWidth(self.rng.randint(72, 110))
            b = pb
        self.impl(kind)
        self.disable_maybe(b, 0.05)
        self.mark("button", b)
        return b

    def flat_button(self, text: str) -> QPushButton:
        """A frameless push button, often with an icon: what toolbars, link rows and ribbons
        show. Train-only stand-in for the held-out split's text tool buttons: the look is
        taught, the implementation stays unseen."""
        pb = QPushButton(text)
        pb.setFlat(True)
        if self.chance(0.65):
            pb.setIcon(self.icon(self.pick((16, 16, 20, 24))))
        if self.chance(0.3):
            pb.setStyleSheet(f"padding: {self.rng.randint(2, 6)}px {self.rng.randint(4, 10)}px;")
        return pb

    def card_button(self) -> QPushButton:
        """A large two-line button (title and description) with an arrow or icon, as option
        pages and launchers draw them. Train-only stand-in for QCommandLinkButton."""
        title = self.pick(_BUTTONS)
        pb = QPushButton(f"{title}\n{_sentence(self.rng, 3, 8)}")
        px = self.pick((16, 20, 24, 32))
        pb.setIcon(self.icon(px))
        pb.setIconSize(QSize(px, px))
        pb.setFlat(self.chance(0.55))
        if self.chance(0.6):
            pad = self.rng.randint(6, 14)
            pb.setStyleSheet(f"text-align: left; padding: {pad}px {pad + 4}px;")
        pb.setMinimumHeight(self.rng.randint(40, 64))
        self.impl("QPushButton.card")
        self.mark("button", pb)
        return pb

    def b_cards(self) -> QWidget:
        col = QVBoxLayout()
        col.setSpacing(self.rng.randint(2, 10))
        for _ in range(self.rng.randint(1, 3)):
            col.addWidget(self.card_button())
        return self.wrap(col)

    def command_link(self) -> QAbstractButton:
        b = QCommandLinkButton(self.pick(_BUTTONS), _sentence(self.rng, 3, 8))
        self.impl("QCommandLinkButton")
        self.mark("button", b)
        return b

    def icon_button(self, px: int | None = None) -> QAbstractButton:
        px = px or self.pick((16, 16, 16, 20, 22, 24, 24, 32))
        b: QAbstractButton
        if self.chance(0.7):
            tb = QToolButton()
            tb.setAutoRaise(self.chance(0.6))
            tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
            self.impl("QToolButton.icon")
            b = tb
        else:
            pb = QPushButton()
            if self.chance(0.5):
                side = px + self.rng.randint(8, 16)
                pb.setFixedSize(side, side)
            self.impl("QPushButton.icon")
            b = pb
        b.setIcon(self.icon(px))
        b.setIconSize(QSize(px, px))
        b.setToolTip(self.pick(_BUTTONS))
        self.disable_maybe(b, 0.04)
        self.mark("icon", b)
        return b

    def line_edit(self, label: str = "Name") -> QLineEdit:
        e = QLineEdit()
        mode = self.weighted((("empty", 0.25), ("placeholder", 0.35), ("text", 0.4)))
        if mode == "placeholder":
            e.setPlaceholderText(self.pick(_PLACEHOLDERS))
        elif mode == "text":
            e.setText(_value_for(self.rng, label))
            e.setCursorPosition(0)
        if "password" in label.lower() and mode == "text":
            e.setEchoMode(QLineEdit.EchoMode.Password)
        if self.chance(0.08):
            e.addAction(self.icon(16), QLineEdit.ActionPosition.LeadingPosition)
        if mode == "text" and self.chance(0.1):
            e.setClearButtonEnabled(True)
        if self.chance(0.05):
            e.setReadOnly(True)
        self.disable_maybe(e)
        self.impl("QLineEdit")
        self.mark("field", e)
        return e

    def spin(self) -> QAbstractSpinBox:
        kind = "QSpinBox"
        if self.heldout:
            kind = self.weighted(
                (
                    ("QSpinBox", 0.3),
                    ("QDoubleSpinBox", 0.25),
                    ("QDateEdit", 0.25),
                    ("QTimeEdit", 0.2),
                )
            )
        s: QAbstractSpinBox
        if kind == "QDoubleSpinBox":
            d = QDoubleSpinBox()
            d.setRange(0, 10000)
            d.setDecimals(self.rng.choice((1, 2, 3)))
            d.setValue(self.rng.uniform(0, 500))
            s = d
        elif kind == "QDateEdit":
            de = QDateEdit(QDate(self.rng.randint(1990, 2030), self.rng.randint(1, 12), 14))
            de.setCalendarPopup(self.chance(0.5))
            de.setDisplayFormat(self.pick(("yyyy-MM-dd", "dd/MM/yyyy", "MMM d, yyyy")))
            s = de
        elif kind == "QTimeEdit":
            s = QTimeEdit(QTime(self.rng.randint(0, 23), self.rng.randint(0, 59)))
        else:
            i = QSpinBox()
            i.setRange(0, 100000)
            i.setValue(self.rng.randint(0, 2000))
            if self.chance(0.3):
                i.setSuffix(self.pick((" px", " %", " ms", " s", " MB")))
            if not self.heldout:
                self.spin_variety(i)
            s = i
        if self.chance(0.06):
            s.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.PlusMinus)
        self.disable_maybe(s, 0.05)
        self.impl(kind)
        self.mark("field", s)
        return s

    def spin_variety(self, i: QSpinBox) -> None:
        """Train-only looks of a spin box: prefixes, wide values, text alignment, a width
        of its own. What tells a spin box from a combo is its stepper, not its text; the
        held-out date, time and decimal editors test that."""
        if self.chance(0.25):
            i.setPrefix(self.pick(("$ ", "# ", "x", "Page ", "Qty ")))
        if self.chance(0.2):
            i.setRange(-1_000_000, 10_000_000)
            i.setValue(self.rng.randint(-50_000, 9_000_000))
            i.setGroupSeparatorShown(self.chance(0.5))
        if self.chance(0.2):
            i.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if self.chance(0.3):
            i.setMinimumWidth(self.rng.randint(90, 260))

    def combo(self) -> QComboBox:
        c: QComboBox
        if self.heldout and self.chance(0.4):
            c = QFontComboBox()
            c.setCurrentFont(QFont(self.pick(_Qt.families)))
            self.impl("QFontComboBox")
        else:
            c = QComboBox()
            items = list(self.pick(_COMBO_ITEMS))
            c.addItems(items)
            c.setCurrentIndex(self.rng.randrange(len(items)))
            if self.chance(0.25):
                c.setEditable(True)
                if self.chance(0.3):
                    c.setEditText("")
                    edit = c.lineEdit()
                    if edit is not None:
                        edit.setPlaceholderText(self.pick(_PLACEHOLDERS))
                self.impl("QComboBox.editable")
            else:
                self.impl("QComboBox")
        self.disable_maybe(c, 0.05)
        self.mark("combo", c)
        return c

    def checkbox(self, text: str | None = None) -> QCheckBox:
        c = QCheckBox("" if self.chance(0.07) else (text or self.pick(_CHECKS)))
        c.setChecked(self.chance(0.45))
        if self.chance(0.03):
            c.setTristate(True)
            c.setCheckState(Qt.CheckState.PartiallyChecked)
        c.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.disable_maybe(c, 0.05)
        self.mark("checkbox", c, _tight_rect)
        return c

    def radio(self, text: str) -> QRadioButton:
        r = QRadioButton("" if self.chance(0.04) else text)
        r.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.disable_maybe(r, 0.04)
        self.mark("radio", r, _tight_rect)
        return r

    def toggle(self) -> _Switch:
        look = "round"
        if self.heldout:
            look = self.pick(("material", "square"))
        w = self.rng.randint(28, 52)
        h = max(14, min(round(w * self.rng.uniform(0.45, 0.6)), 30))
        t = self.theme
        on = t.accent if self.chance(0.8) else _hsv(self.rng.uniform(90, 150), 0.6, 0.75)
        off = _mix(t.window, t.text, self.rng.uniform(0.18, 0.4))
        knob = QColor(255, 255, 255) if self.chance(0.75) else _mix(t.base, t.window, 0.5)
        s = _Switch(look, QSize(w, h), on, off, knob, _mix(off, t.text, 0.2))
        s.setChecked(self.chance(0.5))
        self.disable_maybe(s, 0.05)
        self.impl(f"switch.{look}")
        self.mark("toggle", s)
        return s

    def slider(self, vertical: bool = False) -> QSlider:
        s = QSlider(Qt.Orientation.Vertical if vertical else Qt.Orientation.Horizontal)
        s.setRange(0, 100)
        s.setValue(self.rng.randint(0, 100))
        length = self.rng.randint(80, 220 if vertical else 300)
        if self.chance(0.25):
            s.setTickPosition(
                QSlider.TickPosition.TicksBelow
                if self.chance(0.7)
                else QSlider.TickPosition.TicksAbove
            )
            s.setTickInterval(self.pick((5, 10, 20, 25)))
        if vertical:
            s.setFixedHeight(length)
            s.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        else:
            s.setFixedWidth(length)
            s.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.disable_maybe(s, 0.05)
        self.impl("QSlider")
        self.mark("slider", s)
        return s

    def field(self, label: str) -> QWidget:
        """The input widget of one form row."""
        spin = 1.1 if self.heldout else 1.8  # train: more spin boxes, a quarter read as combos
        kind = self.weighted(
            (("line", 6.0), ("combo", 1.6), ("spin", spin), ("browse", 0.5), ("slider", 0.3))
        )
        if label.lower() in ("country", "language", "time zone", "priority", "status", "category"):
            kind = "combo" if self.chance(0.8) else kind
        if kind == "combo":
            return self.combo()
        if kind == "spin":
            return self.spin()
        if kind == "slider":
            return self.slider()
        edit = self.line_edit(label)
        if kind == "browse":
            row = QHBoxLayout()
            row.setSpacing(self.rng.randint(4, 8))
            row.addWidget(edit, 1)
            row.addWidget(
                self.icon_button(16) if self.chance(0.4) else self.button("Browse...", 0.0)
            )
            return self.wrap(row)
        return edit

    def plain_icon(self) -> QLabel:
        px = self.pick((16, 16, 24, 32, 48))
        label = QLabel()
        label.setPixmap(self.icon(px).pixmap(QSize(px, px), self.scale))
        label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        return label

    # -- blocks (each returns one widget) -----------------------------------------------------

    def b_form(self, rows: int | None = None) -> QWidget:
        w = QWidget()
        form = QFormLayout(w)
        form.setContentsMargins(*self.margins(0, 8))
        form.setHorizontalSpacing(self.rng.randint(6, 18))
        form.setVerticalSpacing(self.rng.randint(4, 12))
        align = Qt.AlignmentFlag.AlignRight if self.chance(0.35) else Qt.AlignmentFlag.AlignLeft
        form.setLabelAlignment(align | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(
            self.weighted(
                (
                    (QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow, 0.6),
                    (QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow, 0.2),
                    (QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint, 0.2),
                )
            )
        )
        n = rows or self.rng.randint(2, 3 + self.budget)
        colon = self.chance(0.4)
        for label in self.rng.sample(_FIELD_LABELS, n):
            kind = self.weighted(
                (("field", 0.84), ("check", 0.06), ("toggle", 0.06), ("none", 0.04))
            )
            text = label + (":" if colon else "")
            if kind == "check":
                form.addRow(text, self.checkbox())
            elif kind == "toggle":
                form.addRow(text, self.toggle())
            elif kind == "none":
                form.addRow(text, QLabel(_value_for(self.rng, label)))
            else:
                form.addRow(text, self.field(label))
        return w

    def b_checks(self) -> QWidget:
        horizontal = self.chance(0.25)
        layout: QVBoxLayout | QHBoxLayout = QHBoxLayout() if horizontal else QVBoxLayout()
        layout.setSpacing(self.rng.randint(4, 12) if not horizontal else self.rng.randint(12, 28))
        for text in self.rng.sample(_CHECKS, self.rng.randint(2, 3 if horizontal else 5)):
            layout.addWidget(self.checkbox(text), 0, Qt.AlignmentFlag.AlignLeft)
        if horizontal:
            layout.addStretch(1)
        return self.group(layout, p=0.45)

    def b_radios(self) -> QWidget:
        horizontal = self.chance(0.4)
        layout: QVBoxLayout | QHBoxLayout = QHBoxLayout() if horizontal else QVBoxLayout()
        layout.setSpacing(self.rng.randint(4, 10) if not horizontal else self.rng.randint(12, 28))
        group = QButtonGroup()
        options = self.pick(_RADIOS)
        checked = self.rng.randrange(len(options))
        for i, text in enumerate(options):
            r = self.radio(text)
            group.addButton(r)
            r.setChecked(i == checked)
            layout.addWidget(r, 0, Qt.AlignmentFlag.AlignLeft)
        if horizontal:
            layout.addStretch(1)
        w = self.group(layout, p=0.75)
        group.setParent(w)
        return w

    def group(self, layout: QLayout, p: float = 0.5, title: str | None = None) -> QWidget:
        if self.chance(p):
            box = QGroupBox(title or self.pick(_HEADINGS + _TABS))
            box.setLayout(layout)
            return box
        return self.wrap(layout, self.margins(0, 6))

    def b_toggles(self) -> QWidget:
        layout = QVBoxLayout()
        layout.setSpacing(self.rng.randint(6, 14))
        left = self.chance(0.3)
        for text in self.rng.sample(_CHECKS, self.rng.randint(1, 4)):
            row = QHBoxLayout()
            label = QLabel(text)
            if left:
                row.addWidget(self.toggle())
                row.addWidget(label)
                row.addStretch(1)
            else:
                row.addWidget(label)
                row.addStretch(1)
                row.addWidget(self.toggle())
            layout.addLayout(row)
            if self.chance(0.2):
                hint = QLabel(_sentence(self.rng, 4, 9))
                hint.setEnabled(False)
                layout.addWidget(hint)
        return self.group(layout, p=0.35)

    def b_sliders(self) -> QWidget:
        if self.chance(0.25):
            row = QHBoxLayout()
            row.setSpacing(self.rng.randint(8, 20))
            for i in range(self.rng.randint(3, 8)):
                col = QVBoxLayout()
                col.addWidget(self.slider(vertical=True), 0, Qt.AlignmentFlag.AlignHCenter)
                col.addWidget(
                    QLabel(self.pick(("60", "250", "1k", "4k", "16k", f"{i}"))),
                    0,
                    Qt.AlignmentFlag.AlignHCenter,
                )
                col.addStretch(1)
                row.addLayout(col)
            row.addStretch(1)
            return self.group(row, p=0.5)
        grid = QGridLayout()
        grid.setHorizontalSpacing(self.rng.randint(6, 14))
        for i in range(self.rng.randint(1, 3)):
            s = self.slider()
            grid.addWidget(
                QLabel(
                    self.pick(
                        (
                            "Volume",
                            "Brightness",
                            "Zoom",
                            "Opacity",
                            "Quality",
                            "Speed",
                            "Balance",
                            "Contrast",
                        )
                    )
                ),
                i,
                0,
            )
            grid.addWidget(s, i, 1)
            grid.addWidget(QLabel(f"{s.value()}%"), i, 2)
        grid.setColumnStretch(3, 1)
        return self.group(grid, p=0.4)

    def b_list(self) -> QWidget:
        lst = QListWidget()
        style = self.rng.randrange(4)
        icons = self.chance(0.3)
        for i in range(self.rng.choice((3, 5, 8, 12, 20, 40, 60, 80))):
            item = QListWidgetItem(_list_item(self.rng, style, i))
            if icons:
                item.setIcon(self.icon(24))
            lst.addItem(item)
        px = self.pick((16, 16, 16, 20, 24))
        lst.setIconSize(QSize(px, px))
        lst.setAlternatingRowColors(self.chance(0.2))
        if self.chance(0.5):
            lst.setCurrentRow(self.rng.randrange(min(lst.count(), 10)))
        self.impl("QListWidget")
        return self.titled(lst)

    def titled(self, w: QWidget) -> QWidget:
        if not self.chance(0.45):
            return w
        layout = QVBoxLayout()
        layout.setSpacing(self.rng.randint(3, 8))
        layout.addWidget(QLabel(self.pick((*_TABS, "Items", "Files", "Recent", "Results"))))
        layout.addWidget(w, 1)
        return self.wrap(layout)

    def b_tree(self) -> QWidget:
        tree = QTreeWidget()
        cols = self.rng.randint(1, 4)
        tree.setColumnCount(cols)
        tree.setHeaderLabels(
            self.rng.sample(["Name", "Size", "Type", "Modified", "Owner", "Status"], cols)
        )
        tree.setHeaderHidden(self.chance(0.2))
        style = self.rng.randrange(4)
        for i in range(self.rng.randint(2, 10)):
            top = QTreeWidgetItem(
                [_list_item(self.rng, style, i)]
                + [_value_for(self.rng, "size") for _ in range(cols - 1)]
            )
            for j in range(self.rng.randint(0, 5)):
                QTreeWidgetItem(top, [_list_item(self.rng, 1, j)] + ["" for _ in range(cols - 1)])
            tree.addTopLevelItem(top)
            top.setExpanded(self.chance(0.5))
        tree.setAlternatingRowColors(self.chance(0.3))
        return self.titled(tree)

    def b_table(self) -> QWidget:
        rows, cols = self.rng.choice((3, 6, 10, 20, 40)), self.rng.randint(2, 6)
        table = QTableWidget(rows, cols)
        headers = ["Name", "Email", "Date", "Amount", "Status", "City", "ID", "Size"]
        table.setHorizontalHeaderLabels(self.rng.sample(headers, cols))
        table.verticalHeader().setVisible(self.chance(0.5))
        for r in range(rows):
            for c in range(cols):
                table.setItem(
                    r, c, QTableWidgetItem(_value_for(self.rng, self.pick(_FIELD_LABELS)))
                )
        table.setAlternatingRowColors(self.chance(0.4))
        table.setShowGrid(self.chance(0.7))
        if self.chance(0.5):
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        return self.titled(table)

    def b_text(self) -> QWidget:
        edit: QPlainTextEdit | QTextEdit
        edit = QPlainTextEdit() if self.chance(0.6) else QTextEdit()
        lines = [_sentence(self.rng, 3, 16) for _ in range(self.rng.choice((0, 2, 5, 12, 30)))]
        if isinstance(edit, QPlainTextEdit) and self.chance(0.3):
            font = QFont("Monospace")
            font.setPointSize(self.points)
            edit.setFont(font)
            lines = [f"[{i:03d}] {line}" for i, line in enumerate(lines)]
        edit.setPlainText("\n".join(lines))
        if not lines:
            edit.setPlaceholderText(_sentence(self.rng, 2, 5))
        if self.chance(0.2):
            edit.setLineWrapMode(edit.LineWrapMode.NoWrap)  # type: ignore[arg-type]
        return self.titled(edit)

    def b_para(self) -> QWidget:
        layout = QVBoxLayout()
        layout.setSpacing(self.rng.randint(4, 10))
        if self.chance(0.7):
            layout.addWidget(self.heading())
        for _ in range(self.rng.randint(1, 2)):
            p = QLabel(_paragraph(self.rng, 1, 3))
            p.setWordWrap(True)
            if self.chance(0.15):
                p.setText(p.text() + ' <a href="#">Learn more</a>')
            layout.addWidget(p)
        return self.wrap(layout)

    def image(self, w: int, h: int) -> QPixmap:
        s = self.scale
        img = QImage(round(w * s), round(h * s), QImage.Format.Format_RGB32)
        kind = self.pick(("gradient", "blobs", "noise", "chart"))
        c1, c2 = _hsv(self.rng.uniform(0, 360), 0.5, 0.8), _hsv(self.rng.uniform(0, 360), 0.6, 0.5)
        if kind == "noise":
            gen = np.random.default_rng(self.rng.getrandbits(63))
            small = gen.integers(0, 256, (self.rng.randint(2, 8), self.rng.randint(2, 8), 3))
            arr = np.ascontiguousarray(small.astype(np.uint8))
            tiny = QImage(
                arr.data, arr.shape[1], arr.shape[0], arr.shape[1] * 3, QImage.Format.Format_RGB888
            ).copy()
            img = tiny.scaled(
                img.size(),
                Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            img = img.convertToFormat(QImage.Format.Format_RGB32)
        else:
            p = QPainter(img)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            grad = QLinearGradient(0, 0, img.width(), img.height())
            grad.setColorAt(0, c1)
            grad.setColorAt(1, c2)
            p.fillRect(img.rect(), grad)
            if kind == "blobs":
                for _ in range(self.rng.randint(2, 6)):
                    cx, cy = self.rng.uniform(0, img.width()), self.rng.uniform(0, img.height())
                    rad = self.rng.uniform(0.1, 0.5) * img.width()
                    rg = QRadialGradient(QPointF(cx, cy), rad)
                    col = _hsv(self.rng.uniform(0, 360), 0.6, 0.9)
                    rg.setColorAt(0, col)
                    col.setAlpha(0)
                    rg.setColorAt(1, col)
                    p.fillRect(img.rect(), rg)
            elif kind == "chart":
                p.fillRect(
                    img.rect(), QColor(250, 250, 250) if self.chance(0.6) else c2.darker(200)
                )
                n = self.rng.randint(4, 12)
                bw = img.width() / (n * 1.5)
                for i in range(n):
                    bh = self.rng.uniform(0.1, 0.9) * img.height()
                    p.fillRect(QRectF(bw * 0.5 + i * bw * 1.5, img.height() - bh, bw, bh), c1)
            p.end()
        pixmap = QPixmap.fromImage(img)
        pixmap.setDevicePixelRatio(s)
        return pixmap

    def b_image(self) -> QWidget:
        label = QLabel()
        w, h = self.rng.randint(60, 320), self.rng.randint(40, 200)
        label.setPixmap(self.image(w, h))
        label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        if not self.chance(0.4):
            return label
        layout = QVBoxLayout()
        layout.addWidget(label)
        layout.addWidget(QLabel(_words(self.rng, 2, 5).capitalize()))
        return self.wrap(layout)

    def b_progress(self) -> QWidget:
        layout = QVBoxLayout()
        for _ in range(self.rng.randint(1, 3)):
            row = QHBoxLayout()
            if self.chance(0.6):
                row.addWidget(QLabel(_words(self.rng, 1, 3).capitalize() + "..."))
            bar = QProgressBar()
            bar.setValue(self.rng.randint(0, 100))
            bar.setTextVisible(self.chance(0.7))
            row.addWidget(bar, 1)
            if self.chance(0.25):
                row.addWidget(self.button(self.pick(("Cancel", "Stop", "Pause"))))
            layout.addLayout(row)
        return self.group(layout, p=0.3)

    def b_buttons(self, texts: Sequence[str] | None = None, align: str | None = None) -> QWidget:
        row = QHBoxLayout()
        row.setSpacing(self.rng.randint(4, 12))
        align = align or self.weighted(
            (("right", 0.55), ("left", 0.3), ("center", 0.1), ("fill", 0.05))
        )
        if align in ("right", "center"):
            row.addStretch(1)
        names = list(texts or self.rng.sample(_BUTTONS, self.rng.randint(1, 4)))
        buttons = [self.button(t) for t in names]
        for b in buttons:
            row.addWidget(b)
        if buttons and isinstance(buttons[0], QPushButton) and self.chance(0.5):
            buttons[0].setDefault(True)
        if align in ("left", "center"):
            row.addStretch(1)
        return self.wrap(row)

    def b_icons(self) -> QWidget:
        row = QHBoxLayout()
        row.setSpacing(self.rng.randint(0, 8))
        px = self.pick((16, 16, 20, 24, 24, 32))
        for _ in range(self.rng.randint(2, 8)):
            if self.chance(0.12):
                row.addWidget(self.separator(vertical=True))
            row.addWidget(self.icon_button(px))
        if self.chance(0.3):
            row.addWidget(QLabel(_words(self.rng, 1, 3).capitalize()))
        row.addStretch(1)
        return self.wrap(row)

    def b_search(self) -> QWidget:
        row = QHBoxLayout()
        row.setSpacing(self.rng.randint(4, 10))
        if self.chance(0.4):
            row.addWidget(QLabel(self.pick(("Search:", "Filter:", "Find:", "Show:"))))
        row.addWidget(self.line_edit("Search"), 1)
        if self.chance(0.5):
            row.addWidget(self.combo())
        row.addWidget(self.icon_button(16) if self.chance(0.5) else self.button())
        return self.wrap(row)

    def b_panel(self) -> QWidget:
        frame = QFrame()
        frame.setAutoFillBackground(True)
        pal = QPalette(self.theme.palette)
        tint = _mix(self.theme.window, self.theme.accent, self.rng.uniform(0.08, 0.3))
        if self.chance(0.25):
            tint = _hsv(self.rng.uniform(0, 360), 0.35, 0.9 if not self.theme.dark else 0.3)
        pal.setColor(QPalette.ColorRole.Window, tint)
        pal.setColor(QPalette.ColorRole.WindowText, _on(tint))
        frame.setPalette(pal)
        if self.chance(0.5):
            frame.setFrameShape(QFrame.Shape.StyledPanel)
        row = QHBoxLayout(frame)
        row.setContentsMargins(*self.margins(8, 16))
        if self.chance(0.6):
            row.addWidget(self.plain_icon(), 0, Qt.AlignmentFlag.AlignTop)
        col = QVBoxLayout()
        col.addWidget(self.heading(grow=self.rng.randint(0, 3)))
        text = QLabel(_paragraph(self.rng, 1, 2))
        text.setWordWrap(True)
        col.addWidget(text)
        row.addLayout(col, 1)
        if self.chance(0.4):
            row.addWidget(self.button(), 0, Qt.AlignmentFlag.AlignBottom)
        return frame

    def b_tabs(self) -> QWidget:
        if self.depth >= 1:
            return self.b_form()
        tabs = QTabWidget()
        n = self.rng.randint(2, 5)
        names = self.rng.sample(_TABS, n)
        current = self.rng.randrange(n)
        icons = self.chance(0.15)
        tabs.setDocumentMode(self.chance(0.25))
        tabs.setUsesScrollButtons(False)
        if self.chance(0.1):
            tabs.setTabPosition(QTabWidget.TabPosition.South)
        for i, name in enumerate(names):
            if i == current:
                self.depth += 1
                page = self.page(self.rng.randint(1, 2))
                self.depth -= 1
            else:
                page = QWidget()
            if icons:
                tabs.addTab(page, self.icon(16), name)
            else:
                tabs.addTab(page, name)
        tabs.setCurrentIndex(current)
        self.impl("QTabWidget")
        return tabs

    def page(self, n: int) -> QWidget:
        layout = QVBoxLayout()
        layout.setSpacing(self.rng.randint(6, 14))
        for _ in range(n):
            layout.addWidget(self.block())
        if self.chance(0.7):
            layout.addStretch(1)
        return self.wrap(layout, self.margins(6, 14))

    def b_scroll(self) -> QWidget:
        area = QScrollArea()
        area.setWidgetResizable(True)
        inner = QVBoxLayout()
        self.depth += 1
        for _ in range(self.rng.randint(3, 5)):
            inner.addWidget(self.pick((self.b_form, self.b_checks, self.b_radios, self.b_para))())
        self.depth -= 1
        area.setWidget(self.wrap(inner, self.margins(6, 12)))
        area.setMaximumHeight(self.rng.randint(120, 260))
        return area

    def block(self) -> QWidget:
        options: list[tuple[Callable[[], QWidget], float]] = [
            (self.b_form, 3.0),
            (self.b_checks, 1.6),
            (self.b_radios, 1.3),
            (self.b_toggles, 1.3),
            (self.b_sliders, 0.8),
            (self.b_buttons, 1.0),
            (self.b_icons, 0.6),
            (self.b_search, 0.6),
            (self.b_para, 0.8),
            (self.b_image, 0.4),
            (self.b_progress, 0.5),
            (self.b_panel, 0.4),
        ]
        if not self.heldout:
            options.append((self.b_cards, 0.35))
        if self.depth == 0:
            options += [
                (self.b_list, 0.9),
                (self.b_tree, 0.5),
                (self.b_table, 0.5),
                (self.b_text, 0.6),
                (self.b_tabs, 1.0),
                (self.b_scroll, 0.35),
            ]
        return self.weighted(options)()

    def big_block(self) -> QWidget:
        return self.weighted(
            (
                (self.b_list, 1.5),
                (self.b_tree, 0.8),
                (self.b_table, 1.0),
                (self.b_text, 0.9),
                (self.b_tabs, 1.2),
                (self.b_image, 0.3),
            )
        )()

    # -- window chrome ------------------------------------------------------------------------

    def menubar(self, win: QMainWindow) -> None:
        bar = win.menuBar()
        for title in self.rng.sample(_MENUS, self.rng.randint(3, 7)):
            bar.addMenu(title)

    def toolbar(self, win: QMainWindow, area: Qt.ToolBarArea, mixed: bool = False) -> QToolBar:
        bar = QToolBar(self.pick(_HEADINGS), win)
        px = self.pick((16, 20, 24, 24, 24, 32))
        bar.setIconSize(QSize(px, px))
        bar.setMovable(self.chance(0.3))
        style = Qt.ToolButtonStyle.ToolButtonIconOnly
        if mixed:
            style = self.pick(
                (Qt.ToolButtonStyle.ToolButtonTextBesideIcon, Qt.ToolButtonStyle.ToolButtonIconOnly)
            )
        bar.setToolButtonStyle(style)
        vertical = area in (Qt.ToolBarArea.LeftToolBarArea, Qt.ToolBarArea.RightToolBarArea)
        if not self.heldout and not vertical and self.chance(0.3):
            self.text_toolbar(bar, px)
        else:
            for _ in range(self.rng.randint(3, 6 if vertical else 12)):
                if self.chance(0.15):
                    bar.addSeparator()
                action = bar.addAction(self.icon(px), self.pick(_BUTTONS))
                action.setCheckable(self.chance(0.05))
        if not self.heldout and not vertical and self.chance(0.45):
            for _ in range(self.rng.randint(1, 5)):
                fb = self.flat_button(self.pick(_BUTTONS))
                self.impl("QPushButton.flat")
                self.mark("button", fb)
                bar.addWidget(fb)
        if not vertical and self.chance(0.3 if not mixed else 0.6):
            bar.addSeparator()
            bar.addWidget(self.combo() if self.chance(0.5) else self.line_edit("Search"))
        win.addToolBar(area, bar)
        if style != Qt.ToolButtonStyle.ToolButtonIconOnly:
            self.impl("QToolButton.text")
        return bar

    def text_toolbar(self, bar: QToolBar, px: int) -> None:
        """A whole toolbar of frameless icon-and-text buttons, as office and browser apps
        show them. Train-only stand-in for a text-beside-icon QToolBar: without it the only
        rows of frameless icon-and-text items in training are tab bars."""
        with_icons = self.chance(0.8)
        for _ in range(self.rng.randint(3, 9)):
            if self.chance(0.15):
                bar.addSeparator()
            fb = QPushButton(self.pick(_BUTTONS))
            fb.setFlat(True)
            if with_icons:
                fb.setIcon(self.icon(px))
                fb.setIconSize(QSize(px, px))
            if self.chance(0.5):
                fb.setStyleSheet(f"padding: {self.rng.randint(2, 6)}px {self.rng.randint(3, 8)}px;")
            self.impl("QPushButton.flat")
            self.mark("button", fb)
            bar.addWidget(fb)

    def statusbar(self, win: QMainWindow) -> None:
        bar = win.statusBar()
        bar.setSizeGripEnabled(self.chance(0.2))
        bar.addWidget(
            QLabel(
                self.pick(
                    (
                        "Ready",
                        "Saved",
                        "Connected",
                        "3 items selected",
                        "Loading...",
                        _sentence(self.rng, 2, 6),
                    )
                )
            ),
            1,
        )
        if self.chance(0.3):
            bar.addPermanentWidget(
                QLabel(f"Ln {self.rng.randint(1, 400)}, Col {self.rng.randint(1, 80)}")
            )
        if self.chance(0.15):
            prog = QProgressBar()
            prog.setMaximumWidth(120)
            prog.setValue(self.rng.randint(0, 100))
            bar.addPermanentWidget(prog)

    def title_bar(self, title: str) -> QWidget:
        bar = QWidget()
        bar.setAutoFillBackground(True)
        pal = QPalette(self.theme.palette)
        color = self.weighted(
            (
                (_mix(self.theme.window, self.theme.text, 0.08), 0.5),
                (_hsv(self.rng.uniform(0, 360), 0.1, 0.25), 0.2),
                (_hsv(self.rng.uniform(0, 360), 0.45, 0.6), 0.15),
                (QColor(235, 235, 235), 0.15),
            )
        )
        pal.setColor(QPalette.ColorRole.Window, color)
        pal.setColor(QPalette.ColorRole.WindowText, _on(color))
        pal.setColor(QPalette.ColorRole.Button, color)
        bar.setPalette(pal)
        height = self.rng.randint(24, 34)
        bar.setFixedHeight(height)
        row = QHBoxLayout(bar)
        row.setContentsMargins(8, 0, 4, 0)
        row.setSpacing(2)
        label = QLabel(title)
        if self.chance(0.5):
            font = QFont(self.font)
            font.setBold(True)
            label.setFont(font)
        if self.chance(0.5):
            row.addWidget(self.plain_icon_px(16))
        if self.chance(0.5):
            row.addStretch(1)
            row.addWidget(label)
            row.addStretch(1)
        else:
            row.addWidget(label)
            row.addStretch(1)
        px = self.rng.randint(10, 16)
        glyph = _on(color) if self.chance(0.8) else _mix(color, _on(color), 0.6)
        for name in _TITLE_GLYPHS:
            b = QToolButton()
            b.setAutoRaise(self.chance(0.8))
            b.setIcon(_title_icon(name, glyph, px, self.scale, self.rng.choice((1.0, 1.5, 2.0))))
            b.setIconSize(QSize(px, px))
            b.setFixedSize(height - 6, height - 6)
            row.addWidget(b)
            self.mark("icon", b)
        return bar

    def plain_icon_px(self, px: int) -> QLabel:
        label = QLabel()
        label.setPixmap(self.icon(px).pixmap(QSize(px, px), self.scale))
        return label

    # -- layouts ------------------------------------------------------------------------------

    def main_window(
        self, menu: float = 0.7, tools: float = 0.5, status: float = 0.5
    ) -> QMainWindow:
        win = QMainWindow()
        if self.chance(menu):
            self.menubar(win)
        if self.chance(tools):
            self.toolbar(win, Qt.ToolBarArea.TopToolBarArea)
        if self.chance(status):
            self.statusbar(win)
        return win

    def central(self, win: QMainWindow, layout: QLayout) -> None:
        if not self.heldout and isinstance(layout, QBoxLayout) and self.chance(0.3):
            # train only: a search row across the whole window, the longest fields there are
            layout.insertWidget(0, self.b_search())
        central = QWidget()
        central.setLayout(layout)
        layout.setContentsMargins(*self.margins(8, 24))
        win.setCentralWidget(central)

    def l_form(self) -> QWidget:
        """Like our fixture app: heading, form column + list column, buttons bottom right."""
        win = self.main_window()
        root = QVBoxLayout()
        root.setSpacing(self.rng.randint(8, 18))
        if self.chance(0.8):
            root.addWidget(self.heading(), 0, Qt.AlignmentFlag.AlignLeft)
        body = QHBoxLayout()
        body.setSpacing(self.rng.randint(12, 32))
        column = QVBoxLayout()
        column.setSpacing(self.rng.randint(8, 16))
        column.addWidget(self.b_form(self.rng.randint(2, 3 + self.budget)))
        extras = [self.b_checks, self.b_radios, self.b_toggles, self.b_sliders, self.b_buttons]
        for make in self.rng.sample(extras, self.rng.randint(0, min(3, self.budget + 1))):
            column.addWidget(make())
        column.addStretch(1)
        side = self.chance(0.75) and self.budget > 0
        if side and self.chance(0.3):
            body.addWidget(self.big_block(), 2)
            body.addLayout(column, 3)
        else:
            body.addLayout(column, 3)
            if side:
                body.addWidget(self.big_block(), 2)
        root.addLayout(body, 1)
        if self.chance(0.3):
            root.addWidget(self.separator())
        root.addWidget(self.b_buttons(align=self.pick(("right", "right", "right", "left"))))
        self.central(win, root)
        return win

    def l_grid(self) -> QWidget:
        win = self.main_window()
        grid = QGridLayout()
        grid.setSpacing(self.rng.randint(8, 18))
        rows, cols = (
            self.rng.randint(1, 2 + (self.budget > 1)),
            self.rng.randint(1, 2 + (self.budget > 1)),
        )
        for r in range(rows):
            for c in range(cols):
                if self.chance(0.1):
                    continue
                block = self.block()
                if self.chance(0.45) and not isinstance(block, QGroupBox | QTabWidget):
                    box = QGroupBox(self.pick(_HEADINGS))
                    inner = QVBoxLayout(box)
                    inner.addWidget(block)
                    block = box
                grid.addWidget(block, r, c)
        grid.setRowStretch(rows, 1)
        self.central(win, grid)
        return win

    def l_stack(self) -> QWidget:
        win = self.main_window()
        layout = QVBoxLayout()
        layout.setSpacing(self.rng.randint(8, 16))
        if self.chance(0.5):
            layout.addWidget(self.heading())
        for _ in range(self.rng.randint(2, 2 + self.budget)):
            layout.addWidget(self.block())
            if self.chance(0.25):
                layout.addWidget(self.separator())
        layout.addStretch(1)
        if self.chance(0.5):
            layout.addWidget(self.b_buttons())
        self.central(win, layout)
        return win

    def l_settings(self) -> QWidget:
        """A settings window: category list on the left, the chosen page on the right."""
        win = self.main_window(menu=0.3, tools=0.2, status=0.3)
        row = QHBoxLayout()
        row.setSpacing(self.rng.randint(8, 16))
        nav = QListWidget()
        for name in self.rng.sample(_TABS, self.rng.randint(4, 12)):
            item = QListWidgetItem(name)
            if self.chance(0.5):
                item.setIcon(self.icon(32))
            nav.addItem(item)
        px = self.pick((16, 16, 20, 24, 32))
        nav.setIconSize(QSize(px, px))
        nav.setCurrentRow(self.rng.randrange(nav.count()))
        nav.setFixedWidth(self.rng.randint(120, 200))
        row.addWidget(nav)
        page = QVBoxLayout()
        page.addWidget(self.heading())
        for _ in range(self.rng.randint(1 + (self.budget > 1), 1 + max(1, self.budget))):
            page.addWidget(self.block())
        page.addStretch(1)
        page.addWidget(
            self.b_buttons(
                self.rng.sample(["OK", "Cancel", "Apply", "Help"], self.rng.randint(1, 3)), "right"
            )
        )
        row.addLayout(page, 1)
        self.central(win, row)
        return win

    def l_toolbar(self) -> QWidget:
        win = self.main_window(menu=0.6, tools=0.0, status=0.6)
        self.toolbar(win, Qt.ToolBarArea.TopToolBarArea, mixed=True)
        if self.chance(0.5):
            win.addToolBarBreak()
            self.toolbar(win, Qt.ToolBarArea.TopToolBarArea, mixed=True)
        if self.chance(0.5):
            self.toolbar(win, Qt.ToolBarArea.LeftToolBarArea)
        layout = QVBoxLayout()
        if self.chance(0.6):
            layout.addWidget(self.b_search())
        layout.addWidget(self.big_block(), 1)
        if self.budget > 1 and self.chance(0.5):
            layout.addWidget(self.block())
        self.central(win, layout)
        return win

    def l_dialog(self) -> QWidget:
        w = QWidget()
        root = QVBoxLayout(w)
        root.setContentsMargins(*self.margins(10, 22))
        root.setSpacing(self.rng.randint(8, 16))
        if self.chance(0.6):
            head = QHBoxLayout()
            head.addWidget(self.plain_icon(), 0, Qt.AlignmentFlag.AlignTop)
            col = QVBoxLayout()
            col.addWidget(self.heading())
            desc = QLabel(_paragraph(self.rng, 1, 2))
            desc.setWordWrap(True)
            col.addWidget(desc)
            head.addLayout(col, 1)
            root.addLayout(head)
        for _ in range(self.rng.randint(1 + (self.budget > 1), 1 + max(1, self.budget))):
            block = self.block()
            if self.chance(0.4) and not isinstance(block, QGroupBox | QTabWidget):
                box = QGroupBox(self.pick(_HEADINGS))
                QVBoxLayout(box).addWidget(block)
                block = box
            root.addWidget(block)
        root.addStretch(1)
        sb = QDialogButtonBox.StandardButton
        buttons = QDialogButtonBox()
        for std in self.rng.sample([sb.Ok, sb.Cancel, sb.Apply, sb.Help, sb.Reset, sb.Close], 2):
            buttons.addButton(std)
        if self.chance(0.3):
            buttons.addButton(self.pick(_BUTTONS), QDialogButtonBox.ButtonRole.ActionRole)
        for b in buttons.buttons():
            self.mark("button", b)
        self.impl("QDialogButtonBox")
        if self.chance(0.3):
            root.addWidget(self.separator())
        root.addWidget(buttons)
        return w

    def l_splitter(self) -> QWidget:
        win = self.main_window(menu=0.7, tools=0.4, status=0.5)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setHandleWidth(self.rng.randint(3, 9))
        left = QVBoxLayout()
        if self.chance(0.4):
            left.addWidget(self.line_edit("Search"))
        left.addWidget(self.pick((self.b_tree, self.b_list))(), 1)
        split.addWidget(self.wrap(left))
        right = QSplitter(Qt.Orientation.Vertical)
        right.setHandleWidth(split.handleWidth())
        right.addWidget(self.page(self.rng.randint(1, 1 + min(self.budget, 2))))
        if self.chance(0.6):
            right.addWidget(self.pick((self.b_text, self.b_table))())
        split.addWidget(right)
        if self.budget > 1 and self.chance(0.25):
            split.addWidget(self.page(1))
        split.setSizes([self.rng.randint(150, 300), self.rng.randint(300, 700), 200])
        layout = QVBoxLayout()
        layout.addWidget(split)
        self.central(win, layout)
        return win

    def l_wizard(self) -> QWidget:
        w = QWidget()
        row = QHBoxLayout(w)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        if self.chance(0.6):
            side = QLabel()
            side.setPixmap(self.image(self.rng.randint(110, 190), 900))
            side.setAlignment(Qt.AlignmentFlag.AlignTop)
            side.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Ignored)
            row.addWidget(side)
        col = QVBoxLayout()
        col.setContentsMargins(*self.margins(12, 24))
        col.setSpacing(self.rng.randint(8, 14))
        col.addWidget(self.heading(grow=self.rng.randint(3, 7)))
        sub = QLabel(_sentence(self.rng, 6, 14))
        sub.setWordWrap(True)
        col.addWidget(sub)
        col.addWidget(self.separator())
        for _ in range(self.rng.randint(1 + (self.budget > 1), 1 + max(1, self.budget))):
            if self.chance(0.3):
                col.addWidget(self.command_link())
            else:
                col.addWidget(self.block())
        col.addStretch(1)
        col.addWidget(self.separator())
        buttons = QHBoxLayout()
        if self.chance(0.3):
            buttons.addWidget(self.button("Help"))
        buttons.addStretch(1)
        for text in ("< Back", "Next >", "Cancel"):
            buttons.addWidget(self.button(text))
        col.addLayout(buttons)
        row.addLayout(col, 1)
        return w

    def window(self) -> QWidget:
        make = {
            "form": self.l_form,
            "grid": self.l_grid,
            "stack": self.l_stack,
            "settings": self.l_settings,
            "toolbar": self.l_toolbar,
            "dialog": self.l_dialog,
            "splitter": self.l_splitter,
            "wizard": self.l_wizard,
        }[self.layout_name]
        return make()


# ---------------------------------------------------------------------------------------------
# Rendering and boxes
# ---------------------------------------------------------------------------------------------


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


def render_screen(seed: int, split: str = "train") -> Screen:
    """Render one random screen; the same ``(seed, split)`` always gives the same result."""
    _check_split(split)
    if not isinstance(seed, int):
        raise TypeError(f"seed must be an int, not {type(seed).__name__}")
    app = _ensure_app()
    b = _Builder(seed, split)
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


def screen_seed(seed: int, index: int) -> int:
    """The seed of screen ``index`` of a data set made with ``seed`` (independent of workers)."""
    digest = hashlib.blake2b(f"{seed}/{index}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def _render_chunk(task: tuple[str, int, str, int, int]) -> list[Json]:
    out_dir, seed, split, start, stop = task
    images = Path(out_dir) / "images"
    rows: list[Json] = []
    for i in range(start, stop):
        screen = render_screen(screen_seed(seed, i), split)
        name = f"images/{i:06d}.png"
        Image.fromarray(screen.image).save(images / f"{i:06d}.png", compress_level=3)
        h, w = screen.image.shape[:2]
        rows.append(
            {
                "image": name,
                "width": w,
                "height": h,
                "boxes": [box.as_list() for box in screen.boxes],
                "meta": screen.meta,
            }
        )
    return rows


def generate(out_dir: Path, count: int, seed: int, split: str = "train", workers: int = 2) -> Path:
    """Render ``count`` screens into ``out_dir`` (images/, labels.jsonl, info.json).

    Screen ``i`` uses ``screen_seed(seed, i)``, so the output does not depend on ``workers``.
    ``workers`` > 1 renders contiguous chunks in spawned processes (each its own QApplication);
    ``workers`` == 1 renders in this process.
    """
    _check_split(split)
    if count < 0:
        raise ValueError(f"count must be >= 0, got {count}")
    if workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    out = Path(out_dir)
    (out / "images").mkdir(parents=True, exist_ok=True)
    workers = max(1, min(workers, count))
    bounds = [count * k // workers for k in range(workers + 1)]
    tasks = [(str(out), seed, split, bounds[k], bounds[k + 1]) for k in range(workers)]
    if workers == 1:
        chunks = [_render_chunk(tasks[0])]
    else:
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(workers) as pool:
            chunks = pool.map(_render_chunk, tasks, chunksize=1)
    with open(out / "labels.jsonl", "w", encoding="utf-8") as f:
        for chunk in chunks:
            for row in chunk:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    info = {
        "split": split,
        "seed": seed,
        "count": count,
        "classes": list(CLASSES),
        "generator_version": GENERATOR_VERSION,
    }
    (out / "info.json").write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    return out


def load_labels(out_dir: Path) -> list[dict[str, Any]]:
    """The parsed lines of ``out_dir/labels.jsonl``, in index order."""
    with open(Path(out_dir) / "labels.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m gui_agent.training.synth",
        description="Render synthetic screens of real Qt widgets with exact element boxes.",
    )
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--count", type=int, required=True, help="number of screens")
    parser.add_argument("--seed", type=int, required=True, help="data set seed")
    parser.add_argument("--split", choices=SPLITS, default="train")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("--count must be >= 0")
    if args.workers < 1:
        parser.error("--workers must be >= 1")
    start = time.perf_counter()
    out = generate(args.out, args.count, args.seed, args.split, args.workers)
    took = time.perf_counter() - start
    per = took / args.count if args.count else 0.0
    print(f"{args.count} {args.split} screens in {out} ({took:.1f} s, {per:.3f} s/screen)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
