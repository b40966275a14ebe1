"""What each action is expected to do, and whether the screen shows it did.

"The click went through" is not the same as "the click did what was meant": a click on an
already selected radio, on plain text, or on a button that ignores it changes nothing, and a
loop that counts that as success reports "finished" for work that was never done. So every
executed action gets a ``Proof``: the expected effect in words, what was observed, and
whether the two agree.

* ``type`` into a field: OCR reads the typed text back in the field (loosely: spaces
  ignored, a misread character forgiven, the visible end of a long text enough); a secret
  field only has to change, since it cannot be read back.
* a click on a check box, radio or toggle: its state after the click is the asked state
  (checked for a radio; flipped, or the state the action asked for, for a check box).
* a click on anything else pressable: something changed in the control's window (or a new
  window appeared). A click into a text field only focuses it, which need not show.
* a key press: something changed, except for keys known to change nothing visible (copy).
* scroll: the view moved, or the awaited text is on screen; drag: something changed.
* wait: it is its own proof (the text appeared, or the time passed).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from gui_agent.perception.state import Element, ElementKind

__all__ = ["INVISIBLE_KEYS", "Proof", "click_proof", "toggle_proof", "typed_proof"]

K = ElementKind

#: Key chords whose effect is not visible on screen: taken as done when the screen is still.
INVISIBLE_KEYS = frozenset({frozenset({"ctrl", "c"}), frozenset({"ctrl", "insert"})})
#: Kinds whose click only moves focus into them (nothing else need change).
FOCUS_ONLY = frozenset({K.FIELD, K.COMBO, K.CONTAINER, K.SLIDER, K.SCROLLBAR, K.LIST})
TOGGLES = frozenset({K.CHECKBOX, K.RADIO, K.TOGGLE})
_TOO_SHORT = 2  # characters too few for OCR to be asked about


@dataclass(frozen=True)
class Proof:
    """Whether an action's expected effect is on screen, in words for the journal and report."""

    proven: bool
    expected: str
    observed: str

    def describe(self) -> str:
        head = "proven" if self.proven else "NOT proven"
        return f"{head}: expected {self.expected}; {self.observed}"


def _squash(text: str) -> str:
    return "".join(text.lower().split())


def _reads_as(typed: str, shown: str) -> bool:
    """Whether OCR's ``shown`` holds ``typed`` (or, for a field narrower than its text, the
    visible end of it), up to one misread character in eight (a caret glued to the last
    letter turns "abc" into "abd")."""
    if not shown:
        return False
    if typed in shown:
        return True
    short, long_ = (typed, shown) if len(typed) <= len(shown) else (shown, typed)
    if len(short) < 3:
        return False
    al = fuzz.partial_ratio_alignment(short, long_)
    if al is None:
        return False
    piece = long_[al.dest_start : al.dest_end]  # the part of the longer one that matched
    return Levenshtein.distance(short, piece) <= max(1, len(short) // 8)


def typed_proof(before: str | None, typed: str, after: str | None, *, exact: bool,
                clear: bool, secret: bool, changed: bool) -> Proof:  # fmt: skip
    """``before`` / ``after``: the field's text read back (None: unreadable)."""
    if secret:
        return Proof(changed, "the secret field to change",
                     "it changed" if changed else "the field did not change")  # fmt: skip
    if not typed:
        ok = after is not None and after.strip() == "" if clear else changed
        return Proof(ok, "the field to be empty" if clear else "the field to change",
                     f"it reads {len(after or '')} characters" if after is not None else
                     "it could not be read")  # fmt: skip
    if after is None or len(_squash(typed)) <= _TOO_SHORT:
        # OCR cannot be asked to find one or two characters: the field changing must do.
        return Proof(changed, f"the {len(typed)} typed characters in the field",
                     "the field could not be read back; it " +
                     ("changed" if changed else "did not change"))  # fmt: skip
    if exact:
        want = typed if clear or before is None else before + typed
        ok = after == want or (not clear and typed in after)
    else:
        # OCR drops spaces and misreads a dot now and then; a field shows only the end of a
        # text longer than itself: the typed text must be found in what it shows, loosely.
        ok = _reads_as(_squash(typed), _squash(after))
    observed = "the field reads back as typed" if ok else "the field does not show the typed text"
    return Proof(ok, f"the {len(typed)} typed characters in the field", observed)


def toggle_proof(kind: ElementKind, was: bool | None, now: bool | None,
                 asked: bool | None) -> Proof:  # fmt: skip
    """A check box, radio or toggle after a click: ``asked`` is the state the action wanted
    (None: the opposite of ``was`` for a check box, checked for a radio)."""
    want = True if kind is K.RADIO else (asked if asked is not None else
                                         (None if was is None else not was))  # fmt: skip
    if now is None:
        return Proof(False, f"the {kind.value} {'checked' if want else 'toggled'}",
                     "its state cannot be read any more")  # fmt: skip
    if want is None:
        return Proof(True, f"the {kind.value} toggled", f"it is {'on' if now else 'off'}")
    state = "checked" if want else "unchecked"
    return Proof(now == want, f"the {kind.value} {state}",
                 f"it is {'checked' if now else 'unchecked'}")  # fmt: skip


def click_proof(element: Element | None, changed_in_window: bool, new_window: bool) -> Proof:
    """A click on anything that is not a toggle."""
    if element is not None and element.kind in FOCUS_ONLY:
        return Proof(True, f"focus in the {element.kind.value}", "a click there focuses it")
    what = element.kind.value if element is not None else "target"
    if new_window:
        return Proof(True, f"the {what}'s window to react", "a new window took focus")
    return Proof(
        changed_in_window,
        f"the {what}'s window to react",
        "its window changed" if changed_in_window else "nothing in its window changed",
    )
