"""Target grounding on hand-built screen states that look like what perception produces.

The form mimics a settings dialog: a menu bar, a toolbar of icons, labels left of fields (and
one stacked label above a combo, one above a text area), checkboxes with and without text,
radios, a row of buttons with OCR-dropped spaces, and a small table with two "Delete"
buttons. Ids follow reading order, as perception assigns them.
"""

from __future__ import annotations

import pytest

from gui_agent.errors import GuiAgentError
from gui_agent.geometry import Rect
from gui_agent.perception.locate import (
    LocateResult,
    Match,
    TargetNotFound,
    TargetQuery,
    locate,
    locate_all,
    parse_query,
)
from gui_agent.perception.state import Element, ElementKind, ScreenState

K = ElementKind

Spec = tuple[ElementKind, tuple[int, int, int, int], str]

FORM: list[Spec] = [
    (K.CONTAINER, (0, 60, 800, 660), ""),
    # menu bar
    (K.MENU_ITEM, (10, 2, 30, 20), "File"),
    (K.MENU_ITEM, (50, 2, 30, 20), "Edit"),
    (K.MENU_ITEM, (90, 2, 36, 20), "View"),
    (K.MENU_ITEM, (136, 2, 36, 20), "Help"),
    # toolbar: four icons, a Save button, a search box with placeholder text
    (K.ICON, (10, 28, 28, 28), ""),
    (K.ICON, (44, 28, 28, 28), ""),
    (K.ICON, (78, 28, 28, 28), ""),
    (K.ICON, (112, 28, 28, 28), ""),
    (K.BUTTON, (150, 28, 60, 28), "Save"),
    (K.FIELD, (560, 28, 200, 28), "Search..."),
    # dialog title, list with a stacked label
    (K.TEXT, (20, 70, 150, 20), "Account settings"),
    (K.TEXT, (420, 70, 100, 20), "Recent files"),
    (K.LIST, (420, 94, 200, 150), ""),
    # labels left of fields
    (K.TEXT, (20, 100, 50, 20), "Name"),
    (K.FIELD, (120, 96, 250, 28), ""),
    (K.TEXT, (20, 140, 50, 20), "Email:"),
    (K.FIELD, (120, 136, 250, 28), "alice@example.com"),
    (K.TEXT, (20, 180, 80, 20), "Password"),
    (K.FIELD, (120, 176, 250, 28), ""),
    (K.LINK, (120, 210, 130, 18), "Forgotpassword?"),
    (K.TEXT, (20, 244, 60, 20), "Phone"),
    (K.FIELD, (120, 240, 250, 28), ""),
    # stacked label above a combo
    (K.TEXT, (20, 290, 70, 20), "Country"),
    (K.COMBO, (20, 314, 200, 28), "Germany"),
    # second column
    (K.TEXT, (420, 300, 90, 20), "First Name"),
    (K.FIELD, (520, 296, 200, 28), ""),
    (K.TEXT, (420, 340, 90, 20), "Last Name"),
    (K.FIELD, (520, 336, 200, 28), ""),
    (K.TEXT, (420, 380, 60, 20), "Notes"),
    (K.FIELD, (420, 404, 300, 90), ""),
    # checkboxes: one with its own (OCR'd) text, one whose label is a separate text
    (K.CHECKBOX, (20, 360, 130, 20), "Rememberme"),
    (K.CHECKBOX, (20, 392, 16, 16), ""),
    (K.TEXT, (42, 390, 110, 20), "Accept terms"),
    # radios
    (K.RADIO, (20, 430, 80, 20), "Free"),
    (K.RADIO, (120, 430, 80, 20), "Pro"),
    # buttons, OCR dropped the spaces
    (K.BUTTON, (20, 470, 100, 30), "OpenFile"),
    (K.BUTTON, (140, 470, 100, 30), "SaveAs..."),
    (K.BUTTON, (260, 470, 110, 30), "Export PDF"),
    # a table with two Delete buttons
    (K.TEXT, (20, 524, 60, 20), "Alice"),
    (K.BUTTON, (300, 520, 80, 28), "Delete"),
    (K.TEXT, (20, 564, 60, 20), "Bob"),
    (K.BUTTON, (300, 560, 80, 28), "Delete"),
    (K.BUTTON, (300, 604, 100, 28), "Delete all"),
    # dialog buttons
    (K.BUTTON, (400, 660, 80, 30), "Cancel"),
    (K.BUTTON, (500, 660, 80, 30), "OK"),
]


