"""The editor's validation panel: the same problems as `hmi check`, kept current while the project is edited.

Double-clicking a problem of a screen item asks the editor to select that item (`select_item`); a
problem of a tag asks it to show that tag (`select_tag`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from ..alarms.model import RowsModel
from ..i18n import QT_TRANSLATE_NOOP

DEBOUNCE_MS = 300
"""Checking the whole project on every keystroke would stall typing; once it pauses is enough."""

_SCREEN_ITEM = re.compile(r"^screens/(?P<screen>[^/]+)\.yaml$")
_ITEM_INDEX = re.compile(r"^items\[(?P<index>\d+)\]")
_TAG_INDEX = re.compile(r"^tags\[(?P<index>\d+)\]")


@dataclass(frozen=True)
class Problem:
    """One `hmi check` line split into its file, field path and message."""

    text: str
    file: str
    field: str
    message: str

    @classmethod
    def parse(cls, text: str) -> Problem:
        parts = text.split(": ", 2)
        if len(parts) == 3:
            return cls(text, *parts)
        if len(parts) == 2:
            return cls(text, parts[0], "", parts[1])
        return cls(text, "", "", text)

    def screen_item(self) -> tuple[str, int] | None:
        """(screen name, item index) when the problem is in an item of a screen (or a template it places)."""
        screen = _SCREEN_ITEM.match(self.file)
        item = _ITEM_INDEX.match(self.field)
        return (screen["screen"], int(item["index"])) if screen and item else None

    def tag_index(self) -> int | None:
        """Index in the project's tag list when the problem is in a tag's definition."""
        match = _TAG_INDEX.match(self.field) if self.file == "project.yaml" else None
        return int(match["index"]) if match else None


class ProblemsModel(RowsModel):
    """The problems, one a row: message, then where (file and field)."""

    COLUMNS = (QT_TRANSLATE_NOOP("Problems", "Problem"), QT_TRANSLATE_NOOP("Problems", "Where"))

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[Problem] = []

    def set_problems(self, texts: list[str]) -> None:
        if [p.text for p in self.rows] == texts:
            return
        self.beginResetModel()
        self.rows = [Problem.parse(t) for t in texts]
        self.endResetModel()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("Problems", self.COLUMNS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        problem = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return problem.message
            return f"{problem.file}: {problem.field}" if problem.field else problem.file
        if role == Qt.ItemDataRole.ToolTipRole:
            return problem.text
        return None


class ProblemsPanel(QWidget):
    """Lists `document.problems()` live; double-click a row to go to what it is about.

    Mount it in a dock: `dock.setWidget(ProblemsPanel(document))`, and connect `select_item` to the
    canvas (select item `index` of screen `name`, switching screens first) and `select_tag` to the tag
    table (`TagTable.select_tag`).
    """

    select_item = Signal(str, int)
    select_tag = Signal(str)

    def __init__(self, document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.model = ProblemsModel(self)
        self.summary = QLabel()
        self.summary.setObjectName("ProblemsSummary")
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 320)
        self.view.doubleClicked.connect(self._go_to)
        self.view.activated.connect(self._go_to)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.view)
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)
        document.changed.connect(self._timer.start)
        self.refresh()

    def refresh(self) -> None:
        """Check the project now (the panel does this by itself shortly after every change)."""
        self._timer.stop()
        self.model.set_problems(self.document.problems())
        count = len(self.model.rows)
        self.summary.setText(
            self.tr("No problems: the project is ready to run.")
            if count == 0
            else self.tr("%n problem(s): double-click one to go to it.", "", count)
        )

    def _go_to(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        problem = self.model.rows[index.row()]
        place = problem.screen_item()
        if place is not None:
            self.select_item.emit(*place)
            return
        tag_index = problem.tag_index()
        tags = self.document.folder.project.tags
        if tag_index is not None and tag_index < len(tags):
            self.select_tag.emit(tags[tag_index].name)
