"""GTK 3 screens that report their own widget geometry: ground truth from the toolkit.

Run with the *system* Python, where PyGObject lives (the project's venv has no ``gi``):
    /usr/bin/python3 -I tests/apps/foreign/gtk_app.py --screen settings --theme dark \
        --state out.json

The same four screens as the Tk app (settings form, keypad, OK/Cancel dialog, icon toolbar),
drawn by GTK's own widgets, theme engine and themed icons, because a third real toolkit says
more about perception than another look of the first two. Once the window is mapped and has
drawn, the app writes ``{"ready": true, "widgets": [...]}`` with each widget's allocation
translated to root coordinates; nothing here comes from gui-agent, so the bench can judge it.

Self-contained on purpose (standard library and ``gi`` only): it runs outside the venv, and
the bench imports the constants below under the venv, where ``gi`` is missing, so GTK is
imported only in ``main`` (also because GTK reads ``GTK_THEME`` when it initialises, which
PyGObject does at import).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path
from typing import Any

SCREENS = ("settings", "keypad", "dialog", "toolbar")
# bench theme name -> GTK_THEME; HighContrast is built into GTK 3 itself, so always present
THEMES = {"adwaita": "Adwaita", "dark": "Adwaita:dark", "highcontrast": "HighContrast"}
KEYS = ("7", "8", "9", "/", "4", "5", "6", "*", "1", "2", "3", "-", "0", ".", "=", "+")
# the Tk app's icon names -> the freedesktop names GTK apps use, from the installed Adwaita
ICONS = {
    "close": "window-close-symbolic",
    "search": "edit-find-symbolic",
    "trash": "user-trash-symbolic",
    "gear": "emblem-system-symbolic",
    "plus": "list-add-symbolic",
    "menu": "open-menu-symbolic",
    "more": "view-more-symbolic",
    "home": "go-home-symbolic",
    "refresh": "view-refresh-symbolic",
    "save": "document-save-symbolic",
}
CSS = b"""
.heading { font-size: 14pt; font-weight: bold; }
entry.display { font-size: 16pt; }
"""

# Bound by main() once the environment is set; Any because the venv (where mypy runs) has no gi.
Gtk: Any = None
GLib: Any = None
Gdk: Any = None


class Screen:
    """One window; ``add`` registers a widget under a name, kind and visible text."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.widgets: dict[str, tuple[Any, str, str]] = {}

    def add(self, name: str, widget: Any, kind: str, text: str = "") -> Any:
        self.widgets[name] = (widget, kind, text)
        return widget

    def ready(self) -> bool:
        """Every widget is on screen with its final size (a 1 px allocation is GTK's
        placeholder before the first size allocation)."""
        widgets = [w for w, _, _ in self.widgets.values()]
        return all(w.get_mapped() and w.get_allocated_width() > 1 for w in widgets)

    def truth(self) -> list[dict[str, Any]]:
        """Each widget's allocation in root coordinates: its offset inside the toplevel plus
        the toplevel's origin (no window manager, so no frame to allow for)."""
        out = []
        for name, (w, kind, text) in self.widgets.items():
            top = w.get_toplevel()
            # PyGObject may put the C return value first; x and y are always the last two
            origin = top.get_window().get_origin()
            pos = w.translate_coordinates(top, 0, 0)
            x, y = pos[-2] + origin[-2], pos[-1] + origin[-1]
            box = [x, y, w.get_allocated_width(), w.get_allocated_height()]
            out.append({"name": name, "kind": kind, "text": text, "box": box})
        return out


def _label(text: str, *, heading: bool = False) -> Any:
    """A left-aligned label sized to its text, so its box is the words and not the cell."""
    lab = Gtk.Label(label=text, halign=Gtk.Align.START, valign=Gtk.Align.CENTER)
    if heading:
        lab.get_style_context().add_class("heading")
    return lab


