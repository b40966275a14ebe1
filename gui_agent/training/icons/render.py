"""Render the icon classifier's training and evaluation crops with Qt, offscreen.

Every crop is what the runtime would cut from a screen: an icon glyph (from the qtawesome
fonts or our own SVGs) at 10-32 px inside a 12-48 px control box, on a flat, gradient,
bevelled-button or hover-tinted background, in either polarity and many colours, nudged off
centre, sometimes blurred, noisy or JPEG-damaged.

``set_style_variety(True)`` (``train.py --styles``) adds styles the fonts do not draw. Why:
icon sets differ most in stroke weight (solid, regular, 1.5 px "line" sets such as Feather,
Lucide or GTK's symbolic icons), and a model that saw one weight per glyph learns the font,
not the meaning. So glyphs are also drawn dilated, eroded down to hairlines, as a 1-2 px
outline of a solid shape (a solid gear becomes a line gear) and shaded in colour; 40% sit
14-24 px centred in a 24-48 px toolbar button, sometimes with a bit of its border; and a share
of crops is painted at 1.25x, 1.5x or 2x and area-downscaled, as HiDPI screens and other
rasterisers soften edges and land strokes between pixels.

The "none" class gets what perception may call an icon but has no name in the vocabulary:
text fragments, single characters, check box and radio indicators, photo-like texture, blank
control backgrounds and glyphs the vocabulary does not list, in the same boxes as the icons
(and, with the style variety on, those glyphs in the same weights and outline styles), so
neither says "not an icon".

Each crop goes through ``gui_agent.perception.icon_names.preprocess`` right away, so the
dataset is the runtime's own model input. Everything is drawn from ``random.Random(seed)``.

Never import cv2 before Qt is set up (opencv-python points QT_QPA_PLATFORM_PLUGIN_PATH at
its own Qt plugins): the runtime's ``preprocess`` (which uses cv2) is imported only after the
QApplication exists.
"""

from __future__ import annotations

import ctypes
import io
import os
import random
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
from PIL import Image, ImageFilter
from PySide6.QtCore import QByteArray, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
    QTransform,
)
from PySide6.QtSvg import QSvgRenderer

from gui_agent.data import data_path
from gui_agent.perception.icon_vocabulary import (
    CLASSES,
    FONT_BY_KEY,
    FONTS,
    MEANINGS,
    NONE_CLASS,
    SVG_SOURCE,
    Split,
)
from gui_agent.qt_environment import pin_qt_environment
from gui_agent.training.icons import line_sets
from gui_agent.training.icons.fonts import charmap, fonts_dir


def _split(words: str) -> tuple[str, ...]:
    return tuple(words.split())


NONE_LABEL = CLASSES.index(NONE_CLASS)
_MINIMISE = CLASSES.index("minimise")
# Characters a single-character "none" crop never uses: they are icons in the vocabulary
# (B I U S for text styles, x for close, + - for add/remove, ! ? i for warning/help/info,
# < > ^ v for chevrons) or too close to one.
_ICONIC_CHARS = set("BIUSTbisuxX+-!?i<>^vV|=*#@&%$0OoQ")
_TEXT_CHARS = "".join(
    c for c in "ACDEFGHJKLMNPRWYZacdefghjkmnpqrtwyz123456789" if c not in _ICONIC_CHARS
)
_WORDS = _split(
    "File Edit View Help Name Size Date Open Save Cancel Apply Search Settings Back Next "
    "Total Amount Label Value Item Options Tools Window Format Insert Table Account Profile "
    "Filter Sort Home Close Done Delete Copy Paste Print Share Upload Download Refresh"
)
# name tokens too generic to say what a glyph shows ("circle", "outline" ...)
_GENERIC_TOKENS = set(
    _split(
        "alt circle outline fill line bold light thin simple box square variant o 1 2 3 4 5 6 "
        "small full half double multiple sign s m"
    )
)


@dataclass(frozen=True, slots=True)
class Glyph:
    """One drawable icon: its class index, its source (a font key or "svg") and its name."""

    label: int
    source: str
    name: str


def fonts_of(split: Split) -> tuple[str, ...]:
    """The font keys a split draws from: held-out fonts are never trained on."""
    return tuple(f.key for f in FONTS if f.split == split)


