"""What perception hands to the rest of the agent: elements with ids, boxes, kinds and text."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from gui_agent.geometry import Rect


class ElementKind(StrEnum):
    TEXT = "text"
    BUTTON = "button"
    FIELD = "field"
    CHECKBOX = "checkbox"
    RADIO = "radio"
    ICON = "icon"
    LINK = "link"
    MENU_ITEM = "menu_item"
    COMBO = "combo"
    TOGGLE = "toggle"
    SLIDER = "slider"
    TAB = "tab"
    SCROLLBAR = "scrollbar"
    LIST = "list"
    CONTAINER = "container"


@dataclass(frozen=True, slots=True)
class Element:
    """One thing on screen.

    ``id`` is stable within one ``ScreenState`` (reading order), so a planner can name it;
    across frames use the text/box, not the id. ``box`` is in virtual-desktop pixels.
    ``label_box`` is the text's own box when the element is larger than its text (a button).
    """

    id: int
    kind: ElementKind
    box: Rect
    text: str = ""
    confidence: float = 1.0
    label_box: Rect | None = None
    checked: bool | None = None
    # x of each character's centre when the recogniser placed them (text lines): lets a
    # word inside a line be clicked on its own. Empty when unknown.
    char_x: tuple[int, ...] = ()
    # What an icon-only control's pictogram means ("delete", "search"), named by the icon
    # classifier, and its score; empty when it is not an icon or could not be named.
    icon_name: str = ""
    icon_score: float = 0.0
    # Other meanings the pictogram may show, with the classifier's scores, best first: a
    # query that nothing names may still find its icon among them, below any named one.
    icon_guesses: tuple[tuple[str, float], ...] = ()
    # Who saw it: "vision" (pixels only), "a11y" (only the app's accessibility tree) or
    # "both". ``role`` is the tree's role ("push button", "password text"); ``secret`` is
    # the tree saying the field hides what is typed; ``enabled`` is None when unknown.
    source: str = "vision"
    role: str = ""
    # What the pixels read on it when the tree names it otherwise: the gate weighs both, so
    # a tree cannot hide the words a person sees ("Delete all" drawn, "OK" in the tree).
    seen_text: str = ""
    secret: bool = False
    enabled: bool | None = None
    focused: bool = False  # the tree says it has keyboard focus (vision cannot tell)

    def describe(self) -> str:
        label = f" '{self.text}'" if self.text else ""
        icon = f" ({self.icon_name} icon)" if self.icon_name else ""
        return (
            f"#{self.id} {self.kind.value}{label}{icon} at ({self.box.cx:.0f}, {self.box.cy:.0f})"
        )

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind.value,
            "box": list(self.box.as_tuple()),
            "text": self.text,
            "confidence": round(self.confidence, 3),
        }
        if self.checked is not None:
            d["checked"] = self.checked
        if self.icon_name:
            d["icon"] = self.icon_name
        if self.source != "vision":
            d["source"] = self.source
            d["role"] = self.role
        if self.secret:
            d["secret"] = True
        if self.enabled is False:
            d["enabled"] = False
        return d


@dataclass(slots=True)
class ScreenState:
    """A perceived frame: its elements in reading order and where the frame sits on the desktop."""

    elements: list[Element]
    frame_box: Rect
    timestamp: float = field(default_factory=time.time)
    timings: dict[str, float] = field(default_factory=dict)

    def by_id(self, element_id: int) -> Element:
        for e in self.elements:
            if e.id == element_id:
                return e
        raise KeyError(f"no element #{element_id} in this screen state")

    def of_kind(self, *kinds: ElementKind) -> list[Element]:
        return [e for e in self.elements if e.kind in kinds]

    def texts(self) -> list[str]:
        return [e.text for e in self.elements if e.text]

    def has_text(self, text: str) -> bool:
        """Whether ``text`` is on screen, ignoring case and spaces (OCR often drops spaces)."""
        want = "".join(text.lower().split())
        return any(want in "".join(t.lower().split()) for t in self.texts())

    def to_dict(self) -> dict[str, Any]:
        return {
            "frame_box": list(self.frame_box.as_tuple()),
            "elements": [e.to_dict() for e in self.elements],
        }
