"""Entry point: ``gui-agent app`` / ``python -m gui_agent.app``."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from gui_agent.app.qtenv import display_problem, prepare_qt_environment

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="gui-agent app", description="Open the desktop app.")
    p.add_argument("--goal", default="", help="prefill the goal box")
    p.add_argument("--geometry", metavar="X,Y,W,H", help="place the window (screen pixels)")
    p.add_argument("--quit-after-paint", action="store_true",
                   help="exit once the window has painted (start-up benchmarks)")  # fmt: skip
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Open the window and run the Qt event loop; returns the process exit status."""
    args = _parser().parse_args(list(argv) if argv is not None else None)
    problem = display_problem()
    if problem is not None:
        print(f"gui-agent: {problem}", file=sys.stderr)
        return 2

    from PySide6.QtWidgets import QApplication

    from gui_agent.app.style import app_font, style_sheet
    from gui_agent.app.window import MainWindow
    from gui_agent.config import ConfigError, Settings, config_path, load_settings

    prepare_qt_environment()  # after every import that may pull in cv2
    app = QApplication.instance() or QApplication(["gui-agent"])
    assert isinstance(app, QApplication)
    app.setApplicationName("gui-agent")
    app.setDesktopFileName("gui-agent")  # matches the .desktop entry the bundle installs
    app.setWindowIcon(app_icon())
    app.setFont(app_font())
    app.setStyleSheet(style_sheet())
    error = None
    try:
        settings = load_settings()
    except ConfigError as exc:
        settings, error = Settings(), str(exc)
    window = MainWindow(settings, settings_path=config_path(), config_error=error)
    if args.goal:
        window.goal.setCurrentText(args.goal)
    if args.geometry:
        x, y, w, h = (int(v) for v in args.geometry.split(","))
        window.setGeometry(x, y, w, h)
    else:
        place_at_right_edge(window)
    window.show()
    if args.quit_after_paint:
        from PySide6.QtCore import QTimer

        def painted() -> None:
            print(f"first-paint {time.time():.6f}", flush=True)
            QTimer.singleShot(0, app.quit)

        window.first_paint.connect(painted)
    return int(app.exec())


def app_icon() -> QIcon:
    """gui-agent's own icon (shipped as package data, like the models)."""

    from PySide6.QtGui import QIcon

    from gui_agent.data import data_path

    return QIcon(str(data_path("brand") / "gui-agent.svg"))


def place_at_right_edge(window: object) -> None:
    """Dock against the right edge of the screen: the side panel the agent's targets are
    least likely to be under, and out of the way of a maximised app's toolbar."""
    from PySide6.QtWidgets import QMainWindow

    assert isinstance(window, QMainWindow)
    screen = window.screen().availableGeometry()
    w = min(640, screen.width() // 2)
    h = min(1040, screen.height() - 40)
    window.setGeometry(screen.right() - w - 8, screen.top() + 30, w, h)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