def vocabulary_glyphs(split: Split) -> list[Glyph]:
    """Every glyph of the vocabulary in ``split``.

    The training split also has our SVGs and, with ``set_line_sets(True)``, the line-icon
    sets of ``line_sets`` and, for each Material Design glyph the table lists, its
    ``-outline`` twin where the font has one and the table does not list it already
    (``bell`` -> ``bell-outline``): the outline is how line-icon sets draw the same thing,
    and the name says it means the same.
    """
    keys = set(fonts_of(split)) | ({SVG_SOURCE} if split == "train" else set())
    out = [
        Glyph(label, source, name)
        for label, m in enumerate(MEANINGS)
        for source, names in m.glyphs.items()
        if source in keys
        for name in names
    ]
    if split != "train" or not _Lines.on:
        return out
    listed = {(g.source, g.name) for g in out}
    mdi = charmap("mdi6")
    for g in list(out):
        twin = f"{g.name}-outline"
        if g.source == "mdi6" and twin in mdi and ("mdi6", twin) not in listed:
            listed.add(("mdi6", twin))
            out.append(Glyph(g.label, "mdi6", twin))
    for key, table in line_sets.LINE_GLYPHS.items():
        out += [
            Glyph(CLASSES.index(meaning), key, name)
            for meaning, names in table.items()
            for name in names
        ]
    return out


def is_line_glyph(glyph: Glyph) -> bool:
    """Whether a glyph is drawn from SVG strokes (our SVGs, a line-icon set), not a font."""
    return glyph.source == SVG_SOURCE or glyph.source in line_sets.LINE_SET_BY_KEY


def unknown_glyphs(split: Split) -> list[Glyph]:
    """Glyphs of the split's fonts that show none of the vocabulary's things: class "none".

    A glyph is left out when its name shares a telling word with any glyph the vocabulary
    lists ("close-octagon" with "close"), so an unlisted variant of a listed icon is never
    taught as "none".
    """
    listed = {(s, n) for m in MEANINGS for s, names in m.glyphs.items() for n in names}
    tokens = {
        t
        for m in MEANINGS
        for names in m.glyphs.values()
        for n in names
        for t in re.split(r"[-_]", n)
        if t not in _GENERIC_TOKENS
    }
    out = []
    for font in fonts_of(split):
        if font.startswith(("fa5b", "fa6b")):
            continue  # brand logos are not controls
        for name in charmap(font):
            if (font, name) in listed or set(re.split(r"[-_]", name)) & tokens:
                continue
            out.append(Glyph(NONE_LABEL, font, name))
    if split == "train" and _Lines.on:  # the line-icon sets' other drawings, by the same rule
        tokens |= line_sets.listed_tokens() - _GENERIC_TOKENS
        for key, table in line_sets.LINE_GLYPHS.items():
            mine = {n for names in table.values() for n in names}
            out += [
                Glyph(NONE_LABEL, key, name)
                for name in line_sets.names_of(key)
                if name not in mine and not set(re.split(r"[-_]", name)) & tokens
            ]
    return out


class _Qt:
    app: QGuiApplication | None = None
    families: dict[str, tuple[str, QFont.Weight]] = {}  # noqa: RUF012 - per-process state
    none_pinned = False


def ensure_app() -> QGuiApplication:
    """Reuse the running Qt application, or start our own (with widgets) offscreen."""
    keep_none_alive()
    existing = QGuiApplication.instance()
    if existing is None:
        from PySide6.QtWidgets import QApplication

        pin_qt_environment(os.environ, "offscreen")
        _Qt.app = QApplication(["gui-agent-icons"])
        return _Qt.app
    if not isinstance(existing, QGuiApplication):
        raise RuntimeError("icon rendering needs a QGuiApplication, but a QCoreApplication runs")
    return existing


def _family(font: str) -> tuple[str, QFont.Weight]:
    """The Qt family of one icon font, loaded once, and the weight that picks it."""
    if font not in _Qt.families:
        ensure_app()
        fid = QFontDatabase.addApplicationFont(str(fonts_dir() / FONT_BY_KEY[font].ttf))
        families = QFontDatabase.applicationFontFamilies(fid)
        if fid < 0 or not families:
            raise RuntimeError(f"Qt could not load the icon font {FONT_BY_KEY[font].ttf}")
        # Font Awesome's solid and regular fonts share one family name; the weight picks one.
        weight = QFont.Weight.Black if font in ("fa5s", "fa6s") else QFont.Weight.Normal
        _Qt.families[font] = (families[0], weight)
    return _Qt.families[font]


@cache
def glyph_path(source: str, name: str) -> QPainterPath:
    """A font glyph's outline, scaled so its ink box is the unit square's longer side."""
    family, weight = _family(source)
    font = QFont(family)
    font.setPixelSize(200)
    font.setWeight(weight)
    font.setStyleStrategy(QFont.StyleStrategy.NoFontMerging)
    path = QPainterPath()
    path.addText(QPointF(0, 0), font, chr(charmap(source)[name]))
    box = path.boundingRect()
    if box.isEmpty():
        raise RuntimeError(f"glyph {source}:{name} draws nothing")
    scale = 1.0 / max(box.width(), box.height())
    t = QTransform()
    t.scale(scale, scale)
    t.translate(-box.center().x(), -box.center().y())
    return t.map(path)  # centred on (0, 0), longer side 1


