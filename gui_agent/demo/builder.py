"""Turn a stream of raw input events into demo steps of the shared action schema.

Kept apart from the listeners so the merging rules (a double-click is one step, key presses
become one ``type`` step, modifier chords become ``hotkey`` steps, a press and a release far
apart are a drag, wheel notches in a row are one scroll) can be read and tested on their own.
The builder asks a ``describe`` callback for each target, with the frame taken just before
the input, and never sees a secret: text typed into a password-like field is replaced by a
parameter placeholder at the moment the step is made.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from gui_agent.demo.format import DemoStep, TargetDescription
from gui_agent.demo.targets import Described, label_of, looks_secret
from gui_agent.geometry import Point
from gui_agent.planning.actions import Click, Drag, Hotkey, Scroll, Target, Type

DOUBLE_CLICK_S = 0.45
DOUBLE_CLICK_PX = 6
DRAG_PX = 10
SCROLL_MERGE_S = 1.0
MODIFIERS = ("ctrl", "alt", "shift", "win")
# Keys that end a run of typed text and are recorded as key presses of their own.
_TEXT_KEYS = {"space": " "}


@dataclass(frozen=True)
class MouseEvent:
    kind: str  # press | release
    x: int
    y: int
    button: str
    t: float
    frame_ref: object = None  # what describe() needs to see the screen before the event


@dataclass(frozen=True)
class WheelEvent:
    x: int
    y: int
    notches_down: int
    t: float
    frame_ref: object = None


@dataclass(frozen=True)
class KeyEvent:
    key: str  # a character, or a canonical key name (enter, backspace, ctrl, ...)
    pressed: bool
    t: float


Describe = Callable[[Point, object, str], Described]


@dataclass
class DemoBuilder:
    describe: Describe
    steps: list[DemoStep] = field(default_factory=list)
    crops: dict[str, bytes] = field(default_factory=dict)
    _held: set[str] = field(default_factory=set)
    _text: list[str] = field(default_factory=list)
    _text_t: float = 0.0
    _press: MouseEvent | None = None
    _press_desc: Described | None = None
    _last_t: float | None = None
    _last_click: tuple[MouseEvent, int] | None = None  # (event, index of its step)
    _secret_count: int = 0

    # -- events ------------------------------------------------------------------------------
    def feed(self, event: MouseEvent | WheelEvent | KeyEvent) -> None:
        if isinstance(event, KeyEvent):
            self._key(event)
        elif isinstance(event, WheelEvent):
            self._wheel(event)
        elif event.kind == "press":
            self._flush_text()
            self._press = event
            self._press_desc = self._describe(event.x, event.y, event.frame_ref)
        else:
            self._release(event)

    def finish(self) -> list[DemoStep]:
        self._flush_text()
        return self.steps

    # -- mouse -------------------------------------------------------------------------------
    def _describe(self, x: int, y: int, frame_ref: object) -> Described:
        name = f"{len(self.crops) + 1:04d}.png"
        d = self.describe(Point(x, y), frame_ref, name)
        if d.crop_png is not None and d.description.crop:
            self.crops[d.description.crop] = d.crop_png
        return d

    def _release(self, event: MouseEvent) -> None:
        press, desc = self._press, self._press_desc
        self._press = self._press_desc = None
        if press is None or desc is None:
            return  # a release whose press came before recording started
        moved = abs(event.x - press.x) + abs(event.y - press.y)
        if moved > DRAG_PX and press.button == "left":
            dest = self._describe(event.x, event.y, press.frame_ref)
            drag = Drag(source=_query(desc.description), destination=_query(dest.description))
            self._add(drag, press.t, target=desc.description, source=desc.description,
                      destination=dest.description)  # fmt: skip
            self._last_click = None
            return
        last = self._last_click
        if (
            last is not None
            and last[0].button == press.button
            and press.t - last[0].t <= DOUBLE_CLICK_S
            and abs(press.x - last[0].x) <= DOUBLE_CLICK_PX
            and abs(press.y - last[0].y) <= DOUBLE_CLICK_PX
            and last[1] == len(self.steps) - 1
        ):
            step = self.steps[-1]
            assert isinstance(step.action, Click)
            count = min(step.action.count + 1, 3)
            action = step.action.model_copy(update={"count": count})
            self.steps[-1] = step.model_copy(update={"action": action})
            self._last_click = (press, last[1])
            return
        click = Click(target=_query(desc.description), button=press.button, count=1)  # type: ignore[arg-type]
        self._add(click, press.t, target=desc.description)
        self._last_click = (press, len(self.steps) - 1)

    def _wheel(self, event: WheelEvent) -> None:
        self._flush_text()
        prev = self.steps[-1] if self.steps else None
        if (
            prev is not None
            and isinstance(prev.action, Scroll)
            and self._last_t is not None
            and event.t - self._last_t <= SCROLL_MERGE_S
            and (prev.action.amount > 0) == (event.notches_down > 0)
        ):
            amount = prev.action.amount + event.notches_down
            self.steps[-1] = prev.model_copy(
                update={"action": prev.action.model_copy(update={"amount": amount})}
            )
            self._last_t = event.t
            return
        desc = self._describe(event.x, event.y, event.frame_ref)
        scroll = Scroll(amount=event.notches_down, target=_query(desc.description))
        self._add(scroll, event.t, target=desc.description)
        self._last_click = None

    # -- keyboard ----------------------------------------------------------------------------
    def _key(self, event: KeyEvent) -> None:
        key = event.key
        if key in MODIFIERS:
            (self._held.add if event.pressed else self._held.discard)(key)
            return
        if not event.pressed:
            return
        chord = [m for m in MODIFIERS if m in self._held and m != "shift"]
        if chord:
            self._flush_text()
            shifted = ["shift"] if "shift" in self._held else []
            self._add(Hotkey(keys=[*chord, *shifted, key.lower()]), event.t)
            self._last_click = None
            return
        if len(key) == 1 or key in _TEXT_KEYS:
            if not self._text:
                self._text_t = event.t
            self._text.append(_TEXT_KEYS.get(key, key))
            return
        if key == "backspace" and self._text:
            self._text.pop()
            return
        self._flush_text()
        self._add(Hotkey(keys=[key]), event.t)
        self._last_click = None

    def _flush_text(self) -> None:
        if not self._text:
            return
        text = "".join(self._text)
        self._text = []
        into: TargetDescription | None = None
        prev = self.steps[-1] if self.steps else None
        # "click a field, then type" is one typing step into that field: playback clicks it
        # first anyway, and a demo that reads like the person's intent is easier to edit.
        if (
            prev is not None
            and isinstance(prev.action, Click)
            and prev.action.count == 1
            and prev.action.button == "left"
            and prev.targets.get("target") is not None
            and prev.targets["target"].kind in ("field", "combo")
        ):
            into = prev.targets["target"]
            self.steps.pop()
        secret = into is not None and looks_secret(into)
        if secret:
            self._secret_count += 1
            name = label_of(into) if into is not None else ""
            name = name or f"secret{self._secret_count}"
            text = "{" + name + "}"
        action = Type(text=text, target=_query(into) if into else None, secret=secret)
        self._add(action, self._text_t, target=into)
        self._last_click = None

    def _add(self, action: object, t: float, **targets: TargetDescription | None) -> None:
        delay = 0.0 if self._last_t is None else max(0.0, t - self._last_t)
        self._last_t = t
        roles = {k: v for k, v in targets.items() if v is not None}
        if "source" in roles:
            roles.pop("target", None)
        self.steps.append(DemoStep.model_validate({"action": action, "targets": roles,
                                                   "delay": round(delay, 3)}))  # fmt: skip


def _query(desc: TargetDescription) -> Target:
    """The target in words, as a person would say it: the demo stays readable, and playback
    re-locates it by these words first."""
    text = " ".join(desc.text.split())
    kind = {"field": "field", "button": "button", "checkbox": "checkbox", "radio": "radio",
            "icon": "icon", "menu_item": "menu item", "combo": "combo box", "link": "link",
            "list": "list"}.get(desc.kind, "")  # fmt: skip
    if text and kind:
        return Target(query=f"{kind} '{text}'" if "'" not in text else f'{kind} "{text}"')
    if text:
        return Target(query=f"'{text}'" if "'" not in text else f'"{text}"')
    for n in desc.neighbours if kind else []:
        label = " ".join(n.text.split())
        if n.dx > 0 and abs(n.dy) <= 15:
            return Target(query=f"the {kind} right of {label}")
        if n.dy > 0 and abs(n.dx) <= 200:
            return Target(query=f"the {kind} below {label}")
    if kind:
        return Target(query=f"the {kind} at {desc.point[0]},{desc.point[1]}")
    return Target(query=f"the point {desc.point[0]},{desc.point[1]}")
