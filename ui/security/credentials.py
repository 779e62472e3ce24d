"""The password of a connection's user identity: from the OS keyring, else asked in a dialog.

`PasswordPrompt` is the `credentials` provider the window gives the engine: the engine only calls it,
and never keeps the password anywhere but in memory.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from hmi.opcua.credentials import keyring_available, store_password, stored_password
from hmi.project.model import Connection as ConnectionConfig
from hmi.project.model import SourceConfig

from ..bridge import settle


class PasswordDialog(QDialog):
    """Password entry for one user on one server, optionally kept in the OS keyring."""

    def __init__(
        self, connection: str, user: str, endpoint: str, retry: bool = False, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Log in to %s") % connection)
        intro = QLabel(self.tr("The server asks for the password of this user."), wordWrap=True)
        self.problem = QLabel(
            self.tr("The server refused the last password: enter it again.") if retry else "", wordWrap=True
        )
        self.problem.setVisible(retry)
        self.problem.setObjectName("ConnectionLost")
        self.problem.setMargin(4)
        self.entry = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(self.tr("Remember in the OS keyring"))
        if not keyring_available():
            self.remember.setEnabled(False)
            self.remember.setToolTip(self.tr("This computer offers no keyring"))
        form = QFormLayout()
        form.addRow(self.tr("Server"), QLabel(endpoint))
        form.addRow(self.tr("User"), QLabel(f"<b>{user}</b>"))
        form.addRow(self.tr("Password"), self.entry)
        form.addRow("", self.remember)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.problem)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)


class PasswordPrompt:
    """Credentials provider: the keyring's password first; the dialog when there is none, or it failed."""

    def __init__(self, connections: Mapping[str, SourceConfig]):
        # Only OPC-UA connections log in as a user.
        self._endpoints = {n: c.endpoint for n, c in connections.items() if isinstance(c, ConnectionConfig)}
        self._asked: set[tuple[str, str]] = set()
        self.dialog: PasswordDialog | None = None
        """The dialog while it is open (tests answer it)."""

    async def __call__(self, connection: str, user: str) -> str | None:
        endpoint = self._endpoints[connection]
        retry = (connection, user) in self._asked  # asked before: the server refused that password
        self._asked.add((connection, user))
        if not retry:
            stored = await asyncio.to_thread(stored_password, endpoint, user)
            if stored is not None:
                return stored
        dialog = self.dialog = PasswordDialog(connection, user, endpoint, retry, QApplication.activeWindow())
        done: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        dialog.finished.connect(lambda result: settle(done, result))
        dialog.open()
        try:
            accepted = await done == QDialog.DialogCode.Accepted
            password, remember = dialog.entry.text(), dialog.remember.isChecked()
        finally:
            self.dialog = None
            dialog.close()
            dialog.deleteLater()
        if not accepted:
            return None
        if remember:
            await asyncio.to_thread(store_password, endpoint, user, password)
        return password
