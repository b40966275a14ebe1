"""Record a real demonstration on Xvfb, then replay it on every layout variant.

The recorder listens with pynput while xdotool drives the fixture form (another X client, as
a person's input would be); ground truth is the form's state file. Playback goes through the
real session loop, gate, executor and journal.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from gui_agent.agent.journal import Journal
from gui_agent.agent.session import Outcome, Session
from gui_agent.control.approvers import NobodyApprover
from gui_agent.control.executor import Executor, PyAutoGuiBackend
from gui_agent.control.risk import Autonomy, Gate, RiskRules
from gui_agent.demo.format import Demo, DemoError, load_demo, save_demo
from gui_agent.demo.player import DemoPlanner, MissingParameter, demo_as_example
from gui_agent.demo.recorder import Recorder
from gui_agent.headless.xvfb import Xvfb
from gui_agent.perception.ocr import OcrEngine
from gui_agent.perception.perceiver import Perceiver
from gui_agent.planning.actions import Click, Type
from gui_agent.screen.capture import ScreenCapture
from gui_agent.screen.windows import open_window_source
from tests.apps.launcher import LaunchedApp, launch_app

SECRET = "hunter2-very-secret"
PW = "pw-from-cli-7Qz"  # long enough never to turn up by chance in a thumbnail's bytes
# Typing a secret is risky, so even ``auto`` asks; this rule is the user's explicit consent.
ALLOW_SECRETS = RiskRules(allow=["Type ••• into*"])


def xdo(xvfb: Xvfb, *args: str) -> None:
    subprocess.run(["xdotool", *args], env=xvfb.env(), check=True, timeout=20)


def click_widget(xvfb: Xvfb, app: LaunchedApp, name: str) -> None:
    x, y, w, h = app.widget(name)["box"]
    xdo(xvfb, "mousemove", str(x + w // 2), str(y + h // 2))
    xdo(xvfb, "click", "1")
    time.sleep(0.35)  # a person's pace: the next frame shows what this click did


@pytest.fixture(scope="module")
def recorded(
    xvfb: Xvfb, ocr_engine: OcrEngine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, dict[str, object], str]]:
    """A demo recorded by really driving the form: three fields (one a password), a check
    box, Save; stopped with the stop hotkey. Yields (file, final app state, stopped by)."""
    folder = tmp_path_factory.mktemp("demo")
    app = launch_app("form_app", folder / "state.json", xvfb.display)
    try:
        path = folder / "fill.gademo"
        xdo(xvfb, "mousemove", "1700", "1000")
        with ScreenCapture(xvfb.display) as cap:
            recorder = Recorder(path, capture=cap, perceiver=Perceiver(ocr_engine)).start()
            for name, text in (("field_name", "Alice"), ("field_email", "alice@example.com"),
                               ("field_password", SECRET)):  # fmt: skip
                click_widget(xvfb, app, name)
                xdo(xvfb, "type", "--delay", "20", text)
                time.sleep(0.3)
            click_widget(xvfb, app, "check_remember")
            click_widget(xvfb, app, "btn_save")
            xdo(xvfb, "key", "ctrl+alt+Escape")
            assert recorder.wait(10), "the stop hotkey did not end the recording"
            result = recorder.finish()
        state = app.state()
    finally:
        app.close()  # before the tests: they launch their own form where this one was
    yield path, state, result.stopped_by


def test_the_recording_has_the_expected_steps_and_no_secret(
    recorded: tuple[Path, dict[str, object], str],
) -> None:
    path, state, stopped_by = recorded
    assert "stop hotkey" in stopped_by
    assert state["saved_count"] == 1  # the demonstration itself really happened
    demo = load_demo(path)
    kinds = [(s.action.type, s.targets["target"].kind) for s in demo.steps]
    assert kinds == [("type", "field")] * 3 + [("click", "checkbox"), ("click", "button")]
    name, email, password, remember, save = (s.action for s in demo.steps)
    assert isinstance(name, Type) and name.text == "Alice"
    assert isinstance(email, Type) and email.text == "alice@example.com"
    assert isinstance(password, Type) and password.secret and password.text == "{password}"
    assert isinstance(remember, Click) and demo.steps[3].targets["target"].text == "Remember me"
    assert isinstance(save, Click) and demo.steps[4].targets["target"].text == "Save"
    assert demo.params() == ["password"]
    assert all(t.crop in demo.crops for s in demo.steps for t in s.targets.values())
    raw = path.read_bytes()
    with zipfile.ZipFile(path) as zf:
        unpacked = b"".join(zf.read(n) for n in zf.namelist())
    assert SECRET.encode() not in raw and SECRET.encode() not in unpacked


def replay(demo: Demo, xvfb: Xvfb, ocr: OcrEngine, journal: Path,
           params: dict[str, str] | None = None, wait: float = 4.0) -> Outcome:  # fmt: skip
    with ScreenCapture(xvfb.display) as cap, Journal(journal) as j:
        backend = PyAutoGuiBackend()
        backend.move(1700, 1000)
        executor = Executor(backend, cap, Perceiver(ocr))
        planner = DemoPlanner(demo, params or {"password": "s3cret"}, wait_timeout=wait)
        gate = Gate(Autonomy.AUTO, ALLOW_SECRETS)
        session = Session("replay", planner, executor, gate, NobodyApprover(), j,
                          planner_name="demo",
                          windows=open_window_source(xvfb.display))  # fmt: skip
        return session.run()


# The default suite replays on the layout the demo was recorded on and on the one most unlike
# it (150 % scale); the other three join ``pytest -m e2e``, which runs all five.
@pytest.mark.parametrize(
    "variant",
    [
        "default",
        pytest.param("moved", marks=pytest.mark.e2e),
        pytest.param("dark", marks=pytest.mark.e2e),
        pytest.param("scale125", marks=pytest.mark.e2e),
        "scale150",
    ],
)
def test_replay_on_each_layout_variant(
    recorded: tuple[Path, dict[str, object], str],
    variant: str,
    xvfb: Xvfb,
    ocr_engine: OcrEngine,
    tmp_path: Path,
) -> None:
    app = launch_app("form_app", tmp_path / "state.json", xvfb.display, variant)
    try:
        out = replay(load_demo(recorded[0]), xvfb, ocr_engine, tmp_path / "j.db")
        assert out.status == "finished", out.message
        st = app.wait_for(lambda s: s["saved_count"] == 1)
        assert st["fields"]["name"] == "Alice"
        assert st["fields"]["email"] == "alice@example.com"
        assert st["fields"]["password"] == "s3cret"
        assert st["checkboxes"]["remember"] is True
        with Journal(tmp_path / "j.db", create=False) as j:
            steps = j.steps(j.sessions()[0].id)
        assert [s.result for s in steps] == ["ok"] * 5
        # Each stage's confidence is journaled with the step; the secret is not.
        assert all((s.target_query or "").startswith("demo step") for s in steps)
        assert "s3cret" not in json.dumps([s.action for s in steps])
    finally:
        app.close()


def test_a_target_that_is_gone_stops_the_replay_with_candidates(
    recorded: tuple[Path, dict[str, object], str],
    xvfb: Xvfb,
    ocr_engine: OcrEngine,
    tmp_path: Path,
) -> None:
    app = launch_app("form_app", tmp_path / "state.json", xvfb.display)
    try:
        app.command("hide btn_save")
        t0 = time.monotonic()
        out = replay(load_demo(recorded[0]), xvfb, ocr_engine, tmp_path / "j.db", wait=1.5)
        assert out.status == "failed"
        assert (
            "demo step 5" in out.message and "cannot find the target button 'Save'" in out.message
        )
        assert "candidates:" in out.message
        assert time.monotonic() - t0 < 60
        st = app.state()
        assert st["saved_count"] == 0
        assert not [c for c in st["clicks"] if str(c).startswith("btn")], st["clicks"]
    finally:
        app.close()


def test_parameters_and_editing(
    recorded: tuple[Path, dict[str, object], str], tmp_path: Path, xvfb: Xvfb
) -> None:
    copy = tmp_path / "param.gademo"
    copy.write_bytes(recorded[0].read_bytes())
    env = xvfb.env()
    cli = [sys.executable, "-m", "gui_agent.cli"]
    edit = subprocess.run([*cli, "edit-demo", str(copy), "--param", "1=name"],
                          env=env, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert edit.returncode == 0, edit.stderr
    assert "parameters: name, password" in edit.stdout
    assert "Type '{name}' into" in edit.stdout
    demo = load_demo(copy)
    with pytest.raises(MissingParameter, match="--param name=VALUE"):
        DemoPlanner(demo, {"password": "x"})
    with pytest.raises(MissingParameter, match="no parameter nmae"):
        DemoPlanner(demo, {"nmae": "x", "name": "y", "password": "z"})

    app = launch_app("form_app", tmp_path / "state.json", xvfb.display, "moved")
    try:
        run = subprocess.run(
            [*cli, "replay", str(copy), "--param", "name=Bob", "--param", f"password={PW}",
             "--autonomy", "auto", "--allow", "Type ••• into*", "--journal",
             str(tmp_path / "j.db")],
            env=env, capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        assert run.returncode == 0, run.stdout + run.stderr
        st = app.wait_for(lambda s: s["saved_count"] == 1)
        assert st["fields"]["name"] == "Bob" and st["fields"]["password"] == PW
        assert PW not in run.stdout + run.stderr
    finally:
        app.close()
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("j.db*"))  # with the WAL
    assert PW.encode() not in stored

    demo.delete_step(4)
    save_demo(demo, copy)
    again = load_demo(copy)
    assert len(again.steps) == 4 and again.steps[-1].targets["target"].text == "Save"
    example = demo_as_example(again, "fill the form")
    assert "1. Type '{name}' into" in example and "4. Click button 'Save'" in example


def test_rerecord_one_step(
    recorded: tuple[Path, dict[str, object], str], tmp_path: Path, xvfb: Xvfb
) -> None:
    copy = tmp_path / "rerecord.gademo"
    copy.write_bytes(recorded[0].read_bytes())
    app = launch_app("form_app", tmp_path / "state.json", xvfb.display)
    proc = subprocess.Popen(
        [sys.executable, "-m", "gui_agent.cli", "edit-demo", str(copy), "--rerecord", "5"],
        env=xvfb.env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("do it again now"):
                break
        click_widget(xvfb, app, "btn_cancel")
        xdo(xvfb, "key", "ctrl+alt+Escape")
        rest, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0, rest
    finally:
        if proc.poll() is None:
            proc.kill()
        app.close()
    demo = load_demo(copy)
    assert [s.action.describe() for s in demo.steps][-1] == "Click button 'Cancel'"
    assert len(demo.steps) == 5 and demo.steps[0].action.describe().startswith("Type 'Alice'")
    assert all(t.crop in demo.crops for s in demo.steps for t in s.targets.values())


def _rewrite(src: Path, dst: Path, change: dict[str, bytes | None]) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for name in zin.namelist():
            data = change.get(name, zin.read(name))
            if data is not None:
                zout.writestr(name, data)


def test_bad_demo_files_give_clear_errors(
    recorded: tuple[Path, dict[str, object], str], tmp_path: Path
) -> None:
    good = recorded[0]
    empty = tmp_path / "empty.gademo"
    empty.write_bytes(b"")
    with pytest.raises(DemoError, match="empty"):
        load_demo(empty)
    garbage = tmp_path / "garbage.gademo"
    garbage.write_text("not a zip at all")
    with pytest.raises(DemoError, match="not a demo file, or truncated"):
        load_demo(garbage)
    truncated = tmp_path / "truncated.gademo"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(DemoError, match=r"truncated|damaged"):
        load_demo(truncated)
    with pytest.raises(DemoError, match="no such file"):
        load_demo(tmp_path / "missing.gademo")

    with zipfile.ZipFile(good) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        lines = zf.read("steps.jsonl").splitlines()
    newer = tmp_path / "newer.gademo"
    _rewrite(
        good, newer, {"manifest.json": json.dumps({**manifest, "format_version": 99}).encode()}
    )
    with pytest.raises(DemoError, match="format version 99 is newer"):
        load_demo(newer)

    tampered = tmp_path / "tampered.gademo"
    lines[2] = lines[2].replace(b"{password}", b"{passwort}")
    _rewrite(good, tampered, {"steps.jsonl": b"\n".join(lines) + b"\n"})
    with pytest.raises(DemoError, match="step 3 was changed or damaged"):
        load_demo(tampered)

    cut = tmp_path / "cut.gademo"
    _rewrite(good, cut, {"steps.jsonl": b"\n".join(lines[:2]) + b"\n"})
    with pytest.raises(DemoError, match="truncated after step 2"):
        load_demo(cut)

    no_crop = tmp_path / "nocrop.gademo"
    first_crop = sorted(manifest["crops_sha256"])[0]
    _rewrite(good, no_crop, {f"crops/{first_crop}": None})
    with pytest.raises(DemoError, match=f"crop {first_crop} is missing"):
        load_demo(no_crop)


def test_record_command_saves_on_ctrl_c(xvfb: Xvfb, tmp_path: Path) -> None:
    app = launch_app("form_app", tmp_path / "state.json", xvfb.display)
    out = tmp_path / "cli.gademo"
    proc = subprocess.Popen(
        [sys.executable, "-m", "gui_agent.cli", "record", str(out)],
        env=xvfb.env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("recording to"):
                break
        click_widget(xvfb, app, "btn_save")
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0, rest
        assert "saved 1 steps" in rest and "Ctrl+C" in rest
        (step,) = load_demo(out).steps
        assert step.action.type == "click" and step.targets["target"].text == "Save"
    finally:
        if proc.poll() is None:
            proc.kill()
        app.close()
