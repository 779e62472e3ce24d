"""Files from before schema 2 are upgraded in place: compressed in steps by the writer with its progress
logged, or at once by `hmi history compact` with a progress bar; the answers stay the same."""

from __future__ import annotations

import logging
import math
import sqlite3
import time
from pathlib import Path

import pytest

from hmi.history import Historian, HistorianTag, SqliteHistoryReader
from hmi.history import cli as history_cli
from hmi.history.compact import file_bytes
from hmi.quality import Quality, Sample
from hmi.storage.sqlite import SqliteStorage
from tests.engine.test_history_export import parser
from tests.engine.test_history_tiers import same_buckets

HOUR = 3600
START = (time.time() // HOUR - 8) * HOUR
TAGS = [HistorianTag("flow"), HistorianTag("pump", "digital"), HistorianTag("mode", "string")]


def make_v1(path: Path) -> None:
    """Six hours at 1 s of three tags, as OpenHMI before schema 2 left them: rows and minute rollups."""
    with Historian(path, TAGS, seal=False) as historian:
        for i in range(6 * HOUR):
            historian.record(
                "flow", Sample(round(50 + 10 * math.sin(i / 300) + (i % 7) / 100, 3), Quality.GOOD, START + i)
            )
            historian.record("pump", Sample(i // 450 % 2 == 0, Quality.GOOD, START + i))
            historian.record("mode", Sample(["auto", "manual"][i // 1000 % 2], Quality.GOOD, START + i))
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("DROP TABLE history_chunk")
    con.execute("DROP TABLE history_chunk_data")
    con.execute("UPDATE history_meta SET value = '1' WHERE key = 'schema'")
    con.execute("PRAGMA auto_vacuum = NONE")
    con.execute("VACUUM")
    con.close()


def answers(path: Path) -> dict:
    with SqliteHistoryReader(path) as reader:
        return {
            tag.name: (
                reader.raw(tag.name, START, START + 7 * HOUR),
                reader.buckets(tag.name, START, START + 7 * HOUR, 500),
                reader.buckets(tag.name, START, START + 7 * HOUR, 5),
                reader.value_at(tag.name, START + 2.5 * HOUR),
            )
            for tag in TAGS
        }


def same_answers(got: dict, want: dict) -> bool:
    return all(
        g[0] == w[0] and same_buckets(g[1], w[1]) and same_buckets(g[2], w[2]) and g[3] == w[3]
        for g, w in ((got[name], want[name]) for name in want)
    )


def table(path: Path, sql: str) -> object:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


@pytest.fixture
def v1(tmp_path: Path) -> Path:
    path = tmp_path / "history.sqlite"
    make_v1(path)
    return path


def test_the_writer_upgrades_an_old_file_and_compresses_it_in_steps(v1: Path, caplog):
    before = answers(v1)  # a reader reads the old file as it is
    rows_before = table(v1, "SELECT count(*) FROM history_sample")
    with caplog.at_level(logging.INFO, logger="hmi.history"), Historian(v1, TAGS) as historian:
        assert table(v1, "SELECT value FROM history_meta WHERE key = 'schema'") == "2"
        for _ in range(200):
            historian.flush()  # each flush gives sealing a slice of the writer's time
            if "older samples are all compressed" in caplog.text:
                break
        assert same_answers(answers(v1), before)  # also while the writer is running
    progress = [r.getMessage() for r in caplog.records if "% done" in r.getMessage()]
    assert "compressing 18 tag-hours of older samples" in caplog.text
    assert len(progress) >= 3 and progress == sorted(progress, key=lambda m: int(m.split(",")[1].split()[0]))
    assert table(v1, "SELECT count(*) FROM history_sample") < rows_before / 50  # only the open minutes
    sealed = table(v1, "SELECT sum(samples) FROM history_chunk")
    assert sealed + table(v1, "SELECT count(*) FROM history_sample") == rows_before
    assert same_answers(answers(v1), before)


def test_compact_command_seals_all_with_a_progress_bar_and_shrinks_the_file(v1: Path, capsys):
    before, size = answers(v1), file_bytes(v1)
    assert table(v1, "PRAGMA auto_vacuum") == 0
    assert parser().parse_args(["history", "compact"]).project is None
    args = parser().parse_args(["history", "compact", "demo"])
    assert history_cli.run(args, SqliteStorage(v1)) == 0
    err = capsys.readouterr().err
    assert "compressing history" in err and " -> " in err
    assert file_bytes(v1) < size / 5
    assert table(v1, "PRAGMA auto_vacuum") == 2  # gives purged space back from now on
    assert table(v1, "SELECT value FROM history_meta WHERE key = 'schema'") == "2"
    assert same_answers(answers(v1), before)


def test_compact_says_what_is_wrong_without_a_traceback(tmp_path: Path, capsys):
    assert (
        history_cli.run(
            parser().parse_args(["history", "compact", "demo"]), SqliteStorage(tmp_path / "none.sqlite")
        )
        == 1
    )
    assert "no history file at" in capsys.readouterr().err
