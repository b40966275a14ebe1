"""The executor: turn one planned action into real mouse and keyboard input, and check it.

Every action goes through the same steps, because a GUI agent that only *sends* input cannot
tell a reviewer (or itself) what happened:

1. **Emergency stop first.** pyautogui's fail-safe (pointer in a screen corner) is checked
   before anything else, so a person who slams the mouse into a corner stops the agent
   before the next action sends a single event (``EmergencyStop``).
2. **Resolve on a fresh frame.** A query target ("the Save button") is located on a frame
   perceived right before execution; ids are only stable within one frame, so an
   ``element_id`` is looked up in the state the planner saw (``execute(action, state=...)``)
   or, without one, in the fresh frame. ``TargetNotFound`` is raised before any input.
3. **Record what undo needs** (previous field content, checkbox/radio state, scroll amount,
   drag origin) and a crop of the affected region as it looked before.
4. **Act**, then wait until the screen stops changing.
5. **Verify** by diffing the before and after frames: did anything change, and did the
   target's own region change? A click that changed nothing is reported as such.

``gui_agent.control.undo`` replays an ``UndoRecord`` and verifies it against the crop.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, TypeVar

import cv2
import numpy as np

from gui_agent.control import clipboard
from gui_agent.control.context import EDITABLE, control_at, is_masked, resolve_target
from gui_agent.control.effects import (
    INVISIBLE_KEYS,
    TOGGLES,
    Proof,
    click_proof,
    toggle_proof,
    typed_proof,
)
from gui_agent.control.estop import StopSwitch
from gui_agent.control.recheck import echo_glyphs, same_shapes
from gui_agent.errors import GuiAgentError
from gui_agent.geometry import Rect
from gui_agent.perception.indicator import find_indicator
from gui_agent.perception.perceiver import Perceiver
from gui_agent.perception.state import Element, ElementKind, ScreenState
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
    redact,
    targets_of,
)
from gui_agent.screen.capture import ScreenCapture
from gui_agent.screen.diff import changed_fraction
from gui_agent.screen.frame import Frame

__all__ = [
    "EmergencyStop",
    "ExecutionResult",
    "Executor",
    "InputBackend",
    "PyAutoGuiBackend",
    "SecretFieldFound",
    "TargetChanged",
    "UndoRecord",
    "Verification",
    "clipboard_available",
    "region_matches",
]

Point2 = tuple[int, int]
T = TypeVar("T")

# How far around a target its "own" region reaches: focus frames, check marks and hover
# borders are drawn just outside a widget's box.
_REGION_PAD = 8
# How often settle() looks while it waits for the screen to hold still.
_SETTLE_POLL = 0.025
# How long the masking probe waits for its keystroke to show.
_PROBE_WAIT = 0.25
# How long an action that changed nothing is watched once more for a late repaint.
_LATE = 0.6
# The share of an indicator's inside that a check mark or a radio's dot changes.
_MARK_SHARE = 0.08


@dataclass(frozen=True)
class FieldProbe:
    """What probing a text field found: whether it masks its input, and its text before
    anything was typed (None: it could not be copied)."""

    masked: bool
    text: str | None


class TargetChanged(GuiAgentError):
    """The control at the target's pixel is no longer the one that was judged and approved
    (it moved, or another took its place on hover): nothing was sent to it."""


class SecretFieldFound(GuiAgentError):
    """The field about to be typed into masks its input: the text is a secret, and typing it
    needs the gate's verdict for a secret. Raised before a single character of it is typed."""


class EmergencyStop(GuiAgentError):
    """The person moved the pointer into a screen corner (pyautogui fail-safe): stop now.

    Raised before any further input is sent; the agent must not retry on its own.
    """


# --------------------------------------------------------------------------------------------
# Input backends
# --------------------------------------------------------------------------------------------


class InputBackend(Protocol):
    """The input primitives the executor needs; a fake one makes the executor testable."""

    def check(self) -> None:
        """Raise ``EmergencyStop`` if the person asked to stop (pointer in a corner)."""

    def position(self) -> Point2: ...

    def move(self, x: int, y: int) -> None: ...

    def click(self, x: int, y: int, button: str = "left", count: int = 1) -> None: ...

    def type(self, text: str) -> None: ...

    def hotkey(self, *keys: str) -> None: ...

    def keys(self, *combos: str) -> None:
        """Press several chords in a row ("ctrl+a", "ctrl+c"), in order, pausing once after
        the last (key events are queued in order; the app needs no pause between them)."""

    def scroll(self, notches_up: int, x: int | None = None, y: int | None = None) -> None:
        """Scroll in pyautogui's convention: positive = up."""

    def drag(self, start: Point2, end: Point2) -> None: ...


