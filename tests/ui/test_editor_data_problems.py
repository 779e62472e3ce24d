"""The editor's problems panel: lists `hmi check` problems live; double-click goes to the item or tag."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from hmi.cli import DEMO_PROJECT
from hmi.project import load_project
from ui.editor.document import Document
from ui.editor.problems import Problem, ProblemsPanel


@pytest.fixture
def document(tmp_path: Path, qapp) -> Document:
    root = tmp_path / "demo"
    shutil.copytree(DEMO_PROJECT, root)
    return Document(load_project(root))


def break_binding(document: Document, screen: str, index: int, tag: str) -> None:
    screens = dict(document.folder.screens)
    items = list(screens[screen].items)
    items[index] = items[index].model_copy(update={"bind": {"value": tag}})
    screens[screen] = screens[screen].model_copy(update={"items": items})
    document.apply("Bind to a missing tag", screens=screens)


def double_click_row(panel: ProblemsPanel, row: int) -> None:
    rect = panel.view.visualRect(panel.model.index(row, 0))
    # an item view reacts to a double-click only after the press that started it, as with a real mouse
    QTest.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_broken_binding_is_listed_and_double_click_selects_its_item(qtbot, document: Document):
    panel = ProblemsPanel(document)
    qtbot.addWidget(panel)
    panel.resize(900, 260)
    panel.show()
    assert panel.model.rowCount() == 0 and "No problems" in panel.summary.text()

    value_index = next(i for i, it in enumerate(document.folder.screens["pumps"].items) if it.type == "value")
    break_binding(document, "pumps", value_index, "TK10.Level")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=5000)
    problem = panel.model.rows[0]
    assert (problem.file, problem.field) == ("screens/pumps.yaml", f"items[{value_index}].bind.value")
    assert problem.message == "unknown tag 'TK10.Level'"
    assert panel.model.index(0, 1).data() == f"screens/pumps.yaml: items[{value_index}].bind.value"
    assert "1 problem" in panel.summary.text()
    panel.grab().save("/tmp/shots/editor_problems.png")

    with qtbot.waitSignal(panel.select_item, timeout=2000) as signal:
        double_click_row(panel, 0)
    assert signal.args == ["pumps", value_index]

    document.undo.undo()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=5000)


def test_tag_problem_emits_the_tag(qtbot, document: Document):
    panel = ProblemsPanel(document)
    qtbot.addWidget(panel)
    panel.show()
    project = document.folder.project
    tags = [
        t.model_copy(update={"connection": "nowhere"}) if t.name == "FIC101.SP" else t for t in project.tags
    ]
    document.apply("Move a tag to a missing connection", project=project.model_copy(update={"tags": tags}))
    panel.refresh()
    row = next(i for i, p in enumerate(panel.model.rows) if p.message == "unknown connection 'nowhere'")
    with qtbot.waitSignal(panel.select_tag, timeout=2000) as signal:
        double_click_row(panel, row)
    assert signal.args == ["FIC101.SP"]


def test_problems_of_template_instances_point_at_the_placing_item():
    text = "screens/overview.yaml: items[9].on_click (tank_faceplate).items[1].bind.level: unknown tag 'X'"
    problem = Problem.parse(text)
    assert problem.screen_item() == ("overview", 9)
    assert problem.message == "unknown tag 'X'"
    assert Problem.parse("project.yaml: start_screen: unknown screen 'x'").screen_item() is None
