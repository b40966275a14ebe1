"""The embedded planner's command grammar, measured on the hand-written corpus.

    python bench/commands.py            parse accuracy per style, tuning vs held-out, negatives,
                                        and the parse time per goal
    python bench/commands.py --fails    also list the tuning lines that do not parse as written
    python bench/commands.py --e2e [N]  the end-to-end goals (tests/test_commands_e2e.py), N runs
                                        each, on Xvfb with the Qt fixture app and Chromium

The corpus (``tests/data/commands/*.txt``, format in its README) is split once, by the goal's
text alone: ``zlib.crc32(goal) % 5 == 0`` is the held-out fifth the grammar was not tuned on.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import table
from gui_agent.errors import GuiAgentError
from gui_agent.planning.commands import UnparsedCommand, parse_goal, spell

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "data" / "commands"
PAGES = REPO / "tests" / "apps" / "commands"


@dataclass(frozen=True)
class Line:
    style: str
    goal: str
    expected: str  # "!" for a negative
    held_out: bool
    where: str

    @property
    def negative(self) -> bool:
        return self.expected == "!"


@dataclass(frozen=True)
class Result:
    line: Line
    got: str  # the spelled plan, or "!" + the refusal message
    ok: bool


def load_corpus(folder: Path = CORPUS) -> list[Line]:
    lines: list[Line] = []
    for path in sorted(folder.glob("*.txt")):
        for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            goal, sep, expected = raw.rpartition(" => ")
            if not sep:
                raise ValueError(f"{path.name}:{n}: no ' => ' in {raw!r}")
            goal = goal.replace("\\n", "\n")
            held = zlib.crc32(goal.encode("utf-8")) % 5 == 0
            lines.append(Line(path.stem, goal, expected.strip(), held, f"{path.name}:{n}"))
    return lines


def check(line: Line) -> Result:
    try:
        got = spell(parse_goal(line.goal))
    except UnparsedCommand as e:
        msg = str(e)
        ok = line.negative and "--planner openai" in msg and "--planner anthropic" in msg
        return Result(line, "! " + msg, ok)
    except GuiAgentError as e:  # any other refusal is still a refusal, without the hint
        return Result(line, "! " + str(e), False)
    return Result(line, got, not line.negative and got == line.expected)


def accuracy(results: list[Result]) -> float:
    return sum(r.ok for r in results) / len(results) if results else 1.0


def _frac(rs: list[Result]) -> str:
    return f"{sum(r.ok for r in rs)}/{len(rs)}"


def _pct(rs: list[Result]) -> str:
    return f"{accuracy(rs):.1%} of {len(rs)}"


def report(show_fails: bool) -> int:
    lines = load_corpus()
    t0 = time.perf_counter()
    results = [check(x) for x in lines]
    per_goal_ms = (time.perf_counter() - t0) / len(lines) * 1000
    worst = 0.0
    for x in lines:
        t = time.perf_counter()
        check(x)
        worst = max(worst, (time.perf_counter() - t) * 1000)
    rows = []
    for style in sorted({x.style for x in lines}):
        rs = [r for r in results if r.line.style == style and not r.line.negative]
        tune = [r for r in rs if not r.line.held_out]
        held = [r for r in rs if r.line.held_out]
        neg = [r for r in results if r.line.style == style and r.line.negative]
        rows.append([style, _frac(tune), _frac(held), _frac(neg) if neg else "-"])
    pos = [r for r in results if not r.line.negative]
    tune = [r for r in pos if not r.line.held_out]
    held = [r for r in pos if r.line.held_out]
    neg = [r for r in results if r.line.negative]
    rows.append(["ALL", _pct(tune), _pct(held), _pct(neg)])
    print(table(["style", "tuning", "held-out", "negatives refused"], rows))
    print(f"\nparse time: {per_goal_ms:.3f} ms per goal on average, {worst:.2f} ms at most")
    if show_fails:
        print("\ntuning lines that fail:")
        for r in results:
            if not r.ok and not r.line.held_out:
                print(f"  {r.line.where}: {r.line.goal!r}")
                print(f"    want {r.line.expected}\n    got  {r.got[:160]}")
    return 0


# --------------------------------------------------------------------------------------------
# End to end: goals run by the whole agent (real Xvfb, perception, input), outcome read back
# --------------------------------------------------------------------------------------------

State = dict[str, Any]


@dataclass(frozen=True)
class Case:
    """One goal on one app. ``app``: "qt" (the fixture form; ``setup`` lines go to its
    command file first) or an HTML page of ``tests/apps/commands`` (``args`` fill it in).
    ``check`` reads the app's state (Qt) or the page's ``window.result``. ``asks``: the run
    must end with the planner's question (and nothing done), not finish."""

    goal: str
    style: str
    app: str
    check: Callable[[State], bool]
    args: dict[str, Any] = field(default_factory=dict)
    setup: tuple[str, ...] = ()
    asks: bool = False


