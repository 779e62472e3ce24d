"""Minute and hour rollups of a batch, computed from the rows in hand and merged into the tables: a
tag's samples arrive in time order, so a minute already stored is older than the batch (its first
stays, its last is replaced). Duplicates (rows forwarded twice) take the recomputing path instead."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from typing import Any

import numpy as np
import psycopg

from .binary import Columns

MINUTE_MS = 60_000
Stats = list[Any]  # tag_id, key, vmin, vmax, vsum, n, worst, vfirst, vlast, sfirst, slast

_MERGE = """
INSERT INTO {table} AS m (tag_id, {key}, vmin, vmax, vsum, n, worst, vfirst, vlast, sfirst, slast)
SELECT * FROM unnest(%s::int[], %s::bigint[], %s::float8[], %s::float8[], %s::float8[], %s::int[],
    %s::int2[], %s::float8[], %s::float8[], %s::text[], %s::text[])
ON CONFLICT (tag_id, {key}) DO UPDATE SET
    vmin = least(m.vmin, excluded.vmin), vmax = greatest(m.vmax, excluded.vmax),
    vsum = m.vsum + excluded.vsum, n = m.n + excluded.n, worst = greatest(m.worst, excluded.worst),
    vfirst = coalesce(m.vfirst, excluded.vfirst), vlast = coalesce(excluded.vlast, m.vlast),
    sfirst = coalesce(m.sfirst, excluded.sfirst), slast = coalesce(excluded.slast, m.slast)
"""
MINUTES = _MERGE.format(table="history_minute", key="minute")
HOURS = _MERGE.format(table="history_hour", key="hour")


def minutes(tag_id: int, rows: Sequence[tuple], columns: Columns | None) -> list[Stats]:
    """Statistics per minute of one tag's rows (ts, value, quality from the second field on); the
    rows' `columns` for a numeric tag, None for a string tag."""
    if columns is None:
        by_minute = groupby(rows, lambda r: r[1] // MINUTE_MS)
        return [_strings(tag_id, minute, list(group)) for minute, group in by_minute]
    values, count = columns.values, len(rows)
    key = columns.ts // MINUTE_MS
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    valued = ~np.isnan(values)
    index = np.arange(count)
    first = np.minimum.reduceat(np.where(valued, index, count), starts)
    last = np.maximum.reduceat(np.where(valued, index, -1), starts)
    table = zip(
        key[starts].tolist(),
        np.fmin.reduceat(values, starts).tolist(),
        np.fmax.reduceat(values, starts).tolist(),
        np.add.reduceat(np.where(valued, values, 0.0), starts).tolist(),
        np.add.reduceat(valued.astype(np.int64), starts).tolist(),
        np.maximum.reduceat(columns.quality, starts).tolist(),
        first.tolist(),
        last.tolist(),
        strict=True,
    )
    return [
        [tag_id, k, None if c == 0 else lo, None if c == 0 else hi, s, c, w]
        + ([float(rows[f][2]), float(rows[e][2])] if c else [None, None])
        + [None, None]
        for k, lo, hi, s, c, w, f, e in table
    ]


def _strings(tag_id: int, minute: int, rows: list[tuple]) -> Stats:
    texts = [r[2] for r in rows if r[2] is not None]
    worst = max(r[3] for r in rows)
    ends = [texts[0], texts[-1]] if texts else [None, None]
    return [tag_id, minute, None, None, 0.0, len(texts), worst, None, None, *ends]


def hours(stats: list[Stats]) -> list[Stats]:
    """Minute statistics (of one or more tags, each in time order) merged per hour."""
    out: list[Stats] = []
    for (tag_id, hour), group in groupby(stats, lambda s: (s[0], s[1] // 60)):
        part = list(group)
        lows = [s[2] for s in part if s[2] is not None]
        highs = [s[3] for s in part if s[3] is not None]
        out.append(
            [
                tag_id,
                hour,
                min(lows) if lows else None,
                max(highs) if highs else None,
                sum(s[4] for s in part),
                sum(s[5] for s in part),
                max(s[6] for s in part),
                *_ends(part, 7),
                *_ends(part, 9),
            ]
        )
    return out


def _ends(part: list[Stats], column: int) -> tuple[Any, Any]:
    firsts = [s[column] for s in part if s[column] is not None]
    lasts = [s[column + 1] for s in part if s[column + 1] is not None]
    return (firsts[0] if firsts else None, lasts[-1] if lasts else None)


def merge(con: psycopg.Connection, batch: list[tuple[int, Sequence[tuple], Columns | None]]) -> None:
    """Merge the batch's minute and hour statistics into the rollup tables (in the caller's transaction)."""
    per_minute = [s for tag_id, rows, columns in batch for s in minutes(tag_id, rows, columns)]
    for sql, stats in ((MINUTES, per_minute), (HOURS, hours(per_minute))):
        con.execute(sql, [list(column) for column in zip(*stats, strict=True)])
