"""The risk gate: vocabulary, autonomy levels x rules, hotkeys, secrets and the approvers."""

from __future__ import annotations

import io

import pytest
from pydantic import ValidationError

from gui_agent.control.approvers import (
    Approval,
    Approver,
    NobodyApprover,
    PolicyApprover,
    TerminalApprover,
    default_approver,
    parse_edit,
)
from gui_agent.control.risk import (
    Autonomy,
    Gate,
    RiskAssessment,
    RiskRules,
    Verdict,
    assess,
    pattern_matches,
)
from gui_agent.errors import GuiAgentError
from gui_agent.geometry import Rect
from gui_agent.perception.state import Element, ElementKind
from gui_agent.planning.actions import (
    Action,
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
)


def click(text: str) -> Click:
    return Click(target=Target(query=text))


def resolved(text: str, kind: str = "button", query: str | None = "it") -> ResolvedTarget:
    return ResolvedTarget(query=query, element_id=3, box=(10, 10, 80, 20), kind=kind, text=text)


def element(text: str, kind: ElementKind = ElementKind.BUTTON) -> Element:
    return Element(id=4, kind=kind, box=Rect(0, 0, 50, 20), text=text)


# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Delete all",
        "DELETE",
        "delete",
        "Send",
        "Send now",
        "(Send)",
        "Delete…",
        "Pay now",
        "Buy",
        "Purchase",
        "Checkout",
        "Check out",
        "Submit order",
        "Place order",
        "Transfer funds",
        "Close",
        "Quit",
        "Exit",
        "Format disk",
        "Uninstall",
        "Overwrite",
        "Discard changes",
        "Don't Save",
        "Publish",
        "Post",
        "Erase",
        "Empty Trash",
    ],
)
def test_irreversible_words(text: str) -> None:
    a = assess(click(text))
    assert a.risky and a.irreversible
    assert any(text.lower().strip("()…") in r.lower() or text in r for r in a.reasons)


@pytest.mark.parametrize("text", ["Remove", "Log out", "Logout", "Sign out", "sign-out", "Trash"])
def test_risky_but_recoverable_words(text: str) -> None:
    a = assess(click(text))
    assert a.risky and not a.irreversible
    assert a.reasons


@pytest.mark.parametrize(
    "text",
    [
        "Undelete",
        "Deleted items",
        "Resend",
        "Postal code",
        "Posts",
        "Closet",
        "Paypal",
        "Exits",
        "Save",
        "OK",
        "Cancel",
        "Open",
    ],
)
def test_whole_words_only(text: str) -> None:
    a = assess(click(text))
    assert not a.risky, a.reasons
    assert a.reasons == []


def test_underscores_and_hyphens_separate_words() -> None:
    assert assess(click("delete_selected")).irreversible
    assert assess(click("check-out")).irreversible


def test_resolved_target_text_and_query_both_count() -> None:
    # The query asked for something harmless, but the element found says Delete.
    a = assess(click("the first button"), resolved("Delete all", query="the first button"))
    assert a.irreversible
    # The element is harmless but the query names the risk: still risky (what was meant).
    b = assess(click("the Send button"), resolved("OK", query="the Send button"))
    assert b.irreversible


def test_element_target() -> None:
    a = assess(Click(target=Target(element_id=4)), element("Delete all"))
    assert a.irreversible
    assert "Delete all" in a.reasons[0]


def test_element_id_without_resolution_is_judged_from_the_action_alone() -> None:
    assert not assess(Click(target=Target(element_id=4))).risky


def test_typed_text_is_not_searched() -> None:
    a = assess(Type(text="delete everything and send it", target=Target(query="the Notes box")))
    assert not a.risky


def test_scroll_and_wait_over_risky_words_are_safe() -> None:
    assert not assess(Scroll(amount=3, target=Target(query="the Delete list"))).risky
    assert not assess(Wait(until_text="Deleted")).risky
    assert not assess(Done(summary="deleted all")).risky
    assert not assess(AskUser(question="Delete all?")).risky


def test_drag_to_trash_is_risky() -> None:
    a = assess(Drag(source=Target(query="report.pdf"), destination=Target(query="Trash")))
    assert a.risky and not a.irreversible


# --------------------------------------------------------------------------------------------
# Hotkeys and secrets
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "combo", ["alt+f4", "ctrl+w", "ctrl+q", "shift+delete", "Control+Shift+W", "ctrlleft+w"]
)
def test_irreversible_hotkeys(combo: str) -> None:
    a = assess(Hotkey.parse(combo))
    assert a.irreversible and a.risky
    assert a.reasons


def test_plain_delete_key_is_risky_but_recoverable() -> None:
    a = assess(Hotkey.parse("delete"))
    assert a.risky and not a.irreversible


