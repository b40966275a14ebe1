"""A small ONNX classifier on the CPU: what the icon namer and the check-box verifier share.

Both load a manifest-checked file into one onnxruntime session with few threads (they run
beside OCR and the detector), and turn batches of crops into class probabilities; the
session runs one call at a time, so one instance may be shared between threads.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np
import onnxruntime as ort

from gui_agent.errors import ModelError


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise probabilities of an N x classes array of logits."""
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True), np.float32)


class OnnxClassifier:
    """One session of model ``name`` at ``path``; a file onnxruntime cannot load is one
    ``ModelError`` line naming the model."""

    def __init__(self, name: str, path: Path, threads: int | None = None) -> None:
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or max(1, min(2, os.cpu_count() or 1))
        opts.inter_op_num_threads = 1
        try:
            self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own exception types
            raise ModelError(f"model '{name}' at {path} could not be loaded: {exc}") from exc
        self.input = self.session.get_inputs()[0].name
        self._lock = threading.Lock()

    def probabilities(self, x: np.ndarray, batch: int) -> np.ndarray:
        """Class probabilities of the model inputs ``x``, ``batch`` rows per call (a bound
        on the input tensor, not on the answer)."""
        parts = []
        with self._lock:
            for i in range(0, len(x), batch):
                (logits,) = self.session.run(None, {self.input: x[i : i + batch]})
                parts.append(softmax(np.asarray(logits, np.float32)))
        return np.concatenate(parts)
