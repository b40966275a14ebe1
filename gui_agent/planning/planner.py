"""The planner interface the session loop talks to, and the embedded (no-LLM) planner.

Every planner answers the same question — given the goal, the loop's feedback and the current
screen, what is the one next action? — with a ``PlannerReply``, so the session, the app and the
headless runner never care which kind is behind it.
"""

from __future__ import annotations

from typing import Protocol

from gui_agent.errors import GuiAgentError
from gui_agent.perception.state import ScreenState
from gui_agent.planning.actions import Action, Done, Type, describe
from gui_agent.planning.llm import (
    AnthropicClient,
    LLMPlanner,
    OpenAICompatibleClient,
    PlannerReply,
)
from gui_agent.planning.prompt import PlannerContext
from gui_agent.planning.rules import parse_commands


class Planner(Protocol):
    """``replans``: whether a refused, failed or unproven step can go back to the planner for
    another way (an LLM); a fixed script cannot, so the session ends the run instead."""

    replans: bool

    def next_step(self, ctx: PlannerContext, state: ScreenState) -> PlannerReply: ...


class ScriptPlanner:
    """A fixed list of actions, handed out one per step, then ``done``.

    A rejected step is not retried: the user said no to exactly that action, so the script
    moves on; an edited step replaced it. Both are the session's business. A target that is
    not on screen ends the run (a script cannot re-plan).
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
        return PlannerReply(plan=remaining, reason="next direct command", action=action)


class EmbeddedPlanner(ScriptPlanner):
    """Direct commands ("click Save, then type 'x' into Name"), parsed once, no LLM.

    A goal it cannot parse fails at construction (``UnparsedCommand``), before anything runs.
    """

    def __init__(self, goal: str) -> None:
        super().__init__(parse_commands(goal), summary=goal)


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
