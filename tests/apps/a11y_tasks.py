"""Direct-command goals on real third-party apps (Debian packages), with the outcome read
from the app itself: what it printed (zenity, yad), its accessibility tree's text (a
calculator's display), or its window title (a Chromium page). Shared by
``tests/test_accessibility.py`` (a few) and ``bench/accessibility.py`` (all, tree on and off).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from gui_agent.headless.apps import LaunchedProcess, wait_for_stable_screen
from gui_agent.headless.xvfb import Xvfb
from gui_agent.perception.accessibility.atspi import AtspiSource
from gui_agent.perception.ocr import OcrEngine
from gui_agent.perception.perceiver import Perceiver
from gui_agent.screen.capture import ScreenCapture

PAGES = Path(__file__).resolve().with_name("a11y_pages")
CHECKLIST = ["zenity", "--list", "--checklist", "--title=Fruit", "--column=Pick",
             "--column=Fruit", "TRUE", "Apples", "FALSE", "Pears", "FALSE", "Plums"]  # fmt: skip
RADIOLIST = ["zenity", "--list", "--radiolist", "--title=Size", "--column=Pick",
             "--column=Size", "TRUE", "Small", "FALSE", "Medium", "FALSE", "Large"]  # fmt: skip
FORM = ["zenity", "--forms", "--title=Account", "--text=New account", "--add-entry=Name",
        "--add-password=Secret", "--add-entry=City"]  # fmt: skip
YAD = ["yad", "--form", "--title=Prefs", "--field=Name", "--field=Remember me:CHK",
       "--field=Notify me:CHK", "", "TRUE", "FALSE"]  # fmt: skip
CHROMIUM = ["chromium", "--no-sandbox", "--force-renderer-accessibility", "--no-first-run",
            "--disable-gpu", "--window-position=0,0", "--window-size=1100,700",
            "--disable-features=Translate", "--password-store=basic"]  # fmt: skip


@dataclass(frozen=True)
class AppTask:
    """``expect``: what the app must end up saying (its printed output, its display, its
    window title), read by ``outcome``."""

    name: str
    argv: list[str]
    goal: str
    expect: str
    outcome: str = "stdout"  # stdout | display | title | file:NAME (in the task's folder)
    settle: float = 20.0
    tags: tuple[str, ...] = field(default=())


def _calc(name: str, keys: str, result: str) -> AppTask:
    goal = ", then ".join(f"click the '{k}' button" for k in keys.split())
    return AppTask(name, ["galculator"], goal, result, outcome="display")


TASKS: list[AppTask] = [
    AppTask("form: name, secret, city", FORM,
            "type 'ana' into the Name field, then type 'x1y2' into the Secret field, "
            "then type 'Lima' into the City field, then click OK", "ana|x1y2|Lima"),
    AppTask("form: one field and OK", FORM, "type 'bo' into the City field, then click OK",
            "||bo"),
    AppTask("checklist: tick one", CHECKLIST, "tick Pears, then click OK", "Apples|Pears"),
    AppTask("checklist: untick and tick", CHECKLIST,
            "untick Apples, then tick Plums, then click OK", "Plums"),
    AppTask("checklist: tick two", CHECKLIST, "tick Pears, then tick Plums, then click OK",
            "Apples|Pears|Plums"),
    AppTask("radiolist: pick one", RADIOLIST, "click Large, then click OK", "Large"),
    AppTask("radiolist: pick the middle", RADIOLIST, "click Medium, then click OK", "Medium"),
    AppTask("yad: name and untick", YAD, "type 'zed' into the Name field, then untick Remember me, "
            "then click OK", "zed|FALSE|FALSE|"),
    AppTask("yad: tick a box", YAD, "tick Notify me, then click OK", "|TRUE|TRUE|"),
    _calc("calculator: 7 + 8", "7 + 8 =", "15"),
    _calc("calculator: 9 * 4", "9 * 4 =", "36"),
    _calc("calculator: 6 / 3", "6 / 3 =", "2"),
    _calc("calculator: 1 2 - 5", "1 2 - 5 =", "7"),
    _calc("calculator: 0 . 5 + 1", "0 . 5 + 1 =", "1.5"),
    AppTask("web: sign up", [*CHROMIUM, f"file://{PAGES}/signup.html"],
            "type 'ana' into the Name field, then click Continue", "sent:ana", outcome="title"),
    AppTask("web: newsletter", [*CHROMIUM, f"file://{PAGES}/signup.html"],
            "tick Newsletter, then click Continue", "sent::news", outcome="title"),
    AppTask("web: plan", [*CHROMIUM, f"file://{PAGES}/signup.html"],
            "click Pro, then click Continue", "sent::pro", outcome="title"),
    AppTask("web: everything", [*CHROMIUM, f"file://{PAGES}/signup.html"],
            "type 'li' into the Name field, then tick Newsletter, then click Pro, "
            "then click Continue",
            "sent:li:news:pro", outcome="title"),
    AppTask("form: secret only", FORM, "type 'pw9' into the Secret field, then click OK", "|pw9|"),
    AppTask("checklist: cancel", CHECKLIST, "tick Plums, then click Cancel", ""),
    AppTask("editor: type and save", ["mousepad", "{work}/notes.txt"],
            "type 'hello from gui-agent' into the editor, then press ctrl+s",
            "hello from gui-agent", outcome="file:notes.txt"),
    AppTask("editor: two lines", ["mousepad", "{work}/notes.txt"],
            "click the editor, then type 'one', then press enter, then type 'two', "
            "then press ctrl+s", "one\ntwo", outcome="file:notes.txt"),
]  # fmt: skip


def missing(task: AppTask) -> str | None:
    """Why ``task`` cannot run here (its app is not installed), or None."""
    exe = task.argv[0]
    return None if shutil.which(exe) else f"{exe} is not installed (install-system-deps.sh)"


def _display_text(bus: str) -> str:
    """A calculator's display, read from its own accessibility tree (the exact digits)."""
    snap = AtspiSource(bus).read(2.0)
    texts = [n for n in snap.nodes if n.role == "text" and n.value.strip()]
    return texts[0].value.strip() if texts else ""


