"""Start a fixture app on a display and talk to it through its state and command files.

Tests and benchmarks need ground truth (where is the Save button, what is in the Name field)
that does not come from the agent's own perception; the apps write it to a JSON state file.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gui_agent.qt_environment import pin_qt_environment

APPS_DIR = Path(__file__).resolve().parent
SCRIPTS = ("form_app", "busy_app", "hostile_app")
# Bulky lists left out of error messages so the interesting keys stay readable.
_BULKY = ("widgets", "list_rows", "lines")

State = dict[str, Any]


def _summary(state: State | None) -> str:
    if state is None:
        return "<no state yet>"
    return json.dumps({k: v for k, v in state.items() if k not in _BULKY}, sort_keys=True)


@dataclass
class LaunchedApp:
    """A running fixture app; use as a context manager so it is always closed."""

    process: subprocess.Popen[bytes]
    state_path: Path
    log_path: Path | None = field(default=None, repr=False)

    @property
    def cmd_path(self) -> Path:
        return self.state_path.with_name(self.state_path.name + ".cmd")

    def output(self) -> str:
        """What the app printed (stdout and stderr), for error messages."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]

    def state(self) -> State:
        """The app's latest state; retries briefly in case the file is missing or torn."""
        deadline = time.monotonic() + 2.0
        while True:
            try:
                data = json.loads(self.state_path.read_text(encoding="utf-8"))
                if isinstance(data, dict):
                    return data
            except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"cannot read state file {self.state_path}")
            time.sleep(0.01)

    def widget(self, name: str) -> dict[str, Any]:
        """The ``widgets`` entry called ``name``."""
        widgets = self.state().get("widgets", [])
        for item in widgets:
            if item.get("name") == name:
                return dict(item)
        known = ", ".join(sorted(str(w.get("name")) for w in widgets))
        raise KeyError(f"no widget {name!r} in state (is its window open?); known: {known}")

    def _check_alive(self) -> None:
        if self.process.poll() is not None:
            raise RuntimeError(
                f"fixture app exited with code {self.process.returncode}; output:\n{self.output()}"
            )

    def wait_for(self, predicate: Callable[[State], bool], timeout: float = 5.0) -> State:
        """Poll the state until ``predicate`` holds; TimeoutError shows the last state seen."""
        deadline = time.monotonic() + timeout
        last: State | None = None
        while True:
            with contextlib.suppress(RuntimeError):
                last = self.state()
                if predicate(last):
                    return last
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"state condition not met within {timeout}s; last state: {_summary(last)}"
                )
            self._check_alive()
            time.sleep(0.02)

    def command(self, line: str, timeout: float = 5.0) -> None:
        """Send one command (``status TEXT``, ``set name VALUE``, ...) and wait until applied.

        When this returns, the change is on screen and in the state file.
        """
        fd, tmp = tempfile.mkstemp(prefix=self.cmd_path.name + ".", dir=self.cmd_path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(line.rstrip("\n") + "\n")
        os.replace(tmp, self.cmd_path)
        deadline = time.monotonic() + timeout
        while self.cmd_path.exists():
            self._check_alive()
            if time.monotonic() > deadline:
                self.cmd_path.unlink(missing_ok=True)
                raise TimeoutError(f"app did not consume command {line!r} within {timeout}s")
            time.sleep(0.01)
        error = self.state().get("last_command_error")
        if error:
            raise ValueError(f"command {line!r} failed in the app: {error}")

    def close(self) -> None:
        """SIGTERM, then SIGKILL if it does not exit within 5 s."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    self.process.kill()
                self.process.wait()
        if self.log_path is not None:
            self.log_path.unlink(missing_ok=True)
            self.log_path = None

    def __enter__(self) -> LaunchedApp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def app_env(display: str) -> dict[str, str]:
    """Environment for a fixture app: our display, xcb, nothing inherited that changes pixels."""
    env = dict(os.environ)
    env["DISPLAY"] = display
    pin_qt_environment(env, "xcb")
    env.pop("WAYLAND_DISPLAY", None)
    return env


def launch_app(
    script: str,
    state_path: Path,
    display: str,
    variant: str = "default",
    timeout: float = 15.0,
) -> LaunchedApp:
    """Start ``form_app`` or ``busy_app`` on ``display`` and wait until its state says ready."""
    if script not in SCRIPTS:
        raise ValueError(f"unknown fixture app {script!r}; choose one of {SCRIPTS}")
    state_path = Path(state_path).resolve()
    state_path.parent.mkdir(parents=True, exist_ok=True)
    state_path.unlink(missing_ok=True)
    state_path.with_name(state_path.name + ".cmd").unlink(missing_ok=True)
    fd, log_name = tempfile.mkstemp(prefix=f"{script}-", suffix=".log")
    with os.fdopen(fd, "wb") as log:
        # The sample form is part of the product (the demo drives it); the others are fixtures.
        program = (
            ["-m", "gui_agent.sample.form_app"]
            if script == "form_app"
            else [str(APPS_DIR / f"{script}.py")]
        )
        process = subprocess.Popen(
            [
                sys.executable,
                *program,
                "--state",
                str(state_path),
                "--variant",
                variant,
            ],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=app_env(display),
        )
    app = LaunchedApp(process, state_path, Path(log_name))
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            output = app.output()
            app.close()
            raise RuntimeError(
                f"{script} ({variant}) exited with code {process.returncode} before it was "
                f"ready; output:\n{output}"
            )
        if state_path.exists():
            with contextlib.suppress(RuntimeError):
                if app.state().get("ready"):
                    return app
        if time.monotonic() > deadline:
            output = app.output()
            app.close()
            raise RuntimeError(
                f"{script} ({variant}) not ready within {timeout}s; output:\n{output}"
            )
        time.sleep(0.02)


# -- real input for tests that drive an app without the agent ---------------------------------

Box = list[int]


def xdo(display: str, *args: object) -> None:
    """Run xdotool against ``display`` (real XTest input, independent of the agent)."""
    subprocess.run(
        ["xdotool", *map(str, args)],
        env={**os.environ, "DISPLAY": display},
        check=True,
        timeout=10,
    )


def centre(box: Box) -> tuple[int, int]:
    return box[0] + box[2] // 2, box[1] + box[3] // 2


def click(display: str, box: Box) -> None:
    xdo(display, "mousemove", *centre(box), "click", "1")


def by_name(state: State) -> dict[str, dict[str, Any]]:
    """The state's ``widgets`` entries by name."""
    return {w["name"]: w for w in state["widgets"]}