def _draws(glyph: Glyph) -> bool:
    """False for a code point the font maps to an empty outline (a few logos are)."""
    if is_line_glyph(glyph):
        return True  # an SVG of a set, drawn by QtSvg
    try:
        glyph_path(glyph.source, glyph.name)
    except RuntimeError:
        return False
    return True


@cache
def _svg_text(name: str) -> str:
    return (data_path("icons") / f"{name}.svg").read_text()


# ---------------------------------------------------------------------------------------------
# colours and backgrounds
# ---------------------------------------------------------------------------------------------


class _Lines:
    on = False  # per-process switch, see ``set_line_sets``


def set_line_sets(on: bool) -> None:
    """Train (and evaluate in-distribution) with the line-icon sets or not.

    On: the training split adds Lucide's and Heroicons' drawings of every meaning, their
    other icons as "none", Material Design's ``-outline`` twins, and each meaning draws
    ``line_share`` of its crops from line icons (``render_set``). Off (the default, and the
    shipped model's recipe): every crop is drawn exactly as before they existed. Trained
    with them (seed 0, 12 epochs) the model named held-out Phosphor better (0.784 vs 0.760
    in training's own evaluation) and line icons far better (0.965 vs 0.799 in
    bench/icons.py), but not the foreign bench's icons (bench/grounding.py --suite foreign:
    103 of 141 against 107; with ``--line-share 0.2``, 101): the misses there are a gear
    drawn like a sun, Adwaita's save arrow, web icons perception calls radio buttons, and
    it lost GTK's tightly boxed close cross and a Tk floppy, so it was not shipped.
    """
    _Lines.on = on


class _Style:
    variety = False  # per-process switch, see ``set_style_variety``


def set_style_variety(on: bool) -> None:
    """Switch the stroke-weight, line-outline, shaded-colour, toolbar-box, button-border and
    HiDPI variants (see the module docstring) on or off for every later render.

    Off by default: off, every crop is drawn exactly as for the shipped model (same random
    draws), so ``bench/icons.py`` and the tests measure it on the distribution its record
    describes. ``train.py --styles`` turns them on. Trained with them (14 epochs, seed 0)
    the model named held-out Phosphor no better (0.750-0.767 vs 0.762) and Qt's standard
    icons worse, though much better on crops drawn in these styles (0.713-0.722 vs 0.679).
    """
    _Style.variety = on


