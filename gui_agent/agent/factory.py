"""One way to build a session, for every surface.

The CLI, the desktop app, the headless runner and the pytest plugin differ in how they ask a
person (a terminal, a panel, nobody), in how they see the screen (the app masks its own
window) and in how they send input (the app refuses clicks on itself). Everything else (the
planner, the perceiver, the executor, the gate with its policy, the journal, the window
source, the limits on steps and time) is the same, and is built here from a ``SessionSpec``
so that a setting means the same thing on every surface and is checked in one place.

A surface passes what it owns as ``SessionParts`` and gets back a ``Session`` that owns the
rest (``Session.close`` releases the journal and the window source).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from gui_agent.agent.journal import Journal, new_session_path
from gui_agent.agent.session import Event, Session
from gui_agent.control.approvers import Approver
from gui_agent.control.estop import StopSwitch
from gui_agent.control.executor import Executor, InputBackend
from gui_agent.control.policy import POLICY_FILE, load_policy
from gui_agent.control.risk import Autonomy, Gate, RiskRules
from gui_agent.errors import GuiAgentError
from gui_agent.planning.actions import Action
from gui_agent.screen.capture import ScreenCapture
from gui_agent.screen.windows import WindowSource, open_window_source

__all__ = ["PlannerKind", "SessionParts", "SessionSpec", "SpecError", "build_planner",
           "build_session", "user_policy_path"]  # fmt: skip

PlannerKind = Literal["embedded", "openai", "anthropic", "computer-use", "steps", "demo"]
AskSecret = Callable[[str, str], str | None]


class SpecError(GuiAgentError):
    """A session setting is out of range or missing; the message names the setting."""


class SessionSpec(BaseModel):
    """What a person asked for: the goal, the planner, the limits and the rules."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    goal: str = ""
    planner: PlannerKind = "embedded"
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = Field(default=None, repr=False)
    llm_timeout: float = Field(default=60.0, gt=0, le=3600)
    steps: tuple[Action, ...] = ()
    demo: Path | None = None
    params: Mapping[str, str] = Field(default_factory=dict, repr=False)
    demo_threshold: float = Field(default=0.6, ge=0.0, le=1.0)
    demo_wait: float = Field(default=10.0, ge=0, le=3600)
    demo_speed: float = Field(default=0.0, ge=0, le=100)
    examples: tuple[Path, ...] = ()
    autonomy: Autonomy = Autonomy.ASK
    rules: RiskRules = Field(default_factory=RiskRules)
    max_steps: int = Field(default=30, ge=1, le=10_000)
    step_timeout: float | None = Field(default=120.0, gt=0, le=86_400)
    typing_interval: float = Field(default=0.0, ge=0, le=5)
    journal: Path | None = None
    policy_file: Path | None = None
    # Pictures for multimodal planners and the coordinate-grounding model (see config.py).
    images: Literal["auto", "on", "off"] = "auto"
    grounding: Literal["off", "fallback", "always"] = "off"
    grounder_url: str | None = None
    grounder_model: str | None = None
    grounder_style: Literal["ui-tars", "qwen2.5-vl", "os-atlas"] = "ui-tars"
    grounder_convention: Literal["auto", "absolute", "relative", "thousandths"] = "auto"
    # The apps' accessibility tree beside the pixels, where the desktop has one.
    accessibility: bool = True

    @field_validator("autonomy", mode="before")
    @classmethod
    def _autonomy(cls, v: object) -> object:
        return Autonomy.parse(v) if isinstance(v, str) else v

    @classmethod
    def of(cls, **values: Any) -> SessionSpec:
        """Validate, turning pydantic's report into one line that names the setting."""
        try:
            spec = cls.model_validate(values)
        except ValidationError as exc:
            first = exc.errors(include_url=False, include_input=False)[0]
            where = ".".join(str(p) for p in first["loc"]).replace("_", "-")
            msg = str(first["msg"]).removeprefix("Value error, ")
            raise SpecError(f"--{where}: {msg}") from None
        spec.check()
        return spec

    def check(self) -> None:
        """What pydantic's field limits cannot say: each planner's own needs."""
        llm = ("embedded", "openai", "anthropic", "computer-use")
        if self.planner in llm and not self.goal.strip():
            raise SpecError("the goal is empty: say what the agent should do")
        if self.planner == "demo" and self.demo is None:
            raise SpecError("the demo planner needs a demo file")
        if self.planner == "steps" and not self.steps:
            raise SpecError("the steps planner needs at least one step")
        if self.grounding != "off" and not (self.grounder_url and self.grounder_model):
            raise SpecError("grounding needs the grounding model's server URL and model name")


