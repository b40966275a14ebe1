"""The command line: ``python -m gui_agent.training.synth --out DIR --count N --seed S``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from gui_agent.training.synth.dataset import generate
from gui_agent.training.synth.recipe import MIXES
from gui_agent.training.synth.vocab import SPLITS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m gui_agent.training.synth",
        description="Render synthetic screens (Qt, HTML, Tk, negatives) with exact boxes.",
    )
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--count", type=int, required=True, help="number of screens")
    parser.add_argument("--seed", type=int, required=True, help="data set seed")
    parser.add_argument("--split", choices=SPLITS, default="train")
    parser.add_argument("--mix", choices=sorted(MIXES), default="qt", help="renderer mix")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("--count must be >= 0")
    if args.workers < 1:
        parser.error("--workers must be >= 1")
    start = time.perf_counter()
    out = generate(args.out, args.count, args.seed, args.split, args.workers, args.mix)
    took = time.perf_counter() - start
    per = took / args.count if args.count else 0.0
    what = f"{args.count} {args.split} screens ({args.mix}) in {out}"
    print(f"{what} ({took:.1f} s, {per:.3f} s/screen)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
