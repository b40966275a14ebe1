"""Bad input gets one clear line and loses nothing.

Every way a person (or a model) can hand gui-agent something broken, from a typo on the
command line to flipped bytes in a demo or a task file that is not YAML, must end in a
non-zero exit and one line naming the file, the option or the field: never a traceback,
never "internal error" (that line means an input was not validated). The readers are
fuzzed with hypothesis; the CLI is checked end to end in subprocesses.

``BAD_INPUTS_EXAMPLES=N`` multiplies the example counts, for a long fuzzing run.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gui_agent.cli import build_parser, main
from gui_agent.demo.format import Demo, DemoError, load_demo
from gui_agent.geometry import Rect
from gui_agent.headless.taskfile import TaskFileError, load_task, step_action
from gui_agent.perception.state import Element, ElementKind, ScreenState
from gui_agent.planning.actions import Scroll, Wait
from gui_agent.planning.llm import validate_reply

ROOT = Path(__file__).resolve().parents[1]
TASKS = ROOT / "tests" / "tasks"
GOOD_DEMO = (TASKS / "fill.gademo").read_bytes()
GOOD_TASKS = {p.name: p.read_bytes() for p in sorted(TASKS.glob("*.yaml"))}
SCALE = max(1, int(os.environ.get("BAD_INPUTS_EXAMPLES", "1")))


def fuzz(n: int) -> Any:
    return settings(
        max_examples=n * SCALE,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for the fuzzed files (hypothesis tests take no function-scoped fixtures)."""
    return tmp_path_factory.mktemp("fuzz")


def one_line(message: str) -> None:
    assert message and "\n" not in message and "Traceback" not in message, message


# -- values -----------------------------------------------------------------------------------

TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
NUMBERS = st.one_of(
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.sampled_from([0, -1, 1, 2**31, -(2**63), 10**400, -(10**400)]),
    st.floats(allow_nan=True, allow_infinity=True),
)
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, TEXT)


def _containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4))


JSON_VALUES = st.recursive(SCALARS, _containers, max_leaves=12)


def state() -> ScreenState:
    return ScreenState(
        [Element(1, ElementKind.BUTTON, Rect(0, 0, 10, 10), "OK")], Rect(0, 0, 100, 100)
    )


# -- 1. the command line: numbers are range-checked when parsed --------------------------------

BAD_OPTIONS = (
    [(["run", "x", "--max-steps", v], "--max-steps") for v in ("-1", "0", "10001", "abc", "1.5")]
    + [
        (["run", "x", "--step-timeout", v], "--step-timeout")
        for v in ("-5", "0", "nan", "inf", "86401", "x")
    ]
    + [(["run", "x", "--typing-interval", v], "--typing-interval") for v in ("-1", "5.1", "nan")]
    + [(["run", "x", "--timeout", v], "--timeout") for v in ("0", "-1", "3601", "-inf", "NaN")]
    + [(["replay", "d.gademo", "--speed", v], "--speed") for v in ("-1", "101", "nan", "inf")]
    + [(["replay", "d.gademo", "--wait", v], "--wait") for v in ("-0.5", "3601", "inf")]
    + [(["replay", "d.gademo", "--threshold", v], "--threshold") for v in ("1.5", "-0.1", "nan")]
    + [
        (["replay", "d.gademo", "--max-steps", "0"], "--max-steps"),
        (["test", "t.yaml", "-j", "0"], "--jobs"),
        (["test", "t.yaml", "--jobs", "65"], "--jobs"),
        (["perceive", "--monitor", "0"], "--monitor"),
        (["perceive", "--monitor", "-1"], "--monitor"),
        (["perceive", "--region", "0,0,0,10"], "--region"),
        (["perceive", "--region", "0,0,10,-1"], "--region"),
        (["perceive", "--region", "1,2,3"], "--region"),
        (["perceive", "--region", "a,b,c,d"], "--region"),
        (["perceive", "--region", f"0,0,{10**6},10"], "--region"),
        (["perceive", "--region", "9" * 5000 + ",0,1,1"], "--region"),
        (["edit-demo", "d.gademo", "--delete", "0"], "--delete"),
        (["edit-demo", "d.gademo", "--delete", "9" * 5000], "--delete"),
        (["edit-demo", "d.gademo", "--rerecord", "-2"], "--rerecord"),
        (["edit-demo", "d.gademo", "--param", "x=y"], "--param"),
        (["edit-demo", "d.gademo", "--param", "1="], "--param"),
        (["edit-demo", "d.gademo", "--param", "=name"], "--param"),
        (["edit-demo", "d.gademo", "--param", "0=name"], "--param"),
        (["edit-demo", "d.gademo", "--param", "²=name"], "--param"),
        (["sessions", "--show", "0"], "--show"),
        (["sessions", "--show", "-3"], "--show"),
        (["run", "x", "--images", "sometimes"], "--images"),
        (["run", "x", "--grounding", "maybe"], "--grounding"),
        (["run", "x", "--grounder-style", "gpt"], "--grounder-style"),
        (["run", "x", "--grounder-convention", "pixels"], "--grounder-convention"),
        (["run", "x", "--planner", "computer"], "--planner"),
    ]
)


