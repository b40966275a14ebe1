"""The model manifest: which ONNX files we load, where they live, and their sha256.

Nothing is downloaded at run time; a model comes either from our own ``models/`` folder or
from inside an installed PyPI wheel. A file whose hash does not match the manifest is refused
before onnxruntime ever sees it, so a truncated or swapped file cannot produce silent garbage.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from gui_agent.errors import ModelError

# The checkout's models/ folder: where training writes a new model. At run time models are
# found as package data (``gui_agent.data``), which is this folder in a checkout.
REPO_MODELS_DIR = Path(__file__).resolve().parents[2] / "models"


def default_models_dir() -> Path:
    """``GUI_AGENT_MODELS_DIR`` when set, else the models shipped in the package."""
    override = os.environ.get("GUI_AGENT_MODELS_DIR")
    if override:
        return Path(override)
    from gui_agent.data import data_path

    return data_path("models")


@dataclass(frozen=True, slots=True)
class ModelEntry:
    name: str
    file: str
    sha256: str
    required: bool = True
    package: str | None = None
    source: str = ""
    license: str = ""
    # the whole manifest record: models of our own carry their classes, input and training
    # recipe there, and the runtime reads them from the same place the hash is checked
    record: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def location(self, models_dir: Path) -> Path:
        """Where the file should be: inside the named package, or in ``models_dir``."""
        if self.package is None:
            return models_dir / self.file
        spec = importlib.util.find_spec(self.package)
        if spec is None or spec.origin is None:
            raise ModelError(
                f"model '{self.name}' lives in the Python package '{self.package}', which is "
                f"not installed. Fix: pip install -e . (it is a dependency of gui-agent)"
            )
        return Path(spec.origin).parent / self.file


@dataclass(frozen=True, slots=True)
class ModelStatus:
    entry: ModelEntry
    path: Path
    ok: bool
    problem: str = ""
    actual_sha256: str = ""


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@lru_cache(maxsize=64)
def _cached_hash(path: str, size: int, mtime_ns: int) -> str:
    # Keyed by size and mtime so an edited file is hashed again, an untouched one only once.
    return sha256_of(Path(path))


class ModelRegistry:
    """Reads ``manifest.json`` and hands out verified model paths."""

    def __init__(self, models_dir: Path | None = None) -> None:
        self.models_dir = models_dir or default_models_dir()
        manifest = self.models_dir / "manifest.json"
        try:
            data: dict[str, Any] = json.loads(manifest.read_text())
            self.entries = {
                m["name"]: ModelEntry(
                    name=m["name"],
                    file=m["file"],
                    sha256=m["sha256"].lower(),
                    required=bool(m.get("required", True)),
                    package=m.get("package"),
                    source=m.get("source", ""),
                    license=m.get("license", ""),
                    record=dict(m),
                )
                for m in data["models"]
            }
        except FileNotFoundError as exc:
            raise ModelError(
                f"model manifest not found at {manifest}. Fix: reinstall gui-agent (its models "
                "ship inside the package), or set GUI_AGENT_MODELS_DIR to a models/ folder"
            ) from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"model manifest {manifest} is not valid: {exc}") from exc

    def check(self, name: str) -> ModelStatus:
        entry = self.entries.get(name)
        if entry is None:
            raise ModelError(f"no model named '{name}' in {self.models_dir / 'manifest.json'}")
        try:
            path = entry.location(self.models_dir)
        except ModelError as exc:
            return ModelStatus(entry, Path(entry.file), False, str(exc))
        if not path.is_file():
            return ModelStatus(entry, path, False, f"model file missing: {path}")
        st = path.stat()
        actual = _cached_hash(str(path), st.st_size, st.st_mtime_ns)
        if actual != entry.sha256:
            return ModelStatus(
                entry,
                path,
                False,
                f"sha256 mismatch for {path}: expected {entry.sha256[:16]}…, "
                f"got {actual[:16]}… (corrupt or replaced file)",
                actual,
            )
        return ModelStatus(entry, path, True, "", actual)

    def check_all(self) -> list[ModelStatus]:
        return [self.check(name) for name in self.entries]

    def path(self, name: str) -> Path:
        """The verified path of model ``name``; ``ModelError`` naming the cause otherwise."""
        status = self.check(name)
        if not status.ok:
            fix = (
                "reinstall it: pip install --force-reinstall "
                f"{status.entry.package.replace('_', '-')}"
                if status.entry.package
                else "restore it from the repository: git checkout -- models/"
            )
            raise ModelError(f"model '{name}': {status.problem}. Fix: {fix}")
        return status.path
