"""``gui-agent test`` end to end: real task files, one Xvfb per worker, real apps, reports.

The suite in tests/tasks has twelve tasks against the fixture form: goals, explicit steps and
demo replays that must pass, and tasks that must fail or error for a stated reason (a check
that fails, a missing target, a risky click nobody approves, an app that crashes, freezes or
never opens a window). It runs once per test session, with two workers.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gui_agent.errors import GuiAgentError
from gui_agent.headless.pytest_plugin import GuiAgentHarness
from gui_agent.headless.runner import shard
from gui_agent.headless.taskfile import TaskFileError, load_task

REPO = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "gui_agent.cli"]
EXPECTED = {  # task name -> (status, words its reason must contain)
    "fill the form from a goal": ("passed", ""),
    "fill the form with explicit steps": ("passed", ""),
    "replay the recorded demo": ("passed", ""),
    "replay the demo on the moved layout": ("passed", ""),
    "quit from the File menu": ("passed", ""),
    "tick boxes on the dark theme": ("passed", ""),
    "expects text that never appears (meant to fail)": ("failed", "Order confirmed"),
    "clicks a button that does not exist (meant to fail)": ("failed", "Frobnicate"),
    "the app crashes mid-run (meant to fail)": ("failed", "exited with code 3"),
    "the app freezes (meant to fail)": ("error", "timed out after 25 s"),
    "the app never opens a window (meant to fail)": ("error", "never opened a window"),
    "a risky click with nobody to approve it (meant to fail)": ("failed", "Delete all"),
}


def suite_copy(folder: Path, names: list[str] | None = None) -> Path:
    """The task suite and the fixture form, copied so state files land in ``folder``."""
    tasks = folder / "tasks"
    tasks.mkdir(parents=True)
    for f in (REPO / "tests" / "tasks").iterdir():
        if f.suffix == ".gademo" or names is None or f.name in names:
            shutil.copy(f, tasks)
    return tasks


def our_processes(marker: str) -> list[str]:
    """Live processes whose command line or working folder mentions ``marker``."""
    out = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            continue
        if state != "Z" and (marker in cmd or marker in cwd):
            out.append(cmd)
    return out


def xvfb_pids() -> set[str]:
    """Orphaned Xvfb servers: a worker that died leaves its display to init (ppid 1); the
    displays of other live test processes keep their parents and do not count."""
    return {
        pid
        for pid in os.listdir("/proc")
        if pid.isdigit()
        and _cmdline(pid).startswith(("Xvfb", "/usr/bin/Xvfb"))
        and _ppid(pid) == "1"
    }


def _ppid(pid: str) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]
    except (OSError, IndexError):
        return ""


def _cmdline(pid: str) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@pytest.fixture(scope="module")
def suite_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[subprocess.CompletedProcess[str], Path, set[str]]:
    folder = tmp_path_factory.mktemp("suite")
    tasks = suite_copy(folder)
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}  # needs no display of ours
    displays_before = xvfb_pids()
    run = subprocess.run(
        [*CLI, "test", str(tasks), "-j", "2", "--keep-going", "--junit",
         str(folder / "junit.xml"), "--html", str(folder / "report")],
        env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    return run, folder, xvfb_pids() - displays_before


def test_the_suite_runs_in_parallel_and_junit_says_why(
    suite_run: tuple[subprocess.CompletedProcess[str], Path, set[str]],
) -> None:
    run, folder, new_displays = suite_run
    assert run.returncode == 1, run.stdout + run.stderr  # some tasks are meant to fail
    assert "running 12 tasks, 2 at a time" in run.stdout
    assert "6 passed, 4 failed, 2 error" in run.stdout
    suite = ET.parse(folder / "junit.xml").getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("12", "4", "2")
    seen = {}
    for case in suite.iter("testcase"):
        name = case.get("name", "")
        failure, error = case.find("failure"), case.find("error")
        status = "failed" if failure is not None else "error" if error is not None else "passed"
        message = failure if failure is not None else error
        seen[name] = (status, message.get("message", "") if message is not None else "")
    assert set(seen) == set(EXPECTED)
    for name, (status, words) in EXPECTED.items():
        assert seen[name][0] == status, (name, seen[name])
        assert words in seen[name][1], (name, seen[name])
    # Each task kept its own journal beside the report: results do not mix.
    journals = sorted((folder / "report" / "journals").glob("*/journal.db"))
    assert len(journals) == 11  # every task but the one whose app never opened a window
    # Everything a task started is gone: no Xvfb of theirs, no fixture form.
    assert our_processes(str(folder)) == [] and new_displays == set()


def test_the_html_report_shows_every_task_and_opens_in_chromium(
    suite_run: tuple[subprocess.CompletedProcess[str], Path, set[str]], test_output: Path
) -> None:
    from gui_agent.headless.report import screenshot_html

    _, folder, _ = suite_run
    index = folder / "report" / "index.html"
    html = index.read_text(encoding="utf-8")
    for name in EXPECTED:
        assert name.replace("'", "&#x27;") in html
    assert "exited with code 3" in html and "never opened a window" in html
    shots = list((folder / "report" / "shots").glob("*.png"))
    assert len(shots) >= 20  # a screenshot per executed step, plus the last screens
    if shutil.which("chromium") is None:
        pytest.skip("chromium is not installed (bash packaging/install-system-deps.sh)")
    png = screenshot_html(index, test_output / "headless" / "report.png", 1280, 2400)
    assert png.stat().st_size > 20_000


def test_without_keep_going_no_task_starts_after_a_failure(tmp_path: Path) -> None:
    tasks = suite_copy(tmp_path, ["08_missing_target.yaml", "12_risky_refused.yaml"])
    run = subprocess.run([*CLI, "test", str(tasks)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 1
    assert "1 failed" in run.stdout and "1 not run" in run.stdout


def test_shards_split_a_suite_without_overlap() -> None:
    tasks = [load_task(p) for p in sorted((REPO / "tests" / "tasks").glob("*.yaml"))]
    slices = [shard(tasks, f"{k}/3") for k in (1, 2, 3)]
    names = [t.name for part in slices for t in part]
    assert sorted(names) == sorted(t.name for t in tasks) and len(set(names)) == len(tasks)
    with pytest.raises(GuiAgentError, match="K must be between 1 and N"):
        shard(tasks, "4/3")


def test_bad_task_files_are_usage_errors_with_line_numbers(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nlaunch: [app]\nsteps:\n  - {click: Save}\n  - {clik: Cancel}\n")
    with pytest.raises(TaskFileError, match=r"bad.yaml:5: steps item 2: unknown key 'clik'"):
        load_task(bad)
    two = tmp_path / "two.yaml"
    two.write_text("name: x\nlaunch: [app]\ngoal: click Save\ndemo: d.gademo\n")
    with pytest.raises(TaskFileError, match="exactly one of goal, steps or demo"):
        load_task(two)
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\nlaunch: [app\n")
    with pytest.raises(TaskFileError, match=r"broken.yaml:\d+: not valid YAML"):
        load_task(broken)
    check = tmp_path / "check.yaml"
    check.write_text(
        "name: x\nlaunch: app\ngoal: g\nchecks:\n  - {text_visible: a, exit_code: 0}\n"
    )
    with pytest.raises(TaskFileError, match=r"check.yaml:5: checks item 1: a check is one of"):
        load_task(check)
    run = subprocess.run([*CLI, "test", str(bad)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "bad.yaml:5" in run.stderr
    run = subprocess.run([*CLI, "test", str(tmp_path / "nope")], capture_output=True, text=True)
    assert run.returncode == 2 and "no such file" in run.stderr


def test_ctrl_c_tears_down_every_display_and_app(tmp_path: Path) -> None:
    tasks = suite_copy(tmp_path, ["10_app_hangs.yaml"])
    displays_before = xvfb_pids()
    proc = subprocess.Popen([*CLI, "test", str(tasks)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)  # fmt: skip
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    while not any("form_app" in c for c in our_processes(str(tmp_path))):
        assert time.monotonic() < deadline, "the task's app never started"
        time.sleep(0.2)
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=60)
    assert proc.returncode != 0
    deadline = time.monotonic() + 10
    while (our_processes(str(tmp_path)) or xvfb_pids() - displays_before) and (
        time.monotonic() < deadline
    ):
        time.sleep(0.2)
    assert our_processes(str(tmp_path)) == []
    assert xvfb_pids() - displays_before == set()


def test_the_pytest_fixture_in_this_process(gui_agent: GuiAgentHarness, tmp_path: Path) -> None:
    gui_agent.launch([sys.executable, "-m", "gui_agent.sample.form_app", "--state",
                      str(tmp_path / "s.json")])  # fmt: skip
    outcome = gui_agent.run("type 'Dora' into Name, click Save")
    assert outcome.status == "finished", outcome.message
    assert gui_agent.text_visible("Saved")
    assert gui_agent.locate("the Save button").text == "Save"
    outcome = gui_agent.steps([{"click": "Delete all"}])
    assert outcome.status == "refused"  # irreversible, and the test did not allow it


def test_pytest_xdist_fans_a_suite_out_over_displays(tmp_path: Path) -> None:
    (tmp_path / "test_app.py").write_text("""
import os, sys

def _fill(gui_agent, tmp_path, name):
    gui_agent.launch([sys.executable, "-m", "gui_agent.sample.form_app", "--state",
                      str(tmp_path / "s.json")])
    out = gui_agent.run(f"type '{name}' into Name, click Save")
    assert out.status == "finished", out.message
    assert gui_agent.text_visible("Saved")
    print("DISPLAY", os.environ["DISPLAY"])

def test_one(gui_agent, tmp_path):
    _fill(gui_agent, tmp_path, "One")

def test_two(gui_agent, tmp_path):
    _fill(gui_agent, tmp_path, "Two")
""")
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "2", "-p", "no:cacheprovider", "-s",
         str(tmp_path / "test_app.py")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "2 passed" in run.stdout
