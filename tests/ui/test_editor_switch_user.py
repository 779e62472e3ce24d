"""Switch user in the stand-alone editor: a login as someone who may not save (an operator) never
leaves the edits unsaveable. The login dialogs and message boxes are the real ones, answered as they
open."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget

from hmi.cli import DEMO_PROJECT
from hmi.project import load_project
from hmi.security.service import open_security
from tests.support import PASSWORD, log_in
from ui.editor.window import EditorWindow
from ui.security.login import LoginDialog

Handler = Callable[[QWidget], None]


class Modals(QObject):
    """Answers the modal dialogs the editor opens, in order, one handler each (as a user would); one
    more than expected is recorded in `unexpected` and closed, so that a test fails instead of hanging."""

    def __init__(self, *handlers: Handler):
        super().__init__()
        self.handlers = list(handlers)
        self.seen: list[QWidget] = []
        self.texts: list[str] = []
        self.unexpected: list[str] = []
        self.timer = QTimer(self, interval=20)
        self.timer.timeout.connect(self._poll)
        self.timer.start()

    def _poll(self) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isVisible() or any(dialog is w for w in self.seen):
            return
        self.seen.append(dialog)
        if isinstance(dialog, QMessageBox):
            self.texts.append(f"{dialog.text()}\n{dialog.informativeText()}")
        else:
            intro = getattr(dialog, "intro", None)  # a login dialog's first line: why it asks
            self.texts.append(f"{dialog.windowTitle()}\n{intro.text() if intro else ''}")
        try:
            if not self.handlers:
                raise AssertionError("one dialog more than expected")
            self.handlers.pop(0)(dialog)
        except Exception as exc:  # not the dialog expected: fail, not hang
            self.unexpected.append(f"{self.texts[-1]}: {exc!r}")
            dialog.close()


def log_in_as(name: str) -> Handler:
    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, LoginDialog)
        dialog.name.setText(name)
        dialog.password.setText(PASSWORD)
        dialog.ok.click()

    return answer


def press(text: str) -> Handler:
    def answer(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        buttons = [b for b in box.buttons() if isinstance(b, QPushButton)]
        next(b for b in buttons if b.text().replace("&", "") == text).click()

    return answer


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    shutil.copytree(DEMO_PROJECT, root)
    security = open_security(load_project(root))
    log_in(security, "operator")
    log_in(security, "engineer")
    security.logout()
    security.audit.close()
    return root


@pytest.fixture
def editor(qtbot, root: Path) -> Iterator[EditorWindow]:
    window = EditorWindow(load_project(root))
    window.resize(1600, 960)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.document.undo.setClean()
    window.close()


def moved_first_item(editor: EditorWindow) -> tuple[float, float]:
    editor.canvas.open("screen", "overview")
    editor.canvas.select([0])
    editor.canvas.nudge(0, 10)
    return editor.canvas.model_items()[0].at


def test_save_refused_to_an_operator_offers_switch_user_and_an_engineer_saves(editor: EditorWindow, root):
    moved = moved_first_item(editor)
    modals = Modals(log_in_as("operator"), press("Switch user…"), log_in_as("engineer"))
    editor.save_action.trigger()
    assert not modals.handlers and not modals.unexpected, modals.texts
    login, refused, switch = modals.texts
    assert "operator" in refused and "Switch to a user who may save" in refused
    assert switch.startswith("Switch user") and "operator" in switch  # says why it asks
    assert not editor.document.dirty
    assert load_project(root).screens["overview"].items[0].at == moved  # the edit is on disk
    assert editor.user.text() == "User: engineer (engineer)"
    assert "Saved" in editor.statusBar().currentMessage()


def test_after_a_cancelled_refusal_file_switch_user_lets_an_engineer_save(editor: EditorWindow, root):
    moved = moved_first_item(editor)
    modals = Modals(log_in_as("operator"), press("Cancel"))
    editor.save_action.trigger()
    assert not modals.handlers and not modals.unexpected and editor.document.dirty
    assert "Not saved" in editor.statusBar().currentMessage()
    assert editor.canvas.model_items()[0].at == moved  # nothing lost

    modals = Modals(log_in_as("engineer"))
    editor.switch_action.trigger()
    assert not modals.handlers and not modals.unexpected, modals.texts
    assert editor.canvas.model_items()[0].at == moved and editor.document.dirty
    assert editor.user.text() == "User: engineer (engineer)"
    modals = Modals()
    editor.save_action.trigger()
    assert not modals.unexpected  # nothing more is asked: the engineer is logged in
    assert load_project(root).screens["overview"].items[0].at == moved


def test_closing_with_edits_the_user_may_not_save_offers_switch_user(qtbot, root: Path):
    window = EditorWindow(load_project(root))
    window.show()
    qtbot.waitExposed(window)
    modals = Modals(log_in_as("operator"))
    window.switch_action.trigger()  # from File: nobody was logged in yet
    assert window.user.text() == "User: operator (operator)"
    moved = moved_first_item(window)
    closed = []
    window.closed.connect(lambda: closed.append(True))
    modals = Modals(press("Switch user and save…"), log_in_as("engineer"))
    window.close()
    assert not modals.handlers and not modals.unexpected, modals.texts
    assert "operator" in modals.texts[0]  # says why Save switches user first
    assert closed and not window.isVisible()
    assert load_project(root).screens["overview"].items[0].at == moved


def test_a_wrong_password_at_switch_user_keeps_the_current_user(editor: EditorWindow):
    modals = Modals(log_in_as("operator"))
    editor.switch_action.trigger()

    def wrong_then_cancel(dialog: QWidget) -> None:
        assert isinstance(dialog, LoginDialog)
        dialog.name.setText("engineer")
        dialog.password.setText("not-the-password")
        dialog.ok.click()
        assert dialog.isVisible() and dialog.problem.text()  # refused in view
        dialog.reject()

    modals = Modals(wrong_then_cancel)
    editor.switch_action.trigger()
    assert not modals.handlers and not modals.unexpected, modals.texts
    assert editor.security.actor == "operator"
    assert editor.user.text() == "User: operator (operator)"
