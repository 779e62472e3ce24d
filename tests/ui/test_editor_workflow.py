"""The issue's script end to end: drag a symbol in, bind it to a variable dragged from the browser of
the real simulator, resize, undo and redo, save, reload and compare."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QPointF, Qt
from PySide6.QtGui import QDropEvent

from hmi.project import load_project
from hmi.sim.server import SimulatorServer
from tests.support import demo_project, free_port, wait_for
from ui.editor.palette import payload_mime
from ui.editor.window import EditorWindow


def row_named(model, name: str, parent: QModelIndex) -> QModelIndex:
    return next(
        model.index(r, 0, parent)
        for r in range(model.rowCount(parent))
        if model.index(r, 0, parent).data() == name
    )


def release(editor: EditorWindow, mime, x: float, y: float) -> None:
    """What Qt delivers when a drag is released over the canvas at scene point (x, y)."""
    event = QDropEvent(
        QPointF(editor.canvas.mapFromScene(QPointF(x, y))),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    editor.canvas.dropEvent(event)
    assert event.isAccepted()


def test_build_bind_resize_undo_save_reload(qtbot, loop, tmp_path: Path):
    port = free_port()
    editor = EditorWindow(demo_project(tmp_path, port))
    editor.resize(1600, 960)
    editor.show()
    document, canvas = editor.document, editor.canvas

    async def scenario():
        async with SimulatorServer(port=port):
            try:
                # A gauge from the palette.
                release(editor, payload_mime("gauge"), 100, 700)
                gauge = len(canvas.model_items()) - 1
                assert canvas.model_items()[gauge].type == "gauge"

                # FIC101.SP from the live server: the project's tag of that node, and a bound display.
                assert await editor.browser.connect_server()
                model = editor.browser.tree_model
                plant = row_named(model, "DemoPlant", QModelIndex())
                editor.browser.view.expand(plant)
                await wait_for(lambda: model.rowCount(plant) > 1, what="the plant's units")
                fic = row_named(model, "FIC101", plant)
                editor.browser.view.expand(fic)
                await wait_for(lambda: model.rowCount(fic) > 1, what="FIC101's variables")
                release(editor, model.mimeData([row_named(model, "SP", fic)]), 200, 800)
                assert "FIC101.SP_2" not in document.folder.tags
                assert canvas.model_items()[-1].bind == {"value": "FIC101.SP"}

                # Bind the gauge to the new tag in the inspector, then resize it with a handle.
                canvas.select([gauge])
                field = editor.inspector.fields["bind.value"]
                qtbot.keyClicks(field, "FIC101.SP")
                assert canvas.model_items()[gauge].bind == {"value": "FIC101.SP"}
                r = canvas.rects[gauge]
                viewport = canvas.viewport()
                corner = canvas.mapFromScene(QPointF(r.right, r.bottom))
                target = canvas.mapFromScene(QPointF(r.right + 40, r.bottom + 40))
                qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=corner)
                qtbot.mouseMove(viewport, (corner + target) / 2)
                qtbot.mouseMove(viewport, target)
                qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=target)
                resized = canvas.model_items()[gauge]
                assert resized.size == (round(r.w + 40), round(r.h + 40))

                document.undo.undo()
                assert canvas.model_items()[gauge].size is None
                document.undo.redo()
                assert canvas.model_items()[gauge] == resized

                assert editor.save()
                saved = load_project(document.folder.root)
                assert saved.project == document.folder.project
                assert saved.screens == document.folder.screens
                assert saved.templates == document.folder.templates
            finally:
                await editor.browser.disconnect_server()

    loop.run_until_complete(scenario())
    document.undo.setClean()
    editor.close()  # outside the loop: closing the last window ends a test's Qt loop
