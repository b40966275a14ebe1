"""The grounding backend: a scripted grounding server on 127.0.0.1 answers in each model
family's format and coordinate convention; the point drives a real click on the fixture app
(1x, 1.5x, an offset monitor, a frame shrunk for the model), a risky control stays gated,
and bad answers end in one clear message."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gui_agent.agent.factory import SessionSpec, SpecError, build_grounder
from gui_agent.agent.journal import Journal
from gui_agent.agent.session import Outcome, Session
from gui_agent.control.approvers import NobodyApprover
from gui_agent.control.executor import Executor, PyAutoGuiBackend
from gui_agent.control.risk import Autonomy, Gate, RiskRules
from gui_agent.geometry import ImageBudget, Point, Rect
from gui_agent.grounding import GroundingError, OpenAIGrounder
from gui_agent.grounding.replies import ReplyError, parse_answer
from gui_agent.grounding.snap import locate_target
from gui_agent.headless.xvfb import Xvfb
from gui_agent.perception.locate import TargetNotFound
from gui_agent.perception.ocr import OcrEngine
from gui_agent.perception.perceiver import Perceiver
from gui_agent.perception.state import Element, ElementKind, ScreenState
from gui_agent.planning.actions import Click, Target
from gui_agent.planning.planner import ScriptPlanner
from gui_agent.screen.capture import ScreenCapture
from gui_agent.screen.frame import Frame
from gui_agent.screen.windows import open_window_source
from tests.conftest import Start
from tests.llm_server import Reply, ScriptedLLMServer, images_of

NONSENSE = "the zqxj vorpal thing"  # nothing on screen matches it: the grounder is asked


def parse_cases() -> list[tuple[str, tuple[float, ...]]]:
    return [
        ("Thought: the box.\nAction: click(start_box='<|box_start|>(512,340)<|box_end|>')",
         (512, 340)),
        ("Action: click(point='<point>200 100</point>')", (200, 100)),
        ('```json\n[{"bbox_2d": [10, 20, 30, 40], "label": "Save"}]\n```', (10, 20, 30, 40)),
        ('{"point_2d": [7, 9]}', (7, 9)),
        ("<|object_ref_start|>Save<|object_ref_end|><|box_start|>(100,200),(300,400)<|box_end|>",
         (100, 200, 300, 400)),
        ("[0.25, 0.5]", (0.25, 0.5)),
    ]  # fmt: skip


@pytest.mark.parametrize(("text", "values"), parse_cases())
def test_each_family_reply_parses(text: str, values: tuple[float, ...]) -> None:
    assert parse_answer(text).values == values


@pytest.mark.parametrize("text", ["I cannot see it", "", "(nan, 3)", "x" * 30_000])
def test_replies_without_coordinates_are_refused(text: str) -> None:
    with pytest.raises(ReplyError):
        parse_answer(text)


# -- a scripted grounding server ------------------------------------------------------------


def answer(style: str, box: Rect, source: Rect) -> Callable[[list[dict[str, Any]]], str]:
    """A grounding model that knows where ``box`` (desktop pixels) is: it reads the size of
    the picture it was sent and answers in ``style``'s format and convention."""

    def make(messages: list[dict[str, Any]]) -> str:
        (picture,) = images_of({"messages": messages})
        h, w = picture.shape[:2]
        sx, sy = w / source.w, h / source.h
        x0, y0 = (box.x - source.x) * sx, (box.y - source.y) * sy
        x1, y1 = (box.right - source.x) * sx, (box.bottom - source.y) * sy
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        if style == "ui-tars":  # absolute pixels of the picture
            return f"Thought: it is there.\nAction: click(start_box='({cx:.0f},{cy:.0f})')"
        if style == "qwen2.5-vl":  # an absolute box
            return json.dumps([{"bbox_2d": [round(v) for v in (x0, y0, x1, y1)], "label": "x"}])
        if style == "os-atlas":  # thousandths, a box
            t = [round(v) for v in (x0 * 1000 / w, y0 * 1000 / h, x1 * 1000 / w, y1 * 1000 / h)]
            return f"<|box_start|>({t[0]},{t[1]}),({t[2]},{t[3]})<|box_end|>"
        return json.dumps({"point": [round(cx / w, 4), round(cy / h, 4)]})  # relative

    return make


