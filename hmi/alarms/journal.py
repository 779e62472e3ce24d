"""The alarm journal: every alarm transition as a row in the project's history database, and the
plain events servers emit (hmi/alarms/server_events.py) in a table beside them.

Callers only enqueue; a writer thread commits whatever has queued up in one transaction, so a
flood never blocks the engine and no alarm row is dropped: what the disk refuses waits
(hmi/backlog.py). Server events have a writer of their own with a bound: past it they are dropped
and counted, so a chatty server cannot grow memory. synchronous=FULL because it is a record.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from .. import dbfiles
from ..backlog import Backlog, Writer
from ..notices import OPERATOR
from .model import Alarm, AlarmError, AlarmState
from .server_events import ServerEvent
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
EVENT_TABLE = "server_event"
EVENT_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {EVENT_TABLE} (
    id INTEGER PRIMARY KEY,
    ts REAL NOT NULL,
    connection TEXT NOT NULL,
    source TEXT NOT NULL,
    severity INTEGER NOT NULL,
    priority TEXT NOT NULL,
    message TEXT NOT NULL,
    event_type TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS {EVENT_TABLE}_ts ON {EVENT_TABLE} (ts);
"""
VERSION = 2
"""The journal's schema (PRAGMA user_version): 0 or 1 is the alarm table alone, 2 adds server events.
An older file is upgraded in place when it is opened for writing; a newer one is refused."""
COLUMNS = (
    "ts, alarm_id, tag, kind, priority, old_state, new_state, active, value, limit_value, "
    "actor, comment, message"
)
INSERT = f"INSERT INTO {TABLE} ({COLUMNS}) VALUES ({', '.join('?' * 13)})"
EVENT_COLUMNS = "ts, connection, source, severity, priority, message, event_type"
EVENT_INSERT = f"INSERT INTO {EVENT_TABLE} ({EVENT_COLUMNS}) VALUES ({', '.join('?' * 7)})"
MEMORY_ROWS = 100_000
"""Alarm rows kept in memory while the disk refuses them; more wait in a spill file."""
EVENT_ROWS = 20_000
"""Server events waiting for the disk at most: more are dropped and counted (a few MiB at most)."""
DROP_NOTICE_S = 60.0
"""How often the operator is told, while events are dropped, how many were."""


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


def open_journal(path: Path) -> sqlite3.Connection:
    """The writer's connection to the journal at `path`, its schema brought up to VERSION in place;
    AlarmError for a journal of a newer OpenHMI, whose tables this one might write wrongly."""
    conn = dbfiles.open_writer(path, "alarm journal", AlarmError, "", isolation_level=None)
    try:
        found = conn.execute("PRAGMA user_version").fetchone()[0]
        if found > VERSION:
            raise AlarmError(
                f"{path}: the alarm journal was written by a newer OpenHMI (journal schema {found}; this "
                f"version knows up to {VERSION}). Run that newer version, or move the file aside to start "
                f"a new, empty journal"
            )
        if found < VERSION:
            conn.executescript(f"BEGIN; {SCHEMA} {EVENT_SCHEMA} PRAGMA user_version = {VERSION}; COMMIT;")
    except sqlite3.Error as exc:
        conn.close()
        raise AlarmError(dbfiles.describe(path, "alarm journal", exc)) from exc
    except AlarmError:
        conn.close()
        raise
    return conn


