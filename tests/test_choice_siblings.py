"""A check box or radio among icons (``choice_siblings``): display-free scenes drawn with
OpenCV, element lists as perception's fusion hands them over.

Each scene is a column (a settings sidebar, an options list) or a row (a tab strip) of
marks, each with its words to the right. What must hold: a check box that looks like none
of the icons around it becomes an icon, and its words a text; a real run of check boxes or
radios is never touched, even when the verifier has already dropped most of it.

The last test runs the whole of perception on real held-out pages from headless Chromium
(tab strips and settings sidebars whose favicons are glyphs of the held-out icon font),
rendered in a child process, with and without the rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import cv2
import numpy as np
import pytest

from gui_agent.geometry import Rect
from gui_agent.perception import choice_verdict
from gui_agent.perception.choice_siblings import icons_among_icons
from gui_agent.perception.choice_verdict import not_a_choice
from gui_agent.perception.mark_pixels import is_cross, silhouette
from gui_agent.perception.ocr import OcrEngine
from gui_agent.perception.perceiver import Perceiver
from gui_agent.perception.state import Element, ElementKind
from tests.synthetic_screens import choice_truth, render_glyph_favicon_pages

Draw = Callable[[np.ndarray, int, int, int], None]
INK = (60, 60, 60)


def _house(img: np.ndarray, x: int, y: int, s: int) -> None:
    pts = np.array(
        [[x, y + s // 2], [x + s // 2, y], [x + s, y + s // 2], [x + s, y + s], [x, y + s]],
        np.int32,
    )
    cv2.polylines(img, [pts], True, INK, 2)


def _bell(img: np.ndarray, x: int, y: int, s: int) -> None:
    cv2.ellipse(img, (x + s // 2, y + s // 2), (s // 2, s // 3), 0, 180, 360, INK, 2)
    cv2.line(img, (x, y + s // 2), (x + s, y + s // 2), INK, 2)
    cv2.circle(img, (x + s // 2, y + s - 2), 2, INK, -1)


def _triangle(img: np.ndarray, x: int, y: int, s: int) -> None:
    pts = np.array([[x + s // 2, y], [x + s, y + s], [x, y + s]], np.int32)
    cv2.polylines(img, [pts], True, INK, 2)


def _plus(img: np.ndarray, x: int, y: int, s: int) -> None:
    cv2.line(img, (x + s // 2, y), (x + s // 2, y + s), INK, 3)
    cv2.line(img, (x + 2, y + s // 2), (x + s - 2, y + s // 2), INK, 3)


def _monitor(img: np.ndarray, x: int, y: int, s: int) -> None:
    """A wide outline: a favicon a check box detector may take for an indicator."""
    cv2.rectangle(img, (x - 3, y + 3), (x + s + 3, y + s - 5), INK, 2)
    cv2.line(img, (x + s // 2, y + s - 5), (x + s // 2, y + s), INK, 2)


def _box_off(img: np.ndarray, x: int, y: int, s: int) -> None:
    cv2.rectangle(img, (x, y), (x + s - 1, y + s - 1), INK, 1)


def _box_on(img: np.ndarray, x: int, y: int, s: int) -> None:
    cv2.rectangle(img, (x, y), (x + s - 1, y + s - 1), (200, 120, 30), -1)
    cv2.polylines(
        img,
        [
            np.array(
                [[x + 3, y + s // 2], [x + s // 2 - 1, y + s - 4], [x + s - 3, y + 3]], np.int32
            )
        ],
        False,
        (255, 255, 255),
        2,
    )


def _radio_off(img: np.ndarray, x: int, y: int, s: int) -> None:
    cv2.circle(img, (x + s // 2, y + s // 2), s // 2, INK, 1, cv2.LINE_AA)


def _radio_hover(img: np.ndarray, x: int, y: int, s: int) -> None:
    cv2.circle(img, (x + s // 2, y + s // 2), s // 2, (225, 225, 225), -1, cv2.LINE_AA)
    cv2.circle(img, (x + s // 2, y + s // 2), s // 2, INK, 1, cv2.LINE_AA)


def _radio_on(img: np.ndarray, x: int, y: int, s: int) -> None:
    cv2.circle(img, (x + s // 2, y + s // 2), s // 2, (40, 160, 40), 2, cv2.LINE_AA)
    cv2.circle(img, (x + s // 2, y + s // 2), s // 5, (40, 160, 40), -1, cv2.LINE_AA)


def _scene(
    marks: list[tuple[Draw | None, ElementKind]],
    row: bool = False,
    side: int = 16,
    icons: str = "seen",
    at: list[int] | None = None,
) -> tuple[np.ndarray, list[Element]]:
    """A frame with the marks drawn in a column (or a row), each followed by a word, and the
    elements fusion would report: choices carry their label box; icons and their words are
    separate elements, as they are once the verifier has dropped a choice. ``icons``: how
    perception saw the icons: "seen" (an icon element each), "missed" (only their words),
    "swallowed" (OCR read each icon as a letter of its words: one text from the icon on).
    A mark drawn as None is a row of plain words, beginning where the marks do. ``at``:
    where each mark lies along the run, px (evenly spaced when None)."""
    img = np.full((420, 900, 3), 250, np.uint8)
    elements: list[Element] = []
    for n, (draw, kind) in enumerate(marks):
        step = at[n] if at is not None else (170 if row else 40) * n
        x, y = (20 + step, 20) if row else (20, 20 + step)
        words = f"Item {n}"
        if draw is None:
            cv2.putText(img, words, (x, y + side - 3), cv2.FONT_HERSHEY_SIMPLEX, 0.5, INK)
            elements.append(Element(0, ElementKind.TEXT, Rect(x, y, 60, side), words))
            continue
        draw(img, x, y, side)
        cv2.putText(img, words, (x + side + 8, y + side - 3), cv2.FONT_HERSHEY_SIMPLEX, 0.5, INK)
        box, label = Rect(x, y, side, side), Rect(x + side + 8, y, 60, side)
        if kind is ElementKind.ICON and icons == "swallowed":
            elements.append(Element(0, ElementKind.TEXT, Rect(x, y, 84, side), "@ " + words))
        elif kind is ElementKind.ICON:
            seen = [Element(0, kind, box)] if icons == "seen" else []
            elements += [*seen, Element(0, ElementKind.TEXT, label, words)]
        else:
            elements.append(Element(0, kind, box, words, label_box=label))
    return img, [
        Element(i + 1, e.kind, e.box, e.text, label_box=e.label_box) for i, e in enumerate(elements)
    ]


def _kinds(elements: list[Element]) -> list[ElementKind]:
    return [e.kind for e in elements if e.kind is not ElementKind.TEXT]


def _run(img: np.ndarray, elements: list[Element]) -> list[Element]:
    return icons_among_icons(elements, img, Rect(0, 0, img.shape[1], img.shape[0]), not_a_choice)


ICON, CHECK, RADIO = ElementKind.ICON, ElementKind.CHECKBOX, ElementKind.RADIO


@pytest.mark.parametrize("row", [False, True], ids=["sidebar", "tab strip"])
def test_a_check_box_among_unlike_icons_is_an_icon_and_its_words_a_text(row: bool) -> None:
    img, elements = _scene(
        [(_house, ICON), (_bell, ICON), (_monitor, CHECK), (_triangle, ICON), (_plus, ICON)],
        row=row,
    )
    out = _run(img, elements)
    assert _kinds(out) == [ICON] * 5
    assert [e.text for e in out if e.kind is ElementKind.TEXT].count("Item 2") == 1
    # the icons and the words that were already there are untouched
    assert [
        e
        for e in out
        if e.kind is ICON and e.box != Rect(20 + 170 * 2 * row, 20 + 80 * (not row), 16, 16)
    ] == [e for e in elements if e.kind is ICON]


@pytest.mark.parametrize("icons", ["missed", "swallowed"])
@pytest.mark.parametrize("row", [False, True], ids=["sidebar", "tab strip"])
def test_icons_perception_did_not_report_still_make_a_run(row: bool, icons: str) -> None:
    """The detector saw none of the favicons, or OCR read each into its words as a letter:
    they are still drawn beside every entry, and the one check box is one more of them."""
    img, elements = _scene(
        [(_house, ICON), (_bell, ICON), (_monitor, CHECK), (_triangle, ICON), (_plus, ICON)],
        row=row,
        icons=icons,
    )
    out = _run(img, elements)
    assert _kinds(out) == [ICON]
    assert [e.text for e in out if e.kind is ElementKind.TEXT].count("Item 2") == 1


def test_a_chance_likeness_to_one_icon_does_not_keep_a_check_box() -> None:
    """A ring favicon and a round one look alike; a real indicator is like the entry next
    to it (a group is contiguous) or like the others of its group, not like one icon out
    of four further down."""
    img, elements = _scene(
        [(_house, ICON), (_bell, ICON), (_radio_off, RADIO), (_triangle, ICON), (_radio_off, ICON)]
    )
    assert _kinds(_run(img, elements)) == [ICON] * 5
    # beside it, the same ring is a group-mate the verifier dropped
    img, elements = _scene(
        [(_house, ICON), (_bell, ICON), (_radio_off, RADIO), (_radio_off, ICON), (_triangle, ICON)]
    )
    assert _run(img, elements) == elements


def test_a_check_box_among_plain_rows_is_a_form_not_a_sidebar() -> None:
    """Drawings the detector missed beside two entries of a column, plain rows between: a
    form (with a help icon or two), not a sidebar, where every entry has its icon; the
    drawings are no reason to doubt the one check box perception found."""
    img, elements = _scene(
        [(_house, ICON), (None, ICON), (_box_off, CHECK), (None, ICON), (_bell, ICON)],
        icons="missed",
    )
    assert _run(img, elements) == elements


def test_a_check_box_whose_words_ocr_split_keeps_them_to_itself() -> None:
    """ "Enable notifications" read as "Enable" (the check box's words, no element of their
    own) and "notifications": the end of "Enable" left of "notifications" is no icon."""
    img, elements = _scene([(_house, ICON), (_box_off, CHECK)], row=True)
    n, check = next((n, e) for n, e in enumerate(elements) if e.kind is CHECK)
    assert check.label_box is not None
    font = cv2.FONT_HERSHEY_SIMPLEX
    tight = Rect(check.label_box.x, check.box.y, cv2.getTextSize("Item 1", font, 0.5, 1)[0][0], 16)
    elements[n] = Element(check.id, CHECK, check.box, check.text, label_box=tight)
    rest = Rect(tight.right + 6, check.box.y, 90, 16)
    cv2.putText(img, "notifications", (rest.x, rest.bottom - 3), font, 0.5, INK)
    elements.append(Element(len(elements) + 1, ElementKind.TEXT, rest, "notifications"))
    assert _run(img, elements) == elements


def test_a_radio_above_a_list_of_icons_is_no_entry_of_it() -> None:
    """A lone radio, then a list whose entries have icons: a run is evenly spaced, as a
    sidebar's entries are, and the radio 100 px above a 24-px list is not one of them."""
    img, elements = _scene(
        [(_radio_off, RADIO), (_house, ICON), (_bell, ICON), (_triangle, ICON), (_plus, ICON)],
        at=[0, 100, 124, 148, 172],
    )
    assert _run(img, elements) == elements


