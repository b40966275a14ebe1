"""HTML renderer: random web pages laid out by headless Chromium, boxes from the DOM.

Browser screens are where the shipped detector failed most: favicons beside text read as
check boxes, and nothing it had seen looked like a browser's own controls. Here every
screen is markup from one vocabulary (forms, toolbars, tables, cards, settings sidebars,
browser-like tab strips, dialogs) under a CSS family from ``html_themes``; Chromium lays
it out, and each labelled element's class comes from what it is in the DOM (tag, type,
role, whether a button holds only a graphic; ``dom_class``) and its box from
``getBoundingClientRect``. The box conventions are the Qt generator's: a check box or radio
is its indicator plus its label (the ``label.choice`` that wraps both), an icon-only
button is an ``icon``, a switch is its track.

One ``Page`` (one Chromium) renders a whole chunk of screens; the device-pixel ratio and
the viewport are set per screen.
"""

from __future__ import annotations

import base64
import io
import math
import random
import re
from dataclasses import dataclass, replace
from functools import cache
from types import TracebackType
from typing import Any

from PIL import Image

from gui_agent.data import data_path
from gui_agent.training.chromium import Chromium
from gui_agent.training.synth import negatives
from gui_agent.training.synth.html_themes import choice_looks, stylesheet
from gui_agent.training.synth.recipe import HTML_HELDOUT_THEMES, HTML_TRAIN_THEMES
from gui_agent.training.synth.screen import Box, Screen
from gui_agent.training.synth.vocab import (
    _BUTTONS,
    _CHECKS,
    _COMBO_ITEMS,
    _FIELD_LABELS,
    _HEADINGS,
    _MENUS,
    _NAMES,
    _PLACEHOLDERS,
    _RADIOS,
    _SURNAMES,
    _TABS,
    _paragraph,
    _sentence,
    _value_for,
    _words,
)

SCALES = (1.0, 1.25, 1.5)
LAYOUTS = ("form", "settings", "browser", "toolbar", "table", "cards", "dialog")
FAVICON_LAYOUTS = ("browser", "settings")
# Layouts that hold check boxes and radios, for the indicator-looks pages (``looks``).
LOOK_LAYOUTS = ("form", "form", "settings", "dialog", "toolbar", "table")
# Glyphs of DejaVu Sans that icon fonts draw: menu, gear, star, pencil, close ...
GLYPHS = "☰⚙★☆✎✕✓⌂♥✉↻⋮⋯▶◀▲▼⚑⚠✂⎘⬇⬆⌫♫☁⚲✚✖❯❮"
TEXT_INPUTS = frozenset(
    {"", "text", "email", "password", "search", "number", "url", "tel", "date", "time"}
)

# Every element that may be labelled carries ``data-gt``; the script reports what it is.
_COLLECT = """
(() => {
  const out = [];
  const vw = innerWidth, vh = innerHeight;
  for (const el of document.querySelectorAll('[data-gt]')) {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    if (r.width <= 0 || r.height <= 0 || s.visibility === 'hidden' || s.display === 'none')
      continue;
    const cx = Math.min(Math.max(r.left + r.width / 2, 0), vw - 1);
    const cy = Math.min(Math.max(r.top + r.height / 2, 0), vh - 1);
    const hit = document.elementFromPoint(cx, cy);
    const shown = hit !== null && (hit === el || el.contains(hit) || hit.contains(el));
    const inner = el.querySelector('input');
    out.push({x: r.left, y: r.top, w: r.width, h: r.height, tag: el.tagName.toLowerCase(),
      type: (el.getAttribute('type') || '').toLowerCase(), role: el.getAttribute('role') || '',
      inner: inner ? (inner.getAttribute('type') || '').toLowerCase() : '',
      custom: el.querySelector('.box')
        ? (el.querySelector('.box.round') ? 'radio' : 'checkbox') : '',
      text: Array.from(el.querySelectorAll('.glyph')).reduce(
        (t, g) => t.replace(g.innerText.trim(), ''), (el.innerText || '').trim()).trim().length,
      graphic: !!el.querySelector('svg,img,.glyph'),
      cls: el.className && el.className.baseVal === undefined ? el.className : '',
      shown: shown});
  }
  return out;
})()
"""


