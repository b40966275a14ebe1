"""CSS theme families for the HTML renderer: how the same markup looks in many web styles.

Each family is a stylesheet over one markup vocabulary (``.btn``, ``.field``, ``.choice``,
``.switch``, ``[role=tab]`` ...), with colours, radii, paddings and fonts drawn from the
screen's random source. ``plain`` adds nothing to the controls: the browser's own
buttons, check boxes and selects, which no Qt style resembles. ``material`` is held out
(see ``recipe``): its filled fields, caps buttons and thumb-on-track switches never appear
in training, so it measures transfer to a web look the detector has not seen.
"""

from __future__ import annotations

import colorsys
import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Palette:
    bg: str
    surface: str
    text: str
    muted: str
    border: str
    accent: str
    on_accent: str
    dark: bool


def _hex(h: float, s: float, v: float) -> str:
    r, g, b = colorsys.hsv_to_rgb(h % 1.0, max(0.0, min(s, 1.0)), max(0.0, min(v, 1.0)))
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def palette(rng: random.Random, dark: bool) -> Palette:
    hue = rng.random()
    tint = rng.random()
    u = rng.uniform
    accent_v = u(0.45, 0.85)
    accent = _hex(hue, u(0.45, 0.95), accent_v)
    on_accent = "#ffffff" if accent_v < 0.8 or rng.random() < 0.7 else "#111111"
    if dark:
        return Palette(
            bg=_hex(tint, u(0, 0.2), u(0.08, 0.18)),
            surface=_hex(tint, u(0, 0.2), u(0.16, 0.27)),
            text=_hex(tint, u(0, 0.1), u(0.82, 0.97)),
            muted=_hex(tint, u(0, 0.1), u(0.55, 0.7)),
            border=_hex(tint, u(0, 0.1), u(0.3, 0.45)),
            accent=accent,
            on_accent=on_accent,
            dark=True,
        )
    return Palette(
        bg=_hex(tint, u(0, 0.06), u(0.93, 1.0)),
        surface=_hex(tint, u(0, 0.03), u(0.97, 1.0)),
        text=_hex(tint, u(0, 0.2), u(0.05, 0.25)),
        muted=_hex(tint, u(0, 0.1), u(0.4, 0.55)),
        border=_hex(tint, u(0, 0.08), u(0.72, 0.86)),
        accent=accent,
        on_accent=on_accent,
        dark=False,
    )


FONTS = (
    "DejaVu Sans",
    "DejaVu Sans Condensed",
    "DejaVu Serif",
    "sans-serif",
    "serif",
    "DejaVu Sans Mono",
    "system-ui",
)

_BASE = """
* {{ box-sizing: border-box; }}
html, body {{ margin: 0; width: 100%; height: 100%; overflow: hidden; }}
body {{ font-family: {font}; font-size: {size}px; color: {text}; background: {bg};
        color-scheme: {scheme}; }}
.row {{ display: flex; align-items: center; gap: {gap}px; flex-wrap: wrap; }}
.col {{ display: flex; flex-direction: column; gap: {gap}px; }}
.grid {{ display: grid; grid-template-columns: max-content minmax(140px, 1fr);
         gap: {gap}px {gap2}px; align-items: center; }}
.pane {{ padding: {pad}px; }}
.muted {{ color: {muted}; }}
h1, h2, h3 {{ margin: 0; font-weight: 600; }}
p {{ margin: 0; }}
.choice {{ display: inline-flex; align-items: center; gap: 4px; width: max-content; }}
.choice input {{ margin: 0; }}
.icon {{ display: inline-flex; width: 1.25em; height: 1.25em; }}
.icon svg {{ width: 100%; height: 100%; }}
.favicon {{ width: 16px; height: 16px; flex: none; }}
img.photo {{ display: block; object-fit: cover; }}
.glyph {{ font-family: 'DejaVu Sans'; line-height: 1; }}
table {{ border-collapse: collapse; }}
td, th {{ padding: {cell}px {pad}px; text-align: left; border-bottom: 1px solid {border}; }}
.tabstrip {{ display: flex; align-items: flex-end; gap: 2px; }}
.tabstrip [role=tab] {{ display: inline-flex; align-items: center; gap: 6px; }}
.card {{ background: {surface}; border: 1px solid {border}; border-radius: {radius}px;
         padding: {pad}px; }}
.sidebar a {{ display: flex; align-items: center; gap: 8px; padding: {cell}px {pad}px;
              color: inherit; text-decoration: none; border-radius: {radius}px; }}
.sidebar a.active {{ background: {accent}22; }}
.toolbar {{ display: flex; align-items: center; gap: 4px; padding: 4px {pad}px;
            border-bottom: 1px solid {border}; background: {surface}; }}
.sep {{ width: 1px; align-self: stretch; background: {border}; margin: 2px 4px; }}
.dialog {{ background: {surface}; border: 1px solid {border}; border-radius: {radius}px;
           box-shadow: 0 8px 30px #0006; padding: {pad2}px; }}
a {{ color: {accent}; }}
.switch {{ display: inline-block; position: relative; flex: none; cursor: pointer; }}
"""

