"""A private D-Bus session bus beside a virtual display, so apps on it expose their
accessibility tree with no set-up.

Apps find the accessibility (AT-SPI) bus by asking the session bus for ``org.a11y.Bus``;
D-Bus starts ``at-spi-bus-launcher`` on that first request (its service file ships with
``at-spi2-core``), and the launcher starts the registry. So one ``dbus-daemon --session`` per
Xvfb is all a headless run needs, and stopping its process group takes the launcher and its
own bus down with it. Without ``dbus-daemon`` the display still works, apps simply have no
tree (``unavailable`` says why, for doctor).
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field


def unavailable() -> str | None:
    """Why no private bus can be started here (one line naming the package), or None."""
    if shutil.which("dbus-daemon") is None:
        return "dbus-daemon is missing (install dbus: packaging/install-system-deps.sh)"
    if not os.path.exists("/usr/libexec/at-spi-bus-launcher") and not shutil.which(
        "at-spi-bus-launcher"
    ):
        return "at-spi2-core is missing (install it: packaging/install-system-deps.sh)"
    return None


@dataclass
class SessionBus:
    """A running ``dbus-daemon --session``; ``address`` is its DBUS_SESSION_BUS_ADDRESS."""

    display: str
    address: str = ""
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self, timeout: float = 5.0) -> SessionBus:
        exe = shutil.which("dbus-daemon")
        if exe is None:
            raise OSError("dbus-daemon is not installed")
        read_fd, write_fd = os.pipe()
        env = {k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
        env["DISPLAY"] = self.display  # the launcher it activates belongs to this display
        try:
            proc = subprocess.Popen(
                [exe, "--session", "--nofork", "--nopidfile", f"--print-address={write_fd}"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                pass_fds=(write_fd,),
                env=env,
                start_new_session=True,
            )
        finally:
            os.close(write_fd)
        try:
            address = _read_line(read_fd, timeout)
        finally:
            os.close(read_fd)
        if not address:
            _stop(proc)
            raise OSError(f"dbus-daemon printed no address within {timeout:g} s")
        self.address, self.process = address, proc
        self._wake_launcher(timeout)
        return self

    def _wake_launcher(self, timeout: float) -> None:
        """Start the accessibility bus now rather than on an app's first request: the
        launcher publishes its address on the display (the ``AT_SPI_BUS`` root-window
        property), which is where Qt looks for it, before asking the session bus."""
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection

        try:
            with open_dbus_connection(bus=self.address, auth_timeout=timeout) as conn:
                bus = DBusAddress(
                    "/org/a11y/bus", bus_name="org.a11y.Bus", interface="org.a11y.Bus"
                )
                conn.send_and_get_reply(new_method_call(bus, "GetAddress"), timeout=timeout)
        except (OSError, TimeoutError):
            pass  # apps start it themselves on first use; only Qt's lookup misses it then

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)
            self.process = None

    def env(self) -> dict[str, str]:
        """What an app started on this display needs to publish its tree: the bus, and the
        switches that make Qt and GTK speak without a screen reader running."""
        return {
            "DBUS_SESSION_BUS_ADDRESS": self.address,
            "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
            "QT_ACCESSIBILITY": "1",
            "GTK_A11Y": "atspi",
        }

    def __enter__(self) -> SessionBus:
        return self.start() if self.process is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _read_line(fd: int, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    data = b""
    while b"\n" not in data:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            break
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        data += chunk
    return data.decode(errors="replace").strip()


def _stop(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
