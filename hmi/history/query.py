"""Reading history for trends: raw samples, bucketed statistics and the value as of a time.

A reader has its own connection (WAL lets it read while the writer commits) and may be used from a
worker thread. Every query reads the sealed chunks (older) and the rows (recent) in one snapshot, so
a sealing commit in between neither hides nor repeats a sample. Buckets are aligned to multiples of
their width since the epoch, so a trend panning over time keeps the same buckets. A chunk that lies
inside one bucket answers from its statistics; others are decompressed. Rows answer from the
per-minute rollups for buckets of a minute or more, plus the samples of the minute not rolled up yet.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..quality import Quality
from . import chunks
from .chunks import BucketRow
from .compression import Value
from .errors import NoHistory
from .schema import HOUR_MS, MINUTE_MS, SAMPLE_BUCKETS, connect, has_chunks, has_tables

RawSample = tuple[float, Value, Quality]
QUALITY = tuple(Quality)

# Row shape of both bucket queries: (bucket, min, max, sum, count, worst, first, last).
_MINUTE_BUCKETS = """
WITH g AS (
    SELECT minute / ?2 AS b, min(vmin) AS vmin, max(vmax) AS vmax, total(vsum) AS vsum, sum(n) AS n,
        max(worst) AS worst,
        min(CASE WHEN n > 0 THEN minute END) AS m_first,
        max(CASE WHEN n > 0 THEN minute END) AS m_last
    FROM history_minute WHERE tag_id = ?1 AND minute >= ?3 AND minute < ?4 GROUP BY b)
SELECT g.b, g.vmin, g.vmax, g.vsum, g.n, g.worst, f.vfirst, l.vlast
FROM g LEFT JOIN history_minute f ON f.tag_id = ?1 AND f.minute = g.m_first
    LEFT JOIN history_minute l ON l.tag_id = ?1 AND l.minute = g.m_last
