"""Run the foreign-toolkit suite on a private Xvfb and print its tables and misses."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from _common import table

from gui_agent.headless.xvfb import Xvfb
from gui_agent.perception.accessibility.atspi import AtspiSource
from gui_agent.perception.perceiver import Perceiver
from gui_agent.screen.capture import ScreenCapture
from gui_agent.training.chromium import chromium_binary
from tests.apps.foreign.launch import gtk_unavailable

from .gtk_suite import run_gtk
from .html_suite import run_html
from .scoring import TARGET_BUCKETS, Outcome, cell, tally
from .tk_suite import run_tk

TOOLKITS = ("tk", "gtk", "html")
SIZE = (1280, 800)  # smaller than the Qt suite's desktop: OCR time grows with the pixels


TREE_MODE = "with detector + accessibility tree"


def run_foreign(
    perceivers: dict[str, Perceiver], toolkits: tuple[str, ...] = TOOLKITS, tree: bool = False
) -> list[tuple[str, Outcome]]:
    """Tk screens, GTK screens, then HTML pages; GTK and HTML are skipped with a one-line note
    when their system packages are missing, so the rest still runs.

    ``tree``: also perceive each frame as the agent does by default where apps publish an
    accessibility tree (GTK on the display's bus, Chromium with its renderer's tree on; Tk
    publishes none), in an extra mode beside the vision-only ones."""
    unknown = set(toolkits) - set(TOOLKITS)
    if unknown:
        raise SystemExit(f"unknown toolkit(s) {sorted(unknown)}; choose from {TOOLKITS}")
    results: list[tuple[str, Outcome]] = []
    with (
        Xvfb(*SIZE) as xvfb,
        ScreenCapture(xvfb.display) as cap,
        tempfile.TemporaryDirectory() as tmp,
    ):
        perceivers = dict(perceivers)
        if tree:
            if xvfb.bus is None:
                raise SystemExit(f"no accessibility bus on the bench display: {xvfb.bus_error}")
            os.environ.update(xvfb.bus_env())  # the apps launched below join the bus
            ocr = next(iter(perceivers.values())).ocr
            perceivers[TREE_MODE] = Perceiver(
                ocr, detector=True, accessibility=AtspiSource(xvfb.bus.address)
            )
        if "tk" in toolkits:
            results += run_tk(xvfb.display, cap, perceivers, Path(tmp))
        if "gtk" in toolkits and (reason := gtk_unavailable()) is not None:
            print(f"\nGTK part of the foreign suite skipped: {reason}")
        elif "gtk" in toolkits:
            results += run_gtk(xvfb.display, cap, perceivers, Path(tmp))
        if "html" in toolkits and chromium_binary() is None:
            print("\nchromium is not installed: the HTML part of the foreign suite is skipped")
        elif "html" in toolkits:
            results += run_html(xvfb.display, SIZE, cap, perceivers, tree=tree)
        if tree:
            perceivers[TREE_MODE].close()  # its reader's thread and bus connection
    return results


def report(results: list[tuple[str, Outcome]], modes: list[str], show_misses: bool) -> None:
    """Per perceiver: accuracy by toolkit/theme and by screen, with 95% Wilson intervals."""
    cols = (*TARGET_BUCKETS, "all", "absent")
    for mode in modes:
        outcomes = [o for m, o in results if m == mode]
        print(f"\nforeign-toolkit grounding {mode}, {len(outcomes)} queries; "
              "cells: accuracy hits/total [95% Wilson interval]; absent: icons the screen "
              "does not show, right when not found (outside 'all')\n")  # fmt: skip
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
    perceivers: dict[str, Perceiver],
    show_misses: bool,
    toolkits: tuple[str, ...] = TOOLKITS,
    tree: bool = False,
) -> None:
    t0 = time.monotonic()
    results = run_foreign(perceivers, toolkits, tree)
    report(results, [*perceivers, *([TREE_MODE] if tree else [])], show_misses)
    print(f"\nforeign suite wall time {time.monotonic() - t0:.0f} s")