class PyAutoGuiBackend:
    """Real input through pyautogui (XTest on X11).

    Every input event first checks the stop switch (the stop hotkey trips it) and the
    pointer corner, so an emergency stop lands before the next event, even mid-action.

    pyautogui opens the X display when it is imported, so the import happens here, on first
    construction, after the caller (or the headless runner) has set ``DISPLAY``. The
    fail-safe stays on: it is the person's emergency brake.
    """

    def __init__(
        self, typing_interval: float = 0.0, pause: float = 0.02, switch: StopSwitch | None = None
    ) -> None:
        try:
            import pyautogui  # local: needs DISPLAY at import time
        except Exception as exc:  # KeyError('DISPLAY'), Xlib's connection errors
            from gui_agent.errors import DisplayUnavailable

            why = "DISPLAY is not set" if isinstance(exc, KeyError) else " ".join(str(exc).split())
            raise DisplayUnavailable(f"cannot send input: no usable X display ({why})") from None

        self._pg: Any = pyautogui
        pyautogui.FAILSAFE = True
        pyautogui.PAUSE = pause
        self.typing_interval = typing_interval
        self.switch = switch

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        if self.switch is not None and self.switch.tripped:
            raise EmergencyStop(f"emergency stop ({self.switch.reason}); no further input was sent")
        try:
            self._pg.failSafeCheck()
            yield
        except self._pg.FailSafeException as exc:
            raise EmergencyStop(
                "emergency stop: the pointer is in a screen corner (pyautogui fail-safe); "
                "no further input was sent. Move the pointer away from the corner to go on."
            ) from exc

    def check(self) -> None:
        with self._guard():
            pass

    def position(self) -> Point2:
        p = self._pg.position()
        return int(p[0]), int(p[1])

    def move(self, x: int, y: int) -> None:
        with self._guard():
            self._pg.moveTo(x, y)

    def click(self, x: int, y: int, button: str = "left", count: int = 1) -> None:
        with self._guard():
            self._pg.click(x, y, clicks=count, interval=0.05, button=button)

    def type(self, text: str) -> None:
        # In short chunks, so a stop lands inside a long text, not after it.
        chunks = [text[i : i + 8] for i in range(0, len(text), 8)]
        for n, chunk in enumerate(chunks, 1):
            with self._guard():
                self._pg.write(chunk, interval=self.typing_interval, _pause=n == len(chunks))

    def hotkey(self, *keys: str) -> None:
        with self._guard():
            self._pg.hotkey(*keys)

    def keys(self, *combos: str) -> None:
        for n, combo in enumerate(combos, 1):
            with self._guard():
                self._pg.hotkey(*combo.split("+"), _pause=n == len(combos))

    def scroll(self, notches_up: int, x: int | None = None, y: int | None = None) -> None:
        with self._guard():
            self._pg.scroll(notches_up, x=x, y=y)

    def drag(self, start: Point2, end: Point2) -> None:
        with self._guard():
            self._pg.moveTo(*start)
            self._pg.mouseDown(*start, button="left")
            try:
                # Intermediate motion events: many toolkits only start a drag after moving.
                self._pg.moveTo(*end, duration=0.25)
            finally:
                self._pg.mouseUp(*end, button="left")


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """What the before/after diff says: ``changed`` anywhere, ``region_changed`` at the target."""

    changed: bool
    changed_fraction: float
    region_changed: bool
    detail: str


UndoKind = Literal["type", "checkbox", "radio", "scroll", "drag"]
TextSource = Literal["clipboard", "ocr"]


@dataclass
class UndoRecord:
    """Everything needed to take one action back and to check that it was taken back.

    ``region`` is the affected desktop box and ``before`` its pixels before the action (the
    undo is verified against them); ``after`` is the same box right after the action, so an
    undo can notice that something else changed it meanwhile. ``previous_text`` is the field
    content before typing; ``source`` says where it was read ("clipboard" exact, "ocr" a
    best effort).
    """

    kind: UndoKind
    region: Rect
    before: Frame = field(repr=False)
    after: Frame | None = field(default=None, repr=False)
    target: ResolvedTarget | None = None
    previous_text: str | None = field(default=None, repr=False)
    source: TextSource | None = None
    checked: bool | None = None
    previous_radio: ResolvedTarget | None = None
    scroll_notches: int = 0
    point: Point2 | None = None
    drag_from: Point2 | None = None
    drag_to: Point2 | None = None


