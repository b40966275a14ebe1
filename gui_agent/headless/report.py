"""Reports of a headless run: JUnit XML for CI, a static HTML page for people, and a PNG of it.

The runner hands over plain ``TaskResult`` data (see ``results.py``); everything here only
reads it. Task output, step messages and check details come from apps under test and may hold
anything (markup, quotes, terminal colour codes, NUL bytes), so every string passes through
one cleaning step before it reaches a document: CI parsers reject a whole file over a single
illegal XML character, and a stray ``<script>`` in an app's log must stay text in the page.
Both reports are written atomically (temporary file, then ``os.replace``) because CI jobs and
file browsers pick them up while a long run is still going.
"""

from __future__ import annotations

import contextlib
import html
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePath

import cv2
import numpy as np

from gui_agent.errors import GuiAgentError
from gui_agent.headless.results import CheckResult, StepReport, TaskResult

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_APT_PACKAGE = "chromium"

# How much of each text goes into the JUnit file: CI pages show these inline, and a run of a
# hundred tasks with megabytes of app logs each makes the file too slow to open there.
_LAST_STEPS = 5
_MESSAGE_CHARS = 500
_OUTPUT_TAIL_CHARS = 20_000

_THUMB_WIDTH = 480  # stored at twice the displayed width so thumbnails stay sharp on HiDPI
_BOX_BGR = (255, 0, 255)  # magenta: rare in UI themes, so the drawn target never blends in
_BOX_OUTLINE_BGR = (0, 0, 0)

_ANSI_RE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]")
# Everything XML 1.0 forbids, plus DEL and the C1 controls, which render as garbage boxes.
_ILLEGAL_RE = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LAST = -1  # the key of a task's last screen among its step screenshots
_SHOT_NAME_RE = re.compile(r"^t\d{3}-(s\d{3}|last)(\.thumb)?\.png$")


class ReportError(GuiAgentError):
    """A report that cannot be written or rendered; the message names the file and the fix."""


def clean_text(text: str) -> str:
    """Drop terminal colour codes and characters no XML or HTML reader accepts.

    Public because the runner's console summary has the same problem with app output."""
    return _ILLEGAL_RE.sub("", _ANSI_RE.sub("", text))


