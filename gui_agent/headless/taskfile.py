"""Task files: YAML that says what to launch, what to do (a goal, explicit steps or a demo)
and what must be true afterwards.

Teams write these by hand and read the errors in CI logs, so every problem names the file
and the line: the YAML is composed once for its node positions, validated with pydantic,
and a validation error's field path is walked back to the line it came from.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from gui_agent.errors import GuiAgentError
from gui_agent.planning.actions import (
    Action,
    Click,
    Drag,
    Hotkey,
    Scroll,
    Target,
    Type,
    Wait,
)

SUFFIXES = (".yaml", ".yml")


class TaskFileError(GuiAgentError):
    """A task file that cannot be read or does not validate; names the file and the line."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Screen(_Model):
    width: int = Field(default=1920, ge=320, le=7680)
    height: int = Field(default=1080, ge=240, le=4320)


class Rules(_Model):
    allow: list[str] = Field(default_factory=list)
    always_ask: list[str] = Field(default_factory=list)
    never_allow: list[str] = Field(default_factory=list)


# One explicit step: exactly one verb key, plus that verb's options.
_VERBS = ("click", "double_click", "right_click", "type", "press", "scroll", "wait", "drag")
_OPTIONS = {"into", "clear", "secret", "over", "until", "timeout", "to"}


def step_action(step: dict[str, Any]) -> Action:
    """``{click: "Save"}`` -> ``Click``; raises ``ValueError`` with a readable message."""
    verbs = [k for k in step if k in _VERBS]
    unknown = [k for k in step if k not in _VERBS and k not in _OPTIONS]
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r}; a step is one of {', '.join(_VERBS)}")
    if len(verbs) != 1:
        raise ValueError(f"a step needs exactly one of {', '.join(_VERBS)}; got {verbs or 'none'}")
    verb = verbs[0]
    value = step[verb]
    if verb in ("click", "double_click", "right_click"):
        button: Literal["left", "right"] = "right" if verb == "right_click" else "left"
        return Click(target=Target(query=str(value)), count=2 if verb == "double_click" else 1,
                     button=button)  # fmt: skip
    if verb == "type":
        into = step.get("into")
        return Type(text=str(value), target=Target(query=str(into)) if into else None,
                    clear=bool(step.get("clear", False)),
                    secret=bool(step.get("secret", False)))  # fmt: skip
    if verb == "press":
        return Hotkey.parse(str(value))
    if verb == "scroll":
        over = step.get("over")
        return Scroll(amount=int(value), target=Target(query=str(over)) if over else None,
                      until_text=step.get("until"))  # fmt: skip
    if verb == "wait":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return Wait(seconds=float(value))
        return Wait(until_text=str(value), timeout=float(step.get("timeout", 10)))
    if "to" not in step:
        raise ValueError("a drag needs 'to': {drag: 'the file', to: 'the Trash'}")
    return Drag(source=Target(query=str(value)), destination=Target(query=str(step["to"])))


def _valid_step(step: Any) -> dict[str, Any]:
    if not isinstance(step, dict):
        raise ValueError("a step is a mapping like {click: 'Save'}")
    try:
        step_action(step)
    except (ValueError, GuiAgentError) as exc:
        raise ValueError(_first_line(exc)) from None
    return step


# Validated one by one, so an error's location names the step (and so its line).
StepSpec = Annotated[Any, AfterValidator(_valid_step)]


class Check(_Model):
    """Exactly one of the fields: what must hold after the run."""

    text_visible: str | None = None
    text_absent: str | None = None
    file_exists: str | None = None
    exit_code: int | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Check:
        set_ = [k for k, v in self.model_dump().items() if v is not None]
        if len(set_) != 1:
            raise ValueError(
                "a check is one of text_visible, text_absent, file_exists, exit_code"
                + (f"; got {', '.join(set_)}" if set_ else "")
            )
        return self

    def describe(self) -> str:
        for key, value in self.model_dump().items():
            if value is not None:
                return f"{key}: {value}"
        return "?"  # pragma: no cover - the validator guarantees one


class TaskFile(_Model):
    name: str
    launch: list[str]
    screen: Screen = Field(default_factory=Screen)
    goal: str | None = None
    steps: list[StepSpec] | None = None
    demo: str | None = None
    params: dict[str, str] = Field(default_factory=dict)
    checks: list[Check] = Field(default_factory=list)
    timeout: float = Field(default=120, gt=0, le=3600)
    window_timeout: float = Field(default=20, gt=0, le=600)
    planner: Literal["embedded", "openai", "anthropic"] = "embedded"
    model: str | None = None
    base_url: str | None = None
    rules: Rules = Field(default_factory=Rules)
    env: dict[str, str] = Field(default_factory=dict)
    path: Path | None = Field(default=None, exclude=True)

    @field_validator("launch", mode="before")
    @classmethod
    def _split(cls, v: Any) -> Any:
        if isinstance(v, str):
            v = shlex.split(v)
        if isinstance(v, list) and not v:
            raise ValueError("launch is empty; give the command that starts the app")
        return v

    @model_validator(mode="after")
    def _one_way_to_act(self) -> TaskFile:
        ways = [k for k in ("goal", "steps", "demo") if getattr(self, k) is not None]
        if len(ways) != 1:
            raise ValueError(
                "a task needs exactly one of goal, steps or demo"
                + (f"; it has {' and '.join(ways)}" if ways else "")
            )
        return self

    def command(self) -> list[str]:
        """``launch`` with ``{python}`` (the interpreter running gui-agent) and ``{task_dir}``
        filled in, so a suite runs the same from any virtual environment or folder."""
        folder = str(self.path.parent) if self.path is not None else "."
        return [a.replace("{python}", sys.executable).replace("{task_dir}", folder)
                for a in self.launch]  # fmt: skip

    def actions(self) -> list[Action]:
        return [step_action(s) for s in self.steps or []]

    def resolve(self, relative: str) -> Path:
        """A path from the task file: ``~`` expanded, relative to the file's folder."""
        p = Path(relative).expanduser()
        if not p.is_absolute() and self.path is not None:
            p = self.path.parent / p
        return p


def _first_line(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        return str(first["msg"]).removeprefix("Value error, ")
    return str(exc).splitlines()[0]


def _line_of(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """The 1-based line of the YAML node at field path ``loc`` (deepest one that exists)."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            match = [v for k, v in node.value if getattr(k, "value", None) == key]
            if not match:
                break
            node = match[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            if key >= len(node.value):
                break
            node = node.value[key]
        else:
            break
        line = node.start_mark.line + 1
    return line


def load_task(path: str | Path) -> TaskFile:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TaskFileError(f"{path}: cannot read ({exc})") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise TaskFileError(f"{where}: not valid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise TaskFileError(f"{path}:1: a task file is a mapping (name:, launch:, goal: ...)")
    try:
        task = TaskFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        line = _line_of(node, loc)
        field = " ".join(p if isinstance(p, str) else f"item {p + 1}" for p in loc) or "task"
        msg = str(first["msg"]).removeprefix("Value error, ")
        raise TaskFileError(f"{path}:{line or 1}: {field}: {msg}") from None
    task.path = path.resolve()
    return task


def collect(paths: list[str | Path]) -> list[Path]:
    """Task files named, or found under named folders, in a stable order."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found += sorted(f for f in p.rglob("*") if f.suffix in SUFFIXES and f.is_file())
        elif p.exists():
            found.append(p)
        else:
            raise TaskFileError(f"{p}: no such file or folder")
    return found
