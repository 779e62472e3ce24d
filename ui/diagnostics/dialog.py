"""The diagnostics view: per asset, each health model's state, its measurement beside the model's
expectation with the residual beneath, the prediction, and the history of its findings.

ISA-101: everything grey while healthy; only a model that warns is drawn in the advisory colour.
The engine's models hold the data (hmi.diagnostics); this view reads them once a second while shown.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable
from datetime import datetime

import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hmi.alarms import AlarmJournal, AlarmKind
from hmi.alarms.journal import JournalEntry
from hmi.diagnostics.check import Check, Level
from hmi.diagnostics.monitor import DiagnosticsMonitor

from .. import theme
from ..i18n import QT_TRANSLATE_NOOP
from ..reports.kpi_charts import RowsModel
from ..trends.axis import TimeAxis
from .words import LEVEL_TEXT, tr

ADVISORY = theme.ALARM[4]
"""A model that warns is drawn in the advisory (lowest priority) colour; nothing else is coloured."""
MEASURED = QColor("#3c3c3c")
EXPECTED = QColor("#8a8a8a")
HISTORY_ROWS = 200

KIND_TEXT = {
    "thermal": QT_TRANSLATE_NOOP("Diagnostics", "Thermal model"),
    "torque": QT_TRANSLATE_NOOP("Diagnostics", "Torque signature"),
    "sensor": QT_TRANSLATE_NOOP("Diagnostics", "Sensor"),
    "pump": QT_TRANSLATE_NOOP("Diagnostics", "Pump"),
}
CURVES = {
    "thermal": (
        QT_TRANSLATE_NOOP("Diagnostics", "Temperature"),
        QT_TRANSLATE_NOOP("Diagnostics", "Model"),
        QT_TRANSLATE_NOOP("Diagnostics", "Residual (K)"),
    ),
    "torque": (
        QT_TRANSLATE_NOOP("Diagnostics", "Peak torque of each cycle"),
        QT_TRANSLATE_NOOP("Diagnostics", "Learned peak"),
        QT_TRANSLATE_NOOP("Diagnostics", "Drift from the signature (N·m)"),
    ),
    "sensor": (
        QT_TRANSLATE_NOOP("Diagnostics", "Reading"),
        "",
        QT_TRANSLATE_NOOP("Diagnostics", "Offset to the related tag"),
    ),
    "pump": (
        QT_TRANSLATE_NOOP("Diagnostics", "Flow"),
        QT_TRANSLATE_NOOP("Diagnostics", "Expected flow"),
        QT_TRANSLATE_NOOP("Diagnostics", "Flow loss (fraction)"),
    ),
}
HISTORY_COLUMNS = [
    QT_TRANSLATE_NOOP("Diagnostics", "Time"),
    QT_TRANSLATE_NOOP("Diagnostics", "Model"),
    QT_TRANSLATE_NOOP("Diagnostics", "State"),
    QT_TRANSLATE_NOOP("Diagnostics", "Finding"),
    QT_TRANSLATE_NOOP("Diagnostics", "Evidence"),
]


PARAMETER_TEXT = {
    "tau_s": QT_TRANSLATE_NOOP("Diagnostics", "time constant {0} s"),
    "rise_K": QT_TRANSLATE_NOOP("Diagnostics", "rise at full load {0} K"),
    "ambient_C": QT_TRANSLATE_NOOP("Diagnostics", "ambient {0} °C"),
    "sigma_K": QT_TRANSLATE_NOOP("Diagnostics", "noise {0} K"),
    "peak_Nm": QT_TRANSLATE_NOOP("Diagnostics", "peak torque {0} N·m"),
    "noise_Nm": QT_TRANSLATE_NOOP("Diagnostics", "noise {0} N·m"),
    "bins": QT_TRANSLATE_NOOP("Diagnostics", "{0} cycle phases"),
    "period_s": QT_TRANSLATE_NOOP("Diagnostics", "cycle {0} s"),
    "stuck_after_s": QT_TRANSLATE_NOOP("Diagnostics", "stuck after {0} s unchanged"),
    "offset": QT_TRANSLATE_NOOP("Diagnostics", "offset to the related tag {0}"),
    "offset_sd": QT_TRANSLATE_NOOP("Diagnostics", "its spread {0}"),
    "flow_at_0": QT_TRANSLATE_NOOP("Diagnostics", "flow at 0 % {0}"),
    "flow_per_pct": QT_TRANSLATE_NOOP("Diagnostics", "flow per % {0}"),
    "noise": QT_TRANSLATE_NOOP("Diagnostics", "noise {0}"),
}
"""A learned figure in words; a model's figure not listed here is shown by its key."""


def _figure(value: float) -> str:
    return f"{value:.4g}" if math.isfinite(value) else "–"


