"""The audit trail window: filter by time, user, action and text, export CSV, verify the hash chain.

Reads and the chain check run on a worker thread: a long trail never freezes the operator's screens.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QDateTime,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hmi.errors import HmiError
from hmi.security import ChainReport
from hmi.security.audit import AuditRow, write_csv
from hmi.storage import AuditLog, Storage

from ..alarms.model import RowsModel, clock
from ..i18n import QT_TRANSLATE_NOOP
from .users_view import PROBLEM_STYLE

LIMIT = 5000


class AuditModel(RowsModel):
    COLUMNS = (
        QT_TRANSLATE_NOOP("Alarms", "Time"),
        QT_TRANSLATE_NOOP("Alarms", "User"),
        QT_TRANSLATE_NOOP("Alarms", "Action"),
        QT_TRANSLATE_NOOP("Alarms", "Target"),
        QT_TRANSLATE_NOOP("Alarms", "Old value"),
        QT_TRANSLATE_NOOP("Alarms", "New value"),
        QT_TRANSLATE_NOOP("Alarms", "Result"),
        QT_TRANSLATE_NOOP("Alarms", "Reason"),
        QT_TRANSLATE_NOOP("Alarms", "Station"),
    )
    STATION = 8

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[AuditRow] = []

    def set_rows(self, rows: list[AuditRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        e = self.rows[index.row()].entry
        row = self.rows[index.row()]
        values = (clock(e.ts), e.user, e.action, e.target, e.old_value, e.new_value, e.result, e.reason)
        return (*values, row.station)[index.column()] or ""


class AuditView(QWidget):
    """The trail of `storage` (this station's file, or a site's database), `audit` its writer."""

    def __init__(self, audit: AuditLog, storage: Storage, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("Audit trail"))
        self.audit = audit
        self.storage = storage
        now = QDateTime.currentDateTime()
        self.start = QDateTimeEdit(now.addDays(-7), calendarPopup=True, displayFormat="yyyy-MM-dd HH:mm")
        self.end = QDateTimeEdit(now.addSecs(3600), calendarPopup=True, displayFormat="yyyy-MM-dd HH:mm")
        self.user = QComboBox(minimumContentsLength=10)
        self.action = QComboBox(minimumContentsLength=14)
        self.text = QLineEdit(placeholderText=self.tr("Tag, alarm, value or reason"))
        self.text.returnPressed.connect(self.search)
        search_button = QPushButton(self.tr("Search"))
        search_button.clicked.connect(self.search)
        filters = QHBoxLayout()
        for widget in (
            QLabel(self.tr("From")),
            self.start,
            QLabel(self.tr("to")),
            self.end,
            self.user,
            self.action,
        ):
            filters.addWidget(widget)
        filters.addWidget(self.text, 1)
        filters.addWidget(search_button)
        self.model = AuditModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        for column, width in enumerate((160, 100, 150, 170, 100, 100, 130)):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.count = QLabel()
        self.chain = QLabel(wordWrap=True)
        export = QPushButton(self.tr("Export CSV…"))
        export.clicked.connect(self.export)
        self.verify_button = QPushButton(self.tr("Verify chain"))
        self.verify_button.clicked.connect(self.check_chain)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count)
        bottom.addWidget(self.chain, 1)
        bottom.addWidget(self.verify_button)
        bottom.addWidget(export)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.resize(1200, 520)
        self.report: ChainReport | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def search(self) -> None:
        self._spawn(self.run_search())

    def check_chain(self) -> None:
        self._spawn(self.run_verify())

    async def run_search(self) -> None:
        await asyncio.to_thread(self.audit.flush)
        try:
            users, actions = await asyncio.to_thread(self.storage.audit_choices)
            rows = await asyncio.to_thread(
                self.storage.audit_search,
                self.start.dateTime().toSecsSinceEpoch(),
                self.end.dateTime().toSecsSinceEpoch(),
                self.user.currentData() or "",
                self.action.currentData() or "",
                self.text.text().strip(),
                LIMIT,
            )
        except HmiError as exc:  # no trail yet, or the site's database is away
            self.count.setText(str(exc))
            return
        self._choices(self.user, self.tr("All users"), users)
        self._choices(self.action, self.tr("All actions"), actions)
        self.model.set_rows(rows)
        # Only a site's shared trail names stations: a station's own file has one.
        self.table.setColumnHidden(AuditModel.STATION, not any(r.station for r in rows))
        more = self.tr(" (the newest {0}; narrow the search to see older ones)").format(LIMIT)
        self.count.setText(self.tr("%n row(s)", "", len(rows)) + (more if len(rows) == LIMIT else ""))

    @staticmethod
    def _choices(combo: QComboBox, everything: str, values: list[str]) -> None:
        """Refill a filter list, keeping the choice the user made."""
        chosen = combo.currentData()
        combo.clear()
        combo.addItem(everything, None)
        for value in values:
            combo.addItem(value or QCoreApplication.translate("AuditView", "(nobody)"), value)
        combo.setCurrentIndex(max(0, combo.findData(chosen)))

    async def run_verify(self) -> None:
        self.verify_button.setEnabled(False)
        try:
            await asyncio.to_thread(self.audit.flush)
            self.report = report = await asyncio.to_thread(self.storage.verify_audit)
        except HmiError as exc:
            self.chain.setText(str(exc))
            return
        finally:
            self.verify_button.setEnabled(True)
        if report.ok:
            self.chain.setText(self.tr("Chain intact: %n row(s) verified", "", report.rows))
        else:
            self.chain.setText(self.tr("CHAIN BROKEN: %s") % report.problem)
        self.chain.setStyleSheet("" if report.ok else PROBLEM_STYLE + " font-weight: bold;")

    def export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export audit trail"), "audit.csv", "CSV (*.csv)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """The rows now shown (the current filter), oldest first."""
        with open(path, "w", encoding="utf-8", newline="") as out:
            write_csv(list(reversed(self.model.rows)), out)
        self.count.setText(
            self.tr("%n row(s) exported to %1", "", len(self.model.rows)).replace("%1", str(path))
        )
