"""The live view: the agent's latest frame, what it perceived, and where it will act next.

A person approving "Click Save" needs to see *which* Save: the target is outlined on the
very frame the planner saw, so a wrong grounding is caught before the click, not after.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from gui_agent.app.frames import LiveFrame
from gui_agent.app.style import to_pixmap
from gui_agent.geometry import Rect

__all__ = ["LiveView"]

_BG = QColor("#e2e8f0")
_HIDDEN = QColor(100, 116, 139, 235)
_ELEMENT = QColor(56, 189, 248, 170)
_TARGET = QColor("#f97316")


class LiveView(QWidget):
    """Paints the frame scaled to fit (aspect kept), elements and the target on top."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(320, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.frame: LiveFrame | None = None
        self._pixmap: QPixmap | None = None
        self.target: Rect | None = None
        self.show_elements = True
        self.placeholder = "The agent's view of the screen appears here once a goal runs."

    def heightForWidth(self, width: int) -> int:
        return width * 9 // 16

    def hasHeightForWidth(self) -> bool:
        return True

    def set_frame(self, frame: LiveFrame) -> None:
        self.frame = frame
        self._pixmap = to_pixmap(frame.image)
        self.update()

    def set_target(self, target: Rect | None) -> None:
        self.target = target
        self.update()

    def set_show_elements(self, on: bool) -> None:
        self.show_elements = on
        self.update()

    def clear(self) -> None:
        self.frame, self._pixmap, self.target = None, None, None
        self.update()

    def _map(self, box: Rect, area: QRectF, factor: float) -> QRectF:
        assert self.frame is not None
        ox, oy = self.frame.origin
        return QRectF(area.x() + (box.x - ox) * factor, area.y() + (box.y - oy) * factor,
                      box.w * factor, box.h * factor)  # fmt: skip

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        p.fillRect(self.rect(), _BG)
        if self._pixmap is None or self.frame is None:
            p.setPen(QColor("#475569"))
            p.drawText(self.rect().adjusted(24, 0, -24, 0),
                       Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                       self.placeholder)  # fmt: skip
            p.end()
            return
        pw, ph = self._pixmap.width(), self._pixmap.height()
        fit = min(self.width() / pw, self.height() / ph)
        w, h = pw * fit, ph * fit
        area = QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)
        p.drawPixmap(area, self._pixmap, QRectF(0, 0, pw, ph))
        factor = self.frame.scale * fit  # desktop px -> widget px
        if self.frame.hidden is not None:
            r = self._map(self.frame.hidden, area, factor).intersected(area)
            p.fillRect(r, _HIDDEN)
            p.setPen(QColor("white"))
            p.drawText(r.adjusted(6, 6, -6, -6),
                       Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                       "gui-agent\n(hidden from the agent)")  # fmt: skip
        if self.show_elements:
            p.setPen(QPen(_ELEMENT, 1))
            for e in self.frame.elements:
                p.drawRect(self._map(e.box, area, factor))
        if self.target is not None:
            r = self._map(self.target, area, factor).adjusted(-3, -3, 3, 3)
            p.setPen(QPen(_TARGET, 3))
            p.setBrush(QColor(249, 115, 22, 40))
            p.drawRoundedRect(r, 3, 3)
        p.end()
