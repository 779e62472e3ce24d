"""The limit alarms of one tag (HH, H, L, LL): in use, limit, priority and deadband, checked as typed.

Other alarm kinds of the tag (deviation, rate, discrete, bad quality) are kept as they are and listed.
"""

from __future__ import annotations

from pydantic import ValidationError
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from hmi.alarms.kinds import alarm_kinds
from hmi.alarms.settings import Priority, TagAlarms
from hmi.project.model import Tag

LADDER = ("hihi", "hi", "lo", "lolo")


def alarm_summary(alarms: TagAlarms) -> str:
    """'HH 92 · H 85 · L 15 · LL 5': the enabled alarms of a tag, limits where they have one."""
    parts = []
    for kind, definition in alarms.defined():
        limit = getattr(definition, "limit", None)
        parts.append(alarm_kinds()[kind].short + (f" {limit:g}" if limit is not None else ""))
    return " · ".join(parts)


class AlarmDialog(QDialog):
    """Edit the HH/H/L/LL alarms of `tag`; after OK, `alarms` holds the new (validated) settings."""

    def __init__(self, tag: Tag, parent: QWidget | None = None):
        super().__init__(parent)
        self.tag = tag
        self.alarms = tag.alarms
        self.setWindowTitle(self.tr("Alarms of {0}").format(tag.name))
        grid = QGridLayout()
        for column, heading in enumerate(
            (self.tr("Alarm"), self.tr("Limit"), self.tr("Priority"), self.tr("Deadband"))
        ):
            grid.addWidget(QLabel(f"<b>{heading}</b>"), 0, column)
        self.rows: dict[str, tuple[QCheckBox, QLineEdit, QComboBox, QLineEdit]] = {}
        names = {
            "hihi": self.tr("HH  very high"),
            "hi": self.tr("H  high"),
            "lo": self.tr("L  low"),
            "lolo": self.tr("LL  very low"),
        }
        for row, kind in enumerate(LADDER, start=1):
            definition = getattr(tag.alarms, kind)
            used = QCheckBox(names[kind])
            used.setChecked(definition is not None and definition.enabled)
            limit = QLineEdit(f"{definition.limit:g}" if definition is not None else "")
            priority = QComboBox()
            for p in Priority:
                priority.addItem(f"{p.number} {QCoreApplication.translate('Alarms', p.value)}", p.value)
            priority.setCurrentIndex(
                list(Priority).index(definition.priority if definition else Priority.MEDIUM)
            )
            deadband = QLineEdit(f"{definition.deadband:g}" if definition is not None else "0")
            for column, widget in enumerate((used, limit, priority, deadband)):
                grid.addWidget(widget, row, column)
            self.rows[kind] = (used, limit, priority, deadband)
            used.toggled.connect(self._check)
            limit.textChanged.connect(self._check)
            priority.currentIndexChanged.connect(self._check)
            deadband.textChanged.connect(self._check)
        others = [alarm_kinds()[k].short for k, _ in tag.alarms.defined() if k not in LADDER]
        layout = QVBoxLayout(self)
        units = f" ({tag.units})" if tag.units else ""
        layout.addWidget(QLabel(self.tr("Limits and deadbands in the tag's units{0}.").format(units)))
        layout.addLayout(grid)
        if others:
            layout.addWidget(QLabel(self.tr("Also defined, kept as they are: {0}").format(", ".join(others))))
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b000b0;")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._check()

    def _built(self) -> TagAlarms:
        """The alarms as entered; raises ValueError or ValidationError saying what is wrong."""
        data = self.tag.alarms.model_dump(exclude_none=True)
        for kind, (used, limit, priority, deadband) in self.rows.items():
            if not used.isChecked():
                data.pop(kind, None)
                continue
            try:
                values = {"limit": float(limit.text()), "deadband": float(deadband.text() or 0)}
            except ValueError:
                raise ValueError(
                    self.tr("{0}: limit and deadband must be numbers").format(used.text())
                ) from None
            data[kind] = {**data.get(kind, {}), **values, "priority": priority.currentData(), "enabled": True}
        return TagAlarms.model_validate(data)

    def _check(self) -> bool:
        try:
            self.alarms = self._built()
        except (ValueError, ValidationError) as exc:
            text = str(exc)
            if isinstance(exc, ValidationError):
                text = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
            self.problem.setText(text)
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
            return False
        self.problem.setText("")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
        return True

    def _accept(self) -> None:
        if self._check():
            self.accept()
