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
        self, argv: Sequence[str], display: str, extra_env: dict[str, str] | None = None
    ) -> None:
        env = dict(os.environ)
        env["DISPLAY"] = display
        # opencv-python points this at its own Qt plugins; a Qt app we launch needs its own.
        env.pop("QT_QPA_PLATFORM_PLUGIN_PATH", None)
        env.update(extra_env or {})
        try:
            self.proc: subprocess.Popen[bytes] = subprocess.Popen(
                list(argv),
                env=env,
                start_new_session=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        except OSError as exc:
            raise AppLaunchError(f"cannot start {argv[0]!r}: {exc}") from exc

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
        if self.proc.stderr is not None:
            self.proc.stderr.close()

    def __enter__(self) -> LaunchedProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
