"""The sample form: a realistic PySide6 form that reports its own ground truth to a JSON file.

It ships with gui-agent because ``gui-agent demo`` drives it (perceives it, then fills it
through the agent): a demo must run from any install, not only from a checkout. Tests and
benchmarks run it on Xvfb too and compare what the agent sees and does with what the app
knows: every widget's physical screen box, field values, clicks and menu actions.

    python -m gui_agent.sample.form_app --state STATE.json [--variant VARIANT]
    gui-agent sample-form --state STATE.json          # the same, also from a desktop bundle

VARIANT is default, moved, dark, scale125 or scale150; ``--crash-after`` and
``--hang-after`` make it misbehave on purpose (for tests of the headless runner).

The helpers at the top (environment, state channel, boxes) are shared with the test fixtures
in ``tests/apps/`` (``busy_app.py``, ``hostile_app.py``).
Never import cv2 here: opencv-python points QT_QPA_PLATFORM_PLUGIN_PATH at its own Qt plugins.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRect, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMenu,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QStyleOptionGroupBox,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gui_agent.qt_environment import pin_qt_environment

Json = dict[str, Any]

VARIANTS = ("default", "moved", "dark", "scale125", "scale150")
SCALES: dict[str, float] = {"scale125": 1.25, "scale150": 1.5}
DEFAULT_SIZE = (1280, 800)
# At 1.5x, 1280x800 logical would be 1920x1200 physical and not fit a 1920x1080 screen.
SIZES: dict[str, tuple[int, int]] = {"scale150": (1200, 700)}
POSITIONS: dict[str, tuple[int, int]] = {"moved": (400, 180)}
FONT_FAMILY = "DejaVu Sans"
FONT_POINTS = 10

FIELDS = ("name", "email", "password", "phone", "city")
CHECKBOXES = (
    ("remember", "Remember me"),
    ("subscribe", "Subscribe to newsletter"),
    ("terms", "Accept terms"),
)
PLANS = (("basic", "Basic"), ("pro", "Pro"), ("enterprise", "Enterprise"))
COUNTRIES = (
    "Australia",
    "Brazil",
    "Canada",
    "France",
    "Germany",
    "India",
    "Japan",
    "United Kingdom",
    "United States",
)
MENUS: dict[str, list[tuple[str, QKeySequence.StandardKey | None] | None]] = {
    "File": [
        ("New", QKeySequence.StandardKey.New),
        ("Open...", QKeySequence.StandardKey.Open),
        ("Save", QKeySequence.StandardKey.Save),
        ("Save As...", QKeySequence.StandardKey.SaveAs),
        None,
        ("Quit", QKeySequence.StandardKey.Quit),
    ],
    "Edit": [
        ("Undo", QKeySequence.StandardKey.Undo),
        None,
        ("Cut", QKeySequence.StandardKey.Cut),
        ("Copy", QKeySequence.StandardKey.Copy),
        ("Paste", QKeySequence.StandardKey.Paste),
        None,
        ("Select All", QKeySequence.StandardKey.SelectAll),
    ],
    "Help": [("About", None)],
}
SP = QStyle.StandardPixmap
TOOLS: list[tuple[str, str, QStyle.StandardPixmap] | None] = [
    ("tool_new", "New form", SP.SP_FileIcon),
    ("tool_open", "Open file", SP.SP_DialogOpenButton),
    ("tool_save", "Save form", SP.SP_DialogSaveButton),
    None,
    ("tool_cut", "Cut", SP.SP_DialogCloseButton),
    ("tool_copy", "Copy", SP.SP_FileDialogDetailedView),
    ("tool_paste", "Paste", SP.SP_DialogOkButton),
    None,
    ("tool_delete", "Delete selected item", SP.SP_TrashIcon),
    ("tool_refresh", "Refresh list", SP.SP_BrowserReload),
]


# ---------------------------------------------------------------------------------------------
# Shared helpers (also used by busy_app.py)
# ---------------------------------------------------------------------------------------------


def prepare_qt_environment(scale: float | None = None) -> None:
    """Pin platform and scaling so pixels match on every machine; call before Qt starts."""
    pin_qt_environment(os.environ, "xcb")
    os.environ["QT_SCALE_FACTOR_ROUNDING_POLICY"] = "PassThrough"
    if scale:
        os.environ["QT_SCALE_FACTOR"] = repr(scale)


def dark_palette() -> QPalette:
    """The usual Fusion dark palette, so the dark variant looks like a real dark theme."""
    p = QPalette()
    window, base, text = QColor(45, 45, 48), QColor(30, 30, 30), QColor(220, 220, 220)
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    p.setColor(role.Window, window)
    p.setColor(role.WindowText, text)
    p.setColor(role.Base, base)
    p.setColor(role.AlternateBase, QColor(53, 53, 56))
    p.setColor(role.ToolTipBase, QColor(60, 60, 64))
    p.setColor(role.ToolTipText, text)
    p.setColor(role.Text, text)
    p.setColor(role.Button, QColor(58, 58, 62))
    p.setColor(role.ButtonText, text)
    p.setColor(role.BrightText, QColor(255, 80, 80))
    p.setColor(role.Link, QColor(90, 160, 255))
    p.setColor(role.Highlight, QColor(42, 130, 218))
    p.setColor(role.HighlightedText, QColor(255, 255, 255))
    p.setColor(role.PlaceholderText, QColor(140, 140, 140))
    for r in (role.Text, role.WindowText, role.ButtonText):
        p.setColor(group.Disabled, r, QColor(120, 120, 120))
    return p


def make_application(dark: bool = False) -> QApplication:
    """A QApplication with Fusion, a fixed font and no animations: reproducible screenshots."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setStyle("Fusion")
    app.setFont(QFont(FONT_FAMILY, FONT_POINTS))
    app.setPalette(dark_palette() if dark else app.style().standardPalette())
    app.styleHints().setCursorFlashTime(0)  # a steady caret: no blinking pixels between frames
    for effect in (
        Qt.UIEffect.UI_AnimateMenu,
        Qt.UIEffect.UI_FadeMenu,
        Qt.UIEffect.UI_AnimateCombo,
        Qt.UIEffect.UI_AnimateTooltip,
        Qt.UIEffect.UI_FadeTooltip,
        Qt.UIEffect.UI_AnimateToolBox,
    ):
        app.setEffectEnabled(effect, False)
    return app


