"""Trend queries: buckets equal a reference computed in Python, spikes survive, value as of a time."""

from __future__ import annotations

import math
import random
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hmi.history import Bucket, Historian, HistorianTag, HistoryError, SqliteHistoryReader
from hmi.quality import Quality, Sample

GOOD, UNCERTAIN, BAD = Quality
START = (time.time() // 60 - 240) * 60  # four hours ago, on a minute
END = START + 3 * 3600 + 17.5  # the last minute stays open: its rollup is not written yet


def write(path: Path, tags: list[HistorianTag], samples: list[tuple[str, Sample]]) -> None:
    with Historian(path, tags) as historian:
        for name, sample in samples:
            historian.record(name, sample)


def plant_samples() -> list[tuple[str, Sample]]:
    """Three hours of an irregular analog tag with Bad and Uncertain stretches, a pump and a mode."""
    rng = random.Random(7)
    out, ts, flow = [], START, 50.0
    while ts < END:
        flow += rng.gauss(0, 2)
        roll = rng.random()
        quality = BAD if roll < 0.02 else UNCERTAIN if roll < 0.05 else GOOD
        out.append(("flow", Sample(round(flow, 3), quality, ts)))
        ts += rng.uniform(0.2, 5.0)
    ts = START
    while ts < END:
        out.append(("pump", Sample(rng.random() < 0.5, GOOD, ts)))
        out.append(("mode", Sample(rng.choice(["auto", "manual", "cascade"]), GOOD, ts)))
        ts += rng.uniform(30, 300)
    return sorted(out, key=lambda item: item[1].ts)


@pytest.fixture(scope="module")
def plant(tmp_path_factory: pytest.TempPathFactory) -> SqliteHistoryReader:
    path = tmp_path_factory.mktemp("history") / "plant.sqlite"
    tags = [HistorianTag("flow"), HistorianTag("pump", "digital"), HistorianTag("mode", "string")]
    write(path, tags, plant_samples())
    with SqliteHistoryReader(path) as reader:
        yield reader


def reference(
    reader: SqliteHistoryReader, tag: str, t0: float, t1: float, n: int, rollups: bool
) -> list[Bucket]:
    """The documented bucketing, computed in Python from the raw samples."""
    width = max(1, math.ceil((t1 - t0) * 1000 / n))
    if rollups and width >= 60_000:
        step = 3_600_000 if width >= 3_600_000 else 60_000  # whole hours, so whole chunks answer
        width = math.ceil(width / step) * step
    start, end = round(t0 * 1000) // width * width, (round(t1 * 1000) // width + 1) * width
    groups = defaultdict(list)
    for ts, value, quality in reader.raw(tag, start / 1000, end / 1000):
        if round(ts * 1000) < end:
            groups[round(ts * 1000) // width].append((value, quality))
    numeric = tag != "mode"
    out = []
    for b, group in sorted(groups.items()):
        values = [v for v, _ in group if v is not None]
        out.append(
            Bucket(
                t_start=b * width / 1000,
                t_end=(b + 1) * width / 1000,
                min=min(values) if values and numeric else None,
                max=max(values) if values and numeric else None,
                avg=sum(values) / len(values) if values and numeric else None,
                first=values[0] if values else None,
                last=values[-1] if values else None,
                count=len(values),
                worst=max(q for _, q in group),
            )
        )
    return out


def same(got: list[Bucket], want: list[Bucket]) -> bool:
    def key(b: Bucket) -> tuple:
        return b.t_start, b.t_end, b.min, b.max, b.first, b.last, b.count, b.worst

    return [key(b) for b in got] == [key(b) for b in want] and all(
        (g.avg is None and w.avg is None) or math.isclose(g.avg, w.avg, rel_tol=1e-9, abs_tol=1e-9)
        for g, w in zip(got, want, strict=True)
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    tag=st.sampled_from(["flow", "pump", "mode"]),
    begin=st.floats(-0.05, 1.0),
    length=st.floats(0.0005, 1.2),
    n=st.integers(1, 3_000),
    rollups=st.booleans(),
)
def test_buckets_equal_the_reference(plant, tag, begin, length, n, rollups):
    span = END - START
    t0 = START + begin * span
    t1 = t0 + length * span
    assert same(plant.buckets(tag, t0, t1, n, rollups=rollups), reference(plant, tag, t0, t1, n, rollups))


def test_a_week_like_range_uses_rollups_and_covers_the_open_minute(plant):
    buckets = plant.buckets("flow", START - 86_400, END + 60, 300)
    assert buckets[0].t_end - buckets[0].t_start == 360  # 27 h / 300 = 324 s, rounded up to whole minutes
    assert sum(b.count for b in buckets) == sum(
        1 for _, v, _ in plant.raw("flow", START, END) if v is not None
    )
    assert buckets[-1].last == plant.value_at("flow", END)[1]


def test_a_single_sample_spike_stays_visible_at_every_zoom(tmp_path: Path):
    spike_at = START + 3_000
    samples = [("x", Sample(100.0 if START + i == spike_at else 0.0, GOOD, START + i)) for i in range(7_200)]
    write(tmp_path / "h.sqlite", [HistorianTag("x")], samples)
    with SqliteHistoryReader(tmp_path / "h.sqlite") as reader:
        for n in (5, 100, 2_000, 5_000):
            peaks = [b for b in reader.buckets("x", START, START + 7_200, n) if b.max == 100.0]
            assert len(peaks) == 1 and peaks[0].t_start <= spike_at < peaks[0].t_end
            assert peaks[0].min == 0.0 or peaks[0].count == 1


def test_value_at_is_the_last_sample_at_or_before_the_time(plant):
    raw = plant.raw("flow", START, END)
    (t_a, v_a, q_a), (t_b, _, _) = raw[10], raw[11]
    assert plant.value_at("flow", START - 1) is None
    assert plant.value_at("flow", t_a) == (t_a, v_a, q_a)
    assert plant.value_at("flow", (t_a + t_b) / 2) == (t_a, v_a, q_a)
    assert plant.value_at("flow", END + 3600) == raw[-1]


def test_raw_includes_both_ends_and_keeps_order(plant):
    raw = plant.raw("flow", START, END)
    inner = plant.raw("flow", raw[5][0], raw[9][0])
    assert inner == raw[5:10]
    assert [ts for ts, _, _ in raw] == sorted(ts for ts, _, _ in raw)


def test_unknown_tags_and_files_without_history(plant, tmp_path: Path):
    assert plant.raw("nope", START, END) == [] and plant.buckets("nope", START, END) == []
    assert plant.value_at("nope", END) is None
    (tmp_path / "empty.sqlite").touch()
    with SqliteHistoryReader(tmp_path / "empty.sqlite") as reader:
        assert reader.tags() == [] and reader.raw("flow", START, END) == []
    with pytest.raises(HistoryError, match="no history file"):
        SqliteHistoryReader(tmp_path / "missing.sqlite")


def test_a_reader_works_from_a_worker_thread_while_the_historian_writes(tmp_path: Path):
    path = tmp_path / "h.sqlite"
    with Historian(path, [HistorianTag("x")]) as historian, ThreadPoolExecutor(1) as worker:
        historian.flush()
        reader = SqliteHistoryReader(path)
        for i in range(20):
            for k in range(500):
                historian.record("x", Sample(float(k), GOOD, START + i * 500 + k))
            historian.flush()
            counts = worker.submit(
                lambda: sum(b.count for b in reader.buckets("x", START, START + 10_000, 50))
            )
            assert counts.result(timeout=5) == (i + 1) * 500
        reader.close()
