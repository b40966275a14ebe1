"""Launch an application on a display and wait until it has drawn something stable.

Without a window manager there is no 'window mapped' event we can rely on for every toolkit,
so we watch the pixels: the app is up when the screen differs from the empty desktop and has
stopped changing for a moment.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Sequence

from gui_agent.errors import GuiAgentError
from gui_agent.screen.capture import ScreenCapture
from gui_agent.screen.diff import changed_fraction


class AppLaunchError(GuiAgentError):
    """The application exited, or never drew a window, within the timeout."""


def wait_for_stable_screen(
    capture: ScreenCapture,
    timeout: float = 15.0,
    settle: float = 0.4,
    proc: subprocess.Popen[bytes] | None = None,
) -> None:
    """Block until the screen has content and no pixel changed for ``settle`` seconds."""
    empty = capture.grab()
    deadline = time.monotonic() + timeout
    last = empty
    quiet_since: float | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AppLaunchError(
                f"the application exited with code {proc.returncode} before drawing a window"
            )
        time.sleep(0.05)
        cur = capture.grab()
        if changed_fraction(empty, cur) == 0.0:
            continue  # nothing drawn yet
        if changed_fraction(last, cur) == 0.0:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= settle:
                return
        else:
            quiet_since = None
        last = cur
    raise AppLaunchError(f"no stable window appeared within {timeout:.0f}s")


class LaunchedProcess:
    """A child process in its own process group, so closing it also ends its children."""

    def __init__(
        self,
        argv: Sequence[str],
        display: str,
        extra_env: dict[str, str] | None = None,
        cwd: str | os.PathLike[str] | None = None,
    ) -> None:
        env = dict(os.environ)
        env["DISPLAY"] = display
        # opencv-python points this at its own Qt plugins; a Qt app we launch needs its own.
        env.pop("QT_QPA_PLATFORM_PLUGIN_PATH", None)
        env.update(extra_env or {})
        # Output goes to a file, not a pipe: a chatty app must never block on a full pipe
        # nobody reads, and a report wants the tail of what it said.
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the app
        try:
            self.proc: subprocess.Popen[bytes] = subprocess.Popen(
                list(argv),
                env=env,
                cwd=cwd,
                start_new_session=True,
                stdin=subprocess.DEVNULL,
                stdout=self.log,
                stderr=subprocess.STDOUT,
            )
        except OSError as exc:
            self.log.close()
            raise AppLaunchError(f"cannot start {argv[0]!r}: {exc}") from exc

    def output_tail(self, limit: int = 4000) -> str:
        """The last ``limit`` characters the app printed (stdout and stderr)."""
        if self.log.closed:
            return ""
        self.log.seek(0, os.SEEK_END)
        size = self.log.tell()
        self.log.seek(max(0, size - limit))
        return self.log.read().decode("utf-8", errors="replace")

    def close(self, timeout: float = 5.0) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def __enter__(self) -> LaunchedProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
