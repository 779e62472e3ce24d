"""The event list: the plain events of the servers (not conditions), newest first, live, with the
journal's history; filtered by text and priority."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

from hmi.alarms import Priority
from hmi.alarms.server_events import EventFeed, ServerEvent
from hmi.storage.port import AlarmLog

from ..bridge import FRAME_MS
from ..i18n import QT_TRANSLATE_NOOP
from .model import RowsModel, clock, priority_text

LIMIT = 5000
"""Rows the list holds: the newest; older ones are in the journal (`hmi alarms events`)."""
HISTORY_S = 86400.0
"""How far back the journal is read when the list opens or a filter changes."""
TYPING_MS = 300
COLUMN_WIDTHS = (150, 40, 60, 150, 0, 250, 100)
"""Fixed widths, as in the alarm views; the message takes what is left."""


class EventModel(RowsModel):
    COLUMNS = (
        QT_TRANSLATE_NOOP("Alarms", "Time"),
        QT_TRANSLATE_NOOP("Alarms", "Pri"),
        QT_TRANSLATE_NOOP("Alarms", "Severity"),
        QT_TRANSLATE_NOOP("Alarms", "Source"),
        QT_TRANSLATE_NOOP("Alarms", "Message"),
        QT_TRANSLATE_NOOP("Alarms", "Event type"),
        QT_TRANSLATE_NOOP("Alarms", "Connection"),
    )

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ServerEvent] = []

    def set_rows(self, rows: list[ServerEvent]) -> None:
        self.beginResetModel()
        self.rows = rows[:LIMIT]
        self.endResetModel()

    def add_newest(self, events: list[ServerEvent]) -> None:
        """`events` (newest first) go on top; the oldest rows past LIMIT go."""
        if not events:
            return
        events = events[:LIMIT]
        self.beginInsertRows(QModelIndex(), 0, len(events) - 1)
        self.rows[:0] = events
        self.endInsertRows()
        if len(self.rows) > LIMIT:
            self.beginRemoveRows(QModelIndex(), LIMIT, len(self.rows) - 1)
            del self.rows[LIMIT:]
            self.endRemoveRows()

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        e = self.rows[index.row()]
        return (
            clock(e.ts),
            str(Priority(e.priority).number),
            str(e.severity),
            e.source,
            e.message,
            e.event_type,
            e.connection,
        )[index.column()]


class EventList(QWidget):
    """A window of its own; live events are shown once a frame, however fast they come."""

    def __init__(self, journal: AlarmLog, feed: EventFeed, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("Server events"))
        self.journal = journal
        self.priorities = {p: QCheckBox(priority_text(p)) for p in Priority}
        self.text = QLineEdit(placeholderText=self.tr("Filter by source, message or event type"))
        filters = QHBoxLayout()
        for box in self.priorities.values():
            box.setChecked(True)
            box.toggled.connect(lambda _: self.reload())
            filters.addWidget(box)
        filters.addWidget(self.text, 1)
        self._typing = QTimer(self, singleShot=True, interval=TYPING_MS)
        self._typing.timeout.connect(self.reload)
        self.text.textChanged.connect(lambda _: self._typing.start())
        self.model = EventModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column, width in enumerate(COLUMN_WIDTHS):
            if width:
                header.resizeSection(column, max(width, header.sectionSizeHint(column)))
        header.setSectionResizeMode(COLUMN_WIDTHS.index(0), header.ResizeMode.Stretch)
        self.count = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        self.resize(1200, 500)
        self._recent: deque[ServerEvent] = deque(maxlen=LIMIT)
        """Live events of the last LIMIT: merged with a journal read, which may not have them yet."""
        self._pending: list[ServerEvent] = []
        self._overflowed = False
        self._frame = QTimer(self, singleShot=True, interval=FRAME_MS)
        self._frame.timeout.connect(self._show_pending)
        self.feed = feed
        self._detach: Callable[[], None] | None = None
        self._task: asyncio.Task[None] | None = None

    def matches(self, event: ServerEvent) -> bool:
        if not self.priorities[Priority(event.priority)].isChecked():
            return False
        needle = self.text.text().strip().lower()
        return not needle or any(needle in f.lower() for f in (event.source, event.message, event.event_type))

    def reload(self) -> None:
        """Read the journal's last day again through the filters (on a worker thread)."""
        self._task = asyncio.ensure_future(self.run_reload())

    async def run_reload(self) -> None:
        start = time.time() - HISTORY_S
        chosen = [p for p, box in self.priorities.items() if box.isChecked()]
        if not chosen:
            found: list[ServerEvent] = []
        else:
            found = await asyncio.to_thread(
                self.journal.search_events, start, None, self.text.text().strip(), chosen, LIMIT
            )
        live = {e for e in self._recent if e.ts >= start and self.matches(e)}
        self._pending.clear()
        self.model.set_rows(sorted(live.union(found), key=lambda e: e.ts, reverse=True))
        self._show_count()

    def _arrived(self, event: ServerEvent) -> None:
        self._recent.append(event)
        if len(self._pending) < LIMIT:
            self._pending.append(event)
        else:
            self._overflowed = True
        if not self._frame.isActive():
            self._frame.start()

    def _show_pending(self) -> None:
        pending, self._pending = self._pending, []
        if self._overflowed:  # more than a list's worth in one frame: the newest come from the journal
            self._overflowed = False
            self.reload()
            return
        self.model.add_newest([e for e in reversed(pending) if self.matches(e)])
        self._show_count()

    def _show_count(self) -> None:
        shown = len(self.model.rows)
        more = self.tr(" (the newest {0}; `hmi alarms events` prints older ones)").format(LIMIT)
        self.count.setText(self.tr("%n event(s)", "", shown) + (more if shown == LIMIT else ""))

    def showEvent(self, event) -> None:  # noqa: ANN001
        """Live while shown; what came while it was closed is read from the journal."""
        if self._detach is None:
            self._detach = self.feed.arrived.connect(self._arrived)
            self.reload()
        super().showEvent(event)

    def closeEvent(self, event) -> None:  # noqa: ANN001
        if self._detach is not None:
            self._detach()
            self._detach = None
        self._frame.stop()
        self._pending.clear()
        super().closeEvent(event)