def _one_line(text: str, limit: int = _MESSAGE_CHARS) -> str:
    """Attributes and table cells show one line: CI tools display a message as a title."""
    flat = " ".join(clean_text(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _tail(text: str, limit: int = _OUTPUT_TAIL_CHARS) -> str:
    """Keep the end of a log: the lines before a crash are the ones that explain it."""
    text = clean_text(text)
    if len(text) <= limit:
        return text
    cut = text[-limit:]
    newline = cut.find("\n")
    if 0 <= newline < 200:
        cut = cut[newline + 1 :]
    return f"[… {len(text) - len(cut)} earlier characters cut …]\n{cut}"


def format_seconds(seconds: float) -> str:
    """Durations as people read them: ``0.42 s``, ``12.3 s``, ``2 min 05 s``."""
    if not math.isfinite(seconds) or seconds < 0:
        return "–"
    if seconds < 10:
        return f"{seconds:.2f} s"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def format_measure(name: str, value: float) -> str:
    """A step's timing, or its size when the name says bytes (what a model was sent)."""
    if not name.endswith("bytes"):
        return format_seconds(value)
    if not math.isfinite(value) or value < 0:
        return "–"
    for unit, size in (("MB", 1e6), ("kB", 1e3)):
        if value >= size:
            return f"{value / size:.1f} {unit}"
    return f"{value:.0f} B"


def _timings_text(timings: dict[str, float]) -> str:
    return " · ".join(f"{name} {format_measure(name, value)}" for name, value in timings.items())


def _counts(results: Sequence[TaskResult]) -> tuple[int, int, int]:
    passed = sum(r.status == "passed" for r in results)
    failed = sum(r.status == "failed" for r in results)
    # Anything that is neither passed nor failed was not run as written: count it as an
    # error rather than silently as a pass, whatever the runner put in ``status``.
    return passed, failed, len(results) - passed - failed


def _total_seconds(results: Iterable[TaskResult]) -> float:
    return sum(r.duration for r in results if math.isfinite(r.duration) and r.duration > 0)


def _atomic_write(path: Path, data: bytes) -> Path:
    """Write next to the target and rename, so readers see the old file or the new one only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide the report from a CI web server
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


# --------------------------------------------------------------------------------------------
# JUnit XML


def _classnames(results: Sequence[TaskResult], fallback: str) -> list[str]:
    """Dotted task-file paths relative to the folder all task files share.

    CI tools group test cases by the dots in ``classname`` (Jenkins shows them as packages),
    so ``tasks/forms/login.yaml`` next to ``tasks/smoke.yaml`` becomes ``forms.login`` and
    ``smoke``; dots inside a file name become ``_`` so they do not invent a package.
    """
    paths = [PurePath(r.file) if r.file else None for r in results]
    parents = [str(p.parent) for p in paths if p is not None]
    try:
        common: PurePath | None = PurePath(os.path.commonpath(parents)) if parents else None
    except ValueError:  # absolute and relative paths mixed: no shared folder to strip
        common = None
    names = []
    for path in paths:
        if path is None:
            names.append(fallback)
            continue
        stem = path.with_suffix("") if path.suffix else path
        try:
            parts = stem.relative_to(common).parts if common is not None else (stem.name,)
        except ValueError:
            parts = (stem.name,)
        parts = tuple(p for p in parts if p not in ("", ".", "..", "/")) or (stem.name,)
        names.append(".".join(clean_text(p).replace(".", "_") for p in parts))
    return names


def _check_line(check: CheckResult) -> str:
    mark = "PASS" if check.passed else "FAIL"
    detail = f" — {clean_text(check.detail)}" if check.detail else ""
    return f"[{mark}] {clean_text(check.name)}{detail}"


def _proof_word(step: StepReport) -> str:
    return "" if step.proven is None else "proven" if step.proven else "unproven"


def _step_line(step: StepReport) -> str:
    effect = f", {_proof_word(step)}" if step.proven is not None else ""
    line = f"#{step.index} [{step.approval} → {step.result}{effect}] {clean_text(step.action)}"
    if step.message:
        line += f" — {clean_text(step.message)}"
    if step.timings:
        line += f" ({_timings_text(step.timings)})"
    return line


def _problem_text(result: TaskResult) -> str:
    """The body of a failure or error: what a CI page shows when someone clicks the test."""
    parts = [clean_text(result.reason) or f"The task {result.status} without a reason given."]
    failed = [c for c in result.checks if not c.passed]
    if failed:
        parts.append("Failed checks:\n" + "\n".join("  " + _check_line(c) for c in failed))
    if result.steps:
        last = result.steps[-_LAST_STEPS:]
        head = f"Last {len(last)} of {len(result.steps)} steps:"
        parts.append(head + "\n" + "\n".join("  " + _step_line(s) for s in last))
    else:
        parts.append("No steps ran.")
    return "\n\n".join(parts)


def _system_out(result: TaskResult) -> str:
    lines = [f"Task: {clean_text(result.name)} ({clean_text(result.file)})"]
    lines.append(f"Status: {result.status}, {format_seconds(result.duration)}")
    if result.stage_timings:
        lines.append(f"Stages: {_timings_text(result.stage_timings)}")
    if result.checks:
        lines.append("Checks:")
        lines.extend("  " + _check_line(c) for c in result.checks)
    if result.steps:
        lines.append(f"Steps ({len(result.steps)}):")
        lines.extend("  " + _step_line(s) for s in result.steps)
    else:
        lines.append("Steps: none ran.")
    if result.app_output:
        lines.append("App output (tail):")
        lines.append(_tail(result.app_output).rstrip("\n"))
    return "\n".join(lines) + "\n"


def _junit_timestamp(when: datetime) -> str:
    """UTC without an offset: the Jenkins/Ant schema's pattern allows no timezone suffix."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def write_junit(
    results: list[TaskResult],
    path: Path,
    suite: str = "gui-agent",
    *,
    timestamp: datetime | None = None,
) -> Path:
    """Write ``results`` as one JUnit test suite to ``path`` and return the path.

    ``failed`` tasks become ``<failure type="TaskFailed">``, ``error`` tasks become
    ``<error type="TaskError">``, as CI tools distinguish broken code from broken tests;
    ``timestamp`` (default: now) is when the run started.
    """
    path = Path(path)
    started = timestamp or datetime.now(UTC)
    _, failed, errors = _counts(results)
    total = f"{_total_seconds(results):.3f}"
    counts = {
        "tests": str(len(results)),
        "failures": str(failed),
        "errors": str(errors),
        "skipped": "0",
        "time": total,
    }
    root = ET.Element("testsuites", {"name": clean_text(suite), **counts})
    suite_el = ET.SubElement(
        root,
        "testsuite",
        {
            "name": clean_text(suite),
            **counts,
            "timestamp": _junit_timestamp(started),
            "hostname": clean_text(socket.gethostname()),
        },
    )
    for result, classname in zip(results, _classnames(results, suite), strict=True):
        name = clean_text(result.name) or PurePath(result.file).stem or "unnamed task"
        duration = result.duration if math.isfinite(result.duration) else 0.0
        case = ET.SubElement(
            suite_el,
            "testcase",
            {
                "classname": classname,
                "name": name,
                "time": f"{max(duration, 0.0):.3f}",
                "file": clean_text(result.file),
            },
        )
        if result.status != "passed":
            is_failure = result.status == "failed"
            problem = ET.SubElement(
                case,
                "failure" if is_failure else "error",
                {
                    "message": _one_line(result.reason) or f"task {result.status}",
                    "type": "TaskFailed" if is_failure else "TaskError",
                },
            )
            problem.text = _problem_text(result)
        ET.SubElement(case, "system-out").text = _system_out(result)
    ET.indent(root)
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
    return _atomic_write(path, data)


# --------------------------------------------------------------------------------------------
# Screenshots


@dataclass(frozen=True)
class _Shot:
    """A screenshot as written to ``shots/``: file names relative to the report folder."""

    full: str
    thumb: str  # "" when none was made (the last screen is shown at full size)
    decoded: bool
    note: str = ""  # why the target box is not drawn, or why there is no image


def _clip_box(
    box: tuple[int, int, int, int], width: int, height: int
) -> tuple[int, int, int, int] | None:
    x, y, w, h = (int(v) for v in box)
    x0, y0 = max(x, 0), max(y, 0)
    x1, y1 = min(x + w, width) - 1, min(y + h, height) - 1
    if w <= 0 or h <= 0 or x0 > x1 or y0 > y1:
        return None
    return x0, y0, x1, y1


def draw_target(image: np.ndarray, box: tuple[int, int, int, int], scale: float = 1.0) -> bool:
    """Draw ``box`` (x, y, w, h in screen pixels) onto ``image`` scaled by ``scale``, in place.

    The line sits on the box edge in magenta with a thin black rim, so it stands out on light
    and dark themes alike; returns False when the box lies outside the image (nothing drawn).
    """
    height, width = image.shape[:2]
    scaled = tuple(round(v * scale) for v in box)
    corners = _clip_box((scaled[0], scaled[1], scaled[2], scaled[3]), width, height)
    if corners is None:
        return False
    x0, y0, x1, y1 = corners
    thickness = max(4, round(max(width, height) / 400))
    rim = thickness + 2
    cv2.rectangle(image, (x0, y0), (x1, y1), _BOX_OUTLINE_BGR, rim, lineType=cv2.LINE_8)
    cv2.rectangle(image, (x0, y0), (x1, y1), _BOX_BGR, thickness, lineType=cv2.LINE_8)
    return True


def _encode_png(image: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".png", image, [cv2.IMWRITE_PNG_COMPRESSION, 3])
    if not ok:
        raise ReportError("OpenCV could not encode a screenshot as PNG.")
    return buf.tobytes()


def _write_shot(
    png: bytes,
    box: tuple[int, int, int, int] | None,
    shots: Path,
    stem: str,
    *,
    thumbnail: bool = True,
) -> _Shot:
    """Write the full screenshot (with the target drawn) and, if asked, a thumbnail of it."""
    image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)
    full, thumb = f"shots/{stem}.png", f"shots/{stem}.thumb.png" if thumbnail else ""
    if image is None or image.size == 0:
        # Keep the bytes for whoever wants to inspect them, but say why there is no picture.
        (shots / f"{stem}.png").write_bytes(png)
        return _Shot(full, "", False, "screenshot could not be decoded as an image")
    note = ""
    height, width = image.shape[:2]
    scale = min(1.0, _THUMB_WIDTH / width)
    small = cv2.resize(
        image,
        (max(1, round(width * scale)), max(1, round(height * scale))),
        interpolation=cv2.INTER_AREA,
    )
    if box is not None:
        # Draw on each size separately: a line drawn on the full image and then shrunk would
        # fade to a hairline in the thumbnail.
        if draw_target(image, box):
            draw_target(small, box, scale)
        else:
            note = f"target box {tuple(box)} lies outside the {width}×{height} screenshot"
        (shots / f"{stem}.png").write_bytes(_encode_png(image))
    else:
        (shots / f"{stem}.png").write_bytes(png)
    if thumbnail:
        (shots / f"{stem}.thumb.png").write_bytes(_encode_png(small))
    return _Shot(full, thumb, True, note)


