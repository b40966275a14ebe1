"""The accessibility tree as a second perception source: real AT-SPI buses beside real Xvfb
displays, real GTK (zenity) and Qt apps, real fusion with vision.

Display-free checks of fusion's geometry sit beside them (``test_fusion_*``)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from gui_agent.geometry import Point, Rect
from gui_agent.headless.apps import LaunchedProcess, wait_for_stable_screen
from gui_agent.headless.session_bus import unavailable
from gui_agent.headless.xvfb import Xvfb
from gui_agent.perception.accessibility import A11yNode, A11ySnapshot, default_source
from gui_agent.perception.accessibility.atspi import AtspiSource
from gui_agent.perception.accessibility.fusion import fuse_tree, placed
from gui_agent.perception.accessibility.roles import kind_of, state_names
from gui_agent.perception.locate import locate
from gui_agent.perception.ocr import OcrEngine
from gui_agent.perception.perceiver import Perceiver
from gui_agent.perception.state import Element, ElementKind, ScreenState
from gui_agent.screen.capture import ScreenCapture
from tests.apps.a11y_tasks import TASKS, missing, run_task

needs_bus = pytest.mark.skipif(unavailable() is not None, reason=str(unavailable()))
ZENITY_FORM = [
    "zenity", "--forms", "--title=Account", "--text=New account",
    "--add-entry=Name", "--add-password=Secret", "--add-combo=Plan",
    "--combo-values=Basic|Pro",
]  # fmt: skip


@pytest.fixture
def a11y_display(xvfb: Xvfb) -> Xvfb:
    """The session's display, with its private session bus (and the AT-SPI bus it starts).
    One display per process: pyautogui binds the first it is given."""
    if xvfb.bus is None:
        pytest.skip(xvfb.bus_error)
    return xvfb


def _launch(x: Xvfb, argv: list[str], cap: ScreenCapture) -> LaunchedProcess:
    app = LaunchedProcess(argv, x.display, {**x.bus_env(), "GSETTINGS_BACKEND": "memory"})
    wait_for_stable_screen(cap, timeout=20, proc=app.proc)
    return app


def _wait_for_tree(x: Xvfb, app: str, timeout: float = 10.0) -> None:
    assert x.bus is not None
    source = AtspiSource(x.bus.address)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            snap = source.read(1.0)
            if any(app in a for a in snap.apps) and snap.nodes:
                return
            time.sleep(0.2)
    finally:
        source.close()
    raise AssertionError(f"{app} published no accessibility tree within {timeout:g} s")


def _perceive(x: Xvfb, cap: ScreenCapture, ocr: OcrEngine, tree: bool = True) -> ScreenState:
    assert x.bus is not None
    source = AtspiSource(x.bus.address) if tree else None
    perceiver = Perceiver(ocr, accessibility=source)
    try:
        return perceiver.perceive(cap.grab())
    finally:
        perceiver.close()


@needs_bus
def test_a_gtk_form_reads_with_exact_roles_names_and_states(
    a11y_display: Xvfb, ocr_engine: OcrEngine
) -> None:
    with ScreenCapture(a11y_display.display) as cap:
        app = _launch(a11y_display, ZENITY_FORM, cap)
        try:
            assert a11y_display.bus is not None
            snap = AtspiSource(a11y_display.bus.address).read(1.0)
            assert snap.error == "" and snap.complete, snap.error
            assert "zenity" in snap.apps
            roles = {(n.role, n.name) for n in snap.nodes}
            assert {("push button", "OK"), ("push button", "Cancel")} <= roles, roles
            secret = [n for n in snap.nodes if n.role == "password text"]
            assert len(secret) == 1 and secret[0].secret and secret[0].kind is ElementKind.FIELD
            state = _perceive(a11y_display, cap, ocr_engine)
        finally:
            app.close()
    by_text = {(e.kind, e.text): e for e in state.elements}
    for name in ("OK", "Cancel"):
        button = by_text[(ElementKind.BUTTON, name)]
        assert button.source == "both" and button.role == "push button"
    fields = [e for e in state.elements if e.kind is ElementKind.FIELD]
    assert len(fields) == 2, [e.describe() for e in state.elements]
    assert [f.secret for f in sorted(fields, key=lambda e: e.box.y)] == [False, True]
    assert any(e.kind is ElementKind.COMBO and e.role == "combo box" for e in state.elements)
    # the labels are static text, never fields: "the Name field" is the entry beside it
    assert by_text[(ElementKind.TEXT, "Name")].role == "label"


@needs_bus
@pytest.mark.parametrize("name", [
    "form: name, secret, city", "calculator: 7 + 8",
    pytest.param("checklist: untick and tick", marks=pytest.mark.e2e),
    pytest.param("yad: name and untick", marks=pytest.mark.e2e),
    pytest.param("editor: two lines", marks=pytest.mark.e2e),
    pytest.param("web: everything", marks=pytest.mark.e2e),
])  # fmt: skip
def test_direct_commands_on_real_apps_with_the_tree(
    a11y_display: Xvfb, ocr_engine: OcrEngine, name: str
) -> None:
    """End to end with the embedded planner; the outcome is what the app itself printed or
    shows (bench/accessibility.py runs all 20 goals, tree on and off, repeatedly)."""
    task = next(t for t in TASKS if t.name == name)
    if (why := missing(task)) is not None:
        pytest.skip(why)
    ok, said = run_task(task, a11y_display, ocr_engine, tree=True)
    assert ok, said


@needs_bus
def test_a_qt_app_exposes_its_widgets_and_fusion_keeps_them(
    a11y_display: Xvfb, ocr_engine: OcrEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.apps.launcher import launch_app

    for key, value in a11y_display.bus_env().items():
        monkeypatch.setenv(key, value)  # the launcher copies our environment
    with ScreenCapture(a11y_display.display) as cap:
        app = launch_app("form_app", tmp_path / "state.json", a11y_display.display)
        try:
            _wait_for_tree(a11y_display, "form_app")  # Qt registers a moment after mapping
            state = _perceive(a11y_display, cap, ocr_engine)
            truth = app.state()
        finally:
            app.close()
    seen = [e for e in state.elements if e.source == "both"]
    assert len(seen) >= 5, [e.describe() for e in state.elements]
    want = {"button": ElementKind.BUTTON, "checkbox": ElementKind.CHECKBOX,
            "field": ElementKind.FIELD}  # fmt: skip
    checked = 0
    for w in truth["widgets"]:
        kind = want.get(w["kind"])
        if kind is None or not w.get("visible", True) or not w.get("text"):
            continue
        x, y, bw, bh = w.get("click_box") or w["box"]
        centre = Point(round(x + bw / 2), round(y + bh / 2))
        hits = [e for e in state.elements if e.box.contains_point(centre)]
        assert any(e.kind is kind and e.source == "both" for e in hits), (
            w,
            [e.describe() for e in hits],
        )
        checked += 1
    assert checked >= 4


@needs_bus
def test_an_app_without_a_tree_is_seen_exactly_as_before(
    a11y_display: Xvfb, ocr_engine: OcrEngine, tmp_path: Path
) -> None:
    """Tk has no AT-SPI bridge: with the tree on, perception is vision's, element for
    element (the tree read finds no app and changes nothing)."""
    from tests.apps.foreign.launch import launch_tk

    with ScreenCapture(a11y_display.display) as cap:
        app = launch_tk("keypad", "default", tmp_path / "tk.json", a11y_display.display)
        try:
            time.sleep(0.5)
            with_tree = _perceive(a11y_display, cap, ocr_engine, tree=True)
            without = _perceive(a11y_display, cap, ocr_engine, tree=False)
        finally:
            app.close()
    assert [e.to_dict() for e in with_tree.elements] == [e.to_dict() for e in without.elements]
    assert all(e.source == "vision" for e in with_tree.elements)


def test_a_bus_that_never_answers_costs_at_most_the_bound(tmp_path: Path) -> None:
    """A hung accessibility bus: the read gives up at its deadline with one line, and a
    perception pass is not held beyond it."""
    path = tmp_path / "hung.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(4)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])  # accepted, never answered
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        source = AtspiSource(f"unix:path={path}")
        t = time.monotonic()
        snap = source.read(0.15)
        took = time.monotonic() - t
        assert snap.nodes == [] and snap.error and "\n" not in snap.error
        assert took < 0.6, took
    finally:
        stop.set()
        thread.join()
        for c in held:
            c.close()
        server.close()


def test_no_bus_means_no_tree_and_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    assert default_source() is None
    snap = AtspiSource("").read(0.1)
    assert snap.nodes == [] and "DBUS_SESSION_BUS_ADDRESS" in snap.error
    snap = AtspiSource("unix:path=/nonexistent/bus").read(0.1)
    assert snap.nodes == [] and snap.error.startswith("cannot reach")
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/x")
    monkeypatch.setenv("GUI_AGENT_ACCESSIBILITY", "off")
    assert default_source() is None


# -- display-free: roles and fusion geometry --------------------------------------------------


def _el(i: int, kind: ElementKind, box: tuple[int, int, int, int], text: str = "") -> Element:
    return Element(i, kind, Rect(*box), text)


def _node(role: str, name: str, box: tuple[int, int, int, int], *states: str) -> A11yNode:
    st = frozenset({"showing", "visible", "enabled", *states})
    kind = kind_of(role, st)
    assert kind is not None
    return A11yNode(role, kind, name, Rect(*box), st, app=":1.5")


def test_roles_map_to_our_kinds() -> None:
    assert kind_of("push button", frozenset()) is ElementKind.BUTTON
    assert kind_of("text", frozenset({"editable"})) is ElementKind.FIELD
    assert kind_of("text", frozenset()) is ElementKind.TEXT  # a read-only run of text
    assert kind_of("panel", frozenset()) is None
    assert state_names([1 << 4 | 1 << 12, 0]) == {"checked", "focused"}


def test_fusion_takes_the_trees_kind_and_state_and_adds_what_vision_missed() -> None:
    vision = [
        _el(1, ElementKind.FIELD, (100, 100, 90, 24), "Project name:"),  # a label, misread
        _el(2, ElementKind.FIELD, (200, 100, 200, 24)),
        _el(3, ElementKind.TEXT, (100, 140, 80, 18), "Remember"),
    ]
    nodes = [
        _node("label", "Project name:", (100, 100, 90, 24)),
        _node("text", "", (200, 100, 200, 24), "editable"),
        _node("check box", "Remember", (80, 138, 110, 22), "checked"),
        _node("push button", "7", (300, 300, 40, 40)),  # a key vision read nothing on
        _node("push button", "Gone", (5000, 5000, 40, 40)),  # off screen
    ]
    fused = fuse_tree(vision, nodes, Rect(0, 0, 1280, 800))
    kinds = {(e.kind, e.text, e.source) for e in fused}
    assert (ElementKind.TEXT, "Project name:", "both") in kinds
    assert (ElementKind.BUTTON, "7", "a11y") in kinds
    assert not any(e.text == "Gone" for e in fused)
    check = next(e for e in fused if e.kind is ElementKind.CHECKBOX)
    assert check.checked is True and check.text == "Remember"
    assert not any(e.kind is ElementKind.TEXT and e.text == "Remember" for e in fused)
    assert [e.id for e in fused] == list(range(1, len(fused) + 1))


def test_a_label_vision_hung_on_a_tree_control_stays_a_text_of_its_own() -> None:
    """Found on a Chromium toolbar: vision took the home icon for a radio "labelled" with the
    document title beside it; the tree says it is the Home button, and the title must not
    vanish into it. Then "the gear icon" finds the button the page calls "Settings"."""
    radio = Element(1, ElementKind.RADIO, Rect(59, 16, 22, 20), "Untitled document",
                    label_box=Rect(104, 13, 160, 22))  # fmt: skip
    vision = [radio, _el(2, ElementKind.ICON, (1151, 8, 36, 36))]
    nodes = [
        _node("push button", "Home", (52, 8, 36, 36)),
        _node("push button", "Settings", (1151, 8, 36, 36)),
    ]
    fused = fuse_tree(vision, nodes, Rect(0, 0, 1280, 800))
    home = next(e for e in fused if e.text == "Home")
    assert home.kind is ElementKind.BUTTON and home.label_box is None
    title = next(e for e in fused if e.text == "Untitled document")
    assert title.kind is ElementKind.TEXT and title.box == Rect(104, 13, 160, 22)
    state = ScreenState(fused, Rect(0, 0, 1280, 800))
    assert locate(state, "Untitled document").element.box == title.box
    assert locate(state, "the gear icon").element.text == "Settings"


def test_fusion_moves_a_tree_whose_boxes_are_window_relative() -> None:
    """A toolkit reporting boxes relative to its window (here 300, 200 off): the named
    controls' texts say where they are, and every node of that app moves with them."""
    vision = [
        _el(1, ElementKind.BUTTON, (400, 300, 80, 30), "Apply"),
        _el(2, ElementKind.BUTTON, (500, 300, 80, 30), "Close"),
        _el(3, ElementKind.TEXT, (400, 250, 60, 18), "Volume"),
    ]
    nodes = [
        _node("push button", "Apply", (100, 100, 80, 30)),
        _node("push button", "Close", (200, 100, 80, 30)),
        _node("label", "Volume", (100, 50, 60, 18)),
        _node("slider", "", (180, 50, 150, 18)),
    ]
    moved = placed(nodes, vision, Rect(0, 0, 1280, 800))
    slider = next(n for n in moved if n.kind is ElementKind.SLIDER)
    assert slider.box.as_tuple() == (480, 250, 150, 18)


