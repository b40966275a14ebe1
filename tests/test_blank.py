"""Text detection skips what is flat (gui_agent/perception/blank.py): the same lines are
found in a frame whose content fills a corner, for a fraction of the detector's pixels."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from gui_agent.geometry import Rect
from gui_agent.perception.blank import MAX_REGIONS, TILE, content_regions
from gui_agent.perception.ocr import OcrEngine


def _canvas(h: int = 1080, w: int = 1920, colour: tuple[int, int, int] = (250, 250, 250)):
    img = np.empty((h, w, 3), np.uint8)
    img[:] = colour
    return img


def _write(img: np.ndarray, text: str, x: int, y: int, ink: tuple[int, int, int]) -> None:
    cv2.putText(img, text, (x, y), cv2.FONT_HERSHEY_SIMPLEX, 0.8, ink, 2, cv2.LINE_AA)


def test_a_flat_frame_has_no_content_in_any_colour() -> None:
    assert content_regions(_canvas()) == []
    assert content_regions(_canvas(colour=(200, 120, 30))) == []  # a flat blue page
    assert content_regions(np.full((600, 800), 30, np.uint8)) == []  # grey, 2-D


def test_content_is_kept_with_a_margin() -> None:
    img = _canvas()
    _write(img, "Save changes", 1500, 900, (40, 40, 40))
    regions = content_regions(img)
    assert regions is not None and len(regions) == 1
    r = regions[0]
    text = Rect(1500, 880, 170, 26)
    assert r.contains(text.expand(TILE // 2)) and r.area < 0.05 * 1920 * 1080


def test_faint_text_and_thin_rules_count_as_content() -> None:
    img = _canvas(colour=(255, 255, 255))
    _write(img, "disabled", 100, 100, (225, 225, 225))  # about 30 grey levels
    cv2.line(img, (0, 700), (1919, 700), (238, 238, 238), 1)
    regions = content_regions(img)
    assert regions is not None
    assert any(r.contains(Rect(100, 82, 100, 20)) for r in regions)
    assert any(r.contains(Rect(0, 700, 1920, 1)) for r in regions)


def test_whole_frame_when_cropping_does_not_pay() -> None:
    rng = np.random.default_rng(0)
    noisy = rng.integers(0, 255, (1080, 1920, 3), dtype=np.uint8)  # a photo-like frame
    assert content_regions(noisy) is None
    assert content_regions(_canvas(100, 100)) is None  # too small to bother
    scattered = _canvas()
    for k in range(MAX_REGIONS + 4):  # islands all over: many detector calls cost more
        _write(scattered, "x", 60 + 140 * k, 60 + 70 * (k % 5) * 3, (0, 0, 0))
    assert content_regions(scattered) is None


def test_detection_finds_the_same_lines_in_the_crop(
    ocr_engine: OcrEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    img = _canvas()
    _write(img, "Project name", 40, 60, (30, 30, 30))
    _write(img, "Cancel", 1700, 1040, (255, 255, 255))
    cv2.rectangle(img, (1680, 1010), (1800, 1055), (200, 90, 20), -1)
    _write(img, "Cancel", 1700, 1040, (255, 255, 255))
    regions = content_regions(img)
    assert regions is not None and len(regions) == 2
    cropped = sorted(ocr_engine.detect(img), key=lambda r: (r.y, r.x))
    texts = [t.text for t in ocr_engine.read(img)]
    monkeypatch.setattr("gui_agent.perception.ocr.content_regions", lambda _: None)
    whole = sorted(ocr_engine.detect(img), key=lambda r: (r.y, r.x))
    assert len(cropped) == len(whole) == 2
    for a, b in zip(cropped, whole, strict=True):
        assert a.iou(b) > 0.8, (a, b)
    assert texts == ["Project name", "Cancel"]


@pytest.mark.parametrize("shape", [(0, 0, 3), (5, 2000, 3)])
def test_degenerate_images_are_read_whole(shape: tuple[int, int, int]) -> None:
    assert content_regions(np.zeros(shape, np.uint8)) is None
