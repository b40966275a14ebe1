"""What an accessibility source returns: platform-neutral nodes, already on the desktop's
pixel grid, and the interface every platform's source implements."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from gui_agent.geometry import Rect
from gui_agent.perception.state import ElementKind


@dataclass(frozen=True, slots=True)
class A11yNode:
    """One control as its app describes it.

    ``kind`` is the role mapped to our kinds (None: a role we do not click, such as a panel
    or a filler; such nodes are kept out of the snapshot). ``box`` is in virtual-desktop
    pixels as the app reported it, which some toolkits get wrong (fusion checks it against
    the pixels). ``states`` holds lower-case AT-SPI-style names: checked, selected, focused,
    editable, enabled, secret, expanded, showing, visible, multi_line...
    """

    role: str
    kind: ElementKind
    name: str
    box: Rect
    states: frozenset[str] = frozenset()
    description: str = ""
    value: str = ""
    app: str = ""
    # where the source can ask about this node again (AT-SPI: its object path on ``app``)
    path: str = ""

    @property
    def checked(self) -> bool | None:
        if self.kind in (ElementKind.CHECKBOX, ElementKind.RADIO, ElementKind.TOGGLE):
            return "checked" in self.states
        return None

    @property
    def secret(self) -> bool:
        return "secret" in self.states


@dataclass(slots=True)
class A11ySnapshot:
    """The nodes read for one frame, and how the read went (for doctor and the bench)."""

    nodes: list[A11yNode] = field(default_factory=list)
    apps: list[str] = field(default_factory=list)
    seconds: float = 0.0
    complete: bool = True  # False: the time bound cut the read short
    error: str = ""


class AccessibilitySource(Protocol):
    """Reads the controls of the windows on screen within ``budget`` seconds.

    Never raises for a missing, slow or broken bus: it returns a snapshot with ``error`` set
    (and no nodes), so a frame is never lost to the tree; perception then runs on pixels
    alone.
    """

    def read(self, budget: float) -> A11ySnapshot: ...

    def refresh(self, nodes: list[A11yNode], budget: float) -> A11ySnapshot:
        """The same ``nodes`` read again (state, name, box), for an incremental pass: where
        the screen changed a little, what was there is asked about, not the whole tree.
        Nodes that are gone or hidden now are left out."""
        ...

    def close(self) -> None: ...
