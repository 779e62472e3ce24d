"""Review a server certificate a connection refused, and trust it or keep it rejected.

Trusting is always this explicit choice, and an administrator's (the engine checks and audits it in
Pki.trust); the main window offers it through a status-bar notice.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hmi.errors import HmiError
from hmi.opcua import CertInfo, Connection, ConnectionStatus, Pki
from hmi.security import Permission
from hmi.security.service import Security

from .permissions import refused


def _fingerprint_lines(fingerprint: str) -> str:
    """95 characters in two lines of 16 bytes, as people compare them with the server's screen."""
    return fingerprint[:47] + "\n" + fingerprint[48:]


class TrustDialog(QDialog):
    """A refused server certificate: who it claims to be, validity, SHA-256; Trust or Keep rejected."""

    trusted = Signal(str)
    """The fingerprint, once the certificate was moved to the trusted ones."""

    def __init__(
        self, info: CertInfo, pki: Pki, parent: QWidget | None = None, security: Security | None = None
    ):
        super().__init__(parent)
        self.info = info
        self.pki = pki
        self.security = security
        """The station's users: Trust is for those who may (without: a tool's store, open to all)."""
        changed = info.state == "changed"
        self.setWindowTitle(
            self.tr("Server certificate changed") if changed else self.tr("Server certificate")
        )
        if changed:
            text = self.tr(
                "The certificate of this server has CHANGED since it was trusted. Trust it only if you "
                "know the server was given a new certificate; otherwise someone may be impersonating it."
            )
        else:
            text = self.tr(
                "This server's certificate is not trusted yet, so the connection was refused. Compare the "
                "fingerprint with the one the server's administrator gives you before trusting it."
            )
        self.headline = QLabel(text, wordWrap=True)
        if changed:
            self.headline.setObjectName("ConnectionLost")  # the theme's abnormal-state highlight
            self.headline.setMargin(6)
        self.fingerprint = QLabel(_fingerprint_lines(info.fingerprint))
        self.fingerprint.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        problem = info.validity_problem()
        until = f"{info.not_after:%Y-%m-%d %H:%M} UTC"
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        rows = [
            (self.tr("Endpoint"), info.endpoint or "-"),
            (self.tr("Subject"), info.subject),
            (self.tr("Issuer"), info.issuer),
            (self.tr("Application URI"), info.application_uri or "-"),
            (self.tr("Valid from"), f"{info.not_before:%Y-%m-%d %H:%M} UTC"),
            (self.tr("Valid until"), until + (f"  ({problem})" if problem else "")),
            (
                self.tr("State"),
                self.tr("changed since trusted") if changed else self.tr("unknown (rejected)"),
            ),
        ]
        for label, value in rows:
            field = QLabel(value, wordWrap=True)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label, field)
        form.addRow(self.tr("SHA-256"), self.fingerprint)
        self.trust_button = QPushButton(self.tr("Trust"))
        self.keep_button = QPushButton(self.tr("Keep rejected"))
        buttons = QDialogButtonBox()
        buttons.addButton(self.trust_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.trust_button.setAutoDefault(False)
        self.keep_button.setDefault(True)  # the safe answer is the one Enter gives
        self.trust_button.clicked.connect(self._trust)
        self.keep_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(640)

    def allow(self) -> None:
        """Trust enabled only for a user who may; the tooltip says who may otherwise."""
        reason = None if self.security is None else refused(self.security, Permission.TRUST_CERTIFICATE)
        self.trust_button.setEnabled(reason is None)
        self.trust_button.setToolTip(reason or "")

    def showEvent(self, event: QShowEvent) -> None:
        self.allow()
        super().showEvent(event)

    def _trust(self) -> None:
        actor = self.security.actor if self.security is not None else ""
        try:
            self.pki.trust(self.info.fingerprint, actor)
        except HmiError as exc:
            QMessageBox.warning(self, self.tr("Not trusted"), str(exc))
            return
        self.trusted.emit(self.info.fingerprint)
        self.accept()


class CertificateNotice(QPushButton):
    """Status-bar button shown while a connection is refused for its server certificate."""

    def __init__(
        self, connection: Connection, parent: QWidget | None = None, security: Security | None = None
    ):
        super().__init__(parent)
        self.setObjectName("ConnectionLost")
        self.connection = connection
        self.security = security
        self.dialog: TrustDialog | None = None
        self.clicked.connect(self.review)
        self.detach = connection.on_status(self._show_status)
        self._show_status(connection.status)

    def _show_status(self, status: ConnectionStatus) -> None:
        refused = status.refused
        self.setVisible(refused is not None)
        if refused is None:
            return
        if refused.state == "changed":
            self.setText(self.tr("%s: server certificate CHANGED - Review...") % self.connection.name)
        else:
            self.setText(self.tr("%s: server certificate not trusted - Review...") % self.connection.name)
        self.setToolTip(status.detail)

    def review(self) -> None:
        """Open the trust dialog (not modal: the plant stays in view) for the refused certificate."""
        refused = self.connection.status.refused
        if refused is None:
            return
        if self.dialog is not None and self.dialog.info == refused:
            self.dialog.allow()
            self.dialog.show()
            self.dialog.raise_()
            return
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = TrustDialog(refused, self.connection.pki, self.window(), self.security)
        self.dialog.trusted.connect(lambda _fp: self.connection.retry_now())
        self.dialog.show()