# Controls in each family; ``plain`` leaves them to the browser.
_FAMILY = {
    "plain": "",
    "bootstrap": """
.btn {{ font: inherit; padding: {bpy}px {bpx}px; border-radius: {radius}px; cursor: pointer;
        border: 1px solid {accent}; background: {accent}; color: {on_accent}; }}
.btn.secondary {{ background: transparent; color: {accent}; }}
.btn.ghost {{ background: {surface}; color: {text}; border-color: {border}; }}
a.btn {{ display: inline-block; text-decoration: none; }}
.field {{ font: inherit; padding: {fpy}px {fpx}px; border: 1px solid {border};
          border-radius: {radius}px; background: {surface}; color: {text}; }}
select.field {{ padding-right: 28px; }}
.choice input {{ accent-color: {accent}; width: 1.1em; height: 1.1em; }}
.iconbtn {{ font: inherit; border: 1px solid {border}; background: {surface}; color: {text};
            border-radius: {radius}px; padding: 5px; display: inline-flex; }}
[role=tab] {{ font: inherit; padding: {bpy}px {bpx}px; border: 1px solid transparent;
              border-radius: {radius}px {radius}px 0 0; background: none; color: {accent}; }}
[role=tab][aria-selected=true] {{ border-color: {border} {border} {surface};
                                  background: {surface}; color: {text}; }}
.switch {{ width: 2.2em; height: 1.2em; border-radius: 1em; background: {border}; }}
.switch::after {{ content: ''; position: absolute; top: 2px; left: 2px; width: calc(1.2em - 4px);
                  height: calc(1.2em - 4px); border-radius: 50%; background: #fff; }}
.switch[aria-checked=true] {{ background: {accent}; }}
.switch[aria-checked=true]::after {{ left: calc(100% - 1.2em + 2px); }}
""",
    "dark": """
.btn {{ font: inherit; padding: {bpy}px {bpx}px; border-radius: {radius}px;
        border: 1px solid {border}; background: {surface}; color: {text}; }}
.btn.primary {{ background: {accent}; color: {on_accent}; border-color: {accent}; }}
a.btn {{ display: inline-block; text-decoration: none; }}
.field {{ font: inherit; padding: {fpy}px {fpx}px; border: 1px solid {border};
          border-radius: {radius}px; background: {bg}; color: {text}; }}
.choice input {{ accent-color: {accent}; }}
.iconbtn {{ font: inherit; border: none; background: transparent; color: {text};
            border-radius: {radius}px; padding: 4px; display: inline-flex; }}
[role=tab] {{ font: inherit; padding: {bpy}px {bpx}px; border: none; background: {bg};
              color: {muted}; border-radius: {radius}px {radius}px 0 0; }}
[role=tab][aria-selected=true] {{ background: {surface}; color: {text}; }}
.switch {{ width: 2.4em; height: 1.3em; border-radius: 4px; background: {border}; }}
.switch::after {{ content: ''; position: absolute; top: 3px; left: 3px; width: calc(1.3em - 6px);
                  height: calc(1.3em - 6px); border-radius: 2px; background: {text}; }}
.switch[aria-checked=true] {{ background: {accent}; }}
.switch[aria-checked=true]::after {{ left: calc(100% - 1.3em + 3px); }}
""",
    "dense": """
.btn {{ font: inherit; padding: 1px 8px; border-radius: 2px; border: 1px solid {border};
        background: linear-gradient({surface}, {bg}); color: {text}; }}
a.btn {{ display: inline-block; text-decoration: none; }}
.field {{ font: inherit; padding: 1px 4px; border: 1px solid {border}; border-radius: 0;
          background: {surface}; color: {text}; }}
.iconbtn {{ font: inherit; border: 1px solid transparent; background: none; color: {text};
            padding: 2px; display: inline-flex; }}
[role=tab] {{ font: inherit; padding: 2px 8px; border: 1px solid {border}; border-bottom: none;
              background: {bg}; color: {text}; }}
[role=tab][aria-selected=true] {{ background: {surface}; font-weight: 600; }}
.switch {{ width: 28px; height: 14px; border-radius: 7px; border: 1px solid {border};
           background: {bg}; }}
.switch::after {{ content: ''; position: absolute; top: 1px; left: 1px; width: 10px;
                  height: 10px; border-radius: 50%; background: {muted}; }}
.switch[aria-checked=true] {{ background: {accent}; border-color: {accent}; }}
.switch[aria-checked=true]::after {{ left: 15px; background: #fff; }}
""",
    "large": """
.btn {{ font: inherit; padding: 12px 24px; border-radius: {radius}px; border: 2px solid {accent};
        background: {accent}; color: {on_accent}; font-weight: 600; }}
.btn.secondary {{ background: {surface}; color: {accent}; }}
a.btn {{ display: inline-block; text-decoration: none; }}
.field {{ font: inherit; padding: 12px 14px; border: 2px solid {border};
          border-radius: {radius}px; background: {surface}; color: {text}; }}
.choice input {{ width: 22px; height: 22px; accent-color: {accent}; }}
.iconbtn {{ font: inherit; border: 2px solid {border}; background: {surface}; color: {text};
            border-radius: 50%; padding: 10px; display: inline-flex; }}
[role=tab] {{ font: inherit; padding: 12px 20px; border: none; background: none; color: {muted};
              border-bottom: 3px solid transparent; }}
[role=tab][aria-selected=true] {{ color: {text}; border-bottom-color: {accent}; }}
.switch {{ width: 56px; height: 30px; border-radius: 15px; background: {border}; }}
.switch::after {{ content: ''; position: absolute; top: 3px; left: 3px; width: 24px;
                  height: 24px; border-radius: 50%; background: #fff; }}
.switch[aria-checked=true] {{ background: {accent}; }}
.switch[aria-checked=true]::after {{ left: 29px; }}
""",
    "flat": """
.btn {{ font: inherit; padding: {bpy}px {bpx}px; border: none; border-radius: 0;
        background: {border}; color: {text}; }}
.btn.primary {{ background: {accent}; color: {on_accent}; }}
a.btn {{ display: inline-block; text-decoration: none; }}
.field {{ font: inherit; padding: {fpy}px 2px; border: none; border-bottom: 1px solid {muted};
          background: transparent; color: {text}; }}
.choice input {{ accent-color: {accent}; }}
.iconbtn {{ font: inherit; border: none; background: none; color: {accent}; padding: 3px;
            display: inline-flex; }}
[role=tab] {{ font: inherit; padding: {bpy}px {bpx}px; border: none; background: none;
              color: {text}; }}
[role=tab][aria-selected=true] {{ background: {accent}; color: {on_accent}; }}
.switch {{ width: 34px; height: 18px; background: {border}; }}
.switch::after {{ content: ''; position: absolute; top: 2px; left: 2px; width: 14px;
                  height: 14px; background: {surface}; }}
.switch[aria-checked=true] {{ background: {accent}; }}
.switch[aria-checked=true]::after {{ left: 18px; }}
""",
    "material": """
.btn {{ font: inherit; text-transform: uppercase; letter-spacing: .06em; font-weight: 500;
        padding: 8px 16px; border-radius: 4px; border: none; background: {accent};
        color: {on_accent}; box-shadow: 0 2px 4px #0004, 0 1px 10px #0002; }}
.btn.secondary, .btn.ghost {{ background: none; box-shadow: none; color: {accent}; }}
a.btn {{ display: inline-block; text-decoration: none; }}
.field {{ font: inherit; padding: 18px 12px 6px; border: none; border-bottom: 2px solid {muted};
          border-radius: 4px 4px 0 0; background: {border}55; color: {text}; }}
.choice input {{ accent-color: {accent}; width: 18px; height: 18px; }}
.iconbtn {{ font: inherit; border: none; background: none; color: {muted}; border-radius: 50%;
            padding: 8px; display: inline-flex; }}
[role=tab] {{ font: inherit; text-transform: uppercase; padding: 12px 16px; border: none;
              background: none; color: {muted}; border-bottom: 2px solid transparent; }}
[role=tab][aria-selected=true] {{ color: {accent}; border-bottom-color: {accent}; }}
.switch {{ width: 36px; height: 20px; }}
.switch::before {{ content: ''; position: absolute; top: 3px; left: 2px; right: 2px;
                   height: 14px; border-radius: 7px; background: {border}; }}
.switch::after {{ content: ''; position: absolute; top: 0; left: 0; width: 20px; height: 20px;
                  border-radius: 50%; background: #fafafa; box-shadow: 0 1px 3px #0007; }}
.switch[aria-checked=true]::before {{ background: {accent}88; }}
.switch[aria-checked=true]::after {{ left: 16px; background: {accent}; }}
""",
}