@pytest.mark.parametrize("combo", ["ctrl+s", "ctrl+c", "tab", "alt+tab", "f4", "esc", "down"])
def test_safe_hotkeys(combo: str) -> None:
    assert not assess(Hotkey.parse(combo)).risky


def test_typing_into_password_field_is_sensitive_not_irreversible() -> None:
    a = assess(Type(text="hunter2", target=Target(query="the Password field")))
    assert a.sensitive and a.risky and not a.irreversible
    assert "sensitive" in a.reasons[0]
    b = assess(Type(text="1234", target=Target(element_id=7)), element("PIN", ElementKind.FIELD))
    assert b.sensitive
    c = assess(Type(text="x", secret=True))
    assert c.sensitive
    d = assess(Type(text="Bob", target=Target(query="the Name field")))
    assert not d.risky


def test_secret_text_never_in_reasons_or_decision() -> None:
    action = Type(text="hunter2", secret=True, target=Target(query="the Password field"))
    decision = Gate("ask-risky").check(action)
    assert "hunter2" not in decision.reason
    assert all("hunter2" not in r for r in decision.assessment.reasons)


# --------------------------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------------------------


def test_rules_load_from_dict_and_validate() -> None:
    r = RiskRules.model_validate({"allow": "Save*", "never_allow": ["format*"]})
    assert r.allow == ["Save*"] and r.always_ask == []
    with pytest.raises(ValidationError):
        RiskRules.model_validate({"allow": ["  "]})
    with pytest.raises(ValidationError):
        RiskRules.model_validate({"alow": ["x"]})


def test_pattern_matching() -> None:
    assert pattern_matches("delete*", "Delete all")
    assert not pattern_matches("delete*", "Undelete")
    assert pattern_matches("draft", "Delete DRAFT now")
    assert pattern_matches("*send*", "Click Send")
    assert not pattern_matches("send", "Click Save")


def test_rule_priority_never_then_always_then_allow() -> None:
    rules = RiskRules(never_allow=["*format*"], always_ask=["*format*", "Save"], allow=["Save"])
    a = assess(click("Format disk"), rules=rules)
    assert a.denied and a.rule == "*format*" and a.rule_kind == "never_allow"
    b = assess(click("Save"), rules=rules)
    assert b.rule_kind == "always_ask" and b.rule == "Save" and not b.denied


def test_rules_match_description_and_hotkey_combo() -> None:
    rules = RiskRules(always_ask=["Click Help"], never_allow=["alt+f4"])
    assert assess(click("Help"), rules=rules).rule_kind == "always_ask"
    assert assess(Hotkey.parse("Alt+F4"), rules=rules).denied


def test_catch_all_allow_does_not_cover_irreversible() -> None:
    rules = RiskRules(allow=["*"])
    a = assess(click("Delete all"), rules=rules)
    assert a.rule is None
    assert any("ignored" in r for r in a.reasons)
    b = assess(click("Remove"), rules=rules)
    assert b.rule == "*" and b.rule_kind == "allow"


@pytest.mark.parametrize("pattern", ["Delete all", "*delete*", "delete*", "Click Delete all"])
def test_explicit_allow_covers_irreversible(pattern: str) -> None:
    a = assess(click("Delete all"), rules=RiskRules(allow=[pattern]))
    assert a.rule == pattern and a.rule_kind == "allow"


def test_allow_naming_something_else_does_not_cover_irreversible() -> None:
    a = assess(click("Delete all"), rules=RiskRules(allow=["*all*"]))
    assert a.rule is None


# --------------------------------------------------------------------------------------------
# Gate: autonomy x case
# --------------------------------------------------------------------------------------------

SAFE = click("Save")
RISKY = click("Remove")
IRREVERSIBLE = click("Delete all")

E, A, R = Verdict.EXECUTE, Verdict.ASK, Verdict.REFUSE


