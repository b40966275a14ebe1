"""locate reads like a person: kind is evidence, a field is what its label names, a word in
a line is a target, context words settle repeated labels, keys and glyphs have names.

Display-free: screen states are built by hand with the kinds perception really produced on
foreign toolkits (plain Qt buttons typed as fields, a Tk text area seen as a panel); the
real-screen checks live in tests/test_perception.py and bench/grounding.py --suite foreign.
"""

from __future__ import annotations

import pytest

from gui_agent.geometry import Rect
from gui_agent.perception.locate import TargetNotFound, locate, parse_query
from gui_agent.perception.state import Element, ElementKind, ScreenState

K = ElementKind


def state(*spec: tuple[ElementKind, tuple[int, int, int, int], str]) -> ScreenState:
    return ScreenState(
        [Element(i + 1, k, Rect(*box), text) for i, (k, box, text) in enumerate(spec)],
        Rect(0, 0, 1280, 800),
    )


class TestKindIsEvidence:
    def test_exact_caption_typed_as_a_field_answers_the_button(self) -> None:
        s = state(
            (K.FIELD, (10, 10, 80, 28), "Save"),
            (K.FIELD, (100, 10, 80, 28), "Cancel"),
            (K.TEXT, (10, 60, 120, 16), "Save for later"),
        )
        assert locate(s, "the Save button").element.text == "Save"
        assert locate(s, "the Cancel button").element.text == "Cancel"

    def test_it_outranks_a_fuzzy_caption_of_the_right_kind(self) -> None:
        s = state((K.BUTTON, (10, 10, 100, 28), "Save draft"), (K.FIELD, (10, 60, 80, 28), "Save"))
        got = locate(s, "the Save button")
        assert got.element.kind is K.FIELD and got.element.text == "Save"

    def test_the_right_kind_still_wins_on_equal_text(self) -> None:
        s = state((K.FIELD, (10, 10, 80, 28), "Save"), (K.BUTTON, (10, 60, 80, 28), "Save"))
        assert locate(s, "the Save button").element.kind is K.BUTTON

    def test_a_bare_text_is_no_evidence_of_a_control(self) -> None:
        s = state((K.TEXT, (10, 10, 60, 20), "Apply"), (K.BUTTON, (10, 300, 80, 30), "Aply"))
        assert locate(s, "the Apply button").element.kind is K.BUTTON

    def test_a_caption_on_a_wide_guessed_field_is_clicked_on_its_words(self) -> None:
        # A flat "DELETE" text button the detector drew as a field three times its width:
        # the middle of that box is beside the button, its caption is on it.
        wide = Element(
            1, K.FIELD, Rect(616, 138, 192, 30), "DELETE", label_box=Rect(632, 145, 56, 13)
        )
        s = ScreenState(
            [wide, Element(2, K.TEXT, Rect(10, 10, 60, 16), "Team")], Rect(0, 0, 900, 400)
        )
        got = locate(s, "the Delete button")
        assert got.element.id == 1 and got.element.box == Rect(632, 145, 56, 13)
        assert "aimed at its words" in got.reason
        # asked for as a field it is a field, whole
        assert locate(s, "the DELETE field").element.box == wide.box

    def test_ordinals_count_buttons_typed_as_fields(self) -> None:
        s = state(
            (K.FIELD, (10, 10, 60, 28), "Edit"),
            (K.TEXT, (80, 14, 60, 16), "Alice"),
            (K.FIELD, (10, 50, 60, 28), "Edit"),
            (K.TEXT, (80, 54, 60, 16), "Bob"),
        )
        assert locate(s, "the second Edit button").element.box.y == 50


class TestFields:
    def test_a_multi_line_editor_seen_as_a_panel_is_the_field_its_label_names(self) -> None:
        s = state(
            (K.TEXT, (16, 190, 90, 16), "Description"),
            (K.CONTAINER, (16, 212, 374, 74), ""),
            (K.TEXT, (16, 300, 40, 16), "Port:"),
            (K.FIELD, (70, 296, 120, 26), "8080"),
        )
        assert locate(s, "the Description field").element.box == Rect(16, 212, 374, 74)
        assert locate(s, "the Port field").element.text == "8080"

    def test_a_panel_holding_controls_is_not_an_editor(self) -> None:
        s = state(
            (K.TEXT, (16, 190, 90, 16), "Options"),
            (K.CONTAINER, (16, 212, 374, 120), ""),
            (K.CHECKBOX, (30, 230, 16, 16), "Fast"),
        )
        with pytest.raises(TargetNotFound):
            locate(s, "the Options field")


