"""Alarm performance over a period (EEMUA 191 / ISA-18.2 KPIs), the same report as `hmi alarms report`."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDateTime, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from hmi.alarms import AlarmConfig, alarm_kpis
from hmi.alarms.cli import format_report
from hmi.errors import HmiError

PERIODS = {
    QT_TRANSLATE_NOOP("AlarmKpiView", "Last 24 hours"): 1,
    QT_TRANSLATE_NOOP("AlarmKpiView", "Last 7 days"): 7,
    QT_TRANSLATE_NOOP("AlarmKpiView", "Last 30 days"): 30,
}


class AlarmKpiView(QWidget):
    """Computed on a worker thread: a month of journal must not freeze the screens."""

    def __init__(self, db_path: Path, config: AlarmConfig, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("Alarm performance"))
        self.db_path = db_path
        self.config = config
        self.period = QComboBox()
        self.presets = {self.tr(name): days for name, days in PERIODS.items()}
        self.period.addItems([*self.presets, self.tr("Custom")])
        now = QDateTime.currentDateTime()
        self.start = QDateTimeEdit(now.addDays(-1), calendarPopup=True, displayFormat="yyyy-MM-dd HH:mm")
        self.end = QDateTimeEdit(now, calendarPopup=True, displayFormat="yyyy-MM-dd HH:mm")
        self.report = QPlainTextEdit(readOnly=True)
        self.report.setFont(QFont("DejaVu Sans Mono", 10))
        row = QHBoxLayout()
        for widget in (self.period, QLabel(self.tr("From")), self.start, QLabel(self.tr("to")), self.end):
            row.addWidget(widget)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.report, 1)
        self.period.currentTextChanged.connect(self._preset)
        for editor in (self.start, self.end):
            editor.editingFinished.connect(self._custom)
        self.resize(760, 640)
        self._task: asyncio.Task[None] | None = None

    def _preset(self, text: str) -> None:
        days = self.presets.get(text)
        if days is not None:
            now = QDateTime.currentDateTime()
            self.end.setDateTime(now)
            self.start.setDateTime(now.addDays(-days))
        self.refresh()

    def _custom(self) -> None:
        if self.period.currentText() in self.presets:
            self.period.setCurrentText(self.tr("Custom"))  # refreshes through _preset
        else:
            self.refresh()

    def refresh(self) -> None:
        self._task = asyncio.ensure_future(self.compute())

    def period_bounds(self) -> tuple[float, float]:
        """A preset ends now, to the second; a custom period is what the editors say."""
        days = self.presets.get(self.period.currentText())
        if days is not None:
            end = time.time()
            return end - days * 86400, end
        return self.start.dateTime().toSecsSinceEpoch(), self.end.dateTime().toSecsSinceEpoch()

    async def compute(self) -> None:
        start, end = self.period_bounds()
        if start >= end:
            self.report.setPlainText(self.tr("The period must end after it starts."))
            return
        try:
            kpis = await asyncio.to_thread(alarm_kpis, self.db_path, start, end, self.config)
        except HmiError as exc:
            self.report.setPlainText(str(exc))
            return
        self.report.setPlainText(format_report(kpis, self.config))
