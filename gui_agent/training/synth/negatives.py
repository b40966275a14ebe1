"""Screens and pictures with nothing to find: photo-like textures, wallpapers and drawings.

The shipped detector found 150-230 icons and sliders on a photo: it had only ever seen flat
widget backgrounds, so any busy patch looked like a control. These pictures, all procedural
(numpy and PIL, no downloaded images, so no licence to track), teach that texture is
background. ``texture`` also feeds the HTML pages' photos, cards and wallpapers, so the
same lesson holds between and behind real controls.
"""

from __future__ import annotations

import colorsys
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from gui_agent.training.synth.screen import Screen

KINDS = ("fractal", "landscape", "bokeh", "shapes", "lines", "waves", "grain")


def _colour(rng: random.Random, s: tuple[float, float] = (0.2, 0.9)) -> tuple[int, int, int]:
    r, g, b = colorsys.hsv_to_rgb(rng.random(), rng.uniform(*s), rng.uniform(0.15, 1.0))
    return round(r * 255), round(g * 255), round(b * 255)


def _noise(rng: random.Random, w: int, h: int, octaves: int = 6, rough: float = 0.55) -> np.ndarray:
    """Fractal value noise in [0, 1]: upsampled random grids, finer ones weaker."""
    gen = np.random.default_rng(rng.getrandbits(32))
    out = np.zeros((h, w), np.float32)
    amp, total = 1.0, 0.0
    cells = rng.randint(2, 5)
    for _ in range(octaves):
        gw, gh = max(2, cells), max(2, round(cells * h / max(w, 1)) + 1)
        grid = gen.random((gh, gw)).astype(np.float32)
        layer = Image.fromarray(grid).resize((w, h), Image.Resampling.BICUBIC)
        out += amp * np.asarray(layer, np.float32)
        total += amp
        amp *= rough
        cells *= 2
    out /= total
    lo, hi = float(out.min()), float(out.max())
    return (out - lo) / max(hi - lo, 1e-6)


def _ramp(rng: random.Random, t: np.ndarray) -> np.ndarray:
    """Map [0, 1] through a random colour ramp of 2-5 stops: sky, sea, rock, foliage..."""
    stops = sorted(rng.random() for _ in range(rng.randint(0, 3)))
    xs = np.array([0.0, *stops, 1.0], np.float32)
    cols = np.array([_colour(rng) for _ in xs], np.float32)
    return np.stack([np.interp(t, xs, cols[:, c]) for c in range(3)], -1)


def _gradient(rng: random.Random, w: int, h: int) -> np.ndarray:
    a, b = np.array(_colour(rng), np.float32), np.array(_colour(rng), np.float32)
    ang = rng.uniform(0, np.pi)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    t = xx * np.cos(ang) + yy * np.sin(ang)
    t = (t - t.min()) / max(float(t.max() - t.min()), 1e-6)
    return a * (1 - t[..., None]) + b * t[..., None]


