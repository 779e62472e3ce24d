"""Retention: old history goes by age (project-wide or per tag), the oldest goes first at the size cap."""

from __future__ import annotations

import logging
import random
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from hmi.history import Historian, HistorianTag, HistoryConfig, SqliteHistoryReader, TagHistory
from hmi.history.retention import Retention
from hmi.history.schema import used_bytes
from hmi.quality import Quality, Sample

DAY = 86_400
NOW = time.time()
KEEP_ALL = HistoryConfig(retention_days=10_000, max_size_mb=10_000)


def write_days(
    path: Path, tags: list[HistorianTag], days: float, step_s: float, config: HistoryConfig
) -> None:
    """Every tag ramps from `days` ago until now, one sample per `step_s`."""
    start = NOW - days * DAY
    with Historian(path, tags, config) as historian:
        for i in range(int(days * DAY / step_s)):
            for tag in tags:
                historian.record(tag.name, Sample(float(i), Quality.GOOD, start + i * step_s))


def flush_until(historian: Historian, condition: Callable[[], bool], attempts: int = 100) -> None:
    """Flush until the condition holds: every flush also gives the purge a time slice after the commit."""
    for _ in range(attempts):
        historian.flush()
        if condition():
            return
    raise AssertionError("purging did not finish")


def used(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return used_bytes(con)
    finally:
        con.close()


def oldest(path: Path) -> dict[str, float]:
    with SqliteHistoryReader(path) as reader:
        return {name: reader.raw(name, 0, NOW + DAY)[0][0] for name in reader.tags()}


def test_age_purge_keeps_the_project_retention_and_a_tag_s_own(tmp_path: Path):
    path = tmp_path / "h.sqlite"
    tags = [HistorianTag("a"), HistorianTag("b", settings=TagHistory(retention_days=2))]
    write_days(path, tags, days=40, step_s=600, config=KEEP_ALL)
    con = sqlite3.connect(path, isolation_level=None)
    ids = dict(con.execute("SELECT name, id FROM history_tag"))
    assert Retention(con, retention_days=30, max_bytes=10**9, tag_days={ids["b"]: 2}).run(NOW) is False
    con.close()
    kept = oldest(path)
    # Sealed history goes by whole chunks (a tag's hour): up to an hour more is kept, never less.
    assert NOW - 30 * DAY - 3600 <= kept["a"] < NOW - 30 * DAY + 600
    assert NOW - 2 * DAY - 3600 <= kept["b"] < NOW - 2 * DAY + 600
    with SqliteHistoryReader(path) as reader:
        # Statistics go with their samples: a trend over all 40 days (hour buckets, answered by chunk
        # statistics and minute rollups) starts where the kept samples start.
        assert reader.buckets("a", NOW - 40 * DAY, NOW, 900)[0].t_start >= NOW - 30 * DAY - 2 * 3600
        assert reader.value_at("a", NOW)[1] == 40 * DAY / 600 - 1  # recent data untouched


def test_the_historian_purges_in_the_background(tmp_path: Path):
    path = tmp_path / "h.sqlite"
    write_days(path, [HistorianTag("a")], days=3, step_s=300, config=KEEP_ALL)
    with Historian(path, [HistorianTag("a")], HistoryConfig(retention_days=1)) as historian:
        historian.record("a", Sample(-1.0, Quality.GOOD, NOW + 1))
        flush_until(historian, lambda: oldest(path)["a"] >= NOW - DAY - 3600)
    # The cutoff is a day before the purge's own clock (to the minute), which runs later than NOW (set
    # when the tests were collected, minutes ago in a full run): the first sample kept is the first of
    # the sealed hour that holds it, or the first at or after it, less than one step (300 s) later.
    assert oldest(path)["a"] < time.time() - DAY + 300


def test_the_size_cap_purges_the_oldest_data_first_and_the_file_stops_growing(tmp_path: Path):
    path = tmp_path / "h.sqlite"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE audit (ts REAL, what TEXT)")
        con.execute("INSERT INTO audit VALUES (1, 'login')")
    con.close()
    sizes = []
    for round_ in range(4):
        last = write_noisy_hour(path, round_)
        with sqlite3.connect(path) as con:
            assert con.execute("SELECT * FROM audit").fetchall() == [(1.0, "login")]
        con.close()
        sizes.append(path.stat().st_size)
        kept = oldest(path)
        assert max(kept.values()) - min(kept.values()) <= 60  # one cutoff for all tags: oldest first
        with SqliteHistoryReader(path) as reader:
            assert reader.value_at("t0", NOW)[1] == last  # the newest data is kept
    # The file peaks at what is kept plus one flush (by the third hour), then freed pages are reused: it
    # stops growing.
    assert sizes[-1] <= sizes[2] * 1.1


CAP = HistoryConfig(max_size_mb=0.25)
TAGS = [HistorianTag(f"t{i}") for i in range(5)]


def write_noisy_hour(path: Path, round_: int) -> float:
    """An hour at 1 s of five tags with incompressible values, ending `4 - round_` hours before NOW, under
    a 0.25 MB cap; returns t0's last value."""
    rng = random.Random(round_)
    with Historian(path, TAGS, CAP) as historian:
        start = NOW - (4 - round_) * 3600
        for i in range(3_600):
            for tag in TAGS:
                value = i + rng.random()
                historian.record(tag.name, Sample(value, Quality.GOOD, start + i))
                if tag.name == "t0":
                    last = value
        flush_until(historian, lambda: used(path) <= 250_000)
    return last


def test_the_size_cap_gives_the_space_back_in_a_file_the_historian_created(tmp_path: Path):
    path = tmp_path / "h.sqlite"
    for round_ in range(4):  # ~150 kB an hour: the cap is passed in the second
        write_noisy_hour(path, round_)
    with Historian(path, TAGS, CAP) as historian:
        # The file itself, not only the space in use, goes back under the cap (a file that cannot give
        # pages back stays at what it held at its peak: ~350 kB, see the test above).
        flush_until(historian, lambda: path.stat().st_size <= 250_000 * 1.05)
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA auto_vacuum").fetchone()[0] == 2  # incremental
    con.close()


def test_a_file_that_cannot_shrink_by_itself_says_how_to_shrink_it(tmp_path: Path, caplog):
    path = tmp_path / "h.sqlite"
    with sqlite3.connect(path) as con:  # tables made before the historian's: no incremental vacuum
        con.execute("CREATE TABLE audit (ts REAL, what TEXT)")
    con.close()
    with caplog.at_level(logging.WARNING, logger="hmi.history.retention"):
        for round_ in range(2):
            write_noisy_hour(path, round_)
    assert "until `hmi history compact` is run" in caplog.text


def test_a_file_just_over_its_cap_drops_its_oldest_chunk_whole(tmp_path: Path):
    path = tmp_path / "h.sqlite"
    rng = random.Random(5)
    start = (NOW // 3600 - 4) * 3600
    samples = [Sample(rng.random(), Quality.GOOD, start + i) for i in range(3 * 3600)]
    with Historian(path, [HistorianTag("a")], KEEP_ALL) as historian:
        for sample in samples:
            historian.record("a", sample)
    con = sqlite3.connect(path, isolation_level=None)
    # A cap a little under the size: the share to purge ends inside the oldest chunk, which goes whole.
    assert Retention(con, retention_days=10_000, max_bytes=used_bytes(con) - 4096).run(NOW) is False
    con.close()
    assert oldest(path)["a"] == start + 3600
