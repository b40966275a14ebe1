"""The check-box/radio verifier (models/choice_check.onnx) through its runtime, onnxruntime only.

Crops come from real renders, made in a child process (``tests.synthetic_screens`` for Qt;
headless Chromium for a favicon page): this pytest process may run its own QApplication on
Xvfb for other tests. The screens are seeds no training run used (training data sets draw
63-bit hashed seeds), and the favicon page is in the held-out CSS family (Material-like).
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from gui_agent.geometry import Rect
from gui_agent.perception import choice_check as cc
from gui_agent.perception.detector import ElementDetector, by_choice_check
from gui_agent.perception.models import REPO_MODELS_DIR, ModelRegistry
from gui_agent.perception.ocr import OcrEngine
from gui_agent.perception.state import Element, ElementKind
from tests.synthetic_screens import render_synthetic

REPO = Path(__file__).resolve().parents[1]

CHOICES = ("checkbox", "radio")


@pytest.fixture(scope="module")
def check() -> cc.ChoiceCheck:
    return cc.ChoiceCheck()


@pytest.fixture(scope="module")
def qt_choices(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[np.ndarray, str, Rect]]:
    """Real Qt check boxes and radios: (screen, class, box) from a few synthetic screens."""
    out = []
    for img, boxes in render_synthetic(tmp_path_factory.mktemp("qt"), range(900, 906), "train"):
        for cls, x0, y0, x1, y1, _w in boxes:
            if cls in CHOICES:
                out.append((img, cls, Rect.from_ltrb(x0, y0, x1, y1)))
    assert len(out) >= 8, "the seeds drew too few check boxes and radios"
    return out


@pytest.fixture(scope="module")
def favicon_page(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[np.ndarray, list[tuple[str, Rect]]]:
    """A browser tab strip with favicons beside text (held-out CSS family), from Chromium."""
    tmp = tmp_path_factory.mktemp("favicon")
    code = (
        "import json\n"
        "from PIL import Image\n"
        "from gui_agent.training.synth import html\n"
        "with html.Page() as page:\n"
        "    s = html.render_screen(6, 'heldout', page, favicon=True)\n"
        f"Image.fromarray(s.image).save('{tmp}/page.png')\n"
        f"json.dump([b.as_list() for b in s.boxes], open('{tmp}/page.json', 'w'))\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
    img = cv2.imread(str(tmp / "page.png"), cv2.IMREAD_COLOR)
    boxes = json.loads((tmp / "page.json").read_text())
    return img, [(b[0], Rect.from_ltrb(b[1], b[2], b[3], b[4])) for b in boxes]


def test_real_check_boxes_and_radios_are_kept(
    check: cc.ChoiceCheck, qt_choices: list[tuple[np.ndarray, str, Rect]]
) -> None:
    probs = np.concatenate([check.check(img, [box]) for img, _, box in qt_choices])
    kept = check.keep(probs)
    assert kept.mean() >= 0.9, f"kept {kept.sum()} of {len(kept)} real check boxes and radios"
    right = [
        cc.CLASSES[int(p[:2].argmax())] == cls
        for p, (_, cls, _) in zip(probs, qt_choices, strict=True)
    ]
    assert np.mean(right) >= 0.85


def test_favicons_beside_text_are_rejected(
    check: cc.ChoiceCheck, favicon_page: tuple[np.ndarray, list[tuple[str, Rect]]]
) -> None:
    img, boxes = favicon_page
    # each favicon seen the way the detector misreads it: a "check box" whose indicator is
    # the favicon and whose label is the text beside it
    fakes = [
        Rect(b.x, b.y - 3, 6 * b.h, b.h + 6)
        for cls, b in boxes
        if cls == "icon" and 10 <= b.h <= 40
    ]
    assert len(fakes) >= 5
    kept = check.keep(check.check(img, fakes))
    assert kept.mean() <= 0.2, f"{kept.sum()} of {len(fakes)} favicons kept as check boxes"


def test_the_detector_drops_what_the_verifier_rejects(
    check: cc.ChoiceCheck, favicon_page: tuple[np.ndarray, list[tuple[str, Rect]]]
) -> None:
    img, boxes = favicon_page
    det = ElementDetector(threads=1, choice_check=check)
    truth = [b for cls, b in boxes if cls in CHOICES]
    found = det.detect(img)
    fake = [d for d in found if d.cls in CHOICES and not any(d.box.iou(t) >= 0.5 for t in truth)]
    assert len(fake) <= 1, fake
    # and it only ever removes check boxes and radios
    det.choice_check = None
    plain = det.detect(img)
    assert [d for d in plain if d.cls not in CHOICES] == [d for d in found if d.cls not in CHOICES]
    assert by_choice_check(img, plain, None) == plain


def _perceived_choices(img: np.ndarray, verify: bool) -> list[Element]:
    import gui_agent.perception.perceiver as perceiver

    real = perceiver.verify_choices
    try:
        if not verify:  # the fusion as it was: the verifier inside the detector only
            perceiver.verify_choices = lambda elements, *_: elements
        state = perceiver.Perceiver(OcrEngine()).perceive(img)
    finally:
        perceiver.verify_choices = real
    return [e for e in state.elements if e.kind in (ElementKind.CHECKBOX, ElementKind.RADIO)]


def _on_truth(e: Element, truth: list[tuple[str, Rect]]) -> bool:
    return any(cls == e.kind.value and b.contains_point(e.box.center) for cls, b in truth)


def test_perception_reports_no_favicon_as_a_check_box(
    favicon_page: tuple[np.ndarray, list[tuple[str, Rect]]],
) -> None:
    """The whole of perception (OCR, shapes, detector, fusion), not just the detector: the
    geometric pass makes a check box of any small square or circle with a word beside it,
    and only a verdict on every fused check box stops that."""
    img, boxes = favicon_page
    truth = [(cls, b) for cls, b in boxes if cls in CHOICES]
    before = _perceived_choices(img, verify=False)
    after = _perceived_choices(img, verify=True)
    fake_before = [e for e in before if not _on_truth(e, truth)]
    fake_after = [e for e in after if not _on_truth(e, truth)]
    assert len(fake_before) >= 3, fake_before  # what this test is about: it did happen
    assert len(fake_after) <= 1, fake_after
    # what is real stays: every real choice perceived before is perceived after
    assert sum(_on_truth(e, truth) for e in after) >= sum(_on_truth(e, truth) for e in before)


def test_verdicts_keep_real_qt_check_boxes_in_perception(
    qt_choices: list[tuple[np.ndarray, str, Rect]],
) -> None:
    screens: dict[int, tuple[np.ndarray, list[tuple[str, Rect]]]] = {}
    for img, cls, box in qt_choices:
        screens.setdefault(id(img), (img, []))[1].append((cls, box))
    kept = seen = 0
    for img, truth in screens.values():
        before = [e for e in _perceived_choices(img, verify=False) if _on_truth(e, truth)]
        after = [e for e in _perceived_choices(img, verify=True) if _on_truth(e, truth)]
        seen += len(before)
        kept += min(len(after), len(before))
    assert seen >= 8 and kept >= 0.95 * seen, (kept, seen)


def test_a_missing_or_corrupt_verifier_is_one_line_and_detection_still_works(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    for name in ("manifest.json", "ui_elements.onnx", "choice_check.onnx"):
        shutil.copy(REPO_MODELS_DIR / name, tmp_path / name)
    data = bytearray((tmp_path / "choice_check.onnx").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (tmp_path / "choice_check.onnx").write_bytes(bytes(data))
    blank = np.full((240, 320, 3), 235, np.uint8)
    cv2.rectangle(blank, (40, 40), (120, 70), (90, 90, 90), 1)
    for broken in ("corrupt", "missing"):
        if broken == "missing":
            (tmp_path / "choice_check.onnx").unlink()
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger=cc.__name__):
            det = ElementDetector(ModelRegistry(tmp_path), threads=1)
        lines = [r.getMessage() for r in caplog.records if r.name == cc.__name__]
        assert len(lines) == 1 and "verifier off" in lines[0], lines
        assert ("sha256 mismatch" if broken == "corrupt" else "missing") in lines[0]
        assert det.choice_check is None
        assert isinstance(det.detect(blank), list)


@pytest.mark.parametrize(
    "argv",
    [
        ["--epochs", "0"],
        ["--epochs", "100000"],
        ["--threads", "0"],
        ["--lr", "-1"],
        ["--keep", "1.5"],
        ["--seeds"],
        ["--widths", "16", "0", "48"],
        ["--widths", "16", "32"],
    ],
)
def test_the_training_cli_refuses_absurd_arguments(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("torch", reason="the [train] extra (torch) is not installed")
    from gui_agent.training.choices import train as choices_train

    with pytest.raises(SystemExit) as exc:
        choices_train.main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert "error:" in err[-1]  # argparse's one line, after the usage


def test_the_training_cli_refuses_held_out_screens(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("torch", reason="the [train] extra (torch) is not installed")
    from gui_agent.training.choices import train as choices_train

    (tmp_path / "info.json").write_text(json.dumps({"split": "heldout"}))
    with pytest.raises(SystemExit):
        choices_train.main(["--data", str(tmp_path)])
    assert "only 'train' screens" in capsys.readouterr().err


def test_the_crop_cap_can_hold_per_data_set() -> None:
    """A big new set's icons must not crowd out the others' (``--cap-each-set``)."""
    pytest.importorskip("torch", reason="the [train] extra (torch) is not installed")
    from gui_agent.training.choices.crops import SOURCES, CropSet
    from gui_agent.training.choices.train import SET_STRIDE, cap_sources

    icon, det = SOURCES.index("icon"), SOURCES.index("detection")
    screen = np.array([0] * 50 + [SET_STRIDE] * 400 + [SET_STRIDE] * 30)
    source = np.array([icon] * 450 + [det] * 30)
    n = len(screen)
    crops = CropSet(np.zeros((n, 32, 32, 3), np.uint8), np.full(n, 2), source,
                    np.full(n, "html"), screen)  # fmt: skip
    shared = cap_sources(crops, 100)
    each = cap_sources(crops, 100, each_set=True)

    def small(c: CropSet) -> int:  # icons of the small first set
        return int(((c.screen < SET_STRIDE) & (c.source == icon)).sum())

    assert int((shared.source == icon).sum()) == 100 and small(shared) < 50
    assert small(each) == 50 and int((each.source == icon).sum()) == 150
    assert int((each.source == det).sum()) == 30  # detections are never capped


def test_the_runtime_imports_no_torch() -> None:
    code = (
        "import sys, gui_agent.perception.detector, gui_agent.perception.choice_check\n"
        "assert 'torch' not in sys.modules\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


def test_verdicts_drop_confident_nones_and_settle_only_clear_calls(check: cc.ChoiceCheck) -> None:
    t, s = check.threshold, check.settle
    probs = np.array(
        [
            [0.0, 1.0 - t, t],  # "none" at the threshold: dropped
            [1.0 - t + 0.02, 0.0, t - 0.02],  # just under it: kept as it was
            [1.0 - s, s, 0.0],  # a sure radio the net called a check box
            [0.5, 0.5, 0.0],  # unsure which: the net's class stands
        ],
        np.float32,
    )
    classes = ["checkbox", "checkbox", "checkbox", "radio"]
    assert check.verdicts(probs, classes) == [None, "checkbox", "radio", "radio"]


def test_a_mark_whose_words_end_in_a_close_button_is_a_tab_favicon(check: cc.ChoiceCheck) -> None:
    """A tab's favicon, title and close button, read as one line, "SYNCED DATE x", or the ×
    drawn after the title and read as nothing: the mark goes as an icon even drawn as
    plainly as a check box, which the verifier keeps. The same box before "Remember me" or
    "Mirror X" stays a check box, and before a title in capitals and a capital X it goes;
    so does one before a title with an × drawn after it, and not one with a + there."""
    from gui_agent.perception.choice_verdict import verify_choices

    lines = ("SYNCED DATE ×", "Remember me", "Mirror X", "FEW YOUR X", "BACKUPS", "BACKUPS")
    img = np.full((36 * len(lines) + 20, 400, 3), 250, np.uint8)
    elements = []
    for n, words in enumerate(lines):
        y = 10 + 36 * n
        cv2.rectangle(img, (20, y), (35, y + 15), (90, 90, 90), 1)
        cv2.putText(img, words.replace("×", "x"), (44, y + 13), cv2.FONT_HERSHEY_SIMPLEX, 0.5,
                    (40, 40, 40), 1, cv2.LINE_AA)  # fmt: skip
        label = Rect(44, y, 150, 18)
        if n == 4:  # a close button 14 px after the title: an ×
            cv2.line(img, (label.right + 14, y + 3), (label.right + 23, y + 12), (60, 60, 60), 2)
            cv2.line(img, (label.right + 23, y + 3), (label.right + 14, y + 12), (60, 60, 60), 2)
        if n == 5:  # a + is no close button
            cv2.line(img, (label.right + 18, y + 2), (label.right + 18, y + 13), (60, 60, 60), 2)
            cv2.line(img, (label.right + 12, y + 8), (label.right + 24, y + 8), (60, 60, 60), 2)
        elements.append(Element(n + 1, ElementKind.CHECKBOX, Rect(20, y, 16, 16), words,
                                label_box=label))  # fmt: skip
    h, w = img.shape[:2]
    out = verify_choices(elements, img, Rect(0, 0, w, h), check)
    assert [(e.kind, e.text) for e in out] == [
        (ElementKind.ICON, ""),
        (ElementKind.TEXT, "SYNCED DATE ×"),
        (ElementKind.CHECKBOX, "Remember me"),
        (ElementKind.CHECKBOX, "Mirror X"),
        (ElementKind.ICON, ""),
        (ElementKind.TEXT, "FEW YOUR X"),
        (ElementKind.ICON, ""),
        (ElementKind.TEXT, "BACKUPS"),
        (ElementKind.CHECKBOX, "BACKUPS"),
    ]
