"""The alarm journal: every alarm transition as a row in the project's history database.

Callers only enqueue; a writer thread commits whatever has queued up in one transaction, so a
flood never blocks the engine and no row is dropped: what the disk refuses waits (hmi/backlog.py).
synchronous=FULL because it is a record.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from .. import dbfiles
from ..backlog import Backlog, Writer
from ..notices import OPERATOR
from .model import Alarm, AlarmError, AlarmState
from .settings import Priority

log = logging.getLogger(__name__)

TABLE = "alarm_journal"
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    id INTEGER PRIMARY KEY,
    ts REAL NOT NULL,
    alarm_id TEXT NOT NULL,
    tag TEXT NOT NULL,
    kind TEXT NOT NULL,
    priority TEXT NOT NULL,
    old_state TEXT NOT NULL,
    new_state TEXT NOT NULL,
    active INTEGER NOT NULL,
    value,
    limit_value,
    actor TEXT NOT NULL,
    comment TEXT NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS {TABLE}_ts ON {TABLE} (ts);
CREATE INDEX IF NOT EXISTS {TABLE}_alarm ON {TABLE} (alarm_id, ts);
"""
COLUMNS = (
    "ts, alarm_id, tag, kind, priority, old_state, new_state, active, value, limit_value, "
    "actor, comment, message"
)
INSERT = f"INSERT INTO {TABLE} ({COLUMNS}) VALUES ({', '.join('?' * 13)})"
MEMORY_ROWS = 100_000
"""Alarm rows kept in memory while the disk refuses them; more wait in a spill file."""


def storable(value: Any) -> Any:
    """A value SQLite can hold as it is; anything else (an array, a date) is kept as its text."""
    return value if value is None or isinstance(value, int | float | str | bytes) else str(value)


class JournalEntry(NamedTuple):
    """One row of the journal: an alarm moved from old_state to new_state because of actor."""

    ts: float
    alarm_id: str
    tag: str
    kind: str
    priority: str
    old_state: str
    new_state: str
    active: bool
    value: Any
    limit: Any
    actor: str
    comment: str
    message: str

    @classmethod
    def change(cls, old: Alarm, new: Alarm, actor: str, comment: str) -> JournalEntry:
        """The row for an alarm changing from `old` to `new`."""
        return cls(
            new.changed_at or 0.0,
            new.id,
            new.tag,
            new.kind,
            new.priority.value,
            old.state.value,
            new.state.value,
            new.active,
            storable(new.value),
            storable(new.limit),
            actor,
            comment,
            new.message,
        )


def connect_reader(path: Path) -> sqlite3.Connection:
    """A read-only connection to the journal's database; AlarmError when there is no journal."""
    return dbfiles.connect_reader(path, TABLE, "alarm journal", AlarmError)


def _entry(row: tuple[Any, ...]) -> JournalEntry:
    return JournalEntry._make((*row[:7], bool(row[7]), *row[8:]))


