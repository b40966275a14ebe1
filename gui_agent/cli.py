"""`gui-agent` command line: thin surface over the library; no logic of its own beyond I/O."""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

from gui_agent import __version__
from gui_agent.control.estop import DEFAULT_STOP_HOTKEY
from gui_agent.errors import GuiAgentError
from gui_agent.geometry import Rect

_MAX_PX = 100_000  # screen pixels: larger than any display


def _parse_region(text: str) -> Rect:
    try:
        x, y, w, h = (int(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError("region must be X,Y,W,H in screen pixels") from None
    if not (abs(x) <= _MAX_PX and abs(y) <= _MAX_PX and 0 < w <= _MAX_PX and 0 < h <= _MAX_PX):
        raise argparse.ArgumentTypeError(
            f"region {_shown(text)}: W and H must be more than 0, and every number at most "
            f"{_MAX_PX} pixels"
        )
    return Rect(x, y, w, h)


def _geometry(text: str) -> str:
    """``--geometry X,Y,W,H``: checked like a region, handed on as written."""
    _parse_region(text)
    return text


def _shown(text: str) -> str:
    return repr(text if len(text) <= 24 else text[:21] + "...")


def _whole(low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse ``type``: a whole number from ``low`` to ``high`` (inclusive)."""
    span = f"from {low} to {high}" if high is not None else f"(at least {low})"

    def whole(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{_shown(text)} is not a whole number") from None
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"must be a whole number {span}, not {_shown(text)}")
        return value

    return whole


def _number(
    low: float, high: float, *, above: bool = False, unit: str = ""
) -> Callable[[str], float]:
    """An argparse ``type``: a finite number from ``low`` (or more than it, ``above``) to
    ``high``; NaN and infinity are refused."""
    span = f"{'more than' if above else 'from'} {low:g} {'and at most' if above else 'to'} {high:g}"
    span += f" {unit}" if unit else ""

    def number(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{_shown(text)} is not a number") from None
        if not (
            math.isfinite(value) and (value > low if above else value >= low) and value <= high
        ):
            raise argparse.ArgumentTypeError(f"must be {span}, not {_shown(text)}")
        return value

    return number


def _step_param(text: str) -> tuple[int, str]:
    """``edit-demo --param STEP=NAME``."""
    number, sep, name = text.partition("=")
    if not sep or not number.strip().isascii() or not number.strip().isdigit() or not name:
        raise argparse.ArgumentTypeError(f"{_shown(text)}: write STEP=NAME, e.g. --param 2=email")
    step = _whole(1, 1_000_000)(number.strip())
    return step, name


# -- commands ------------------------------------------------------------------------------


def cmd_doctor(args: argparse.Namespace) -> int:
    from gui_agent import doctor
    from gui_agent.headless.xvfb import maybe_virtual_display

    with maybe_virtual_display(args.xvfb):
        results = doctor.run_checks()
    print(doctor.render(results))
    return doctor.exit_code(results)


@contextlib.contextmanager
def _native_stderr() -> Iterator[list[str]]:
    """Hold back what C libraries print on stderr (libpng's "Read Error"), so a bad file is
    reported in gui-agent's one line; yields the list their lines are added to."""
    said: list[str] = []
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with tempfile.TemporaryFile() as tmp:
            os.dup2(tmp.fileno(), 2)
            try:
                yield said
            finally:
                os.dup2(saved, 2)
                tmp.seek(0)
                lines = tmp.read(4096).decode("utf-8", "replace").split("\n")
                said[:0] = [" ".join(line.split()) for line in lines if line.strip()]
    finally:
        os.close(saved)


def _load_frame(args: argparse.Namespace) -> object:
    from gui_agent.screen.frame import Frame

    if args.image:
        import cv2

        if not args.image.is_file():
            what = "is a folder" if args.image.is_dir() else "no such file"
            raise GuiAgentError(f"cannot read image {args.image} ({what})")
        with _native_stderr() as said:  # libpng prints its complaints on fd 2
            try:
                pixels = cv2.imread(str(args.image), cv2.IMREAD_COLOR)
            except cv2.error as exc:  # e.g. a header claiming more pixels than OpenCV decodes
                pixels, why = None, " ".join(str(exc).split()).rpartition(") ")[2]
                said.append(f"too large or damaged: {why}")
        if pixels is None:
            why = next((m for m in reversed(said) if not m.startswith("[")), "not an image")
            raise GuiAgentError(f"cannot read image {args.image} ({why})")
        return Frame.from_array(pixels)
    from gui_agent.screen.capture import ScreenCapture

    with ScreenCapture() as cap:
        return cap.grab(monitor=args.monitor, region=args.region)


def cmd_perceive(args: argparse.Namespace) -> int:
    from gui_agent.headless.xvfb import maybe_virtual_display
    from gui_agent.perception.annotate import annotate, save_png
    from gui_agent.perception.listing import elements_table, report_queries
    from gui_agent.perception.perceiver import Perceiver
    from gui_agent.screen.frame import Frame

    with maybe_virtual_display(args.xvfb):
        frame = _load_frame(args)
        assert isinstance(frame, Frame)
        state = Perceiver().perceive(frame)
    if args.json:
        data = state.to_dict()
        data["timings"] = state.timings
        print(json.dumps(data, indent=2))
    else:
        print(elements_table(state))
        print(
            f"\n{len(state.elements)} elements in {state.timings.get('total', 0) * 1000:.0f} ms "
            f"(ocr {state.timings.get('ocr', 0) * 1000:.0f} ms, "
            f"shapes {state.timings.get('proposals', 0) * 1000:.0f} ms)"
        )
    if args.find:
        print("\nlocate:")
        report_queries(state, args.find)
    if args.png:
        save_png(annotate(frame, state), args.png)
        print(f"\nannotated frame written to {args.png}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """The sample form on a virtual display: what the agent perceives, then the agent filling
    it (see ``gui_agent.sample.demo``)."""
    from gui_agent.sample.demo import run_demo

    return run_demo(launch=args.launch, use_display=args.use_display, png=args.png,
                    out=args.out, find=args.find or ())  # fmt: skip


def _spec(args: argparse.Namespace, **values: Any) -> Any:
    """The ``SessionSpec`` of ``run`` / ``replay``: every option range-checked in one place."""
    from gui_agent.agent.factory import SessionSpec
    from gui_agent.control.risk import RiskRules

    try:
        rules = RiskRules(always_ask=args.always_ask or [], never_allow=args.never_allow or [],
                          allow=args.allow or [])  # fmt: skip
    except ValueError as exc:
        why = _first_error(exc)
        raise GuiAgentError(f"--allow / --always-ask / --never-allow: {why}") from None
    return SessionSpec.of(
        autonomy=args.autonomy, rules=rules, max_steps=args.max_steps,
        step_timeout=args.step_timeout, typing_interval=args.typing_interval,
        journal=args.journal, accessibility=args.accessibility, **values,
    )  # fmt: skip


def _first_error(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors(include_url=False, include_input=False)[0]
        return str(first["msg"]).removeprefix("Value error, ")
    return str(exc)


def cmd_run(args: argparse.Namespace) -> int:
    """Drive the screen towards a goal, asking before each action unless autonomy says not."""
    spec = _spec(args, goal=args.goal, planner=args.planner, model=args.model,
                 base_url=args.base_url, llm_timeout=args.timeout,
                 examples=tuple(args.example or ()), images=args.images,
                 grounding=args.grounding, grounder_url=args.grounder_url,
                 grounder_model=args.grounder_model, grounder_style=args.grounder_style,
                 grounder_convention=args.grounder_convention)  # fmt: skip
    return _drive(spec, args.stop_hotkey)


def cmd_replay(args: argparse.Namespace) -> int:
    """Play a recorded demo back through the same gate, executor, undo and journal."""
    spec = _spec(args, planner="demo", demo=args.demo,
                 params=dict(_parse_param(p) for p in args.param or []),
                 demo_threshold=args.threshold, demo_wait=args.wait,
                 demo_speed=args.speed)  # fmt: skip
    return _drive(spec, args.stop_hotkey)


def _ask_secret(name: str, where: str) -> str | None:
    import getpass

    if not sys.stdin.isatty():
        return None
    return getpass.getpass(f"{where}\nvalue for {{{name}}} (not shown, not stored): ")


def _parse_param(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise GuiAgentError(f"--param {text!r}: write NAME=VALUE")
    return name.strip(), value


def _drive(spec: Any, stop_hotkey: str) -> int:
    """The session loop for ``run`` and ``replay``: stop hotkey, capture, printing."""
    from gui_agent.agent.factory import SessionParts, build_session
    from gui_agent.agent.session import Event, EventKind
    from gui_agent.control.approvers import default_approver
    from gui_agent.control.estop import HotkeyError, StopHotkey, StopSwitch
    from gui_agent.screen.capture import ScreenCapture

    def show(event: Event) -> None:
        if event.kind in (EventKind.STEP_PLANNED, EventKind.EXECUTED, EventKind.VERIFIED,
                          EventKind.REJECTED, EventKind.UNDONE):  # fmt: skip
            print(f"[{event.step:>2}] {event.kind.value:<12} {event.message}", flush=True)

    switch = StopSwitch()
    hotkey = StopHotkey(switch, stop_hotkey)
    with ScreenCapture() as cap:
        parts = SessionParts(capture=cap, approver=default_approver(), on_event=show,
                             switch=switch, ask_secret=_ask_secret)  # fmt: skip
        with build_session(spec, parts) as session, contextlib.closing(hotkey):
            try:
                hotkey.start()
                print(f"emergency stop: {stop_hotkey}, or the pointer into a screen corner",
                      flush=True)  # fmt: skip
            except HotkeyError as exc:
                print(f"warning: {exc}; the screen-corner fail-safe still stops the agent",
                      flush=True)  # fmt: skip
            outcome = session.run()
            path = session.journal.path
    print(f"\n{outcome.status}: {outcome.message} ({outcome.steps} steps; journal {path})")
    return 0 if outcome.status == "finished" else 1


def cmd_record(args: argparse.Namespace) -> int:
    """Record a demonstration until the stop hotkey, Ctrl+C or SIGTERM, then save it."""
    import signal

    from gui_agent.demo.recorder import Recorder

    recorder = Recorder(args.out, stop_hotkey=args.stop_hotkey)
    # The handlers only note the signal; the loop below stops the recorder. A handler runs
    # between two bytecodes of the main thread, which may be inside ``recorder.wait`` holding
    # its event's lock: stopping the recorder there (or a KeyboardInterrupt raised there)
    # can deadlock on that lock or leave it held, and Ctrl+C then never saves.
    signals: list[str] = []
    signal.signal(signal.SIGTERM, lambda *_: signals.append("SIGTERM"))
    signal.signal(signal.SIGINT, lambda *_: signals.append("Ctrl+C"))
    recorder.start()
    print(f"recording to {args.out}: press {args.stop_hotkey} or Ctrl+C to stop and save",
          flush=True)  # fmt: skip
    while not signals and not recorder.wait(0.2):
        pass
    if signals:
        recorder.stop(signals[0])
    result = recorder.finish()
    print(f"saved {result.steps} steps to {result.path} (stopped by {result.stopped_by})")
    return 0


def cmd_app(args: argparse.Namespace) -> int:
    """Open the desktop app; it owns its own event loop and exit status."""
    from gui_agent.app.main import main as app_main

    argv = ["--goal", args.goal] if args.goal else []
    if args.geometry:
        argv += ["--geometry", args.geometry]
    if args.quit_after_paint:
        argv.append("--quit-after-paint")
    return app_main(argv)


def cmd_test(args: argparse.Namespace) -> int:
    """Run task files unattended on virtual displays; JUnit and HTML reports on request."""
    from gui_agent.headless.console import TestConsole
    from gui_agent.headless.runner import run_tasks, shard
    from gui_agent.headless.taskfile import TaskFileError, collect, load_task

    try:
        tasks = [load_task(p) for p in collect(args.paths)]
    except TaskFileError as exc:
        print(f"gui-agent test: {exc}", file=sys.stderr)
        return 2
    if not tasks:
        print(f"gui-agent test: no task files (*.yaml) in {' '.join(args.paths)}", file=sys.stderr)
        return 2
    if args.shard:
        tasks = shard(tasks, args.shard)
    console = TestConsole(len(tasks), args.jobs)
    # Journals are kept beside the HTML report, so a failure can be looked into afterwards.
    work = args.html / "journals" if args.html else None
    results = run_tasks(tasks, jobs=args.jobs, keep_going=args.keep_going,
                        on_start=console.started, on_result=console.finished,
                        work_dir=work)  # fmt: skip
    console.summary(results, not_run=len(tasks) - len(results))
    if args.junit:
        from gui_agent.headless.report import write_junit

        print(f"JUnit XML: {write_junit(results, args.junit)}")
    if args.html:
        from gui_agent.headless.report import write_html

        print(f"HTML report: {write_html(results, args.html)}")
    return 0 if results and all(r.passed for r in results) and len(results) == len(tasks) else 1


def _record_once(args: argparse.Namespace, number: int, demo: Any) -> Any:
    """Record the new version of one step into a scratch demo and return it."""
    import tempfile

    from gui_agent.demo.format import load_demo
    from gui_agent.demo.recorder import Recorder

    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / "step.gademo"
        recorder = Recorder(scratch, stop_hotkey=args.stop_hotkey).start()
        print(f"step {number} was: {demo.steps[number - 1].action.describe()}\n"
              f"do it again now, then press {args.stop_hotkey} or Ctrl+C", flush=True)  # fmt: skip
        try:
            while not recorder.wait(0.2):
                pass
        except KeyboardInterrupt:
            recorder.stop("Ctrl+C")
        recorder.finish()
        return load_demo(scratch)


def cmd_edit_demo(args: argparse.Namespace) -> int:
    """Show a demo's steps; delete steps or turn typed values into parameters."""
    from gui_agent.demo.format import load_demo, save_demo

    demo = load_demo(args.demo)
    # Every number is a step of the listing the user saw: check them all before changing
    # anything, and delete last (later steps first), so no edit renumbers another's step.
    for number in [*(args.delete or []), *(n for n, _ in args.param or []),
                   *([args.rerecord] if args.rerecord is not None else [])]:  # fmt: skip
        demo.step(number)
    for number, name in args.param or []:
        demo.make_parameter(number, name)
    if args.rerecord is not None:
        demo.replace_step(args.rerecord, _record_once(args, args.rerecord, demo))
    for number in sorted(set(args.delete or []), reverse=True):
        demo.delete_step(number)
    if args.delete or args.param or args.rerecord is not None:
        save_demo(demo, args.demo)
    m = demo.manifest
    print(f"{args.demo}: {len(demo.steps)} steps, screen {m.screen[0]}x{m.screen[1]}, "
          f"recorded {m.created_at:%Y-%m-%d %H:%M}, parameters: "
          f"{', '.join(demo.params()) or 'none'}")  # fmt: skip
    for i, step in enumerate(demo.steps, 1):
        print(f"{i:>3}. {step.action.describe()}")
    return 0


def cmd_sessions(args: argparse.Namespace) -> int:
    """List past sessions, or show one session's steps."""
    from gui_agent.agent.journal import Journal, default_journal_dir

    folder = args.dir or default_journal_dir()
    if folder.exists() and not folder.is_dir():
        raise GuiAgentError(f"--dir {folder}: a file, not a folder of journals")
    files = sorted(folder.glob("*.db")) if folder.exists() else []
    if args.show is None:
        if not files:
            print(f"no sessions in {folder}")
        for i, f in enumerate(files, 1):
            with Journal(f, create=False) as j:
                for s in j.sessions():
                    print(f"{i:>3}  {s.started_at:%Y-%m-%d %H:%M:%S}  "
                          f"{(s.outcome or 'running/crashed'):<10} {s.step_count:>3} steps  "
                          f"{s.goal[:60]}")  # fmt: skip
        return 0
    if not 1 <= args.show <= len(files):
        raise GuiAgentError(f"no session {args.show}: there are {len(files)} in {folder}")
    with Journal(files[args.show - 1], create=False) as j:
        for s in j.sessions():
            print(f"goal: {s.goal}\nplanner: {s.planner}, autonomy: {s.autonomy}, "
                  f"outcome: {s.outcome or 'running/crashed'}")  # fmt: skip
            for r in j.steps(s.id):
                what = r.action.get("type", "?")
                v = r.verification
                proof = "-" if v is None or v.proven is None else \
                    "proven" if v.proven else "UNPROVEN"  # fmt: skip
                print(f"  {r.index:>3} {what:<7} {r.approval:<8} {r.result or '-':<7} "
                      f"{proof:<8} undo={r.undo_status:<12} {r.result_message[:70]}")  # fmt: skip
    return 0


# -- entry point ---------------------------------------------------------------------------


def _session_options(p: argparse.ArgumentParser) -> None:
    """The options every command that drives a session shares (run, replay)."""
    p.add_argument("--autonomy", choices=["ask", "ask-risky", "auto"], default="ask")
    p.add_argument("--no-accessibility", dest="accessibility", action="store_false",
                   help="read pixels only, not the apps' accessibility tree")  # fmt: skip
    p.add_argument("--max-steps", type=_whole(1, 10_000), default=30)
    p.add_argument(
        "--step-timeout",
        type=_number(0, 86_400, above=True, unit="seconds"),
        default=120.0,
        help="seconds a planner may take for one step before the run fails",
    )
    p.add_argument("--always-ask", action="append", metavar="PATTERN")
    p.add_argument("--never-allow", action="append", metavar="PATTERN")
    p.add_argument("--allow", action="append", metavar="PATTERN")
    p.add_argument(
        "--typing-interval",
        type=_number(0, 5, unit="seconds"),
        default=0.0,
        help="seconds between keys",
    )
    p.add_argument("--journal", type=Path, help="journal file (default: a new one per session)")
    p.add_argument(
        "--stop-hotkey",
        default=DEFAULT_STOP_HOTKEY,
        help=f"global emergency-stop keys (default {DEFAULT_STOP_HOTKEY})",
    )


class _Parser(argparse.ArgumentParser):
    """argparse, its error kept to one line when an argument it quotes holds a line break."""

    def error(self, message: str) -> NoReturn:
        super().error(message.replace("\r", "\\r").replace("\n", "\\n"))


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="gui-agent",
        description="A desktop GUI agent: sees the screen, finds UI elements, acts with approval.",
    )
    p.add_argument("--version", action="version", version=f"gui-agent {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    d = sub.add_parser("doctor", help="check display, input, Qt, onnxruntime and model files")
    d.add_argument("--xvfb", action="store_true", help="check against a private virtual display")
    d.set_defaults(func=cmd_doctor)

    pc = sub.add_parser("perceive", help="list the UI elements on screen (or in an image)")
    pc.add_argument("--png", type=Path, help="save the frame with boxes and ids drawn on it")
    pc.add_argument("--json", action="store_true", help="print the screen state as JSON")
    pc.add_argument("--monitor", type=_whole(1), default=None, help="capture one monitor (1-based)")
    pc.add_argument("--region", type=_parse_region, help="capture X,Y,W,H only")
    pc.add_argument("--image", type=Path, help="perceive a PNG file instead of the screen")
    pc.add_argument("--find", action="append", metavar="QUERY", help="locate a target (repeatable)")
    pc.add_argument("--xvfb", action="store_true", help="capture a private virtual display")
    pc.set_defaults(func=cmd_perceive)

    dm = sub.add_parser("demo", help="the agent on a sample form: what it sees, then it fills it")
    dm.add_argument("--png", type=Path, help="the annotated frame (default: OUT/perception.png)")
    dm.add_argument("--launch", help="command line of the app to open instead of the sample")
    dm.add_argument("--find", action="append", metavar="QUERY", help="queries to locate")
    dm.add_argument("--use-display", action="store_true", help="use $DISPLAY, not a new Xvfb")
    dm.add_argument(
        "--out",
        type=Path,
        default=Path("demo-output"),
        help="folder for the journal, the form's state and the HTML report",
    )
    dm.set_defaults(func=cmd_demo)

    sf = sub.add_parser(
        "sample-form",
        add_help=False,
        help="open the sample form the demo drives (--help for its options)",
    )
    sf.add_argument("rest", nargs=argparse.REMAINDER)  # main() hands these to the form

    r = sub.add_parser("run", help="work towards a goal on the screen, asking before acting")
    r.add_argument("goal", help="e.g. \"type 'Alice' into Name, tick Remember me, click Save\"")
    r.add_argument("--planner", choices=["embedded", "openai", "anthropic", "computer-use"],
                   default="embedded",
                   help="computer-use: Claude's computer-use tool (screen points)")  # fmt: skip
    r.add_argument("--model", help="LLM model name (openai/anthropic planners)")
    r.add_argument("--images", choices=["auto", "on", "off"], default="auto",
                   help="Set-of-Mark screenshots for LLM planners (auto: per model)")  # fmt: skip
    r.add_argument("--grounding", choices=["off", "fallback", "always"], default="off",
                   help="ask a grounding model when a target has no confident match")  # fmt: skip
    r.add_argument("--grounder-url", help="OpenAI-compatible server hosting the grounding model")
    r.add_argument("--grounder-model", help="the grounding model's name on that server")
    r.add_argument("--grounder-style", choices=["ui-tars", "qwen2.5-vl", "os-atlas"],
                   default="ui-tars")  # fmt: skip
    r.add_argument("--grounder-convention", default="auto",
                   choices=["auto", "absolute", "relative", "thousandths"])  # fmt: skip
    r.add_argument("--base-url", help="OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1")
    r.add_argument(
        "--timeout",
        type=_number(0, 3600, above=True, unit="seconds"),
        default=60.0,
        help="LLM request timeout, seconds",
    )
    r.add_argument(
        "--example",
        action="append",
        type=Path,
        metavar="DEMO",
        help="a recorded demo shown to an LLM planner as a worked example",
    )
    _session_options(r)
    r.set_defaults(func=cmd_run)

    rp = sub.add_parser("replay", help="play a recorded demo back, re-locating its targets")
    rp.add_argument("demo", type=Path)
    rp.add_argument(
        "--param",
        action="append",
        metavar="NAME=VALUE",
        help="a value for a {NAME} parameter of the demo (repeatable)",
    )
    rp.add_argument(
        "--speed",
        type=_number(0, 100),
        default=0.0,
        help="replay the recorded pauses divided by this (0: adaptive waits only)",
    )
    rp.add_argument(
        "--wait",
        type=_number(0, 3600, unit="seconds"),
        default=10.0,
        help="seconds to wait for each target to appear",
    )
    rp.add_argument(
        "--threshold",
        type=_number(0, 1),
        default=0.6,
        help="confidence a re-located target needs; below it the step stops",
    )
    _session_options(rp)
    rp.set_defaults(func=cmd_replay)

    rc = sub.add_parser("record", help="record a demonstration until the stop hotkey or Ctrl+C")
    rc.add_argument("out", type=Path, help="the demo file to write (.gademo)")
    rc.add_argument("--stop-hotkey", default=DEFAULT_STOP_HOTKEY)
    rc.set_defaults(func=cmd_record)

    ed = sub.add_parser("edit-demo", help="list a demo's steps, delete steps, add parameters")
    ed.add_argument("demo", type=Path)
    ed.add_argument("--delete", type=_whole(1), action="append", metavar="STEP")
    ed.add_argument(
        "--param",
        action="append",
        type=_step_param,
        metavar="STEP=NAME",
        help="make STEP's typed text the parameter {NAME}",
    )
    ed.add_argument(
        "--rerecord",
        type=_whole(1),
        metavar="STEP",
        help="record STEP again: do it once, then press the stop hotkey",
    )
    ed.add_argument("--stop-hotkey", default=DEFAULT_STOP_HOTKEY)
    ed.set_defaults(func=cmd_edit_demo)

    ap = sub.add_parser("app", help="open the desktop app: goal, live view, approvals, undo")
    ap.add_argument("--goal", default="", help="prefill the goal box")
    ap.add_argument("--geometry", type=_geometry, metavar="X,Y,W,H",
                    help="place the window (screen pixels)")  # fmt: skip
    ap.add_argument("--quit-after-paint", action="store_true",
                    help="exit once the window has painted (start-up benchmarks)")  # fmt: skip
    ap.set_defaults(func=cmd_app)

    ts = sub.add_parser("test", help="run task files unattended on virtual displays")
    ts.add_argument("paths", nargs="+", help="task files (.yaml) or folders of them")
    ts.add_argument("--junit", type=Path, metavar="FILE", help="write JUnit XML here")
    ts.add_argument("--html", type=Path, metavar="DIR", help="write an HTML report here")
    ts.add_argument(
        "-j", "--jobs", type=_whole(1, 64), default=1, help="tasks at once, one Xvfb each"
    )
    ts.add_argument(
        "--shard",
        metavar="K/N",
        help="run only the K-th of N slices of the tasks (one slice per machine)",
    )
    ts.add_argument(
        "--keep-going",
        action="store_true",
        help="run every task even after one failed (default: stop scheduling)",
    )
    ts.set_defaults(func=cmd_test)

    ss = sub.add_parser("sessions", help="list past sessions, or --show N for one's steps")
    ss.add_argument("--show", type=_whole(1), metavar="N")
    ss.add_argument("--dir", type=Path, help="journal folder (default: the user data dir)")
    ss.set_defaults(func=cmd_sessions)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["sample-form"]:  # its own options: argparse would claim them
        from gui_agent.sample.form_app import main as form_main

        return form_main(args_list[1:])
    if args_list[:1] == ["qt-probe"]:  # doctor's child process (see gui_agent.launch)
        from gui_agent.app.qtprobe import main as probe_main

        return probe_main()
    args = build_parser().parse_args(args_list)
    try:
        return int(args.func(args))
    except GuiAgentError as exc:
        print(f"gui-agent: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("gui-agent: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:  # a file that cannot be read or written, named by the OS
        where = f" {exc.filename}" if getattr(exc, "filename", None) else ""
        print(f"gui-agent: error:{where} {exc.strerror or exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug: still one line, and a non-zero exit
        print(f"gui-agent: internal error: {type(exc).__name__}: {exc} (this is a bug in "
              "gui-agent; please report it)", file=sys.stderr)  # fmt: skip
        return 3


if __name__ == "__main__":
    sys.exit(main())