class TestWordsInsideALine:
    def line(self) -> Element:
        text = "Faucibus libero massa nec dictum"
        xs = tuple(100 + 8 * i + 4 for i in range(len(text)))
        return Element(1, K.TEXT, Rect(100, 50, 8 * len(text), 20), text, char_x=xs)

    def test_a_word_gets_its_own_box(self) -> None:
        s = ScreenState([self.line()], Rect(0, 0, 800, 600))
        got = locate(s, "the link massa")
        start = 100 + 8 * "Faucibus libero ".__len__()
        assert got.element.text == "massa"
        assert abs(got.element.box.x - start) <= 2 and abs(got.element.box.w - 40) <= 3
        assert got.element.box.y == 50 and "in the line" in got.reason

    def test_a_phrase_and_the_whole_line(self) -> None:
        s = ScreenState([self.line()], Rect(0, 0, 800, 600))
        assert locate(s, "libero massa").element.text == "libero massa"
        whole = locate(s, "Faucibus libero massa nec dictum").element
        assert whole.box == self.line().box

    def test_part_of_a_word_is_not_a_word(self) -> None:
        s = ScreenState([self.line()], Rect(0, 0, 800, 600))
        got = locate(s, "libero").element
        assert got.text == "libero"
        with pytest.raises(TargetNotFound):
            locate(s, "the link ibe")

    def test_without_character_positions_the_line_is_the_target(self) -> None:
        line = self.line()
        plain = Element(1, K.TEXT, line.box, line.text)
        got = locate(ScreenState([plain], Rect(0, 0, 800, 600)), "libero massa nec")
        assert got.element.box == line.box


class TestWordsAcrossLines:
    """Found on Chromium pages: OCR drops the space where an icon sat between two links,
    and a link in a paragraph wraps onto the next line."""

    def placed(self, i: int, x: int, y: int, text: str) -> Element:
        return Element(i, K.TEXT, Rect(x, y, 8 * len(text), 20), text,
                       char_x=tuple(x + 8 * n + 4 for n in range(len(text))))  # fmt: skip

    def test_a_capital_after_a_small_letter_starts_a_word(self) -> None:
        s = ScreenState(
            [self.placed(1, 300, 10, "privacyAppearance Billing")], Rect(0, 0, 800, 600)
        )
        got = locate(s, "the Privacy link").element
        assert got.text == "privacy" and got.box.x < 300 + 8 * 7 <= got.box.right + 4

    def test_a_phrase_wrapping_onto_the_next_line_is_found_on_its_first_part(self) -> None:
        s = ScreenState(
            [
                self.placed(1, 50, 100, "you agree to our Terms and acknowledge the privacy"),
                self.placed(2, 50, 121, "policy that applies to every workspace."),
            ],
            Rect(0, 0, 800, 600),
        )
        got = locate(s, "the privacy policy link")
        assert got.element.text == "privacy" and got.element.box.y == 100
        assert "wrap" in got.reason

    def test_the_wrapped_rest_must_start_the_line_below(self) -> None:
        s = ScreenState(
            [
                self.placed(1, 50, 100, "you agree to our Terms and acknowledge the privacy"),
                self.placed(2, 50, 121, "that applies to every policy workspace."),
            ],
            Rect(0, 0, 800, 600),
        )
        with pytest.raises(TargetNotFound):
            locate(s, "the privacy policy link")


