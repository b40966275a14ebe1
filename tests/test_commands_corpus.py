"""The command grammar on the hand-written corpus (tests/data/commands): accuracy on the
tuning part and, separately, on the held-out fifth; every negative refused with the LLM hint;
parse time; and absurd goals refused in one line. Display-free, about a second."""

from __future__ import annotations

import contextlib
import time

import pytest

from bench.commands import Line, accuracy, check, load_corpus
from gui_agent.planning.actions import action_adapter, parse_action
from gui_agent.planning.commands import MAX_GOAL_CHARS, UnparsedCommand, parse_commands

CORPUS = load_corpus()
POSITIVES = [x for x in CORPUS if not x.negative]


def _failures(lines: list[Line]) -> str:
    bad = [r for r in map(check, lines) if not r.ok]
    return "\n".join(f"{r.line.where}: {r.line.goal!r}: want {r.line.expected} got {r.got[:120]}"
                     for r in bad[:20])  # fmt: skip


def test_the_corpus_is_big_varied_and_split_once() -> None:
    assert len(POSITIVES) >= 600
    held = [x for x in POSITIVES if x.held_out]
    assert 0.15 <= len(held) / len(POSITIVES) <= 0.25
    assert len({x.style for x in POSITIVES}) >= 10
    assert sum(x.negative for x in CORPUS) >= 60
    assert len({x.goal for x in CORPUS}) == len(CORPUS), "a goal is listed twice"


def test_tuning_part_parses_as_written() -> None:
    tune = [x for x in POSITIVES if not x.held_out]
    assert accuracy([check(x) for x in tune]) >= 0.98, _failures(tune)


def test_held_out_part_parses_as_written() -> None:
    held = [x for x in POSITIVES if x.held_out]
    assert accuracy([check(x) for x in held]) >= 0.95, _failures(held)


def test_every_negative_is_refused_with_a_hint_at_an_llm_planner() -> None:
    negatives = [x for x in CORPUS if x.negative]
    assert accuracy([check(x) for x in negatives]) == 1.0, _failures(negatives)


def test_parse_time_is_well_under_five_ms_a_goal() -> None:
    goals = [x.goal for x in CORPUS] * 2
    t = time.perf_counter()
    for g in goals:
        with contextlib.suppress(UnparsedCommand):
            parse_commands(g)
    assert (time.perf_counter() - t) / len(goals) < 0.005


def test_every_parsed_plan_survives_the_journal() -> None:
    for x in POSITIVES:
        try:
            actions = parse_commands(x.goal)
        except UnparsedCommand:
            continue  # counted by the accuracy tests
        for a in actions:
            assert parse_action(action_adapter.dump_json(a)) == a, x.goal


@pytest.mark.parametrize(
    ("goal", "why"),
    [
        ("", "empty"),
        ("click " + "Save " * 20_000, "characters"),
        ("click Save\x00", "control characters"),
        ("click \x1b[31mSave", "control characters"),
        ("“" * 300, ""),
        ("click 'Save", "quote"),
        ("a, " * 1300, ""),
        ("- " * 1990, ""),
    ],
)
def test_absurd_goals_are_refused_in_one_line(goal: str, why: str) -> None:
    t = time.perf_counter()
    with pytest.raises(UnparsedCommand) as info:
        parse_commands(goal)
    assert time.perf_counter() - t < 2
    message = str(info.value)
    assert "\n" not in message and len(message) < 800
    assert why in message
    assert "--planner openai" in message


def test_a_goal_of_many_commands_parses_whole() -> None:
    goal = ", ".join(f'click "{i}"' for i in range(1, 41))
    assert len(parse_commands(goal)) == 40
    assert len(goal) < MAX_GOAL_CHARS
