"""Goals in the styles of issue 21, run by the whole agent with the embedded planner on a real
display: the Qt fixture form and small HTML pages in Chromium (tests/apps/commands), real
OCR, real input, the outcome read from the app's state file or the page's DOM.

A handful run in the default suite (about half a minute); ``-m e2e`` runs every goal of
``bench.commands.E2E_CASES`` once. ``python bench/commands.py --e2e 3`` repeats them and
prints pass rates with Wilson intervals.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bench.commands import E2E_CASES, Case, E2EHarness
from gui_agent.headless.xvfb import Xvfb
from gui_agent.training.chromium import chromium_binary

pytestmark = pytest.mark.skipif(
    chromium_binary() is None, reason="chromium is not installed (packaging/install-system-deps.sh)"
)

REPRESENTATIVE = (
    'Fill in the name with "Ana" and the email with "ana@x.org", then hit Save.',
    "Choose France from the Country dropdown",
    # the default suite is near its 15-minute budget: these two run under -m e2e
    pytest.param("Select ACjXo, ktK, ZAHr and click Submit", marks=pytest.mark.e2e),
    pytest.param(
        'Fill in the username with "ana" and the password with "x1y2", then log in.',
        marks=pytest.mark.e2e,
    ),
    'Click on Tab #2, then click the link "sed".',
)


@pytest.fixture(scope="module")
def harness(xvfb: Xvfb) -> Iterator[E2EHarness]:
    h = E2EHarness(xvfb.display, xvfb.width, xvfb.height)
    yield h
    h.close()


def _case(goal: str) -> Case:
    return next(c for c in E2E_CASES if c.goal == goal)


def _ask_case() -> Case:
    return next(c for c in E2E_CASES if c.asks and c.app == "buttons")


@pytest.mark.parametrize("goal", REPRESENTATIVE)
def test_representative_goals_reach_their_outcome(harness: E2EHarness, goal: str) -> None:
    run = harness.run(_case(goal))
    assert run.ok, run.detail


def test_an_ambiguous_role_only_target_asks_and_clicks_nothing(harness: E2EHarness) -> None:
    run = harness.run(_ask_case())
    assert run.ok, run.detail
    assert run.status == "failed"


@pytest.mark.e2e
@pytest.mark.parametrize("case", E2E_CASES, ids=[c.goal[:40] for c in E2E_CASES])
def test_every_e2e_goal(harness: E2EHarness, case: Case) -> None:
    run = harness.run(case)
    assert run.ok, run.detail