def test_grounding_without_its_server_is_one_line() -> None:
    """The options parse, but together they say too little: refused before any screen work."""
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "gui_agent.cli", "run", "click OK", "--grounding", "fallback"],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert out.returncode != 0
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "grounding needs the grounding model's server URL" in lines[0]


@pytest.mark.parametrize(("argv", "option"), BAD_OPTIONS, ids=lambda v: " ".join(v)[:40])
def test_absurd_numbers_are_refused_when_parsed(argv: list[str], option: str) -> None:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), pytest.raises(SystemExit) as exc:
        build_parser().parse_args(argv)
    assert exc.value.code == 2
    last = err.getvalue().strip().split("\n")[-1]
    assert option in last and "error" in last and len(last) < 300, last


def test_sensible_numbers_still_parse() -> None:
    p = build_parser()
    a = p.parse_args(
        [
            "run",
            "x",
            "--max-steps",
            "10000",
            "--step-timeout",
            "0.5",
            "--typing-interval",
            "0",
            "--timeout",
            "3600",
        ]
    )
    assert (a.max_steps, a.step_timeout, a.typing_interval, a.timeout) == (10000, 0.5, 0.0, 3600)
    a = p.parse_args(["replay", "d", "--speed", "0", "--wait", "0", "--threshold", "1"])
    assert (a.speed, a.wait, a.threshold) == (0.0, 0.0, 1.0)
    a = p.parse_args(["edit-demo", "d", "--param", "2=email", "--delete", "3", "--delete", "3"])
    assert a.param == [(2, "email")] and a.delete == [3, 3]
    a = p.parse_args(["perceive", "--region=-10,0,20,30", "--monitor", "2"])
    assert a.region == Rect(-10, 0, 20, 30) and a.monitor == 2
    assert p.parse_args(["test", "t", "-j", "64"]).jobs == 64


VOCAB = [
    "run",
    "replay",
    "edit-demo",
    "test",
    "sessions",
    "perceive",
    "record",
    "app",
    "doctor",
    "--max-steps",
    "--step-timeout",
    "--typing-interval",
    "--timeout",
    "--speed",
    "--wait",
    "--threshold",
    "-j",
    "--jobs",
    "--monitor",
    "--region",
    "--delete",
    "--rerecord",
    "--param",
    "--show",
    "--autonomy",
    "--planner",
    "--shard",
    "--png",
    "--journal",
    "--allow",
    "--images",
    "--grounding",
    "--grounder-url",
    "--no-accessibility",
    "-h",
    "--",
    "-",
    "=",
    "nan",
    "inf",
    "-inf",
    "1e999",
    "0",
    "-1",
    "1",
    "3",
    "0,0,1,1",
    "1=a",
]


