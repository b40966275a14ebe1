"""Which top-level window is where: the frame a control sits in, and the one that has focus.

The risk gate judges an action in its window ("Yes" means something else under "Delete the
file report.txt?" than under "Keep the changes?"), and a key press by what has focus. The
pixels alone cannot say where one window ends and the next begins, but the window system
can, cheaply: on X11 a handful of round trips to the server give every mapped top-level
window's box, title, type (normal, dialog, menu) and owner (a dialog is *transient for* the
window it belongs to).

``WindowSource`` is the interface; ``X11Windows`` implements it with python-xlib (already
installed with pyautogui). ``NoWindows`` is the honest answer where no window system can be
asked: the gate then falls back to what the pixels around the target say, and judges
conservatively. A Windows source (UI Automation's window tree through ``uiautomation``) and
a macOS one (``CGWindowListCopyWindowInfo``) would go beside ``X11Windows`` and be chosen in
``open_window_source``; they cannot be tested here.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from gui_agent.geometry import Point, Rect

__all__ = ["NoWindows", "WindowInfo", "WindowSource", "X11Windows", "open_window_source"]

log = logging.getLogger(__name__)

WindowKind = Literal["normal", "dialog", "menu", "popup", "unknown"]

_MENU_TYPES = {
    "_NET_WM_WINDOW_TYPE_MENU",
    "_NET_WM_WINDOW_TYPE_DROPDOWN_MENU",
    "_NET_WM_WINDOW_TYPE_POPUP_MENU",
    "_NET_WM_WINDOW_TYPE_COMBO",
}
_POPUP_TYPES = {"_NET_WM_WINDOW_TYPE_TOOLTIP", "_NET_WM_WINDOW_TYPE_NOTIFICATION"}
_DIALOG_TYPES = {"_NET_WM_WINDOW_TYPE_DIALOG", "_NET_WM_WINDOW_TYPE_UTILITY"}


@dataclass(frozen=True)
class WindowInfo:
    """One top-level window: its box in virtual-desktop pixels, title (untrusted text, set by
    the app), kind, and whether it is transient for (owned by) another window."""

    id: int
    box: Rect
    title: str = ""
    kind: WindowKind = "unknown"
    transient: bool = False
    pid: int | None = None

    @property
    def secondary(self) -> bool:
        """A dialog or tool window that belongs to another window: closing it loses no
        document, unlike closing an application's main window."""
        return self.transient or self.kind == "dialog"


class WindowSource(Protocol):
    def window_at(self, x: int, y: int) -> WindowInfo | None:
        """The topmost visible top-level window containing the point."""
        ...

    def focused(self) -> WindowInfo | None:
        """The top-level window that has keyboard focus."""
        ...

    def close(self) -> None: ...


class NoWindows:
    """No window system to ask: every answer is "unknown" (None)."""

    def window_at(self, x: int, y: int) -> WindowInfo | None:
        return None

    def focused(self) -> WindowInfo | None:
        return None

    def close(self) -> None:
        pass


