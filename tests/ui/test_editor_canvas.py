"""The editor's canvas, palette and inspector on a copy of the demo project, driven like a user would."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QLineEdit

from hmi.cli import DEMO_PROJECT
from hmi.project import load_project
from ui.editor.palette import payload_mime
from ui.editor.window import EditorWindow


@pytest.fixture
def editor(qtbot, tmp_path: Path) -> Iterator[EditorWindow]:
    root = tmp_path / "demo"
    shutil.copytree(DEMO_PROJECT, root)
    window = EditorWindow(load_project(root))
    window.resize(1600, 960)
    window.show()
    qtbot.waitExposed(window)
    window.document.undo.setClean()
    yield window
    window.document.undo.setClean()  # closing must not ask what to do with the test's edits
    window.close()


def view_point(editor: EditorWindow, x: float, y: float) -> QPoint:
    return editor.canvas.mapFromScene(QPointF(x, y))


def drop(editor: EditorWindow, payload: str, x: float, y: float) -> None:
    """What Qt delivers when a palette entry is released over the canvas at scene point (x, y)."""
    canvas = editor.canvas
    mime = payload_mime(payload)
    event = QDropEvent(
        QPointF(view_point(editor, x, y)),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    canvas.dropEvent(event)
    assert event.isAccepted()


def drag(qtbot, editor: EditorWindow, start: QPoint, end: QPoint) -> None:
    viewport = editor.canvas.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 5):
        qtbot.mouseMove(viewport, start + (end - start) * step / 4)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)


def test_drop_resize_move_undo_redo_and_save(qtbot, editor: EditorWindow):
    canvas, document = editor.canvas, editor.document
    before = len(canvas.model_items())
    drop(editor, "pump", 1203, 702)
    items = canvas.model_items()
    assert len(items) == before + 1
    pump = items[-1]
    assert (pump.type, pump.at, pump.label) == ("pump", (1200.0, 700.0), "P-100")  # snapped to the grid
    assert canvas.selected == [before]
    assert document.dirty and editor.windowTitle() == "Demo Plant* - OpenHMI Editor"

    # Resize with the bottom-right handle, then move the pump by dragging it.
    r = canvas.rects[before]
    drag(
        qtbot, editor, view_point(editor, r.right, r.bottom), view_point(editor, r.right + 40, r.bottom + 20)
    )
    assert canvas.model_items()[-1].size == (100.0, 80.0)
    drag(qtbot, editor, view_point(editor, 1230, 740), view_point(editor, 1330, 640))
    moved = canvas.model_items()[-1]
    assert moved.at == (1300.0, 600.0) and moved.size == (100.0, 80.0)

    document.undo.undo()
    assert canvas.model_items()[-1].at == (1200.0, 700.0)
    document.undo.undo()
    assert canvas.model_items()[-1].size is None
    document.undo.redo()
    document.undo.redo()
    assert canvas.model_items()[-1].at == (1300.0, 600.0)

    # Arrow keys nudge (Shift: 10 px), and the nudges in a row are one undo step.
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    qtbot.keyClick(canvas, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert canvas.model_items()[-1].at == (1301.0, 610.0)
    document.undo.undo()
    assert canvas.model_items()[-1].at == (1300.0, 600.0)

    editor.save()
    assert not document.dirty and editor.windowTitle() == "Demo Plant - OpenHMI Editor"
    saved = load_project(document.folder.root).screens["overview"].items[-1]
    assert (saved.type, saved.at, saved.size) == ("pump", (1300.0, 600.0), (100.0, 80.0))


def test_rubber_band_selects_and_align_and_delete(qtbot, editor: EditorWindow):
    canvas = editor.canvas
    drop(editor, "value", 900, 730)  # an empty part of the overview, right of P-102
    drop(editor, "value", 960, 790)
    n = len(canvas.model_items())
    drag(qtbot, editor, view_point(editor, 890, 715), view_point(editor, 1160, 830))
    assert canvas.selected == [n - 2, n - 1]
    editor.commands.align("left")
    assert [it.at[0] for it in canvas.model_items()[-2:]] == [900.0, 900.0]
    editor.commands.delete()
    assert len(canvas.model_items()) == n - 2
    editor.document.undo.undo()
    assert len(canvas.model_items()) == n


def test_copy_paste_across_screens(qtbot, editor: EditorWindow):
    canvas = editor.canvas
    tank = next(i for i, it in enumerate(canvas.model_items()) if it.type == "tank")
    canvas.select([tank])
    editor.commands.copy()
    canvas.open("screen", "pumps")
    count = len(canvas.model_items())
    editor.commands.paste()
    pasted = canvas.model_items()[-1]
    assert len(canvas.model_items()) == count + 1
    assert pasted.type == "tank" and pasted.bind == {"level": "TK101.Level"}
    assert canvas.selected == [count]
    editor.save()
    assert load_project(editor.document.folder.root).screens["pumps"].items[-1] == pasted


def test_inspector_binding_is_checked_while_typing(qtbot, editor: EditorWindow):
    canvas, inspector = editor.canvas, editor.inspector
    drop(editor, "pump", 1200, 700)
    field = inspector.fields["bind.running"]
    error = inspector.errors["bind.running"]
    assert isinstance(field, QLineEdit)
    qtbot.keyClicks(field, "P101.Running and")
    assert error.isVisible() and error.text()
    assert "d40000" in field.styleSheet()
    assert canvas.model_items()[-1].bind.get("running") in (None, "P101.Running")  # the broken text never

    field.clear()
    qtbot.keyClicks(field, "P101.Running")
    assert not error.isVisible()
    assert canvas.model_items()[-1].bind["running"] == "P101.Running"
    assert field.completer().model().stringList()[:1] != []

    qtbot.keyClicks(field, "_x")
    assert "unknown tag 'P101.Running_x'" in error.text() and "d40000" in field.styleSheet()
    assert canvas.model_items()[-1].bind["running"] == "P101.Running"  # not applied while wrong

    # Typing in one field is one undo step.
    steps = editor.document.undo.index()
    editor.document.undo.undo()
    assert "running" not in canvas.model_items()[-1].bind
    assert editor.document.undo.index() == steps - 1

    label = inspector.fields["label"]
    label.selectAll()
    qtbot.keyClicks(label, "P-201")
    assert canvas.model_items()[-1].label == "P-201"


def test_group_makes_a_template_and_ungroup_restores_the_items(qtbot, editor: EditorWindow):
    canvas = editor.canvas
    drop(editor, "pump", 1200, 700)
    drop(editor, "value", 1300, 700)
    n = len(canvas.model_items())
    canvas.select([n - 2, n - 1])
    editor.commands.group()
    items = canvas.model_items()
    assert len(items) == n - 1 and items[-1].type == "template"
    template = editor.document.folder.templates[items[-1].template or ""]
    assert [it.type for it in template.items] == ["pump", "value"]
    editor.commands.ungroup()
    assert [it.type for it in canvas.model_items()[-2:]] == ["pump", "value"]
    assert [it.at for it in canvas.model_items()[-2:]] == [(1200.0, 700.0), (1300.0, 700.0)]


def test_inspector_sets_and_clears_the_click_action(editor: EditorWindow):
    canvas, inspector = editor.canvas, editor.inspector
    drop(editor, "button", 100, 700)
    inspector.fields["on_click"].setCurrentText("navigate")
    target = inspector.fields["on_click.navigate"]
    assert [target.itemText(i) for i in range(target.count())] == ["overview", "pumps", "robot"]
    target.setCurrentText("robot")
    assert canvas.model_items()[-1].on_click.navigate == "robot"
    inspector.fields["on_click"].setCurrentText("none")
    assert canvas.model_items()[-1].on_click is None
    assert "on_click.navigate" not in inspector.fields


def test_inspector_edits_a_popups_template_arguments(qtbot, editor: EditorWindow):
    canvas, inspector = editor.canvas, editor.inspector
    drop(editor, "pump", 100, 700)
    inspector.fields["on_click"].setCurrentText("popup")
    inspector.fields["on_click.popup"].setCurrentText("pump_faceplate")
    qtbot.waitUntil(lambda: "on_click.args.tag" in inspector.fields)
    qtbot.keyClicks(inspector.fields["on_click.args.tag"], "P102")
    action = canvas.model_items()[-1].on_click
    assert (action.popup, action.args) == ("pump_faceplate", {"tag": "P102"})
    assert not editor.document.problems()


def test_distribute_z_order_snap_toggle_and_zoom(qtbot, editor: EditorWindow):
    canvas, commands = editor.canvas, editor.commands
    editor.snap_action.setChecked(False)
    drop(editor, "pump", 43, 651)
    x, y = canvas.model_items()[-1].at
    assert abs(x - 43) < 2 and abs(y - 651) < 2 and (x, y) != (40.0, 650.0)  # not snapped to the grid
    editor.snap_action.setChecked(True)
    drop(editor, "pump", 141, 700)
    drop(editor, "pump", 300, 700)
    n = len(canvas.model_items())
    canvas.select([n - 3, n - 2, n - 1])
    commands.distribute("x")
    xs = [it.at[0] for it in canvas.model_items()[-3:]]
    assert xs[0] == x and xs[2] == 300.0 and xs[1] - xs[0] == pytest.approx(xs[2] - xs[1])

    canvas.select([n - 1])
    commands.order("bottom")
    assert canvas.model_items()[0].at == (300.0, 700.0) and canvas.selected == [0]
    commands.order("top")
    assert canvas.model_items()[-1].at == (300.0, 700.0) and canvas.selected == [n - 1]

    fitted = canvas.zoom()
    editor.canvas.zoom_by(2)
    assert canvas.zoom() == pytest.approx(fitted * 2)
    canvas.fit()
    assert canvas.zoom() == pytest.approx(fitted)