@fuzz(200)
@given(st.lists(st.one_of(st.sampled_from(VOCAB), TEXT, NUMBERS.map(str)), max_size=8))
def test_argparse_never_raises_anything_but_a_usage_exit(argv: list[str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            build_parser().parse_args(argv)
        except SystemExit as exc:
            assert exc.code in (0, 2)  # --help / --version, or a usage error
            if exc.code == 2:
                assert "error:" in err.getvalue().strip().split("\n")[-1]


# -- 2. demo files -----------------------------------------------------------------------------


def check_demo(path: Path) -> Demo | None:
    """Load ``path``: a ``Demo``, or ``None`` after a ``DemoError`` that names the file."""
    try:
        return load_demo(path)
    except DemoError as exc:
        one_line(str(exc))
        assert str(path) in str(exc), exc
        return None


def edit_demo_in_process(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = main(["edit-demo", *argv])
        except SystemExit as exc:
            rc = int(exc.code or 0)
    assert "internal error" not in err.getvalue() and "Traceback" not in err.getvalue()
    return rc, err.getvalue().strip()


def rezip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def good_members() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(GOOD_DEMO)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


@fuzz(300)
@given(
    st.lists(
        st.tuples(st.integers(0, len(GOOD_DEMO) - 1), st.integers(0, 255)), min_size=1, max_size=6
    ),
    st.one_of(st.none(), st.integers(0, len(GOOD_DEMO))),
)
def test_flipped_bytes_anywhere_in_a_demo(
    scratch: Path, flips: list[tuple[int, int]], cut: int | None
) -> None:
    data = bytearray(GOOD_DEMO)
    for at, byte in flips:
        data[at] = byte
    path = scratch / "flipped.gademo"
    path.write_bytes(bytes(data[:cut]))
    check_demo(path)


@fuzz(200)
@given(
    st.sampled_from(
        [
            "format_version",
            "screen",
            "scale",
            "monitors",
            "created_at",
            "step_count",
            "steps_sha256",
            "crops_sha256",
            "app_version",
            "format",
            "extra",
        ]
    ),
    JSON_VALUES,
)
def test_any_value_in_any_manifest_field(scratch: Path, key: str, value: Any) -> None:
    members = good_members()
    manifest = json.loads(members["manifest.json"])
    manifest[key] = value
    members["manifest.json"] = json.dumps(manifest).encode()
    path = scratch / "manifest.gademo"
    rezip(path, members)
    if check_demo(path) is not None:
        assert edit_demo_in_process(str(path))[0] == 0


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _paths(v, (*prefix, i))
    return found


@fuzz(300)
@given(st.data())
def test_any_value_anywhere_in_a_step_whose_hash_matches(
    scratch: Path, data: st.DataObject
) -> None:
    """A hand-edited demo (the hashes recomputed) with any value in any field of a step."""
    members = good_members()
    lines = members["steps.jsonl"].splitlines()
    n = data.draw(st.integers(0, len(lines) - 1))
    step = json.loads(lines[n])
    where = data.draw(st.sampled_from(_paths(step)))
    value = data.draw(JSON_VALUES)
    if where:
        parent = step
        for key in where[:-1]:
            parent = parent[key]
        parent[where[-1]] = value
    else:
        step = value
    lines[n] = json.dumps(step).encode()
    manifest = json.loads(members["manifest.json"])

    manifest["steps_sha256"] = [hashlib.sha256(line).hexdigest() for line in lines]
    members["steps.jsonl"] = b"".join(line + b"\n" for line in lines)
    members["manifest.json"] = json.dumps(manifest).encode()
    path = scratch / "steps.gademo"
    rezip(path, members)
    if check_demo(path) is not None:
        assert edit_demo_in_process(str(path))[0] == 0


HEAD = '{"format": "gui-agent-demo", "format_version": 1, "screen": [1920, 1080]'


@pytest.mark.parametrize(
    ("manifest", "match"),
    [
        ("[1, 2]", "does not describe a gui-agent demo"),
        ("[" * 100_000, "nests too deeply|not valid JSON"),
        (HEAD + ', "x": ' + "9" * 5000 + "}", "not valid JSON"),
        ("\udcff{}", "not valid JSON"),
        ('{"format": "gui-agent-demo", "format_version": -3, "screen": [1, 1]}', "format_version"),
        ('{"format": "gui-agent-demo", "format_version": true}', "no format_version"),
        ('{"format": "gui-agent-demo", "format_version": 1, "screen": [1920, -1080]}', "screen"),
        (HEAD + ', "scale": NaN}', "NaN"),
        (HEAD + ', "scale": 1e999}', "Infinity|scale"),
        (HEAD + ', "step_count": 1e999}', "step_count"),
        (HEAD + ', "step_count": -1}', "step_count"),
        (HEAD + ', "monitors": [{"x": 0, "y": 0, "width": 0, "height": 5}]}', "monitors"),
        (HEAD + ', "created_at": "yesterday"}', "created_at"),
    ],
    ids=lambda v: str(v)[-30:],
)
def test_malformed_manifests(scratch: Path, manifest: str, match: str) -> None:
    path = scratch / "malformed.gademo"
    raw = manifest.encode("utf-8", "surrogateescape")
    rezip(path, {**good_members(), "manifest.json": raw})
    with pytest.raises(DemoError, match=match) as exc:
        load_demo(path)
    one_line(str(exc.value))
    assert str(path) in str(exc.value)


def test_steps_that_are_not_objects_and_numbers_out_of_range(tmp_path: Path) -> None:

    members = good_members()
    manifest = json.loads(members["manifest.json"])
    first = json.loads(members["steps.jsonl"].splitlines()[0])
    huge_box = {
        **first,
        "targets": {"target": {**first["targets"]["target"], "box": [0, 0, 10**30, 5]}},
    }
    for line, match in [
        (b"[1, 2, 3]", "step 1"),
        (b"\xff\xfe", "step 1"),
        (b"{" * 50_000, "step 1"),
        (json.dumps(huge_box).encode(), "step 1: targets.target.box"),
        (json.dumps({**first, "delay": -1}).encode(), "step 1: delay"),
        (json.dumps({**first, "delay": 1e300}).encode(), "step 1: delay"),
    ]:
        m = {**manifest, "steps_sha256": [hashlib.sha256(line).hexdigest()], "step_count": 1}
        path = tmp_path / "s.gademo"
        rezip(
            path, {**members, "manifest.json": json.dumps(m).encode(), "steps.jsonl": line + b"\n"}
        )
        with pytest.raises(DemoError, match=match) as exc:
            load_demo(path)
        one_line(str(exc.value))


def test_a_member_claiming_a_huge_size_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "bomb.gademo"
    members = good_members()
    rezip(path, members)
    data = bytearray(path.read_bytes())
    # The central directory's uncompressed size of steps.jsonl: claim 3 GiB.
    central = [m.start() for m in re.finditer(b"PK\x01\x02", bytes(data))]
    at = next(c for c in central if data[c + 46 : c + 46 + 11] == b"steps.jsonl")
    data[at + 24 : at + 28] = (3 * 2**30).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(DemoError, match=r"steps\.jsonl claims 3221225472 bytes"):
        load_demo(path)


def test_a_folder_and_other_non_demos(tmp_path: Path) -> None:
    for path, match in [
        (tmp_path, "is a folder"),
        (tmp_path / "missing.gademo", "no such file"),
        (Path("/dev/null"), "cannot be read|empty|not a demo"),
    ]:
        with pytest.raises(DemoError, match=match):
            load_demo(path)


def test_edit_demo_step_numbers_and_names(tmp_path: Path) -> None:
    path = tmp_path / "d.gademo"
    path.write_bytes(GOOD_DEMO)
    before = path.read_bytes()
    for argv, match in [
        (["--delete", "99"], "no step 99: the demo has 5 steps"),
        (["--param", "9=name"], "no step 9"),
        (["--param", "1=not a name"], "parameter name 'not a name'"),
        (["--param", "5=x"], "step 5 is a click, not typed text"),
        (["--param", "1=x", "--delete", "6"], "no step 6"),  # nothing is changed first
    ]:
        rc, err = edit_demo_in_process(str(path), *argv)
        assert rc == 2 and match in err, err
        one_line(err)
    assert path.read_bytes() == before
    # Numbers are the listing's, whatever the order: the same step twice is deleted once,
    # and --param names a step as listed before any deletion.
    rc, _ = edit_demo_in_process(str(path), "--delete", "1", "--delete", "1", "--param", "2=x")
    demo = load_demo(path)
    assert rc == 0 and len(demo.steps) == 4 and demo.params()[:1] == ["x"]
    assert demo.steps[0].action.describe().startswith("Type '{x}' into")


# -- 3. task files -----------------------------------------------------------------------------


def check_task(path: Path) -> None:
    try:
        load_task(path)
    except TaskFileError as exc:
        one_line(str(exc))
        assert re.match(rf"{re.escape(str(path))}:\d+: ", str(exc)), exc


FIELDS = [
    "name",
    "launch",
    "screen",
    "goal",
    "steps",
    "demo",
    "params",
    "checks",
    "timeout",
    "window_timeout",
    "planner",
    "model",
    "base_url",
    "rules",
    "env",
    "path",
    "other",
]
VERB_KEYS = [
    "click",
    "double_click",
    "right_click",
    "type",
    "press",
    "scroll",
    "wait",
    "drag",
    "into",
    "clear",
    "secret",
    "over",
    "until",
    "timeout",
    "to",
]
STEPS = st.lists(
    st.dictionaries(st.sampled_from(VERB_KEYS), JSON_VALUES, min_size=1, max_size=3), max_size=3
)


@fuzz(300)
@given(st.dictionaries(st.sampled_from(FIELDS), st.one_of(JSON_VALUES, STEPS), max_size=4))
def test_wrong_types_in_every_field(scratch: Path, fields: dict[str, Any]) -> None:
    task = {"name": "x", "launch": ["app"], "goal": "do it", **fields}
    path = scratch / "fields.yaml"
    path.write_text(yaml.safe_dump(task, sort_keys=False, allow_unicode=True), encoding="utf-8")
    check_task(path)


@fuzz(200)
@given(JSON_VALUES)
def test_random_yaml_documents(scratch: Path, doc: Any) -> None:
    path = scratch / "doc.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    check_task(path)


@fuzz(200)
@given(
    st.sampled_from(sorted(GOOD_TASKS)),
    st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), min_size=1, max_size=6),
)
def test_flipped_bytes_in_task_files(
    scratch: Path, name: str, flips: list[tuple[int, int]]
) -> None:
    data = bytearray(GOOD_TASKS[name])
    for at, byte in flips:
        data[at % len(data)] = byte
    path = scratch / "flipped.yaml"
    path.write_bytes(bytes(data))
    check_task(path)


@fuzz(100)
@given(st.binary(max_size=200) | st.text(max_size=200).map(lambda t: t.encode("utf-8", "replace")))
def test_binary_junk_as_a_task_file(scratch: Path, data: bytes) -> None:
    path = scratch / "junk.yaml"
    path.write_bytes(data)
    check_task(path)


BASE = "name: x\nlaunch: [app]\n"


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (BASE + "goal: " + "[" * 10_000 + "]" * 10_000, r":3: .*nest too deeply"),
        (BASE + "goal: g\ntimeout: " + "9" * 5000, r":4: a number with 5000 digits"),
        (BASE + "goal: g\ntimeout: .nan", r":4: timeout: .*finite"),
        (BASE + "goal: g\ntimeout: 1e400", r":4: timeout"),
        (BASE + "goal: g\nchecks:\n  - exit_code: 99999999999", r":5: checks item 1 exit_code"),
        (BASE + "steps:\n  - {scroll: [1]}", r":4: steps item 1: scroll is a whole number"),
        (BASE + "steps:\n  - {scroll: .inf}", r":4: steps item 1: scroll"),
        (BASE + "steps:\n  - {scroll: 100000}", r":4: steps item 1: scroll 100000 is out of"),
        (BASE + "steps:\n  - {wait: x, timeout: [1]}", r":4: steps item 1: timeout is a number"),
        (BASE + "steps:\n  - {wait: .nan}", r":4: steps item 1: wait is a number"),
        (BASE + "steps:\n  - {click: [a, b]}", r":4: steps item 1: click takes text, not a list"),
        (BASE + "steps:\n  - {type: x, clear: 'no'}", r":4: .*clear is true or false"),
        (BASE + "steps:\n  - {click: x, into: y}", r":4: .*'into' does not go with click"),
        (BASE + "steps:\n  - {[1, 2]: x}", r":4: not valid YAML"),
        (BASE + "goal: g\ndate: 2020-13-45", r":4: not valid YAML: cannot read '2020-13-45'"),
        (BASE + "name: y\ngoal: g", r":3: 'name' is given twice \(also on line 1\)"),
        (BASE + "goal: g\npath: /etc", r":4: path: unknown field"),
        ("name: x\x00\n", r":1: not valid YAML: character U\+0000"),
        ("name: x\nlaunch: ['']\ngoal: g\n", r":2: launch: launch starts with an empty word"),
        ("- a\n- b\n", r":1: a task file is a mapping"),
    ],
    ids=lambda v: str(v)[-30:],
)
def test_bad_task_files_name_the_line(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TaskFileError, match=re.escape(str(path)) + match) as exc:
        load_task(path)
    one_line(str(exc.value))


