"""The planner interface the session loop talks to, and the embedded (no-LLM) planner.

Every planner answers the same question — given the goal, the loop's feedback and the current
screen, what is the one next action? — with a ``PlannerReply``, so the session, the app and the
headless runner never care which kind is behind it.
"""

from __future__ import annotations

from typing import Protocol

from gui_agent.errors import GuiAgentError
from gui_agent.perception.state import ScreenState
from gui_agent.planning.actions import Action, AskUser, Done, Type, describe
from gui_agent.planning.commands import flatten, parse_goal
from gui_agent.planning.commands.meaning import Memo, answered, settle
from gui_agent.planning.commands.steps import spell_step
from gui_agent.planning.llm import (
    AnthropicClient,
    LLMPlanner,
    OpenAICompatibleClient,
    PlannerReply,
)
from gui_agent.planning.prompt import PlannerContext


class Planner(Protocol):
    """``replans``: whether a refused, failed or unproven step can go back to the planner for
    another way (an LLM); a fixed script cannot, so the session ends the run instead."""

    replans: bool

    def next_step(self, ctx: PlannerContext, state: ScreenState) -> PlannerReply: ...


#: ``PlannerReply.plan`` holds at most this many lines (the limit LLM replies are held to);
#: a longer script shows its next steps and how many follow, and keeps the whole list in
#: ``ctx.plan``.
PLAN_WINDOW = 8


def plan_window(lines: list[str]) -> list[str]:
    """``lines`` cut to ``PLAN_WINDOW`` entries, the last one saying how many more follow."""
    if len(lines) <= PLAN_WINDOW:
        return lines
    rest = len(lines) - (PLAN_WINDOW - 1)
    return [*lines[: PLAN_WINDOW - 1], f"... and {rest} more step{'s' if rest != 1 else ''}"]


class ScriptPlanner:
    """A fixed list of actions, handed out one per step, then ``done``.

    A rejected step is not retried: the user said no to exactly that action, so the script
    moves on; an edited step replaced it. Both are the session's business. A target that is
    not on screen ends the run (a script cannot re-plan). A script of any length runs: the
    reply shows a window of it (``plan_window``).
    """

    replans = False

    def __init__(self, actions: list[Action], summary: str = "") -> None:
        self.actions = list(actions)
        self.summary = summary
        self.position = 0

    def known_secrets(self) -> list[str]:
        """Texts this script types as secrets: the session scrubs them from the start."""
        return [a.text for a in self.actions if isinstance(a, Type) and a.secret and a.text]

    def next_step(self, ctx: PlannerContext, state: ScreenState) -> PlannerReply:
        remaining = [describe(a) for a in self.actions[self.position :]]
        if self.position >= len(self.actions):
            summary = self.summary or ctx.goal
            return PlannerReply(plan=[], reason="all commands done", action=Done(summary=summary))
        action = self.actions[self.position]
        self.position += 1
        ctx.plan = remaining
        return PlannerReply(
            plan=plan_window(remaining), reason="next direct command", action=action
        )


class EmbeddedPlanner(ScriptPlanner):
    """Direct commands ("click Save, then type 'x' into Name"), parsed once, no LLM.

    A goal it cannot parse fails at construction (``UnparsedCommand``), before anything runs.
    Steps whose meaning depends on the screen ("select X", "submit", "log in", "the text
    field", "uncheck all boxes") are settled at each step against the current screen
    (``commands.meaning``); where the screen leaves a choice, the reply is an ``AskUser``
    with one concrete question, never a guess.
    """

    def __init__(self, goal: str) -> None:
        self.steps = parse_goal(goal)
        super().__init__(flatten(self.steps), summary=goal)
        self.index = 0  # into self.steps (self.position counts the static actions)
        self.memo = Memo()

    def known_secrets(self) -> list[str]:
        return [
            s.action.text
            for s in self.steps
            if isinstance(s.action, Type) and s.action.secret and s.action.text
        ]

    def next_step(self, ctx: PlannerContext, state: ScreenState) -> PlannerReply:
        if ctx.answer and self.index < len(self.steps):
            # the person named what the question left open: the step now says it
            self.steps[self.index] = answered(self.steps[self.index], ctx.answer)
            ctx.answer = ""
        while self.index < len(self.steps):
            step = self.steps[self.index]
            remaining = [spell_step(s) for s in self.steps[self.index :]]
            action, finished = settle(step, state, self.memo, self.summary)
            if isinstance(action, AskUser):
                finished = False  # the same step again once the question is answered
            if finished:
                self.index += 1
                self.memo = Memo()
            if action is None:
                continue
            ctx.plan = remaining
            reason = "a question the screen leaves open" if isinstance(action, AskUser) else (
                "next direct command"
            )  # fmt: skip
            return PlannerReply(plan=plan_window(remaining), reason=reason, action=action)
        summary = self.summary or ctx.goal
        return PlannerReply(plan=[], reason="all commands done", action=Done(summary=summary))


def make_planner(
    kind: str,
    goal: str,
    *,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    timeout: float = 60.0,
) -> Planner:
    """``embedded`` (default), ``openai`` (any OpenAI-compatible server) or ``anthropic``."""
    if kind == "embedded":
        return EmbeddedPlanner(goal)
    if kind == "openai":
        client = OpenAICompatibleClient(
            model or "gpt-4o-mini", base_url=base_url, api_key=api_key, timeout=timeout
        )
        return LLMPlanner(client)
    if kind == "anthropic":
        anthropic_client = AnthropicClient(
            model or "claude-sonnet-4-5", base_url=base_url, api_key=api_key, timeout=timeout
        )
        return LLMPlanner(anthropic_client)
    raise GuiAgentError(f"unknown planner {kind!r}: choose embedded, openai or anthropic")
