"""Train the icon classifier on rendered crops, on the CPU, export it to ONNX and record it.

    python -m gui_agent.training.icons.train --seed 0 --out models/ [--threads 1]

(the shipped model was made with ``--threads 1``: on two cores other jobs keep busy, one
torch thread trains about twice as fast as two, which spend their time waiting on each other)

Renders the training set and three evaluation sets with ``render.py``: a validation split
(same fonts, and line-icon sets with ``--line-sets``, other renders; it picks the score
threshold), an in-distribution test split (same sources, other renders) and the held-out
set (Phosphor, a font never trained on, with Phosphor glyphs outside the vocabulary as its
"none" crops). Trains ``IconNet`` on the CPU
(two torch threads unless told otherwise), exports ``icon_names.onnx`` (opset 17), scores
every set through onnxruntime (the runtime's path) and writes the model's record into
``manifest.json`` in ``--out``: file, sha256, classes, threshold, licences, the evaluation
and this recipe.

Why on-the-fly shifts and gains on top of the rendered variety: they cost nothing per epoch
and keep the model from keying on a crop's exact centring or contrast.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch.nn import functional as F

from gui_agent.perception.icon_vocabulary import (
    CLASSES,
    FONTS,
    HELDOUT_FONT,
    SVG_LICENSE,
)
from gui_agent.training.icons import evaluation as ev
from gui_agent.training.icons.line_sets import LINE_SETS
from gui_agent.training.icons.model import IconNet, count_parameters
from gui_agent.training.icons.render import (
    LINE_SHARE,
    IconSet,
    render_set,
    set_line_sets,
    set_style_variety,
)
from gui_agent.training.onnx_classifier import export_classifier, onnx_probabilities

MODEL_NAME = "icon_names"
MODEL_FILE = "icon_names.onnx"
OPSET = 17


@dataclass
class TrainConfig:
    seed: int = 0
    per_class: int = 360  # training crops per meaning (plus about 1/6 as many "none")
    eval_per_class: int = 30  # per meaning in each evaluation set
    epochs: int = 12  # with --styles, 14: 12 underfits the extra stroke and style variety
    batch: int = 256
    lr: float = 3e-3
    weight_decay: float = 5e-4
    label_smoothing: float = 0.05
    # Two threads by default; on cores other jobs are busy with, one thread trains faster
    # (two threads wait on each other), so the recipe records which was used.
    threads: int = 2
    widths: tuple[int, int, int, int] = (16, 24, 48, 96)
    # render.set_style_variety: stroke weights, line outlines, shaded colour, toolbar boxes,
    # HiDPI renders. Off for the shipped model (see that function for why).
    styles: bool = False
    # render.set_line_sets: also train on the Lucide and Heroicons line icons (line_sets.py),
    # drawing ``line_share`` of each meaning's crops from line icons. Off for the shipped
    # model (see that function for why).
    line_sets: bool = False
    line_share: float = LINE_SHARE


def _log(msg: str) -> None:
    print(f"[icons {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def _augment(x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Shift the batch by up to 2 px, and scale each crop's contrast and add a little noise."""
    dx, dy = (int(v) for v in torch.randint(-2, 3, (2,), generator=gen))
    x = torch.roll(F.pad(x, (2, 2, 2, 2)), shifts=(dy, dx), dims=(2, 3))[:, :, 2:-2, 2:-2]
    gain = torch.empty(x.shape[0], 1, 1, 1).uniform_(0.7, 1.15, generator=gen)
    return x * gain + torch.randn(x.shape, generator=gen) * 0.03


