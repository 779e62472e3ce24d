"""The audit trail: who did what, to what, from which value to which, and how it ended.

One SQLite file per project (WAL, synchronous=FULL), append-only: triggers refuse UPDATE and DELETE,
and each row carries SHA-256(previous row's hash + this row's canonical content), so `verify()`
(hmi/security/chain.py) finds the first row that was edited, inserted or deleted by going around the app.

The chain alone cannot tell that the newest rows were deleted, nor stop someone recomputing every
hash: signed statements of its length do (hmi/security/checkpoints.py), the anchor beside the file,
rewritten around every commit, and checkpoints in two logs.

Callers only enqueue: a single writer thread hashes, inserts and commits, so the asyncio loop never
waits for the disk; rows the disk refuses wait (hmi/backlog.py) and are written when it takes them.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import logging
import sqlite3
import time
from datetime import datetime
from pathlib import Path
from typing import IO, Any, NamedTuple

from .. import dbfiles
from ..backlog import Backlog, Writer
from ..notices import OPERATOR
from ..permissions import SYSTEM
from .checkpoints import (
    CHECKPOINT_ROWS,
    CHECKPOINT_S,
    UNSIGNED,
    Statement,
    StationKey,
    anchor_or_error,
    append_checkpoint,
    checkpoint_paths,
    compare_anchor,
    has_checkpoints,
    station_key_path,
    write_anchor,
)
from .checkpoints import INTERRUPTED as INTERRUPTED_WRITE
from .errors import AuditError

log = logging.getLogger(__name__)

TABLE = "audit"
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    id INTEGER PRIMARY KEY,
    ts REAL NOT NULL,
    user TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    result TEXT NOT NULL,
    reason TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS {TABLE}_ts ON {TABLE} (ts);
CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
"""
CONTENT = "ts, user, action, target, old_value, new_value, result, reason"
GENESIS = "0" * 64
"""The 'previous hash' of the first row."""

OK = "ok"
CONFIRMED = "confirmed"
DIFFERS = "read back differs"
REFUSED = "refused"
FAILED = "failed"
INTERRUPTED = "interrupted"
"""The result of the row that says a crash cut a write short."""
MEMORY_ROWS = 10_000
"""Audit rows kept in memory while the disk refuses them; more wait in a spill file."""


class AuditEntry(NamedTuple):
    ts: float
    user: str
    action: str
    target: str
    old_value: str | None
    new_value: str | None
    result: str
    reason: str


class AuditRow(NamedTuple):
    id: int
    entry: AuditEntry
    hash: str
    station: str = ""
    """The station that wrote it, in a site's shared trail (hmi.storage.postgres.audit); '' in a file."""


def text(value: Any) -> str | None:
    """How a value is kept: as text (the trail is read by people), None stays NULL."""
    return None if value is None else str(value)


def digest(previous: str, entry: AuditEntry, station: str = "") -> str:
    """SHA-256 over the previous hash and the row's canonical JSON (the row id is not part of it); the
    station of a shared trail's row is part of it, after the entry."""
    content = [*entry, station] if station else list(entry)
    canonical = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((previous + canonical).encode()).hexdigest()


def _tail(conn: sqlite3.Connection) -> tuple[int, str, str]:
    """How many rows, the last one's hash and the first one's (GENESIS for none)."""
    count, last, first = conn.execute(
        f"SELECT count(*), (SELECT hash FROM {TABLE} ORDER BY id DESC LIMIT 1), "
        f"(SELECT hash FROM {TABLE} ORDER BY id LIMIT 1) FROM {TABLE}"
    ).fetchone()
    return count, last or GENESIS, first or GENESIS


