"""Tk renderer: tkinter and ttk windows on a private Xvfb, boxes from Tk's own geometry.

Tk draws nothing like Qt or a browser: sunken Motif fields, diamond-less square check
buttons, troughs with a value, ttk's ``clam``/``alt``/``default``/``classic`` themes. Each
screen is a random window of real tk and ttk widgets placed at the top-left corner of an
X display the chunk owns (``TkDisplay``); the image is that display's pixels
(``ScreenCapture``) and every box is ``winfo_rootx/rooty/width/height`` of the widget, or
for notebook tabs the extent Tk reports by hit-testing (``Notebook.index('@x,y')``).
Labelled widgets are never stretched by their geometry manager, so a check button's box is
its indicator and text, as the Qt generator's is.

``classic`` is held out (``recipe.TK_HELDOUT_THEMES``).
"""

from __future__ import annotations

import base64
import io
import math
import random
import tkinter as tk
from tkinter import ttk
from types import TracebackType
from typing import Any, Literal

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from gui_agent.headless.xvfb import Xvfb
from gui_agent.screen.capture import ScreenCapture
from gui_agent.training.synth import negatives
from gui_agent.training.synth.recipe import TK_HELDOUT_THEMES, TK_TRAIN_THEMES
from gui_agent.training.synth.screen import Box, Screen
from gui_agent.training.synth.vocab import (
    _BUTTONS,
    _CHECKS,
    _COMBO_ITEMS,
    _FIELD_LABELS,
    _HEADINGS,
    _RADIOS,
    _TABS,
    _list_item,
    _sentence,
    _value_for,
)

SCALES = (1.0, 1.25, 1.5)
SCREEN_W, SCREEN_H = 1800, 1100
GLYPHS = "☰⚙★✎✕✓⌂♥✉↻⋮▶◀▲▼⚑⚠✂⬇⬆♫☁✚"
FONTS = (
    "DejaVu Sans",
    "DejaVu Serif",
    "DejaVu Sans Mono",
    "DejaVu Sans Condensed",
    "TkDefaultFont",
)
_GLYPH_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

Mark = tuple[str, tk.Misc, str]


class TkDisplay:
    """An Xvfb, a capture of it and one Tk interpreter on it, for a chunk of screens."""

    def __init__(self) -> None:
        self.xvfb = Xvfb(SCREEN_W, SCREEN_H).start()
        try:
            self.capture = ScreenCapture(self.xvfb.display)
            self.root = tk.Tk(screenName=self.xvfb.display)
            self.root.overrideredirect(True)
            self.root.geometry("+0+0")
        except BaseException:
            self.xvfb.stop()
            raise

    def __enter__(self) -> TkDisplay:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.root.destroy()
        finally:
            self.capture.close()
            self.xvfb.stop()

    def settle(self) -> None:
        """Lay out, draw, and wait until the X server has done every request so far."""
        for _ in range(2):
            self.root.update_idletasks()
            self.root.update()
        self.root.winfo_pointerxy()  # a round trip: earlier requests are done

    def grab(self, width: int, height: int) -> np.ndarray:
        frame = self.capture.grab()
        return np.ascontiguousarray(frame.pixels[:height, :width, ::-1])


