"""User settings: one TOML file in the user config dir, plus the API key in the OS keyring.

The desktop app and the CLI must agree on what a person chose (planner, autonomy, risk rules)
without either owning the other, so the settings live here as one validated model. The file
is plain TOML so a person can read and edit it; the API key never goes into it, because
config files get copied, synced and pasted into bug reports; it lives in the keyring under
service :data:`KEYRING_SERVICE`, one entry per provider.

``GUI_AGENT_CONFIG_DIR`` overrides the directory (tests, portable installs).
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from pathlib import Path
from typing import Any, Literal

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from gui_agent.control.risk import Autonomy, RiskRules
from gui_agent.errors import GuiAgentError

__all__ = [
    "CONFIG_FILE",
    "KEYRING_SERVICE",
    "ConfigError",
    "Settings",
    "config_dir",
    "config_path",
    "delete_api_key",
    "get_api_key",
    "load_settings",
    "save_settings",
    "set_api_key",
]

KEYRING_SERVICE = "gui-agent"
CONFIG_FILE = "config.toml"

Provider = Literal["embedded", "openai", "anthropic"]

_MODIFIERS = {"ctrl", "alt", "shift", "cmd", "super"}


class ConfigError(GuiAgentError):
    """The settings file or the keyring cannot be read or written; the message says which."""


class Settings(BaseModel):
    """Everything a person configures once and expects every surface to honour."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    provider: Provider = "embedded"
    base_url: str = ""
    model: str = ""
    autonomy: Autonomy = Autonomy.ASK
    always_ask: list[str] = Field(default_factory=list)
    never_allow: list[str] = Field(default_factory=list)
    allow: list[str] = Field(default_factory=list)
    stop_hotkey: str = "<ctrl>+<alt>+<esc>"
    ocr_threads: int = Field(default=2, ge=1, le=32)
    goal_history: list[str] = Field(default_factory=list)
    # Pictures for multimodal planners: "auto" sends a Set-of-Mark screenshot when the model
    # is known to read images (every Claude; gpt-4o, Qwen2.5-VL, llava... on OpenAI-compatible
    # servers), "on" always, "off" never. Secret fields are black in every picture.
    images: Literal["auto", "on", "off"] = "auto"
    # Claude's computer-use tool plans in screen coordinates (provider "anthropic" only).
    computer_use: bool = False
    # A coordinate-grounding model (UI-TARS, Qwen2.5-VL, OS-Atlas) behind an OpenAI-compatible
    # server: "fallback" asks it when a query has no confident match on screen, "always"
    # asks it first; its point is snapped to the perceived control and gated like any click.
    grounding: Literal["off", "fallback", "always"] = "off"
    grounder_url: str = ""
    grounder_model: str = ""
    grounder_style: Literal["ui-tars", "qwen2.5-vl", "os-atlas"] = "ui-tars"
    # How its coordinates read; "auto" takes the style's own (see gui_agent.grounding).
    grounder_convention: Literal["auto", "absolute", "relative", "thousandths"] = "auto"
    # Read the apps' accessibility tree (AT-SPI on Linux) beside the pixels where there is
    # one; off: vision alone. GUI_AGENT_ACCESSIBILITY=off does the same for one run.
    accessibility: bool = True

    @field_validator("autonomy", mode="before")
    @classmethod
    def _parse_autonomy(cls, v: object) -> object:
        # "ask_risky" in a hand-edited file should work the way it does on the command line.
        return Autonomy.parse(v) if isinstance(v, str) else v

    @field_validator("base_url", "model")
    @classmethod
    def _strip(cls, v: str) -> str:
        return v.strip()

    @field_validator("stop_hotkey")
    @classmethod
    def _hotkey_shape(cls, v: str) -> str:
        # pynput's GlobalHotKeys syntax; a typo here would leave the person without a brake,
        # so it is checked when the file is read rather than when the hotkey is needed.
        parts = [p.strip() for p in v.split("+")]
        if not parts or any(not p for p in parts):
            raise ValueError(f"stop hotkey {v!r} is empty or has an empty key; e.g. <ctrl>+<esc>")
        for p in parts:
            if len(p) > 1 and not (p.startswith("<") and p.endswith(">")):
                raise ValueError(f"stop hotkey key {p!r} must be one character or <name>")
        if not any(p.strip("<>") in _MODIFIERS for p in parts[:-1]) and len(parts) > 1:
            raise ValueError(f"stop hotkey {v!r} combines keys without a modifier")
        return "+".join(parts)

    def rules(self) -> RiskRules:
        """The risk rules as the gate wants them (validated there: no blank patterns)."""
        return RiskRules(always_ask=self.always_ask, never_allow=self.never_allow, allow=self.allow)

    def remember_goal(self, goal: str, keep: int = 20) -> None:
        """Put ``goal`` first in the history (once), keeping the ``keep`` most recent.

        A literal the goal types as a secret ("type 'S3cr3t' into Password") is kept as
        ``•••``: this file is plain text that people copy around."""
        from gui_agent.agent.secrets import SecretVault, secret_literals
        from gui_agent.control.policy import default_policy

        vault = SecretVault()
        for value in secret_literals(goal, default_policy()):
            vault.add(value)
        goal = vault.scrub(" ".join(goal.split()))
        if goal:
            self.goal_history = [goal, *[g for g in self.goal_history if g != goal]][:keep]

    def to_toml(self) -> dict[str, Any]:
        data = self.model_dump(mode="json")
        risk = {k: data.pop(k) for k in ("always_ask", "never_allow", "allow")}
        planner = {k: data.pop(k) for k in ("provider", "base_url", "model")}
        return {**data, "planner": planner, "risk": risk}

    @classmethod
    def from_toml(cls, data: dict[str, Any]) -> Settings:
        flat = dict(data)
        for table in ("planner", "risk"):
            section = flat.pop(table, {})
            if not isinstance(section, dict):
                raise ValueError(f"[{table}] must be a table")
            flat.update(section)
        return cls.model_validate(flat)