def _settings(s: Screen) -> None:
    grid = Gtk.Grid(row_spacing=8, column_spacing=10)
    s.window.add(grid)
    grid.attach(s.add("heading", _label("Project settings", heading=True), "text",
                      "Project settings"), 0, 0, 2, 1)  # fmt: skip
    rows = (
        ("name", "Project name:", "", "e.g. Apollo"),
        ("email", "Owner email:", "", "you@example.com"),
        ("port", "Port:", "8080", ""),
    )
    for r, (key, label, value, hint) in enumerate(rows, start=1):  # labels left of the fields
        grid.attach(s.add(f"label_{key}", _label(label), "text", label), 0, r, 1, 1)
        entry = Gtk.Entry(text=value, placeholder_text=hint, width_chars=32, hexpand=True)
        grid.attach(s.add(f"field_{key}", entry, "field", value), 1, r, 1, 1)
    grid.attach(s.add("label_theme", _label("Colour theme:"), "text", "Colour theme:"), 0, 4, 1, 1)
    combo = Gtk.ComboBoxText(halign=Gtk.Align.START)
    for option in ("Light", "Dark", "System"):
        combo.append_text(option)
    combo.set_active(2)
    grid.attach(s.add("combo_theme", combo, "combo", "System"), 1, 4, 1, 1)
    # labels above their fields
    server = _label("Server address")
    grid.attach(s.add("label_server", server, "text", "Server address"), 0, 5, 2, 1)
    entry = Gtk.Entry(placeholder_text="https://", hexpand=True)
    grid.attach(s.add("field_server", entry, "field"), 0, 6, 2, 1)
    grid.attach(s.add("label_description", _label("Description"), "text", "Description"),
                0, 7, 2, 1)  # fmt: skip
    frame = Gtk.Frame(shadow_type=Gtk.ShadowType.IN)
    text = Gtk.TextView(wrap_mode=Gtk.WrapMode.WORD, left_margin=4, top_margin=2)
    text.set_size_request(-1, 72)
    frame.add(text)
    grid.attach(s.add("field_description", frame, "field"), 0, 8, 2, 1)
    checks = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=2)
    for key, label, on in (
        ("notify", "Enable notifications", True),
        ("login", "Start at login", False),
        ("usage", "Send usage data", False),
    ):
        cb = Gtk.CheckButton(label=label, active=on, halign=Gtk.Align.START)
        checks.pack_start(s.add(f"check_{key}", cb, "checkbox", label), False, False, 0)
    grid.attach(checks, 0, 9, 2, 1)
    group = Gtk.Frame(label="Update channel")
    radios = Gtk.Box(spacing=16, margin=6)
    group.add(radios)
    first = None
    for key, label in (("stable", "Stable"), ("beta", "Beta"), ("nightly", "Nightly")):
        rb = Gtk.RadioButton.new_with_label_from_widget(first, label)
        first = first or rb
        radios.pack_start(s.add(f"radio_{key}", rb, "radio", label), False, False, 0)
    grid.attach(group, 0, 10, 2, 1)
    bar = Gtk.Box(spacing=6, halign=Gtk.Align.END, margin_top=6)
    for key, label in (("reset", "Reset"), ("cancel", "Cancel"), ("save", "Save")):
        button = Gtk.Button(label=label)
        if key == "save":  # GTK's blue default-action look
            button.get_style_context().add_class("suggested-action")
        bar.pack_start(s.add(f"btn_{key}", button, "button", label), False, False, 0)
    grid.attach(bar, 0, 11, 2, 1)


def _keypad(s: Screen) -> None:
    grid = Gtk.Grid(row_spacing=4, column_spacing=4)
    s.window.add(grid)
    display = Gtk.Entry(text="1024", xalign=1.0, width_chars=14)
    display.get_style_context().add_class("display")
    grid.attach(s.add("display", display, "field", "1024"), 0, 0, 4, 1)
    for col, key in enumerate(("C", "%")):
        b = Gtk.Button(label=key)
        b.set_size_request(52, 36)
        grid.attach(s.add(f"key_{key}", b, "button", key), col, 1, 1, 1)
    for i, key in enumerate(KEYS):
        r, c = divmod(i, 4)
        b = Gtk.Button(label=key)
        b.set_size_request(52, 36)
        grid.attach(s.add(f"key_{key}", b, "button", key), c, r + 2, 1, 1)


def _dialog(s: Screen) -> None:
    """A real Gtk.Dialog: its content area and action area, buttons in GTK's own order."""
    box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=4, margin=12)
    s.window.get_content_area().add(box)
    msg = "Delete 3 files permanently?"
    box.pack_start(s.add("message", _label(msg), "text", msg), False, False, 0)
    sub = "This cannot be undone."
    box.pack_start(s.add("detail", _label(sub), "text", sub), False, False, 6)
    cb = Gtk.CheckButton(label="Do not ask again", halign=Gtk.Align.START)
    box.pack_start(s.add("check_ask", cb, "checkbox", "Do not ask again"), False, False, 0)
    cancel = s.window.add_button("_Cancel", Gtk.ResponseType.CANCEL)
    ok = s.window.add_button("_OK", Gtk.ResponseType.OK)
    s.window.set_default_response(Gtk.ResponseType.OK)
    s.add("btn_cancel", cancel, "button", "Cancel")
    s.add("btn_ok", ok, "button", "OK")


