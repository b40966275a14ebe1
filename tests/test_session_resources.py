"""Twenty sessions in a row, built by the factory as every surface builds them, leave no file
descriptor, thread or X connection behind and do not grow the process."""

from __future__ import annotations

import os
import resource
import threading
from pathlib import Path

from gui_agent.agent.factory import SessionParts, SessionSpec, build_session
from gui_agent.control.approvers import NobodyApprover
from gui_agent.control.executor import PyAutoGuiBackend
from gui_agent.headless.xvfb import Xvfb
from gui_agent.perception.ocr import OcrEngine
from gui_agent.perception.perceiver import Perceiver
from gui_agent.screen.capture import ScreenCapture


def _fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20


def test_twenty_sessions_leak_nothing(display: Xvfb, ocr_engine: OcrEngine, tmp_path: Path) -> None:
    backend = PyAutoGuiBackend()
    perceiver = Perceiver(ocr_engine)
    with ScreenCapture(display.display) as cap:

        def one(n: int) -> str:
            spec = SessionSpec.of(goal="wait 0.05 seconds", autonomy="auto",
                                  journal=tmp_path / f"{n}.db")  # fmt: skip
            parts = SessionParts(capture=cap, approver=NobodyApprover(), backend=backend,
                                 perceiver=perceiver)  # fmt: skip
            with build_session(spec, parts) as session:
                return session.run().status

        assert one(0) == "finished"  # warm up: models, caches, the capture connection
        fds, threads, rss = _fds(), threading.active_count(), _rss_mb()
        statuses = [one(n) for n in range(1, 21)]
        assert statuses == ["finished"] * 20
        assert _fds() <= fds, "file descriptors (journals, X connections) were left open"
        assert threading.active_count() <= threads
        assert _rss_mb() - rss < 60, f"grew by {_rss_mb() - rss:.0f} MB over 20 sessions"