def keep_none_alive() -> None:
    """Make sure the references to None that PySide6 drops while we paint never free it.

    PySide6 6.12 on Python 3.11 takes one reference from None on many calls of C++ methods
    that return void (``QPainter.setPen``, ``drawPath``, ``QImage.fill`` ...). Python 3.11's
    None is not immortal, so after some ten thousand crops the interpreter aborts with
    "deallocating None". Some of the loss happens later, when Qt wrappers are collected, so
    counting around each call is not enough; instead None gets 2**40 extra references once,
    far more than any run can lose (None is never freed anyway). Python 3.12 made None
    immortal, and there nothing is done.
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython" or _Qt.none_pinned:
        return
    ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40  # ob_refcnt is the first field
    _Qt.none_pinned = True


def _no_pen() -> QPen:
    # Always a QPen object: PySide6 6.12's setPen(Qt.PenStyle) overload drops a reference
    # to None, which crashes the interpreter after a few thousand calls.
    return QPen(QColor(0, 0, 0, 0), 0.0, Qt.PenStyle.NoPen)


def _round_pen(colour: QColor, width: float) -> QPen:
    """A pen with round caps and joins: stroking an outline with it dilates (or, in the
    background colour, erodes) the shape by half its width, like a morphological disc."""
    return QPen(
        QBrush(colour),
        width,
        Qt.PenStyle.SolidLine,
        Qt.PenCapStyle.RoundCap,
        Qt.PenJoinStyle.RoundJoin,
    )


def _no_brush() -> QBrush:
    return QBrush(QColor(0, 0, 0, 0), Qt.BrushStyle.NoBrush)


def _luma(c: QColor) -> float:
    return 0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue()


def _random_colour(rng: random.Random, light: bool | None = None) -> QColor:
    """A plausible UI colour: mostly near-grey, sometimes a saturated accent."""
    if light is None:
        light = rng.random() < 0.6
    v = rng.randint(200, 255) if light else rng.randint(15, 80)
    if rng.random() < 0.25:  # accent
        return QColor.fromHsv(
            rng.randrange(360), rng.randint(60, 220), v if light else rng.randint(60, 200)
        )
    return QColor.fromHsv(rng.randrange(360), rng.randint(0, 30), v)


def _ink_colour(rng: random.Random, bg: QColor) -> QColor:
    """An icon colour that stands out from ``bg`` (sometimes only faintly: disabled icons)."""
    want = rng.choice((60.0, 90.0, 120.0, 160.0))
    for _ in range(20):
        if rng.random() < 0.3:
            c = QColor.fromHsv(rng.randrange(360), rng.randint(80, 255), rng.randint(40, 255))
        else:
            c = QColor.fromHsv(rng.randrange(360), rng.randint(0, 25), rng.randint(0, 255))
        if abs(_luma(c) - _luma(bg)) >= want:
            return c
    return QColor(0, 0, 0) if _luma(bg) > 128 else QColor(255, 255, 255)


def _paint_background(p: QPainter, rng: random.Random, w: int, h: int) -> QColor:
    """Fill the crop like a toolbar, button or tab would be; returns the colour under the icon."""
    base = _random_colour(rng)
    kind = rng.random()
    p.fillRect(0, 0, w, h, base)
    if kind < 0.35:
        return base
    if kind < 0.55:  # gradient
        g = QLinearGradient(0, 0, 0, h) if rng.random() < 0.8 else QLinearGradient(0, 0, w, 0)
        g.setColorAt(0, base.lighter(rng.randint(100, 118)))
        g.setColorAt(1, base.darker(rng.randint(100, 118)))
        p.fillRect(0, 0, w, h, QBrush(g))
        return base
    # a button or hover tint occupying most of the crop
    m = rng.randint(0, 3)
    rect = QRectF(m + 0.5, m + 0.5, max(2, w - 2 * m - 1), max(2, h - 2 * m - 1))
    r = rng.choice((0.0, 2.0, 3.0, 4.0, 6.0, min(w, h) / 2))
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    if kind < 0.8:  # bevelled button
        face = base.darker(rng.randint(102, 125)) if rng.random() < 0.5 else base.lighter(108)
        g = QLinearGradient(0, rect.top(), 0, rect.bottom())
        g.setColorAt(0, face.lighter(rng.randint(100, 115)))
        g.setColorAt(1, face.darker(rng.randint(100, 115)))
        border = base.darker(rng.randint(115, 180)) if rng.random() < 0.8 else QColor(0, 0, 0, 0)
        p.setPen(QPen(border, 1.0))
        p.setBrush(QBrush(g))
        p.drawRoundedRect(rect, r, r)
        return face
    tint = QColor.fromHsv(rng.randrange(360), rng.randint(0, 200), rng.randint(120, 255))
    tint.setAlpha(rng.randint(25, 90))
    p.setPen(_no_pen())
    p.setBrush(QBrush(tint))
    p.drawRoundedRect(rect, r, r)
    return base


# ---------------------------------------------------------------------------------------------
# one crop
# ---------------------------------------------------------------------------------------------


def _new_image(w: int, h: int) -> QImage:
    img = QImage(w, h, QImage.Format.Format_RGB32)
    img.fill(0)
    return img


def qimage_to_bgr(img: QImage) -> np.ndarray:
    w, h = img.width(), img.height()
    arr = np.frombuffer(img.constBits(), np.uint8, count=img.sizeInBytes())
    return arr.reshape(h, img.bytesPerLine() // 4, 4)[:, :w, :3].copy()


def _box_for(rng: random.Random, ink: float) -> tuple[int, int]:
    """A control box around an ``ink``-px glyph: tight (a detector's icon box) to roomy."""
    side = rng.uniform(ink + 1, min(48.0, max(ink * 2.4, ink + 4)))
    if rng.random() < 0.3:
        return max(12, round(side * rng.uniform(1.0, 1.4))), max(12, round(side))
    return max(12, round(side)), max(12, round(side * rng.uniform(0.9, 1.1)))


def _is_solid(glyph: Glyph) -> bool:
    """Whether a font glyph is drawn filled (Font Awesome Solid, Remix "-fill", Material
    glyphs without "-outline", Elusive), not in lines (Codicons, Font Awesome Regular)."""
    if glyph.source in ("fa5s", "fa6s", "fa5b", "fa6b", "ei"):
        return True
    if is_line_glyph(glyph):
        return False
    if glyph.source == "ri":
        return glyph.name.endswith("-fill")
    return glyph.source == "mdi6" and "outline" not in glyph.name


def _shaded_fill(
    p: QPainter, rng: random.Random, path: QPainterPath, ink: QColor, under: QColor
) -> None:
    """Fill ``path`` with a gradient from ``ink`` to a shade further from ``under`` and
    maybe outline it with a rim in that direction, as shaded colour icons are drawn."""
    away = _luma(under) >= 128  # darker shades stand out on a light background
    far = ink.darker(rng.randint(130, 220)) if away else ink.lighter(rng.randint(130, 220))
    box = path.boundingRect()
    g = QLinearGradient(
        box.topLeft(), box.bottomRight() if rng.random() < 0.5 else box.bottomLeft()
    )
    g.setColorAt(0, ink if rng.random() < 0.5 else far)
    g.setColorAt(1, far if g.stops()[0][1] == ink else ink)
    p.setBrush(QBrush(g))
    if rng.random() < 0.6:
        rim = far.darker(rng.randint(110, 160)) if away else far.lighter(rng.randint(110, 160))
        p.setPen(_round_pen(rim, rng.uniform(0.7, 1.3)))
    p.drawPath(path)


def _draw_glyph(
    p: QPainter,
    rng: random.Random,
    glyph: Glyph,
    colours: tuple[QColor, QColor],
    centre: tuple[float, float],
    size: float,
) -> None:
    """Draw ``glyph`` in ``colours[0]`` over ``colours[1]``, its ink ``size`` px across."""
    ink, under = colours
    cx, cy = centre
    if glyph.source in line_sets.LINE_SET_BY_KEY:
        _draw_line_svg(p, rng, glyph, ink, centre, size)
        return
    if glyph.source == SVG_SOURCE:
        text = _svg_text(glyph.name).replace("currentColor", ink.name())
        width = rng.choice((1.0, 1.25, 1.5, 1.75, 2.0, 2.0, 2.25, 2.5))
        text = text.replace('stroke-width="2"', f'stroke-width="{width}"')
        renderer = QSvgRenderer(QByteArray(text.encode()))
        side = size * 24 / 20  # our SVGs leave 2 of 24 units around the ink
        renderer.render(p, QRectF(cx - side / 2, cy - side / 2, side, side))
        return
    t = QTransform()
    t.translate(cx, cy)
    t.scale(size, size)
    path = t.map(glyph_path(glyph.source, glyph.name))
    weight = rng.random()
    if not _Style.variety:  # the shipped model's recipe, draw for draw
        p.setPen(_no_pen())
        p.setBrush(QBrush(ink))
        p.drawPath(path)
        if weight < 0.2:  # a heavier weight than the font's
            p.strokePath(path, QPen(ink, rng.uniform(0.3, 0.9)))
        elif weight < 0.45 and size >= 14:  # a lighter one: pare the outline
            p.strokePath(path, QPen(under, rng.uniform(0.4, 0.05 * size)))
        return
    if weight < 0.15 and _is_solid(glyph):
        # A line icon (Feather, Lucide, GTK symbolic): only a solid glyph's outline, stroked
        # 1-2 px. A solid gear becomes an outlined gear, so every meaning is also seen
        # drawn the way thin-stroke icon sets draw it. (Outlining a glyph that is already
        # drawn in lines would give double contours, which no icon set draws.)
        p.setBrush(_no_brush())
        p.setPen(_round_pen(ink, rng.uniform(0.9, 2.0)))
        p.drawPath(path)
        return
    p.setPen(_no_pen())
    p.setBrush(QBrush(ink))
    if rng.random() < 0.2:
        # A colour icon (Qt's standard pixmaps, Tango, Windows): shaded fill, often with a
        # darker rim, so not only flat single-colour glyphs count as icons.
        _shaded_fill(p, rng, path, ink, under)
        return
    p.drawPath(path)
    if weight < 0.35:  # a heavier weight than the font's: dilate the outline
        p.strokePath(path, _round_pen(ink, rng.uniform(0.3, 0.06 * size + 0.5)))
    elif weight < 0.65 and size >= 12:
        # A lighter one, down to hairline strokes: erode the outline with the background.
        # With a 2x or HiDPI render (``_render_icon``) this pares in sub-pixel steps.
        p.strokePath(path, _round_pen(under, rng.uniform(0.3, 0.06 * size)))


# Stroke widths (in a 24-unit icon grid) a line icon is drawn with: from hairline sets
# (Heroicons' 1.5, Phosphor Light) to bold ones (Tabler at 2.5, GTK's symbolic icons, which
# at 16 px draw 2 px strokes: 3 units). At 16-32 px this is 0.7-4 px of ink.
_LINE_WIDTHS = (1.0, 1.25, 1.5, 1.5, 1.75, 2.0, 2.0, 2.25, 2.5, 2.75, 3.0)
_STROKE_WIDTH = re.compile(r'stroke-width="[0-9.]+"')


def _draw_line_svg(
    p: QPainter,
    rng: random.Random,
    glyph: Glyph,
    ink: QColor,
    centre: tuple[float, float],
    size: float,
) -> None:
    """Draw one icon of a line-icon set in ``ink`` at a random stroke width, its 24-unit
    grid scaled so the ink (about 20 of the 24 units) is ``size`` px across."""
    text = line_sets.svg_text(glyph.source, glyph.name).replace("currentColor", ink.name())
    width = rng.choice(_LINE_WIDTHS)
    text = _STROKE_WIDTH.sub(f'stroke-width="{width}"', text)
    renderer = QSvgRenderer(QByteArray(text.encode()))
    side = size * 24 / 20
    cx, cy = centre
    renderer.render(p, QRectF(cx - side / 2, cy - side / 2, side, side))


def _draw_text(p: QPainter, rng: random.Random, ink: QColor, w: int, h: int) -> None:
    family = rng.choice(("DejaVu Sans", "DejaVu Serif", "DejaVu Sans Mono", "DejaVu Sans"))
    font = QFont(family)
    font.setPixelSize(rng.randint(9, 22))
    font.setBold(rng.random() < 0.3)
    p.setFont(font)
    p.setPen(ink)
    if rng.random() < 0.5:
        text = rng.choice(_TEXT_CHARS)
        if rng.random() < 0.4:
            text += rng.choice(_TEXT_CHARS)
    else:
        word = rng.choice(_WORDS)
        start = rng.randrange(len(word))
        text = word[start : start + rng.randint(2, 6)] or word
    p.drawText(
        QRectF(rng.uniform(-4, 4), rng.uniform(-3, 3), w, h), Qt.AlignmentFlag.AlignCenter, text
    )


def _draw_indicator(p: QPainter, rng: random.Random, ink: QColor, w: int, h: int) -> None:
    """A ticked check box or a radio button (checked or not), as toolkits draw them."""
    side = rng.uniform(11, min(w, h) - 1)
    rect = QRectF((w - side) / 2, (h - side) / 2, side, side)
    accent = QColor.fromHsv(rng.randrange(360), rng.randint(120, 255), rng.randint(120, 230))
    filled = rng.random() < 0.5
    p.setPen(QPen(ink if not filled else accent, rng.uniform(1.0, 1.6)))
    p.setBrush(QBrush(accent) if filled else _no_brush())
    mark = QColor(255, 255, 255) if filled else ink
    if rng.random() < 0.5:  # radio
        p.drawEllipse(rect)
        if rng.random() < 0.7:
            d = side * rng.uniform(0.3, 0.5)
            p.setPen(_no_pen())
            p.setBrush(QBrush(mark))
            p.drawEllipse(QRectF(rect.center().x() - d / 2, rect.center().y() - d / 2, d, d))
        return
    r = rng.choice((0.0, 2.0, 3.0))
    p.drawRoundedRect(rect, r, r)
    tick = QPainterPath()
    tick.moveTo(rect.left() + side * 0.22, rect.top() + side * 0.52)
    tick.lineTo(rect.left() + side * 0.42, rect.top() + side * 0.72)
    tick.lineTo(rect.left() + side * 0.78, rect.top() + side * 0.3)
    p.setPen(QPen(mark, max(1.2, side / 8)))
    p.setBrush(_no_brush())
    p.drawPath(tick)


def texture_patch(rng: random.Random, w: int, h: int) -> np.ndarray:
    """Photo-like texture: smoothed colour noise at a few scales plus a gradient."""
    nrng = np.random.default_rng(rng.randrange(2**32))
    img = np.zeros((h, w, 3), np.float32)
    for cell in (2, 4, 8, 16):
        small = nrng.normal(0, 1, (max(1, h // cell + 1), max(1, w // cell + 1), 3))
        up = np.asarray(
            Image.fromarray(small.astype(np.float32)[:, :, 0]).resize(
                (w, h), Image.Resampling.BILINEAR
            )
        )
        img += up[:, :, None] * nrng.uniform(5, 30) * nrng.uniform(0.5, 1.0, 3)
    img += nrng.uniform(40, 200, 3)
    img += np.linspace(0, nrng.uniform(-60, 60), h)[:, None, None]
    return np.clip(img, 0, 255).astype(np.uint8)


def _degrade(bgr: np.ndarray, rng: random.Random) -> np.ndarray:
    """What a screenshot pipeline does to pixels: blur, noise, JPEG."""
    if rng.random() < 0.25:
        img = Image.fromarray(bgr).filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.8)))
        bgr = np.asarray(img)
    if rng.random() < 0.2:
        nrng = np.random.default_rng(rng.randrange(2**32))
        noisy = bgr.astype(np.float32) + nrng.normal(0, rng.uniform(2, 8), bgr.shape)
        bgr = np.clip(noisy, 0, 255).astype(np.uint8)
    if rng.random() < 0.2:
        buf = io.BytesIO()
        Image.fromarray(bgr).save(buf, "JPEG", quality=rng.randint(40, 90))
        bgr = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))
    return np.ascontiguousarray(bgr)


