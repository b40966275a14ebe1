"""One command from nothing to the shipped detector: data, training, export, manifest.

    pip install -e '.[train]'
    python -m gui_agent.training.build --seed 0 --screens 5000 --iterations 10000  # ~56 min
    python -m gui_agent.training.build --mix mixed --screens 3000 --init models/ui_elements.pt \
        --iterations 6000 --lr 1e-3   # fine-tune on Qt, HTML, Tk and negative screens

It renders the training screens from a seed, trains on the CPU, exports
``models/ui_elements.onnx`` (plus the checkpoint ``models/ui_elements.pt`` that the export
test compares against), checks that onnxruntime and PyTorch agree on a held-out screen, and
writes the model's manifest entry with its sha256, classes and this recipe.
"""

from __future__ import annotations

import argparse
import copy
import json
import shlex
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

from gui_agent.perception.detector import ElementDetector
from gui_agent.perception.models import REPO_MODELS_DIR, sha256_of
from gui_agent.training import synth
from gui_agent.training.model import STRIDE, UIDetector, count_parameters
from gui_agent.training.train import (
    TrainConfig,
    export_onnx,
    load_checkpoint_with_recipe,
    load_samples,
    save_checkpoint,
    train,
)

MODEL_NAME = "ui_elements"
LICENSE = (
    "Apache-2.0, like gui-agent: weights trained only on synthetic screens that "
    "gui_agent/training/synth renders itself: Qt widgets (PySide6), HTML pages laid out "
    "by headless Chromium, tkinter/ttk windows, procedural textures, and our own "
    "assets/icons; no third-party images or data sets"
)
QT_ONLY_LICENSE = (
    "Apache-2.0, like gui-agent: weights trained only on synthetic screens that "
    "gui_agent/training/synth renders from Qt widgets and our own assets/icons"
)


def compare(
    model: torch.nn.Module, onnx_path: Path, classes: tuple[str, ...], image: np.ndarray
) -> dict[str, float]:
    """How far onnxruntime and PyTorch are apart on one BGR image.

    ``heat_abs``/``box_rel``: the largest differences where both graphs keep a peak.
    ``peak_mismatch``: peaks above 0.05 (what decoding can ever see) that only one graph
    keeps; float noise may flip a 3x3 tie between two near-zero cells, never a real peak.
    """
    det = ElementDetector(path=onnx_path, classes=classes, stride=STRIDE)
    heat_o, box_o = det.raw(image)
    with torch.no_grad():
        x = torch.from_numpy(np.ascontiguousarray(image)).permute(2, 0, 1)[None].float() / 255.0
        heat_t, box_t = (t[0].numpy() for t in model.eval()(x))
    both = (heat_o > 0) & (heat_t > 0)
    strong = (heat_o > 0.05) | (heat_t > 0.05)
    return {
        "heat_abs": float(np.abs(heat_o - heat_t)[both].max(initial=0.0)),
        "peak_mismatch": float(np.sum(strong & ((heat_o > 0) != (heat_t > 0)))),
        "box_rel": float(np.max(np.abs(box_o - box_t) / np.maximum(np.abs(box_t), 1.0))),
    }


def blend(start: UIDetector, tuned: UIDetector, alpha: float) -> UIDetector:
    """``(1 - alpha) * start + alpha * tuned``, weights and BN statistics alike (WiSE-FT,
    Wortsman et al. 2022). A fine-tune that learns new toolkits drifts on the old one; the
    straight line between the two nets, which share their start, keeps much of both."""
    if start.architecture != tuned.architecture:
        raise ValueError("blend needs two nets of one architecture")
    a, b = start.state_dict(), tuned.state_dict()
    mixed = {k: (1 - alpha) * a[k] + alpha * b[k] if a[k].is_floating_point() else b[k] for k in a}
    out = copy.deepcopy(tuned)
    out.load_state_dict(mixed)
    return out.eval()


def agrees(diff: dict[str, float]) -> bool:
    return diff["heat_abs"] <= 1e-3 and diff["box_rel"] <= 1e-3 and diff["peak_mismatch"] == 0


def update_manifest(models_dir: Path, record: dict[str, Any]) -> None:
    """Replace only this model's entry, read and written at once: other people add entries
    (and top-level keys) to the same file, and those must survive. A fresh folder gets a
    manifest of its own."""
    path = models_dir / "manifest.json"
    data = json.loads(path.read_text()) if path.exists() else {"models": []}
    models = data.setdefault("models", [])
    names = [m.get("name") for m in models]
    if record["name"] in names:
        models[names.index(record["name"])] = record
    else:
        models.append(record)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def train_model(args: argparse.Namespace, command: str) -> tuple[UIDetector, dict[str, Any]]:
    t0 = time.time()
    mix = "" if args.mix == "qt" else f"{args.mix}-"
    data = args.work / f"train-v{synth.GENERATOR_VERSION}-{mix}{args.seed}-{args.screens}"
    if not (data / "labels.jsonl").exists():
        print(f"rendering {args.screens} training screens -> {data}", flush=True)
        synth.generate(data, args.screens, args.seed, "train", args.workers, args.mix)
    samples = load_samples(data, synth.CLASSES)
    print(f"{len(samples)} screens, {sum(len(s.boxes) for s in samples)} elements", flush=True)
    cfg = TrainConfig(
        iterations=args.iterations,
        batch=args.batch,
        seed=args.seed,
        lr=args.lr,
        init=args.init,
        minutes=args.minutes,
    )
    model = None
    steps = 0
    for step, losses, last in train(samples, synth.CLASSES, cfg):
        model, steps = last, step
        print(
            f"step {step:5d}  heat {losses['heat']:.3f}  box {losses['box']:.3f}  "
            f"{time.time() - t0:6.0f}s",
            flush=True,
        )
    assert model is not None
    recipe = {
        "command": command,
        "seed": args.seed,
        "screens": args.screens,
        "mix": {k: v for k, v in synth.MIXES[args.mix].items()},
        "init": None if args.init is None else str(args.init),
        "init_sha256": None if args.init is None else sha256_of(args.init),
        "lr": cfg.lr,
        "iterations": steps,
        "minutes_budget": cfg.minutes,
        "batch": cfg.batch,
        "crop": cfg.crop,
        "wide_crop": list(cfg.wide),
        "wide_share": cfg.wide_share,
        "context_blocks": cfg.context,
        "ema_decay": cfg.ema_decay,
        "generator_version": synth.GENERATOR_VERSION,
        "torch": torch.__version__,
        "minutes": round((time.time() - t0) / 60, 1),
    }
    save_checkpoint(model, synth.CLASSES, args.work / f"{MODEL_NAME}.pt", recipe)
    return model, recipe


