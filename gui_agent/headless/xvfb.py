"""Start and stop a private Xvfb server on a free display number.

Tests, the headless runner and the demo all need a real X server they own, never the
developer's own display; this is the one place that knows how to get one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from gui_agent.errors import DisplayUnavailable

_LOCK_DIR = Path("/tmp")
_SOCKET_DIR = Path("/tmp/.X11-unix")


def _display_taken(n: int) -> bool:
    return (_LOCK_DIR / f".X{n}-lock").exists() or (_SOCKET_DIR / f"X{n}").exists()


@dataclass
class Xvfb:
    """A running Xvfb; use as a context manager or call ``start``/``stop``."""

    width: int = 1920
    height: int = 1080
    depth: int = 24
    first_display: int = 90
    display: str = ""
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    _log: Path | None = field(default=None, repr=False)

    def start(self, timeout: float = 10.0) -> Xvfb:
        exe = shutil.which("Xvfb")
        if exe is None:
            raise DisplayUnavailable(
                "Xvfb is not installed. Fix: run `bash packaging/install-system-deps.sh`."
            )
        for n in range(self.first_display, self.first_display + 200):
            if _display_taken(n):
                continue
            log = Path(tempfile.mkstemp(prefix=f"xvfb-{n}-", suffix=".log")[1])
            with log.open("wb") as out:
                proc = subprocess.Popen(
                    [
                        exe,
                        f":{n}",
                        "-screen",
                        "0",
                        f"{self.width}x{self.height}x{self.depth}",
                        "-nolisten",
                        "tcp",
                        # Without -noreset the server wipes the screen and its resources
                        # whenever its last client disconnects.
                        "-noreset",
                        "-dpi",
                        "96",
                        "+extension",
                        "RANDR",
                    ],
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            if self._wait_ready(n, proc, timeout):
                self.display, self.process, self._log = f":{n}", proc, log
                return self
            # Lost a race for this number (another Xvfb took it) or it failed: try the next.
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            proc.wait()
        raise DisplayUnavailable("could not start Xvfb on any display number :90-:289")

    @staticmethod
    def _wait_ready(n: int, proc: subprocess.Popen[bytes], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                return False
            sock_path = _SOCKET_DIR / f"X{n}"
            if sock_path.exists():
                # The socket file appears before the server accepts connections.
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                    try:
                        sock.connect(str(sock_path))
                        return True
                    except OSError:
                        pass
            time.sleep(0.02)
        return False

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None
        if self._log is not None:
            self._log.unlink(missing_ok=True)

    def env(self) -> dict[str, str]:
        """The environment a child process needs to draw on this display."""
        env = dict(os.environ)
        env["DISPLAY"] = self.display
        env.pop("WAYLAND_DISPLAY", None)
        env.update(xauthority_env())
        return env

    def __enter__(self) -> Xvfb:
        return self.start() if self.process is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def xauthority_env() -> dict[str, str]:
    """XAUTHORITY for clients of our Xvfb (which needs no cookie).

    pyautogui's python-xlib refuses to connect at all when ``~/.Xauthority`` is missing, as on
    a fresh CI machine; an empty authority file is what such a client needs.
    """
    current = os.environ.get("XAUTHORITY")
    if current and Path(current).exists():
        return {}
    home = Path.home() / ".Xauthority"
    if home.exists():
        return {}
    empty = Path(tempfile.gettempdir()) / "gui-agent-empty.Xauthority"
    empty.touch(exist_ok=True)
    return {"XAUTHORITY": str(empty)}


@contextlib.contextmanager
def virtual_display(width: int = 1920, height: int = 1080, depth: int = 24) -> Iterator[Xvfb]:
    """Run the body with DISPLAY pointing at a fresh Xvfb; restores DISPLAY afterwards."""
    saved = {k: os.environ.get(k) for k in ("DISPLAY", "XAUTHORITY")}
    with Xvfb(width, height, depth) as xvfb:
        os.environ["DISPLAY"] = xvfb.display
        os.environ.update(xauthority_env())
        try:
            yield xvfb
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