def render_icon(glyph: Glyph, rng: random.Random) -> np.ndarray:
    """One crop (BGR uint8) of ``glyph`` as a screen would show it inside its control."""
    keep_none_alive()
    return _render_icon(glyph, rng)


def _toolbar_box(rng: random.Random) -> tuple[float, int, int, float]:
    """A glyph size and button box as web and desktop toolbars use: a 14-24 px glyph in a
    24-48 px button (the detector's box is the button's, not the glyph's), centred within
    a pixel or two."""
    side = rng.randint(24, 48)
    size = rng.uniform(14.0, min(24.0, side - 6.0))
    w = side if rng.random() < 0.8 else round(side * rng.uniform(1.0, 1.3))
    return size, w, max(12, side + rng.randint(-2, 2)), 0.1


def _icon_box(rng: random.Random) -> tuple[float, int, int, float]:
    """The glyph size, crop box and off-centre share of the slack for one crop: a toolbar
    button, or anything from tight detector boxes to roomy ones."""
    if _Style.variety and rng.random() < 0.4:
        return _toolbar_box(rng)
    size = rng.uniform(10, 32)
    w, h = _box_for(rng, size)
    return size, w, h, 0.5


def _supersample(rng: random.Random) -> float:
    """How much finer than the screen to paint, before an area downscale: 1x (Qt's own
    antialiasing), 1.25x / 1.5x (HiDPI screens scaled back down) or 2x (another
    rasteriser's softer edges and sub-pixel stroke weights)."""
    r = rng.random()
    if r < 0.55:
        return 1.0
    return rng.choice((1.25, 1.5, 2.0, 2.0))


