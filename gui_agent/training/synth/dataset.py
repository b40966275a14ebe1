"""Data sets on disk: render N screens of a mix into images/, labels.jsonl and info.json.

Each chunk of screens runs in a process of its own (``spawn``): Qt wants its own offscreen
QApplication, a Chromium page is cheapest kept open for a whole chunk, and Tk needs an X
server, which the chunk starts for itself. Chunks have a fixed size, so the output never
depends on the number of workers.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from PIL import Image

from gui_agent.training.synth.recipe import MIXES, renderer_for
from gui_agent.training.synth.screen import Json, Screen
from gui_agent.training.synth.vocab import CLASSES, GENERATOR_VERSION, SPLITS

CHUNK = 40  # screens per process: start-up (Qt, Chromium, Xvfb) is about a second
Task = tuple[str, int, str, str, str, list[int]]  # out, seed, split, mix, family, indices


def screen_seed(seed: int, index: int) -> int:
    """The seed of screen ``index`` of a data set made with ``seed`` (independent of workers)."""
    digest = hashlib.blake2b(f"{seed}/{index}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def check_split(split: str) -> None:
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: expected one of {', '.join(SPLITS)}")


def family(renderer: str) -> str:
    """Renderers that can share one process."""
    return {
        "qt_plain": "qt",
        "html_favicon": "html",
        "html_glyph_favicon": "html",
        "html_choice_looks": "html",
    }.get(renderer, renderer)


def _screens(family_name: str, split: str, seeds: list[tuple[str, int]]) -> Iterator[Screen]:
    """Import each toolkit only in the process that renders it (Qt before anything else)."""
    if family_name == "qt":
        from gui_agent.training.synth import qt

        for renderer, s in seeds:
            yield qt.render_screen(s, split, plain=renderer == "qt_plain")
    elif family_name == "html":
        from gui_agent.training.synth import html

        with ExitStack() as stack:
            page = stack.enter_context(html.Page())
            for renderer, s in seeds:
                looks = renderer == "html_choice_looks"
                glyphs = (
                    html.glyph_font_for(split, s)
                    if renderer == "html_glyph_favicon" or looks
                    else None
                )
                favicon = renderer in ("html_favicon", "html_glyph_favicon")
                yield html.render_screen(
                    s, split, page, favicon=favicon, glyphs=glyphs, looks=looks
                )
    elif family_name == "tk":
        from gui_agent.training.synth import tk

        with tk.TkDisplay() as display:
            for _, s in seeds:
                yield tk.render_screen(s, split, display)
    elif family_name == "negative":
        from gui_agent.training.synth import negatives

        for _, s in seeds:
            yield negatives.render_screen(s, split)
    else:
        raise ValueError(f"unknown renderer family {family_name!r}")


def _render_chunk(task: Task) -> list[tuple[int, Json]]:
    out_dir, seed, split, mix, family_name, indices = task
    images = Path(out_dir) / "images"
    seeds = [(renderer_for(mix, screen_seed(seed, i)), screen_seed(seed, i)) for i in indices]
    rows: list[tuple[int, Json]] = []
    for i, (renderer, screen) in zip(
        indices, zip(seeds, _screens(family_name, split, seeds), strict=True), strict=True
    ):
        Image.fromarray(screen.image).save(images / f"{i:06d}.png", compress_level=3)
        h, w = screen.image.shape[:2]
        meta: dict[str, Any] = {"renderer": renderer[0], **screen.meta}
        row = {
            "image": f"images/{i:06d}.png",
            "width": w,
            "height": h,
            "boxes": [box.as_list() for box in screen.boxes],
            "meta": meta,
        }
        rows.append((i, row))
    return rows


def plan(count: int, seed: int, split: str, mix: str, out: str) -> list[Task]:
    """Fixed-size chunks of screens per renderer family, in index order."""
    by_family: dict[str, list[int]] = {}
    for i in range(count):
        by_family.setdefault(family(renderer_for(mix, screen_seed(seed, i))), []).append(i)
    tasks: list[Task] = []
    for fam, indices in by_family.items():
        for k in range(0, len(indices), CHUNK):
            tasks.append((out, seed, split, mix, fam, indices[k : k + CHUNK]))
    return tasks


def generate(
    out_dir: Path,
    count: int,
    seed: int,
    split: str = "train",
    workers: int = 2,
    mix: str = "qt",
) -> Path:
    """Render ``count`` screens into ``out_dir`` (images/, labels.jsonl, info.json).

    Screen ``i`` uses ``screen_seed(seed, i)`` and ``renderer_for(mix, that seed)``, so the
    output does not depend on ``workers``. ``workers`` == 1 with a Qt-only mix renders in
    this process; otherwise every chunk runs in a fresh spawned process.
    """
    check_split(split)
    if count < 0:
        raise ValueError(f"count must be >= 0, got {count}")
    if workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    if mix not in MIXES:
        raise ValueError(f"unknown mix {mix!r}: expected one of {', '.join(MIXES)}")
    out = Path(out_dir)
    (out / "images").mkdir(parents=True, exist_ok=True)
    tasks = plan(count, seed, split, mix, str(out))
    in_process = workers == 1 and all(t[4] in ("qt", "negative") for t in tasks)
    if in_process or not tasks:
        chunks = [_render_chunk(t) for t in tasks]
    else:
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(min(workers, len(tasks)), maxtasksperchild=1) as pool:
            chunks = pool.map(_render_chunk, tasks, chunksize=1)
    rows = sorted((r for chunk in chunks for r in chunk), key=lambda r: r[0])
    with open(out / "labels.jsonl", "w", encoding="utf-8") as f:
        for _, row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    info = {
        "split": split,
        "seed": seed,
        "count": count,
        "mix": mix,
        "classes": list(CLASSES),
        "generator_version": GENERATOR_VERSION,
    }
    (out / "info.json").write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    return out


def load_labels(out_dir: Path) -> list[dict[str, Any]]:
    """The parsed lines of ``out_dir/labels.jsonl``, in index order."""
    with open(Path(out_dir) / "labels.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
