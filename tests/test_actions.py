"""The action schema: round trips, schema export, readable validation errors, secrets."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from gui_agent.errors import GuiAgentError
from gui_agent.geometry import Rect
from gui_agent.perception.state import Element, ElementKind
from gui_agent.planning.actions import (
    KNOWN_KEYS,
    SECRET_MASK,
    Action,
    ActionError,
    AskUser,
    Click,
    Done,
    Drag,
    Hotkey,
    ResolvedTarget,
    Scroll,
    Target,
    Type,
    Wait,
    action_adapter,
    action_json_schema,
    describe,
    normalize_key,
    parse_action,
    parse_actions,
    redact,
)

SECRET = "hunter2-S3cr3t"

EXAMPLES: list[Action] = [
    Click(target=Target(query="the Save button")),
    Click(target=Target(element_id=12), button="right", count=2),
    Type(text="q3.pdf", target=Target(query="the File name field"), clear=True),
    Type(text="plain"),
    Type(text=SECRET, target=Target(query="the Password field"), secret=True),
    Hotkey(keys=["ctrl", "s"]),
    Scroll(amount=-5),
    Scroll(amount=3, target=Target(query="the Results list"), until_text="Terms", max_steps=7),
    Drag(source=Target(element_id=3), destination=Target(query="the Trash icon")),
    Wait(seconds=2),
    Wait(until_text="Saved", timeout=30),
    AskUser(question="Which file?"),
    Done(summary="saved the report"),
    Done(),
]


@pytest.mark.parametrize("action", EXAMPLES, ids=lambda a: a.type)
def test_round_trip_through_json(action: Action) -> None:
    as_json = action_adapter.dump_json(action).decode()
    assert json.loads(as_json)["type"] == action.type
    assert parse_action(as_json) == action
    assert parse_action(json.loads(as_json)) == action
    assert parse_action(action.model_dump()) == action
    assert type(parse_action(as_json)) is type(action)


def test_every_action_type_has_an_example() -> None:
    schema = action_json_schema()
    assert {a.type for a in EXAMPLES} == set(schema["discriminator"]["mapping"])


def test_plan_round_trip() -> None:
    text = json.dumps([action_adapter.dump_python(a, mode="json") for a in EXAMPLES])
    assert parse_actions(text) == EXAMPLES
    with pytest.raises(ActionError, match=r"invalid plan: 1\.click\.target: missing"):
        parse_actions([{"type": "done"}, {"type": "click"}])
    with pytest.raises(ActionError, match="not valid JSON"):
        parse_actions("[{")


def _resolve_refs(node: Any, defs: dict[str, Any]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if ref is not None:
            assert ref.startswith("#/$defs/")
            assert ref.removeprefix("#/$defs/") in defs, ref
        for v in node.values():
            _resolve_refs(v, defs)
    elif isinstance(node, list):
        for v in node:
            _resolve_refs(v, defs)


def test_schema_is_json_with_a_type_discriminator() -> None:
    schema = action_json_schema()
    json.loads(json.dumps(schema))  # plain JSON, nothing python-only
    assert schema["discriminator"]["propertyName"] == "type"
    assert len(schema["oneOf"]) == 8
    defs = schema["$defs"]
    _resolve_refs(schema, defs)
    for tag, ref in schema["discriminator"]["mapping"].items():
        model = defs[ref.removeprefix("#/$defs/")]
        assert model["properties"]["type"]["const"] == tag
        assert model["additionalProperties"] is False
        assert model["type"] == "object"
    assert defs["Hotkey"]["properties"]["keys"]["minItems"] == 1
    assert "positive scrolls down" in defs["Scroll"]["properties"]["amount"]["description"]
    assert set(defs["Target"]["properties"]) == {"element_id", "query"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"type": "click"}, r"click\.target: missing"),
        ({"type": "click", "target": {}}, "exactly one of element_id .* or query"),
        ({"type": "click", "target": {"element_id": 1, "query": "Save"}}, "not both"),
        ({"type": "click", "target": {"query": "   "}}, "query is empty"),
        ({"type": "click", "target": {"query": "x"}, "count": 4}, r"click\.count"),
        ({"type": "click", "target": {"query": "x"}, "button": "side"}, r"click\.button"),
        ({"type": "click", "target": {"query": "x"}, "colour": 1}, "colour: unknown field"),
        ({"type": "hotkey", "keys": ["ctrl", "sx"]}, "unknown key name 'sx'"),
        ({"type": "hotkey", "keys": []}, "no keys given"),
        ({"type": "hotkey", "keys": ""}, "no keys given"),
        ({"type": "hotkey", "keys": ["ctrl", "control"]}, "appears twice"),
        ({"type": "scroll", "amount": 0}, "scroll amount is 0"),
        ({"type": "scroll", "amount": 2, "until_text": " "}, "until_text is empty"),
        ({"type": "wait"}, "exactly one of seconds .* or until_text"),
        ({"type": "wait", "seconds": 1, "until_text": "x"}, "exactly one of seconds"),
        ({"type": "wait", "seconds": -1}, r"wait\.seconds"),
        ({"type": "drag", "source": {"element_id": 1}}, r"drag\.destination: missing"),
        ({"type": "ask_user", "question": ""}, r"ask_user\.question"),
        ({"type": "jump"}, "unknown action type 'jump'; expected one of click, type"),
        ({"target": {"query": "x"}}, "missing field 'type'"),
        ("{not json", "not valid JSON"),
    ],
)
def test_invalid_actions_give_one_readable_line(data: Any, message: str) -> None:
    with pytest.raises(ActionError, match=message) as info:
        parse_action(data)
    text = str(info.value)
    assert "\n" not in text
    assert text.startswith("invalid action: ")
    assert "errors.pydantic.dev" not in text
    assert "Value error" not in text
    assert isinstance(info.value, GuiAgentError)


def test_action_error_never_echoes_a_secret() -> None:
    bad = {"type": "type", "text": SECRET, "secret": True, "target": {}, "bogus": SECRET}
    with pytest.raises(ActionError) as info:
        parse_action(bad)
    assert SECRET not in str(info.value)


def test_target_helpers_and_descriptions() -> None:
    assert Target.of(5) == Target(element_id=5)
    assert Target.of("the Save button").query == "the Save button"
    assert Target(query="  the   Save button ").query == "the Save button"
    assert Target(element_id=7).describe() == "element #7"
    with pytest.raises(ValueError, match="exactly one"):
        Target()


@pytest.mark.parametrize(
    ("action", "words"),
    [
        (Click(target=Target(query="the button 'Save'")), "Click the button 'Save'"),
        (Click(target=Target(query="File"), count=2), "Double-click File"),
        (Click(target=Target(query="File"), count=3), "Triple-click File"),
        (Click(target=Target(element_id=4), button="right"), "Right-click element #4"),
        (Click(target=Target(query="X"), button="middle"), "Middle-click X"),
        (
            Type(text="q3.pdf", target=Target(query="the File name field")),
            "Type 'q3.pdf' into the File name field",
        ),
        (Type(text="abc"), "Type 'abc'"),
        (
            Type(text="", target=Target(query="the Search field"), clear=True),
            "Clear the Search field",
        ),
        (
            Type(text="Alice", target=Target(query="the Name field"), clear=True),
            "Replace the text in the Name field with 'Alice'",
        ),
        (Hotkey(keys=["ctrl", "s"]), "Press ctrl+s"),
        (Scroll(amount=1), "Scroll down 1 notch"),
        (Scroll(amount=-4), "Scroll up 4 notches"),
        (
            Scroll(amount=3, until_text="Terms"),
            "Scroll down 3 notches until 'Terms' appears (at most 20 times)",
        ),
        (
            Drag(source=Target(element_id=1), destination=Target(query="Trash")),
            "Drag element #1 to Trash",
        ),
        (Wait(seconds=1), "Wait 1 second"),
        (Wait(seconds=2.5), "Wait 2.5 seconds"),
        (Wait(until_text="Saved"), "Wait until 'Saved' appears (up to 10 s)"),
        (AskUser(question="Which file?"), "Ask you: Which file?"),
        (Done(), "Done"),
        (Done(summary="ok"), "Done: ok"),
    ],
)
def test_describe_in_plain_words(action: Action, words: str) -> None:
    assert describe(action) == words
    assert action.describe() == words


class TestSecrets:
    action = Type(text=SECRET, target=Target(query="the Password field"), secret=True)

    def test_repr_str_and_describe_hide_the_text(self) -> None:
        for shown in (repr(self.action), str(self.action), describe(self.action)):
            assert SECRET not in shown
            assert SECRET_MASK in shown
        assert SECRET not in repr([self.action])
        assert describe(self.action) == "Type ••• into the Password field"

    def test_redacted_copy_has_no_text_and_is_marked(self) -> None:
        r = self.action.redacted()
        assert r.text == ""
        assert r.text_redacted is True
        assert r.secret is True
        assert r.target == self.action.target
        assert self.action.text == SECRET  # the original is untouched
        for shown in (
            repr(r),
            describe(r),
            r.model_dump_json(),
            action_adapter.dump_json(r).decode(),
        ):
            assert SECRET not in shown
        assert parse_action(r.model_dump_json()) == r
        assert redact(self.action) == r

    def test_redacted_clear_does_not_read_as_clear(self) -> None:
        a = Type(text=SECRET, target=Target(query="the PIN field"), secret=True, clear=True)
        assert describe(a.redacted()) == "Replace the text in the PIN field with •••"

    def test_non_secret_actions_are_kept_as_they_are(self) -> None:
        plain = Type(text="hello", target=Target(query="the Name field"))
        assert plain.redacted() is plain
        assert redact(plain) is plain
        click = Click(target=Target(element_id=1))
        assert redact(click) is click
        assert "hello" in repr(plain)


class TestKeys:
    @pytest.mark.parametrize(
        ("combo", "keys"),
        [
            ("ctrl+s", ["ctrl", "s"]),
            ("Ctrl+Shift+S", ["ctrl", "shift", "s"]),
            ("control + return", ["ctrl", "enter"]),
            ("Escape", ["esc"]),
            ("cmd+q", ["win", "q"]),
            ("super", ["win"]),
            ("alt+F4", ["alt", "f4"]),
            ("F24", ["f24"]),
            ("PgDn", ["pagedown"]),
            ("del", ["delete"]),
            ("ctrl++", ["ctrl", "+"]),
            ("ctrl+plus", ["ctrl", "+"]),
            ("ctrl+-", ["ctrl", "-"]),
            ("+", ["+"]),
            ("ctrl+1", ["ctrl", "1"]),
            ("shift+tab", ["shift", "tab"]),
        ],
    )
    def test_parse_normalises(self, combo: str, keys: list[str]) -> None:
        hk = Hotkey.parse(combo)
        assert hk.keys == keys
        assert hk.combo == "+".join(keys)

    @pytest.mark.parametrize("combo", ["", "ctrl+", "ctrl+foo", "f25", "ctrl+ctrl", "a+b+c+d+e+f"])
    def test_parse_rejects(self, combo: str) -> None:
        with pytest.raises(ActionError, match="invalid hotkey action: keys: "):
            Hotkey.parse(combo)

    def test_llm_style_string_is_accepted(self) -> None:
        assert parse_action({"type": "hotkey", "keys": "Control+S"}) == Hotkey(keys=["ctrl", "s"])

    def test_all_known_keys_normalise_to_themselves(self) -> None:
        for k in KNOWN_KEYS:
            assert normalize_key(k) == k
        for name in ("enter", "esc", "tab", "space", "backspace", "home", "end", "insert"):
            assert name in KNOWN_KEYS


def test_actions_are_immutable() -> None:
    a = Click(target=Target(query="OK"))
    with pytest.raises(ValueError):
        a.count = 2


def test_resolved_target_keeps_query_and_result() -> None:
    el = Element(
        id=4, kind=ElementKind.BUTTON, box=Rect(10, 20, 80, 30), text="Save", confidence=0.9
    )
    r = ResolvedTarget.from_element(Target(query="the Save button"), el)
    assert r.query == "the Save button"
    assert r.element_id == 4
    assert r.box == (10, 20, 80, 30)
    assert r.kind == "button"
    assert r.text == "Save"
    assert r.confidence == pytest.approx(0.9)
    assert r.center == (50, 35)
    assert ResolvedTarget.from_element(Target(element_id=4), el, confidence=0.5).confidence == 0.5
    data = json.loads(r.model_dump_json())
    assert data["box"] == [10, 20, 80, 30]
    assert ResolvedTarget.model_validate(data) == r
    assert "'the Save button' -> #4 button 'Save'" in r.describe()
    with pytest.raises(ValueError):
        ResolvedTarget(box=(0, 0, 1, 1), confidence=1.5)


def test_planning_imports_no_gui_toolkit() -> None:
    code = (
        "import sys; import gui_agent.planning.actions, gui_agent.planning.rules; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyautogui', 'cv2')]; "
        "print(bad); raise SystemExit(1 if bad else 0)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
