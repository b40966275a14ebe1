"""Take back one executed action, and prove it was taken back.

An undo that merely *sends* the reverse input can fail silently (the app ignored it, the
field had changed, a dialog was in the way), and a false "undone" is worse than an honest
"could not undo". So every undo ends with a pixel check: the affected region must look as it
did before the action (``UndoRecord.before``), up to a caret and colour noise. Only then is
``verified`` true.

A typed-into field is additionally checked *before* undoing: if it no longer shows what the
action left there, someone (the app or the user) changed it since, and retyping the old
content would overwrite their change, so the undo refuses instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from gui_agent.control.executor import Executor, UndoRecord, region_matches
from gui_agent.geometry import Rect
from gui_agent.perception.state import ElementKind
from gui_agent.screen.frame import Frame

__all__ = ["UndoResult", "undo"]


@dataclass(frozen=True)
class UndoResult:
    """``verified`` only when the region was compared and matched its before-pixels."""

    verified: bool
    detail: str


def _compared(record: UndoRecord, frame: Frame) -> Frame:
    """The part of ``frame`` an undo is judged on.

    For typed text that is the field's inside, 3 px in from its border: focus moves on after
    typing, and the focus frame drawn on the border (1–2 px lines that survive the caret
    filter) is not part of the field's content.
    """
    if record.kind == "type" and record.target is not None:
        inner = Rect(*record.target.box).expand(-3)
        if not inner.is_empty() and frame.box.intersects(inner):
            return frame.crop(inner)
    return frame.crop(record.region)


def undo(record: UndoRecord, executor: Executor) -> UndoResult:
    """Reverse the action ``record`` came from and verify the affected region."""
    executor.backend.check()
    be = executor.backend
    if record.kind == "type":
        assert record.target is not None
        point = record.target.center
        if record.after is not None:
            now = executor.grab()
            same, share = region_matches(_compared(record, record.after), _compared(record, now))
            if not same:
                return UndoResult(
                    False,
                    "not undone: the field changed after the action was taken "
                    f"({share:.1%} of it differs), so retyping its old content would "
                    "overwrite that change",
                )
        be.click(*point)
        be.hotkey("ctrl", "a")
        if record.previous_text:
            be.type(record.previous_text)
        else:
            be.hotkey("delete")
        what = "retyped the previous content" + (
            " (read by OCR, may be inexact)" if record.source == "ocr" else ""
        )
    elif record.kind == "checkbox":
        assert record.target is not None
        point = record.target.center
        be.move(*point)
        frame = executor.settle()
        state = executor.perceiver.perceive(frame)
        el = next(
            (
                e
                for e in state.of_kind(ElementKind.CHECKBOX)
                if e.box.iou(Rect(*record.target.box)) > 0.3
            ),
            None,
        )
        if el is not None and el.checked is not None and record.checked is not None:
            differs = el.checked != record.checked
        else:  # state unreadable: the pixels decide
            differs = not region_matches(record.before, frame.crop(record.region))[0]
        if differs:
            be.click(*point)
            what = "clicked the checkbox again"
        else:
            what = "the checkbox already had its previous state"
    elif record.kind == "radio":
        if record.previous_radio is None:
            return UndoResult(False, "not undone: no radio of the group was checked before")
        be.click(*record.previous_radio.center)
        what = f"clicked the previously checked radio '{record.previous_radio.text}'"
    elif record.kind == "scroll":
        assert record.point is not None
        be.move(*record.point)
        be.scroll(record.scroll_notches, *record.point)  # back: pyautogui's + is up
        what = f"scrolled back {record.scroll_notches} notches"
    elif record.kind == "drag":
        assert record.drag_from is not None and record.drag_to is not None
        be.drag(record.drag_to, record.drag_from)
        what = "dragged back"
    else:  # pragma: no cover - UndoKind is exhaustive
        return UndoResult(False, f"not undone: unknown undo kind {record.kind!r}")

    after = executor.settle()
    same, share = region_matches(_compared(record, record.before), _compared(record, after))
    if same:
        return UndoResult(True, f"{what}; the region matches its state before the action")
    return UndoResult(
        False,
        f"{what}, but the region does not match its state before the action "
        f"({share:.2%} of it differs): the undo is NOT verified",
    )