def make_state(spec: list[Spec]) -> ScreenState:
    """Elements with ids in reading order (top-to-bottom, then left-to-right)."""
    order = sorted(range(len(spec)), key=lambda i: (spec[i][1][1], spec[i][1][0]))
    elements = [
        Element(id=n, kind=spec[i][0], box=Rect(*spec[i][1]), text=spec[i][2])
        for n, i in enumerate(order)
    ]
    return ScreenState(elements=elements, frame_box=Rect(0, 0, 800, 720))


@pytest.fixture
def form() -> ScreenState:
    return make_state(FORM)


def by_text(state: ScreenState, text: str, kind: ElementKind | None = None) -> list[Element]:
    return [e for e in state.elements if e.text == text and (kind is None or e.kind == kind)]


def one(state: ScreenState, text: str, kind: ElementKind | None = None) -> Element:
    found = by_text(state, text, kind)
    assert len(found) == 1, (text, found)
    return found[0]


def field_right_of(state: ScreenState, label: str) -> Element:
    """The field on the same row as ``label`` (test helper, independent of the locator)."""
    lab = one(state, label, K.TEXT)
    fields = [
        e
        for e in state.elements
        if e.kind == K.FIELD
        and e.box.left >= lab.box.right
        and abs(e.box.cy - lab.box.cy) < e.box.h / 2
    ]
    return min(fields, key=lambda e: e.box.left)


def kind_in_order(state: ScreenState, kind: ElementKind) -> list[Element]:
    return sorted(state.of_kind(kind), key=lambda e: e.id)


# --------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------


