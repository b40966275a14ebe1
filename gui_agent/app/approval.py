"""The approval panel: the one place where a person says yes, no, or "like this instead".

Shown only while the session waits. The action, the gate's reason and any risk come first,
in words; irreversible and risky actions get their own colour and list why, so "Delete all"
never looks like "Save". Keys: Enter approves, Esc rejects, Ctrl+Z undoes the last step.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui_agent.app.style import repolish
from gui_agent.app.worker import ApprovalRequest
from gui_agent.errors import GuiAgentError
from gui_agent.planning.actions import Action, Click, Drag, Hotkey, Scroll, Type, Wait, parse_action

__all__ = ["ApprovalPanel", "build_action"]

EDIT_TYPES = ("click", "type", "hotkey", "scroll", "wait")


def _target_text(action: Action) -> str:
    target = None
    if isinstance(action, Click | Type | Scroll):
        target = action.target
    elif isinstance(action, Drag):
        target = action.source
    if target is None:
        return ""
    return f"#{target.element_id}" if target.element_id is not None else str(target.query)


def _target_json(text: str) -> dict[str, Any] | None:
    text = text.strip()
    if not text:
        return None
    m = re.fullmatch(r"#(\d+)", text)
    return {"element_id": int(m.group(1))} if m else {"query": text}


def build_action(kind: str, target: str, text: str) -> Action:
    """An action from the edit form's three fields; ``GuiAgentError`` says what is wrong."""
    tgt = _target_json(target)
    data: dict[str, Any] = {"type": kind}
    if kind == "click":
        data["target"] = tgt
    elif kind == "type":
        data.update(text=text, target=tgt)
    elif kind == "hotkey":
        data["keys"] = text
    elif kind == "scroll":
        try:
            data.update(amount=int(text or "3"), target=tgt)
        except ValueError:
            raise GuiAgentError("scroll needs a whole number of notches, e.g. 3 or -3") from None
    elif kind == "wait":
        try:
            data["seconds"] = float(text or "1")
        except ValueError:
            raise GuiAgentError("wait needs a number of seconds, e.g. 2") from None
    return parse_action(data)


