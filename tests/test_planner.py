"""The planner interface: the embedded planner hands out parsed commands, then done."""

from __future__ import annotations

import pytest

from gui_agent.errors import GuiAgentError
from gui_agent.geometry import Rect
from gui_agent.perception.state import Element, ElementKind, ScreenState
from gui_agent.planning.actions import AskUser, Click, Done, Hotkey, Target, Type
from gui_agent.planning.llm import LLMPlanner
from gui_agent.planning.planner import PLAN_WINDOW, EmbeddedPlanner, ScriptPlanner, make_planner
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


# -- issue 21: goals of any length, and steps the screen settles --------------------------------

K = ElementKind


def screen(*items: tuple[ElementKind, str] | tuple[ElementKind, str, bool]) -> ScreenState:
    """Elements top to bottom, 40 px apart, in reading order."""
    els = [
        Element(i + 1, it[0], Rect(20, 20 + 40 * i, 200, 30), it[1],
                checked=it[2] if len(it) > 2 else None)  # type: ignore[misc]
        for i, it in enumerate(items)
    ]  # fmt: skip
    return ScreenState(els, Rect(0, 0, 800, 600))


def run(goal: str, state: ScreenState, limit: int = 50) -> list[object]:
    planner = EmbeddedPlanner(goal)
    ctx = PlannerContext(goal=goal)
    out: list[object] = []
    for _ in range(limit):
        reply = planner.next_step(ctx, state)
        assert len(reply.plan) <= PLAN_WINDOW
        if isinstance(reply.action, Done):
            return out
        out.append(reply.action)
        if isinstance(reply.action, AskUser):
            return out  # unanswered, the session ends the run with the question
    raise AssertionError("the planner never said done")


def test_a_goal_of_many_commands_runs_with_a_bounded_plan_window() -> None:
    goal = ", then ".join(f'click "{i}"' for i in range(1, 13))
    planner = EmbeddedPlanner(goal)
    ctx = PlannerContext(goal=goal)
    first = planner.next_step(ctx, EMPTY)
    assert len(ctx.plan) == 12
    assert len(first.plan) == PLAN_WINDOW and first.plan[-1] == "... and 5 more steps"
    assert len(run(goal, EMPTY)) == 12
    script = ScriptPlanner([Hotkey(keys=["tab"])] * 20)
    assert len(script.next_step(PlannerContext(goal="g"), EMPTY).plan) == PLAN_WINDOW


def test_a_role_only_target_is_the_only_one_of_its_role_or_a_question() -> None:
    one = screen((K.TEXT, "Name"), (K.FIELD, ""), (K.BUTTON, "Submit"))
    (typed, clicked) = run('Enter "Kasey" into the text field and press Submit.', one)
    assert isinstance(typed, Type) and typed.target == Target(element_id=2)
    assert isinstance(clicked, Click) and clicked.target.query == "the Submit button"
    two = screen((K.FIELD, "Alice"), (K.FIELD, "Bob"))
    (asked,) = run('Type "abc" in the box.', two)
    assert isinstance(asked, AskUser)
    assert "Which box" in asked.question and "'Alice', 'Bob'" in asked.question
    # the person's answer goes into the same step, which is then planned again
    planner = EmbeddedPlanner('Type "abc" in the box.')
    ctx = PlannerContext(goal="g")
    assert isinstance(planner.next_step(ctx, two).action, AskUser)
    for said, query in (("Bob", "Bob box"), ("the second", "the second box")):
        ctx.answer = said
        again = EmbeddedPlanner('Type "abc" in the box.') if said != "Bob" else planner
        if said != "Bob":
            again.next_step(PlannerContext(goal="g"), two)
        typed = again.next_step(ctx, two).action
        assert isinstance(typed, Type) and typed.target is not None, typed
        assert typed.target.query == query or typed.target.element_id is not None, typed


def test_the_pages_own_instructions_are_never_the_target() -> None:
    page = screen((K.BUTTON, "Click the button."), (K.BUTTON, "Next"))
    (click,) = run("Click the button.", page)
    assert isinstance(click, Click) and click.target == Target(element_id=2)
    fields = screen((K.FIELD, "Focus into the 2nd input box."), (K.FIELD, ""), (K.FIELD, ""))
    (focus,) = run("Focus into the 2nd input box.", fields)
    assert isinstance(focus, Click) and focus.target == Target(element_id=3)


def test_select_picks_the_action_for_what_the_element_is() -> None:
    boxes = screen((K.CHECKBOX, "Alice", False), (K.CHECKBOX, "Bob", False), (K.BUTTON, "Submit"))
    a, b, submit = run("Select Alice, Bob and click Submit", boxes)
    assert isinstance(a, Click) and a.checked is True and a.target.query == "Alice"
    assert isinstance(b, Click) and b.checked is True
    assert isinstance(submit, Click) and submit.checked is None
    rows = screen((K.TEXT, "Madrid"), (K.TEXT, "Berlin"))
    (pick,) = run("choose Berlin", rows)
    assert isinstance(pick, Click) and pick.checked is None


def test_select_opens_the_drop_down_first_when_the_option_is_not_on_screen() -> None:
    closed = screen((K.TEXT, "Country"), (K.COMBO, "Australia"))
    planner = EmbeddedPlanner("Choose France from the Country dropdown")
    ctx = PlannerContext(goal="g")
    opened = planner.next_step(ctx, closed).action
    assert isinstance(opened, Click) and opened.target.query == "the Country dropdown"
    shown = screen((K.TEXT, "Country"), (K.COMBO, "Australia"), (K.TEXT, "France"))
    picked = planner.next_step(ctx, shown).action
    assert isinstance(picked, Click) and picked.target.query == "France"
    assert isinstance(planner.next_step(ctx, shown).action, Done)


def test_submit_and_log_in_click_the_forms_own_button_or_ask() -> None:
    form = screen((K.FIELD, ""), (K.BUTTON, "Cancel"), (K.BUTTON, "Send"))
    (send,) = run("Type 'x' into the box and submit", form)[1:]
    assert isinstance(send, Click) and send.target.query == 'the "Send" button'
    login = screen((K.FIELD, ""), (K.FIELD, ""), (K.BUTTON, "Sign in"))
    user, pw, go = run("Log in as ana with password x1y2", login)
    assert isinstance(user, Type) and user.text == "ana" and not user.secret
    assert isinstance(pw, Type) and pw.secret and pw.text == "x1y2"
    assert isinstance(go, Click) and go.target.query == 'the "Sign in" button'
    unclear = screen((K.BUTTON, "Yes"), (K.BUTTON, "No"))
    (asked,) = run("submit", unclear)
    assert isinstance(asked, AskUser) and "'Yes', 'No'" in asked.question


def test_uncheck_all_boxes_clicks_each_ticked_box_once() -> None:
    boxes = screen((K.CHECKBOX, "A", True), (K.CHECKBOX, "B", False), (K.CHECKBOX, "C", True))
    clicks = run("Uncheck all boxes, then click Save", boxes)
    assert [getattr(c, "target", None) for c in clicks[:2]] == [
        Target(element_id=1),
        Target(element_id=3),
    ]
    assert all(isinstance(c, Click) and c.checked is False for c in clicks[:2])
    assert isinstance(clicks[2], Click) and clicks[2].target.query == "Save"


def test_a_label_that_looks_like_an_id_is_a_label() -> None:
    (tab,) = run("Click on Tab #3.", EMPTY)
    assert isinstance(tab, Click) and tab.target.query == '"Tab #3"'
    (by_id,) = run("click element #3", EMPTY)
    assert isinstance(by_id, Click) and by_id.target == Target(element_id=3)
