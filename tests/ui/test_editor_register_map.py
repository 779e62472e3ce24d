"""A Modbus connection in the tag browser: its register map (the registers the project's tags read,
with type, word/byte order, scale and rate group) instead of an address space to browse."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt

from hmi.cli import DEMO_PROJECT
from hmi.project import load_project
from ui.editor.document import Document
from ui.editor.tag_browser import TagBrowser


def cells(widget: TagBrowser) -> list[list[str]]:
    model = widget.registers.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_a_modbus_connection_shows_its_register_map(qtbot, tmp_path: Path):
    shutil.copytree(DEMO_PROJECT, tmp_path / "demo")
    document = Document(load_project(tmp_path / "demo"))
    widget = TagBrowser(document)
    qtbot.addWidget(widget)
    widget.resize(720, 520)
    widget.show()
    assert widget.connection.currentText() == "plant" and widget.pages.currentIndex() == 0

    widget.connection.setCurrentText("meter")
    assert widget.pages.currentWidget() is widget.registers
    assert not widget.connect_button.isVisible() and not widget.endpoint.isVisible()
    model = widget.registers.model()
    headings = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headings == ["Tag", "Table", "Address", "Type", "Word/byte order", "Scale", "Rate group"]
    assert cells(widget)[-1] == [
        "EM1.Energy", "input registers", "6-7", "uint32", "big (ABCD)", "x 0.1 + 0", "energy (10000 ms)"
    ]  # fmt: skip
    assert len(cells(widget)) == 4 and "4 tag(s) read from meter" in widget.status.text()
    widget.grab().save(str(tmp_path / "register_map.png"))

    project = document.folder.project
    tags = [
        t.model_copy(update={"node": "hr10:float32:wordswap"}) if t.name == "EM1.Power" else t
        for t in project.tags
    ]
    document.apply("Edit EM1.Power", project=project.model_copy(update={"tags": tags}))
    assert ["EM1.Power", "holding registers", "10-11", "float32", "wordswap (CDAB)"] in [
        r[:5] for r in cells(widget)
    ]

    widget.connection.setCurrentText("plant")
    assert widget.pages.currentIndex() == 0 and widget.connect_button.isVisible()
