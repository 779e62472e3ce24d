"""The alarm KPI charts and tables of the app, drawn from the engine's figures: calm ISA-101 greys,
the alarm colour only on what exceeds its target."""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from hmi.alarms.kpi import AlarmCount, RateBucket
from hmi.alarms.kpi_summary import RATE_ACCEPTABLE, RATE_MANAGEABLE, bucket_exceeded
from hmi.alarms.settings import AlarmConfig

from .. import theme
from ..trends.axis import TimeAxis

BAR = QColor("#7a7a7a")
EXCEEDED = theme.ALARM[1]
"""Bars and figures beyond their target, in the critical alarm colour."""

Index = QModelIndex | QPersistentModelIndex


class RowsModel(QAbstractTableModel):
    """Rows of text under translated headers; a cell listed in `exceeded` is drawn bold in the alarm
    colour. Columns in `right` hold figures."""

    def __init__(self, headers: list[str], right: set[int] | None = None):
        super().__init__()
        self.headers = headers
        self.right = right or set()
        self.rows: list[list[str]] = []
        self.exceeded: set[tuple[int, int]] = set()

    def set_rows(self, rows: list[list[str]], exceeded: set[tuple[int, int]] | None = None) -> None:
        self.beginResetModel()
        self.rows = rows
        self.exceeded = exceeded or set()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        cell = (index.row(), index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and cell in self.exceeded:
            return EXCEEDED
        if role == Qt.ItemDataRole.FontRole and cell in self.exceeded:
            bold = QFont()
            bold.setBold(True)
            return bold
        return None


class _Chart(pg.PlotWidget):
    """A still chart on the panel grey: no mouse zoom, no context menu, axes in text colour."""

    def __init__(self, **kwargs: Any):
        super().__init__(background=theme.PANEL, **kwargs)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        for name in ("left", "bottom"):
            axis = self.getAxis(name)
            axis.setPen(pg.mkPen(theme.TEXT))
            axis.setTextPen(pg.mkPen(theme.TEXT))


class RateChart(_Chart):
    """Alarms per 10 minutes as bars, with the acceptable, manageable and flood lines."""

    def __init__(self, labels: tuple[str, str, str]):
        super().__init__(axisItems={"bottom": TimeAxis()})
        self.labels = labels
        self.showGrid(y=True, alpha=0.25)
        self.bars: list[pg.BarGraphItem] = []
        self.lines: list[pg.InfiniteLine] = []

    def show_rate(self, buckets: list[RateBucket], config: AlarmConfig) -> None:
        for item in [*self.bars, *self.lines]:
            self.removeItem(item)
        self.bars, self.lines = [], []
        for exceeded, colour in ((False, BAR), (True, EXCEEDED)):
            chosen = [b for b in buckets if b.count and bucket_exceeded(b.count, config) == exceeded]
            if not chosen:
                continue
            bars = pg.BarGraphItem(
                x0=[b.start for b in chosen],
                width=[(b.end - b.start) * 0.8 for b in chosen],
                height=[b.count for b in chosen],
                y0=0,
                brush=colour,
                pen=pg.mkPen(None),
            )
            self.addItem(bars)
            self.bars.append(bars)
        acceptable, manageable, flood = self.labels
        # The two low lines are close together: their labels at opposite ends.
        for value, label, style, where in (
            (RATE_ACCEPTABLE, f"{RATE_ACCEPTABLE:g} {acceptable}", Qt.PenStyle.DashLine, 0.02),
            (RATE_MANAGEABLE, f"{RATE_MANAGEABLE:g} {manageable}", Qt.PenStyle.DashLine, 0.98),
            (config.flood_count, f"> {config.flood_count} {flood}", Qt.PenStyle.SolidLine, 0.98),
        ):
            line = pg.InfiniteLine(
                pos=value,
                angle=0,
                pen=pg.mkPen(theme.TEXT_DIM if style == Qt.PenStyle.DashLine else theme.TEXT, style=style),
                label=label,
                labelOpts={"position": where, "color": theme.TEXT_DIM, "anchors": [(where, 1), (where, 1)]},
            )
            self.addItem(line)
            self.lines.append(line)
        peak = max([b.count for b in buckets] + [config.flood_count])
        if buckets:
            self.setXRange(buckets[0].start, buckets[-1].end, padding=0.01)
        self.setYRange(0, peak * 1.15, padding=0)


class TopChart(_Chart):
    """The most frequent alarms as horizontal bars, the most frequent on top, named on the left axis."""

    def __init__(self) -> None:
        super().__init__()
        self.getAxis("left").setWidth(150)
        self.bars: pg.BarGraphItem | None = None

    def show_top(self, top: list[AlarmCount]) -> None:
        if self.bars is not None:
            self.removeItem(self.bars)
            self.bars = None
        ys = list(range(len(top), 0, -1))
        self.getAxis("left").setTicks([[(y, c.alarm_id) for y, c in zip(ys, top, strict=True)]])
        if top:
            self.bars = pg.BarGraphItem(
                x0=0, y=ys, height=0.6, width=[c.count for c in top], brush=BAR, pen=pg.mkPen(None)
            )
            self.addItem(self.bars)
        self.setYRange(0.4, max(len(top), 1) + 0.6, padding=0)
        self.setXRange(0, max([c.count for c in top], default=1) * 1.05, padding=0)