class _HungSource:
    """A tree source whose every read hangs for seconds (a stuck app on the bus)."""

    def __init__(self) -> None:
        self.reads = 0

    def read(self, budget: float) -> A11ySnapshot:
        self.reads += 1
        time.sleep(2.0)
        return A11ySnapshot(error="too late")

    def refresh(self, nodes: list[A11yNode], budget: float) -> A11ySnapshot:
        return self.read(budget)

    def close(self) -> None:
        pass


def test_a_hung_tree_delays_a_pass_by_the_bound_at_most(ocr_engine: OcrEngine) -> None:
    import numpy as np

    frame = np.full((300, 400, 3), 235, np.uint8)
    frame[100:130, 50:200] = 40
    plain = Perceiver(ocr_engine, detector=False, icons=False)
    hung = _HungSource()
    slow = Perceiver(ocr_engine, detector=False, icons=False, accessibility=hung, a11y_wait=0.15)
    plain.perceive(frame, incremental=False)  # warm-up
    t = time.perf_counter()
    plain.perceive(frame, incremental=False)
    base = time.perf_counter() - t
    t = time.perf_counter()
    state = slow.perceive(frame, incremental=False)
    took = time.perf_counter() - t
    assert took <= base + 0.15 + 0.2, (took, base)
    assert all(e.source == "vision" for e in state.elements)
    # the next pass does not stack a second read on the stuck one
    slow.perceive(frame, incremental=False)
    assert hung.reads == 1
    slow.close()


