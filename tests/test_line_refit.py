"""A detected line that cannot be its control's caption is made one (ocr._refit): a line
taller than the key it sits in is cut to the key, and one bar of an "=" becomes the key's
whole ink, as the key would be read had the detector found nothing in it."""

from __future__ import annotations

import cv2
import numpy as np

from gui_agent.geometry import Rect
from gui_agent.perception.ocr import _refit


def _key() -> tuple[np.ndarray, Rect]:
    img = np.full((120, 200, 3), 240, np.uint8)
    key = Rect(60, 40, 46, 31)
    cv2.rectangle(img, (key.x, key.y), (key.right - 1, key.bottom - 1), (120, 120, 120), 1)
    cv2.rectangle(img, (77, 50), (89, 52), (0, 0, 0), -1)  # the "=": two bars
    cv2.rectangle(img, (77, 57), (89, 59), (0, 0, 0), -1)
    return img, key


def test_one_bar_of_an_equals_sign_becomes_the_keys_ink() -> None:
    img, key = _key()
    bar = Rect(76, 56, 15, 5)
    (got,) = _refit(img, bar, [key])
    assert got.contains(Rect(77, 50, 13, 10)) and key.contains(got)


def test_a_line_taller_than_its_key_is_cut_to_it() -> None:
    img, key = _key()
    tall = Rect(74, 30, 20, 52)  # a key's height and more, from a block the detector joined
    pieces = _refit(img, tall, [key])
    assert pieces and all(key.contains(p) for p in pieces)
    assert any(p.contains(Rect(77, 50, 13, 10)) for p in pieces)


def test_a_line_that_fits_its_control_stays() -> None:
    img, key = _key()
    line = Rect(74, 47, 19, 16)
    assert _refit(img, line, [key]) == [line]
    assert _refit(img, Rect(5, 5, 30, 14), [key]) == [Rect(5, 5, 30, 14)]  # no control