def texture(rng: random.Random, w: int, h: int, kind: str | None = None) -> np.ndarray:
    """An H x W x 3 uint8 picture of a random ``kind`` (see ``KINDS``)."""
    kind = kind or rng.choice(KINDS)
    w, h = max(w, 8), max(h, 8)
    if kind == "fractal":
        img = _ramp(rng, _noise(rng, w, h, rough=rng.uniform(0.4, 0.7)))
    elif kind == "landscape":
        img = _gradient(rng, w, h)
        ridge = _noise(rng, w, 1, octaves=5)[0] if w > 1 else np.zeros(w)
        for layer in range(rng.randint(1, 3)):
            level = rng.uniform(0.35, 0.8) + 0.08 * layer
            top = (level - 0.25 * ridge * rng.uniform(0.5, 1.5)) * h
            mask = np.arange(h)[:, None] >= top[None, :]
            tex = _ramp(rng, _noise(rng, w, h, rough=0.65))
            img = np.where(mask[..., None], tex, img)
            ridge = np.roll(ridge, rng.randint(0, w))
    elif kind == "bokeh":
        img = _gradient(rng, w, h)
        pic = Image.fromarray(img.astype(np.uint8))
        draw = ImageDraw.Draw(pic, "RGBA")
        for _ in range(rng.randint(10, 60)):
            r = rng.uniform(0.02, 0.15) * max(w, h)
            x, y = rng.uniform(0, w), rng.uniform(0, h)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(*_colour(rng), rng.randint(40, 150)))
        pic = pic.filter(ImageFilter.GaussianBlur(rng.uniform(2, 18)))
        img = np.asarray(pic, np.float32)
    elif kind == "shapes":
        pic = Image.new("RGB", (w, h), _colour(rng, (0.0, 0.4)))
        draw = ImageDraw.Draw(pic)
        for _ in range(rng.randint(8, 80)):
            x0, y0 = rng.uniform(-50, w), rng.uniform(-50, h)
            s = rng.uniform(6, 0.4 * max(w, h))
            box = (x0, y0, x0 + s * rng.uniform(0.3, 2), y0 + s * rng.uniform(0.3, 2))
            fill, outline = _colour(rng), _colour(rng) if rng.random() < 0.4 else None
            k = rng.random()
            if k < 0.4:
                draw.ellipse(box, fill=fill, outline=outline, width=rng.randint(1, 4))
            elif k < 0.75:
                draw.rectangle(box, fill=fill, outline=outline, width=rng.randint(1, 4))
            else:
                pts = [
                    (rng.uniform(box[0], box[2]), rng.uniform(box[1], box[3]))
                    for _ in range(3 + rng.randint(0, 4))
                ]
                draw.polygon(pts, fill=fill, outline=outline)
        if rng.random() < 0.5:
            pic = pic.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 3)))
        img = np.asarray(pic, np.float32)
    elif kind == "lines":
        paper = _colour(rng, (0.0, 0.15))
        pic = Image.new("RGB", (w, h), paper)
        draw = ImageDraw.Draw(pic)
        ink = _colour(rng, (0.0, 0.8))
        for _ in range(rng.randint(5, 60)):
            x, y = rng.uniform(0, w), rng.uniform(0, h)
            pts = [(x, y)]
            for _ in range(rng.randint(2, 30)):
                x += rng.gauss(0, 0.05 * w)
                y += rng.gauss(0, 0.05 * h)
                pts.append((x, y))
            col = ink if rng.random() < 0.7 else _colour(rng)
            draw.line(pts, fill=col, width=rng.randint(1, 5), joint="curve")
        img = np.asarray(pic, np.float32)
    elif kind == "waves":
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        f1, f2 = rng.uniform(0.002, 0.05), rng.uniform(0.002, 0.05)
        wave = np.sin(xx * f1 + np.sin(yy * f2) * rng.uniform(1, 6)) * 0.5 + 0.5
        img = _ramp(rng, wave)
    else:  # grain: a noisy, nearly flat photo patch (sky, wall, fabric)
        base = _gradient(rng, w, h)
        gen = np.random.default_rng(rng.getrandbits(32))
        img = base + gen.normal(0, rng.uniform(3, 25), (h, w, 1)).astype(np.float32)
    if rng.random() < 0.5:  # sensor noise over anything photo-like
        gen = np.random.default_rng(rng.getrandbits(32))
        img = img + gen.normal(0, rng.uniform(1, 8), img.shape).astype(np.float32)
    return np.clip(img, 0, 255).astype(np.uint8)


def render_screen(seed: int, split: str = "train") -> Screen:
    """A full screen of picture with no elements on it: a photo viewer, a wallpaper."""
    rng = random.Random(f"negative/{split}/{seed}")
    w, h = 4 * rng.randint(120, 480), 4 * rng.randint(90, 270)
    kind = rng.choice(KINDS)
    img = texture(rng, w, h, kind)
    if rng.random() < 0.35:  # a second picture pasted in: a collage, a picture in a page
        pw, ph = rng.randint(w // 5, w // 2), rng.randint(h // 5, h // 2)
        x, y = rng.randint(0, w - pw), rng.randint(0, h - ph)
        img[y : y + ph, x : x + pw] = texture(rng, pw, ph)
    return Screen(img, [], {"split": split, "seed": seed, "kind": kind, "size": [w, h]})
