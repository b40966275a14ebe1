"""The session journal: one SQLite file per agent session, one transaction per step.

Why a journal at all: the agent drives a real desktop, so after a crash (even ``SIGKILL``)
a person must be able to see exactly what was done, ``gui-agent sessions`` must list and
show past runs, and undo must be able to walk back through the steps. Every step is
therefore committed in its own transaction the moment it is known; a crash loses at most
the step in flight, never a committed one.

Why SQLite in WAL mode: a commit is atomic and survives the process being killed at any
instruction, a reader (``gui-agent sessions show`` or the GUI) never blocks the writer,
and the format is inspectable with stock tools.

Schema (``SCHEMA_VERSION`` = 1, also stored in ``PRAGMA user_version``, which is checked on
open so an older program refuses a newer file instead of misreading it):

``schema_version``
    ``version`` (PK), ``applied_at`` (ISO-8601 UTC), ``app_version``: one row per
    schema version this file has been migrated to, for forensics.
``session``
    ``id`` (PK), ``goal``, ``planner``, ``autonomy``, ``started_at``, ``ended_at`` (NULL
    while running or after a crash), ``outcome`` (NULL likewise), ``app_version``.
``step``
    ``id`` (PK), ``session_id`` (FK → session), ``idx`` (0-based, unique per session),
    ``planned_at``, ``action`` (JSON object), ``target_query``, ``resolved_box`` (JSON
    ``[x, y, w, h]``), ``approval`` (approved/rejected/edited/auto/refused),
    ``edited_action`` (JSON), ``result`` (ok/failed/skipped, NULL = not executed yet),
    ``result_message``, ``verification`` (JSON ``{"changed", "region", "detail"}``),
    ``undo_record`` (JSON), ``undo_status`` (none/undone/undo_failed/irreversible),
    ``thumbnail`` (PNG BLOB, optional), ``timings`` (JSON ``{phase: seconds}``).

Secrets: typed secrets never reach the file. Any JSON object carrying ``"secret": true``
has its ``"text"`` replaced by :data:`SECRET_PLACEHOLDER`, and every string written
(columns and JSON values alike) has each value registered with
:meth:`Journal.redact_values` replaced as well. This is enforced here, not only by callers,
as defence in depth. A value registered late (a field found secret only when typed into, a
goal literal used as a password) is scrubbed from the rows already written too, with
``secure_delete`` on (SQLite zeroes the old bytes) and the WAL checkpointed and truncated, so
the old text survives neither in the database file nor in the WAL.

Timestamps are ISO-8601 strings in UTC so they sort and read well in any SQLite tool.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, get_args

import cv2
import numpy as np

from gui_agent import __version__
from gui_agent.errors import GuiAgentError

__all__ = [
    "SCHEMA_VERSION",
    "SECRET_PLACEHOLDER",
    "Approval",
    "Box",
    "Journal",
    "JournalError",
    "SessionSummary",
    "StepRecord",
    "StepResult",
    "UndoStatus",
    "Verification",
    "default_journal_dir",
    "new_session_path",
    "thumbnail",
]

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
SECRET_PLACEHOLDER = "[REDACTED]"

Approval = Literal["approved", "rejected", "edited", "auto", "refused"]
StepResult = Literal["ok", "failed", "skipped"]
UndoStatus = Literal["none", "undone", "undo_failed", "irreversible"]
Box = tuple[int, int, int, int]
"""``(x, y, width, height)`` in desktop pixels."""

_APPROVALS: frozenset[str] = frozenset(get_args(Approval))
_RESULTS: frozenset[str] = frozenset(get_args(StepResult))
_UNDO_STATUSES: frozenset[str] = frozenset(get_args(UndoStatus))

# Tables and constraints. ``IF NOT EXISTS`` everywhere makes creation idempotent, so two
# processes racing to initialise the same fresh file cannot fail on each other; the whole
# script runs in one IMMEDIATE transaction so a half-created schema is never visible.
_SCHEMA_V1 = f"""
BEGIN IMMEDIATE;
CREATE TABLE IF NOT EXISTS schema_version (
    version      INTEGER PRIMARY KEY,
    applied_at   TEXT NOT NULL,
    app_version  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS session (
    id           INTEGER PRIMARY KEY,
    goal         TEXT NOT NULL,
    planner      TEXT NOT NULL,
    autonomy     TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    ended_at     TEXT,
    outcome      TEXT,
    app_version  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS step (
    id             INTEGER PRIMARY KEY,
    session_id     INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
    idx            INTEGER NOT NULL CHECK (idx >= 0),
    planned_at     TEXT NOT NULL,
    action         TEXT NOT NULL,
    target_query   TEXT,
    resolved_box   TEXT,
    approval       TEXT NOT NULL
                   CHECK (approval IN ('approved', 'rejected', 'edited', 'auto', 'refused')),
    edited_action  TEXT,
    result         TEXT CHECK (result IS NULL OR result IN ('ok', 'failed', 'skipped')),
    result_message TEXT NOT NULL DEFAULT '',
    verification   TEXT,
    undo_record    TEXT,
    undo_status    TEXT NOT NULL DEFAULT 'none'
                   CHECK (undo_status IN ('none', 'undone', 'undo_failed', 'irreversible')),
    thumbnail      BLOB,
    timings        TEXT NOT NULL DEFAULT '{{}}',
    UNIQUE (session_id, idx)
);
INSERT OR IGNORE INTO schema_version (version, applied_at, app_version)
    VALUES (1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), '{__version__}');
PRAGMA user_version = {SCHEMA_VERSION};
COMMIT;
"""

_OUR_TABLES = frozenset({"schema_version", "session", "step"})


class JournalError(GuiAgentError):
    """A journal file cannot be opened, read or written; the message names the file."""


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(t: datetime) -> str:
    if t.tzinfo is None:  # naive times are taken as UTC rather than silently as local time
        t = t.replace(tzinfo=UTC)
    return t.astimezone(UTC).isoformat(timespec="microseconds")


def _from_iso(s: str | None) -> datetime | None:
    return None if s is None else datetime.fromisoformat(s)


@dataclass(frozen=True, slots=True)
class Verification:
    """What the verify phase saw after a step: did the screen change, where, and why."""

    changed: bool
    region: Box | None = None
    detail: str = ""
    proven: bool | None = None  # did the step's expected effect show (None: not judged)
    expected: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "changed": self.changed,
            "region": None if self.region is None else list(self.region),
            "detail": self.detail,
            "proven": self.proven,
            "expected": self.expected,
        }

    @staticmethod
    def from_json(d: Mapping[str, Any]) -> Verification:
        region = d.get("region")
        proven = d.get("proven")
        return Verification(
            changed=bool(d["changed"]),
            region=None if region is None else _box(region),
            detail=str(d.get("detail", "")),
            proven=None if proven is None else bool(proven),
            expected=str(d.get("expected", "")),
        )


@dataclass(slots=True)
class StepRecord:
    """One step of the loop, as given to and returned by the journal.

    ``index`` None means "next free index in the session" (assigned atomically on insert);
    ``id`` and ``session_id`` are filled in on records read back. ``result`` None means the
    step was journaled before it was executed (e.g. rejected, or journaled at gate time).
    Records read back carry the *stored*, i.e. redacted, values.
    """

    action: dict[str, Any]
    approval: Approval
    index: int | None = None
    planned_at: datetime = field(default_factory=_now)
    target_query: str | None = None
    resolved_box: Box | None = None
    edited_action: dict[str, Any] | None = None
    result: StepResult | None = None
    result_message: str = ""
    verification: Verification | None = None
    undo_record: dict[str, Any] | None = None
    undo_status: UndoStatus = "none"
    thumbnail: bytes | None = None
    timings: dict[str, float] = field(default_factory=dict)
    id: int | None = None
    session_id: int | None = None


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """One row of ``gui-agent sessions``: ``ended_at``/``outcome`` None = running or crashed."""

    id: int
    goal: str
    planner: str
    autonomy: str
    started_at: datetime
    ended_at: datetime | None
    outcome: str | None
    app_version: str
    step_count: int


def _box(v: Iterable[Any]) -> Box:
    x, y, w, h = (int(c) for c in v)
    return (x, y, w, h)


# Columns update_step() may change, mapped to how each Python value is stored.
_UPDATABLE = frozenset(
    {
        "target_query",
        "resolved_box",
        "approval",
        "edited_action",
        "result",
        "result_message",
        "verification",
        "undo_record",
        "undo_status",
        "thumbnail",
        "timings",
    }
)


class Journal:
    """One session journal file. Thread-safe: every call holds an internal lock.

    Open one per process that needs it; other processes may open the same file at the
    same time (WAL lets readers run while one writer commits). Use as a context manager
    or call :meth:`close`.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        create: bool = True,
        check: bool = True,
        busy_timeout_s: float = 10.0,
    ) -> None:
        """Open (and with ``create``, create) the journal at ``path``.

        ``check`` runs ``PRAGMA quick_check`` so a damaged file is reported at open time with
        its name, not later as a puzzling failure in the middle of a run.
        """
        self.path = Path(path)
        self._lock = threading.RLock()
        self._secrets: set[str] = set()
        if not create and not self.path.exists():
            raise JournalError(f"journal {self.path} does not exist")
        if create:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise JournalError(f"cannot create the folder for journal {self.path}: {e}") from e
        try:
            # check_same_thread=False: the GUI thread may read while the worker writes; the
            # RLock serialises access to the one connection.
            self._conn = sqlite3.connect(self.path, timeout=busy_timeout_s, check_same_thread=False)
        except sqlite3.Error as e:
            raise JournalError(f"cannot open journal {self.path}: {e}") from e
        try:
            self._open(check)
        except BaseException:
            self._conn.close()
            raise

    def _open(self, check: bool) -> None:
        with self._guard("open"):
            # The first read is where a non-SQLite file fails ("file is not a database").
            version = int(self._conn.execute("PRAGMA user_version").fetchone()[0])
            if version > SCHEMA_VERSION:
                raise JournalError(
                    f"journal {self.path} has schema version {version}, but this gui-agent "
                    f"({__version__}) understands only up to {SCHEMA_VERSION}; "
                    "open it with a newer gui-agent"
                )
            if check:
                problems = [r[0] for r in self._conn.execute("PRAGMA quick_check")]
                if problems != ["ok"]:
                    raise JournalError(f"journal {self.path} is corrupt: {'; '.join(problems[:5])}")
            mode = self._conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if str(mode).lower() != "wal":  # e.g. a filesystem without shared memory
                log.warning("journal %s: WAL unavailable, using %s", self.path, mode)
            # FULL, not NORMAL: in WAL mode NORMAL already survives a killed process, but a
            # power cut or OS crash may lose the last commits. FULL fsyncs the WAL on every
            # commit, which costs about a millisecond, against steps that take hundreds of
            # milliseconds (capture, OCR, a human approving), so "lose at most the step in
            # flight" holds for power loss too at no noticeable price.
            self._conn.execute("PRAGMA synchronous=FULL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            # A row rewritten to scrub a secret must not leave the old bytes in a free block.
            self._conn.execute("PRAGMA secure_delete=ON")
            if version == 0:
                tables = {
                    r[0]
                    for r in self._conn.execute(
                        "SELECT name FROM sqlite_master WHERE type = 'table'"
                    )
                }
                if tables - _OUR_TABLES:
                    raise JournalError(
                        f"{self.path} is an SQLite database but not a gui-agent journal "
                        f"(it has tables {sorted(tables)})"
                    )
                self._conn.executescript(_SCHEMA_V1)

    # ------------------------------------------------------------------ plumbing

    @contextmanager
    def _guard(self, what: str) -> Iterator[None]:
        """Hold the lock and turn any sqlite3 error into a JournalError naming the file."""
        with self._lock:
            try:
                yield
            except sqlite3.Error as e:
                if what == "open":
                    raise JournalError(
                        f"cannot read journal {self.path}: {e} (the file is damaged or is not "
                        "a gui-agent journal; move it aside to start afresh)"
                    ) from e
                raise JournalError(f"journal {self.path}: {what} failed: {e}") from e

    def close(self) -> None:
        """Close the connection; committed steps are already on disk."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ secrets

    def redact_values(self, values: Iterable[str] | str) -> None:
        """Register secret strings (e.g. a password about to be typed) to scrub.

        Applies to everything written from now on, in every text column and every JSON
        string, and to what was written before: rows holding a new value are rewritten
        scrubbed, and the WAL is checkpointed and truncated so no old page keeps it. Empty
        strings are ignored (they would match everywhere).
        """
        new = {values} if isinstance(values, str) else set(values)
        with self._lock:
            new = {v for v in new if v and v not in self._secrets}
            if not new:
                return
            self._secrets.update(new)
            self._scrub_stored(new)

    def _scrub_stored(self, values: set[str]) -> None:
        """Rewrite every stored row that contains one of ``values`` (see ``redact_values``)."""
        text_cols = {
            "session": ("goal", "outcome"),
            "step": ("action", "target_query", "edited_action", "result_message",
                     "verification", "undo_record"),
        }  # fmt: skip
        touched = False
        with self._guard("redact"), self._conn:
            for table, cols in text_cols.items():
                where = " OR ".join(f"instr({c}, ?) > 0" for c in cols for _ in values)
                params = [v for _c in cols for v in values]
                rows = self._conn.execute(
                    f"SELECT id, {', '.join(cols)} FROM {table} WHERE {where}", params
                ).fetchall()
                for row in rows:
                    scrubbed = [None if v is None else self._scrub(str(v)) for v in row[1:]]
                    sets = ", ".join(f"{c} = ?" for c in cols)
                    self._conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?",
                                       (*scrubbed, row[0]))  # fmt: skip
                    touched = True
        if touched:
            with self._guard("checkpoint"):
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _scrub(self, s: str) -> str:
        # Longest first, so a secret containing a shorter one is replaced whole.
        for secret in sorted(self._secrets, key=len, reverse=True):
            if secret in s:
                s = s.replace(secret, SECRET_PLACEHOLDER)
        return s

    def _scrub_opt(self, s: str | None) -> str | None:
        return None if s is None else self._scrub(s)

    def _redact(self, value: Any) -> Any:
        """Deep-copy a JSON value with secret texts and registered secret values replaced."""
        if isinstance(value, Mapping):
            out = {self._scrub(str(k)): self._redact(v) for k, v in value.items()}
            if value.get("secret") is True and "text" in value:
                out["text"] = SECRET_PLACEHOLDER
            return out
        if isinstance(value, list | tuple):
            return [self._redact(v) for v in value]
        if isinstance(value, str):
            return self._scrub(value)
        return value

    def _json(self, value: Any) -> str | None:
        if value is None:
            return None
        return json.dumps(self._redact(value), ensure_ascii=False, sort_keys=True)

    # ------------------------------------------------------------------ sessions

    def start_session(
        self,
        goal: str,
        planner: str,
        autonomy: str,
        *,
        started_at: datetime | None = None,
        app_version: str = __version__,
    ) -> int:
        """Record a new session and return its id; commit before the first step runs."""
        with self._guard("start_session"), self._conn:
            cur = self._conn.execute(
                "INSERT INTO session (goal, planner, autonomy, started_at, app_version)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    self._scrub(goal),
                    planner,
                    autonomy,
                    _iso(started_at or _now()),
                    app_version,
                ),
            )
            assert cur.lastrowid is not None
            return cur.lastrowid

    def end_session(
        self, session_id: int, outcome: str, *, ended_at: datetime | None = None
    ) -> None:
        """Mark a session finished; a session without an end time crashed or still runs."""
        with self._guard("end_session"), self._conn:
            cur = self._conn.execute(
                "UPDATE session SET ended_at = ?, outcome = ? WHERE id = ?",
                (_iso(ended_at or _now()), self._scrub(outcome), session_id),
            )
            if cur.rowcount == 0:
                raise JournalError(f"journal {self.path} has no session {session_id}")

    def sessions(self) -> list[SessionSummary]:
        """All sessions in this file, oldest first, with their step counts."""
        with self._guard("sessions"):
            rows = self._conn.execute(
                "SELECT s.id, s.goal, s.planner, s.autonomy, s.started_at, s.ended_at,"
                " s.outcome, s.app_version, (SELECT count(*) FROM step WHERE session_id = s.id)"
                " FROM session s ORDER BY s.id"
            ).fetchall()
        return [
            SessionSummary(
                id=r[0],
                goal=r[1],
                planner=r[2],
                autonomy=r[3],
                started_at=datetime.fromisoformat(r[4]),
                ended_at=_from_iso(r[5]),
                outcome=r[6],
                app_version=r[7],
                step_count=r[8],
            )
            for r in rows
        ]

    # ------------------------------------------------------------------ steps

    def record_step(self, session_id: int, step: StepRecord) -> int:
        """Journal one step in ONE transaction and return its id.

        When this returns the step is durable; if the process dies inside it, the step is
        absent as a whole, never half-written. ``step.index`` None takes the next free
        index, computed inside the INSERT so concurrent writers cannot collide.
        """
        _check_enum("approval", step.approval, _APPROVALS)
        _check_enum("undo_status", step.undo_status, _UNDO_STATUSES)
        if step.result is not None:
            _check_enum("result", step.result, _RESULTS)
        values = (
            session_id,
            _iso(step.planned_at),
            self._json(step.action),
            self._scrub_opt(step.target_query),
            None if step.resolved_box is None else json.dumps(list(_box(step.resolved_box))),
            step.approval,
            self._json(step.edited_action),
            step.result,
            self._scrub(step.result_message),
            self._json(None if step.verification is None else step.verification.to_json()),
            self._json(step.undo_record),
            step.undo_status,
            None if step.thumbnail is None else sqlite3.Binary(step.thumbnail),
            self._json(step.timings) or "{}",
        )
        cols = (
            "session_id, planned_at, action, target_query, resolved_box, approval,"
            " edited_action, result, result_message, verification, undo_record, undo_status,"
            " thumbnail, timings"
        )
        marks = ", ".join("?" * len(values))
        with self._guard("record_step"), self._conn:
            if step.index is None:
                cur = self._conn.execute(
                    f"INSERT INTO step (idx, {cols}) SELECT"
                    " (SELECT coalesce(max(idx) + 1, 0) FROM step WHERE session_id = ?),"
                    f" {marks}",
                    (session_id, *values),
                )
            else:
                cur = self._conn.execute(
                    f"INSERT INTO step (idx, {cols}) VALUES (?, {marks})", (step.index, *values)
                )
            assert cur.lastrowid is not None
            return cur.lastrowid

    def update_step(self, step_id: int, **fields: Any) -> None:
        """Change fields of a recorded step in one transaction (after verify, after undo).

        Field names are those of :class:`StepRecord` (``result``, ``verification``,
        ``undo_status``, ...); the same redaction applies as on insert.
        """
        unknown = set(fields) - _UPDATABLE
        if unknown:
            raise ValueError(f"update_step cannot change {sorted(unknown)}")
        if not fields:
            return
        stored: dict[str, Any] = {}
        for name, v in fields.items():
            if name == "approval":
                _check_enum(name, v, _APPROVALS)
                stored[name] = v
            elif name == "undo_status":
                _check_enum(name, v, _UNDO_STATUSES)
                stored[name] = v
            elif name == "result":
                if v is not None:
                    _check_enum(name, v, _RESULTS)
                stored[name] = v
            elif name == "resolved_box":
                stored[name] = None if v is None else json.dumps(list(_box(v)))
            elif name == "verification":
                stored[name] = self._json(v.to_json() if isinstance(v, Verification) else v)
            elif name in ("edited_action", "undo_record"):
                stored[name] = self._json(v)
            elif name == "timings":
                stored[name] = self._json(v) or "{}"
            elif name == "thumbnail":
                stored[name] = None if v is None else sqlite3.Binary(v)
            elif name == "result_message":
                stored[name] = self._scrub(v)
            else:  # target_query
                stored[name] = self._scrub_opt(v)
        assignments = ", ".join(f"{k} = ?" for k in stored)  # keys are from _UPDATABLE only
        with self._guard("update_step"), self._conn:
            cur = self._conn.execute(
                f"UPDATE step SET {assignments} WHERE id = ?", (*stored.values(), step_id)
            )
            if cur.rowcount == 0:
                raise JournalError(f"journal {self.path} has no step {step_id}")

    _SELECT_STEP = (
        "SELECT id, session_id, idx, planned_at, action, target_query, resolved_box, approval,"
        " edited_action, result, result_message, verification, undo_record, undo_status,"
        " thumbnail, timings FROM step"
    )

    def steps(self, session_id: int) -> list[StepRecord]:
        """Every step of a session in execution order."""
        with self._guard("steps"):
            rows = self._conn.execute(
                f"{self._SELECT_STEP} WHERE session_id = ? ORDER BY idx", (session_id,)
            ).fetchall()
        return [_step_from_row(r) for r in rows]

    def last_steps(self, session_id: int, n: int) -> list[StepRecord]:
        """The newest ``n`` steps, newest first: the order undo walks them in."""
        with self._guard("last_steps"):
            rows = self._conn.execute(
                f"{self._SELECT_STEP} WHERE session_id = ? ORDER BY idx DESC LIMIT ?",
                (session_id, max(0, n)),
            ).fetchall()
        return [_step_from_row(r) for r in rows]

    def integrity_check(self) -> list[str]:
        """``PRAGMA integrity_check`` rows: ``["ok"]`` for a healthy file."""
        with self._guard("integrity_check"):
            return [r[0] for r in self._conn.execute("PRAGMA integrity_check")]


def _check_enum(name: str, value: object, allowed: frozenset[str]) -> None:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {sorted(allowed)}, not {value!r}")


def _loads(s: str | None) -> Any:
    return None if s is None else json.loads(s)


def _step_from_row(r: tuple[Any, ...]) -> StepRecord:
    box = _loads(r[6])
    ver = _loads(r[11])
    return StepRecord(
        id=r[0],
        session_id=r[1],
        index=r[2],
        planned_at=datetime.fromisoformat(r[3]),
        action=json.loads(r[4]),
        target_query=r[5],
        resolved_box=None if box is None else _box(box),
        approval=r[7],
        edited_action=_loads(r[8]),
        result=r[9],
        result_message=r[10],
        verification=None if ver is None else Verification.from_json(ver),
        undo_record=_loads(r[12]),
        undo_status=r[13],
        thumbnail=None if r[14] is None else bytes(r[14]),
        timings=json.loads(r[15]),
    )


# ---------------------------------------------------------------------- helpers


def thumbnail(bgr: np.ndarray, max_side: int = 320) -> bytes:
    """Encode a frame as a small PNG for the journal (never upscaled).

    Small on purpose: a thumbnail per step lets a person recognise what the screen looked
    like without the journal growing by megabytes per step. Accepts BGR, BGRA or grey uint8.
    """
    if max_side < 1:
        raise ValueError(f"max_side must be >= 1, not {max_side}")
    if not isinstance(bgr, np.ndarray) or bgr.dtype != np.uint8:
        raise ValueError("thumbnail needs a uint8 numpy array")
    if bgr.ndim not in (2, 3) or (bgr.ndim == 3 and bgr.shape[2] not in (1, 3, 4)):
        raise ValueError(f"thumbnail needs an HxW or HxWx{{1,3,4}} array, not {bgr.shape}")
    h, w = bgr.shape[:2]
    if h == 0 or w == 0:
        raise ValueError("thumbnail needs a non-empty image")
    scale = min(1.0, max_side / max(h, w))
    img = bgr
    if scale < 1.0:
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        img = cv2.resize(bgr, size, interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(".png", np.ascontiguousarray(img), [cv2.IMWRITE_PNG_COMPRESSION, 6])
    if not ok:
        raise ValueError("PNG encoding failed")
    return buf.tobytes()


def default_journal_dir() -> Path:
    """Where session journals live: ``<data dir>/sessions``.

    The data dir is ``platformdirs.user_data_path("gui-agent")`` unless the environment
    variable ``GUI_AGENT_DATA_DIR`` names another (tests, portable installs, CI).
    """
    override = os.environ.get("GUI_AGENT_DATA_DIR")
    if override:
        return Path(override).expanduser() / "sessions"
    import platformdirs  # only needed here; keeps importing the journal cheap

    return platformdirs.user_data_path("gui-agent") / "sessions"


def new_session_path(directory: Path | None = None, *, now: datetime | None = None) -> Path:
    """A fresh journal file name that sorts by start time: ``20260101T120000Z-<pid>.db``."""
    directory = default_journal_dir() if directory is None else directory
    stamp = (now or _now()).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = directory / f"{stamp}-{os.getpid()}.db"
    n = 1
    while path.exists():
        path = directory / f"{stamp}-{os.getpid()}-{n}.db"
        n += 1
    return path
