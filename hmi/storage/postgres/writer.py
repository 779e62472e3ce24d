"""The collector's history writer for PostgreSQL: the same per-tag queues and filters as the SQLite
historian, binary COPY of each batch from a thread of its own, and store-and-forward.

While the database cannot be reached (down at start, lost mid-run, password refused) every batch
goes to a local SQLite buffer instead; once it answers again the buffer is forwarded, oldest first,
before anything new, and the operator is told how many samples wait and when they have gone. Only
one collector writes a project's history: a session advisory lock; a second collector says so and
writes nothing (its samples are the first one's duplicates)."""

from __future__ import annotations

import logging
import socket
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Sequence
from pathlib import Path

import psycopg

from ... import dbfiles
from ...history.errors import HistoryError
from ...history.seal import TagState
from ...history.settings import HistorianTag, HistoryConfig
from ...history.store import FLUSH_TIMEOUT_S, MAX_QUEUED, TagLog
from ...notices import OPERATOR
from ...quality import Sample
from . import binary, rollup, schema
from .binary import Columns
from .buffer import ForwardBuffer, Row
from .connect import connect, explain, where

log = logging.getLogger(__name__)

Group = tuple[str, Sequence[tuple]]
"""One tag's rows in time order, by its name: the historian's (id, ts, value, quality) or the buffer's."""

RETRY_S = 5.0
FORWARD_ROWS = 50_000
RETENTION_EVERY_S = 3600.0
LOCK = "hashtext('openhmi-collector')"
COPY = f"COPY history_sample ({binary.COLUMNS}) FROM STDIN (FORMAT BINARY)"
_MINUTES = """
INSERT INTO history_minute (tag_id, minute, vmin, vmax, vsum, n, worst, vfirst, vlast, sfirst, slast)
SELECT s.tag_id, s.ts / 60000, min(s.value), max(s.value), coalesce(sum(s.value), 0),
    count(s.value) + count(s.text), max(s.quality),
    (array_agg(s.value ORDER BY s.ts) FILTER (WHERE s.value IS NOT NULL))[1],
    (array_agg(s.value ORDER BY s.ts DESC) FILTER (WHERE s.value IS NOT NULL))[1],
    (array_agg(s.text ORDER BY s.ts) FILTER (WHERE s.text IS NOT NULL))[1],
    (array_agg(s.text ORDER BY s.ts DESC) FILTER (WHERE s.text IS NOT NULL))[1]
FROM unnest(%(ids)s::int[], %(m0)s::bigint[], %(m1)s::bigint[]) AS r(tag_id, m0, m1)
    JOIN history_sample s ON s.tag_id = r.tag_id AND s.ts >= r.m0 * 60000 AND s.ts < r.m1 * 60000
GROUP BY s.tag_id, s.ts / 60000
ON CONFLICT (tag_id, minute) DO UPDATE SET vmin = excluded.vmin, vmax = excluded.vmax,
    vsum = excluded.vsum, n = excluded.n, worst = excluded.worst, vfirst = excluded.vfirst,
    vlast = excluded.vlast, sfirst = excluded.sfirst, slast = excluded.slast
"""
_HOURS = """
INSERT INTO history_hour (tag_id, hour, vmin, vmax, vsum, n, worst, vfirst, vlast, sfirst, slast)
SELECT m.tag_id, m.minute / 60, min(m.vmin), max(m.vmax), sum(m.vsum), sum(m.n), max(m.worst),
    (array_agg(m.vfirst ORDER BY m.minute) FILTER (WHERE m.vfirst IS NOT NULL))[1],
    (array_agg(m.vlast ORDER BY m.minute DESC) FILTER (WHERE m.vlast IS NOT NULL))[1],
    (array_agg(m.sfirst ORDER BY m.minute) FILTER (WHERE m.sfirst IS NOT NULL))[1],
    (array_agg(m.slast ORDER BY m.minute DESC) FILTER (WHERE m.slast IS NOT NULL))[1]
FROM unnest(%(ids)s::int[], %(m0)s::bigint[], %(m1)s::bigint[]) AS r(tag_id, m0, m1)
    JOIN history_minute m ON m.tag_id = r.tag_id AND m.minute >= r.m0 / 60 * 60
        AND m.minute < (r.m1 + 59) / 60 * 60
GROUP BY m.tag_id, m.minute / 60
ON CONFLICT (tag_id, hour) DO UPDATE SET vmin = excluded.vmin, vmax = excluded.vmax,
    vsum = excluded.vsum, n = excluded.n, worst = excluded.worst, vfirst = excluded.vfirst,
    vlast = excluded.vlast, sfirst = excluded.sfirst, slast = excluded.slast
"""


