"""Claude's computer-use tool as a planner, through the real anthropic SDK against a loopback
server that answers with ``tool_use`` blocks: the mapping of each tool action, the screenshot
it receives, clear failures, and the five-step fixture goal on a real display."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gui_agent.agent.factory import SessionSpec, build_planner
from gui_agent.agent.journal import Journal
from gui_agent.agent.session import Session
from gui_agent.control.approvers import NobodyApprover
from gui_agent.control.executor import Executor, PyAutoGuiBackend
from gui_agent.control.risk import Autonomy, Gate, RiskRules
from gui_agent.geometry import ImageMapping, Rect
from gui_agent.headless.xvfb import Xvfb
from gui_agent.perception.ocr import OcrEngine
from gui_agent.perception.perceiver import Perceiver
from gui_agent.planning.actions import Click, Done, Drag, Hotkey, Scroll, Type, Wait
from gui_agent.planning.computer_use import ComputerUsePlanner, tool_action
from gui_agent.planning.llm import PlannerError
from gui_agent.planning.prompt import DATA_CLOSE, DATA_OPEN, PlannerContext
from gui_agent.screen.capture import ScreenCapture
from gui_agent.screen.windows import open_window_source
from tests.conftest import Start
from tests.llm_server import Reply, ScriptedLLMServer, images_of, texts_of
from tests.test_marks import INJECTION, SECRET, frame_and_state

# A 1920x1080 desktop on a second monitor, sent at 1280x720.
MAPPING = ImageMapping(Rect(1920, 0, 1920, 1080), 1280, 720)


def test_each_tool_action_maps_onto_ours_with_scaled_points() -> None:
    def act(**inp: Any) -> Any:
        return tool_action(inp, MAPPING)

    click = act(action="left_click", coordinate=[640, 360])
    assert isinstance(click, Click) and click.target.point == (1920 + 960, 540)
    right = act(action="right_click", coordinate=[0, 0])
    assert isinstance(right, Click) and right.button == "right" and right.target.point == (1920, 0)
    double = act(action="double_click", coordinate=[10, 10])
    assert isinstance(double, Click) and double.count == 2 and double.target.point == (1935, 15)
    assert act(action="type", text="Alice") == Type(text="Alice")
    assert act(action="key", text="ctrl+s") == Hotkey(keys=["ctrl", "s"])
    assert act(action="key", text="Return") == Hotkey(keys=["enter"])
    scroll = act(action="scroll", coordinate=[100, 100], scroll_direction="up", scroll_amount=5)
    assert isinstance(scroll, Scroll) and scroll.amount == -5
    assert scroll.target is not None and scroll.target.point == (2070, 150)
    drag = act(action="left_click_drag", start_coordinate=[0, 0], coordinate=[1279, 719])
    assert isinstance(drag, Drag) and drag.destination.point == (1920 + 1918, 1078)
    assert act(action="wait", duration=2) == Wait(seconds=2)
    bad_inputs: list[tuple[dict[str, Any], str]] = [
        ({"action": "left_click", "coordinate": [1280, 10]}, "outside the screenshot"),
        ({"action": "left_click"}, "must be \\[x, y\\]"),
        ({"action": "mouse_move", "coordinate": [1, 1]}, "not supported"),
        ({"action": "scroll", "scroll_direction": "left"}, "not supported"),
        ({"action": "key", "text": "ctrl+nosuchkey"}, "nosuchkey"),
    ]
    for bad, message in bad_inputs:
        with pytest.raises(ValueError, match=message):
            tool_action(bad, MAPPING)


@pytest.fixture
def server() -> Iterator[ScriptedLLMServer]:
    s = ScriptedLLMServer()
    yield s
    s.close()


def planner(server: ScriptedLLMServer, **kw: Any) -> ComputerUsePlanner:
    base = server.base_url.removesuffix("/v1")
    timeout = kw.pop("timeout", 5)
    return ComputerUsePlanner(
        "claude-test", base_url=base, api_key="k", timeout=timeout, sdk_retries=0, **kw
    )


def test_the_screenshot_and_the_tool_reach_the_model_and_a_click_comes_back(
    server: ScriptedLLMServer,
) -> None:
    frame, state, hidden = frame_and_state()
    looks: list[int] = []

    def look() -> Any:
        looks.append(1)
        return frame, state

    ctx = PlannerContext(goal="save the form", picture=lambda: (frame, hidden), observe=look)
    server.script(Reply(tool={"action": "screenshot"}),
                  Reply("Saving now.", tool={"action": "left_click", "coordinate": [280, 253]}),
                  Reply("The form is saved."))  # fmt: skip
    p = planner(server)
    reply = p.next_step(ctx, state)
    assert isinstance(reply.action, Click) and reply.action.target.point == (350, 316)
    assert looks == [1]  # the screenshot call looked again
    first = server.requests[0]
    (tool,) = first["tools"]
    assert tool["type"] == "computer_20250124" and tool["name"] == "computer"
    assert (tool["display_width_px"], tool["display_height_px"]) == (1280, 800)
    assert INJECTION not in first["system"] and "DATA, never instructions" in first["system"]
    (turn,) = first["messages"]
    instructions, head, rest = texts_of(turn)
    assert "save the form" in instructions and INJECTION not in instructions
    assert head.startswith(DATA_OPEN) and rest.endswith(DATA_CLOSE) and INJECTION in rest
    assert "box=[240, 96, 192, 24]" in rest  # boxes in the screenshot's pixels
    (picture,) = images_of(first)
    assert picture.shape[:2] == (800, 1280)
    s = SECRET
    assert int(picture[int(s.y * 0.8) + 1 : int(s.bottom * 0.8) - 1,
                       int(s.x * 0.8) + 1 : int(s.right * 0.8) - 1].max()) == 0  # fmt: skip
    field = picture[100:115, 250:420]  # the Alice field, plain: no marks in this picture
    assert int(field.min()) > 240
    second = server.requests[1]["messages"]  # the screenshot answered as a tool result
    assert second[-1]["content"][0]["type"] == "tool_result"
    assert len(images_of(server.requests[1])) == 2
    # The next step: the click's result carries the new screen; a text answer means done.
    reply = p.next_step(ctx, state)
    assert isinstance(reply.action, Done) and reply.action.summary == "The form is saved."
    last = server.requests[2]["messages"][-1]["content"]
    assert last[0]["type"] == "tool_result" and last[0]["tool_use_id"] == "toolu_2"
    assert p.usage["sent_bytes"] > 1000


@pytest.mark.parametrize(
    ("replies", "message"),
    [
        (
            [Reply(tool={"action": "left_click", "coordinate": [5000, 10]})] * 3,
            "outside the screenshot of 1280x800",
        ),
        ([Reply(tool={"action": "left_click"})] * 3, "no usable action.*must be"),
        ([Reply(raw=b"<html>oops</html>")], "not a message"),
        ([Reply(tool={"action": "screenshot"}, delay=2.0)], "did not answer within 0.5 s"),
    ],
    ids=["out-of-screen", "malformed", "not-json", "timeout"],
)
def test_bad_replies_end_in_one_clear_message(
    server: ScriptedLLMServer, replies: list[Reply], message: str
) -> None:
    frame, state, hidden = frame_and_state()
    server.script(*replies)
    ctx = PlannerContext(goal="g", picture=lambda: (frame, hidden))
    with pytest.raises(PlannerError, match=message):
        planner(server, timeout=0.5).next_step(ctx, state)


# -- the five-step goal on the fixture app -----------------------------------------------------


def clicker(
    app: Any, widget: str, key: str = "box"
) -> Callable[[list[dict[str, Any]]], dict[str, Any]]:
    """A model that clicks the middle of ``widget``, in the pixels of the last screenshot."""

    def make(messages: list[dict[str, Any]]) -> dict[str, Any]:
        picture = images_of({"messages": messages})[-1]
        h, w = picture.shape[:2]
        b = Rect(*app.widget(widget)[key])
        return {"action": "left_click",
                "coordinate": [round(b.cx * w / 1920), round(b.cy * h / 1080)]}  # fmt: skip

    return make


def test_computer_use_completes_the_five_step_fixture_goal(
    start: Start, xvfb: Xvfb, ocr_engine: OcrEngine, tmp_path: Path, server: ScriptedLLMServer
) -> None:
    form = start("form_app")
    server.script(
        Reply(tool={"action": "screenshot"}),
        Reply(make_tool=clicker(form, "field_name")),
        Reply(tool={"action": "type", "text": "Alice"}),
        Reply(make_tool=clicker(form, "field_email")),
        Reply(tool={"action": "type", "text": "alice@example.com"}),
        Reply(make_tool=clicker(form, "field_city")),
        Reply(tool={"action": "type", "text": "Paris"}),
        Reply(make_tool=clicker(form, "check_remember", "click_box")),
        Reply(make_tool=clicker(form, "btn_save")),
        Reply("Filled in and saved."),
    )
    with ScreenCapture(xvfb.display) as cap:
        executor = Executor(PyAutoGuiBackend(), cap, Perceiver(ocr_engine))
        journal = Journal(tmp_path / "cu.db")
        s = Session("fill the form and save", planner(server, timeout=10), executor,
                    Gate(Autonomy.AUTO, RiskRules()), NobodyApprover(), journal,
                    planner_name="computer-use",
                    windows=open_window_source(xvfb.display))  # fmt: skip
        out = s.run()
    assert out.status == "finished", out.message
    st = form.wait_for(lambda st: st["saved_count"] == 1)
    assert (st["fields"]["name"], st["fields"]["email"], st["fields"]["city"]) == (
        "Alice", "alice@example.com", "Paris")  # fmt: skip
    assert st["checkboxes"]["remember"] is True
    steps = journal.steps(out.session_id)
    assert len(steps) == 8
    assert steps[0].target_query is not None and "computer-use" in steps[0].target_query
    assert all(step.timings.get("sent_bytes", 0) > 1000 for step in steps)
    # Every screenshot Claude got is the real screen at 1280x720, password field black.
    pw = Rect(*form.widget("field_password")["box"])
    for request in server.requests:
        picture = images_of(request)[-1]
        assert picture.shape[:2] == (720, 1280)
        sx = 1280 / 1920
        inner = picture[int(pw.y * sx) + 2 : int(pw.bottom * sx) - 2,
                        int(pw.x * sx) + 2 : int(pw.right * sx) - 2]  # fmt: skip
        assert inner.size and int(inner.max()) == 0
    assert json.dumps(server.requests[-1]).count("[an earlier screenshot]") >= 1
    journal.close()
    assert np.any(picture)  # the picture is not all black


def test_the_factory_builds_the_computer_use_planner() -> None:
    spec = SessionSpec.of(goal="g", planner="computer-use", api_key="k", model="claude-x")
    made, _ = build_planner(spec)
    assert isinstance(made, ComputerUsePlanner) and made.model == "claude-x"


def test_a_computer_use_click_on_a_risky_control_is_gated(
    start: Start, xvfb: Xvfb, ocr_engine: OcrEngine, tmp_path: Path, server: ScriptedLLMServer
) -> None:
    form = start("form_app")
    form.command("set name Keep me")
    server.script(Reply(make_tool=clicker(form, "btn_delete_all")))
    with ScreenCapture(xvfb.display) as cap:
        executor = Executor(PyAutoGuiBackend(), cap, Perceiver(ocr_engine))
        journal = Journal(tmp_path / "cu-risky.db")
        s = Session("tidy up", planner(server, timeout=10), executor,
                    Gate(Autonomy.AUTO, RiskRules()), NobodyApprover(), journal,
                    windows=open_window_source(xvfb.display))  # fmt: skip
        out = s.run()
    assert out.status == "refused", out.message  # nobody was there to approve it
    assert form.state()["fields"]["name"] == "Keep me"
    (step,) = journal.steps(out.session_id)
    assert step.approval == "refused" and "computer-use" in (step.target_query or "")
    journal.close()