@pytest.fixture
def server() -> Iterator[ScriptedLLMServer]:
    s = ScriptedLLMServer()
    yield s
    s.close()


def grounder(server: ScriptedLLMServer, style: str, **kw: Any) -> OpenAIGrounder:
    convention = "relative" if style == "relative" else "auto"
    real = "ui-tars" if style == "relative" else style
    return OpenAIGrounder("grounding-test", server.base_url, style=real, convention=convention,
                          timeout=kw.pop("timeout", 10), **kw)  # fmt: skip


def blank(origin: Point | None = None) -> tuple[Frame, ScreenState]:
    origin = origin or Point(0, 0)
    frame = Frame(np.full((800, 1200, 3), 200, np.uint8), origin)
    button = Element(1, ElementKind.BUTTON, Rect(origin.x + 500, origin.y + 300, 120, 40), "OK")
    return frame, ScreenState([button], Rect(origin.x, origin.y, 1200, 800))


@pytest.mark.parametrize("style", ["ui-tars", "qwen2.5-vl", "os-atlas", "relative"])
def test_each_convention_snaps_to_the_control_on_an_offset_screen(
    server: ScriptedLLMServer, style: str
) -> None:
    frame, state = blank(Point(1920, 0))  # a second monitor right of the first
    server.script(Reply(make=answer(style, Rect(2425, 310, 20, 20), state.frame_box)))
    rt, el, _ = locate_target(Target(query=NONSENSE), state, frame=frame,
                              grounder=grounder(server, style), mode="fallback")  # fmt: skip
    assert el is not None and el.id == 1 and rt.source == "grounder grounding-test"
    assert rt.box == (2420, 300, 120, 40) and rt.query == NONSENSE


def test_secret_fields_are_black_in_the_grounders_picture(server: ScriptedLLMServer) -> None:
    frame, state = blank()
    frame.pixels[100:140, 100:400] = 255
    server.script(Reply(make=answer("ui-tars", Rect(500, 300, 120, 40), state.frame_box)))
    locate_target(Target(query=NONSENSE), state, frame=frame, hidden=[Rect(100, 100, 300, 40)],
                  grounder=grounder(server, "ui-tars"), mode="always")  # fmt: skip
    (picture,) = images_of(server.requests[0])
    assert picture.shape[:2] == (784, 1176)  # multiples of 28: the server will not resize it
    assert int(picture[99:136, 99:390].max()) == 0


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply("I think it is the blue one"), "no coordinates"),
        (Reply("Action: click(start_box='(5000,20)')"), "outside the screen"),
        (Reply(raw=b"<html>502 Bad Gateway</html>"), "not a chat completion"),
        (Reply("(1,1)", delay=2.0), "did not answer within 0.5 s"),
    ],
)
def test_bad_answers_end_in_one_clear_message(
    server: ScriptedLLMServer, reply: Reply, message: str
) -> None:
    frame, state = blank()
    server.script(reply)
    g = grounder(server, "ui-tars", timeout=0.5)
    with pytest.raises(TargetNotFound, match=message) as err:
        locate_target(Target(query=NONSENSE), state, frame=frame, grounder=g, mode="fallback")
    assert "the grounding model found nothing either" in str(err.value)
    with pytest.raises(GroundingError):
        server.script(Reply("no idea"))
        g.ground(NONSENSE, frame)


# -- on the fixture app -------------------------------------------------------------------


class RegionExecutor(Executor):
    """Sees only one box of the desktop, as on a second monitor whose origin is not 0,0."""

    region: Rect = Rect(300, 120, 1400, 900)

    def grab(self) -> Frame:
        return self.capture.grab(region=self.region)


