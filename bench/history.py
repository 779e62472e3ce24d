"""Historian benchmark: bytes per sample and ingest rate on a plant-like mix, against raw rows; a year of
one tag into 2,000 buckets; a month's raw export; flush stalls while sealing a backlog.

    python bench/history.py           # full run: 1,000 tags for a day (several minutes)
    python bench/history.py --quick   # under a minute: 150 tags for two hours

Every ratio compares against a baseline measured in this run; the last line is JSON with every figure.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from hmi.history import HistorianTag, SqliteHistoryReader, stats
from hmi.history import chunks as chunk_store
from hmi.history.compact import file_bytes
from hmi.history.schema import HOUR_MS, open_for_writing, register
from hmi.history.store import Historian
from hmi.quality import Quality, Sample

HOUR = 3600
YEAR_S = 365 * 86_400
BLOCK_S = 600  # the mix is recorded ten minutes at a time, as a busy plant's 1 s flushes would add up
RAW_BATCH = 10_000
WORDS = ["auto", "manual", "cascade", "local"]


def mix_tags(count: int) -> list[HistorianTag]:
    """60 % noisy analogs, 25 % slow ramps, 13 % booleans, 2 % strings."""
    kinds = ["analog"] * 60 + ["ramp"] * 25 + ["digital"] * 13 + ["string"] * 2
    out = []
    for i in range(count):
        kind = kinds[i * len(kinds) // count]
        out.append(HistorianTag(f"{kind}{i:04d}", "analog" if kind == "ramp" else kind))
    return out


def mix_blocks(tags: list[HistorianTag], start: float, seconds: int) -> Iterator[list[tuple[str, Sample]]]:
    """The plant at 1 s, BLOCK_S at a time in time order: analogs with 3 decimals of sensor noise over a
    slow wave, ramps that turn every half hour, booleans and strings that change now and then; every
    timestamp a few ms off the second."""
    rng = np.random.default_rng(1)
    n = len(tags)
    base = rng.uniform(10, 500, n)
    phase = rng.uniform(0, 6.3, n)
    state = rng.integers(0, 2, n)
    for block in range(0, seconds, BLOCK_S):
        k = np.arange(block, min(block + BLOCK_S, seconds))
        jitter = rng.integers(-4, 5, (n, len(k))) / 1000
        wave = base[:, None] + 5 * np.sin(k[None, :] / 2000 + phase[:, None])
        noisy = np.round(wave + rng.normal(0, 0.02, (n, len(k))), 3)
        ramp = np.round(base[:, None] + np.abs((k[None, :] + phase[:, None] * 300) % 3600 - 1800) / 100, 3)
        flips = rng.random((n, len(k))) < 1 / 600
        states = (state[:, None] + np.cumsum(flips, axis=1)) % 4
        state = states[:, -1]
        columns = []
        for i, tag in enumerate(tags):
            kind = tag.name.rstrip("0123456789")
            if kind == "analog":
                columns.append(noisy[i].tolist())
            elif kind == "ramp":
                columns.append(ramp[i].tolist())
            elif kind == "digital":
                columns.append((states[i] % 2 == 1).tolist())
            else:
                columns.append([WORDS[s] for s in states[i].tolist()])
        times = (start + k[None, :] + jitter).tolist()
        names = [tag.name for tag in tags]
        yield [
            (names[i], Sample(columns[i][j], Quality.GOOD, times[i][j]))
            for j in range(len(k))
            for i in range(n)
        ]


def stored_rows(ids: dict[str, int], block: list[tuple[str, Sample]], last: dict[str, object]) -> list[tuple]:
    """What the historian stores of a block (each change, as on_change logging does) as rows."""
    rows = []
    for name, sample in block:
        value = sample.value
        if last.get(name, last) != value:
            last[name] = value
            rows.append((ids[name], round(sample.ts * 1000), int(value) if type(value) is bool else value, 0))
    return rows


def historian_run(path: Path, tags: list[HistorianTag], start: float, seconds: int) -> dict[str, float]:
    """Record the mix through the historian, a block and a flush at a time (time spent making the samples
    not counted): samples stored per second including sealing, the longest flush and record() cost."""
    busy = 0.0
    record_s = 0.0
    longest = 0.0
    with Historian(path, tags) as historian:
        record = historian.record
        for block in mix_blocks(tags, start, seconds):
            t0 = time.perf_counter()
            for name, sample in block:
                record(name, sample)
            t1 = time.perf_counter()
            historian.flush()
            t2 = time.perf_counter()
            busy += t2 - t0
            record_s += t1 - t0
            longest = max(longest, t2 - t1)
        t0 = time.perf_counter()
    busy += time.perf_counter() - t0  # the close: the last commit
    stored = stats(path).rows
    return {
        "per_s": stored / busy,
        "stored": stored,
        "bytes": file_bytes(path),
        "longest_flush_s": longest,
        "record_us": record_s / (len(tags) * seconds) * 1e6,
    }


def raw_run(path: Path, tags: list[HistorianTag], start: float, seconds: int) -> dict[str, float]:
    """The same stored rows by plain executemany into the row table, batches of RAW_BATCH a transaction."""
    con = open_for_writing(path)
    ids = register(con, tags)
    last: dict[str, object] = {}
    busy = 0.0
    count = 0
    for block in mix_blocks(tags, start, seconds):
        rows = stored_rows(ids, block, last)
        t0 = time.perf_counter()
        for i in range(0, len(rows), RAW_BATCH):
            con.execute("BEGIN")
            con.executemany("INSERT INTO history_sample VALUES (?, ?, ?, ?)", rows[i : i + RAW_BATCH])
            con.execute("COMMIT")
        busy += time.perf_counter() - t0
        count += len(rows)
    con.close()
    return {"per_s": count / busy, "stored": count, "bytes": file_bytes(path)}


def mix_figures(folder: Path, tags: int, seconds: int, ingest_s: int, runs: int) -> dict[str, float]:
    start = (time.time() // HOUR - seconds // HOUR - 2) * HOUR
    mix = mix_tags(tags)
    size = historian_run(folder / "mix.sqlite", mix, start, seconds)
    raw = raw_run(folder / "mix-raw.sqlite", mix, start, seconds)
    assert size["stored"] == raw["stored"], (size["stored"], raw["stored"])
    pairs = []
    for run in range(runs):  # alternate which goes first, so drifting load from elsewhere cancels out
        order = ("h", "r") if run % 2 == 0 else ("r", "h")
        result = {}
        for which in order:
            path = folder / f"{which}{run}.sqlite"
            result[which] = (historian_run if which == "h" else raw_run)(path, mix, start, ingest_s)
        pairs.append(result)
    return {
        "mix_tags": tags,
        "mix_seconds": seconds,
        "mix_samples": size["stored"],
        "bytes_per_sample": round(size["bytes"] / size["stored"], 3),
        "raw_bytes_per_sample": round(raw["bytes"] / raw["stored"], 2),
        "size_ratio": round(raw["bytes"] / size["bytes"], 1),
        "ingest_samples": pairs[0]["h"]["stored"],
        "historian_per_s": round(statistics.median(p["h"]["per_s"] for p in pairs)),
        "raw_per_s": round(statistics.median(p["r"]["per_s"] for p in pairs)),
        "ingest_ratio": round(statistics.median(p["h"]["per_s"] / p["r"]["per_s"] for p in pairs), 2),
        "longest_bulk_flush_ms": round(max(p["h"]["longest_flush_s"] for p in pairs) * 1000, 1),
        "record_us": round(statistics.median(p["h"]["record_us"] for p in pairs), 3),
    }


def backlog_stall(folder: Path, tags: int) -> dict[str, float]:
    """An hour of the mix left as rows (a file from before schema 2), then the historian sealing it in
    the background while a tag a second keeps coming: how long flush() waits meanwhile."""
    path = folder / "backlog.sqlite"
    mix = mix_tags(tags)
    start = (time.time() // HOUR - 3) * HOUR
    with Historian(path, mix, seal=False) as historian:
        for block in mix_blocks(mix, start, HOUR + 120):
            for name, sample in block:
                historian.record(name, sample)
            historian.flush()
    waits = []
    with Historian(path, mix) as historian:
        t0 = time.perf_counter()
        k = 0
        while True:
            for tag in mix[:50]:
                historian.record(tag.name, Sample(float(k), Quality.GOOD, start + HOUR + 121 + k))
            k += 1
            t = time.perf_counter()
            historian.flush()
            waits.append(time.perf_counter() - t)
            con = sqlite3.connect(path)
            left = con.execute("SELECT count(*) FROM history_sample").fetchone()[0]
            con.close()
            if left < tags * 200 or time.perf_counter() - t0 > 60:
                break
        sealing_s = time.perf_counter() - t0
    return {
        "backlog_samples": tags * (HOUR + 120),
        "backlog_sealed_s": round(sealing_s, 2),
        "backlog_flush_median_ms": round(statistics.median(waits) * 1000, 1),
        "backlog_flush_max_ms": round(max(waits) * 1000, 1),
    }


def build_year(path: Path, end: float) -> tuple[float, float]:
    """One tag a year at 1 s (noisy 3-decimal analog, ms jitter), written hour by hour as sealed chunks
    (the historian's own sealing code; recording 31.5 M samples would take minutes). Returns (t0, t1)."""
    rng = np.random.default_rng(2)
    t0 = (end // HOUR - 365 * 24) * HOUR
    con = open_for_writing(path)
    tag_id = register(con, [HistorianTag("year")])["year"]
    level = 50.0
    con.execute("BEGIN")
    for hour in range(365 * 24):
        k = np.arange(HOUR)
        ts = (t0 + hour * HOUR + k) * 1000 + rng.integers(0, 5, HOUR)
        values = np.round(level + np.cumsum(rng.normal(0, 0.01, HOUR)) + rng.normal(0, 0.02, HOUR), 3)
        level = float(values[-1])
        chunk_store.write(con, tag_id, ts.tolist(), values.tolist(), [0] * HOUR)
        if hour % 500 == 0:
            con.execute("COMMIT")
            con.execute("BEGIN")
    con.execute("COMMIT")
    con.close()
    assert (t0 * 1000) % HOUR_MS == 0
    return t0, t0 + YEAR_S - 1


def timed(fn, runs: int) -> tuple[float, object]:
    """Median wall time in ms of `runs` calls, and the last result."""
    times = []
    result = None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), result


def year_figures(folder: Path) -> dict[str, float]:
    path = folder / "year.sqlite"
    t_build = time.perf_counter()
    t0, t1 = build_year(path, time.time())
    build_s = time.perf_counter() - t_build
    month = 30 * 86_400
    with SqliteHistoryReader(path) as reader:
        year_ms, buckets = timed(lambda: reader.buckets("year", t0, t1, 2000), 7)
        export_ms, streamed = timed(lambda: sum(1 for _ in reader.iter_raw("year", t1 - month, t1)), 3)
        list_ms, samples = timed(lambda: reader.raw("year", t1 - month, t1), 3)
        week_ms, week = timed(lambda: reader.buckets("year", t1 - 7 * 86_400, t1, 2000), 5)
    assert sum(b.count for b in buckets) == YEAR_S
    return {
        "year_build_s": round(build_s, 1),
        "year_bytes_per_sample": round(file_bytes(path) / YEAR_S, 3),
        "year_buckets": len(buckets),
        "year_buckets_ms": round(year_ms, 1),
        "week_buckets_ms": round(week_ms, 1),
        "week_buckets": len(week),
        "month_export_samples": streamed,
        "month_export_per_s": round(streamed / export_ms * 1000),
        "month_raw_list_per_s": round(len(samples) / list_ms * 1000),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller run, under a minute")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--dsn", help="postgresql: a database server to use (default: start one)")
    args = parser.parse_args()
    quick = args.quick
    if args.backend == "postgresql":
        from history_pg import run

        print(json.dumps({"bench": "history", "quick": quick} | run(quick, args.dsn)))
        return
    tags, seconds, ingest_s, runs = (150, 2 * HOUR, HOUR, 3) if quick else (1000, 24 * HOUR, HOUR, 5)
    figures: dict[str, object] = {"bench": "history", "quick": quick}
    random.seed(1)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        figures |= mix_figures(folder, tags, seconds, ingest_s, runs)
        stored = figures["mix_samples"]
        print(f"plant mix, {tags:,} tags for {seconds / HOUR:.0f} h at 1 s ({stored:,} samples stored):")
        print(
            f"  {figures['bytes_per_sample']:.2f} bytes a sample in the whole file (target <= 2.0);"
            f" the same as raw rows {figures['raw_bytes_per_sample']:.1f} ({figures['size_ratio']}x more)"
        )
        ingested = figures["ingest_samples"]
        print(f"ingest, {ingested:,} samples ({ingest_s / HOUR:.0f} h), median of {runs} paired runs:")
        print(f"  historian, sealing included  {figures['historian_per_s']:>10,} samples/s")
        print(f"  raw executemany of the rows  {figures['raw_per_s']:>10,} rows/s")
        print(
            f"  ratio {figures['ingest_ratio']:.2f} (target >= 1.0); longest flush of a {BLOCK_S // 60}-min"
            f" block {figures['longest_bulk_flush_ms']} ms; record() {figures['record_us']:.2f} us a call"
        )
        figures |= backlog_stall(folder, 100 if quick else 1000)
        print(
            f"sealing a backlog of {figures['backlog_samples']:,} rows between flushes: done in "
            f"{figures['backlog_sealed_s']} s; flush() waited {figures['backlog_flush_median_ms']} ms median,"
            f" {figures['backlog_flush_max_ms']} ms at most"
        )
        figures |= year_figures(folder)
        print(f"one tag, a year at 1 s ({YEAR_S:,} samples, {figures['year_bytes_per_sample']} bytes each):")
        print(
            f"  {figures['year_buckets']:,} buckets from chunk statistics {figures['year_buckets_ms']:.1f} ms"
            f" (target < 100 ms); a week into {figures['week_buckets']:,} buckets"
            f" {figures['week_buckets_ms']} ms"
        )
        print(
            f"  a month raw ({figures['month_export_samples']:,} samples) streamed as export reads it:"
            f" {figures['month_export_per_s']:,} samples/s (target >= 5 M);"
            f" as one list (raw()) {figures['month_raw_list_per_s']:,}/s"
        )
    year_2000 = 2000 * YEAR_S
    figures["year_2000_tags_gb"] = round(year_2000 * figures["bytes_per_sample"] / 1e9, 1)
    figures["year_2000_tags_raw_gb"] = round(year_2000 * figures["raw_bytes_per_sample"] / 1e9, 1)
    print(
        f"a year of 2,000 tags at 1 s ({year_2000 / 1e9:.1f} G samples): {figures['year_2000_tags_gb']:,} GB"
        f" at the measured bytes a sample, against {figures['year_2000_tags_raw_gb']:,} GB as rows"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
