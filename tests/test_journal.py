"""The session journal against real SQLite files: round trips, WAL, secrets, damage, crashes.

The crash test kills a writing child process with SIGKILL because that is the promise the
journal makes: every step committed before the kill is intact afterwards.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cv2
import numpy as np
import pytest

from gui_agent.agent.journal import (
    SCHEMA_VERSION,
    SECRET_PLACEHOLDER,
    Journal,
    JournalError,
    StepRecord,
    Verification,
    default_journal_dir,
    new_session_path,
    thumbnail,
)
from gui_agent.errors import GuiAgentError

REPO = Path(__file__).resolve().parents[1]


def _step(i: int, **kw: object) -> StepRecord:
    return StepRecord(action={"kind": "click", "n": i}, approval="auto", result="ok", **kw)  # type: ignore[arg-type]


def _raw_bytes(db: Path) -> bytes:
    """The database and its WAL/SHM side files, as stored on disk."""
    out = b""
    for suffix in ("", "-wal", "-shm", "-journal"):
        p = Path(str(db) + suffix)
        if p.exists():
            out += p.read_bytes()
    return out


# ---------------------------------------------------------------------- round trips


def test_session_and_step_round_trip(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    t0 = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
    png = thumbnail(np.full((40, 60, 3), 200, np.uint8))
    with Journal(db) as j:
        sid = j.start_session("open the settings", "scripted", "ask", started_at=t0)
        full = StepRecord(
            action={"kind": "click", "target": "Settings", "button": "left"},
            approval="edited",
            planned_at=t0 + timedelta(seconds=1),
            target_query="Settings button",
            resolved_box=(10, 20, 30, 40),
            edited_action={"kind": "click", "target": "Preferences"},
            result="failed",
            result_message="nothing happened",
            verification=Verification(changed=True, region=(1, 2, 3, 4), detail="menu opened"),
            undo_record={"kind": "key", "keys": ["Escape"]},
            undo_status="none",
            thumbnail=png,
            timings={"plan": 0.25, "execute": 0.01},
        )
        step_id = j.record_step(sid, full)
        j.record_step(sid, StepRecord(action={"kind": "wait"}, approval="rejected"))
        j.end_session(sid, "done", ended_at=t0 + timedelta(minutes=1))

    with Journal(db, create=False) as j:
        (s,) = j.sessions()
        assert (s.id, s.goal, s.planner, s.autonomy) == (
            sid,
            "open the settings",
            "scripted",
            "ask",
        )
        assert s.started_at == t0
        assert s.ended_at == t0 + timedelta(minutes=1)
        assert s.outcome == "done"
        assert s.step_count == 2
        assert s.app_version
        got, second = j.steps(sid)
        assert got.id == step_id and got.session_id == sid and got.index == 0
        for name in (
            "action",
            "approval",
            "planned_at",
            "target_query",
            "resolved_box",
            "edited_action",
            "result",
            "result_message",
            "verification",
            "undo_record",
            "undo_status",
            "thumbnail",
            "timings",
        ):
            assert getattr(got, name) == getattr(full, name), name
        assert second.index == 1 and second.result is None and second.thumbnail is None
        assert second.verification is None and second.timings == {}


def test_update_step_and_last_steps_newest_first(tmp_path: Path) -> None:
    with Journal(tmp_path / "s.db") as j:
        sid = j.start_session("g", "p", "auto")
        ids = [j.record_step(sid, _step(i)) for i in range(5)]
        j.update_step(
            ids[3],
            verification=Verification(changed=False, detail="no change"),
            undo_status="undone",
            result="skipped",
            result_message="undone by user",
            timings={"verify": 0.5},
        )
        last = j.last_steps(sid, 3)
        assert [s.index for s in last] == [4, 3, 2]
        assert last[1].undo_status == "undone"
        assert last[1].verification == Verification(changed=False, region=None, detail="no change")
        assert last[1].result == "skipped" and last[1].timings == {"verify": 0.5}
        assert j.last_steps(sid, 0) == []
        with pytest.raises(ValueError, match="cannot change"):
            j.update_step(ids[0], action={"kind": "x"})
        with pytest.raises(ValueError, match="undo_status"):
            j.update_step(ids[0], undo_status="maybe")
        with pytest.raises(JournalError, match="no step"):
            j.update_step(9999, result="ok")


def test_validation_and_integrity_errors_are_journal_errors(tmp_path: Path) -> None:
    with Journal(tmp_path / "s.db") as j:
        sid = j.start_session("g", "p", "auto")
        with pytest.raises(ValueError, match="approval"):
            j.record_step(sid, StepRecord(action={}, approval="yes"))  # type: ignore[arg-type]
        j.record_step(sid, _step(0, index=0))
        with pytest.raises(JournalError, match=r"s\.db"):  # duplicate index in the session
            j.record_step(sid, _step(0, index=0))
        with pytest.raises(JournalError):  # foreign key: no such session
            j.record_step(sid + 100, _step(0))
        with pytest.raises(JournalError, match="no session"):
            j.end_session(sid + 100, "x")
        assert [s.index for s in j.steps(sid)] == [0]  # failed inserts left nothing behind


def test_pragmas_wal_and_schema_version(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Journal(db) as j:
        j.start_session("g", "p", "auto")
        assert j.integrity_check() == ["ok"]
        conn = sqlite3.connect(db)
        try:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
            versions = conn.execute("SELECT version FROM schema_version").fetchall()
            assert versions == [(SCHEMA_VERSION,)]
        finally:
            conn.close()
        assert Path(str(db) + "-wal").exists()
    # Reopening an existing journal keeps its data and does not duplicate the schema row.
    with Journal(db) as j:
        assert len(j.sessions()) == 1


# ---------------------------------------------------------------------- secrets


def test_secrets_never_reach_the_file(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    typed = "hunter2-TYPED-SECRET"
    known = "s3cr3t-REGISTERED-value"
    j = Journal(db)
    try:
        j.redact_values([known, ""])
        sid = j.start_session(f"log in with {known}", "scripted", "ask")
        action = {"kind": "type", "text": typed, "secret": True}
        step_id = j.record_step(
            sid,
            StepRecord(
                action=action,
                approval="edited",
                target_query=f"field {known}",
                edited_action={
                    "kind": "seq",
                    "steps": [{"kind": "type", "text": typed, "secret": True}],
                },
                undo_record={"kind": "type", "text": typed, "secret": True, "note": known},
                result="ok",
                result_message=f"typed {known}",
            ),
        )
        j.update_step(
            step_id,
            verification=Verification(changed=True, detail=f"field shows {known}"),
            result_message=f"again {known}",
        )
        j.end_session(sid, f"ended {known}")
        assert action["text"] == typed  # the caller's dict is not modified

        raw = _raw_bytes(db)  # while open: the WAL holds the recent pages
        assert Path(str(db) + "-wal").stat().st_size > 0
        for secret in (typed, known):
            assert secret.encode() not in raw
            assert secret.encode("utf-16-le") not in raw

        (s,) = j.steps(sid)
        assert s.action == {"kind": "type", "text": SECRET_PLACEHOLDER, "secret": True}
        assert s.edited_action is not None
        assert s.edited_action["steps"][0]["text"] == SECRET_PLACEHOLDER
        assert s.undo_record == {
            "kind": "type",
            "text": SECRET_PLACEHOLDER,
            "secret": True,
            "note": SECRET_PLACEHOLDER,
        }
        assert s.target_query == f"field {SECRET_PLACEHOLDER}"
        assert s.result_message == f"again {SECRET_PLACEHOLDER}"
        assert s.verification is not None and known not in s.verification.detail
        (summary,) = j.sessions()
        assert summary.goal == f"log in with {SECRET_PLACEHOLDER}"
        assert summary.outcome == f"ended {SECRET_PLACEHOLDER}"
    finally:
        j.close()
    for secret in (typed, known):
        assert secret.encode() not in _raw_bytes(db)


def test_non_secret_text_is_kept(tmp_path: Path) -> None:
    with Journal(tmp_path / "s.db") as j:
        sid = j.start_session("g", "p", "auto")
        j.record_step(sid, StepRecord(action={"kind": "type", "text": "hello"}, approval="auto"))
        j.record_step(
            sid, StepRecord(action={"kind": "type", "text": "x", "secret": False}, approval="auto")
        )
        assert [s.action["text"] for s in j.steps(sid)] == ["hello", "x"]


# ---------------------------------------------------------------------- damaged files


def test_non_sqlite_file_is_a_journal_error_naming_the_file(tmp_path: Path) -> None:
    db = tmp_path / "notes.db"
    db.write_bytes(b"this is certainly not an SQLite database\n" * 200)
    with pytest.raises(JournalError) as e:
        Journal(db)
    assert str(db) in str(e.value)
    assert isinstance(e.value, GuiAgentError)
    assert not isinstance(e.value, sqlite3.Error)


def test_corrupt_journal_is_a_journal_error_naming_the_file(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Journal(db) as j:
        sid = j.start_session("g", "p", "auto")
        for i in range(50):
            j.record_step(sid, _step(i, thumbnail=os.urandom(3000)))
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    assert len(data) > 4 * page
    data[page : 4 * page] = b"\xa5" * (3 * page)  # trash the pages after the schema page
    db.write_bytes(bytes(data))
    with pytest.raises(JournalError) as e:
        Journal(db)
    assert str(db) in str(e.value)


def test_newer_schema_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    db = tmp_path / "future.db"
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(JournalError) as e:
        Journal(db)
    msg = str(e.value)
    assert str(db) in msg and str(SCHEMA_VERSION + 1) in msg and "newer" in msg


def test_foreign_database_and_missing_file(tmp_path: Path) -> None:
    db = tmp_path / "other.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.close()
    with pytest.raises(JournalError, match="not a gui-agent journal"):
        Journal(db)
    missing = tmp_path / "missing.db"
    with pytest.raises(JournalError, match="does not exist"):
        Journal(missing, create=False)
    assert not missing.exists()


# ---------------------------------------------------------------------- crash safety

_CHILD = """
import sys
from pathlib import Path
from gui_agent.agent.journal import Journal, StepRecord
j = Journal(Path(sys.argv[1]))
sid = j.start_session("crash test", "scripted", "auto")
i = 0
while True:
    j.record_step(sid, StepRecord(action={"kind": "click", "n": i}, approval="auto",
                                  result="ok", result_message="m" * 500,
                                  thumbnail=bytes([i % 256]) * 4000, timings={"t": i / 7}))
    print(i, flush=True)
    sys.stdin.readline()  # the parent's go-ahead: it decides how far the child gets
    i += 1