def dom_class(rec: dict[str, Any]) -> str | None:
    """Our class for one DOM element (None: not an element class), from what the DOM says
    it is, not from how it looks."""
    tag, typ, role = rec["tag"], rec["type"], rec["role"]
    if role == "tab":
        return "tab"
    if role == "switch":
        return "toggle"
    if role in ("checkbox", "radio"):
        return role
    if tag == "label":
        kind = rec["inner"] or rec["custom"]
        return kind if kind in ("checkbox", "radio") else None
    if tag == "input":
        if typ in ("checkbox", "radio"):
            return typ
        if typ == "range":
            return "slider"
        if typ in ("button", "submit", "reset"):
            return "button"
        return "field" if typ in TEXT_INPUTS else None
    if tag == "textarea":
        return "field"
    if tag == "select":
        return "combo"
    if tag in ("button", "a"):
        return "icon" if rec["graphic"] and not rec["text"] else "button"
    if tag in ("img", "svg", "span", "i"):
        return "icon"
    return None


def _svg_icons() -> dict[str, str]:
    out = {}
    for p in sorted(data_path("icons").glob("*.svg")):
        out[p.stem] = p.read_text(encoding="utf-8").replace('width="24" height="24"', "")
    return out


_ICONS = _svg_icons()


@dataclass(frozen=True)
class GlyphFont:
    """An icon font that favicons are drawn from instead of the renderers' pool.

    Why: every split's favicon pages draw from one pool (our SVGs, a fixed set of glyphs,
    letter tiles, procedural pictures), so the held-out favicon pages show the check-box
    verifier icons it has seen, in page looks it has not. Pages whose every favicon is a
    glyph of the icon classifier's held-out font (Phosphor, which no renderer draws) measure
    what a user's real favicons are: icons nobody here chose.
    """

    family: str
    face: str  # the @font-face rule, the font inlined as a data URL
    codes: tuple[int, ...]


@cache
def glyph_font(key: str) -> GlyphFont:
    """One qtawesome icon font (a key of ``icon_vocabulary.FONTS``), inlined for a page;
    RuntimeError with the fix when the qtawesome wheel (the ``[train]`` extra) is missing."""
    from gui_agent.perception.icon_vocabulary import FONT_BY_KEY
    from gui_agent.training.icons.fonts import charmap, fonts_dir

    data = base64.b64encode((fonts_dir() / FONT_BY_KEY[key].ttf).read_bytes()).decode()
    family = f"GlyphIcons-{key}"
    face = f"@font-face {{ font-family: '{family}'; src: url(data:font/ttf;base64,{data}); }}"
    return GlyphFont(family, face, tuple(sorted(set(charmap(key).values()))))


def heldout_glyph_font() -> GlyphFont:
    """The held-out icon font of ``gui_agent.perception.icon_vocabulary`` (Phosphor)."""
    return glyph_font(heldout_glyph_font_key())


def glyph_font_for(split: str, seed: int) -> GlyphFont:
    """The icon font of one glyph-favicon page: the held-out font for held-out screens, one
    of the icon classifier's training fonts (brands included: real favicons are logos) for
    training screens, each less its indicator drawings (``_INDICATOR_LIKE``). Training
    never draws the held-out font, so the held-out glyph pages still measure icons the
    check-box verifier has never seen."""
    from gui_agent.perception.icon_vocabulary import FONTS

    if split == "heldout":
        return _favicon_glyphs(heldout_glyph_font_key())
    keys = sorted(f.key for f in FONTS if f.split == "train")
    return _favicon_glyphs(random.Random(f"glyphs/{split}/{seed}").choice(keys))


def heldout_glyph_font_key() -> str:
    from gui_agent.perception.icon_vocabulary import FONTS

    return next(f.key for f in FONTS if f.split == "heldout")


# Glyphs that are drawings of a check box, a radio or a bare square or circle ("checkbox-
# blank-outline", "radiobox-marked", "circle", "square-check"), in any weight (Phosphor's
# "-bold", "-light", "-thin"): no site's favicon is one. Training pages leave them out, as
# they would teach the verifier that a real indicator is none; held-out pages leave them
# out too, since a ring beside "General" that draws a radio is one to anyone looking, and
# counting it as a fake would measure the eye, not the favicon lesson.
_INDICATOR_LIKE = re.compile(
    r"^(checkbox|check-box|radiobox|radio-button|radio|record|toggle)(-|$)"
    r"|^(circle|square|rectangle|dot|circle-dot|dot-circle|check-square|square-check"
    r"|check-circle|circle-check|check-empty|stop|stop-circle|circle-stop|rhombus|diamond"
    r"|checkbox-blank|check|checkmark|square-full|check-square-offset)"
    r"(-outline|-line|-fill|-o|-regular|-medium|-rounded|-small|-alt|-full"
    r"|-bold|-light|-thin|-duotone)*$"
)


