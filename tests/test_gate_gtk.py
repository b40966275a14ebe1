"""The gate on a real third-party GTK app (zenity, from Debian): "Yes" under "Delete the file
report.txt?" asks; "Yes" under "Keep the changes?" runs without asking in ask-risky.

The planner is a scripted OpenAI-compatible server proposing the click; whether zenity's Yes
was pressed is read from zenity's own exit status (0 = Yes)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from gui_agent.control.executor import PyAutoGuiBackend
from gui_agent.headless.apps import LaunchedProcess, wait_for_stable_screen
from gui_agent.headless.xvfb import Xvfb
from gui_agent.perception.ocr import OcrEngine
from gui_agent.perception.perceiver import Perceiver
from gui_agent.screen.capture import ScreenCapture
from tests.hostile_cases import click, run_planned

pytestmark = pytest.mark.skipif(
    shutil.which("zenity") is None, reason="zenity is installed by packaging/install-system-deps.sh"
)
GTK_ENV = {"GSETTINGS_BACKEND": "memory", "NO_AT_BRIDGE": "1"}


def _question(xvfb: Xvfb, text: str, ocr: OcrEngine, autonomy: str,
              tmp_path: Path) -> tuple[int | None, list[str], str]:  # fmt: skip
    app = LaunchedProcess(["zenity", "--question", "--text", text], xvfb.display, GTK_ENV)
    try:
        with ScreenCapture(xvfb.display) as cap:
            wait_for_stable_screen(cap, timeout=30, proc=app.proc)
            backend = PyAutoGuiBackend()
            backend.move(1800, 1000)
            outcome, asked, _ = run_planned((click("Yes"),), autonomy, cap, backend,
                                            Perceiver(ocr), tmp_path / "j.db")  # fmt: skip
        try:
            code: int | None = app.proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            code = None  # still asking: Yes was never pressed
        return code, asked, outcome.status
    finally:
        app.close()


@pytest.mark.parametrize("autonomy", ["ask-risky", "auto"])
def test_yes_on_a_gtk_delete_question_asks(xvfb: Xvfb, ocr_engine: OcrEngine, autonomy: str,
                                           tmp_path: Path) -> None:  # fmt: skip
    code, asked, _ = _question(xvfb, "Delete the file report.txt?", ocr_engine, autonomy,
                               tmp_path)  # fmt: skip
    assert code is None, "zenity's Yes was pressed without approval"
    assert len(asked) == 1 and "report.txt" in asked[0]


def test_yes_on_a_harmless_gtk_question_runs_without_asking(
    xvfb: Xvfb, ocr_engine: OcrEngine, tmp_path: Path
) -> None:
    code, asked, status = _question(xvfb, "Keep the changes?", ocr_engine, "ask-risky", tmp_path)
    assert asked == [] and code == 0 and status == "finished"
