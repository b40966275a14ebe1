"""Run the foreign-toolkit suite on a private Xvfb and print its tables and misses."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from _common import table

from gui_agent.headless.xvfb import Xvfb
from gui_agent.perception.perceiver import Perceiver
from gui_agent.screen.capture import ScreenCapture
from gui_agent.training.chromium import chromium_binary
from tests.apps.foreign.launch import gtk_unavailable

from .gtk_suite import run_gtk
from .html_suite import run_html
from .scoring import BUCKETS, Outcome, cell, tally
from .tk_suite import run_tk

TOOLKITS = ("tk", "gtk", "html")
SIZE = (1280, 800)  # smaller than the Qt suite's desktop: OCR time grows with the pixels


def run_foreign(
    perceivers: dict[str, Perceiver], toolkits: tuple[str, ...] = TOOLKITS
) -> list[tuple[str, Outcome]]:
    """Tk screens, GTK screens, then HTML pages; GTK and HTML are skipped with a one-line note
    when their system packages are missing, so the rest still runs."""
    unknown = set(toolkits) - set(TOOLKITS)
    if unknown:
        raise SystemExit(f"unknown toolkit(s) {sorted(unknown)}; choose from {TOOLKITS}")
    results: list[tuple[str, Outcome]] = []
    with (
        Xvfb(*SIZE) as xvfb,
        ScreenCapture(xvfb.display) as cap,
        tempfile.TemporaryDirectory() as tmp,
    ):
        if "tk" in toolkits:
            results += run_tk(xvfb.display, cap, perceivers, Path(tmp))
        if "gtk" in toolkits and (reason := gtk_unavailable()) is not None:
            print(f"\nGTK part of the foreign suite skipped: {reason}")
        elif "gtk" in toolkits:
            results += run_gtk(xvfb.display, cap, perceivers, Path(tmp))
        if "html" in toolkits and chromium_binary() is None:
            print("\nchromium is not installed: the HTML part of the foreign suite is skipped")
        elif "html" in toolkits:
            results += run_html(xvfb.display, SIZE, cap, perceivers)
    return results


def report(results: list[tuple[str, Outcome]], modes: list[str], show_misses: bool) -> None:
    """Per perceiver: accuracy by toolkit/theme and by screen, with 95% Wilson intervals."""
    cols = (*BUCKETS, "all")
    for mode in modes:
        outcomes = [o for m, o in results if m == mode]
        print(f"\nforeign-toolkit grounding {mode}, {len(outcomes)} queries; "
              "cells: accuracy hits/total [95% Wilson interval]\n")  # fmt: skip
        for by, head in (("group", "toolkit/theme"), ("screen", "toolkit screen")):
            counts = tally(outcomes, by)
            rows = [*sorted({r for r, _ in counts if r != "all"}), "all"]
            print(table([head, *cols], [[r, *(cell(counts[(r, b)]) for b in cols)] for r in rows]))
            print()
        if show_misses:
            misses = [o.miss_line() for o in outcomes if not o.hit]
            print(f"misses {mode} ({len(misses)}):")
            print("\n".join(misses))


def main_foreign(
    perceivers: dict[str, Perceiver], show_misses: bool, toolkits: tuple[str, ...] = TOOLKITS
) -> None:
    t0 = time.monotonic()
    results = run_foreign(perceivers, toolkits)
    report(results, list(perceivers), show_misses)
    print(f"\nforeign suite wall time {time.monotonic() - t0:.0f} s")