def _clear_old_shots(shots: Path) -> None:
    """Remove only files this module named, so a rerun does not leave stale screenshots."""
    for entry in shots.iterdir():
        if _SHOT_NAME_RE.match(entry.name) and entry.is_file():
            entry.unlink()


# --------------------------------------------------------------------------------------------
# HTML

_STATUS_LABEL = {"passed": "Passed", "failed": "Failed", "error": "Error"}

_CSS = """
:root { --pass: #1a7f37; --pass-bg: #dafbe1; --fail: #cf222e; --fail-bg: #ffebe9;
  --err: #9a6700; --err-bg: #fff8c5; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0;
  --soft: #f6f8fa; --box: #ff00ff; }
* { box-sizing: border-box; }
body { margin: 0; background: #eef1f4; color: var(--ink);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 24px; }
header.report { background: #fff; border: 1px solid var(--line); border-radius: 10px;
  padding: 20px 24px; margin-bottom: 20px; border-top: 6px solid var(--pass); }
header.report.bad { border-top-color: var(--fail); }
header.report h1 { margin: 0 0 4px; font-size: 22px; }
.meta { color: var(--muted); margin: 0; }
.tiles { display: flex; gap: 12px; flex-wrap: wrap; margin-top: 16px; }
.tile { border: 1px solid var(--line); border-radius: 8px; padding: 8px 16px; min-width: 120px;
  background: var(--soft); }
.tile b { display: block; font-size: 24px; line-height: 1.2; }
.tile span { color: var(--muted); font-size: 12px; text-transform: uppercase;
  letter-spacing: .04em; }
.tile.passed b { color: var(--pass); } .tile.failed b { color: var(--fail); }
.tile.error b { color: var(--err); }
.card { background: #fff; border: 1px solid var(--line); border-radius: 10px;
  margin-bottom: 20px; overflow: hidden; }
.card > h2 { margin: 0; padding: 12px 20px; font-size: 16px; border-bottom: 1px solid var(--line);
  background: var(--soft); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 8px 12px;
  border-bottom: 1px solid var(--line); }
th { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em;
  font-weight: 600; background: #fff; }
tr:last-child td { border-bottom: none; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.summary td.why { color: var(--muted); max-width: 420px; }
.summary tr.failed td:first-child { box-shadow: inset 4px 0 var(--fail); }
.summary tr.error td:first-child { box-shadow: inset 4px 0 var(--err); }
.summary tr.passed td:first-child { box-shadow: inset 4px 0 var(--pass); }
a { color: #0969da; text-decoration: none; } a:hover { text-decoration: underline; }
.pill { display: inline-block; padding: 1px 10px; border-radius: 999px; font-size: 12px;
  font-weight: 600; white-space: nowrap; }
.pill.passed { color: var(--pass); background: var(--pass-bg); }
.pill.failed { color: var(--fail); background: var(--fail-bg); }
.pill.error { color: var(--err); background: var(--err-bg); }
section.task > header { display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap;
  padding: 14px 20px; border-bottom: 1px solid var(--line); }
section.task.failed > header { background: var(--fail-bg); }
section.task.error > header { background: var(--err-bg); }
section.task > header .pill { color: #fff; }
section.task.passed > header .pill { background: var(--pass); }
section.task.failed > header .pill { background: var(--fail); }
section.task.error > header .pill { background: var(--err); }
section.task > header h2 { margin: 0; font-size: 18px; }
section.task > header .file { color: var(--muted); font-family: ui-monospace, monospace; }
section.task > header .dur { margin-left: auto; color: var(--muted); }
.body { padding: 16px 20px; }
.reason { border-left: 5px solid var(--fail); background: var(--fail-bg); padding: 10px 14px;
  border-radius: 6px; font-size: 15px; margin: 0 0 16px; white-space: pre-wrap;
  overflow-wrap: anywhere; }
.reason.error { border-left-color: var(--err); background: var(--err-bg); }
.reason strong { display: block; font-size: 12px; text-transform: uppercase;
  letter-spacing: .04em; }
.body > :first-child { margin-top: 0; }
h3 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted);
  margin: 18px 0 8px; }
ul.checks { list-style: none; margin: 0; padding: 0; }
ul.checks li { padding: 4px 0; overflow-wrap: anywhere; }
.mark { display: inline-block; width: 20px; height: 20px; line-height: 20px; text-align: center;
  border-radius: 50%; color: #fff; font-weight: 700; font-size: 12px; margin-right: 8px; }
.mark.ok { background: var(--pass); } .mark.bad { background: var(--fail); }
.detail { color: var(--muted); }
.stages { display: flex; height: 22px; border-radius: 6px; overflow: hidden;
  border: 1px solid var(--line); max-width: 720px; }
.stages div { min-width: 2px; }
.legend { display: flex; gap: 16px; flex-wrap: wrap; margin-top: 6px; color: var(--muted);
  font-size: 13px; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px;
  margin-right: 6px; }
.steps td { font-size: 13px; }
.steps td.shot { width: 260px; }
.steps img, .last img { display: block; border: 1px solid var(--line); border-radius: 4px;
  background: var(--soft); }
.steps img { width: 240px; height: auto; }
.steps .action { font-weight: 600; overflow-wrap: anywhere; }
.steps .msg { color: var(--muted); white-space: pre-wrap; overflow-wrap: anywhere; }
.steps tr.failed { background: #fff5f5; }
.tag { display: inline-block; padding: 0 8px; border-radius: 4px; font-size: 12px;
  border: 1px solid var(--line); background: var(--soft); white-space: nowrap; }
.tag.ok, .tag.approved, .tag.auto, .tag.proven { color: var(--pass); }
.tag.failed, .tag.rejected, .tag.refused, .tag.unproven, .tag.unverified {
  color: var(--fail); border-color: #ffcecb; background: var(--fail-bg); }
.tag.edited, .tag.skipped { color: var(--err); }
.note { color: var(--err); font-size: 12px; }
.last img { max-width: min(100%, 720px); height: auto; }
details { margin-top: 12px; }
summary { cursor: pointer; color: #0969da; font-weight: 600; }
pre.output { background: #0d1117; color: #e6edf3; padding: 12px; border-radius: 6px;
  max-height: 480px; overflow: auto; font-size: 12px; white-space: pre-wrap;
  overflow-wrap: anywhere; }
.empty { color: var(--muted); font-style: italic; }
footer { color: var(--muted); text-align: center; font-size: 12px; padding: 8px 0 24px; }
"""