# Custom check box and radio indicators (``span.box`` inside ``.choice``) per family.
_CUSTOM_BOX = """
.choice .box {{ display: inline-block; flex: none; width: {bs}px; height: {bs}px;
                border: 2px solid {muted}; border-radius: {br}px; background: {surface}; }}
.choice .box.round {{ border-radius: 50%; }}
.choice .box.on {{ background: {accent}; border-color: {accent};
                   box-shadow: inset 0 0 0 {inset}px {surface}; }}
"""

FAMILIES = tuple(_FAMILY)


def stylesheet(family: str, rng: random.Random) -> tuple[str, Palette]:
    """The page CSS of ``family`` with random sizes and colours, and its palette."""
    if family not in _FAMILY:
        raise ValueError(f"unknown CSS family {family!r}")
    dark = family == "dark" or (family != "plain" and rng.random() < 0.2)
    pal = palette(rng, dark)
    if family == "plain":
        pal = Palette(
            "#ffffff", "#ffffff", "#000000", "#555555", "#cccccc", "#0b57d0", "#fff", False
        )
    size = {"dense": rng.randint(11, 13), "large": rng.randint(17, 21)}.get(
        family, rng.randint(13, 16)
    )
    values = {
        "font": repr(rng.choice(FONTS)),
        "size": size,
        "gap": rng.randint(4, 14) if family != "dense" else rng.randint(2, 6),
        "gap2": rng.randint(8, 24),
        "pad": rng.randint(8, 24) if family != "dense" else rng.randint(4, 8),
        "pad2": rng.randint(16, 32),
        "cell": rng.randint(3, 10),
        "radius": rng.choice((0, 2, 4, 6, 8, 12)) if family != "flat" else 0,
        "bpy": rng.randint(4, 10),
        "bpx": rng.randint(10, 22),
        "fpy": rng.randint(4, 9),
        "fpx": rng.randint(6, 12),
        "scheme": "dark" if pal.dark else "light",
        **{
            k: getattr(pal, k)
            for k in ("bg", "surface", "text", "muted", "border", "accent", "on_accent")
        },
    }
    css = _BASE + _FAMILY[family]
    if family != "plain":
        bs = rng.randint(14, 20)
        css += _CUSTOM_BOX
        values |= {"bs": bs, "br": rng.choice((0, 2, 3, 4)), "inset": rng.randint(2, 3)}
    return css.format(**values), pal