def page_html(case: Case) -> str:
    body = (PAGES / f"{case.app}.html").read_text(encoding="utf-8")
    css = (PAGES / "_style.css").read_text(encoding="utf-8")
    a = case.args
    body = body.replace("{{QUERY}}", a.get("query", case.goal)).replace("{{ARGS}}", json.dumps(a))
    body = body.replace("{{BUTTON}}", a.get("button", "Submit"))
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><style>{css}</style>'
        f"</head><body>{body}</body></html>"
    )


def _clicked(*labels: str) -> Callable[[State], bool]:
    return lambda r: r.get("clicks") == list(labels)


def _submitted(value: object) -> Callable[[State], bool]:
    return lambda r: r.get("submitted") == value


TABS = {"tabs": [["Tab #1", ["lorem", "ipsum"]], ["Tab #2", ["sed", "amet"]],
                 ["Tab #3", ["dolor", "elit"]]]}  # fmt: skip
SECTIONS = {"sections": [["Lorem", ["sed", "quis"]], ["Ipsum", ["nunc", "vitae"]],
                         ["Dolor", ["magna", "felis"]]]}  # fmt: skip
OK_CANCEL = {"buttons": ["OK", "Cancel", "Save"], "links": ["sed", "ipsum", "dolor"]}
WORDS = {"words": ["ACjXo", "ktK", "pqWm", "ZAHr", "Lmn"]}
PEOPLE = {"words": ["Alice", "Bob", "Carol", "Dave", "Eve"]}
FRUIT = {"words": ["Apples", "Pears", "Grapes", "Plums", "Figs"]}
CITIES = {"radios": ["London", "Paris", "Rome"], "items": ["Madrid", "Berlin", "Oslo"]}
LOGIN = {"fields": ["Username", "Password"], "button": "Log in"}

