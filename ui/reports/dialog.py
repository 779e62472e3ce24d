"""File > Reports: make one of the project's reports as PDF for a chosen period, on demand."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDateTime, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QWidget,
)

from hmi.errors import HmiError
from hmi.reports.data import collect
from hmi.reports.pdf import render
from hmi.reports.schedule import last_period
from hmi.runtime import Runtime

from .texts import translate

DAY = 86400.0


class ReportsDialog(QDialog):
    """Pick a report and a period (by default its last scheduled one), then where to save the PDF."""

    def __init__(self, runtime: Runtime, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Reports"))
        self.runtime = runtime
        self.reports = runtime.folder.project.reports
        self.report = QComboBox()
        for name, report in self.reports.items():
            self.report.addItem(report.title or name, name)
        self.start = QDateTimeEdit(calendarPopup=True, displayFormat="yyyy-MM-dd HH:mm")
        self.end = QDateTimeEdit(calendarPopup=True, displayFormat="yyyy-MM-dd HH:mm")
        self.message = QLabel(wordWrap=True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save = buttons.addButton(self.tr("Save PDF…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.save.clicked.connect(self.choose_file)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Report"), self.report)
        form.addRow(self.tr("From"), self.start)
        form.addRow(self.tr("To"), self.end)
        form.addRow(self.message)
        form.addRow(buttons)
        self.report.currentIndexChanged.connect(self._last_period)
        if not self.reports:
            self.save.setEnabled(False)
            self.message.setText(
                self.tr("This project has no reports: add one under reports: in project.yaml.")
            )
        self._last_period()
        self._task: asyncio.Task[None] | None = None

    def _last_period(self) -> None:
        name = self.report.currentData()
        now = time.time()
        schedule = self.reports[name].schedule if name in self.reports else []
        start, end = last_period(schedule, now) if schedule else (now - DAY, now)
        self.start.setDateTime(QDateTime.fromSecsSinceEpoch(int(start)))
        self.end.setDateTime(QDateTime.fromSecsSinceEpoch(int(end)))

    def choose_file(self) -> None:
        name = self.report.currentData()
        suggested = f"{name}-{self.end.dateTime().toString('yyyyMMdd-HHmm')}.pdf"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save report"), suggested, self.tr("PDF files (*.pdf)")
        )
        if path:
            self._task = asyncio.ensure_future(self.make(name, Path(path)))

    async def make(self, name: str, path: Path) -> None:
        start, end = self.start.dateTime().toSecsSinceEpoch(), self.end.dateTime().toSecsSinceEpoch()
        if start >= end:
            self.message.setText(self.tr("The period must end after it starts."))
            return
        runtime = self.runtime
        self.save.setEnabled(False)
        try:
            data = await asyncio.to_thread(collect, runtime.folder, name, start, end, runtime.storage)
            await asyncio.to_thread(render, data, path, translate)
        except (HmiError, OSError) as exc:
            self.message.setText(self.tr("Not saved: {0}").format(exc))
        else:
            self.message.setText(self.tr("Saved {0}").format(path))
        finally:
            self.save.setEnabled(True)


def reports_action(parent: QWidget, runtime: Runtime) -> QAction:
    """The File menu's entry that opens the dialog."""
    action = QAction(QCoreApplication.translate("ReportsDialog", "&Reports…"), parent)
    action.setToolTip(QCoreApplication.translate("ReportsDialog", "Make a shift or day report as PDF"))

    def open_dialog() -> None:
        dialog = ReportsDialog(runtime, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    action.triggered.connect(open_dialog)
    return action
