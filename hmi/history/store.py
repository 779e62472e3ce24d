"""The historian: takes samples from the tag table and writes them to SQLite on its own thread.

`record` only appends to the tag's queue, so the engine's loop never waits on disk. The writer thread
drains the queues, filters and compresses per tag, and commits one transaction per flush interval
with raw `executemany`; the same transaction rolls up every minute that a tag has completed, and seals
into chunks what a bulk flush already closes. Between flushes it seals closed rows (hmi.history.seal).
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from copy import copy
from dataclasses import fields
from itertools import chain
from pathlib import Path

from ..backlog import NOTICE_EVERY_S
from ..dbfiles import Watch, cause, tell_if_empty
from ..notices import OPERATOR
from ..quality import Quality, Sample
from .compression import Filter, Periodic, Value, coercer, make_filter
from .errors import HistoryError
from .retention import Retention
from .schema import MINUTE_MS, SAMPLE_BUCKETS, connect, describe, open_for_writing, register
from .seal import Sealer, TagState, load_states
from .settings import HistorianTag, HistoryConfig

log = logging.getLogger(__name__)

_BAD = int(Quality.BAD)
MAX_QUEUED = 50_000  # samples a tag may queue between flushes; beyond, the oldest are dropped
MAX_UNWRITTEN = 1_000_000  # rows kept for retrying while the file cannot be written
PURGE_BUDGET_S = 0.1
SEAL_BUDGET_S = 0.1  # a flush waits at most about this long for sealing between flushes
FLUSH_TIMEOUT_S = 30.0

_INSERT = "INSERT OR REPLACE INTO history_sample (tag_id, ts, value, quality) VALUES (?, ?, ?, ?)"
# The newest sample of every tag: sealed (older) first, so that a row overrides its tag's chunk.
_LAST_SAMPLES = """
SELECT c.tag_id, c.t_last, c.q_last FROM history_chunk c
    WHERE c.hour = (SELECT max(hour) FROM history_chunk WHERE tag_id = c.tag_id)
UNION ALL
SELECT t.id, s.ts, s.quality FROM history_tag t JOIN history_sample s
    ON s.tag_id = t.id AND s.ts = (SELECT max(ts) FROM history_sample WHERE tag_id = t.id)
