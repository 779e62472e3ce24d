"""The alarm journal: a row per transition, searchable, nothing lost under a flood."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from hmi.alarms import AlarmEngine, AlarmError, AlarmJournal, AlarmState, JournalEntry, Priority, TagAlarms
from hmi.quality import COMM_FAILURE, Quality, Sample

S = AlarmState
HI = "TK101.Level.HI"


def good(value: float, ts: float) -> Sample:
    return Sample(value, Quality.GOOD, ts)


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[AlarmJournal]:
    with AlarmJournal(tmp_path / "history.sqlite") as journal:
        yield journal


def engine_with(journal: AlarmJournal, **alarms: dict) -> AlarmEngine:
    return AlarmEngine({"TK101.Level": TagAlarms.model_validate(alarms)}, journal=journal)


def test_every_transition_is_a_row_with_actor_and_comment(journal: AlarmJournal):
    engine = engine_with(journal, hi={"limit": 80, "priority": "high", "message": "Tank high"})
    engine.on_sample("TK101.Level", good(85, 1))
    engine.acknowledge([HI], "alice", "called the field", now=2)
    engine.shelve([HI], "bob", "level transmitter drift", duration=100, now=3)
    engine.unshelve([HI], "bob", now=4)
    engine.remove_from_service([HI], "tech", "replacing LT-101", now=5)
    engine.on_sample("TK101.Level", good(70, 6))
    engine.return_to_service([HI], "tech", "done", now=7)
    assert journal.flush()
    rows = list(reversed(journal.search()))
    assert [(r.ts, r.old_state, r.new_state, r.active, r.actor, r.comment) for r in rows] == [
        (1, S.NORMAL, S.UNACK_ACTIVE, True, "system", ""),
        (2, S.UNACK_ACTIVE, S.ACK_ACTIVE, True, "alice", "called the field"),
        (3, S.ACK_ACTIVE, S.SHELVED, True, "bob", "level transmitter drift"),
        (4, S.SHELVED, S.UNACK_ACTIVE, True, "bob", ""),
        (5, S.UNACK_ACTIVE, S.OUT_OF_SERVICE, True, "tech", "replacing LT-101"),
        (6, S.OUT_OF_SERVICE, S.OUT_OF_SERVICE, False, "system", ""),
        (7, S.OUT_OF_SERVICE, S.NORMAL, False, "tech", "done"),
    ]
    first = rows[0]
    assert first == JournalEntry(
        1, HI, "TK101.Level", "hi", "high", "normal", "unack_active", True, 85, 80, "system", "", "Tank high"
    )


def test_system_actions_name_the_system(journal: AlarmJournal):
    engine = AlarmEngine(
        {
            "FT1.Flow": TagAlarms.model_validate(
                {"lo": {"limit": 5, "suppress_when": "not P1.Running"}, "bad_quality": {}}
            )
        },
        journal=journal,
    )
    engine.on_sample("P1.Running", good(False, 1))
    engine.on_sample("FT1.Flow", Sample(None, Quality.BAD, 2, COMM_FAILURE))
    engine.shelve(["FT1.Flow.BAD_QUALITY"], "alice", duration=10, now=3)
    engine.tick(13)
    journal.flush()
    rows = list(reversed(journal.search()))
    assert [(r.alarm_id, r.new_state, r.actor, r.comment, r.value) for r in rows] == [
        ("FT1.Flow.LO", S.SUPPRESSED, "system", "suppressed: not P1.Running", None),
        ("FT1.Flow.BAD_QUALITY", S.UNACK_ACTIVE, "system", "", COMM_FAILURE),
        ("FT1.Flow.BAD_QUALITY", S.SHELVED, "alice", "", COMM_FAILURE),
        ("FT1.Flow.BAD_QUALITY", S.UNACK_ACTIVE, "system", "shelve expired", COMM_FAILURE),
    ]


def test_search_by_time_text_priority_and_state(journal: AlarmJournal):
    def row(ts: float, alarm_id: str, priority: str, new_state: str, message: str = "") -> JournalEntry:
        return JournalEntry(
            ts,
            alarm_id,
            alarm_id.rsplit(".", 1)[0],
            "hi",
            priority,
            "normal",
            new_state,
            True,
            1.0,
            0.0,
            "system",
            "",
            message,
        )

    journal.record(row(10, "TK101.Level.HI", "high", "unack_active", "Tank 101 high"))
    journal.record(row(20, "TK102.Level.HI", "low", "unack_active"))
    journal.record(row(30, "TK101.Level.HI", "high", "ack_active"))
    journal.record(row(40, "P_1%.Run.DISCRETE", "critical", "unack_active", "50% speed"))
    journal.flush()
    ids = lambda rows: [(r.ts, r.alarm_id) for r in rows]  # noqa: E731
    assert ids(journal.search(start=20, end=40)) == [(30, "TK101.Level.HI"), (20, "TK102.Level.HI")]
    assert ids(journal.search(text="tk101")) == [(30, "TK101.Level.HI"), (10, "TK101.Level.HI")]
    assert ids(journal.search(text="tank 101")) == [(10, "TK101.Level.HI")]
    assert ids(journal.search(text="%")) == [(40, "P_1%.Run.DISCRETE")], "% is a character, not a wildcard"
    assert ids(journal.search(priorities=[Priority.LOW, Priority.CRITICAL])) == [
        (40, "P_1%.Run.DISCRETE"),
        (20, "TK102.Level.HI"),
    ]
    assert ids(journal.search(states=[S.ACK_ACTIVE])) == [(30, "TK101.Level.HI")]
    assert ids(journal.search(limit=1)) == [(40, "P_1%.Run.DISCRETE")]


def test_values_sqlite_cannot_hold_are_kept_as_text(journal: AlarmJournal):
    engine = AlarmEngine(
        {"Mode.Word": TagAlarms.model_validate({"discrete": {"state": "TRIP"}})}, journal=journal
    )
    engine.on_sample("Mode.Word", good("TRIP", 1))
    engine.on_sample("Mode.Word", Sample([1, 2], Quality.GOOD, 2))
    journal.flush()
    assert [r.value for r in journal.search()] == ["[1, 2]", "TRIP"]


def test_flood_of_ten_thousand_transitions_all_land(tmp_path: Path):
    path = tmp_path / "history.sqlite"
    hi = TagAlarms.model_validate({"hi": {"limit": 1}})
    tags = {f"Area{i // 100}.T{i % 100:02d}": hi for i in range(500)}
    with AlarmJournal(path) as journal:
        engine = AlarmEngine(tags, journal=journal)
        for step in range(20):  # raised, returned unacknowledged, raised again, ...
            for i, tag in enumerate(tags):
                engine.on_sample(tag, good(2 if step % 2 == 0 else 0, step * 1000 + i))
        assert journal.flush()
        assert journal.written == 10_000 and journal.backlog == 0 and journal.lost == 0
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT alarm_id) FROM alarm_journal").fetchone() == (
            10_000,
            500,
        )
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_journal_shares_the_database_with_other_tables(tmp_path: Path):
    path = tmp_path / "history.sqlite"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE samples (tag TEXT, ts REAL, value REAL)")
    other.commit()
    with AlarmJournal(path) as journal:
        other.execute("INSERT INTO samples VALUES ('a', 1, 2)")  # holds the write lock for a moment
        journal.record(
            JournalEntry(
                1,
                "A.B.HI",
                "A.B",
                "hi",
                "low",
                "normal",
                "unack_active",
                True,
                2,
                1,
                "system",
                "",
                "A.B high",
            )
        )
        other.commit()
        assert journal.flush()
        assert len(journal.search()) == 1
    other.close()
    with pytest.raises(AlarmError, match="closed"):
        journal.record(JournalEntry(*[0] * 13))


def test_search_without_a_journal_says_so(tmp_path: Path):
    from hmi.alarms.journal import connect_reader

    with pytest.raises(AlarmError, match="no alarm journal"):
        connect_reader(tmp_path / "missing.sqlite")
    sqlite3.connect(tmp_path / "empty.sqlite").close()
    with pytest.raises(AlarmError, match="holds no alarm journal"):
        connect_reader(tmp_path / "empty.sqlite")
