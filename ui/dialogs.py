"""Operator dialogs: entering a setpoint with its limits in view, and confirming a command in words:
the object's name, the action ("Stop pump P-101?") and the value before and after, with units."""

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


def _tr(text: str) -> str:
    return QCoreApplication.translate("Dialogs", text)


def shown_value(tag: Tag, value: object) -> str:
    """A value as the operator reads it: on/off for a Boolean, the number with the tag's units."""
    if value is None:
        return "----"
    if tag.type == "Boolean" or isinstance(value, bool):
        return _tr("on") if value else _tr("off")
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{text} {tag.units}" if tag.units else text


def _shown(tag: Tag, sample: Sample) -> str:
    bad = "" if sample.good else f"   ({sample.quality.name.lower()}: {sample.reason})"
    return shown_value(tag, sample.value) + bad


def command_question(kind: str, name: str, on: bool, verb: str = "") -> str:
    """'Stop pump P-101?', 'Open valve XV-201?', or the button's own word ('Reset fault P-101?')."""
    if verb:
        return _tr("%1 %2?").replace("%1", verb).replace("%2", name)
    if kind == "pump":
        return (_tr("Start pump %1?") if on else _tr("Stop pump %1?")).replace("%1", name)
    if kind == "valve":
        return (_tr("Open valve %1?") if on else _tr("Close valve %1?")).replace("%1", name)
    return (_tr("Switch on %1?") if on else _tr("Switch off %1?")).replace("%1", name)


def change_line(tag: Tag, old: object, new: object) -> str:
    """'Inlet flow setpoint: 20 m³/h → 25 m³/h', what the write changes, in the tag's own words."""
    what = tag.description or tag.name
    return f"{what}: {shown_value(tag, old)} → {shown_value(tag, new)}"


class SetpointDialog(QDialog):
    """New value for a tag: shows current value, units and limits; checks the entry as typed."""

    def __init__(self, tag: Tag, sample: Sample, parent: QWidget | None = None, label: str = ""):
        super().__init__(parent)
        self.tag = tag
        self.sample = sample
        self.label = label or tag.description or tag.name
        """What the operator calls the object: the screen item's label, else the tag's description."""
        self.value: object = None
        self.setWindowTitle(self.tr("Change {0}").format(self.label))
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
        question = self.tr("Change %1?").replace("%1", self.label)
        if confirm(self, f"{question}\n{change_line(self.tag, self.sample.value, self.value)}"):
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