class AuditTrail:
    """Appends rows to `path` from a writer thread of its own; call close() at shutdown.

    `key_path`: the station's signing key (default: in the user's data dir); `checkpoint_copy`: the
    second checkpoint log; `spill_dir`, `memory_rows`: where rows the disk refuses wait."""

    def __init__(
        self,
        path: Path,
        *,
        key_path: Path | None = None,
        checkpoint_copy: Path | None = None,
        spill_dir: Path | None = None,
        memory_rows: int = MEMORY_ROWS,
    ):
        self.path = Path(path)
        # Autocommit: _commit opens its own BEGIN IMMEDIATE to read the tail and insert atomically.
        self._conn = dbfiles.open_writer(self.path, "audit trail", AuditError, SCHEMA, isolation_level=None)
        try:
            self._key = StationKey.load_or_create(key_path or station_key_path())
            _check(self._conn, self.path)
        except BaseException:
            self._conn.close()
            raise
        self._watch = dbfiles.Watch(self.path)
        self.checkpoints = checkpoint_paths(self.path, checkpoint_copy)
        self._pending: Statement | None = None
        """The anchor written for a commit that then failed: not a crash's trace."""
        self._newest: Statement | None = None
        self._unchecked = 0
        self._checkpointed_at: float | None = None
        self._closed = False
        waiting = Backlog(
            self.path, "audit trail", "audit rows", len(AuditEntry._fields), memory_rows, spill_dir
        )
        self._writer = Writer(
            waiting, self._commit, name="audit", batch_size=500, tick=self._tick, stopping=self._stop
        )
        self._writer.run_on_writer(self._check_anchor)

    def __enter__(self) -> AuditTrail:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def lost(self) -> int:
        """Rows dropped: memory was full and the spill file could not be written (each loss is logged)."""
        return self._writer.backlog.lost

    @property
    def waiting(self) -> int:
        """Rows the disk refused so far, waiting in memory or in the spill file."""
        return len(self._writer.backlog)

    def record(
        self,
        user: str,
        action: str,
        target: str = "",
        *,
        old: Any = None,
        new: Any = None,
        result: str = OK,
        reason: str = "",
    ) -> None:
        """Queue one row stamped now; returns at once."""
        if self._closed:
            raise AuditError("the audit trail is closed")
        self._writer.put(AuditEntry(time.time(), user, action, target, text(old), text(new), result, reason))

    def flush(self, timeout: float | None = 30.0) -> bool:
        """Wait until every row recorded so far is committed; False if rows still wait (the disk refuses
        them) or that took longer than timeout."""
        return True if self._closed else self._writer.flush(timeout)

    def close(self) -> None:
        """Commit what is queued (what the disk refuses waits in the spill file for the next start),
        write a checkpoint, stop the writer and close the file."""
        if self._closed:
            return
        self._closed = True
        self._writer.stop()

    def _commit(self, rows: list[tuple[Any, ...]]) -> None:
        """Chain `rows` to the row that is last in the file now, under the write lock (another trail
        object or process on the same file, such as an editor beside the runtime, never forks the
        chain). The anchor names the new state before the COMMIT and the state it was written from,
        so a crash in between is an interrupted write, never a deletion."""
        if self._watch.replaced():
            self._reopen()
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            count, before, first = _tail(conn)
            findings = self._findings(count, before, first)
            entries = [*findings, *(AuditEntry(*r) for r in rows)]
            hashed, last = [], before
            for entry in entries:
                last = digest(last, entry)
                hashed.append((*entry, last))
            conn.executemany(
                f"INSERT INTO {TABLE} ({CONTENT}, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", hashed
            )
            first = first if count else hashed[0][-1] if hashed else GENESIS
            intent = self._key.sign(count + len(entries), last, time.time(), first, previous=(count, before))
            write_anchor(self.path, intent)
            self._pending = intent
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):  # the first error is the one to tell
                    conn.execute("ROLLBACK")
            raise
        self._pending = None
        for entry in findings:
            _tell(self.path, entry)
        self._committed(intent, len(entries))

    def _reopen(self) -> None:
        """The file was replaced, moved or deleted under the trail: keep a copy of the one it had open
        (the evidence), then go on in the file at the path, whose check against the anchor says what
        happened in the trail itself."""
        kept = self._watch.keep(self._conn)
        self._conn.close()  # first: closing it after the new one opened would delete the new one's log
        try:
            conn = dbfiles.open_writer(self.path, "audit trail", AuditError, SCHEMA, isolation_level=None)
            try:
                _check(conn, self.path)
            except AuditError:
                conn.close()
                raise
        except AuditError as exc:
            raise OSError(str(exc)) from exc
        log.error(
            "audit trail %s was replaced, moved or deleted while OpenHMI was writing it: the trail as it was "
            "is kept in %s (keep it: it is the evidence); new audit rows go into %s",
            self.path,
            kept,
            self.path,
            extra=OPERATOR,
        )
        self._conn, self._watch = conn, dbfiles.Watch(self.path)

    def _findings(self, count: int, last: str, first: str) -> list[AuditEntry]:
        """The row saying that the file does not end where its anchor says (a write cut short by a
        crash, or a change outside the app), to go first in the trail; none when it does."""
        anchor = anchor_or_error(self.path)
        if anchor is not None and anchor == self._pending:
            return []  # this object's own commit that failed: its rows are still waiting
        found = compare_anchor(anchor, count, last, first, self._key.public, self._signed_before(first))
        if found is None:
            return []
        kind, why = found
        result = {INTERRUPTED_WRITE: INTERRUPTED, UNSIGNED: OK}.get(kind, FAILED)
        return [AuditEntry(time.time(), SYSTEM, "audit_check", str(self.path), None, None, result, why)]

    def _committed(self, intent: Statement, rows: int) -> None:
        """Confirm the anchor (unless another writer moved it on already) and checkpoint when due."""
        confirmed = self._key.sign(intent.rows, intent.last_hash, intent.ts, intent.first)
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                if anchor_or_error(self.path) == intent:
                    write_anchor(self.path, confirmed)
            finally:
                conn.execute("ROLLBACK")
        except (sqlite3.Error, OSError) as exc:
            log.debug(
                "audit trail %s: anchor not confirmed (the one before the commit holds): %s", self.path, exc
            )
        self._newest = confirmed
        self._unchecked += rows
        if self._checkpointed_at is None or self._unchecked >= CHECKPOINT_ROWS:
            self._checkpoint()

    def _tick(self) -> float | None:
        """Checkpoint rows CHECKPOINT_S after the last checkpoint; seconds until then."""
        if not self._unchecked or self._checkpointed_at is None:
            return None
        due = self._checkpointed_at + CHECKPOINT_S - time.monotonic()
        if due > 0:
            return due
        self._checkpoint()
        return None

    def _checkpoint(self) -> None:
        assert self._newest is not None
        for problem in append_checkpoint(self.checkpoints, self._newest):
            log.warning("audit trail %s: checkpoint not written to %s", self.path, problem, extra=OPERATOR)
        self._unchecked = 0
        self._checkpointed_at = time.monotonic()

    def _check_anchor(self) -> None:
        """At open: a crash's interrupted write or a change outside the app is said in the trail now,
        not only with the next action."""
        try:
            count, last, first = _tail(self._conn)
            anchor = anchor_or_error(self.path)
            if compare_anchor(anchor, count, last, first, self._key.public, self._signed_before(first)):
                self._commit([])
        except (sqlite3.Error, OSError) as exc:
            log.warning(
                "audit trail %s: cannot check its anchor now (%s): done with the next row", self.path, exc
            )

    def _signed_before(self, first: str) -> bool:
        return self._newest is not None or has_checkpoints(self.checkpoints, first)

    def _stop(self) -> None:
        if self._unchecked:
            self._checkpoint()
        self._conn.close()


