"""The gate's knowledge as data: ``risk_policy.toml`` (built in) plus the user's additions.

Keeping the vocabulary in a file a person can read is the point: what the gate treats as
destructive, as a secret, as a harmless key, is not buried in code, and a user extends it
with a ``risk_policy.toml`` of the same shape in the config folder. User files only add; a
built-in entry cannot be removed, so a copied config can never quietly disarm the gate.

Every word is compiled into a whole-word pattern over *normalised* text
(``gui_agent.textnorm``), so look-alike spellings match too.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from gui_agent.errors import GuiAgentError
from gui_agent.textnorm import normalize

__all__ = ["Effect", "Policy", "PolicyError", "default_policy", "load_policy", "word_regex"]

POLICY_FILE = "risk_policy.toml"
# Small words that may sit inside a phrase: "place order" matches "Place your order".
_FILLER = r"[\s\-_]+(?:your|my|the|this|these|a|an|all|it)"
_JOIN = r"[\s\-_]+"


class PolicyError(GuiAgentError):
    """A risk policy file cannot be read; the message names the file and the cause."""


def word_regex(term: str) -> re.Pattern[str]:
    """Whole-word pattern for ``term`` over normalised text: its words may be joined by
    spaces, hyphens or underscores ("sign-out"), a filler word may sit between them ("place
    your order"), and a letter or digit next to the term breaks the match ("Undelete")."""
    parts = [re.escape(w) for w in normalize(term).split()]
    body = parts[0] + "".join(rf"(?:{_FILLER})?{_JOIN}{p}" for p in parts[1:])
    return re.compile(rf"(?<![a-z0-9]){body}(?![a-z0-9])")


@dataclass(frozen=True)
class Effect:
    """One family of words with the effect they name."""

    effect: str
    words: tuple[str, ...]
    irreversible: bool
    close: bool = False
    patterns: tuple[tuple[str, re.Pattern[str]], ...] = field(default=(), repr=False)

    def find(self, normalised: str) -> str | None:
        """The first word of this family in ``normalised`` text, else None."""
        for word, rx in self.patterns:
            if rx.search(normalised):
                return word
        return None


def _effect(entry: dict[str, Any], irreversible: bool, where: str) -> Effect:
    words = entry.get("words")
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise PolicyError(f"risk policy {where}: every effect needs a list of non-empty 'words'")
    effect = str(entry.get("effect", "is risky"))
    return Effect(
        effect, tuple(words), irreversible, bool(entry.get("close", False)),
        tuple((w, word_regex(w)) for w in words),
    )  # fmt: skip


def _phrases(words: list[str]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((w, word_regex(w)) for w in words)


@dataclass(frozen=True)
class Hotkey:
    keys: frozenset[str]
    effect: str
    irreversible: bool


@dataclass(frozen=True)
class Policy:
    """The compiled policy; build with ``load_policy`` or ``default_policy``."""

    effects: tuple[Effect, ...]
    affirmative: frozenset[str]
    negative: frozenset[str]
    prompt: tuple[tuple[str, re.Pattern[str]], ...]
    secrets: tuple[tuple[str, re.Pattern[str]], ...]
    icon_effects: dict[str, tuple[str, bool]]
    icon_close: frozenset[str]
    icon_harmless: frozenset[str]
    glyphs: dict[str, str]
    activate_keys: frozenset[frozenset[str]]
    navigate_keys: frozenset[frozenset[str]]
    edit_keys: frozenset[frozenset[str]]
    hotkeys: dict[frozenset[str], Hotkey]
    sources: tuple[str, ...] = ()

    # -- questions the gate asks ------------------------------------------------------------
    def effects_in(self, text: str) -> list[tuple[Effect, str]]:
        """Every effect family whose word appears in ``text``, with the word found."""
        norm = normalize(text)
        out = []
        for e in self.effects:
            word = e.find(norm)
            if word is not None:
                out.append((e, word))
        return out

    def label_sense(self, text: str) -> str | None:
        """ "affirmative" or "negative" when ``text`` is one of those generic labels."""
        norm = normalize(text).strip(" .!?:")
        if norm in self.affirmative:
            return "affirmative"
        if norm in self.negative:
            return "negative"
        return None

    def prompt_word(self, text: str) -> str | None:
        """A word that makes a window's question destructive ("cannot be undone")."""
        return _first_word(self.prompt, text)

    def secret_word(self, text: str) -> str | None:
        """A word that makes a field secret ("password", "PIN")."""
        return _first_word(self.secrets, text)

    def icon_name(self, text: str) -> str | None:
        """The icon an icon-only control's OCR text stands for ("×" -> "close"), else None."""
        t = text.strip()
        if not t:
            return None
        return self.glyphs.get(t) or self.glyphs.get(normalize(t))


def _first_word(words: tuple[tuple[str, re.Pattern[str]], ...], text: str) -> str | None:
    norm = normalize(text)
    return next((word for word, rx in words if rx.search(norm)), None)


def _keyset(combo: str) -> frozenset[str]:
    return frozenset(k.strip() for k in combo.lower().split("+") if k.strip())


def _read(path: Path | None) -> dict[str, Any]:
    try:
        if path is None:
            text = resources.files("gui_agent.control").joinpath(POLICY_FILE).read_text("utf-8")
        else:
            text = path.read_text(encoding="utf-8")
        return tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"cannot read risk policy {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"risk policy {path or POLICY_FILE} is not valid TOML: {exc}") from exc


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Additive merge: lists are concatenated, tables merged, nothing removed."""
    out = dict(base)
    for key, value in extra.items():
        if key in out and isinstance(out[key], list) and isinstance(value, list):
            out[key] = [*out[key], *value]
        elif key in out and isinstance(out[key], dict) and isinstance(value, dict):
            out[key] = _merge(out[key], value)
        elif key not in out:
            out[key] = value
        # a scalar that is already set stays: a user file cannot change a built-in value
    return out


def _compile(data: dict[str, Any], sources: tuple[str, ...]) -> Policy:
    where = " + ".join(sources)
    try:
        effects = tuple(
            [_effect(e, True, where) for e in data.get("irreversible", [])]
            + [_effect(e, False, where) for e in data.get("risky", [])]
        )
        labels = data.get("labels", {})
        icons = data.get("icons", {})
        keys = data.get("keys", {})
        icon_effects = {str(k): (str(v), True) for k, v in icons.get("irreversible", {}).items()}
        icon_effects.update({str(k): (str(v), False) for k, v in icons.get("risky", {}).items()})
        hotkeys = {}
        for h in data.get("hotkeys", []):
            ks = _keyset(str(h["keys"]))
            hotkeys[ks] = Hotkey(ks, str(h.get("effect", "is risky")), bool(h.get("irreversible")))
        return Policy(
            effects=effects,
            affirmative=frozenset(normalize(w) for w in labels.get("affirmative", [])),
            negative=frozenset(normalize(w) for w in labels.get("negative", [])),
            prompt=_phrases(list(data.get("prompt", {}).get("words", []))),
            secrets=_phrases(list(data.get("secrets", {}).get("words", []))),
            icon_effects=icon_effects,
            icon_close=frozenset(str(w) for w in icons.get("close", [])),
            icon_harmless=frozenset(str(w) for w in icons.get("harmless", [])),
            glyphs={str(k): str(v) for k, v in icons.get("glyphs", {}).items()},
            activate_keys=frozenset(_keyset(k) for k in keys.get("activate", [])),
            navigate_keys=frozenset(_keyset(k) for k in keys.get("navigate", [])),
            edit_keys=frozenset(_keyset(k) for k in keys.get("edit", [])),
            hotkeys=hotkeys,
            sources=sources,
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise PolicyError(f"risk policy {where} has an entry of the wrong shape: {exc}") from exc


def load_policy(extra: Path | None = None) -> Policy:
    """The built-in policy, plus ``extra`` (a user's ``risk_policy.toml``) when it exists."""
    data = _read(None)
    sources: tuple[str, ...] = ("built-in",)
    if extra is not None and extra.exists():
        data = _merge(data, _read(extra))
        sources = (*sources, str(extra))
    return _compile(data, sources)


@cache
def default_policy() -> Policy:
    """The built-in policy alone, compiled once."""
    return load_policy(None)
