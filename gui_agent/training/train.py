"""Train the UI-element detector on synthetic screens, on the CPU, and export it to ONNX.

Why crops: a whole screen is mostly background; 448-px squares and 288x960 strips centred
near elements give the network many elements per second of CPU (the strips hold whole long
fields, which a square would cut). Why channel shuffles and inversions: the held-out
set uses palettes the training set never has, and a detector that keys on "blue accent"
would not transfer; what must carry over is shape, not hue.

    python -m gui_agent.training.train --data build/detector/train --out build/detector/model.pt

``--init CHECKPOINT`` fine-tunes from earlier weights instead of starting from random ones:
new renderers teach new looks in a fraction of a full run, and the warm start keeps what the
shipped model already knows about Qt.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import torch
from torch import nn
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

from gui_agent.training.model import STRIDE, UIDetector, count_parameters
from gui_agent.training.targets import build_targets

PERMS = ((0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0))


@dataclass(slots=True)
class Sample:
    image: np.ndarray  # H x W x 3 uint8 BGR
    boxes: np.ndarray  # N x 4 float32
    classes: np.ndarray  # N int64


@dataclass
class TrainConfig:
    crop: int = 448
    batch: int = 8
    iterations: int = 10000
    lr: float = 3e-3
    weight_decay: float = 5e-4
    seed: int = 0
    widths: tuple[int, int, int, int] = (32, 64, 128, 192)
    fpn: int = 48
    context: int = 2
    # Half the batches are wide strips: a 448-px square never holds a whole 1,000-px field,
    # and an element a crop cuts is ignored, so without strips long fields are never taught.
    # 1,344 px holds the full-width fields of a 1.5x window; 224 rows keep the pixel count
    # (and the step time) of a square batch's.
    wide: tuple[int, int] = (224, 1344)
    wide_share: float = 0.5
    box_weight: float = 5.0
    threads: int = 2
    # The exported weights are an exponential moving average of the trained ones (BN
    # statistics included): the last SGD iterate is one noisy sample of where training
    # ends, the average over its last ~1,000 steps a steadier one, at no run-time cost.
    # It is no cure for the spread between seeds: at 8,000 steps on the same data it
    # scored like the last iterate (held-out field recall 89.9 / 86.7% both).
    ema_decay: float = 0.999
    # Fine-tuning: start from these weights (same architecture), with a shorter warm-up.
    init: Path | None = None
    # A wall-clock budget: the schedule runs on elapsed time and training stops when it is
    # spent (``iterations`` is then a cap). On a shared CPU the step time is unknown in
    # advance, and a cosine cut short by a deadline would end at a high learning rate.
    minutes: float | None = None


def load_samples(data_dir: Path, classes: Sequence[str]) -> list[Sample]:
    """Every labelled screen of a ``synth.generate`` folder, decoded once into memory."""
    index = {c: i for i, c in enumerate(classes)}
    out: list[Sample] = []
    with (data_dir / "labels.jsonl").open() as f:
        for line in f:
            rec = json.loads(line)
            img = cv2.imread(str(data_dir / rec["image"]), cv2.IMREAD_COLOR)
            if img is None:
                raise ValueError(f"cannot read {data_dir / rec['image']}")
            boxes = np.array([b[1:5] for b in rec["boxes"]], np.float32).reshape(-1, 4)
            cls = np.array([index[b[0]] for b in rec["boxes"]], np.int64)
            out.append(Sample(img, boxes, cls))
    return out


class CropSampler:
    """Random augmented crops with their targets; deterministic for a given seed."""

    def __init__(self, samples: list[Sample], cfg: TrainConfig, num_classes: int) -> None:
        self.samples = samples
        self.cfg = cfg
        self.num_classes = num_classes
        self.rng = np.random.default_rng(cfg.seed)

    def one(self, crop_h: int, crop_w: int) -> tuple[np.ndarray, Any]:
        rng = self.rng
        s = self.samples[int(rng.integers(len(self.samples)))]
        img, boxes = s.image, s.boxes
        if rng.random() < 0.3:  # mild rescale: widgets between the rendered scales
            f = float(rng.uniform(0.8, 1.25))
            img = cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_LINEAR)
            boxes = boxes * f
        h, w = img.shape[:2]
        if len(boxes) and rng.random() < 0.8:  # centre near an element most of the time
            # a class first, then one of its elements: rare kinds (combo, slider, scroll bar)
            # get as many looks as the toolbar icons that fill most screens
            present = np.unique(s.classes)
            pick = np.nonzero(s.classes == present[int(rng.integers(len(present)))])[0]
            b = boxes[int(pick[int(rng.integers(len(pick)))])]
            cx = (b[0] + b[2]) / 2 + rng.uniform(-crop_w / 3, crop_w / 3)
            cy = (b[1] + b[3]) / 2 + rng.uniform(-crop_h / 3, crop_h / 3)
            x0, y0 = int(cx - crop_w / 2), int(cy - crop_h / 2)
        else:
            x0, y0 = (
                int(rng.integers(-16, max(1, w - crop_w + 16))),
                int(rng.integers(-16, max(1, h - crop_h + 16))),
            )
        x0 = min(max(x0, min(0, w - crop_w)), max(0, w - crop_w))
        y0 = min(max(y0, min(0, h - crop_h)), max(0, h - crop_h))
        crop = np.empty((crop_h, crop_w, 3), np.uint8)
        crop[:] = img[min(max(y0, 0), h - 1), min(max(x0, 0), w - 1)]  # pad with a real colour
        sx0, sy0 = max(x0, 0), max(y0, 0)
        sx1, sy1 = min(x0 + crop_w, w), min(y0 + crop_h, h)
        crop[sy0 - y0 : sy1 - y0, sx0 - x0 : sx1 - x0] = img[sy0:sy1, sx0:sx1]
        bx = boxes - np.array([x0, y0, x0, y0], np.float32)
        clipped = np.clip(bx, 0, np.array([crop_w, crop_h, crop_w, crop_h], np.float32))
        area = np.maximum((bx[:, 2] - bx[:, 0]) * (bx[:, 3] - bx[:, 1]), 1e-6)
        visible = (clipped[:, 2] - clipped[:, 0]) * (clipped[:, 3] - clipped[:, 1]) / area
        kept = visible > 0.6
        cut = (visible > 0) & ~kept
        ignored, ignored_cls = clipped[cut], s.classes[cut]
        clipped, cls = clipped[kept], s.classes[kept]
        crop = self._recolour(crop)
        t = build_targets(
            clipped, cls, self.num_classes, crop_h, crop_w, STRIDE, ignored, ignored_cls
        )
        return np.ascontiguousarray(crop), t

    def _recolour(self, crop: np.ndarray) -> np.ndarray:
        """Palettes the renderer never made: hue turns, channel shuffles, inversion, grey,
        gamma and contrast. The held-out palettes are not among them; the point is that no
        colour is a cue."""
        rng = self.rng
        if rng.random() < 0.3:
            hsv = cv2.cvtColor(crop, cv2.COLOR_BGR2HSV)
            hsv[:, :, 0] = (hsv[:, :, 0].astype(np.int16) + int(rng.integers(180))) % 180
            crop = cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR)
        if rng.random() < 0.5:
            crop = crop[:, :, PERMS[int(rng.integers(6))]]
        if rng.random() < 0.25:
            crop = 255 - crop
        if rng.random() < 0.1:
            crop = np.repeat(cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)[:, :, None], 3, axis=2)
        if rng.random() < 0.4:
            gamma = float(np.exp(rng.uniform(-0.6, 0.6)))
            lut = np.clip(255 * (np.arange(256) / 255.0) ** gamma, 0, 255)
            a, b = rng.uniform(0.6, 1.4), rng.uniform(-30, 30)
            lut = np.clip((lut - 128) * a + 128 + b, 0, 255).astype(np.uint8)
            crop = cv2.LUT(crop, lut)
        return np.ascontiguousarray(crop)

    def batch(self) -> dict[str, torch.Tensor]:
        crops, heats, boxes, weights, ignores = [], [], [], [], []
        crop_h = crop_w = self.cfg.crop
        if self.rng.random() < self.cfg.wide_share:
            crop_h, crop_w = self.cfg.wide
        for _ in range(self.cfg.batch):
            crop, t = self.one(crop_h, crop_w)
            crops.append(crop)
            heats.append(t.heat)
            boxes.append(t.box)
            weights.append(t.weight)
            ignores.append(t.ignore)
        x = torch.from_numpy(np.stack(crops)).permute(0, 3, 1, 2).float() / 255.0
        return {
            "image": x,
            "heat": torch.from_numpy(np.stack(heats)),
            "box": torch.from_numpy(np.stack(boxes)),
            "weight": torch.from_numpy(np.stack(weights)),
            "ignore": torch.from_numpy(np.stack(ignores)),
        }


def focal_loss(logits: torch.Tensor, gt: torch.Tensor, ignore: torch.Tensor) -> torch.Tensor:
    """CenterNet's penalty-reduced focal loss, normalised by the number of centres."""
    p = torch.sigmoid(logits).clamp(1e-4, 1 - 1e-4)
    pos = gt.eq(1).float()
    neg = (1.0 - pos) * (1.0 - ignore)
    pos_loss = torch.log(p) * (1 - p) ** 2 * pos
    neg_loss = torch.log(1 - p) * p**2 * (1 - gt) ** 4 * neg
    n = pos.sum().clamp(min=1.0)
    return -(pos_loss.sum() + neg_loss.sum()) / n


