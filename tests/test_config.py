"""Settings file round-trips; the API key goes only to the keyring backend we install here."""

from __future__ import annotations

from pathlib import Path

import keyring
import keyring.backend
import keyring.errors
import pytest

from gui_agent.config import (
    ConfigError,
    Settings,
    config_path,
    delete_api_key,
    get_api_key,
    load_settings,
    save_settings,
    set_api_key,
)
from gui_agent.control.risk import Autonomy
from tests.conftest import MemoryKeyring


class LockedKeyring(MemoryKeyring):
    """A keyring that refuses, like a locked keychain or a headless box without one."""

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("the keychain is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("the keychain is locked")


@pytest.fixture
def cfg_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GUI_AGENT_CONFIG_DIR", str(tmp_path / "cfg"))
    return tmp_path / "cfg"


def test_defaults_without_a_file(cfg_dir: Path) -> None:
    s = load_settings()
    assert s == Settings()
    assert s.provider == "embedded" and s.autonomy is Autonomy.ASK
    assert config_path() == cfg_dir / "config.toml"


def test_round_trip_through_toml(cfg_dir: Path) -> None:
    s = Settings.model_validate(
        {"provider": "openai", "base_url": " http://127.0.0.1:8080/v1 ", "model": "qwen",
         "autonomy": "ask_risky", "always_ask": ["*send*"], "never_allow": ["Format disk"],
         "allow": ["Delete draft"], "stop_hotkey": "<ctrl>+<shift>+<f12>", "ocr_threads": 3}
    )  # fmt: skip
    s.remember_goal("click Save")
    s.remember_goal("type 'x' into Name")
    s.remember_goal("click  Save")  # same goal again: moves to the front, not duplicated
    s.remember_goal("type 'hunter2-S3cr3t' into Password")  # a secret literal: never kept
    assert s.goal_history[0] == "type '•••' into Password"
    s.goal_history = s.goal_history[1:]
    path = save_settings(s)
    assert path == cfg_dir / "config.toml"
    text = path.read_text()
    assert "[planner]" in text and "[risk]" in text and 'autonomy = "ask-risky"' in text
    back = load_settings()
    assert back == s
    assert back.base_url == "http://127.0.0.1:8080/v1"
    assert back.goal_history == ["click Save", "type 'x' into Name"]
    assert back.rules().never_allow == ["Format disk"]


def test_corrupt_toml_names_the_file_and_defaults_stay_usable(cfg_dir: Path) -> None:
    cfg_dir.mkdir(parents=True)
    (cfg_dir / "config.toml").write_text('autonomy = "auto"\n[planner\nprovider = 1\n')
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert str(cfg_dir / "config.toml") in str(err.value) and "not valid TOML" in str(err.value)
    # The caller goes on with defaults, and saving them repairs the file.
    save_settings(Settings())
    assert load_settings() == Settings()


def test_invalid_values_are_reported_by_field(cfg_dir: Path) -> None:
    cfg_dir.mkdir(parents=True)
    (cfg_dir / "config.toml").write_text('ocr_threads = 0\n[planner]\nprovider = "gpt"\n')
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert "ocr_threads" in str(err.value) and "provider" in str(err.value)
    with pytest.raises(ValueError, match="modifier"):
        Settings(stop_hotkey="a+b")


def test_api_key_goes_to_the_keyring_never_the_file(
    cfg_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    save_settings(Settings(provider="openai"))
    set_api_key("openai", "sk-test-123")
    assert memory_keyring.store == {("gui-agent", "openai"): "sk-test-123"}
    assert get_api_key("openai") == "sk-test-123"
    assert get_api_key("anthropic") is None
    assert "sk-test" not in (cfg_dir / "config.toml").read_text()
    delete_api_key("openai")
    delete_api_key("openai")  # deleting twice is not an error
    assert get_api_key("openai") is None


def test_locked_keyring_gives_an_actionable_error() -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(LockedKeyring())
    try:
        with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
            set_api_key("openai", "sk")
        with pytest.raises(ConfigError, match="read the API key"):
            get_api_key("openai")
    finally:
        keyring.set_keyring(previous)