class TestParse:
    def test_plain_text_drops_articles_please_and_punctuation(self) -> None:
        q = parse_query("the Cancel button please!")
        assert q.text == "Cancel"
        assert q.kinds == (K.BUTTON,)
        assert q.ordinal is None and q.relation is None and not q.quoted

    def test_ellipsis_survives_cleaning(self) -> None:
        assert parse_query("Save As...").text == "Save As..."
        assert parse_query("OK.").text == "OK"

    @pytest.mark.parametrize(
        ("query", "text", "kind"),
        [
            ("the Name field", "Name", K.FIELD),
            ("Name text box", "Name", K.FIELD),
            ("input Name", "Name", K.FIELD),
            ("the Name entry", "Name", K.FIELD),
            ("the OK btn", "OK", K.BUTTON),
            ("checkbox Remember me", "Remember me", K.CHECKBOX),
            ("the Remember me checkbox", "Remember me", K.CHECKBOX),
            ("Remember me check box", "Remember me", K.CHECKBOX),
            ("Remember me tick box", "Remember me", K.CHECKBOX),
            ("radio Pro", "Pro", K.RADIO),
            ("the Pro option", "Pro", K.RADIO),
            ("the Pro radio button", "Pro", K.RADIO),
            ("menu File", "File", K.MENU_ITEM),
            ("the File menu", "File", K.MENU_ITEM),
            ("the Edit menu", "Edit", K.MENU_ITEM),
            ("menu Edit", "Edit", K.MENU_ITEM),
            ("the Help menu item", "Help", K.MENU_ITEM),
            ("dropdown Country", "Country", K.COMBO),
            ("combo box Country", "Country", K.COMBO),
            ("the Country drop-down", "Country", K.COMBO),
            ("the Home link", "Home", K.LINK),
            ("the gear icon", "gear", K.ICON),
            ("the list", "", K.LIST),
        ],
    )
    def test_kind_words(self, query: str, text: str, kind: ElementKind) -> None:
        q = parse_query(query)
        assert (q.text, q.kinds) == (text, (kind,))

    @pytest.mark.parametrize(
        ("query", "ordinal", "kind", "text"),
        [
            ("the second Delete button", 2, K.BUTTON, "Delete"),
            ("2nd icon", 2, K.ICON, ""),
            ("third field", 3, K.FIELD, ""),
            ("last button", -1, K.BUTTON, ""),
            ("the first checkbox", 1, K.CHECKBOX, ""),
            ("the second to last button", -2, K.BUTTON, ""),
            ("the 10th icon", 10, K.ICON, ""),
        ],
    )
    def test_ordinals(self, query: str, ordinal: int, kind: ElementKind, text: str) -> None:
        q = parse_query(query)
        assert (q.ordinal, q.kinds, q.text) == (ordinal, (kind,), text)

    def test_quoted_text_is_literal(self) -> None:
        q = parse_query("'Export PDF'")
        assert q.quoted and q.text == "Export PDF" and q.kinds == ()
        q = parse_query('the "Save as" button')
        assert q.quoted and q.text == "Save as" and q.kinds == (K.BUTTON,)

    def test_apostrophe_is_not_a_quote(self) -> None:
        q = parse_query("Don't save")
        assert not q.quoted and q.text == "Don't save"

    @pytest.mark.parametrize(
        ("query", "relation"),
        [
            ("the field right of Email", "right_of"),
            ("the field to the right of Email", "right_of"),
            ("the button below Password", "below"),
            ("the button under Password", "below"),
            ("the icon left of Save", "left_of"),
            ("the checkbox above Accept terms", "above"),
            ("the field next to Name", "near"),
            ("the field beside Name", "near"),
            ("the button inside the Account settings dialog", "inside"),
            ("the button in the Account settings dialog", "inside"),
        ],
    )
    def test_relations(self, query: str, relation: str) -> None:
        q = parse_query(query)
        assert q.relation == relation
        assert q.anchor is not None and q.anchor.text

    def test_relation_with_quoted_anchor(self) -> None:
        q = parse_query("the text field to the right of the 'Phone' label")
        assert q.kinds == (K.FIELD,) and q.text == "" and q.relation == "right_of"
        assert q.anchor == TargetQuery(
            text="Phone",
            kinds=(K.TEXT,),
            quoted=True,
            raw="the 'Phone' label",
            kind_phrase="label",
            kind_at="suffix",
        )

    def test_nested_relations(self) -> None:
        q = parse_query("the field right of the label below Email")
        assert q.relation == "right_of"
        assert q.anchor is not None and q.anchor.relation == "below"
        assert q.anchor.anchor is not None and q.anchor.anchor.text == "Email"

    def test_relation_word_inside_quotes_is_text(self) -> None:
        q = parse_query("'Insert below' button")
        assert q.relation is None and q.quoted and q.text == "Insert below"

    def test_in_is_only_a_relation_after_a_kind(self) -> None:
        assert parse_query("Sign in").relation is None
        assert parse_query("Sign in with Google").relation is None
        assert parse_query("the Log in button").text == "Log in"

    @pytest.mark.parametrize("query", ["#12", "element 12", "the element #12", "# 12"])
    def test_ids(self, query: str) -> None:
        assert parse_query(query).element_id == 12

    def test_a_bare_number_is_text_not_an_id(self) -> None:
        q = parse_query("12")
        assert q.element_id is None and q.text == "12"


# --------------------------------------------------------------------------------------------
# Text matching
# --------------------------------------------------------------------------------------------