def _glyph_image(master: tk.Misc, glyph: str, px: int, colour: str) -> tk.PhotoImage:
    """A glyph icon as a PNG PhotoImage (Tk reads PNG itself; no ImageTk needed)."""
    img = Image.new("RGBA", (px, px), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(_GLYPH_FONT, max(8, round(px * 0.85)))
    draw.text((px / 2, px / 2), glyph, fill=colour, font=font, anchor="mm")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return tk.PhotoImage(master=master, data=base64.b64encode(buf.getvalue()).decode())


def _picture(master: tk.Misc, rng: random.Random, w: int, h: int) -> tk.PhotoImage:
    buf = io.BytesIO()
    Image.fromarray(negatives.texture(rng, w, h)).save(buf, format="PNG", compress_level=1)
    return tk.PhotoImage(master=master, data=base64.b64encode(buf.getvalue()).decode())


class _Builder:
    """One random Tk window: frames of labelled widgets, in tk or ttk flavours."""

    def __init__(self, rng: random.Random, root: tk.Misc, theme: str, scale: float) -> None:
        self.rng = rng
        self.root = root
        self.theme = theme
        self.scale = scale
        self.marks: list[Mark] = []
        self.images: list[tk.PhotoImage] = []  # Tk drops images Python no longer holds
        self.ttk_share = rng.uniform(0.3, 0.9)
        self.icon_px = round(rng.choice((16, 16, 20, 24)) * scale)
        self.fg = "#000000"

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, seq: Any) -> Any:
        return self.rng.choice(seq)

    def use_ttk(self) -> bool:
        return self.chance(self.ttk_share)

    def mark(self, cls: str, w: tk.Misc, kind: str) -> None:
        self.marks.append((cls, w, kind))

    # -- widgets -------------------------------------------------------------------------
    def button(self, parent: tk.Misc, text: str | None = None) -> tk.Widget:
        text = text or self.pick(_BUTTONS)
        if self.use_ttk():
            b: tk.Widget = ttk.Button(parent, text=text)
            self.mark("button", b, "ttk.Button")
        else:
            b = tk.Button(
                parent, text=text, padx=self.rng.randint(1, 12), pady=self.rng.randint(0, 4)
            )
            self.mark("button", b, "tk.Button")
        if self.chance(0.05):
            b["state"] = "disabled"
        return b

    def icon_button(self, parent: tk.Misc) -> tk.Widget:
        img = _glyph_image(parent, self.pick(GLYPHS), self.icon_px, self.fg)
        self.images.append(img)
        if self.use_ttk():
            b: tk.Widget = ttk.Button(
                parent, image=img, style="Toolbutton" if self.chance(0.5) else "TButton"
            )
            self.mark("icon", b, "ttk.Button.icon")
        else:
            relief = self.pick(("raised", "flat", "groove"))
            b = tk.Button(parent, image=img, relief=relief, bd=self.rng.randint(1, 2))
            self.mark("icon", b, "tk.Button.icon")
        return b

    def field(self, parent: tk.Misc, label: str) -> tk.Widget:
        k = self.rng.random()
        if k < 0.15:
            w: ttk.Spinbox | tk.Spinbox
            if self.use_ttk():
                w = ttk.Spinbox(parent, from_=0, to=1000, width=self.rng.randint(6, 14))
                self.mark("field", w, "ttk.Spinbox")
            else:
                w = tk.Spinbox(parent, from_=0, to=1000, width=self.rng.randint(6, 14))
                self.mark("field", w, "tk.Spinbox")
            w.delete(0, "end")
            w.insert(0, str(self.rng.randint(0, 999)))
            return w
        width = self.rng.randint(12, 40)
        if self.use_ttk():
            e: ttk.Entry | tk.Entry = ttk.Entry(parent, width=width)
            self.mark("field", e, "ttk.Entry")
        else:
            e = tk.Entry(
                parent, width=width, relief=self.pick(("sunken", "sunken", "solid", "groove"))
            )
            self.mark("field", e, "tk.Entry")
        if self.chance(0.7):
            e.insert(0, _value_for(self.rng, label))
        return e

    def combo(self, parent: tk.Misc) -> tk.Widget:
        items = list(self.pick(_COMBO_ITEMS))
        if self.chance(0.7):
            c = ttk.Combobox(parent, values=items, width=self.rng.randint(8, 24))
            c.set(self.pick(items))
            if self.chance(0.5):
                c.configure(state="readonly")
            self.mark("combo", c, "ttk.Combobox")
            return c
        var = tk.StringVar(parent, self.pick(items))
        if self.use_ttk():
            m: tk.Widget = ttk.OptionMenu(parent, var, var.get(), *items)
            self.mark("combo", m, "ttk.OptionMenu")
        else:
            m = tk.OptionMenu(parent, var, *items)
            self.mark("combo", m, "tk.OptionMenu")
        self.images.append(var)  # type: ignore[arg-type]  # keep the variable alive
        return m

    def check(self, parent: tk.Misc, text: str) -> tk.Widget:
        var = tk.IntVar(parent, int(self.chance(0.45)))
        self.images.append(var)  # type: ignore[arg-type]
        if self.use_ttk():
            c: tk.Widget = ttk.Checkbutton(parent, text=text, variable=var)
            self.mark("checkbox", c, "ttk.Checkbutton")
        else:
            c = tk.Checkbutton(parent, text=text, variable=var, padx=0, pady=0)
            self.mark("checkbox", c, "tk.Checkbutton")
        return c

    def radios(self, parent: tk.Misc) -> tk.Widget:
        frame = ttk.Frame(parent) if self.use_ttk() else tk.Frame(parent)
        group = self.pick(_RADIOS)
        var = tk.StringVar(parent, self.pick(group))
        self.images.append(var)  # type: ignore[arg-type]
        side: Literal["left", "top"] = "left" if self.chance(0.4) else "top"
        for t in group:
            if self.use_ttk():
                r: tk.Widget = ttk.Radiobutton(frame, text=t, value=t, variable=var)
                self.mark("radio", r, "ttk.Radiobutton")
            else:
                r = tk.Radiobutton(frame, text=t, value=t, variable=var, padx=0, pady=0)
                self.mark("radio", r, "tk.Radiobutton")
            r.pack(side=side, anchor="w", padx=(0, 6))
        return frame

    def slider(self, parent: tk.Misc) -> tk.Widget:
        length = round(self.rng.randint(100, 300) * self.scale)
        if self.use_ttk():
            s: tk.Widget = ttk.Scale(
                parent, from_=0, to=100, length=length, value=self.rng.randint(0, 100)
            )
            self.mark("slider", s, "ttk.Scale")
        else:
            s = tk.Scale(
                parent, from_=0, to=100, orient="horizontal", length=length, showvalue=False
            )
            s.set(self.rng.randint(0, 100))
            self.mark("slider", s, "tk.Scale")
        return s

    def scrolled(self, parent: tk.Misc) -> tk.Widget:
        frame = tk.Frame(parent)
        if self.chance(0.5):
            box: tk.Widget = tk.Listbox(
                frame, height=self.rng.randint(3, 8), width=self.rng.randint(16, 36)
            )
            style = self.rng.randint(0, 3)
            for i in range(self.rng.randint(5, 20)):
                box.insert("end", _list_item(self.rng, style, i))  # type: ignore[attr-defined]
        else:
            box = tk.Text(
                frame, height=self.rng.randint(3, 8), width=self.rng.randint(20, 50), wrap="word"
            )
            box.insert("end", " ".join(_sentence(self.rng) for _ in range(8)))
            self.mark("field", box, "tk.Text")
        sb: tk.Widget = (
            ttk.Scrollbar(frame, orient="vertical") if self.use_ttk() else tk.Scrollbar(frame)
        )
        self.mark("scrollbar", sb, type(sb).__module__.split(".")[-1] + ".Scrollbar")
        box.pack(side="left", fill="both", expand=True)
        sb.pack(side="right", fill="y")
        return frame

    def canvas(self, parent: tk.Misc) -> tk.Widget:
        """A drawing or a picture: background, never an element."""
        w, h = (
            round(self.rng.randint(120, 360) * self.scale),
            round(self.rng.randint(80, 240) * self.scale),
        )
        c = tk.Canvas(parent, width=w, height=h, highlightthickness=0)
        pic = _picture(parent, self.rng, w, h)
        self.images.append(pic)
        c.create_image(0, 0, image=pic, anchor="nw")
        return c

    # -- blocks --------------------------------------------------------------------------
    def form(self, parent: tk.Misc) -> tk.Widget:
        frame = ttk.Frame(parent, padding=self.rng.randint(4, 14))
        for row in range(self.rng.randint(2, 7)):
            label = self.pick(_FIELD_LABELS)
            ttk.Label(frame, text=label).grid(row=row, column=0, sticky="w", padx=4, pady=3)
            k = self.rng.random()
            if k < 0.55:
                w = self.field(frame, label)
            elif k < 0.75:
                w = self.combo(frame)
            elif k < 0.85:
                w = self.slider(frame)
            else:
                w = self.radios(frame)
            w.grid(row=row, column=1, sticky="w", padx=4, pady=3)
        return frame

    def checks(self, parent: tk.Misc) -> tk.Widget:
        frame = ttk.Frame(parent, padding=4)
        side: Literal["left", "top"] = "left" if self.chance(0.3) else "top"
        for t in self.rng.sample(_CHECKS, self.rng.randint(1, 4)):
            self.check(frame, t).pack(side=side, anchor="w", padx=4, pady=1)
        return frame

    def buttons(self, parent: tk.Misc) -> tk.Widget:
        frame = ttk.Frame(parent, padding=4)
        for _ in range(self.rng.randint(1, 4)):
            self.button(frame).pack(side="left", padx=self.rng.randint(2, 8))
        return frame

    def toolbar(self, parent: tk.Misc) -> tk.Widget:
        frame = ttk.Frame(parent, padding=2)
        for _ in range(self.rng.randint(3, 10)):
            if self.chance(0.15):
                ttk.Separator(frame, orient="vertical").pack(side="left", fill="y", padx=4)
            elif self.chance(0.15):
                self.button(frame).pack(side="left", padx=1)
            else:
                self.icon_button(frame).pack(side="left", padx=1)
        return frame

    def notebook(self, parent: tk.Misc) -> ttk.Notebook:
        nb = ttk.Notebook(parent)
        for name in self.rng.sample(_TABS, self.rng.randint(2, 5)):
            page = ttk.Frame(nb, padding=6)
            nb.add(page, text=name)
        first = nb.tabs()[0]
        inner = nb.nametowidget(first)
        self.body(inner, depth=1).pack(fill="both", expand=True)
        self.marks.append(("tab", nb, "ttk.Notebook"))
        return nb

    def body(self, parent: tk.Misc, depth: int = 0) -> tk.Widget:
        frame = ttk.Frame(parent)
        blocks = [self.form, self.checks, self.buttons]
        if self.chance(0.4):
            blocks.append(self.scrolled)
        if self.chance(0.3):
            blocks.append(self.canvas)
        if depth == 0 and self.chance(0.35):
            blocks.append(self.notebook)
        self.rng.shuffle(blocks)
        columns = 2 if self.chance(0.35) else 1
        for i, make in enumerate(blocks):
            w = make(frame)
            if columns == 2:
                w.grid(row=i // 2, column=i % 2, sticky="nw", padx=6, pady=4)
            else:
                w.pack(side="top", anchor="w", padx=6, pady=3)
        return frame


def _tab_boxes(nb: ttk.Notebook) -> list[tuple[int, int, int, int]]:
    """Each tab's extent in window coordinates, found by asking Tk which tab is where."""
    out: list[tuple[int, int, int, int]] = []
    w, h = nb.winfo_width(), nb.winfo_height()
    xs: dict[int, list[int]] = {}
    probe_y = -1
    for y in range(1, min(h, 60)):
        hits = [x for x in range(0, w, 2) if _tab_at(nb, x, y) is not None]
        if hits:
            probe_y = y + 4
            break
    if probe_y < 0:
        return out
    for x in range(w):
        i = _tab_at(nb, x, probe_y)
        if i is not None:
            xs.setdefault(i, []).append(x)
    for i, cols in sorted(xs.items()):
        cx = (cols[0] + cols[-1]) // 2
        rows = [y for y in range(0, min(h, 80)) if _tab_at(nb, cx, y) == i]
        if rows:
            out.append((cols[0], rows[0], cols[-1] + 1, rows[-1] + 1))
    return out


def _tab_at(nb: ttk.Notebook, x: int, y: int) -> int | None:
    if nb.identify(x, y) == "":
        return None
    try:
        return int(nb.index(f"@{x},{y}"))
    except tk.TclError:
        return None


def _px(v: float) -> int:
    return math.floor(v + 0.5)


def _collect(marks: list[Mark], width: int, height: int) -> list[Box]:
    boxes: list[Box] = []
    for cls, w, kind in marks:
        if not w.winfo_ismapped():
            continue
        rx, ry = w.winfo_rootx(), w.winfo_rooty()
        if cls == "tab" and isinstance(w, ttk.Notebook):
            rects = [(rx + a, ry + b, rx + c, ry + d) for a, b, c, d in _tab_boxes(w)]
        else:
            rects = [(rx, ry, rx + w.winfo_width(), ry + w.winfo_height())]
        for fx0, fy0, fx1, fy1 in rects:
            x0, y0, x1, y1 = max(fx0, 0), max(fy0, 0), min(fx1, width), min(fy1, height)
            if x1 - x0 < 4 or y1 - y0 < 4:
                continue
            if (x1 - x0) * (y1 - y0) * 2 < (fx1 - fx0) * (fy1 - fy0):
                continue
            boxes.append(
                Box(
                    cls,
                    x0,
                    y0,
                    x1,
                    y1,
                    f"tk.{kind}" if not kind.startswith(("tk.", "ttk.")) else kind,
                )
            )
    boxes.sort(key=lambda b: (b.y0, b.x0, b.cls, b.x1, b.y1))
    return boxes


def render_screen(seed: int, split: str, display: TkDisplay) -> Screen:
    """One random Tk window; the same ``(seed, split)`` always gives the same screen."""
    rng = random.Random(f"tk/{split}/{seed}")
    theme = rng.choice(TK_HELDOUT_THEMES if split == "heldout" else TK_TRAIN_THEMES)
    scale = rng.choice(SCALES)
    root = display.root
    for child in root.winfo_children():
        child.destroy()
    root.tk.call("tk", "scaling", 96 / 72 * scale)
    style = ttk.Style(root)
    style.theme_use(theme)
    family = rng.choice(FONTS)
    size = rng.choice((9, 9, 10, 10, 11, 12, 13))
    for name in ("TkDefaultFont", "TkTextFont", "TkMenuFont", "TkHeadingFont", "TkFixedFont"):
        root.tk.call("font", "configure", name, "-family", family, "-size", size)
    bg = style.lookup("TFrame", "background") or "#d9d9d9"
    root.configure(background=bg)
    b = _Builder(rng, root, theme, scale)
    b.fg = style.lookup("TLabel", "foreground") or "#000000"
    outer = tk.Frame(root, background=bg)
    heading = rng.choice(_HEADINGS)
    ttk.Label(outer, text=heading, font=(family, size + rng.randint(2, 6), "bold")).pack(
        anchor="w", padx=8, pady=(6, 2)
    )
    if rng.random() < 0.5:
        b.toolbar(outer).pack(side="top", fill="x")
    b.body(outer).pack(side="top", fill="both", expand=True)
    outer.pack(fill="both", expand=True)
    root.geometry("")  # the window takes its requested size
    display.settle()
    width = min(root.winfo_reqwidth() + rng.randint(0, 80), SCREEN_W)
    height = min(root.winfo_reqheight() + rng.randint(0, 60), SCREEN_H)
    root.geometry(f"{width}x{height}+0+0")
    display.settle()
    image = display.grab(width, height)
    boxes = _collect(b.marks, width, height)
    meta = {
        "split": split,
        "seed": seed,
        "theme": f"tk.{theme}",
        "scale": scale,
        "font": family,
        "font_size": size,
        "size": [width, height],
    }
    return Screen(image, boxes, meta)
