"""Synthetic Qt training screens: determinism, box sanity, split separation, files on disk,
and the package's mixes (which renderer draws which screen; negatives have no boxes).

Qt runs only in child processes: synth starts its own offscreen QApplication, while this pytest
process may need an xcb one (pytest-qt) for other tests. Importing synth itself starts no Qt.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from gui_agent.training import synth
from gui_agent.training.synth import negatives, qt_style
from gui_agent.training.synth.recipe import MIXES, renderer_for

REPO = Path(__file__).resolve().parents[1]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("QT_QPA_PLATFORM_PLUGIN_PATH", None)
    return env


def run_python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def make_set(out: Path, count: int, seed: int, split: str = "train", workers: int = 2) -> Path:
    cmd = [sys.executable, "-m", "gui_agent.training.synth", "--out", str(out)]
    cmd += ["--count", str(count), "--seed", str(seed), "--split", split]
    cmd += ["--workers", str(workers)]
    done = subprocess.run(cmd, cwd=REPO, env=_env(), capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def train_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_set(tmp_path_factory.mktemp("synth") / "train", 30, seed=11)


@pytest.fixture(scope="module")
def heldout_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_set(tmp_path_factory.mktemp("synth") / "heldout", 24, seed=11, split="heldout")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


RENDER_7 = """
import hashlib
from gui_agent.training.synth import render_screen

def key(screen):
    h = hashlib.sha256(screen.image.tobytes())
    h.update(repr([b.as_list() for b in screen.boxes]).encode())
    shape = "x".join(map(str, screen.image.shape))
    return f"{shape}:{screen.image.dtype}:{h.hexdigest()}"

print(key(render_screen(7)))
{extra}
"""


def test_render_screen_is_deterministic_in_and_across_processes() -> None:
    first = run_python(
        RENDER_7.replace(
            "{extra}",
            "render_screen(8, 'heldout'); render_screen(9)\nprint(key(render_screen(7)))",
        )
    ).splitlines()
    other = run_python(RENDER_7.replace("{extra}", "")).splitlines()
    assert len(first) == 2 and len(other) == 1
    assert first[0] == first[1] == other[0]
    shape, dtype, _ = first[0].split(":")
    assert shape.endswith("x3") and dtype == "uint8"


def test_output_does_not_depend_on_workers(tmp_path: Path) -> None:
    one = make_set(tmp_path / "one", 4, seed=3, workers=1)
    two = make_set(tmp_path / "two", 4, seed=3, workers=2)
    assert (one / "labels.jsonl").read_bytes() == (two / "labels.jsonl").read_bytes()
    for i in range(4):
        name = f"images/{i:06d}.png"
        assert digest((one / name).read_bytes()) == digest((two / name).read_bytes())


def test_generate_round_trip(train_set: Path) -> None:
    info = json.loads((train_set / "info.json").read_text())
    assert info == {
        "split": "train",
        "seed": 11,
        "count": 30,
        "mix": "qt",
        "classes": list(synth.CLASSES),
        "generator_version": synth.GENERATOR_VERSION,
    }
    rows = synth.load_labels(train_set)
    assert [r["image"] for r in rows] == [f"images/{i:06d}.png" for i in range(30)]
    for i, row in enumerate(rows):
        assert row["meta"]["split"] == "train"
        assert row["meta"]["seed"] == synth.screen_seed(11, i)
        with Image.open(train_set / row["image"]) as im:
            assert im.size == (row["width"], row["height"])
            assert im.mode == "RGB"


def test_boxes_are_valid_and_every_class_appears(train_set: Path) -> None:
    seen: set[str] = set()
    for row in synth.load_labels(train_set):
        w, h = row["width"], row["height"]
        assert 0 < w <= 1920 and 0 < h <= 1400
        assert row["boxes"], row["image"]
        for cls, x0, y0, x1, y1, widget in row["boxes"]:
            assert cls in synth.CLASSES and widget
            assert 0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h
            assert x1 - x0 >= 4 and y1 - y0 >= 4
            seen.add(cls)
    assert seen == set(synth.CLASSES)


def test_something_is_drawn_inside_every_box(train_set: Path, heldout_set: Path) -> None:
    for folder in (train_set, heldout_set):
        for row in synth.load_labels(folder):
            with Image.open(folder / row["image"]) as im:
                pixels = np.asarray(im.convert("RGB"))
            for cls, x0, y0, x1, y1, _widget in row["boxes"]:
                crop = pixels[y0:y1, x0:x1].reshape(-1, 3)
                assert len(np.unique(crop, axis=0)) > 1, (row["image"], cls, x0, y0, x1, y1)


def heldout_only(meta: dict[str, Any]) -> set[str]:
    """The heldout-only things a screen's meta mentions."""
    found = {
        f"{key}={meta[key]}"
        for key in ("theme", "layout", "icons")
        if meta[key] in qt_style.HELDOUT_ONLY[key]
    }
    found |= {f"impl={i}" for i in meta["impls"] if i in qt_style.HELDOUT_ONLY["impls"]}
    return found