_STAGE_COLOURS = ("#54aeff", "#8250df", "#2da44e", "#d4a72c", "#e16f24", "#bf3989", "#6e7781")


def _e(text: str) -> str:
    return html.escape(clean_text(text), quote=True)


def _pill(status: str) -> str:
    label = _STATUS_LABEL.get(status, status.title() or "Error")
    css = status if status in _STATUS_LABEL else "error"
    return f'<span class="pill {css}">{_e(label)}</span>'


def _tag(value: str) -> str:
    css = re.sub(r"[^a-z0-9-]", "", value.lower())
    return f'<span class="tag {css}">{_e(value) or "–"}</span>'


def _img_link(href: str, src: str, alt: str, width: int | None = None) -> str:
    size = f' width="{width}"' if width else ""
    return f'<a href="{_e(href)}" target="_blank"><img src="{_e(src)}" alt="{_e(alt)}"{size}></a>'


def _stage_bar(stages: dict[str, float]) -> str:
    values = {k: v for k, v in stages.items() if math.isfinite(v) and v >= 0}
    total = sum(values.values())
    if not values or total <= 0:
        return ""
    segments, legend = [], []
    for i, (name, value) in enumerate(values.items()):
        colour = _STAGE_COLOURS[i % len(_STAGE_COLOURS)]
        share = 100 * value / total
        label = f"{name}: {format_seconds(value)}"
        segments.append(
            f'<div style="width:{share:.2f}%;background:{colour}" title="{_e(label)}"></div>'
        )
        legend.append(f'<span><i style="background:{colour}"></i>{_e(label)}</span>')
    return (
        f'<div class="stages">{"".join(segments)}</div><div class="legend">{"".join(legend)}</div>'
    )


