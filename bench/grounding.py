"""Grounding accuracy of ``locate``: on our own Qt fixture form, and on foreign toolkits.

Qt suite: the fixture form in five layout variants, its Settings dialog, and the busy
screen's 20 buttons. Ground truth is the app's own widget geometry (its state file).
Foreign suite (bench/foreign/): Tk/ttk and GTK 3 screens in three themes each and HTML pages
in Chromium in three CSS theme families, ground truth from the toolkits' own geometry; it exists
because 100% on the form we designed says little about apps nobody here made.
A hit means the centre of the returned element's box lies inside the true widget's box;
"not found" is a miss.
Run: .venv/bin/python bench/grounding.py [--suite qt|foreign|all] [--variants default,...]
     [--toolkits tk,gtk,html] [--detector both|on|off] [--show-misses]
"""

from __future__ import annotations

import argparse
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import open_settings_dialog, table
from foreign.run import main_foreign

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
    texts = [w["text"] for w in widgets.values()]
    for name in ("btn_save", "btn_cancel", "btn_delete_all", "btn_settings"):
        text = widgets[name]["text"]
        if texts.count(text) > 1:
            continue  # two "Cancel" buttons with a dialog open: no single right answer
        q.append((text, name, "text"))
        q.append((f"the {text} button", name, "text"))
    for name in (
        "menu_file",
        "menu_edit",
        "menu_help",
        "label_plan",
        "label_items",
        "label_heading",
        "status_message",
    ):
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
    if "dialog_server" in widgets:
        q += [
            ("the Server field", "dialog_server", "field"),
            ("the OK button", "dialog_ok", "text"),
            ("the Cancel button below Server", "dialog_cancel", "text"),
            ("checkbox Use proxy", "dialog_proxy", "checkbox"),
        ]
    return q  # fmt: skip


def busy_queries(widgets: dict[str, dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(f"the {w['text']} button", name, "text")
            for name, w in widgets.items() if name.startswith("btn_")]  # fmt: skip


def evaluate(
    app: LaunchedApp,
    perceivers: dict[str, Perceiver],
    cap: ScreenCapture,
    variant: str,
    misses: list[str],
    make: Callable[..., list[tuple[str, str, str]]] = queries,
) -> list[tuple[str, str, str, bool]]:
    """Every query against the same frame, once per perceiver (with and without detector)."""
    frame = cap.grab()
    out = []
    for mode, perceiver in perceivers.items():
        perceiver.reset()
        state = perceiver.perceive(frame)
        out += [(mode, *r) for r in _queries_on(app, state, f"{mode:11} {variant}", misses, make)]
    return out


def _queries_on(
    app: LaunchedApp,
    state: Any,
    variant: str,
    misses: list[str],
    make: Callable[..., list[tuple[str, str, str]]],
) -> list[tuple[str, str, bool]]:
    widgets = {w["name"]: w for w in app.state()["widgets"]}
    out = []
    for query, name, bucket in make(widgets):
        truth = Rect(*widgets[name]["box"])
        try:
            el = locate(state, query).element
            hit = truth.contains_point(Point(int(el.box.cx), int(el.box.cy)))
            got = f"#{el.id} {el.kind.value} {el.text!r} {el.box.as_tuple()}"
        except TargetNotFound as exc:
            hit, got = False, f"not found ({str(exc)[:90]})"
        if not hit:
            misses.append(f"{variant:21} {query!r:40} want {name} {truth.as_tuple()} got {got}")
        out.append((variant.split()[-1], bucket, hit))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--suite",
        choices=("qt", "foreign", "all"),
        default="qt",
        help="our Qt fixture form, Tk, GTK and HTML-in-Chromium screens, or both",
    )
    ap.add_argument("--variants", default=",".join(VARIANTS), help="Qt form variants")
    ap.add_argument(
        "--toolkits", default="tk,gtk,html", help="foreign toolkits to run: tk,gtk,html"
    )
    ap.add_argument("--show-misses", action="store_true")
    ap.add_argument(
        "--tree", action="store_true",
        help="foreign suite: also perceive with the apps' accessibility trees (GTK, Chromium), "
        "as the agent does by default, beside the vision-only modes",
    )  # fmt: skip
    ap.add_argument(
        "--detector", choices=("both", "on", "off"), default="both",
        help="perceive with the UI-element detector, without it, or both on the same frames",
    )  # fmt: skip
    args = ap.parse_args()
    ocr = OcrEngine()
    modes = {"off": ("without detector", False), "on": ("with detector", True)}
    chosen = ("off", "on") if args.detector == "both" else (args.detector,)
    perceivers = {modes[m][0]: Perceiver(ocr, detector=modes[m][1]) for m in chosen}
    if args.suite in ("qt", "all"):
        main_qt(args, perceivers)
    if args.suite in ("foreign", "all"):
        main_foreign(perceivers, args.show_misses, tuple(args.toolkits.split(",")), args.tree)


def main_qt(args: argparse.Namespace, perceivers: dict[str, Perceiver]) -> None:
    """The fixture form's variants, its dialog and the busy screen, as before."""
    results: list[tuple[str, str, str, bool]] = []
    misses: list[str] = []
    with Xvfb(1920, 1080) as xvfb, ScreenCapture(xvfb.display) as cap:
        for variant in args.variants.split(","):
            state_file = Path(tempfile.mkdtemp()) / "form.json"
            with launch_app("form_app", state_file, xvfb.display, variant) as app:
                results += evaluate(app, perceivers, cap, variant, misses)
                if variant == "default":  # the Settings dialog over the form
                    open_settings_dialog(app, xvfb, settle=0.2)
                    results += evaluate(app, perceivers, cap, "dialog", misses)
        with launch_app("busy_app", Path(tempfile.mkdtemp()) / "busy.json", xvfb.display) as app:
            results += evaluate(app, perceivers, cap, "busy", misses, busy_queries)
    buckets = ("text", "field", "checkbox", "icon")
    variants = [*args.variants.split(","), "dialog", "busy"]
    tally: dict[tuple[str, str, str], list[bool]] = defaultdict(list)
    for mode, variant, bucket, hit in results:
        for v in (variant, "all"):
            for b in (bucket, "all"):
                tally[(mode, v, b)].append(hit)

    def cell(m: str, v: str, b: str) -> str:
        hits = tally[(m, v, b)]
        return f"{100 * sum(hits) / len(hits):.0f}% ({sum(hits)}/{len(hits)})" if hits else "-"

    for mode in perceivers:
        rows = [[v, *(cell(mode, v, b) for b in (*buckets, "all"))] for v in (*variants, "all")]
        n = sum(1 for r in results if r[0] == mode)
        print(
            f"\ngrounding accuracy of locate() {mode}, {n} queries; "
            "hit = centre inside the widget\n"
        )
        print(table(["variant", *buckets, "overall"], rows))
    print("\ntargets: text and fields >= 95%, overall >= 80%  (checkbox includes radio buttons)")
    if args.show_misses and misses:
        print("\nmisses:")
        print("\n".join(misses))


if __name__ == "__main__":
    main()
