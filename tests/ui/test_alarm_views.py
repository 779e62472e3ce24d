"""Alarm views driven with qtbot over the real engine and a real journal file."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from hmi.alarms import AlarmEngine, AlarmJournal, AlarmState, JournalEntry, Priority
from hmi.cli import DEMO_PROJECT
from hmi.project import load_project
from hmi.quality import Quality, Sample
from hmi.storage.sqlite import SqliteStorage
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


def raised_at(ts: float, alarm_id: str) -> JournalEntry:
    return JournalEntry(
        ts,
        alarm_id,
        alarm_id.rsplit(".", 1)[0],
        "hi",
        "low",
        "normal",
        "unack_active",
        True,
        1.0,
        0.0,
        "system",
        "",
        "",
    )


def test_kpi_view_follows_the_period_and_exports_the_same_figures(qtbot, loop, tmp_path: Path):
    from pypdf import PdfReader

    from hmi.alarms import AlarmConfig
    from ui.alarms.kpi_view import AlarmKpiView
    from ui.reports.kpi_charts import EXCEEDED

    now = time.time()
    with AlarmJournal(tmp_path / "history.sqlite") as journal:
        for i in range(4):  # today: a calm load
            journal.record(raised_at(now - 7200 + 900 * i, "TK101.Level.HI"))
        for i in range(20):  # three days ago: a flood of 20 alarms in 100 s
            journal.record(raised_at(now - 3 * 86400 + 5 * i, f"E{i:02d}.Temp.HI"))
    view = AlarmKpiView(SqliteStorage(tmp_path / "history.sqlite"), AlarmConfig(), project="Demo Plant")
    qtbot.addWidget(view)
    view.show()

    def figures() -> dict[str, str]:
        model = view.figures
        return {model.rows[r][0]: model.rows[r][1] for r in range(model.rowCount())}

    view.period.setCurrentText("Last 24 hours")
    loop.run_until_complete(view._task)
    assert figures()["Alarms raised"] == "4" and figures()["Floods"] == "0"
    assert view.top.getAxis("left")._tickLevels[0] == [(1, "TK101.Level.HI")]
    assert sum(b.count for b in view.kpis.rate) == 4

    view.period.setCurrentText("Last 7 days")
    loop.run_until_complete(view._task)
    assert figures()["Alarms raised"] == "24" and figures()["Floods"] == "1"
    assert view.floods.rows[0][2] == "20"
    peak = next(
        r for r in range(view.figures.rowCount()) if view.figures.rows[r][0] == "Peak alarms in any 10 min"
    )
    assert view.figures.data(view.figures.index(peak, 1), Qt.ItemDataRole.ForegroundRole) == EXCEEDED
    assert len(view.rate.bars) == 2, "the flood's bar is drawn apart, in the alarm colour"

    loop.run_until_complete(view.export_pdf(tmp_path / "kpis.pdf"))
    text = "\n".join(page.extract_text() for page in PdfReader(tmp_path / "kpis.pdf").pages)
    assert "Alarms raised 24" in text and "Floods 1" in text and "Demo Plant" in text
    assert view.message.text() == "Saved kpis.pdf"