class TestText:
    def test_exact_text_and_kind_is_full_confidence(self, form: ScreenState) -> None:
        r = locate(form, "the OK button")
        assert r.element == one(form, "OK")
        assert r.confidence == 1.0
        assert "exact" in r.reason and "button" in r.reason
        assert r.query == "the OK button"

    def test_case_insensitive(self, form: ScreenState) -> None:
        assert locate(form, "cancel").element == one(form, "Cancel")
        assert locate(form, "CANCEL").confidence == 1.0

    def test_dropped_spaces(self, form: ScreenState) -> None:
        r = locate(form, "Open File")
        assert r.element == one(form, "OpenFile")
        assert 0.9 <= r.confidence < 1.0

    @pytest.mark.parametrize("query", ["Save As...", "save as…", "Save as", "the Save As… button"])
    def test_ellipsis_and_dropped_spaces(self, form: ScreenState, query: str) -> None:
        r = locate(form, query)
        assert r.element == one(form, "SaveAs...")
        assert r.confidence >= 0.9

    def test_exact_beats_longer_text_containing_the_query(self, form: ScreenState) -> None:
        r = locate(form, "Save")
        assert r.element == one(form, "Save")
        assert r.confidence == 1.0
        assert not r.ambiguous
        assert r.runners_up[0].element == one(form, "SaveAs...")
        assert r.runners_up[0].score < 0.9

    def test_substring_of_a_longer_text_scores_lower(self, form: ScreenState) -> None:
        r = locate(form, "Export")
        assert r.element == one(form, "Export PDF")
        assert 0.6 <= r.confidence < 0.9

    def test_single_character_ocr_error(self, form: ScreenState) -> None:
        r = locate(form, "Cancal")
        assert r.element == one(form, "Cancel")
        assert 0.6 <= r.confidence < 0.97

    def test_ocr_confusion_digits_for_letters(self) -> None:
        state = make_state(
            [(K.BUTTON, (10, 10, 80, 30), "C0py"), (K.BUTTON, (100, 10, 80, 30), "Paste")]
        )
        r = locate(state, "Copy")
        assert r.element.text == "C0py" and r.confidence >= 0.9

    def test_swapped_letters_in_query(self, form: ScreenState) -> None:
        assert locate(form, "the Exprot PDF button").element == one(form, "Export PDF")

    def test_quoted_must_match_closely(self, form: ScreenState) -> None:
        assert locate(form, "'Export PDF'").element == one(form, "Export PDF")
        with pytest.raises(TargetNotFound) as exc:
            locate(form, "'Export'")
        assert exc.value.candidates[0].element == one(form, "Export PDF")

    def test_label_with_colon_is_exact(self, form: ScreenState) -> None:
        r = locate(form, "the Email field")
        assert r.confidence == 1.0

    def test_plain_text_prefers_control_over_bare_text(self) -> None:
        state = make_state(
            [(K.TEXT, (10, 10, 100, 20), "Submit"), (K.BUTTON, (10, 100, 100, 30), "Submit")]
        )
        r = locate(state, "Submit")
        assert r.element.kind == K.BUTTON and not r.ambiguous

    def test_text_label_query(self, form: ScreenState) -> None:
        r = locate(form, "the 'Phone' label")
        assert r.element == one(form, "Phone", K.TEXT) and r.confidence == 1.0

    def test_punctuation_only_query(self) -> None:
        state = make_state([(K.BUTTON, (10, 10, 30, 30), "+"), (K.BUTTON, (50, 10, 30, 30), "-")])
        assert locate(state, "the + button").element.text == "+"


# --------------------------------------------------------------------------------------------
# Kinds
# --------------------------------------------------------------------------------------------