def test_an_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    """Nine aliases of nine aliases of ...: 9**9 strings if anything expanded them."""
    steps = "".join(
        f"  - {{click: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]}}\n" for i in range(8)
    )
    path = tmp_path / "bomb.yaml"
    path.write_text(BASE + "steps:\n  - {click: &a [x, x, x, x, x, x, x, x, x]}\n" + steps)
    t = time.perf_counter()
    with pytest.raises(TaskFileError, match=r"bomb.yaml:4: steps item 1: click takes text"):
        load_task(path)
    assert time.perf_counter() - t < 2


def test_unreadable_task_files(tmp_path: Path) -> None:
    with pytest.raises(TaskFileError, match="is a folder"):
        load_task(tmp_path)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"name: x\nlaunch: [caf\xe9]\n")
    with pytest.raises(TaskFileError, match=r"latin.yaml:2: not UTF-8 text \(byte 0xe9\)"):
        load_task(latin)


def test_step_text_is_kept_as_written(tmp_path: Path) -> None:
    """YAML reads Yes as true and 0123 as 83; a step's text is what the file says."""
    path = tmp_path / "t.yaml"
    path.write_text(
        BASE + "steps:\n  - {click: Yes}\n  - {type: 0123, into: On}\n"
        "  - {type: 3.10}\n  - {wait: 2}\n  - {scroll: -3}\n"
    )
    actions = load_task(path).actions()
    assert [a.describe() for a in actions[:3]] == [
        "Click Yes",
        "Type '0123' into On",
        "Type '3.10'",
    ]
    assert actions[3] == Wait(seconds=2) and actions[4] == Scroll(amount=-3)
    with pytest.raises(ValueError, match="true/false value; put the text in quotes"):
        step_action({"click": True})


