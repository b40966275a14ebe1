"""The desktop app: a PySide6 window over the same ``Session`` the CLI drives.

Qt is imported only inside this package, so the core stays usable without it. Start with
``python -m gui_agent.app`` (or ``gui-agent app``), which calls ``gui_agent.app.main.main``.
"""
