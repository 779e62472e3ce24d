"""Operator dialogs: entering a setpoint with its limits in view, and confirming a command."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from hmi.errors import WriteRefused
from hmi.project.model import Tag
from hmi.quality import Sample
from hmi.writes import coerce


def _shown(tag: Tag, sample: Sample) -> str:
    if sample.value is None:
        return "----"
    text = f"{sample.value:g}" if isinstance(sample.value, float) else str(sample.value)
    units = f" {tag.units}" if tag.units else ""
    bad = "" if sample.good else f"   ({sample.quality.name.lower()}: {sample.reason})"
    return text + units + bad


class SetpointDialog(QDialog):
    """New value for a tag: shows current value, units and limits; checks the entry as typed."""

    def __init__(self, tag: Tag, sample: Sample, parent: QWidget | None = None):
        super().__init__(parent)
        self.tag = tag
        self.value: object = None
        self.setWindowTitle(self.tr("Change {0}").format(tag.name))
        form = QFormLayout()
        form.addRow(self.tr("Tag"), QLabel(f"<b>{tag.name}</b>  {tag.description}"))
        form.addRow(self.tr("Current value"), QLabel(_shown(tag, sample)))
        if tag.write_limits is not None:
            low, high = tag.write_limits
            form.addRow(self.tr("Limits"), QLabel(f"{low:g} … {high:g} {tag.units}"))
        self.entry = QLineEdit()
        if sample.value is not None:
            self.entry.setText(f"{sample.value:g}" if isinstance(sample.value, float) else str(sample.value))
        self.entry.selectAll()
        form.addRow(self.tr("New value"), self.entry)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b000b0;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._confirm)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.entry.textChanged.connect(self._check)
        self._check()

    def _check(self) -> bool:
        try:
            self.value = coerce(self.tag, self.entry.text())
        except WriteRefused as exc:
            self.problem.setText(str(exc))
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
            return False
        self.problem.setText("")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
        return True

    def _confirm(self) -> None:
        if not self._check():
            return
        units = f" {self.tag.units}" if self.tag.units else ""
        if confirm(self, self.tr("Write {0}{1} to {2}?").format(f"{self.value:g}", units, self.tag.name)):
            self.accept()


def confirm(parent: QWidget, question: str) -> bool:
    box = QMessageBox(
        QMessageBox.Icon.Question,
        QCoreApplication.translate("Dialogs", "Confirm"),
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box.exec() == QMessageBox.StandardButton.Yes