def giou_loss(pred: torch.Tensor, target: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """GIoU between ltrb distance maps, at cells with weight > 0."""
    mask = weight > 0
    if not mask.any():
        return pred.sum() * 0.0
    p = pred.permute(0, 2, 3, 1)[mask]  # M x 4
    t = target.permute(0, 2, 3, 1)[mask]
    w = weight[mask]
    pa = (p[:, 0] + p[:, 2]) * (p[:, 1] + p[:, 3])
    ta = (t[:, 0] + t[:, 2]) * (t[:, 1] + t[:, 3])
    iw = torch.minimum(p[:, 0], t[:, 0]) + torch.minimum(p[:, 2], t[:, 2])
    ih = torch.minimum(p[:, 1], t[:, 1]) + torch.minimum(p[:, 3], t[:, 3])
    inter = iw.clamp(min=0) * ih.clamp(min=0)
    union = pa + ta - inter
    iou = inter / union.clamp(min=1e-6)
    ew = torch.maximum(p[:, 0], t[:, 0]) + torch.maximum(p[:, 2], t[:, 2])
    eh = torch.maximum(p[:, 1], t[:, 1]) + torch.maximum(p[:, 3], t[:, 3])
    enclose = (ew * eh).clamp(min=1e-6)
    giou = iou - (enclose - union) / enclose
    return ((1 - giou) * w).sum() / w.sum().clamp(min=1e-6)


def _lr_at(step: int, cfg: TrainConfig, progress: float | None = None) -> float:
    """Linear warm-up, then a cosine down to 2% of ``lr``; ``progress`` (0-1, by the clock)
    replaces the step count's share of ``iterations`` after the warm-up."""
    warm = min(50 if cfg.init else 200, cfg.iterations // 10)
    if step < warm:
        return cfg.lr * (step + 1) / warm
    t = (step - warm) / max(1, cfg.iterations - warm) if progress is None else progress
    return cfg.lr * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * min(t, 1.0))))


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def train(
    samples: list[Sample], classes: Sequence[str], cfg: TrainConfig, log_every: int = 50
) -> Iterator[tuple[int, dict[str, float], UIDetector]]:
    """Yields (step, losses, averaged model) every ``log_every`` steps and at the end."""
    seed_everything(cfg.seed)
    torch.set_num_threads(cfg.threads)
    model = UIDetector(len(classes), widths=cfg.widths, fpn=cfg.fpn, context=cfg.context)
    if cfg.init is not None:
        warm, warm_classes, _ = load_checkpoint_with_recipe(cfg.init)
        if tuple(warm_classes) != tuple(classes) or warm.architecture != model.architecture:
            raise ValueError(f"{cfg.init} does not match: {warm_classes}, {warm.architecture}")
        model.load_state_dict(warm.state_dict())
    decay = [p for n, p in model.named_parameters() if p.ndim > 1]
    no_decay = [p for n, p in model.named_parameters() if p.ndim <= 1]
    opt = torch.optim.AdamW(
        [
            {"params": decay, "weight_decay": cfg.weight_decay},
            {"params": no_decay, "weight_decay": 0},
        ],
        lr=cfg.lr,
    )
    sampler = CropSampler(samples, cfg, len(classes))
    ema = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(cfg.ema_decay), use_buffers=True)
    averaged = ema.module
    assert isinstance(averaged, UIDetector)
    model.train()
    run = {"heat": 0.0, "box": 0.0}
    start = time.monotonic()
    last_step = cfg.iterations
    for step in range(cfg.iterations):
        progress = None
        if cfg.minutes is not None:
            progress = (time.monotonic() - start) / (60 * cfg.minutes)
            if progress >= 1.0:
                last_step = step
                break
        for g in opt.param_groups:
            g["lr"] = _lr_at(step, cfg, progress)
        b = sampler.batch()
        logits, box = model.raw(b["image"])
        lh = focal_loss(logits, b["heat"], b["ignore"])
        lb = giou_loss(box, b["box"], b["weight"])
        loss = lh + cfg.box_weight * lb
        opt.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 10.0)
        opt.step()
        ema.update_parameters(model)
        run["heat"] += lh.item()
        run["box"] += lb.item()
        if (step + 1) % log_every == 0 or step + 1 == cfg.iterations:
            n = log_every if (step + 1) % log_every == 0 else (step + 1) % log_every
            yield step + 1, {k: v / n for k, v in run.items()}, averaged
            run = {"heat": 0.0, "box": 0.0}
    if last_step < cfg.iterations and last_step % log_every:  # stopped by the clock
        n = last_step % log_every
        yield last_step, {k: v / n for k, v in run.items()}, averaged


