"""Task files: YAML that says what to launch, what to do (a goal, explicit steps or a demo)
and what must be true afterwards.

Teams write these by hand and read the errors in CI logs, so every problem names the file
and the line: the YAML is composed once for its node positions, validated with pydantic,
and a validation error's field path is walked back to the line it came from.
"""

from __future__ import annotations

import math
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
_VERB_OPTIONS: dict[str, tuple[str, ...]] = {
    "type": ("into", "clear", "secret"), "scroll": ("over", "until"), "wait": ("timeout",),
    "drag": ("to",),
}  # fmt: skip
_OPTIONS = {o for opts in _VERB_OPTIONS.values() for o in opts}
# Keys whose value is text: YAML reads ``click: Yes`` as true and ``type: 0123`` as 83, so
# ``load_task`` keeps these as the characters written (see ``_keep_step_text``).
_TEXT_KEYS = frozenset({"click", "double_click", "right_click", "type", "press", "drag", "to",
                        "into", "over", "until"})  # fmt: skip
_MAX_NOTCHES = 1000


def _shown(value: Any) -> str:
    """A value for an error message: short, and cheap even for a huge or deep one."""
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return str(value) if abs(value) < 10**12 else "a huge number"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | dict):
        return "a list" if isinstance(value, list) else "a mapping"
    return f"a {type(value).__name__}"


def _text(key: str, value: Any) -> str:
    """A step's text value; numbers are taken as written, anything else is refused."""
    if isinstance(value, str):
        return value
    if value is None:
        raise ValueError(f'{key} has no value; write the text, e.g. {key}: "Save"')
    if isinstance(value, bool):
        raise ValueError(f"{key}: {value} is a true/false value; put the text in quotes, "
                         f"e.g. {key}: \"Yes\"")  # fmt: skip
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        return str(value)
    raise ValueError(f'{key} takes text, not {_shown(value)}; e.g. {key}: "Save"')


def _seconds(key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{key} is a number of seconds, not {_shown(value)}")
    if not math.isfinite(value):
        raise ValueError(f"{key} is a number of seconds, not {_shown(value)}")
    return float(value)


def _flag(step: dict[str, Any], key: str) -> bool:
    value = step.get(key, False)
    if not isinstance(value, bool):
        raise ValueError(f"{key} is true or false, not {_shown(value)}")
    return value


def step_action(step: dict[str, Any]) -> Action:
    """``{click: "Save"}`` -> ``Click``; raises ``ValueError`` with a readable message."""
    verbs = [k for k in step if k in _VERBS]
    unknown = [k for k in step if k not in _VERBS and k not in _OPTIONS]
    if unknown:
        raise ValueError(f"unknown key {_shown(unknown[0])}; a step is one of {', '.join(_VERBS)}")
    if len(verbs) != 1:
        raise ValueError(f"a step needs exactly one of {', '.join(_VERBS)}; got {verbs or 'none'}")
    verb = verbs[0]
    allowed = _VERB_OPTIONS.get(verb, ())
    stray = [k for k in step if k != verb and k not in allowed]
    if stray:
        takes = f"takes only {', '.join(allowed)}" if allowed else "takes no options"
        raise ValueError(f"{stray[0]!r} does not go with {verb}; {verb} {takes}")
    value = step[verb]
    if verb in ("click", "double_click", "right_click"):
        button: Literal["left", "right"] = "right" if verb == "right_click" else "left"
        return Click(target=Target(query=_text(verb, value)),
                     count=2 if verb == "double_click" else 1, button=button)  # fmt: skip
    if verb == "type":
        into = _text("into", step["into"]) if "into" in step else None
        return Type(text=_text(verb, value),
                    target=Target(query=into) if into is not None else None,
                    clear=_flag(step, "clear"), secret=_flag(step, "secret"))  # fmt: skip
    if verb == "press":
        return Hotkey.parse(_text(verb, value))
    if verb == "scroll":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"scroll is a whole number of notches (positive scrolls down), "
                             f"not {_shown(value)}")  # fmt: skip
        if not 0 < abs(value) <= _MAX_NOTCHES:
            raise ValueError(f"scroll {_shown(value)} is out of range: use 1 to {_MAX_NOTCHES} "
                             f"notches down, or -1 to -{_MAX_NOTCHES} up")  # fmt: skip
        over = _text("over", step["over"]) if "over" in step else None
        until = _text("until", step["until"]) if "until" in step else None
        return Scroll(amount=value, target=Target(query=over) if over is not None else None,
                      until_text=until)  # fmt: skip
    if verb == "wait":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return Wait(seconds=_seconds("wait", value))
        return Wait(until_text=_text(verb, value),
                    timeout=_seconds("timeout", step.get("timeout", 10)))  # fmt: skip
    if "to" not in step:
        raise ValueError("a drag needs 'to': {drag: 'the file', to: 'the Trash'}")
    return Drag(source=Target(query=_text(verb, value)),
                destination=Target(query=_text("to", step["to"])))  # fmt: skip


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
    exit_code: int | None = Field(default=None, ge=-255, le=255)

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
    timeout: float = Field(default=120, gt=0, le=3600, allow_inf_nan=False)
    window_timeout: float = Field(default=20, gt=0, le=600, allow_inf_nan=False)
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
        if isinstance(v, list) and isinstance(v[0], str) and not v[0].strip():
            raise ValueError("launch starts with an empty word; give the command that starts "
                             "the app")  # fmt: skip
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


