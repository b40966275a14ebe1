"""Training targets for the detector: elliptical Gaussian centre maps and box distances.

Why elliptical (TTFNet-style) rather than CenterNet's round Gaussian: UI elements are long
and thin (a 400x15 scroll bar, a 300x28 field); a round blob would either spill across the
neighbouring row or give a long element a single positive cell. Every cell inside the
Gaussian's core also learns the box distances, weighted by the Gaussian, which gives the
regression many more positives per element on a short CPU training run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ALPHA = 0.54  # share of the box that the Gaussian's 3-sigma ellipse spans (TTFNet)


@dataclass(slots=True)
class Targets:
    heat: np.ndarray  # C x h x w float32, 1.0 at each element's centre cell
    box: np.ndarray  # 4 x h x w float32, ltrb distances in pixels
    weight: np.ndarray  # h x w float32, regression weight (0 where no element)
    ignore: np.ndarray  # C x h x w float32, 1 where a crop cut an element: no negative loss


def _gaussian(h: int, w: int, cy: float, cx: float, sy: float, sx: float) -> np.ndarray:
    ys = np.arange(h, dtype=np.float32)[:, None]
    xs = np.arange(w, dtype=np.float32)[None, :]
    g: np.ndarray = np.exp(-((xs - cx) ** 2) / (2 * sx * sx) - ((ys - cy) ** 2) / (2 * sy * sy))
    return g.astype(np.float32)


def build_targets(
    boxes: np.ndarray,
    classes: np.ndarray,
    num_classes: int,
    height: int,
    width: int,
    stride: int,
    ignored: np.ndarray | None = None,
    ignored_classes: np.ndarray | None = None,
) -> Targets:
    """``boxes``: N x 4 (x0, y0, x1, y1) in input pixels; ``classes``: N class indices.

    ``ignored``: boxes a crop cut too much to label (most of a scroll bar outside it); their
    visible part is neither a positive nor a negative, or the model would learn that half a
    scroll bar is background.
    """
    h, w = height // stride, width // stride
    ignore = np.zeros((num_classes, h, w), np.float32)
    if ignored is not None and ignored_classes is not None:
        for (x0, y0, x1, y1), c in zip(ignored, ignored_classes, strict=True):
            ix0, iy0 = max(0, int(x0 // stride)), max(0, int(y0 // stride))
            ix1, iy1 = min(w, int(np.ceil(x1 / stride))), min(h, int(np.ceil(y1 / stride)))
            ignore[int(c), iy0:iy1, ix0:ix1] = 1.0
    heat = np.zeros((num_classes, h, w), np.float32)
    box = np.zeros((4, h, w), np.float32)
    weight = np.zeros((h, w), np.float32)
    best = np.zeros((h, w), np.float32)  # the regression target of the smaller box wins
    order = np.argsort(-(boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1]))
    for i in order:  # large first, so small boxes overwrite where they overlap
        x0, y0, x1, y1 = (float(v) for v in boxes[i])
        bw, bh = x1 - x0, y1 - y0
        if bw < 2 or bh < 2:
            continue
        cx, cy = (x0 + x1) / 2 / stride - 0.5, (y0 + y1) / 2 / stride - 0.5
        sx = max(ALPHA * bw / 6 / stride, 0.35)
        sy = max(ALPHA * bh / 6 / stride, 0.35)
        # a window around the centre is enough: exp(-9/2) beyond 3 sigma
        gx0, gx1 = max(0, int(cx - 3 * sx) - 1), min(w, int(cx + 3 * sx) + 2)
        gy0, gy1 = max(0, int(cy - 3 * sy) - 1), min(h, int(cy + 3 * sy) + 2)
        if gx0 >= gx1 or gy0 >= gy1:
            continue
        g = _gaussian(gy1 - gy0, gx1 - gx0, cy - gy0, cx - gx0, sy, sx)
        icx, icy = round(cx), round(cy)
        if 0 <= icx < w and 0 <= icy < h:
            g[min(max(icy - gy0, 0), g.shape[0] - 1), min(max(icx - gx0, 0), g.shape[1] - 1)] = 1.0
        c = int(classes[i])
        np.maximum(heat[c, gy0:gy1, gx0:gx1], g, out=heat[c, gy0:gy1, gx0:gx1])
        # regression: cells whose centre lies inside the box and inside the Gaussian core
        px = (np.arange(gx0, gx1, dtype=np.float32) + 0.5) * stride
        py = (np.arange(gy0, gy1, dtype=np.float32) + 0.5) * stride
        inside = ((px[None, :] > x0) & (px[None, :] < x1)) & (
            (py[:, None] > y0) & (py[:, None] < y1)
        )
        core = inside & (g > 0.2)
        if not core.any():
            continue
        wgt = g * np.float32(np.log(max(bw * bh, 4.0)))  # large boxes get a little more say
        sl = (slice(gy0, gy1), slice(gx0, gx1))
        take = core & (g >= best[sl])
        best[sl] = np.where(take, g, best[sl])
        weight[sl] = np.where(take, wgt, weight[sl])
        box[0][sl] = np.where(take, px[None, :] - x0, box[0][sl])
        box[1][sl] = np.where(take, py[:, None] - y0, box[1][sl])
        box[2][sl] = np.where(take, x1 - px[None, :], box[2][sl])
        box[3][sl] = np.where(take, y1 - py[:, None], box[3][sl])
    ignore[heat > 0] = 0.0
    return Targets(heat, box, weight, ignore)
