"""The icon classifier (models/icon_names.onnx): accuracy on icons it trained on and on an icon
set it never saw, how often it names what is not an icon, and how fast it runs.

    .venv/bin/python bench/icons.py [--per-class 30] [--seed 5] [--threads 2] [--line-sets]

In-distribution: fresh renders (another seed than training's) of the training glyphs (fonts,
and with ``--line-sets``, for a model trained with them, the line-icon sets: our SVGs). Its
"of which line icons" row is the part drawn from SVG strokes (our assets/icons, and Lucide
and Heroicons with ``--line-sets``, with the "none" crops showing the line sets' other
icons): thin-stroke icons are what web toolbars and GTK show. Held-out: Phosphor, a whole icon
font the model never trained on, with Phosphor glyphs outside the vocabulary as its "none"
crops. Accuracy counts an icon as right only when it is named
with the right meaning (an unnamed icon is a miss); the intervals are 95% (Wilson). The
"none" false-name rate is the share of non-icons (text, indicators, texture, blank controls,
unknown glyphs) that got a name anyway. Latency: ``IconNamer.name`` end to end (crop
normalisation included), median per icon, one crop per call and 64 per call.

Targets: <= 2 ms per icon, <= 5 MB.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from _common import median_max, table

from gui_agent.perception.icon_vocabulary import SVG_SOURCE
from gui_agent.training.icons.render import IconSet, ensure_app, render_set, set_line_sets


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-class", type=int, default=30)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument(
        "--line-sets",
        action="store_true",
        help="in-distribution includes the line-icon sets (for models trained --line-sets)",
    )
    args = ap.parse_args()
    set_line_sets(args.line_sets)

    ensure_app()  # Qt before anything imports cv2
    from gui_agent.perception.icon_names import GUESS_MIN, IconNamer
    from gui_agent.perception.models import ModelRegistry
    from gui_agent.training.icons import evaluation as ev

    t = time.perf_counter()
    sets = {
        "in-distribution": render_set("train", args.per_class, args.seed + 7000),
        "held-out (Phosphor)": render_set("heldout", args.per_class, args.seed + 8000),
    }
    print(f"rendered {sum(len(s) for s in sets.values())} crops in {time.perf_counter() - t:.0f} s")

    reg = ModelRegistry()
    namer = IconNamer(reg, threads=args.threads)
    path = reg.path("icon_names")
    line = _line_subset(sets["in-distribution"])
    if len(line):  # shown right under the set it is part of
        sets = {
            "in-distribution": sets["in-distribution"],
            "  of which line icons": line,
            "held-out (Phosphor)": sets["held-out (Phosphor)"],
        }
    rows, worst, guess_rows = [], {}, []
    for name, s in sets.items():
        # the sets hold preprocessed crops; run the session on them as ``scores`` would
        probs = _probs(namer, s.x)
        sc = ev.score(probs, s.y, namer.threshold)
        lo, hi = sc.accuracy_ci
        flo, fhi = sc.false_name_ci
        rows.append(
            [
                name,
                sc.icons,
                f"{sc.accuracy:.3f} [{lo:.3f}, {hi:.3f}]",
                f"{sc.top1 / max(1, sc.icons):.3f}",
                f"{sc.wrong / max(1, sc.icons):.3f}",
                sc.nones,
                f"{sc.false_name_rate:.3f} [{flo:.3f}, {fhi:.3f}]",
            ]
        )
        if not name.startswith(" "):
            worst[name] = ev.per_class(probs, s.y, namer.threshold)[:8]
            guess_rows.append([name, *_guesses(namer, probs, s.y)])
    print()
    print(
        table(
            [
                "set",
                "icons",
                "named right [95%]",
                "top-1",
                "named wrong",
                "non-icons",
                "none false-name [95%]",
            ],
            rows,
        )
    )
    print(f"\nguesses (meanings kept beside the name at >= {GUESS_MIN}; what locate offers "
          "a query no name answers):")  # fmt: skip
    print(
        table(
            [
                "set",
                "not named right",
                "truth among guesses [95%]",
                "guesses per icon",
                "non-icons with a guess",
            ],
            guess_rows,
        )
    )
    for name, classes in worst.items():
        print(f"\nworst classes, {name}:")
        print(table(["meaning", "accuracy", "crops"], [[m, f"{a:.2f}", n] for m, a, n in classes]))

    crops = _raw_crops(64, args.seed)
    namer.name(crops)  # warm up
    singles, batched = [], []
    for i in range(200):
        t = time.perf_counter()
        namer.name(crops[i % len(crops) : i % len(crops) + 1])
        singles.append((time.perf_counter() - t) * 1000)
    for _ in range(30):
        t = time.perf_counter()
        namer.name(crops)
        batched.append((time.perf_counter() - t) * 1000 / len(crops))
    s_med, s_max = median_max(singles)
    b_med, b_max = median_max(batched)
    print()
    print(
        table(
            ["measure", "median", "max"],
            [
                ["ms per icon, 1 per call", f"{s_med:.3f}", f"{s_max:.3f}"],
                ["ms per icon, 64 per call", f"{b_med:.3f}", f"{b_max:.3f}"],
                ["model size (MB)", f"{path.stat().st_size / 1e6:.2f}", ""],
                ["threshold", f"{namer.threshold:.3f}", ""],
            ],
        )
    )
    return 0


def _probs(namer: object, x: np.ndarray) -> np.ndarray:
    from gui_agent.perception.classifier import softmax
    from gui_agent.perception.icon_names import IconNamer

    assert isinstance(namer, IconNamer)
    name = namer.session.get_inputs()[0].name
    out = [namer.session.run(None, {name: x[i : i + 256, None]})[0] for i in range(0, len(x), 256)]
    return softmax(np.concatenate(out).astype(np.float32))


def _guesses(namer: object, probs: np.ndarray, labels: np.ndarray) -> list[object]:
    """How often an icon not named right has its meaning among the guesses, how many
    guesses an icon carries, and the share of non-icons that get one."""
    from gui_agent.perception.icon_names import IconNamer
    from gui_agent.perception.icon_vocabulary import NONE_CLASS
    from gui_agent.training.icons.evaluation import wilson

    assert isinstance(namer, IconNamer)
    missed = recovered = guesses = icons = nones = guessed_nones = 0
    for p, y in zip(probs, labels.tolist(), strict=True):
        r = namer.reading(p)
        truth = namer.classes[y]
        if truth == NONE_CLASS:
            nones += 1
            guessed_nones += bool(r.guesses)
            continue
        icons += 1
        guesses += len(r.guesses)
        if r.name is None or r.name.meaning != truth:
            missed += 1
            recovered += truth in {m for m, _ in r.guesses}
    lo, hi = wilson(recovered, missed)
    return [
        missed,
        f"{recovered / max(1, missed):.3f} [{lo:.3f}, {hi:.3f}]",
        f"{guesses / max(1, icons):.3f}",
        f"{guessed_nones / max(1, nones):.3f}",
    ]


def _line_subset(s: IconSet) -> IconSet:
    """The crops of ``s`` drawn from SVG strokes: line-set and our SVG icons, and the "none"
    crops that show another icon of a line set."""
    from gui_agent.training.icons.line_sets import LINE_SET_BY_KEY

    keys = {*LINE_SET_BY_KEY, SVG_SOURCE}
    keep = [
        i for i, src in enumerate(s.source) if src.removeprefix("none:glyph:").split(":")[0] in keys
    ]
    return IconSet(s.x[keep], s.y[keep], [s.source[i] for i in keep])


def _raw_crops(count: int, seed: int) -> list[np.ndarray]:
    """Screen-like BGR crops of varied sizes, for timing the whole ``name`` call."""
    import random

    from gui_agent.training.icons.render import render_icon, vocabulary_glyphs

    rng = random.Random(seed)
    glyphs = vocabulary_glyphs("heldout")
    return [render_icon(rng.choice(glyphs), rng) for _ in range(count)]


if __name__ == "__main__":
    raise SystemExit(main())
