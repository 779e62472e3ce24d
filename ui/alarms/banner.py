"""The alarm banner on every screen: unacknowledged counts per priority and the most urgent alarms."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QTableView, QVBoxLayout, QWidget

from hmi.alarms import AlarmEngine, Priority

from .. import theme
from ..screens.items import draw_alarm_marker
from .model import AlarmTableModel, fix_columns, priority_text
from .sound import Annunciator

SHOWN_ROWS = 3


class PriorityCount(QWidget):
    """The priority marker (colour + shape + number) with how many of it await acknowledgement."""

    def __init__(self, priority: Priority, parent: QWidget | None = None):
        super().__init__(parent)
        self.priority = priority
        self.count = 0
        self.setToolTip(self.tr("Unacknowledged alarms of priority {0}").format(priority_text(priority)))

    def sizeHint(self) -> QSize:
        return QSize(64, 24)

    def set_count(self, count: int) -> None:
        if count != self.count:
            self.count = count
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.count:
            draw_alarm_marker(p, QPointF(4, 4), self.priority.number)
        else:
            p.setPen(theme.TEXT_DIM)
            p.drawRect(4, 4, 16, 16)
        p.setPen(theme.TEXT if self.count else theme.TEXT_DIM)
        p.setFont(theme.font(11, bold=bool(self.count)))
        p.drawText(26, 18, str(self.count))


class AlarmBanner(QFrame):
    """Always visible above the screen; clicking 'Alarms' opens the summary."""

    open_summary = Signal()
    acknowledge = Signal(list)

    def __init__(self, engine: AlarmEngine, annunciator: Annunciator, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("AlarmBanner")
        self.engine = engine
        self.annunciator = annunciator
        self.model = AlarmTableModel(engine, parent=self, limit=SHOWN_ROWS)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionMode(QTableView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.horizontalHeader().hide()
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        fix_columns(self.table)
        row_h = self.table.verticalHeader().defaultSectionSize()
        self.table.setFixedHeight(row_h * SHOWN_ROWS + 2)
        self.table.doubleClicked.connect(lambda _: self.open_summary.emit())

        counts = QVBoxLayout()
        counts.setSpacing(0)
        self.counts = {p: PriorityCount(p) for p in Priority}
        top, bottom = QHBoxLayout(), QHBoxLayout()
        for i, widget in enumerate(self.counts.values()):
            (top if i < 2 else bottom).addWidget(widget)
        counts.addLayout(top)
        counts.addLayout(bottom)

        buttons = QVBoxLayout()
        buttons.setSpacing(2)
        self.ack_refused = ""
        """Why the user may not acknowledge (set by the window; the button stays disabled), or ''."""
        self.ack_button = QPushButton(self.tr("Ack shown"))
        self.ack_button.setToolTip(self.tr("Acknowledge the unacknowledged alarms in the banner"))
        self.ack_button.clicked.connect(self._ack_shown)
        self.silence_button = QPushButton(self.tr("Silence"))
        self.silence_button.clicked.connect(annunciator.silence)
        summary = QPushButton(self.tr("Alarms…"))
        summary.clicked.connect(self.open_summary.emit)
        for button in (self.ack_button, self.silence_button, summary):
            buttons.addWidget(button)

        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addLayout(counts)
        row.addWidget(self.table, 1)
        row.addLayout(buttons)
        # After each per-frame reload, not on every blink of a row.
        self.model.reloaded.connect(self._refresh)
        annunciator.changed.connect(self._refresh)
        self._refresh()

    def close_model(self) -> None:
        self.model.close()

    def shown_ids(self) -> list[str]:
        return [a.id for a in self.model.rows[:SHOWN_ROWS] if a.blinking]

    def _ack_shown(self) -> None:
        ids = self.shown_ids()
        if ids:
            self.acknowledge.emit(ids)

    def _refresh(self, *_: object) -> None:
        for priority, count in self.engine.unacked_counts().items():
            self.counts[priority].set_count(count)
        self.ack_button.setEnabled(bool(self.shown_ids()) and not self.ack_refused)
        self.silence_button.setEnabled(self.annunciator.sounding is not None)
