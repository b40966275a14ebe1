"""The session's secrets: known values, held in memory only, and scrubbed from everything else.

A secret enters a session three ways: as a literal in the goal next to a secret word
("type 'S3cr3t' into Password"), as text typed into a field found to be secret (its label,
its masking), or as a demo parameter marked secret. From the moment the session knows a
value is secret, nothing it stores or prints may contain it: journal rows (also those written
before, see ``Journal.redact_values``), event messages, reports, the outcome line, and what
an LLM planner is sent. An LLM is never sent the value at all: the goal it sees names the
secret by a placeholder (``{secret1}``) and the session types the value when the model asks
for that placeholder.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

from gui_agent.control.policy import Policy
from gui_agent.planning.actions import SECRET_MASK, Action, Type

__all__ = ["PLACEHOLDER_RE", "SecretVault", "secret_literals"]

PLACEHOLDER_RE = re.compile(r"\{(secret\d+)\}")
_QUOTED = re.compile(r"""'([^']+)'|"([^"]+)"|‘([^’]+)’|“([^”]+)”|«([^»]+)»""")
# Clause boundaries: a literal belongs to the words of its own clause.
_CLAUSE = re.compile(r"[;,]|\.\s|\bthen\b|\band\b", re.IGNORECASE)


def secret_literals(goal: str, policy: Policy) -> list[str]:
    """Quoted literals of ``goal`` whose own clause names a secret ("... 'S3cr3t' into the
    Password field", "the PIN with '1234'")."""
    found = []
    for m in _QUOTED.finditer(goal):
        value = next(g for g in m.groups() if g is not None)
        start = max((b.end() for b in _CLAUSE.finditer(goal, 0, m.start())), default=0)
        stop = next((b.start() for b in _CLAUSE.finditer(goal, m.end())), len(goal))
        clause = goal[start : m.start()] + " " + goal[m.end() : stop]
        if policy.secret_word(clause):
            found.append(value)
    return found


class SecretVault:
    """Secret values of one session, each with a placeholder; thread-safe.

    ``on_add`` is told of each new value (the journal registers it for scrubbing, including
    rows written before).
    """

    def __init__(self, on_add: Callable[[str], None] | None = None) -> None:
        self._lock = threading.Lock()
        self._by_name: dict[str, str] = {}
        self._listeners: list[Callable[[str], None]] = [on_add] if on_add else []

    def listen(self, on_add: Callable[[str], None]) -> None:
        with self._lock:
            values = list(self._by_name.values())
            self._listeners.append(on_add)
        for v in values:
            on_add(v)

    def add(self, value: str) -> str:
        """Register ``value`` as secret; returns its placeholder name. Empty values are
        ignored (they would match everywhere)."""
        if not value:
            return ""
        with self._lock:
            for name, v in self._by_name.items():
                if v == value:
                    return name
            name = f"secret{len(self._by_name) + 1}"
            self._by_name[name] = value
            listeners = list(self._listeners)
        for listener in listeners:
            listener(value)
        return name

    def values(self) -> list[str]:
        with self._lock:
            return list(self._by_name.values())

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and value in self.values()

    def scrub(self, text: str) -> str:
        """``text`` with every secret value replaced by the mask (longest first)."""
        for v in sorted(self.values(), key=len, reverse=True):
            if v in text:
                text = text.replace(v, SECRET_MASK)
        return text

    def placeholders(self, text: str) -> str:
        """``text`` with every secret value replaced by its ``{secretN}`` placeholder: what an
        LLM may see of a goal."""
        with self._lock:
            items = sorted(self._by_name.items(), key=lambda kv: len(kv[1]), reverse=True)
        for name, v in items:
            text = text.replace(v, "{" + name + "}")
        return text

    def fill(self, action: Action) -> Action:
        """A ``Type`` whose text names placeholders gets the values, and is marked secret."""
        if not isinstance(action, Type) or not PLACEHOLDER_RE.search(action.text):
            return action
        with self._lock:
            known = dict(self._by_name)
        if not any(name in known for name in PLACEHOLDER_RE.findall(action.text)):
            return action
        text = PLACEHOLDER_RE.sub(lambda m: known.get(m.group(1), m.group(0)), action.text)
        return action.model_copy(update={"text": text, "secret": True})

    def mark(self, action: Action) -> Action:
        """A ``Type`` that types a known secret value is secret, however it was planned."""
        if isinstance(action, Type) and not action.secret and action.text in self:
            return action.model_copy(update={"secret": True})
        return action