# How a checked custom indicator shows it is on (``choice_looks``): a filled box with a
# mark cut out of it (GTK's Adwaita, most web kits), an outline in the accent colour with
# the mark inside (Material's radio, Windows), or a check-mark glyph. Always a mark: a
# filled square with nothing in it is also what a picture or letter-tile favicon is, and
# verifiers taught that it is a check box took those for check boxes.
ON_STYLES = ("fill_mark", "outline_mark", "glyph")


def _grey(rng: random.Random, dark: bool) -> str:
    return _hex(
        rng.random(),
        rng.uniform(0, 0.08),
        rng.uniform(0.3, 0.5) if dark else rng.uniform(0.55, 0.85),
    )


def choice_looks(rng: random.Random, pal: Palette) -> str:
    """CSS for ``span.box`` indicators in one random look out of a wide space: size, border
    width and colour, corner radius, off-state fill (flat, none, a faint gradient as GTK
    draws it), shadow, and the on-state style (``ON_STYLES``) with its mark.

    Why: the check-box verifier learns what is *not* an indicator from thousands of icons
    (favicons, glyph fonts), but what *is* one from a few themes' indicators. Trained on
    glyph favicons alone it called real GTK radios (a plain pale ring) icons. Real
    indicators must be taught as widely as the fakes are.
    """
    u = rng.uniform
    size = rng.randint(11, 22)
    bw = rng.choice((1, 1, 1, 1.5, 2, 2, 3))
    border = rng.choice((pal.muted, pal.border, pal.text, pal.accent, _grey(rng, pal.dark)))
    radius = rng.choice((0, 1, 2, 3, 4, max(2, size // 4)))
    light = _hex(rng.random(), u(0, 0.04), u(0.9, 1.0) if not pal.dark else u(0.2, 0.3))
    shade = _hex(rng.random(), u(0, 0.05), u(0.82, 0.94) if not pal.dark else u(0.14, 0.2))
    off = rng.choice(
        (pal.surface, "transparent", pal.bg, f"linear-gradient({light}, {shade})", light)
    )
    shadow = rng.choice(
        (
            "none",
            "none",
            "none",
            f"0 1px 2px {_grey(rng, True)}88",
            f"inset 0 1px 1px {_grey(rng, pal.dark)}66",
        )
    )
    style = rng.choice(ON_STYLES)
    filled = style == "fill_mark"
    mark = pal.on_accent if filled else pal.accent
    mw = max(1.5, round(size / rng.uniform(6, 9), 1))  # the check mark's stroke
    dot = rng.randint(30, 55)  # the radio's dot, % of the indicator
    css = f"""/* indicators: {style} */
.choice {{ gap: {rng.randint(3, 12)}px; }}
.choice .box {{ display: inline-block; flex: none; position: relative; box-sizing: border-box;
                width: {size}px; height: {size}px; border: {bw}px solid {border};
                border-radius: {radius}px; background: {off}; box-shadow: {shadow}; }}
.choice .box.round {{ border-radius: 50%; }}
.choice .box.on::after {{ content: ''; position: absolute; box-sizing: border-box; }}
.choice .box.round.on::after {{ left: 50%; top: 50%; width: {dot}%; height: {dot}%;
    transform: translate(-50%, -50%); border-radius: 50%; background: {mark}; }}
"""
    if filled:
        css += f".choice .box.on {{ background: {pal.accent}; border-color: {pal.accent}; }}\n"
    else:
        css += f".choice .box.on {{ border-color: {pal.accent}; }}\n"
    if style == "glyph":
        sign = rng.choice(("✓", "✔"))
        css += (
            f".choice .box.on:not(.round)::after {{ content: '{sign}'; left: 0; top: 0; "
            f"width: 100%; height: 100%; display: flex; align-items: center; "
            f"justify-content: center; font: bold {round(size * 0.8)}px sans-serif; "
            f"line-height: 1; color: {mark}; }}\n"
        )
    else:  # a check mark: the rotated corner of a box's right and bottom borders
        css += (
            ".choice .box.on:not(.round)::after { left: 34%; top: 12%; width: 32%; height: 60%; "
            f"border: solid {mark}; border-width: 0 {mw}px {mw}px 0; transform: rotate(45deg); }}\n"
        )
    return css
