"""The verifier's network: a small plain CNN for 3 x 32 x 32 indicator crops.

Why this shape: an indicator is a 10-30 px square or circle, about 20 px of the 32 px crop,
so a first stride-2 layer loses nothing of its outline (3x3 kernels still see a 1-px line)
and halves the cost of everything after it, which is what lets three seeds train on two
busy CPU cores in minutes. Two layers at 16 px see the outline and its inside (a check
mark, a dot, a letter, a picture), two at 8 px and two at 4 px the whole and what sits
beside it; the global average pool makes the answer indifferent to a detection a few
pixels off. Colour stays in (three channels): a saturated, many-coloured inside is a
favicon far more often than a check box. About 52k parameters: about 200 kB of ONNX.
"""

from __future__ import annotations

import torch
from torch import nn

from gui_agent.perception.choice_check import CLASSES


def _conv(cin: int, cout: int, stride: int = 1) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, stride, 1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


class ChoiceNet(nn.Module):
    """N x 3 x 32 x 32 (``choice_check.normalise``'s output) -> N x 3 logits (``CLASSES``)."""

    def __init__(self, widths: tuple[int, int, int] = (16, 32, 48)) -> None:
        super().__init__()
        a, b, c = widths
        self.features = nn.Sequential(
            _conv(3, a, 2),
            _conv(a, a),
            _conv(a, b, 2),
            _conv(b, b),
            _conv(b, c, 2),
            _conv(c, c),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
        )
        self.head = nn.Sequential(nn.Dropout(0.1), nn.Linear(c, len(CLASSES)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