class _Canvas:
    """A w x h crop painted ``scale`` times finer and area-downscaled when it is read."""

    def __init__(self, w: int, h: int, scale: float) -> None:
        self.w, self.h, self.scale = w, h, scale
        self.img = _new_image(max(1, round(w * scale)), max(1, round(h * scale)))
        self.painter = QPainter(self.img)
        self.painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if scale != 1.0:
            self.painter.scale(self.img.width() / w, self.img.height() / h)

    def finish(self) -> np.ndarray:
        self.painter.end()
        bgr = qimage_to_bgr(self.img)
        if self.scale == 1.0:
            return bgr
        small = Image.fromarray(bgr).resize((self.w, self.h), Image.Resampling.BOX)
        return np.ascontiguousarray(np.asarray(small))


def _paint_button_frame(p: QPainter, rng: random.Random, w: int, h: int, under: QColor) -> None:
    """Sometimes a bordered or rounded button outline, partly cut off by the crop's edge,
    as a detector box around a toolbar button often includes a bit of its border."""
    if rng.random() >= 0.3:
        return
    m = rng.uniform(-1.5, 2.5)
    r = rng.choice((0.0, 3.0, 4.0, 6.0, 8.0, min(w, h) / 2))
    border = (
        under.darker(rng.randint(120, 200))
        if _luma(under) > 100
        else under.lighter(rng.randint(150, 300))
    )
    p.setPen(QPen(border, rng.choice((1.0, 1.0, 1.5))))
    p.setBrush(_no_brush())
    p.drawRoundedRect(QRectF(m + 0.5, m + 0.5, w - 2 * m - 1, h - 2 * m - 1), r, r)


