"""The X clipboard through xclip or xsel, without leaking file descriptors.

An X selection lives as long as its owner process, so ``xclip -i`` forks into the background
and keeps serving the text. pyperclip starts it with the caller's stdout and stderr, and the
background xclip then holds those open: a parent that reads our output through a pipe (a test,
a CI runner, ``subprocess.run(capture_output=True)``) waits forever for an end of file that
never comes. Here the owner gets /dev/null and its own session instead.
"""

from __future__ import annotations

import shutil
import subprocess

_TIMEOUT = 2.0


class ClipboardError(RuntimeError):
    """No clipboard tool, or the tool failed."""


def _tool() -> str:
    for name in ("xclip", "xsel"):
        if shutil.which(name):
            return name
    raise ClipboardError("no clipboard tool: install xclip (apt-get install xclip)")


def available() -> bool:
    return any(shutil.which(t) for t in ("xclip", "xsel"))


def paste() -> str:
    """The clipboard's text; empty when nobody owns the clipboard."""
    tool = _tool()
    argv = ["xclip", "-selection", "clipboard", "-o"] if tool == "xclip" else ["xsel", "-b", "-o"]
    proc = subprocess.run(
        argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=_TIMEOUT, check=False
    )
    # xclip exits 1 with "target STRING not available" when the clipboard is empty.
    return proc.stdout.decode("utf-8", errors="replace") if proc.returncode == 0 else ""


def copy(text: str) -> None:
    tool = _tool()
    argv = ["xclip", "-selection", "clipboard", "-i"] if tool == "xclip" else ["xsel", "-b", "-i"]
    proc = subprocess.Popen(
        argv,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        close_fds=True,
        start_new_session=True,
    )
    try:
        proc.communicate(text.encode("utf-8"), timeout=_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        proc.kill()
        raise ClipboardError(f"{tool} did not take the clipboard within {_TIMEOUT} s") from exc
    if proc.returncode != 0:
        raise ClipboardError(f"{tool} failed with exit code {proc.returncode}")
