"""The window's look in one place: palette, fonts and the style sheet.

Object names (``setObjectName``) and dynamic properties (``risk``, ``kind``) select the rules
below, so widgets stay free of colour literals and the look can change without touching them.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPixmap, QPolygonF

ACCENT = "#2563eb"
DANGER = "#dc2626"
WARNING = "#d97706"
SUCCESS = "#16a34a"
MUTED = "#64748b"

FONT_FAMILY = "DejaVu Sans"
FONT_POINTS = 10

_STYLE_SHEET = f"""
QMainWindow, QDialog {{ background: #f5f7fb; }}
QWidget {{ color: #0f172a; }}
QLabel#Title {{ font-size: 15pt; font-weight: 600; }}
QLabel#Subtle, QLabel#Hint {{ color: {MUTED}; }}
QLabel#SectionTitle {{ font-weight: 600; color: #334155; letter-spacing: 0.5px; }}
QFrame#Card {{ background: white; border: 1px solid #e2e8f0; border-radius: 8px; }}
QLabel#NextAction {{ font-size: 11pt; font-weight: 600; }}
QLabel#Status {{ padding: 3px 10px; border-radius: 10px; font-weight: 600;
                 background: #e2e8f0; color: #334155; }}
QLabel#Status[kind="running"] {{ background: #dbeafe; color: #1d4ed8; }}
QLabel#Status[kind="waiting"] {{ background: #fef3c7; color: #92400e; }}
QLabel#Status[kind="finished"] {{ background: #dcfce7; color: #166534; }}
QLabel#Status[kind="failed"] {{ background: #fee2e2; color: #991b1b; }}
QLabel#Banner {{ padding: 8px 12px; border-radius: 6px; }}
QLabel#Banner[kind="error"] {{ background: #fef2f2; border: 1px solid #fecaca; color: #991b1b; }}
QLabel#Banner[kind="info"] {{ background: #eff6ff; border: 1px solid #bfdbfe; color: #1e3a8a; }}
QLabel#Banner[kind="success"] {{ background: #f0fdf4; border: 1px solid #bbf7d0;
                                  color: #166534; }}
QLabel#Banner[kind="ask"] {{ background: #fffbeb; border: 1px solid #fde68a;
                              border-left: 5px solid {WARNING}; color: #78350f; }}
QListWidget#DemoSteps {{ background: white; border: 1px solid #e2e8f0; border-radius: 8px;
                         padding: 4px; alternate-background-color: #f8fafc; outline: 0; }}
QListWidget#DemoSteps::item {{ padding: 6px 8px; border-radius: 6px; }}
QListWidget#DemoSteps::item:selected {{ background: #dbeafe; color: #0f172a; }}
QFrame#Approval {{ background: white; border: 1px solid #bfdbfe;
                   border-left: 5px solid {ACCENT}; border-radius: 8px; }}
QFrame#Approval[risk="risky"] {{ background: #fffbeb; border: 1px solid #fde68a;
                                 border-left: 5px solid {WARNING}; }}
QFrame#Approval[risk="irreversible"] {{ background: #fef2f2; border: 1px solid #fecaca;
                                        border-left: 5px solid {DANGER}; }}
QLabel#ApprovalAction {{ font-size: 12pt; font-weight: 600; }}
QLabel#RiskBadge {{ padding: 2px 8px; border-radius: 9px; font-weight: 700; font-size: 8pt;
                    color: white; background: {ACCENT}; }}
QLabel#RiskBadge[risk="risky"] {{ background: {WARNING}; }}
QLabel#RiskBadge[risk="irreversible"] {{ background: {DANGER}; }}
QLabel#RiskReasons {{ color: #7f1d1d; }}
QPushButton {{ padding: 5px 14px; border-radius: 6px; border: 1px solid #cbd5e1;
               background: white; min-height: 20px; }}
