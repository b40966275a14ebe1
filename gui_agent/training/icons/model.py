"""The icon classifier's network: a small plain CNN for 32x32 single-channel crops.

Why this shape: an icon at 32x32 needs a few 3x3 layers to see strokes, then corners and
arrow heads, then the whole shape; three stride-2 steps take 32 px to 4 px, and a global
average pool makes the answer independent of small offsets. Plain convolutions (not
depthwise) train fastest per second on two CPU cores, and the whole model is about 300k
parameters: about 1.2 MB of ONNX and a fraction of a millisecond per icon in onnxruntime.
"""

from __future__ import annotations

import torch
from torch import nn


def _conv(cin: int, cout: int, stride: int = 1) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, stride, 1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


class IconNet(nn.Module):
    """N x 1 x 32 x 32 (``preprocess``'s output) -> N x classes logits."""

    def __init__(self, classes: int, widths: tuple[int, int, int, int] = (16, 32, 64, 128)) -> None:
        super().__init__()
        a, b, c, d = widths
        self.features = nn.Sequential(
            _conv(1, a),
            _conv(a, b, 2),
            _conv(b, b),
            _conv(b, c, 2),
            _conv(c, c),
            _conv(c, d, 2),
            _conv(d, d),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
        )
        self.head = nn.Sequential(nn.Dropout(0.1), nn.Linear(d, classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
