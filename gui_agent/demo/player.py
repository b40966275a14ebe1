"""Play a demo back as a planner: each recorded step, re-located on today's screen.

Playback is a ``Planner``, so every step goes through the same session loop, risk gate,
executor, undo and journal as a planned action; nothing here sends input. For each target it
waits (up to ``wait_timeout``) for the target to appear, re-perceiving as the screen changes,
instead of sleeping the recorded delay. When it cannot be sure it never guesses: it answers
``ask_user`` with the candidates, which the app shows to the person and which ends a headless
run with that message. The relocation evidence goes into the reply's ``reason``, which the
session journals with the step.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from gui_agent.demo.format import PARAM_RE, Demo, DemoError, DemoStep
from gui_agent.demo.relocate import Relocation, relocate
from gui_agent.errors import GuiAgentError
from gui_agent.perception.state import ScreenState
from gui_agent.planning.actions import Action, AskUser, Click, Done, Drag, Scroll, Target, Type
from gui_agent.planning.llm import PlannerReply
from gui_agent.planning.prompt import PlannerContext

AskSecret = Callable[[str, str], str | None]  # (parameter name, step description) -> value


class MissingParameter(GuiAgentError):
    """A demo parameter has no value and nobody can be asked for it."""


class DemoPlanner:
    replans = False  # a recorded demo is a script: a step that cannot run ends the replay

    def __init__(
        self,
        demo: Demo,
        params: Mapping[str, str] | None = None,
        *,
        threshold: float = 0.6,
        wait_timeout: float = 10.0,
        speed: float = 0.0,
        ask_secret: AskSecret | None = None,
    ) -> None:
        self.demo = demo
        self.params = dict(params or {})
        self.threshold = threshold
        self.wait_timeout = wait_timeout
        self.speed = speed
        self.ask_secret = ask_secret
        self.position = 0
        self.relocations: list[dict[str, Relocation]] = []
        self._check_params()

    def _check_params(self) -> None:
        """Fail before the first input for a plain parameter without a value; secret ones
        are asked for when their step comes (they are never passed around in advance)."""
        unknown = set(self.params) - set(self.demo.params())
        if unknown:
            raise MissingParameter(
                f"the demo has no parameter {', '.join(sorted(unknown))}; "
                f"it has: {', '.join(self.demo.params()) or 'none'}"
            )
        for step in self.demo.steps:
            secret = isinstance(step.action, Type) and step.action.secret
            for name in step.params():
                if name not in self.params and not (secret and self.ask_secret):
                    raise MissingParameter(
                        f"the demo needs a value for {{{name}}}: pass --param {name}=VALUE"
                    )

    # -- the planner interface -----------------------------------------------------------------
    def next_step(self, ctx: PlannerContext, state: ScreenState) -> PlannerReply:
        steps = self.demo.steps
        ctx.plan = [s.action.describe() for s in steps[self.position :]][:8]
        if self.position >= len(steps):
            return PlannerReply(action=Done(summary=f"replayed {len(steps)} steps"))
        number = self.position + 1
        step = steps[self.position]
        self.position += 1
        if self.speed > 0 and step.delay > 0:
            time.sleep(min(step.delay, 5.0) / self.speed)
        if not step.targets:
            return PlannerReply(action=self._fill(step, number, None), reason=f"demo step {number}")
        found = self._relocate_all(step, ctx)
        self.relocations.append(found)
        unsure = {role: r for role, r in found.items() if r.element is None}
        if unsure:
            role, r = next(iter(unsure.items()))
            desc = step.targets[role]
            question = (
                f"demo step {number} ({step.action.describe()}): cannot find the {role} "
                f"{desc.describe()} confidently ({r.problem}); candidates: {r.candidates_text()}"
            )
            return PlannerReply(action=AskUser(question=question), reason=r.summary())
        ids = {role: r.element.id for role, r in found.items() if r.element is not None}
        action = self._fill(step, number, ids)
        why = "; ".join(f"{role}: {r.summary()} ({r.confidence:.2f})" for role, r in found.items())
        return PlannerReply(action=action, reason=f"demo step {number}: {why}")

    # -- helpers -------------------------------------------------------------------------------
    def _relocate_all(self, step: DemoStep, ctx: PlannerContext) -> dict[str, Relocation]:
        """Re-locate every target, re-perceiving until all are sure or the wait times out.
        The session acts on the freshest state ``ctx.look`` returned."""
        deadline = time.monotonic() + self.wait_timeout
        while True:
            frame, state = ctx.look()  # incremental: cheap when nothing moved
            found = {
                role: relocate(
                    desc, self.demo.crops.get(desc.crop or ""), frame, state, self.threshold
                )
                for role, desc in step.targets.items()
                if role != "target" or "source" not in step.targets
            }
            if all(r.element is not None for r in found.values()) or time.monotonic() >= deadline:
                return found
            time.sleep(0.25)

    def _fill(self, step: DemoStep, number: int, ids: dict[str, int] | None) -> Action:
        action = step.action
        updates: dict[str, object] = {}
        if ids:
            if isinstance(action, Drag):
                updates["source"] = Target(element_id=ids["source"])
                updates["destination"] = Target(element_id=ids["destination"])
            elif isinstance(action, Click | Type | Scroll) and "target" in ids:
                updates["target"] = Target(element_id=ids["target"])
        if isinstance(action, Type):
            updates["text"] = self._substitute(action, number)
        return action.model_copy(update=updates) if updates else action

    def _substitute(self, action: Type, number: int) -> str:
        def value(match: object) -> str:
            name = match.group(1)  # type: ignore[attr-defined]
            if name in self.params:
                return self.params[name]
            if action.secret and self.ask_secret is not None:
                answer = self.ask_secret(name, f"demo step {number}: {action.describe()}")
                if answer is not None:
                    return answer
            raise MissingParameter(f"demo step {number} needs {{{name}}} and no value was given")

        return PARAM_RE.sub(value, action.text)


def demo_as_example(demo: Demo, goal: str = "") -> str:
    """A demo as a few-shot example for an LLM planner: the steps in words."""
    lines = [f"Example{f' for a similar goal ({goal})' if goal else ''}, recorded by the user:"]
    lines += [f"{i}. {s.action.describe()}" for i, s in enumerate(demo.steps, 1)]
    return "\n".join(lines)


__all__ = ["DemoError", "DemoPlanner", "MissingParameter", "demo_as_example"]
