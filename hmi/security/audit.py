"""The audit trail: who did what, to what, from which value to which, and how it ended.

One SQLite file per project (WAL, synchronous=FULL), append-only: triggers refuse UPDATE and DELETE,
and each row carries SHA-256(previous row's hash + this row's canonical content), so `verify()` finds
the first row that was edited, inserted or deleted by going around the app.

What the chain cannot do alone: someone who deletes the newest rows leaves a shorter chain that is
still valid, and someone who rewrites the file can recompute every hash. The row count and last hash
are therefore also kept in `<file>.anchor` beside it; `verify()` compares the table with it. That
anchor is only as safe as the folder it is in: copy it elsewhere (a backup, a printout) to rely on it.

Callers only enqueue: a single writer thread hashes, inserts and commits, so the asyncio loop never
waits for the disk.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
import logging
import os
import sqlite3
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any, NamedTuple

from .. import dbfiles
from ..dbfiles import BUSY_TIMEOUT_S
from ..notices import OPERATOR
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


def text(value: Any) -> str | None:
    """How a value is kept: as text (the trail is read by people), None stays NULL."""
    return None if value is None else str(value)


def digest(previous: str, entry: AuditEntry) -> str:
    """SHA-256 over the previous hash and the row's canonical JSON (the row id is not part of it)."""
    canonical = json.dumps(list(entry), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((previous + canonical).encode()).hexdigest()


def anchor_path(path: Path) -> Path:
    return Path(f"{path}.anchor")


def _read_anchor(path: Path) -> tuple[int, str] | None:
    try:
        data = json.loads(anchor_path(path).read_text(encoding="utf-8"))
        return int(data["rows"]), str(data["last_hash"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_anchor(path: Path, rows: int, last_hash: str) -> None:
    target = anchor_path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump({"rows": rows, "last_hash": last_hash}, out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, target)


def _tail(conn: sqlite3.Connection) -> tuple[int, str]:
    count, last = conn.execute(
        f"SELECT count(*), (SELECT hash FROM {TABLE} ORDER BY id DESC LIMIT 1) FROM {TABLE}"
    ).fetchone()
    return count, last or GENESIS


class AuditTrail:
    """Appends rows to `path` from a writer thread of its own; call close() at shutdown."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit: _append opens its own BEGIN IMMEDIATE to read the tail and insert atomically.
        self._conn = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_S, check_same_thread=False, isolation_level=None
        )
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.executescript(SCHEMA)
        self.lost = 0
        """Rows the database refused (each loss is logged as an error)."""
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="audit")
        self._closed = False
        anchor = _read_anchor(self.path)
        if anchor is not None and anchor != _tail(self._conn):
            # Said in the trail itself before the anchor moves on with the next row.
            log.error(
                "audit trail %s does not match its anchor: run `hmi audit verify`", self.path, extra=OPERATOR
            )
            self.record(
                "system", "audit_check", str(self.path), result=FAILED, reason="does not match its anchor"
            )

    def __enter__(self) -> AuditTrail:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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
        entry = AuditEntry(time.time(), user, action, target, text(old), text(new), result, reason)
        self._writer.submit(self._append, entry)

    def flush(self, timeout: float | None = 30.0) -> None:
        """Wait until every row recorded so far is committed."""
        if not self._closed:
            self._writer.submit(lambda: None).result(timeout)

    def close(self) -> None:
        """Commit what is queued, stop the writer and close the file."""
        if self._closed:
            return
        self._closed = True
        self._writer.shutdown(wait=True)
        self._conn.close()

    def _append(self, entry: AuditEntry) -> None:
        """Chain to the row that is last in the file now, under the write lock: another trail object
        or process on the same file (an editor beside the runtime) never forks the chain."""
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                last = conn.execute(f"SELECT hash FROM {TABLE} ORDER BY id DESC LIMIT 1").fetchone()
                hashed = digest(last[0] if last else GENESIS, entry)
                row_id = conn.execute(
                    f"INSERT INTO {TABLE} ({CONTENT}, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (*entry, hashed),
                ).lastrowid
                self._anchor(row_id or 0, hashed)  # still under the lock: anchors follow commit order
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            self.lost += 1
            log.error(
                "audit trail %s: row lost (%s %s by %s): %s",
                self.path,
                entry.action,
                entry.target,
                entry.user,
                exc,
                extra=OPERATOR,
            )

    def _anchor(self, rows: int, last_hash: str) -> None:
        try:
            _write_anchor(self.path, rows, last_hash)
        except OSError as exc:
            log.warning("audit trail %s: anchor not updated: %s", self.path, exc, extra=OPERATOR)


def connect_reader(path: Path) -> sqlite3.Connection:
    """A read-only connection to an audit file; AuditError when there is none."""
    return dbfiles.connect_reader(path, TABLE, "audit trail", AuditError)


def _row(raw: tuple[Any, ...]) -> AuditRow:
    return AuditRow(raw[0], AuditEntry(*raw[1:9]), raw[9])


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
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
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


@dataclass(frozen=True)
class ChainReport:
    """The outcome of `verify`: ok, or the first row found wrong and what seems to have happened."""

    rows: int
    problem: str = ""
    row: AuditRow | None = None

    @property
    def ok(self) -> bool:
        return not self.problem


def verify(path: Path) -> ChainReport:
    """Walk the chain from the first row; report the first edited, inserted or deleted row.

    Deleted middle rows show as a gap in the ids, or (renumbered) as a row that no longer chains.
    Deleting the newest rows or appending valid-looking ones is found only through the anchor file.
    """
    conn = connect_reader(path)
    try:
        cursor = conn.execute(f"SELECT id, {CONTENT}, hash FROM {TABLE} ORDER BY id")
        previous, before_previous, last_id, count = GENESIS, None, 0, 0
        last_row: AuditRow | None = None
        for raw, raw_next in itertools.pairwise(itertools.chain(cursor, [None])):
            row = _row(raw)
            following = None if raw_next is None else _row(raw_next)
            broken = _break(row, following, previous, before_previous, last_id, last_row)
            if broken is not None:
                return ChainReport(count, *broken)
            before_previous, previous, last_id, last_row = previous, row.hash, row.id, row
            count += 1
    finally:
        conn.close()
    anchor = _read_anchor(path)
    if anchor is None or anchor == (count, previous):
        return ChainReport(count)
    rows, last_hash = anchor
    if rows > count:
        return ChainReport(
            count, f"the newest {rows - count} row(s) were deleted: the anchor counts {rows}", last_row
        )
    if rows < count:
        return ChainReport(
            count, f"{count - rows} row(s) after row {rows} were added outside the app", last_row
        )
    return ChainReport(
        count, "the last row is not the one the anchor recorded: the chain was rewritten", last_row
    )


def _break(
    row: AuditRow,
    following: AuditRow | None,
    previous: str,
    before_previous: str | None,
    last_id: int,
    last_row: AuditRow | None,
) -> tuple[str, AuditRow] | None:
    """Why `row` does not follow the verified part of the chain, and the row to blame; None if it does."""
    if row.id != last_id + 1:
        return f"row(s) {last_id + 1}..{row.id - 1} were deleted (the chain breaks at row {row.id})", row
    if row.hash == digest(previous, row.entry):
        return None
    if (
        last_row is not None
        and before_previous is not None
        and row.hash == digest(before_previous, row.entry)
    ):
        return f"row {last_row.id} was inserted: row {row.id} chains to the row before it", last_row
    if following is not None and following.hash == digest(previous, following.entry):
        return f"row {row.id} was inserted: the next row chains to the row before it", row
    if following is not None and following.hash == digest(row.hash, following.entry):
        return f"row {row.id} was edited (or row {row.id - 1} edited and its hash recomputed)", row
    return f"the chain breaks at row {row.id}: edited, or rows before it deleted and renumbered", row