def _check(ap: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Absurd numbers and missing files end in one line before anything is rendered,
    trained or written over the shipped model."""
    if args.screens < 1 or args.iterations < 1 or args.batch < 1 or args.workers < 1:
        ap.error("--screens, --iterations, --batch and --workers must be at least 1")
    if not 0 < args.lr < 1:
        ap.error(f"--lr must be between 0 and 1, not {args.lr}")
    if args.minutes is not None and args.minutes <= 0:
        ap.error(f"--minutes must be positive, not {args.minutes}")
    if not 0 <= args.alpha <= 1:
        ap.error(f"--alpha must be between 0 and 1, not {args.alpha}")
    if args.blend is not None and args.checkpoint is None:
        ap.error("--blend needs --checkpoint")
    for name in ("init", "checkpoint", "blend"):
        path = getattr(args, name)
        if path is not None and not path.is_file():
            ap.error(f"--{name}: no such file {path}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--screens", type=int, default=5000, help="training screens to render")
    ap.add_argument("--iterations", type=int, default=TrainConfig.iterations)
    ap.add_argument("--batch", type=int, default=TrainConfig.batch)
    ap.add_argument("--work", type=Path, default=Path("build/detector"), help="data and logs")
    ap.add_argument("--models", type=Path, default=REPO_MODELS_DIR, help="where to write the model")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--mix", choices=sorted(synth.MIXES), default="qt", help="renderer mix")
    ap.add_argument("--init", type=Path, help="fine-tune from this checkpoint (.pt)")
    ap.add_argument("--lr", type=float, default=TrainConfig.lr)
    ap.add_argument("--minutes", type=float, help="stop training after this long (a budget)")
    ap.add_argument(
        "--checkpoint", type=Path, help="export this checkpoint instead of training a new one"
    )
    ap.add_argument("--blend", type=Path, help="with --checkpoint: blend it with this one")
    ap.add_argument("--alpha", type=float, default=0.5, help="the fine-tuned net's share")
    args = ap.parse_args(argv)
    _check(ap, args)
    command = "python -m gui_agent.training.build " + " ".join(
        shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:])
    )
    if args.checkpoint:
        model, classes, recipe = load_checkpoint_with_recipe(args.checkpoint)
        if tuple(classes) != synth.CLASSES:
            raise SystemExit(f"{args.checkpoint} has classes {classes}, not {synth.CLASSES}")
        if args.blend:
            start, _, _ = load_checkpoint_with_recipe(args.blend)
            model = blend(start, model, args.alpha)
            recipe = {
                **recipe,
                "blend": {
                    "with": str(args.blend),
                    "with_sha256": sha256_of(args.blend),
                    "alpha": args.alpha,
                    "why": "weights = (1 - alpha) * with + alpha * fine-tuned (WiSE-FT)",
                },
            }
    else:
        model, recipe = train_model(args, command)
    args.models.mkdir(parents=True, exist_ok=True)
    onnx_path = args.models / f"{MODEL_NAME}.onnx"
    ckpt_path = args.models / f"{MODEL_NAME}.pt"
    save_checkpoint(model, synth.CLASSES, ckpt_path, recipe)
    export_onnx(model, onnx_path)
    probe = synth.render_screen(args.seed + 999_983, split="heldout").image[:, :, ::-1].copy()
    diff = compare(model, onnx_path, synth.CLASSES, probe)
    print(f"onnxruntime vs PyTorch: {diff}", flush=True)
    if not agrees(diff):
        raise SystemExit(f"exported model disagrees with PyTorch: {diff}")
    record = {
        "name": MODEL_NAME,
        "file": onnx_path.name,
        "sha256": sha256_of(onnx_path),
        "bytes": onnx_path.stat().st_size,
        "required": True,
        "source": "trained by gui-agent itself (gui_agent/training), see 'training'",
        "license": LICENSE if recipe.get("mix", {"qt": 1.0}) != {"qt": 1.0} else QT_ONLY_LICENSE,
        "input": "1xHxWx3 uint8, BGR, any size (the frame as captured, no resize)",
        "outputs": {
            "heat": "1xCxH/4xW/4 float, per-class centre score after a 3x3 peak filter",
            "box": "1x4xH/4xW/4 float, pixel distances (left, top, right, bottom) "
            "from each cell's centre",
        },
        "stride": STRIDE,
        "classes": list(synth.CLASSES),
        "opset": 17,
        "parameters": count_parameters(model),
        "training": {
            **recipe,
            "checkpoint": ckpt_path.name,
            "checkpoint_sha256": sha256_of(ckpt_path),
        },
    }
    update_manifest(args.models, record)
    print(f"{onnx_path} ({record['bytes']} bytes, {record['parameters']} parameters)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
