"""A radio's inside is empty or its dot (``mark_pixels.lopsided_inside``, applied by
``choice_verdict``): drawn rings display-free, then the whole of perception on held-out
pages from headless Chromium whose favicons are glyphs of an icon font no renderer draws.

What must hold: a ring with a face, a bell, "!" or clock hands in it is no radio; a radio
off, on, hovered, lit from one side (a 3D bevel) or filled with a hole is one, whatever its
size; where no outline about the box's size is drawn, the rule says nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
import pytest

from gui_agent.geometry import Rect
from gui_agent.perception import choice_verdict
from gui_agent.perception.mark_pixels import lopsided_inside
from gui_agent.perception.ocr import OcrEngine
from gui_agent.perception.perceiver import Perceiver
from gui_agent.perception.state import ElementKind
from gui_agent.training.synth.dataset import screen_seed
from tests.synthetic_screens import choice_truth, render_glyph_favicon_pages

Draw = Callable[[np.ndarray, int, int, int], None]
INK = (70, 70, 70)
AA = cv2.LINE_AA
ORIGIN = Rect(0, 0, 0, 0)


def _ring(img: np.ndarray, cx: int, cy: int, r: int) -> None:
    cv2.circle(img, (cx, cy), r, INK, 1, AA)


def _on(img: np.ndarray, cx: int, cy: int, r: int) -> None:
    cv2.circle(img, (cx, cy), r, (200, 110, 30), 2, AA)
    cv2.circle(img, (cx, cy), max(2, r // 3), (200, 110, 30), -1, AA)


def _hovered(img: np.ndarray, cx: int, cy: int, r: int) -> None:
    cv2.circle(img, (cx, cy), r, (215, 215, 215), -1, AA)
    _ring(img, cx, cy, r)


def _bevelled_on(img: np.ndarray, cx: int, cy: int, r: int) -> None:
    """Lit from the top left: the upper-left half of the ring dark, the rest as light as the
    window (no ink there), the dot in the middle."""
    cv2.ellipse(img, (cx, cy), (r, r), 0, 135, 315, (90, 90, 90), 2, AA)
    cv2.ellipse(img, (cx, cy), (r, r), 0, -45, 135, (235, 235, 235), 2, AA)
    cv2.circle(img, (cx, cy), max(2, r // 3), (30, 30, 30), -1, AA)


def _filled_with_hole(img: np.ndarray, cx: int, cy: int, r: int) -> None:
    cv2.circle(img, (cx, cy), r, (200, 110, 30), -1, AA)
    cv2.circle(img, (cx, cy), max(2, r // 3), (255, 255, 255), -1, AA)


def _face(img: np.ndarray, cx: int, cy: int, r: int) -> None:
    _ring(img, cx, cy, r)
    for dx in (-r // 3, r // 3):
        cv2.circle(img, (cx + dx, cy - r // 3), 1, INK, -1)
    cv2.ellipse(img, (cx, cy + r // 6), (r // 2, r // 3), 0, 20, 160, INK, 1, AA)


def _warning(img: np.ndarray, cx: int, cy: int, r: int) -> None:
    _ring(img, cx, cy, r)
    cv2.line(img, (cx, cy - r // 2 - 1), (cx, cy), INK, 1)
    cv2.circle(img, (cx, cy + r // 2), 1, INK, -1)


def _clock(img: np.ndarray, cx: int, cy: int, r: int) -> None:
    _ring(img, cx, cy, r)
    cv2.line(img, (cx, cy), (cx, cy - r // 2 - 1), INK, 1)
    cv2.line(img, (cx, cy), (cx + r // 2, cy), INK, 1)


def _drawn(draw: Draw, r: int) -> tuple[np.ndarray, Rect]:
    img = np.full((80, 160, 3), 235, np.uint8)
    draw(img, 30, 40, r)
    cv2.putText(img, "Label", (34 + r, 45), cv2.FONT_HERSHEY_SIMPLEX, 0.45, INK, 1, AA)
    return img, Rect(30 - r - 1, 40 - r - 1, 2 * r + 3, 2 * r + 3)


@pytest.mark.parametrize("r", [6, 8, 11])
@pytest.mark.parametrize("draw", [_ring, _on, _hovered, _bevelled_on, _filled_with_hole])
def test_a_radio_in_every_state_and_look_has_a_level_inside(draw: Draw, r: int) -> None:
    img, box = _drawn(draw, r)
    assert not lopsided_inside(img, box, ORIGIN)


@pytest.mark.parametrize("r", [7, 9, 11])
@pytest.mark.parametrize("draw", [_face, _warning, _clock])
def test_a_favicon_drawn_in_a_ring_has_a_lopsided_inside(draw: Draw, r: int) -> None:
    img, box = _drawn(draw, r)
    assert lopsided_inside(img, box, ORIGIN)


def test_no_outline_about_the_box_says_nothing() -> None:
    img, box = _drawn(_face, 8)
    assert not lopsided_inside(img, box.expand(20), ORIGIN)  # the box is three times the ring
    blank = np.full((80, 160, 3), 235, np.uint8)
    assert not lopsided_inside(blank, box, ORIGIN)
    assert not lopsided_inside(img[:0, :0], box, ORIGIN)  # an empty frame
    # a box past the frame's edge: only what lies in the frame is looked at
    assert not lopsided_inside(img, Rect(-30, -30, 20, 20), ORIGIN)
    # desktop coordinates: the frame at (500, 300) on the desktop
    moved = box.translate(500, 300)
    assert lopsided_inside(img, moved, Rect(500, 300, 160, 80))


# held-out favicon pages (``bench/detector.py --only favicon_glyphs``) where a Phosphor
# favicon drawn in a ring ("!", a face, a bird) was a radio, and one with a real radio group
RING_PAGES = tuple(screen_seed(s, i) for s, i in ((1000003, 79), (2000003, 6), (4000003, 107)))
GROUP_PAGE = screen_seed(1000003, 60)


@pytest.fixture(scope="module")
def ring_pages(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[np.ndarray, list[Rect]]]:
    """(screen, boxes of its real radios) per page, from Chromium."""
    screens = render_glyph_favicon_pages(
        tmp_path_factory.mktemp("rings"), (*RING_PAGES, GROUP_PAGE)
    )
    return [
        (img, [b for cls, b in choice_truth(boxes) if cls == "radio"]) for img, boxes in screens
    ]


def test_perception_reports_no_radio_at_a_favicon_drawn_in_a_ring_and_keeps_real_ones(
    ring_pages: list[tuple[np.ndarray, list[Rect]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    perceiver = Perceiver(OcrEngine())

    def count(img: np.ndarray, truth: list[Rect]) -> tuple[int, int]:
        radios = [e for e in perceiver.perceive(img).elements if e.kind is ElementKind.RADIO]
        real = sum(any(t.contains_point(e.box.center) for t in truth) for e in radios)
        return real, len(radios) - real

    after = [count(img, truth) for img, truth in ring_pages]
    monkeypatch.setattr(choice_verdict, "lopsided_inside", lambda *_: False)
    before = [count(img, truth) for img, truth in ring_pages]
    print(f"(real, fake) radios per page, without the rule {before}, with it {after}")
    assert sum(f for _, f in before[:-1]) >= 3, before  # what this test is about: it happened
    assert all(f == 0 for _, f in after[:-1]), after
    assert before[-1][0] >= 3, before  # the group page has its radios found
    assert all(a[0] >= b[0] for a, b in zip(after, before, strict=True)), (before, after)
