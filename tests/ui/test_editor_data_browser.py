"""The editor's tag browser against the real simulator: connect, expand, search, details, drag data."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtTest import QTest

from hmi.project.model import Tag
from hmi.sim.server import SimulatorServer
from tests.support import demo_project, free_port, wait_for
from ui.editor.document import Document
from ui.editor.node_model import INFO_ROLE, MIME_TYPE, NodeModel, node_payload
from ui.editor.tag_browser import TagBrowser


def row_named(model: NodeModel, name: str, parent: QModelIndex | None = None) -> QModelIndex:
    parent = parent or QModelIndex()
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        if index.data() == name:
            return index
    raise AssertionError(f"no row {name!r} under {parent.data()!r}")


def test_browse_the_simulator_and_drag_a_variable(qtbot, loop, tmp_path: Path):
    port = free_port()
    document = Document(demo_project(tmp_path, port))

    async def scenario() -> None:
        async with SimulatorServer(port=port):
            widget = TagBrowser(document)
            qtbot.addWidget(widget)
            widget.resize(520, 640)
            widget.show()
            assert widget.connection.currentText() == "plant"
            assert widget.endpoint.text() == f"opc.tcp://127.0.0.1:{port}"
            try:
                assert await widget.connect_server()
                model = widget.tree_model
                assert widget.connect_button.text() == "Disconnect"
                plant = row_named(model, "DemoPlant")

                widget.view.expand(plant)  # children load in a task, without blocking the loop
                await wait_for(lambda: model.rowCount(plant) > 1, what="the plant's units")
                fic = row_named(model, "FIC101", plant)
                widget.view.expand(fic)
                await wait_for(lambda: model.rowCount(fic) > 1, what="FIC101's variables")
                sp = row_named(model, "SP", fic)
                assert sp.siblingAtColumn(1).data() == "Double"
                assert float(sp.siblingAtColumn(2).data()) >= 0

                widget.view.setCurrentIndex(sp)
                await wait_for(lambda: "m3/h" in widget.details["units"].text(), what="details of FIC101.SP")
                assert widget.details["node"].text() == "nsu=urn:openhmi:demo-plant;s=FIC101.SP"
                assert widget.details["access"].text() == "read and write"
                assert widget.details["range"].text() == "0 … 30"
                widget.grab().save("/tmp/shots/editor_tag_browser.png")

                # FIC101.SP is a project tag already (by namespace index): a drag carries that tag.
                await wait_for(lambda: widget.ready, what="the selection read")
                mime = model.mimeData([sp])
                payload = json.loads(bytes(mime.data(MIME_TYPE)).decode())
                assert payload["connection"] == "plant"
                assert [Tag.model_validate(t) for t in payload["tags"]] == [document.folder.tags["FIC101.SP"]]
                assert node_payload(mime) == payload

                widget.search_box.setText("tk101.level")
                QTest.keyClick(widget.search_box, Qt.Key.Key_Return)
                await wait_for(lambda: widget.view.model() is widget.search_model, what="search results")
                results = widget.search_model
                assert results.rowCount() == 1
                level = results.index(0, 0)
                assert level.data() == "DemoPlant.TK101.Level"
                info = level.data(INFO_ROLE)
                assert info.data_type == "Double" and 0 <= info.value <= 100
                widget.grab().save("/tmp/shots/editor_tag_browser_search.png")
                widget.search_box.clear()
                assert widget.view.model() is widget.tree_model

                widget.view.setCurrentIndex(QModelIndex(QPersistentModelIndex(sp)))
                count = len(document.folder.project.tags)
                assert widget.add_selected() == [] and len(document.folder.project.tags) == count
                assert "already" in widget.status.text()
            finally:
                await widget.disconnect_server()
            assert widget.tree_model.rowCount() == 0 and widget.connect_button.text() == "Connect"

    loop.run_until_complete(scenario())


def test_connect_failure_is_shown_not_raised(qtbot, loop, tmp_path: Path):
    document = Document(demo_project(tmp_path, free_port()))

    async def scenario() -> None:
        widget = TagBrowser(document)
        qtbot.addWidget(widget)
        assert not await widget.connect_server()
        assert "refused" in widget.status.text() and widget.browser is None
        widget.endpoint.setText("http://example.com")
        assert not await widget.connect_server()
        assert "opc.tcp://" in widget.status.text()

    loop.run_until_complete(scenario())