_STR_TAG = "tag:yaml.org,2002:str"
# What YAML would turn into something other than the text written (true, 83, 1.1, a date).
_RETAG = {f"tag:yaml.org,2002:{t}" for t in ("bool", "int", "float", "timestamp")}
_MAX_DIGITS = 30  # no field takes a number this long; Python refuses ones over 4300 digits


class _Loader(yaml.SafeLoader):
    """The safe loader, with a value it cannot build (a date that does not exist) reported
    at its node, so the message names the line like any other YAML error."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {node.value!r:.40}: {exc}", node.start_mark
            ) from None


def _check_nodes(root: yaml.Node, path: Path) -> None:
    """Refuse what YAML would silently lose: a key given twice (the first value would be
    dropped) and an absurdly long number. Each node once: aliases share nodes."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: dict[tuple[str, str], int] = {}
            for k, v in node.value:
                line = k.start_mark.line + 1
                if isinstance(k, yaml.ScalarNode):
                    if (k.tag, k.value) in keys:
                        raise TaskFileError(
                            f"{path}:{line}: {k.value!r:.40} is given twice (also on line "
                            f"{keys[k.tag, k.value]}); keep one"
                        )
                    keys[k.tag, k.value] = line
                stack += (k, v)
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
        elif isinstance(node, yaml.ScalarNode) and node.tag in _RETAG:
            digits = sum(c.isdigit() for c in node.value)
            if digits > _MAX_DIGITS:
                raise TaskFileError(
                    f"{path}:{node.start_mark.line + 1}: a number with {digits} digits; "
                    "no field takes one that large"
                )


def _keep_step_text(root: yaml.Node) -> None:
    """Steps' text values as written: ``click: Yes`` clicks "Yes", not "True"."""
    steps = _child(root, "steps")
    for step in steps.value if isinstance(steps, yaml.SequenceNode) else []:
        if isinstance(step, yaml.MappingNode):
            for k, v in step.value:
                scalars = isinstance(k, yaml.ScalarNode) and isinstance(v, yaml.ScalarNode)
                if scalars and k.value in _TEXT_KEYS and v.tag in _RETAG:
                    v.tag = _STR_TAG


def _child(node: yaml.Node | None, key: int | str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        match = [v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(key)]
        return match[0] if match else None
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int):
        return node.value[key] if 0 <= key < len(node.value) else None
    return None


def _where(node: yaml.Node | None, loc: tuple[int | str, ...]) -> tuple[int | None, str]:
    """The 1-based line of the YAML node at field path ``loc`` (deepest one that exists),
    and the path in words: ``steps item 2``, ``env PATH``."""
    line = node.start_mark.line + 1 if node is not None else None
    words = []
    for key in loc:
        if key == "[key]":
            words.append("(the key)")
            continue
        if isinstance(key, int) and not isinstance(node, yaml.MappingNode):
            words.append(f"item {key + 1}")
        else:  # a key from the file, quoted unless a plain name: it may hold a line break
            words.append(str(key) if str(key).isidentifier() else repr(key))
        node = _child(node, key)
        if node is not None:
            line = node.start_mark.line + 1
    return line, " ".join(words) or "task"


def _yaml_problem(exc: yaml.YAMLError, text: str) -> tuple[int | None, str]:
    """A YAML error as (line, one-line problem)."""
    if isinstance(exc, yaml.reader.ReaderError):
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        return line, f"character U+{ord(char):04X} is not allowed ({exc.reason})"
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    return (mark.line + 1 if mark is not None else None), " ".join(problem.split())


def load_task(path: str | Path) -> TaskFile:
    path = Path(path)
    if path.is_dir():
        raise TaskFileError(f"{path}: is a folder, not a task file")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TaskFileError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        at = raw.count(b"\n", 0, exc.start) + 1
        raise TaskFileError(f"{path}:{at}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
                            "save the file as UTF-8") from None  # fmt: skip
    loader: _Loader | None = None
    try:
        loader = _Loader(text)  # checks the characters
        node = loader.get_single_node()
        if node is not None:
            _check_nodes(node, path)
            _keep_step_text(node)
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        line, problem = _yaml_problem(exc, text)
        raise TaskFileError(f"{path}:{line or 1}: not valid YAML: {problem}") from None
    except RecursionError:
        deep = loader.line + 1 if loader is not None else 1
        raise TaskFileError(f"{path}:{deep}: lists or mappings nest too deeply for a task "
                            "file") from None  # fmt: skip
    finally:
        if loader is not None:
            loader.dispose()
    if not isinstance(data, dict):
        raise TaskFileError(f"{path}:1: a task file is a mapping (name:, launch:, goal: ...)")
    if "path" in data:  # a field of the model, set from where the file is; not written
        raise TaskFileError(f"{path}:{_where(node, ('path',))[0] or 1}: path: unknown field")
    try:
        task = TaskFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        line, field = _where(node, tuple(first["loc"]))
        msg = " ".join(str(first["msg"]).removeprefix("Value error, ").split())
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
