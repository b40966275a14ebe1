"""Shared fixtures: a private Xvfb per test session (or per request size), and output folders.

Tests never touch the developer's own display: DISPLAY is pointed at an Xvfb we started.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors
import pytest

from gui_agent.headless.xvfb import Xvfb, virtual_display
from gui_agent.perception.ocr import OcrEngine
from gui_agent.perception.perceiver import Perceiver
from gui_agent.screen.capture import ScreenCapture
from gui_agent.screen.frame import Frame
from tests.apps.launcher import LaunchedApp, launch_app
from tests.synthetic_screens import Screens, render_synthetic

Start = Callable[..., LaunchedApp]

REPO = Path(__file__).resolve().parents[1]
TEST_OUTPUT = Path(os.environ.get("GUI_AGENT_TEST_OUTPUT", REPO / "test-output"))


@pytest.fixture(scope="session")
def xvfb() -> Iterator[Xvfb]:
    """A 1920x1080x24 Xvfb for the whole session; DISPLAY points at it while tests run."""
    with virtual_display(1920, 1080, 24) as server:
        yield server


@pytest.fixture(scope="session")
def gui_agent_display(xvfb: Xvfb) -> Xvfb:
    """The pytest plugin's display is ours: pyautogui binds to one display per process."""
    return xvfb


@pytest.fixture
def xvfb_factory() -> Iterator[Callable[..., Xvfb]]:
    """Start extra displays of any size: ``xvfb_factory(1280, 720)``; all stopped afterwards."""
    started: list[Xvfb] = []

    def make(width: int = 1920, height: int = 1080, depth: int = 24) -> Xvfb:
        server = Xvfb(width, height, depth).start()
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


@pytest.fixture
def display(xvfb: Xvfb, monkeypatch: pytest.MonkeyPatch) -> Xvfb:
    """The session Xvfb, with DISPLAY set for this test."""
    monkeypatch.setenv("DISPLAY", xvfb.display)
    return xvfb


@pytest.fixture(scope="session")
def test_output() -> Path:
    """Where tests leave files for a person to look at (screenshots, annotated frames)."""
    TEST_OUTPUT.mkdir(parents=True, exist_ok=True)
    return TEST_OUTPUT


@pytest.fixture
def start(xvfb: Xvfb, tmp_path: Path) -> Iterator[Start]:
    """Launch a fixture app on the session display; only one window at a time, all closed."""
    apps: list[LaunchedApp] = []

    def _start(script: str = "form_app", variant: str = "default") -> LaunchedApp:
        for app in apps:
            app.close()
        app = launch_app(script, tmp_path / f"{script}-{variant}.json", xvfb.display, variant)
        apps.append(app)
        return app

    yield _start
    for app in apps:
        app.close()


@pytest.fixture(scope="session")
def ocr_engine() -> OcrEngine:
    """The real PP-OCR models, loaded once per test session (about 0.1 s, 60 MB)."""
    return OcrEngine()


@pytest.fixture
def perceiver(ocr_engine: OcrEngine) -> Perceiver:
    return Perceiver(ocr_engine)


@pytest.fixture
def grab(xvfb: Xvfb) -> Iterator[Callable[[], Frame]]:
    """Capture the session display's whole desktop."""
    with ScreenCapture(xvfb.display) as cap:
        yield cap.grab


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that lives in this process only: never the user's real keychain."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.store.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Never the user's keychain: an in-process keyring for the test's duration."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def synthetic_screens(tmp_path_factory: pytest.TempPathFactory) -> Screens:
    """200 rendered screens, 100 of each split, shared by the pixel checks' tests: real Qt
    widgets in Fusion and Windows styles, light, dark and tinted palettes, 1x-1.5x."""
    out: Screens = []
    for split in ("train", "heldout"):
        out += render_synthetic(tmp_path_factory.mktemp(split), range(700, 800), split)
    return out
