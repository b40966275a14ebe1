"""Start a Tk or GTK screen on a display and wait until it has written its ground truth.

Reuses the fixture apps' ``LaunchedApp`` (state file, close with SIGTERM then SIGKILL), so a
test or bench handles these screens exactly like the Qt fixture apps.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.apps.launcher import LaunchedApp

REPO = Path(__file__).resolve().parents[3]
# PyGObject comes from the distribution (python3-gi), not from pip, so the GTK app runs under
# the system interpreter rather than the venv's.
SYSTEM_PYTHON = Path("/usr/bin/python3")
GTK_APP = Path(__file__).resolve().with_name("gtk_app.py")


def launch_tk(
    screen: str, theme: str, state_path: Path, display: str, timeout: float = 15.0
) -> LaunchedApp:
    """Run ``tk_app`` showing ``screen`` in ttk ``theme``; return once its state is ready."""
    env = {**os.environ, "DISPLAY": display, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "tests.apps.foreign.tk_app"]
    return _launch("Tk", command, screen, theme, Path(state_path), env, timeout)


@functools.cache
def gtk_unavailable() -> str | None:
    """Why the GTK screens cannot run here (one line naming the package), or None when they
    can. Asks the system interpreter itself: ``gi`` present and GTK 3's typelib installed."""
    if not SYSTEM_PYTHON.exists():
        return f"{SYSTEM_PYTHON} is missing (the GTK screens run under the system Python)"
    probe = subprocess.run(
        [str(SYSTEM_PYTHON), "-I", "-c", "import gi; gi.require_version('Gtk', '3.0')"],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    if probe.returncode == 0:
        return None
    if "No module named 'gi'" in probe.stderr:
        return f"{SYSTEM_PYTHON} cannot import gi (install python3-gi)"
    if "Namespace Gtk not available" in probe.stderr:
        return "the GTK 3 typelib is missing (gir1.2-gtk-3.0: packaging/install-system-deps.sh)"
    lines = probe.stderr.strip().splitlines() or ["no output"]
    return f"{SYSTEM_PYTHON} cannot load GTK 3: {lines[-1]}"


def launch_gtk(
    screen: str, theme: str, state_path: Path, display: str, timeout: float = 15.0
) -> LaunchedApp:
    """Run ``gtk_app`` showing ``screen`` in ``theme`` (a key of its ``THEMES``) under the
    system Python, isolated (``-I``) so nothing from the venv or PYTHONPATH leaks in; return
    once its state is ready. Check ``gtk_unavailable()`` first for a readable skip."""
    command = [str(SYSTEM_PYTHON), "-I", str(GTK_APP)]
    env = {**os.environ, "DISPLAY": display}
    return _launch("GTK", command, screen, theme, Path(state_path), env, timeout)


def _launch(
    toolkit: str,
    command: list[str],
    screen: str,
    theme: str,
    state_path: Path,
    env: dict[str, str],
    timeout: float,
) -> LaunchedApp:
    """Start ``command --screen --theme --state`` and wait for its state file; on exit or
    timeout, close it and raise with what it printed."""
    state_path = state_path.resolve()
    state_path.parent.mkdir(parents=True, exist_ok=True)
    state_path.unlink(missing_ok=True)
    fd, log_name = tempfile.mkstemp(prefix=f"{toolkit.lower()}-{screen}-", suffix=".log")
    with os.fdopen(fd, "wb") as log:
        process = subprocess.Popen(
            [*command, "--screen", screen, "--theme", theme, "--state", str(state_path)],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=REPO,
        )  # fmt: skip
    app = LaunchedApp(process, state_path, Path(log_name))
    deadline = time.monotonic() + timeout
    while not state_path.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            output = app.output()
            app.close()
            raise RuntimeError(
                f"{toolkit} screen {screen} ({theme}) did not start; output:\n{output}"
            )
        time.sleep(0.02)
    return app
