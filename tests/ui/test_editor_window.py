"""The editor window as an engineer uses it: save (no-op saves, logins), screens panel, problems,
closing with unsaved changes, crash recovery, tag drops, and `hmi edit` from the command line."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from hmi.cli import DEMO_PROJECT
from hmi.project import load_project
from hmi.security.service import open_security
from tests.support import PASSWORD, log_in
from ui.editor.node_model import MIME_TYPE as NODE_MIME
from ui.editor.window import EditorWindow

Button = QMessageBox.StandardButton


def digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    shutil.copytree(DEMO_PROJECT, root)
    return root


def open_editor(root: Path) -> EditorWindow:
    window = EditorWindow(load_project(root))
    window.resize(1600, 960)
    window.show()
    return window


@pytest.fixture
def editor(qtbot, root: Path) -> Iterator[EditorWindow]:
    window = open_editor(root)
    qtbot.waitExposed(window)
    yield window
    window.document.undo.setClean()  # closing must not ask what to do with the test's edits
    window.close()


def test_an_unchanged_save_changes_no_byte(editor: EditorWindow, root: Path):
    before = digest(root)
    assert editor.save()
    assert "No changes" in editor.statusBar().currentMessage()
    # An edit and its undo leave the project as loaded: saving still writes nothing different.
    editor.canvas.select([0])
    editor.canvas.nudge(10, 0)
    editor.document.undo.undo()
    assert editor.save()
    assert digest(root) == before


def test_a_server_node_dropped_adds_its_tag_and_a_bound_display_in_one_step(editor: EditorWindow):
    folder = editor.document.folder
    taken = next(iter(folder.tags.values()))
    tag = {"name": taken.name, "connection": "plant", "node": "ns=2;s=Other.Node", "type": "Double"}
    mime = QMimeData()
    mime.setData(NODE_MIME, json.dumps({"connection": "plant", "tags": [tag]}).encode("utf-8"))
    steps = editor.document.undo.count()
    assert editor.canvas.drop(mime, QPointF(100, 700))
    added = folder.project.tags[-1]
    # The name was taken by another variable meanwhile: the new tag gets its own, and the display uses it.
    assert added.name == f"{taken.name}_2" and added.node == "ns=2;s=Other.Node"
    item = editor.canvas.model_items()[-1]
    assert (item.type, item.at, item.bind) == ("value", (100.0, 700.0), {"value": added.name})
    assert editor.document.undo.count() == steps + 1
    editor.document.undo.undo()
    assert added.name not in editor.document.folder.tags
    assert editor.canvas.model_items()[-1].bind != {"value": added.name}


def test_renaming_a_screen_in_the_panel_makes_links_follow(editor: EditorWindow, monkeypatch):
    panel = editor.screens
    screens = panel.lists["screen"]
    screens.setCurrentItem(screens.findItems("pumps", Qt.MatchFlag.MatchExactly)[0])
    assert editor.canvas.target == ("screen", "pumps")  # choosing a screen shows it
    assert editor.where.text() == "Screen: pumps"
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("pump-station", True))
    panel.rename("screen")
    folder = editor.document.folder
    assert "pump-station" in folder.screens and "pumps" not in folder.screens
    links = [it.on_click.navigate for it in folder.screens["overview"].items if it.on_click]
    assert "pump-station" in links and "pumps" not in links
    assert editor.canvas.target == ("screen", "pump-station")
    assert [screens.item(i).text() for i in range(screens.count())] == ["overview", "pump-station", "robot"]
    editor.save()
    saved = load_project(folder.root)
    assert "pump-station" in saved.screens
    assert not (folder.root / "screens" / "pumps.yaml").exists()


def test_double_clicking_a_problem_selects_its_item(qtbot, editor: EditorWindow):
    canvas = editor.canvas
    canvas.open("screen", "pumps")
    items = canvas.model_items()
    items[3] = items[3].model_copy(update={"bind": {"value": "NO.SUCH.TAG"}})
    canvas.set_items("break", items, select=[])
    canvas.open("screen", "overview")
    editor.problems.refresh()
    view = editor.problems.view
    row = next(r for r in range(view.model().rowCount()) if "NO.SUCH.TAG" in view.model().index(r, 0).data())
    index = view.model().index(row, 0)
    view.scrollTo(index)
    point = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert canvas.target == ("screen", "pumps")
    assert canvas.selected == [3]
    assert editor.screens.current("screen") == "pumps"


def test_keyboard_select_all_delete_and_undo(qtbot, editor: EditorWindow):
    canvas = editor.canvas
    count = len(canvas.model_items())
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert canvas.selected == list(range(count))
    qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    assert canvas.model_items() == []
    qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(canvas.model_items()) == count
    qtbot.keyClick(canvas, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert canvas.model_items() == []


def test_closing_with_unsaved_changes_asks(qtbot, root: Path, monkeypatch):
    before = digest(root)
    window = open_editor(root)
    qtbot.waitExposed(window)
    window.canvas.select([0])
    window.canvas.nudge(0, 10)
    answers = [Button.Cancel, Button.Discard]
    asked = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: asked.append(box.text()) or answers.pop(0))
    window.close()
    assert window.isVisible() and window.document.dirty  # cancelled: still open, still changed
    closed = []
    window.closed.connect(lambda: closed.append(True))
    window.close()
    assert closed and not window.isVisible()
    assert len(asked) == 2 and "Save the changes" in asked[0]
    assert digest(root) == before  # discarded


def test_unsaved_changes_are_autosaved_and_offered_after_a_crash(qtbot, root: Path, monkeypatch):
    window = open_editor(root)
    qtbot.waitExposed(window)
    window.canvas.select([0])
    window.canvas.nudge(0, 10)
    moved = window.canvas.model_items()[0].at
    window.autosave.write()
    recovery = window.autosave.path
    assert (recovery / "project.yaml").is_file()
    assert os.environ["OPENHMI_DATA_DIR"] in str(recovery)
    assert not str(recovery).startswith(str(root))
    window.autosave.stop()
    window.deleteLater()  # a crash: no close, the recovery copy stays

    again = open_editor(root)
    qtbot.waitExposed(again)
    offered = []
    monkeypatch.setattr(again, "ask_recover", lambda when: offered.append(when) or True)
    again.offer_recovery()
    assert offered
    assert again.canvas.model_items()[0].at == moved and again.document.dirty
    assert again.save()
    assert not recovery.exists()  # saved: the recovery copy is gone
    assert load_project(root).screens["overview"].items[0].at == moved
    again.close()


def test_save_logs_in_when_the_station_has_users(qtbot, editor: EditorWindow, monkeypatch):
    folder = editor.document.folder
    security = open_security(folder)
    log_in(security, "operator")
    log_in(security, "engineer")
    security.audit.close()
    logins = []

    def log_in_as(name: str):
        def dialog(sec, why=""):
            logins.append(name)
            sec.login(name, PASSWORD)
            return True

        return dialog

    warnings = []
    monkeypatch.setattr(editor, "ask_switch_user", lambda reason: warnings.append(reason) and False)
    editor.canvas.select([0])
    editor.canvas.nudge(0, 10)
    monkeypatch.setattr(editor, "log_in", log_in_as("operator"))
    assert not editor.save()
    assert warnings and editor.document.dirty
    assert (
        load_project(folder.root).screens["overview"].items[0]
        == load_project(DEMO_PROJECT).screens["overview"].items[0]
    )

    editor.security.logout()
    monkeypatch.setattr(editor, "log_in", log_in_as("engineer"))
    assert editor.save()
    assert not editor.document.dirty
    assert editor.save()  # asked once: the engineer stays logged in for the next saves
    assert logins == ["operator", "engineer"]


def test_save_without_users_says_so(editor: EditorWindow):
    editor.canvas.select([0])
    editor.canvas.nudge(0, 10)
    assert editor.save()
    assert "without a login" in editor.statusBar().currentMessage()


def test_hmi_edit_saves_a_screenshot(tmp_path: Path):
    shot = tmp_path / "editor.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "hmi",
            "edit",
            str(DEMO_PROJECT),
            "--screenshot",
            str(shot),
            "--quit-after",
            "3",
        ],
        env=env,
        check=True,
        timeout=120,
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_hmi_edit_names_the_file_and_field_of_a_project_that_does_not_load(root: Path):
    project = root / "project.yaml"
    project.write_text(project.read_text().replace("start_screen:", "start_scren:"))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "hmi", "edit", str(root)], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert "project.yaml" in done.stderr and "start_scren" in done.stderr


def test_deleting_a_screen_confirms_naming_the_links_left_dangling(editor: EditorWindow, monkeypatch):
    from ui.editor import screens_panel

    panel, folder = editor.screens, editor.document.folder
    screens = panel.lists["screen"]
    questions = []
    monkeypatch.setattr(screens_panel, "confirm", lambda parent, text: questions.append(text) or True)
    screens.setCurrentItem(screens.findItems("robot", Qt.MatchFlag.MatchExactly)[0])
    panel.set_start()
    assert folder.project.start_screen == "robot"
    panel.delete("screen")
    assert "robot" not in folder.screens
    assert "overview.yaml" in questions[0] and "start_screen" in questions[0]
    assert editor.canvas.target[1] in folder.screens  # the canvas moved to a screen that exists
    editor.problems.refresh()
    assert any("robot" in row.text for row in editor.problems.model.rows)
    editor.document.undo.undo()
    editor.document.undo.undo()
    assert "robot" in folder.screens and folder.project.start_screen == "overview"
