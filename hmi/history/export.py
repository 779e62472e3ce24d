"""Getting history out: CSV export of tags over a time range, and statistics of a history file."""

from __future__ import annotations

import csv
import heapq
import logging
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

from .errors import HistoryError
from .port import HistoryReader
from .schema import connect, has_chunks, has_tables, used_bytes

log = logging.getLogger(__name__)

CSV_HEADER = ("time", "tag", "value", "quality")


def format_time(ts: float) -> str:
    """ISO 8601 local time with milliseconds and UTC offset: exact, sortable and readable."""
    return datetime.fromtimestamp(ts).astimezone().isoformat(timespec="milliseconds")


def export_csv(reader: HistoryReader, tags: Iterable[str] | None, t0: float, t1: float, out: TextIO) -> int:
    """Write the raw samples of `tags` (all if None) with t0 <= ts <= t1 as CSV, in time order; return
    the number of rows. Columns: time, tag, value (empty when Bad), quality (GOOD/UNCERTAIN/BAD)."""
    known = reader.tags()
    names = known if tags is None else list(tags)
    unknown = [name for name in names if name not in known]
    if unknown:
        raise HistoryError(
            f"no history for {', '.join(unknown)}; tags with history: {', '.join(known) or 'none'}"
        )
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    count = 0
    with reader.snapshot():  # the tags' streams interleave: all of them as of one commit
        streams = [_tagged(reader, name, t0, t1) for name in names]
        for ts, name, value, quality in heapq.merge(*streams, key=lambda row: (row[0], row[1])):
            writer.writerow((format_time(ts), name, "" if value is None else value, quality.name))
            count += 1
    log.info("exported %d samples of %d tags", count, len(names))
    return count


def _tagged(reader: HistoryReader, name: str, t0: float, t1: float) -> Iterator[tuple]:
    for ts, value, quality in reader.iter_raw(name, t0, t1):
        yield ts, name, value, quality


@dataclass(frozen=True)
class TagStats:
    """How much history one tag has."""

    name: str
    kind: str
    rows: int
    first: float | None
    last: float | None


@dataclass(frozen=True)
class HistoryStats:
    """Size and extent of a history file; history_bytes counts the sample, chunk and rollup tables only."""

    path: Path | str
    file_bytes: int
    history_bytes: int
    tags: list[TagStats]

    @property
    def rows(self) -> int:
        return sum(tag.rows for tag in self.tags)

    @property
    def first(self) -> float | None:
        return min((tag.first for tag in self.tags if tag.first is not None), default=None)

    @property
    def last(self) -> float | None:
        return max((tag.last for tag in self.tags if tag.last is not None), default=None)

    @property
    def bytes_per_sample(self) -> float | None:
        return self.history_bytes / self.rows if self.rows else None


def stats(db_path: Path) -> HistoryStats:
    """Tags, samples, time span and size of a history file; reads the whole file (for `info`, not the UI)."""
    db_path = Path(db_path)
    if not db_path.is_file():
        raise HistoryError(f"no history file at {db_path}")
    file_bytes = sum(p.stat().st_size for p in (db_path, Path(f"{db_path}-wal")) if p.exists())
    con = connect(db_path, writer=False)
    try:
        if not has_tables(con):
            return HistoryStats(db_path, file_bytes, 0, [])
        sealed = ""
        if has_chunks(con):
            sealed = (
                " UNION ALL SELECT tag_id, sum(samples), min(t_first), max(t_last) FROM history_chunk"
                " GROUP BY tag_id"
            )
        con.execute("BEGIN")  # rows and chunks as of one commit
        per_tag = con.execute(
            "SELECT t.name, t.kind, coalesce(sum(p.n), 0), min(p.t0), max(p.t1) FROM history_tag t"
            " LEFT JOIN (SELECT tag_id, count(*) AS n, min(ts) AS t0, max(ts) AS t1 FROM history_sample"
            f" GROUP BY tag_id{sealed}) p ON p.tag_id = t.id GROUP BY t.id ORDER BY t.name"
        ).fetchall()
        con.execute("COMMIT")
        tags = [
            TagStats(name, kind, rows, _seconds(first), _seconds(last))
            for name, kind, rows, first, last in per_tag
        ]
        return HistoryStats(db_path, file_bytes, _table_bytes(con), tags)
    finally:
        con.close()


def _table_bytes(con: sqlite3.Connection) -> int:
    """Bytes of the sample, chunk and rollup tables (with their indexes); the whole file's used pages where
    dbstat is not compiled in."""
    try:
        row = con.execute(
            "SELECT sum(pgsize) FROM dbstat WHERE name IN ('history_sample', 'history_minute',"
            " 'history_chunk', 'history_chunk_data')"
        ).fetchone()
        return row[0] or 0
    except sqlite3.OperationalError:
        return used_bytes(con)


def _seconds(ms: int | None) -> float | None:
    return None if ms is None else ms / 1000
