"""The command line as a user runs it: real subprocesses, real displays, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import cv2

from gui_agent.headless.xvfb import Xvfb
from tests.apps.launcher import LaunchedApp
from tests.conftest import Start


def run(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gui_agent.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env if env is not None else dict(os.environ),
    )


def test_doctor_passes_on_a_display(xvfb: Xvfb) -> None:
    env = xvfb.env()
    out = run("doctor", env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    for word in (
        "display",
        "1920x1080",
        "onnxruntime",
        "model ocr_det",
        "matches",
        "XTEST",
        "ready",
    ):
        assert word in out.stdout
    if xvfb.bus is not None:  # the display's own bus: the tree can be read
        line = next(x for x in out.stdout.splitlines() if " accessibility " in x)
        assert line.startswith("ok") and "AT-SPI bus found" in line, line
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    alone = run("doctor", env=env)
    assert alone.returncode == 0 and "no D-Bus session bus" in alone.stdout, alone.stdout
    off = run("doctor", env=env | {"GUI_AGENT_ACCESSIBILITY": "off"})
    assert "switched off" in off.stdout


def test_doctor_without_display_fails_with_a_fix() -> None:
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    out = run("doctor", env=env)
    assert out.returncode == 1
    assert "FAIL  display" in out.stdout
    assert "fix: " in out.stdout and "--xvfb" in out.stdout
    assert "not ready" in out.stdout


def test_doctor_reports_a_corrupt_model(tmp_path: Path, xvfb: Xvfb) -> None:
    manifest = json.loads(Path("models/manifest.json").read_text())
    manifest["models"][0]["sha256"] = "0" * 64
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    env = xvfb.env() | {"GUI_AGENT_MODELS_DIR": str(tmp_path)}
    out = run("doctor", env=env)
    assert out.returncode == 1
    assert "sha256 mismatch" in out.stdout and "fix: pip install --force-reinstall" in out.stdout


def test_perceive_screen_prints_table_json_and_png(
    start: Start, xvfb: Xvfb, tmp_path: Path
) -> None:
    app: LaunchedApp = start("form_app")
    png = tmp_path / "seen.png"
    out = run("perceive", "--png", str(png), "--find", "the Save button", env=xvfb.env())
    assert out.returncode == 0, out.stderr
    assert "button" in out.stdout and "Save" in out.stdout and "elements in" in out.stdout
    assert "'the Save button'" in out.stdout and "button 'Save'" in out.stdout
    drawn = cv2.imread(str(png))
    assert drawn is not None and drawn.shape == (1080, 1920, 3)

    out = run("perceive", "--json", "--region", "800,700,500,100", env=xvfb.env())
    data = json.loads(out.stdout)
    assert data["frame_box"] == [800, 700, 500, 100]
    save = [e for e in data["elements"] if e["text"] == "Save"]
    x, y, w, h = save[0]["box"]
    bx, by, bw, bh = app.widget("btn_save")["box"]
    assert bx <= x + w / 2 <= bx + bw and by <= y + h / 2 <= by + bh


def test_perceive_an_image_file_and_bad_files(tmp_path: Path) -> None:
    img = tmp_path / "x.png"
    canvas = cv2.cvtColor(cv2.UMat(60, 300, cv2.CV_8UC1).get() * 0 + 255, cv2.COLOR_GRAY2BGR)
    cv2.putText(canvas, "Upload", (10, 42), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (0, 0, 0), 2)
    cv2.imwrite(str(img), canvas)
    out = run(
        "perceive", "--image", str(img), env={k: v for k, v in os.environ.items() if k != "DISPLAY"}
    )
    assert out.returncode == 0 and "Upload" in out.stdout

    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not a png")
    out = run("perceive", "--image", str(bad))
    assert out.returncode == 2 and "cannot read image" in out.stderr

    out = run("perceive", env={k: v for k, v in os.environ.items() if k != "DISPLAY"})
    assert out.returncode == 2 and "no X display" in out.stderr


def test_demo_runs_on_its_own_virtual_display(tmp_path: Path) -> None:
    """The README's main command: a private Xvfb, the sample form, perception, locate."""
    png = tmp_path / "demo.png"
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    out = run("demo", "--png", str(png), env=env, timeout=180)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "perceived" in out.stdout and "full perception" in out.stdout
    assert "'the Save button'                -> " in out.stdout and "button 'Save'" in out.stdout
    assert "not found" not in out.stdout
    assert png.exists()
