"""The alarm history: search the journal by time, text, priority and state."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QDateTime, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hmi.alarms import AlarmJournal, AlarmState, JournalEntry, Priority

from ..i18n import QT_TRANSLATE_NOOP
from .model import STATE_TEXT, RowsModel, clock, priority_text, shown, state_text

LIMIT = 5000


class JournalModel(RowsModel):
    COLUMNS = (
        QT_TRANSLATE_NOOP("Alarms", "Time"),
        QT_TRANSLATE_NOOP("Alarms", "Alarm"),
        QT_TRANSLATE_NOOP("Alarms", "Pri"),
        QT_TRANSLATE_NOOP("Alarms", "From"),
        QT_TRANSLATE_NOOP("Alarms", "To"),
        QT_TRANSLATE_NOOP("Alarms", "Value"),
        QT_TRANSLATE_NOOP("Alarms", "Limit"),
        QT_TRANSLATE_NOOP("Alarms", "User"),
        QT_TRANSLATE_NOOP("Alarms", "Comment"),
    )

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[JournalEntry] = []

    def set_rows(self, rows: list[JournalEntry]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        e = self.rows[index.row()]
        state = lambda s: state_text(AlarmState(s))  # noqa: E731
        return (
            clock(e.ts),
            e.alarm_id,
            str(Priority(e.priority).number),
            state(e.old_state),
            state(e.new_state),
            shown(e.value),
            shown(e.limit),
            e.actor,
            e.comment,
        )[index.column()]


class AlarmHistory(QWidget):
    """Searches run on a worker thread so a long journal never freezes the operator's screens."""

    def __init__(self, journal: AlarmJournal, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("Alarm history"))
        self.journal = journal
        now = QDateTime.currentDateTime()
        self.start = QDateTimeEdit(now.addDays(-1), calendarPopup=True, displayFormat="yyyy-MM-dd HH:mm")
        self.end = QDateTimeEdit(now.addSecs(3600), calendarPopup=True, displayFormat="yyyy-MM-dd HH:mm")
        self.text = QLineEdit(placeholderText=self.tr("Alarm id or message"))
        self.priority = QComboBox()
        self.priority.addItem(self.tr("All priorities"), None)
        for p in Priority:
            self.priority.addItem(priority_text(p), p)
        self.state = QComboBox()
        self.state.addItem(self.tr("All states"), None)
        for s in [*STATE_TEXT, AlarmState.NORMAL]:
            self.state.addItem(state_text(s), s)
        search = QPushButton(self.tr("Search"))
        search.clicked.connect(self.search)
        self.text.returnPressed.connect(self.search)
        self.count = QLabel()
        filters = QHBoxLayout()
        for widget in (
            QLabel(self.tr("From")),
            self.start,
            QLabel(self.tr("to")),
            self.end,
            self.priority,
            self.state,
        ):
            filters.addWidget(widget)
        filters.addWidget(self.text, 1)
        filters.addWidget(search)
        self.model = JournalModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        self.resize(1200, 500)
        self._task: asyncio.Task[None] | None = None

    def search(self) -> None:
        self._task = asyncio.ensure_future(self.run_search())

    async def run_search(self) -> None:
        priority, state = self.priority.currentData(), self.state.currentData()
        rows = await asyncio.to_thread(
            self.journal.search,
            self.start.dateTime().toSecsSinceEpoch(),
            self.end.dateTime().toSecsSinceEpoch(),
            self.text.text().strip(),
            [priority] if priority else (),
            [state] if state else (),
            LIMIT,
        )
        self.model.set_rows(rows)
        more = self.tr(" (the newest {0}; narrow the search to see older ones)").format(LIMIT)
        more = more if len(rows) == LIMIT else ""
        self.count.setText(self.tr("%n transition(s)", "", len(rows)) + more)
