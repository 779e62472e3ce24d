"""Logging in and out at the station: the login dialog, the User menu, the status-bar user, the
first-run notice and the logout after inactivity.

The engine decides (hmi.security.service.Security); this module only asks and shows. Logged out,
the station stays view-only: every write and alarm action is refused by the engine with
"log in first".
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hmi.runtime import Runtime
from hmi.security import LoginRefused, Permission, SecurityError
from hmi.security.service import Security, Session, minutes

from .audit_view import AuditView
from .permissions import refused, role_name
from .signature import SignDialog
from .users_view import PasswordDialog, UserDialog, UsersView, problem_label

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class LoginDialog(QDialog):
    """User name and password; a refusal stays in view, a lockout counts down until it ends. `intro`
    says why a login is asked (e.g. the current user may not save); with a session open, the dialog
    switches user (the engine ends the old session when the new one opens)."""

    def __init__(self, security: Security, parent: QWidget | None = None, name: str = "", intro: str = ""):
        super().__init__(parent)
        self.security = security
        session = security.session
        self.setWindowTitle(self.tr("Switch user") if session is not None else self.tr("Log in"))
        self.name = QLineEdit(name)
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.name)
        form.addRow(self.tr("Password"), self.password)
        self.problem = problem_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.addButton(self.tr("Log in"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.try_login)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        self.intro = QLabel(intro, wordWrap=True)
        self.intro.setHidden(not intro)
        layout.addWidget(self.intro)
        if session is not None:
            current = self.tr("Logged in now: {0} ({1})").format(session.user, role_name(session.role))
            layout.addWidget(QLabel(current))
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._locked_until: float | None = None
        self._countdown = QTimer(self, interval=1000)
        self._countdown.timeout.connect(self._show_lock)
        (self.password if name else self.name).setFocus()
        self.setMinimumWidth(400)

    def try_login(self) -> None:
        try:
            self.security.login(self.name.text().strip(), self.password.text())
        except SecurityError as exc:  # refused, or the site's users cannot be reached
            self.password.clear()
            self.problem.setText(str(exc))
            self._locked_until = exc.locked_until if isinstance(exc, LoginRefused) else None
            if self._locked_until is not None:
                self._show_lock()
                self._countdown.start()
            return
        self.accept()

    def _show_lock(self) -> None:
        """While locked: say for how long, and keep Log in disabled until the time is up."""
        left = (self._locked_until or 0.0) - time.time()
        locked = left > 0
        self.ok.setEnabled(not locked)
        if locked:
            self.problem.setText(self.tr("%s is locked: try again in %s") % (self.name.text(), minutes(left)))
        else:
            self._countdown.stop()
            self.problem.setText(self.tr("The lock has ended: you may try again"))


class IdleLogout(QObject):
    """Tells the engine of keyboard, mouse and touch input anywhere, and asks it once a second whether
    the session has been idle too long: the engine logs out (and refuses actions) at `idle_logout_s`."""

    def __init__(self, security: Security, parent: QObject | None = None):
        super().__init__(parent)
        self.security = security
        self.timer = QTimer(self, interval=1000)
        self.timer.timeout.connect(security.check_idle)
        security.subscribe(self._session_changed)
        app = QApplication.instance()
        assert app is not None, "the idle logout watches the running application's input"
        app.installEventFilter(self)

    def _session_changed(self, session: Session | None) -> None:
        if session is not None and self.security.config.idle_logout_s > 0:
            self.timer.start()
        else:
            self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS and self.timer.isActive():
            self.security.touch()
        return False

    def close(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


class FirstRunNotice(QFrame):
    """A bar under the navigation while the station has no users: nobody can act until one exists."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("FirstRunNotice")
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 12, 6)
        self.text = QLabel(
            self.tr("No users yet: create an administrator. Until then this station is view-only.")
        )
        row.addWidget(self.text)
        row.addStretch(1)
        self.button = QPushButton(self.tr("Create administrator…"))
        row.addWidget(self.button)