def run_click(executor: Executor, display: str, tmp_path: Path, g: OpenAIGrounder,
              ) -> tuple[Outcome, Journal]:  # fmt: skip
    journal = Journal(tmp_path / "grounded.db")
    planner = ScriptPlanner([Click(target=Target(query=NONSENSE))], summary="clicked")
    s = Session("click it", planner, executor, Gate(Autonomy.AUTO, RiskRules()),
                NobodyApprover(), journal, windows=open_window_source(display),
                grounder=g, grounding="fallback")  # fmt: skip
    return s.run(), journal


@pytest.mark.parametrize(
    ("variant", "style", "region", "budget"),
    [
        ("default", "ui-tars", False, None),
        ("scale150", "qwen2.5-vl", False, None),
        ("moved", "os-atlas", True, None),
        ("default", "relative", False, ImageBudget(max_side=1000, max_pixels=0)),
    ],
    ids=["1x-ui-tars", "1.5x-qwen", "second-monitor-os-atlas", "resized-relative"],
)
def test_a_grounded_click_ticks_the_right_checkbox(
    start: Start, xvfb: Xvfb, ocr_engine: OcrEngine, tmp_path: Path, server: ScriptedLLMServer,
    variant: str, style: str, region: bool, budget: ImageBudget | None,
) -> None:  # fmt: skip
    app = start("form_app", variant)
    box = Rect(*app.widget("check_remember")["click_box"])
    with ScreenCapture(xvfb.display) as cap:
        make = RegionExecutor if region else Executor
        executor = make(PyAutoGuiBackend(), cap, Perceiver(ocr_engine))
        source = RegionExecutor.region if region else Rect(0, 0, 1920, 1080)
        server.script(Reply(make=answer(style, box, source)))
        out, journal = run_click(executor, xvfb.display, tmp_path,
                                 grounder(server, style, budget=budget))  # fmt: skip
    assert out.status == "finished", out.message
    assert app.wait_for(lambda st: st["checkboxes"]["remember"] is True)
    (picture,) = images_of(server.requests[0])
    if budget is not None:
        assert picture.shape[1] == 1000
    (step,) = journal.steps(out.session_id)
    assert step.target_query == f"{NONSENSE} [placed by grounder grounding-test]"
    assert step.timings["grounder_bytes"] > 1000 and step.timings["grounder"] > 0
    assert step.resolved_box is not None  # snapped to the perceived check box
    assert Rect(*step.resolved_box).overlap_ratio(box) > 0.5
    journal.close()


def test_a_grounded_point_on_a_risky_control_is_gated(
    start: Start, xvfb: Xvfb, ocr_engine: OcrEngine, tmp_path: Path, server: ScriptedLLMServer
) -> None:
    app = start("form_app")
    app.command("set name Keep me")
    box = Rect(*app.widget("btn_delete_all")["box"])
    with ScreenCapture(xvfb.display) as cap:
        executor = Executor(PyAutoGuiBackend(), cap, Perceiver(ocr_engine))
        server.script(Reply(make=answer("ui-tars", box, Rect(0, 0, 1920, 1080))))
        out, journal = run_click(executor, xvfb.display, tmp_path, grounder(server, "ui-tars"))
    assert out.status == "refused", out.message  # nobody was there to approve it
    assert app.state()["fields"]["name"] == "Keep me"
    (step,) = journal.steps(out.session_id)
    assert step.approval == "refused" and "grounder" in (step.target_query or "")
    journal.close()


def test_the_factory_builds_the_grounder_and_checks_its_settings() -> None:
    with pytest.raises(SpecError, match="grounding needs"):
        SessionSpec.of(goal="g", grounding="fallback")
    spec = SessionSpec.of(goal="g", grounding="always", grounder_url="http://127.0.0.1:9/v1",
                          grounder_model="os-atlas-7b", grounder_style="os-atlas")  # fmt: skip
    g = build_grounder(spec)
    assert isinstance(g, OpenAIGrounder) and g.convention == "thousandths"
    assert build_grounder(SessionSpec.of(goal="g")) is None