@cache
def _favicon_glyphs(key: str) -> GlyphFont:
    """``glyph_font(key)`` less its glyphs that draw an indicator (``_INDICATOR_LIKE``)."""
    from gui_agent.training.icons.fonts import charmap

    font = glyph_font(key)
    drop = {code for name, code in charmap(key).items() if _INDICATOR_LIKE.match(name)}
    return replace(font, codes=tuple(c for c in font.codes if c not in drop))


def _png_data_url(pixels: Any) -> str:
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, format="PNG", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


class Page:
    """One headless Chromium that renders screen after screen."""

    def __init__(self) -> None:
        self.browser = Chromium(1280, 800)

    def __enter__(self) -> Page:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.browser.close()

    def render(self, html: str, width: int, height: int, scale: float) -> tuple[Any, list[Any]]:
        """Screenshot (device pixels) and the ``data-gt`` records (CSS pixels)."""
        self.browser.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=scale,
            mobile=False,
        )
        self.browser.load(html)
        records = self.browser.evaluate(_COLLECT)
        return self.browser.screenshot(), list(records or [])


class _Markup:
    """Random markup of one page: the components, in the CSS family's vocabulary."""

    def __init__(self, rng: random.Random, family: str, glyphs: GlyphFont | None = None) -> None:
        self.rng = rng
        self.family = family
        self.glyphs = glyphs
        self.custom_choices = family != "plain" and rng.random() < 0.4

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, seq: Any) -> Any:
        return self.rng.choice(seq)

    # -- labelled elements -------------------------------------------------------------------
    def icon_markup(self, px: int | None = None) -> str:
        size = f' style="width:{px}px;height:{px}px"' if px else ""
        if self.chance(0.3):
            return f'<span class="glyph"{size}>{self.pick(GLYPHS)}</span>'
        return f'<span class="icon"{size}>{_ICONS[self.pick(sorted(_ICONS))]}</span>'

    def button(self, text: str | None = None) -> str:
        text = text or self.pick(_BUTTONS)
        variant = self.pick(("", "", "primary", "secondary", "ghost"))
        dis = " disabled" if self.chance(0.05) else ""
        lead = self.icon_markup() + " " if self.chance(0.15) else ""
        if self.chance(0.1):
            return f'<a href="#" class="btn {variant}" data-gt>{lead}{text}</a>'
        if self.chance(0.08):
            return f'<input type="submit" class="btn {variant}" value="{text}" data-gt{dis}>'
        return f'<button class="btn {variant}" data-gt{dis}>{lead}{text}</button>'

    def icon_button(self) -> str:
        title = self.pick(_BUTTONS)
        return f'<button class="iconbtn" title="{title}" data-gt>{self.icon_markup()}</button>'

    def field(self, label: str = "Name") -> str:
        typ = self.rng.choices(
            ("text", "email", "password", "search", "number", "date", "url"),
            (6, 1, 1, 1, 1, 0.5, 0.5),
        )[0]
        if "email" in label.lower():
            typ = "email"
        mode = self.pick(("empty", "placeholder", "value", "value"))
        attrs = ""
        if mode == "placeholder":
            attrs = f' placeholder="{self.pick(_PLACEHOLDERS)}"'
        elif mode == "value" and typ not in ("date", "number"):
            attrs = f' value="{_value_for(self.rng, label)}"'
        elif typ == "number":
            attrs = f' value="{self.rng.randint(0, 500)}"'
        width = f' style="width:{self.rng.randint(120, 360)}px"' if self.chance(0.5) else ""
        if self.chance(0.08):
            rows = self.rng.randint(2, 5)
            return f'<textarea class="field" rows="{rows}" data-gt>{_sentence(self.rng)}</textarea>'
        return f'<input class="field" type="{typ}"{attrs}{width} data-gt>'

    def combo(self) -> str:
        items = self.pick(_COMBO_ITEMS)
        opts = "".join(f"<option>{i}</option>" for i in items)
        width = f' style="min-width:{self.rng.randint(100, 260)}px"' if self.chance(0.4) else ""
        return f'<select class="field"{width} data-gt>{opts}</select>'

    def choice(self, kind: str, text: str, name: str = "") -> str:
        on = self.chance(0.45)
        text = "" if self.chance(0.05) else text
        if self.custom_choices:
            cls = "box round" if kind == "radio" else "box"
            cls += " on" if on else ""
            return f'<label class="choice" data-gt><span class="{cls}"></span>{text}</label>'
        checked = " checked" if on else ""
        dis = " disabled" if self.chance(0.04) else ""
        nm = f' name="{name}"' if name else ""
        return (
            f'<label class="choice" data-gt><input type="{kind}"{nm}{checked}{dis}>{text}</label>'
        )

    def radios(self) -> str:
        group = self.pick(_RADIOS)
        name = f"r{self.rng.randint(0, 10**6)}"
        vertical = self.chance(0.6)
        items = "".join(self.choice("radio", t, name) for t in group)
        return f'<div class="{"col" if vertical else "row"}">{items}</div>'

    def switch(self) -> str:
        on = "true" if self.chance(0.5) else "false"
        return f'<span class="switch" role="switch" aria-checked="{on}" data-gt></span>'

    def slider(self) -> str:
        w = self.rng.randint(100, 320)
        return (
            f'<input type="range" value="{self.rng.randint(0, 100)}" style="width:{w}px" data-gt>'
        )

    def tabs(self, names: list[str] | None = None, favicons: bool = False) -> str:
        names = names or self.rng.sample(_TABS, self.rng.randint(2, 6))
        sel = self.rng.randrange(len(names))
        out = []
        for i, n in enumerate(names):
            lead = self.favicon() if favicons else ""
            close = ""
            if favicons and self.chance(0.8):
                close = '<span class="glyph muted" style="font-size:.8em">✕</span>'
            out.append(
                f'<button role="tab" aria-selected="{"true" if i == sel else "false"}" '
                f"data-gt>{lead}<span>{n}</span>{close}</button>"
            )
        return f'<div class="tabstrip" role="tablist">{"".join(out)}</div>'

    def favicon(self, px: int = 16) -> str:
        """A site's icon as it sits beside text: an SVG, a coloured letter tile, a glyph or
        a tiny picture. Labelled ``icon``: it must never read as a check box. With a glyph
        font (``GlyphFont``), always one of its glyphs, in a random colour."""
        style = f'style="width:{px}px;height:{px}px"'
        if self.glyphs is not None:
            code, hue = self.pick(self.glyphs.codes), self.rng.randint(0, 359)
            return (
                f'<span class="favicon glyph" data-gt {style[:-1]};display:inline-flex;'
                f"align-items:center;justify-content:center;line-height:1;"
                f"font-family:'{self.glyphs.family}';font-size:{px}px;"
                f'color:hsl({hue},60%,45%)">&#x{code:x};</span>'
            )
        k = self.rng.random()
        if k < 0.3:
            hue = self.rng.randint(0, 359)
            radius = self.pick(("0", "3px", "50%"))
            letter = self.pick("ABCDEFGHKMNPRSTWXYZ")
            return (
                f'<span class="favicon" data-gt {style[:-1]};display:inline-flex;'
                f"align-items:center;justify-content:center;border-radius:{radius};"
                f'background:hsl({hue},70%,45%);color:#fff;font:bold {px - 5}px sans-serif">'
                f"{letter}</span>"
            )
        if k < 0.55:
            pic = negatives.texture(self.rng, px * 2, px * 2, self.pick(("shapes", "bokeh")))
            return f'<img class="favicon" data-gt {style} src="{_png_data_url(pic)}">'
        if k < 0.8:
            svg = _ICONS[self.pick(sorted(_ICONS))]
            hue = self.rng.randint(0, 359)
            colour = f"color:hsl({hue},60%,45%)"
            return f'<span class="favicon icon" data-gt {style[:-1]};{colour}">{svg}</span>'
        glyph = self.pick(GLYPHS)
        return f'<span class="favicon glyph" data-gt {style[:-1]};font-size:{px}px">{glyph}</span>'

    def photo(self, w: int, h: int) -> str:
        pic = negatives.texture(self.rng, max(8, w // 2), max(8, h // 2))
        return f'<img class="photo" style="width:{w}px;height:{h}px" src="{_png_data_url(pic)}">'

    # -- blocks -------------------------------------------------------------------------------
    def form_rows(self, n: int) -> str:
        rows = []
        for _ in range(n):
            label = self.pick(_FIELD_LABELS)
            k = self.rng.random()
            if k < 0.55:
                ctl = self.field(label)
            elif k < 0.72:
                ctl = self.combo()
            elif k < 0.8:
                ctl = self.slider()
            elif k < 0.88:
                ctl = self.switch()
            else:
                ctl = self.radios()
            rows.append(f"<label>{label}</label><div>{ctl}</div>")
        return f'<div class="grid">{"".join(rows)}</div>'

    def checks(self, n: int) -> str:
        items = "".join(self.choice("checkbox", t) for t in self.rng.sample(_CHECKS, n))
        return f'<div class="{"col" if self.chance(0.7) else "row"}">{items}</div>'

    def buttons(self, n: int) -> str:
        items = "".join(self.button() for _ in range(n))
        just = self.pick(("flex-start", "flex-end", "center"))
        return f'<div class="row" style="justify-content:{just}">{items}</div>'

    def toolbar(self) -> str:
        parts = []
        for _ in range(self.rng.randint(3, 12)):
            k = self.rng.random()
            if k < 0.7:
                parts.append(self.icon_button())
            elif k < 0.82:
                parts.append('<span class="sep"></span>')
            else:
                parts.append(self.button())
        if self.chance(0.5):
            parts.append('<span style="flex:1"></span>' + self.field("Search"))
        return f'<div class="toolbar">{"".join(parts)}</div>'

    def menubar(self) -> str:
        items = " ".join(
            f'<span style="padding:4px 8px">{m}</span>'
            for m in self.rng.sample(_MENUS, self.rng.randint(3, 7))
        )
        return f'<div class="row" style="padding:2px 6px">{items}</div>'

    def table(self) -> str:
        cols = self.rng.randint(3, 6)
        with_check = self.chance(0.4)
        with_actions = self.chance(0.5)
        head = "".join(f"<th>{_words(self.rng, 1, 2).title()}</th>" for _ in range(cols))
        head = ("<th></th>" if with_check else "") + head + ("<th></th>" if with_actions else "")
        rows = []
        for _ in range(self.rng.randint(3, 10)):
            cells = "".join(f"<td>{self.cell()}</td>" for _ in range(cols))
            if with_check:
                cells = f"<td>{self.choice('checkbox', '')}</td>" + cells
            if with_actions:
                acts = "".join(self.icon_button() for _ in range(self.rng.randint(1, 3)))
                cells += f'<td><div class="row">{acts}</div></td>'
            rows.append(f"<tr>{cells}</tr>")
        return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"

    def cell(self) -> str:
        k = self.rng.random()
        if k < 0.3:
            return f"{self.pick(_NAMES)} {self.pick(_SURNAMES)}"
        if k < 0.5:
            return f"{self.rng.randint(1, 9999)}"
        if k < 0.6:
            return f'<a href="#">{_words(self.rng, 1, 2)}</a>'
        return _words(self.rng, 1, 3)

    def card(self) -> str:
        parts = []
        if self.chance(0.6):
            parts.append(self.photo(self.rng.randint(180, 320), self.rng.randint(90, 180)))
        parts.append(f"<h3>{self.pick(_HEADINGS)}</h3>")
        parts.append(f'<p class="muted">{_sentence(self.rng)}</p>')
        if self.chance(0.7):
            parts.append(self.buttons(self.rng.randint(1, 2)))
        elif self.chance(0.5):
            parts.append(f'<div class="row">{self.icon_button()}{self.icon_button()}</div>')
        return f'<div class="card col">{"".join(parts)}</div>'

    def sidebar(self, favicons: bool) -> str:
        items = []
        names = self.rng.sample(_TABS, self.rng.randint(4, 10))
        active = self.rng.randrange(len(names))
        for i, n in enumerate(names):
            lead = (
                self.favicon(self.rng.choice((16, 18, 20))) if favicons or self.chance(0.5) else ""
            )
            cls = ' class="active"' if i == active else ""
            items.append(f'<a href="#"{cls}>{lead}<span>{n}</span></a>')
        return f'<nav class="sidebar col" style="min-width:180px">{"".join(items)}</nav>'

    def settings_pane(self) -> str:
        rows = []
        for _ in range(self.rng.randint(3, 7)):
            k = self.rng.random()
            label = f"<div><div>{self.pick(_CHECKS)}</div>"
            if self.chance(0.5):
                label += (
                    f'<div class="muted" style="font-size:.85em">{_sentence(self.rng, 4, 9)}</div>'
                )
            label += "</div>"
            if k < 0.45:
                ctl = self.switch()
            elif k < 0.7:
                ctl = self.combo()
            elif k < 0.85:
                rows.append(f'<div class="row">{self.choice("checkbox", self.pick(_CHECKS))}</div>')
                continue
            else:
                ctl = self.button()
            rows.append(
                f'<div class="row" style="justify-content:space-between;flex-wrap:nowrap">'
                f"{label}{ctl}</div>"
            )
        title = f"<h2>{self.pick(_HEADINGS)}</h2>"
        return f'<div class="col pane" style="flex:1">{title}{"".join(rows)}</div>'

    def address_bar(self) -> str:
        nav = "".join(
            f'<button class="iconbtn" data-gt><span class="glyph">{g}</span></button>'
            for g in self.rng.sample("◀▶↻⌂", self.rng.randint(2, 4))
        )
        host = _words(self.rng, 1, 1)
        url = f"https://{host}.example.com/{_words(self.rng, 1, 2).replace(' ', '/')}"
        field = f'<input class="field" style="flex:1" value="{url}" data-gt>'
        tail = "".join(self.icon_button() for _ in range(self.rng.randint(0, 3)))
        return f'<div class="toolbar" style="flex-wrap:nowrap">{nav}{field}{tail}</div>'


def _body(m: _Markup, layout: str, favicon: bool) -> str:
    rng = m.rng
    if layout == "form":
        parts = [f"<h2>{m.pick(_HEADINGS)}</h2>"]
        if m.chance(0.3):
            parts.append(m.tabs())
        if m.chance(0.3):
            parts.append(f'<p class="muted">{_paragraph(rng, 1, 2)}</p>')
        parts.append(m.form_rows(rng.randint(2, 7)))
        if m.chance(0.7):
            parts.append(m.checks(rng.randint(1, 4)))
        parts.append(m.buttons(rng.randint(1, 3)))
        width = rng.randint(420, 900)
        inner = f'<div class="col pane" style="max-width:{width}px">{"".join(parts)}</div>'
        return (
            (m.menubar() if m.chance(0.3) else "") + (m.toolbar() if m.chance(0.3) else "") + inner
        )
    if layout == "settings":
        side = m.sidebar(favicon)
        row = '<div class="row" style="align-items:flex-start;flex-wrap:nowrap;height:100%">'
        return f"{row}{side}{m.settings_pane()}</div>"
    if layout == "browser":
        names = [f"{_words(rng, 1, 3).title()}" for _ in range(rng.randint(2, 7))]
        strip = f'<div style="padding:6px 6px 0">{m.tabs(names, favicons=True)}</div>'
        content = _body(m, m.pick(("form", "cards", "table", "settings")), favicon)
        return strip + m.address_bar() + content
    if layout == "toolbar":
        content = m.pick((m.table, lambda: m.form_rows(rng.randint(2, 5)), lambda: m.checks(3)))()
        return (
            m.toolbar()
            + (m.toolbar() if m.chance(0.3) else "")
            + f'<div class="pane">{content}</div>'
        )
    if layout == "table":
        bar = f'<div class="row">{m.field("Search")}{m.combo()}{m.button()}</div>'
        return f'<div class="col pane">{bar}{m.table()}</div>'
    if layout == "cards":
        cards = "".join(m.card() for _ in range(rng.randint(2, 6)))
        return f'<div class="row pane" style="align-items:flex-start">{cards}</div>'
    # dialog: a box over a picture or a plain page
    parts = [f"<h3>{m.pick(_HEADINGS)}</h3>", f"<p>{_sentence(rng)}</p>"]
    if m.chance(0.6):
        parts.append(m.form_rows(rng.randint(1, 3)))
    if m.chance(0.4):
        parts.append(m.checks(1))
    parts.append(m.buttons(rng.randint(1, 3)))
    return (
        '<div style="display:flex;height:100%;align-items:center;justify-content:center">'
        f'<div class="dialog col" style="min-width:{rng.randint(260, 420)}px">'
        f"{''.join(parts)}</div></div>"
    )


def _to_pixels(v: float, scale: float) -> int:
    return math.floor(v * scale + 0.5)


def boxes_from_records(
    records: list[dict[str, Any]], scale: float, width: int, height: int
) -> list[Box]:
    """Image-pixel boxes of the labelled records: clipped to the page; dropped when hidden
    under something else, mostly off the page, or under 4 px (the Qt generator's rules)."""
    out: list[Box] = []
    for rec in records:
        cls = dom_class(rec)
        if cls is None or not rec["shown"]:
            continue
        fx0, fy0 = _to_pixels(rec["x"], scale), _to_pixels(rec["y"], scale)
        fx1, fy1 = _to_pixels(rec["x"] + rec["w"], scale), _to_pixels(rec["y"] + rec["h"], scale)
        x0, y0, x1, y1 = max(fx0, 0), max(fy0, 0), min(fx1, width), min(fy1, height)
        if x1 - x0 < 4 or y1 - y0 < 4:
            continue
        if (x1 - x0) * (y1 - y0) * 2 < (fx1 - fx0) * (fy1 - fy0):
            continue
        kind = rec["tag"] + (
            f".{rec['type'] or rec['inner'] or rec['custom']}"
            if rec["tag"] in ("input", "label")
            else ""
        )
        out.append(Box(cls, x0, y0, x1, y1, f"html.{kind}"))
    out.sort(key=lambda b: (b.y0, b.x0, b.cls, b.x1, b.y1))
    return out


def render_screen(
    seed: int,
    split: str,
    page: Page,
    favicon: bool = False,
    glyphs: GlyphFont | None = None,
    looks: bool = False,
) -> Screen:
    """One random page; the same ``(seed, split, favicon, glyphs, looks)`` always gives the
    same screen. ``favicon``: only the layouts with icons beside text (browser tab strips,
    settings sidebars), for the favicon lesson and its measurement. ``glyphs``: every
    favicon a glyph of that font (``glyph_font_for``). ``looks``: layouts with check boxes
    and radios, every one a custom indicator in a random look (``choice_looks``)."""
    rng = random.Random(f"html/{split}/{favicon}/{seed}" + ("/looks" if looks else ""))
    family = rng.choice(HTML_HELDOUT_THEMES if split == "heldout" else HTML_TRAIN_THEMES)
    scale = rng.choice(SCALES)
    layout = rng.choice(LOOK_LAYOUTS if looks else FAVICON_LAYOUTS if favicon else LAYOUTS)
    width, height = 4 * rng.randint(120, 360), 4 * rng.randint(90, 220)
    css, pal = stylesheet(family, rng)
    m = _Markup(rng, family, glyphs)
    if looks:
        m.custom_choices = True
        css += choice_looks(rng, pal)
    body = _body(m, layout, favicon)
    if looks:  # enough indicators per page to learn their looks from
        block = m.checks(rng.randint(2, 5)) + "".join(m.radios() for _ in range(rng.randint(1, 2)))
        body = f'<div class="pane row" style="align-items:flex-start">{block}</div>' + body
    background = glyphs.face if glyphs is not None else ""
    if layout == "dialog" or rng.random() < 0.12:  # a picture behind the page: wallpaper
        pic = negatives.texture(rng, width // 2, height // 2)
        background += f"body {{ background: url({_png_data_url(pic)}) center/cover; }}"
    head = f"<head><style>{css}{background}</style></head>"
    html = f"<!doctype html><html>{head}<body>{body}</body></html>"
    image, records = page.render(html, width, height, scale)
    h, w = image.shape[:2]
    boxes = boxes_from_records(records, scale, w, h)
    meta = {
        "split": split,
        "seed": seed,
        "theme": f"css.{family}",
        "dark": pal.dark,
        "layout": layout,
        "scale": scale,
        "favicon": favicon,
        "size": [width, height],
    }
    if glyphs is not None:
        meta["glyphs"] = glyphs.family
    if looks:
        meta["looks"] = True
    return Screen(image, boxes, meta)
