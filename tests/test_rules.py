"""The embedded planner: direct commands in words -> actions, and refusals for the rest."""

from __future__ import annotations

import pytest

from gui_agent.errors import GuiAgentError
from gui_agent.planning.actions import (
    Action,
    AskUser,
    Click,
    Done,
    Drag,
    Hotkey,
    Scroll,
    Target,
    Type,
    Wait,
    action_adapter,
    describe,
    parse_action,
)
from gui_agent.planning.rules import DEFAULT_SCROLL, UnparsedCommand, parse_commands


def q(query: str) -> Target:
    return Target(query=query)


def click(query: str, **kw: object) -> Click:
    return Click.model_validate({"target": q(query), **kw})


def test_the_headline_chain() -> None:
    goal = "click File, then Save As; type 'q3.pdf' into the File name field; press enter"
    assert parse_commands(goal) == [
        click("File"),
        click("Save As"),
        Type(text="q3.pdf", target=q("the File name field")),
        Hotkey(keys=["enter"]),
    ]
    assert [describe(a) for a in parse_commands(goal)] == [
        "Click File",
        "Click Save As",
        "Type 'q3.pdf' into the File name field",
        "Press enter",
    ]


@pytest.mark.parametrize(
    ("goal", "expected"),
    [
        # clicks
        ("click Save", [click("Save")]),
        ("click on the Save button", [click("the Save button")]),
        ("tap OK", [click("OK")]),
        ("double-click Report.docx", [click("Report.docx", count=2)]),
        ("double click Report", [click("Report", count=2)]),
        ("doubleclick Report", [click("Report", count=2)]),
        ("triple-click the Address field", [click("the Address field", count=3)]),
        ("right-click the Trash icon", [click("the Trash icon", button="right")]),
        ("middle-click the link Docs", [click("the link Docs", button="middle")]),
        ("left-click Apply", [click("Apply")]),
        ("click Apply twice", [click("Apply", count=2)]),
        # "#12" is a label (pages name things "Tab #3"); an id is "element 12" (issue 21)
        ("click #12", [click('"#12"')]),
        ("click element #12", [Click(target=Target(element_id=12))]),
        ("click element 7", [Click(target=Target(element_id=7))]),
        ("click the second Delete button", [click("the second Delete button")]),
        ("click the field right of Email", [click("the field right of Email")]),
        ("click Bob's file", [click("Bob's file")]),
        ("click 'Save, then close'", [click("'Save, then close'")]),
        # checkboxes / radios / selections
        ("check Remember me", [click("checkbox Remember me", checked=True)]),
        ("tick Terms", [click("checkbox Terms", checked=True)]),
        ("uncheck the Newsletter checkbox", [click("the Newsletter checkbox", checked=False)]),
        ("untick the box Send copies", [click("the box Send copies", checked=False)]),
        ("toggle Dark mode", [click("checkbox Dark mode")]),
        ("check the Pro option", [click("the Pro option", checked=True)]),
        ("check element 5", [Click(target=Target(element_id=5), checked=True)]),
        ("select Pro", [click("Pro")]),
        ("choose the Pro option", [click("the Pro option")]),
        (
            "select Large from the Size dropdown",
            [click("the Size dropdown"), click("Large")],
        ),
        ("pick Copy from the Edit menu", [click("the Edit menu"), click("Copy")]),
        # typing
        ("type 'abc' into Name", [Type(text="abc", target=q("the Name field"))]),
        ('type "abc" into the Name field', [Type(text="abc", target=q("the Name field"))]),
        ("enter 'abc' in the Email field", [Type(text="abc", target=q("the Email field"))]),
        ("write 'x' on the Notes box", [Type(text="x", target=q("the Notes box"))]),
        ("input 'x' to element 3", [Type(text="x", target=Target(element_id=3))]),
        ("type 'hello'", [Type(text="hello")]),
        ("type hello world", [Type(text="hello world")]),
        ("type I live in Paris", [Type(text="I live in Paris")]),
        ("type hi in the Search box", [Type(text="hi", target=q("the Search box"))]),
        ("type hi into Search", [Type(text="hi", target=q("the Search field"))]),
        ("type ‘curly’ into Name", [Type(text="curly", target=q("the Name field"))]),
        ("type “curly” into Name", [Type(text="curly", target=q("the Name field"))]),
        ("type 'it's here' into Name", [Type(text="it's here", target=q("the Name field"))]),
        (
            "type 'q3.pdf' into the 'File name' field",
            [Type(text="q3.pdf", target=q("the 'File name' field"))],
        ),
        ("fill Name with Alice", [Type(text="Alice", target=q("the Name field"), clear=True)]),
        (
            "fill in the Name field with 'Alice Smith'",
            [Type(text="Alice Smith", target=q("the Name field"), clear=True)],
        ),
        (
            "fill out Comment with bread with butter",
            [Type(text="bread with butter", target=q("the Comment field"), clear=True)],
        ),
        ("clear the Search field", [Type(text="", target=q("the Search field"), clear=True)]),
        ("clear Search", [Type(text="", target=q("the Search field"), clear=True)]),
        # keys
        ("press ctrl+s", [Hotkey(keys=["ctrl", "s"])]),
        ("press Ctrl + Shift + S", [Hotkey(keys=["ctrl", "shift", "s"])]),
        ("press enter", [Hotkey(keys=["enter"])]),
        ("press the Enter key", [Hotkey(keys=["enter"])]),
        ("press Return", [Hotkey(keys=["enter"])]),
        ("hit tab", [Hotkey(keys=["tab"])]),
        ("hit Escape", [Hotkey(keys=["esc"])]),
        ("press tab 3 times", [Hotkey(keys=["tab"])] * 3),
        ("press down twice", [Hotkey(keys=["down"])] * 2),
        ("shortcut alt+f4", [Hotkey(keys=["alt", "f4"])]),
        ("ctrl+shift+s", [Hotkey(keys=["ctrl", "shift", "s"])]),
        ("enter", [Hotkey(keys=["enter"])]),
        ("press the OK button", [click("the OK button")]),
        ("press 'OK'", [click("'OK'")]),
        # scrolling
        ("scroll down", [Scroll(amount=DEFAULT_SCROLL)]),
        ("scroll up", [Scroll(amount=-DEFAULT_SCROLL)]),
        ("scroll down 10", [Scroll(amount=10)]),
        ("scroll up by 2 notches", [Scroll(amount=-2)]),
        ("scroll down 4 times", [Scroll(amount=4)]),
        (
            "scroll down until Terms appears",
            [Scroll(amount=DEFAULT_SCROLL, until_text="Terms")],
        ),
        (
            "scroll down until you see 'Terms of use'",
            [Scroll(amount=DEFAULT_SCROLL, until_text="Terms of use")],
        ),
        ("scroll to Terms", [Scroll(amount=DEFAULT_SCROLL, until_text="Terms")]),
        ("scroll up until Intro is visible", [Scroll(amount=-DEFAULT_SCROLL, until_text="Intro")]),
        ("scroll down 2 in the Results list", [Scroll(amount=2, target=q("the Results list"))]),
        (
            "scroll down over the Results list until Total appears",
            [Scroll(amount=DEFAULT_SCROLL, target=q("the Results list"), until_text="Total")],
        ),
        # waiting
        ("wait for Saved", [Wait(until_text="Saved")]),
        ("wait for 'Upload complete'", [Wait(until_text="Upload complete")]),
        ("wait until Saved appears", [Wait(until_text="Saved")]),
        ("wait for the text Done to appear", [Wait(until_text="Done")]),
        (
            "wait until 'Export finished' appears up to 30 seconds",
            [Wait(until_text="Export finished", timeout=30)],
        ),
        ("wait 2 seconds", [Wait(seconds=2)]),
        ("wait for 1.5 s", [Wait(seconds=1.5)]),
        ("wait 500 ms", [Wait(seconds=0.5)]),
        ("wait 2 minutes", [Wait(seconds=120)]),
        ("wait 3", [Wait(seconds=3)]),
        ("wait a moment", [Wait(seconds=1)]),
        # drag, ask, done
        (
            "drag element 3 to the Trash icon",
            [Drag(source=Target(element_id=3), destination=q("the Trash icon"))],
        ),
        (
            "drag and drop report.pdf onto the Upload area",
            [Drag(source=q("report.pdf"), destination=q("the Upload area"))],
        ),
        ("ask me which file to open", [AskUser(question="which file to open?")]),
        ("ask the user 'Overwrite it?'", [AskUser(question="Overwrite it?")]),
        ("done", [Done()]),
        ("Done.", [Done()]),
        ("finish: saved the report", [Done(summary="saved the report")]),
    ],
)
def test_single_commands(goal: str, expected: list[Action]) -> None:
    assert parse_commands(goal) == expected