def install_signal_handlers(app: QApplication) -> QTimer:
    """Quit cleanly on SIGTERM/SIGINT; the returned timer lets Python run its handlers."""

    def handler(_signum: int, _frame: object) -> None:
        app.quit()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    timer = QTimer()
    timer.timeout.connect(lambda: None)
    timer.start(100)
    return timer


def write_json_atomic(path: Path, data: Json) -> None:
    """Readers never see half a file: write a temp file beside it, then rename over it."""
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=1)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def scale_of(widget: QWidget) -> float:
    """Physical pixels per logical pixel for this widget (QT_SCALE_FACTOR shows up here)."""
    return float(widget.devicePixelRatioF())


def physical_rect(x: float, y: float, w: float, h: float, scale: float) -> list[int]:
    """Global logical rect -> physical [x, y, w, h]; edges rounded so boxes tile exactly."""
    x0, y0 = round(x * scale), round(y * scale)
    x1, y1 = round((x + w) * scale), round((y + h) * scale)
    return [x0, y0, x1 - x0, y1 - y0]


def physical_box(widget: QWidget, rect: QRect | None = None) -> list[int]:
    """Screen box in physical pixels of ``rect`` (widget coordinates; default: whole widget).

    Assumes one screen at the origin, as on our Xvfb, so physical = logical global * scale.
    """
    r = widget.rect() if rect is None else rect
    top_left = widget.mapToGlobal(r.topLeft())
    return physical_rect(top_left.x(), top_left.y(), r.width(), r.height(), scale_of(widget))


