"""The planner interface: the embedded planner hands out parsed commands, then done."""

from __future__ import annotations

import pytest

from gui_agent.errors import GuiAgentError
from gui_agent.geometry import Rect
from gui_agent.perception.state import ScreenState
from gui_agent.planning.actions import Click, Done, Type
from gui_agent.planning.llm import LLMPlanner
from gui_agent.planning.planner import EmbeddedPlanner, make_planner
from gui_agent.planning.prompt import PlannerContext
from gui_agent.planning.rules import UnparsedCommand

EMPTY = ScreenState([], Rect(0, 0, 100, 100))


def test_embedded_planner_walks_the_commands_then_says_done() -> None:
    planner = EmbeddedPlanner("type 'Alice' into Name, tick Remember me, click Save")
    ctx = PlannerContext(goal="g")
    first = planner.next_step(ctx, EMPTY)
    assert isinstance(first.action, Type) and first.action.text == "Alice"
    assert len(ctx.plan) == 3
    assert isinstance(planner.next_step(ctx, EMPTY).action, Click)
    third = planner.next_step(ctx, EMPTY).action
    assert isinstance(third, Click) and third.target.query == "Save"
    assert isinstance(planner.next_step(ctx, EMPTY).action, Done)
    assert isinstance(planner.next_step(ctx, EMPTY).action, Done)


def test_unparseable_goal_fails_before_anything_runs() -> None:
    with pytest.raises(UnparsedCommand, match="--planner"):
        EmbeddedPlanner("book me a flight to Lisbon next Tuesday")


def test_make_planner_kinds() -> None:
    assert isinstance(make_planner("embedded", "press enter"), EmbeddedPlanner)
    assert isinstance(make_planner("openai", "g", base_url="http://127.0.0.1:9/v1"), LLMPlanner)
    assert isinstance(make_planner("anthropic", "g", api_key="k"), LLMPlanner)
    with pytest.raises(GuiAgentError, match="unknown planner"):
        make_planner("magic", "g")