class TestKinds:
    @pytest.mark.parametrize("query", ["the Name field", "Name text box", "input Name", "Name"])
    def test_field_by_left_label(self, form: ScreenState, query: str) -> None:
        if query == "Name":  # bare text names the label itself, not the field
            assert locate(form, query).element == one(form, "Name", K.TEXT)
            return
        r = locate(form, query)
        assert r.element == field_right_of(form, "Name")
        assert r.confidence == 1.0
        assert "label 'Name'" in r.reason

    def test_field_with_content_is_found_by_label(self, form: ScreenState) -> None:
        r = locate(form, "the Email field")
        assert r.element.text == "alice@example.com"

    def test_field_by_its_content(self, form: ScreenState) -> None:
        r = locate(form, "the Search box")
        assert r.element.text == "Search..."
        assert 0.8 <= r.confidence < 1.0

    def test_field_by_stacked_label_above(self, form: ScreenState) -> None:
        r = locate(form, "the Notes field")
        assert r.element.kind == K.FIELD and r.element.box.h == 90

    def test_label_of_checkbox_does_not_name_a_field(self, form: ScreenState) -> None:
        # "Accept terms" sits on the text area's top row, far left: it names the checkbox.
        with pytest.raises(TargetNotFound):
            locate(form, "the Accept terms field")

    def test_typo_in_field_label(self, form: ScreenState) -> None:
        r = locate(form, "the Pasword field")
        assert r.element == field_right_of(form, "Password")
        assert 0.6 <= r.confidence < 0.97

    def test_combo_by_label_above(self, form: ScreenState) -> None:
        for q in ("dropdown Country", "combo box Country", "the Country dropdown"):
            r = locate(form, q)
            assert r.element == one(form, "Germany", K.COMBO), q
            assert r.confidence == 1.0

    def test_combo_by_its_value(self, form: ScreenState) -> None:
        assert locate(form, "the Germany dropdown").element.kind == K.COMBO

    def test_list_by_label_and_bare_kind(self, form: ScreenState) -> None:
        lst = form.of_kind(K.LIST)[0]
        assert locate(form, "the list").element == lst
        assert locate(form, "the Recent files list").element == lst

    def test_button_falls_back_to_text(self) -> None:
        state = make_state(
            [(K.TEXT, (10, 10, 60, 20), "Apply"), (K.BUTTON, (100, 10, 80, 30), "Close")]
        )
        r = locate(state, "the Apply button")
        assert r.element.kind == K.TEXT
        assert 0.6 <= r.confidence < 1.0

    def test_real_button_beats_text_fallback(self) -> None:
        state = make_state(
            [(K.TEXT, (10, 10, 60, 20), "Apply"), (K.BUTTON, (10, 300, 80, 30), "Aply")]
        )
        assert locate(state, "the Apply button").element.kind == K.BUTTON

    @pytest.mark.parametrize(
        "query",
        [
            "checkbox Remember me",
            "the Remember me checkbox",
            "Remember me check box",
            "Remember me",
        ],
    )
    def test_checkbox_with_own_text(self, form: ScreenState, query: str) -> None:
        r = locate(form, query)
        assert r.element == one(form, "Rememberme", K.CHECKBOX)
        assert r.confidence >= 0.9

    def test_checkbox_labelled_by_text_to_its_right(self, form: ScreenState) -> None:
        r = locate(form, "the Accept terms checkbox")
        assert r.element.kind == K.CHECKBOX and r.element.text == ""
        assert r.confidence == 1.0
        # even without the kind word, the checkbox is what "Accept terms" names
        assert locate(form, "Accept terms").element == r.element

    @pytest.mark.parametrize("query", ["radio Pro", "the Pro option", "Pro radio button"])
    def test_radio(self, form: ScreenState, query: str) -> None:
        assert locate(form, query).element == one(form, "Pro", K.RADIO)

    @pytest.mark.parametrize("query", ["menu File", "the File menu", "File"])
    def test_menu(self, form: ScreenState, query: str) -> None:
        assert locate(form, query).element == one(form, "File", K.MENU_ITEM)

    def test_weak_kind_word_that_is_a_label(self, form: ScreenState) -> None:
        # "Edit" is a field synonym, but a menu literally called "Edit" is what is meant.
        assert locate(form, "Edit").element == one(form, "Edit", K.MENU_ITEM)
        assert locate(form, "the Edit menu").element == one(form, "Edit", K.MENU_ITEM)

    def test_link(self, form: ScreenState) -> None:
        r = locate(form, "the Forgot password link")
        assert r.element.kind == K.LINK and r.confidence >= 0.9

    def test_icon_by_caption(self) -> None:
        state = make_state(
            [
                (K.ICON, (10, 10, 32, 32), ""),
                (K.TEXT, (8, 44, 36, 14), "Print"),
                (K.ICON, (60, 10, 32, 32), ""),
                (K.TEXT, (56, 44, 40, 14), "Share"),
            ]
        )
        r = locate(state, "the Share icon")
        assert r.element.kind == K.ICON and r.element.box.x == 60

    def test_container_by_title(self, form: ScreenState) -> None:
        r = locate(form, "the Account settings dialog")
        assert r.element.kind == K.CONTAINER