def _title(display: str) -> str:
    out = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "sent:", "getwindowname"],
                         env={"DISPLAY": display, "PATH": "/usr/bin:/bin"}, capture_output=True,
                         text=True, timeout=10, check=False)  # fmt: skip
    name = out.stdout.strip().splitlines()
    return name[0].split(" - ")[0] if name else ""


def run_task(task: AppTask, x: Xvfb, ocr: OcrEngine, tree: bool, journal: Path | None = None
             ) -> tuple[bool, str]:  # fmt: skip
    """Run ``task`` on display ``x`` (whose bus the app joins); (passed, what the app said)."""
    from gui_agent.agent.factory import SessionParts, SessionSpec, build_session
    from gui_agent.control.approvers import NobodyApprover
    from gui_agent.control.executor import PyAutoGuiBackend
    from gui_agent.control.risk import Autonomy, RiskRules

    assert x.bus is not None
    work = Path(tempfile.mkdtemp(prefix="a11y-task-"))
    out = work / "out.txt"
    argv = [a.replace("{work}", str(work)) for a in task.argv]
    if task.outcome == "stdout":
        argv = ["sh", "-c", " ".join(_quote(a) for a in argv) + f" > {out}"]
    env = {**x.bus_env(), "GSETTINGS_BACKEND": "memory", "HOME": str(work)}
    with ScreenCapture(x.display) as cap:
        app = LaunchedProcess(argv, x.display, env, cwd=work)
        perceiver = Perceiver(ocr, accessibility=AtspiSource(x.bus.address) if tree else None)
        try:
            wait_for_stable_screen(cap, timeout=task.settle, proc=app.proc)
            time.sleep(0.5)
            spec = SessionSpec.of(goal=task.goal, planner="embedded", autonomy=Autonomy.AUTO,
                                  rules=RiskRules(allow=["*"]),
                                  journal=journal or work / "journal.db")  # fmt: skip
            parts = SessionParts(capture=cap, approver=NobodyApprover(),
                                 backend=PyAutoGuiBackend(), perceiver=perceiver)  # fmt: skip
            with build_session(spec, parts) as session:
                result = session.run()
            said = _read(task, app, out, x, work)
        finally:
            app.close()
            perceiver.close()
            shutil.rmtree(work, ignore_errors=True)
    ok = said == task.expect
    why = getattr(result, "message", "") or getattr(result, "summary", "")
    return ok, said if ok else f"{said!r} (session: {getattr(result, 'status', result)}: {why})"


def _read(task: AppTask, app: LaunchedProcess, out: Path, x: Xvfb, work: Path) -> str:
    if task.outcome == "stdout":
        try:
            app.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            return "<the dialog is still open>"
        return out.read_text().strip() if out.exists() else ""
    if task.outcome == "display":
        assert x.bus is not None
        time.sleep(0.3)
        return _display_text(x.bus.address)
    if task.outcome.startswith("file:"):
        saved = work / task.outcome.removeprefix("file:")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not saved.exists():
            time.sleep(0.1)
        return saved.read_text().strip() if saved.exists() else "<not saved>"
    time.sleep(0.5)
    return _title(x.display)


def _quote(a: str) -> str:
    return "'" + a.replace("'", "'\\''") + "'"


__all__ = ["TASKS", "AppTask", "missing", "run_task"]
