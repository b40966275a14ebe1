"""The UI-element detector's network: a small anchor-free (CenterNet-style) model for the CPU.

Why this shape: UI elements are crisp, axis-aligned and often tiny (a 13-px check box next
to a 300-px field), so the model predicts at stride 4, where a check box still owns a few
cells, and gets its context (how far a field reaches) from a stride-32 trunk, widened by
long 1xk / kx1 kernels, through a top-down path. Every block is depthwise-separable: a
1920x1080 frame costs about a gigaflop, which onnxruntime runs in well under 120 ms on two
cores. The input is the frame as it is, 0..1 RGB, no resize: widgets on screen come at
1x-1.5x and the training data covers that.

Outputs, at stride 4 (H/4 x W/4):
- ``heat``: per-class centre likelihood after sigmoid, already peak-filtered (a 3x3 max
  pool keeps local maxima only), so the runtime decodes with a threshold and no NMS;
- ``box``: distances (left, top, right, bottom) from each cell's centre to the box edges,
  in pixels.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

STRIDE = 4


class ConvBN(nn.Sequential):
    def __init__(
        self, cin: int, cout: int, k: int = 1, s: int = 1, groups: int = 1, act: bool = True
    ) -> None:
        pad = (k - s) // 2 if k == s else k // 2
        layers: list[nn.Module] = [
            nn.Conv2d(cin, cout, k, s, pad, groups=groups, bias=False),
            nn.BatchNorm2d(cout),
        ]
        if act:
            layers.append(nn.ReLU(inplace=True))
        super().__init__(*layers)


class SepBlock(nn.Module):
    """Depthwise k x k then pointwise, with a residual when the shape allows."""

    def __init__(self, cin: int, cout: int, k: int = 3, s: int = 1) -> None:
        super().__init__()
        self.dw = ConvBN(cin, cin, k, s, groups=cin, act=False)
        self.pw = ConvBN(cin, cout, 1)
        self.residual = cin == cout and s == 1

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.pw(self.dw(x))
        return x + y if self.residual else y


def _depthwise(channels: int, k: tuple[int, int]) -> nn.Sequential:
    pad = (k[0] // 2, k[1] // 2)
    conv = nn.Conv2d(channels, channels, k, 1, pad, groups=channels, bias=False)
    return nn.Sequential(conv, nn.BatchNorm2d(channels))


class WideContext(nn.Module):
    """Long horizontal and vertical depthwise kernels at stride 32, with a residual.

    Why: the centre cell of a 1,500-px search field or an 800-px scroll bar must see both
    of its ends to score it and say how far it reaches; the 3x3/5x5 trunk alone sees about
    +-200 px. Two of these blocks with k=21 reach +-640 px at stride 32 for a few million
    multiply-adds per frame (UI elements are long and thin, so a k x k kernel would waste
    most of its taps).
    """

    def __init__(self, channels: int, k: int = 21) -> None:
        super().__init__()
        self.h = _depthwise(channels, (1, k))
        self.v = _depthwise(channels, (k, 1))
        self.pw = ConvBN(channels, channels, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.pw(self.h(x) + self.v(x))


def _stage(cin: int, cout: int, blocks: int, k: int) -> nn.Sequential:
    return nn.Sequential(
        SepBlock(cin, cout, 3, 2), *[SepBlock(cout, cout, k) for _ in range(blocks)]
    )


class UIDetector(nn.Module):
    def __init__(
        self,
        num_classes: int,
        widths: tuple[int, int, int, int] = (24, 48, 80, 128),
        fpn: int = 32,
        context: int = 0,
    ) -> None:
        super().__init__()
        c1, c2, c3, c4 = widths
        self.num_classes = num_classes
        # what a checkpoint must record to rebuild this network
        self.architecture = {"widths": list(widths), "fpn": fpn, "context": context}
        self.stem = nn.Sequential(ConvBN(3, c1, 4, 4), SepBlock(c1, c1, 3))
        self.s8 = _stage(c1, c2, 2, 5)
        self.s16 = _stage(c2, c3, 2, 5)
        self.s32 = _stage(c3, c4, 2, 5)
        self.context = nn.Sequential(*[WideContext(c4) for _ in range(context)])
        self.lat4 = ConvBN(c1, fpn, 1, act=False)
        self.lat8 = ConvBN(c2, fpn, 1, act=False)
        self.lat16 = ConvBN(c3, fpn, 1, act=False)
        self.lat32 = ConvBN(c4, fpn, 1, act=False)
        self.head = SepBlock(fpn, fpn, 3)
        self.cls_out = nn.Conv2d(fpn, num_classes, 1)
        self.box_out = nn.Conv2d(fpn, 4, 1)
        assert self.cls_out.bias is not None
        nn.init.constant_(self.cls_out.bias, -4.6)  # start at p=0.01: stable focal loss

    def raw(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Logits and box distances (pixels), for training."""
        f4 = self.stem(x)
        f8 = self.s8(f4)
        f16 = self.s16(f8)
        f32 = self.context(self.s32(f16))
        p = self.lat32(f32)
        p = self.lat16(f16) + F.interpolate(p, size=f16.shape[-2:], mode="nearest")
        p = self.lat8(f8) + F.interpolate(p, size=f8.shape[-2:], mode="nearest")
        p = self.lat4(f4) + F.interpolate(p, size=f4.shape[-2:], mode="nearest")
        h = self.head(F.relu(p))
        logits = self.cls_out(h)
        # softplus keeps distances positive with a smooth gradient; x16 puts typical
        # widget half-sizes (4..200 px) in a comfortable range for the raw outputs.
        box = F.softplus(self.box_out(h)) * 16.0
        return logits, box

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Peak-filtered class scores and box distances: what the ONNX file returns."""
        logits, box = self.raw(x)
        heat = torch.sigmoid(logits)
        peaks = F.max_pool2d(heat, 3, 1, 1)
        heat = heat * (peaks == heat).to(heat.dtype)
        return heat, box


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
