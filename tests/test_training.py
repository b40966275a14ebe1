"""The training loop's parts: crops (square and wide strips), their targets, the checkpoint.

Needs the ``[train]`` extra (torch); ``packaging/setup.sh test`` installs it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="the [train] extra (torch) is not installed")

from gui_agent.training.model import STRIDE, UIDetector  # noqa: E402
from gui_agent.training.train import (  # noqa: E402
    CropSampler,
    Sample,
    TrainConfig,
    load_checkpoint_with_recipe,
    save_checkpoint,
    train,
)

CLASSES = ("button", "field")


def _screen() -> Sample:
    """A 700x1400 screen with one 1,100-px field (too long for a square crop) and a button."""
    img = np.full((700, 1400, 3), 230, np.uint8)
    img[300:330, 150:1250] = 255
    img[400:430, 600:680] = 180
    boxes = np.array([[150, 300, 1250, 330], [600, 400, 680, 430]], np.float32)
    return Sample(img, boxes, np.array([1, 0], np.int64))


def _field_centres(heat: Any) -> int:
    return int((heat[:, 1] == 1.0).sum())


def test_wide_crops_teach_a_field_that_no_square_crop_holds() -> None:
    wide = CropSampler([_screen()], TrainConfig(batch=4, wide_share=1.0, seed=1), len(CLASSES))
    square = CropSampler([_screen()], TrainConfig(batch=4, wide_share=0.0, seed=1), len(CLASSES))
    strips = [wide.batch() for _ in range(10)]
    squares = [square.batch() for _ in range(10)]
    h, w = TrainConfig.wide
    assert strips[0]["image"].shape == (4, 3, h, w)
    assert strips[0]["heat"].shape == (4, len(CLASSES), h // STRIDE, w // STRIDE)
    assert squares[0]["image"].shape == (4, 3, TrainConfig.crop, TrainConfig.crop)
    # the field is a positive in some strips, never in a square (where it is ignored)
    assert sum(_field_centres(b["heat"]) for b in strips) > 0
    assert sum(_field_centres(b["heat"]) for b in squares) == 0
    assert sum(float(b["ignore"][:, 1].sum()) for b in squares) > 0


def test_a_strip_teaches_lengths_that_no_square_crop_can() -> None:
    sampler = CropSampler([_screen()], TrainConfig(batch=1, wide_share=1.0, seed=2), 2)
    for _ in range(30):
        _crop, t = sampler.one(*TrainConfig.wide)
        ys, xs = np.nonzero(t.heat[1] == 1.0)
        if len(ys) == 0:
            continue
        cy, cx = int(ys[0]), int(xs[0])
        left, top, right, bottom = t.box[:, cy, cx]
        # the field (rescaled by 0.8-1.25 at most, clipped by the strip's ends at most)
        # spans more than a square crop's whole width, at its true height
        assert TrainConfig.crop < left + right <= TrainConfig.wide[1]
        assert 30 * 0.8 - 1 <= top + bottom <= 30 * 1.25 + 1
        return
    pytest.fail("no strip held the whole field")


def test_checkpoint_keeps_the_architecture_and_the_outputs(tmp_path: Path) -> None:
    torch.manual_seed(0)
    model = UIDetector(len(CLASSES), widths=(16, 24, 32, 48), fpn=16, context=2).eval()
    path = tmp_path / "m.pt"
    save_checkpoint(model, CLASSES, path, {"seed": 5})
    back, classes, recipe = load_checkpoint_with_recipe(path)
    assert classes == list(CLASSES) and recipe == {"seed": 5}
    assert back.architecture == {"widths": [16, 24, 32, 48], "fpn": 16, "context": 2}
    x = torch.rand(1, 3, 96, 160)
    with torch.no_grad():
        for a, b in zip(model(x), back(x), strict=True):
            assert torch.equal(a, b)


def _weights(model: Any) -> Any:
    return torch.cat([t.detach().flatten().float() for t in model.state_dict().values()])


def test_training_yields_the_moving_average_of_the_weights() -> None:
    """The exported model is the average, BN statistics included, not the last iterate."""
    runs = {}
    for decay in (0.0, 0.9):  # 0: the average is the last iterate itself
        cfg = TrainConfig(
            iterations=4,
            seed=3,
            batch=1,
            crop=128,
            wide=(64, 256),
            widths=(16, 24, 32, 48),
            fpn=16,
            context=1,
            ema_decay=decay,
        )
        *_, (_step, _losses, model) = train([_screen()], CLASSES, cfg, log_every=4)
        runs[decay] = _weights(model)
    torch.manual_seed(3)
    init = _weights(UIDetector(len(CLASSES), widths=(16, 24, 32, 48), fpn=16, context=1))
    moved, averaged = (runs[0.0] - init).norm(), (runs[0.9] - init).norm()
    # four steps at 0.9 keep 0.9**4 = 66% of the start: the average lags the iterate
    assert 0.1 * moved < averaged < 0.7 * moved, (float(moved), float(averaged))


def _tiny(**kw: Any) -> TrainConfig:
    base: dict[str, Any] = {
        "seed": 3,
        "batch": 1,
        "crop": 128,
        "wide": (64, 256),
        "widths": (16, 24, 32, 48),
        "fpn": 16,
        "context": 1,
    }
    return TrainConfig(**(base | kw))


def test_fine_tuning_starts_from_the_given_checkpoint(tmp_path: Path) -> None:
    """``init``: one step at a tiny rate stays next to the start, far from a fresh net."""
    torch.manual_seed(11)
    start = UIDetector(len(CLASSES), widths=(16, 24, 32, 48), fpn=16, context=1)
    path = tmp_path / "start.pt"
    save_checkpoint(start, CLASSES, path)
    cfg = _tiny(iterations=1, lr=1e-6, init=path, ema_decay=0.0)
    *_, (_step, _losses, tuned) = train([_screen()], CLASSES, cfg, log_every=1)
    fresh = _tiny(iterations=1, lr=1e-6, ema_decay=0.0)
    *_, (_step, _losses, scratch) = train([_screen()], CLASSES, fresh, log_every=1)

    def params(m: Any) -> Any:  # not the BN statistics: one batch moves them anyway
        return torch.cat([p.detach().flatten() for p in m.parameters()])

    near = (params(tuned) - params(start)).norm()
    far = (params(scratch) - params(start)).norm()
    assert near < 0.05 * far, (float(near), float(far))
    other = tmp_path / "other.pt"
    save_checkpoint(UIDetector(3, widths=(16, 24, 32, 48), fpn=16, context=1), "abc", other)
    with pytest.raises(ValueError, match="does not match"):
        next(iter(train([_screen()], CLASSES, _tiny(iterations=1, init=other))))


def test_a_time_budget_stops_training_with_a_final_model() -> None:
    cfg = _tiny(iterations=10_000, minutes=0.002)  # 0.12 s: a few steps at most
    out = list(train([_screen()], CLASSES, cfg, log_every=1000))
    assert len(out) == 1
    step, _losses, model = out[0]
    assert 0 < step < 10_000 and isinstance(model, UIDetector)


def test_blend_runs_the_straight_line_between_two_nets() -> None:
    from gui_agent.training.build import blend

    torch.manual_seed(5)
    a = UIDetector(len(CLASSES), widths=(16, 24, 32, 48), fpn=16, context=1)
    b = UIDetector(len(CLASSES), widths=(16, 24, 32, 48), fpn=16, context=1)
    for alpha, want in ((0.0, _weights(a)), (1.0, _weights(b))):
        assert torch.allclose(_weights(blend(a, b, alpha)), want)
    half = _weights(blend(a, b, 0.5))
    floats = [t.is_floating_point() for t in a.state_dict().values()]
    assert all(floats[:3])
    assert torch.allclose(half[:100], (_weights(a)[:100] + _weights(b)[:100]) / 2)
