"""The editor's tag table: cell edits go through the document (undoable), bad input is refused, renames
follow into screens, CSV import adds tags, the alarm dialog edits limits."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QDialogButtonBox

from hmi.cli import DEMO_PROJECT
from hmi.project import load_project
from hmi.project.tagcsv import export_tags
from ui.editor.document import Document
from ui.editor.tag_table import ALARMS, HISTORY, LIMITS, NAME, RANGE, UNITS, WRITABLE, TagTable


@pytest.fixture
def document(tmp_path: Path, qapp) -> Document:
    root = tmp_path / "demo"
    shutil.copytree(DEMO_PROJECT, root)
    return Document(load_project(root))


@pytest.fixture
def table(qtbot, document: Document) -> TagTable:
    widget = TagTable(document)
    qtbot.addWidget(widget)
    widget.resize(1400, 500)
    widget.show()
    return widget


def cell(table: TagTable, tag: str, column: int):
    row = next(i for i, t in enumerate(table.model.tags) if t.name == tag)
    return table.proxy.mapFromSource(table.model.index(row, column))


def type_into(qtbot, table: TagTable, tag: str, column: int, text: str) -> None:
    """Edit a cell as a user does: select it, F2, replace the text, Enter."""
    index = cell(table, tag, column)
    table.view.setCurrentIndex(index)
    table.view.setFocus()
    QTest.keyClick(table.view, Qt.Key.Key_F2)
    editor = table.view.focusWidget()
    assert editor is not table.view, "no editor opened"
    editor.selectAll()
    QTest.keyClicks(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    # the delegate commits on the next turn of the event loop, then closes the editor
    qtbot.waitUntil(lambda: table.view.state() != QAbstractItemView.State.EditingState, timeout=2000)


def test_edit_a_cell_changes_the_document_and_undo_restores(qtbot, table: TagTable, document: Document):
    changes: list[int] = []
    document.changed.connect(lambda: changes.append(1))
    type_into(qtbot, table, "TK101.Level", UNITS, "m")
    assert document.folder.tags["TK101.Level"].units == "m"
    assert cell(table, "TK101.Level", UNITS).data() == "m"
    assert changes and document.dirty
    type_into(qtbot, table, "TK101.Level", RANGE, "0 .. 4.5")
    assert document.folder.tags["TK101.Level"].range == (0, 4.5)
    assert cell(table, "TK101.Level", RANGE).data() == "0 … 4.5"
    document.undo.undo()
    document.undo.undo()
    assert document.folder.tags["TK101.Level"].units == "%"
    assert document.folder.tags["TK101.Level"].range == (0, 100)
    assert cell(table, "TK101.Level", UNITS).data() == "%"
    assert not document.dirty


def test_bad_input_is_refused_with_the_reason_and_not_applied(qtbot, table: TagTable, document: Document):
    before = document.folder.project
    type_into(qtbot, table, "TK101.Level", RANGE, "100 0")
    assert "low 100 must be below high 0" in table.status.text()
    type_into(qtbot, table, "TK101.Level", NAME, "TK101 Level")
    assert "must be words of letters" in table.status.text()
    type_into(qtbot, table, "FIC101.SP", HISTORY, "periodic")
    assert "needs period_s" in table.status.text()
    type_into(qtbot, table, "TK101.Level", NAME, "FIC101.PV")
    assert "already exists" in table.status.text()
    assert document.folder.project is before and document.undo.count() == 0
    type_into(qtbot, table, "FIC101.SP", HISTORY, "periodic 5")
    assert document.folder.tags["FIC101.SP"].history.period_s == 5


def test_renaming_in_the_table_renames_references(qtbot, table: TagTable, document: Document):
    type_into(qtbot, table, "FIC101.SP", NAME, "FIC101.Setpoint")
    folder = document.folder
    assert "FIC101.Setpoint" in folder.tags and "FIC101.SP" not in folder.tags
    assert folder.tags["FIC101.PV"].alarms.deviation.setpoint == "FIC101.Setpoint"
    assert any(i.bind.get("value") == "FIC101.Setpoint" for i in folder.screens["pumps"].items)
    assert document.problems() == []
    document.undo.undo()
    assert any(i.bind.get("value") == "FIC101.SP" for i in document.folder.screens["pumps"].items)


def test_writable_checkbox_and_write_limits(qtbot, table: TagTable, document: Document):
    index = cell(table, "FIC101.SP", WRITABLE)
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert table.proxy.setData(index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    sp = document.folder.tags["FIC101.SP"]
    assert not sp.writable and sp.write_limits is None  # limits go with writability
    type_into(qtbot, table, "FIC101.SP", LIMITS, "0 20")
    assert "not writable" in table.status.text()


def test_csv_import_adds_tags_and_reports_bad_rows(table: TagTable, document: Document, tmp_path: Path):
    rows = len(table.model.tags)
    csv = tmp_path / "new.csv"
    csv.write_text(
        "name,connection,node,type,units,range_lo,range_hi\n"
        "TK102.Level,plant,ns=2;s=TK102.Level,Double,%,0,100\n"
        "TK102.Temp,plant,ns=2;s=TK102.Temp,Double,°C,x,80\n",
        encoding="utf-8",
    )
    result = table.import_csv(csv)
    assert result.added == ["TK102.Level"]
    assert result.errors == ["row 3, column range_lo: 'x' is not a number"]
    assert len(table.model.tags) == rows + 1 and cell(table, "TK102.Level", RANGE).data() == "0 … 100"
    assert "1 added" in table.status.text() and "1 problem" in table.status.text()
    document.undo.undo()
    assert len(table.model.tags) == rows


def test_csv_export_then_import_changes_nothing(table: TagTable, document: Document, tmp_path: Path):
    path = tmp_path / "tags.csv"
    table.export_csv(path)
    assert path.read_text(encoding="utf-8") == export_tags(document.folder.project.tags)
    result = table.import_csv(path)
    assert result.errors == [] and result.added == [] and result.updated == []
    assert document.undo.count() == 0


def test_add_and_delete_tags(table: TagTable, document: Document):
    tag = table.add_tag()
    assert tag.name in document.folder.tags
    assert table.view.currentIndex().data() == tag.name
    assert table.delete_tags([tag.name]) == []
    assert tag.name not in document.folder.tags
    dangling = table.delete_tags(["FIC101.SP"])
    assert any("unknown tag 'FIC101.SP'" in p for p in dangling)
    document.undo.undo()
    assert "FIC101.SP" in document.folder.tags


def test_alarm_dialog_edits_limits_and_refuses_bad_order(qtbot, table: TagTable, document: Document):
    assert cell(table, "TK101.Level", ALARMS).data() == "HH 92 · H 85 · L 15 · LL 5"
    dialog = table.edit_alarms("TK101.Level")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    used, limit, priority, deadband = dialog.rows["hi"]
    limit.setText("95")
    assert not ok.isEnabled() and "hi limit 95.0 must be below hihi limit 92.0" in dialog.problem.text()
    dialog.grab().save("/tmp/shots/editor_alarm_dialog.png")
    limit.setText("88")
    priority.setCurrentIndex(1)
    deadband.setText("2")
    dialog.rows["lolo"][0].setChecked(False)
    assert ok.isEnabled()
    ok.click()
    alarms = document.folder.tags["TK101.Level"].alarms
    assert (alarms.hi.limit, alarms.hi.priority, alarms.hi.deadband) == (88, "high", 2)
    assert alarms.hi.message == "Feed tank TK-101 level high"  # what the dialog does not show is kept
    assert alarms.lolo is None
    assert cell(table, "TK101.Level", ALARMS).data() == "HH 92 · H 88 · L 15"
    table.grab().save("/tmp/shots/editor_tag_table.png")
    document.undo.undo()
    assert document.folder.tags["TK101.Level"].alarms.lolo.limit == 5