class TestContext:
    def table(self) -> ScreenState:
        return state(
            (K.TEXT, (10, 10, 80, 16), "Alice"),
            (K.BUTTON, (300, 6, 50, 24), "Edit"),
            (K.TEXT, (10, 50, 80, 16), "Bob"),
            (K.BUTTON, (300, 46, 50, 24), "Edit"),
            (K.TEXT, (10, 90, 80, 16), "Carol"),
            (K.BUTTON, (300, 86, 50, 24), "Edit"),
        )

    @pytest.mark.parametrize(
        "query",
        [
            "the Edit button in the Bob row",
            "Edit for Bob",
            "the Edit button for Bob",
            "Edit in Bob",
        ],
    )
    def test_row_context_picks_the_row(self, query: str) -> None:
        got = locate(self.table(), query)
        assert got.element.box.y == 46, got.reason

    def test_the_row_outweighs_a_kind_guess(self) -> None:
        # Material's flat text buttons: only the last row's "EDIT" was typed a button; the
        # one on Bob's row is a bare text, and "Editor" sits nearer to "Bob" than either.
        s = state(
            (K.TEXT, (60, 140, 40, 16), "Alice"),
            (K.TEXT, (575, 142, 35, 13), "EDIT"),
            (K.TEXT, (60, 176, 32, 16), "Bob"),
            (K.TEXT, (448, 176, 47, 17), "Editor"),
            (K.TEXT, (575, 178, 35, 13), "EDIT"),
            (K.TEXT, (60, 250, 40, 16), "Dave"),
            (K.BUTTON, (553, 247, 69, 25), "EDIT"),
        )
        got = locate(s, "the Edit button in the Bob row")
        assert got.element.box.y == 178, got.reason

    def test_without_context_the_answer_is_ambiguous_with_runners_up(self) -> None:
        got = locate(self.table(), "the Edit button")
        assert got.ambiguous and len(got.runners_up) >= 2 and got.confidence < 0.7

    def test_section_context_below_a_heading(self) -> None:
        s = state(
            (K.TEXT, (10, 10, 200, 20), "Shipping address"),
            (K.BUTTON, (10, 40, 60, 24), "Edit"),
            (K.TEXT, (10, 200, 200, 20), "Billing address"),
            (K.BUTTON, (10, 230, 60, 24), "Edit"),
        )
        assert locate(s, "Edit in Billing address").element.box.y == 230
        assert locate(s, "the Edit button in the Shipping address section").element.box.y == 40

    def test_a_named_place_that_is_not_on_screen_narrows_nothing(self) -> None:
        s = state((K.ICON, (10, 10, 24, 24), "x"), (K.TEXT, (60, 14, 100, 16), "Report"))
        assert locate(s, "the close button in the toolbar").element.text == "x"

    def test_in_inside_a_label_is_not_a_relation(self) -> None:
        assert parse_query("Sign in with Google").relation is None
        assert parse_query("the Log in button").text == "Log in"
        assert parse_query("Delete in Billing address").relation == "context"
        # after a kind word ("Edit" is one) "in" reads as inside, judged as context when
        # the anchor is not a panel
        assert parse_query("Edit in Billing address").relation == "inside"


class TestKeysAndGlyphs:
    def keypad(self) -> ScreenState:
        keys = ["7", "8", "9", "/", "C", "4", "5", "6", "*", "-", "+", "=", "."]
        return state(*[(K.BUTTON, (10 + 50 * i, 10, 44, 30), k) for i, k in enumerate(keys)])

    @pytest.mark.parametrize(
        ("query", "key"),
        [
            ("the C key", "C"),
            ("the = key", "="),
            ("the minus key", "-"),
            ("plus", "+"),
            ("the equals button", "="),
            ("the divide key", "/"),
            ("times", "*"),
            ("the decimal point", "."),
            ("7", "7"),
        ],
    )
    def test_keys_by_symbol_and_by_name(self, query: str, key: str) -> None:
        assert locate(self.keypad(), query).element.text == key

    def test_glyph_captions_have_names(self) -> None:
        s = state(
            (K.BUTTON, (10, 10, 28, 28), "×"),
            (K.ICON, (50, 10, 28, 28), "+"),
            (K.ICON, (90, 10, 28, 28), "⋮"),
        )
        assert locate(s, "the close button").element.text == "×"
        assert locate(s, "the add icon").element.text == "+"
        assert locate(s, "the more button").element.text == "⋮"

    def test_a_generic_noun_is_not_part_of_the_label(self) -> None:
        s = state((K.TEXT, (10, 10, 100, 16), "Appearance"), (K.TEXT, (10, 40, 100, 16), "Privacy"))
        assert locate(s, "the Appearance item in the sidebar").element.text == "Appearance"