def label_text_rect(label: QLabel) -> QRect:
    """Where a label's text is drawn (not the whole, possibly stretched, label widget)."""
    rect = label.style().itemTextRect(
        label.fontMetrics(), label.contentsRect(), label.alignment(), True, label.text()
    )
    return rect.intersected(label.rect())


def entry(
    name: str, kind: str, text: str, widget: QWidget, rect: QRect | None = None, **extra: Any
) -> Json:
    """One ``widgets`` entry of the state file."""
    box = physical_box(widget, rect)
    visible = widget.isVisible() and box[2] > 0 and box[3] > 0
    return {"name": name, "kind": kind, "text": text, "box": box, "visible": visible, **extra}


def click_rect(button: QCheckBox | QRadioButton) -> QRect:
    """Indicator plus label: what a person sees as the control, not the stretched widget."""
    option = QStyleOptionButton()
    option.initFrom(button)
    option.text = button.text()
    option.icon = button.icon()
    option.iconSize = button.iconSize()
    element = (
        QStyle.SubElement.SE_CheckBoxClickRect
        if isinstance(button, QCheckBox)
        else QStyle.SubElement.SE_RadioButtonClickRect
    )
    return button.style().subElementRect(element, option, button).intersected(button.rect())


def toggle_entry(name: str, kind: str, button: QCheckBox | QRadioButton) -> Json:
    return entry(
        name,
        kind,
        button.text(),
        button,
        checked=button.isChecked(),
        click_box=physical_box(button, click_rect(button)),
    )


def label_entry(label: QLabel, kind: str = "label") -> Json:
    return entry(label.objectName(), kind, label.text(), label, label_text_rect(label))


class StateChannel(QObject):
    """Writes snapshots to the state file and applies lines from ``STATE.json.cmd``.

    Every change schedules one coalesced write. Before writing, the windows are repainted
    synchronously, so what the state says is already on screen when a reader sees it. A
    command file is applied, the state written, and only then the file deleted: once it is
    gone, the change is both on screen and in the state.
    """

    def __init__(
        self,
        path: Path,
        snapshot: Callable[[], Json],
        execute: Callable[[str], None],
        repaint: Callable[[], None],
    ) -> None:
        super().__init__()
        self.path = path
        self.cmd_path = path.with_name(path.name + ".cmd")
        self._snapshot, self._execute, self._repaint = snapshot, execute, repaint
        self.ready = False
        self.seq = 0
        self.commands_done = 0
        self.last_command: str | None = None
        self.last_command_error: str | None = None
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self.flush)
        self._poll = QTimer(self)
        self._poll.setInterval(50)
        self._poll.timeout.connect(self._poll_commands)
        self._poll.start()

    def schedule(self) -> None:
        """Write the state soon (coalesces bursts such as typing)."""
        if self.ready:
            self._pending.start()

    def schedule_later(self, ms: int) -> None:
        """Write once more after popups have been placed and painted."""
        QTimer.singleShot(ms, self.schedule)

    def mark_ready(self) -> None:
        self.ready = True
        self.flush()

    def flush(self) -> None:
        self._pending.stop()
        self._repaint()
        self.seq += 1
        data = self._snapshot()
        data.update(
            seq=self.seq,
            commands_done=self.commands_done,
            last_command=self.last_command,
            last_command_error=self.last_command_error,
        )
        write_json_atomic(self.path, data)

    def _poll_commands(self) -> None:
        if not self.ready:
            return
        try:
            text = self.cmd_path.read_text(encoding="utf-8")
        except (FileNotFoundError, UnicodeDecodeError):
            return
        for line in text.splitlines():
            if not line.strip():
                continue
            self.last_command, self.last_command_error = line, None
            try:
                self._execute(line)
            except Exception as exc:
                self.last_command_error = f"{type(exc).__name__}: {exc}"
            self.commands_done += 1
        QApplication.processEvents()  # let layouts settle before measuring
        self.flush()
        self.cmd_path.unlink(missing_ok=True)