E2E_CASES: tuple[Case, ...] = (
    # -- the fixture Qt form ------------------------------------------------------------------
    Case('Fill in the name with "Ana" and the email with "ana@x.org", then hit Save.', "form",
         "qt", lambda st: st["fields"]["name"] == "Ana" and st["fields"]["email"] == "ana@x.org"
         and st["saved_count"] == 1),
    Case('Type "Lyon" in the City field and press Save.', "type", "qt",
         lambda st: st["fields"]["city"] == "Lyon" and st["saved_count"] == 1),
    Case('Tick "Remember me" and "Accept terms", then click Save.', "check", "qt",
         lambda st: st["checkboxes"]["remember"] and st["checkboxes"]["terms"]
         and not st["checkboxes"]["subscribe"] and st["saved_count"] == 1),
    Case("Select Pro", "select", "qt", lambda st: st["radio"] == "pro"),
    Case('Choose "Enterprise" and click Save', "select", "qt",
         lambda st: st["radio"] == "enterprise" and st["saved_count"] == 1),
    Case("Select Item 3.", "select", "qt", lambda st: st["list_selected"] == "Item 3"),
    Case("Choose France from the Country dropdown", "select", "qt",
         lambda st: st["country"] == "France"),
    Case("Uncheck all boxes", "check", "qt",
         lambda st: not any(st["checkboxes"].values()),
         setup=("check remember on", "check subscribe on")),
    Case("Please set Phone to 555-0100.", "fill", "qt",
         lambda st: st["fields"]["phone"] == "555-0100"),
    Case("Clear the Name field", "fill", "qt", lambda st: st["fields"]["name"] == "",
         setup=("set name Somebody",)),
    Case('Enter "x1y2" as the password', "fill", "qt",
         lambda st: st["fields"]["password"] == "x1y2"),
    Case("Could you tick Subscribe to newsletter?", "polite", "qt",
         lambda st: st["checkboxes"]["subscribe"]),
    Case("Check Remember me, Accept terms and Subscribe to newsletter", "list", "qt",
         lambda st: all(st["checkboxes"].values())),
    Case('Type "Ana" into the Name field. Then press Save.', "sequence", "qt",
         lambda st: st["fields"]["name"] == "Ana" and st["saved_count"] == 1),
    Case("click Cancel", "click", "qt", lambda st: "btn_cancel" in st["clicks"]),
    # -- HTML pages in Chromium ---------------------------------------------------------------
    Case("Click the button.", "role", "buttons", _clicked("Next"),
         {"buttons": ["Next"], "big": True}),
    Case("Click the button.", "role", "buttons", _clicked(), OK_CANCEL, asks=True),
    Case('Click on the "OK" button.', "click", "buttons", _clicked("OK"), OK_CANCEL),
    Case('Click the link "sed".', "click", "buttons", _clicked("sed"), OK_CANCEL),
    Case("Hit Save", "keys", "buttons", _clicked("Save"), OK_CANCEL),
    Case("Press Cancel.", "keys", "buttons", _clicked("Cancel"), OK_CANCEL),
    Case("Can you click ipsum?", "polite", "buttons", _clicked("ipsum"), OK_CANCEL),
    Case("Select ACjXo, ktK, ZAHr and click Submit", "list", "checkboxes",
         _submitted(["ACjXo", "ktK", "ZAHr"]), WORDS),
    Case("Select Alice, Bob and Eve and click Submit.", "list", "checkboxes",
         _submitted(["Alice", "Bob", "Eve"]), PEOPLE),
    Case('Tick "Carol" and "Dave", then press Submit', "check", "checkboxes",
         _submitted(["Carol", "Dave"]), PEOPLE),
    Case("Select nothing and click Submit", "list", "checkboxes", _submitted([]), PEOPLE),
    Case("Check Apples, Pears, and Plums. Then hit Submit.", "list", "checkboxes",
         _submitted(["Apples", "Pears", "Plums"]), FRUIT),
    Case('Enter "Kasey" into the text field and press Submit.', "type", "form",
         _submitted(["Kasey"]), {"fields": [""]}),
    Case('Type "abc" in the box.', "type", "form",
         lambda r: r.get("values") == ["abc"], {"fields": [""]}),
    Case('Type "42" into the box and submit.', "login", "form", _submitted(["42"]),
         {"fields": [""], "button": "Send"}),
    Case('Fill in the username with "ana" and the password with "x1y2", then log in.', "login",
         "form", _submitted(["ana", "x1y2"]), LOGIN),
    Case("Log in as bob with password hunter2", "login", "form", _submitted(["bob", "hunter2"]),
         {"fields": ["Username", "Password"], "button": "Sign in"}),
    Case("Focus into the 2nd input box.", "role", "form", lambda r: r.get("focused") == 1,
         {"fields": ["", "", ""]}),
    Case('Type "Lima" into the second field', "role", "form",
         lambda r: r.get("values") == ["", "Lima", ""], {"fields": ["", "", ""]}),
    Case('Type "x" into the text field', "role", "form", lambda r: r.get("values") == ["", ""],
         {"fields": ["", ""]}, asks=True),
    Case('Click on Tab #2, then click the link "sed".', "navigate", "tabs",
         lambda r: r.get("clicked") == "sed", TABS),
    Case('Go to Tab #3 and click "elit"', "navigate", "tabs",
         lambda r: r.get("clicked") == "elit", TABS),
    Case('Switch to the tab labelled "Tab #2".', "navigate", "tabs",
         lambda r: r.get("tab") == 2, TABS),
    Case('Expand the section "Lorem".', "navigate", "sections",
         lambda r: r.get("open") == ["Lorem"], SECTIONS),
    Case('Expand "Ipsum" and click the link "vitae".', "navigate", "sections",
         lambda r: r.get("clicked") == "vitae", SECTIONS),
    Case("Open the section Dolor", "navigate", "sections",
         lambda r: r.get("open") == ["Dolor"], SECTIONS),
    Case('Select "Paris" and click Submit', "select", "choices",
         _submitted({"radio": "Paris", "item": None}), CITIES),
    Case("Choose Berlin from the list and submit.", "select", "choices",
         _submitted({"radio": None, "item": "Berlin"}), CITIES),
    Case("Pick Rome.", "select", "choices", lambda r: r.get("radio") == "Rome", CITIES),
)  # fmt: skip


@dataclass
class Run:
    ok: bool
    status: str
    detail: str
    seconds: float


class YesApprover:
    """A person who approves each step the gate asks about (a submit, typing a password): the
    runs measure the planner, not the policy, which ``bench/gate.py`` measures."""

    def review(self, action: Any, assessment: Any, description: str) -> Any:
        from gui_agent.control.approvers import Approval

        return Approval.approve("approved by the bench")


