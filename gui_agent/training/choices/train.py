"""Train the check-box/radio verifier on the CPU, export it to ONNX and record it.

    python -m gui_agent.training.choices.train --data build/detector/train-v9-mixed-0-3000 \
        --data build/choices/sets/favicon-train-101-400 --seeds 0 1 2 --out models/ --threads 1

Collects crops from each training-split synth data set (``crops.py``; cached as .npz under
``--work``), holds back a share of the screens for validation, trains one ``ChoiceNet`` per
seed, exports each to ONNX and scores it through onnxruntime (the runtime's path) on the
validation screens: the threshold is calibrated there (``evaluation.calibrate``), and the
seed with the most negatives rejected at that threshold is shipped to ``--out`` with its
manifest record, which also keeps every seed's numbers (their spread).

A data set whose ``info.json`` does not say ``"split": "train"`` is refused: the bench's
held-out screens must never become training crops.

Why on-the-fly shifts, gains and channel swaps on top of the crops: they cost nothing per
epoch and keep the model from keying on an indicator's exact place, contrast or accent
colour (the held-out Material family has accent colours no training theme uses).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch.nn import functional as F

from gui_agent.perception.choice_check import CLASSES, INPUT_SIZE, MODEL_NAME, normalise
from gui_agent.training.choices import evaluation as ev
from gui_agent.training.choices.crops import SOURCES, CropSet, main_collect
from gui_agent.training.choices.model import ChoiceNet, count_parameters
from gui_agent.training.onnx_classifier import export_classifier, onnx_probabilities

MODEL_FILE = "choice_check.onnx"
SET_STRIDE = 1_000_000  # screen ids of the k-th --data set start at k * SET_STRIDE
OPSET = 17
DEFAULT_DATA = (
    Path("build/detector/train-v9-mixed-0-3000"),
    Path("build/choices/sets/favicon-train-101-400"),
)


@dataclass
class TrainConfig:
    seed: int = 0
    epochs: int = 7
    batch: int = 256
    lr: float = 3e-3
    weight_decay: float = 5e-4
    label_smoothing: float = 0.02
    threads: int = 1
    val_share: float = 0.15  # of the screens, for the threshold and the seed choice
    keep: float = 0.995  # of the validation check boxes and radios the threshold keeps
    cap: int = 10_000  # truth and icon crops each (``cap_sources``)
    widths: tuple[int, int, int] = (16, 32, 48)  # ChoiceNet's channels at 16, 8 and 4 px


def _log(msg: str) -> None:
    print(f"[choices {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def _augment(x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Shift the batch by up to 2 px, swap its colour channels at random, and scale each
    crop's contrast and add a little noise."""
    dx, dy = (int(v) for v in torch.randint(-2, 3, (2,), generator=gen))
    x = torch.roll(F.pad(x, (2, 2, 2, 2), mode="replicate"), shifts=(dy, dx), dims=(2, 3))
    x = x[:, :, 2:-2, 2:-2]
    if float(torch.rand(1, generator=gen)) < 0.5:
        x = x[:, torch.randperm(3, generator=gen)]
    gain = torch.empty(x.shape[0], 1, 1, 1).uniform_(0.75, 1.25, generator=gen)
    return x * gain + torch.randn(x.shape, generator=gen) * 0.02


def validation_screens(screens: np.ndarray, share: float) -> np.ndarray:
    """A fixed share of the screens (by a hash of their id, whatever the seed)."""
    h = np.array(
        [int.from_bytes(hashlib.blake2b(str(s).encode(), digest_size=4).digest(), "big")
         for s in screens.tolist()]
    )  # fmt: skip
    out: np.ndarray = (h % 1000) < share * 1000
    return out


def cap_sources(data: CropSet, cap: int, seed: int = 0, each_set: bool = False) -> CropSet:
    """At most ``cap`` crops of each of the plentiful, easy sources (ground-truth jitters
    and icons as check boxes), drawn at random; every detection crop is kept, since those
    are the mistakes the verifier exists for. Keeps an epoch short on two busy cores.

    ``each_set``: the cap holds per data set (``SET_STRIDE`` apart in screen ids), so a big
    new set (3,000 glyph-favicon pages) adds its icons without crowding out the others'."""
    rng = np.random.default_rng(seed)
    keep = np.ones(len(data), bool)
    groups = data.screen // SET_STRIDE if each_set else np.zeros(len(data), np.int64)
    for g in np.unique(groups):
        for name in ("truth", "icon"):
            idx = np.flatnonzero((data.source == SOURCES.index(name)) & (groups == g))
            if len(idx) > cap:
                keep[rng.choice(idx, len(idx) - cap, replace=False)] = False
    return data.subset(keep)


