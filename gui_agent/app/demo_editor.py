"""The demo editor: a recorded demo as a step list, to prune and generalise before replaying.

Each row is one recorded input in words ("Type 'Alice' into the field right of Name"), with
what the recorder saw of its target underneath. Delete step, Make parameter… (a typed value
becomes ``{name}``, asked for at replay), Re-record step (the window hides, the person does
that one input again) and Save call the core ``Demo`` editing methods; the dialog-free
methods (``delete_step``, ``make_parameter``, ``apply_rerecording``, ``save``) are what the
buttons run. A file that cannot be read or written is a message in the dialog, never a crash.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui_agent.app.selfguard import OwnWindow
from gui_agent.app.style import repolish
from gui_agent.demo.format import Demo, DemoError, DemoStep, load_demo, save_demo
from gui_agent.geometry import Rect
from gui_agent.planning.actions import Type

__all__ = ["DemoEditor", "step_details"]

EDITOR_KEY = "demo-editor"
Rerecord = Callable[["DemoEditor", int], object]  # (editor, step number): record, then apply


def step_details(step: DemoStep) -> str:
    """The second line of a row: parameter, target as recorded, and the pause before it."""
    parts = []
    if isinstance(step.action, Type):
        names = step.params()
        if names:
            kind = "secret parameter" if step.action.secret else "parameter"
            parts.append(f"{kind} {', '.join('{' + n + '}' for n in names)}")
    for role, t in step.targets.items():
        what = f"{t.kind} '{t.text}'" if t.text else t.kind
        parts.append(f"{role if role != 'target' else 'on'} {what} at ({t.point[0]}, {t.point[1]})")
    if step.delay >= 0.05:
        parts.append(f"after {step.delay:.1f} s")
    return " · ".join(parts)


def _suggest_name(step: DemoStep, taken: list[str]) -> str:
    """A parameter name from the target's words ("the field right of Email" -> email)."""
    action = step.action
    words = ""
    if isinstance(action, Type):
        query = action.target.query if action.target is not None else ""
        m = re.search(r"(?:right of|below|next to|labelled|named)\s+(.+)$", query or "")
        words = m.group(1) if m else ""
        target = step.targets.get("target")
        if not words and target is not None:
            words = target.text
    name = re.sub(r"[^A-Za-z0-9]+", "_", words.strip().strip("'\"")).strip("_").lower()
    if not name or name[0].isdigit():
        name = "value"
    base, n = name, 2
    while name in taken:
        name, n = f"{base}{n}", n + 1
    return name