class E2EHarness:
    """A display, an OCR engine and (for pages) one Chromium, shared by every run."""

    def __init__(self, display: str, width: int, height: int) -> None:
        from gui_agent.perception.ocr import OcrEngine

        self.display, self.size = display, (width, height)
        self.engine = OcrEngine()
        self.browser: Any = None
        self.tmp = Path(tempfile.mkdtemp(prefix="ga-commands-e2e-"))
        self.count = 0

    def close(self) -> None:
        if self.browser is not None:
            self.browser.close()
            self.browser = None
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _session_run(self, goal: str) -> Any:
        from gui_agent.agent.factory import SessionParts, SessionSpec, build_session
        from gui_agent.control.executor import PyAutoGuiBackend
        from gui_agent.control.risk import Autonomy
        from gui_agent.perception.perceiver import Perceiver
        from gui_agent.screen.capture import ScreenCapture

        self.count += 1
        with ScreenCapture(self.display) as cap:
            spec = SessionSpec.of(goal=goal, autonomy=Autonomy.AUTO, max_steps=40,
                                  journal=self.tmp / f"{self.count}.db")  # fmt: skip
            parts = SessionParts(
                capture=cap,
                approver=YesApprover(),
                backend=PyAutoGuiBackend(),
                perceiver=Perceiver(self.engine),
            )
            with build_session(spec, parts) as session:
                return session.run()

    def run(self, case: Case) -> Run:
        t0 = time.perf_counter()
        if case.app == "qt":
            return self._run_qt(case, t0)
        from gui_agent.training.chromium import Chromium

        if self.browser is None:
            self.browser = Chromium(*self.size, display=self.display)
        self.browser.load("<html><body></body></html>")
        self.browser.load(page_html(case))
        time.sleep(1.0)  # the X window shows the new page a few frames after the DOM has it
        out = self._session_run(case.goal)
        time.sleep(0.3)
        result = json.loads(self.browser.evaluate("JSON.stringify(window.result)"))
        return self._judge(case, out, result, t0)

    def _run_qt(self, case: Case, t0: float) -> Run:
        from tests.apps.launcher import launch_app

        self.close()  # the kiosk browser would cover the form
        app = launch_app("form_app", self.tmp / f"form-{self.count}.json", self.display)
        try:
            for line in case.setup:
                app.command(line)
            out = self._session_run(case.goal)
            time.sleep(0.3)
            try:
                st = app.wait_for(case.check, timeout=3)
            except Exception:
                st = app.state()
            return self._judge(case, out, st, t0)
        finally:
            app.close()

    @staticmethod
    def _judge(case: Case, out: Any, state: State, t0: float) -> Run:
        try:
            good = bool(case.check(state))
        except (KeyError, TypeError):
            good = False
        if case.asks:
            ok = out.status == "failed" and "asks" in out.message and good
        else:
            ok = out.status == "finished" and good
        detail = "" if ok else f"{out.status}: {out.message[:150]}"
        return Run(ok, out.status, detail, time.perf_counter() - t0)


@contextmanager
def e2e_harness(width: int = 1280, height: int = 800) -> Iterator[E2EHarness]:
    from gui_agent.headless.xvfb import virtual_display

    with virtual_display(width, height) as xvfb:
        h = E2EHarness(xvfb.display, width, height)
        try:
            yield h
        finally:
            h.close()


def run_e2e(runs: int, only: str = "") -> int:
    from bench.foreign.scoring import wilson

    cases = [c for c in E2E_CASES if only.lower() in c.goal.lower()]
    # Qt cases first, then pages, so the browser starts once.
    cases.sort(key=lambda c: c.app != "qt")
    rows, total, hits = [], 0, 0
    with e2e_harness() as h:
        for case in cases:
            results = [h.run(case) for _ in range(runs)]
            n_ok = sum(r.ok for r in results)
            lo, hi = wilson(n_ok, runs)
            total += runs
            hits += n_ok
            secs = sum(r.seconds for r in results) / runs
            why = next((r.detail for r in results if not r.ok), "")
            rows.append([case.goal[:60], case.style, f"{n_ok}/{runs}", f"{lo:.0%}-{hi:.0%}",
                         f"{secs:.1f}s", why[:70]])  # fmt: skip
            print(" | ".join(str(c) for c in rows[-1]), flush=True)
    print()
    print(table(["goal", "style", "passes", "Wilson 95%", "s/run", "first failure"], rows))
    lo, hi = wilson(hits, total)
    goals_ok = sum(1 for r in rows if r[2].split("/")[0] == r[2].split("/")[1])
    print(f"\n{len(rows)} goals, {total} runs: {hits / max(total, 1):.1%} passed "
          f"(Wilson 95% {lo:.0%}-{hi:.0%}); {goals_ok} goals passed every run")  # fmt: skip
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fails", action="store_true", help="list failing tuning lines")
    ap.add_argument("--e2e", nargs="?", const=3, type=int, metavar="RUNS",
                    help="run the end-to-end goals RUNS times each")  # fmt: skip
    ap.add_argument("--only", default="", help="with --e2e: goals containing this text")
    args = ap.parse_args(argv)
    if args.e2e:
        return run_e2e(args.e2e, args.only)
    return report(args.fails)


if __name__ == "__main__":
    raise SystemExit(main())