def _check(conn: sqlite3.Connection, path: Path) -> None:
    """SQLite's own check (an audit file is small): a damaged file is refused with what to do."""
    try:
        findings = [row[0] for row in conn.execute("PRAGMA quick_check(3)")]
    except sqlite3.Error as exc:
        raise AuditError(dbfiles.describe(path, "audit trail", exc)) from exc
    if findings != ["ok"]:
        raise AuditError(
            f"{path} is a damaged audit trail ({'; '.join(findings)}): run `hmi audit verify` on it, move "
            f"it aside (keep it: it is the evidence) and start again: a new trail is started"
        )


def _tell(path: Path, finding: AuditEntry) -> None:
    if finding.result == OK:
        log.info("audit trail %s: %s", path, finding.reason)
    elif finding.result == INTERRUPTED:
        log.warning("audit trail %s: %s; this is recorded in the trail", path, finding.reason, extra=OPERATOR)
    else:
        log.error(
            "audit trail %s does not match its anchor (%s): run `hmi audit verify`",
            path,
            finding.reason,
            extra=OPERATOR,
        )


def connect_reader(path: Path) -> sqlite3.Connection:
    """A read-only connection to an audit file; AuditError when there is none."""
    return dbfiles.connect_reader(path, TABLE, "audit trail", AuditError)


def _row(raw: tuple[Any, ...]) -> AuditRow:
    return AuditRow(raw[0], AuditEntry(*raw[1:9]), raw[9])


def like_pattern(text: str) -> str:
    """A LIKE pattern (escape character backslash) for rows that contain `text`."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search(
    path: Path,
    start: float | None = None,
    end: float | None = None,
    user: str = "",
    action: str = "",
    text: str = "",
    limit: int | None = 5000,
) -> list[AuditRow]:
    """Rows newest first in [start, end) of `user` and `action` (any when empty) where the target,
    values or reason contain `text` (any case)."""
    where: list[str] = []
    params: list[Any] = []
    for clause, value in (
        ("ts >= ?", start),
        ("ts < ?", end),
        ("user = ?", user or None),
        ("action = ?", action or None),
    ):
        if value is not None:
            where.append(clause)
            params.append(value)
    if text:
        pattern = like_pattern(text)
        columns = ("target", "old_value", "new_value", "reason")
        where.append("(" + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in columns) + ")")
        params += [pattern] * len(columns)
    sql = f"SELECT id, {CONTENT}, hash FROM {TABLE} WHERE {' AND '.join(where) or '1'} ORDER BY id DESC"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    conn = connect_reader(path)
    try:
        return [_row(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def distinct(path: Path, column: str) -> list[str]:
    """The users or actions (`column`) that occur in the trail, for filter lists."""
    if column not in ("user", "action"):
        raise ValueError(column)
    conn = connect_reader(path)
    try:
        return [r[0] for r in conn.execute(f"SELECT DISTINCT {column} FROM {TABLE} ORDER BY 1")]
    finally:
        conn.close()


CSV_HEADER = ("id", "time", "user", "action", "target", "old value", "new value", "result", "reason", "hash")


def write_csv(rows: list[AuditRow], out: IO[str]) -> None:
    """Rows as CSV with local ISO times, in the order given."""
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in rows:
        e = row.entry
        when = datetime.fromtimestamp(e.ts).isoformat(timespec="milliseconds")
        writer.writerow(
            (row.id, when, e.user, e.action, e.target, e.old_value, e.new_value, e.result, e.reason, row.hash)
        )
