"""The status overlay: a small always-on-top strip shown while the main window stands aside.

When the agent acts, the main window hides (so clicks and keys go to the application), and
a person would otherwise lose sight of what is happening and of the Stop button. The strip
says what the agent is doing, shows the stop hotkey and has a Stop button. It never takes
keyboard focus, and it is registered with ``OwnWindow`` like the main window, so the agent
neither sees it nor clicks it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from gui_agent.app.selfguard import OwnWindow
from gui_agent.geometry import Rect

__all__ = ["StatusOverlay"]

OVERLAY_KEY = "overlay"
_SIZE = (500, 46)
_MARGIN = 16


class StatusOverlay(QWidget):
    """Emits ``stop_clicked``; call ``show_status`` / ``hide`` from the GUI thread."""

    stop_clicked = Signal()

    def __init__(self, own: OwnWindow, hotkey: str) -> None:
        super().__init__(None, Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint
                         | Qt.WindowType.WindowDoesNotAcceptFocus)  # fmt: skip
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setObjectName("OverlayRoot")
        self.own = own
        frame = QFrame(self)
        frame.setObjectName("Overlay")
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        lay = QHBoxLayout(frame)
        lay.setContentsMargins(12, 6, 8, 6)
        lay.setSpacing(10)
        dot = QLabel("●")
        dot.setObjectName("OverlayDot")
        self.text = QLabel()
        self.text.setObjectName("OverlayText")
        self.hint = QLabel(hotkey)
        self.hint.setObjectName("OverlayHint")
        self.stop_btn = QPushButton("Stop")
        self.stop_btn.setObjectName("OverlayStop")
        self.stop_btn.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.stop_btn.clicked.connect(self.stop_clicked.emit)
        lay.addWidget(dot)
        lay.addWidget(self.text, 1)
        lay.addWidget(self.hint)
        lay.addWidget(self.stop_btn)
        self.setFixedSize(*_SIZE)

    def show_status(self, text: str) -> None:
        """Show at the bottom-right of the screen (above the taskbar) and register the box
        before it maps, so no frame is ever grabbed with it unmasked."""
        metrics = self.text.fontMetrics()
        self.text.setText(metrics.elidedText(text, Qt.TextElideMode.ElideRight, 300))
        screen = self.screen().availableGeometry()
        x = screen.right() - _SIZE[0] - _MARGIN
        y = screen.bottom() - _SIZE[1] - _MARGIN
        self.move(x, y)
        ratio = self.devicePixelRatioF()
        self.own.set(Rect(round(x * ratio), round(y * ratio), round(_SIZE[0] * ratio),
                          round(_SIZE[1] * ratio)), OVERLAY_KEY)  # fmt: skip
        self.show()
        self.raise_()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.own.set(None, OVERLAY_KEY)
