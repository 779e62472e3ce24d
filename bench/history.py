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
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

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


class Run(NamedTuple):
    """One insert run: samples per second (wall clock), CPU microseconds per sample (all threads)."""

    per_s: float
    cpu_us: float


def measured(count: int, work: Callable[[], None]) -> Run:
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return Run(count / (time.perf_counter() - wall), (time.process_time() - cpu) / count * 1e6)


def historian_run(path: Path, samples: list[tuple[str, Sample]]) -> tuple[Run, float]:
    """The run from the first record() to everything committed, and microseconds per record() call."""
    tags = [HistorianTag(name) for name in dict.fromkeys(name for name, _ in samples)]
    recorded = []
    with Historian(path, tags) as historian:
        record = historian.record

        def work() -> None:
            t0 = time.perf_counter()
            for name, sample in samples:
                record(name, sample)
            recorded.append((time.perf_counter() - t0) / len(samples) * 1e6)
            historian.flush()

        run = measured(len(samples), work)
    return run, recorded[0]


def raw_run(path: Path, samples: list[tuple[str, Sample]]) -> Run:
    """Plain executemany of the same rows into the same schema, one transaction per batch."""
    con = open_for_writing(path)
    ids = register(con, [HistorianTag(name) for name in dict.fromkeys(name for name, _ in samples)])
    rows = [(ids[name], round(s.ts * 1000), s.value, int(s.quality)) for name, s in samples]

    def work() -> None:
        for i in range(0, len(rows), RAW_BATCH):
            con.execute("BEGIN")
            con.executemany("INSERT INTO history_sample VALUES (?, ?, ?, ?)", rows[i : i + RAW_BATCH])
            con.execute("COMMIT")

    run = measured(len(rows), work)
    con.close()
    return run


def insert_figures(folder: Path, samples: list[tuple[str, Sample]], runs: int) -> dict[str, float]:
    """Historian against raw in pairs, alternating which goes first; ratios are medians over the pairs,
    so load from other processes that drifts during the benchmark cancels out."""
    hist: list[Run] = []
    raw: list[Run] = []
    record_us = []
    historian_run(folder / "warm-up-h.sqlite", samples)  # first runs pay for cold caches: not counted
    raw_run(folder / "warm-up-r.sqlite", samples)
    for run in range(runs):
        if run % 2:
            raw.append(raw_run(folder / f"r{run}.sqlite", samples))
        result, per_call = historian_run(folder / f"h{run}.sqlite", samples)
        hist.append(result)
        record_us.append(per_call)
        if not run % 2:
            raw.append(raw_run(folder / f"r{run}.sqlite", samples))
    info = stats(folder / "h0.sqlite")
    return {
        "historian_per_s": round(statistics.median(r.per_s for r in hist)),
        "raw_per_s": round(statistics.median(r.per_s for r in raw)),
        "ratio": round(statistics.median(h.per_s / r.per_s for h, r in zip(hist, raw, strict=True)), 3),
        "historian_cpu_us": round(statistics.median(r.cpu_us for r in hist), 2),
        "raw_cpu_us": round(statistics.median(r.cpu_us for r in raw), 2),
        "cpu_ratio": round(statistics.median(r.cpu_us / h.cpu_us for h, r in zip(hist, raw, strict=True)), 3),
        "record_us": round(statistics.median(record_us), 3),
        "bytes_per_sample": round(info.bytes_per_sample or 0, 1),
        "file_bytes_per_sample": round(info.file_bytes / info.rows, 1),
    }


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
    tags, per_tag, runs = (100, 2_000, 5) if quick else (200, 5_000, 7)
    end = time.time()
    samples = make_samples(tags, per_tag, end)
    figures: dict[str, object] = {"bench": "history", "quick": quick, "samples": len(samples), "tags": tags}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        figures |= insert_figures(folder, samples, runs)
        print(f"insert, {len(samples):,} samples of {tags} tags, median of {runs} paired runs:")
        print(
            f"  historian (record -> committed) {figures['historian_per_s']:>10,} samples/s"
            f"  {figures['historian_cpu_us']:5.2f} us CPU a sample"
        )
        print(
            f"  raw executemany, batches of {RAW_BATCH:,} {figures['raw_per_s']:>9,} rows/s"
            f"     {figures['raw_cpu_us']:5.2f} us CPU a row"
        )
        print(
            f"  historian/raw, median over the pairs: {figures['ratio']:.2f} (target >= 0.7),"
            f" by CPU {figures['cpu_ratio']:.2f}; record() {figures['record_us']:.2f} us a call"
        )
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