def train(cfg: TrainConfig, data: CropSet) -> ChoiceNet:
    torch.manual_seed(cfg.seed)
    gen = torch.Generator().manual_seed(cfg.seed)
    model = ChoiceNet(cfg.widths)
    x = torch.from_numpy(normalise(data.x))
    y = torch.from_numpy(data.y)
    counts = np.bincount(data.y, minlength=len(CLASSES)).astype(np.float64)
    # inverse square-root frequency: radios are rarer than check boxes and "none"
    weights = torch.tensor((counts.sum() / (len(CLASSES) * np.maximum(counts, 1))) ** 0.5)
    steps = cfg.epochs * max(1, len(y) // cfg.batch)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, cfg.lr, total_steps=steps, pct_start=0.15)
    model.train()
    for epoch in range(cfg.epochs):
        order = torch.randperm(len(y), generator=gen)
        t, total, hits, n = time.perf_counter(), 0.0, 0, 0
        for i in range(max(1, len(y) // cfg.batch)):
            idx = order[i * cfg.batch : (i + 1) * cfg.batch]
            xb, yb = _augment(x[idx], gen), y[idx]
            logits = model(xb)
            loss = F.cross_entropy(
                logits, yb, weight=weights.float(), label_smoothing=cfg.label_smoothing
            )
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(yb)
            hits += int((logits.argmax(1) == yb).sum())
            n += len(yb)
        _log(
            f"seed {cfg.seed} epoch {epoch + 1}/{cfg.epochs}: loss {total / n:.3f}, "
            f"train acc {hits / n:.3f}, {time.perf_counter() - t:.0f} s"
        )
    model.eval()
    return model


def write_manifest(models_dir: Path, record: dict[str, Any]) -> None:
    """Replace (or add) our record in ``manifest.json``: one read, one write, right after
    each other, every other record left exactly as it is on disk at this moment."""
    path = models_dir / "manifest.json"
    data: dict[str, Any] = (
        json.loads(path.read_text()) if path.is_file() else {"format": 1, "models": []}
    )
    models = data["models"]
    old = [i for i, m in enumerate(models) if m.get("name") == MODEL_NAME]
    if old:
        models[old[0]] = record
    else:
        models.append(record)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def check_data(parser: argparse.ArgumentParser, data: list[Path]) -> None:
    """Refuse a data set that is not a rendered training split (see the module)."""
    for d in data:
        info = d / "info.json"
        if not info.is_file():
            parser.error(
                f"--data {d}: no info.json (render it with python -m gui_agent.training.synth)"
            )
        split = json.loads(info.read_text()).get("split")
        if split != "train":
            parser.error(
                f"--data {d} is the {split!r} split; only 'train' screens may be trained on"
            )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, action="append", help="training-split synth data set")
    ap.add_argument("--work", type=Path, default=Path("build/choices"), help="crops and seeds")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--out", type=Path, default=Path("models"))
    ap.add_argument("--epochs", type=int, default=TrainConfig.epochs)
    ap.add_argument(
        "--widths", type=int, nargs=3, default=list(TrainConfig.widths), help="channels"
    )
    ap.add_argument("--lr", type=float, default=TrainConfig.lr)
    ap.add_argument("--threads", type=int, default=TrainConfig.threads)
    ap.add_argument("--keep", type=float, default=TrainConfig.keep, help="positives to keep")
    ap.add_argument(
        "--cap", type=int, default=TrainConfig.cap, help="at most this many truth or icon crops"
    )
    ap.add_argument(
        "--cap-each-set", action="store_true", help="apply --cap to each --data set on its own"
    )
    ap.add_argument(
        "--reuse", action="store_true", help="take a seed already trained in --work as it is"
    )
    args = ap.parse_args(argv)
    if not (1 <= args.epochs <= 200) or not (1 <= args.threads <= 64) or not args.seeds:
        ap.error("--epochs must be 1-200, --threads 1-64, and at least one --seeds")
    widths = (args.widths[0], args.widths[1], args.widths[2])
    if not all(4 <= w <= 256 for w in widths):
        ap.error("--widths must be three channel counts of 4-256")
    if not (0.0 < args.lr <= 1.0) or not (0.5 <= args.keep < 1.0) or args.cap < 100:
        ap.error("--lr must be in (0, 1], --keep in [0.5, 1) and --cap at least 100")
    data = args.data or list(DEFAULT_DATA)
    check_data(ap, data)
    torch.set_num_threads(args.threads)
    t0 = time.perf_counter()
    parts = []
    for k, d in enumerate(data):
        _log(f"crops of {d}")
        parts.append(
            main_collect(d, args.work / "crops" / f"{d.name}.npz", 0, None, k * SET_STRIDE)
        )
    crops = CropSet.join(parts)
    val_mask = validation_screens(crops.screen, TrainConfig.val_share)
    fit = cap_sources(crops.subset(~val_mask), args.cap, each_set=args.cap_each_set)
    val = crops.subset(val_mask)
    counts = {c: int((fit.y == i).sum()) for i, c in enumerate(CLASSES)}
    _log(f"{len(fit)} training crops {counts}, {len(val)} validation crops")

    seeds: dict[int, dict[str, Any]] = {}
    for seed in args.seeds:
        cfg = TrainConfig(seed=seed, epochs=args.epochs, lr=args.lr, threads=args.threads,
                          keep=args.keep, widths=widths)  # fmt: skip
        path = args.work / f"seed{seed}" / MODEL_FILE
        if not (args.reuse and path.is_file()):
            export_classifier(train(cfg, fit), path, (1, 3, INPUT_SIZE, INPUT_SIZE), OPSET)
        probs = onnx_probabilities(path, normalise(val.x), 1024, 1)
        threshold = ev.calibrate(probs, val.y, cfg.keep)
        seeds[seed] = {"threshold": threshold, **ev.score(probs, val.y, val.source, threshold)}
        (path.parent / "record.json").write_text(json.dumps(seeds[seed], indent=1) + "\n")
        _log(f"seed {seed}: {json.dumps(seeds[seed])}")
    best = max(seeds, key=lambda s: (seeds[s]["negatives_rejected"], seeds[s]["positives_kept"]))
    rejected = [seeds[s]["negatives_rejected"] for s in seeds]
    kept = [seeds[s]["positives_kept"] for s in seeds]
    _log(f"shipping seed {best}; rejected {min(rejected)}-{max(rejected)}")
    _log(f"kept {min(kept)}-{max(kept)} of the validation check boxes and radios")
    args.out.mkdir(parents=True, exist_ok=True)
    out = args.out / MODEL_FILE
    shutil.copyfile(args.work / f"seed{best}" / MODEL_FILE, out)
    minutes = (time.perf_counter() - t0) / 60
    record: dict[str, Any] = {
        "name": MODEL_NAME,
        "file": MODEL_FILE,
        "sha256": hashlib.sha256(out.read_bytes()).hexdigest(),
        "bytes": out.stat().st_size,
        "required": False,
        "source": "trained by gui-agent itself (gui_agent/training/choices), see 'training'",
        "license": (
            "Apache-2.0, like gui-agent: weights trained only on crops of synthetic screens "
            "that gui_agent/training/synth renders itself (training split only): Qt widgets "
            "(PySide6), HTML pages laid out by headless Chromium (with favicons from our own "
            "assets/icons and procedural tiles), tkinter/ttk windows; no third-party images"
        ),
        "input": "Nx3x32x32 float32: gui_agent.perception.choice_check.normalise of crops_of",
        "outputs": {"logits": "Nx3 float (checkbox, radio, none); softmax for probabilities"},
        "classes": list(CLASSES),
        "threshold": seeds[best]["threshold"],
        "opset": OPSET,
        "parameters": count_parameters(ChoiceNet(widths)),
        "evaluation": {
            "on": "validation screens (a hashed share of the training-split screens)",
            "shipped_seed": best,
            "why": "most validation negatives rejected at its calibrated threshold",
            "seeds": {str(s): v for s, v in seeds.items()},
        },
        "training": {
            "command": "python -m gui_agent.training.choices.train "
            + " ".join(f"--data {d}" for d in data)
            + f" --seeds {' '.join(map(str, args.seeds))} --epochs {args.epochs}"
            + f" --threads {args.threads} --cap {args.cap} --out {args.out}"
            + (" --cap-each-set" if args.cap_each_set else "")
            + (f" --widths {' '.join(map(str, widths))}" if widths != TrainConfig.widths else ""),
            "data": [str(d) for d in data],
            "crops": len(fit),
            "cap": args.cap,
            "crops_per_class": counts,
            "epochs": args.epochs,
            "batch": TrainConfig.batch,
            "lr": args.lr,
            "keep": args.keep,
            "torch": torch.__version__,
            "minutes": round(minutes, 1),
        },
    }
    write_manifest(args.out, record)
    _log(f"wrote {out} ({out.stat().st_size} bytes) and its manifest record; {minutes:.1f} min")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