"""
_ROLLUP = (
    "INSERT OR REPLACE INTO history_minute (tag_id, minute, vmin, vmax, vsum, n, worst, vfirst, vlast)"
    f" SELECT ?1, * FROM ({SAMPLE_BUCKETS})"
)


class TagLog:
    """Writer-side state of one tag: its queue, its filter, its last row and the minute still open
    (shared by every backend's writer, so that all of them store the same samples)."""

    __slots__ = (
        "name",
        "tag_id",
        "queue",
        "coerce",
        "filter",
        "last_in",
        "quality_in",
        "last_row",
        "minute",
        "warned_late",
        "warned_full",
        "rows",
        "seal",
    )

    def __init__(
        self,
        tag: HistorianTag,
        tag_id: int,
        queue: deque[Sample],
        last: tuple[int, int] | None,
        seal: TagState,
    ):
        self.name = tag.name
        self.tag_id = tag_id
        self.queue = queue
        self.coerce = coercer(tag.kind)
        self.filter: Filter = make_filter(tag, self.store)
        # Carry on after the last stored row (ts, quality), so a restart neither repeats nor reorders.
        self.last_in, self.quality_in = last or (-1, -1)
        self.last_row = self.last_in
        self.minute = max(self.last_row, 0) // MINUTE_MS  # rows from this minute on are not rolled up yet
        self.warned_late = self.warned_full = False
        self.rows: list[tuple] = []  # not committed yet
        self.seal = seal

    def drain(self) -> None:
        """Turn the samples queued since the last call into rows: the historian's hot loop, kept lean."""
        queue, offer, coerce, append, tag_id = (
            self.queue,
            self.filter.offer,
            self.coerce,
            self.rows.append,
            self.tag_id,
        )
        self._check_full()
        last_in, quality_in = self.last_in, self.quality_in
        for _ in range(len(queue)):
            sample = queue.popleft()
            ts = round(sample.ts * 1000)
            quality = int(sample.quality)  # binding an IntEnum costs SQLite an adapter lookup on every row
            if ts <= last_in:
                if quality == quality_in:
                    self._late(sample)
                    continue
                ts = last_in + 1  # a quality change is always kept, just after the last sample
            last_in, quality_in = ts, quality
            value = None if quality == _BAD else coerce(sample.value)
            if offer(ts, value, quality):
                append((tag_id, ts, value, quality))
                self.last_row = ts
        self.last_in, self.quality_in = last_in, quality_in

    def store(self, ts: int, value: Value, quality: int) -> None:
        """Store a point the filter emits itself (a held-back or periodic one); times only increase."""
        self.rows.append((self.tag_id, ts, value, quality))
        self.last_row = ts

    def completed_minutes(self) -> tuple[int, int, int, int] | None:
        """Parameters of the rollup of the minutes completed since the last call, if any."""
        minute = self.last_row // MINUTE_MS
        if minute <= self.minute:
            return None
        start, self.minute = self.minute, minute
        return self.tag_id, MINUTE_MS, start * MINUTE_MS, minute * MINUTE_MS

    def _check_full(self) -> None:
        full = len(self.queue) == self.queue.maxlen
        if full and not self.warned_full:
            log.warning(
                "history: tag %s queued %d samples faster than the disk took them; the oldest were dropped",
                self.name,
                self.queue.maxlen,
                extra=OPERATOR,
            )
        self.warned_full = full

    def _late(self, sample: Sample) -> None:
        if not self.warned_late:
            log.warning(
                "history: tag %s sent a sample (%.3f) not newer than the last one; dropped such samples",
                self.name,
                sample.ts,
            )
            self.warned_late = True


class Historian:
    """Logs tag samples to the project's history file; see the module docstring for the threading."""

    def __init__(
        self, path: Path, tags: list[HistorianTag], config: HistoryConfig | None = None, *, seal: bool = True
    ):
        """`seal` False keeps every sample in the row table, as before schema 2 (for comparison)."""
        self.path = Path(path)
        self.config = config or HistoryConfig()
        self.seal = seal
        self._tags = {tag.name: tag for tag in tags if tag.settings.mode != "off"}
        # One queue per tag: record() appends without building a tuple, and the writer drains a tag at a time.
        self._queues: dict[str, deque[Sample]] = {name: deque(maxlen=MAX_QUEUED) for name in self._tags}
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._waiters: list[threading.Event] = []
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None

    def start(self) -> None:
        """Open and check the file (raises HistoryDamaged if it is damaged), then start the writer thread.

        The check reads the whole file, so on a large file call this off the event loop.
        """
        if self._thread is not None:
            return
        tell_if_empty(self.path, "history")
        con = open_for_writing(self.path)
        try:
            ids = register(con, self._tags.values())
            last = {tag_id: (ts, quality) for tag_id, ts, quality in con.execute(_LAST_SAMPLES)}
            states = load_states(con, [ids[n] for n in self._tags])
        except sqlite3.DatabaseError as exc:
            con.close()
            raise describe(self.path, exc) from exc
        logs = [
            TagLog(tag, ids[n], self._queues[n], last.get(ids[n]), states[ids[n]])
            for n, tag in self._tags.items()
        ]
        sealer = Sealer(con, states)
        tag_days = {
            ids[n]: t.settings.retention_days for n, t in self._tags.items() if t.settings.retention_days
        }
        max_bytes = int(self.config.max_size_mb * 1e6)

        def retention(con: sqlite3.Connection) -> Retention:
            return Retention(con, self.config.retention_days, max_bytes, tag_days)

        self._thread = threading.Thread(
            target=_Writer(self, con, logs, retention, sealer).run, name="historian-writer", daemon=True
        )
        self._thread.start()
        log.info("history: logging %d tags to %s", len(logs), self.path)

    def record(self, name: str, sample: Sample) -> None:
        """Queue a sample of a tag (the TagTable observer); tags not logged are ignored. Never blocks."""
        queue = self._queues.get(name)
        if queue is not None:
            queue.append(sample)

    @property
    def queued(self) -> int:
        """Samples recorded and not yet taken by the writer: grows when the writer falls behind."""
        return sum(len(queue) for queue in list(self._queues.values()))

    def flush(self) -> None:
        """Block until everything recorded so far, and any point held back by compression, is committed."""
        if self._thread is None:
            return
        done = threading.Event()
        with self._lock:
            self._waiters.append(done)
        self._wake.set()
        if not done.wait(FLUSH_TIMEOUT_S):
            raise HistoryError(f"history writer for {self.path} did not commit in {FLUSH_TIMEOUT_S:.0f} s")
        if self._failure is not None:
            raise HistoryError(str(self._failure))

    def close(self) -> None:
        """Flush, stop the writer thread and close the file."""
        thread = self._thread
        if thread is None:
            return
        self._queues = {}  # the tag table may still call record(): ignore it from now on
        self._stopping = True
        self._wake.set()
        thread.join(FLUSH_TIMEOUT_S)
        self._thread = None
        if thread.is_alive():
            log.error(
                "history writer for %s did not stop; the last samples may be lost", self.path, extra=OPERATOR
            )

    def __enter__(self) -> Historian:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Writer:
    """The writer thread's loop: drain, filter, commit every flush interval, purge in between."""

    def __init__(
        self,
        owner: Historian,
        con: sqlite3.Connection,
        logs: list[TagLog],
        retention: Callable[[sqlite3.Connection], Retention],
        sealer: Sealer,
    ):
        self.owner = owner
        self.con = con
        self.watch = Watch(owner.path)
        self.logs = logs
        self.new_retention = retention
        self.retention = retention(con)
        self.sealer = sealer
        self.sealing = owner.seal  # closed rows may be waiting in the table
        self.periodic = [tag.filter for tag in logs if isinstance(tag.filter, Periodic)]
        self.minutes: list[tuple[int, int, int, int]] = []  # rollups due, kept with the rows until committed
        self.refused_at: float | None = None  # when the operator was last told that samples wait
        self.most_waiting = 0

    def run(self) -> None:
        next_commit: float | None = time.monotonic() + self.owner.config.flush_interval_s
        try:
            while next_commit is not None:
                next_commit = self._cycle(next_commit)
        finally:
            self.con.close()

    def _cycle(self, next_commit: float) -> float | None:
        """Wait for the next commit, periodic sample or flush request and serve it; None once stopped."""
        owner = self.owner
        owner._wake.wait(self._timeout(next_commit))
        owner._wake.clear()
        with owner._lock:
            waiters, owner._waiters = owner._waiters, []
        stopping = owner._stopping
        try:
            for tag in self.logs:
                if tag.queue:
                    tag.drain()
            now_ms = int(time.time() * 1000)
            for periodic in self.periodic:
                periodic.tick(now_ms)
            if waiters or stopping or time.monotonic() >= next_commit:
                self._commit(flush_filters=bool(waiters) or stopping)
                next_commit = time.monotonic() + owner.config.flush_interval_s
                if not stopping:
                    self._purge()
                    self.sealing = owner.seal
            if self.sealing and not stopping:
                self.sealing = self.sealer.run(SEAL_BUDGET_S)
        except Exception as exc:  # a bug must not end history logging for good
            log.exception("history writer for %s failed", owner.path, extra=OPERATOR)
            owner._failure = HistoryError(f"history file {owner.path} could not be written: {exc}")
        finally:
            for done in waiters:
                done.set()
        return None if stopping else next_commit

    def _timeout(self, next_commit: float) -> float:
        timeout = next_commit - time.monotonic()
        if self.sealing:  # a backlog: seal in slices with pauses as long, leaving the other threads time
            timeout = min(timeout, SEAL_BUDGET_S)
        if self.periodic:
            now_ms = time.time() * 1000
            due = min(periodic.next_due(int(now_ms)) for periodic in self.periodic)
            timeout = min(timeout, (due - now_ms) / 1000)
        return max(timeout, 0.0)

    def _commit(self, flush_filters: bool) -> None:
        """Write the rows, the chunks a bulk flush closed and the rollups of completed minutes in one
        transaction."""
        for tag in self.logs:
            if flush_filters:
                tag.filter.flush()
            minutes = tag.completed_minutes()
            if minutes is not None:
                self.minutes.append(minutes)
        pending = [tag for tag in self.logs if tag.rows]
        if not pending and not self.minutes:
            return
        saved = [(tag.seal, copy(tag.seal)) for tag in pending]
        try:
            if self.watch.replaced():
                self._follow()
            con = self.con
            con.execute("BEGIN IMMEDIATE")
            try:
                inserts = [self._sealed(tag) for tag in pending]
                con.executemany(_INSERT, chain.from_iterable(inserts))
                first = {tag.tag_id: rows[0][1] for tag, rows in zip(pending, inserts, strict=True) if rows}
                con.executemany(_ROLLUP, self._unsealed(self.minutes, first))
                con.execute("COMMIT")
            except BaseException:
                # SQLite may have rolled back by itself (disk full): rolling back again would raise.
                if con.in_transaction:
                    with contextlib.suppress(sqlite3.Error):  # the first error is the one to tell
                        con.execute("ROLLBACK")
                for state, before in saved:
                    _restore(state, before)
                raise
        except sqlite3.Error as exc:
            self._fail(exc)
            return
        self._written_again()
        for tag, rows in zip(pending, inserts, strict=True):
            if rows:
                self.sealer.committed(tag.seal, len(rows), rows[0][1], rows[-1][1])
            tag.rows.clear()
        self.minutes.clear()

    def _unsealed(
        self, minutes: list[tuple[int, int, int, int]], inserted: dict[int, int]
    ) -> list[tuple[int, int, int, int]]:
        """The rollups due, cut to the rows in the table (`inserted`: the first row of a tag that this
        transaction adds): sealed minutes need none."""
        states = self.sealer.states
        due = []
        for tag_id, width, start, end in minutes:
            first = states[tag_id].first_row
            if first is None or tag_id in inserted and inserted[tag_id] < first:
                first = inserted.get(tag_id)
            if first is not None and first < end:
                due.append((tag_id, width, max(start, first // MINUTE_MS * MINUTE_MS), end))
        return due

    def _sealed(self, tag: TagLog) -> list[tuple]:
        """The tag's rows to insert, after sealing those a bulk flush closes (in the open transaction)."""
        if not self.owner.seal:
            return tag.rows
        return self.sealer.seal_batch(tag.seal, tag.rows)

    def _follow(self) -> None:
        """The file was replaced, moved or deleted under the writer: go on in a copy of the one it had
        open (with the alarm journal, which shares it), and leave the new file at the path alone: opening
        it beside the old one's write-ahead log would mix the two."""
        path = self.owner.path
        kept = self.watch.keep(self.con)
        self.con.close()
        try:
            con = connect(kept, writer=True)
            con.execute("PRAGMA journal_mode = WAL")
        except (HistoryError, sqlite3.Error) as exc:
            raise sqlite3.OperationalError(str(exc)) from exc
        log.error(
            "history file %s was replaced, moved or deleted while OpenHMI was writing it: the history in it "
            "is kept in %s and new samples go on there; the new %s is left as it is. Restart OpenHMI to "
            "use it",
            path,
            kept,
            path,
            extra=OPERATOR,
        )
        self.con = self.sealer.con = con
        self.retention = self.new_retention(con)
        self.owner.path, self.watch = kept, Watch(kept)

    def _fail(self, exc: sqlite3.Error) -> None:
        """Keep the batch for the next attempt unless it grew too big; never end the thread. The
        operator is told in words how many samples wait, at the first refusal and every NOTICE_EVERY_S."""
        path = self.owner.path
        self.owner._failure = HistoryError(
            f"history file {path} cannot be written: {cause(path, exc)} ({exc})"
        )
        unwritten = sum(len(tag.rows) for tag in self.logs)
        self.most_waiting = max(self.most_waiting, unwritten)
        now = time.monotonic()
        if self.refused_at is None or now - self.refused_at >= NOTICE_EVERY_S:
            self.refused_at = now
            log.warning(
                "history: %s: %d samples waiting: the history file %s cannot be written (%s); they are "
                "written when it can be again",
                cause(path, exc),
                unwritten,
                path,
                exc,
                extra=OPERATOR,
            )
        if unwritten > MAX_UNWRITTEN:
            log.error("history: dropping %d samples that could not be written", unwritten, extra=OPERATOR)
            for tag in self.logs:
                tag.rows.clear()
            self.minutes.clear()

    def _written_again(self) -> None:
        self.owner._failure = None
        if self.refused_at is not None:
            log.warning(
                "history file %s written again: the %d waiting samples are saved",
                self.owner.path,
                self.most_waiting,
                extra=OPERATOR,
            )
        self.refused_at, self.most_waiting = None, 0

    def _purge(self) -> None:
        try:
            self.retention.run(time.time(), PURGE_BUDGET_S)
        except sqlite3.Error as exc:
            log.error("history: purging old data from %s failed: %s", self.owner.path, exc, extra=OPERATOR)


def _restore(state: TagState, before: TagState) -> None:
    """Undo what sealing in a transaction that was rolled back told the tag's state."""
    for field in fields(TagState):
        setattr(state, field.name, getattr(before, field.name))