class ApprovalPanel(QFrame):
    """Emits ``approved``, ``rejected``, ``edited(action)``, ``undo_last`` and ``stop``."""

    approved = Signal()
    rejected = Signal()
    edited = Signal(object)
    undo_last = Signal()
    stop = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Approval")
        self.request: ApprovalRequest | None = None
        self.last_action: Action | None = None  # what was on the panel when it was answered
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(8)

        head = QHBoxLayout()
        self.heading = QLabel("Approval needed")
        self.heading.setObjectName("SectionTitle")
        self.badge = QLabel("")
        self.badge.setObjectName("RiskBadge")
        head.addWidget(self.heading)
        head.addStretch(1)
        head.addWidget(self.badge)
        lay.addLayout(head)

        self.action_label = QLabel()
        self.action_label.setObjectName("ApprovalAction")
        self.action_label.setWordWrap(True)
        self.reason_label = QLabel()
        self.reason_label.setObjectName("Subtle")
        self.reason_label.setWordWrap(True)
        self.risk_label = QLabel()
        self.risk_label.setObjectName("RiskReasons")
        self.risk_label.setWordWrap(True)
        lay.addWidget(self.action_label)
        lay.addWidget(self.risk_label)
        lay.addWidget(self.reason_label)

        self.edit_box = QWidget()
        grid = QGridLayout(self.edit_box)
        grid.setContentsMargins(0, 4, 0, 0)
        self.edit_type = QComboBox()
        self.edit_type.addItems(EDIT_TYPES)
        self.edit_target = QLineEdit()
        self.edit_target.setPlaceholderText("e.g. the Email field, or #12")
        self.edit_text = QLineEdit()
        self.edit_text.setPlaceholderText("text to type, keys (ctrl+s), notches or seconds")
        self.edit_error = QLabel()
        self.edit_error.setObjectName("RiskReasons")
        self.edit_error.setWordWrap(True)
        grid.addWidget(QLabel("Action"), 0, 0)
        grid.addWidget(self.edit_type, 0, 1)
        grid.addWidget(QLabel("Target"), 1, 0)
        grid.addWidget(self.edit_target, 1, 1)
        grid.addWidget(QLabel("Text"), 2, 0)
        grid.addWidget(self.edit_text, 2, 1)
        grid.addWidget(self.edit_error, 3, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        lay.addWidget(self.edit_box)
        self.edit_box.hide()

        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        self.approve_btn = QPushButton("Approve  ⏎")
        self.approve_btn.setObjectName("Primary")
        self.reject_btn = QPushButton("Reject  Esc")
        self.reject_btn.setObjectName("Danger")
        self.edit_btn = QPushButton("Edit…")
        self.undo_btn = QPushButton("Undo last")
        self.undo_btn.setToolTip("Undo the last executed step (Ctrl+Z)")
        self.cancel_edit_btn = QPushButton("Cancel edit")
        self.cancel_edit_btn.hide()
        for b in (self.approve_btn, self.reject_btn, self.edit_btn, self.cancel_edit_btn):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.undo_btn)
        lay.addLayout(buttons)

        self.approve_btn.clicked.connect(self.accept_current)
        self.reject_btn.clicked.connect(self._reject)
        self.edit_btn.clicked.connect(self.open_editor)
        self.cancel_edit_btn.clicked.connect(self.close_editor)
        self.undo_btn.clicked.connect(self.undo_last.emit)
        self.hide()

    @property
    def editing(self) -> bool:
        return not self.edit_box.isHidden()

    def show_request(self, req: ApprovalRequest, can_undo: bool) -> None:
        self.request = req
        a = req.assessment
        risk = "irreversible" if a.irreversible else "risky" if a.risky else "normal"
        for w in (self, self.badge):
            w.setProperty("risk", risk)
            repolish(w)
        self.heading.setText(f"STEP {req.step} · APPROVAL NEEDED")
        label = "EFFECT UNKNOWN" if a.unknown else "SECRET" if a.sensitive else "RISKY"
        self.badge.setText({"irreversible": "IRREVERSIBLE", "risky": label}.get(risk, "REVIEW"))
        self.action_label.setText(req.action.describe())
        self.risk_label.setText("\n".join(f"⚠ {r}" for r in a.reasons))
        self.risk_label.setVisible(bool(a.reasons))
        # The gate's reason ends with the risk summary, already listed above it.
        self.reason_label.setText(req.description.removesuffix(f" ({a.summary()})"))
        self.undo_btn.setEnabled(can_undo)
        self.close_editor()
        self.show()
        self.approve_btn.setFocus(Qt.FocusReason.OtherFocusReason)

    def finish(self) -> None:
        if self.request is not None:
            self.last_action = self.request.action
        self.request = None
        self.close_editor()
        self.hide()

    def open_editor(self) -> None:
        if self.request is None:
            return
        action = self.request.action
        kind = action.type if action.type in EDIT_TYPES else "click"
        self.edit_type.setCurrentText(kind)
        self.edit_target.setText(_target_text(action))
        text = ""
        if isinstance(action, Type) and not (action.secret or action.text_redacted):
            text = action.text
        elif isinstance(action, Hotkey):
            text = action.combo
        elif isinstance(action, Scroll):
            text = str(action.amount)
        elif isinstance(action, Wait) and action.seconds is not None:
            text = f"{action.seconds:g}"
        self.edit_text.setText(text)
        self.edit_error.clear()
        self.edit_box.show()
        self.cancel_edit_btn.show()
        self.edit_btn.hide()
        self.approve_btn.setText("Approve edited  ⏎")
        self.edit_target.setFocus(Qt.FocusReason.OtherFocusReason)

    def close_editor(self) -> None:
        self.edit_box.hide()
        self.cancel_edit_btn.hide()
        self.edit_btn.show()
        self.approve_btn.setText("Approve  ⏎")

    def accept_current(self) -> None:
        """Approve as shown, or, while editing, approve the edited action (if it is valid)."""
        if self.request is None:
            return
        if not self.editing:
            self.finish()
            self.approved.emit()
            return
        try:
            action = build_action(self.edit_type.currentText(), self.edit_target.text(),
                                  self.edit_text.text())  # fmt: skip
        except GuiAgentError as exc:
            self.edit_error.setText(str(exc))
            return
        self.finish()
        self.edited.emit(action)

    def _reject(self) -> None:
        if self.request is None:
            return
        self.finish()
        self.rejected.emit()

    def escape(self) -> None:
        """Esc: leaves the editor when it is open (the edit is what gets dropped), else
        rejects the action."""
        if self.editing:
            self.close_editor()
        else:
            self._reject()
