"""Grounding accuracy of ``locate`` on the fixture form, across layout variants.

Ground truth is the app's own widget geometry (its state file). A hit means the centre of
the returned element's box lies inside the true widget's box; "not found" is a miss.
Run: .venv/bin/python bench/grounding.py [--variants default,moved,...] [--show-misses]
"""

from __future__ import annotations

import argparse
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from _common import table

from gui_agent.geometry import Point, Rect
from gui_agent.headless.xvfb import Xvfb
from gui_agent.perception.locate import TargetNotFound, locate
from gui_agent.perception.ocr import OcrEngine
from gui_agent.perception.perceiver import Perceiver
from gui_agent.screen.capture import ScreenCapture
from tests.apps.launcher import LaunchedApp, launch_app

VARIANTS = ("default", "moved", "dark", "scale125", "scale150")


def queries(widgets: dict[str, dict[str, Any]]) -> list[tuple[str, str, str]]:
    """(query, widget name, kind bucket) built from the app's own widget list."""
    q: list[tuple[str, str, str]] = []
    for field in ("name", "email", "password", "phone", "city"):
        label = widgets[f"label_{field}"]["text"]
        q.append((f"the {label} field", f"field_{field}", "field"))
        q.append((f"the field right of {label}", f"field_{field}", "field"))
    q.append(("the Country dropdown", "combo_country", "field"))
    for name in ("btn_save", "btn_cancel", "btn_delete_all", "btn_settings"):
        text = widgets[name]["text"]
        q.append((text, name, "text"))
        q.append((f"the {text} button", name, "text"))
    for name in ("menu_file", "menu_edit", "menu_help", "label_plan", "label_items",
                 "label_heading", "status_message"):
        q.append((widgets[name]["text"], name, "text"))
    for name in ("label_name", "label_email", "label_country"):
        q.append((f"the label {widgets[name]['text']}", name, "text"))
    for name in ("check_remember", "check_subscribe", "check_terms"):
        text = widgets[name]["text"]
        q.append((f"checkbox {text}", name, "checkbox"))
        q.append((f"the {text} check box", name, "checkbox"))
    for name in ("radio_basic", "radio_pro", "radio_enterprise"):
        q.append((f"radio {widgets[name]['text']}", name, "checkbox"))
    icons = sorted((w for w in widgets.values() if w.get("icon_only")), key=lambda w: w["box"][0])
    ordinals = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"]
    for word, w in zip(ordinals, icons, strict=False):
        q.append((f"the {word} icon", w["name"], "icon"))
    return q  # fmt: skip


def evaluate(app: LaunchedApp, perceiver: Perceiver, cap: ScreenCapture, variant: str,
             misses: list[str]) -> list[tuple[str, str, bool]]:
    perceiver.reset()
    state = perceiver.perceive(cap.grab())
    widgets = {w["name"]: w for w in app.state()["widgets"]}
    out = []
    for query, name, bucket in queries(widgets):
        truth = Rect(*widgets[name]["box"])
        try:
            el = locate(state, query).element
            hit = truth.contains_point(Point(int(el.box.cx), int(el.box.cy)))
            got = f"#{el.id} {el.kind.value} {el.text!r} {el.box.as_tuple()}"
        except TargetNotFound as exc:
            hit, got = False, f"not found ({str(exc)[:90]})"
        if not hit:
            misses.append(f"{variant:9} {query!r:40} want {name} {truth.as_tuple()} got {got}")
        out.append((variant, bucket, hit))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args()
    perceiver = Perceiver(OcrEngine())
    results: list[tuple[str, str, bool]] = []
    misses: list[str] = []
    with Xvfb(1920, 1080) as xvfb, ScreenCapture(xvfb.display) as cap:
        for variant in args.variants.split(","):
            state_file = Path(tempfile.mkdtemp()) / "form.json"
            with launch_app("form_app", state_file, xvfb.display, variant) as app:
                results += evaluate(app, perceiver, cap, variant, misses)
    buckets = ("text", "field", "checkbox", "icon")
    variants = args.variants.split(",")
    tally: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for variant, bucket, hit in results:
        tally[(variant, bucket)].append(hit)
        tally[(variant, "all")].append(hit)
        tally[("all", bucket)].append(hit)
        tally[("all", "all")].append(hit)

    def cell(v: str, b: str) -> str:
        hits = tally[(v, b)]
        return f"{100 * sum(hits) / len(hits):.0f}% ({sum(hits)}/{len(hits)})" if hits else "-"

    rows = [[v, *(cell(v, b) for b in (*buckets, "all"))] for v in (*variants, "all")]
    print(f"\ngrounding accuracy of locate(), {len(results)} queries; hit = centre inside the widget\n")
    print(table(["variant", *buckets, "overall"], rows))
    print("\ntargets: text and fields >= 95%, overall >= 80%  (checkbox includes radio buttons)")
    if args.show_misses and misses:
        print("\nmisses:")
        print("\n".join(misses))


if __name__ == "__main__":
    main()
