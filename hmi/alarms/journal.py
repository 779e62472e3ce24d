"""The alarm journal: every alarm transition as a row in the project's history database.

Callers only enqueue; a writer thread commits whatever has queued up in one transaction, so a
flood never blocks the engine and no row is dropped. synchronous=FULL because it is a record.
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from .. import dbfiles
from ..dbfiles import BUSY_TIMEOUT_S
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
WRITE_ATTEMPTS = 5


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
            new.kind.value,
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
    """Writes alarm transitions to `path` on a thread of its own; call close() at shutdown."""

    def __init__(self, path: Path, batch_size: int = 5000):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._batch_size = batch_size
        self._conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.executescript(SCHEMA)
        self._queue: queue.SimpleQueue[JournalEntry | threading.Event | None] = queue.SimpleQueue()
        self._queued = 0
        self._written = 0
        self.lost = 0
        """Rows the database refused even after retries (each loss is logged as an error)."""
        self.max_backlog = 0
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="alarm-journal", daemon=True)
        self._thread.start()

    def __enter__(self) -> AlarmJournal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def written(self) -> int:
        return self._written

    @property
    def backlog(self) -> int:
        """Rows handed over but not yet committed."""
        return self._queued - self._written - self.lost

    def record(self, entry: JournalEntry) -> None:
        """Queue one row; returns at once."""
        if self._closed:
            raise AlarmError("the alarm journal is closed")
        self._queue.put(entry)
        self._queued += 1
        self.max_backlog = max(self.max_backlog, self.backlog)

    def flush(self, timeout: float | None = 30.0) -> bool:
        """Wait until every row recorded so far is committed; False if that took longer than timeout."""
        if self._closed:
            return True
        done = threading.Event()
        self._queue.put(done)
        return done.wait(timeout)

    def close(self) -> None:
        """Commit what is queued, stop the writer and close the database."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(None)
        self._thread.join()
        self._conn.close()

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

    def _run(self) -> None:
        stop = False
        while not stop:
            item = self._queue.get()
            batch: list[JournalEntry] = []
            waiting: list[threading.Event] = []
            while True:
                if item is None:
                    stop = True
                elif isinstance(item, threading.Event):
                    waiting.append(item)
                else:
                    batch.append(item)
                if stop or len(batch) >= self._batch_size:
                    break
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            if batch:
                self._write(batch)
            for event in waiting:
                event.set()

    def _write(self, batch: list[JournalEntry]) -> None:
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                with self._conn:
                    self._conn.executemany(INSERT, batch)
            except sqlite3.Error as exc:
                if attempt == WRITE_ATTEMPTS:
                    log.error(
                        "alarm journal %s: %d rows lost after %d attempts: %s",
                        self.path,
                        len(batch),
                        attempt,
                        exc,
                        extra=OPERATOR,
                    )
                    self.lost += len(batch)
                    return
                log.warning("alarm journal %s: write failed (%s), retrying", self.path, exc, extra=OPERATOR)
                time.sleep(0.2 * attempt)
            else:
                self._written += len(batch)
                return