# --------------------------------------------------------------------------------------------
# Ordinals and ambiguity
# --------------------------------------------------------------------------------------------


class TestOrdinals:
    def test_second_delete_button(self, form: ScreenState) -> None:
        deletes = by_text(form, "Delete", K.BUTTON)
        r = locate(form, "the second Delete button")
        assert r.element == deletes[1]
        assert r.confidence == 1.0 and not r.ambiguous
        assert locate(form, "the first Delete button").element == deletes[0]
        assert locate(form, "the last Delete button").element == deletes[1]

    def test_ordinal_ignores_weaker_matches(self, form: ScreenState) -> None:
        # "Delete all" contains "Delete" but is not one of the "Delete" buttons.
        with pytest.raises(TargetNotFound) as exc:
            locate(form, "the third Delete button")
        assert "only 2 match" in str(exc.value)

    def test_kind_only_ordinals(self, form: ScreenState) -> None:
        icons = kind_in_order(form, K.ICON)
        assert locate(form, "2nd icon").element == icons[1]
        assert locate(form, "the 3rd icon").element == icons[2]
        buttons = kind_in_order(form, K.BUTTON)
        assert locate(form, "last button").element == buttons[-1] == one(form, "OK")
        assert locate(form, "the second to last button").element == one(form, "Cancel")
        assert locate(form, "first checkbox").element == one(form, "Rememberme")
        fields = kind_in_order(form, K.FIELD)
        assert locate(form, "third field").element == fields[2]

    def test_reading_order_groups_rows(self) -> None:
        # Same row, slightly different tops: the left one is first.
        state = make_state(
            [(K.BUTTON, (300, 100, 80, 30), "B"), (K.BUTTON, (10, 104, 80, 30), "A")]
        )
        assert locate(state, "first button").element.text == "A"
        assert locate(state, "second button").element.text == "B"

    def test_ordinal_word_that_is_part_of_a_label(self, form: ScreenState) -> None:
        assert locate(form, "the first name field").element == field_right_of(form, "First Name")
        assert locate(form, "the last name field").element == field_right_of(form, "Last Name")

    def test_ordinal_out_of_range(self, form: ScreenState) -> None:
        with pytest.raises(TargetNotFound) as exc:
            locate(form, "the 5th icon")
        assert "5th" in str(exc.value) and "only 4" in str(exc.value)

    def test_ambiguous_returns_first_in_reading_order_with_lower_confidence(
        self, form: ScreenState
    ) -> None:
        deletes = by_text(form, "Delete", K.BUTTON)
        r = locate(form, "the Delete button")
        assert r.element == deletes[0]
        assert r.ambiguous
        assert r.confidence < 0.9
        assert r.runners_up[0].element == deletes[1]
        assert r.runners_up[0].score == pytest.approx(1.0)
        assert "ambiguous" in r.reason

    def test_bare_kind_with_many_is_ambiguous(self, form: ScreenState) -> None:
        r = locate(form, "the icon")
        assert r.ambiguous and r.element == kind_in_order(form, K.ICON)[0]

    def test_single_kind_is_not_ambiguous(self, form: ScreenState) -> None:
        r = locate(form, "the list")
        assert not r.ambiguous and r.confidence == 1.0


# --------------------------------------------------------------------------------------------
# Relations
# --------------------------------------------------------------------------------------------


