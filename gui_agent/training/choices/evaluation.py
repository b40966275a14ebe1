"""Scoring the verifier on labelled crops, and picking its "none" threshold.

Why the threshold is picked on the positives alone: the verifier exists to remove false
check boxes without losing real ones, so the threshold is the lowest "none" probability
that still keeps ``keep`` of the validation check boxes and radios; what it then rejects
of the negatives is the measurement, not the target.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gui_agent.perception.choice_check import NONE_INDEX
from gui_agent.training.choices.crops import SOURCES

# The threshold never goes below this: under it, "none" is not the model's best guess.
MIN_THRESHOLD = 0.5
MAX_THRESHOLD = 0.99


def calibrate(probs: np.ndarray, y: np.ndarray, keep: float = 0.995) -> float:
    """The "none" probability at or above which a detection is dropped (see the module)."""
    pos = probs[y != NONE_INDEX, NONE_INDEX]
    if len(pos) == 0:
        return MAX_THRESHOLD
    t = float(np.quantile(pos, keep)) + 1e-4
    return round(min(MAX_THRESHOLD, max(MIN_THRESHOLD, t)), 4)


def score(probs: np.ndarray, y: np.ndarray, source: np.ndarray, threshold: float) -> dict[str, Any]:
    """Positives kept, negatives rejected (overall and per crop source) and, of the kept
    positives, the share whose check box/radio answer is right."""
    dropped = probs[:, NONE_INDEX] >= threshold
    pos = y != NONE_INDEX
    out: dict[str, Any] = {
        "crops": len(y),
        "positives": int(pos.sum()),
        "positives_kept": round(float((~dropped[pos]).mean()) if pos.any() else 0.0, 4),
        "negatives": int((~pos).sum()),
        "negatives_rejected": round(float(dropped[~pos].mean()) if (~pos).any() else 0.0, 4),
    }
    kept_pos = pos & ~dropped
    if kept_pos.any():
        which = probs[kept_pos][:, :NONE_INDEX].argmax(axis=1)
        out["kind_right"] = round(float((which == y[kept_pos]).mean()), 4)
    for k, name in enumerate(SOURCES):
        mine = source == k
        if not mine.any():
            continue
        p, n = mine & pos, mine & ~pos
        out[name] = {
            "positives": int(p.sum()),
            "kept": round(float((~dropped[p]).mean()), 4) if p.any() else None,
            "negatives": int(n.sum()),
            "rejected": round(float(dropped[n].mean()), 4) if n.any() else None,
        }
    return out


def icon_strips(count: int, seed: int, split: str = "heldout") -> tuple[np.ndarray, np.ndarray]:
    """Favicons from outside the renderers' pool, beside text, cut like false check boxes.

    The favicon pages draw their icons from one pool in every split (our SVGs, a fixed set
    of DejaVu glyphs, letter tiles, procedural pictures), so the bench's favicon screens
    show the verifier icons it has seen, in a theme it has not. These strips use the glyphs
    of an icon font no synth renderer draws (``split`` "heldout": Phosphor, the icon
    classifier's held-out font) in random colours at 14-22 px, with a word beside each, on
    light and dark backgrounds; ``count`` strips, one fake check box each. Returns the
    uint8 crops and each strip's background lightness (0 dark, 1 light). Needs Qt (the
    ``[train]`` extra); run it in a process that may start an offscreen QApplication.
    """
    import random

    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPen, QTransform

    from gui_agent.geometry import Rect
    from gui_agent.perception.choice_check import crops_of
    from gui_agent.training.icons.render import (
        ensure_app,
        glyph_path,
        qimage_to_bgr,
        unknown_glyphs,
        vocabulary_glyphs,
    )

    ensure_app()
    rng = random.Random(f"choices/strips/{seed}")
    glyphs = [g for g in vocabulary_glyphs(split) + unknown_glyphs(split)]  # type: ignore[arg-type]
    words = ("Home", "Amazon", "Settings", "Mail", "News", "Weather", "Docs", "Music", "Maps")
    crops, light = [], []
    for _ in range(count):
        w, h = 240, 48
        img = QImage(w, h, QImage.Format.Format_RGB32)
        dark = rng.random() < 0.35
        bg = QColor.fromHsv(
            rng.randrange(360),
            rng.randint(0, 40),
            rng.randint(20, 60) if dark else rng.randint(225, 255),
        )
        img.fill(bg)
        p = QPainter(img)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        px = rng.randint(14, 22)
        x0, cy = rng.randint(6, 20), h / 2
        colour = QColor.fromHsv(rng.randrange(360), rng.randint(60, 230), rng.randint(120, 230))
        for _try in range(5):
            g = rng.choice(glyphs)
            try:
                path = glyph_path(g.source, g.name)
                break
            except RuntimeError:
                continue
        t = QTransform()
        t.translate(x0 + px / 2, cy)
        t.scale(px, px)
        p.setPen(QPen(Qt.PenStyle.NoPen))
        p.setBrush(QBrush(colour))
        p.drawPath(t.map(path))
        font = QFont("DejaVu Sans")
        font.setPixelSize(rng.randint(12, 16))
        p.setFont(font)
        p.setPen(QColor(230, 230, 230) if dark else QColor(30, 30, 30))
        p.drawText(
            QRectF(x0 + px + rng.randint(4, 10), 0, w, h),
            Qt.AlignmentFlag.AlignVCenter,
            rng.choice(words),
        )
        p.end()
        bgr = np.ascontiguousarray(qimage_to_bgr(img))
        top = cy - px / 2 - rng.randint(2, 5)
        box = Rect.from_ltrb(x0 - rng.randint(0, 3), top, x0 + rng.uniform(4, 8) * px, 2 * cy - top)
        crops.append(crops_of(bgr, [box])[0])
        light.append(0 if dark else 1)
    return np.stack(crops), np.asarray(light)


def main(argv: list[str] | None = None) -> int:
    """``python -m gui_agent.training.choices.evaluation MODEL.onnx``: how many
    out-of-pool favicon strips the verifier rejects (see ``icon_strips``)."""
    import argparse
    import json
    from pathlib import Path

    from gui_agent.perception.choice_check import ChoiceCheck

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("model", type=Path, help="a verifier ONNX (threshold: record.json beside it)")
    ap.add_argument("--count", type=int, default=400)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if not 1 <= args.count <= 100_000:
        ap.error("--count must be 1-100000")
    crops, light = icon_strips(args.count, args.seed)
    record = args.model.parent / "record.json"
    threshold = json.loads(record.read_text())["threshold"] if record.is_file() else None
    check = ChoiceCheck(path=args.model, threshold=threshold, threads=1)
    dropped = ~check.keep(check.probabilities(crops))
    on_light, on_dark = dropped[light == 1].mean(), dropped[light == 0].mean()
    print(
        f"out-of-pool favicons (Phosphor) beside text rejected: {int(dropped.sum())} of "
        f"{len(dropped)} ({100 * dropped.mean():.1f}%; on light backgrounds "
        f"{100 * on_light:.1f}%, on dark {100 * on_dark:.1f}%)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
