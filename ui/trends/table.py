"""The pen table beside the chart: each pen's colour, tag, and value and quality at the cursors."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from hmi.quality import Quality

from .. import theme
from .pens import TrendPen

Index = QModelIndex | QPersistentModelIndex
A, B = "a", "b"


@dataclass(frozen=True)
class Reading:
    """A pen's value at a time: the sample in force then (its time, value and quality)."""

    ts: float
    value: float | None
    quality: Quality

    @classmethod
    def of(cls, row: tuple[float, Any, Any] | None) -> Reading | None:
        """From a (ts, value, quality) row of the historian or a live buffer."""
        if row is None:
            return None
        ts, value, quality = row
        quality = Quality(int(quality))
        if quality is Quality.BAD or value is None or (isinstance(value, float) and math.isnan(value)):
            return cls(ts, None, quality)
        return cls(ts, float(value), quality)


def format_value(value: float | None) -> str:
    return "----" if value is None else f"{value:.6g}"


def format_time(t: float) -> str:
    """Clock time to a tenth of a second, with the date unless it is today."""
    moment = datetime.fromtimestamp(t)
    clock = moment.strftime("%H:%M:%S.%f")[:-5]
    return clock if moment.date() == date.today() else f"{moment:%a %d %b} {clock}"


def format_duration(seconds: float) -> str:
    """A time difference as an operator reads it: '+1 h 02 min', '-38.2 s'."""
    sign = "-" if seconds < 0 else "+"
    s = abs(seconds)
    if s < 60:
        return f"{sign}{s:.1f} s"
    minutes, sec = divmod(round(s), 60)
    if minutes < 60:
        return f"{sign}{minutes} min {sec:02d} s"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{sign}{hours} h {minutes:02d} min"
    return f"{sign}{hours // 24} d {hours % 24:02d} h"


class PenTableModel(QAbstractTableModel):
    """Rows are pens; the value columns show the readings at cursor A (or now) and cursor B."""

    PEN, DESCRIPTION, VALUE, QUALITY, VALUE_B, DELTA, UNITS = range(7)

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.pens: list[TrendPen] = []
        self.times: dict[str, float | None] = {A: None, B: None}
        self._readings: dict[str, dict[str, Reading | None]] = {A: {}, B: {}}

    def set_pens(self, pens: list[TrendPen]) -> None:
        self.beginResetModel()
        self.pens = list(pens)
        self.endResetModel()

    def set_readings(self, which: str, t: float | None, readings: dict[str, Reading | None]) -> None:
        """Readings at cursor `which` at time t (None: the current values), for some or all pens."""
        if self.times[which] != t:
            self.times[which] = t
            self._readings[which] = {}
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, self.VALUE, self.DELTA)
        self._readings[which].update(readings)
        if self.pens:
            self.dataChanged.emit(self.index(0, self.VALUE), self.index(len(self.pens) - 1, self.DELTA))

    def reading(self, which: str, tag: str) -> Reading | None:
        return self._readings[which].get(tag)

    def delta(self, tag: str) -> float | None:
        a, b = self.reading(A, tag), self.reading(B, tag)
        if a is None or b is None or a.value is None or b.value is None:
            return None
        return b.value - a.value

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.pens)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        ta, tb = self.times[A], self.times[B]
        if section == self.VALUE:
            return self.tr("Value now") if ta is None else self.tr("Value at {t}").format(t=format_time(ta))
        if section == self.VALUE_B:
            return self.tr("Value B") if tb is None else self.tr("Value at {t}").format(t=format_time(tb))
        if section == self.DELTA:
            if ta is None or tb is None:
                return self.tr("Δ B − A")
            return self.tr("Δ over {dt}").format(dt=format_duration(tb - ta))
        headings = (self.tr("Pen"), self.tr("Description"), "", self.tr("Quality"), "", "", self.tr("Units"))
        return headings[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        pen, column = self.pens[index.row()], index.column()
        reading = self.reading(A, pen.tag)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(pen, column, reading)
        if role == Qt.ItemDataRole.DecorationRole and column == self.PEN:
            return QColor(pen.color)
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column in (self.VALUE, self.QUALITY)
            and reading is not None
            and reading.quality is not Quality.GOOD
        ):
            return theme.BAD_QUALITY
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.VALUE, self.VALUE_B, self.DELTA):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.PEN:
            return pen.description
        return None

    def _text(self, pen: TrendPen, column: int, reading: Reading | None) -> str:
        if column == self.PEN:
            return pen.tag
        if column == self.DESCRIPTION:
            return pen.description
        if column == self.VALUE:
            return "" if reading is None else format_value(reading.value)
        if column == self.QUALITY:
            return "" if reading is None else reading.quality.name.title()
        if column == self.VALUE_B:
            b = self.reading(B, pen.tag)
            return "" if b is None else format_value(b.value)
        if column == self.DELTA:
            delta = self.delta(pen.tag)
            return "" if delta is None else f"{delta:+.6g}"
        return pen.units
