"""Bad input gets a clear error naming the cause: model files, frames, displays."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from gui_agent.errors import DisplayUnavailable, FrameError, ModelError
from gui_agent.perception.models import REPO_MODELS_DIR, ModelRegistry
from gui_agent.perception.ocr import OcrEngine
from gui_agent.perception.perceiver import Perceiver
from gui_agent.screen.capture import ScreenCapture


def local_models(tmp_path: Path) -> Path:
    """A models folder holding copies of every model (the wheel's OCR models too) as local files."""
    registry = ModelRegistry()
    manifest = json.loads((REPO_MODELS_DIR / "manifest.json").read_text())
    for entry in manifest["models"]:
        src = registry.path(entry["name"])
        shutil.copy(src, tmp_path / src.name)
        entry["file"] = src.name
        entry.pop("package", None)
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    return tmp_path


def test_manifest_hashes_match_the_installed_models() -> None:
    statuses = ModelRegistry().check_all()
    assert statuses and all(s.ok for s in statuses), [s.problem for s in statuses]


def test_local_model_copies_load_and_read(tmp_path: Path) -> None:
    engine = OcrEngine(registry=ModelRegistry(local_models(tmp_path)))
    img = np.full((60, 300, 3), 255, np.uint8)
    import cv2

    cv2.putText(img, "Export", (10, 42), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (0, 0, 0), 2)
    assert [line.text for line in engine.read(img)] == ["Export"]


def test_missing_model_file(tmp_path: Path) -> None:
    models = local_models(tmp_path)
    (models / "ch_PP-OCRv4_rec_infer.onnx").unlink()
    with pytest.raises(ModelError, match=r"model file missing.*ch_PP-OCRv4_rec_infer\.onnx"):
        OcrEngine(registry=ModelRegistry(models))


def test_corrupt_model_file_is_refused_by_hash(tmp_path: Path) -> None:
    models = local_models(tmp_path)
    path = models / "ch_PP-OCRv4_det_infer.onnx"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="sha256 mismatch") as err:
        OcrEngine(registry=ModelRegistry(models))
    assert "Fix:" in str(err.value)


def test_truncated_model_with_matching_hash_still_fails_clearly(tmp_path: Path) -> None:
    """If someone also edits the manifest, onnxruntime's refusal is still a ModelError."""
    models = local_models(tmp_path)
    path = models / "ch_PP-OCRv4_det_infer.onnx"
    path.write_bytes(path.read_bytes()[:5000])
    manifest = json.loads((models / "manifest.json").read_text())
    import hashlib

    for entry in manifest["models"]:
        if entry["name"] == "ocr_det":
            entry["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (models / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="onnxruntime cannot load"):
        OcrEngine(registry=ModelRegistry(models))


def test_missing_or_broken_manifest(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="manifest not found"):
        ModelRegistry(tmp_path)
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(ModelError, match="not valid"):
        ModelRegistry(tmp_path)


@pytest.mark.parametrize(
    ("pixels", "message"),
    [
        (np.zeros((0, 0, 3), np.uint8), "empty"),
        (np.zeros((10, 10, 5), np.uint8), "channel"),
        (np.zeros((4, 4, 4, 3), np.uint8), "dimension"),
        ("not an image", "numpy.ndarray"),
        (np.zeros((10, 10, 3), np.int64), "dtype"),
    ],
)
def test_bad_frames_are_rejected_before_inference(
    ocr_engine: OcrEngine, pixels: object, message: str
) -> None:
    with pytest.raises(FrameError, match=message):
        Perceiver(ocr_engine).perceive(pixels)  # type: ignore[arg-type]


def test_blank_frame_has_no_elements(ocr_engine: OcrEngine) -> None:
    state = Perceiver(ocr_engine).perceive(np.full((300, 400, 3), 240, np.uint8))
    assert state.elements == []


def test_no_display_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    with pytest.raises(DisplayUnavailable, match="DISPLAY"):
        ScreenCapture().grab()