@dataclass
class SessionParts:
    """What a surface brings: its capture, who approves, its event listener, and optionally
    its own input backend, executor class, OCR models (loaded once per process) and stop
    switch."""

    capture: ScreenCapture
    approver: Approver
    on_event: Callable[[Event], None] | None = None
    switch: StopSwitch | None = None
    backend: InputBackend | None = None
    make_executor: Callable[..., Executor] = Executor
    ocr: Any = None
    perceiver: Any = None
    windows: WindowSource | None = None
    ask_secret: AskSecret | None = None


def user_policy_path() -> Path:
    """The user's own additions to the risk policy (may not exist)."""
    from gui_agent.config import config_dir

    return config_dir() / POLICY_FILE


def build_planner(spec: SessionSpec, ask_secret: AskSecret | None = None) -> tuple[Any, int]:
    """The planner ``spec`` names, and the fewest steps it needs (a demo's length)."""
    if spec.planner == "demo":
        from gui_agent.demo.format import load_demo
        from gui_agent.demo.player import DemoPlanner

        assert spec.demo is not None
        demo = load_demo(spec.demo)
        planner = DemoPlanner(demo, spec.params, threshold=spec.demo_threshold,
                              wait_timeout=spec.demo_wait, speed=spec.demo_speed,
                              ask_secret=ask_secret)  # fmt: skip
        return planner, len(demo.steps) + 1
    if spec.planner == "steps":
        from gui_agent.planning.planner import ScriptPlanner

        return ScriptPlanner(list(spec.steps), summary=spec.goal), len(spec.steps) + 1
    if spec.planner == "computer-use":
        from gui_agent.planning.computer_use import ComputerUsePlanner

        return ComputerUsePlanner(spec.model or "claude-sonnet-4-5", base_url=spec.base_url,
                                  api_key=spec.api_key, timeout=spec.llm_timeout), 1  # fmt: skip
    from gui_agent.planning.llm import takes_images
    from gui_agent.planning.planner import make_planner

    made: Any = make_planner(spec.planner, spec.goal, model=spec.model, base_url=spec.base_url,
                             api_key=spec.api_key, timeout=spec.llm_timeout)  # fmt: skip
    if hasattr(made, "images"):  # an LLM planner: Set-of-Mark pictures when the model reads them
        made.images = takes_images(spec.planner, spec.model or "", spec.images)
    return made, 1


def build_grounder(spec: SessionSpec) -> Any:
    """The coordinate-grounding model ``spec`` names, or None when grounding is off."""
    if spec.grounding == "off" or not spec.grounder_url or not spec.grounder_model:
        return None
    from gui_agent.grounding import OpenAIGrounder

    return OpenAIGrounder(
        spec.grounder_model,
        spec.grounder_url,
        style=spec.grounder_style,
        convention=spec.grounder_convention,
        timeout=spec.llm_timeout,
    )


def build_session(spec: SessionSpec, parts: SessionParts) -> Session:
    """Planner, perceiver, input, executor, gate, journal and window source, wired."""
    from gui_agent.perception.perceiver import Perceiver

    spec.check()
    planner, fewest = build_planner(spec, parts.ask_secret)
    examples = []
    if spec.examples:
        from gui_agent.demo.format import load_demo
        from gui_agent.demo.player import demo_as_example

        examples = [demo_as_example(load_demo(p)) for p in spec.examples]
    policy = load_policy(spec.policy_file if spec.policy_file is not None else user_policy_path())
    parts.capture.virtual_desktop()  # no display, or one that cannot be reached: fail now
    backend = parts.backend
    if backend is None:
        from gui_agent.control.executor import PyAutoGuiBackend

        backend = PyAutoGuiBackend(typing_interval=spec.typing_interval, switch=parts.switch)
    perceiver = parts.perceiver
    made_perceiver = perceiver is None
    if perceiver is None:
        from gui_agent.perception.accessibility import default_source

        # the desktop's accessibility tree where there is one (GUI_AGENT_ACCESSIBILITY=off)
        perceiver = Perceiver(parts.ocr, accessibility=default_source(spec.accessibility))
    executor = parts.make_executor(backend, parts.capture, perceiver)
    windows = parts.windows or open_window_source(parts.capture.display)
    path = spec.journal or new_session_path()
    journal = Journal(path)
    try:
        name = "demo" if spec.planner == "demo" else spec.planner
        session = Session(
            spec.goal or (f"replay {spec.demo.name}" if spec.demo is not None else "steps"),
            planner, executor, Gate(spec.autonomy, spec.rules, policy), parts.approver,
            journal, planner_name=name, max_steps=max(spec.max_steps, fewest),
            step_timeout=spec.step_timeout, on_event=parts.on_event, windows=windows,
            grounder=build_grounder(spec), grounding=spec.grounding,
        )  # fmt: skip
    except BaseException:
        journal.close()
        raise
    session.ctx.examples = examples
    session.owned = [journal, windows] if parts.windows is None else [journal]
    if made_perceiver:
        session.owned.append(perceiver)  # its tree reader: a thread and a bus connection
    return session
