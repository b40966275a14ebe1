"""One list of the environment variables that change what Qt draws, for every place that pins
them: the fixture apps, their launcher and the synthetic-screen renderer.

Screens must come out pixel-identical on every machine, whatever the user's desktop exports;
and opencv-python's import points ``QT_QPA_PLATFORM_PLUGIN_PATH`` at its own Qt plugins,
which breaks PySide6. Importing this module never imports Qt or cv2.
"""

from __future__ import annotations

from collections.abc import MutableMapping

PIXEL_CHANGING_VARS = (
    "QT_QPA_PLATFORM_PLUGIN_PATH",
    "QT_SCALE_FACTOR",
    "QT_SCREEN_SCALE_FACTORS",
    "QT_AUTO_SCREEN_SCALE_FACTOR",
    "QT_ENABLE_HIGHDPI_SCALING",
    "QT_FONT_DPI",
    "QT_QPA_PLATFORMTHEME",
    "QT_STYLE_OVERRIDE",
)


def pin_qt_environment(env: MutableMapping[str, str], platform: str) -> None:
    """Drop every variable that changes Qt's pixels from ``env`` and choose ``platform``."""
    for name in PIXEL_CHANGING_VARS:
        env.pop(name, None)
    env["QT_QPA_PLATFORM"] = platform
