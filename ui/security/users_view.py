"""Managing the station's users: add (also the first administrator), role, password, disable, unlock.

Every change goes through hmi.security.service.Security, which checks the acting user's permission
and writes the audit row; this window only collects input and shows the outcome.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hmi.errors import HmiError
from hmi.security import Role, User
from hmi.security.passwords import password_problem
from hmi.security.service import Security

from ..alarms.model import RowsModel, clock
from ..i18n import QT_TRANSLATE_NOOP
from .permissions import role_name

PROBLEM_STYLE = "color: #b000b0;"
"""The dialogs' colour for what is wrong with an entry (as in the setpoint dialog)."""


def problem_label() -> QLabel:
    """The line under a dialog's fields that says what is wrong with the entry."""
    label = QLabel(wordWrap=True)
    label.setStyleSheet(PROBLEM_STYLE)
    return label


class PasswordFields:
    """A password typed twice, checked as typed: strength rule of the engine, and the two must match."""

    def __init__(self, form: QFormLayout, name: QLineEdit | str, new: bool = False):
        self._name = name
        self.first = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.again = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        if new:
            first = QT_TRANSLATE_NOOP("PasswordFields", "New password")
            again = QT_TRANSLATE_NOOP("PasswordFields", "New password again")
        else:
            first = QT_TRANSLATE_NOOP("PasswordFields", "Password")
            again = QT_TRANSLATE_NOOP("PasswordFields", "Password again")
        form.addRow(QCoreApplication.translate("PasswordFields", first), self.first)
        form.addRow(QCoreApplication.translate("PasswordFields", again), self.again)

    def problem(self) -> str:
        name = self._name if isinstance(self._name, str) else self._name.text()
        password = self.first.text()
        problem = password_problem(name, password)
        if problem is not None:
            return problem
        if password != self.again.text():
            return QCoreApplication.translate("PasswordFields", "the two passwords differ")
        return ""


class UserDialog(QDialog):
    """A new user; `first`: the station has none yet, so it is an administrator added by anyone."""

    def __init__(self, security: Security, actor: str, first: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.security = security
        self.actor = actor
        self.setWindowTitle(self.tr("Create the first administrator") if first else self.tr("Add user"))
        form = QFormLayout()
        self.name = QLineEdit()
        self.full_name = QLineEdit()
        self.role = QComboBox()
        for role in Role:
            self.role.addItem(role_name(role), role)
        if first:
            self.role.setCurrentIndex(self.role.findData(Role.ADMINISTRATOR))
            self.role.setEnabled(False)
        form.addRow(self.tr("User name"), self.name)
        form.addRow(self.tr("Full name"), self.full_name)
        form.addRow(self.tr("Role"), self.role)
        self.password = PasswordFields(form, self.name)
        self.problem = problem_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._create)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if first:
            layout.addWidget(
                QLabel(
                    self.tr(
                        "Nobody can log in yet. The administrator you create here manages the other users."
                    )
                )
            )
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        for field in (self.name, self.password.first, self.password.again):
            field.textChanged.connect(self._check)
        self._check()
        self.setMinimumWidth(420)

    def _check(self) -> bool:
        problem = self.tr("enter a user name") if not self.name.text() else self.password.problem()
        self.problem.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)
        return not problem

    def _create(self) -> None:
        if not self._check():
            return
        try:
            self.security.add_user(
                self.actor,
                self.name.text(),
                self.role.currentData(),
                self.password.first.text(),
                self.full_name.text(),
            )
        except HmiError as exc:
            self.problem.setText(str(exc))
            return
        self.accept()