class TestRelations:
    def test_field_right_of_label(self, form: ScreenState) -> None:
        r = locate(form, "the field right of Email")
        assert r.element == field_right_of(form, "Email:")
        assert r.confidence == 1.0
        assert "right of" in r.reason

    def test_text_field_right_of_quoted_label(self, form: ScreenState) -> None:
        r = locate(form, "the text field to the right of the 'Phone' label")
        assert r.element == field_right_of(form, "Phone")

    def test_field_next_to(self, form: ScreenState) -> None:
        assert locate(form, "the field next to Name").element == field_right_of(form, "Name")

    def test_button_below_a_labelled_row(self, form: ScreenState) -> None:
        # "below Password" means below the Password row; the nearest aligned button wins.
        r = locate(form, "the button below Password")
        assert r.element.kind == K.BUTTON
        assert r.element.box.top > one(form, "Password", K.TEXT).box.bottom
        assert r.element.text in {"OpenFile", "SaveAs...", "Export PDF"}

    def test_link_below(self, form: ScreenState) -> None:
        assert locate(form, "the link below Password").element.kind == K.LINK

    def test_field_below(self, form: ScreenState) -> None:
        assert locate(form, "the field below Email").element == field_right_of(form, "Password")

    def test_icon_left_of(self, form: ScreenState) -> None:
        icons = kind_in_order(form, K.ICON)
        r = locate(form, "the icon left of Save")
        assert r.element == icons[-1]  # the nearest one
        assert [m.element for m in r.runners_up[:3]] == icons[-2::-1]

    def test_checkbox_above(self, form: ScreenState) -> None:
        r = locate(form, "the checkbox above Accept terms")
        assert r.element == one(form, "Rememberme", K.CHECKBOX)

    def test_text_target_with_relation(self, form: ScreenState) -> None:
        deletes = by_text(form, "Delete", K.BUTTON)
        assert locate(form, "the Delete button right of Bob").element == deletes[1]
        assert locate(form, "Delete right of Alice").element == deletes[0]

    def test_button_right_of(self, form: ScreenState) -> None:
        assert locate(form, "the button right of Cancel").element == one(form, "OK")

    def test_ordinal_with_relation_counts_by_distance(self, form: ScreenState) -> None:
        r = locate(form, "the second field below Name")
        assert r.element == field_right_of(form, "Password")

    def test_inside(self, form: ScreenState) -> None:
        r = locate(form, "the OK button inside the Account settings dialog")
        assert r.element == one(form, "OK")
        # The toolbar's Save is outside the dialog; inside, "SaveAs..." is only a loose match.
        r = locate(form, "the Save button inside the Account settings dialog")
        assert r.element == one(form, "SaveAs...") and r.confidence < 0.9
        with pytest.raises(TargetNotFound):
            locate(form, "the Zzyzx button inside the Account settings dialog")

    def test_nested_relation(self, form: ScreenState) -> None:
        # the label below "Email:" is "Password"; the field right of it is the password field
        r = locate(form, "the field right of the label below Email")
        assert r.element == field_right_of(form, "Password")

    def test_nothing_in_that_direction(self, form: ScreenState) -> None:
        with pytest.raises(TargetNotFound) as exc:
            locate(form, "the checkbox above Remember me")
        assert "above" in str(exc.value)

    def test_missing_anchor_is_reported(self, form: ScreenState) -> None:
        with pytest.raises(TargetNotFound) as exc:
            locate(form, "the field right of Frobnicator")
        message = str(exc.value)
        assert "the field right of Frobnicator" in message
        assert "anchor 'Frobnicator' not found" in message

    def test_anchor_with_typo(self, form: ScreenState) -> None:
        assert locate(form, "the field right of Emial").element == field_right_of(form, "Email:")


# --------------------------------------------------------------------------------------------
# Ids, failures, locate_all, caching
# --------------------------------------------------------------------------------------------