def test_a_check_box_like_the_check_boxes_of_its_row_stays_in_a_column_of_icons() -> None:
    """The first of a row of check boxes sits under two list icons and above a third: the
    column is mostly icons, but the check box looks like the others of its row."""
    img, elements = _scene([(_house, ICON), (_bell, ICON), (_box_off, CHECK), (_triangle, ICON)])
    for n, x in enumerate((200, 370)):
        _box_on(img, x, 100, 16)
        label = Rect(x + 24, 100, 60, 16)
        cv2.putText(img, f"More {n}", (label.x, 113), cv2.FONT_HERSHEY_SIMPLEX, 0.5, INK)
        elements.append(
            Element(len(elements) + 1, CHECK, Rect(x, 100, 16, 16), f"More {n}", label_box=label)
        )
    assert _run(img, elements) == elements


def test_a_column_of_real_check_boxes_and_radios_is_left_alone() -> None:
    img, elements = _scene(
        [
            (_box_on, CHECK),
            (_box_off, CHECK),
            (_box_off, CHECK),
            (_radio_on, RADIO),
            (_radio_off, RADIO),
        ]
    )
    assert _run(img, elements) == elements


def test_a_radio_the_verifier_left_alone_in_its_group_stays_a_radio() -> None:
    """The verifier dropped two radios of a group (hovered and on); the third is still a
    radio: its outline is theirs, at their size, which no run of favicons has."""
    img, elements = _scene([(_radio_off, RADIO), (_radio_hover, ICON), (_radio_on, ICON)], row=True)
    assert _run(img, elements) == elements