# Qt classes (as the labels name them) that only held-out screens may contain; the switch
# looks are all one class (_Switch) in a label, so only the meta can tell them apart
HELDOUT_WIDGETS = {i for i in qt_style.HELDOUT_ONLY["impls"] if not i.startswith("switch.")}


def test_heldout_is_disjoint_from_train(train_set: Path, heldout_set: Path) -> None:
    for row in synth.load_labels(train_set):
        meta = row["meta"]
        assert heldout_only(meta) == set(), meta
        # the labels themselves agree: no labelled widget is a held-out implementation
        assert not {b[5] for b in row["boxes"]} & HELDOUT_WIDGETS, row["image"]
        assert meta["theme"] in qt_style.TRAIN_THEMES and meta["layout"] in qt_style.TRAIN_LAYOUTS
        if meta["accent_hue"] is not None:
            assert qt_style.TRAIN_HUES[0] <= meta["accent_hue"] < qt_style.TRAIN_HUES[1]
    impls: set[str] = set()
    widgets: set[str] = set()
    for row in synth.load_labels(heldout_set):
        meta = row["meta"]
        assert meta["theme"] in qt_style.HELDOUT_ONLY["theme"]
        assert meta["layout"] in qt_style.HELDOUT_ONLY["layout"]
        assert meta["icons"] == "heldout"
        if meta["accent_hue"] is not None:
            assert qt_style.HELDOUT_HUES[0] <= meta["accent_hue"] < qt_style.HELDOUT_HUES[1]
        impls |= set(meta["impls"])
        widgets |= {b[5] for b in row["boxes"]}
    assert len(impls & qt_style.HELDOUT_ONLY["impls"]) >= 4
    assert len(widgets & HELDOUT_WIDGETS) >= 3


def test_icon_sets_are_disjoint() -> None:
    train, held = qt_style._svg_names("train"), qt_style._svg_names("heldout")
    assert len(train) >= 8 and len(held) >= 8 and not set(train) & set(held)
    assert not set(qt_style._SP_TRAIN) & set(qt_style._SP_HELDOUT)


def test_bad_input_is_refused_before_qt_starts(tmp_path: Path) -> None:
    app_before = qt_style._Qt.app  # another test may have rendered in this process already
    with pytest.raises(ValueError, match="unknown split 'test'"):
        synth.render_screen(1, "test")
    with pytest.raises(ValueError, match="unknown split"):
        synth.generate(tmp_path / "x", 1, 0, split="validation")
    with pytest.raises(ValueError, match="count must be >= 0"):
        synth.generate(tmp_path / "y", -1, 0)
    with pytest.raises(ValueError, match="workers must be >= 1"):
        synth.generate(tmp_path / "z", 1, 0, workers=0)
    with pytest.raises(SystemExit):
        synth.main(["--out", str(tmp_path / "w"), "--count", "-2", "--seed", "0"])
    with pytest.raises(SystemExit):
        synth.main(["--out", str(tmp_path / "w"), "--count", "2", "--seed", "0", "--split", "x"])
    assert qt_style._Qt.app is app_before  # nothing above started Qt
    assert not (tmp_path / "x").exists() and not (tmp_path / "y").exists()


TOOLBARS = """
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QPushButton, QWidgetAction
from gui_agent.training.synth import qt_style, qt_widgets

qt_style._ensure_app()
for split in ("train", "heldout"):
    text_bars = 0
    for seed in range(40):
        b = qt_widgets._Builder(seed, split)
        win = QMainWindow()
        bar = b.toolbar(win, Qt.ToolBarArea.TopToolBarArea)
        flat = [w for w in bar.findChildren(QPushButton) if w.isFlat()]
        marked = {id(w): cls for cls, w, _ in b.marks}
        plain = [a for a in bar.actions() if not (a.isSeparator() or isinstance(a, QWidgetAction))]
        if not plain and len(flat) >= 3:
            text_bars += 1
            assert all(marked.get(id(w)) == "button" and w.text() for w in flat)
    print(split, text_bars)
"""