ORDER BY g.b
"""


@dataclass(frozen=True, slots=True)
class Bucket:
    """Statistics of the samples in [t_start, t_end); min/max/avg/first/last are over samples with a
    value (None if all were Bad, and min/max/avg None for string tags); worst covers every sample."""

    t_start: float
    t_end: float
    min: Value
    max: Value
    avg: float | None
    first: Value
    last: Value
    count: int
    worst: Quality


def ms(t: float) -> int:
    """Epoch seconds to the stored integer milliseconds (rounded the same way as when storing)."""
    return round(t * 1000)


def bucket_span(t0: float, t1: float, n: int, rollups: bool) -> tuple[int, int, int]:
    """Width, start and end (ms) of about n buckets over [t0, t1], the same for every backend: the
    width rounded up to a millisecond, with rollups to a minute or an hour once it is that long."""
    width = max(1, math.ceil((t1 - t0) * 1000 / max(n, 1)))
    if rollups and width >= MINUTE_MS:
        step = HOUR_MS if width >= HOUR_MS else MINUTE_MS
        width = math.ceil(width / step) * step
    return width, ms(t0) // width * width, (ms(t1) // width + 1) * width


class SqliteHistoryReader:
    """Read-only access to a SQLite history file (a HistoryReader); safe to share between threads
    (calls are serialised)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise NoHistory(f"no history file at {self.path}")
        self._con = connect(self.path, writer=False)
        self._lock = threading.Lock()
        self._ids: dict[str, tuple[int, str]] = {}
        self._chunked = False

    def tags(self) -> list[str]:
        """Names of every tag the file has (or had) history for, sorted."""
        with self._lock:
            if not has_tables(self._con):
                return []
            return [name for (name,) in self._con.execute("SELECT name FROM history_tag ORDER BY name")]

    def raw(self, tag: str, t0: float, t1: float) -> list[RawSample]:
        """Stored samples with t0 <= ts <= t1, oldest first, as (ts, value, quality)."""
        with self._lock:
            return list(self.iter_raw(tag, t0, t1))

    def iter_raw(self, tag: str, t0: float, t1: float) -> Generator[RawSample]:
        """Like raw() but streamed, for exports too big for a list; use from one thread at a time."""
        found = self._lookup(tag)
        if found is None:
            return
        tag_id, a, b = found[0], ms(t0), ms(t1)
        with self.snapshot():
            if self._has_chunks():
                for times, values, qualities in chunks.samples(self._con, tag_id, a, b):
                    yield from zip(times, values, qualities, strict=True)
            rows = self._con.execute(
                "SELECT ts, value, quality FROM history_sample WHERE tag_id = ? AND ts >= ? AND ts <= ?"
                " ORDER BY ts",
                (tag_id, a, b),
            )
            for ts, value, quality in rows:
                yield ts / 1000, value, QUALITY[quality]

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Read everything inside from one state of the file (nested uses share the outer one)."""
        con = self._con
        if con.in_transaction:
            yield
            return
        con.execute("BEGIN")
        try:
            yield
        finally:
            if con.in_transaction:
                con.execute("COMMIT")

    def value_at(self, tag: str, t: float) -> RawSample | None:
        """The last sample at or before t (the value the tag had then), or None if there is none."""
        with self._lock:
            found = self._lookup(tag)
            if found is None:
                return None
            with self.snapshot():
                row = self._con.execute(
                    "SELECT ts, value, quality FROM history_sample WHERE tag_id = ? AND ts <= ?"
                    " ORDER BY ts DESC LIMIT 1",
                    (found[0], ms(t)),
                ).fetchone()
                if row is not None:
                    return row[0] / 1000, row[1], QUALITY[row[2]]
                return self._sealed_value_at(found[0], ms(t))

    def _sealed_value_at(self, tag_id: int, t: int) -> RawSample | None:
        if not self._has_chunks():
            return None
        found = self._con.execute(
            "SELECT data_id FROM history_chunk WHERE tag_id = ? AND hour <= ? AND t_first <= ?"
            " ORDER BY hour DESC LIMIT 1",
            (tag_id, t // HOUR_MS, t),
        ).fetchone()
        if found is None:
            return None
        columns = chunks.load(self._con, found[0])
        i = int(np.searchsorted(columns.ts, t, side="right")) - 1
        return int(columns.ts[i]) / 1000, columns.value_list(i, i + 1)[0], QUALITY[int(columns.quality[i])]

    def buckets(self, tag: str, t0: float, t1: float, n: int = 2000, *, rollups: bool = True) -> list[Bucket]:
        """About n buckets covering [t0, t1] (only those holding samples), oldest first.

        The width is (t1 - t0) / n rounded up to a millisecond, to a minute once it is a minute or more,
        to an hour once it is an hour or more (so that whole chunks answer from their statistics); the
        rollups and chunk statistics answer unless `rollups` is False (samples only, for comparison).
        """
        width, start, end = bucket_span(t0, t1, n, rollups)
        by_minute = rollups and width >= MINUTE_MS
        with self._lock:
            found = self._lookup(tag)
            if found is None:
                return []
            tag_id, kind = found
            con = self._con
            with self.snapshot():  # chunks, rollups and the samples after them as of one commit
                rows = self._sealed(tag_id, width, start, end, rollups) if self._has_chunks() else []
                if by_minute:
                    rows += self._rolled_up(tag_id, width, start, end)
                else:
                    rows += con.execute(SAMPLE_BUCKETS, (tag_id, width, start, end)).fetchall()
        numeric = kind != "string"
        return [bucket(row, width, numeric) for row in _merged(rows)]

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> SqliteHistoryReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _sealed(self, tag_id: int, width: int, start: int, end: int, use_stats: bool) -> list[BucketRow]:
        """Bucket rows of the chunks in [start, end), oldest first: a chunk inside one bucket gives its
        statistics, the others are decompressed."""
        rows: list[BucketRow] = []
        for t_first, t_last, _, _, vmin, vmax, vsum, n, worst, first, last, data_id in chunks.overlapping(
            self._con, tag_id, start, end
        ):
            key = t_first // width
            if use_stats and key == t_last // width and start <= t_first and t_last < end:
                rows.append((key, vmin, vmax, vsum, n, worst, first, last))
            else:
                rows.extend(chunks.bucket_rows(chunks.load(self._con, data_id), width, start, end))
        return rows

    def _rolled_up(self, tag_id: int, width: int, start: int, end: int) -> list[tuple]:
        """Buckets from the minute rollups, then buckets from the samples not rolled up yet."""
        con = self._con
        last = con.execute("SELECT max(minute) FROM history_minute WHERE tag_id = ?", (tag_id,)).fetchone()[0]
        horizon = 0 if last is None else (last + 1) * MINUTE_MS
        rows: list[tuple] = []
        if start < horizon:
            rows = con.execute(
                _MINUTE_BUCKETS,
                (tag_id, width // MINUTE_MS, start // MINUTE_MS, min(end, horizon) // MINUTE_MS),
            ).fetchall()
        if horizon < end:
            rows += con.execute(SAMPLE_BUCKETS, (tag_id, width, max(start, horizon), end)).fetchall()
        return rows

    def _has_chunks(self) -> bool:
        if not self._chunked:
            self._chunked = has_chunks(self._con)
        return self._chunked

    def _lookup(self, tag: str) -> tuple[int, str] | None:
        found = self._ids.get(tag)
        if found is None:
            try:
                found = self._con.execute(
                    "SELECT id, kind FROM history_tag WHERE name = ?", (tag,)
                ).fetchone()
            except sqlite3.OperationalError:
                if has_tables(self._con):
                    raise
                return None  # the historian has not created its tables yet
            if found is not None:
                self._ids[tag] = found
        return found


def _merged(rows: list) -> list[tuple]:
    """Bucket rows of consecutive parts of the history (in time order) with each bucket once."""
    out: list[tuple] = []
    for row in rows:
        if out and out[-1][0] == row[0]:
            out[-1] = _combine(out[-1], row)
        else:
            out.append(row)
    return out


def _combine(a: tuple, b: tuple) -> tuple:
    """One bucket row from the rows of an earlier and a later part of the same bucket."""
    return (
        a[0],
        b[1] if a[1] is None else a[1] if b[1] is None else min(a[1], b[1]),
        b[2] if a[2] is None else a[2] if b[2] is None else max(a[2], b[2]),
        a[3] + b[3],
        a[4] + b[4],
        max(a[5], b[5]),
        a[6] if a[4] else b[6],
        b[7] if b[4] else a[7],
    )


def bucket(row: tuple, width: int, numeric: bool) -> Bucket:
    b, vmin, vmax, vsum, n, worst, first, last = row
    return Bucket(
        t_start=b * width / 1000,
        t_end=(b + 1) * width / 1000,
        min=vmin if numeric else None,
        max=vmax if numeric else None,
        avg=vsum / n if numeric and n else None,
        first=first,
        last=last,
        count=n,
        worst=QUALITY[worst],
    )
