"""Getting history out: CSV that reads back exactly, file statistics, and the `hmi history` sub-commands."""

from __future__ import annotations

import argparse
import csv
import io
import time
from datetime import datetime
from pathlib import Path

import pytest

from hmi.history import Historian, HistorianTag, HistoryError, SqliteHistoryReader, export_csv, stats
from hmi.history import cli as history_cli
from hmi.history.cli import parse_time
from hmi.quality import Quality, Sample
from hmi.storage.sqlite import SqliteStorage

T0 = (time.time() // 60 - 60) * 60


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "history.sqlite"
    tags = [HistorianTag("TK101.Level"), HistorianTag("P101.Run", "digital"), HistorianTag("Mode", "string")]
    with Historian(path, tags) as historian:
        for i in range(300):
            historian.record("TK101.Level", Sample(50 + i / 7, Quality.GOOD, T0 + i * 0.25))
            if i % 50 == 0:
                historian.record("P101.Run", Sample(i % 100 == 0, Quality.GOOD, T0 + i * 0.25))
        historian.record("TK101.Level", Sample(None, Quality.BAD, T0 + 80, "comm failure"))
        historian.record("Mode", Sample('auto, "fast"', Quality.UNCERTAIN, T0 + 1.5))
    return path


def read_back(text: str) -> dict[str, list[tuple]]:
    """CSV rows per tag as (ts, value, quality), with values parsed by what the tag holds."""
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["time", "tag", "value", "quality"]
    parse = {"TK101.Level": float, "P101.Run": int, "Mode": str}
    out: dict[str, list[tuple]] = {}
    for stamp, tag, value, quality in rows[1:]:
        ts = datetime.fromisoformat(stamp).timestamp()
        out.setdefault(tag, []).append((ts, parse[tag](value) if value else None, Quality[quality]))
    return out


def test_csv_export_reads_back_to_the_same_samples_in_time_order(db: Path):
    out = io.StringIO()
    count = export_csv(SqliteHistoryReader(db), None, T0, T0 + 3600, out)
    times = [datetime.fromisoformat(row[0]) for row in list(csv.reader(io.StringIO(out.getvalue())))[1:]]
    assert times == sorted(times) and count == len(times) == 300 + 1 + 6 + 1
    with SqliteHistoryReader(db) as reader:
        assert read_back(out.getvalue()) == {name: reader.raw(name, T0, T0 + 3600) for name in reader.tags()}


def test_csv_export_of_chosen_tags_and_range(db: Path):
    out = io.StringIO()
    assert export_csv(SqliteHistoryReader(db), ["P101.Run"], T0 + 10, T0 + 40, out) == 3
    run = [(ts - T0, v) for ts, v, _ in read_back(out.getvalue())["P101.Run"]]
    assert run == [(12.5, 0), (25, 1), (37.5, 0)]


def test_exporting_an_unknown_tag_lists_the_tags_there_are(db: Path):
    with pytest.raises(
        HistoryError, match="no history for TK999; tags with history: Mode, P101.Run, TK101.Level"
    ):
        export_csv(SqliteHistoryReader(db), ["TK999"], T0, T0 + 60, io.StringIO())


def test_stats_count_tags_samples_span_and_size(db: Path):
    info = stats(db)
    assert [(t.name, t.kind, t.rows) for t in info.tags] == [
        ("Mode", "string", 1),
        ("P101.Run", "digital", 6),
        ("TK101.Level", "analog", 301),
    ]
    assert (info.rows, info.first, info.last) == (308, T0, T0 + 80)
    assert info.file_bytes >= info.history_bytes > 0
    assert 5 < info.bytes_per_sample < 200


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", 1_000_000.0),
        ("-1h", 1_000_000.0 - 3600),
        ("-7d", 1_000_000.0 - 7 * 86_400),
        ("-30m", 1_000_000.0 - 1800),
        ("-1.5s", 1_000_000.0 - 1.5),
        ("2024-05-01T06:00:00Z", datetime.fromisoformat("2024-05-01T06:00:00+00:00").timestamp()),
        ("2024-05-01 08:00", datetime(2024, 5, 1, 8, 0).timestamp()),  # local time
        ("2024-05-01", datetime(2024, 5, 1).timestamp()),
    ],
)
def test_times_are_read_as_now_relative_or_iso_local(text: str, expected: float):
    assert parse_time(text, now=1_000_000.0) == expected


def test_an_unreadable_time_says_which_forms_work():
    with pytest.raises(ValueError, match="cannot read time 'yesterday': use 'now', a relative time like -1h"):
        parse_time("yesterday")


def parser() -> argparse.ArgumentParser:
    """The sub-command tree as the `hmi` command mounts it."""
    root = argparse.ArgumentParser(prog="hmi")
    history_cli.add_arguments(root.add_subparsers(dest="command").add_parser("history"))
    return root


def test_export_command_writes_csv_with_relative_times(db: Path, tmp_path: Path, capsys):
    out = tmp_path / "level.csv"
    args = parser().parse_args(
        [
            "history",
            "export",
            "demo",
            "--tags",
            "TK101.Level,P101.Run",
            "--from",
            "-1d",
            "--to",
            "now",
            "--out",
            str(out),
        ]
    )
    assert args.project == Path("demo")
    assert history_cli.run(args, SqliteStorage(db)) == 0
    assert set(read_back(out.read_text(encoding="utf-8"))) == {"TK101.Level", "P101.Run"}
    assert "307 samples written" in capsys.readouterr().err


def test_info_command_prints_the_figures(db: Path, capsys):
    assert parser().parse_args(["history", "info"]).project is None  # the caller's default project
    assert history_cli.run(parser().parse_args(["history", "info", "demo"]), SqliteStorage(db)) == 0
    printed = capsys.readouterr().out
    assert "samples:          308" in printed and "TK101.Level  analog" in printed


def test_commands_fail_with_a_message_not_a_traceback(tmp_path: Path, db: Path, capsys):
    assert (
        history_cli.run(
            parser().parse_args(["history", "info", "demo"]), SqliteStorage(tmp_path / "none.sqlite")
        )
        == 1
    )
    assert "no history file at" in capsys.readouterr().err
    args = parser().parse_args(["history", "export", "demo", "--from", "now", "--to", "-1h"])
    assert history_cli.run(args, SqliteStorage(db)) == 1
    assert "is before --from" in capsys.readouterr().err