class TestIdsAndFailures:
    def test_by_id(self, form: ScreenState) -> None:
        for q in ("#12", "element 12"):
            r = locate(form, q)
            assert r.element == form.by_id(12)
            assert r.confidence == 1.0

    def test_missing_id(self, form: ScreenState) -> None:
        with pytest.raises(TargetNotFound) as exc:
            locate(form, "#999")
        assert "#999" in str(exc.value)

    def test_not_found_names_query_and_candidates(self, form: ScreenState) -> None:
        state = make_state(
            [(K.BUTTON, (10, 10, 120, 30), "Frobnicator"), (K.BUTTON, (10, 60, 80, 30), "Quit")]
        )
        with pytest.raises(TargetNotFound) as exc:
            locate(state, "the Frobnicate button", min_confidence=0.9)
        err = exc.value
        assert isinstance(err, GuiAgentError)
        assert err.query == "the Frobnicate button"
        assert err.candidates and err.candidates[0].element.text == "Frobnicator"
        message = str(err)
        assert message.startswith("no element matches 'the Frobnicate button'")
        assert "closest: 'Frobnicator' button #0 (0." in message

    def test_not_found_never_guesses(self, form: ScreenState) -> None:
        with pytest.raises(TargetNotFound) as exc:
            locate(form, "the Zzyzx button")
        assert "no element matches 'the Zzyzx button'" in str(exc.value)

    def test_missing_kind(self) -> None:
        state = make_state([(K.BUTTON, (10, 10, 80, 30), "OK")])
        with pytest.raises(TargetNotFound):
            locate(state, "the list")

    def test_min_confidence(self, form: ScreenState) -> None:
        assert locate(form, "Cancal").element == one(form, "Cancel")
        with pytest.raises(TargetNotFound) as exc:
            locate(form, "Cancal", min_confidence=0.95)
        assert exc.value.candidates[0].element == one(form, "Cancel")

    def test_empty_query(self, form: ScreenState) -> None:
        with pytest.raises(TargetNotFound):
            locate(form, "the")

    def test_empty_state(self) -> None:
        state = ScreenState(elements=[], frame_box=Rect(0, 0, 100, 100))
        with pytest.raises(TargetNotFound) as exc:
            locate(state, "OK")
        assert "nothing similar" in str(exc.value)


class TestApi:
    def test_result_types(self, form: ScreenState) -> None:
        r = locate(form, "the Delete button")
        assert isinstance(r, LocateResult)
        assert all(isinstance(m, Match) for m in r.runners_up)
        assert len(r.runners_up) <= 5
        scores = [m.score for m in r.runners_up]
        assert scores == sorted(scores, reverse=True)
        assert all(m.reason for m in r.runners_up)

    def test_parsed_query_can_be_passed(self, form: ScreenState) -> None:
        q = parse_query("the OK button")
        assert locate(form, q).element == one(form, "OK")

    def test_locate_all_ranks(self, form: ScreenState) -> None:
        matches = locate_all(form, "Delete")
        deletes = by_text(form, "Delete", K.BUTTON)
        assert [m.element for m in matches[:2]] == deletes
        assert matches[2].element == one(form, "Delete all")
        assert matches[2].score < matches[1].score
        assert locate_all(form, "#3")[0].element == form.by_id(3)
        assert locate_all(form, "the field right of Frobnicator") == []

    def test_state_changes_are_seen(self, form: ScreenState) -> None:
        assert locate(form, "OK").element == one(form, "OK")
        form.elements.append(
            Element(id=999, kind=K.BUTTON, box=Rect(10, 700, 80, 20), text="Apply")
        )
        assert locate(form, "Apply").element.id == 999

    def test_replaced_element_is_seen(self, form: ScreenState) -> None:
        ok = one(form, "OK")
        assert locate(form, "OK").element == ok
        pos = form.elements.index(ok)
        form.elements[pos] = Element(id=ok.id, kind=K.BUTTON, box=ok.box, text="Done")
        assert locate(form, "Done").element.text == "Done"
        with pytest.raises(TargetNotFound):
            locate(form, "the OK button")

    def test_many_states_do_not_mix(self) -> None:
        for n in range(20):
            state = make_state([(K.BUTTON, (10, 10, 80, 30), f"Button{n}")])
            assert locate(state, f"Button{n}").element.text == f"Button{n}"
