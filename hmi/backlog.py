"""Rows a record's writer could not commit yet (disk full, folder read-only): they wait in memory up to
a bound, beyond it in a spill file in another folder (the user's cache dir), oldest first, and are
written when the disk takes them again; a spill left by a stopped app is written at the next start.

Only the Writer's thread calls a Backlog's methods; `len()` may be read from any thread.
"""

from __future__ import annotations

import hashlib
import logging
import queue
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from platformdirs import user_cache_path

from .dbfiles import cause
from .notices import OPERATOR

log = logging.getLogger(__name__)

Row = Sequence[Any]
NOTICE_EVERY_S = 60.0
"""How often the operator is reminded how many rows wait."""
RETRY_S = 1.0
"""How often a refused write is tried again."""


def spill_dir() -> Path:
    """Where waiting rows go when memory is full: off the data dir's disk where the platform allows."""
    return user_cache_path("OpenHMI", "OpenHMI") / "waiting"


def spill_path(folder: Path, database: Path, what: str) -> Path:
    """The spill file of `what` ('alarm-journal', 'audit') written to `database`: one per file."""
    key = hashlib.sha256(str(Path(database).resolve()).encode()).hexdigest()[:12]
    return Path(folder) / f"{what}-{key}.sqlite"


class Backlog:
    """Rows of `width` columns waiting for `database` (the `what`, e.g. 'alarm journal', holding
    `rows` such as 'alarm rows'), oldest first, and what the operator is told about them.

    `durable`: while the database refuses rows they go to the spill file at once, not past the memory
    bound (a database server's outage lasts longer than a disk's hiccup)."""

    def __init__(
        self,
        database: Path,
        what: str,
        rows: str,
        width: int,
        memory_rows: int,
        folder: Path | None = None,
        *,
        durable: bool = False,
    ):
        self.database = Path(database)
        self.what = what
        self.rows = rows
        self.spill = spill_path(folder or spill_dir(), database, what.replace(" ", "-"))
        self.memory_rows = memory_rows
        self.durable = durable
        self._width = width
        self._refused_at: float | None = None
        """When the operator was last told that rows wait; None while the database takes them."""
        self._told_spilled = False
        self._most = 0
        self._memory: deque[tuple[Any, ...]] = deque()
        self._spilled = 0
        self._conn: sqlite3.Connection | None = None
        self.lost = 0
        """Rows dropped because memory was full and the spill file could not be written."""
        if self.spill.is_file():
            try:
                self._spilled = self._open().execute("SELECT count(*) FROM waiting").fetchone()[0]
            except sqlite3.Error as exc:
                log.error("waiting rows in %s cannot be read: %s", self.spill, exc)

    def __len__(self) -> int:
        return self._spilled + len(self._memory)

    @property
    def spilled(self) -> int:
        return self._spilled

    def add(self, rows: Sequence[Row]) -> None:
        """Queue `rows` after those already waiting; past the memory bound the oldest go to the spill."""
        self._memory.extend(tuple(r) for r in rows)
        if self.durable and self.refusing:
            self.spill_memory()
        elif len(self._memory) > self.memory_rows:
            self.spill_memory(keep=self.memory_rows // 2)

    def spill_memory(self, keep: int = 0) -> bool:
        """Move all but the newest `keep` memory rows to the spill file; False (rows beyond the memory
        bound counted as lost) when it cannot be written."""
        moving = [self._memory.popleft() for _ in range(max(0, len(self._memory) - keep))]
        if not moving:
            return True
        try:
            conn = self._open()
            with conn:
                conn.executemany(self._insert, moving)
        except sqlite3.Error as exc:
            self._memory.extendleft(reversed(moving))
            excess = len(self._memory) - self.memory_rows
            if excess > 0:
                for _ in range(excess):
                    self._memory.pop()
                self.lost += excess
            log.error("cannot keep waiting rows in %s: %s", self.spill, exc)
            return False
        self._spilled += len(moving)
        return True

    def peek(self, limit: int) -> list[tuple[Any, ...]]:
        """The oldest `limit` rows, left in place until drop()."""
        if self._spilled:
            assert self._conn is not None
            cursor = self._conn.execute(f"SELECT {self._columns} FROM waiting ORDER BY seq LIMIT ?", (limit,))
            return [tuple(r) for r in cursor]
        return [self._memory[i] for i in range(min(limit, len(self._memory)))]

    def drop(self, count: int) -> None:
        """Forget the oldest `count` rows: they are in their database now."""
        if self._spilled:
            assert self._conn is not None
            with self._conn:
                self._conn.execute(
                    "DELETE FROM waiting WHERE seq IN (SELECT seq FROM waiting ORDER BY seq LIMIT ?)",
                    (count,),
                )
            self._spilled -= count
            if not self._spilled:
                self._remove_spill()
            return
        for _ in range(count):
            self._memory.popleft()

    def refused(self, exc: sqlite3.Error | OSError) -> None:
        """The database refused the oldest rows: tell the operator how many wait and why, at the first
        refusal, when rows start going to the spill file, and once a NOTICE_EVERY_S while it lasts."""
        if self.durable:
            self.spill_memory()
        now = time.monotonic()
        self._most = max(self._most, len(self))
        spilling = self._spilled > 0 and not self._told_spilled
        if self._refused_at is not None and not spilling and now - self._refused_at < NOTICE_EVERY_S:
            return
        self._refused_at, self._told_spilled = now, self._spilled > 0
        where = f" ({self._spilled} of them in {self.spill})" if self._spilled else ""
        log.warning(
            "%s: %d %s waiting%s: the %s %s cannot be written (%s); they are written when it can be again",
            cause(self.database, exc),
            len(self),
            self.rows,
            where,
            self.what,
            self.database,
            exc,
            extra=OPERATOR,
        )

    def saved(self) -> None:
        """Every waiting row is in the database: say so if the operator was told they wait."""
        if self._refused_at is not None:
            log.warning(
                "%s %s written again: the %d waiting %s are saved",
                self.what,
                self.database,
                self._most,
                self.rows,
                extra=OPERATOR,
            )
        self._refused_at, self._told_spilled, self._most = None, False, 0

    @property
    def refusing(self) -> bool:
        """Whether the database refused the last try."""
        return self._refused_at is not None

    def keep_for_next_start(self) -> None:
        """At shutdown: whatever still waits goes to the spill file, written at the next start."""
        if not self:
            return
        count = len(self)
        if self.spill_memory():
            log.warning(
                "%d %s could not be written to %s: they wait in %s and are written at the next start",
                count,
                self.rows,
                self.database,
                self.spill,
                extra=OPERATOR,
            )
        else:
            log.error(
                "%d %s lost: neither %s nor %s can be written",
                self.lost,
                self.rows,
                self.database,
                self.spill,
                extra=OPERATOR,
            )

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @property
    def _columns(self) -> str:
        return ", ".join(f"c{i}" for i in range(self._width))

    @property
    def _insert(self) -> str:
        return f"INSERT INTO waiting ({self._columns}) VALUES ({', '.join('?' * self._width)})"

    def _open(self) -> sqlite3.Connection:
        if self._conn is None:
            self.spill.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # rows name users and values
            self._conn = sqlite3.connect(self.spill, check_same_thread=False)
            self._conn.execute("PRAGMA synchronous=FULL")
            self._conn.execute(
                f"CREATE TABLE IF NOT EXISTS waiting (seq INTEGER PRIMARY KEY, {self._columns})"
            )
        return self._conn

    def _remove_spill(self) -> None:
        self.close()
        for suffix in ("", "-journal"):
            Path(f"{self.spill}{suffix}").unlink(missing_ok=True)


Commit = Callable[[list[tuple[Any, ...]]], None]
"""Writes rows in one transaction, or raises sqlite3.Error / OSError having rolled it back."""


class Writer:
    """The one thread that commits a record's rows: whatever has queued up goes in one transaction;
    what the database refuses waits in the Backlog and is tried again every RETRY_S.

    `tick()`, called when the writer is about to wait, returns in how many seconds it wants to be
    called again (None: not until rows come); `stopping()` runs last, on the writer thread."""

    def __init__(
        self,
        backlog: Backlog,
        commit: Commit,
        *,
        name: str,
        batch_size: int = 5000,
        tick: Callable[[], float | None] = lambda: None,
        stopping: Callable[[], None] = lambda: None,
    ):
        self.backlog = backlog
        self._commit = commit
        self._batch_size = batch_size
        self._tick = tick
        self._stopping = stopping
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.queued = len(backlog)  # rows a stopped app left in the spill file come first
        self.written = 0
        self._next_try = 0.0
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def put(self, row: Row) -> None:
        self._queue.put(tuple(row))
        self.queued += 1

    def flush(self, timeout: float | None) -> bool:
        """Try to commit every row put so far; False if rows still wait or that took over `timeout`."""
        done = threading.Event()
        self._queue.put(done)
        return done.wait(timeout) and not self.backlog

    def run_on_writer(self, job: Callable[[], None]) -> None:
        """Run `job` on the writer thread, after the rows put so far."""
        self._queue.put(job)

    def stop(self) -> None:
        """Commit what is queued (what is refused goes to the spill file for the next start) and end."""
        self._queue.put(None)
        self._thread.join()

    def _run(self) -> None:
        stop = False
        while not stop:
            rows: list[tuple[Any, ...]] = []
            waiters: list[threading.Event] = []
            jobs: list[Callable[[], None]] = []
            item = self._next(self._timeout())
            while item is not _EMPTY:
                if item is None:
                    stop = True
                    break
                if isinstance(item, threading.Event):
                    waiters.append(item)
                elif callable(item):
                    jobs.append(item)
                else:
                    rows.append(item)
                if len(rows) >= self._batch_size:
                    break
                item = self._next(0)
            self.backlog.add(rows)
            if self.backlog and (
                not self.backlog.refusing or time.monotonic() >= self._next_try or waiters or stop
            ):
                self._drain()
            for job in jobs:
                job()
            for event in waiters:
                event.set()
        self._stopping()
        self.backlog.keep_for_next_start()
        self.backlog.close()

    def _next(self, timeout: float | None) -> Any:
        try:
            return self._queue.get(timeout=timeout) if timeout != 0 else self._queue.get_nowait()
        except queue.Empty:
            return _EMPTY

    def _timeout(self) -> float | None:
        """How long to wait for rows: until the next retry, or the tick's next call."""
        due = [self._tick()]
        if self.backlog:
            due.append(max(0.0, self._next_try - time.monotonic()))
        known = [d for d in due if d is not None]
        return min(known) if known else None

    def _drain(self) -> None:
        """Write waiting rows, oldest first, until none wait or the database refuses them."""
        while self.backlog:
            rows = self.backlog.peek(self._batch_size)
            try:
                self._commit(rows)
            except (sqlite3.Error, OSError) as exc:
                self._next_try = time.monotonic() + RETRY_S
                self.backlog.refused(exc)
                return
            self.backlog.drop(len(rows))
            self.written += len(rows)
        self.backlog.saved()


_EMPTY = object()
