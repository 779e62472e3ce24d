"""Logging in at the station: the dialog, the first administrator, view-only when logged out, idle logout."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from hmi.permissions import SYSTEM
from hmi.project.model import Action, Item
from hmi.runtime import Runtime
from hmi.security.audit import search
from tests.support import PASSWORD, demo_project, free_port, log_in
from ui.dialogs import SetpointDialog
from ui.main_window import MainWindow
from ui.security.login import LoginDialog
from ui.security.users_view import PasswordDialog, UserDialog

from .test_screen_live import when_modal


def window_for(qtbot, tmp_path: Path, **security: object) -> MainWindow:
    folder = demo_project(tmp_path, free_port())
    folder.project.security = folder.project.security.model_copy(update=security)
    window = MainWindow(Runtime(folder, start_simulator=False))
    qtbot.addWidget(window)
    window.show()
    return window


def close(window: MainWindow) -> None:
    window.close()
    window.runtime.audit.close()
    window.runtime.journal.close()


def test_first_run_offers_to_create_an_administrator_who_is_then_logged_in(qtbot, tmp_path: Path):
    window = window_for(qtbot, tmp_path)
    session = window.session
    try:
        assert session.notice.isVisible()
        assert session.notice.text.text().startswith("No users yet: create an administrator")
        assert session.label.text() == "Not logged in (view only)"

        def fill(dialog: UserDialog) -> None:
            dialog.name.setText("chief")
            dialog.password.first.setText("chief")
            ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
            assert not ok.isEnabled() and "at least 8" in dialog.problem.text()
            dialog.password.first.setText("Plant-2024!")
            dialog.password.again.setText("Plant-2024?")
            assert not ok.isEnabled() and dialog.problem.text() == "the two passwords differ"
            dialog.password.again.setText("Plant-2024!")
            assert ok.isEnabled() and not dialog.role.isEnabled()
            ok.click()

        when_modal(UserDialog, fill)
        qtbot.mouseClick(session.notice.button, Qt.MouseButton.LeftButton)
        assert not session.notice.isVisible()
        assert session.label.text() == "User: chief (administrator)"
        assert session.users_action.isEnabled()
    finally:
        close(window)


def test_login_dialog_shows_wrong_passwords_then_the_lockout_time(qtbot, tmp_path: Path):
    window = window_for(qtbot, tmp_path, max_failures=2, lockout_s=600)
    security = window.runtime.security
    try:
        log_in(security, "operator", "olga")
        security.logout()
        dialog = LoginDialog(security, window)
        qtbot.addWidget(dialog)
        dialog.name.setText("olga")
        dialog.password.setText("wrong")
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
        assert "wrong user name or password (1 more attempt" in dialog.problem.text()
        assert dialog.password.text() == "" and security.session is None
        dialog.password.setText("wrong again")
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
        assert re.fullmatch(r"olga is locked: try again in (10 min 00|9 min 5\d) s", dialog.problem.text())
        assert not dialog.ok.isEnabled()
        dialog.grab().save(str(tmp_path / "locked.png"))

        security.unlock(SYSTEM, "olga")  # an administrator ends the lockout; the dialog accepts again
        again = LoginDialog(security, window, "olga")
        qtbot.addWidget(again)
        again.password.setText(PASSWORD)
        qtbot.mouseClick(again.ok, Qt.MouseButton.LeftButton)
        assert again.result() == again.DialogCode.Accepted
        assert window.session.label.text() == "User: olga (operator)"
    finally:
        close(window)


def test_a_logged_out_station_refuses_a_setpoint_with_the_reason_in_view(qtbot, tmp_path: Path):
    window = window_for(qtbot, tmp_path)
    try:
        log_in(window.runtime.security, "operator")
        window.runtime.security.logout()
        shown: dict[str, str] = {}

        def read(box: QMessageBox) -> None:
            shown["text"] = box.text()
            box.accept()

        when_modal(QMessageBox, read)
        when_modal(
            SetpointDialog, lambda dialog: shown.setdefault("setpoint dialog", "opened") and dialog.reject()
        )
        window._act(Item(type="button", at=(0, 0), size=(10, 10)), Action(setpoint="FIC101.SP"))
        assert shown == {
            "text": "Log in first: nobody is logged in on this station. "
            "Allowed for: operator, engineer, administrator."
        }
        assert "Not permitted: Log in first" in window.statusBar().currentMessage()
        assert window.session.label.text() == "Not logged in (view only)"
    finally:
        close(window)


def test_the_station_logs_out_after_inactivity_and_input_postpones_it(qtbot, tmp_path: Path):
    window = window_for(qtbot, tmp_path, idle_logout_s=1.5)
    security = window.runtime.security
    try:
        log_in(security, "operator", "olga")
        assert window.session.idle.timer.isActive()
        idle = lambda: security.clock() - security._active_at  # noqa: E731
        qtbot.waitUntil(lambda: idle() > 0.7, timeout=5000)
        QApplication.sendEvent(
            window, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Shift, Qt.KeyboardModifier.NoModifier)
        )
        assert idle() < 0.5, "a key press starts the idle time again"
        qtbot.waitUntil(lambda: security.session is None, timeout=10000)
        assert window.session.label.text() == "Not logged in (view only)"
        window.runtime.audit.flush()
        logout = search(window.runtime.audit.path, action="logout")[0].entry
        assert (logout.user, logout.reason) == ("olga", "inactivity")
    finally:
        close(window)


def test_edit_project_is_for_engineers_and_saves_as_the_logged_in_user(qtbot, tmp_path: Path):
    window = window_for(qtbot, tmp_path)
    security = window.runtime.security
    log_in(security, "operator")
    assert not window.edit_action.isEnabled()
    log_in(security, "engineer")
    assert window.edit_action.isEnabled()
    window.edit_action.trigger()
    editor = window.editor
    assert editor is not None and editor.isVisible()
    document = editor.document
    screens = dict(document.folder.screens)
    screens["overview"] = screens["overview"].model_copy(update={"title": "Feed and heat recovery"})
    document.apply("retitle", screens=screens)
    assert editor.save()  # no second login: the station's engineer saves
    assert "title: Feed and heat recovery" in (window.folder.root / "screens" / "overview.yaml").read_text()
    window.runtime.audit.flush()
    rows = search(window.runtime.audit.path, action="save_project")
    assert [row.entry.user for row in rows] == ["engineer"]
    editor.close()
    close(window)


def test_a_user_changes_their_own_password_after_the_current_one(qtbot, tmp_path: Path):
    window = window_for(qtbot, tmp_path)
    security, session = window.runtime.security, window.session
    try:
        assert not session.password_action.isEnabled(), "nobody to change a password for"
        log_in(security, "operator", "olga")
        assert session.password_action.isEnabled()
        new = "Valve-open-7"
        seen = []

        def fill(dialog: PasswordDialog) -> None:
            assert dialog.windowTitle() == "Change your password"
            dialog.current.setText("not-my-password")
            dialog.password.first.setText(new)
            dialog.password.again.setText(new)
            ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
            ok.click()
            seen.append(dialog.problem.text())
            assert dialog.isVisible(), "a wrong current password keeps the dialog open"
            dialog.current.setText(PASSWORD)
            ok.click()

        when_modal(PasswordDialog, fill)
        assert session.change_password()
        assert seen == ["the old password is wrong"]
        security.logout()
        security.login("olga", new)

        def changes() -> list[str]:  # newest first
            return [row.entry.result for row in search(window.runtime.audit.path, action="password_change")]

        qtbot.waitUntil(lambda: changes() == ["ok", "refused"], timeout=5000)  # both attempts audited
    finally:
        close(window)
