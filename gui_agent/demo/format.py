"""The ``.gademo`` file: a zip of ``manifest.json``, ``steps.jsonl`` and ``crops/*.png``.

Users keep and share these files, edit them in the app, and replay them months later, so the
reader is strict and specific: a newer format version is refused by name, a torn zip or a
step whose bytes do not match the hash recorded in the manifest is reported with the step
number where it breaks, and a save never leaves a half-written file behind (write a temporary
file, then rename). Secrets are never in the file: a secret step holds a parameter name.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import struct
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from gui_agent import __version__
from gui_agent.errors import GuiAgentError
from gui_agent.planning.actions import Action, Type, action_adapter

FORMAT = "gui-agent-demo"
FORMAT_VERSION = 1
SUFFIX = ".gademo"
PARAM_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
TARGET_ROLES = ("target", "source", "destination")


class DemoError(GuiAgentError):
    """A demo file that cannot be read or written; the message names the file and the cause."""


# Screen pixels, range-checked so a damaged or hand-edited file cannot carry an absurd number
# into playback (a 10**30 box overflows the float maths of re-location).
_PX = 100_000
Coord = Annotated[int, Field(ge=-_PX, le=_PX)]
Size = Annotated[int, Field(ge=0, le=_PX)]
Extent = Annotated[int, Field(ge=1, le=_PX)]
Box = tuple[Coord, Coord, Size, Size]
_MAX_STEPS = 100_000
# Bytes a member may declare: a demo's steps are a few KiB, a crop a few; more is damage or a
# zip bomb, refused before it is decompressed.
_MAX_MEMBER = 64 * 1024 * 1024
# What reading a damaged zip member can raise, from the zip layer to the decompressors.
_ZIP_ERRORS = (
    zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, zlib.error, struct.error,
    ValueError, NotImplementedError, RuntimeError,
)  # fmt: skip


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Neighbour(_Model):
    """A labelled element near the target, and where the target sits relative to it
    (``dx``, ``dy`` from the neighbour's centre to the target's, in recorded pixels)."""

    text: str
    kind: str
    dx: Coord
    dy: Coord
    h: Size = 0  # the neighbour's height when recorded: its height now tells the scale


class TargetDescription(_Model):
    """Everything the recorder saw of an input's target, so playback can find it again when
    the layout, theme or scale changed: words first, pixels second, neighbours third."""

    text: str = ""
    kind: str
    box: Box
    point: tuple[Coord, Coord]
    crop: str | None = None
    crop_box: Box | None = None
    neighbours: list[Neighbour] = Field(default_factory=list)
    # The app's own words for it, where its accessibility tree said: one more way to find it
    # again that survives a theme or a layout change (empty when only vision saw it).
    role: str = ""
    name: str = ""

    def describe(self) -> str:
        label = f" '{self.text}'" if self.text else ""
        return f"{self.kind}{label} at {list(self.box)}"


class DemoStep(_Model):
    """One recorded input as an action of the shared schema, with what its targets looked
    like. ``delay`` is the recorded pause before it; ``param`` names a typed value that is
    filled in at playback (``{name}`` in the text), ``secret`` marks one never stored."""

    action: Action
    targets: dict[str, TargetDescription] = Field(default_factory=dict)
    delay: float = Field(default=0.0, ge=0, le=86_400, allow_inf_nan=False)

    @field_validator("targets")
    @classmethod
    def _known_roles(cls, v: dict[str, TargetDescription]) -> dict[str, TargetDescription]:
        unknown = set(v) - set(TARGET_ROLES)
        if unknown:
            raise ValueError(f"unknown target role {sorted(unknown)[0]!r}; use {TARGET_ROLES}")
        return v

    def params(self) -> list[str]:
        if isinstance(self.action, Type):
            return PARAM_RE.findall(self.action.text)
        return []


class Monitor(_Model):
    x: Coord
    y: Coord
    width: Extent
    height: Extent


class DemoManifest(_Model):
    format: Literal["gui-agent-demo"] = "gui-agent-demo"
    format_version: int = Field(default=FORMAT_VERSION, ge=1)
    app_version: str = __version__
    screen: tuple[Extent, Extent]
    scale: float = Field(default=1.0, gt=0, le=16, allow_inf_nan=False)
    monitors: list[Monitor] = Field(default_factory=list)
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    step_count: int = Field(default=0, ge=0, le=_MAX_STEPS)
    steps_sha256: list[str] = Field(default_factory=list)
    crops_sha256: dict[str, str] = Field(default_factory=dict)


@dataclass
class Demo:
    """A demo in memory: manifest, steps, and the crop PNGs by file name."""

    manifest: DemoManifest
    steps: list[DemoStep] = field(default_factory=list)
    crops: dict[str, bytes] = field(default_factory=dict)

    def params(self) -> list[str]:
        """Parameter names in step order, each once."""
        seen: dict[str, None] = {}
        for step in self.steps:
            for name in step.params():
                seen.setdefault(name, None)
        return list(seen)

    # -- editing (the app's step list and ``gui-agent edit-demo`` use these) ------------------
    def delete_step(self, number: int) -> DemoStep:
        """Remove step ``number`` (1-based) and the crops only it used."""
        step = self.steps.pop(self._index(number))
        used = {t.crop for s in self.steps for t in s.targets.values() if t.crop}
        for t in step.targets.values():
            if t.crop and t.crop not in used:
                self.crops.pop(t.crop, None)
        return step

    def make_parameter(self, number: int, name: str) -> DemoStep:
        """Turn step ``number``'s typed value into the parameter ``{name}``."""
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise DemoError(f"parameter name {name!r}: use letters, digits and _ only")
        i = self._index(number)
        step = self.steps[i]
        if not isinstance(step.action, Type):
            raise DemoError(f"step {number} is a {step.action.type}, not typed text")
        action = step.action.model_copy(update={"text": "{" + name + "}"})
        self.steps[i] = step.model_copy(update={"action": action})
        return self.steps[i]

    def replace_step(self, number: int, recording: Demo) -> DemoStep:
        """Put the one step of ``recording`` (a fresh, one-step demo) in place of step
        ``number``; its crops are renamed so they cannot clash with this demo's."""
        if len(recording.steps) != 1:
            raise DemoError(
                f"re-recording step {number} needs exactly one input; got "
                f"{len(recording.steps)} steps"
            )
        i = self._index(number)
        old = self.delete_step(number)
        step = recording.steps[0]
        targets = {}
        for role, t in step.targets.items():
            if t.crop is not None:
                name, n = t.crop, 1
                while name in self.crops:
                    name, n = f"s{number}-{n}-{t.crop}", n + 1
                self.crops[name] = recording.crops[t.crop]
                t = t.model_copy(update={"crop": name})
            targets[role] = t
        new = step.model_copy(update={"targets": targets, "delay": old.delay})
        self.steps.insert(i, new)
        return new

    def step(self, number: int) -> DemoStep:
        """Step ``number`` (1-based); a ``DemoError`` saying how many there are if none."""
        return self.steps[self._index(number)]

    def _index(self, number: int) -> int:
        if not 1 <= number <= len(self.steps):
            raise DemoError(f"no step {number}: the demo has {len(self.steps)} steps")
        return number - 1


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _step_line(step: DemoStep) -> bytes:
    data = step.model_dump(mode="json")
    data["action"] = json.loads(action_adapter.dump_json(step.action))
    return json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")


