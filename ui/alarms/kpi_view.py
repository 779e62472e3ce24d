"""Alarm performance over a period (EEMUA 191 / ISA-18.2): summary figures against their targets, the
alarm rate per 10 minutes, the most frequent alarms, floods, chattering and stale alarms, and a PDF of
the same. The engine computes every figure; this view only lays them out."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDateTime, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hmi.alarms import AlarmConfig, AlarmKpis
from hmi.alarms.kpi_summary import priority_rows, summary
from hmi.errors import HmiError
from hmi.reports.data import alarm_report
from hmi.reports.pdf import render
from hmi.reports.schedule import DEFAULT_SHIFTS, last_period
from hmi.storage import Storage

from ..i18n import QT_TRANSLATE_NOOP
from ..reports.kpi_charts import RateChart, RowsModel, TopChart
from ..reports.texts import translate

log = logging.getLogger(__name__)

SHIFT = QT_TRANSLATE_NOOP("AlarmKpiView", "Last shift")
PERIODS = {
    QT_TRANSLATE_NOOP("AlarmKpiView", "Last 24 hours"): 1,
    QT_TRANSLATE_NOOP("AlarmKpiView", "Last 7 days"): 7,
}


def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M")


def _duration(seconds: float) -> str:
    return f"{seconds / 60:.0f} min" if seconds < 3600 else f"{seconds / 3600:.1f} h"


class AlarmKpiView(QWidget):
    """Computed on a worker thread: a month of journal must not freeze the screens."""

    def __init__(
        self,
        storage: Storage,
        config: AlarmConfig,
        parent: QWidget | None = None,
        *,
        shifts: list[str] | tuple[str, ...] = DEFAULT_SHIFTS,
        project: str = "",
    ):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("Alarm performance"))
        self.storage = storage
        self.config = config
        self.shifts = shifts
        self.project = project
        self.kpis: AlarmKpis | None = None
        self.period = QComboBox()
        self.presets = {self.tr(SHIFT): 0, **{self.tr(name): days for name, days in PERIODS.items()}}
        self.period.addItems([*self.presets, self.tr("Custom")])
        now = QDateTime.currentDateTime()
        self.start = QDateTimeEdit(now.addDays(-1), calendarPopup=True, displayFormat="yyyy-MM-dd HH:mm")
        self.end = QDateTimeEdit(now, calendarPopup=True, displayFormat="yyyy-MM-dd HH:mm")
        self.export = QPushButton(self.tr("Export PDF…"))
        self.export.clicked.connect(self.choose_pdf)
        self.message = QLabel()
        row = QHBoxLayout()
        for widget in (self.period, QLabel(self.tr("From")), self.start, QLabel(self.tr("to")), self.end):
            row.addWidget(widget)
        row.addWidget(self.message, 1)
        row.addWidget(self.export)

        self.figures = RowsModel([self.tr("Figure"), self.tr("Value"), self.tr("Target")], right={1})
        self.priorities = RowsModel(
            [self.tr("Priority"), self.tr("Count"), self.tr("Share"), self.tr("Target")], right={1, 2}
        )
        self.floods = RowsModel(
            [self.tr("Start"), self.tr("Duration"), self.tr("Alarms raised")], right={1, 2}
        )
        self.chattering = RowsModel([self.tr("Alarm"), self.tr("Most within a window")], right={1})
        self.stale = RowsModel([self.tr("Alarm"), self.tr("Active since"), self.tr("Active for")], right={2})
        self.rate = RateChart((self.tr("acceptable"), self.tr("manageable"), self.tr("flood")))
        self.top = TopChart()
        self.lists = QTabWidget()
        for model, title in (
            (self.floods, self.tr("Floods")),
            (self.chattering, self.tr("Chattering")),
            (self.stale, self.tr("Standing and stale")),
            (self.priorities, self.tr("Priorities")),
        ):
            self.lists.addTab(self._table(model), title)
        self.top_title = QLabel()
        bold = self.top_title.font()
        bold.setBold(True)
        self.top_title.setFont(bold)
        grid = QGridLayout()
        grid.addWidget(self._titled(self.tr("Summary"), self._table(self.figures)), 0, 0)
        grid.addWidget(self._titled(self.tr("Alarm rate per 10 minutes"), self.rate), 0, 1)
        top_box = QVBoxLayout()
        top_box.addWidget(self.top_title)
        top_box.addWidget(self.top, 1)
        grid.addLayout(top_box, 1, 0)
        grid.addWidget(self.lists, 1, 1)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addLayout(grid, 1)
        self.period.currentTextChanged.connect(self._preset)
        for editor in (self.start, self.end):
            editor.editingFinished.connect(self._custom)
        self.resize(1280, 820)
        self._task: asyncio.Task[None] | None = None
        self._preset(self.period.currentText(), refresh=False)

    def _table(self, model: RowsModel) -> QTableView:
        table = QTableView()
        table.setModel(model)
        table.verticalHeader().hide()
        table.setSelectionMode(QTableView.SelectionMode.NoSelection)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        return table

    def _titled(self, title: str, widget: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel(title)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        layout.addWidget(label)
        layout.addWidget(widget, 1)
        return box

    def _preset(self, text: str, refresh: bool = True) -> None:
        if text in self.presets:
            start, end = self.period_bounds()
            self.start.setDateTime(QDateTime.fromSecsSinceEpoch(int(start)))
            self.end.setDateTime(QDateTime.fromSecsSinceEpoch(int(end)))
        if refresh:
            self.refresh()

    def _custom(self) -> None:
        if self.period.currentText() in self.presets:
            self.period.setCurrentText(self.tr("Custom"))  # refreshes through _preset
        else:
            self.refresh()

    def refresh(self) -> None:
        self._task = asyncio.ensure_future(self.compute())

    def period_bounds(self) -> tuple[float, float]:
        """A preset ends now, to the second (the last shift at its change); a custom period is what
        the editors say."""
        days = self.presets.get(self.period.currentText())
        now = time.time()
        if days == 0:
            return last_period(self.shifts, now)
        if days is not None:
            return now - days * 86400, now
        return self.start.dateTime().toSecsSinceEpoch(), self.end.dateTime().toSecsSinceEpoch()

    async def compute(self) -> None:
        start, end = self.period_bounds()
        if start >= end:
            self.message.setText(self.tr("The period must end after it starts."))
            return
        try:
            kpis = await asyncio.to_thread(self.storage.alarm_kpis, start, end, self.config)
        except HmiError as exc:
            self.message.setText(str(exc))
            return
        self.show_kpis(kpis)

    def show_kpis(self, kpis: AlarmKpis) -> None:
        self.kpis = kpis
        self.message.setText("")
        figures = summary(kpis, self.config)
        self.figures.set_rows(
            [[translate(f.label), f.value, f.target] for f in figures],
            {(r, 1) for r, f in enumerate(figures) if f.exceeded},
        )
        self.priorities.set_rows(
            [
                [translate(p.value), f"{n}", f"{share:.1f} %", translate(target)]
                for p, n, share, target in priority_rows(kpis)
            ]
        )
        self.floods.set_rows([[_when(f.start), _duration(f.duration), f"{f.count}"] for f in kpis.floods])
        window = self.tr("{0} in {1} s")
        self.chattering.set_rows(
            [[c.alarm_id, window.format(c.count, f"{self.config.chatter_window:g}")] for c in kpis.chattering]
        )
        self.stale.set_rows(
            [[s.alarm_id, _when(s.active_since), _duration(s.active_for)] for s in kpis.stale]
        )
        self.rate.show_rate(kpis.rate, self.config)
        self.top.show_top(kpis.top)
        self.top_title.setText(self.tr("Top {0} most frequent alarms").format(len(kpis.top)))

    def choose_pdf(self) -> None:
        if self.kpis is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export alarm report"), "alarm-report.pdf", self.tr("PDF files (*.pdf)")
        )
        if path:
            self._task = asyncio.ensure_future(self.export_pdf(Path(path)))

    async def export_pdf(self, path: Path) -> None:
        """The same report as on screen, by the engine's renderer, in the app's language."""
        assert self.kpis is not None
        title = QCoreApplication.translate("AlarmKpiView", "Alarm performance")
        data = alarm_report(self.project, self.kpis, self.config, title)
        try:
            await asyncio.to_thread(render, data, path, translate)
        except OSError as exc:
            self.message.setText(self.tr("Not saved: {0}").format(exc.strerror or exc))
            return
        self.message.setText(self.tr("Saved {0}").format(path.name))