def config_dir() -> Path:
    """``$GUI_AGENT_CONFIG_DIR``, else platformdirs' user config dir for gui-agent."""
    override = os.environ.get("GUI_AGENT_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return platformdirs.user_config_path("gui-agent")


def config_path() -> Path:
    return config_dir() / CONFIG_FILE


def load_settings(path: Path | None = None) -> Settings:
    """The saved settings, or defaults when there is no file yet.

    Raises ``ConfigError`` naming the file for bad TOML or bad values; callers that must stay
    usable (the app) catch it, show it, and go on with ``Settings()``.
    """
    path = path or config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        raise ConfigError(f"cannot read settings file {path}: {exc.strerror or exc}") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"settings file {path} is not valid TOML ({exc}); fix or delete it "
            "(defaults are used meanwhile)"
        ) from exc
    try:
        return Settings.from_toml(data)
    except (ValidationError, ValueError) as exc:
        raise ConfigError(f"settings file {path} has invalid values: {_condense(exc)}") from exc


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write atomically (temp file + rename), so a crash never leaves half a file."""
    path = path or config_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=path.parent)
        with os.fdopen(fd, "wb") as out:
            tomli_w.dump(settings.to_toml(), out)
        os.replace(tmp, path)
    except OSError as exc:
        raise ConfigError(f"cannot write settings file {path}: {exc.strerror or exc}") from exc
    return path


def _condense(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        errs = exc.errors(include_url=False, include_input=False)
        return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in errs)
    return str(exc)


# -- API keys ----------------------------------------------------------------------------------


def _keyring_call(what: str, fn: Any, *args: str) -> Any:
    import keyring.errors

    try:
        return fn(*args)
    except keyring.errors.KeyringError as exc:
        raise ConfigError(
            f"cannot {what} the API key in the system keyring ({type(exc).__name__}: {exc}); "
            "set OPENAI_API_KEY / ANTHROPIC_API_KEY in the environment instead"
        ) from exc


def get_api_key(provider: str) -> str | None:
    """The stored key for ``provider`` ("openai", "anthropic"), or None."""
    import keyring

    value = _keyring_call("read", keyring.get_password, KEYRING_SERVICE, provider)
    return str(value) if value else None


def set_api_key(provider: str, key: str) -> None:
    import keyring

    _keyring_call("store", keyring.set_password, KEYRING_SERVICE, provider, key)


def delete_api_key(provider: str) -> None:
    import keyring
    import keyring.errors

    try:
        keyring.delete_password(KEYRING_SERVICE, provider)
    except keyring.errors.PasswordDeleteError:
        return  # nothing stored: already in the wanted state
    except keyring.errors.KeyringError as exc:
        raise ConfigError(f"cannot delete the API key from the system keyring: {exc}") from exc
