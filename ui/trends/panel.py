"""The pen list under the chart: the pen table, a tag chooser with completion, add and remove."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .pens import plottable
from .table import PenTableModel
from .view import TrendView


class PenPanel(QWidget):
    """Shows the view's pens with their readings; adds pens by tag name and removes the selected ones."""

    message = Signal(str)

    def __init__(self, view: TrendView, parent: QWidget | None = None):
        super().__init__(parent)
        self.view = view
        self.table = QTableView()
        self.table.setModel(view.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PenTableModel.DESCRIPTION, QHeaderView.ResizeMode.Stretch)

        names = sorted(name for name, tag in view.tags.items() if plottable(tag))
        self.chooser = QLineEdit(
            placeholderText=self.tr("Tag to add, e.g. {0}").format(names[0] if names else "")
        )
        completer = QCompleter(names, self.chooser)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.chooser.setCompleter(completer)
        self.chooser.returnPressed.connect(self.add_chosen)
        add = QPushButton(self.tr("Add pen"))
        add.clicked.connect(self.add_chosen)
        self.remove = QPushButton(self.tr("Remove pen"))
        self.remove.clicked.connect(self.remove_selected)

        row = QHBoxLayout()
        row.addWidget(self.chooser, 1)
        row.addWidget(add)
        row.addWidget(self.remove)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.show_delta(False)

    def show_delta(self, shown: bool) -> None:
        for column in (PenTableModel.VALUE_B, PenTableModel.DELTA):
            self.table.setColumnHidden(column, not shown)

    def add_chosen(self) -> None:
        name = self.chooser.text().strip()
        if not name:
            return
        try:
            self.view.add_pen(name)
        except (KeyError, ValueError) as exc:
            self.message.emit(str(exc.args[0]))
            return
        self.chooser.clear()

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()}, reverse=True)
        for tag in [self.view.pens[row].tag for row in rows]:
            self.view.remove_pen(tag)