class ExportWrapper(nn.Module):
    """What the ONNX file holds: uint8 BGR NHWC in, so the runtime does no numpy work."""

    def __init__(self, model: UIDetector) -> None:
        super().__init__()
        self.model = model

    def forward(self, image: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        x = image.permute(0, 3, 1, 2).float() * (1.0 / 255.0)
        heat, box = self.model(x)
        return heat, box


def export_onnx(model: UIDetector, path: Path, opset: int = 17) -> None:
    model = model.eval()
    wrapper = ExportWrapper(model).eval()
    example = torch.zeros(1, 256, 320, 3, dtype=torch.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(
        wrapper,
        (example,),
        str(path),
        opset_version=opset,
        input_names=["image"],
        output_names=["heat", "box"],
        dynamic_axes={
            "image": {1: "height", 2: "width"},
            "heat": {2: "h4", 3: "w4"},
            "box": {2: "h4", 3: "w4"},
        },
        dynamo=False,
    )


def save_checkpoint(
    model: UIDetector,
    classes: Sequence[str],
    path: Path,
    recipe: dict[str, Any] | None = None,
) -> None:
    """Weights plus how they were made (``recipe``: command, data, minutes), so a later
    export from this file can still say where the model came from."""
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(
        {
            "state_dict": model.state_dict(),
            "classes": list(classes),
            **model.architecture,
            "recipe": json.dumps(recipe or {}),
        },
        path,
    )


def load_checkpoint(path: Path) -> tuple[UIDetector, list[str]]:
    model, classes, _ = load_checkpoint_with_recipe(path)
    return model, classes


def load_checkpoint_with_recipe(path: Path) -> tuple[UIDetector, list[str], dict[str, Any]]:
    ck = torch.load(path, map_location="cpu", weights_only=True)
    model = UIDetector(
        len(ck["classes"]),
        widths=tuple(ck["widths"]),
        fpn=int(ck["fpn"]),
        context=int(ck.get("context", 0)),
    )
    model.load_state_dict(ck["state_dict"])
    return model.eval(), list(ck["classes"]), json.loads(ck.get("recipe", "{}"))


def main(argv: list[str] | None = None) -> int:
    from gui_agent.training.synth import CLASSES

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="a synth.generate folder")
    ap.add_argument("--out", type=Path, required=True, help="checkpoint (.pt) to write")
    ap.add_argument("--iterations", type=int, default=TrainConfig.iterations)
    ap.add_argument("--batch", type=int, default=TrainConfig.batch)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--lr", type=float, default=TrainConfig.lr)
    ap.add_argument("--init", type=Path, help="fine-tune from this checkpoint (.pt)")
    ap.add_argument("--minutes", type=float, help="stop after this long (iterations: a cap)")
    args = ap.parse_args(argv)
    cfg = TrainConfig(
        iterations=args.iterations,
        batch=args.batch,
        seed=args.seed,
        lr=args.lr,
        init=args.init,
        minutes=args.minutes,
    )
    samples = load_samples(args.data, CLASSES)
    t0 = time.time()
    model: UIDetector | None = None
    for step, losses, last in train(samples, CLASSES, cfg):
        model = last
        print(
            f"step {step:5d}  heat {losses['heat']:.3f}  box {losses['box']:.3f}  "
            f"{time.time() - t0:6.0f}s",
            flush=True,
        )
    assert model is not None
    save_checkpoint(model, CLASSES, args.out)
    print(f"{count_parameters(model)} parameters -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