_MARK_OK = '<span class="mark ok">✓</span>'
_MARK_BAD = '<span class="mark bad">✗</span>'


def _checks_html(checks: list[CheckResult]) -> str:
    items = []
    for check in checks:
        mark = _MARK_OK if check.passed else _MARK_BAD
        detail = f' <span class="detail">— {_e(check.detail)}</span>' if check.detail else ""
        items.append(f"<li>{mark}{_e(check.name)}{detail}</li>")
    return f'<ul class="checks">{"".join(items)}</ul>'


def _steps_html(steps: list[StepReport], shots: dict[int, _Shot]) -> str:
    rows = []
    for pos, step in enumerate(steps):
        shot = shots.get(pos)
        if shot is None:
            cell = '<span class="empty">no screenshot</span>'
        elif shot.thumb:
            alt = f"Screen after step {step.index}"
            cell = _img_link(shot.full, shot.thumb, alt, 240)
        else:
            cell = f'<a href="{_e(shot.full)}">screenshot file</a>'
        if shot is not None and shot.note:
            cell += f'<div class="note">{_e(shot.note)}</div>'
        message = f'<div class="msg">{_e(step.message)}</div>' if step.message else ""
        row_class = "failed" if step.result == "failed" or step.proven is False else ""
        rows.append(
            f'<tr class="{row_class}"><td class="num">{step.index}</td>'
            f'<td class="shot">{cell}</td>'
            f'<td><div class="action">{_e(step.action)}</div>{message}</td>'
            f"<td>{_tag(step.approval)}</td><td>{_tag(step.result)}</td>"
            f"<td>{_tag(_proof_word(step))}</td>"
            f'<td class="num">{_timings_cell(step.timings)}</td></tr>'
        )
    head = (
        '<tr><th class="num">#</th><th>Screen after the step</th><th>Action and message</th>'
        '<th>Approval</th><th>Result</th><th>Effect</th><th class="num">Timings</th></tr>'
    )
    return f'<table class="steps">{head}{"".join(rows)}</table>'


