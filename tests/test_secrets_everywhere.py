"""A secret typed every way a planner can address a field appears nowhere on disk or in any
output: not in the journal (database, WAL, shared memory), not in stdout or stderr, not in
``gui-agent sessions --show``, not in the HTML or JUnit report, not in what an LLM is sent.

Real ``gui-agent`` processes on the test's Xvfb against the fixture form, whose Password field
really receives the text (so each path did type it); the LLM ways are a scripted
OpenAI-compatible server on 127.0.0.1 proposing what a model would.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from gui_agent.headless.xvfb import Xvfb
from tests.conftest import Start
from tests.hostile_cases import data_of, type_by_id_right_of
from tests.llm_server import Reply, ScriptedLLMServer

CLI = [sys.executable, "-m", "gui_agent.cli"]
REPO = Path(__file__).resolve().parents[1]
ALLOW = ["--autonomy", "auto", "--allow", "Type •••*"]  # consent to typing a secret


def _disk(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def _reply(action: dict[str, Any]) -> str:
    return json.dumps({"plan": ["sign in"], "reason": "the form asks for it", "action": action})


DONE = json.dumps({"plan": [], "action": {"type": "done", "summary": "signed in"}})

WAYS: dict[str, tuple[str, list[Reply | str]]] = {
    "query": ("sign in", [_reply({"type": "type", "text": "S3cr3t-query",
                                  "target": {"query": "the Password field"}}), DONE]),
    "relation": ("sign in", [_reply({"type": "type", "text": "S3cr3t-relation",
                                     "target": {"query": "the field right of Password"}}), DONE]),
    "element id": ("sign in", [Reply(make=lambda m: _reply(
        type_by_id_right_of("Password", "S3cr3t-id")(m))), DONE]),  # type: ignore[operator]
    "focused field": ("sign in", [
        _reply({"type": "click", "target": {"query": "the field right of Password"}}),
        _reply({"type": "type", "text": "S3cr3t-focused"}), DONE]),
}  # fmt: skip


def _run(argv: list[str], xvfb: Xvfb, timeout: int = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *argv], env=xvfb.env(), capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)  # fmt: skip


def _check_nowhere(secret: str, folder: Path, *outputs: str) -> None:
    assert secret.encode() not in _disk(folder), f"{secret} is on disk under {folder}"
    for out in outputs:
        assert secret not in out, out


def test_a_goal_literal_typed_as_a_password(start: Start, xvfb: Xvfb, tmp_path: Path) -> None:
    form = start("form_app")
    secret = "S3cr3t-goal"
    folder = tmp_path / "journal"
    run = _run(["run", f"type '{secret}' into Password, click Save", *ALLOW,
                "--journal", str(folder / "run.db")], xvfb)  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    form.wait_for(lambda st: st["fields"]["password"] == secret)
    shown = _run(["sessions", "--dir", str(folder), "--show", "1"], xvfb)
    listed = _run(["sessions", "--dir", str(folder)], xvfb)
    assert "type '•••' into Password" in shown.stdout or "[REDACTED]" in shown.stdout
    _check_nowhere(secret, folder, run.stdout, run.stderr, shown.stdout, listed.stdout)


@pytest.mark.parametrize("way", list(WAYS))
def test_a_secret_the_planner_types_into_the_password_field(
    way: str, start: Start, xvfb: Xvfb, tmp_path: Path
) -> None:
    form = start("form_app")
    goal, replies = WAYS[way]
    secret = {"element id": "S3cr3t-id"}.get(way, f"S3cr3t-{way.split()[0]}")
    server = ScriptedLLMServer()
    try:
        server.script(*replies)
        folder = tmp_path / "journal"
        run = _run(["run", goal, "--planner", "openai", "--base-url", server.base_url,
                    "--model", "scripted", *ALLOW, "--journal", str(folder / "run.db")],
                   xvfb)  # fmt: skip
        assert run.returncode == 0, run.stdout + run.stderr
        form.wait_for(lambda st: st["fields"]["password"] == secret)
        shown = _run(["sessions", "--dir", str(folder), "--show", "1"], xvfb)
        sent = [json.dumps(r) for r in server.requests]
        _check_nowhere(secret, folder, run.stdout, run.stderr, shown.stdout, *sent)
        assert len(server.requests) >= 2  # the model heard back after the secret step
        assert "secret" in data_of(server.requests[-1]["messages"]) or "a secret" in json.dumps(
            server.requests[-1]
        )
    finally:
        server.close()


def test_demo_parameters_and_task_goals_stay_out_of_reports(xvfb: Xvfb, tmp_path: Path) -> None:
    """``gui-agent test``: a demo's secret parameter and a goal's password literal are in no
    report file, no journal kept beside the report, no console line."""
    tasks = tmp_path / "tasks"
    tasks.mkdir()
    shutil.copy(REPO / "tests" / "tasks" / "fill.gademo", tasks / "fill.gademo")
    app = ["{python}", "-m", "gui_agent.sample.form_app", "--state"]
    (tasks / "demo.yaml").write_text(
        "name: replay with a secret parameter\n"
        f"launch: {json.dumps([*app, 'state-demo.json'])}\n"
        "demo: fill.gademo\nparams: {password: \"S3cr3t-demo\"}\n"
        "rules: {allow: [\"Type ••• into*\"]}\nchecks:\n  - text_visible: \"Saved\"\ntimeout: 90\n",
        encoding="utf-8",
    )  # fmt: skip
    (tasks / "goal.yaml").write_text(
        "name: a goal with a password in it\n"
        f"launch: {json.dumps([*app, 'state-goal.json'])}\n"
        "goal: \"type 'S3cr3t-task' into Password, click Save\"\n"
        "rules: {allow: [\"Type ••• into*\"]}\nchecks:\n  - text_visible: \"Saved\"\ntimeout: 90\n",
        encoding="utf-8",
    )  # fmt: skip
    out = tmp_path / "out"
    env = {k: v for k, v in xvfb.env().items() if k != "DISPLAY"}
    run = subprocess.run([*CLI, "test", str(tasks), "-j", "2", "--junit", str(out / "junit.xml"),
                          "--html", str(out / "report")], env=env, capture_output=True,
                         text=True, timeout=300)  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    state = json.loads((tasks / "state-demo.json").read_text())
    assert state["fields"]["password"] == "S3cr3t-demo"  # the parameter was really typed
    for secret in ("S3cr3t-demo", "S3cr3t-task"):
        _check_nowhere(secret, out, run.stdout, run.stderr)
    assert list((out / "report" / "journals").rglob("journal.db"))  # journals were kept