class DemoEditor(QDialog):
    """Edit one ``.gademo`` file. ``rerecord(editor, number)`` records the new input (the
    window does it: it owns the recorder) and calls ``apply_rerecording`` when done."""

    def __init__(
        self,
        path: Path,
        parent: QWidget | None = None,
        *,
        own: OwnWindow | None = None,
        rerecord: Rerecord | None = None,
    ) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.demo: Demo | None = None
        self.dirty = False
        self._own = own
        self._rerecord = rerecord
        self.setWindowTitle(f"Demo — {self.path.name}")
        self.resize(640, 520)
        self._build()
        self.load()

    # -- layout --------------------------------------------------------------------------------
    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 14, 16, 14)
        lay.setSpacing(10)
        self.title = QLabel(self.path.name)
        self.title.setObjectName("Title")
        self.summary = QLabel()
        self.summary.setObjectName("Subtle")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error = QLabel()
        self.error.setObjectName("Banner")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        self.list = QListWidget()
        self.list.setObjectName("DemoSteps")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setAlternatingRowColors(True)
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.list.currentRowChanged.connect(lambda _: self._update_buttons())

        self.delete_btn = QPushButton("Delete step")
        self.param_btn = QPushButton("Make parameter…")
        self.rerecord_btn = QPushButton("Re-record step")
        self.save_btn = QPushButton("Save")
        self.save_btn.setObjectName("Primary")
        self.close_btn = QPushButton("Close")
        self.delete_btn.clicked.connect(self._delete_clicked)
        self.param_btn.clicked.connect(self._param_clicked)
        self.rerecord_btn.clicked.connect(self._rerecord_clicked)
        self.save_btn.clicked.connect(self.save)
        self.close_btn.clicked.connect(self.close)
        edit_row = QHBoxLayout()
        edit_row.setSpacing(8)
        for b in (self.delete_btn, self.param_btn, self.rerecord_btn):
            edit_row.addWidget(b)
        edit_row.addStretch(1)
        hint = QLabel("Typed values made parameters are asked for each time the demo is "
                      "replayed; secret ones are never stored.")  # fmt: skip
        hint.setObjectName("Hint")
        hint.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(hint, 1)
        bottom.addWidget(self.save_btn)
        bottom.addWidget(self.close_btn)

        lay.addWidget(self.title)
        lay.addWidget(self.summary)
        lay.addWidget(self.error)
        lay.addWidget(self.list, 1)
        lay.addLayout(edit_row)
        lay.addLayout(bottom)

    # -- state ---------------------------------------------------------------------------------
    def load(self) -> bool:
        try:
            self.demo = load_demo(self.path)
        except DemoError as exc:
            self.demo = None
            self.show_error(str(exc))
            self._refresh()
            return False
        self.dirty = False
        self.error.hide()
        self._refresh()
        return True

    def show_error(self, text: str, kind: str = "error") -> None:
        self.error.setText(text)
        self.error.setProperty("kind", kind)
        repolish(self.error)
        self.error.show()

    def steps_text(self) -> list[str]:
        """The rows' first lines, as shown."""
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]

    def _refresh(self, select: int | None = None) -> None:
        row = self.list.currentRow() if select is None else select
        self.list.clear()
        demo = self.demo
        if demo is None:
            self.summary.setText("This file cannot be edited.")
        else:
            m = demo.manifest
            params = ", ".join("{" + p + "}" for p in demo.params()) or "none"
            n = len(demo.steps)
            self.summary.setText(
                f"{n} step{'s' if n != 1 else ''} · recorded {m.created_at:%Y-%m-%d %H:%M} on a "
                f"{m.screen[0]}×{m.screen[1]} screen · parameters: {params}"
                f"{'  ·  unsaved changes' if self.dirty else ''}"
            )
            for i, step in enumerate(demo.steps, 1):
                text = step.action.describe()
                item = QListWidgetItem(f"{i}.  {text}\n      {step_details(step)}")
                item.setData(Qt.ItemDataRole.UserRole, text)
                item.setToolTip("; ".join(t.describe() for t in step.targets.values()))
                self.list.addItem(item)
            if self.list.count():
                self.list.setCurrentRow(max(0, min(row, self.list.count() - 1)))
        self.setWindowTitle(f"Demo — {self.path.name}{' *' if self.dirty else ''}")
        self._update_buttons()

    def _update_buttons(self) -> None:
        step = self._selected()
        typed = step is not None and isinstance(step.action, Type) and not step.action.secret
        self.delete_btn.setEnabled(step is not None)
        self.param_btn.setEnabled(typed)
        self.rerecord_btn.setEnabled(step is not None and self._rerecord is not None)
        self.save_btn.setEnabled(self.demo is not None and self.dirty)

    def _selected(self) -> DemoStep | None:
        row = self.list.currentRow()
        if self.demo is None or not 0 <= row < len(self.demo.steps):
            return None
        return self.demo.steps[row]

    def _changed(self, select: int) -> None:
        self.dirty = True
        self.error.hide()
        self._refresh(select)

    # -- edits (dialog-free; the buttons call these) --------------------------------------------
    def delete_step(self, number: int) -> bool:
        if self.demo is None:
            return False
        try:
            self.demo.delete_step(number)
        except DemoError as exc:
            self.show_error(str(exc))
            return False
        self._changed(number - 1)
        return True

    def make_parameter(self, number: int, name: str) -> bool:
        if self.demo is None:
            return False
        try:
            self.demo.make_parameter(number, name.strip())
        except DemoError as exc:
            self.show_error(str(exc))
            return False
        self._changed(number - 1)
        return True

    def apply_rerecording(self, number: int, scratch: Path | None, error: str = "") -> bool:
        """Put the one input recorded into ``scratch`` in place of step ``number``."""
        if error or scratch is None:
            self.show_error(f"Step {number} was not re-recorded: {error or 'cancelled'}")
            return False
        if self.demo is None:
            return False
        try:
            self.demo.replace_step(number, load_demo(scratch))
        except DemoError as exc:
            self.show_error(f"Step {number} was not re-recorded: {exc}")
            return False
        self._changed(number - 1)
        return True

    def save(self) -> bool:
        if self.demo is None:
            return False
        try:
            save_demo(self.demo, self.path)
        except (DemoError, OSError) as exc:
            self.show_error(f"Cannot save {self.path}: {exc}")
            return False
        self.dirty = False
        self._refresh()
        self.show_error(f"Saved {self.path}", "success")
        return True

    # -- buttons -------------------------------------------------------------------------------
    def _delete_clicked(self) -> None:
        self.delete_step(self.list.currentRow() + 1)

    def _param_clicked(self) -> None:
        step = self._selected()
        if step is None or self.demo is None:
            return
        number = self.list.currentRow() + 1
        shown = step.action.text if isinstance(step.action, Type) else ""
        name, ok = QInputDialog.getText(
            self, "Make parameter",
            f"Step {number} types '{shown}'.\nName the value, to be asked for at each replay:",
            text=_suggest_name(step, self.demo.params()),
        )  # fmt: skip
        if ok and name.strip():
            self.make_parameter(number, name)

    def _rerecord_clicked(self) -> None:
        if self._rerecord is not None and self._selected() is not None:
            self._rerecord(self, self.list.currentRow() + 1)

    # -- never perceived, never clicked by the agent ---------------------------------------------
    def _publish(self) -> None:
        if self._own is None:
            return
        if not self.isVisible():
            self._own.set(None, EDITOR_KEY)
            return
        g = self.frameGeometry()
        r = self.devicePixelRatioF()
        self._own.set(Rect(round(g.x() * r), round(g.y() * r), round(g.width() * r),
                           round(g.height() * r)), EDITOR_KEY)  # fmt: skip

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self._publish()

    def hideEvent(self, event: Any) -> None:
        super().hideEvent(event)
        if self._own is not None:
            self._own.set(None, EDITOR_KEY)

    def moveEvent(self, event: Any) -> None:
        super().moveEvent(event)
        self._publish()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._publish()