@needs_bus
def test_a_chromium_page_fuses_to_the_doms_controls(
    a11y_display: Xvfb, ocr_engine: OcrEngine
) -> None:
    """Every interactive control of a real page, in a real Chromium exposing its tree: the
    right kind, name and state, checked against the DOM itself."""
    from gui_agent.training.chromium import BrowserError, Chromium, chromium_binary

    if chromium_binary() is None:
        pytest.skip("chromium is not installed")
    page = Path(__file__).resolve().parent / "apps" / "a11y_pages" / "signup.html"
    try:
        browser = Chromium(1100, 700, display=a11y_display.display,
                           extra_args=("--force-renderer-accessibility",))  # fmt: skip
    except BrowserError as exc:
        pytest.skip(str(exc))
    with browser, ScreenCapture(a11y_display.display) as cap:
        browser.load(page.read_text())
        dom = browser.boxes("input, button")
        _wait_for_tree(a11y_display, "hromium")
        time.sleep(0.5)
        state = _perceive(a11y_display, cap, ocr_engine)
    kinds = {"text": ElementKind.FIELD, "password": ElementKind.FIELD,
             "checkbox": ElementKind.CHECKBOX, "radio": ElementKind.RADIO,
             "": ElementKind.BUTTON, "submit": ElementKind.BUTTON}  # fmt: skip
    assert len(dom) == 6, dom
    for d in dom:
        want = kinds[d["type"]]
        centre = Point(round(d["x"] + d["w"] / 2), round(d["y"] + d["h"] / 2))
        hits = [e for e in state.elements if e.box.contains_point(centre) and e.kind is want]
        assert hits and hits[0].source != "vision", (d, [e.describe() for e in state.elements])
        el = hits[0]
        if d["type"] == "password":
            assert el.secret
        if d["type"] == "radio":
            assert el.checked is (d["id"] == "" and el.text == "Basic")
    names = {e.text for e in state.elements if e.source != "vision"}
    assert {"Continue", "Newsletter", "Basic", "Pro"} <= names, names