def _timings_cell(timings: dict[str, float]) -> str:
    return "<br>".join(
        f"{_e(name)} {format_measure(name, value)}" for name, value in timings.items()
    )


def _task_html(number: int, result: TaskResult, shots: dict[int, _Shot]) -> str:
    """One task's section; ``shots`` maps step positions (and ``_LAST`` for the last screen)
    to the files already written for them."""
    status = result.status if result.status in _STATUS_LABEL else "error"
    parts = [
        f'<section class="card task {status}" id="task-{number}"><header>',
        _pill(status),
        f"<h2>{_e(result.name) or 'unnamed task'}</h2>",
        _tag(result.outcome) if result.outcome and result.outcome != "finished" else "",
        f'<span class="file">{_e(result.file)}</span>',
        f'<span class="dur">{format_seconds(result.duration)}</span></header><div class="body">',
    ]
    if status != "passed":
        heading = "Why it failed" if status == "failed" else "Why it could not run"
        reason = _e(result.reason) or "No reason was given."
        parts.append(f'<div class="reason {status}"><strong>{heading}</strong>{reason}</div>')
    if result.checks:
        passed = sum(c.passed for c in result.checks)
        parts.append(f"<h3>Checks ({passed} of {len(result.checks)} passed)</h3>")
        parts.append(_checks_html(result.checks))
    bar = _stage_bar(result.stage_timings)
    if bar:
        parts.append("<h3>Stages</h3>" + bar)

    steps_title = f"Steps ({len(result.steps)})"
    if not result.steps:
        parts.append(f'<h3>{steps_title}</h3><p class="empty">No steps ran.</p>')
    elif status == "passed":
        # Passed tasks fold their steps away: readers come to a report for the failures.
        parts.append(
            f"<details><summary>{steps_title}</summary>{_steps_html(result.steps, shots)}</details>"
        )
    else:
        parts.append(f"<h3>{steps_title}</h3>" + _steps_html(result.steps, shots))

    last = shots.get(_LAST)
    if last is not None:
        parts.append("<h3>Last screen</h3>")
        if last.decoded:
            alt = f"Last screen of {clean_text(result.name)}"
            parts.append(f'<div class="last">{_img_link(last.full, last.full, alt)}</div>')
        else:
            parts.append(f'<p class="note">{_e(last.note)}</p>')
    if result.app_output:
        # A task that could not run is usually explained by the app's own last words.
        opened = " open" if status == "error" else ""
        parts.append(
            f"<details{opened}><summary>App output (tail)</summary>"
            f'<pre class="output">{_e(_tail(result.app_output))}</pre></details>'
        )
    parts.append("</div></section>")
    return "\n".join(parts)


