"""Signing for one action: a supervisor authorises the next action at this station, or a user gives the
e-signature a signed action needs (their password and a reason). The engine checks and audits it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from hmi.errors import HmiError
from hmi.security import Permission
from hmi.security.service import SIGNATURE_S, Security

from .permissions import permission_words
from .users_view import problem_label


class SignDialog(QDialog):
    """Name, password and reason; accepted once the engine took the signature."""

    def __init__(
        self,
        security: Security,
        action: Permission | None = None,
        signer: str = "",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.security = security
        self.action = action
        if action is None:
            self.setWindowTitle(self.tr("Supervisor authorisation"))
            intro = self.tr(
                "A user whose role may do it authorises the next action at this station "
                "(within %n s). Both names and the reason go into the audit trail.",
                "",
                round(SIGNATURE_S),
            )
        else:
            self.setWindowTitle(self.tr("Electronic signature"))
            intro = self.tr("To %s needs an electronic signature: your password and a reason.") % (
                permission_words(action)
            )
        self.intro = QLabel(intro, wordWrap=True)
        self.name = QLineEdit(signer)
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.reason = QLineEdit(placeholderText=self.tr("Why (kept in the audit trail)"))
        form = QFormLayout()
        form.addRow(self.tr("Signed by"), self.name)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Reason"), self.reason)
        self.problem = problem_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.addButton(self.tr("Sign"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.sign)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        (self.password if signer else self.name).setFocus()
        self.setMinimumWidth(460)

    def sign(self) -> None:
        try:
            name, password = self.name.text().strip(), self.password.text()
            self.security.sign(name, password, self.reason.text(), self.action)
        except HmiError as exc:
            self.password.clear()
            self.problem.setText(str(exc))
            return
        self.accept()