def test_a_check_box_like_one_other_choice_among_icons_stays() -> None:
    img, elements = _scene(
        [(_house, ICON), (_box_off, CHECK), (_bell, ICON), (_box_off, CHECK), (_plus, ICON)]
    )
    assert _run(img, elements) == elements


def test_too_short_a_run_says_nothing() -> None:
    """Two marks are no run: a lone check box beside one icon keeps what the verifier said."""
    img, elements = _scene([(_house, ICON), (_monitor, CHECK)])
    assert _run(img, elements) == elements


def test_marks_far_apart_in_a_column_are_no_run() -> None:
    img, elements = _scene([(_house, ICON), (_bell, ICON), (_monitor, CHECK)])
    far = [
        Element(
            e.id, e.kind, e.box.translate(0, 300), e.text, label_box=e.label_box.translate(0, 300)
        )
        if e.kind is CHECK and e.label_box is not None
        else e
        for e in elements
    ]
    moved = img.copy()
    moved[320:420] = moved[20:120]  # the page below, the check box drawn again far down
    assert _run(moved, far) == far


def test_silhouettes_match_an_indicator_in_every_state_and_no_other_shape() -> None:
    def sil(draw: Draw, side: int = 16) -> np.ndarray:
        img = np.full((side + 10, side + 10, 3), 250, np.uint8)
        draw(img, 5, 5, side)
        return silhouette(img).mask

    def iou(a: np.ndarray, b: np.ndarray) -> float:
        return float((a & b).sum()) / float((a | b).sum())

    assert iou(sil(_radio_off), sil(_radio_on)) >= 0.9
    assert iou(sil(_radio_off), sil(_radio_hover)) >= 0.9
    assert iou(sil(_box_off), sil(_box_on)) >= 0.9
    assert iou(sil(_box_off), sil(_radio_off)) < 0.9
    assert iou(sil(_house), sil(_triangle)) < 0.9
    assert not silhouette(np.full((20, 20, 3), 250, np.uint8)).mask.any()
    assert not silhouette(np.zeros((0, 0, 3), np.uint8)).mask.any()


