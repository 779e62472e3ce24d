"""The inspector's "On click" section driven through its combo boxes' popups, as an engineer clicks them:
the form is rebuilt under the very combo box that was clicked, which must survive its own click."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox

from hmi.cli import DEMO_PROJECT
from hmi.project import load_project
from hmi.project.model import ACTION_KINDS
from ui.editor.window import EditorWindow


@pytest.fixture
def editor(qtbot, tmp_path: Path) -> Iterator[EditorWindow]:
    root = tmp_path / "demo"
    shutil.copytree(DEMO_PROJECT, root)
    window = EditorWindow(load_project(root))
    window.resize(1600, 960)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.document.undo.setClean()  # closing must not ask what to do with the test's edits
    window.close()


def choose(qtbot, combo: QComboBox, text: str) -> None:
    """Open the combo box's list and click `text` in it; the combo box must outlive the click."""
    combo.setFocus(Qt.FocusReason.MouseFocusReason)
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    index = view.model().index(combo.findText(text), 0)
    assert index.isValid(), text
    view.scrollTo(index)
    # The middle of the item's row inside the list (off-screen, the list can be narrower than its rows).
    at = QPoint(view.viewport().width() // 2, view.visualRect(index).center().y())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    # Deleted inside its own signal, the combo box (and with it the process) would be gone by now.
    assert shiboken6.isValid(combo) and shiboken6.isValid(view)
    qtbot.waitUntil(lambda: not view.isVisible())


def test_every_click_action_kind_can_be_chosen_and_cleared(qtbot, editor: EditorWindow):
    canvas, inspector = editor.canvas, editor.inspector
    canvas.open("screen", "pumps")
    index = next(i for i, it in enumerate(canvas.model_items()) if it.on_click is None)
    canvas.select([index])
    targets = {"navigate": "robot", "trend": next(iter(editor.document.folder.project.trends))}
    for kind in ACTION_KINDS:
        choose(qtbot, inspector.fields["on_click"], kind)
        action = canvas.model_items()[index].on_click
        assert action is not None and getattr(action, kind) == ""
        assert inspector.fields["on_click"].currentText() == kind  # the rebuilt form shows the choice
        assert editor.focusWidget() is inspector.fields["on_click"]  # and keeps the keyboard
        target = inspector.fields[f"on_click.{kind}"]
        assert target.count() > 0  # the targets of that kind are offered
        choice = targets.get(kind, target.itemText(0))
        choose(qtbot, target, choice)
        assert getattr(canvas.model_items()[index].on_click, kind) == choice
        if kind == "write":
            assert "on_click.value" in inspector.fields
        if kind == "popup":  # a faceplate's parameters appear as fields
            params = editor.document.folder.templates[choice].params
            assert all(f"on_click.args.{p}" in inspector.fields for p in params)
    choose(qtbot, inspector.fields["on_click"], "none")
    assert canvas.model_items()[index].on_click is None
    assert not [key for key in inspector.fields if key.startswith("on_click.")]
    editor.document.undo.undo()
    assert canvas.model_items()[index].on_click is not None  # each choice is an undoable edit
