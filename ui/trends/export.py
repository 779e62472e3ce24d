"""CSV of a trend's visible range: every pen's stored samples, then its live samples not stored yet."""

from __future__ import annotations

import csv
import heapq
import logging
import math
from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np

from hmi.history import HistoryReader
from hmi.history.export import format_time
from hmi.quality import Quality

from .series import JOIN_TOLERANCE_S

log = logging.getLogger(__name__)

CSV_HEADER = ("time", "epoch_s", "tag", "value", "quality")
LiveArrays = tuple[np.ndarray, np.ndarray, np.ndarray]


def write_csv(
    reader: HistoryReader | None,
    tags: list[str],
    live: Mapping[str, LiveArrays],
    t0: float,
    t1: float,
    path: Path,
) -> int:
    """Write the samples of `tags` with t0 <= ts <= t1 in time order; returns the number of rows.

    Columns: ISO local time, epoch seconds, tag, value (empty when Bad), quality. Run it off the Qt
    thread: a week of several pens is millions of rows.
    """
    streams = [_rows(reader, tag, live[tag], t0, t1) for tag in tags]
    count = 0
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        for ts, tag, value, quality in heapq.merge(*streams, key=lambda row: (row[0], row[1])):
            writer.writerow((format_time(ts), f"{ts:.3f}", tag, value, quality.name))
            count += 1
    log.info("trend: exported %d samples of %d pens to %s", count, len(tags), path)
    return count


def _rows(
    reader: HistoryReader | None, tag: str, live: LiveArrays, t0: float, t1: float
) -> Iterator[tuple[float, str, object, Quality]]:
    newest = -math.inf
    if reader is not None:
        last = reader.value_at(tag, t1)
        newest = -math.inf if last is None else last[0]
        for ts, value, quality in reader.iter_raw(tag, t0, t1):
            yield ts, tag, "" if value is None else value, quality
    lt, ly, lq = live
    keep = (lt >= t0) & (lt <= t1) & (lt > newest + JOIN_TOLERANCE_S)
    for ts, value, quality in zip(lt[keep], ly[keep], lq[keep], strict=True):
        yield float(ts), tag, "" if math.isnan(value) else float(value), Quality(int(quality))