"""


@pytest.mark.parametrize("kill_after", [1, 150])
def test_sigkill_mid_run_loses_no_committed_step(tmp_path: Path, kill_after: int) -> None:
    db = tmp_path / "crash.db"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
        env=env,
        text=True,
    )
    last = -1
    try:
        assert child.stdout is not None and child.stdin is not None
        deadline = time.monotonic() + 60
        while last < kill_after - 1:
            line = child.stdout.readline()
            assert line, f"child exited early: {child.stderr.read() if child.stderr else ''}"
            last = int(line)
            assert time.monotonic() < deadline
            # release the next step; after the last one the child is writing it (or has
            # just committed it) when the kill lands, however slow this process is
            child.stdin.write("\n")
            child.stdin.flush()
    finally:
        child.send_signal(signal.SIGKILL)  # mid-run: the child is writing its next step
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    with Journal(db, create=False) as j:
        assert j.integrity_check() == ["ok"]
        (s,) = j.sessions()
        assert s.ended_at is None and s.outcome is None  # crashed, visibly
        steps = j.steps(s.id)
    # Every step the child reported committed is there; at most one more (committed but
    # killed before it could print) and nothing half-written.
    assert last + 1 <= len(steps) <= last + 2
    for k, st in enumerate(steps):
        assert st.index == k
        assert st.action == {"kind": "click", "n": k}
        assert st.result == "ok" and st.result_message == "m" * 500
        assert st.thumbnail == bytes([k % 256]) * 4000
        assert st.timings == {"t": k / 7}
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()


# ---------------------------------------------------------------------- concurrency


def test_reader_is_not_blocked_by_an_open_write_transaction(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Journal(db) as j:
        sid = j.start_session("g", "p", "auto")
        j.record_step(sid, _step(0))
        writer = sqlite3.connect(db, isolation_level=None)
        try:
            writer.execute("BEGIN IMMEDIATE")
            writer.execute(
                "INSERT INTO step (session_id, idx, planned_at, action, approval)"
                " VALUES (?, 1, '2026-01-01T00:00:00+00:00', '{}', 'auto')",
                (sid,),
            )
            with Journal(db, create=False, busy_timeout_s=0.5) as reader:
                t = time.monotonic()
                assert [s.index for s in reader.steps(sid)] == [0]  # old snapshot, no wait
                assert time.monotonic() - t < 0.4
                writer.execute("COMMIT")
                assert [s.index for s in reader.steps(sid)] == [0, 1]
        finally:
            writer.close()


def test_concurrent_reader_while_writer_writes(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    n = 200
    with Journal(db) as w:
        sid = w.start_session("g", "p", "auto")
    errors: list[BaseException] = []

    def write() -> None:
        try:
            with Journal(db, create=False) as jw:
                for i in range(n):
                    jw.record_step(sid, _step(i, thumbnail=b"\0" * 2000))
        except BaseException as e:
            errors.append(e)

    thread = threading.Thread(target=write)
    seen: list[int] = []
    with Journal(db, create=False) as reader:
        thread.start()
        while True:
            alive = thread.is_alive()  # read before the steps, so the last pass sees all
            steps = reader.steps(sid)
            # Always a consistent prefix: indices 0..k-1 with their own payloads.
            assert [s.index for s in steps] == list(range(len(steps)))
            assert all(s.action["n"] == s.index for s in steps)
            seen.append(len(steps))
            if not alive:
                break
        thread.join()
    assert not errors, errors
    assert seen == sorted(seen) and seen[-1] == n
    assert len(set(seen)) > 2  # the reader really observed the writer in progress


def test_one_journal_shared_between_threads(tmp_path: Path) -> None:
    with Journal(tmp_path / "s.db") as j:
        sid = j.start_session("g", "p", "auto")
        threads = [
            threading.Thread(target=lambda: [j.record_step(sid, _step(0)) for _ in range(25)])
            for _ in range(4)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert [s.index for s in j.steps(sid)] == list(range(100))


# ---------------------------------------------------------------------- helpers


def _decode(png: bytes) -> np.ndarray:
    img = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_UNCHANGED)
    assert img is not None
    return img


def test_thumbnail_is_a_small_png() -> None:
    frame = np.zeros((1080, 1920, 3), np.uint8)
    frame[:, :960] = (0, 0, 255)
    png = thumbnail(frame)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    img = _decode(png)
    assert img.shape == (180, 320, 3)
    assert tuple(img[90, 10]) == (0, 0, 255) and tuple(img[90, 310]) == (0, 0, 0)
    assert _decode(thumbnail(np.zeros((10, 20, 4), np.uint8))).shape == (10, 20, 4)  # no upscale
    assert _decode(thumbnail(np.zeros((1000, 50), np.uint8), max_side=100)).shape == (100, 5)
    for bad in (np.zeros((0, 5, 3), np.uint8), np.zeros((5, 5, 3), np.float32)):
        with pytest.raises(ValueError):
            thumbnail(bad)


def test_default_journal_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GUI_AGENT_DATA_DIR", str(tmp_path))
    assert default_journal_dir() == tmp_path / "sessions"
    p = new_session_path(now=datetime(2026, 5, 6, 7, 8, 9, tzinfo=UTC))
    assert p.parent == tmp_path / "sessions"
    assert p.name == f"20260506T070809Z-{os.getpid()}.db"
    monkeypatch.delenv("GUI_AGENT_DATA_DIR")
    import platformdirs

    assert default_journal_dir() == platformdirs.user_data_path("gui-agent") / "sessions"
