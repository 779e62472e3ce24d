"""Server events in the alarm journal's file: a table added to an existing journal in place, a newer
journal refused, searchable, and a flood bounded: dropped and counted, never blocking the caller."""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from datetime import datetime
from pathlib import Path

import pytest

from hmi.alarms import AlarmError, AlarmJournal, AlarmState, JournalEntry, Priority
from hmi.alarms.journal import VERSION, search_events
from hmi.alarms.server_events import ServerEvent
from hmi.cli import main
from hmi.opcua.conditions import priority
from hmi.storage import open_storage
from tests.support import demo_project, free_port

OLD_SCHEMA = """
CREATE TABLE alarm_journal (
    id INTEGER PRIMARY KEY, ts REAL NOT NULL, alarm_id TEXT NOT NULL, tag TEXT NOT NULL,
    kind TEXT NOT NULL, priority TEXT NOT NULL, old_state TEXT NOT NULL, new_state TEXT NOT NULL,
    active INTEGER NOT NULL, value, limit_value, actor TEXT NOT NULL, comment TEXT NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX alarm_journal_ts ON alarm_journal (ts);
CREATE INDEX alarm_journal_alarm ON alarm_journal (alarm_id, ts);
INSERT INTO alarm_journal VALUES
    (1, 100.0, 'TK101.Level.HI', 'TK101.Level', 'hi', 'high', 'normal', 'unack_active', 1, 85.0, 80.0,
     'system', '', 'Tank high');
"""
"""A journal as the versions before server events wrote it (user_version 0)."""


def event(
    ts: float, source: str = "Pump7", severity: int = 700, message: str = "Motor overload"
) -> ServerEvent:
    return ServerEvent(ts, "plant", source, severity, priority(severity).value, message, "SystemEventType")


def test_a_journal_from_before_events_is_upgraded_in_place_and_keeps_its_alarms(tmp_path: Path):
    path = tmp_path / "history.sqlite"
    with sqlite3.connect(path) as old:
        old.executescript(OLD_SCHEMA)
    old.close()
    with AlarmJournal(path) as journal:
        assert [e.alarm_id for e in journal.search()] == ["TK101.Level.HI"]
        assert journal.search_events() == []
        journal.record_event(event(200.0))
        journal.record(
            JournalEntry(300.0, "TK101.Level.HI", "TK101.Level", "hi", "high", "unack_active", "ack_active",
                         True, 85.0, 80.0, "alice", "seen", "Tank high")
        )  # fmt: skip
        assert journal.flush()
        assert journal.search_events() == [event(200.0)]
        assert [e.new_state for e in journal.search()] == [AlarmState.ACK_ACTIVE, AlarmState.UNACK_ACTIVE]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == VERSION
    conn.close()
    with AlarmJournal(path) as again:  # opened at its own version: nothing to do, nothing lost
        assert again.search_events() == [event(200.0)]


def test_a_journal_of_a_newer_version_is_refused_and_left_as_it_is(tmp_path: Path):
    path = tmp_path / "history.sqlite"
    with sqlite3.connect(path) as newer:
        newer.executescript(OLD_SCHEMA + f"PRAGMA user_version = {VERSION + 1};")
    newer.close()
    with pytest.raises(
        AlarmError, match=rf"{path}: the alarm journal was written by a newer OpenHMI .*schema {VERSION + 1}"
    ):
        AlarmJournal(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'server_event'").fetchone() == (
            0,
        )
        assert conn.execute("PRAGMA user_version").fetchone()[0] == VERSION + 1
    conn.close()


def test_events_are_searched_by_time_text_and_priority(tmp_path: Path):
    with AlarmJournal(tmp_path / "history.sqlite") as journal:
        rows = [
            event(10.0, "Pump7", 700, "Motor overload"),
            event(20.0, "Dryer", 100, "Filter 50% cleaned"),
            event(30.0, "Pump7", 900, "Motor stalled"),
        ]
        for row in rows:
            journal.record_event(row)
        assert journal.flush()
        assert journal.search_events() == rows[::-1]
        assert journal.search_events(start=15, end=30) == [rows[1]]
        assert journal.search_events(text="pump7") == [rows[2], rows[0]]
        assert journal.search_events(text="50%") == [rows[1]]
        assert journal.search_events(text="systemevent", limit=1) == [rows[2]]
        assert journal.search_events(priorities=[Priority.CRITICAL, Priority.LOW]) == [rows[2], rows[1]]


def test_a_flood_while_the_disk_is_busy_is_bounded_dropped_counted_and_told(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    path = tmp_path / "history.sqlite"
    with AlarmJournal(path, event_rows=100) as journal:
        blocker = sqlite3.connect(path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")  # another writer holds the file: our writer waits
        try:
            started = time.perf_counter()
            with caplog.at_level(logging.WARNING):
                for i in range(10_000):
                    journal.record_event(event(float(i)))
            took = time.perf_counter() - started
            assert journal.events_backlog == 100
            assert journal.events_dropped == 9_900
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        assert journal.flush()
        kept = journal.search_events(limit=1000)
    assert [e.ts for e in kept] == [float(i) for i in range(99, -1, -1)]  # the first 100, none lost after
    told = [r.getMessage() for r in caplog.records if "not journaled" in r.getMessage()]
    assert told == [
        f"1 server event(s) not journaled (1 in all): 100 were already waiting to be written to {path}"
    ]
    assert took < 1.0  # 10,000 calls never wait for the disk


def test_the_events_command_prints_the_journaled_events_since_a_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    folder = demo_project(tmp_path, free_port())
    assert main(["alarms", "events", str(folder.root)]) == 1
    assert "no alarm journal at" in capsys.readouterr().err
    now = time.time()
    with open_storage(folder).journal() as journal:
        journal.record_event(event(now - 7200, "Boiler", 100, "Started"))
        journal.record_event(event(now - 60, "Pump7", 850, "Motor overload"))
        journal.record_event(event(now - 30, "Dryer", 450, "Filter clogged"))
    since = datetime.fromtimestamp(now - 3600).isoformat(timespec="seconds")
    assert main(["alarms", "events", str(folder.root), "--since", since]) == 0
    at = lambda ago: datetime.fromtimestamp(now - ago).isoformat(" ", "seconds")  # noqa: E731
    assert capsys.readouterr().out.splitlines() == [  # oldest first, as a log reads
        f"{at(60)}  critical  850  plant  Pump7  SystemEventType  Motor overload",
        f"{at(30)}  medium    450  plant  Dryer  SystemEventType  Filter clogged",
    ]
    assert main(["alarms", "events", str(folder.root), "--text", "boil", "--priority", "low"]) == 0
    assert "Started" in capsys.readouterr().out
    assert main(["alarms", "events", str(folder.root), "--since", "2999-01-01"]) == 0
    assert "no server events since 2999-01-01 00:00" in capsys.readouterr().err


def test_events_go_on_in_the_copy_of_a_journal_moved_away_while_written(tmp_path: Path):
    path = tmp_path / "history.sqlite"
    with AlarmJournal(path, spill_dir=tmp_path / "spill") as journal:
        journal.record_event(event(1.0))
        assert journal.flush()
        os.replace(path, tmp_path / "archive.sqlite")
        journal.record_event(event(2.0))
        assert journal.flush()
        (kept,) = tmp_path.glob("history.replaced-*.sqlite")
        assert journal.search_events() == [event(2.0), event(1.0)]
    assert search_events(kept) == [event(2.0), event(1.0)]
    assert search_events(tmp_path / "archive.sqlite") == [event(1.0)]