@pytest.mark.parametrize(
    ("autonomy", "action", "rules", "expected"),
    [
        # no rules
        ("ask", SAFE, {}, A),
        ("ask", RISKY, {}, A),
        ("ask", IRREVERSIBLE, {}, A),
        ("ask-risky", SAFE, {}, E),
        ("ask-risky", RISKY, {}, A),
        ("ask-risky", IRREVERSIBLE, {}, A),
        ("auto", SAFE, {}, E),
        ("auto", RISKY, {}, A),
        ("auto", IRREVERSIBLE, {}, A),
        # never_allow refuses at every level
        ("ask", SAFE, {"never_allow": ["save"]}, R),
        ("ask-risky", SAFE, {"never_allow": ["save"]}, R),
        ("auto", IRREVERSIBLE, {"never_allow": ["delete*"], "allow": ["delete*"]}, R),
        # always_ask asks at every level, even for safe actions and over allow
        ("auto", SAFE, {"always_ask": ["save"]}, A),
        ("ask-risky", SAFE, {"always_ask": ["save"]}, A),
        ("auto", RISKY, {"always_ask": ["remove"], "allow": ["remove"]}, A),
        # allow only lets risky actions run in auto
        ("ask", RISKY, {"allow": ["remove"]}, A),
        ("ask-risky", RISKY, {"allow": ["remove"]}, A),
        ("auto", RISKY, {"allow": ["remove"]}, E),
        ("auto", IRREVERSIBLE, {"allow": ["Delete all"]}, E),
        ("auto", IRREVERSIBLE, {"allow": ["*"]}, A),
        ("ask-risky", IRREVERSIBLE, {"allow": ["Delete all"]}, A),
        # an allow rule that does not match changes nothing
        ("auto", RISKY, {"allow": ["something else"]}, A),
    ],
)
def test_gate_matrix(
    autonomy: str, action: Action, rules: dict[str, list[str]], expected: Verdict
) -> None:
    gate = Gate(autonomy, RiskRules.model_validate(rules))
    decision = gate.check(action)
    assert decision.verdict is expected, decision.reason
    assert action.describe() in decision.reason
    assert decision.needs_approval is (expected is A)


def test_acceptance_delete_all() -> None:
    """A risky click ('Delete all') asks even in ask-risky; in auto it asks too, unless the
    user allowed it by rule."""
    action = click("Delete all")
    target = resolved("Delete all", query="Delete all")
    assert Gate(Autonomy.ASK_RISKY).check(action, target).verdict is Verdict.ASK
    assert Gate(Autonomy.AUTO).check(action, target).verdict is Verdict.ASK
    allowed = Gate(Autonomy.AUTO, RiskRules(allow=["Delete all"])).check(action, target)
    assert allowed.verdict is Verdict.EXECUTE
    assert "allow rule 'Delete all'" in allowed.reason


def test_reasons_name_action_and_rule() -> None:
    refused = Gate("auto", RiskRules(never_allow=["format*"])).check(click("Format disk"))
    assert refused.verdict is Verdict.REFUSE
    assert (
        "'Click Format disk'" in refused.reason and "never_allow rule 'format*'" in refused.reason
    )
    asked = Gate("auto", RiskRules(always_ask=["*help*"])).check(click("Help"))
    assert "always_ask rule '*help*'" in asked.reason
    risky = Gate("ask-risky").check(click("Delete all"))
    assert "ask-risky" in risky.reason and "delete" in risky.reason
    every = Gate("ask").check(click("Save"))
    assert "every action" in every.reason


def test_inert_actions_never_ask_but_rules_still_apply() -> None:
    gate = Gate("ask")
    for action in (Wait(seconds=1), Done(summary="ok"), AskUser(question="Which file?")):
        assert gate.check(action).verdict is Verdict.EXECUTE
    strict = Gate("auto", RiskRules(never_allow=["Done*"]))
    assert strict.check(Done()).verdict is Verdict.REFUSE


def test_hotkey_and_password_through_gate() -> None:
    assert Gate("auto").check(Hotkey.parse("alt+f4")).verdict is Verdict.ASK
    assert Gate("auto", RiskRules(allow=["alt+f4"])).check(Hotkey.parse("alt+f4")).verdict is E
    typing = Type(text="pw", target=Target(query="the Password field"))
    assert Gate("ask-risky").check(typing).verdict is Verdict.ASK
    assert Gate("auto", RiskRules(allow=["*password*"])).check(typing).verdict is E


def test_autonomy_parse() -> None:
    assert Autonomy.parse("ask_risky") is Autonomy.ASK_RISKY
    assert Autonomy.parse("AUTO") is Autonomy.AUTO
    assert Gate().autonomy is Autonomy.ASK
    with pytest.raises(ValueError, match="ask, ask-risky, auto"):
        Autonomy.parse("yolo")


# --------------------------------------------------------------------------------------------
# Approvers
# --------------------------------------------------------------------------------------------


def run_terminal(answers: str, action: Action | None = None) -> tuple[Approval, str]:
    action = action or click("Delete all")
    decision = Gate("ask-risky").check(action)
    out = io.StringIO()
    approval = TerminalApprover(io.StringIO(answers), out).review(
        action, decision.assessment, decision.reason
    )
    return approval, out.getvalue()


@pytest.mark.parametrize("answer", ["a\n", "approve\n", "Y\n", "  A  \n"])
def test_terminal_approve(answer: str) -> None:
    approval, shown = run_terminal(answer)
    assert approval.kind == "approve"
    assert "Next action: Click Delete all" in shown
    assert "IRREVERSIBLE" in shown and "delete" in shown
    assert TerminalApprover.PROMPT in shown


