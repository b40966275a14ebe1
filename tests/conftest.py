"""Shared fixtures: a private Xvfb per test session (or per request size), and output folders.

Tests never touch the developer's own display: DISPLAY is pointed at an Xvfb we started.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from gui_agent.headless.xvfb import Xvfb

REPO = Path(__file__).resolve().parents[1]
TEST_OUTPUT = Path(os.environ.get("GUI_AGENT_TEST_OUTPUT", REPO / "test-output"))


@pytest.fixture(scope="session")
def xvfb() -> Iterator[Xvfb]:
    """A 1920x1080x24 Xvfb for the whole session; DISPLAY points at it while tests run."""
    old = os.environ.get("DISPLAY")
    server = Xvfb(1920, 1080, 24).start()
    os.environ["DISPLAY"] = server.display
    try:
        yield server
    finally:
        server.stop()
        if old is None:
            os.environ.pop("DISPLAY", None)
        else:
            os.environ["DISPLAY"] = old


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