QPushButton:hover {{ background: #f1f5f9; }}
QPushButton:disabled {{ color: #94a3b8; background: #f8fafc; border-color: #e2e8f0; }}
QPushButton#Primary {{ background: {ACCENT}; color: white; border-color: {ACCENT};
                       font-weight: 600; }}
QPushButton#Primary:hover {{ background: #1d4ed8; }}
QPushButton#Primary:disabled {{ background: #93c5fd; border-color: #93c5fd; color: white; }}
QPushButton#Danger {{ color: {DANGER}; border-color: #fca5a5; font-weight: 600; }}
QPushButton#Danger:disabled {{ color: #fca5a5; }}
QComboBox, QLineEdit, QPlainTextEdit {{ padding: 4px 6px; border: 1px solid #cbd5e1;
               border-radius: 6px; background: white; }}
QComboBox::drop-down {{ border: none; width: 22px; }}
QComboBox::down-arrow {{ image: url(@ARROW@); width: 10px; height: 6px; }}
QComboBox::down-arrow:disabled {{ image: url(@ARROW_OFF@); }}
QLabel#FormSection {{ font-weight: 700; color: #334155; padding-top: 6px; }}
QComboBox:focus, QLineEdit:focus, QPlainTextEdit:focus {{ border-color: {ACCENT}; }}
QListWidget#Steps {{ border: none; background: white; alternate-background-color: #f8fafc; }}
QLabel#StepNumber {{ color: {MUTED}; font-weight: 600; }}
QLabel#StepAction {{ font-weight: 600; }}
QLabel#Thumb {{ border: 1px solid #e2e8f0; background: #f8fafc; }}
QTreeWidget {{ border: none; background: white; alternate-background-color: #f8fafc; }}
QHeaderView::section {{ background: #f1f5f9; border: none; padding: 4px 6px;
                        color: #475569; font-weight: 600; }}
QCheckBox {{ color: #334155; }}
QFrame#Overlay {{ background: #0f172a; border-radius: 10px; border: 1px solid #334155; }}
QLabel#OverlayDot {{ color: #f97316; font-size: 12pt; }}
QLabel#OverlayText {{ color: white; font-weight: 600; }}
QLabel#OverlayHint {{ color: #94a3b8; font-size: 8pt; }}
QPushButton#OverlayStop {{ background: {DANGER}; color: white; border: none; padding: 4px 12px;
                           font-weight: 600; }}
QStatusBar {{ color: {MUTED}; }}
"""


def _arrow(path: Path, colour: str) -> None:
    """A small down-pointing triangle as PNG: style sheets take arrows only as image files,
    and drawing it here keeps the package free of data files."""
    pix = QPixmap(20, 12)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(colour))
    p.drawPolygon(QPolygonF([QPointF(1, 1), QPointF(19, 1), QPointF(10, 11)]))
    p.end()
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    pix.save(str(tmp), "PNG")
    os.replace(tmp, path)  # another instance may be reading it right now


def style_sheet() -> str:
    """The application style sheet; needs a ``QGuiApplication`` (it renders the arrows)."""
    folder = Path(tempfile.gettempdir()) / f"gui-agent-style-{os.getuid()}"
    folder.mkdir(parents=True, exist_ok=True)
    on, off = folder / "arrow.png", folder / "arrow-disabled.png"
    _arrow(on, "#475569")
    _arrow(off, "#cbd5e1")
    return _STYLE_SHEET.replace("@ARROW@", on.as_posix()).replace("@ARROW_OFF@", off.as_posix())


def pretty_hotkey(combo: str) -> str:
    """``<ctrl>+<alt>+<esc>`` (pynput's syntax) as a person writes it: ``Ctrl+Alt+Esc``."""
    return "+".join(k.strip("<>").capitalize() for k in combo.split("+"))


def app_font() -> QFont:
    font = QFont(FONT_FAMILY, FONT_POINTS)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    return font


def to_pixmap(bgr: np.ndarray) -> QPixmap:
    """A pixmap owning its own copy of a BGR array (the array may be freed afterwards)."""
    arr = np.ascontiguousarray(bgr)
    h, w = arr.shape[:2]
    image = QImage(arr.data, w, h, int(arr.strides[0]), QImage.Format.Format_BGR888)
    return QPixmap.fromImage(image.copy())


def repolish(widget: object) -> None:
    """Re-apply the style sheet after a dynamic property changed."""
    style = widget.style()  # type: ignore[attr-defined]
    style.unpolish(widget)
    style.polish(widget)
