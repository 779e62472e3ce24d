"""A non-blocking notification area: the engine's warnings and errors, in the status bar.

A logging handler on the `hmi` logger relays to the GUI thread the warnings and errors meant for the
operator (marked `extra=hmi.notices.OPERATOR`; the engine's diagnostics stay in the log). The status
bar shows the newest message, cut after a word if long, and a count; the button opens the list, where
messages are dismissed. Repeats of a message count up on its row instead of flooding the list (a lost
server retries often).
"""

from __future__ import annotations

import contextlib
import logging
import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hmi.notices import for_operator

from .i18n import format_time

MAX_ROWS = 200
LATEST_WIDTH = 560
ENGINE_LOGGER = "hmi"


@dataclass
class Notice:
    level: int
    text: str
    first: float
    last: float
    count: int = 1


class _Relay(QObject):
    """Carries log records from any thread to the GUI thread (a queued signal)."""

    record = Signal(int, str, float)


class QtLogHandler(logging.Handler):
    def __init__(self, relay: _Relay, level: int = logging.WARNING):
        super().__init__(level)
        self.relay = relay

    def filter(self, record: logging.LogRecord) -> bool:
        return for_operator(record) and super().filter(record)

    def emit(self, record: logging.LogRecord) -> None:
        # RuntimeError: the area was deleted while a worker thread still logged.
        with contextlib.suppress(RuntimeError):
            self.relay.record.emit(record.levelno, record.getMessage(), record.created)


class NotificationArea(QFrame):
    """Status-bar widget: the newest engine warning and a button with how many wait to be read."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, logger: str = ENGINE_LOGGER):
        super().__init__(parent)
        self.setObjectName("Notifications")
        self.notices: list[Notice] = []
        self.latest = ElidedLabel()
        self.latest.setMaximumWidth(LATEST_WIDTH)
        self.button = QToolButton()
        self.button.setToolTip(self.tr("Warnings and errors: click to read and dismiss them"))
        self.button.clicked.connect(self.toggle_list)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.button)
        row.addWidget(self.latest)
        self.popup = NoticeList(self)
        self._relay = _Relay(self)
        self._relay.record.connect(self.add, Qt.ConnectionType.QueuedConnection)
        self.handler = QtLogHandler(self._relay)
        self._logger = logging.getLogger(logger)
        self._logger.addHandler(self.handler)
        self._refresh()

    def close_handler(self) -> None:
        """Stop listening to the log; the window calls this as it closes."""
        self._logger.removeHandler(self.handler)
        self.popup.hide()

    def add(self, level: int, text: str, created: float | None = None) -> None:
        created = time.time() if created is None else created
        for notice in self.notices:
            if notice.text == text:
                notice.count += 1
                notice.last = created
                notice.level = max(notice.level, level)
                self.notices.remove(notice)
                self.notices.insert(0, notice)
                break
        else:
            self.notices.insert(0, Notice(level, text, created, created))
            del self.notices[MAX_ROWS:]
        self._refresh()

    def dismiss(self, index: int) -> None:
        del self.notices[index]
        self._refresh()

    def dismiss_all(self) -> None:
        self.notices.clear()
        self._refresh()

    def toggle_list(self) -> None:
        if self.popup.isVisible():
            self.popup.hide()
            return
        self.popup.fill(self.notices)
        self.popup.adjustSize()
        corner = self.mapToGlobal(QPoint(0, 0))
        self.popup.move(corner.x(), corner.y() - self.popup.height() - 4)
        self.popup.show()

    def _refresh(self) -> None:
        count = len(self.notices)
        self.setVisible(count > 0)
        self.button.setText(self.tr("⚠ %n message(s)", "", count))
        if self.notices:
            notice = self.notices[0]
            line = f"{format_time(notice.last)}  {notice.text}"
            self.latest.set_line(line)
            self.latest.setToolTip(notice.text)
        if self.popup.isVisible():
            self.popup.fill(self.notices)
        self.changed.emit()


class ElidedLabel(QLabel):
    """One line that shows as much as its width allows, cut after a word: the window's minimum width
    does not grow with a long message."""

    def __init__(self) -> None:
        super().__init__()
        self.line = ""
        self.setMinimumWidth(120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_line(self, line: str) -> None:
        self.line = line
        self.updateGeometry()  # the hint follows the line
        self._fit()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(min(self.fontMetrics().horizontalAdvance(self.line) + 4, LATEST_WIDTH), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        self.setText(elided(self.line, self.fontMetrics(), self.width()))


def elided(line: str, metrics: QFontMetrics, room: int) -> str:
    """The line as fits `room`, cut after a whole word with an ellipsis (never mid-word)."""
    if metrics.horizontalAdvance(line) <= room:
        return line
    words = line.split(" ")
    while len(words) > 1 and metrics.horizontalAdvance(" ".join(words) + " …") > room:
        words.pop()
    return metrics.elidedText(" ".join(words) + " …", Qt.TextElideMode.ElideRight, room)


class NoticeList(QFrame):
    """The popup list of messages with Dismiss and Dismiss all; a click elsewhere closes it."""

    def __init__(self, area: NotificationArea):
        super().__init__(area, Qt.WindowType.Popup)
        self.area = area
        self.setFrameShape(QFrame.Shape.Box)
        self.list = QListWidget()
        self.list.setMinimumWidth(560)
        self.list.setWordWrap(True)
        dismiss = QPushButton(self.tr("Dismiss"))
        dismiss.clicked.connect(self._dismiss_selected)
        dismiss_all = QPushButton(self.tr("Dismiss all"))
        dismiss_all.clicked.connect(area.dismiss_all)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.hide)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (dismiss, dismiss_all, close):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(buttons)

    def fill(self, notices: list[Notice]) -> None:
        self.list.clear()
        for notice in notices:
            level = self.tr("Error") if notice.level >= logging.ERROR else self.tr("Warning")
            repeat = self.tr(" (×%n)", "", notice.count) if notice.count > 1 else ""
            self.list.addItem(f"{format_time(notice.last)}  {level}  {notice.text}{repeat}")
        self.list.setFixedHeight(min(12, max(3, len(notices))) * 22 + 6)
        if not notices:
            self.hide()

    def _dismiss_selected(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.area.dismiss(row)