def mark_ready_when_exposed(window: QWidget, channel: StateChannel, settle_ms: int = 150) -> None:
    """Write the first state only once the window is mapped, laid out and painted."""

    def check() -> None:
        handle = window.windowHandle()
        if handle is not None and handle.isExposed():
            QTimer.singleShot(settle_ms, channel.mark_ready)
        else:
            QTimer.singleShot(20, check)

    QTimer.singleShot(0, check)


# ---------------------------------------------------------------------------------------------
# The form
# ---------------------------------------------------------------------------------------------


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text.lower().rstrip(".")).strip("_")


class SettingsDialog(QDialog):
    """A modeless settings dialog; it has no title bar on a WM-less Xvfb, so it draws a heading."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("dialog_settings")
        self.setWindowTitle("Settings")
        self.setModal(False)
        self.setFixedSize(440, 210)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        frame = QFrame(self)
        frame.setFrameShape(QFrame.Shape.Panel)
        frame.setFrameShadow(QFrame.Shadow.Raised)
        frame.setLineWidth(2)
        outer.addWidget(frame)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(10)
        self.title = QLabel("Settings")
        self.title.setObjectName("label_dialog_title")
        font = self.title.font()
        font.setBold(True)
        font.setPointSize(FONT_POINTS + 2)
        self.title.setFont(font)
        layout.addWidget(self.title, 0, Qt.AlignmentFlag.AlignLeft)
        form = QFormLayout()
        form.setHorizontalSpacing(12)
        self.server_label = QLabel("Server")
        self.server_label.setObjectName("label_dialog_server")
        self.server = QLineEdit()
        self.server.setObjectName("dialog_server")
        form.addRow(self.server_label, self.server)
        layout.addLayout(form)
        self.proxy = QCheckBox("Use proxy")
        self.proxy.setObjectName("dialog_proxy")
        layout.addWidget(self.proxy, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.ok = QPushButton("OK")
        self.ok.setObjectName("dialog_ok")
        self.ok.setDefault(True)
        self.cancel = QPushButton("Cancel")
        self.cancel.setObjectName("dialog_cancel")
        buttons.addWidget(self.ok)
        buttons.addWidget(self.cancel)
        layout.addLayout(buttons)

    def entries(self) -> list[Json]:
        return [
            entry("dialog_settings", "dialog", "Settings", self),
            label_entry(self.title),
            label_entry(self.server_label),
            entry("dialog_server", "dialog_field", self.server.displayText(), self.server),
            toggle_entry("dialog_proxy", "dialog_checkbox", self.proxy),
            entry("dialog_ok", "dialog_button", self.ok.text(), self.ok),
            entry("dialog_cancel", "dialog_button", self.cancel.text(), self.cancel),
        ]


class FormWindow(QMainWindow):
    """The "Fixture Form" main window; ``variant`` picks position, layout and look."""

    def __init__(self, variant: str, state_path: Path) -> None:
        super().__init__()
        self.variant = variant
        self.setObjectName("main_window")
        self.setWindowTitle("Fixture Form")
        self.channel = StateChannel(state_path, self.snapshot, self.execute, self.repaint_all)
        self.last_clicked: str | None = None
        self.clicks: list[str] = []
        self.saved_count = 0
        self.menu_log: list[str] = []
        self.settings_server = ""
        self.fields: dict[str, QLineEdit] = {}
        self.field_labels: dict[str, QLabel] = {}
        self.checks: dict[str, QCheckBox] = {}
        self.radios: dict[str, QRadioButton] = {}
        self.buttons: dict[str, QPushButton] = {}
        self.tools: dict[str, QToolButton] = {}
        self.menus: dict[str, QMenu] = {}
        self._build_menus()
        self._build_toolbar()
        self._build_central()
        self._build_status()
        self.dialog = SettingsDialog(self)
        self.dialog.ok.clicked.connect(self._dialog_ok)
        self.dialog.cancel.clicked.connect(self._dialog_cancel)
        self.dialog.server.textChanged.connect(self.changed)
        self.dialog.proxy.toggled.connect(self.changed)
        self.dialog.finished.connect(lambda _result: self.changed())
        width, height = SIZES.get(variant, DEFAULT_SIZE)
        self.setFixedSize(width, height)
        self.move(*POSITIONS.get(variant, (0, 0)))

    # -- construction -------------------------------------------------------------------------

    def _build_menus(self) -> None:
        bar = self.menuBar()
        bar.setObjectName("menubar")
        for title, items in MENUS.items():
            menu = bar.addMenu(title)  # no "&": titles read exactly "File", "Edit", "Help"
            menu.setObjectName(f"menu_{title.lower()}")
            menu.aboutToShow.connect(lambda: self.channel.schedule_later(60))
            menu.aboutToHide.connect(lambda: self.channel.schedule_later(60))
            for item in items:
                if item is None:
                    menu.addSeparator()
                    continue
                text, shortcut = item
                action = menu.addAction(text)
                action.setObjectName(f"action_{title.lower()}_{_slug(text)}")
                if shortcut is not None:
                    action.setShortcut(QKeySequence(shortcut))
                action.triggered.connect(partial(self._on_menu, title, text))
            self.menus[title] = menu

    def _build_toolbar(self) -> None:
        bar = QToolBar("Main toolbar", self)
        bar.setObjectName("toolbar_main")
        bar.setMovable(False)
        bar.setFloatable(False)
        bar.setIconSize(bar.iconSize().scaled(24, 24, Qt.AspectRatioMode.IgnoreAspectRatio))
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        for tool in TOOLS:
            if tool is None:
                bar.addSeparator()
                continue
            name, tip, pixmap = tool
            action = bar.addAction(self.style().standardIcon(pixmap), tip)
            action.setToolTip(tip)
            action.setObjectName(f"action_{name}")
            button = bar.widgetForAction(action)
            assert isinstance(button, QToolButton)
            button.setObjectName(name)
            action.triggered.connect(partial(self._on_tool, name, tip))
            self.tools[name] = button

    def _build_central(self) -> None:
        moved = self.variant == "moved"
        central = QWidget(self)
        central.setObjectName("central")
        root = QVBoxLayout(central)
        margin, spacing = (28, 18) if moved else (16, 10)
        root.setContentsMargins(margin, margin - 4, margin, margin - 4)
        root.setSpacing(spacing)

        self.heading = QLabel("Account details")
        self.heading.setObjectName("label_heading")
        font = self.heading.font()
        font.setBold(True)
        font.setPointSize(FONT_POINTS + 4)
        self.heading.setFont(font)
        root.addWidget(self.heading, 0, Qt.AlignmentFlag.AlignLeft)

        body = QHBoxLayout()
        body.setSpacing(spacing * 2)
        form_column = self._build_form_column(spacing)
        list_column = self._build_list_column()
        if moved:
            body.addLayout(list_column, 2)
            body.addLayout(form_column, 3)
        else:
            body.addLayout(form_column, 3)
            body.addLayout(list_column, 2)
        root.addLayout(body, 1)

        buttons = QHBoxLayout()
        buttons.setSpacing(spacing)
        if not moved:
            buttons.addStretch(1)
        for name, text, slot in (
            ("btn_save", "Save", self._save),
            ("btn_cancel", "Cancel", self._cancel),
            ("btn_delete_all", "Delete all", self._delete_all),
            ("btn_settings", "Settings...", self._open_settings),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.setMinimumWidth(96)
            button.clicked.connect(partial(self._clicked, name, slot))
            buttons.addWidget(button)
            self.buttons[name] = button
        if moved:
            buttons.addStretch(1)
        root.addLayout(buttons)
        self.setCentralWidget(central)

    def _build_form_column(self, spacing: int) -> QVBoxLayout:
        moved = self.variant == "moved"
        column = QVBoxLayout()
        column.setSpacing(spacing + 4)
        form = QFormLayout()
        form.setHorizontalSpacing(16 if moved else 12)
        form.setVerticalSpacing(spacing)
        form.setLabelAlignment(
            (Qt.AlignmentFlag.AlignRight if moved else Qt.AlignmentFlag.AlignLeft)
            | Qt.AlignmentFlag.AlignVCenter
        )
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key in FIELDS:
            label = QLabel(key.capitalize())
            label.setObjectName(f"label_{key}")
            field = QLineEdit()
            field.setObjectName(f"field_{key}")
            if key == "password":
                field.setEchoMode(QLineEdit.EchoMode.Password)
            field.textChanged.connect(self.changed)
            label.setBuddy(field)
            form.addRow(label, field)
            self.fields[key], self.field_labels[key] = field, label
        self.country_label = QLabel("Country")
        self.country_label.setObjectName("label_country")
        self.country = QComboBox()
        self.country.setObjectName("combo_country")
        self.country.addItems(list(COUNTRIES))
        self.country.setCurrentText("United States")
        self.country.currentTextChanged.connect(self.changed)
        form.addRow(self.country_label, self.country)
        column.addLayout(form)

        checks = QVBoxLayout()
        checks.setSpacing(6)
        for key, text in CHECKBOXES:
            box = QCheckBox(text)
            box.setObjectName(f"check_{key}")
            box.toggled.connect(self.changed)
            checks.addWidget(box, 0, Qt.AlignmentFlag.AlignLeft)
            self.checks[key] = box
        column.addLayout(checks)

        self.plan = QGroupBox("Plan")
        self.plan.setObjectName("group_plan")
        plan_layout = QHBoxLayout(self.plan)
        plan_layout.setSpacing(24)
        self.plan_group = QButtonGroup(self)
        for key, text in PLANS:
            radio = QRadioButton(text)
            radio.setObjectName(f"radio_{key}")
            radio.toggled.connect(self.changed)
            self.plan_group.addButton(radio)
            plan_layout.addWidget(radio)
            self.radios[key] = radio
        plan_layout.addStretch(1)
        self.radios["basic"].setChecked(True)
        column.addWidget(self.plan)
        column.addStretch(1)
        return column

    def _build_list_column(self) -> QVBoxLayout:
        column = QVBoxLayout()
        column.setSpacing(6)
        self.items_label = QLabel("Items")
        self.items_label.setObjectName("label_items")
        column.addWidget(self.items_label, 0, Qt.AlignmentFlag.AlignLeft)
        self.list = QListWidget()
        self.list.setObjectName("list_items")
        self.list.addItems([f"Item {i}" for i in range(1, 61)])
        self.list.itemSelectionChanged.connect(self.changed)
        self.list.verticalScrollBar().valueChanged.connect(self.changed)
        column.addWidget(self.list, 1)
        return column

    def _build_status(self) -> None:
        bar = self.statusBar()
        bar.setObjectName("statusbar")
        bar.setSizeGripEnabled(False)
        self.status_label = QLabel("Ready")
        self.status_label.setObjectName("status_message")
        bar.addWidget(self.status_label, 1)

    # -- behaviour ----------------------------------------------------------------------------

    def changed(self, *_args: object) -> None:
        self.channel.schedule()

    def set_status(self, text: str) -> None:
        self.status_label.setText(text)
        self.changed()

    def _record_click(self, name: str) -> None:
        self.last_clicked = name
        self.clicks.append(name)
        self.changed()

    def _clicked(self, name: str, slot: Callable[[], None], *_args: object) -> None:
        self._record_click(name)
        slot()

    def _on_tool(self, name: str, tip: str, *_args: object) -> None:
        self._record_click(name)
        self.set_status(tip)

    def _save(self) -> None:
        self.saved_count += 1
        self.set_status("Saved")

    def _cancel(self) -> None:
        self.set_status("Cancelled")

    def _delete_all(self) -> None:
        for field in self.fields.values():
            field.clear()
        self.set_status("Deleted")

    def _open_settings(self) -> None:
        dialog = self.dialog
        geo = self.frameGeometry()
        dialog.move(
            geo.x() + (geo.width() - dialog.width()) // 2,
            geo.y() + (geo.height() - dialog.height()) // 2,
        )
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        self.channel.schedule_later(60)

    def _dialog_ok(self) -> None:
        self._record_click("dialog_ok")
        self.settings_server = self.dialog.server.text()
        self.dialog.accept()
        self.set_status("Settings saved")

    def _dialog_cancel(self) -> None:
        self._record_click("dialog_cancel")
        self.dialog.reject()

    def _on_menu(self, title: str, text: str, *_args: object) -> None:
        self.menu_log.append(f"{title}/{text}")
        focused = QApplication.focusWidget()
        edit = focused if isinstance(focused, QLineEdit) else None
        key = f"{title}/{text}"
        if key == "File/Save":
            self._save()
        elif key == "File/New":
            self._delete_all()
            self.set_status("New form")
        elif key == "File/Quit":
            self.set_status("Quitting")
            self.channel.flush()
            QTimer.singleShot(0, QApplication.quit)
        elif key == "Help/About":
            self.set_status("Fixture Form 1.0")
        elif title == "Edit" and edit is not None:
            {
                "Undo": edit.undo,
                "Cut": edit.cut,
                "Copy": edit.copy,
                "Paste": edit.paste,
                "Select All": edit.selectAll,
            }[text]()
            self.changed()
        else:
            self.set_status(key)

    def execute(self, line: str) -> None:
        """Apply one command-file line: ``set FIELD VALUE``, ``status TEXT``, ``check NAME on|off``,
        ``scroll N``, ``hide NAME`` / ``show NAME`` (a widget's objectName)."""
        verb, _, rest = line.partition(" ")
        if verb == "set":
            key, _, value = rest.partition(" ")
            if key in self.fields:
                self.fields[key].setText(value)
            elif key == "country":
                index = self.country.findText(value)
                if index < 0:
                    raise ValueError(f"no country {value!r}")
                self.country.setCurrentIndex(index)
            elif key == "server":
                self.dialog.server.setText(value)
            else:
                raise ValueError(f"unknown field {key!r}; known: {[*FIELDS, 'country', 'server']}")
        elif verb == "status":
            self.set_status(rest)
        elif verb == "check":
            key, _, value = rest.partition(" ")
            if key not in self.checks:
                raise ValueError(f"unknown checkbox {key!r}")
            self.checks[key].setChecked(value.strip().lower() in ("on", "true", "1", "yes"))
        elif verb == "scroll":
            self.list.verticalScrollBar().setValue(int(rest))
        elif verb in ("hide", "show"):
            widget = self.findChild(QWidget, rest.strip())
            if widget is None:
                raise ValueError(f"no widget named {rest.strip()!r}")
            widget.setVisible(verb == "show")
        else:
            raise ValueError(f"unknown command {verb!r}")

    # -- state --------------------------------------------------------------------------------

    def repaint_all(self) -> None:
        self.repaint()
        if self.dialog.isVisible():
            self.dialog.repaint()
        for menu in self.menus.values():
            if menu.isVisible():
                menu.repaint()

    def _group_title_rect(self) -> QRect:
        option = QStyleOptionGroupBox()
        self.plan.initStyleOption(option)
        return self.plan.style().subControlRect(
            QStyle.ComplexControl.CC_GroupBox,
            option,
            QStyle.SubControl.SC_GroupBoxLabel,
            self.plan,
        )

    def _widget_entries(self) -> list[Json]:
        out: list[Json] = []
        bar = self.menuBar()
        for title, menu in self.menus.items():
            rect = bar.actionGeometry(menu.menuAction())
            out.append(entry(menu.objectName(), "menu", title, bar, rect))
        for menu in self.menus.values():
            if not menu.isVisible():
                continue
            for action in menu.actions():
                if action.isSeparator():
                    continue
                out.append(
                    entry(
                        action.objectName(),
                        "menu_item",
                        action.text(),
                        menu,
                        menu.actionGeometry(action),
                        shortcut=action.shortcut().toString(),
                    )
                )
        for name, tool in self.tools.items():
            out.append(entry(name, "icon", tool.toolTip(), tool, icon_only=True))
        out.append(label_entry(self.heading))
        for key in FIELDS:
            out.append(label_entry(self.field_labels[key]))
            field = self.fields[key]
            out.append(entry(field.objectName(), "field", field.displayText(), field))
        out.append(label_entry(self.country_label))
        out.append(entry("combo_country", "combo", self.country.currentText(), self.country))
        for box in self.checks.values():
            out.append(toggle_entry(box.objectName(), "checkbox", box))
        out.append(
            entry("label_plan", "label", self.plan.title(), self.plan, self._group_title_rect())
        )
        for radio in self.radios.values():
            out.append(toggle_entry(radio.objectName(), "radio", radio))
        out.append(label_entry(self.items_label))
        out.append(entry("list_items", "list", "", self.list))
        for button in self.buttons.values():
            out.append(entry(button.objectName(), "button", button.text(), button))
        out.append(label_entry(self.status_label, kind="status"))
        if self.dialog.isVisible():
            out.extend(self.dialog.entries())
        return out

    def _list_rows(self) -> list[Json]:
        viewport = self.list.viewport()
        area = viewport.rect()
        rows = []
        for i in range(self.list.count()):
            item = self.list.item(i)
            rect = self.list.visualItemRect(item)
            if not rect.intersects(area):
                continue
            rows.append(
                {
                    "text": item.text(),
                    "box": physical_box(viewport, rect.intersected(area)),
                    "selected": item.isSelected(),
                    "fully_visible": area.contains(rect),
                }
            )
        return rows

    def snapshot(self) -> Json:
        geo = self.frameGeometry()
        scale = scale_of(self)
        selected = self.list.selectedItems()
        focus = QApplication.focusWidget()
        plan = next((k for k, r in self.radios.items() if r.isChecked()), None)
        return {
            "ready": True,
            "app": "form_app",
            "pid": os.getpid(),
            "variant": self.variant,
            "scale": scale,
            "window": physical_rect(geo.x(), geo.y(), geo.width(), geo.height(), scale),
            "title": self.windowTitle(),
            "fields": {k: f.text() for k, f in self.fields.items()},
            "checkboxes": {k: b.isChecked() for k, b in self.checks.items()},
            "radio": plan,
            "country": self.country.currentText(),
            "list_selected": selected[0].text() if selected else None,
            "list_scroll": self.list.verticalScrollBar().value(),
            "list_scroll_max": self.list.verticalScrollBar().maximum(),
            "status": self.status_label.text(),
            "last_clicked": self.last_clicked,
            "clicks": list(self.clicks),
            "saved_count": self.saved_count,
            "menu_log": list(self.menu_log),
            "open_menu": next((t for t, m in self.menus.items() if m.isVisible()), None),
            "dialog_open": self.dialog.isVisible(),
            "dialog_proxy": self.dialog.proxy.isChecked(),
            "settings_server": self.settings_server,
            "focus": focus.objectName() if focus is not None else None,
            "widgets": self._widget_entries(),
            "list_rows": self._list_rows(),
        }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="gui-agent sample-form",
                                     description=__doc__.splitlines()[0])  # fmt: skip
    parser.add_argument("--state", type=Path, required=True, help="JSON state file to write")
    parser.add_argument("--variant", choices=VARIANTS, default="default")
    # Misbehaviour on purpose, for the headless runner's tests.
    parser.add_argument("--crash-after", type=float, metavar="S", help="exit with code 3")
    parser.add_argument("--hang-after", type=float, metavar="S", help="freeze the event loop")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    prepare_qt_environment(SCALES.get(args.variant))
    app = make_application(dark=args.variant == "dark")
    _keepalive = install_signal_handlers(app)
    window = FormWindow(args.variant, args.state.resolve())
    window.show()
    mark_ready_when_exposed(window, window.channel)
    if args.crash_after is not None:
        QTimer.singleShot(int(args.crash_after * 1000), lambda: os._exit(3))
    if args.hang_after is not None:
        QTimer.singleShot(int(args.hang_after * 1000), lambda: time.sleep(3600))
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
