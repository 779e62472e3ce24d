"""Sealed history: chunks of one tag's samples within one hour, compressed, with their statistics beside them.

`history_chunk` holds each chunk's statistics (the hour rollups: a chunk never spans an hour, and a
closed hour is one chunk), `history_chunk_data` its compressed arrays. Statistics follow SQLite's own
aggregates over the rows they replace, so a query answers the same from rows or chunks.
"""

from __future__ import annotations

import functools
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from itertools import groupby
from typing import Any

import numpy as np

from .codec import Columns, decode, encode
from .schema import HOUR_MS

# Row shape of every bucket source: (bucket, min, max, sum, count, worst, first, last).
BucketRow = tuple[int, Any, Any, float, int, int, Any, Any]

CHUNK_COLUMNS = "t_first, t_last, q_last, samples, vmin, vmax, vsum, n, worst, vfirst, vlast, data_id"
_INSERT_DATA = "INSERT INTO history_chunk_data (ts, value, quality) VALUES (?, ?, ?)"
_INSERT_CHUNK = (
    f"INSERT INTO history_chunk (tag_id, hour, {CHUNK_COLUMNS})"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_DATA = "SELECT ts, value, quality FROM history_chunk_data WHERE id = ?"


def write(con: sqlite3.Connection, tag_id: int, ts: list[int], values: list[Any], quality: list[int]) -> None:
    """Store samples of one tag within one hour as a chunk (inside the caller's transaction)."""
    ts_blob, value_blob, q_blob = encode(ts, values, quality)
    data_id = con.execute(_INSERT_DATA, (ts_blob, value_blob, q_blob)).lastrowid
    kinds = {type(v) for v in values}
    if kinds == {float} or kinds == {int}:  # the common case, and the ingest's hot path: numpy
        array = np.asarray(values)
        vmin, vmax, vsum = array.min().item(), array.max().item(), float(array.sum())
        n, worst, first, last = len(values), max(quality), values[0], values[-1]
    else:
        _, vmin, vmax, vsum, n, worst, first, last = _python_rows(ts, values, quality, HOUR_MS)[0]
    row = (ts[0], ts[-1], quality[-1], len(ts), vmin, vmax, vsum, n, worst, first, last, data_id)
    con.execute(_INSERT_CHUNK, (tag_id, ts[0] // HOUR_MS, *row))


def load(con: sqlite3.Connection, data_id: int) -> Columns:
    return decode(*con.execute(_DATA, (data_id,)).fetchone())


def take(con: sqlite3.Connection, tag_id: int, hour: int) -> Columns | None:
    """Remove the chunk of a tag's hour (to be stored again, extended) and return its samples."""
    row = con.execute(
        "SELECT data_id FROM history_chunk WHERE tag_id = ? AND hour = ?", (tag_id, hour)
    ).fetchone()
    if row is None:
        return None
    columns = load(con, row[0])
    con.execute("DELETE FROM history_chunk_data WHERE id = ?", (row[0],))
    con.execute("DELETE FROM history_chunk WHERE tag_id = ? AND hour = ?", (tag_id, hour))
    return columns


def overlapping(con: sqlite3.Connection, tag_id: int, start: int, end: int) -> list[tuple]:
    """Statistics rows (CHUNK_COLUMNS) of the tag's chunks with samples in [start, end), oldest first."""
    return con.execute(
        f"SELECT {CHUNK_COLUMNS} FROM history_chunk WHERE tag_id = ? AND hour >= ? AND hour <= ?"
        " AND t_last >= ? AND t_first < ? ORDER BY hour",
        (tag_id, start // HOUR_MS, (end - 1) // HOUR_MS, start, end),
    ).fetchall()


def samples(con: sqlite3.Connection, tag_id: int, t0: int, t1: int) -> Iterator[tuple[list, list, list]]:
    """The tag's sealed samples with t0 <= ts <= t1 as (times in s, values, qualities) lists per chunk."""
    for chunk in overlapping(con, tag_id, t0, t1 + 1):
        columns = load(con, chunk[-1])
        i0, i1 = np.searchsorted(columns.ts, [t0, t1 + 1]).tolist()
        yield (columns.ts[i0:i1] / 1000).tolist(), columns.value_list(i0, i1), columns.quality_list(i0, i1)


def bucket_rows(columns: Columns, width: int, start: int, end: int) -> list[BucketRow]:
    """Statistics of the chunk's samples in [start, end) per bucket of `width` ms."""
    i0, i1 = np.searchsorted(columns.ts, [start, end]).tolist()
    if i0 >= i1:
        return []
    if isinstance(columns.values, list):
        return _python_rows(
            columns.ts[i0:i1].tolist(), columns.value_list(i0, i1), columns.quality[i0:i1].tolist(), width
        )
    ts = columns.ts[i0:i1]
    keys = ts // width
    starts = _starts(keys)
    worst = np.maximum.reduceat(columns.quality[i0:i1], starts).tolist()
    if columns.valued is None:
        vkeys, values = keys, columns.values[i0:i1]
    else:
        flags = columns.valued[i0:i1]
        d0 = int(np.count_nonzero(columns.valued[:i0]))
        vkeys, values = keys[flags], columns.values[d0 : d0 + int(np.count_nonzero(flags))]
    stats: dict[int, tuple] = {}
    if len(values):
        vstarts = _starts(vkeys)
        ends = np.append(vstarts[1:], len(values)) - 1
        sums = np.add.reduceat(values.astype(np.float64), vstarts)
        stats = dict(
            zip(
                vkeys[vstarts].tolist(),
                zip(
                    np.minimum.reduceat(values, vstarts).tolist(),
                    np.maximum.reduceat(values, vstarts).tolist(),
                    sums.tolist(),
                    (ends - vstarts + 1).tolist(),
                    values[vstarts].tolist(),
                    values[ends].tolist(),
                    strict=True,
                ),
                strict=True,
            )
        )
    empty = (None, None, 0.0, 0, None, None)
    out = []
    for key, bad in zip(keys[starts].tolist(), worst, strict=True):
        vmin, vmax, vsum, n, first, last = stats.get(key, empty)
        out.append((key, vmin, vmax, vsum, n, bad, first, last))
    return out


def _starts(keys: np.ndarray) -> np.ndarray:
    return np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))


def _python_rows(
    ts: Sequence[int], values: Sequence[Any], quality: Sequence[int], width: int
) -> list[BucketRow]:
    """Bucket statistics of samples of any kind of value, with SQLite's min/max/total semantics."""
    out = []
    for key, group in groupby(zip(ts, values, quality, strict=True), key=lambda s: s[0] // width):
        rows = list(group)
        valued = [v for _, v, _ in rows if v is not None]
        worst = max(q for _, _, q in rows)
        if not valued:
            out.append((key, None, None, 0.0, 0, worst, None, None))
            continue
        out.append(
            (
                key,
                min(valued, key=_order),
                max(valued, key=_order),
                float(sum(_number(v) for v in valued)),
                len(valued),
                worst,
                valued[0],
                valued[-1],
            )
        )
    return out


def _order(value: Any) -> tuple[int, Any]:
    """SQLite orders numbers before text."""
    return (1, value) if isinstance(value, str) else (0, value)


def _number(value: Any) -> float:
    return _text_number(value) if isinstance(value, str) else value


_MEMORY = sqlite3.connect(":memory:", check_same_thread=False)
_MEMORY_LOCK = threading.Lock()


@functools.lru_cache(maxsize=4096)
def _text_number(text: str) -> float:
    """What SQLite's total() makes of a text value (its leading number, or 0.0)."""
    with _MEMORY_LOCK:
        return _MEMORY.execute("SELECT CAST(? AS REAL)", (text,)).fetchone()[0]
