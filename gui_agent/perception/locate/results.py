"""What a look-up returns: the chosen element with its evidence, or an error naming the
closest candidates, so a caller (or a person) can trust, question or correct it."""

from __future__ import annotations

from dataclasses import dataclass

from gui_agent.errors import GuiAgentError
from gui_agent.perception.state import Element, ElementKind

K = ElementKind


@dataclass(frozen=True)
class Match:
    """One scored candidate; ``reason`` says in words why it scored what it did."""

    element: Element
    score: float
    reason: str


@dataclass(frozen=True)
class LocateResult:
    """The chosen element plus the evidence a caller needs to trust or question it.

    ``confidence`` is the match score, lowered when the choice was ambiguous (several equally
    good matches and no ordinal to pick between them); ``runners_up`` are the next best
    matches, best first, so a planner can offer alternatives.
    """

    element: Element
    confidence: float
    runners_up: list[Match]
    query: str
    reason: str = ""
    ambiguous: bool = False


class TargetNotFound(GuiAgentError):
    """No element matches a query well enough; carries the closest candidates for a person."""

    def __init__(
        self,
        query: str,
        candidates: list[Match] | None = None,
        *,
        detail: str = "",
        names: list[str] | None = None,
    ) -> None:
        self.query = query
        self.candidates: list[Match] = list(candidates or [])
        self.detail = detail
        shown = names if names is not None else [_describe(m.element, "") for m in self.candidates]
        shown_query = f'"{query}"' if "'" in query else f"'{query}'"
        head = f"no element matches {shown_query}"
        if detail:
            head += f" ({detail})"
        if self.candidates:
            closest = ", ".join(
                f"{name} ({m.score:.2f})" for name, m in zip(shown, self.candidates, strict=False)
            )
        else:
            closest = "nothing similar on screen"
        super().__init__(f"{head}; closest: {closest}")


def _describe(e: Element, name: str) -> str:
    if e.text.strip() and e.kind not in (K.FIELD, K.COMBO):
        return f"'{e.text}' {e.kind.value} #{e.id}"
    if name.strip():
        return f"{e.kind.value} #{e.id} labelled '{name}'"
    if e.text.strip():
        return f"{e.kind.value} #{e.id} containing '{e.text}'"
    return f"{e.kind.value} #{e.id}"