def test_text_toolbars_are_taught_as_buttons_in_train_only() -> None:
    """Rows of frameless icon-and-text buttons: without them in training the only such rows
    are tab bars, and a held-out text toolbar reads as tabs. The held-out split keeps its own
    look (QToolButton with text), which training never draws."""
    counts = dict(line.split() for line in run_python(TOOLBARS).splitlines())
    assert int(counts["train"]) >= 5
    assert int(counts["heldout"]) == 0


WIDE = """
import random
from PySide6.QtGui import QPalette
from gui_agent.training.synth import qt_style
from gui_agent.training.synth.qt_style import _theme

qt_style._ensure_app()
qt_style._palette = lambda *colours: QPalette()  # 1,200 full palettes trip a PySide refcount bug

for name in ("custom_light", "custom_dark", "custom_light_alt", "custom_dark_alt"):
    sats, flat = [], 0
    for i in range(300):
        t = _theme(name, random.Random(i))
        sats.append(t.window.saturationF())
        flat += t.base == t.window
    print(name, round(max(sats), 3), flat)
"""


def test_train_palettes_go_beyond_grey_but_not_into_heldout_ranges() -> None:
    """Train-only tinted windows and fields in the window's colour teach the indicator and
    the frame as the cue; the held-out ``saturated`` family starts at 0.55 saturation, and
    the held-out custom palettes keep their near-grey windows."""
    lines = run_python(WIDE).splitlines()
    rows = {name: (float(s), int(f)) for name, s, f in map(str.split, lines)}
    assert 0.3 < rows["custom_light"][0] < 0.55
    assert 0.2 < rows["custom_dark"][0] < 0.55
    assert rows["custom_light"][1] >= 10 and rows["custom_dark"][1] >= 10
    assert rows["custom_light_alt"][0] <= 0.2 and rows["custom_dark_alt"][0] <= 0.2
    assert rows["custom_light_alt"][1] == 0 and rows["custom_dark_alt"][1] == 0


PLAIN = """
from PySide6.QtWidgets import QPushButton
from gui_agent.training.synth import qt

styles, sheets, buttons = set(), set(), 0
for seed in range(12):
    s = qt.render_screen(seed, "train", plain=True)
    styles.add(s.meta["style"])
    sheets.add(s.meta["stylesheet"])
    buttons += sum(b.widget == "QPushButton" for b in s.boxes)
    assert s.meta["theme"] == s.meta["style"] + "_light", s.meta
print(sorted(styles), sorted(sheets), buttons)
"""


def test_plain_qt_uses_each_styles_own_palette_and_no_stylesheet() -> None:
    """Plain Fusion and Windows with default palettes: how most Qt apps look, and where a
    plain QPushButton was read as a field."""
    styles, sheets, buttons = run_python(PLAIN).strip().split("] ")
    assert styles == "['fusion', 'windows'" and sheets == "['none'"
    assert int(buttons) >= 10


def test_mixes_draw_each_renderer_in_proportion() -> None:
    counts: dict[str, int] = {}
    for i in range(4000):
        r = renderer_for("mixed", synth.screen_seed(0, i))
        counts[r] = counts.get(r, 0) + 1
    weights = MIXES["mixed"]
    for name, w in weights.items():
        assert abs(counts[name] / 4000 - w / sum(weights.values())) < 0.03, (name, counts)
    assert {renderer_for("qt", s) for s in range(100)} == {"qt"}


def test_negatives_are_deterministic_and_have_no_boxes() -> None:
    for seed in range(6):
        a, b = negatives.render_screen(seed), negatives.render_screen(seed)
        assert a.boxes == [] and np.array_equal(a.image, b.image)
        assert a.image.dtype == np.uint8 and a.image.shape[2] == 3
        assert a.image.std() > 3  # a picture, not a flat colour
    kinds = {negatives.render_screen(s).meta["kind"] for s in range(40)}
    assert kinds == set(negatives.KINDS)


def test_a_negative_set_records_its_renderer_and_no_boxes(tmp_path: Path) -> None:
    """Through the command line (Chromium and Tk sets have their own test files)."""
    done = subprocess.run(
        [sys.executable, "-m", "gui_agent.training.synth", "--out", str(tmp_path / "neg"),
         "--count", "3", "--seed", "1", "--mix", "negative", "--workers", "1"],
        cwd=REPO, env=_env(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "neg" / "info.json").read_text())["mix"] == "negative"
    rows = synth.load_labels(tmp_path / "neg")
    assert [r["meta"]["renderer"] for r in rows] == ["negative"] * 3
    assert all(r["boxes"] == [] for r in rows)