def _toolbar(s: Screen) -> None:
    """A Gtk.Toolbar of icon-only tool buttons (flat until hovered, as GTK draws them)."""
    s.window.set_default_size(640, 320)
    vbox = Gtk.Box(orientation=Gtk.Orientation.VERTICAL)
    s.window.add(vbox)
    bar = Gtk.Toolbar(toolbar_style=Gtk.ToolbarStyle.ICONS)
    for name, icon_name in ICONS.items():
        item = Gtk.ToolButton(icon_name=icon_name, label=name)
        item.set_tooltip_text(name)
        bar.insert(s.add(f"icon_{name}", item, "icon"), -1)
    vbox.pack_start(bar, False, False, 0)
    vbox.pack_start(Gtk.Separator(), False, False, 0)
    body = Gtk.TextView(left_margin=6, top_margin=6)
    body.get_buffer().set_text(
        "Quarterly report draft\n\nRevenue grew in every region this quarter."
    )
    vbox.pack_start(s.add("body", body, "field"), True, True, 0)


BUILDERS = {"settings": _settings, "keypad": _keypad, "dialog": _dialog, "toolbar": _toolbar}


def _write(path: Path, data: dict[str, Any]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out)
    os.replace(tmp, path)


def _import_gtk(theme: str) -> None:
    """Import GTK with a fixed, self-contained environment: the theme from ``GTK_THEME``,
    settings in memory (no dconf), X11 even under Wayland; the accessibility bridge only when
    the launcher put the app on a display's bus (``GTK_A11Y=atspi``, see
    ``gui_agent.headless.session_bus``), so a stray session bus is never joined."""
    global Gtk, GLib, Gdk
    os.environ["GTK_THEME"] = theme
    os.environ["GSETTINGS_BACKEND"] = "memory"
    if os.environ.get("GTK_A11Y") != "atspi":
        os.environ["NO_AT_BRIDGE"] = "1"
    os.environ["GDK_BACKEND"] = "x11"
    import gi

    gi.require_version("Gtk", "3.0")
    gi.require_version("Gdk", "3.0")
    from gi.repository import Gdk as gdk
    from gi.repository import GLib as glib
    from gi.repository import Gtk as gtk

    Gtk, GLib, Gdk = gtk, glib, gdk


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--screen", choices=SCREENS, required=True)
    ap.add_argument("--theme", choices=tuple(THEMES), default="adwaita")
    ap.add_argument("--state", type=Path, required=True)
    args = ap.parse_args()
    _import_gtk(THEMES[args.theme])
    # A blinking caret would keep the screen from ever settling, and a focused entry that
    # selects its text on focus would paint the keypad's display as a blue selection.
    settings = Gtk.Settings.get_default()
    settings.set_property("gtk-cursor-blink", False)
    settings.set_property("gtk-entry-select-on-focus", False)
    css = Gtk.CssProvider()
    css.load_from_data(CSS)
    Gtk.StyleContext.add_provider_for_screen(
        Gdk.Screen.get_default(), css, Gtk.STYLE_PROVIDER_PRIORITY_APPLICATION
    )
    if args.screen == "dialog":
        window = Gtk.Dialog(title="Confirm delete")
        window.move(360, 240)
    else:
        window = Gtk.Window(title=f"GTK {args.screen}")
        window.move(0, 0)
    if args.screen in ("settings", "keypad"):
        window.set_border_width(16 if args.screen == "settings" else 12)
    window.connect("destroy", Gtk.main_quit)
    screen = Screen(window)
    BUILDERS[args.screen](screen)
    painted = [False]

    def on_paint(*_: object) -> None:
        painted[0] = True

    def write() -> bool:
        geometry = Gdk.Display.get_default().get_monitor(0).get_geometry()
        _write(
            args.state,
            {
                "ready": True,
                "toolkit": "gtk",
                "screen": args.screen,
                "theme": args.theme,
                "screen_size": [geometry.width, geometry.height],
                "widgets": screen.truth(),
            },
        )
        return False

    def report() -> bool:
        if not (painted[0] and screen.ready()):
            return True  # poll again
        GLib.timeout_add(150, write)  # let the last expose reach the X server
        return False

    window.show_all()
    # the frame clock's after-paint, not the "draw" signal: a draw handler's cairo argument
    # would need python3-gi-cairo, one more system package for nothing
    window.get_frame_clock().connect("after-paint", on_paint)
    GLib.timeout_add(20, report)
    Gtk.main()


if __name__ == "__main__":
    main()
