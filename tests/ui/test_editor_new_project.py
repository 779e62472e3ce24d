"""File > New against the real simulator, as an engineer does it: connect, pick two folders, create;
200 tags, checked, opened in the editor, in well under the 5 minutes of the goal. The demo plant has
40 variables: the simulator is started with 160 more (its benchmark folder Load)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt

from hmi.project.io import check_project
from hmi.sim.plant import TAGS
from hmi.sim.server import SimulatorServer
from tests.support import demo_project, free_port, wait_for
from ui.editor.new_project import NewProjectDialog
from ui.editor.window import EditorWindow

Select = QItemSelectionModel.SelectionFlag
SHOTS = Path(os.environ.get("OPENHMI_SHOTS", "/tmp/shots"))


def shot(widget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def row(model, name: str) -> QModelIndex:
    for n in range(model.rowCount()):
        if model.index(n, 0).data() == name:
            return model.index(n, 0)
    raise AssertionError(f"no top folder {name!r}")


@pytest.fixture
def editor(qtbot, tmp_path: Path) -> Iterator[tuple[EditorWindow, int]]:
    port = free_port()
    window = EditorWindow(demo_project(tmp_path, port))
    window.resize(1600, 960)
    window.show()
    qtbot.waitExposed(window)
    yield window, port
    for w in (window, window.successor):
        if w is not None:
            w.document.undo.setClean()
            w.close()


def test_a_200_tag_project_from_the_simulator_in_one_go(qtbot, loop, editor, tmp_path: Path):
    editor, port = editor
    root = tmp_path / "plant200"
    began = time.monotonic()

    async def scenario() -> None:
        async with SimulatorServer(port=port, load_tags=200 - len(TAGS)):
            editor.new_action.trigger()
            dialog = editor.dialog
            assert isinstance(dialog, NewProjectDialog) and dialog.isVisible()
            dialog.location.setText(str(root))
            dialog.name.setText("Plant 200")
            dialog.server.endpoint.setText(f"opc.tcp://127.0.0.1:{port}")
            shot(dialog, "new_project_server")
            qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
            await wait_for(lambda: dialog.pages.currentIndex() == 1, 20, "the server's folders")
            browser = dialog.browser
            assert browser is not None
            selection = browser.view.selectionModel()
            selection.select(row(browser.tree_model, "DemoPlant"), Select.ClearAndSelect | Select.Rows)
            selection.select(row(browser.tree_model, "Load"), Select.Select | Select.Rows)
            await wait_for(lambda: browser.ready, 30, "the selection read")
            await wait_for(
                lambda: dialog.problem.text().startswith("200 variable(s) selected"), 5, "the count"
            )
            shot(dialog, "new_project_pick")
            qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
            await wait_for(lambda: editor.successor is not None, 60, "the new project's editor")
            assert not editor.isVisible()  # the new editor took over

    loop.run_until_complete(scenario())
    elapsed = time.monotonic() - began
    assert elapsed < 300
    new = editor.successor
    assert new is not None and new.isVisible()
    folder = new.document.folder
    assert folder.root == root and folder.name == "Plant 200"
    loaded, problems = check_project(root)
    assert problems == [] and loaded is not None
    assert len(loaded.project.tags) == 200
    assert sorted(loaded.screens) == [
        "demoplant",
        "load-1",
        "load-2",
    ]  # measured exactly: tighter than hmi new
    assert new.canvas.target == ("screen", "demoplant")
    assert "200 tags, 3 screens, 2 trends" in new.statusBar().currentMessage()
    level = loaded.tags["TK101.Level"]
    assert (level.units, level.range, level.description, level.alarms.hi.limit) == (
        "%",
        (0, 100),
        "Level",
        100,
    )
    # Laid out as the runtime draws them: no two displays overlap.
    rects = new.canvas.rects
    assert len(rects) == len(loaded.screens["demoplant"].items)
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            assert a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y
    shot(new, "new_project_editor")