def save_demo(demo: Demo, path: str | Path) -> Path:
    """Write ``demo`` to ``path`` atomically; the manifest gets fresh hashes and counts."""
    path = Path(path)
    lines = [_step_line(s) for s in demo.steps]
    manifest = demo.manifest.model_copy(
        update={
            "step_count": len(lines),
            "steps_sha256": [_sha(line) for line in lines],
            "crops_sha256": {name: _sha(data) for name, data in sorted(demo.crops.items())},
        }
    )
    demo.manifest = manifest
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("manifest.json", manifest.model_dump_json(indent=2))
            zf.writestr("steps.jsonl", b"".join(line + b"\n" for line in lines))
            for name, data in sorted(demo.crops.items()):
                zf.writestr(f"crops/{name}", data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def load_demo(path: str | Path) -> Demo:
    """Read and check a demo file; every problem is a ``DemoError`` that names the cause."""
    path = Path(path)
    where = f"demo {path}"
    if not path.exists():
        raise DemoError(f"{where}: no such file")
    if path.is_dir():
        raise DemoError(f"{where}: is a folder, not a demo file")
    try:
        if path.stat().st_size == 0:
            raise DemoError(f"{where}: the file is empty (0 bytes); record the demo again")
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise DemoError(
            f"{where}: not a demo file, or truncated (not a readable zip: {exc})"
        ) from None
    except _ZIP_ERRORS as exc:  # unreadable, a device, a broken zip directory
        raise DemoError(f"{where}: cannot be read ({' '.join(str(exc).split())})") from None
    with zf:
        names = set(zf.namelist())
        for required in ("manifest.json", "steps.jsonl"):
            if required not in names:
                raise DemoError(f"{where}: {required} is missing; is this a .gademo file?")
        manifest = _read_manifest(zf, where)
        raw = _read(zf, "steps.jsonl", where)
        lines = raw.splitlines()
        steps = _read_steps(lines, manifest, where)
        crops = {}
        for name, digest in manifest.crops_sha256.items():
            member = f"crops/{name}"
            if member not in names:
                raise DemoError(f"{where}: crop {_shown(name)} is missing (used by the steps)")
            data = _read(zf, member, where)
            if _sha(data) != digest:
                raise DemoError(
                    f"{where}: crop {_shown(name)} was changed or damaged (hash mismatch)"
                )
            crops[name] = data
    for number, step in enumerate(steps, 1):
        for t in step.targets.values():
            if t.crop and t.crop not in crops:
                raise DemoError(
                    f"{where}: step {number} names crop {_shown(t.crop)}, not in the file"
                )
    return Demo(manifest, steps, crops)


def _read(zf: zipfile.ZipFile, member: str, where: str) -> bytes:
    try:
        size = zf.getinfo(member).file_size
        if size > _MAX_MEMBER:
            raise DemoError(f"{where}: {member} claims {size} bytes, more than a demo holds "
                            f"({_MAX_MEMBER}); the file is damaged")  # fmt: skip
        return zf.read(member)
    except _ZIP_ERRORS as exc:
        raise DemoError(f"{where}: {member} is damaged ({' '.join(str(exc).split())})") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _read_manifest(zf: zipfile.ZipFile, where: str) -> DemoManifest:
    try:
        data: Any = json.loads(_read(zf, "manifest.json", where), parse_constant=_no_constant)
    except ValueError as exc:  # also UnicodeDecodeError, and a number too long for Python
        why = " ".join(str(exc).split())
        raise DemoError(f"{where}: manifest.json is not valid JSON ({why})") from None
    except RecursionError:
        raise DemoError(f"{where}: manifest.json nests too deeply to be a manifest") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DemoError(f"{where}: manifest.json does not describe a gui-agent demo")
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise DemoError(f"{where}: manifest.json has no format_version")
    if version > FORMAT_VERSION:
        shown = version if version < 1_000_000 else "(a huge number)"
        raise DemoError(
            f"{where}: format version {shown} is newer than this gui-agent "
            f"({__version__}) reads (up to {FORMAT_VERSION}); update gui-agent to replay it"
        )
    try:
        return DemoManifest.model_validate(data)
    except ValidationError as exc:
        raise DemoError(f"{where}: manifest.json field {_first_error(exc)}") from None


def _shown(name: str) -> str:
    """A name from the file, as is when printable, else quoted (it may hold a line break)."""
    return name if name.isprintable() else repr(name)


def _first_error(exc: ValidationError) -> str:
    """``field.path: message`` on one line; a key from the file is quoted when it is not a
    plain name (it may hold a line break)."""
    first = exc.errors()[0]
    loc = ".".join(str(p) if isinstance(p, int) or str(p).isidentifier() else repr(p)
                   for p in first["loc"])  # fmt: skip
    return f"{loc}: {' '.join(str(first['msg']).split())}"


def _read_steps(lines: list[bytes], manifest: DemoManifest, where: str) -> list[DemoStep]:
    steps: list[DemoStep] = []
    for number, line in enumerate(lines, 1):
        if number > len(manifest.steps_sha256) or _sha(line) != manifest.steps_sha256[number - 1]:
            raise DemoError(
                f"{where}: step {number} was changed or damaged (it does not match the hash "
                "recorded in the manifest)"
            )
        try:
            steps.append(DemoStep.model_validate_json(line))
        except ValidationError as exc:
            raise DemoError(f"{where}: step {number}: {_first_error(exc)}") from None
    if len(steps) != manifest.step_count:
        raise DemoError(
            f"{where}: the file is truncated after step {len(steps)} "
            f"(the manifest lists {manifest.step_count} steps)"
        )
    return steps