class X11Windows:
    """Top-level windows from the X server, with or without a window manager.

    Without a window manager (a bare Xvfb) the top-level windows are the root's children;
    with one, each sits inside a frame, and the client is the descendant that carries
    ``WM_STATE``. Both are handled. One Xlib connection, used under a lock: Xlib is not
    thread safe, and the session and the app's worker may both ask.
    """

    def __init__(self, display: str | None = None) -> None:
        from Xlib import display as xdisplay  # local: python-xlib comes with pyautogui

        self._lock = threading.Lock()
        self._d: Any = xdisplay.Display(display)
        self._root = self._d.screen().root
        self._atoms: dict[str, int] = {}

    def _atom(self, name: str) -> int:
        if name not in self._atoms:
            self._atoms[name] = self._d.intern_atom(name)
        return self._atoms[name]

    def _prop(self, win: Any, name: str) -> Any:
        with contextlib.suppress(Exception):
            p = win.get_full_property(self._atom(name), 0)
            return None if p is None else p.value
        return None

    def _client(self, win: Any, depth: int = 0) -> Any:
        """The client window inside a window manager's frame (itself when it has no frame)."""
        if self._prop(win, "WM_STATE") is not None or depth > 3:
            return win
        with contextlib.suppress(Exception):
            for child in reversed(win.query_tree().children):
                found = self._client(child, depth + 1)
                if found is not None and self._prop(found, "WM_STATE") is not None:
                    return found
        return win if depth == 0 else None

    def _info(self, frame: Any, client: Any) -> WindowInfo:
        geom = frame.get_geometry()
        pos = frame.translate_coords(self._root, 0, 0)
        box = Rect(-int(pos.x), -int(pos.y), int(geom.width), int(geom.height))
        title = self._prop(client, "_NET_WM_NAME")
        if title is None:
            title = self._prop(client, "WM_NAME")
        if isinstance(title, bytes):
            title = title.decode("utf-8", "replace")
        kinds = self._prop(client, "_NET_WM_WINDOW_TYPE")
        names = set()
        for atom in kinds if kinds is not None else []:
            with contextlib.suppress(Exception):
                names.add(self._d.get_atom_name(int(atom)))
        transient = False
        with contextlib.suppress(Exception):
            transient = client.get_wm_transient_for() is not None
        override = False
        with contextlib.suppress(Exception):
            override = bool(frame.get_attributes().override_redirect)
        kind: WindowKind
        if names & _MENU_TYPES:
            kind = "menu"
        elif names & _POPUP_TYPES:
            kind = "popup"
        elif names & _DIALOG_TYPES:
            kind = "dialog"
        elif override:
            kind = "popup"  # a menu or tooltip that bypasses the window manager
        elif names:
            kind = "normal"
        else:
            kind = "unknown"
        pid = self._prop(client, "_NET_WM_PID")
        return WindowInfo(
            int(client.id), box, str(title or ""), kind, transient,
            int(pid[0]) if pid is not None and len(pid) else None,
        )  # fmt: skip

    def _toplevels(self) -> list[tuple[Any, Any]]:
        """(frame, client) for each mapped top-level window, topmost first."""
        from Xlib import X

        out = []
        for w in reversed(self._root.query_tree().children):
            try:
                if w.get_attributes().map_state != X.IsViewable:
                    continue
            except Exception:  # the window went away meanwhile
                continue
            out.append((w, self._client(w)))
        return out

    def window_at(self, x: int, y: int) -> WindowInfo | None:
        with self._lock:
            try:
                for frame, client in self._toplevels():
                    info = self._info(frame, client)
                    if info.box.contains_point(Point(x, y)):
                        return info
            except Exception as exc:  # a dying window or a lost connection: unknown
                log.debug("window_at(%d, %d) failed: %s", x, y, exc)
        return None

    def focused(self) -> WindowInfo | None:
        with self._lock:
            try:
                focus = self._d.get_input_focus().focus
                if not hasattr(focus, "query_tree"):  # PointerRoot or None
                    return None
                win = focus
                while True:
                    parent = win.query_tree().parent
                    if parent is None or parent.id == self._root.id:
                        break
                    win = parent
                return self._info(win, self._client(win))
            except Exception as exc:
                log.debug("focused() failed: %s", exc)
        return None

    def close(self) -> None:
        with self._lock, contextlib.suppress(Exception):
            self._d.close()


def open_window_source(display: str | None = None) -> WindowSource:
    """The window system's answers where one can be asked, else ``NoWindows``."""
    name = display or os.environ.get("DISPLAY")
    if not name:
        return NoWindows()
    try:
        return X11Windows(name)
    except Exception as exc:  # no X server, no permission: judge without windows
        log.debug("no X11 window information on %s: %s", name, exc)
        return NoWindows()