@dataclass
class ExecutionResult:
    """The outcome of one action; frames stay in memory for the caller, never serialized."""

    action: Action
    ok: bool
    message: str
    target: ResolvedTarget | None = None
    targets: list[ResolvedTarget] = field(default_factory=list)
    undo: UndoRecord | None = None
    irreversible: bool = False
    verification: Verification | None = None
    before: Frame | None = field(default=None, repr=False)
    after: Frame | None = field(default=None, repr=False)
    seconds: float = 0.0
    proof: Proof | None = None


# --------------------------------------------------------------------------------------------
# Pixel helpers
# --------------------------------------------------------------------------------------------


def region_matches(
    expected: Frame, current: Frame, *, threshold: int = 24, tolerance: float = 0.002
) -> tuple[bool, float]:
    """Whether ``current`` shows the same pixels as ``expected`` (same desktop box).

    Returns ``(matches, share of changed pixels)``. A text caret (1 px wide) and colour noise
    are not differences: the changed-pixel mask is opened with a 2x2 kernel, which removes
    1 px lines but keeps glyphs and check marks; what is left must cover at most
    ``tolerance`` of the region.
    """
    if expected.pixels.shape != current.pixels.shape:
        return False, 1.0
    diff = cv2.absdiff(expected.pixels, current.pixels).max(axis=2) > threshold
    mask = cv2.morphologyEx(diff.astype(np.uint8), cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    share = float(mask.sum()) / max(1, mask.size)
    return share <= tolerance, share


def clipboard_available() -> bool:
    """Exact field reads need ``xclip`` or ``xsel``; without them undo falls back to OCR."""
    return clipboard.available()


def _element_for(state: ScreenState, box: tuple[int, int, int, int]) -> Element | None:
    """The element of ``state`` that best overlaps ``box`` (ids differ between frames)."""
    r = Rect(*box)
    best, best_iou = None, 0.3
    for e in state.elements:
        iou = e.box.iou(r)
        if iou > best_iou:
            best, best_iou = e, iou
    return best


def _radio_group(state: ScreenState, el: Element) -> list[Element]:
    """Radios in ``el``'s group: same row or same column (a button group lays them out so)."""
    out = []
    for e in state.of_kind(ElementKind.RADIO):
        same_row = abs(e.box.cy - el.box.cy) <= max(4.0, el.box.h / 2)
        same_col = abs(e.box.cx - el.box.cx) <= max(4.0, el.box.w / 2)
        if same_row or same_col:
            out.append(e)
    return out


# --------------------------------------------------------------------------------------------
# The executor
# --------------------------------------------------------------------------------------------


class Executor:
    """Executes actions with real input and reports what happened (see the module doc).

    ``settle_timeout`` bounds how long to wait for the screen to stop changing after input;
    ``quiet`` is how long it must stay still to count as settled.
    """

    def __init__(
        self,
        backend: InputBackend,
        capture: ScreenCapture,
        perceiver: Perceiver,
        *,
        settle_timeout: float = 1.5,
        quiet: float = 0.08,
        use_clipboard: bool | None = None,
    ) -> None:
        self.backend = backend
        self.capture = capture
        self.perceiver = perceiver
        self.settle_timeout = settle_timeout
        self.quiet = quiet
        self.use_clipboard = clipboard_available() if use_clipboard is None else use_clipboard
        self._probed: dict[tuple[int, int, int, int], FieldProbe] = {}

    # -- observation -------------------------------------------------------------------------

    def grab(self) -> Frame:
        return self.capture.grab()

    def observe(self) -> tuple[Frame, ScreenState]:
        """A fresh frame and its perceived state."""
        frame = self.grab()
        return frame, self.perceiver.perceive(frame)

    def settle(self) -> Frame:
        """Wait until two grabs ``quiet`` seconds apart are identical; return the last one.

        Apps repaint asynchronously after input, so a frame taken at once may predate the
        change; waiting for stillness (bounded by ``settle_timeout``) avoids both a stale
        "nothing changed" and a fixed, always-too-long sleep.
        """
        start = time.monotonic()
        deadline = start + self.settle_timeout
        time.sleep(_SETTLE_POLL)
        prev = self.grab()
        still_since = time.monotonic()
        while True:
            time.sleep(_SETTLE_POLL)
            cur = self.grab()
            now = time.monotonic()
            if changed_fraction(prev, cur, threshold=0) > 0.0:
                still_since = now
            elif now - still_since >= self.quiet or now > deadline:
                return cur
            if now > deadline:
                return cur
            prev = cur

    # -- resolution --------------------------------------------------------------------------

    def resolve(self, target: Target, state: ScreenState) -> ResolvedTarget:
        """Ground ``target`` on ``state`` (``TargetNotFound`` when it is not there)."""
        return resolve_target(target, state)[0]

    # -- execution ---------------------------------------------------------------------------

    def execute(
        self,
        action: Action,
        state: ScreenState | None = None,
        *,
        targets: Sequence[ResolvedTarget] | None = None,
        seen: Frame | None = None,
        scope: Rect | None = None,
    ) -> ExecutionResult:
        """Run ``action``; ``state`` is the screen state its element ids refer to.

        ``targets`` are its targets as the gate judged them (resolved on ``state``); without
        them they are resolved here, on a fresh frame for queries. ``seen`` is the frame
        ``state`` was perceived from: right before input the pixels at the target are
        compared with it, and a control that changed meanwhile raises ``TargetChanged``
        with nothing sent. ``scope`` is the box (the target's window) in which a click must
        change something to count as proven.

        Raises ``EmergencyStop``, ``TargetNotFound``, ``TargetChanged`` and
        ``SecretFieldFound`` before the input they concern. Other failures are returned as
        ``ok=False`` with a message.
        """
        t0 = time.perf_counter()
        self.backend.check()
        if isinstance(action, Done | AskUser):
            return ExecutionResult(redact(action), True, "nothing to do on screen")
        if isinstance(action, Wait):
            return self._wait(action, t0)

        wanted = targets_of(action)
        fresh: ScreenState | None = None
        resolved: list[ResolvedTarget] = []
        elements: list[Element | None] = []
        for n, t in enumerate(wanted):
            if targets is not None and n < len(targets):
                src: ScreenState | None = state
                r = targets[n]
            else:
                if t.element_id is not None and state is not None:
                    src = state
                else:
                    if fresh is None:
                        fresh = self.observe()[1]
                    src = fresh
                r = self.resolve(t, src)
            resolved.append(r)
            el = None
            if src is not None and r.element_id is not None:
                with contextlib.suppress(KeyError):
                    el = src.by_id(r.element_id)
            elements.append(el)
        if fresh is not None:
            seen = None  # resolved on a newer frame than ``seen``: compare with nothing

        if isinstance(action, Click):
            res = self._click(action, resolved[0], elements[0], fresh or state, seen, scope)
        elif isinstance(action, Type):
            res = self._type(action, resolved[0] if resolved else None, elements, seen)
        elif isinstance(action, Hotkey):
            res = self._hotkey(action)
        elif isinstance(action, Scroll):
            res = self._scroll(action, resolved[0] if resolved else None)
        elif isinstance(action, Drag):
            res = self._drag(action, resolved[0], resolved[1], seen)
        else:  # pragma: no cover - the union is exhaustive
            raise TypeError(f"unknown action {action!r}")
        res.targets = resolved
        res.seconds = time.perf_counter() - t0
        return res

    def _verify(
        self, before: Frame, after: Frame, region: Rect | None, clicked: bool = False
    ) -> Verification:
        frac = changed_fraction(before, after)
        changed = frac > 0.0
        region_changed = changed
        if region is not None:
            region_changed = _changed_in(before, after, region)
        if not changed:
            detail = "the screen did not change"
        elif region is not None and not region_changed:
            detail = f"the screen changed ({frac:.1%}) but not at the target"
        else:
            detail = f"the screen changed ({frac:.1%})" + (
                ", including the target" if region is not None else ""
            )
        return Verification(changed, frac, region_changed, detail)

    def _prepare(self, point: Point2) -> Frame:
        """Move the pointer to ``point`` and take the before-frame once hover effects settled,
        so a verification diff shows what the action did, not what hovering did."""
        self.backend.move(*point)
        return self.settle()

    def recheck(self, target: ResolvedTarget, seen: Frame | None, now: Frame) -> None:
        """Raise ``TargetChanged`` when the control at ``target``'s point on ``now`` (the
        frame with the pointer already over it) is not the one resolved on ``seen``.

        Outlines and letters are compared first (a hover highlight keeps them); only when
        they differ is the frame perceived again and the control there named.
        """
        box = Rect(*target.box)
        region = box.expand(4).clip(now.box)
        if seen is None or region.is_empty() or not seen.box.contains(region):
            return  # nothing to compare with: the target was resolved on this very moment
        if same_shapes(seen.crop(region).pixels, now.crop(region).pixels):
            return
        state = self.perceiver.perceive(now)
        here = control_at(state, target.center, None)
        if here is not None and _same_control(target, here):
            return
        was = f"{target.kind} '{target.text}'" if target.text else target.kind
        is_now = (
            f"{here.kind.value} '{here.text}'" if here is not None and here.text
            else here.kind.value if here is not None else "nothing recognisable"
        )  # fmt: skip
        raise TargetChanged(
            f"the control at {list(target.center)} changed after it was checked: it was "
            f"{was}, it is now {is_now}; nothing was sent to it"
        )

    def _finish(
        self,
        action: Action,
        before: Frame,
        region: Rect | None,
        target: ResolvedTarget | None,
        undo: UndoRecord | None,
        irreversible: bool,
        what: str,
    ) -> ExecutionResult:
        after = self.settle()
        ver = self._verify(before, after, region)
        if undo is not None:
            undo.after = after.crop(undo.region)
        return ExecutionResult(
            redact(action),
            True,
            f"{what}; {ver.detail}",
            target,
            undo=undo,
            irreversible=irreversible,
            verification=ver,
            before=before,
            after=after,
        )

    def _late_look(self, res: ExecutionResult, before: Frame, region: Rect | None) -> None:
        """An app that repaints late (a busy main loop, a slow dialog) looks unchanged right
        after the input: before calling a step unproven, look once more, for ``_LATE``
        seconds, and take the later frame if the screen moved meanwhile."""
        if res.after is None or (res.verification is not None and res.verification.changed):
            return
        deadline = time.monotonic() + _LATE
        while time.monotonic() < deadline:
            time.sleep(_SETTLE_POLL * 2)
            if changed_fraction(res.after, self.grab()) > 0.0:
                res.after = self.settle()
                res.verification = self._verify(before, res.after, region)
                res.message = res.message.rsplit(";", 1)[0] + f"; {res.verification.detail}"
                if res.undo is not None:
                    res.undo.after = res.after.crop(res.undo.region)
                return

    def _toggle_state(
        self, before: Frame, after: Frame, target: ResolvedTarget, was: bool | None
    ) -> bool | None:
        """The checked state of the toggle at ``target`` on ``after``.

        Where its drawn indicator can be found (a square or round outline, 0.2 ms), the
        state flipped exactly when the inside of that indicator changed: the check mark or
        the dot is all that differs (the pointer hovered it in both frames). Otherwise the
        frame is perceived again (incrementally: only the changed tiles are read). Where the
        app has an accessibility tree, its checked state after the click is the proof."""
        if self.perceiver.accessibility is not None:
            el = _element_for(self.perceiver.perceive(after), target.box)
            if el is not None and el.source != "vision" and el.checked is not None:
                return el.checked
        box = Rect(*target.box)
        local = box.translate(-before.box.x, -before.box.y)
        ind = find_indicator(before.pixels, local)
        if ind is not None and was is not None:
            inner = ind.rect.translate(before.box.x, before.box.y).expand(-2)
            if not inner.is_empty():
                a, b = before.crop(inner).pixels, after.crop(inner).pixels
                share = float((cv2.absdiff(a, b).max(axis=2) > 40).mean())
                return (not was) if share > _MARK_SHARE else was
        el = _element_for(self.perceiver.perceive(after), target.box)
        return el.checked if el is not None else None

    def _click(
        self,
        action: Click,
        target: ResolvedTarget,
        element: Element | None,
        state: ScreenState | None,
        seen: Frame | None,
        scope: Rect | None,
    ) -> ExecutionResult:
        centre = target.center
        kind = element.kind if element is not None else None
        if (
            action.checked is not None
            and element is not None
            and kind in TOGGLES
            and element.checked is action.checked
        ):
            state_word = "checked" if action.checked else "unchecked"
            return ExecutionResult(
                redact(action), True, f"{target.describe()} is already {state_word}", target,
                proof=Proof(True, f"the {kind.value if kind else 'box'} {state_word}",
                            "it already was: no click needed"),
            )  # fmt: skip
        before = self._prepare(centre)
        self.recheck(target, seen, before)
        region = Rect(*target.box).expand(_REGION_PAD)
        undo: UndoRecord | None = None
        toggles = action.button == "left" and action.count == 1 and element is not None
        if toggles and element is not None and element.kind is ElementKind.CHECKBOX:
            undo = UndoRecord(
                "checkbox", region, before.crop(region), target=target, checked=element.checked
            )
        elif toggles and element is not None and element.kind is ElementKind.RADIO:
            group = _radio_group(state, element) if state is not None else [element]
            prev = next((e for e in group if e.checked), None)
            union = region
            for e in group:
                union = union.union(e.box.expand(_REGION_PAD))
            undo = UndoRecord(
                "radio",
                union,
                before.crop(union),
                target=target,
                checked=element.checked,
                previous_radio=(
                    ResolvedTarget.from_element(Target(element_id=prev.id), prev)
                    if prev is not None
                    else None
                ),
            )
        self.backend.click(*centre, button=action.button, count=action.count)
        res = self._finish(
            action, before, region, target, undo, undo is None, f"clicked {target.describe()}"
        )
        self._late_look(res, before, region)
        assert res.after is not None
        if kind in TOGGLES and action.button == "left" and action.count == 1:
            assert kind is not None and element is not None
            now = self._toggle_state(before, res.after, target, element.checked)
            res.proof = toggle_proof(kind, element.checked, now, action.checked)
            unchanged = res.verification is not None and not res.verification.region_changed
            if res.proof.proven and unchanged and element.checked and target.confidence < 0.9:
                # An already selected radio that only loosely matches what was asked for
                # ("Large" found in a group read as one element): the click proves nothing.
                res.proof = Proof(False, f"the {kind.value} asked for to be selected",
                                  "the click changed nothing, and what it hit only loosely "
                                  "matches what was asked for")  # fmt: skip
        else:
            in_scope = (
                _changed_in(before, res.after, scope) if scope is not None
                else bool(res.verification and res.verification.changed)
            )  # fmt: skip
            res.proof = click_proof(element, in_scope, new_window=False)
        return res

    def _read_field(self, element: Element | None, before: Frame, box: Rect) -> str | None:
        """A field's content by OCR on ``before`` (when it could not be copied): a best
        effort; None when it shows only echo characters (a password field's bullets:
        retyping bullets would "verify" pixel for pixel while restoring the wrong secret,
        so such a field is not undoable)."""
        fresh = _element_for(self.perceiver.perceive(before), box.as_tuple())
        el = fresh if fresh is not None else element
        text = el.text if el is not None else ""
        return None if is_masked(text) else text

    def probe_field(self, target: ResolvedTarget, *, click: bool = True) -> FieldProbe:
        """Whether the field at ``target`` masks what is typed into it, and what it holds:
        click it, put the caret at the end, type one space, copy the whole content, erase
        the space. The field ends as it was, focused, caret at the end.

        A masked field refuses the copy and draws a bullet for the space; a plain one hands
        over its text plus the space (exact, and at once: no waiting to tell "empty" from
        "nothing arrived"). Without a clipboard tool the bullet alone decides. The input is
        a click into a field and a space taken back, nothing a gate would ask about; it lets
        a field whose label says nothing be known secret before its text is typed, shown or
        stored."""
        box = Rect(*target.box).clip(self.capture_box())
        if click:
            self.backend.move(*target.center)
            self.backend.click(*target.center)
        self._caret_to_end()
        before = self.capture.grab(region=box) if not box.is_empty() else None
        self.backend.keys("space")
        text: str | None = None
        copied = False
        if self.use_clipboard:
            got = self._copy_all(0.3)
            if got is not None:
                copied = True
                text = got[:-1] if got.endswith(" ") else None
        masked = False
        if before is not None and not copied:
            now = self._wait_for_change(box, before)
            glyphs = echo_glyphs(before.pixels, now.pixels, strict=not self.use_clipboard)
            masked = glyphs > 0
        self.backend.hotkey("backspace")
        found = FieldProbe(masked, text)
        self._probed = {target.box: found}
        return found

    def _copy_all(self, timeout: float) -> str | None:
        """Select all and copy: the focused field's text, or None when nothing arrived (the
        field refused the copy). The clipboard is restored and the selection dropped."""
        sentinel = f"gui-agent-sentinel-{time.monotonic_ns()}"
        try:
            saved = clipboard.paste()
            clipboard.copy(sentinel)
        except Exception:  # no clipboard after all: the caller falls back to the pixels
            return None
        self.backend.keys("ctrl+a", "ctrl+c")
        got = _poll(clipboard.paste, lambda v: v != sentinel, timeout)
        with contextlib.suppress(Exception):
            clipboard.copy(saved)
        self._caret_to_end()  # drop the selection: a key typed now must not replace it
        return None if got == sentinel else got

    def _caret_to_end(self) -> None:
        """Caret to the very end, selection dropped: ctrl+End ends a text area (and a web or
        GTK field); a Qt line edit ignores it, and End does it there."""
        self.backend.keys("ctrl+end", "end")

    def _wait_for_change(self, box: Rect, before: Frame) -> Frame:
        """The region once it changed after a keystroke (or as it is after ``_PROBE_WAIT``)."""
        deadline = time.monotonic() + _PROBE_WAIT
        now = before
        while time.monotonic() < deadline:
            time.sleep(_SETTLE_POLL)
            now = self.capture.grab(region=box)
            if changed_fraction(before, now, threshold=8) > 0.0:
                time.sleep(_SETTLE_POLL)
                return self.capture.grab(region=box)
        return now

    def _read_back(self, after: Frame, box: Rect) -> str | None:
        """What a field shows after typing, read by OCR from ``after`` (no input sent: the
        clipboard would cost a select-all, a copy and its round trips). Detection first:
        recognition alone over a wide, mostly empty field misreads short words."""
        r = box.clip(after.box)
        if r.is_empty():
            return None
        return " ".join(line.text for line in self.perceiver.ocr.read(after.crop(r).pixels))

    def capture_box(self) -> Rect:
        try:
            return self.capture.virtual_desktop()
        except Exception:  # a capture without a desktop box (a test double): no clipping
            return Rect(0, 0, 1 << 16, 1 << 16)

    def _type(
        self,
        action: Type,
        target: ResolvedTarget | None,
        elements: list[Element | None],
        seen: Frame | None,
    ) -> ExecutionResult:
        element = elements[0] if elements else None
        prev: str | None = None
        source: TextSource = "ocr"
        undo = None
        if target is None:
            before = self.settle()
        else:
            before = self._prepare(target.center)
            self.recheck(target, seen, before)
            region = Rect(*target.box).expand(2)
            probed = self._probed.pop(target.box, None)
            self.backend.click(*target.center)
            if not action.secret:
                if probed is None:  # not probed before the gate (ask mode): probe now
                    probed = self.probe_field(target, click=False)
                    self._probed.clear()
                else:
                    self._caret_to_end()  # the click moved the caret
                if probed.masked:
                    raise SecretFieldFound(
                        f"{target.describe()} masks what is typed into it: the text is a secret"
                    )
                prev, source = probed.text, "clipboard"
                if prev is None:
                    prev, source = self._read_field(element, before, region), "ocr"
            # A secret or masked field cannot be read back, so it is not undone.
            if not action.secret and prev is not None:
                focused = self.settle()  # the field as it looks focused, before typing
                undo = UndoRecord(
                    "type",
                    region,
                    focused.crop(region),
                    target=target,
                    previous_text=prev,
                    source=source,
                )
        if action.clear:
            self.backend.hotkey("ctrl", "a")
            if not action.text:
                self.backend.hotkey("delete")
        if action.text:
            self.backend.type(action.text)
        where = target.describe() if target is not None else "the focused element"
        region_v = Rect(*target.box).expand(_REGION_PAD) if target is not None else None
        res = self._finish(
            action, before, region_v, target, undo, undo is None, f"typed into {where}"
        )
        changed = bool(res.verification and res.verification.changed)
        after_text: str | None = None
        if not action.secret and target is not None:
            assert res.after is not None
            after_text = self._read_back(res.after, Rect(*target.box))
        res.proof = typed_proof(prev, action.text, after_text, exact=False, clear=action.clear,
                                secret=action.secret, changed=changed)  # fmt: skip
        deadline = time.monotonic() + _LATE
        while not res.proof.proven and target is not None and time.monotonic() < deadline:
            # A busy app paints typed text late: look again before calling it unproven.
            time.sleep(_SETTLE_POLL * 4)
            res.after = self.settle()
            res.verification = self._verify(before, res.after, region_v)
            changed = res.verification.changed
            if not action.secret:
                after_text = self._read_back(res.after, Rect(*target.box))
            res.proof = typed_proof(prev, action.text, after_text, exact=False,
                                    clear=action.clear, secret=action.secret,
                                    changed=changed)  # fmt: skip
        if undo is not None and res.after is not None:
            undo.after = res.after.crop(undo.region)
        return res

    def _hotkey(self, action: Hotkey) -> ExecutionResult:
        before = self.settle()
        self.backend.hotkey(*action.keys)
        res = self._finish(action, before, None, None, None, True, f"pressed {action.combo}")
        if frozenset(action.keys) not in INVISIBLE_KEYS:
            self._late_look(res, before, None)
        changed = bool(res.verification and res.verification.changed)
        invisible = frozenset(action.keys) in INVISIBLE_KEYS
        res.proof = Proof(changed or invisible, "the screen to react",
                          "it changed" if changed else "it shows nothing (not visible)"
                          if invisible else "nothing changed")  # fmt: skip
        return res

    def _scroll(self, action: Scroll, target: ResolvedTarget | None) -> ExecutionResult:
        point = target.center if target is not None else self.backend.position()
        before = self._prepare(point)
        region = Rect(*target.box) if target is not None else before.box
        notches = 0
        found = action.until_text is None
        steps = 1 if action.until_text is None else action.max_steps
        for _ in range(steps):
            if action.until_text is not None and self.observe()[1].has_text(action.until_text):
                found = True
                break
            self.backend.scroll(-action.amount, *point)  # ours: +down; pyautogui: +up
            notches += action.amount
            if action.until_text is not None:
                self.settle()
        if not found and action.until_text is not None:
            found = self.observe()[1].has_text(action.until_text)
        undo = UndoRecord(
            "scroll",
            region,
            before.crop(region),
            target=target,
            scroll_notches=notches,
            point=point,
        )
        res = self._finish(
            action, before, region, target, undo, False, f"scrolled {notches:+d} notches"
        )
        if not found:
            res.ok = False
            res.message = f"'{action.until_text}' did not appear; {res.message}"
        moved = bool(res.verification and res.verification.changed)
        if action.until_text is not None:
            res.proof = Proof(found, "the awaited text on screen",
                              "it is there" if found else "it did not appear")  # fmt: skip
        else:
            res.proof = Proof(
                moved,
                "the view to move",
                "it moved" if moved else "nothing moved (already at the end?)",
            )
        return res

    def _drag(
        self, action: Drag, src: ResolvedTarget, dst: ResolvedTarget, seen: Frame | None
    ) -> ExecutionResult:
        before = self._prepare(src.center)
        self.recheck(src, seen, before)
        region = Rect(*src.box).union(Rect(*dst.box)).expand(_REGION_PAD)
        undo = UndoRecord(
            "drag",
            region,
            before.crop(region),
            target=src,
            drag_from=src.center,
            drag_to=dst.center,
        )
        self.backend.drag(src.center, dst.center)
        res = self._finish(
            action,
            before,
            region,
            src,
            undo,
            False,
            f"dragged {src.describe()} to {dst.describe()}",
        )
        changed = bool(res.verification and res.verification.changed)
        res.proof = Proof(changed, "the drag to move something",
                          "something moved" if changed else "nothing changed")  # fmt: skip
        return res

    def _wait(self, action: Wait, t0: float) -> ExecutionResult:
        # Waits check the stop switch as they go: a stop must not sit out a long wait.
        if action.seconds is not None:
            end = time.monotonic() + action.seconds
            while (left := end - time.monotonic()) > 0:
                self.backend.check()
                time.sleep(min(left, 0.1))
            return ExecutionResult(action, True, f"waited {action.seconds:g} s",
                                   proof=Proof(True, "time to pass", "it did"))  # fmt: skip
        assert action.until_text is not None
        deadline = time.monotonic() + action.timeout
        while True:
            self.backend.check()
            if self.observe()[1].has_text(action.until_text):
                return ExecutionResult(
                    action,
                    True,
                    f"'{action.until_text}' appeared",
                    seconds=time.perf_counter() - t0,
                    proof=Proof(True, "the awaited text on screen", "it appeared"),
                )
            if time.monotonic() > deadline:
                return ExecutionResult(
                    action,
                    False,
                    f"'{action.until_text}' did not appear within {action.timeout:g} s",
                    seconds=time.perf_counter() - t0,
                    proof=Proof(False, "the awaited text on screen", "it did not appear"),
                )
            time.sleep(0.2)


def _changed_in(before: Frame, after: Frame, region: Rect) -> bool:
    r = region.clip(after.box)
    return not r.is_empty() and changed_fraction(before.crop(r), after.crop(r), tile=8) > 0.0


def _same_control(target: ResolvedTarget, el: Element) -> bool:
    """Whether ``el`` (found at the target's point now) is the control that was resolved:
    the same words (OCR may read a letter differently) and a box at the same place."""
    from rapidfuzz import fuzz

    from gui_agent.textnorm import normalize

    if el.box.iou(Rect(*target.box)) < 0.3 and not Rect(*target.box).contains(el.box):
        return False
    if el.kind in EDITABLE or target.kind in {k.value for k in EDITABLE}:
        # A field's text is its content, which hovering does not change but typing does:
        # a text box is the same text box where it was.
        return el.kind.value == target.kind or el.kind in EDITABLE
    a, b = normalize(target.text), normalize(el.text)
    if _letters(a) < 2 and _letters(b) < 2:
        # Icons: OCR reads their glyphs as noise that differs between frames ("旬", "@"),
        # so an icon is the same icon where it was, of a pressable kind.
        same_kind = el.kind.value == target.kind or {el.kind.value, target.kind} <= _PRESSABLE
        return same_kind and el.box.iou(Rect(*target.box)) >= 0.5
    return fuzz.ratio(a.replace(" ", ""), b.replace(" ", "")) >= 80


_PRESSABLE = {"button", "icon", "link", "menu_item", "tab", "text"}


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def _poll(get: Callable[[], T], ok: Callable[[T], bool], timeout: float) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = get()
        if ok(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.02)
