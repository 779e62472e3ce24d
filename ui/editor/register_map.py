"""A connection's register map in the tag browser: for a device with no address space to browse
(Modbus), the registers and bits the project's tags read from it, and how (type, order, scale, group).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from hmi.project import ProjectFolder
from hmi.sources import kinds

from ..i18n import QT_TRANSLATE_NOOP

HEADINGS = {
    "tag": QT_TRANSLATE_NOOP("RegisterMap", "Tag"),
    "table": QT_TRANSLATE_NOOP("RegisterMap", "Table"),
    "address": QT_TRANSLATE_NOOP("RegisterMap", "Address"),
    "type": QT_TRANSLATE_NOOP("RegisterMap", "Type"),
    "order": QT_TRANSLATE_NOOP("RegisterMap", "Word/byte order"),
    "scale": QT_TRANSLATE_NOOP("RegisterMap", "Scale"),
    "group": QT_TRANSLATE_NOOP("RegisterMap", "Rate group"),
}
"""Column headings by row key; a key a kind adds shows as it is."""


def register_map(folder: ProjectFolder, connection: str) -> list[dict[str, Any]] | None:
    """The map of a connection whose kind has one instead of an address space; None for the others."""
    config = folder.project.connections.get(connection)
    browse = kinds()[config.kind].browse if config is not None and config.kind in kinds() else None
    if browse is None:
        return None
    return browse(config, [t for t in folder.project.tags if t.connection == connection])


class RegisterMapModel(QAbstractTableModel):
    """Rows of a register map, one column per key of its rows."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []
        self.keys: list[str] = list(HEADINGS)

    def show(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.keys = list(rows[0]) if rows else list(HEADINGS)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.keys)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and index.isValid():
            return str(self.rows[index.row()].get(self.keys[index.column()], ""))
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            key = self.keys[section]
            return QCoreApplication.translate("RegisterMap", HEADINGS[key]) if key in HEADINGS else key
        return None


class RegisterMapView(QTableView):
    """The register map of one connection, read-only; `show_connection` fills it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.map = RegisterMapModel(self)
        self.setModel(self.map)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)

    def show_rows(self, rows: list[dict[str, Any]]) -> None:
        self.map.show(rows)
