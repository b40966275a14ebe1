"""A full-screen "busy" window for performance benchmarks: lots of text and buttons.

    python tests/apps/busy_app.py --state STATE.json

A 1920x1080 frameless window at (0, 0): a read-only log of 64 realistic lines, 20 labelled
buttons, a details panel and a status line. Like the sample form
(``gui_agent/sample/form_app.py``) it writes a JSON state file with physical boxes, and
applies ``status TEXT`` from ``STATE.json.cmd`` so a benchmark can make a small, known change
on screen and time how fast it is noticed.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui_agent.sample.form_app import (
    FONT_POINTS,
    Json,
    StateChannel,
    entry,
    install_signal_handlers,
    label_entry,
    make_application,
    mark_ready_when_exposed,
    physical_box,
    physical_rect,
    prepare_qt_environment,
    scale_of,
)

SCREEN = (1920, 1080)
LINE_COUNT = 63
BUTTONS = (
    "Open",
    "Save",
    "Export PDF",
    "Print",
    "Refresh",
    "Deploy",
    "Rollback",
    "Restart service",
    "Stop service",
    "View metrics",
    "Download logs",
    "Clear cache",
    "Run tests",
    "Archive",
    "Share link",
    "Settings",
    "Add user",
    "Remove user",
    "Schedule backup",
    "Help",
)
DETAILS = (
    ("Host", "build-07.internal"),
    ("Branch", "release/2024.05"),
    ("Commit", "9f3c2e1 Fix rounding in invoice totals"),
    ("Started", "2024-05-14 09:00:12 UTC"),
    ("Duration", "14 min 32 s"),
    ("Tests", "1,284 passed, 3 skipped, 0 failed"),
    ("Artifacts", "12 files (482 MB)"),
    ("Owner", "Dana Whitfield"),
    ("Queue", "priority-high"),
    ("Region", "eu-west-1"),
)
SERVICES = (
    "auth-api",
    "billing",
    "scheduler",
    "search-indexer",
    "mailer",
    "web-frontend",
    "report-worker",
    "cache-warmer",
)
USERS = ("m.garcia", "j.chen", "a.okafor", "s.novak", "p.lindqvist", "r.haddad")
TEMPLATES = (
    "INFO  [{svc}] GET /api/v2/orders/{n} completed in {ms} ms with status 200 for account {acct} "
    "in {region}",
    "WARN  [{svc}] Slow query on table invoices took {ms} ms scanning {rows} rows; consider an "
    "index on due_date",
    "ERROR [{svc}] Connection to replica db-{k}.internal refused after {r} retries; failing over "
    "to the primary",
    "INFO  [{svc}] Nightly backup finished: {files} files copied to /srv/backup/2024-05-{day} "
    "({gb} GB), checksums OK",
    "DEBUG [{svc}] Cache hit ratio for the product catalogue is {pct}% over five minutes; {evict} "
    "entries evicted",
    "INFO  [{svc}] User {user} signed in from 10.{k}.{r}.{n3} with two-factor authentication; "
    "session ends 18:{mm}",
    "INFO  [{svc}] Quarterly sales report exported to PDF ({pages} pages, {kb} KB) and sent to "
    "finance@example.com",
    "WARN  [{svc}] Disk usage on /var/lib/data reached {pct}% of capacity; cleanup job runs in {r} "
    "minutes",
    "INFO  [{svc}] Deployed version 3.{k}.{r} to {n3} instances behind the load balancer; health "
    "checks are green",
    "ERROR [{svc}] Payment provider returned HTTP 502 for transaction TX-{acct}; retrying in {r} "
    "minutes",
    "INFO  [{svc}] Sent {files} password reset emails and {evict} weekly summaries; bounce rate "
    "under {r} percent",
    "DEBUG [{svc}] Rebuilt search index shard {k} of 12 with {rows} documents in {ms} ms; old "
    "shard is read-only",
)


def log_lines(count: int = LINE_COUNT, seed: int = 7) -> list[str]:
    """Deterministic, varied log lines of about 100-140 characters."""
    rng = random.Random(seed)
    lines = []
    for i in range(count):
        stamp = f"09:{(i * 7) // 60 + 10:02d}:{(i * 7) % 60:02d}"
        template = TEMPLATES[(i * 5 + rng.randrange(3)) % len(TEMPLATES)]
        text = template.format(
            svc=rng.choice(SERVICES),
            n=rng.randrange(10000, 99999),
            n3=rng.randrange(2, 250),
            ms=rng.randrange(12, 4800),
            acct=rng.randrange(100000, 999999),
            region=rng.choice(("eu-west-1", "us-east-2", "ap-south-1")),
            rows=f"{rng.randrange(10_000, 9_000_000):,}",
            k=rng.randrange(1, 9),
            r=rng.randrange(2, 9),
            inc=rng.randrange(4000, 9999),
            files=f"{rng.randrange(200, 20000):,}",
            day=f"{rng.randrange(1, 28):02d}",
            gb=f"{rng.uniform(0.5, 40):.1f}",
            pct=rng.randrange(61, 97),
            evict=rng.randrange(10, 900),
            user=rng.choice(USERS),
            mm=f"{rng.randrange(0, 60):02d}",
            pages=rng.randrange(4, 60),
            kb=f"{rng.randrange(120, 9000):,}",
        )
        lines.append(f"{stamp} {text}")
    return lines


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text.lower())


class BusyWindow(QWidget):
    """The busy screen; every widget and visible log line is reported with its box."""

    def __init__(self, state_path: Path) -> None:
        super().__init__(None, Qt.WindowType.FramelessWindowHint)
        self.setObjectName("busy_window")
        self.setWindowTitle("Build Monitor")
        self.channel = StateChannel(state_path, self.snapshot, self.execute, self.repaint)
        self.last_clicked: str | None = None
        self.clicks: list[str] = []
        self.labels: list[QLabel] = []
        self.buttons: dict[str, QPushButton] = {}

        root = QHBoxLayout(self)
        root.setContentsMargins(12, 8, 12, 8)
        root.setSpacing(16)

        left = QVBoxLayout()
        left.setSpacing(4)
        self.heading = self._label("label_heading", "Deployment log: ci-runner-07", bold=True)
        left.addWidget(self.heading, 0, Qt.AlignmentFlag.AlignLeft)
        self.log = QPlainTextEdit()
        self.log.setObjectName("text_log")
        self.log.setReadOnly(True)
        self.log.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.log.setPlainText("\n".join(log_lines()))
        self.log.verticalScrollBar().valueChanged.connect(self.channel.schedule)
        left.addWidget(self.log, 1)
        self.status_label = QLabel("Status: idle")
        self.status_label.setObjectName("status_message")
        left.addWidget(self.status_label)
        root.addLayout(left, 1)

        right_panel = QWidget()
        right_panel.setFixedWidth(860)
        right = QVBoxLayout(right_panel)
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(10)
        right.addWidget(self._label("label_actions", "Actions", bold=True))
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(10)
        for i, text in enumerate(BUTTONS):
            name = f"btn_{_slug(text)}"
            button = QPushButton(text)
            button.setObjectName(name)
            button.setMinimumHeight(34)
            button.clicked.connect(lambda _=False, n=name, t=text: self._clicked(n, t))
            grid.addWidget(button, i // 4, i % 4)
            self.buttons[name] = button
        right.addLayout(grid)
        right.addSpacing(12)
        right.addWidget(self._label("label_details", "Details", bold=True))
        form = QFormLayout()
        form.setHorizontalSpacing(18)
        form.setVerticalSpacing(8)
        for key, value in DETAILS:
            form.addRow(
                self._label(f"label_{_slug(key)}", key),
                self._label(f"value_{_slug(key)}", value),
            )
        right.addLayout(form)
        right.addStretch(1)
        root.addWidget(right_panel)

        self.setFixedSize(*SCREEN)
        self.move(0, 0)

    def _label(self, name: str, text: str, bold: bool = False) -> QLabel:
        label = QLabel(text)
        label.setObjectName(name)
        if bold:
            font = QFont(label.font())
            font.setBold(True)
            font.setPointSize(FONT_POINTS + 2)
            label.setFont(font)
        self.labels.append(label)
        return label

    def _clicked(self, name: str, text: str) -> None:
        self.last_clicked = name
        self.clicks.append(name)
        self.status_label.setText(f"{text} requested")
        self.channel.schedule()

    def execute(self, line: str) -> None:
        """Apply one command-file line; only ``status TEXT`` is understood."""
        verb, _, rest = line.partition(" ")
        if verb != "status":
            raise ValueError(f"unknown command {verb!r}; busy_app understands: status TEXT")
        self.status_label.setText(rest)

    def _lines(self) -> list[Json]:
        """Each log line's tight text box (from the text layout) and whether it is all shown."""
        viewport = self.log.viewport()
        area = QRectF(viewport.rect())
        offset = self.log.contentOffset()
        out = []
        block = self.log.document().firstBlock()
        while block.isValid():
            geo = self.log.blockBoundingGeometry(block).translated(offset)
            layout = block.layout()
            if layout is not None and layout.lineCount() > 0:
                text_rect = layout.lineAt(0).naturalTextRect().translated(geo.topLeft())
            else:
                text_rect = geo
            inside = area.contains(text_rect)
            top_left = viewport.mapToGlobal(text_rect.topLeft().toPoint())
            box = physical_rect(
                top_left.x(), top_left.y(), text_rect.width(), text_rect.height(), scale_of(self)
            )
            out.append({"text": block.text(), "box": box, "visible": inside})
            block = block.next()
        return out

    def snapshot(self) -> Json:
        geo = self.frameGeometry()
        scale = scale_of(self)
        widgets = [label_entry(label) for label in self.labels]
        widgets.append(entry("text_log", "text", "", self.log))
        widgets.extend(entry(n, "button", b.text(), b) for n, b in self.buttons.items())
        widgets.append(label_entry(self.status_label, kind="status"))
        lines = self._lines()
        return {
            "ready": True,
            "app": "busy_app",
            "pid": os.getpid(),
            "variant": "default",
            "scale": scale,
            "window": physical_rect(geo.x(), geo.y(), geo.width(), geo.height(), scale),
            "status": self.status_label.text(),
            "last_clicked": self.last_clicked,
            "clicks": list(self.clicks),
            "visible_lines": sum(1 for line in lines if line["visible"]),
            "log_box": physical_box(self.log.viewport()),
            "widgets": widgets,
            "lines": lines,
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--state", type=Path, required=True, help="JSON state file to write")
    parser.add_argument("--variant", choices=("default",), default="default")
    args = parser.parse_args(argv)
    prepare_qt_environment(None)
    app = make_application()
    _keepalive = install_signal_handlers(app)
    window = BusyWindow(args.state.resolve())
    window.show()
    mark_ready_when_exposed(window, window.channel)
    assert isinstance(app, QApplication)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