def _render_icon(glyph: Glyph, rng: random.Random) -> np.ndarray:
    size, w, h, jitter = _icon_box(rng)
    canvas = _Canvas(w, h, _supersample(rng) if _Style.variety else 1.0)
    p = canvas.painter
    under = _paint_background(p, rng, w, h)
    if _Style.variety:
        _paint_button_frame(p, rng, w, h, under)
    ink = _ink_colour(rng, under)
    nudge = 0.75 if _Style.variety else 0.5
    slack_x, slack_y = max(0.0, (w - size) / 2), max(0.0, (h - size) / 2)
    cx = w / 2 + rng.uniform(-jitter, jitter) * slack_x + rng.uniform(-nudge, nudge)
    cy = h / 2 + rng.uniform(-jitter, jitter) * slack_y + rng.uniform(-nudge, nudge)
    if glyph.label == _MINIMISE:
        # A minimise bar sits low in its button; centred, it would be a minus sign.
        cy = min(h - 2.0, h / 2 + size * rng.uniform(0.25, 0.4))
    _draw_glyph(p, rng, glyph, (ink, under), (cx, cy), size)
    return _degrade(canvas.finish(), rng)


def render_none(rng: random.Random, unknown: list[Glyph]) -> np.ndarray:
    """One crop that must stay unnamed: text, an indicator, texture, a blank or unknown glyph."""
    keep_none_alive()
    return _render_none(rng, unknown)[0]