def test_a_recorded_step_keeps_the_role_and_name_and_finds_its_target_by_them() -> None:
    """The recorder stores what the tree called the target; at playback, a control the tree
    names the same is found even where its words moved and no pixel matches."""
    import numpy as np

    from gui_agent.demo.relocate import relocate
    from gui_agent.demo.targets import describe_target
    from gui_agent.screen.frame import Frame

    frame = Frame.from_array(np.full((400, 600, 3), 240, np.uint8))
    seven = Element(1, ElementKind.BUTTON, Rect(10, 10, 50, 30), "7", source="both",
                    role="push button")  # fmt: skip
    state = ScreenState([seven, _el(2, ElementKind.TEXT, (100, 10, 60, 20), "7 days")], frame.box)
    described = describe_target(frame, state, Point(35, 25), "c1.png")
    assert (described.description.role, described.description.name) == ("push button", "7")
    moved = Element(4, ElementKind.BUTTON, Rect(300, 300, 50, 30), "7", source="both",
                    role="push button")  # fmt: skip
    other = _el(3, ElementKind.BUTTON, (10, 10, 50, 30), "7")  # a look-alike vision saw
    later = ScreenState([other, moved], frame.box)
    found = relocate(described.description, None, frame, later)
    assert found.element is not None and found.element.id == 4, found
    # without the tree's role and name the words alone cannot tell the two apart
    words_only = described.description.model_copy(update={"role": "", "name": ""})
    assert relocate(words_only, None, frame, later).element is None
    # a secret field's name is never stored
    pw = Element(5, ElementKind.FIELD, Rect(10, 100, 200, 30), "Password", source="both",
                 role="password text", secret=True)  # fmt: skip
    only_pw = ScreenState([pw], frame.box)
    desc = describe_target(frame, only_pw, Point(50, 115), "c2.png").description
    assert desc.name == ""