def entry_from_row(row: tuple[Any, ...]) -> JournalEntry:
    """A journal row as read with COLUMNS (SQLite keeps `active` as 0/1)."""
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
        event_rows: int = EVENT_ROWS,
    ):
        self.path = Path(path)
        self._conn = open_journal(self.path)
        self._event_conn = open_journal(self.path)
        waiting = Backlog(
            self.path, "alarm journal", "alarm rows", len(JournalEntry._fields), memory_rows, spill_dir
        )
        self._watch = dbfiles.Watch(self.path)
        self._event_watch = dbfiles.Watch(self.path)
        self._writer = Writer(
            waiting, self._commit, name="alarm-journal", batch_size=batch_size, stopping=self._close
        )
        self.event_rows = event_rows
        width = len(ServerEvent._fields)
        events_waiting = Backlog(self.path, "event journal", "server events", width, event_rows, spill_dir)
        self._events = Writer(
            events_waiting,
            self._commit_events,
            name="server-event-journal",
            batch_size=batch_size,
            stopping=lambda: self._event_conn.close(),  # the connection of the end, after a follow
        )
        self.events_dropped = 0
        """Server events not journaled: EVENT_ROWS were already waiting for the disk."""
        self._dropped_told = 0
        self._drop_told_at: float | None = None
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

    @property
    def events_backlog(self) -> int:
        """Server events handed over but not yet committed."""
        events = self._events
        return events.queued - events.written - events.backlog.lost

    def record_event(self, event: ServerEvent) -> None:
        """Queue one server event; returns at once. With `event_rows` already waiting it is dropped and
        counted instead, and the operator told (at the first and once a minute while it lasts)."""
        if self._closed:
            raise AlarmError("the alarm journal is closed")
        if self.events_backlog < self.event_rows:
            self._events.put(event)
            return
        self.events_dropped += 1
        now = time.monotonic()
        if self._drop_told_at is not None and now - self._drop_told_at < DROP_NOTICE_S:
            return
        self._drop_told_at, new = now, self.events_dropped - self._dropped_told
        self._dropped_told = self.events_dropped
        log.warning(
            "%d server event(s) not journaled (%d in all): %d were already waiting to be written to %s",
            new,
            self.events_dropped,
            self.event_rows,
            self.path,
            extra=OPERATOR,
        )

    def flush(self, timeout: float | None = 30.0) -> bool:
        """Try to commit every row recorded so far; False if rows still wait (the disk refuses them) or
        that took longer than timeout."""
        if self._closed:
            return True
        return self._events.flush(timeout) & self._writer.flush(timeout)

    def close(self) -> None:
        """Commit what is queued (what the disk refuses waits in the spill file for the next start),
        stop the writers and close the database."""
        if self._closed:
            return
        self._closed = True
        self._events.stop()
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
            where.append("(alarm_id LIKE ? ESCAPE '\\' OR message LIKE ? ESCAPE '\\')")
            params += [_pattern(text)] * 2
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
            return [entry_from_row(row) for row in conn.execute(sql, [*params, limit])]
        finally:
            conn.close()

    def search_events(
        self,
        start: float | None = None,
        end: float | None = None,
        text: str = "",
        priorities: Iterable[Priority] = (),
        limit: int = 1000,
    ) -> list[ServerEvent]:
        """Server events newest first in [start, end) whose source, message or type contains `text`
        (any case), of the given priorities (all when empty)."""
        return search_events(self.path, start, end, text, priorities, limit)

    def _commit(self, rows: list[tuple[Any, ...]]) -> None:
        if self._watch.replaced():
            self._follow()
        _insert(self._conn, INSERT, rows)

    def _commit_events(self, rows: list[tuple[Any, ...]]) -> None:
        if self._event_watch.replaced():
            self._follow_events()
        _insert(self._event_conn, EVENT_INSERT, rows)

    def _follow_events(self) -> None:
        """As _follow, for the server events: on in the same copy (one a replaced file, whichever
        writer notices first); the alarm writer tells the operator."""
        kept = self._event_watch.keep(self._event_conn)
        self._event_conn.close()
        try:
            conn = open_journal(kept)
        except AlarmError as exc:
            raise OSError(str(exc)) from exc
        log.warning("server events go on in %s: %s was replaced, moved or deleted", kept, self.path)
        self._event_conn, self.path, self._event_watch = conn, kept, dbfiles.Watch(kept)

    def _follow(self) -> None:
        """The file was replaced, moved or deleted under the journal: go on in a copy of the one it had
        open, as the historian does with the same file, and leave the new file at the path alone (opening
        it beside the old one's write-ahead log would mix the two)."""
        kept = self._watch.keep(self._conn)
        self._conn.close()
        try:
            conn = open_journal(kept)
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


def _insert(conn: sqlite3.Connection, insert: str, rows: list[tuple[Any, ...]]) -> None:
    try:
        conn.execute("BEGIN")
        conn.executemany(insert, rows)
        conn.execute("COMMIT")
    except sqlite3.Error:
        # SQLite may have rolled back by itself (disk full): rolling back again would raise.
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):  # the first error is the one to tell
                conn.execute("ROLLBACK")
        raise


def _pattern(text: str) -> str:
    """`text` anywhere, for LIKE ... ESCAPE '\\'."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search_events(
    path: Path,
    start: float | None = None,
    end: float | None = None,
    text: str = "",
    priorities: Iterable[Priority] = (),
    limit: int = 1000,
) -> list[ServerEvent]:
    """The server events journaled at `path`, as AlarmJournal.search_events; none in a journal written
    before events were (it has no table for them yet); AlarmError when there is no journal."""
    where: list[str] = []
    params: list[Any] = []
    if start is not None:
        where.append("ts >= ?")
        params.append(start)
    if end is not None:
        where.append("ts < ?")
        params.append(end)
    if text:
        anywhere = " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in ("source", "message", "event_type"))
        where.append(f"({anywhere})")
        params += [_pattern(text)] * 3
    chosen = [str(p) for p in priorities]
    if chosen:
        where.append(f"priority IN ({', '.join('?' * len(chosen))})")
        params += chosen
    sql = (
        f"SELECT {EVENT_COLUMNS} FROM {EVENT_TABLE} WHERE {' AND '.join(where) or '1'} "
        "ORDER BY ts DESC, id DESC LIMIT ?"
    )
    conn = connect_reader(path)
    try:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (EVENT_TABLE,)).fetchone() is None:
            return []
        return [ServerEvent._make(row) for row in conn.execute(sql, [*params, limit])]
    except sqlite3.Error as exc:
        raise AlarmError(dbfiles.describe(path, "alarm journal", exc, writing=False)) from exc
    finally:
        conn.close()