@pytest.mark.parametrize(
    "goal",
    [
        "click File; click Save",
        "click File\nclick Save",
        "click File, click Save",
        "click File, then click Save",
        "click File then click Save",
        "click File and then click Save",
        "click File and click Save",
        "click File. Then click Save.",
        "Click File, and then Save",
        "please click File, then Save please",
        "First, click File. Next, click Save!",
    ],
)
def test_separators(goal: str) -> None:
    assert parse_commands(goal) == [click("File"), click("Save")]


def test_and_splits_only_before_a_verb() -> None:
    assert parse_commands("click Terms and Conditions") == [click("Terms and Conditions")]
    assert parse_commands("check Remember me and uncheck Newsletter") == [
        click("checkbox Remember me", checked=True),
        click("checkbox Newsletter", checked=False),
    ]


def test_verbless_clauses_repeat_the_click_like_verb() -> None:
    assert parse_commands("check Remember me, Terms") == [
        click("checkbox Remember me", checked=True),
        click("checkbox Terms", checked=True),
    ]
    assert parse_commands("double-click A, then B") == [click("A", count=2), click("B", count=2)]
    assert parse_commands("click File, then the Save As item, then element 4") == [
        click("File"),
        click("the Save As item"),
        Click(target=Target(element_id=4)),
    ]