class TestIconsAndPictograms:
    def toolbar(self) -> ScreenState:
        return ScreenState(
            [
                Element(1, K.BUTTON, Rect(5, 4, 36, 36), "x"),
                Element(2, K.ICON, Rect(47, 4, 36, 36), "", icon_name="search", icon_score=0.9),
                Element(3, K.ICON, Rect(89, 4, 36, 36), "", icon_name="delete", icon_score=0.8),
                Element(4, K.BUTTON, Rect(131, 4, 36, 36), ":"),
                Element(5, K.BUTTON, Rect(200, 4, 90, 36), "Share"),
            ],
            Rect(0, 0, 800, 600),
        )

    @pytest.mark.parametrize(
        ("query", "element_id"),
        [
            ("the close button", 1),
            ("search icon", 2),
            ("the magnifier", 2),
            ("the trash icon in the toolbar", 3),
            ("the delete button", 3),
            ("the bin", 3),
            ("the more options button", 4),
            ("the first icon", 1),
            ("the last icon", 4),
            ("the second icon", 2),
        ],
    )
    def test_icons_by_name_and_by_place(self, query: str, element_id: int) -> None:
        got = locate(self.toolbar(), query)
        assert got.element.id == element_id, got.reason

    def guessed(self, *, named_gear: bool = False) -> ScreenState:
        """A toolbar whose gear the classifier called a sun (settings only its runner-up),
        and GNOME's save: the download glyph."""
        # fmt: off
        els = [
            Element(1, K.ICON, Rect(5, 4, 36, 36), "", icon_name="light_mode", icon_score=0.75,
                    icon_guesses=(("settings", 0.19),)),
            Element(2, K.ICON, Rect(47, 4, 36, 36), "", icon_name="download", icon_score=0.9,
                    icon_guesses=(("save", 0.9),)),
            Element(3, K.ICON, Rect(89, 4, 36, 36), "", icon_name="home", icon_score=0.95),
        ]
        if named_gear:
            els.append(Element(4, K.ICON, Rect(131, 4, 36, 36), "", icon_name="settings",
                               icon_score=0.6))
        # fmt: on
        return ScreenState(els, Rect(0, 0, 800, 600))

    @pytest.mark.parametrize(
        ("query", "element_id"),
        [("the gear icon", 1), ("the settings button", 1), ("the save icon", 2),
         ("the sun icon", 1), ("the download button", 2)],
    )  # fmt: skip
    def test_a_guess_answers_what_no_name_does(self, query: str, element_id: int) -> None:
        got = locate(self.guessed(), query)
        assert got.element.id == element_id, got.reason

    def test_a_named_icon_outranks_a_guess(self) -> None:
        got = locate(self.guessed(named_gear=True), "the gear icon")
        assert got.element.id == 4 and not got.ambiguous, got.reason

    def test_a_guess_is_no_fuzzy_match_and_no_part_of_a_word(self) -> None:
        for query in ("the star icon", "the saver icon", "the print icon"):
            with pytest.raises(TargetNotFound):
                locate(self.guessed(), query)  # "star" is not in home's "start page"

    def test_an_icon_it_cannot_name_stays_unnamed(self) -> None:
        s = state((K.ICON, (5, 4, 36, 36), ""), (K.TEXT, (60, 10, 60, 16), "Report"))
        with pytest.raises(TargetNotFound):
            locate(s, "the settings icon")


class TestFieldShapedButtons:
    def test_a_drop_down_seen_as_a_button_is_named_by_its_label(self) -> None:
        s = state(
            (K.TEXT, (8, 228, 60, 16), "Country"),
            (K.BUTTON, (77, 225, 139, 22), "Choose a country"),
        )
        assert locate(s, "the Country dropdown").element.kind is K.BUTTON


class TestMisreadWords:
    def test_a_word_read_with_a_slip_inside_a_line(self) -> None:
        text = "General Acount Notications Privacy"
        xs = tuple(10 + 8 * i + 4 for i in range(len(text)))
        line = Element(1, K.TEXT, Rect(10, 10, 8 * len(text), 20), text, char_x=xs)
        got = locate(ScreenState([line], Rect(0, 0, 800, 600)), "Account")
        assert got.element.text == "Acount"
        assert abs(got.element.box.x - (10 + 8 * len("General "))) <= 4


class TestLabelsAbove:
    def test_a_label_above_names_only_the_field_right_under_it(self) -> None:
        s = state(
            (K.TEXT, (6, 163, 79, 18), "Password"),
            (K.FIELD, (8, 182, 179, 21), "At least 8 characters"),
            (K.FIELD, (8, 203, 179, 21), "Promo code"),
        )
        got = locate(s, "the Password field")
        assert got.element.box.y == 182 and not got.ambiguous
        assert locate(s, "the Promo code field").element.box.y == 203
