"""The main window: goal in, live view and approvals while it runs, steps and undo after.

The window holds no agent logic: it turns clicks into ``AgentWorker`` requests and worker
signals into widget updates, and keeps one piece of state, what phase the run is in, which
decides which controls are live.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from enum import StrEnum
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QMoveEvent, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from gui_agent.agent.session import Event, EventKind, Outcome
from gui_agent.app.approval import ApprovalPanel
from gui_agent.app.demo_editor import DemoEditor
from gui_agent.app.hotkey import AppStopHotkey
from gui_agent.app.liveview import LiveView
from gui_agent.app.overlay import StatusOverlay
from gui_agent.app.selfguard import OwnWindow
from gui_agent.app.settings_dialog import AUTONOMY_LABELS, PROVIDER_LABELS, SettingsDialog
from gui_agent.app.steps import StepList
from gui_agent.app.style import pretty_hotkey, repolish
from gui_agent.app.worker import (
    AgentWorker,
    ApprovalRequest,
    PlannedStep,
    RecordReport,
    RecordRequest,
    RunRequest,
    StepShot,
    UndoReport,
)
from gui_agent.config import ConfigError, Settings, save_settings
from gui_agent.control.approvers import Approval
from gui_agent.control.risk import Autonomy
from gui_agent.demo.format import SUFFIX, DemoError, load_demo
from gui_agent.geometry import Rect
from gui_agent.planning.actions import Action, Type

__all__ = ["MainWindow", "Phase", "format_question"]

_ASKS = "the planner asks the user: "
_DEMO_FILTER = f"gui-agent demos (*{SUFFIX});;All files (*)"


class Phase(StrEnum):
    IDLE = "idle"
    RUNNING = "running"
    WAITING = "waiting"
    PAUSED = "paused"
    FINISHED = "finished"
    FAILED = "failed"


_PHASE_TEXT = {Phase.IDLE: "Ready", Phase.RUNNING: "Running", Phase.WAITING: "Needs you",
               Phase.PAUSED: "Paused", Phase.FINISHED: "Finished",
               Phase.FAILED: "Stopped"}  # fmt: skip
_SHORT_PROVIDER = {"embedded": "Embedded planner", "openai": "OpenAI-compatible",
                   "anthropic": "Anthropic"}  # fmt: skip
_SHORT_AUTONOMY = {Autonomy.ASK: "Ask every step", Autonomy.ASK_RISKY: "Ask if risky",
                   Autonomy.AUTO: "Auto"}  # fmt: skip


def _card(*widgets: QWidget, margins: int = 12) -> QFrame:
    frame = QFrame()
    frame.setObjectName("Card")
    lay = QVBoxLayout(frame)
    lay.setContentsMargins(margins, margins, margins, margins)
    lay.setSpacing(8)
    for w in widgets:
        lay.addWidget(w)
    return frame


def _section(text: str) -> QLabel:
    label = QLabel(text.upper())
    label.setObjectName("SectionTitle")
    return label


def format_question(message: str) -> str | None:
    """The player's "cannot find it" question as rich text for the banner: the question on
    top, the candidates as a list; None when ``message`` is not a question to the user."""
    if not message.startswith(_ASKS):
        return None
    question = message.removeprefix(_ASKS)
    head, sep, tail = question.partition("; candidates: ")
    html = f"<b>The demo needs you.</b> {escape(head)}."
    if sep:
        candidates = [c for c in re.split(r"(?<=\(\d\.\d\d\)),\s+", tail) if c]
        items = "".join(f"<li>{escape(c)}</li>" for c in candidates)
        html += f"<br>Closest candidates on screen now:<ul style='margin:2px 0'>{items}</ul>"
    return html + "Fix the screen (or re-record that step in the demo), then replay again."


class MainWindow(QMainWindow):
    """The desktop app. ``ocr`` may be a loaded ``OcrEngine`` to share (tests); else the
    worker loads one on the first run. ``journal_dir`` overrides where journals go."""

    first_paint = Signal()

    def __init__(self, settings: Settings | None = None, *, ocr: Any = None,
                 settings_path: Path | None = None, config_error: str | None = None,
                 journal_dir: Path | None = None) -> None:  # fmt: skip
        super().__init__()
        self.settings = settings or Settings()
        self.settings_path = settings_path
        self.journal_dir = journal_dir
        self.phase = Phase.IDLE
        self.own = OwnWindow()
        self.worker = AgentWorker(self.own, ocr, self)
        self.stop_hotkey: AppStopHotkey | None = None
        self.overlay = StatusOverlay(self.own, pretty_hotkey(self.settings.stop_hotkey))
        self.overlay.stop_clicked.connect(self.stop)
        self._current_step = 0
        self.recording: str = ""  # "", "starting" or "recording"
        self._record_done: Callable[[RecordReport], None] | None = None
        self._hidden_for_recording: list[QWidget] = []
        self._rearm_hotkey = False
        self._record_label = ""
        self.demo_editor: DemoEditor | None = None
        self.replaying: Path | None = None
        # A settings file that failed to load is the person's to fix: never overwrite it
        # with defaults behind their back (only an explicit save in Settings does).
        self._autosave = config_error is None
        self.setWindowTitle("gui-agent")
        self.resize(620, 1000)
        self._build()
        self._connect()
        self._set_phase(Phase.IDLE)
        if config_error:
            self.show_banner(f"{config_error}. Using default settings.", "error")

    # -- layout --------------------------------------------------------------------------------
    def _build(self) -> None:
        root = QWidget()
        outer = QVBoxLayout(root)
        outer.setContentsMargins(16, 14, 16, 12)
        outer.setSpacing(12)

        header = QHBoxLayout()
        title = QLabel("gui-agent")
        title.setObjectName("Title")
        self.status_pill = QLabel()
        self.status_pill.setObjectName("Status")
        self.settings_btn = QPushButton("Settings")
        header.addWidget(title)
        header.addSpacing(8)
        header.addWidget(self.status_pill)
        header.addStretch(1)
        header.addWidget(self.settings_btn)
        outer.addLayout(header)

        self.goal = QComboBox()
        self.goal.setEditable(True)
        self.goal.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.goal.addItems(self.settings.goal_history)
        self.goal.setCurrentText("")
        goal_edit = self.goal.lineEdit()
        assert goal_edit is not None
        goal_edit.setPlaceholderText("What should the agent do? e.g. type 'Alice' into Name")
        self.goal.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        self.planner = QComboBox()
        for key in PROVIDER_LABELS:
            self.planner.addItem(_SHORT_PROVIDER[key], key)
        self.planner.setCurrentIndex(list(PROVIDER_LABELS).index(self.settings.provider))
        self.autonomy = QComboBox()
        for a in AUTONOMY_LABELS:
            self.autonomy.addItem(_SHORT_AUTONOMY[a], a.value)
            self.autonomy.setItemData(self.autonomy.count() - 1, AUTONOMY_LABELS[a],
                                      Qt.ItemDataRole.ToolTipRole)  # fmt: skip
        self.autonomy.setCurrentIndex(list(AUTONOMY_LABELS).index(self.settings.autonomy))

        self.start_btn = QPushButton("Start")
        self.start_btn.setObjectName("Primary")
        self.pause_btn = QPushButton("Pause")
        self.stop_btn = QPushButton("Stop")
        self.stop_btn.setObjectName("Danger")
        controls = QHBoxLayout()
        controls.setSpacing(8)
        controls.addWidget(self.planner, 3)
        controls.addWidget(self.autonomy, 2)
        controls.addStretch(1)
        controls.addWidget(self.start_btn)
        controls.addWidget(self.pause_btn)
        controls.addWidget(self.stop_btn)
        goal_box = QWidget()
        gl = QVBoxLayout(goal_box)
        gl.setContentsMargins(0, 0, 0, 0)
        gl.setSpacing(8)
        gl.addWidget(self.goal)
        gl.addLayout(controls)
        self.record_btn = QPushButton("Record demo…")
        self.record_btn.setToolTip("Show the agent how: record your own clicks and typing "
                                   "until the stop hotkey")  # fmt: skip
        self.replay_btn = QPushButton("Replay demo…")
        self.replay_btn.setToolTip("Play a recorded demo back, step by step, through the same "
                                   "approvals as a goal")  # fmt: skip
        self.edit_demo_btn = QPushButton("Edit demo…")
        demos = QHBoxLayout()
        demos.setSpacing(8)
        demos_label = QLabel("Demos")
        demos_label.setObjectName("Subtle")
        demos.addWidget(demos_label)
        demos.addWidget(self.record_btn)
        demos.addWidget(self.replay_btn)
        demos.addWidget(self.edit_demo_btn)
        demos.addStretch(1)
        gl.addLayout(demos)
        outer.addWidget(_card(_section("Goal"), goal_box))

        self.banner = QLabel()
        self.banner.setObjectName("Banner")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.hide()
        outer.addWidget(self.banner)

        self.live = LiveView()
        self.show_elements = QCheckBox("Show detected elements")
        self.show_elements.setChecked(True)
        self.next_action = QLabel("Ready. Type a goal and press Start.")
        self.next_action.setObjectName("NextAction")
        self.next_action.setWordWrap(True)
        live_head = QHBoxLayout()
        live_head.addWidget(_section("Live view"))
        live_head.addStretch(1)
        live_head.addWidget(self.show_elements)
        live_head_w = QWidget()
        live_head_w.setLayout(live_head)
        live_head.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(_card(live_head_w, self.live, self.next_action), 5)

        self.approval = ApprovalPanel()
        outer.addWidget(self.approval)

        self.steps = StepList()
        self.steps.setMinimumHeight(150)
        outer.addWidget(_card(_section("Steps"), self.steps), 4)
        self.setCentralWidget(root)
        root.installEventFilter(self)
        self.statusBar().showMessage(
            "Approve ⏎ · Reject Esc · Undo Ctrl+Z · Stop anywhere "
            f"{pretty_hotkey(self.settings.stop_hotkey)}"
        )

        self.sc_approve = [QShortcut(QKeySequence(k), self) for k in
                           (Qt.Key.Key_Return, Qt.Key.Key_Enter)]  # fmt: skip
        self.sc_reject = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self.sc_undo = QShortcut(QKeySequence.StandardKey.Undo, self)

    def _connect(self) -> None:
        self.start_btn.clicked.connect(self.start)
        self.pause_btn.clicked.connect(self.toggle_pause)
        self.stop_btn.clicked.connect(self.stop)
        self.settings_btn.clicked.connect(self.open_settings)
        self.record_btn.clicked.connect(self._record_clicked)
        self.replay_btn.clicked.connect(self._replay_clicked)
        self.edit_demo_btn.clicked.connect(self._edit_clicked)
        self.show_elements.toggled.connect(self.live.set_show_elements)
        goal_edit = self.goal.lineEdit()
        assert goal_edit is not None
        goal_edit.returnPressed.connect(self._goal_entered)

        self.approval.approved.connect(lambda: self._answer(Approval.approve(), "approved"))
        self.approval.rejected.connect(
            lambda: self._answer(Approval.reject("rejected by the user"), "rejected")
        )
        self.approval.edited.connect(self._edited)
        self.approval.undo_last.connect(lambda: self.request_undo(1))
        for sc in self.sc_approve:
            sc.activated.connect(self._enter)
        self.sc_reject.activated.connect(self._escape)
        self.sc_undo.activated.connect(lambda: self.request_undo(1))
        self.steps.undo_requested.connect(self.request_undo)

        w = self.worker
        w.setup_failed.connect(self._setup_failed)
        w.session_event.connect(self._on_event)
        w.observed.connect(self.live.set_frame)
        w.planned.connect(self._on_planned)
        w.approval_needed.connect(self._on_approval)
        w.shot.connect(self._on_shot)
        w.undo_done.connect(self._on_undo_done)
        w.outcome.connect(self._on_outcome)
        w.aside_requested.connect(self._step_aside)
        w.stop_tripped.connect(self._on_stop_tripped)
        w.recording_started.connect(self._on_recording_started)
        w.recorded.connect(self._on_recorded)

    # -- phase ---------------------------------------------------------------------------------
    def _set_phase(self, phase: Phase) -> None:
        self.phase = phase
        active = phase in (Phase.RUNNING, Phase.WAITING, Phase.PAUSED)
        self.status_pill.setText(_PHASE_TEXT[phase])
        kind = {Phase.WAITING: "waiting", Phase.FINISHED: "finished",
                Phase.FAILED: "failed"}.get(phase, "running" if active else "idle")  # fmt: skip
        self.status_pill.setProperty("kind", kind)
        repolish(self.status_pill)
        for w in (self.goal, self.planner, self.autonomy, self.start_btn, self.settings_btn,
                  self.record_btn, self.replay_btn, self.edit_demo_btn):  # fmt: skip
            w.setEnabled(not active)
        self.pause_btn.setEnabled(phase in (Phase.RUNNING, Phase.PAUSED))
        self.pause_btn.setText("Resume" if phase is Phase.PAUSED else "Pause")
        self.stop_btn.setEnabled(active)
        waiting = phase is Phase.WAITING
        for sc in self.sc_approve:
            sc.setEnabled(waiting)
        self.sc_reject.setEnabled(waiting)
        self.sc_undo.setEnabled(waiting or phase in (Phase.FINISHED, Phase.FAILED))
        self.steps.set_undo_allowed(waiting or phase in (Phase.FINISHED, Phase.FAILED))
        if phase is not Phase.WAITING:
            self.approval.finish()

    def show_banner(self, text: str, kind: str = "info") -> None:
        self.banner.setText(text)
        self.banner.setProperty("kind", kind)
        repolish(self.banner)
        self.banner.show()

    # -- commands ------------------------------------------------------------------------------
    def _goal_entered(self) -> None:
        if self.phase not in (Phase.RUNNING, Phase.WAITING, Phase.PAUSED):
            self.start()

    def start(self) -> None:
        goal = " ".join(self.goal.currentText().split())
        if not goal:
            self.show_banner("Type a goal first, e.g. “type 'Alice' into Name, click Save”.")
            return
        self.settings.remember_goal(goal)
        self._save_settings_quietly()
        self.goal.clear()
        self.goal.addItems(self.settings.goal_history)
        self.goal.setCurrentText(goal)
        goal_edit = self.goal.lineEdit()
        if goal_edit is not None:
            goal_edit.setCursorPosition(0)
        provider = str(self.planner.currentData())
        journal = None
        if self.journal_dir is not None:
            from gui_agent.agent.journal import new_session_path

            journal = new_session_path(self.journal_dir)
        try:
            rules = self.settings.rules()
        except ValueError as exc:
            self.show_banner(f"The risk rules in Settings are invalid: {exc}", "error")
            return
        st = self.settings
        request = RunRequest(goal, provider, Autonomy.parse(str(self.autonomy.currentData())),
                             rules, st.base_url, st.model, journal_path=journal,
                             images=st.images, computer_use=st.computer_use,
                             grounding=st.grounding, grounder_url=st.grounder_url,
                             grounder_model=st.grounder_model, grounder_style=st.grounder_style,
                             grounder_convention=st.grounder_convention,
                             accessibility=st.accessibility)  # fmt: skip
        self.replaying = None
        self._launch(request, "Looking at the screen…")

    def _launch(self, request: RunRequest, doing: str) -> None:
        self.banner.hide()
        self.steps.start_over()
        self.live.clear()
        self.next_action.setText(doing)
        self._set_phase(Phase.RUNNING)
        self._arm_stop_hotkey()
        self.worker.start_run(request)

    def _busy(self) -> bool:
        """A run or a recording is in progress: no second one."""
        if self.recording or self.phase in (Phase.RUNNING, Phase.WAITING, Phase.PAUSED):
            self.statusBar().showMessage("Busy: wait for the current run or recording", 4000)
            return True
        return False

    # -- demos ---------------------------------------------------------------------------------
    def replay_demo(self, path: Path, params: dict[str, str] | None = None, *,
                    threshold: float = 0.6, wait_timeout: float = 10.0) -> bool:  # fmt: skip
        """Replay ``path`` through the worker, gate and approval panel, like a goal; the
        parameter values are given (the button asks for them). Problems with the file or the
        values come back as the usual setup banner."""
        if self._busy():
            return False
        try:
            rules = self.settings.rules()
        except ValueError as exc:
            self.show_banner(f"The risk rules in Settings are invalid: {exc}", "error")
            return False
        journal = None
        if self.journal_dir is not None:
            from gui_agent.agent.journal import new_session_path

            journal = new_session_path(self.journal_dir)
        path = Path(path)
        request = RunRequest(f"replay {path.name}", "demo",
                             Autonomy.parse(str(self.autonomy.currentData())), rules,
                             journal_path=journal, demo=path, params=dict(params or {}),
                             demo_threshold=threshold, demo_wait=wait_timeout)  # fmt: skip
        self.replaying = path
        self._launch(request, f"Replaying {path.name}: looking at the screen…")
        return True

    def _replay_clicked(self) -> None:
        if self._busy():
            return
        name, _ = QFileDialog.getOpenFileName(self, "Replay a demo", str(Path.home()),
                                              _DEMO_FILTER)  # fmt: skip
        if not name:
            return
        try:
            demo = load_demo(name)
        except DemoError as exc:
            self.show_banner(str(exc), "error")
            return
        secret = {n for s in demo.steps if isinstance(s.action, Type) and s.action.secret
                  for n in s.params()}  # fmt: skip
        params: dict[str, str] = {}
        for param in demo.params():
            where = next(s.action.describe() for s in demo.steps if param in s.params())
            hidden = param in secret
            value, ok = QInputDialog.getText(
                self, f"Replay {Path(name).name}",
                f"Value for {{{param}}}{' (not shown, not stored)' if hidden else ''}\n"
                f"used by: {where}",
                QLineEdit.EchoMode.Password if hidden else QLineEdit.EchoMode.Normal,
            )  # fmt: skip
            if not ok:
                self.statusBar().showMessage("Replay cancelled", 4000)
                return
            params[param] = value
        self.replay_demo(Path(name), params)

    def record_demo(
        self,
        path: Path,
        on_done: Callable[[RecordReport], None] | None = None,
        label: str = "",
    ) -> bool:
        """Hide the app, record until the recorder's stop hotkey (or the strip's Stop), show
        the app again and open the new demo in the editor (or call ``on_done``)."""
        if self._busy():
            return False
        path = Path(path)
        if path.suffix != SUFFIX:
            path = path.with_name(path.name + SUFFIX)
        self.recording = "starting"
        self._record_label = label or f"Recording {path.name}"
        self._record_done = on_done or self._recorded_new
        # The app's emergency-stop hotkey is the recorder's stop chord too: off while recording
        # (re-armed by the next run), so ending a recording can never trip the run switch.
        self._rearm_hotkey = self.stop_hotkey is not None
        if self.stop_hotkey is not None:
            self.stop_hotkey.stop()
            self.stop_hotkey = None
        combo = pretty_hotkey(self.settings.stop_hotkey)
        self.overlay.hint.setText(combo)
        self.overlay.show_status("Getting ready to record…")
        self._hidden_for_recording = [w for w in (self, self.demo_editor)
                                      if w is not None and w.isVisible()]  # fmt: skip
        for w in self._hidden_for_recording:
            w.hide()
        QApplication.processEvents()
        self._publish_geometry()
        self.worker.record(RecordRequest(path, self.settings.stop_hotkey))
        return True

    def _record_clicked(self) -> None:
        if self._busy():
            return
        name, _ = QFileDialog.getSaveFileName(self, "Record a demo into", str(Path.home()
                                              / f"demo{SUFFIX}"), _DEMO_FILTER)  # fmt: skip
        if name:
            self.record_demo(Path(name))

    def _on_recording_started(self, req: RecordRequest) -> None:
        self.recording = "recording"
        self.overlay.show_status(f"{self._record_label} · stop with")

    def _on_recorded(self, report: RecordReport) -> None:
        self.recording = ""
        self.worker.switch.reset()
        if self._rearm_hotkey:  # the chord is long released: the brake is back for undos
            self._rearm_hotkey = False
            self._arm_stop_hotkey()
        self.overlay.hide()
        for w in self._hidden_for_recording:
            w.show()
        self._hidden_for_recording = []
        QApplication.processEvents()
        self._publish_geometry()
        done, self._record_done = self._record_done, None
        if done is not None:
            done(report)

    def _recorded_new(self, report: RecordReport) -> None:
        if not self.isVisible():
            self.show()
        self.raise_()
        self.activateWindow()
        if report.error:
            self.show_banner(f"Recording failed: {report.error}", "error")
            return
        left_out = (f" ({report.dropped} click{'s' if report.dropped > 1 else ''} on gui-agent "
                    "itself left out)" if report.dropped else "")  # fmt: skip
        self.show_banner(f"Recorded {report.steps} step{'s' if report.steps != 1 else ''} to "
                         f"{report.path}{left_out}. Edit it below, or replay it with "
                         "“Replay demo…”.", "success")  # fmt: skip
        self.open_demo_editor(report.path)

    def open_demo_editor(self, path: Path) -> DemoEditor:
        if self.demo_editor is not None:
            self.demo_editor.close()
            self.demo_editor.deleteLater()
        editor = DemoEditor(Path(path), self, own=self.own, rerecord=self.rerecord_step)
        self.demo_editor = editor
        editor.show()
        editor.raise_()
        editor.activateWindow()
        return editor

    def _edit_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Edit a demo", str(Path.home()), _DEMO_FILTER)
        if name:
            self.open_demo_editor(Path(name))

    def rerecord_step(self, editor: DemoEditor, number: int) -> bool:
        """Record one input into a scratch file, then hand it to the editor."""
        scratch_dir = tempfile.TemporaryDirectory(prefix="gui-agent-rerecord-")
        scratch = Path(scratch_dir.name) / f"step{SUFFIX}"

        def done(report: RecordReport) -> None:
            try:
                editor.apply_rerecording(number, None if report.error else scratch,
                                         report.error)  # fmt: skip
            finally:
                scratch_dir.cleanup()
            editor.raise_()
            editor.activateWindow()

        if not self.record_demo(scratch, done, label=f"Re-recording step {number}"):
            scratch_dir.cleanup()
            return False
        return True

    def _arm_stop_hotkey(self) -> None:
        """Listen for the configured stop hotkey from the first run on (re-armed when the
        combo changes); a desktop without one still runs, with the reason in the status."""
        combo = self.settings.stop_hotkey
        if self.stop_hotkey is not None and self.stop_hotkey.combo == combo:
            return
        if self.stop_hotkey is not None:
            self.stop_hotkey.stop()
            self.stop_hotkey = None
        hotkey = AppStopHotkey(self.worker.switch, combo)
        try:
            hotkey.start()
        except Exception as exc:  # HotkeyError, or a backend's own (Wayland, no RECORD)
            self.statusBar().showMessage(f"No global stop hotkey here: {exc}", 10000)
            return
        self.stop_hotkey = hotkey

    def _on_stop_tripped(self, reason: str) -> None:
        if self.phase in (Phase.RUNNING, Phase.WAITING, Phase.PAUSED):
            self.statusBar().showMessage(reason.capitalize(), 8000)
            self.next_action.setText("Stopping…")

    def toggle_pause(self) -> None:
        if self.phase is Phase.RUNNING:
            self.worker.pause()
            self._set_phase(Phase.PAUSED)
            self.next_action.setText("Paused: the agent stops before its next step.")
        elif self.phase is Phase.PAUSED:
            self.worker.resume()
            self._set_phase(Phase.RUNNING)

    def stop(self) -> None:
        if self.recording:  # the status strip's Stop while recording ends the recording
            self.worker.stop_recording("the Stop button")
            return
        self.worker.stop()

    def request_undo(self, count: int) -> None:
        """Undo on the worker: inside the pending approval, or after the run ended."""
        if self.phase not in (Phase.WAITING, Phase.FINISHED, Phase.FAILED):
            return
        if not self.steps.undoable():
            self.statusBar().showMessage("Nothing to undo", 4000)
            return
        self.statusBar().showMessage(f"Undoing {count} step{'s' if count > 1 else ''}…")
        self.next_action.setText(f"Undoing {count} step{'s' if count > 1 else ''}…")
        self.steps.set_undo_allowed(False)
        self.worker.undo(count, waiting=self.phase is Phase.WAITING)

    def open_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self.settings, self)
        dialog.finished.connect(lambda _: self._settings_closed(dialog))
        dialog.open()
        return dialog

    def _settings_closed(self, dialog: SettingsDialog) -> None:
        new = dialog.result_settings
        if new is None:
            return
        self.settings = new
        self._autosave = True
        self.planner.setCurrentIndex(list(PROVIDER_LABELS).index(new.provider))
        self.autonomy.setCurrentIndex(list(AUTONOMY_LABELS).index(new.autonomy))
        self.statusBar().showMessage("Settings saved", 4000)

    def _save_settings_quietly(self) -> None:
        if not self._autosave:
            return
        try:
            save_settings(self.settings, self.settings_path)
        except ConfigError as exc:
            self.statusBar().showMessage(str(exc), 8000)

    # -- approval ------------------------------------------------------------------------------
    def _answer(self, approval: Approval, decision: str) -> None:
        self.steps.decided(self._current_step, decision)
        last = self.approval.last_action
        acting = decision == "approved" and last is not None
        self._set_phase(Phase.RUNNING)
        self.next_action.setText(f"Acting: {last.describe()}" if acting and last is not None
                                 else "Planning the next step…")  # fmt: skip
        self.worker.answer(approval)

    def _edited(self, action: Action) -> None:
        step = self._current_step
        self.steps.decided(step, "edited")
        self.steps.planned(step, f"{action.describe()}  (edited)")
        self._set_phase(Phase.RUNNING)
        self.next_action.setText(f"Acting: {action.describe()}")
        self.worker.answer(Approval.edit(action, "edited by the user"))

    def _enter(self) -> None:
        self.approval.accept_current()

    def _escape(self) -> None:
        self.approval.escape()

    def _on_approval(self, req: ApprovalRequest) -> None:
        self._current_step = req.step
        self._set_phase(Phase.WAITING)
        self.approval.show_request(req, can_undo=bool(self.steps.undoable()))
        self.next_action.setText(f"Waiting for you: {req.action.describe()}")
        self.raise_()
        self.activateWindow()

    # -- worker signals ------------------------------------------------------------------------
    def _setup_failed(self, message: str) -> None:
        # Core messages name CLI flags; here the same choice is a picker.
        message = message.replace(
            "--planner openai or --planner anthropic",
            "pick “OpenAI-compatible” or “Anthropic” next to the goal",
        )
        message = re.sub(
            r": pass --param \w+=VALUE", ": “Replay demo…” asks for each value", message
        )
        self.show_banner(message, "error")
        self.next_action.setText("Not running")
        self._set_phase(Phase.FAILED if self.steps.rows else Phase.IDLE)
        self.statusBar().clearMessage()

    def _on_planned(self, p: PlannedStep) -> None:
        self._current_step = p.step
        self.live.set_target(p.target)
        self.next_action.setText(f"Next: {p.action.describe()}")
        if p.action.type not in ("done", "ask_user"):
            self.steps.planned(p.step, p.action.describe())

    def _on_event(self, e: Event) -> None:
        if e.kind is EventKind.EXECUTED:
            self.steps.executed(e.step, bool(e.data.get("ok")), e.message,
                                bool(e.data.get("irreversible")))  # fmt: skip
        elif e.kind is EventKind.VERIFIED:
            self.steps.verified(e.step, e.message, bool(e.data.get("changed")),
                                e.data.get("proven", True) is not False)  # fmt: skip
        elif e.kind is EventKind.REJECTED:
            self.steps.rejected(e.step)

    def _on_shot(self, shot: StepShot) -> None:
        self.steps.thumbnail(shot.step, shot.image)

    def _on_undo_done(self, report: UndoReport) -> None:
        if report.error:
            self.show_banner(f"Undo did not run: {report.error}", "error")
        self.steps.undo_results(report.results)
        ok = not report.error and all(v for _, v, _ in report.results)
        done = ", ".join(f"step {s}" for s, _, _ in report.results) or "nothing"
        self.statusBar().showMessage(f"Undo {'verified' if ok else 'FAILED'}: {done}", 8000)
        req = self.approval.request
        self.next_action.setText(f"Waiting for you: {req.action.describe()}"
                                 if self.phase is Phase.WAITING and req is not None
                                 else f"Undo {'done' if ok else 'incomplete'}: {done}")  # fmt: skip
        self.steps.set_undo_allowed(self.phase in (Phase.WAITING, Phase.FINISHED, Phase.FAILED))
        if self.phase is Phase.WAITING:
            self.approval.undo_btn.setEnabled(bool(self.steps.undoable()))

    def _on_outcome(self, outcome: Outcome) -> None:
        ok = outcome.status == "finished"
        self._set_phase(Phase.FINISHED if ok else Phase.FAILED)
        self.live.set_target(None)
        steps = f"{outcome.steps} step{'s' if outcome.steps != 1 else ''}"
        counts: dict[str, int] = {}
        for r in self.steps.rows.values():
            counts[r.decision or "planned"] = counts.get(r.decision or "planned", 0) + 1
        tally = ", ".join(f"{n} {d}" for d, n in counts.items())
        if ok:
            self.next_action.setText(f"Finished after {steps}")
            goal = " ".join(self.goal.currentText().split())
            said = "" if outcome.message in ("", goal) else f": {outcome.message}"
            self.show_banner(f"Finished{said}. Steps: {tally or 'none'}.", "success")
        elif (question := format_question(outcome.message)) is not None:
            self.next_action.setText(f"Needs you: the demo could not go on after {steps}")
            self.status_pill.setText("Needs you")
            self.status_pill.setProperty("kind", "waiting")
            repolish(self.status_pill)
            self.show_banner(question, "ask")
            self.raise_()
            self.activateWindow()
        else:
            self.next_action.setText(f"{outcome.status.capitalize()} after {steps}")
            if outcome.status == "unverified":  # done, but not every step showed its effect
                self.status_pill.setText("Unverified")
            self.show_banner(f"{outcome.status.capitalize()}: {outcome.message}", "error")

    # -- never act on ourselves ----------------------------------------------------------------
    def _step_aside(self, hide: bool) -> None:
        """Hide the window while the agent sends input (focus and clicks must go to the
        application, not to us), and bring it back afterwards; then tell the worker."""
        if hide:
            self.overlay.hint.setText(pretty_hotkey(self.settings.stop_hotkey))
            doing = self.next_action.text().removeprefix("Next: ")
            self.overlay.show_status(doing if doing.startswith(("Acting", "Undo"))
                                     else f"Acting: {doing}")  # fmt: skip
            self.hide()
        else:
            self.show()
            self.overlay.hide()
            if self.phase is Phase.WAITING:  # the person is being asked: take the keyboard
                self.raise_()
                self.activateWindow()
        QApplication.processEvents()
        self._publish_geometry()
        self.worker.aside_applied()

    def _publish_geometry(self) -> None:
        if not self.isVisible() or self.isMinimized():
            self.own.set(None)
            return
        g = self.frameGeometry()
        ratio = self.devicePixelRatioF()
        self.own.set(Rect(round(g.x() * ratio), round(g.y() * ratio),
                          round(g.width() * ratio), round(g.height() * ratio)))  # fmt: skip

    def moveEvent(self, event: QMoveEvent) -> None:
        super().moveEvent(event)
        self._publish_geometry()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._publish_geometry()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        self._publish_geometry()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self._publish_geometry()

    def hideEvent(self, event: Any) -> None:
        super().hideEvent(event)
        self.own.set(None)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() is QEvent.Type.Paint and obj is self.centralWidget():
            obj.removeEventFilter(self)
            self.first_paint.emit()
        return super().eventFilter(obj, event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.stop_hotkey is not None:
            self.stop_hotkey.stop()
        if self.recording:
            self.worker.stop_recording("the app was closed")
        self.worker.shutdown()
        self.overlay.close()
        super().closeEvent(event)