def train(cfg: TrainConfig, data: IconSet) -> IconNet:
    torch.manual_seed(cfg.seed)
    gen = torch.Generator().manual_seed(cfg.seed)
    model = IconNet(len(CLASSES), cfg.widths)
    x = torch.from_numpy(data.x[:, None])
    y = torch.from_numpy(data.y)
    steps = cfg.epochs * (len(y) // cfg.batch)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, cfg.lr, total_steps=steps, pct_start=0.15)
    model.train()
    step = 0
    for epoch in range(cfg.epochs):
        order = torch.randperm(len(y), generator=gen)
        t, total, hits = time.perf_counter(), 0.0, 0
        for i in range(len(y) // cfg.batch):
            idx = order[i * cfg.batch : (i + 1) * cfg.batch]
            xb, yb = _augment(x[idx], gen), y[idx]
            logits = model(xb)
            loss = F.cross_entropy(logits, yb, label_smoothing=cfg.label_smoothing)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            total += loss.item() * len(yb)
            hits += int((logits.argmax(1) == yb).sum())
        n = (len(y) // cfg.batch) * cfg.batch
        _log(
            f"epoch {epoch + 1}/{cfg.epochs}: loss {total / n:.3f}, train acc {hits / n:.3f}, "
            f"{time.perf_counter() - t:.0f} s"
        )
    model.eval()
    return model


def _licence(line_sets: bool) -> str:
    """The model's licence and, grouped by licence, every icon source it was made from."""
    groups: dict[str, list[str]] = {}
    for f in FONTS:
        if f.split == "train":
            groups.setdefault(f.license, []).append(f.title)
    trained = "; ".join(f"{', '.join(titles)}: {lic}" for lic, titles in groups.items())
    heldout = "; ".join(f"{f.title}: {f.license}" for f in FONTS if f.split == "heldout")
    lines = "; ".join(f"{s.title}: {s.license}" for s in LINE_SETS)
    lines = f"of line-icon SVGs shipped in PyPI wheels: {lines}; " if line_sets else ""
    return (
        "Apache-2.0, like gui-agent. Trained on renders of icon fonts shipped in the qtawesome "
        f"wheel (MIT; font licences as its README states): {trained}; {lines}and of "
        f"gui-agent's own assets/icons/*.svg: {SVG_LICENSE}. Used only to evaluate: {heldout}. "
        "CC-BY-4.0 "
        "attribution: Font Awesome Free by Fonticons, Inc. (fontawesome.com); Codicons by "
        "Microsoft (github.com/microsoft/vscode-codicons)."
    )


def write_manifest(models_dir: Path, record: dict[str, Any]) -> None:
    """Replace (or add) our record in ``manifest.json``, read fresh just before writing.

    Other models' records are left exactly as they are on disk at this moment.
    """
    path = models_dir / "manifest.json"
    data: dict[str, Any] = (
        json.loads(path.read_text()) if path.is_file() else {"format": 1, "models": []}
    )
    models = [m for m in data["models"] if m.get("name") != MODEL_NAME]
    old = [i for i, m in enumerate(data["models"]) if m.get("name") == MODEL_NAME]
    models.insert(old[0] if old else len(models), record)
    data["models"] = models
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=Path("models"))
    ap.add_argument("--epochs", type=int, default=TrainConfig.epochs)
    ap.add_argument("--per-class", type=int, default=TrainConfig.per_class)
    ap.add_argument("--threads", type=int, default=TrainConfig.threads)
    ap.add_argument(
        "--styles", action="store_true", help="render.set_style_variety(True) for every set"
    )
    ap.add_argument(
        "--line-sets",
        action="store_true",
        help="render.set_line_sets(True): also train on the Lucide and Heroicons line icons",
    )
    ap.add_argument(
        "--line-share",
        type=float,
        default=TrainConfig.line_share,
        help="share of each meaning's training crops drawn from line icons (0-1)",
    )
    args = ap.parse_args(argv)
    if args.epochs < 1 or args.per_class < 1 or args.threads < 1:
        ap.error("--epochs, --per-class and --threads must be at least 1")
    if not 0.0 <= args.line_share <= 1.0:
        ap.error("--line-share must be between 0 and 1")
    if args.line_share != TrainConfig.line_share and not args.line_sets:
        ap.error("--line-share needs --line-sets")
    cfg = TrainConfig(
        seed=args.seed,
        epochs=args.epochs,
        per_class=args.per_class,
        threads=args.threads,
        styles=args.styles,
        line_sets=args.line_sets,
        line_share=args.line_share,
    )
    set_style_variety(cfg.styles)
    set_line_sets(cfg.line_sets)
    torch.set_num_threads(cfg.threads)
    random.seed(cfg.seed)
    np.random.seed(cfg.seed)
    t0 = time.perf_counter()

    def progress(done: int, total: int) -> None:
        if done % 20000 == 0:
            _log(f"  rendered {done}/{total}")

    _log("rendering the training set")
    data = render_set(
        "train", cfg.per_class, cfg.seed, progress=progress, line_share=cfg.line_share
    )
    val = render_set("train", cfg.eval_per_class, cfg.seed + 1000)
    test = render_set("train", cfg.eval_per_class, cfg.seed + 2000)
    held = render_set("heldout", cfg.eval_per_class, cfg.seed + 3000)
    render_min = (time.perf_counter() - t0) / 60
    _log(f"rendered {len(data)} + {len(val)} + {len(test)} + {len(held)} crops")

    model = train(cfg, data)
    path = args.out / MODEL_FILE
    export_classifier(model, path, (1, 1, 32, 32), OPSET)

    val_p = onnx_probabilities(path, val.x[:, None], 512, 2)
    threshold = ev.calibrate(val_p, val.y)
    results: dict[str, dict[str, Any]] = {}
    for name, s in (("in_distribution", test), ("heldout_" + HELDOUT_FONT, held)):
        p = onnx_probabilities(path, s.x[:, None], 512, 2)
        results[name] = ev.score(p, s.y, threshold).as_dict()
        worst = ev.per_class(p, s.y, threshold)[:8]
        results[name]["worst_classes"] = {m: round(a, 3) for m, a, _ in worst}
        _log(f"{name}: {json.dumps(results[name])}")
    minutes = (time.perf_counter() - t0) / 60

    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    record: dict[str, Any] = {
        "name": MODEL_NAME,
        "file": MODEL_FILE,
        "sha256": digest,
        "bytes": path.stat().st_size,
        "required": False,
        "source": "trained by gui-agent itself (gui_agent/training/icons), see 'training'",
        "license": _licence(cfg.line_sets),
        "input": "Nx1x32x32 float32: gui_agent.perception.icon_names.preprocess of each crop",
        "outputs": {"logits": f"Nx{len(CLASSES)} float; their softmax is each class's probability"},
        "classes": list(CLASSES),
        "threshold": threshold,
        "opset": OPSET,
        "parameters": count_parameters(model),
        "evaluation": {
            "threshold_from": "validation renders of the training fonts",
            "crops_per_class": cfg.eval_per_class,
            **results,
        },
        "training": {
            "command": (
                f"python -m gui_agent.training.icons.train --seed {cfg.seed} --out models/"
                + (f" --threads {cfg.threads}" if cfg.threads != TrainConfig.threads else "")
                + (f" --epochs {cfg.epochs}" if cfg.epochs != TrainConfig.epochs else "")
                + (
                    f" --per-class {cfg.per_class}"
                    if cfg.per_class != TrainConfig.per_class
                    else ""
                )
                + (" --styles" if cfg.styles else "")
                + (" --line-sets" if cfg.line_sets else "")
                + (
                    f" --line-share {cfg.line_share}"
                    if cfg.line_share != TrainConfig.line_share
                    else ""
                )
            ),
            "seed": cfg.seed,
            "per_class": cfg.per_class,
            "crops": len(data),
            "epochs": cfg.epochs,
            "batch": cfg.batch,
            "lr": cfg.lr,
            "threads": cfg.threads,
            "widths": list(cfg.widths),
            "styles": cfg.styles,
            "heldout_font": HELDOUT_FONT,
            "line_sets": [s.title for s in LINE_SETS] if cfg.line_sets else [],
            "line_share": cfg.line_share if cfg.line_sets else 0.0,
            "torch": torch.__version__,
            "render_minutes": round(render_min, 1),
            "minutes": round(minutes, 1),
        },
    }
    write_manifest(args.out, record)
    _log(f"wrote {path} ({path.stat().st_size} bytes) and its manifest record; {minutes:.1f} min")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
