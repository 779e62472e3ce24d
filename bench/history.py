"""Historian benchmark: insert rate against raw executemany, bytes per sample, a week into 2,000 buckets.

    python bench/history.py           # full run
    python bench/history.py --quick   # under a minute

Every ratio compares against a baseline measured in this run; the last line is JSON with every figure.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from hmi.history import HistorianTag, HistoryReader, stats
from hmi.history.schema import open_for_writing, register
from hmi.history.store import Historian
from hmi.quality import Quality, Sample

WEEK_S = 7 * 86_400
RAW_BATCH = 10_000


def make_samples(tags: int, per_tag: int, end: float) -> list[tuple[str, Sample]]:
    """Random walks for `tags` tags at 10 Hz, interleaved in time as a tag table would deliver them."""
    rng = random.Random(1)
    names = [f"T{i:04d}" for i in range(tags)]
    values = [50.0] * tags
    start = end - per_tag / 10
    out = []
    for k in range(per_tag):
        ts = start + k / 10
        for i, name in enumerate(names):
            values[i] += rng.uniform(-1, 1)
            out.append((name, Sample(values[i], Quality.GOOD, ts)))
    return out


def historian_run(path: Path, samples: list[tuple[str, Sample]]) -> tuple[float, float]:
    """Samples per second through record() to committed, and microseconds per record() call."""
    tags = [HistorianTag(name) for name in dict.fromkeys(name for name, _ in samples)]
    with Historian(path, tags) as historian:
        record = historian.record
        t0 = time.perf_counter()
        for name, sample in samples:
            record(name, sample)
        t_recorded = time.perf_counter()
        historian.flush()
        elapsed = time.perf_counter() - t0
    return len(samples) / elapsed, (t_recorded - t0) / len(samples) * 1e6


def raw_run(path: Path, samples: list[tuple[str, Sample]]) -> float:
    """Rows per second of plain executemany into the same schema, one transaction per batch."""
    con = open_for_writing(path)
    ids = register(con, [HistorianTag(name) for name in dict.fromkeys(name for name, _ in samples)])
    rows = [(ids[name], round(s.ts * 1000), s.value, int(s.quality)) for name, s in samples]
    t0 = time.perf_counter()
    for i in range(0, len(rows), RAW_BATCH):
        con.execute("BEGIN")
        con.executemany("INSERT INTO history_sample VALUES (?, ?, ?, ?)", rows[i : i + RAW_BATCH])
        con.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    con.close()
    return len(rows) / elapsed


def build_week(path: Path, end: float) -> tuple[float, float]:
    """One tag sampled every second for a week, written through the historian; returns (t0, t1)."""
    rng = random.Random(2)
    t0 = math.floor(end) - WEEK_S
    value = 0.0
    with Historian(path, [HistorianTag("week")]) as historian:
        for k in range(WEEK_S):
            value += rng.gauss(0, 1)
            historian.record("week", Sample(value, Quality.GOOD, t0 + k))
            if k % 10_000 == 0:
                historian.flush()  # a bulk load: keep within what a tag may queue between flushes
    return t0, t0 + WEEK_S - 1


def timed(fn, runs: int) -> tuple[float, object]:
    """Median wall time in ms of `runs` calls, and the last result."""
    times = []
    result = None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), result


def same_buckets(a: list, b: list) -> bool:
    """The rollup and GROUP BY answers agree (avg up to summation order)."""
    return len(a) == len(b) and all(
        (x.t_start, x.min, x.max, x.first, x.last, x.count, x.worst)
        == (y.t_start, y.min, y.max, y.first, y.last, y.count, y.worst)
        and math.isclose(x.avg, y.avg, rel_tol=1e-9, abs_tol=1e-9)
        for x, y in zip(a, b, strict=True)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller run, under a minute")
    quick = parser.parse_args().quick
    tags, per_tag, runs = (100, 2_000, 3) if quick else (200, 5_000, 5)
    end = time.time()
    samples = make_samples(tags, per_tag, end)
    figures: dict[str, object] = {"bench": "history", "quick": quick, "samples": len(samples), "tags": tags}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        hist, raw, record_us = [], [], []
        for run in range(runs):
            rate, per_call = historian_run(folder / f"h{run}.sqlite", samples)
            hist.append(rate)
            record_us.append(per_call)
            raw.append(raw_run(folder / f"r{run}.sqlite", samples))
        info = stats(folder / "h0.sqlite")
        figures |= {
            "historian_per_s": round(statistics.median(hist)),
            "raw_per_s": round(statistics.median(raw)),
            "ratio": round(statistics.median(hist) / statistics.median(raw), 3),
            "record_us": round(statistics.median(record_us), 3),
            "bytes_per_sample": round(info.bytes_per_sample or 0, 1),
            "file_bytes_per_sample": round(info.file_bytes / info.rows, 1),
        }
        print(f"insert, {len(samples):,} samples of {tags} tags, median of {runs} runs:")
        print(f"  historian (record -> committed) {figures['historian_per_s']:>10,} samples/s")
        print(f"  raw executemany, batches of {RAW_BATCH:,} {figures['raw_per_s']:>9,} rows/s")
        print(f"  ratio {figures['ratio']:.2f} (target >= 0.7), record() {figures['record_us']:.2f} us")
        print(
            f"  {figures['bytes_per_sample']} bytes per sample in the tables (with rollups), "
            f"{figures['file_bytes_per_sample']} in the whole file"
        )

        week = folder / "week.sqlite"
        t_build = time.perf_counter()
        t0, t1 = build_week(week, end)
        figures["week_build_s"] = round(time.perf_counter() - t_build, 2)
        t_check = time.perf_counter()
        with sqlite3.connect(week) as con:
            con.execute("PRAGMA quick_check").fetchall()
        figures["quick_check_s"] = round(time.perf_counter() - t_check, 3)
        with HistoryReader(week) as reader:
            fast_ms, fast = timed(lambda: reader.buckets("week", t0, t1, 2000), 7)
            width = fast[0].t_end - fast[0].t_start
            same_n = round((t1 - t0) / width)
            slow_ms, slow = timed(lambda: reader.buckets("week", t0, t1, same_n, rollups=False), 3)
        figures |= {
            "week_samples": WEEK_S,
            "week_buckets": len(fast),
            "week_buckets_ms": round(fast_ms, 2),
            "week_groupby_ms": round(slow_ms, 1),
            "query_speedup": round(slow_ms / fast_ms, 1),
            "same_answer": same_buckets(fast, slow),
        }
        print(f"one tag, a week at 1 s ({WEEK_S:,} samples, written in {figures['week_build_s']} s):")
        print(f"  {len(fast):,} buckets of {width:.0f} s from rollups {fast_ms:8.2f} ms (target < 100 ms)")
        print(f"  same buckets by GROUP BY over samples {slow_ms:8.1f} ms ({slow_ms / fast_ms:.0f}x slower)")
        print(f"  answers agree: {figures['same_answer']}; start-up quick_check {figures['quick_check_s']} s")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