def _learned_text(parameters: dict[str, float]) -> str:
    return ", ".join(
        tr(PARAMETER_TEXT[name]).format(_figure(value))
        if name in PARAMETER_TEXT
        else f"{name} {_figure(value)}"
        for name, value in parameters.items()
    )


class CheckPanel(QWidget):
    """One model of the asset: its state in words, the trend and the residual, the learned figures."""

    def __init__(self, check: Check, parent: QWidget | None = None):
        super().__init__(parent)
        self.check = check
        measured, expected, residual = CURVES[check.kind]
        self.state = QLabel(wordWrap=True)
        self.state.setObjectName("DiagnosticsState")
        self.prediction = QLabel(wordWrap=True)
        self.learned = QLabel(wordWrap=True)
        self.learned.setObjectName("DiagnosticsLearned")
        self.plot = pg.PlotWidget(axisItems={"bottom": TimeAxis()}, background=theme.PANEL)
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.plot.addLegend(offset=(10, 5))
        self.plot.setLabel("left", tr(measured), units=None)
        self.measured = self.plot.plot(pen=pg.mkPen(MEASURED, width=2), name=tr(measured))
        self.expected = self.plot.plot(
            pen=pg.mkPen(EXPECTED, width=2, style=Qt.PenStyle.DashLine), name=tr(expected) or None
        )
        self.residual_plot = pg.PlotWidget(axisItems={"bottom": TimeAxis()}, background=theme.PANEL)
        self.residual_plot.showGrid(x=True, y=True, alpha=0.25)
        self.residual_plot.setLabel("left", tr(residual))
        self.residual_plot.setXLink(self.plot)
        self.residual = self.residual_plot.plot(pen=pg.mkPen(MEASURED, width=2))
        self.limit = pg.InfiniteLine(angle=0, pen=pg.mkPen(EXPECTED, style=Qt.PenStyle.DotLine))
        self.residual_plot.addItem(self.limit)
        for plot in (self.plot, self.residual_plot):
            plot.getPlotItem().setDownsampling(auto=True, mode="peak")
            plot.getPlotItem().setClipToView(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addWidget(self.prediction)
        layout.addWidget(self.plot, 3)
        layout.addWidget(self.residual_plot, 2)
        layout.addWidget(self.learned)
        self.refresh()

    @property
    def warning(self) -> bool:
        return self.check.level is Level.WARNING

    def refresh(self, plot: bool = True) -> None:
        """The words always; the curves when `plot` (the tab on show)."""
        check = self.check
        finding = check.finding
        text = tr(LEVEL_TEXT[check.level])
        if finding is not None and finding.active:
            text = f"{text}: {check.cause}"  # the prediction, below, is newer than the finding's words
        self.state.setText(text)
        colour = ADVISORY.name() if self.warning else theme.TEXT.name()
        self.state.setStyleSheet(f"color: {colour}; font-weight: {'bold' if self.warning else 'normal'};")
        self.prediction.setText(
            self.tr("Prediction: {0}").format(check.prediction)
            if check.prediction
            else self.tr("No prediction")
        )
        learned = _learned_text(check.parameters)
        self.learned.setText(
            self.tr("Learned: {0}").format(learned) if learned else self.tr("Nothing learned yet")
        )
        if finding is not None and finding.active and finding.evidence:
            self.learned.setText(
                self.learned.text() + "\n" + self.tr("Evidence: {0}").format(finding.evidence_text())
            )
        points = list(check.trace) if plot else []
        if points:
            ts, measured, expected, residual = (list(column) for column in zip(*points, strict=True))
            self.measured.setData(ts, measured, connect="finite")
            self.expected.setData(ts, expected, connect="finite")
            self.residual.setData(ts, residual, connect="finite")
        self.residual.setPen(pg.mkPen(ADVISORY if self.warning else MEASURED, width=2))
        limit = finding.limit if finding is not None else None
        self.limit.setVisible(limit is not None)
        if limit is not None:
            self.limit.setValue(limit)


class DiagnosticsWindow(QWidget):
    """The health of one asset at a time; the asset picker lists each with its state."""

    def __init__(
        self, monitor: DiagnosticsMonitor, journal: AlarmJournal | None, parent: QWidget | None = None
    ):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("Diagnostics"))
        self.monitor = monitor
        self.journal = journal
        self.asset = QComboBox()
        for name, asset in monitor.assets.items():
            self.asset.addItem(asset.title or name, name)
        self.asset.currentIndexChanged.connect(lambda _: self.show_asset(self.asset.currentData()))
        self.health = QLabel()
        self.health.setObjectName("DiagnosticsHealth")
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Asset")))
        top.addWidget(self.asset)
        top.addWidget(self.health, 1)
        self.tabs = QTabWidget()
        self.tabs.currentChanged.connect(lambda _: self.refresh())
        self.history = RowsModel([tr(c) for c in HISTORY_COLUMNS])
        self.history_view = QTableView()
        self.history_view.setModel(self.history)
        self.history_view.verticalHeader().hide()
        header = self.history_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        grid = QGridLayout(self)
        grid.addLayout(top, 0, 0)
        grid.addWidget(self.tabs, 1, 0)
        grid.addWidget(QLabel(self.tr("History of findings")), 2, 0)
        grid.addWidget(self.history_view, 3, 0)
        grid.setRowStretch(1, 3)
        grid.setRowStretch(3, 1)
        self.panels: list[CheckPanel] = []
        self._task: asyncio.Task[None] | None = None
        self._timer = QTimer(self, interval=1000)
        self._timer.timeout.connect(self.refresh)
        self._unsubscribe: Callable[[], None] | None = None
        self.resize(1100, 820)
        if monitor.assets:
            self.show_asset(self.asset.currentData())

    def show_asset(self, name: str) -> None:
        """Select an asset (the picker, or the caller that opens the view on one)."""
        index = self.asset.findData(name)
        if index != self.asset.currentIndex():
            self.asset.setCurrentIndex(index)
            return  # the picker's signal comes back here
        self.panels = [CheckPanel(check) for check in self.monitor.checks.get(name, [])]
        self.tabs.clear()  # after the panels are the asset's: clearing shows another tab, which refreshes
        for panel in self.panels:
            self.tabs.addTab(panel, tr(KIND_TEXT[panel.check.kind]))
        self.refresh()
        self.load_history()

    def refresh(self) -> None:
        name = self.asset.currentData()
        if [p.check for p in self.panels] != self.monitor.checks.get(name, []):
            self.show_asset(name)  # the models went on from history (a warm start): show those
            return
        warning = [p for p in self.panels if p.warning]
        shown = self.tabs.currentWidget()
        for i, panel in enumerate(self.panels):
            panel.refresh(plot=panel is shown)
            self.tabs.tabBar().setTabTextColor(i, ADVISORY if panel.warning else theme.TEXT)
        if warning:
            self.health.setText(self.tr("%n model(s) warning", "", len(warning)))
            self.health.setStyleSheet(f"color: {ADVISORY.name()}; font-weight: bold;")
        else:
            self.health.setText(self.tr("Healthy") if self.panels else "")
            self.health.setStyleSheet("")

    def load_history(self) -> None:
        """Read the asset's findings from the journal, on a worker thread when the loop runs."""
        if self.journal is None or (self._task is not None and not self._task.done()):
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop running (a script, a test): read at once
            self.set_history(self.read_history())
            return
        self._task = loop.create_task(self._load_history())

    async def _load_history(self) -> None:
        self.set_history(await asyncio.to_thread(self.read_history))

    def read_history(self) -> list[JournalEntry]:
        """The advisories of the shown asset from the alarm journal, newest first."""
        name = self.asset.currentData()
        if self.journal is None or name is None:
            return []
        self.journal.flush()
        entries = self.journal.search(None, None, f"{name}.", (), (), HISTORY_ROWS * 4)
        return [e for e in entries if e.kind == AlarmKind.ADVISORY and e.alarm_id.startswith(f"{name}.")]

    def set_history(self, entries: list[JournalEntry]) -> None:
        kinds = {
            check.alarm_id: tr(KIND_TEXT[check.kind])
            for check in self.monitor.checks.get(self.asset.currentData(), [])
        }
        rows = [
            [
                datetime.fromtimestamp(e.ts).strftime("%Y-%m-%d %H:%M:%S"),
                kinds.get(e.alarm_id, e.alarm_id),
                tr(STATE_TEXT.get(e.new_state, e.new_state)),
                e.message,
                e.comment,
            ]
            for e in entries[:HISTORY_ROWS]
        ]
        self.history.set_rows(rows)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt)
        """Follow the models only while shown."""
        if self._unsubscribe is None:
            self._unsubscribe = self.monitor.subscribe(lambda finding: self.load_history())
        self._timer.start()
        self.refresh()
        self.load_history()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt)
        self._timer.stop()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        super().hideEvent(event)


STATE_TEXT = {
    "unack_active": QT_TRANSLATE_NOOP("Diagnostics", "Raised"),
    "ack_active": QT_TRANSLATE_NOOP("Diagnostics", "Acknowledged"),
    "rtn_unack": QT_TRANSLATE_NOOP("Diagnostics", "Cleared, unacknowledged"),
    "normal": QT_TRANSLATE_NOOP("Diagnostics", "Cleared"),
    "shelved": QT_TRANSLATE_NOOP("Diagnostics", "Shelved"),
    "suppressed": QT_TRANSLATE_NOOP("Diagnostics", "Suppressed"),
    "out_of_service": QT_TRANSLATE_NOOP("Diagnostics", "Out of service"),
}
