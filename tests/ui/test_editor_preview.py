"""Preview: the editor's unsaved state running in the operator's window on the real simulator."""

from __future__ import annotations

from pathlib import Path

from hmi.sim.server import SimulatorServer
from tests.support import demo_project, free_port, wait_for
from ui.editor.window import EditorWindow
from ui.screens.items import ValueItem


def test_preview_runs_the_unsaved_project_and_stops_when_closed(qtbot, loop, tmp_path: Path):
    port = free_port()
    folder = demo_project(tmp_path, port)
    editor = EditorWindow(folder)
    editor.resize(1600, 960)
    editor.show()

    async def scenario():
        sim = SimulatorServer(port=port)
        await sim.start()
        try:
            canvas = editor.canvas
            index = next(
                i for i, it in enumerate(canvas.model_items()) if it.bind.get("value") == "TK101.Level"
            )
            items = canvas.model_items()
            items[index] = items[index].model_copy(update={"label": "Level (edited)"})
            canvas.set_items("label", items)
            editor.start_preview()
            preview = editor.preview
            assert preview is not None
            await wait_for(lambda: preview.window.isVisible(), timeout=20, what="the preview window")
            shown = next(
                i
                for i in preview.window.view.items_
                if isinstance(i, ValueItem) and i.model.bind.get("value") == "TK101.Level"
            )
            assert shown.model.label == "Level (edited)"  # the unsaved edit runs
            await wait_for(lambda: shown.text() != "----" and not shown.bad, timeout=20, what="a live value")
            preview.window.close()
            await wait_for(lambda: editor.preview is None, timeout=20, what="the preview to stop")
            assert not preview.window.isVisible()
            assert editor.document.dirty  # the preview saved nothing
        finally:
            if editor.preview is not None:
                editor.preview.close()
                await wait_for(lambda: editor.preview is None, timeout=20, what="the preview to stop")
            await sim.stop()

    loop.run_until_complete(scenario())
    editor.document.undo.setClean()
    editor.close()  # outside the loop: closing the last window ends a test's Qt loop