class AlarmJournal:
    """Writes alarm transitions to `path` on a thread of its own; call close() at shutdown.

    Rows the disk refuses (full, read-only) wait, at most `memory_rows` in memory and the rest in a
    spill file in `spill_dir`, and are written as soon as it takes them again; the operator is told."""

    def __init__(
        self,
        path: Path,
        batch_size: int = 5000,
        *,
        spill_dir: Path | None = None,
        memory_rows: int = MEMORY_ROWS,
    ):
        self.path = Path(path)
        self._conn = dbfiles.open_writer(self.path, "alarm journal", AlarmError, SCHEMA, isolation_level=None)
        waiting = Backlog(
            self.path, "alarm journal", "alarm rows", len(JournalEntry._fields), memory_rows, spill_dir
        )
        self._watch = dbfiles.Watch(self.path)
        self._writer = Writer(
            waiting, self._commit, name="alarm-journal", batch_size=batch_size, stopping=self._close
        )
        self.max_backlog = 0
        self._closed = False

    def __enter__(self) -> AlarmJournal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def written(self) -> int:
        return self._writer.written

    @property
    def lost(self) -> int:
        """Rows dropped: memory was full and the spill file could not be written (each loss is logged)."""
        return self._writer.backlog.lost

    @property
    def backlog(self) -> int:
        """Rows handed over but not yet committed."""
        return self._writer.queued - self.written - self.lost

    @property
    def waiting(self) -> int:
        """Rows the disk refused so far, waiting in memory or in the spill file."""
        return len(self._writer.backlog)

    def record(self, entry: JournalEntry) -> None:
        """Queue one row; returns at once."""
        if self._closed:
            raise AlarmError("the alarm journal is closed")
        self._writer.put(entry)
        self.max_backlog = max(self.max_backlog, self.backlog)

    def flush(self, timeout: float | None = 30.0) -> bool:
        """Try to commit every row recorded so far; False if rows still wait (the disk refuses them) or
        that took longer than timeout."""
        return True if self._closed else self._writer.flush(timeout)

    def close(self) -> None:
        """Commit what is queued (what the disk refuses waits in the spill file for the next start),
        stop the writer and close the database."""
        if self._closed:
            return
        self._closed = True
        self._writer.stop()

    def search(
        self,
        start: float | None = None,
        end: float | None = None,
        text: str = "",
        priorities: Iterable[Priority] = (),
        states: Iterable[AlarmState] = (),
        limit: int = 1000,
    ) -> list[JournalEntry]:
        """Rows newest first in [start, end) whose alarm id or message contains `text` (any case),
        of the given priorities and new states (all when empty)."""
        where: list[str] = []
        params: list[Any] = []
        if start is not None:
            where.append("ts >= ?")
            params.append(start)
        if end is not None:
            where.append("ts < ?")
            params.append(end)
        if text:
            pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            where.append("(alarm_id LIKE ? ESCAPE '\\' OR message LIKE ? ESCAPE '\\')")
            params += [pattern, pattern]
        for column, values in (("priority", priorities), ("new_state", states)):
            chosen = [str(v) for v in values]
            if chosen:
                where.append(f"{column} IN ({', '.join('?' * len(chosen))})")
                params += chosen
        sql = (
            f"SELECT {COLUMNS} FROM {TABLE} WHERE {' AND '.join(where) or '1'} "
            "ORDER BY ts DESC, id DESC LIMIT ?"
        )
        conn = connect_reader(self.path)
        try:
            return [_entry(row) for row in conn.execute(sql, [*params, limit])]
        finally:
            conn.close()

    def _commit(self, rows: list[tuple[Any, ...]]) -> None:
        if self._watch.replaced():
            self._follow()
        try:
            self._conn.execute("BEGIN")
            self._conn.executemany(INSERT, rows)
            self._conn.execute("COMMIT")
        except sqlite3.Error:
            # SQLite may have rolled back by itself (disk full): rolling back again would raise.
            if self._conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):  # the first error is the one to tell
                    self._conn.execute("ROLLBACK")
            raise

    def _follow(self) -> None:
        """The file was replaced, moved or deleted under the journal: go on in a copy of the one it had
        open, as the historian does with the same file, and leave the new file at the path alone (opening
        it beside the old one's write-ahead log would mix the two)."""
        kept = self._watch.keep(self._conn)
        self._conn.close()
        try:
            conn = dbfiles.open_writer(kept, "alarm journal", AlarmError, SCHEMA, isolation_level=None)
        except AlarmError as exc:
            raise OSError(str(exc)) from exc
        log.error(
            "alarm journal %s was replaced, moved or deleted while OpenHMI was writing it: the alarm rows "
            "in it are kept in %s and new ones go on there; the new %s is left as it is. Restart OpenHMI "
            "to use it",
            self.path,
            kept,
            self.path,
            extra=OPERATOR,
        )
        self._conn, self.path, self._watch = conn, kept, dbfiles.Watch(kept)

    def _close(self) -> None:
        self._conn.close()
