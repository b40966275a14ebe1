"""The step list: what the agent did, who decided, what the screen said, and undo per step.

Undo of step k takes back every later executed step first, newest first (the core's
``undo_last``), because undoing an early step under later ones would restore a state that
never existed; each step's own undo result is shown on its row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui_agent.app.style import DANGER, MUTED, SUCCESS, WARNING, to_pixmap

__all__ = ["StepList", "StepRow"]

THUMB = QSize(112, 56)
ROW_HEIGHT = 72
_DECISION_COLOURS = {"approved": SUCCESS, "edited": WARNING, "rejected": DANGER,
                     "auto": MUTED, "refused": DANGER}  # fmt: skip


@dataclass
class StepRow:
    """One step's widgets and what is known about it."""

    step: int
    item: QListWidgetItem
    thumb: QLabel
    action: QLabel
    status: QLabel
    button: QPushButton
    decision: str = ""
    result: str = ""
    executed: bool = False
    reversible: bool = False
    settled: bool = False  # undone, or undo failed: the session has no undo for it any more
    colour: str = field(default=MUTED)

    def render(self) -> None:
        parts = []
        if self.decision:
            c = _DECISION_COLOURS.get(self.decision, MUTED)
            parts.append(f"<span style='color:{c}; font-weight:600'>{self.decision}</span>")
        if self.result:
            short = _first_clause(self.result)
            parts.append(f"<span style='color:{self.colour}'>{_escape(short)}</span>")
        self.status.setText(" · ".join(parts) or "<span style='color:#64748b'>planned…</span>")
        self.status.setToolTip(self.result)


def _first_clause(text: str, limit: int = 46) -> str:
    """The gist for the row (the rest is in the tooltip): up to the first ';', elided."""
    head = text.split(";")[0].strip()
    return head if len(head) <= limit else head[: limit - 1].rstrip() + "…"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class StepList(QListWidget):
    """Emits ``undo_requested(count)``: how many executed steps to undo, newest first."""

    undo_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Steps")
        self.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.setAlternatingRowColors(True)
        self.rows: dict[int, StepRow] = {}
        self.undo_allowed = False

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.count() == 0:
            p = QPainter(self.viewport())
            p.setPen(QColor(MUTED))
            p.drawText(self.viewport().rect().adjusted(20, 0, -20, 0),
                       Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                       "No steps yet. Each step the agent plans shows up here, with what "
                       "you decided, what the screen did, and an Undo button.")  # fmt: skip
            p.end()

    def start_over(self) -> None:
        """Empty the list for a new run (``reset`` is Qt's own and called by ``clear``)."""
        self.clear()
        self.rows = {}

    def step_row(self, step: int) -> StepRow:
        if step in self.rows:
            return self.rows[step]
        box = QWidget()
        lay = QHBoxLayout(box)
        lay.setContentsMargins(8, 6, 8, 6)
        lay.setSpacing(10)
        number = QLabel(str(step))
        number.setObjectName("StepNumber")
        number.setFixedWidth(22)
        number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        thumb = QLabel()
        thumb.setObjectName("Thumb")
        thumb.setFixedSize(THUMB)
        text = QVBoxLayout()
        text.setSpacing(2)
        action = QLabel()
        action.setObjectName("StepAction")
        action.setWordWrap(True)
        status = QLabel()
        status.setTextFormat(Qt.TextFormat.RichText)
        text.addWidget(action)
        text.addWidget(status)
        text.addStretch(1)
        button = QPushButton("Undo")
        button.setEnabled(False)
        button.hide()  # shown once the step ran and can be taken back
        button.setToolTip("Undo this step (later steps are undone first)")
        button.clicked.connect(lambda _=False, s=step: self._undo_from(s))
        lay.addWidget(number)
        lay.addWidget(thumb)
        lay.addLayout(text, 1)
        lay.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
        item = QListWidgetItem(self)
        r = StepRow(step, item, thumb, action, status, button)
        self.rows[step] = r
        r.render()
        item.setSizeHint(QSize(0, ROW_HEIGHT))
        self.setItemWidget(item, box)
        self.scrollToItem(item)
        return r

    def planned(self, step: int, description: str) -> None:
        r = self.step_row(step)
        r.action.setText(description)
        r.action.setToolTip(description)

    def decided(self, step: int, decision: str) -> None:
        r = self.step_row(step)
        r.decision = decision
        r.render()

    def _set_result(self, r: StepRow, text: str, colour: str) -> None:
        r.result, r.colour = text, colour
        r.render()

    def executed(self, step: int, ok: bool, message: str, irreversible: bool) -> None:
        r = self.step_row(step)
        if not r.decision:
            r.decision = "auto"
        r.executed, r.reversible = True, not irreversible
        r.button.setVisible(r.reversible)
        self._set_result(r, ("✓ " if ok else "✗ ") + message, SUCCESS if ok else DANGER)
        self._refresh_buttons()

    def verified(self, step: int, detail: str, changed: bool, proven: bool = True) -> None:
        """A step's check: ✓ when its expected effect showed, ✗ "not proven" when not."""
        r = self.step_row(step)
        if not proven:
            self._set_result(r, "✗ not proven: " + detail, DANGER)
            return
        self._set_result(r, ("✓ " if changed else "? ") + detail, SUCCESS if changed else WARNING)

    def rejected(self, step: int) -> None:
        r = self.step_row(step)
        r.decision = "rejected"
        self._set_result(r, "not executed", MUTED)

    def thumbnail(self, step: int, image: np.ndarray) -> None:
        pix = to_pixmap(image).scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                                      Qt.TransformationMode.SmoothTransformation)  # fmt: skip
        self.step_row(step).thumb.setPixmap(pix)

    def undo_results(self, results: list[tuple[int, bool, str]]) -> None:
        for step, ok, detail in results:
            r = self.step_row(step)
            r.settled = True
            text = ("↶ undone: " if ok else "✗ undo failed: ") + detail
            self._set_result(r, text, MUTED if ok else DANGER)
            r.button.setText("Undone" if ok else "Failed")
        self._refresh_buttons()

    def undoable(self) -> list[StepRow]:
        """Executed steps not yet undone, oldest first (the session's undo stack)."""
        return [r for r in sorted(self.rows.values(), key=lambda r: r.step)
                if r.executed and not r.settled]  # fmt: skip

    def set_undo_allowed(self, allowed: bool) -> None:
        self.undo_allowed = allowed
        self._refresh_buttons()

    def _refresh_buttons(self) -> None:
        for r in self.rows.values():
            r.button.setEnabled(self.undo_allowed and r.executed and r.reversible
                                and not r.settled)  # fmt: skip

    def _undo_from(self, step: int) -> None:
        count = sum(1 for r in self.undoable() if r.step >= step)
        if count:
            self.undo_requested.emit(count)