# -- 4. LLM replies ----------------------------------------------------------------------------

ACTION_TYPES = ["click", "type", "hotkey", "scroll", "drag", "wait", "done", "ask_user", "x"]
ACTION_KEYS = [
    "type",
    "target",
    "text",
    "keys",
    "amount",
    "seconds",
    "until_text",
    "timeout",
    "source",
    "destination",
    "count",
    "button",
    "checked",
    "secret",
    "clear",
    "element_id",
    "query",
    "summary",
    "question",
    "max_steps",
]
TARGETS = st.fixed_dictionaries({}, optional={"element_id": JSON_VALUES, "query": JSON_VALUES})
ACTIONS = st.builds(
    lambda kind, rest: {"type": kind, **rest},
    st.sampled_from(ACTION_TYPES),
    st.dictionaries(st.sampled_from(ACTION_KEYS), st.one_of(JSON_VALUES, TARGETS), max_size=4),
)
REPLIES = st.fixed_dictionaries(
    {"action": st.one_of(ACTIONS, JSON_VALUES)},
    optional={"plan": JSON_VALUES, "reason": JSON_VALUES},
)


def check_reply(text: str) -> None:
    try:
        validate_reply(text, state())
    except ValueError as exc:
        assert str(exc), text


@fuzz(300)
@given(st.text(max_size=300))
def test_any_text_as_a_reply(text: str) -> None:
    check_reply(text)


