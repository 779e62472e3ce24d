"""Alarm views driven with qtbot over the real engine and a real journal file."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from hmi.alarms import AlarmEngine, AlarmJournal, AlarmState, Priority
from hmi.cli import DEMO_PROJECT
from hmi.project import load_project
from hmi.quality import Quality, Sample
from hmi.tags import TagTable
from ui.alarms.banner import AlarmBanner
from ui.alarms.journal_view import AlarmHistory
from ui.alarms.sound import TONES, Annunciator, tone
from ui.alarms.summary import AlarmSummary


@pytest.fixture
def plant(tmp_path: Path):
    """The demo project's alarm definitions on a tag table, journaled to a temp file."""
    folder = load_project(DEMO_PROJECT)
    table = TagTable(folder.tags)
    journal = AlarmJournal(tmp_path / "history.sqlite")
    engine = AlarmEngine(
        {t.name: t.alarms for t in folder.project.tags}, folder.project.alarm_settings, journal
    )
    engine.attach(table)
    yield table, engine, journal
    journal.close()


def feed(table: TagTable, name: str, value: object) -> None:
    table.update(name, Sample(value, Quality.GOOD, time.time()))


def test_acknowledge_from_the_summary_is_journaled_with_user_and_comment(qtbot, plant):
    table, engine, journal = plant
    feed(table, "TK101.Level", 95.0)
    feed(table, "P101.Fault", True)
    summary = AlarmSummary(engine, lambda: "alice")
    qtbot.addWidget(summary)
    summary.show()
    qtbot.waitUntil(lambda: summary.model.rowCount() == 3, timeout=2000)
    # Most urgent first: the two high-priority alarms, then the medium one.
    assert [a.priority for a in summary.model.rows] == [Priority.HIGH, Priority.HIGH, Priority.MEDIUM]

    row = next(i for i, a in enumerate(summary.model.rows) if a.id == "P101.Fault.DISCRETE")
    summary.table.selectRow(row)
    qtbot.keyClicks(summary.comment, "electrician called")
    summary.ack_selected()
    assert engine.alarm("P101.Fault.DISCRETE").state is AlarmState.ACK_ACTIVE
    assert engine.alarm("TK101.Level.HIHI").state is AlarmState.UNACK_ACTIVE
    journal.flush()
    rows = journal.search(text="P101.Fault")
    assert rows[0].new_state == "ack_active"
    assert (rows[0].actor, rows[0].comment) == ("alice", "electrician called")

    summary.ack_all_shown()
    assert not any(a.blinking for a in engine.alarms())


def test_filters_shelving_and_double_click_navigation(qtbot, plant):
    table, engine, _ = plant
    feed(table, "TK101.Level", 95.0)
    feed(table, "P102.Fault", True)
    summary = AlarmSummary(engine, lambda: "bob")
    qtbot.addWidget(summary)
    qtbot.waitUntil(lambda: summary.model.rowCount() == 3, timeout=2000)
    summary.priorities[Priority.MEDIUM].setChecked(False)
    assert {a.id for a in summary.model.rows} == {"TK101.Level.HIHI", "P102.Fault.DISCRETE"}
    summary.text.setText("p102")
    assert [a.id for a in summary.model.rows] == ["P102.Fault.DISCRETE"]

    summary.table.selectRow(0)
    summary.shelve_selected()
    assert engine.alarm("P102.Fault.DISCRETE").state is AlarmState.SHELVED
    assert summary.model.rowCount() == 0  # shelved alarms leave the live list...
    summary.view.setCurrentText("Shelved")
    assert [a.id for a in summary.model.rows] == ["P102.Fault.DISCRETE"]  # ...and are listed here

    with qtbot.waitSignal(summary.navigate) as went:
        summary._go_to(summary.model.index(0, 0))
    assert went.args == ["P102.Fault"]


def test_banner_counts_blinks_and_acknowledges(qtbot, plant):
    table, engine, _ = plant
    annunciator = Annunciator(engine)
    banner = AlarmBanner(engine, annunciator)
    qtbot.addWidget(banner)
    banner.acknowledge.connect(lambda ids: engine.acknowledge(ids, "carol"))
    feed(table, "RC1.J3.Temp", 90.0)  # hihi (critical) and hi (medium, with a 5 s on-delay)
    qtbot.waitUntil(lambda: banner.counts[Priority.CRITICAL].count == 1, timeout=2000)
    assert annunciator.sounding is Priority.CRITICAL
    assert banner.silence_button.isEnabled()
    qtbot.waitUntil(lambda: banner.model.rowCount() == 1, timeout=2000)
    index = banner.model.index(0, 1)
    lit = banner.model.data(index, Qt.ItemDataRole.BackgroundRole)
    qtbot.waitUntil(lambda: banner.model.data(index, Qt.ItemDataRole.BackgroundRole) != lit, timeout=2000)

    banner.silence_button.click()
    assert annunciator.sounding is None
    assert engine.alarm("RC1.J3.Temp.HIHI").state is AlarmState.UNACK_ACTIVE  # silence is not acknowledge
    banner.ack_button.click()
    assert engine.alarm("RC1.J3.Temp.HIHI").state is AlarmState.ACK_ACTIVE
    qtbot.waitUntil(lambda: banner.counts[Priority.CRITICAL].count == 0, timeout=2000)
    annunciator.close()
    banner.close_model()


def test_alarm_history_searches_the_journal(qtbot, plant):
    import asyncio

    import qasync

    table, engine, journal = plant
    feed(table, "TK101.Level", 3.0)
    feed(table, "TK101.Level", 50.0)
    journal.flush()
    history = AlarmHistory(journal)
    qtbot.addWidget(history)
    history.text.setText("TK101")
    loop = qasync.QEventLoop()
    try:
        loop.run_until_complete(history.run_search())
    finally:
        loop.close()
        asyncio.set_event_loop(None)
    ids = {e.alarm_id for e in history.model.rows}
    assert ids == {"TK101.Level.LO", "TK101.Level.LOLO"}
    assert "4 transition" in history.count.text()


def test_each_priority_has_its_own_tone():
    sounds = {tone(freq, beeps) for freq, beeps in TONES.values()}
    assert len(sounds) == len(Priority)
    critical = tone(*TONES[Priority.CRITICAL])
    assert critical.startswith(b"RIFF") and len(critical) > len(tone(*TONES[Priority.LOW]))


def test_kpi_view_reports_the_journal(qtbot, plant, tmp_path: Path):
    import asyncio

    import qasync

    from ui.alarms.kpi_view import AlarmKpiView

    table, engine, journal = plant
    for level in (95.0, 50.0, 95.0, 50.0):
        feed(table, "TK101.Level", level)
    journal.flush()
    view = AlarmKpiView(tmp_path / "history.sqlite", engine.config)
    qtbot.addWidget(view)
    loop = qasync.QEventLoop()
    try:
        loop.run_until_complete(view.compute())
    finally:
        loop.close()
        asyncio.set_event_loop(None)
    text = view.report.toPlainText()
    assert "Alarms raised                4" in text  # HI and HIHI, twice
    assert "TK101.Level.HI " in text
