"""Export a small crop classifier to ONNX and score it back through onnxruntime, as the
runtime will (``gui_agent.perception.classifier``): the icon namer and the check-box
verifier are trained, exported and calibrated the same way."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from gui_agent.perception.classifier import OnnxClassifier


def export_classifier(
    model: torch.nn.Module, path: Path, input_shape: tuple[int, ...], opset: int
) -> None:
    """ONNX with a dynamic batch: ``crop`` (N x ``input_shape[1:]``) in, ``logits`` out."""
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(
        model,
        (torch.zeros(*input_shape),),
        str(path),
        input_names=["crop"],
        output_names=["logits"],
        dynamic_axes={"crop": {0: "n"}, "logits": {0: "n"}},
        opset_version=opset,
        dynamo=False,
    )


def onnx_probabilities(path: Path, x: np.ndarray, batch: int, threads: int) -> np.ndarray:
    """Class probabilities of the model inputs ``x`` from the exported file."""
    return OnnxClassifier(path.stem, path, threads).probabilities(x, batch)