@fuzz(300)
@given(st.one_of(REPLIES, JSON_VALUES), st.sampled_from(["{}", "```json\n{}\n```", "Sure: {} ok"]))
def test_any_json_as_a_reply(data: Any, wrapper: str) -> None:
    check_reply(wrapper.replace("{}", json.dumps(data)))


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("[" * 100_000, "no JSON object|too long"),
        ("{" * 50_000 + "}", "not valid JSON"),
        ('{"a":' * 16_000 + "1" + "}" * 16_000, "nests JSON too deeply"),
        (
            '{"action": {"type": "click", "target": {"element_id": ' + "9" * 5000 + "}}}",
            "a number in it is far too long",
        ),
        ('{"action": {"type": "wait", "seconds": NaN}}', "NaN is not a JSON number"),
        ('{"action": {"type": "wait", "seconds": 1e999}}', "too large"),
        ('{"action": {"type": "type", "text": "\\ud800"}}', "invalid Unicode"),
        ('{"action": {"type": "type", "text": "\ud800"}}', "invalid Unicode"),
        ('{"action": {"type": "click", "target": {"element_id": 7}}}', "element #7 does not"),
        ('{"action": 1}', "does not match the schema"),
    ],
    ids=lambda v: str(v)[:30],
)
def test_hostile_replies(text: str, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        validate_reply(text, state())


def test_a_long_reply_of_blanks_is_refused_quickly() -> None:
    """A code-fence regular expression backtracked for minutes over such a reply."""
    for text in ("```" + " " * 99_000 + "x", "```" + " ``" * 33_000, "{" + " " * 99_000 + "```"):
        t = time.perf_counter()
        with pytest.raises(ValueError):
            validate_reply(text, state())
        assert time.perf_counter() - t < 1.0
    assert validate_reply('```json\n{"action": {"type": "done"}}\n```', state()).action


# -- 5. the CLI end to end ---------------------------------------------------------------------


def cli(*args: str, display: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    if display is not None:
        env["DISPLAY"] = display
    return subprocess.run(
        [sys.executable, "-m", "gui_agent.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
    )


def refused(run: subprocess.CompletedProcess[str], *names: str) -> str:
    """Non-zero, no traceback, and one line naming the problem: the whole of stderr, or
    after argparse's usage lines its own last line."""
    assert run.returncode not in (0, 3), (run.returncode, run.stderr)
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    lines = run.stderr.strip().split("\n")
    if lines[0].startswith("usage:"):
        assert run.returncode == 2 and lines[-1].startswith("gui-agent"), run.stderr
    else:
        assert len(lines) == 1, run.stderr
    for name in names:
        assert name in lines[-1], lines[-1]
    return lines[-1]


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("bad")
    flipped = bytearray(GOOD_DEMO)
    for i in range(200, 260):
        flipped[i] ^= 0xFF
    (d / "flipped.gademo").write_bytes(bytes(flipped))
    (d / "bad.yaml").write_text(BASE + "steps:\n  - {click: Save}\n  - {scroll: [1]}\n")
    (d / "img.png").write_bytes(b"not an image")
    noise = np.random.default_rng(0).integers(0, 256, (300, 300, 3), np.uint8)
    png = cv2.imencode(".png", noise)[1].tobytes()
    (d / "cut.png").write_bytes(png[: len(png) // 2])
    # A valid header claiming 100000 x 100000 pixels: more than OpenCV agrees to decode.
    (d / "huge.png").write_bytes(png[:16] + (100_000).to_bytes(4, "big") * 2 + png[24:])
    (d / "folder.gademo").mkdir()
    return {p.stem: p for p in d.iterdir()} | {"dir": d}


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["run", "x", "--max-steps", "-1"], ["--max-steps"]),
        (["run", "x", "--step-timeout", "-5"], ["--step-timeout"]),
        (["run", "x", "--typing-interval", "-1"], ["--typing-interval"]),
        (["run", "click Save"], ["no X display"]),
        (["edit-demo", "{dir}"], ["is a folder"]),
        (["edit-demo", "{folder}"], ["folder.gademo", "is a folder"]),
        (["edit-demo", "{flipped}"], ["flipped.gademo", "damaged"]),
        (["replay", "{flipped}"], ["flipped.gademo", "damaged"]),
        (["test", "{bad}"], ["bad.yaml:5:", "scroll"]),
        (["perceive", "--image", "{img}"], ["img.png", "cannot read image"]),
        (["perceive", "--image", "{cut}"], ["cut.png", "cannot read image", "libpng"]),
        (["perceive", "--image", "{huge}"], ["huge.png", "cannot read image"]),
        (["perceive", "--image", "{dir}"], ["cannot read image", "is a folder"]),
        (["sessions", "--show", "0"], ["--show"]),
        (["sessions", "--show", "1", "--dir", "{dir}"], ["no session 1"]),
        (["sessions", "--dir", "{bad}"], ["bad.yaml", "not a folder"]),
        (["test", "{bad}", "--shard", "a/b"], ["bad.yaml:5:"]),
        (["demo", "--out", "{bad}"], ["--out", "bad.yaml", "is a file"]),
        (["sample-form", "--variant", "bogus"], ["--variant"]),
        (["app", "--quit-after-paint", "--geometry", "1,2"], ["--geometry"]),
    ],
    ids=lambda v: " ".join(v)[:40],
)
def test_cli_refuses_bad_input_with_one_line(
    bad_files: dict[str, Path], args: list[str], names: list[str]
) -> None:
    args = [a.format(**{k: str(v) for k, v in bad_files.items()}) for a in args]
    names = [n.format(**{k: str(v) for k, v in bad_files.items()}) for n in names]
    run = cli(*args)
    refused(run, *names)
    if args[0] == "test":
        assert run.returncode == 2


def test_an_unreachable_display_is_one_line() -> None:
    if Path("/tmp/.X11-unix/X99").exists():
        pytest.skip("display :99 exists here")
    refused(cli("run", "click Save", display=":99"), "no X display", ":99")


def test_a_blank_goal_is_refused_before_anything_is_sent() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.settimeout(0.2)
        url = f"http://127.0.0.1:{server.getsockname()[1]}/v1"
        refused(cli("run", "  ", "--planner", "openai", "--base-url", url), "goal is empty")
        with pytest.raises(TimeoutError):
            server.accept()


REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("module", "argv", "words"),
    [
        ("gui_agent.training.build", ["--lr", "-1"], "--lr must be between 0 and 1"),
        ("gui_agent.training.build", ["--minutes", "-5"], "--minutes must be positive"),
        ("gui_agent.training.build", ["--screens", "0"], "must be at least 1"),
        ("gui_agent.training.build", ["--mix", "nonsense"], "invalid choice: 'nonsense'"),
        ("gui_agent.training.build", ["--init", "/nope.pt"], "--init: no such file /nope.pt"),
        (
            "gui_agent.training.build",
            ["--checkpoint", "models/ui_elements.pt", "--blend", "models/ui_elements.pt",
             "--alpha", "7"],
            "--alpha must be between 0 and 1",
        ),
        ("gui_agent.training.build", ["--blend", "models/ui_elements.pt"], "--blend needs"),
        ("gui_agent.training.icons.train", ["--epochs", "0"], "must be at least 1"),
        ("gui_agent.training.synth", ["--out", "x", "--count", "1", "--seed", "0", "--mix",
                                      "nonsense"], "invalid choice"),
    ],
)  # fmt: skip
def test_training_commands_refuse_absurd_arguments_in_one_line(
    module: str, argv: list[str], words: str
) -> None:
    """Before rendering, training or writing over the shipped model (an --alpha of 7 once
    rewrote models/ui_elements.onnx)."""
    before = (REPO / "models" / "ui_elements.onnx").read_bytes()
    run = subprocess.run(
        [sys.executable, "-m", module, *argv], capture_output=True, text=True, cwd=REPO,
        timeout=120,
    )  # fmt: skip
    assert run.returncode == 2, run.stderr
    assert words in run.stderr and "Traceback" not in run.stderr
    assert (REPO / "models" / "ui_elements.onnx").read_bytes() == before


def test_an_absurd_browser_page_is_one_clear_error() -> None:
    from gui_agent.training.chromium import BrowserError, Chromium

    with pytest.raises(BrowserError, match="absurd page size 5x99999"):
        Chromium(5, 99999)


def test_the_detector_bench_refuses_absurd_arguments_in_one_line() -> None:
    """Before rendering or loading anything: a count of screens under one is refused."""
    run = subprocess.run(
        [sys.executable, "bench/detector.py", "--perceived-screens", "0"],
        capture_output=True, text=True, cwd=REPO, timeout=120,
    )  # fmt: skip
    assert run.returncode == 2, run.stderr
    assert "--perceived-screens must be at least 1" in run.stderr
    assert "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()[-1]) < 200
