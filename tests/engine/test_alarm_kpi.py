"""Alarm KPIs on a constructed journal, checked against figures worked out by hand."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

import pytest

from hmi.alarms import AlarmConfig, AlarmJournal, JournalEntry, Priority, alarm_kpis
from hmi.alarms import cli as alarms_cli
from hmi.alarms.kpi import (
    AlarmCount,
    Flood,
    RateBucket,
    StaleAlarm,
    most_within,
    rate_buckets,
    sliding_window,
)
from hmi.alarms.kpi_summary import summary
from hmi.storage.sqlite import SqliteStorage

T0 = 1_700_000_000.0  # the period is [T0, T0 + 1 h)
HOUR = 3600.0


def row(ts: float, alarm_id: str, priority: str, old: str, new: str, active: bool) -> JournalEntry:
    return JournalEntry(
        T0 + ts,
        alarm_id,
        alarm_id.rsplit(".", 1)[0],
        "hi",
        priority,
        old,
        new,
        active,
        1.0,
        0.0,
        "system",
        "",
        "",
    )


def raise_and_clear(alarm_id: str, priority: str, raised: float, cleared: float) -> list[JournalEntry]:
    return [
        row(raised, alarm_id, priority, "normal", "unack_active", True),
        row(cleared, alarm_id, priority, "unack_active", "rtn_unack", False),
    ]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A journal with a chattering alarm, an 11-alarm flood, a stale alarm and one before the period."""
    path = tmp_path_factory.mktemp("kpi") / "history.sqlite"
    rows: list[JournalEntry] = []
    for t in (100, 120, 140):  # 3 raises within 40 s: chattering
        rows += raise_and_clear("TK1.L.HI", "low", t, t + 10)
    for i in range(11):  # 11 alarms in 10 s: a flood from the 11th until the 1st is 10 min old
        rows += raise_and_clear(f"F{i:02d}.X.HI", "medium", 1000 + i, 1200)
    rows += raise_and_clear("X.Y.LO", "high", -200_000, -100_000)  # long ago, cleared before the period
    rows += raise_and_clear("X.Y.LO", "high", 3000, 3100)
    rows.append(row(-90_000, "P1.Fault.DISCRETE", "critical", "normal", "unack_active", True))
    rows.append(row(-89_000, "P1.Fault.DISCRETE", "critical", "unack_active", "ack_active", True))
    rows.append(row(HOUR, "Z.Z.HI", "low", "normal", "unack_active", True))  # just after the period
    with AlarmJournal(path) as journal:
        for entry in rows:
            journal.record(entry)
    return path


def test_kpis_equal_hand_computed_figures(db: Path):
    kpis = alarm_kpis(db, T0, T0 + HOUR)
    assert kpis.total == 15
    assert kpis.average_per_10min == pytest.approx(15 * 600 / 3600)
    assert kpis.peak_10min == 11
    assert kpis.flood_percent == pytest.approx(100 * (1600 - 1010) / 3600)
    assert kpis.priorities == {Priority.CRITICAL: 0, Priority.HIGH: 1, Priority.MEDIUM: 11, Priority.LOW: 3}
    assert kpis.priority_percent()[Priority.MEDIUM] == pytest.approx(100 * 11 / 15)
    assert kpis.top == [AlarmCount("TK1.L.HI", 3)] + [AlarmCount(f"F{i:02d}.X.HI", 1) for i in range(9)]
    assert kpis.chattering == [AlarmCount("TK1.L.HI", 3)]
    assert kpis.stale == [StaleAlarm("P1.Fault.DISCRETE", T0 - 90_000, 90_000 + HOUR)]
    assert kpis.floods == [Flood(T0 + 1010, 1600 - 1010, 11)]
    # Buckets on the clock's 10 minutes: T0 is 200 s past one, so the first is 400 s long.
    assert [b.count for b in kpis.rate] == [3, 0, 11, 0, 0, 1, 0]
    assert (kpis.rate[0].start, kpis.rate[0].end, kpis.rate[-1].end) == (T0, T0 + 400, T0 + HOUR)


def test_the_summary_marks_the_targets_missed(db: Path):
    figures = {f.label: f for f in summary(alarm_kpis(db, T0, T0 + HOUR), AlarmConfig())}
    assert (figures["Peak alarms in any 10 min"].value, figures["Peak alarms in any 10 min"].exceeded) == (
        "11",
        True,
    )
    assert figures["Time in flood"].exceeded and figures["Chattering alarms"].exceeded
    assert (
        figures["Average alarms per 10 min"].value == "2.50" and figures["Average alarms per 10 min"].exceeded
    )
    assert not figures["Stale alarms"].exceeded and not figures["Alarms raised"].exceeded


def test_project_settings_change_the_thresholds(db: Path):
    kpis = alarm_kpis(db, T0, T0 + HOUR, AlarmConfig(chatter_count=4, flood_count=2, stale_after=100_000))
    assert kpis.chattering == [] and kpis.stale == []
    # More than 2 in 10 min: from the 3rd chattering raise (140) until the 1st is 10 min old (700),
    # then from the 3rd flood alarm (1002) until only 2 of them are younger than 10 min (1608).
    assert kpis.flood_percent == pytest.approx(100 * ((700 - 140) + (1608 - 1002)) / 3600)


def test_an_empty_period_has_zero_figures(db: Path):
    kpis = alarm_kpis(db, T0 + 2 * HOUR, T0 + 3 * HOUR)
    assert (kpis.total, kpis.average_per_10min, kpis.peak_10min, kpis.flood_percent) == (0, 0, 0, 0)
    assert kpis.top == [] and kpis.priority_percent()[Priority.LOW] == 0
    assert [s.alarm_id for s in kpis.stale] == ["P1.Fault.DISCRETE"], "still active, still stale"


def test_window_helpers():
    assert sliding_window([0, 1, 2], window=10, threshold=2, start=0, end=100) == (3, [(2, 10)])
    assert sliding_window([0, 10, 20], window=10, threshold=0, start=5, end=25) == (1, [(5, 25)])
    assert rate_buckets([0, 599, 600, 1300], start=300, end=1500) == [
        RateBucket(300, 600, 1),
        RateBucket(600, 1200, 1),
        RateBucket(1200, 1500, 1),
    ]
    assert most_within([0, 59.9, 60, 61, 200], 60) == 3


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    alarms_cli.add_arguments(parser)
    return parser.parse_args(list(argv))


def test_report_command_prints_the_figures(db: Path, capsys: pytest.CaptureFixture[str]):
    args = parse(
        "--from",
        datetime.fromtimestamp(T0).isoformat(),
        "--to",
        datetime.fromtimestamp(T0 + HOUR).isoformat(),
    )
    assert alarms_cli.run(args, SqliteStorage(db)) == 0
    out = capsys.readouterr().out
    assert "(1.0 h)" in out
    assert "Alarms raised               15" in out
    assert "Time in flood            16.4 %" in out
    assert "1. TK1.L.HI" in out and "up to 3 within 60 s" in out
    assert "P1.Fault.DISCRETE" in out and "26.0 h" in out


def test_report_command_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert alarms_cli.run(parse(), SqliteStorage(tmp_path / "nothing.sqlite")) == 1
    assert "no alarm journal" in capsys.readouterr().err
    assert (
        alarms_cli.run(
            parse("--from", "2024-05-02", "--to", "2024-05-01"), SqliteStorage(tmp_path / "x.sqlite")
        )
        == 2
    )
    with pytest.raises(SystemExit):
        parse("--from", "yesterday")