class PgHistorian:
    """A HistoryWriter into the site database `dsn`, buffering in `buffer_path` while it is away."""

    def __init__(self, dsn: str, tags: list[HistorianTag], config: HistoryConfig, buffer_path: Path):
        self.dsn = dsn
        self.target = where(dsn)
        self.config = config
        self.buffer_path = buffer_path
        self._tags = {tag.name: tag for tag in tags if tag.settings.mode != "off"}
        self._queues: dict[str, deque[Sample]] = {name: deque(maxlen=MAX_QUEUED) for name in self._tags}
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._waiters: list[threading.Event] = []
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.collecting = False
        """Whether this station holds the collector lock and writes to the database."""

    def start(self) -> None:
        if self._thread is not None:
            return
        buffer = ForwardBuffer(self.buffer_path)
        link = _Link(self, buffer)
        link.connect()  # database down: the buffer takes the samples until it is back
        waiting = buffer.last_times()
        logs = []
        for i, (name, tag) in enumerate(self._tags.items()):
            last = waiting.get(name) or link.last.get(name)
            logs.append(TagLog(tag, i, self._queues[name], last, TagState(i, None, 0)))
        link.logs = logs
        self._thread = threading.Thread(target=link.run, name="historian-pg-writer", daemon=True)
        self._thread.start()

    def record(self, name: str, sample: Sample) -> None:
        queue = self._queues.get(name)
        if queue is not None:
            queue.append(sample)

    def flush(self) -> None:
        if self._thread is None:
            return
        done = threading.Event()
        with self._lock:
            self._waiters.append(done)
        self._wake.set()
        if not done.wait(FLUSH_TIMEOUT_S):
            raise HistoryError(f"history writer for {self.target} did not finish in {FLUSH_TIMEOUT_S:.0f} s")

    def close(self) -> None:
        thread = self._thread
        if thread is None:
            return
        self._queues = {}
        self._stopping = True
        self._wake.set()
        thread.join(FLUSH_TIMEOUT_S)
        self._thread = None

    def __enter__(self) -> PgHistorian:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Link:
    """The writer thread: its connection, the collector lock, the buffer and the loop."""

    def __init__(self, owner: PgHistorian, buffer: ForwardBuffer):
        self.owner = owner
        self.buffer = buffer
        self.logs: list[TagLog] = []
        self.con: psycopg.Connection | None = None
        self.ids: dict[str, int] = {}
        self.last: dict[str, tuple[int, int]] = {}
        self.days: set[int] = set()
        self.next_try = 0.0
        self.next_retention = 0.0
        self.down_said = False
        self.other_said = False
        self.buffer_said = False
        self.standby = False
        """Another collector holds the lock: write nothing."""
        self.timescale = False

    def connect(self) -> bool:
        """Connect, take the collector lock, register the tags; False (and said once) if not now."""
        owner = self.owner
        self.next_try = time.monotonic() + RETRY_S
        try:
            con = connect(owner.dsn)
            con.execute(
                "SELECT set_config('application_name', %s, false)",
                (f"OpenHMI collector on {socket.gethostname()}",),
            )
            schema.check(con, owner.target)
        except HistoryError as exc:
            self._down(str(exc))
            return False
        except psycopg.Error as exc:
            self._down(explain(owner.dsn, exc))
            return False
        if con.execute(f"SELECT pg_try_advisory_lock({LOCK})").fetchone() != (True,):
            self.standby = True
            if not self.other_said:
                log.error(
                    "history: another collector (%s) writes this project's history to %s; this station "
                    "does not write history while it runs",
                    _holder(con),
                    owner.target,
                    extra=OPERATOR,
                )
                self.other_said = True
            con.close()
            return False
        with con.transaction():
            con.cursor().executemany(
                "INSERT INTO history_tag (name, kind) VALUES (%s, %s)"
                " ON CONFLICT (name) DO UPDATE SET kind = excluded.kind",
                [(tag.name, tag.kind) for tag in owner._tags.values()],
            )
        self.ids = dict(con.execute("SELECT name, id FROM history_tag").fetchall())
        self.last = {
            name: (ts, quality)
            for name, ts, quality in con.execute(
                "SELECT t.name, s.ts, s.quality FROM history_tag t CROSS JOIN LATERAL (SELECT ts, quality"
                " FROM history_sample WHERE tag_id = t.id ORDER BY ts DESC LIMIT 1) s"
            ).fetchall()
        }
        self.days = set(schema.partitions(con)) if not schema.timescale(con) else set()
        self.timescale = schema.timescale(con)
        self.con = con
        self.standby = False
        owner.collecting = True
        if self.down_said or self.other_said:
            log.warning("history: writing to %s again", owner.target, extra=OPERATOR)
        self.down_said = self.other_said = False
        return True

    def _down(self, why: str) -> None:
        self.con = None
        self.standby = False
        self.owner.collecting = False
        if not self.down_said:
            log.error(
                "history: %s; samples wait in %s (%d now) and are forwarded when it is back",
                why,
                self.buffer.path,
                self.buffer.count,
                extra=OPERATOR,
            )
            self.down_said = True

    def run(self) -> None:
        owner = self.owner
        next_commit = time.monotonic() + owner.config.flush_interval_s
        stopping = False
        try:
            while not stopping:
                owner._wake.wait(max(0.0, next_commit - time.monotonic()))
                owner._wake.clear()
                with owner._lock:
                    waiters, owner._waiters = owner._waiters, []
                stopping = owner._stopping
                try:
                    for tag in self.logs:
                        if tag.queue:
                            tag.drain()
                    if waiters or stopping or time.monotonic() >= next_commit:
                        self._commit(flush_filters=bool(waiters) or stopping)
                        next_commit = time.monotonic() + owner.config.flush_interval_s
                except Exception:  # a bug must not end history logging for good
                    log.exception("history writer for %s failed", owner.target, extra=OPERATOR)
                finally:
                    for done in waiters:
                        done.set()
        finally:
            if self.con is not None:
                self.con.close()
            if self.buffer.count:
                log.warning(
                    "history: %d samples wait in %s for %s; they are forwarded at the next start",
                    self.buffer.count,
                    self.buffer.path,
                    owner.target,
                    extra=OPERATOR,
                )
            self.buffer.close()

    def _commit(self, flush_filters: bool) -> None:
        groups: list[Group] = []
        taken = []
        for tag in self.logs:
            if flush_filters:
                tag.filter.flush()
            if tag.rows:
                groups.append((tag.name, tag.rows))
                taken.append((tag, tag.rows))
                tag.rows = []
        if self.con is None and time.monotonic() >= self.next_try:
            self.connect()
        if self.con is not None and self._forward() and (not groups or self._write(groups)):
            groups = []
        if groups and not self.standby:  # a standby's samples are the other collector's duplicates
            try:
                self.buffer.put((name, ts, value, q) for name, rows in groups for _, ts, value, q in rows)
            except sqlite3.Error as exc:  # a full disk: the rows stay with their tags for the next try
                for tag, rows in taken:
                    tag.rows = list(rows) + tag.rows
                if not self.buffer_said:
                    log.error(
                        "history: cannot keep samples in %s (%s): %d wait in memory",
                        self.buffer.path,
                        dbfiles.cause(self.buffer.path, exc),
                        sum(len(rows) for _, rows in taken),
                        extra=OPERATOR,
                    )
                    self.buffer_said = True
                return
            self.buffer_said = False
        self._retention()

    def _forward(self) -> bool:
        """Send what waits in the buffer, oldest first; True once it is empty."""
        sent = 0
        while self.buffer.count:
            seq, rows = self.buffer.oldest(FORWARD_ROWS)
            by_tag: dict[str, list[Row]] = {}
            for row in rows:
                by_tag.setdefault(row[0], []).append(row)
            if not self._write(list(by_tag.items())):
                return False
            self.buffer.drop_through(seq, len(rows))
            sent += len(rows)
            if not self.buffer.count:
                log.warning(
                    "history: %d samples that waited while %s was away are stored",
                    sent,
                    self.owner.target,
                    extra=OPERATOR,
                )
        return True

    def _write(self, groups: list[Group]) -> bool:
        """COPY each tag's rows (in time order; ts, value, quality from the second field on) and
        update their rollups in one transaction; False (connection dropped) on failure."""
        con = self.con
        assert con is not None
        tags = self.owner._tags
        batch = [
            (self.ids[name], rows, None if tags[name].kind == "string" else Columns.of(rows))
            for name, rows in groups
        ]
        try:
            with con.transaction():
                if not self.timescale:
                    days = {ts // schema.DAY_MS for _, rows, _ in batch for ts in (rows[0][1], rows[-1][1])}
                    schema.ensure_partitions(con, days, self.days)
                try:
                    with con.transaction(), con.cursor().copy(COPY) as copy:
                        copy.write(binary.SIGNATURE)
                        for tag_id, rows, columns in batch:
                            if columns is None:
                                copy.write(binary.strings(tag_id, rows))
                            else:
                                copy.write(binary.numeric(tag_id, columns))
                        copy.write(binary.TRAILER)
                    rollup.merge(con, batch)
                except psycopg.errors.UniqueViolation:  # rows forwarded twice (a crash after COPY)
                    self._insert_new(con, batch)
                    touched = {
                        "ids": [tag_id for tag_id, _, _ in batch],
                        "m0": [min(rows[0][1], rows[-1][1]) // 60_000 for _, rows, _ in batch],
                        "m1": [max(rows[0][1], rows[-1][1]) // 60_000 + 1 for _, rows, _ in batch],
                    }
                    con.execute(_MINUTES, touched)  # recomputed from the samples: none counted twice
                    con.execute(_HOURS, touched)
        except psycopg.Error as exc:
            log.debug("history: write to %s failed", self.owner.target, exc_info=True)
            con.close()
            self._down(explain(self.owner.dsn, exc))
            return False
        return True

    def _insert_new(
        self, con: psycopg.Connection, batch: list[tuple[int, Sequence[tuple], Columns | None]]
    ) -> None:
        """The slow path: insert what the database does not have yet."""
        con.cursor().executemany(
            "INSERT INTO history_sample (tag_id, ts, value, text, quality) VALUES (%s, %s, %s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            [
                (tag_id, r[1], None, r[2], r[3]) if columns is None else (tag_id, r[1], r[2], None, r[3])
                for tag_id, rows, columns in batch
                for r in rows
            ],
        )

    def _retention(self) -> None:
        if self.con is None or time.monotonic() < self.next_retention:
            return
        self.next_retention = time.monotonic() + RETENTION_EVERY_S
        cutoff = int((time.time() - self.owner.config.retention_days * 86_400) * 1000)
        try:
            dropped = schema.drop_before(self.con, cutoff)
        except psycopg.Error as exc:
            log.error("history: dropping old days in %s failed: %s", self.owner.target, exc, extra=OPERATOR)
            return
        self.days = {d for d in self.days if d >= cutoff // schema.DAY_MS}
        if dropped:
            log.info("history: dropped %d days older than the retention from %s", dropped, self.owner.target)


def _holder(con: psycopg.Connection) -> str:
    row = con.execute(
        "SELECT a.application_name, a.client_addr FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
        " WHERE l.locktype = 'advisory' AND l.granted AND l.objid = (" + LOCK + ")::oid"
    ).fetchone()
    return "unknown station" if row is None else f"{row[0]} from {row[1] or 'local socket'}"
