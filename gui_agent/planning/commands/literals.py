"""Quoted literals: masked out of a goal before it is split, put back when targets are built.

Quoted text is the one thing in a goal the planner must never reinterpret (a label such as
"Save, then close" holds a separator), so every quote style people type is recognised
('…', "…", ‘…’, “…”, „…“, «…», ‹…›) and replaced by an opaque token while the sentence
is split and its verbs read. Labels go to the locator with plain double quotes, whatever
style the goal used, because that is what ``perception.locate`` reads as "exact text".
"""

from __future__ import annotations

import re

from gui_agent.planning.commands.errors import UnparsedCommand

__all__ = ["TOKEN_RE", "Literals"]

# A quote opens at the start or after whitespace, "(" or "/" and closes before the end,
# whitespace, punctuation or "/", so apostrophes inside words ("don't", "Bob's") are not quotes.
_QUOTE_RE = re.compile(
    r"""(?:^|(?<=[\s(/]))(?:'(?P<a>.*?)'|"(?P<b>.*?)"|‘(?P<c>.*?)[’‘]|“(?P<d>.*?)[”“]"""
    r"""|„(?P<e>.*?)[“”]|«\s?(?P<f>.*?)\s?»|‹(?P<g>.*?)›)(?=$|[\s,.;:!?)/])""",
    re.DOTALL,
)
_OPEN_QUOTE_RE = re.compile(r"""(?:^|(?<=[\s(/]))['"‘“„«‹]""")
TOKEN_RE = re.compile(r"\x01(\d+)\x02")


class Literals:
    """Quoted spans of one goal, masked out as ``\\x01N\\x02`` tokens while we split."""

    def __init__(self, goal: str) -> None:
        self.items: list[tuple[str, str]] = []  # (text inside, text as the locator reads it)

        def repl(m: re.Match[str]) -> str:
            inner = next(g for g in m.group("a", "b", "c", "d", "e", "f", "g") if g is not None)
            quoted = m.group(0)
            if quoted[0] not in "'\"":  # typographic quotes -> plain ones for the locator
                quoted = f'"{inner}"' if '"' not in inner else f"'{inner}'"
            self.items.append((inner, quoted))
            return f"\x01{len(self.items) - 1}\x02"

        self.masked = _QUOTE_RE.sub(repl, goal)
        if _OPEN_QUOTE_RE.search(self.masked):
            raise UnparsedCommand(
                goal.strip(), goal, "a quote is not closed; close it with the same quote mark"
            )

    def restore(self, s: str) -> str:
        """``s`` with tokens put back, quotes included (for element queries and messages)."""
        return TOKEN_RE.sub(lambda m: self.items[int(m.group(1))][1], s)

    def text(self, s: str) -> str:
        """Literal text: a lone quoted span loses its quotes; anything else is restored."""
        m = TOKEN_RE.fullmatch(s.strip())
        if m:
            return self.items[int(m.group(1))][0]
        return self.restore(s.strip())

    def inner(self, s: str) -> str | None:
        """The text inside ``s`` when ``s`` is one quoted span, else None."""
        m = TOKEN_RE.fullmatch(s.strip())
        return self.items[int(m.group(1))][0] if m else None

    def is_literal(self, s: str) -> bool:
        return TOKEN_RE.fullmatch(s.strip()) is not None
