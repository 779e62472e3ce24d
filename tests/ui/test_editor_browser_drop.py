"""Server variables dragged from the editor's browser of the real simulator onto a screen: the
project's own tag of a node is reused (never E101.InletTemp_2), new tags keep what the server said
(units, range, description, data type), many nodes and whole folders drop at once on a grid, and a
Boolean becomes an indicator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPointF, Qt
from PySide6.QtGui import QDropEvent

from hmi.sim.server import SimulatorServer
from tests.support import demo_project, free_port, wait_for
from ui.editor.node_model import NodeModel
from ui.editor.window import EditorWindow

Select = QItemSelectionModel.SelectionFlag


def row_named(model: NodeModel, name: str, parent: QModelIndex) -> QModelIndex:
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        if index.data() == name:
            return index
    raise AssertionError(f"no row {name!r} under {parent.data()!r}")


def release(editor: EditorWindow, x: float, y: float) -> None:
    """Drag the browser's selection (what its view hands Qt's drag) and release it over the screen."""
    view = editor.browser.view
    mime = view.model().mimeData(view.selectionModel().selectedIndexes())
    assert mime is not None
    event = QDropEvent(
        QPointF(editor.canvas.mapFromScene(QPointF(x, y))),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    editor.canvas.dropEvent(event)
    assert event.isAccepted()


@pytest.fixture
def editor(qtbot, tmp_path: Path) -> Iterator[tuple[EditorWindow, int]]:
    port = free_port()
    folder = demo_project(tmp_path, port)
    # A project without pump P-102's tags: dragging them in makes new ones.
    folder.project = folder.project.model_copy(
        update={"tags": [t for t in folder.project.tags if not t.name.startswith("P102.")]}
    )
    window = EditorWindow(folder)
    window.resize(1600, 960)
    window.show()
    qtbot.waitExposed(window)
    yield window, port
    window.document.undo.setClean()
    window.close()


async def open_plant(editor: EditorWindow) -> QModelIndex:
    browser = editor.browser
    assert await browser.connect_server()
    plant = row_named(browser.tree_model, "DemoPlant", QModelIndex())
    browser.view.expand(plant)
    await wait_for(lambda: browser.tree_model.rowCount(plant) > 1, what="the plant's units")
    return plant


def test_a_node_with_a_tag_reuses_it(qtbot, loop, editor):
    editor, port = editor
    folder = editor.document.folder
    tags_before = list(folder.project.tags)

    async def scenario() -> None:
        async with SimulatorServer(port=port):
            try:
                browser = editor.browser
                model = browser.tree_model
                e101 = row_named(model, "E101", await open_plant(editor))
                browser.view.expand(e101)
                await wait_for(lambda: model.rowCount(e101) > 1, what="E101's variables")
                browser.view.setCurrentIndex(row_named(model, "InletTemp", e101))
                await wait_for(lambda: browser.details["units"].text() == "°C", what="the details")
                await wait_for(lambda: browser.ready, what="the selection read")
                assert "already a tag" in browser.status.text()
                release(editor, 100, 700)
            finally:
                await browser.disconnect_server()

    loop.run_until_complete(scenario())
    assert folder.project.tags == tags_before  # no E101.InletTemp_2
    item = editor.canvas.model_items()[-1]
    assert (item.type, item.bind) == ("value", {"value": "E101.InletTemp"})


def test_a_folder_and_nodes_drop_as_tags_with_the_servers_details_on_a_grid(qtbot, loop, editor):
    editor, port = editor
    document, canvas = editor.document, editor.canvas
    folder = document.folder
    before_items = len(canvas.model_items())
    before_tags = len(folder.project.tags)
    steps = document.undo.count()

    async def scenario() -> None:
        async with SimulatorServer(port=port):
            try:
                browser = editor.browser
                model = browser.tree_model
                plant = await open_plant(editor)
                fic = row_named(model, "FIC101", plant)
                browser.view.expand(fic)
                await wait_for(lambda: model.rowCount(fic) > 1, what="FIC101's variables")
                # The P-102 folder, never opened, and FIC101.PV (the project's tag) selected together.
                selection = browser.view.selectionModel()
                selection.select(row_named(model, "P102", plant), Select.ClearAndSelect | Select.Rows)
                selection.select(row_named(model, "PV", fic), Select.Select | Select.Rows)
                await wait_for(lambda: browser.ready, what="the selection read")
                assert browser.status.text().startswith("7 variable(s) selected")
                release(editor, 100, 600)
            finally:
                await browser.disconnect_server()

    loop.run_until_complete(scenario())
    tags = folder.tags
    new = folder.project.tags[before_tags:]
    assert sorted(t.name for t in new) == [
        f"P102.{n}" for n in ("Auto", "Cmd", "Fault", "Reset", "RunHours", "Running")
    ]
    hours = tags["P102.RunHours"]
    details = (hours.type, hours.units, hours.range, hours.description)
    assert details == ("Double", "h", (0, 100_000), "RunHours")
    assert hours.node == "nsu=urn:openhmi:demo-plant;s=P102.RunHours"  # by namespace URI
    assert tags["P102.Running"].type == "Boolean" and not tags["P102.Running"].writable
    assert tags["P102.Cmd"].writable
    assert "FIC101.PV_2" not in tags

    added = canvas.model_items()[before_items:]
    assert len(added) == 7
    kinds = {next(iter(it.bind.values())): (it.type, it.label) for it in added}
    assert kinds["P102.Running"] == ("indicator", "Running")
    assert kinds["P102.RunHours"] == ("value", "RunHours")
    assert kinds["FIC101.PV"] == ("value", "PV")
    assert all(next(iter(it.bind)) == "state" for it in added if it.type == "indicator")
    rects = canvas.rects[before_items:]
    assert rects[0].x == 100 and rects[0].y == 600  # the grid starts where it was dropped
    assert len({r.x for r in rects}) > 1 and len({r.y for r in rects}) > 1  # rows and columns
    for i, a in enumerate(rects):  # nothing overlaps
        for b in rects[i + 1 :]:
            assert a.right <= b.x or b.right <= a.x or a.bottom <= b.y or b.bottom <= a.y, (a, b)
    assert all(r.right <= folder.screens[canvas.target[1]].size[0] for r in rects)
    assert not [p for p in document.problems() if "P102" in p and "unknown tag" in p]

    assert document.undo.count() == steps + 1  # one step: undone, tags and displays go together
    document.undo.undo()
    assert len(folder.project.tags) == before_tags and len(canvas.model_items()) == before_items
