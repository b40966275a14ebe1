"""Tk/ttk screens that report their own widget geometry: ground truth from the toolkit.

Run: python -m tests.apps.foreign.tk_app --screen settings --theme clam --state out.json

Once every widget is mapped the app writes ``{"ready": true, "widgets": [...]}`` with each
widget's root-window box from ``winfo_rootx/rooty/width/height``; nothing here comes from
gui-agent's perception, so the bench can judge it. There is no window manager on the test
display, so the window sits exactly where ``geometry`` puts it.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import tkinter as tk
from pathlib import Path
from tkinter import ttk
from typing import Any, TypeVar

from PIL import ImageTk

from tests.apps.foreign.tk_icons import ICONS, icon

SCREENS = ("settings", "keypad", "dialog", "toolbar")
THEMES = ("clam", "alt", "default")
W = TypeVar("W", bound=tk.Widget)
KEYS = ("7", "8", "9", "/", "4", "5", "6", "*", "1", "2", "3", "-", "0", ".", "=", "+")


class Screen:
    """One window; ``add`` registers a widget under a name, kind and visible text."""

    def __init__(self, root: tk.Tk) -> None:
        self.root = root
        self.widgets: dict[str, tuple[tk.Widget, str, str]] = {}
        self.images: list[ImageTk.PhotoImage] = []  # Tk does not keep them alive itself

    def add(self, name: str, widget: W, kind: str, text: str = "") -> W:
        self.widgets[name] = (widget, kind, text)
        return widget

    def truth(self) -> list[dict[str, Any]]:
        out = []
        for name, (w, kind, text) in self.widgets.items():
            box = [w.winfo_rootx(), w.winfo_rooty(), w.winfo_width(), w.winfo_height()]
            out.append({"name": name, "kind": kind, "text": text, "box": box})
        return out


def _settings(s: Screen) -> None:
    f = ttk.Frame(s.root, padding=16)
    f.pack(fill="both", expand=True)
    head = ttk.Label(f, text="Project settings", font=("DejaVu Sans", 14, "bold"))
    s.add("heading", head, "text", "Project settings").grid(
        row=0, column=0, columnspan=3, sticky="w", pady=(0, 12)
    )
    rows = (("name", "Project name:", ""), ("email", "Owner email:", ""), ("port", "Port:", "8080"))
    for r, (key, label, value) in enumerate(rows, start=1):
        lab = s.add(f"label_{key}", ttk.Label(f, text=label), "text", label)
        lab.grid(row=r, column=0, sticky="w", pady=4)
        entry = ttk.Entry(f, width=32)
        entry.insert(0, value)
        s.add(f"field_{key}", entry, "field", value).grid(
            row=r, column=1, columnspan=2, sticky="we", pady=4, padx=(8, 0)
        )
    s.add("label_theme", ttk.Label(f, text="Colour theme:"), "text", "Colour theme:").grid(
        row=4, column=0, sticky="w", pady=4
    )
    combo = ttk.Combobox(f, values=("Light", "Dark", "System"), state="readonly", width=14)
    combo.set("System")
    s.add("combo_theme", combo, "combo", "System").grid(
        row=4, column=1, sticky="w", pady=4, padx=(8, 0)
    )
    desc = ttk.Label(f, text="Description")
    s.add("label_description", desc, "text", "Description").grid(
        row=5, column=0, sticky="w", pady=(10, 2)
    )
    text = tk.Text(f, width=46, height=4, relief="solid", borderwidth=1)
    s.add("field_description", text, "field").grid(row=6, column=0, columnspan=3, sticky="we")
    checks = ttk.Frame(f)
    checks.grid(row=7, column=0, columnspan=3, sticky="w", pady=(10, 0))
    for key, label, on in (
        ("notify", "Enable notifications", True),
        ("login", "Start at login", False),
        ("usage", "Send usage data", False),
    ):
        var = tk.BooleanVar(s.root, value=on)
        cb = ttk.Checkbutton(checks, text=label, variable=var)
        cb.var = var  # type: ignore[attr-defined]  # keep the variable alive
        s.add(f"check_{key}", cb, "checkbox", label).pack(anchor="w", pady=1)
    group = ttk.LabelFrame(f, text="Update channel", padding=6)
    group.grid(row=8, column=0, columnspan=3, sticky="we", pady=(10, 0))
    channel = tk.StringVar(s.root, value="stable")
    s.root.channel = channel  # type: ignore[attr-defined]
    for key, label in (("stable", "Stable"), ("beta", "Beta"), ("nightly", "Nightly")):
        rb = ttk.Radiobutton(group, text=label, value=key, variable=channel)
        s.add(f"radio_{key}", rb, "radio", label).pack(side="left", padx=(0, 16))
    bar = ttk.Frame(f)
    bar.grid(row=9, column=0, columnspan=3, sticky="e", pady=(14, 0))
    for key, label in (("reset", "Reset"), ("cancel", "Cancel"), ("apply", "Apply")):
        s.add(f"btn_{key}", ttk.Button(bar, text=label), "button", label).pack(
            side="left", padx=(6, 0)
        )


def _keypad(s: Screen) -> None:
    f = ttk.Frame(s.root, padding=12)
    f.pack(fill="both", expand=True)
    display = ttk.Entry(f, justify="right", font=("DejaVu Sans", 16), width=14)
    display.insert(0, "1024")
    s.add("display", display, "field", "1024").grid(
        row=0, column=0, columnspan=4, sticky="we", pady=(0, 8)
    )
    s.add("key_C", ttk.Button(f, text="C", width=4), "button", "C").grid(
        row=1, column=0, padx=2, pady=2
    )
    s.add("key_%", ttk.Button(f, text="%", width=4), "button", "%").grid(
        row=1, column=1, padx=2, pady=2
    )
    for i, key in enumerate(KEYS):
        r, c = divmod(i, 4)
        b = ttk.Button(f, text=key, width=4)
        s.add(f"key_{key}", b, "button", key).grid(row=r + 2, column=c, padx=2, pady=2)


def _dialog(s: Screen) -> None:
    s.root.geometry("+360+240")
    f = ttk.Frame(s.root, padding=18)
    f.pack(fill="both", expand=True)
    msg = "Delete 3 files permanently?"
    s.add("message", ttk.Label(f, text=msg), "text", msg).pack(anchor="w")
    sub = "This cannot be undone."
    s.add("detail", ttk.Label(f, text=sub), "text", sub).pack(anchor="w", pady=(4, 10))
    var = tk.BooleanVar(s.root, value=False)
    s.root.ask = var  # type: ignore[attr-defined]
    cb = ttk.Checkbutton(f, text="Do not ask again", variable=var)
    s.add("check_ask", cb, "checkbox", "Do not ask again").pack(anchor="w")
    bar = ttk.Frame(f)
    bar.pack(anchor="e", pady=(14, 0))
    s.add("btn_ok", ttk.Button(bar, text="OK"), "button", "OK").pack(side="left", padx=4)
    s.add("btn_cancel", ttk.Button(bar, text="Cancel"), "button", "Cancel").pack(side="left")


def _toolbar(s: Screen) -> None:
    bar = ttk.Frame(s.root, padding=4)
    bar.pack(fill="x")
    for name in ICONS:
        img = ImageTk.PhotoImage(icon(name), master=s.root)
        s.images.append(img)
        b = ttk.Button(bar, image=img, width=0)
        s.add(f"icon_{name}", b, "icon").pack(side="left", padx=1)
    ttk.Separator(s.root).pack(fill="x")
    body = tk.Text(s.root, width=70, height=12, relief="flat")
    body.insert("1.0", "Quarterly report draft\n\nRevenue grew in every region this quarter.")
    s.add("body", body, "field").pack(fill="both", expand=True, padx=6, pady=6)


BUILDERS = {"settings": _settings, "keypad": _keypad, "dialog": _dialog, "toolbar": _toolbar}


def _write(path: Path, data: dict[str, Any]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out)
    os.replace(tmp, path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--screen", choices=SCREENS, required=True)
    ap.add_argument("--theme", choices=THEMES, default="clam")
    ap.add_argument("--state", type=Path, required=True)
    args = ap.parse_args()
    root = tk.Tk(className="ForeignTk")
    root.title(f"Tk {args.screen}")
    root.geometry("+0+0")
    ttk.Style(root).theme_use(args.theme)
    # Classic Tk widgets (Text) take the theme's background so the window looks of a piece.
    root.configure(background=ttk.Style(root).lookup("TFrame", "background"))
    screen = Screen(root)
    BUILDERS[args.screen](screen)

    def report() -> None:
        root.update_idletasks()
        if not all(w.winfo_ismapped() for w, _, _ in screen.widgets.values()):
            root.after(20, report)
            return
        root.after(
            150,
            lambda: _write(
                args.state,
                {  # let the last expose paint
                    "ready": True,
                    "toolkit": "tk",
                    "screen": args.screen,
                    "theme": args.theme,
                    "screen_size": [root.winfo_screenwidth(), root.winfo_screenheight()],
                    "widgets": screen.truth(),
                },
            ),
        )

    root.after(50, report)
    root.mainloop()


if __name__ == "__main__":
    main()
