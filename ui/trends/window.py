"""A trend window: the chart, its pen list, and a toolbar for time ranges, cursors and export."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDateTime, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QDateTimeEdit, QFileDialog, QLabel, QMainWindow, QSplitter, QToolBar, QWidget

from hmi.logbook import Logbook
from hmi.project.model import TrendDef
from hmi.runtime import Runtime

from ..i18n import localized
from .notes import NoteMarkers
from .panel import PenPanel
from .table import A, B
from .view import TrendView

log = logging.getLogger(__name__)

PRESETS = (("5 min", 300), ("1 h", 3600), ("8 h", 8 * 3600), ("24 h", 24 * 3600), ("7 d", 7 * 24 * 3600))
"""Time-range buttons: text (translated in context TrendWindow) and seconds."""
DEFAULT_SPAN_S = 3600.0


class TrendWindow(QMainWindow):
    """A trend of the project (`trend`) or an ad hoc one (add pens with `add_tag`); deleted when closed."""

    closed = Signal()

    def __init__(
        self,
        runtime: Runtime,
        trend: TrendDef | None = None,
        parent: QWidget | None = None,
        logbook: Logbook | None = None,
    ):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        title = localized(trend.title, trend.titles) if trend else self.tr("Ad hoc")
        self.setWindowTitle(self.tr("{0} — Trend").format(title))
        span = trend.span_s if trend else DEFAULT_SPAN_S
        self.view = TrendView(runtime.table, runtime.tags, runtime.storage, span_s=span)
        for pen in trend.pens if trend else ():
            self.view.add_pen(pen.tag, pen)
        self.notes = NoteMarkers(self.view, runtime.audit, runtime.storage, logbook)
        self.panel = PenPanel(self.view)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([500, 200])
        self.setCentralWidget(splitter)
        self._toolbar()
        self.view.liveChanged.connect(self._show_live)
        self.view.item.sigXRangeChanged.connect(self._show_range)
        self.view.message.connect(self.statusBar().showMessage)
        self.panel.message.connect(self.statusBar().showMessage)
        self.view.exported.connect(
            lambda path, rows: self.statusBar().showMessage(
                self.tr("Exported {0} samples to {1}").format(rows, path)
            )
        )
        self.resize(1200, 760)
        self.view.setFocus()

    def add_tag(self, name: str) -> None:
        """Add a pen for tag `name` (e.g. from "Trend" on a screen item); KeyError if the tag is unknown,
        ValueError if it holds text."""
        self.view.add_pen(name)

    def _toolbar(self) -> None:
        bar = QToolBar(self.tr("Trend"), movable=False)
        self.addToolBar(bar)
        self.live_action = QAction(self.tr("Live"), self, checkable=True, checked=True)
        self.live_action.setToolTip(self.tr("Follow the present (Home); arrows pan, + and - zoom"))
        self.live_action.toggled.connect(self.view.set_live)
        bar.addAction(self.live_action)
        bar.addSeparator()
        for source, seconds in PRESETS:
            text = QCoreApplication.translate("TrendWindow", source)
            action = QAction(text, self)
            action.setToolTip(self.tr("Show the last {0}, live").format(text))
            action.triggered.connect(lambda _=False, s=seconds: self.view.set_span(s))
            bar.addAction(action)
        bar.addSeparator()
        self.start_edit, self.end_edit = QDateTimeEdit(calendarPopup=True), QDateTimeEdit(calendarPopup=True)
        for edit in (self.start_edit, self.end_edit):
            edit.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
        bar.addWidget(QLabel(self.tr(" From ")))
        bar.addWidget(self.start_edit)
        bar.addWidget(QLabel(self.tr(" to ")))
        bar.addWidget(self.end_edit)
        show = QAction(self.tr("Show"), self)
        show.setToolTip(self.tr("Show the time range From - to, paused"))
        show.triggered.connect(self.show_custom_range)
        bar.addAction(show)
        bar.addSeparator()
        self.cursor_action = QAction(self.tr("Cursor"), self, checkable=True)
        self.cursor_action.setToolTip(self.tr("A ruler that reads every pen's value and quality"))
        self.cursor_action.toggled.connect(lambda on: self._cursor(A, on))
        self.delta_action = QAction(self.tr("Δ cursor"), self, checkable=True)
        self.delta_action.setToolTip(self.tr("A second ruler: differences in value and time from the first"))
        self.delta_action.toggled.connect(lambda on: self._cursor(B, on))
        bar.addAction(self.cursor_action)
        bar.addAction(self.delta_action)
        bar.addSeparator()
        csv_action = QAction(self.tr("Export CSV…"), self)
        csv_action.triggered.connect(self._export_csv)
        png_action = QAction(self.tr("Save image…"), self)
        png_action.triggered.connect(self._export_png)
        bar.addAction(csv_action)
        bar.addAction(png_action)
        self._show_range()

    def show_custom_range(self) -> None:
        """Show the range typed into From and to, paused."""
        t0 = self.start_edit.dateTime().toMSecsSinceEpoch() / 1000
        t1 = self.end_edit.dateTime().toMSecsSinceEpoch() / 1000
        if t1 <= t0:
            self.statusBar().showMessage(self.tr("The end of the range must be after its start"))
            return
        self.view.set_range(t0, t1)

    def _cursor(self, which: str, on: bool) -> None:
        if which == B and on and not self.cursor_action.isChecked():
            self.cursor_action.setChecked(True)
        if on:
            self.view.show_cursor(which)
        else:
            self.view.hide_cursor(which)
            if which == A:
                self.delta_action.setChecked(False)
        if which == B:
            self.panel.show_delta(on)

    def _show_live(self, live: bool) -> None:
        self.live_action.setChecked(live)

    def _show_range(self, *_: object) -> None:
        if self.start_edit.hasFocus() or self.end_edit.hasFocus():
            return  # the operator is typing a range
        t0, t1 = self.view.x_range()
        for edit, t in ((self.start_edit, t0), (self.end_edit, min(t1, time.time()))):
            edit.setDateTime(QDateTime.fromMSecsSinceEpoch(int(t * 1000)))

    def _export_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export visible range"), "trend.csv", "CSV (*.csv)"
        )
        if path:
            self.view.export_csv(Path(path))

    def _export_png(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save chart image"), "trend.png", "PNG (*.png)")
        if path and not self.view.export_png(Path(path)):
            log.warning("trend: could not write the chart image %s", path)
            self.statusBar().showMessage(self.tr("Could not write {0}").format(path))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.notes.stop()
        self.view.stop()
        self.closed.emit()
        super().closeEvent(event)
