"""``gui-agent qt-probe``: start Qt once and say which version and platform it runs on.

``doctor`` runs it in a child process, because a Qt that cannot reach its platform aborts the
whole process, and the doctor must live to report it.
"""

from __future__ import annotations

import os


def main() -> int:
    os.environ.pop("QT_QPA_PLATFORM_PLUGIN_PATH", None)  # opencv-python's Qt plugins, not ours
    import PySide6
    from PySide6.QtWidgets import QApplication

    app = QApplication(["gui-agent-doctor"])
    print(PySide6.__version__, app.platformName())
    return 0
