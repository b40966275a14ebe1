"""The shipped ONNX detector is the export of the shipped PyTorch checkpoint, and exporting
keeps the network's outputs (onnxruntime vs PyTorch, within float tolerance).

Needs the ``[train]`` extra (torch); ``packaging/setup.sh test`` installs it.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="the [train] extra (torch) is not installed")

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from gui_agent.perception.models import REPO_MODELS_DIR, ModelRegistry, sha256_of  # noqa: E402
from gui_agent.training import synth  # noqa: E402
from gui_agent.training.build import agrees, compare  # noqa: E402
from gui_agent.training.model import UIDetector  # noqa: E402
from gui_agent.training.train import export_onnx, load_checkpoint  # noqa: E402


def _assert_close(diff: dict[str, float]) -> None:
    assert agrees(diff), diff


def test_shipped_onnx_is_the_export_of_the_shipped_checkpoint() -> None:
    registry = ModelRegistry()
    onnx_path = registry.path("ui_elements")  # hash-checked against the manifest
    record = registry.entries["ui_elements"].record
    ckpt = REPO_MODELS_DIR / record["training"]["checkpoint"]
    assert sha256_of(ckpt) == record["training"]["checkpoint_sha256"]
    model, classes = load_checkpoint(ckpt)
    assert tuple(classes) == tuple(record["classes"]) == synth.CLASSES
    screen = synth.render_screen(4242, split="heldout")
    bgr = np.ascontiguousarray(screen.image[:, :, ::-1])
    diff = compare(model, onnx_path, tuple(classes), bgr)
    _assert_close(diff)
    # and the exported network is a trained one: it finds most labelled widgets there
    from gui_agent.perception.detector import ElementDetector

    det = ElementDetector(path=onnx_path, classes=tuple(classes), stride=4)
    found = det.detect(bgr)
    assert len(found) >= 0.5 * len(screen.boxes)


def test_a_fresh_export_matches_pytorch_at_odd_sizes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    torch.manual_seed(3)
    model = UIDetector(len(synth.CLASSES), context=2).eval()  # long kernels exported too
    # non-default BN statistics, so the test covers folded batch norm too
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 1.5)
    path = tmp_path / "fresh.onnx"
    export_onnx(model, path)
    rng = np.random.default_rng(0)
    for h, w in ((301, 517), (64, 1000)):
        img = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
        _assert_close(compare(model, path, synth.CLASSES, img))