class SessionControls(QObject):
    """What the main window shows of the session: `menu`, status `label`, first-run `notice`."""

    changed = Signal()

    def __init__(self, runtime: Runtime, window: QMainWindow):
        super().__init__(window)
        self.runtime = runtime
        self.security = runtime.security
        self.window = window
        self.users_view: UsersView | None = None
        self.audit_view: AuditView | None = None
        self.notice = FirstRunNotice()
        self.notice.button.clicked.connect(self.create_first_admin)
        self.menu = QMenu(self.tr("&User"), window)
        # The user in the status bar opens the same menu: in operator mode the menu bar is hidden.
        self.label = QToolButton(autoRaise=True, popupMode=QToolButton.ToolButtonPopupMode.InstantPopup)
        self.label.setObjectName("SessionUser")
        self.label.setMenu(self.menu)
        self.login_action = self._add(self.tr("&Log in…"), self.log_in)
        self.switch_action = self._add(self.tr("&Switch user…"), self.log_in)
        self.logout_action = self._add(self.tr("Log &out"), lambda: self.security.logout())
        self.password_action = self._add(self.tr("Change my &password…"), self.change_password)
        self.authorise_action = self._add(self.tr("Supervisor &authorisation…"), self.authorise)
        self.authorise_action.setToolTip(
            self.tr("A user whose role may do it signs for the next action at this station")
        )
        self.menu.addSeparator()
        self.users_action = self._add(self.tr("&Manage users…"), self.show_users)
        self._add(self.tr("&Audit trail…"), self.show_audit)
        self.idle = IdleLogout(self.security, self)
        self._unsubscribe = self.security.subscribe(lambda _session: self._update())
        self._update()

    def _add(self, text: str, slot: object) -> QAction:
        action = QAction(text, self.window)
        action.triggered.connect(slot)
        self.menu.addAction(action)
        return action

    @property
    def actor(self) -> str:
        """Who acts from this window now: the logged-in user, or '' (the engine refuses '')."""
        return self.security.actor

    def refused(self, action: Permission | str) -> str | None:
        """Why the current user may not do `action` now, in words (the engine's answer), or None."""
        return refused(self.security, action)

    def refuse(self, action: Permission | str) -> bool:
        """True, after saying why in the status bar and a message box, when `action` is not permitted
        now; a signed action first asks for the signature. The last guard behind disabled controls."""
        reason = self.refused(action)
        if reason is not None and self.needs_signature(action):
            return not self.sign_for(action)
        if reason is None:
            return False
        self.window.statusBar().showMessage(self.tr("Not permitted: %s") % reason, 10000)
        QMessageBox.warning(self.window, self.tr("Not permitted"), reason)
        return True

    def needs_signature(self, action: Permission | str) -> bool:
        """The user's role may, but each time only with an e-signature."""
        session = self.security.session
        action = Permission(action)
        return (
            session is not None
            and action in self.security.config.signed
            and action in self.security.config.permissions(session.role)
        )

    def sign_for(self, action: Permission | str) -> bool:
        """The e-signature of one signed action by the logged-in user; True once given."""
        return bool(SignDialog(self.security, Permission(action), self.actor, self.window).exec())

    def authorise(self) -> bool:
        """A supervisor signs for the next action at this station; controls enable for it at once."""
        if not SignDialog(self.security, None, "", self.window).exec():
            return False
        self.window.statusBar().showMessage(self.tr("Authorised for one action"), 10000)
        self._update()
        return True

    def _update(self) -> None:
        session = self.security.session
        if session is None:
            self.label.setText(self.tr("Not logged in (view only)"))
        else:
            self.label.setText(self.tr("User: %s (%s)") % (session.user, role_name(session.role)))
        tip = self.tr("Log in, log out, users, audit")
        self.label.setToolTip(f"{session.full_name}\n{tip}" if session and session.full_name else tip)
        self.login_action.setEnabled(session is None)
        self.switch_action.setEnabled(session is not None)
        self.logout_action.setEnabled(session is not None)
        self.password_action.setEnabled(session is not None)
        self.users_action.setEnabled(self.refused("manage_users") is None)
        self.notice.setVisible(self.security.needs_first_user())
        self.changed.emit()

    def log_in(self) -> bool:
        if self.security.needs_first_user():
            return self.create_first_admin()
        return bool(LoginDialog(self.security, self.window).exec())

    def change_password(self) -> bool:
        return bool(PasswordDialog(self.security, self.actor, self.actor, self.window, own=True).exec())

    def create_first_admin(self) -> bool:
        """The first-run dialog; the new administrator is logged in right away."""
        dialog = UserDialog(self.security, "", first=True, parent=self.window)
        if not dialog.exec():
            return False
        self.security.login(dialog.name.text(), dialog.password.first.text())
        return True

    def show_users(self) -> None:
        if self.users_view is None:
            self.users_view = UsersView(self.security, lambda: self.actor, self.window)
        self.users_view.model.reload()
        self.users_view.show()
        self.users_view.raise_()

    def show_audit(self) -> None:
        if self.audit_view is None:
            self.audit_view = AuditView(self.runtime.audit, self.runtime.storage, self.window)
        self.audit_view.show()
        self.audit_view.raise_()
        self.audit_view.search()

    def close(self) -> None:
        self.idle.close()
        self._unsubscribe()
        for view in (self.users_view, self.audit_view):
            if view is not None:
                view.close()
