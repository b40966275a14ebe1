"""Start and stop a private Xvfb server on a free display number.

Tests, the headless runner and the demo all need a real X server they own, never the
developer's own display; this is the one place that knows how to get one.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from gui_agent.errors import DisplayUnavailable
from gui_agent.headless.session_bus import SessionBus
from gui_agent.headless.session_bus import unavailable as bus_unavailable


def _read_display_number(fd: int, proc: subprocess.Popen[bytes], timeout: float) -> int | None:
    """The number Xvfb writes to ``-displayfd`` once it accepts clients; None if it exits
    or stays silent for ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    data = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            chunk = os.read(fd, 64)
            if not chunk:  # the server closed it: it exited
                break
            data += chunk
            if data.endswith(b"\n"):
                return int(data.strip())
        elif proc.poll() is not None:
            break
    return None


@dataclass
class Xvfb:
    """A running Xvfb; use as a context manager or call ``start``/``stop``."""

    width: int = 1920
    height: int = 1080
    depth: int = 24
    display: str = ""
    # A private D-Bus session bus beside the display, so the apps on it publish their
    # accessibility tree (see ``session_bus``); skipped, with ``bus_error`` saying why,
    # where dbus or at-spi2-core is missing.
    accessibility: bool = True
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    bus: SessionBus | None = field(default=None, repr=False)
    bus_error: str = ""
    _log: Path | None = field(default=None, repr=False)

    def start(self, timeout: float = 10.0) -> Xvfb:
        """Start the server and let it choose a free display number (``-displayfd``).

        Choosing the number ourselves races: two processes starting displays at once (test
        workers, parallel tasks) can pick the same one, and the loser then connects to the
        winner's server. The server writes the number it bound once it accepts clients.
        """
        exe = shutil.which("Xvfb")
        if exe is None:
            raise DisplayUnavailable(
                "Xvfb is not installed. Fix: run `bash packaging/install-system-deps.sh`."
            )
        read_fd, write_fd = os.pipe()
        log = Path(tempfile.mkstemp(prefix="xvfb-", suffix=".log")[1])
        try:
            with log.open("wb") as out:
                proc = subprocess.Popen(
                    [
                        exe,
                        "-displayfd",
                        str(write_fd),
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
                    pass_fds=(write_fd,),
                    start_new_session=True,
                )
        finally:
            os.close(write_fd)
        try:
            number = _read_display_number(read_fd, proc, timeout)
        finally:
            os.close(read_fd)
        if number is None:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            proc.wait()
            said = log.read_text(errors="replace").strip().splitlines()[-3:]
            log.unlink(missing_ok=True)
            raise DisplayUnavailable(
                f"Xvfb did not start within {timeout:g} s: {' / '.join(said) or 'no output'}"
            )
        self.display, self.process, self._log = f":{number}", proc, log
        if self.accessibility:
            self._start_bus()
        return self

    def _start_bus(self) -> None:
        why = bus_unavailable()
        if why is not None:
            self.bus_error = why
            return
        try:
            self.bus = SessionBus(self.display).start()
        except OSError as exc:
            self.bus_error = f"no private D-Bus session bus: {exc}"

    def bus_env(self) -> dict[str, str]:
        """The variables that put an app on this display's bus (empty without one)."""
        return self.bus.env() if self.bus is not None else {}

    def stop(self) -> None:
        if self.bus is not None:
            self.bus.stop()
            self.bus = None
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
        env.update(self.bus_env())
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
    with Xvfb(width, height, depth) as xvfb:
        saved = {k: os.environ.get(k) for k in ("DISPLAY", "XAUTHORITY", *xvfb.bus_env())}
        os.environ["DISPLAY"] = xvfb.display
        os.environ.update(xauthority_env())
        os.environ.update(xvfb.bus_env())
        try:
            yield xvfb
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


@contextlib.contextmanager
def maybe_virtual_display(enabled: bool, width: int = 1920, height: int = 1080
                          ) -> Iterator[str | None]:  # fmt: skip
    """A private Xvfb's display name for the body (DISPLAY pointing at it) when ``enabled``,
    else ``$DISPLAY`` as it is."""
    if not enabled:
        yield os.environ.get("DISPLAY")
        return
    with virtual_display(width, height) as xvfb:
        print(f"started Xvfb on {xvfb.display} ({width}x{height})", file=sys.stderr)
        yield xvfb.display