def test_terminal_reject_and_stop() -> None:
    assert run_terminal("r\n")[0].kind == "reject"
    assert run_terminal("no\n")[0].kind == "reject"
    assert run_terminal("s\n")[0].kind == "stop"


def test_terminal_end_of_input_stops() -> None:
    approval, _ = run_terminal("")
    assert approval.kind == "stop"
    assert run_terminal("e\n")[0].kind == "stop"


def test_terminal_edit_json_on_next_line() -> None:
    approval, shown = run_terminal('e\n{"type": "click", "target": {"query": "Cancel"}}\n')
    assert approval.kind == "edit"
    assert approval.action == click("Cancel")
    assert "Edited to: Click Cancel" in shown


def test_terminal_edit_command_inline() -> None:
    approval, _ = run_terminal("e click Keep draft\n")
    assert approval.kind == "edit"
    assert approval.action == click("Keep draft")


def test_terminal_edit_invalid_then_valid() -> None:
    approval, shown = run_terminal('e {"type": "click"}\ne click File, then Save\nx\ne press esc\n')
    assert approval.kind == "edit"
    assert approval.action == Hotkey(keys=["esc"])
    assert "Cannot use that action" in shown
    assert "give exactly one" in shown
    assert "Please answer a, r, e or s" in shown
    assert shown.count(TerminalApprover.PROMPT) == 4


def test_terminal_invalid_input_reprompts() -> None:
    approval, shown = run_terminal("maybe\n\nr\n")
    assert approval.kind == "reject"
    assert shown.count(TerminalApprover.PROMPT) == 3


def test_terminal_gives_up_after_max_attempts() -> None:
    out = io.StringIO()
    approver = TerminalApprover(io.StringIO("x\n" * 5), out, max_attempts=3)
    approval = approver.review(SAFE, RiskAssessment(), "")
    assert approval.kind == "stop" and "3 tries" in approval.message


def test_terminal_safe_action_shows_no_risk_block() -> None:
    approval, shown = run_terminal("a\n", SAFE)
    assert approval.kind == "approve"
    assert "RISKY" not in shown and "IRREVERSIBLE" not in shown


def test_terminal_does_not_echo_secret() -> None:
    action = Type(text="hunter2", secret=True, target=Target(query="the Password field"))
    _, shown = run_terminal("a\n", action)
    assert "hunter2" not in shown and "SECRET" in shown


def test_parse_edit_errors() -> None:
    with pytest.raises(GuiAgentError):
        parse_edit("")
    with pytest.raises(GuiAgentError):
        parse_edit("{not json")
    with pytest.raises(GuiAgentError):
        parse_edit("make me a sandwich")


def test_policy_approver() -> None:
    yes = PolicyApprover(approve=True)
    decision = Gate("auto").check(click("Delete all"))
    assert yes.review(click("Delete all"), decision.assessment, decision.reason).kind == "approve"
    assert len(yes.reviewed) == 1
    no = PolicyApprover()
    rej = no.review(click("Delete all"), decision.assessment, decision.reason)
    assert rej.kind == "reject" and "Click Delete all" in rej.message
    mixed = PolicyApprover(approve=True, approve_irreversible=False)
    assert mixed.review(click("Delete all"), decision.assessment, "").kind == "reject"
    remove = Gate("auto").check(RISKY)
    assert mixed.review(RISKY, remove.assessment, "").kind == "approve"


def test_nobody_approver_names_action_and_rule() -> None:
    gate = Gate("auto", RiskRules(always_ask=["*invoice*"]))
    action = click("Open invoice")
    decision = gate.check(action)
    approval = NobodyApprover().review(action, decision.assessment, decision.reason)
    assert approval.kind == "stop"
    assert "Refused 'Click Open invoice'" in approval.message
    assert "always_ask rule '*invoice*'" in approval.message
    assert "not a terminal" in approval.message


def test_nobody_approver_names_autonomy_and_risk() -> None:
    decision = Gate("ask-risky").check(IRREVERSIBLE)
    message = NobodyApprover().review(IRREVERSIBLE, decision.assessment, decision.reason).message
    assert "Click Delete all" in message and "ask-risky" in message and "delete" in message
    # without a description it still says what the risk is
    message = NobodyApprover().review(IRREVERSIBLE, decision.assessment, "").message
    assert "irreversible" in message


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Closed(io.StringIO):
    def isatty(self) -> bool:
        raise ValueError("I/O operation on closed file")


def test_default_approver() -> None:
    assert isinstance(default_approver(_Tty()), TerminalApprover)
    assert isinstance(default_approver(io.StringIO()), NobodyApprover)
    assert isinstance(default_approver(_Closed()), NobodyApprover)
    for approver in (TerminalApprover(), PolicyApprover(), NobodyApprover()):
        assert isinstance(approver, Approver)
