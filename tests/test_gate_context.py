"""The gate's judgement in context, display-free: windows, prompts, focus, icons, look-alike
letters, invalid typing, the policy file, and the pixel re-checks on drawn crops."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from gui_agent.control.context import ActionContext, Focus, control_at, secret_reason
from gui_agent.control.effects import click_proof, toggle_proof, typed_proof
from gui_agent.control.policy import PolicyError, default_policy, load_policy
from gui_agent.control.recheck import echo_glyphs, same_shapes
from gui_agent.control.risk import Gate, RiskRules, Verdict, assess, pattern_matches
from gui_agent.geometry import Rect
from gui_agent.perception.state import Element, ElementKind, ScreenState
from gui_agent.planning.actions import Click, Hotkey, Target, Type
from gui_agent.screen.windows import WindowInfo
from gui_agent.textnorm import normalize

K = ElementKind


def el(i: int, kind: ElementKind, text: str, x: int, y: int, w: int = 80, h: int = 24) -> Element:
    return Element(i, kind, Rect(x, y, w, h), text)


def dialog(prompt: str, *, title: str = "Question", secondary: bool = True) -> ActionContext:
    """A dialog asking ``prompt`` with No / Yes buttons; the context of a click on Yes."""
    yes = el(3, K.BUTTON, "Yes", 300, 140)
    elements = (el(1, K.TEXT, prompt, 20, 40, 360, 20), el(2, K.BUTTON, "No", 200, 140), yes)
    win = WindowInfo(7, Rect(0, 0, 400, 180), title, "dialog" if secondary else "normal",
                     transient=secondary)  # fmt: skip
    return ActionContext(target=yes, window=win, window_elements=elements)


YES = Click(target=Target(query="Yes"))


# -- windows and prompts -------------------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    ["Really delete 500 records?", "Delete the file report.txt?", "Confirm payment of $40?",
     "Changes will be lost. Continue?", "A file named q3.pdf already exists. Replace it?"],
)  # fmt: skip
def test_yes_takes_its_meaning_from_a_destructive_prompt(prompt: str) -> None:
    a = assess(YES, dialog(prompt))
    assert a.irreversible, a
    assert Gate("auto").check(YES, dialog(prompt)).verdict is Verdict.ASK
    assert Gate("ask-risky").check(YES, dialog(prompt)).verdict is Verdict.ASK


@pytest.mark.parametrize("prompt", ["Keep the changes?", "Open the file in read-only mode?"])
def test_yes_under_a_harmless_prompt_runs(prompt: str) -> None:
    assert not assess(YES, dialog(prompt)).risky
    assert Gate("ask-risky").check(YES, dialog(prompt)).verdict is Verdict.EXECUTE


def test_a_prompt_perception_read_as_a_button_still_counts() -> None:
    ctx = dialog("x")
    misread = el(1, K.BUTTON, "Confirm Really delete 500 records?", 20, 40, 360, 20)
    ctx = ActionContext(target=ctx.target, window=ctx.window,
                        window_elements=(misread, *ctx.window_elements[1:]))  # fmt: skip
    assert assess(YES, ctx).irreversible


def test_no_never_inherits_the_prompt() -> None:
    ctx = dialog("Really delete 500 records?")
    no = ctx.window_elements[1]
    a = assess(
        Click(target=Target(query="No")),
        ActionContext(target=no, window=ctx.window, window_elements=ctx.window_elements),
    )
    assert not a.risky


def test_close_on_a_dialog_is_harmless_but_on_a_main_window_irreversible() -> None:
    close = el(5, K.BUTTON, "Close", 300, 140)
    find = WindowInfo(9, Rect(0, 0, 400, 180), "Find & Replace", "dialog", transient=True)
    main = WindowInfo(8, Rect(0, 0, 1200, 800), "Report.odt — Writer", "normal")
    c = Click(target=Target(query="Close"))
    assert not assess(c, ActionContext(target=close, window=find, window_elements=(close,))).risky
    on_main = ActionContext(target=close, window=main, window_elements=(close,))
    assert assess(c, on_main).irreversible
    unsaved = (el(6, K.TEXT, "You have unsaved changes", 10, 40, 300, 20), close)
    assert assess(c, ActionContext(target=close, window=find, window_elements=unsaved)).risky
    cross = el(7, K.ICON, "×", 370, 5, 20, 20)  # the dialog's own close glyph, judged alike
    x = Click(target=Target(element_id=7))
    assert not assess(x, ActionContext(target=cross, window=find, window_elements=(cross,))).risky
    assert assess(x, ActionContext(target=cross, window=main, window_elements=(cross,))).risky


# -- icons -----------------------------------------------------------------------------------


def test_icons_are_judged_by_name_and_unknown_ones_are_risky() -> None:
    c = Click(target=Target(element_id=4))
    unknown = assess(c, el(4, K.ICON, "", 0, 0, 24, 24))
    assert unknown.risky and unknown.unknown and not unknown.irreversible
    assert assess(c, el(4, K.ICON, "×", 0, 0, 24, 24)).irreversible  # a close glyph
    assert not assess(c, el(4, K.ICON, "⚙", 0, 0, 24, 24)).risky  # settings
    assert assess(c, el(4, K.BUTTON, "", 0, 0, 30, 30)).unknown  # an icon-only button
    assert not assess(c, el(4, K.ICON, "Refresh", 0, 0, 24, 24)).risky  # a captioned icon
    # An allow rule must name what made it unknown: a catch-all does not cover it.
    assert Gate("auto", RiskRules(allow=["*"])).check(c, el(4, K.ICON, "", 0, 0)).verdict \
        is Verdict.ASK  # fmt: skip
    assert Gate("auto", RiskRules(allow=["*icon*"])).check(c, el(4, K.ICON, "", 0, 0)).verdict \
        is Verdict.EXECUTE  # fmt: skip


# -- typing ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [K.BUTTON, K.TEXT, K.CHECKBOX, K.ICON, K.LINK, K.TAB])
def test_typing_into_a_non_editable_target_is_invalid_at_every_level(kind: ElementKind) -> None:
    t = Type(text="x", target=Target(query="Delete all"))
    for level in ("ask", "ask-risky", "auto"):
        d = Gate(level, RiskRules(allow=["*"])).check(t, el(2, kind, "Delete all", 0, 0))
        assert d.verdict is Verdict.REFUSE and "invalid" in d.reason
    assert assess(t, el(2, K.FIELD, "", 0, 0)).invalid is None


def test_typing_into_a_masked_field_is_a_secret_whatever_its_label() -> None:
    t = Type(text="x", target=Target(element_id=2))
    a = assess(t, el(2, K.FIELD, "••••", 0, 0))
    assert a.sensitive and "masks" in a.reasons[0]


def test_secret_fields_by_label_use_the_locators_label_rule() -> None:
    label = el(1, K.TEXT, "API key", 10, 12, 60, 16)
    field = el(2, K.FIELD, "", 100, 8, 300, 24)
    other = el(3, K.FIELD, "", 100, 48, 300, 24)
    other_label = el(4, K.TEXT, "Email", 10, 52, 60, 16)
    state = ScreenState([label, field, other_label, other], Rect(0, 0, 500, 100))
    policy = default_policy()
    assert secret_reason(state, field, policy) == "its label says 'api key'"
    assert secret_reason(state, other, policy) is None


def test_typing_into_the_focused_field_uses_focus() -> None:
    t = Type(text="hunter2")
    assert assess(t, ActionContext()).unknown  # nothing known to have focus
    pw = el(2, K.FIELD, "", 100, 8)
    focused = ActionContext(target=pw, focus=Focus(pw), secret="its label says 'password'")
    assert assess(t, focused).sensitive
    button = el(3, K.BUTTON, "Delete all", 0, 0)
    ctx = ActionContext(target=button, focus=Focus(button))
    assert assess(Type(text="a b"), ctx).irreversible  # the space presses "Delete all"


# -- keys and focus ----------------------------------------------------------------------------


def test_activation_keys_are_judged_by_what_has_focus() -> None:
    enter, space = Hotkey.parse("enter"), Hotkey.parse("space")
    assert assess(enter).unknown and assess(space).unknown  # unknown focus
    delete_all = el(3, K.BUTTON, "Delete all", 0, 0)
    on_button = ActionContext(target=delete_all, focus=Focus(delete_all))
    assert assess(space, on_button).irreversible and assess(enter, on_button).irreversible
    save = el(4, K.BUTTON, "Save", 0, 0)
    assert not assess(space, ActionContext(target=save, focus=Focus(save))).risky
    search = el(5, K.FIELD, "", 0, 0)
    in_field = ActionContext(target=search, focus=Focus(search))
    assert not assess(space, in_field).risky and not assess(enter, in_field).risky
    # Enter in a field of a dialog that asks about deleting submits that question.
    d = dialog("Delete 3 files?")
    in_dialog = ActionContext(
        target=search,
        window=d.window,
        window_elements=(*d.window_elements, search),
        focus=Focus(search),
    )
    assert assess(enter, in_dialog).irreversible


def test_letters_and_mnemonics_outside_a_text_field() -> None:
    assert assess(Hotkey.parse("q")).unknown
    field = el(5, K.FIELD, "", 0, 0)
    assert not assess(Hotkey.parse("q"), ActionContext(target=field, focus=Focus(field))).risky
    risky_window = ActionContext(window_elements=(el(1, K.BUTTON, "Delete all", 0, 0),))
    assert assess(Hotkey.parse("alt+d"), risky_window).unknown
    calm = ActionContext(window=WindowInfo(1, Rect(0, 0, 10, 10)),
                         window_elements=(el(1, K.BUTTON, "Save", 0, 0),))  # fmt: skip
    assert not assess(Hotkey.parse("alt+f"), calm).risky


def test_an_allow_rule_naming_the_key_lets_enter_run_in_auto() -> None:
    assert Gate("auto", RiskRules(allow=["enter"])).check(Hotkey.parse("enter")).verdict \
        is Verdict.EXECUTE  # fmt: skip
    assert Gate("auto", RiskRules(allow=["*"])).check(Hotkey.parse("enter")).verdict \
        is Verdict.ASK  # fmt: skip


# -- look-alike text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "plain"),
    [("Dеlete", "delete"), ("De\u200blete", "delete"), ("Ｄｅｌｅｔｅ", "delete"),
     ("De1ete all", "delete all"), ("Рау now", "pay now"), ("Don’t Save", "don't save"),
     ("Save 10 files", "save 10 files"), ("  WIPE\tdisk ", "wipe disk")],
)  # fmt: skip
def test_normalize_folds_look_alikes(text: str, plain: str) -> None:
    assert normalize(text) == plain


def test_look_alike_labels_and_rules_are_judged_as_their_plain_words() -> None:
    for text in ("Dеlete all", "De\u200blete all", "DELETE ALL", "Wіpe disk"):
        assert assess(Click(target=Target(query=text)), el(1, K.BUTTON, text, 0, 0)).irreversible
    assert pattern_matches("delete*", "Dеlete all")  # a never_allow rule is not dodged
    d = Gate("auto", RiskRules(never_allow=["wipe*"])).check(
        Click(target=Target(query="Wіpe disk")))  # fmt: skip
    assert d.verdict is Verdict.REFUSE


# -- the policy file ---------------------------------------------------------------------------


def test_a_user_policy_adds_words_and_cannot_remove_any(tmp_path: Path) -> None:
    extra = tmp_path / "risk_policy.toml"
    extra.write_text('[[irreversible]]\neffect = "launches"\nwords = ["launch"]\n'
                     '[labels]\naffirmative = ["engage"]\n', encoding="utf-8")  # fmt: skip
    policy = load_policy(extra)
    c = Click(target=Target(query="Launch"))
    assert assess(c, el(1, K.BUTTON, "Launch", 0, 0), policy=policy).irreversible
    assert not assess(c, el(1, K.BUTTON, "Launch", 0, 0)).risky  # the built-in alone
    assert assess(Click(target=Target(query="x")), el(1, K.BUTTON, "Delete", 0, 0),
                  policy=policy).irreversible  # fmt: skip
    assert policy.label_sense("Engage") == "affirmative"
    assert load_policy(tmp_path / "missing.toml") == default_policy()


@pytest.mark.parametrize("text", ["[[irreversible]\nwords = 1", '[[risky]]\nwords = "x"\n',
                                  "[[risky]]\nwords = ['']\n"])  # fmt: skip
def test_a_broken_policy_file_is_one_clear_error(tmp_path: Path, text: str) -> None:
    bad = tmp_path / "risk_policy.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError, match="risk policy"):
        load_policy(bad)


# -- control at the pixel and the pixel checks -------------------------------------------------


def test_control_at_prefers_the_smallest_control_under_the_point() -> None:
    container = el(1, K.CONTAINER, "", 0, 0, 400, 200)
    button = el(2, K.BUTTON, "Delete", 150, 80)
    state = ScreenState([container, button], Rect(0, 0, 400, 200))
    assert control_at(state, (190, 92), container) is button
    assert control_at(state, (10, 10), None) is container


def _button(text: str, shade: int = 230) -> np.ndarray:
    img = np.full((32, 140, 3), 245, np.uint8)
    cv2.rectangle(img, (2, 2), (137, 29), (shade, shade, shade), -1)
    cv2.rectangle(img, (2, 2), (137, 29), (120, 120, 120), 1)
    cv2.putText(img, text, (10, 22), cv2.FONT_HERSHEY_SIMPLEX, 0.55, (20, 20, 20), 1, cv2.LINE_AA)
    return img


def test_same_shapes_passes_a_hover_and_catches_a_swap() -> None:
    assert same_shapes(_button("Save draft"), _button("Save draft", shade=200))
    assert not same_shapes(_button("Save draft"), _button("Delete forever"))
    assert not same_shapes(_button("Save draft"), _button("Save draft")[:, :-1])


def test_echo_glyphs_sees_a_bullet_not_a_caret_or_a_vanishing_placeholder() -> None:
    field = np.full((24, 200, 3), 255, np.uint8)
    cv2.rectangle(field, (0, 0), (199, 23), (150, 150, 150), 1)
    caret = field.copy()
    cv2.line(caret, (12, 5), (12, 18), (0, 0, 0), 1)
    bullet = field.copy()
    cv2.circle(bullet, (10, 12), 3, (30, 30, 30), -1)
    placeholder = field.copy()
    cv2.putText(placeholder, "Search", (8, 17), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (150, 150, 150))
    assert echo_glyphs(field, bullet) == 1
    assert echo_glyphs(field, caret) == 0
    assert echo_glyphs(placeholder, caret) == 0


# -- proofs ------------------------------------------------------------------------------------


def test_proofs() -> None:
    assert typed_proof("", "Alice", "Alice", exact=True, clear=False, secret=False,
                       changed=True).proven  # fmt: skip
    assert not typed_proof("", "Alice", "", exact=True, clear=False, secret=False,
                           changed=False).proven  # fmt: skip
    assert typed_proof(
        None,
        "alice@example.com",
        "alice@examplecom",
        exact=False,
        clear=False,
        secret=False,
        changed=True,
    ).proven  # OCR dropped a dot
    assert not typed_proof(None, "Alice", "Bob", exact=False, clear=False, secret=False,
                           changed=True).proven  # fmt: skip
    assert typed_proof(
        None,
        "a long address that scrolls",
        "ddress that scrolls",
        exact=False,
        clear=False,
        secret=False,
        changed=True,
    ).proven
    assert typed_proof(None, "Paris", "P a r i s", exact=False, clear=False, secret=False,
                       changed=True).proven  # fmt: skip
    assert typed_proof(None, "pw", None, exact=False, clear=False, secret=True,
                       changed=True).proven  # fmt: skip
    assert toggle_proof(K.CHECKBOX, False, True, None).proven
    assert not toggle_proof(K.CHECKBOX, True, True, False).proven
    assert not toggle_proof(K.RADIO, False, False, None).proven  # "select Large" hit "Small"
    assert click_proof(el(1, K.FIELD, "", 0, 0), False, False).proven  # focus only
    assert not click_proof(el(1, K.BUTTON, "Save", 0, 0), False, False).proven
    assert not click_proof(el(1, K.TEXT, "Click the button.", 0, 0), False, False).proven


def test_doctor_reports_the_users_policy_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gui_agent import doctor

    monkeypatch.setenv("GUI_AGENT_CONFIG_DIR", str(tmp_path))
    (ok,) = doctor._risk_policy()
    assert ok.status == "ok" and "risk_policy.toml" in ok.detail
    (tmp_path / "risk_policy.toml").write_text("[[risky]]\nwords = 1\n", encoding="utf-8")
    (bad,) = doctor._risk_policy()
    assert bad.status == "FAIL" and "risk_policy.toml" in bad.detail and "\n" not in bad.detail
