"""The project's OPC-UA connections: add, edit, remove (endpoint, security, identity) as one undoable
edit; a connection can be tried, with the server certificate's trust flow. A password is typed here
to try it or to keep it in the OS keyring, never written into the project (see hmi.opcua.credentials).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from pydantic import ValidationError
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hmi.errors import HmiError
from hmi.opcua.browse import Browser
from hmi.opcua.credentials import keyring_available, store_password
from hmi.opcua.security import CertificateRefused, Pki
from hmi.permissions import Refusal
from hmi.project.model import SECURITY_POLICIES, TAG_NAME, Connection, SourceConfig
from hmi.project.refactor import unique_name
from hmi.security import Permission
from hmi.security.service import Security

from ..bridge import settle
from ..security.login import LoginDialog
from ..security.permissions import refused
from ..security.trust_dialog import TrustDialog
from ..security.users_view import PROBLEM_STYLE, problem_label
from .commands import edit_connections
from .document import Document

log = logging.getLogger(__name__)

MODES = ("None", "Sign", "SignAndEncrypt")
KINDS = ("anonymous", "username", "certificate")


def station_pki(security: Security | None) -> Pki:
    """The certificate store, trusting through the station's check point: an administrator's, audited."""
    if security is None:
        why = Refusal("this station has no users yet: create an administrator, or use hmi certs trust")
        return Pki(authorize=lambda _action, _actor: why)
    return Pki(authorize=security.authorize, audit=security.audit)


async def _answer(dialog: QDialog) -> bool:
    """Show a dialog without a nested event loop (the engine's loop keeps running) and await it."""
    done: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    dialog.finished.connect(lambda result: settle(done, result))
    dialog.open()
    return await done == QDialog.DialogCode.Accepted


def _tr(text: str) -> str:
    return QCoreApplication.translate("ConnectionsDialog", text)


async def connect_trusting(
    config: Connection,
    name: str,
    parent: QWidget,
    security: Security | None,
    password: Callable[[], str],
) -> Browser:
    """An open browse session; a certificate not trusted yet is shown for an administrator to trust
    (logging one in first), then tried again. Raises HmiError (why) when there is no session.
    The trust dialog, while open, is `parent.trust_dialog`."""
    pki = station_pki(security)
    for _attempt in range(2):
        browser = Browser(config, name=name, pki=pki, credentials=lambda _c, _u: password() or None)
        try:
            await browser.connect()
            return browser
        except CertificateRefused as exc:
            await browser.close()
            if security is not None and refused(security, Permission.TRUST_CERTIFICATE):
                intro = _tr("Trusting a server certificate is for an administrator: log in as one.")
                await _answer(LoginDialog(security, parent, intro=intro))
            parent.trust_dialog = dialog = TrustDialog(exc.info, pki, parent, security)
            if not await _answer(dialog):
                raise
    raise HmiError(_tr("The server's certificate is still refused"))


class ConnectionForm(QWidget):
    """One connection's fields; `config()` is the model they make (ValidationError when they do not)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.name = QLineEdit(placeholderText="plant")
        self.endpoint = QLineEdit(placeholderText="opc.tcp://host:4840")
        self.mode = QComboBox()
        self.mode.addItems(MODES)
        self.policy = QComboBox()
        self.policy.addItems(SECURITY_POLICIES)
        self.kind = QComboBox()
        for kind, words in zip(
            KINDS, (self.tr("Anonymous"), self.tr("User name"), self.tr("User certificate")), strict=True
        ):
            self.kind.addItem(words, kind)
        self.user = QLineEdit()
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("only to try it or keep it in the keyring"))
        self.remember = QCheckBox(self.tr("Keep the password in the OS keyring"))
        if not keyring_available():
            self.remember.setEnabled(False)
            self.remember.setToolTip(self.tr("This computer offers no keyring"))
        self.certificate = QLineEdit(placeholderText="user.der")
        self.private_key = QLineEdit(placeholderText="user.pem")
        self.form = form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Endpoint"), self.endpoint)
        form.addRow(self.tr("Security mode"), self.mode)
        form.addRow(self.tr("Security policy"), self.policy)
        form.addRow(self.tr("Identity"), self.kind)
        form.addRow(self.tr("User"), self.user)
        form.addRow(self.tr("Password"), self.password)
        form.addRow("", self.remember)
        form.addRow(self.tr("Certificate file"), self.certificate)
        form.addRow(self.tr("Private key file"), self.private_key)
        self.hint = QLabel(self.tr("Certificate and key files are looked up in the app's pki/user/ folder."))
        self.hint.setWordWrap(True)
        form.addRow("", self.hint)
        self.mode.currentTextChanged.connect(self._shown)
        self.kind.currentIndexChanged.connect(self._shown)
        self._shown()

    def _shown(self) -> None:
        kind = self.kind.currentData()
        self.form.setRowVisible(self.policy, self.mode.currentText() != "None")
        for widget in (self.user, self.password, self.remember):
            self.form.setRowVisible(widget, kind == "username")
        for widget in (self.certificate, self.private_key, self.hint):
            self.form.setRowVisible(widget, kind == "certificate")

    def set_config(self, name: str, config: Connection) -> None:
        self.name.setText(name)
        self.endpoint.setText(config.endpoint)
        self.mode.setCurrentText(config.security.mode)
        self.policy.setCurrentText(config.security.policy or SECURITY_POLICIES[0])
        self.kind.setCurrentIndex(KINDS.index(config.identity.kind))
        self.user.setText(config.identity.user or "")
        self.password.clear()
        self.certificate.setText(config.identity.certificate or "")
        self.private_key.setText(config.identity.private_key or "")

    def config(self, base: Connection | None = None) -> Connection:
        """The connection the fields describe, keeping `base`'s other settings (intervals, backups)."""
        mode = self.mode.currentText()
        kind = self.kind.currentData()
        identity: dict[str, str] = {"kind": kind}
        if kind == "username":
            identity["user"] = self.user.text().strip()
        elif kind == "certificate":
            identity |= {
                "certificate": self.certificate.text().strip(),
                "private_key": self.private_key.text().strip(),
            }
        data = base.model_dump() if base is not None else {}
        return Connection.model_validate(
            {
                **data,
                "endpoint": self.endpoint.text().strip(),
                "security": {"mode": mode, "policy": None if mode == "None" else self.policy.currentText()},
                "identity": identity,
            }
        )

    def connection_name(self) -> str:
        return self.name.text().strip()

    def keep_password(self) -> None:
        """Into the keyring, when asked to and there is one to keep."""
        config = self.config()
        if self.remember.isChecked() and self.password.text() and config.identity.user:
            store_password(config.endpoint, config.identity.user, self.password.text())


def problem_text(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"{where}: {err['msg'].removeprefix('Value error, ')}" if where else err["msg"]


class ConnectionsDialog(QDialog):
    """The project's connections in a list, the chosen one's form beside it; OK makes one undoable edit."""

    def __init__(self, document: Document, security: Security | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Connections"))
        self.document = document
        self.security = security
        self.trust_dialog: TrustDialog | None = None
        connections = document.folder.project.connections
        self.rows: list[tuple[str | None, str, SourceConfig]] = [(n, n, c) for n, c in connections.items()]
        """(name in the project or None when added here, name now, connection)."""
        self.list = QListWidget()
        self.list.addItems([n for _, n, _ in self.rows])
        self.form = ConnectionForm()
        self.problem = problem_label()
        self.add_button = QPushButton(self.tr("Add"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.test_button = QPushButton(self.tr("Try connection"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        self.test_button.clicked.connect(lambda: asyncio.ensure_future(self.try_connection()))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._current = -1
        self.list.currentRowChanged.connect(self._chosen)
        side = QVBoxLayout()
        side.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        side.addLayout(row)
        main = QVBoxLayout()
        main.addWidget(self.form)
        main.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignLeft)
        main.addWidget(self.problem)
        main.addStretch(1)
        body = QHBoxLayout()
        body.addLayout(side, 1)
        body.addLayout(main, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(self.buttons)
        self.setMinimumSize(760, 480)
        self.list.setCurrentRow(0 if self.rows else -1)
        self._chosen(self.list.currentRow())

    # -- the list ------------------------------------------------------------------------------

    def _commit(self) -> bool:
        """The form into its row; False (and why, in view) when it does not make a connection."""
        if self._current < 0:
            return True
        old, _, config = self.rows[self._current]
        if not isinstance(config, Connection):
            return True  # kept as it is in project.yaml
        name = self.form.connection_name()
        try:
            if not TAG_NAME.match(name) or "." in name:
                raise ValueError(self.tr("A connection's name is letters, digits and _ (e.g. plant)"))
            if any(n == name for i, (_, n, _) in enumerate(self.rows) if i != self._current):
                raise ValueError(self.tr("Another connection is called {0}").format(name))
            config = self.form.config(config)
        except ValidationError as exc:
            self.problem.setText(problem_text(exc))
            return False
        except ValueError as exc:
            self.problem.setText(str(exc))
            return False
        self.form.keep_password()
        self.rows[self._current] = (old, name, config)
        self.list.item(self._current).setText(name)
        self.problem.clear()
        return True

    def _chosen(self, row: int) -> None:
        if row == self._current:
            return
        if not self._commit():
            self.list.blockSignals(True)
            self.list.setCurrentRow(self._current)
            self.list.blockSignals(False)
            return
        self._current = row
        config = self.rows[row][2] if row >= 0 else None
        self.form.setEnabled(isinstance(config, Connection))
        self.test_button.setEnabled(isinstance(config, Connection))
        self.problem.setStyleSheet("")
        self.problem.clear()
        if isinstance(config, Connection):
            self.form.set_config(self.rows[row][1], config)
        elif config is not None:
            self.problem.setText(
                self.tr(
                    "{0} is a {1} connection: this dialog edits OPC-UA servers; {0} stays as in project.yaml."
                ).format(self.rows[row][1], config.kind)
            )
        self._allow_remove()

    def _allow_remove(self) -> None:
        row = self._current
        users = 0
        if row >= 0 and self.rows[row][0] is not None:
            users = sum(1 for t in self.document.folder.project.tags if t.connection == self.rows[row][0])
        self.remove_button.setEnabled(row >= 0 and users == 0)
        self.remove_button.setToolTip(
            self.tr("%n tag(s) use this connection: give them another one first", "", users) if users else ""
        )

    def add(self) -> None:
        if not self._commit():
            return
        name = unique_name("server", {n for _, n, _ in self.rows})
        self.rows.append((None, name, Connection(endpoint="opc.tcp://localhost:4840")))
        self.list.addItem(name)
        self.list.setCurrentRow(len(self.rows) - 1)

    def remove(self) -> None:
        row = self._current
        if row < 0:
            return
        del self.rows[row]
        self._current = -1
        self.list.blockSignals(True)
        self.list.takeItem(row)
        self.list.blockSignals(False)
        self._chosen(self.list.currentRow())

    # -- trying and saving -----------------------------------------------------------------------

    async def try_connection(self) -> bool:
        if not self._commit():
            return False
        _, name, config = self.rows[self._current]
        if not isinstance(config, Connection):
            return False
        self.problem.setStyleSheet("")
        self.problem.setText(self.tr("Connecting to {0}…").format(config.endpoint))
        try:
            browser = await connect_trusting(config, name, self, self.security, self.form.password.text)
        except HmiError as exc:
            self.problem.setStyleSheet(PROBLEM_STYLE)
            self.problem.setText(str(exc))
            return False
        await browser.close()
        self.problem.setText(self.tr("Connected to {0}").format(config.endpoint))
        return True

    def accept(self) -> None:
        if not self._commit():
            return
        connections = {name: config for _, name, config in self.rows}
        renamed = {old: name for old, name, _ in self.rows if old is not None and old != name}
        edit_connections(self.document, self.tr("Edit connections"), connections, renamed)
        super().accept()
