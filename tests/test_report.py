"""The JUnit and HTML reports of a headless run, checked the way their readers consume them.

CI parses the XML, so the tests parse it too; a person looks at the HTML, so the tests open
the written screenshots pixel by pixel and render the page in a real Chromium.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
import pytest

from gui_agent.errors import GuiAgentError
from gui_agent.headless import report
from gui_agent.headless.report import (
    clean_text,
    format_seconds,
    screenshot_html,
    write_html,
    write_junit,
)
from gui_agent.headless.results import CheckResult, StepReport, TaskResult

NASTY = 'Saved <b>"it\'s"</b> & done\x07 > 1'  # markup, both quotes, & and a BEL
NASTY_CLEAN = 'Saved <b>"it\'s"</b> & done > 1'
MAGENTA = (255, 0, 255)
SAVE_BOX = (560, 520, 120, 40)  # the Save button in the synthetic form


def form_png(title: str, filled: bool = False, dialog: bool = False) -> bytes:
    """An 800x600 screen of a small form: title bar, two fields, Save/Cancel, maybe a dialog."""
    img = np.full((600, 800, 3), 236, np.uint8)
    cv2.rectangle(img, (0, 0), (799, 36), (90, 60, 40), -1)
    cv2.putText(img, title, (12, 25), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (255, 255, 255), 2)
    for y, label in ((120, "Name"), (200, "Email")):
        cv2.putText(img, label, (40, y + 25), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (30, 30, 30), 1)
        cv2.rectangle(img, (160, y), (560, y + 36), (255, 255, 255), -1)
        cv2.rectangle(img, (160, y), (560, y + 36), (150, 150, 150), 1)
        if filled:
            cv2.putText(img, "Ada", (170, y + 25), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (0, 0, 0), 1)
    x, y, w, h = SAVE_BOX
    cv2.rectangle(img, (x, y), (x + w, y + h), (200, 120, 30), -1)
    cv2.putText(img, "Save", (x + 30, y + 27), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (255, 255, 255), 2)
    cv2.rectangle(img, (420, 520), (540, 560), (210, 210, 210), -1)
    if dialog:
        cv2.rectangle(img, (200, 220), (600, 380), (245, 245, 255), -1)
        cv2.rectangle(img, (200, 220), (600, 380), (40, 40, 200), 2)
        cv2.putText(
            img, "Error: disk full", (230, 300), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (40, 40, 200), 2
        )
    ok, buf = cv2.imencode(".png", img)
    assert ok
    return buf.tobytes()


def make_results() -> list[TaskResult]:
    """One task of each outcome, as the runner would hand them over."""
    passed = TaskResult(
        name="Fill the contact form",
        file="tasks/forms/contact.yaml",
        status="passed",
        duration=12.4,
        stage_timings={"launch": 2.1, "run": 9.8, "checks": 0.5},
        steps=[
            StepReport(
                1,
                "Click the Name field",
                "auto",
                "ok",
                "",
                (160, 120, 400, 36),
                form_png("Contact"),
                {"perceive": 0.4, "plan": 1.2, "act": 0.1, "total": 1.7},
            ),
            StepReport(
                2,
                "Type ••• into the Email field",
                "approved",
                "ok",
                "typed 14 characters",
                (160, 200, 400, 36),
                form_png("Contact", filled=True),
                {"total": 1.1},
            ),
        ],
        checks=[CheckResult("text_visible: Ada", True)],
        app_output="contact form ready\n",
    )
    failed = TaskResult(
        name='Save <draft> & "quit"',
        file="tasks/forms/save.v2.yaml",
        status="failed",
        reason="The app showed 'Error: disk full' after Save; expected the text \"Saved\".",
        duration=75.5,
        stage_timings={"launch": 1.5, "run": 70.0, "checks": 4.0},
        steps=[
            StepReport(
                1,
                "Click the Name field",
                "auto",
                "ok",
                "",
                (160, 120, 400, 36),
                form_png("Editor"),
                {"total": 1.0},
            ),
            StepReport(
                2,
                "Click the Save button",
                "approved",
                "failed",
                NASTY,
                SAVE_BOX,
                form_png("Editor", filled=True, dialog=True),
                {"perceive": 0.5, "plan": 2.0, "act": 0.2, "total": 2.7},
            ),
            StepReport(3, "Press Escape", "rejected", "skipped", "the user said no"),
        ],
        checks=[
            CheckResult("window_title: Editor", True),
            CheckResult("text_visible: Saved", False, "not on screen; closest 'Save' (0.80)"),
            CheckResult("file_exists: out/draft.txt", False, "missing"),
        ],
        last_screen_png=form_png("Editor", filled=True, dialog=True),
        app_output="\x1b[31mERROR\x1b[0m write failed: <ENOSPC> & retrying\x00\n" * 3,
    )
    error = TaskResult(
        name="Open the settings",
        file="tasks/settings.yaml",
        status="error",
        reason="the app never opened a window within 20 s",
        duration=20.3,
        stage_timings={"launch": 20.3},
        app_output="Traceback (most recent call last):\nImportError: libGL.so.1\n",
    )
    return [passed, failed, error]


# --------------------------------------------------------------------------------------------
# JUnit


def test_junit_counts_attributes_and_messages(tmp_path: Path) -> None:
    when = datetime(2026, 11, 25, 17, 0, 5, tzinfo=UTC)
    path = write_junit(make_results(), tmp_path / "ci" / "junit.xml", "nightly", timestamp=when)
    assert path == tmp_path / "ci" / "junit.xml"
    root = ET.parse(path).getroot()
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1
    suite = suites[0]
    for el in (root, suite):
        assert el.get("tests") == "3"
        assert el.get("failures") == "1"
        assert el.get("errors") == "1"
        assert el.get("skipped") == "0"
        assert float(el.get("time", "")) == pytest.approx(12.4 + 75.5 + 20.3)
    assert suite.get("name") == "nightly"
    assert suite.get("timestamp") == "2026-11-25T17:00:05"
    assert suite.get("hostname")

    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [
        "Fill the contact form",
        'Save <draft> & "quit"',
        "Open the settings",
    ]
    # Relative to the shared tasks/ folder; the dot in save.v2 must not invent a package.
    assert [c.get("classname") for c in cases] == ["forms.contact", "forms.save_v2", "settings"]
    assert [float(c.get("time", "")) for c in cases] == [12.4, 75.5, 20.3]
    assert cases[0].find("failure") is None and cases[0].find("error") is None

    failure = cases[1].find("failure")
    assert failure is not None and cases[1].find("error") is None
    assert failure.get("type") == "TaskFailed"
    assert failure.get("message") == make_results()[1].reason
    text = failure.text or ""
    assert "text_visible: Saved" in text and "closest 'Save' (0.80)" in text
    assert "file_exists: out/draft.txt" in text
    assert "window_title: Editor" not in text  # only the failed checks are listed
    assert "#2 [approved → failed] Click the Save button" in text
    assert "#3 [rejected → skipped] Press Escape" in text

    error = cases[2].find("error")
    assert error is not None and cases[2].find("failure") is None
    assert error.get("type") == "TaskError"
    assert error.get("message") == "the app never opened a window within 20 s"
    assert "No steps ran." in (error.text or "")

    out = cases[1].findtext("system-out") or ""
    assert "Stages: launch 1.50 s · run 1 min 10 s · checks 4.00 s" in out
    assert "#1 [auto → ok] Click the Name field" in out
    assert "ERROR write failed: <ENOSPC> & retrying" in out  # colour codes and NUL gone
    assert "ImportError: libGL.so.1" in (cases[2].findtext("system-out") or "")


def test_junit_survives_special_characters(tmp_path: Path) -> None:
    bad = TaskResult(
        name=f"name {NASTY}\x1b",
        file="weird/it's & <odd>.yaml",
        status="failed",
        reason=f"reason {NASTY}\nsecond line\x0b",
        checks=[CheckResult(f"check {NASTY}", False, f"detail {NASTY}")],
        steps=[StepReport(1, f"action {NASTY}", "auto", "failed", f"msg {NASTY}")],
        app_output=f"out {NASTY}\ud800\ufffe",
    )
    raw = write_junit([bad], tmp_path / "junit.xml").read_bytes()
    assert b"\x07" not in raw and b"\x1b" not in raw and b"\x0b" not in raw
    case = ET.fromstring(raw).find("testsuite/testcase")
    assert case is not None
    assert case.get("name") == f"name {NASTY_CLEAN}"
    assert case.get("file") == "weird/it's & <odd>.yaml"
    assert case.get("classname") == "it's & <odd>"
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == f"reason {NASTY_CLEAN} second line"
    for piece in (f"check {NASTY_CLEAN}", f"detail {NASTY_CLEAN}", f"msg {NASTY_CLEAN}"):
        assert piece in (failure.text or "")
    assert f"out {NASTY_CLEAN}" in (case.findtext("system-out") or "")


def test_junit_is_replaced_atomically(tmp_path: Path) -> None:
    path = tmp_path / "junit.xml"
    path.write_text("old, half-read by a CI job")
    results = make_results()
    write_junit(results[:1], path)
    write_junit(results, path)
    assert ET.parse(path).getroot().find("testsuite").get("tests") == "3"  # type: ignore[union-attr]
    assert [p.name for p in tmp_path.iterdir()] == ["junit.xml"]  # no temporary file left
    assert path.stat().st_mode & 0o044 == 0o044  # readable by a CI web server


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (["/home/u/tasks/a.yaml", "/home/u/tasks/sub/b.yaml"], ["a", "sub.b"]),
        (["/srv/x/a.yaml", "rel/b.yaml"], ["a", "b"]),  # mixed: no shared folder, stems
        (["only.yaml", ""], ["only", "gui-agent"]),  # no file: the suite name
    ],
)
def test_junit_classnames(tmp_path: Path, files: list[str], expected: list[str]) -> None:
    results = [TaskResult(name=f"task {i}", file=f, status="passed") for i, f in enumerate(files)]
    root = ET.parse(write_junit(results, tmp_path / "j.xml")).getroot()
    assert [c.get("classname") for c in root.iter("testcase")] == expected


def test_junit_empty_run(tmp_path: Path) -> None:
    suite = ET.parse(write_junit([], tmp_path / "j.xml")).getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("0", "0", "0")
    assert suite.findall("testcase") == []


def test_helpers_read_well() -> None:
    assert format_seconds(0.421) == "0.42 s"
    assert format_seconds(12.34) == "12.3 s"
    assert format_seconds(125) == "2 min 05 s"
    assert format_seconds(3 * 3600 + 65) == "3 h 01 min"
    assert format_seconds(float("nan")) == "–"
    assert clean_text("a\x00b\x1b[1;32mc\x1b[0m\td\x85e") == "abc\tde"


# --------------------------------------------------------------------------------------------
# HTML


def _read_png(path: Path) -> np.ndarray:
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    assert image is not None, f"{path} is not a readable PNG"
    return image


def _is_magenta(pixel: np.ndarray) -> bool:
    return bool(np.abs(pixel.astype(int) - np.array(MAGENTA)).max() <= 40)


def test_html_lists_tasks_reasons_checks_and_steps(tmp_path: Path) -> None:
    results = make_results()
    index = write_html(results, tmp_path / "report", title="Nightly <run>")
    assert index == tmp_path / "report" / "index.html"
    page = index.read_text(encoding="utf-8")

    assert "<title>Nightly &lt;run&gt;</title>" in page
    assert "2 of 3 tasks did not pass" in page
    assert "Save &lt;draft&gt; &amp; &quot;quit&quot;" in page
    for result in results:
        assert html_escape(result.reason) in page
        for check in result.checks:
            assert html_escape(check.name) in page
        for step in result.steps:
            assert html_escape(step.action) in page
    assert "Why it failed" in page and "Why it could not run" in page
    assert "closest &#x27;Save&#x27; (0.80)" in page
    assert "the user said no" in page
    assert "No steps ran." in page
    # Task output is text, never markup, and carries no control characters.
    assert "<ENOSPC>" not in page and "&lt;ENOSPC&gt; &amp; retrying" in page
    assert '<b>"it' not in page and "&lt;b&gt;&quot;it&#x27;s&quot;&lt;/b&gt;" in page
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", page)
    # Timings: per stage and per step.
    assert "run: 1 min 10 s" in page and "perceive 0.50 s" in page
    assert "1 min 16 s" in page and "1 min 48 s" in page  # task and total time
    # Self-contained: no script, no network resources.
    assert "<script" not in page.lower()
    assert not re.search(r"(src|href)=\"(https?:)?//", page)


def html_escape(text: str) -> str:
    from html import escape

    return escape(text, quote=True)


def test_html_shots_have_the_target_drawn(tmp_path: Path) -> None:
    results = make_results()
    folder = tmp_path / "report"
    page = write_html(results, folder).read_text(encoding="utf-8")
    shots = sorted(p.name for p in (folder / "shots").iterdir())
    # Two shots per step with a screenshot (full and thumbnail), the last screen of the
    # failed task (shown at full size), and nothing for the step without a screenshot.
    assert shots == [
        "t001-s001.png", "t001-s001.thumb.png", "t001-s002.png", "t001-s002.thumb.png",
        "t002-last.png",
        "t002-s001.png", "t002-s001.thumb.png", "t002-s002.png", "t002-s002.thumb.png",
    ]  # fmt: skip
    for name in shots:
        attribute = "src" if name.endswith(".thumb.png") else "href"
        assert f'{attribute}="shots/{name}"' in page

    full = _read_png(folder / "shots" / "t002-s002.png")
    assert full.shape == (600, 800, 3)
    x, y, w, h = SAVE_BOX
    assert _is_magenta(full[y + h // 2, x])  # left edge
    assert _is_magenta(full[y + h // 2, x + w - 1])  # right edge
    assert _is_magenta(full[y, x + w // 2])  # top edge
    assert not _is_magenta(full[y + h // 2, x + w // 2])  # the button itself stays visible
    original = cv2.imdecode(np.frombuffer(results[1].steps[1].screenshot_png or b"", np.uint8), 1)
    assert original is not None
    assert not _is_magenta(original[y + h // 2, x])  # the colour came from the report

    thumb = _read_png(folder / "shots" / "t002-s002.thumb.png")
    assert thumb.shape == (360, 480, 3)
    scale = 480 / 800
    assert _is_magenta(thumb[round((y + h / 2) * scale), round(x * scale)])

    last = _read_png(folder / "shots" / "t002-last.png")
    assert not (np.abs(last.astype(int) - MAGENTA).max(axis=2) <= 40).any()  # no box there


def test_html_rerun_clears_stale_shots_and_survives_bad_images(tmp_path: Path) -> None:
    folder = tmp_path / "report"
    write_html(make_results(), folder)
    (folder / "shots" / "keep-me.png").write_bytes(b"someone else's file")
    odd = TaskResult(
        name="odd shots",
        file="odd.yaml",
        status="failed",
        reason="checks failed",
        steps=[
            StepReport(1, "Click far away", "auto", "ok", "", (5000, 5000, 10, 10), form_png("A")),
            StepReport(2, "Click the edge", "auto", "ok", "", (-20, -20, 60, 60), form_png("B")),
            StepReport(3, "Broken capture", "auto", "ok", "", (1, 1, 5, 5), b"not a png"),
        ],
        last_screen_png=b"\x89PNG truncated",
    )
    page = write_html([odd], folder).read_text(encoding="utf-8")
    names = sorted(p.name for p in (folder / "shots").iterdir())
    assert "t002-s001.png" not in names and "keep-me.png" in names
    assert "lies outside the 800×600 screenshot" in page
    assert "screenshot could not be decoded as an image" in page
    clipped = _read_png(folder / "shots" / "t001-s002.png")
    assert _is_magenta(clipped[20, 39])  # the visible part of a box hanging off the corner
    assert (folder / "shots" / "t001-s003.png").read_bytes() == b"not a png"


# --------------------------------------------------------------------------------------------
# Chromium

needs_chromium = pytest.mark.skipif(
    not report.CHROMIUM.exists(),
    reason=f"{report.CHROMIUM} is not installed (apt-get install -y chromium)",
)


@needs_chromium
def test_chromium_renders_the_report(tmp_path: Path, test_output: Path) -> None:
    folder = test_output / "report"
    index = write_html(make_results(), folder, title="gui-agent nightly run")
    png = screenshot_html(index, folder / "report.png", width=1280, height=2000)
    assert png == (folder / "report.png").resolve()
    shot = _read_png(png)
    assert shot.shape == (2000, 1280, 3)
    assert shot.std() > 20  # not one flat colour
    # The CSS applied (the failed status red, #cf222e) and the thumbnails loaded from shots/
    # (the magenta target box is only ever in the screenshots).
    red = (np.abs(shot.astype(int) - (0x2E, 0x22, 0xCF)).max(axis=2) <= 12).sum()
    magenta = (np.abs(shot.astype(int) - MAGENTA).max(axis=2) <= 40).sum()
    assert red > 200, "the report's colours did not render"
    assert magenta > 50, "the screenshots did not load in the page"


def test_missing_chromium_names_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = write_html(make_results()[2:], tmp_path / "r")
    monkeypatch.setattr(report, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setattr(report.shutil, "which", lambda name: None)
    with pytest.raises(GuiAgentError, match=r"apt-get install -y chromium"):
        screenshot_html(index, tmp_path / "r.png")
    assert not (tmp_path / "r.png").exists()


def test_render_of_missing_page_is_refused(tmp_path: Path) -> None:
    with pytest.raises(GuiAgentError, match="does not exist"):
        screenshot_html(tmp_path / "nope.html", tmp_path / "r.png")