def _shield(img: np.ndarray, x: int, y: int, s: int) -> None:
    """A square favicon with a tick drawn inside: at 16 px its outline is a check box's."""
    cv2.rectangle(img, (x, y), (x + s - 1, y + s - 1), INK, 1)
    cv2.polylines(
        img, [np.array([[x + 4, y + 8], [x + 7, y + 11], [x + 12, y + 4]])], False, INK, 2
    )


def _envelope(img: np.ndarray, x: int, y: int, s: int) -> None:
    """A square favicon with its flap drawn inside."""
    cv2.rectangle(img, (x, y), (x + s - 1, y + s - 1), INK, 1)
    cv2.polylines(img, [np.array([[x + 1, y + 2], [x + s // 2, y + 9], [x + s - 2, y + 2]])],
                  False, INK, 1)  # fmt: skip


def _bevel(img: np.ndarray, x: int, y: int, s: int) -> None:
    """A sunken check box on a dark style: only its top and left edges show."""
    cv2.line(img, (x, y), (x + s - 1, y), INK, 1)
    cv2.line(img, (x, y), (x, y + s - 1), INK, 1)


def _bevel_ticked(img: np.ndarray, x: int, y: int, s: int) -> None:
    _bevel(img, x, y, s)
    cv2.polylines(
        img, [np.array([[x + 3, y + 8], [x + 7, y + 12], [x + 15, y + 2]])], False, INK, 2
    )


def _diamond(img: np.ndarray, x: int, y: int, s: int) -> None:
    """Tk's classic radio."""
    h = s // 2
    pts = np.array([[x + h, y], [x + s - 1, y + h], [x + h, y + s - 1], [x, y + h]], np.int32)
    cv2.polylines(img, [pts], True, INK, 1)


def test_a_square_favicon_beside_one_that_draws_another_picture_is_no_group_mate() -> None:
    """At 16 px a shield and an envelope share a check box's square outline; what each
    draws inside tells them apart, as it does not tell an empty box from a ticked one."""
    img, elements = _scene([(_house, ICON), (_shield, CHECK), (_envelope, ICON), (_bell, ICON)])
    assert _kinds(_run(img, elements)) == [ICON] * 4
    img, elements = _scene([(_house, ICON), (_box_on, CHECK), (_box_off, ICON), (_bell, ICON)])
    assert _run(img, elements) == elements


def test_a_ticked_box_between_two_empty_ones_of_its_group_stays() -> None:
    """The verifier dropped the two empty boxes of a dark style (only a bevel shows); the
    ticked one between them looks like neither, but they look like each other."""
    img, elements = _scene(
        [(_house, ICON), (_bevel, ICON), (_bevel_ticked, CHECK), (_bevel, ICON), (_bell, ICON)]
    )
    assert _run(img, elements) == elements


def test_a_favicon_read_into_its_words_and_boxed_with_their_start_joins_its_column() -> None:
    """OCR read the favicon as the first letter of its title, and the choice's box, as tall
    as the row, took in the title's start: the drawing at its left is the mark."""
    img, elements = _scene([(_house, ICON), (_bell, ICON), (_monitor, CHECK), (_triangle, ICON)])
    n, check = next((n, e) for n, e in enumerate(elements) if e.kind is CHECK)
    assert check.label_box is not None
    grown = Rect(check.box.x - 3, check.box.y - 7, 30, 30)
    elements[n] = Element(check.id, CHECK, grown, check.text,
                          label_box=Rect(check.box.x - 4, check.label_box.y, 90, 16))  # fmt: skip
    assert _kinds(_run(img, elements)) == [ICON] * 4


def test_unseen_marks_drawn_like_a_reported_choice_are_its_kind_not_icons() -> None:
    """A row of Tk radios: perception reported the middle one (a round look) and one in
    the form above, missed the first (drawn like that one) and read the last into its
    words; neither is an icon that would make the row a tab strip."""
    img, elements = _scene([(_diamond, ICON), (_radio_off, RADIO), (_box_off, ICON)], row=True,
                           icons="missed")  # fmt: skip
    assert _kinds(_run(img, elements)) == [ICON]  # two unlike unseen marks: a favicon row
    for n, draw in enumerate((_diamond, _box_off)):
        x, y = 20 + 170 * n, 300
        draw(img, x, y, 16)
        kind = RADIO if draw is _diamond else CHECK
        elements.append(Element(90 + n, kind, Rect(x, y, 16, 16), "Yes",
                                label_box=Rect(x + 24, y, 40, 16)))  # fmt: skip
    assert _run(img, elements) == elements


def test_a_tab_whose_title_is_centred_on_two_lines_is_labelled_by_them() -> None:
    """Tabs of a strip each with a favicon and a title on two lines centred on its middle,
    well right of it: neither line lies half beside the favicon, but both are its words;
    the favicon in the fake radio is one more tab's."""
    img = np.full((120, 900, 3), 250, np.uint8)
    elements: list[Element] = []
    for n, draw in enumerate((_house, _bell, _radio_off, _triangle)):
        x = 20 + 200 * n
        draw(img, x, 39, 14)
        top, bottom = Rect(x + 36, 29, 70, 16), Rect(x + 36, 47, 80, 16)
        for line, word in ((top, "SHOW"), (bottom, "ITEMS")):
            cv2.putText(img, word, (line.x, line.bottom - 3), cv2.FONT_HERSHEY_SIMPLEX, 0.5, INK)
        if draw is _radio_off:
            elements.append(Element(0, RADIO, Rect(x, 39, 14, 14), "ITEMS", label_box=bottom))
            elements.append(Element(0, ElementKind.TEXT, top, "SHOW"))
            continue
        elements += [
            Element(0, ICON, Rect(x, 39, 14, 14)),
            Element(0, ElementKind.TEXT, top, "SHOW"),
            Element(0, ElementKind.TEXT, bottom, "ITEMS"),
        ]
    elements = [replace(e, id=i + 1) for i, e in enumerate(elements)]
    assert RADIO not in _kinds(_run(img, elements))


def test_two_favicons_of_one_outline_read_as_choices_do_not_vouch_for_each_other() -> None:
    """A shield and an envelope side by side in a sidebar, both read as check boxes: their
    outlines are alike, what they draw inside is not, so neither keeps the other a choice;
    nor do two square ones far apart in the column, with icons between, nor two either
    side of a third mark."""
    img, elements = _scene(
        [(_house, ICON), (_shield, CHECK), (_envelope, CHECK), (_bell, ICON), (_plus, ICON)]
    )
    assert _kinds(_run(img, elements)) == [ICON] * 5
    img, elements = _scene(
        [(_shield, CHECK), (_house, ICON), (_bell, ICON), (_triangle, ICON), (_box_off, CHECK)]
    )
    assert _kinds(_run(img, elements)) == [ICON] * 5
    # nor do a shield and an envelope either side keep the triangle between them
    img, elements = _scene(
        [(_house, ICON), (_shield, ICON), (_triangle, RADIO), (_envelope, ICON), (_bell, ICON)]
    )
    assert _kinds(_run(img, elements)) == [ICON] * 5


def test_check_boxes_of_a_run_with_one_missed_between_them_vouch_for_each_other() -> None:
    """Three check boxes above a list of icons, and perception saw the second as an icon:
    the first has no group-mate beside it, but the third, one icon on, draws a tick or
    nothing where it does."""
    img, elements = _scene(
        [(_box_on, CHECK), (_bell, ICON), (_box_off, CHECK), (_box_on, CHECK), (_house, ICON),
         (_triangle, ICON), (_plus, ICON), (_monitor, ICON)]
    )  # fmt: skip
    assert _run(img, elements) == elements


# Held-out glyph-favicon pages where perception, before this rule, still reported favicons as
# check boxes or radios (4 in all; seed 13 and 14 also hold 4 real ones). Picked by running
# perception on seeds 6-15 with the rule off and on: on 9, 10 and 15 it changes nothing, and
# on none does it lose a real choice.
GLYPH_PAGES = (6, 13, 14)


@pytest.fixture(scope="module")
def glyph_pages(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[np.ndarray, list[Rect]]]:
    """(screen, boxes of its real check boxes and radios) per page, from Chromium."""
    screens = render_glyph_favicon_pages(tmp_path_factory.mktemp("glyphs"), GLYPH_PAGES)
    return [(img, [b for _, b in choice_truth(boxes)]) for img, boxes in screens]


def test_perception_turns_held_out_glyph_favicons_into_icons_and_keeps_real_choices(
    glyph_pages: list[tuple[np.ndarray, list[Rect]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    perceiver = Perceiver(OcrEngine())
    # the run rule alone: these pages' ring favicons are also what the radio-inside rule
    # drops (``tests/test_radio_inside.py``)
    monkeypatch.setattr(choice_verdict, "lopsided_inside", lambda *_: False)

    def choices(img: np.ndarray) -> list[Element]:
        state = perceiver.perceive(img)
        return [e for e in state.elements if e.kind in (CHECK, RADIO)]

    def count(found: list[Element], truth: list[Rect]) -> tuple[int, int]:
        real = sum(any(t.contains_point(e.box.center) for t in truth) for e in found)
        return real, len(found) - real

    after = [count(choices(img), truth) for img, truth in glyph_pages]
    monkeypatch.setattr(choice_verdict, "icons_among_icons", lambda elements, *_: elements)
    before = [count(choices(img), truth) for img, truth in glyph_pages]
    fake_before, fake_after = sum(f for _, f in before), sum(f for _, f in after)
    print(f"(real, fake) choices per page, without the rule {before}, with it {after}")
    assert fake_before >= 3, before  # what this test is about: it did happen
    assert fake_after <= fake_before - 3, (before, after)
    # every real choice perceived without the rule is perceived with it, page by page
    assert all(a[0] >= b[0] for a, b in zip(after, before, strict=True)), (before, after)


def test_marks_and_words_at_or_past_the_frame_edge_are_read_without_error() -> None:
    """Boxes from a region's perception can touch or pass its edge (a sidebar cut off by the
    window): nothing is drawn there to compare, and the run still decides on the rest."""
    img, elements = _scene(
        [(_house, ICON), (_bell, ICON), (_monitor, CHECK), (_triangle, ICON)], icons="missed"
    )
    edge = [
        Element(90, ElementKind.TEXT, Rect(-30, 180, 60, 16), "Cut"),
        Element(91, ElementKind.TEXT, Rect(880, 410, 60, 16), "Off"),
        Element(92, CHECK, Rect(-8, 300, 16, 16), "Half", label_box=Rect(12, 300, 40, 16)),
    ]
    out = _run(img, elements + edge)
    assert [e for e in out if e.id >= 90] == edge
    assert _run(img[:0, :0], elements) == elements  # an empty frame: nothing to look at


def test_only_an_x_drawn_alone_is_a_close_button() -> None:
    """A tab's close button is an × of thin or bold strokes; a box, a ring, a plus, a tick
    or a solid square is not, nor is an × much larger than the favicon beside it."""

    def drawn(strokes: Callable[[np.ndarray], object], size: int = 12) -> np.ndarray:
        img = np.zeros((size, size), np.uint8)
        strokes(img)
        ys, xs = np.nonzero(img)
        return img[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1] > 0

    def cross(width: int, end: int = 10) -> Callable[[np.ndarray], object]:
        return lambda g: (cv2.line(g, (1, 1), (end, end), 255, width),
                          cv2.line(g, (end, 1), (1, end), 255, width))  # fmt: skip

    assert is_cross(drawn(cross(1)), 16) and is_cross(drawn(cross(2)), 16)
    assert not is_cross(drawn(cross(2, 30), 40), 16)  # twice the favicon's size
    others = [
        lambda g: cv2.rectangle(g, (1, 1), (10, 10), 255, 1),
        lambda g: cv2.circle(g, (6, 6), 5, 255, 1),
        lambda g: (cv2.line(g, (6, 1), (6, 10), 255, 2), cv2.line(g, (1, 6), (10, 6), 255, 2)),
        lambda g: cv2.polylines(g, [np.array([[1, 6], [4, 10], [10, 1]], np.int32)], False, 255, 2),
        lambda g: cv2.rectangle(g, (1, 1), (10, 10), 255, -1),
    ]
    assert not any(is_cross(drawn(f), 16) for f in others)


def test_a_word_ocr_read_apart_beside_a_check_box_is_no_icon_of_a_run() -> None:
    """ "[ ] Subscribe to newsletter" level with a sidebar's favicon, where "to" was left out
    of the line and taken for an icon: favicon, box and "to" are evenly enough spaced for
    a row of three mostly unlike icons, but an icon OCR read as a word in lower case is
    letters (held-out favicon pages, seed 6000003, screen 15)."""
    img = np.full((80, 640, 3), 250, np.uint8)
    _house(img, 20, 20, 16)
    _box_off(img, 250, 20, 16)
    for x, word in ((44, "Layout"), (274, "Subscribe"), (404, "newsletter")):
        cv2.putText(img, word, (x, 33), cv2.FONT_HERSHEY_SIMPLEX, 0.5, INK)
    to = img.copy()
    cv2.putText(to, "to", (380, 33), cv2.FONT_HERSHEY_SIMPLEX, 0.5, INK)
    elements = [
        Element(1, ICON, Rect(20, 20, 16, 16)),
        Element(2, ElementKind.TEXT, Rect(44, 20, 56, 16), "Layout"),
        Element(3, CHECK, Rect(250, 20, 16, 16), "Subscribe", label_box=Rect(274, 20, 96, 16)),
        Element(4, ICON, Rect(380, 20, 17, 16), "to"),
        Element(5, ElementKind.TEXT, Rect(404, 20, 90, 16), "newsletter"),
    ]
    assert _run(to, elements) == elements
    # a favicon drawn there, or read as a symbol, still makes the row a run of icons
    _bell(img, 380, 20, 16)
    favicon = [replace(e, text="") if e.id == 4 else e for e in elements]
    assert CHECK not in _kinds(_run(img, favicon))
    assert CHECK not in _kinds(
        _run(img, [replace(e, text="@") if e.id == 4 else e for e in elements])
    )
