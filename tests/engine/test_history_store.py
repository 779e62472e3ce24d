"""The historian end to end on real SQLite files: kinds, quality gaps, periodic logging, restarts, damage."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from hmi.history import (
    Historian,
    HistorianTag,
    HistoryConfig,
    HistoryDamaged,
    SqliteHistoryReader,
    TagHistory,
)
from hmi.quality import COMM_FAILURE, Quality, Sample

GOOD, UNCERTAIN, BAD = Quality
T0 = (time.time() // 60 - 120) * 60  # two hours ago, on a minute: well inside the default retention


def wait_until(condition: Callable[[], bool], timeout: float = 5.0, what: str = "condition") -> None:
    """Poll a condition until it holds; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


def test_each_kind_is_stored_as_documented(tmp_path: Path):
    tags = [HistorianTag("flow"), HistorianTag("run", "digital"), HistorianTag("mode", "string")]
    with Historian(tmp_path / "h.sqlite", tags) as historian:
        for i, (flow, run, mode) in enumerate([(1.5, True, "auto"), (2, False, "manual"), (2.25, 1, 7)]):
            historian.record("flow", Sample(flow, GOOD, T0 + i))
            historian.record("run", Sample(run, GOOD, T0 + i))
            historian.record("mode", Sample(mode, GOOD, T0 + i))
        historian.record("flow", Sample(99.0, BAD, T0 + 3.5, COMM_FAILURE))
        historian.flush()
        with SqliteHistoryReader(tmp_path / "h.sqlite") as reader:
            assert reader.tags() == ["flow", "mode", "run"]
            assert reader.raw("flow", T0, T0 + 10) == [
                (T0, 1.5, GOOD),
                (T0 + 1, 2.0, GOOD),
                (T0 + 2, 2.25, GOOD),
                (T0 + 3.5, None, BAD),
            ]
            assert [v for _, v, _ in reader.raw("run", T0, T0 + 10)] == [1, 0, 1]
            assert [v for _, v, _ in reader.raw("mode", T0, T0 + 10)] == ["auto", "manual", "7"]


def test_every_quality_change_is_stored_so_trends_show_the_gap(tmp_path: Path):
    tag = HistorianTag("level", settings=TagHistory(deadband=50))
    samples = [
        (0, 10.0, GOOD),
        (1, 10.0, UNCERTAIN),
        (2, 10.0, BAD),
        (3, 10.0, BAD),
        (70, 10.0, GOOD),
        (71, 11, GOOD),
    ]
    with Historian(tmp_path / "h.sqlite", [tag]) as historian:
        for dt, value, quality in samples:
            historian.record("level", Sample(value, quality, T0 + dt))
    with SqliteHistoryReader(tmp_path / "h.sqlite") as reader:
        assert reader.raw("level", T0, T0 + 100) == [
            (T0, 10.0, GOOD),
            (T0 + 1, 10.0, UNCERTAIN),
            (T0 + 2, None, BAD),
            (T0 + 70, 10.0, GOOD),
        ]
        bad_minute, good_minute = reader.buckets("level", T0, T0 + 119, 2)
        assert (bad_minute.worst, bad_minute.count, bad_minute.last) == (BAD, 2, 10.0)
        assert (good_minute.worst, good_minute.count) == (GOOD, 1)


def test_deadband_in_percent_of_range_applies_end_to_end(tmp_path: Path):
    tag = HistorianTag("temp", "analog", (0.0, 200.0), TagHistory(deadband_pct=5))  # 10 units
    with Historian(tmp_path / "h.sqlite", [tag]) as historian:
        for i, value in enumerate([20, 25, 29.9, 30.5, 35, 19, 21]):
            historian.record("temp", Sample(float(value), GOOD, T0 + i))
    with SqliteHistoryReader(tmp_path / "h.sqlite") as reader:
        assert [v for _, v, _ in reader.raw("temp", T0, T0 + 10)] == [20, 30.5, 19]


def test_periodic_logging_stores_an_unchanging_value_every_period(tmp_path: Path):
    tag = HistorianTag("speed", settings=TagHistory(mode="periodic", period_s=0.1))
    config = HistoryConfig(flush_interval_s=0.05)
    with (
        Historian(tmp_path / "h.sqlite", [tag], config) as historian,
        SqliteHistoryReader(tmp_path / "h.sqlite") as reader,
    ):
        start = time.time()
        historian.record("speed", Sample(42.0, GOOD, start))

        def periodic_rows() -> list:
            historian.flush()
            return reader.raw("speed", start + 0.001, time.time() + 1)

        wait_until(lambda: len(periodic_rows()) >= 4, what="four periodic samples")
        rows = periodic_rows()
        assert {(v, q) for _, v, q in rows} == {(42.0, GOOD)}
        assert all(round(ts * 1000) % 100 == 0 for ts, _, _ in rows)  # on the period's boundaries
        assert all(b[0] > a[0] for a, b in zip(rows, rows[1:], strict=False))


