"""Which renderer draws which screen of a data set, and which looks each split may use.

A mix is a weighted choice of renderers made from the screen's own seed, so screen ``i`` of a
data set always comes from the same renderer whatever the worker count. The held-out splits
keep whole looks out of training: the Material-like CSS family and Tk's ``classic`` theme
are never drawn for ``train``, so their scores say how the detector does on a look it has
never seen, not on more of the same.
"""

from __future__ import annotations

import hashlib

# Renderer families: each runs in processes of its own kind (see dataset.py).
RENDERERS = (
    "qt",
    "qt_plain",
    "html",
    "html_favicon",
    "html_glyph_favicon",
    "html_choice_looks",
    "tk",
    "negative",
)

# The training mix. Qt stays the largest share: its widgets are the best-labelled and the
# shipped model must not lose them; plain-palette Qt (Fusion, Windows; no stylesheet) is
# its own fifth, since a plain QPushButton read as a field is today's worst failure. HTML
# brings many foreign looks cheaply (0.1 s a page), Tk a third toolkit's drawing, and the
# negatives (photos, wallpapers, drawings with nothing to find) the texture lesson.
MIXES: dict[str, dict[str, float]] = {
    "qt": {"qt": 1.0},  # the original generator, unchanged
    "mixed": {
        "qt": 0.27,
        "qt_plain": 0.18,
        "html": 0.27,
        "html_favicon": 0.08,
        "tk": 0.15,
        "negative": 0.05,
    },
    "qt_plain": {"qt_plain": 1.0},
    "html": {"html": 1.0},
    "favicon": {"html_favicon": 1.0},
    # Favicon pages whose every favicon is a glyph of one icon font (``html.glyph_font_for``):
    # the check-box verifier's lesson on icons beyond the renderers' own pool. Not in
    # "mixed", so the shipped detector's training screens stay as they were.
    "favicon_glyphs": {"html_glyph_favicon": 1.0},
    # Pages whose check boxes and radios are custom indicators in random looks
    # (``html_themes.choice_looks``), beside glyph-font icons: the verifier's lesson on what
    # real indicators look like, as wide as the glyph pages' lesson on what they do not.
    "choice_looks": {"html_choice_looks": 1.0},
    "tk": {"tk": 1.0},
    "negative": {"negative": 1.0},
}

HTML_TRAIN_THEMES = ("plain", "bootstrap", "dark", "dense", "large", "flat")
HTML_HELDOUT_THEMES = ("material",)
TK_TRAIN_THEMES = ("clam", "alt", "default")
TK_HELDOUT_THEMES = ("classic",)


def renderer_for(mix: str, seed: int) -> str:
    """The renderer of the screen with ``seed`` under ``mix``."""
    weights = MIXES[mix]
    digest = hashlib.blake2b(f"renderer/{seed}".encode(), digest_size=8).digest()
    u = int.from_bytes(digest, "big") / 2**64
    acc = 0.0
    total = sum(weights.values())
    for name, w in weights.items():
        acc += w / total
        if u < acc:
            return name
    return next(reversed(weights))
