"""Qt table model over the alarm engine: rows follow the engine, refreshed at most once per frame."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QTableView

from hmi.alarms import Alarm, AlarmEngine, AlarmState, Priority

from .. import theme
from ..blink import shared_blinker
from ..bridge import FRAME_MS
from ..i18n import QT_TRANSLATE_NOOP, format_time

STATE_TEXT = {
    AlarmState.UNACK_ACTIVE: QT_TRANSLATE_NOOP("Alarms", "Unack"),
    AlarmState.ACK_ACTIVE: QT_TRANSLATE_NOOP("Alarms", "Active"),
    AlarmState.RTN_UNACK: QT_TRANSLATE_NOOP("Alarms", "Cleared, unack"),
    AlarmState.SHELVED: QT_TRANSLATE_NOOP("Alarms", "Shelved"),
    AlarmState.SUPPRESSED: QT_TRANSLATE_NOOP("Alarms", "Suppressed"),
    AlarmState.OUT_OF_SERVICE: QT_TRANSLATE_NOOP("Alarms", "Out of service"),
}
PRIORITY_TEXT = {
    Priority.CRITICAL: QT_TRANSLATE_NOOP("Alarms", "critical"),
    Priority.HIGH: QT_TRANSLATE_NOOP("Alarms", "high"),
    Priority.MEDIUM: QT_TRANSLATE_NOOP("Alarms", "medium"),
    Priority.LOW: QT_TRANSLATE_NOOP("Alarms", "low"),
}
LIVE_STATES = frozenset({AlarmState.UNACK_ACTIVE, AlarmState.ACK_ACTIVE, AlarmState.RTN_UNACK})
"""What the summary shows by default; shelved, suppressed and out of service are listed on request."""


def _tr(text: str) -> str:
    """Alarm words marked with QT_TRANSLATE_NOOP("Alarms", ...) in the operator's language."""
    return QCoreApplication.translate("Alarms", text)


def state_text(state: AlarmState) -> str:
    return _tr(STATE_TEXT[state]) if state in STATE_TEXT else _tr(state.value.capitalize())


def priority_text(priority: Priority) -> str:
    """'1 critical': the number beside the marker, then the word."""
    return f"{priority.number} {_tr(PRIORITY_TEXT[priority])}"


