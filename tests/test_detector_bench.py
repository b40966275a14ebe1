"""The detector bench's side-by-side tables: every class of every scored set, in
distribution beside held out, each cell with its interval (display-free)."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture()
def bench(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCH))
    return importlib.import_module("detector")


def _set(per_class: dict[str, tuple[float, float, int]], m: float) -> dict[str, Any]:
    return {
        "mAP": m,
        "mAP_95": [m - 0.01, m + 0.01],
        "per_class": {c: {"ap": ap, "recall": r, "gt": n} for c, (ap, r, n) in per_class.items()},
        "ap_95": {c: (ap - 0.05, ap + 0.05) for c, (ap, _, _) in per_class.items()},
    }


def test_classes_line_up_across_sets_with_their_intervals(bench: ModuleType) -> None:
    results = {
        "indist": _set({"button": (0.95, 0.96, 200), "radio": (0.9, 0.9, 40)}, 0.925),
        "html": _set(
            {"button": (0.8, 0.9, 100), "radio": (0.0, 0.0, 0), "tab": (0.1, 0.2, 5)}, 0.45
        ),
    }
    ap = bench.side_by_side(results, ["indist", "html"], "ap")
    assert [r[0] for r in ap] == ["button", "radio", "tab", "mean"]
    assert ap[0] == ["button", "0.950 (0.900-1.000)", "0.800 (0.750-0.850)"]
    assert ap[1][2] == "-" and ap[2][1] == "-"  # no radios on the pages, no tabs in indist
    assert ap[3] == ["mean", "0.925 (0.915-0.935)", "0.450 (0.440-0.460)"]
    recall = bench.side_by_side(results, ["indist", "html"], "recall")
    assert recall[0][1].startswith("96.0% (") and recall[0][2].startswith("90.0% (")
    assert [r[0] for r in recall] == ["button", "radio", "tab"]


def test_a_kept_set_of_an_older_rendering_is_never_scored_as_the_new(
    bench: ModuleType, tmp_path: Path
) -> None:
    """A mix whose rendering changed keeps its sets under a versioned folder: the kept set of
    the old rendering (same mix, seed and count) is left alone, the new one is rendered."""
    old = tmp_path / "favicon_glyphs-heldout-5-0"
    old.mkdir()
    (old / "labels.jsonl").write_text('{"image": "images/x.png", "boxes": []}\n')
    assert bench.heldout_samples(None, 0, 5, "favicon_glyphs", tmp_path) == []
    version = bench.SET_VERSION["favicon_glyphs"]
    assert (tmp_path / f"favicon_glyphs.v{version}-heldout-5-0" / "info.json").is_file()
    assert bench.heldout_samples(None, 0, 5, "negative", tmp_path) == []
    assert (tmp_path / "negative-heldout-5-0" / "info.json").is_file()  # unversioned as before