def test_swinging_door_flush_stores_the_held_point(tmp_path: Path):
    tag = HistorianTag("ramp", settings=TagHistory(mode="swinging_door", deviation=0.01))
    with (
        Historian(tmp_path / "h.sqlite", [tag]) as historian,
        SqliteHistoryReader(tmp_path / "h.sqlite") as reader,
    ):
        for i in range(600):
            historian.record("ramp", Sample(i * 0.5, GOOD, T0 + i))
        historian.flush()
        assert reader.raw("ramp", T0, T0 + 600) == [(T0, 0.0, GOOD), (T0 + 599, 299.5, GOOD)]


def test_late_samples_are_dropped_but_a_late_quality_change_is_kept(tmp_path: Path):
    with Historian(tmp_path / "h.sqlite", [HistorianTag("x")]) as historian:
        historian.record("x", Sample(1.0, GOOD, T0 + 10))
        historian.record("x", Sample(2.0, GOOD, T0 + 5))
        historian.record("x", Sample(2.0, BAD, T0 + 5))
    with SqliteHistoryReader(tmp_path / "h.sqlite") as reader:
        assert reader.raw("x", T0, T0 + 20) == [(T0 + 10, 1.0, GOOD), (T0 + 10.001, None, BAD)]


def test_a_restart_continues_after_the_last_sample_and_completes_the_open_minute(tmp_path: Path):
    path = tmp_path / "h.sqlite"
    with Historian(path, [HistorianTag("x")]) as historian:
        for i in range(90):
            historian.record("x", Sample(float(i % 7), GOOD, T0 + i))
    with Historian(path, [HistorianTag("x")]) as historian:
        historian.record("x", Sample(50.0, GOOD, T0 + 80))  # older than what is stored
        for i in range(90, 200):
            historian.record("x", Sample(float(i % 11), GOOD, T0 + i))
    with SqliteHistoryReader(path) as reader:
        rows = reader.raw("x", T0, T0 + 300)
        assert len(rows) == 200 and 50.0 not in [v for _, v, _ in rows]
        assert reader.buckets("x", T0, T0 + 239, 4) == reader.buckets("x", T0, T0 + 239, 4, rollups=False)


def test_tags_not_logged_and_samples_after_close_are_ignored(tmp_path: Path):
    tags = [HistorianTag("on"), HistorianTag("off", settings=TagHistory(mode="off"))]
    historian = Historian(tmp_path / "h.sqlite", tags)
    historian.start()
    for name in ("on", "off", "unknown"):
        historian.record(name, Sample(1.0, GOOD, T0))
    historian.close()
    historian.record("on", Sample(2.0, GOOD, T0 + 1))
    historian.close()
    with SqliteHistoryReader(tmp_path / "h.sqlite") as reader:
        assert reader.tags() == ["on"]
        assert reader.raw("on", T0, T0 + 10) == [(T0, 1.0, GOOD)]


def test_record_from_several_threads_loses_nothing(tmp_path: Path):
    names = [f"t{i}" for i in range(4)]
    with Historian(tmp_path / "h.sqlite", [HistorianTag(n) for n in names]) as historian:

        def feed(name: str) -> None:
            for i in range(2_000):
                historian.record(name, Sample(float(i), GOOD, T0 + i / 100))

        threads = [threading.Thread(target=feed, args=(n,)) for n in names]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        historian.flush()
        with SqliteHistoryReader(tmp_path / "h.sqlite") as reader:
            assert [len(reader.raw(n, T0, T0 + 100)) for n in names] == [2_000] * 4


def test_a_file_that_is_not_a_database_is_reported_with_its_path(tmp_path: Path):
    path = tmp_path / "history.sqlite"
    path.write_bytes(b"this is not SQLite" * 500)
    with pytest.raises(HistoryDamaged, match=r"history\.sqlite is damaged .*move the file aside"):
        Historian(path, [HistorianTag("x")]).start()


def test_a_database_with_damaged_pages_is_reported_instead_of_crashing(tmp_path: Path):
    path = tmp_path / "history.sqlite"
    with Historian(path, [HistorianTag("x")]) as historian:
        for i in range(20_000):
            historian.record("x", Sample(float(i), GOOD, T0 + i / 10))
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(3 * page, len(data) - page, 7 * page):
        data[offset + 8 : offset + 200] = b"\xa5" * 192  # scribble over cell pointers and cells
    path.write_bytes(bytes(data))
    with pytest.raises(HistoryDamaged, match=str(path)):
        Historian(path, [HistorianTag("x")]).start()


def test_the_historian_leaves_other_tables_in_the_file_alone(tmp_path: Path):
    path = tmp_path / "h.sqlite"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE alarm_journal (ts REAL, text TEXT)")
        con.execute("INSERT INTO alarm_journal VALUES (1, 'TK101 high')")
    con.close()
    with Historian(path, [HistorianTag("x")]) as historian:
        historian.record("x", Sample(1.0, GOOD, T0))
    con = sqlite3.connect(path)
    assert con.execute("SELECT * FROM alarm_journal").fetchall() == [(1.0, "TK101 high")]
    assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    con.close()