def shown(value: object, digits: int = 4) -> str:
    """A value as a cell shows it: floats to `digits` significant digits, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def clock(ts: float | None) -> str:
    return format_time(ts)


COLUMN_WIDTHS = (150, 40, 170, 0, 80, 70, 130)
"""Fixed widths: sizing columns to their contents re-measures every row on each refresh (a flood)."""


def fix_columns(view: QTableView, stretch: int = 3) -> None:
    """Set the widths once, each at least as wide as its heading in the user's language; the message
    column takes what is left."""
    header = view.horizontalHeader()
    for column, width in enumerate(COLUMN_WIDTHS):
        if column == stretch:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        else:
            header.resizeSection(column, max(width, header.sectionSizeHint(column)))


class RowsModel(QAbstractTableModel):
    """A read-only table of `rows` under the headings `COLUMNS`."""

    COLUMNS: tuple[str, ...] = ()
    rows: list

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(self.COLUMNS[section])
        return None


class AlarmTableModel(RowsModel):
    """The current alarms matching `accept`, most urgent first; unacknowledged rows blink."""

    COLUMNS = (
        QT_TRANSLATE_NOOP("Alarms", "Time"),
        QT_TRANSLATE_NOOP("Alarms", "Pri"),
        QT_TRANSLATE_NOOP("Alarms", "Tag"),
        QT_TRANSLATE_NOOP("Alarms", "Message"),
        QT_TRANSLATE_NOOP("Alarms", "Value"),
        QT_TRANSLATE_NOOP("Alarms", "Limit"),
        QT_TRANSLATE_NOOP("Alarms", "State"),
    )
    reloaded = Signal()

    def __init__(
        self,
        engine: AlarmEngine,
        accept: Callable[[Alarm], bool] | None = None,
        parent: QObject | None = None,
        limit: int | None = None,
    ):
        super().__init__(parent)
        self.engine = engine
        self.accept = accept or (lambda alarm: alarm.state in LIVE_STATES)
        self.limit = limit
        """Keep only the most urgent rows (the banner): a flood then costs it nothing."""
        self.sort_key: Callable[[Alarm], float | str] | None = None
        self.sort_reverse = False
        self.rows: list[Alarm] = []
        self.blinker = shared_blinker()
        self._frame = QTimer(self, singleShot=True, interval=FRAME_MS)
        self._frame.timeout.connect(self.reload)
        self.blinker.toggled.connect(self._toggle_blink)
        self._unsubscribe = engine.subscribe(self._changed)
        self.reload()

    def _changed(self, alarm: Alarm) -> None:
        if not self._frame.isActive():  # one reload a frame however many alarms change
            self._frame.start()

    def close(self) -> None:
        self._unsubscribe()
        self.blinker.toggled.disconnect(self._toggle_blink)
        self._frame.stop()

    def set_filter(self, accept: Callable[[Alarm], bool]) -> None:
        self.accept = accept
        self.reload()

    def reload(self) -> None:
        rows = [a for a in self.engine.alarms() if self.accept(a)]
        if self.sort_key is not None:
            rows.sort(key=self.sort_key, reverse=self.sort_reverse)
        rows = rows[: self.limit]
        if [a.id for a in rows] == [a.id for a in self.rows]:
            self.rows = rows
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(self.COLUMNS) - 1))
        else:
            self.beginResetModel()
            self.rows = rows
            self.endResetModel()
        self.reloaded.emit()

    def _toggle_blink(self) -> None:
        blinking = [row for row, alarm in enumerate(self.rows) if alarm.blinking]
        if blinking:  # one signal for the span: a view repaints once, not once per row
            self.dataChanged.emit(
                self.index(blinking[0], 1),
                self.index(blinking[-1], 1),
                [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole],
            )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column's underlying value (times as numbers), kept across refreshes.

        The model sorts itself instead of sitting behind a sort proxy, which would re-sort
        every row through its display text on each refresh of a flood."""
        keys: dict[int, Callable[[Alarm], float | str]] = {
            0: lambda a: a.raised_at or a.changed_at or 0.0,
            1: lambda a: a.priority.number,
            2: lambda a: a.tag,
            3: lambda a: a.message,
            4: lambda a: str(a.value),
            5: lambda a: str(a.limit),
            6: lambda a: a.state.value,
        }
        self.sort_key = keys.get(column)  # -1: no column, the engine's order (priority, newest first)
        self.sort_reverse = order == Qt.SortOrder.DescendingOrder
        self.reload()

    def alarm_at(self, row: int) -> Alarm:
        return self.rows[row]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        alarm = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(alarm, column)
        if role == Qt.ItemDataRole.UserRole:
            return alarm.id
        if role == Qt.ItemDataRole.ToolTipRole:
            chatter = (
                "\n" + QCoreApplication.translate("Alarms", "Chattering: raised repeatedly within a minute")
                if alarm.chattering
                else ""
            )
            return f"{alarm.id}\n{alarm.message}{chatter}"
        number = alarm.priority.number
        colour = theme.ALARM[number]
        dim = alarm.state is AlarmState.RTN_UNACK or not alarm.active
        lit = not alarm.blinking or self.blinker.on
        if role == Qt.ItemDataRole.BackgroundRole and column == 1 and lit:
            return QBrush(colour.lighter(150) if dim else colour)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == 1:
                return QBrush(QColor("#ffffff") if number in (1, 4) and lit and not dim else theme.TEXT)
            return QBrush(theme.TEXT_DIM if dim else theme.TEXT)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (1, 4, 5):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    @staticmethod
    def _text(alarm: Alarm, column: int) -> str:
        if column == 0:
            return clock(alarm.raised_at or alarm.changed_at)
        if column == 1:
            return str(alarm.priority.number)
        if column == 2:
            return alarm.tag
        if column == 3:
            return alarm.message + (
                "  [" + QCoreApplication.translate("Alarms", "chattering") + "]" if alarm.chattering else ""
            )
        if column == 4:
            return shown(alarm.value)
        if column == 5:
            return shown(alarm.limit)
        state = state_text(alarm.state)
        if alarm.state is AlarmState.SHELVED and alarm.shelved_until:
            left = max(0, round((alarm.shelved_until - time.time()) / 60))
            state += " " + QCoreApplication.translate("Alarms", "({0} min left)").format(left)
        return state