def test_separators_inside_quotes_are_literal() -> None:
    assert parse_commands("type 'a, b; then c\nd' into Notes; press enter") == [
        Type(text="a, b; then c\nd", target=q("the Notes field")),
        Hotkey(keys=["enter"]),
    ]
    assert parse_commands('fill Notes with "x. Then click Save", then press tab') == [
        Type(text="x. Then click Save", target=q("the Notes field"), clear=True),
        Hotkey(keys=["tab"]),
    ]
    assert parse_commands("type 'into the field' into Name") == [
        Type(text="into the field", target=q("the Name field"))
    ]


def test_mixed_case_verbs_keep_target_case() -> None:
    assert parse_commands("CLICK Save AS, Then PRESS Ctrl+S; Scroll DOWN 2; WAIT FOR Saved") == [
        click("Save AS"),
        Hotkey(keys=["ctrl", "s"]),
        Scroll(amount=2),
        Wait(until_text="Saved"),
    ]
    assert parse_commands("Type 'MiXeD' Into NAME") == [
        Type(text="MiXeD", target=q("the NAME field"))
    ]


class TestSecrets:
    @pytest.mark.parametrize(
        "goal",
        [
            "type 'hunter2' into the Password field",
            "fill Password with hunter2",
            "fill in the PIN with hunter2",
            "enter 'hunter2' in the passcode box",
            "type 'hunter2' into Secret answer",
            "fill Confirm passwords with hunter2",
        ],
    )
    def test_password_like_targets_make_the_text_secret(self, goal: str) -> None:
        (action,) = parse_commands(goal)
        assert isinstance(action, Type)
        assert action.secret
        assert action.text == "hunter2"
        assert "hunter2" not in repr(action)
        assert "hunter2" not in describe(action)
        assert "hunter2" not in action_adapter.dump_json(action.redacted()).decode()

    @pytest.mark.parametrize(
        "goal", ["type 'x' into the Username field", "type 'x'", "fill Spinner with 3"]
    )
    def test_other_targets_are_not_secret(self, goal: str) -> None:
        (action,) = parse_commands(goal)
        assert isinstance(action, Type)
        assert not action.secret


@pytest.mark.parametrize(
    ("goal", "quoted"),
    [
        ("make me a sandwich", "make me a sandwich"),
        ("open Firefox", "open Firefox"),
        ("click Save, then make coffee", "make coffee"),
        ("click Save; book a flight to Paris", "book a flight to Paris"),
        ("press foo", "press foo"),
        ("hit it hard", "hit it hard"),
        ("scroll", "scroll"),
        ("scroll sideways", "scroll sideways"),
        ("wait", "wait"),
        ("check that it saved", "check that it saved"),
        ("type 'abc into Name", "type 'abc into Name"),
        ("type 'abc' Name", "type 'abc' Name"),
        ("save the document", "save the document"),
        ("click File, then Save As; then do the rest", "do the rest"),
    ],
)
def test_unparseable_goals_are_refused_not_guessed(goal: str, quoted: str) -> None:
    with pytest.raises(UnparsedCommand) as info:
        parse_commands(goal)
    message = str(info.value)
    assert f'"{quoted}"' in message
    assert "--planner openai" in message
    assert "--planner anthropic" in message
    assert info.value.goal == goal
    assert info.value.part == quoted
    assert isinstance(info.value, GuiAgentError)


@pytest.mark.parametrize("goal", ["", "   ", "please", "then, and"])
def test_empty_goals_are_refused(goal: str) -> None:
    with pytest.raises(UnparsedCommand, match="the goal is empty"):
        parse_commands(goal)


def test_unknown_key_explains_itself() -> None:
    with pytest.raises(UnparsedCommand, match="unknown key name 'foo'"):
        parse_commands("press ctrl+foo")


def test_every_parsed_plan_survives_the_journal() -> None:
    goal = (
        "click File, then Save As; fill Password with pw; type 'q3.pdf' into the File name "
        "field; press enter; scroll down until Terms appears; wait 2 seconds; "
        "drag #1 to #2; ask me whether to overwrite; done"
    )
    actions = parse_commands(goal)
    assert len(actions) == 10
    for a in actions:
        assert parse_action(action_adapter.dump_json(a)) == a
