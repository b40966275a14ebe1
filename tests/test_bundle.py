"""The desktop bundle (PyInstaller, one folder) starts with no Python on the machine: the app
paints its window, ``doctor`` passes and the demo fills the sample form.

Building it takes minutes, so this is not in the default suite: ``pytest -m bundle``
(``GUI_AGENT_BUNDLE=dist/bundle/gui-agent`` tests an existing build instead of building one).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from gui_agent.headless.xvfb import Xvfb

pytestmark = pytest.mark.bundle
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("GUI_AGENT_BUNDLE")
    if given:
        return Path(given)
    out = tmp_path_factory.mktemp("bundle")
    run = subprocess.run(["bash", str(REPO / "packaging" / "build.sh"), str(out)],
                         capture_output=True, text=True, timeout=3000)  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return out / "gui-agent"


def _env(xvfb: Xvfb | None = None) -> dict[str, str]:
    """No Python of ours: no virtual environment on PATH, no PYTHONPATH."""
    env = dict(xvfb.env() if xvfb is not None else os.environ)
    env.pop("PYTHONPATH", None)
    env.pop("VIRTUAL_ENV", None)
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if ".venv" not in p)  # fmt: skip
    return env


def test_the_bundle_holds_its_own_python_and_our_files(bundle: Path) -> None:
    exe = bundle / "gui-agent"
    assert exe.is_file() and os.access(exe, os.X_OK)
    files = {p.name for p in bundle.rglob("*")}
    assert {"manifest.json", "ui_elements.onnx", "risk_policy.toml", "gui-agent.svg",
            "gui-agent.desktop", "install-desktop-entry.sh"} <= files  # fmt: skip
    assert not any(n.startswith("libtorch") for n in files)


def test_the_bundle_paints_the_app_and_passes_doctor(bundle: Path, xvfb: Xvfb,
                                                     tmp_path: Path) -> None:  # fmt: skip
    env = _env(xvfb) | {"GUI_AGENT_CONFIG_DIR": str(tmp_path)}
    app = subprocess.run([str(bundle / "gui-agent"), "app", "--quit-after-paint"], env=env,
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert app.returncode == 0 and "first-paint" in app.stdout, app.stdout + app.stderr
    doctor = subprocess.run([str(bundle / "gui-agent"), "doctor"], env=env, capture_output=True,
                            text=True, timeout=180, cwd=tmp_path)  # fmt: skip
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert str(bundle) in doctor.stdout  # its models are the bundle's own


def test_the_bundle_runs_the_demo(bundle: Path, tmp_path: Path) -> None:
    if shutil.which("Xvfb") is None:
        pytest.skip("the demo starts its own Xvfb")
    demo = subprocess.run([str(bundle / "gui-agent"), "demo", "--out", str(tmp_path / "d")],
                          env=_env(), capture_output=True, text=True, timeout=300,
                          cwd=tmp_path)  # fmt: skip
    assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]
    state = json.loads((tmp_path / "d" / "sample-form.json").read_text())
    assert state["fields"]["name"] == "Ada Lovelace" and state["saved_count"] == 1
