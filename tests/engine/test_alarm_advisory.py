"""Advisories: condition-monitoring findings as alarms of their own kind, journaled, out of the KPIs."""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

import pytest
from pydantic import ValidationError

from hmi.alarms import (
    AlarmEngine,
    AlarmError,
    AlarmJournal,
    AlarmKind,
    AlarmState,
    Priority,
    TagAlarms,
    alarm_kpis,
)
from hmi.alarms import cli as report
from hmi.alarms.journal import TABLE
from hmi.quality import Quality, Sample
from hmi.storage.sqlite import SqliteStorage

T0 = 1_700_000_000.0


def engine_with_journal(path: Path) -> tuple[AlarmEngine, AlarmJournal]:
    journal = AlarmJournal(path)
    hi = TagAlarms.model_validate({"hi": {"limit": 60}})
    return AlarmEngine({"RC1.J3.Temp": hi}, journal=journal), journal


def test_an_advisory_is_raised_at_the_lowest_priority_reworded_acknowledged_and_cleared(tmp_path: Path):
    engine, journal = engine_with_journal(tmp_path / "h.sqlite")
    heard = []
    engine.subscribe(heard.append)
    say = "Advisory — J3: cooling loss suspected, HI in ~18 min at the present trend"
    engine.update_advisory(
        "J3.THERMAL",
        tag="RC1.J3.Temp",
        message=say,
        active=True,
        value=2.4,
        limit=1.5,
        evidence="tau_s=181",
        ts=T0,
    )
    alarm = engine.alarm("J3.THERMAL")
    assert (alarm.kind, alarm.priority, alarm.state) == (
        AlarmKind.ADVISORY,
        Priority.LOW,
        AlarmState.UNACK_ACTIVE,
    )
    assert (alarm.message, alarm.value, alarm.limit, alarm.raised_at) == (say, 2.4, 1.5, T0)
    assert engine.alarms()[0].id == "J3.THERMAL"
    engine.update_advisory(
        "J3.THERMAL", tag="RC1.J3.Temp", message=say.replace("18", "12"), active=True, ts=T0 + 60
    )
    assert "~12 min" in heard[-1].message  # the view hears the new words
    engine.acknowledge(["J3.THERMAL"], "operator", now=T0 + 70)
    engine.update_advisory(
        "J3.THERMAL", tag="RC1.J3.Temp", message=say, active=False, evidence="residual=0.3", ts=T0 + 90
    )
    assert engine.alarm("J3.THERMAL").state is AlarmState.NORMAL
    journal.close()
    rows = (
        sqlite3.connect(tmp_path / "h.sqlite")
        .execute(f"SELECT kind, priority, new_state, comment FROM {TABLE} ORDER BY id")
        .fetchall()
    )
    # a rewording is not a transition: three rows, the evidence with the raise and the clear
    assert rows == [
        ("advisory", "low", "unack_active", "tau_s=181"),
        ("advisory", "low", "ack_active", ""),
        ("advisory", "low", "normal", "residual=0.3"),
    ]


def test_a_diagnosis_cannot_take_over_a_project_alarm(tmp_path: Path):
    engine, journal = engine_with_journal(tmp_path / "h.sqlite")
    with pytest.raises(AlarmError, match="not an advisory"):
        engine.update_advisory("RC1.J3.Temp.HI", tag="RC1.J3.Temp", message="x", active=True)
    journal.close()


def test_advisories_are_counted_apart_and_never_make_a_flood(tmp_path: Path):
    path = tmp_path / "h.sqlite"
    engine, journal = engine_with_journal(path)
    for i in range(12):  # twelve findings in two minutes: a flood, were they alarms
        engine.update_advisory(f"J{i}.THERMAL", tag="RC1.J3.Temp", message="m", active=True, ts=T0 + 10 * i)
    engine.on_sample("RC1.J3.Temp", Sample(65.0, Quality.GOOD, T0 + 200))
    journal.close()
    kpis = alarm_kpis(path, T0, T0 + 3600)
    assert (kpis.advisories, kpis.total, kpis.flood_percent, kpis.peak_10min) == (12, 1, 0.0, 1)
    assert kpis.priorities[Priority.LOW] == 0 and [c.alarm_id for c in kpis.top] == ["RC1.J3.Temp.HI"]


def test_an_unknown_kind_stays_an_error(tmp_path: Path):
    path = tmp_path / "h.sqlite"
    engine, journal = engine_with_journal(path)
    engine.on_sample("RC1.J3.Temp", Sample(65.0, Quality.GOOD, T0))
    journal.close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"UPDATE {TABLE} SET kind = 'hunch'")
    with pytest.raises(AlarmError, match="unknown kind 'hunch'"):
        alarm_kpis(path, T0 - 1, T0 + 3600)
    with pytest.raises(ValueError):
        AlarmKind("hunch")
    with pytest.raises(ValidationError, match="advisory"):  # advisories come from diagnostics: only
        TagAlarms.model_validate({"advisory": {"message": "x"}})


def test_the_alarm_report_counts_advisories_on_their_own_line(tmp_path: Path, capsys):
    path = tmp_path / "h.sqlite"
    engine, journal = engine_with_journal(path)
    for i in range(12):
        engine.update_advisory(f"J{i}.THERMAL", tag="RC1.J3.Temp", message="m", active=True, ts=T0 + 10 * i)
    engine.on_sample("RC1.J3.Temp", Sample(65.0, Quality.GOOD, T0 + 200))
    journal.close()
    args = argparse.Namespace(start=T0, end=T0 + 3600)
    assert report.run(args, SqliteStorage(path)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "  Alarms raised                1" in lines
    assert "  Average per 10 min        0.17   (about 1 acceptable, 2 manageable)" in lines
    assert any(line.startswith("  Advisories raised           12   (condition monitoring") for line in lines)
    assert not any("THERMAL" in line for line in lines)  # nor among the most frequent alarms
