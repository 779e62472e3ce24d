"""Reading history from PostgreSQL for trends, reports and exports, with the same answers as the
SQLite reader on the same samples: the same bucket edges (hmi.history.query.bucket_span), from the
samples below a minute, the minute rollups below an hour and the hour rollups above."""

from __future__ import annotations

import threading
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from ...history.compression import Value
from ...history.errors import HistoryError, NoHistory
from ...history.query import QUALITY, Bucket, RawSample, bucket, bucket_span, ms
from ...history.schema import HOUR_MS, MINUTE_MS
from . import schema
from .connect import connect, explain, where

_FIRST_LAST = """
    (array_agg({v} ORDER BY {t}) FILTER (WHERE {v} IS NOT NULL))[1],
    (array_agg({l} ORDER BY {t} DESC) FILTER (WHERE {l} IS NOT NULL))[1]"""
_SAMPLE_BUCKETS = (
    "SELECT ts / %(w)s, min(value), max(value), coalesce(sum(value), 0), count(value) + count(text),"
    " max(quality), {first_last} FROM history_sample WHERE tag_id = %(id)s AND ts >= %(a)s AND ts < %(b)s"
    " GROUP BY 1 ORDER BY 1"
)
_ROLLUP_BUCKETS = (
    "SELECT {key} / %(w)s, min(vmin), max(vmax), sum(vsum), sum(n), max(worst), {first_last}"
    " FROM {table} WHERE tag_id = %(id)s AND {key} >= %(a)s AND {key} < %(b)s GROUP BY 1 ORDER BY 1"
)


def _first_last(string: bool, rollup: bool, key: str) -> str:
    if rollup:
        first, last = ("sfirst", "slast") if string else ("vfirst", "vlast")
    else:
        first = last = "text" if string else "value"
    return _FIRST_LAST.format(v=first, l=last, t=key)


class PgHistoryReader:
    """A HistoryReader on the site database; calls are serialised, so it may be shared by threads."""

    def __init__(self, dsn: str):
        self.target = where(dsn)
        self.dsn = dsn
        self._con = connect(dsn)
        try:
            if schema.version(self._con) is None:
                raise NoHistory(f"database {self.target} holds no history yet (`hmi db init` creates it)")
        except BaseException:
            self._con.close()
            raise
        self._lock = threading.RLock()
        self._ids: dict[str, tuple[int, str]] = {}

    def tags(self) -> list[str]:
        with self._lock, self._said():
            return [n for (n,) in self._con.execute("SELECT name FROM history_tag ORDER BY name").fetchall()]

    def raw(self, tag: str, t0: float, t1: float) -> list[RawSample]:
        return list(self.iter_raw(tag, t0, t1))

    def iter_raw(self, tag: str, t0: float, t1: float) -> Generator[RawSample]:
        with self._lock, self._said():
            found = self._lookup(tag)
            if found is None:
                none: tuple[RawSample, ...] = ()
                return (sample for sample in none)  # a generator too: a trend closes it after its first rows
            rows = self._con.execute(
                "SELECT ts, value, text, quality FROM history_sample WHERE tag_id = %s AND ts >= %s"
                " AND ts <= %s ORDER BY ts",
                (found[0], ms(t0), ms(t1)),
            ).fetchall()
        kind = found[1]
        return (_sample(row, kind) for row in rows)

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        with self._lock:
            if self._con.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                yield
                return
            with self._said(), self._con.transaction():
                self._con.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                yield

    def value_at(self, tag: str, t: float) -> RawSample | None:
        with self._lock, self._said():
            found = self._lookup(tag)
            if found is None:
                return None
            row = self._con.execute(
                "SELECT ts, value, text, quality FROM history_sample WHERE tag_id = %s AND ts <= %s"
                " ORDER BY ts DESC LIMIT 1",
                (found[0], ms(t)),
            ).fetchone()
        return None if row is None else _sample(row, found[1])

    def buckets(self, tag: str, t0: float, t1: float, n: int = 2000, *, rollups: bool = True) -> list[Bucket]:
        width, start, end = bucket_span(t0, t1, n, rollups)
        with self._lock, self._said():
            found = self._lookup(tag)
            if found is None:
                return []
            tag_id, kind = found
            string = kind == "string"
            if rollups and width >= HOUR_MS:
                key, table, unit = "hour", "history_hour", HOUR_MS
            elif rollups and width >= MINUTE_MS:
                key, table, unit = "minute", "history_minute", MINUTE_MS
            else:
                key, table, unit = "ts", "", 1
            if unit == 1:
                sql = _SAMPLE_BUCKETS.format(first_last=_first_last(string, False, "ts"))
            else:
                sql = _ROLLUP_BUCKETS.format(key=key, table=table, first_last=_first_last(string, True, key))
            params = {"id": tag_id, "w": width // unit, "a": start // unit, "b": end // unit}
            rows = self._con.execute(sql, params).fetchall()
        numeric = not string
        digital = kind == "digital"
        return [bucket(_typed(row, digital), width, numeric) for row in rows]

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> PgHistoryReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _lookup(self, tag: str) -> tuple[int, str] | None:
        found = self._ids.get(tag)
        if found is None:
            row = self._con.execute("SELECT id, kind FROM history_tag WHERE name = %s", (tag,)).fetchone()
            if row is not None:
                found = self._ids[tag] = (row[0], row[1])
        return found

    @contextmanager
    def _said(self) -> Iterator[None]:
        try:
            yield
        except psycopg.Error as exc:
            raise HistoryError(explain(self.dsn, exc)) from exc


def _value(value: Any, text: str | None, kind: str) -> Value:
    if kind == "string":
        return text
    if value is None:
        return None
    return int(value) if kind == "digital" else value


def _sample(row: tuple, kind: str) -> RawSample:
    ts, value, text, quality = row
    return ts / 1000, _value(value, text, kind), QUALITY[quality]


def _typed(row: tuple, digital: bool) -> tuple:
    """A bucket row as SQLite gives it: digital values as integers, sums as floats."""
    b, vmin, vmax, vsum, n, worst, first, last = row
    if digital:
        vmin, vmax, first, last = (None if v is None else int(v) for v in (vmin, vmax, first, last))
    return b, vmin, vmax, float(vsum), int(n), worst, first, last