def _render_none(rng: random.Random, unknown: list[Glyph]) -> tuple[np.ndarray, str]:
    """The crop and what it shows: "none:glyph:SOURCE:NAME", "none:texture", "none:text",
    "none:indicator" or "none:blank"."""
    kind = rng.random()
    if kind < 0.35 and unknown:
        glyph = rng.choice(unknown)
        return _render_icon(glyph, rng), f"none:glyph:{glyph.source}:{glyph.name}"
    _, w, h, _ = _icon_box(rng)  # the same boxes as icons, so box shape tells nothing
    if kind < 0.45:
        return _degrade(texture_patch(rng, w, h), rng), "none:texture"
    if kind < 0.55 and rng.random() < 0.5:
        w = round(w * rng.uniform(1.2, 2.5))  # a text fragment is wider than tall
    canvas = _Canvas(w, h, _supersample(rng) if _Style.variety else 1.0)
    p = canvas.painter
    under = _paint_background(p, rng, w, h)
    if _Style.variety:
        _paint_button_frame(p, rng, w, h, under)
    ink = _ink_colour(rng, under)
    what = "none:text" if kind < 0.75 else "none:indicator" if kind < 0.9 else "none:blank"
    if kind < 0.75:
        _draw_text(p, rng, ink, w, h)
    elif kind < 0.9:
        _draw_indicator(p, rng, ink, w, h)
    # else: a blank control background
    return _degrade(canvas.finish(), rng), what


# ---------------------------------------------------------------------------------------------
# datasets
# ---------------------------------------------------------------------------------------------


# Share of a meaning's crops drawn from line icons (our SVGs and the line-icon sets) when it
# has both kinds. Taking turns over all glyphs would give the few line drawings of a meaning
# (two to five, against ten or twenty font glyphs) about a fifth of its crops; line icons are
# what web toolbars and GTK draw, so they get a fixed larger share.
LINE_SHARE = 0.35


@dataclass(slots=True)
class IconSet:
    """Model inputs (N x 32 x 32 float32), labels, and where each crop came from."""

    x: np.ndarray
    y: np.ndarray
    source: list[str]  # "font:glyph", or "none:<kind>" for the none class (_render_none)

    def __len__(self) -> int:
        return len(self.y)


def render_set(
    split: Split,
    per_class: int,
    seed: int,
    none_count: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    line_share: float = LINE_SHARE,
) -> IconSet:
    """``per_class`` crops of every meaning the split has glyphs for, plus "none" crops.

    Within a class, glyphs take turns, so a class with few glyphs repeats them with fresh
    rendering rather than being under-represented. With ``set_line_sets(True)``, a class
    with both line and font glyphs draws ``line_share`` of its crops from its line glyphs
    (see ``LINE_SHARE``).
    """
    if not 0.0 <= line_share <= 1.0:
        raise ValueError(f"line_share must be between 0 and 1, got {line_share}")
    ensure_app()
    from gui_agent.perception.icon_names import preprocess  # cv2 only once Qt is up

    rng = random.Random(f"icons:{split}:{seed}")
    by_label: dict[int, list[Glyph]] = {}
    for g in vocabulary_glyphs(split):
        by_label.setdefault(g.label, []).append(g)
    unknown = [g for g in unknown_glyphs(split) if _draws(g)]
    # about one crop in seven is "none" unless asked otherwise
    none_n = per_class * len(by_label) // 6 if none_count is None else none_count
    jobs: list[Glyph | None] = []
    for glyphs in by_label.values() if not _Lines.on else ():
        order = list(glyphs)  # the recipe without line sets: all glyphs take turns
        rng.shuffle(order)
        jobs += [order[i % len(order)] for i in range(per_class)]
    for glyphs in by_label.values() if _Lines.on else ():
        lines = [g for g in glyphs if is_line_glyph(g)]
        fonts = [g for g in glyphs if not is_line_glyph(g)]
        n_line = round(per_class * line_share) if lines and fonts else 0
        for part, n in ((fonts or lines, per_class - n_line), (lines, n_line)):
            order = list(part)
            rng.shuffle(order)
            jobs += [order[i % len(order)] for i in range(n)]
    jobs += [None] * none_n
    rng.shuffle(jobs)
    xs = np.zeros((len(jobs), 32, 32), np.float32)
    ys = np.zeros(len(jobs), np.int64)
    sources: list[str] = []
    for i, job in enumerate(jobs):
        if job is None:
            keep_none_alive()
            crop, what = _render_none(rng, unknown)
            ys[i] = NONE_LABEL
            sources.append(what)
        else:
            crop = render_icon(job, rng)
            ys[i] = job.label
            sources.append(f"{job.source}:{job.name}")
        xs[i] = preprocess(crop)
        if progress is not None and (i + 1) % 2000 == 0:
            progress(i + 1, len(jobs))
    return IconSet(xs, ys, sources)


def glyph_crop(source: str, name: str, seed: int = 0) -> np.ndarray:
    """One rendered crop of a named glyph (for tests and demos)."""
    ensure_app()
    label = next(
        (i for i, m in enumerate(MEANINGS) if name in m.glyphs.get(source, ())), NONE_LABEL
    )
    return render_icon(Glyph(label, source, name), random.Random(seed))
