"""AT-SPI role and state names -> our element kinds and state words.

Roles come from ``GetRoleName`` (stable strings, e.g. "push button", "password text") rather
than the numeric enum, which has shifted between AT-SPI releases.
"""

from __future__ import annotations

from gui_agent.perception.state import ElementKind

ROLE_KINDS: dict[str, ElementKind] = {
    "push button": ElementKind.BUTTON,
    "button": ElementKind.BUTTON,
    "toggle button": ElementKind.TOGGLE,
    "switch": ElementKind.TOGGLE,
    "check box": ElementKind.CHECKBOX,
    "check menu item": ElementKind.MENU_ITEM,
    "radio button": ElementKind.RADIO,
    "radio menu item": ElementKind.MENU_ITEM,
    "menu item": ElementKind.MENU_ITEM,
    "menu": ElementKind.MENU_ITEM,
    "combo box": ElementKind.COMBO,
    "text": ElementKind.FIELD,
    "entry": ElementKind.FIELD,
    "password text": ElementKind.FIELD,
    "spin button": ElementKind.FIELD,
    "date editor": ElementKind.FIELD,
    "editbar": ElementKind.FIELD,
    "terminal": ElementKind.FIELD,
    "page tab": ElementKind.TAB,
    "slider": ElementKind.SLIDER,
    "scroll bar": ElementKind.SCROLLBAR,
    "link": ElementKind.LINK,
    "list item": ElementKind.TEXT,
    "table cell": ElementKind.TEXT,
    "tree item": ElementKind.TEXT,
    "label": ElementKind.TEXT,
    "static": ElementKind.TEXT,
    "heading": ElementKind.TEXT,
    "icon": ElementKind.ICON,
    "image": ElementKind.ICON,
    "list": ElementKind.LIST,
    "list box": ElementKind.LIST,
}

# AtspiStateType, by bit position in GetState's two 32-bit words.
STATE_NAMES: dict[int, str] = {
    1: "active",
    4: "checked",
    5: "collapsed",
    7: "editable",
    8: "enabled",
    9: "expandable",
    10: "expanded",
    11: "focusable",
    12: "focused",
    17: "multi_line",
    20: "pressed",
    22: "selectable",
    23: "selected",
    24: "sensitive",
    25: "showing",
    26: "single_line",
    30: "visible",
    32: "indeterminate",
    39: "is_default",
    41: "checkable",
    43: "read_only",
}


def state_names(words: list[int] | tuple[int, ...]) -> frozenset[str]:
    out = set()
    for bit, name in STATE_NAMES.items():
        word = bit // 32
        if word < len(words) and words[word] >> (bit % 32) & 1:
            out.add(name)
    return frozenset(out)


def kind_of(role: str, states: frozenset[str]) -> ElementKind | None:
    """Our kind for an AT-SPI role; a pressed toggle-like "push button" stays a button. A
    "text" that is not editable is a static text (GTK labels are "label", but Qt and
    Chromium use "text" for read-only runs too)."""
    kind = ROLE_KINDS.get(role)
    if kind is ElementKind.FIELD and role in ("text", "terminal") and "editable" not in states:
        return ElementKind.TEXT
    if kind is ElementKind.TOGGLE and "checkable" not in states and role == "toggle button":
        return ElementKind.BUTTON
    return kind