def _write_all_shots(results: Sequence[TaskResult], shots_dir: Path) -> dict[int, dict[int, _Shot]]:
    """Write every screenshot of the run, keyed by task number and step position.

    Decoding, drawing and re-encoding a full-screen PNG takes tens of milliseconds, and a
    nightly run has hundreds of them; OpenCV releases the GIL, so threads use every core.
    """
    jobs: list[tuple[int, int, bytes, tuple[int, int, int, int] | None, str]] = []
    for number, result in enumerate(results, start=1):
        for pos, step in enumerate(result.steps):
            if step.screenshot_png:
                stem = f"t{number:03d}-s{pos + 1:03d}"
                jobs.append((number, pos, step.screenshot_png, step.target_box, stem))
        # The last screen matters only where something went wrong; passed tasks' steps
        # already show how the screen ended up.
        if result.status != "passed" and result.last_screen_png:
            jobs.append((number, _LAST, result.last_screen_png, None, f"t{number:03d}-last"))

    def run(job: tuple[int, int, bytes, tuple[int, int, int, int] | None, str]) -> _Shot:
        _, pos, png, box, stem = job
        return _write_shot(png, box, shots_dir, stem, thumbnail=pos != _LAST)

    workers = max(1, min(4, os.cpu_count() or 1, len(jobs)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="report-shots") as pool:
        written = list(pool.map(run, jobs))
    shots: dict[int, dict[int, _Shot]] = {}
    for (number, pos, *_), shot in zip(jobs, written, strict=True):
        shots.setdefault(number, {})[pos] = shot
    return shots


def _summary_html(results: Sequence[TaskResult]) -> str:
    rows = []
    for number, result in enumerate(results, start=1):
        status = result.status if result.status in _STATUS_LABEL else "error"
        checks = (
            f"{sum(c.passed for c in result.checks)}/{len(result.checks)}" if result.checks else "–"
        )
        rows.append(
            f'<tr class="{status}"><td>{_pill(status)}</td>'
            f'<td><a href="#task-{number}">{_e(result.name) or "unnamed task"}</a></td>'
            f'<td class="num">{len(result.steps)}</td><td class="num">{checks}</td>'
            f'<td class="num">{format_seconds(result.duration)}</td>'
            f'<td class="why">{_e(_one_line(result.reason, 160))}</td></tr>'
        )
    head = (
        '<tr><th>Status</th><th>Task</th><th class="num">Steps</th><th class="num">Checks</th>'
        '<th class="num">Time</th><th>Reason</th></tr>'
    )
    return (
        f'<section class="card"><h2>Tasks</h2><table class="summary">{head}'
        f"{''.join(rows)}</table></section>"
    )


def write_html(
    results: list[TaskResult],
    folder: Path,
    title: str = "gui-agent run report",
    *,
    generated: datetime | None = None,
) -> Path:
    """Write a self-contained report to ``folder/index.html`` (screenshots in ``folder/shots``).

    The page needs no script and no network, so it opens from a CI artifact, a mail
    attachment folder or a file share alike; ``generated`` (default: now) is the date shown.
    """
    folder = Path(folder)
    shots_dir = folder / "shots"
    shots_dir.mkdir(parents=True, exist_ok=True)
    _clear_old_shots(shots_dir)
    when = (generated or datetime.now(UTC)).astimezone(UTC)
    passed, failed, errors = _counts(results)
    bad = failed + errors > 0
    if not results:
        verdict = "No tasks ran"
    elif bad:
        verdict = f"{failed + errors} of {len(results)} tasks did not pass"
    else:
        verdict = f"All {len(results)} tasks passed"
    tiles = [
        ("passed", passed, "Passed"),
        ("failed", failed, "Failed"),
        ("error", errors, "Errors"),
        ("", len(results), "Tasks"),
    ]
    tiles_html = "".join(
        f'<div class="tile {css}"><b>{count}</b><span>{label}</span></div>'
        for css, count, label in tiles
    )
    tiles_html += (
        f'<div class="tile"><b>{format_seconds(_total_seconds(results))}</b>'
        "<span>Total time</span></div>"
    )
    shots = _write_all_shots(results, shots_dir)
    sections = [_task_html(n, r, shots.get(n, {})) for n, r in enumerate(results, start=1)]
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<main>
<header class="report{" bad" if bad else ""}">
<h1>{_e(title)}</h1>
<p class="meta">{_e(verdict)} · generated {when.strftime("%Y-%m-%d %H:%M:%S")} UTC
 on {_e(socket.gethostname())}</p>
<div class="tiles">{tiles_html}</div>
</header>
{_summary_html(results) if results else ""}
{chr(10).join(sections)}
<footer>gui-agent headless report · target boxes drawn in
 <span style="color:var(--box)">■</span> magenta · click a screenshot for full size</footer>
</main>
</body>
</html>
"""
    return _atomic_write(folder / "index.html", page.encode("utf-8"))


# --------------------------------------------------------------------------------------------
# Rendering with Chromium


def _find_chromium() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    found = shutil.which("chromium")
    if found:
        return Path(found)
    raise ReportError(
        f"Chromium is needed to render the report but {CHROMIUM} does not exist. "
        f"Fix: sudo apt-get install -y {CHROMIUM_APT_PACKAGE}"
    )


def screenshot_html(
    index_html: Path,
    png: Path,
    width: int = 1280,
    height: int = 2000,
    *,
    timeout: float = 60.0,
) -> Path:
    """Render ``index_html`` with headless Chromium into ``png`` (``width`` × ``height``).

    For CI jobs and reviews that want a picture of the report without opening a browser.
    Chromium runs with a fresh profile and no background traffic, so a render never reads
    the user's browser state and works on machines with no network.
    """
    index_html, png = Path(index_html).resolve(), Path(png).resolve()
    if not index_html.is_file():
        raise ReportError(f"Cannot render {index_html}: the file does not exist.")
    exe = _find_chromium()
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gui-agent-chromium-") as profile:
        # Render into a private file and move it into place: Chromium writes in place, and a
        # reader must never see a half-written PNG at ``png``.
        out = Path(profile) / "shot.png"
        cmd = [
            str(exe),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={Path(profile) / 'profile'}",
            f"--screenshot={out}",
            f"--window-size={int(width)},{int(height)}",
            index_html.as_uri(),
        ]
        proc = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own group, so a timeout ends its helpers too
            env={**os.environ, "HOME": profile},
        )
        try:
            log, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise ReportError(
                f"Chromium did not finish rendering {index_html} within {timeout:.0f} s."
            ) from None
        if not out.is_file() or out.stat().st_size == 0:
            tail = clean_text(log.decode("utf-8", "replace"))[-1500:]
            raise ReportError(
                f"Chromium (exit code {proc.returncode}) wrote no screenshot of {index_html}. "
                f"Its output ends with:\n{tail}"
            )
        _atomic_write(png, out.read_bytes())
    return png