class PasswordDialog(QDialog):
    """Set another user's password (a manager of users), or your own (`own`: after your current one)."""

    def __init__(
        self, security: Security, actor: str, name: str, parent: QWidget | None = None, own: bool = False
    ):
        super().__init__(parent)
        self.security, self.actor, self.user = security, actor, name
        form = QFormLayout()
        self.current: QLineEdit | None = None
        if own:
            self.setWindowTitle(self.tr("Change your password"))
            self.current = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
            form.addRow(self.tr("Current password"), self.current)
        else:
            self.setWindowTitle(self.tr("New password for %s") % name)
        self.password = PasswordFields(form, name, new=True)
        self.problem = problem_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._set)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        for field in (self.password.first, self.password.again):
            field.textChanged.connect(self._check)
        self._check()
        self.setMinimumWidth(380)

    def _check(self) -> bool:
        problem = self.password.problem()
        self.problem.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)
        return not problem

    def _set(self) -> None:
        if not self._check():
            return
        current = None if self.current is None else self.current.text()
        try:
            self.security.change_password(self.actor, self.user, self.password.first.text(), current)
        except HmiError as exc:
            self.problem.setText(str(exc))
            return
        self.accept()


class UsersModel(RowsModel):
    COLUMNS = (
        QT_TRANSLATE_NOOP("Alarms", "User"),
        QT_TRANSLATE_NOOP("Alarms", "Full name"),
        QT_TRANSLATE_NOOP("Alarms", "Role"),
        QT_TRANSLATE_NOOP("Alarms", "State"),
        QT_TRANSLATE_NOOP("Alarms", "Changed"),
    )

    def __init__(self, security: Security) -> None:
        super().__init__()
        self.security = security
        self.rows: list[User] = []

    def reload(self) -> None:
        self.beginResetModel()
        self.rows = self.security.users.users()
        self.endResetModel()

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        user = self.rows[index.row()]
        state = self.tr("enabled") if user.enabled else self.tr("disabled")
        if user.locked(self.security.clock()):
            state += self.tr(", locked until %s") % clock(user.locked_until)
        return (user.name, user.full_name, role_name(user.role), state, clock(user.changed))[index.column()]


class UsersView(QWidget):
    """The 'Manage users' window; `actor()` is whoever is logged in when a button is pressed."""

    def __init__(self, security: Security, actor: Callable[[], str], parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("Users"))
        self.security = security
        self.actor = actor
        self.model = UsersModel(security)
        self.table = QTableView()
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        for column, width in ((0, 140), (2, 120), (3, 300), (4, 160)):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.role = QComboBox()
        for role in Role:
            self.role.addItem(role_name(role), role)
        buttons = QHBoxLayout()
        for text, slot in (
            (self.tr("Add user…"), self.add_user),
            (self.tr("Set password…"), self.set_password),
            (self.tr("Disable"), lambda: self._change(lambda a, n: security.set_enabled(a, n, False))),
            (self.tr("Enable"), lambda: self._change(lambda a, n: security.set_enabled(a, n, True))),
            (self.tr("Unlock"), lambda: self._change(security.unlock)),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(QLabel(self.tr("Role")))
        buttons.addWidget(self.role)
        set_role = QPushButton(self.tr("Set role"))
        set_role.clicked.connect(
            lambda: self._change(lambda a, n: security.set_role(a, n, self.role.currentData()))
        )
        buttons.addWidget(set_role)
        self.problem = problem_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.problem)
        self.resize(900, 420)
        self.model.reload()

    def selected(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()].name if rows else None

    def add_user(self) -> None:
        if UserDialog(self.security, self.actor(), parent=self).exec():
            self.model.reload()

    def set_password(self) -> None:
        name = self.selected()
        if name is None:
            self.problem.setText(self.tr("Select a user first"))
        elif PasswordDialog(self.security, self.actor(), name, self).exec():
            self.problem.setText(self.tr("Password of %s changed") % name)

    def _change(self, change: Callable[[str, str], object]) -> None:
        name = self.selected()
        if name is None:
            self.problem.setText(self.tr("Select a user first"))
            return
        try:
            change(self.actor(), name)
        except HmiError as exc:
            self.problem.setText(str(exc))
            return
        self.problem.setText("")
        self.model.reload()
