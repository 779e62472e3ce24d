"""The shift logbook as the operator uses it: a note from an item's menu or the Logbook menu, kept in the
audit trail, listed by shift and tag, marked on trends and shown in a replay at its time."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QDateTime

from hmi.logbook import read_notes
from hmi.runtime import Runtime
from hmi.security import verify
from hmi.security.audit import search
from tests.support import demo_project, free_port, log_in
from ui.logbook.dialog import NoteDialog
from ui.main_window import MainWindow
from ui.screens.menu import TagMenu
from ui.trends.window import TrendWindow

from .screen_support import collect_qt_garbage
from .test_login import close
from .test_replay import fill_history, shown_at
from .test_screen_live import bound_to, when_modal

pytestmark = pytest.mark.usefixtures(collect_qt_garbage.__name__)


@pytest.fixture
def window(qtbot, tmp_path: Path):
    folder = demo_project(tmp_path, free_port())
    fill_history(folder)
    window = MainWindow(Runtime(folder, start_simulator=False))
    qtbot.addWidget(window)
    window.resize(1600, 960)
    window.show()
    yield window
    close(window)


def write_in_dialog(text: str, at: float | None = None, seen: dict | None = None):
    """Respond to the note dialog: what it proposed goes to `seen`, then the note is written."""

    def respond(dialog: NoteDialog) -> None:
        if seen is not None:
            seen.update(
                at=dialog.at.dateTime().toMSecsSinceEpoch() / 1000,
                tag=dialog.tag.currentText(),
                screen=dialog.screen_choice.currentData(),
            )
        if at is not None:
            dialog.at.setDateTime(QDateTime.fromMSecsSinceEpoch(round(at * 1000)))
        dialog.text.setPlainText(text)
        dialog.ok.click()

    return respond


def logbook_rows(qtbot, window: MainWindow) -> list[list[str]]:
    window.notes.show_logbook()
    view = window.notes.view
    assert view is not None
    qtbot.waitUntil(lambda: view.loaded, timeout=5000)
    model = view.model
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_an_operator_notes_on_a_tag_from_its_menu_and_finds_it_in_the_logbook(qtbot, window: MainWindow):
    log_in(window.runtime.security, "operator", "anna")
    level = bound_to(window.view, "TK101.Level")
    menu = TagMenu(level)
    assert menu.note is not None and menu.note.isEnabled()
    seen: dict = {}
    when_modal(NoteDialog, write_in_dialog("Level swings ±3 % since the valve was serviced", seen=seen))
    menu.note.trigger()
    assert seen["tag"] == "TK101.Level" and seen["screen"] == "overview"
    assert seen["at"] == pytest.approx(time.time(), abs=5), "about now, unless replaying"

    (row,) = logbook_rows(qtbot, window)
    assert row[2:] == [
        "anna",
        "Plant overview",
        "TK101.Level",
        "Level swings ±3 % since the valve was serviced",
    ]
    audit = window.runtime.audit
    audit.flush()
    (entry,) = search(audit.path, action="shift_note")
    assert entry.entry.user == "anna" and entry.entry.target == "TK101.Level"
    assert verify(audit.path).ok, "in the tamper-evident chain"


def test_a_viewer_sees_the_note_entries_disabled_with_who_may(qtbot, window: MainWindow):
    log_in(window.runtime.security, "viewer", "vic")
    menu = TagMenu(bound_to(window.view, "TK101.Level"))
    assert menu.note is not None and not menu.note.isEnabled()
    assert "may not write shift notes" in menu.note.toolTip() and "operator" in menu.note.toolTip()
    assert not window.notes.write_action.isEnabled()
    assert "may not write shift notes" in window.notes.write_action.toolTip()


def test_a_note_that_cannot_be_kept_says_why_and_keeps_the_text(qtbot, window: MainWindow):
    log_in(window.runtime.security, "operator", "anna")
    notes = window.notes
    dialog = NoteDialog(notes.logbook, "anna", notes.screens, sorted(window.runtime.tags), time.time())
    qtbot.addWidget(dialog)
    dialog.keep()
    assert dialog.problem.isVisibleTo(dialog) and "empty" in dialog.problem.text()
    dialog.text.setPlainText("Check the strainer")
    dialog.tag.setCurrentText("TK999.Level")
    dialog.keep()
    assert "There is no tag TK999.Level" in dialog.problem.text()
    assert dialog.text.toPlainText() == "Check the strainer" and dialog.result() == 0
    window.runtime.audit.flush()
    assert read_notes(window.runtime.storage) == []


def test_the_logbook_filters_by_shift_and_by_tag(qtbot, window: MainWindow):
    log_in(window.runtime.security, "operator", "anna")
    book = window.notes.logbook
    yesterday = datetime.fromtimestamp(time.time() - 86400)
    morning, night = yesterday.replace(hour=9, minute=0), yesterday.replace(hour=23, minute=30)
    book.write("anna", "morning: P-101 strainer", morning.timestamp(), "pumps", "P101.Running")
    book.write("anna", "morning: level ok", morning.timestamp() + 60, "overview", "TK101.Level")
    book.write("anna", "night: level high", night.timestamp(), "overview", "TK101.Level")
    view = window.notes.view
    assert len(logbook_rows(qtbot, window)) == 3
    view = window.notes.view
    assert view is not None
    shifts = [view.shift.itemText(i) for i in range(view.shift.count())]
    assert shifts[0] == "All shifts" and len(shifts) == 3, "two shifts have notes"
    view.shift.setCurrentIndex(next(i for i, text in enumerate(shifts) if "06:00–14:00" in text))
    assert [r[5] for r in logbook_rows(qtbot, window)] == ["morning: level ok", "morning: P-101 strainer"]
    view.tag.setCurrentIndex(view.tag.findData("TK101.Level"))
    assert [r[5] for r in logbook_rows(qtbot, window)] == ["morning: level ok"]
    view.shift.setCurrentIndex(0)
    assert [r[5] for r in logbook_rows(qtbot, window)] == ["night: level high", "morning: level ok"]


def test_notes_show_on_the_trend_at_their_time_with_the_text_on_hover(qtbot, window: MainWindow):
    log_in(window.runtime.security, "operator", "anna")
    book = window.notes.logbook
    earlier = time.time() - 300
    book.write("anna", "P-101 noisy bearing", earlier, "pumps", "P101.Running")
    window.open_trend(next(iter(window.folder.project.trends)))
    trend: TrendWindow = window.trend_windows[-1]
    qtbot.waitUntil(lambda: len(trend.notes.lines) == 1, timeout=5000)
    (line,) = trend.notes.lines.values()
    assert line.value() == pytest.approx(earlier, abs=1e-3) and line.scene() is trend.view.plot.scene()
    assert "P-101 noisy bearing" in line.toolTip() and "anna" in line.label.toolTip()
    t0, t1 = trend.view.x_range()
    assert t0 <= earlier <= t1, "in view on the trend's last minutes"

    book.write("anna", "written while the trend is open", time.time() - 60)
    assert len(trend.notes.lines) == 2, "shown at once"


def test_a_replay_shows_the_notes_of_its_time_and_new_notes_are_about_the_replayed_moment(qtbot, window):
    log_in(window.runtime.security, "operator", "anna")
    book = window.notes.logbook
    at = time.time() - 2 * 3600
    book.write("anna", "Handover: TK-101 high alarm acknowledged", at, "overview", "TK101.Level")
    logbook_rows(qtbot, window)
    view = window.notes.view
    view.table.selectRow(0)
    view.replay_button.click()  # the logbook's way to the moment

    def at_the_note() -> bool:  # the trail keeps milliseconds
        player = window.replay.player
        return player is not None and abs((player.shown_t or 0) - at) < 1e-3

    qtbot.waitUntil(at_the_note, timeout=5000)
    bar = window.replay.bar
    qtbot.waitUntil(lambda: "Handover: TK-101 high alarm acknowledged" in bar.note.toolTip(), timeout=5000)
    assert [n.text for n in bar.timeline.notes] == ["Handover: TK-101 high alarm acknowledged"]

    shown_at(qtbot, window, at + 20 * 60)
    assert bar.note.toolTip() == "", "a note shows for the quarter hour after its time"

    seen: dict = {}
    when_modal(NoteDialog, write_in_dialog("Seen in the replay: level rose first", seen=seen))
    assert window.notes.write("TK101.Level")
    assert seen["at"] == pytest.approx(at + 20 * 60, abs=1)
    assert len(bar.timeline.notes) == 2, "the new note is on the slider at once"