@needs_bus
def test_an_incremental_pass_asks_only_about_what_changed(
    a11y_display: Xvfb, ocr_engine: OcrEngine
) -> None:
    """A calculator key pressed: the next pass asks the tree about the few nodes where the
    screen changed (its display), not the whole tree, and reads the new value exactly."""
    if shutil.which("galculator") is None:
        pytest.skip("galculator is not installed")
    assert a11y_display.bus is not None
    with ScreenCapture(a11y_display.display) as cap:
        app = _launch(a11y_display, ["galculator"], cap)
        perceiver = Perceiver(ocr_engine, accessibility=AtspiSource(a11y_display.bus.address))
        try:
            _wait_for_tree(a11y_display, "galculator")
            perceiver.perceive(cap.grab())
            assert perceiver.last_tree is not None
            total = len(perceiver.last_tree.nodes)
            seven = next(n for n in perceiver.last_tree.nodes if n.name == "7")
            at = [str(round(seven.box.cx)), str(round(seven.box.cy))]
            env = {**os.environ, "DISPLAY": a11y_display.display}
            subprocess.run(["xdotool", "mousemove", *at, "click", "1"], env=env, check=True)
            time.sleep(0.5)
            state = perceiver.perceive(cap.grab())
        finally:
            app.close()
            perceiver.close()
    assert perceiver.stats.last_mode == "incremental"
    assert 0 < state.timings["a11y_asked"] < total, (state.timings, total)
    display = [n for n in perceiver.last_tree.nodes if n.role == "text"]
    assert display and display[0].value.strip() == "7"
    assert len(perceiver.last_tree.nodes) == total
