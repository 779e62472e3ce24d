"""The shift logbook window: every note, newest first, filtered by shift and tag, with the ways to the
moment a note is about (replay) and to its tag (trend)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDateTime,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from hmi.logbook import Logbook, ShiftNote, read_notes, shift_of
from hmi.storage import Storage
from hmi.storage.port import AuditLog

from ..i18n import QT_TRANSLATE_NOOP
from ..trends.loader import HistoryLoader

CONTEXT = "Logbook"
COLUMNS = (
    QT_TRANSLATE_NOOP("Logbook", "About"),
    QT_TRANSLATE_NOOP("Logbook", "Shift"),
    QT_TRANSLATE_NOOP("Logbook", "Author"),
    QT_TRANSLATE_NOOP("Logbook", "Screen"),
    QT_TRANSLATE_NOOP("Logbook", "Tag"),
    QT_TRANSLATE_NOOP("Logbook", "Note"),
)
NOTE = COLUMNS.index("Note")


def when(t: float, form: str = "ddd yyyy-MM-dd HH:mm") -> str:
    return QLocale().toString(QDateTime.fromMSecsSinceEpoch(round(t * 1000)), form)


def shift_text(shift: tuple[float, float]) -> str:
    return f"{when(shift[0])}–{when(shift[1], 'HH:mm')}"


def _refill(combo: QComboBox, everything: str, choices: list[tuple[str, object]]) -> None:
    """Refill a filter list (first `everything`, no filter), keeping the choice made if it is still there."""
    chosen = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(everything, None)
    for text, value in choices:
        combo.addItem(text, value)
    combo.setCurrentIndex(max(0, combo.findData(chosen)))
    combo.blockSignals(False)


class NotesModel(QAbstractTableModel):
    """Notes as rows; the note's whole text as its tooltip."""

    def __init__(self, shifts: list[str], screens: Mapping[str, str], parent: QWidget | None = None):
        super().__init__(parent)
        self.shifts = shifts
        self.screens = screens
        self.rows: list[ShiftNote] = []

    def set_rows(self, rows: list[ShiftNote]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate(CONTEXT, COLUMNS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        note = self.rows[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == NOTE:
            return note.text
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        values = (
            when(note.at, "ddd yyyy-MM-dd HH:mm:ss"),
            shift_text(shift_of(note.at, self.shifts)),
            note.author,
            self.screens.get(note.screen, note.screen),
            note.tag,
            " ".join(note.text.split()),  # one line a row: the tooltip has it as written
        )
        return values[index.column()]


class LogbookView(QWidget):
    """Reads the notes from the audit trail on a worker thread once, then hears new ones from the logbook."""

    def __init__(
        self,
        logbook: Logbook,
        audit: AuditLog,
        storage: Storage,
        shifts: list[str],
        screens: Mapping[str, str],
        parent: QWidget | None = None,
        *,
        write: Callable[[], object] | None = None,
        replay: Callable[[float], None] | None = None,
        trend: Callable[[str], None] | None = None,
    ):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("Shift logbook"))
        self.audit = audit
        self.storage = storage
        self.shifts = shifts
        self.notes: list[ShiftNote] = []
        self.loaded = False
        self.shift = QComboBox(minimumContentsLength=26)
        self.shift.setToolTip(self.tr("Show the notes about one shift"))
        self.tag = QComboBox(minimumContentsLength=16)
        self.tag.setToolTip(self.tr("Show the notes on one tag"))
        for combo in (self.shift, self.tag):
            combo.currentIndexChanged.connect(self._filter)
        self.model = NotesModel(shifts, screens, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        for column, width in enumerate((190, 230, 100, 130, 150)):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.count = QLabel()
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Shift")))
        filters.addWidget(self.shift)
        filters.addWidget(QLabel(self.tr("Tag")))
        filters.addWidget(self.tag)
        filters.addStretch(1)
        filters.addWidget(self.count)
        buttons = QHBoxLayout()
        self.write_button = self._button(buttons, self.tr("New note…"), write, lambda f: f())
        self.replay_button = self._button(
            buttons, self.tr("Replay this moment"), replay, lambda f: self._on_note(lambda n: f(n.at))
        )
        self.trend_button = self._button(
            buttons, self.tr("Trend this tag"), trend, lambda f: self._on_note(lambda n: f(n.tag))
        )
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        if replay is not None:
            self.table.doubleClicked.connect(lambda index: replay(self.model.rows[index.row()].at))
        self.table.selectionModel().selectionChanged.connect(self._allow)
        self._allow()
        self.resize(1200, 560)
        self.loader = HistoryLoader(storage, self)
        self.loader.finished.connect(self._read)
        self.loader.failed.connect(lambda _kind, text: self.count.setText(self.tr("Not read: %s") % text))
        self._unsubscribe = logbook.subscribe(self.add)

    def _button(self, row: QHBoxLayout, text: str, slot: Callable | None, call: Callable) -> QPushButton:
        button = QPushButton(text)
        button.setVisible(slot is not None)
        if slot is not None:
            button.clicked.connect(lambda: call(slot))
        row.addWidget(button)
        return button

    def _on_note(self, act: Callable[[ShiftNote], object]) -> None:
        note = self.selected()
        if note is not None:  # the buttons are off without a selection
            act(note)

    def reload(self) -> None:
        """Read every note again (the audit trail commits on its own thread: wait for it first)."""
        audit, storage = self.audit, self.storage

        def job(_reader: object) -> list[ShiftNote]:
            audit.flush()
            return read_notes(storage)

        self.loader.submit("notes", job)

    def add(self, note: ShiftNote) -> None:
        self.notes.append(note)
        self._choices()

    def selected(self) -> ShiftNote | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def stop(self) -> None:
        """Stop reading and listening; call when the main window closes."""
        self.loader.close()
        self._unsubscribe()
        self.close()

    def _read(self, kind: str, notes: object) -> None:
        if kind == "notes" and isinstance(notes, list):
            self.notes = notes
            self.loaded = True
            self._choices()

    def _choices(self) -> None:
        """Refill the filter lists from the notes there are, keeping the choices made."""
        shifts = sorted({shift_of(n.at, self.shifts) for n in self.notes}, reverse=True)
        tags = sorted({n.tag for n in self.notes if n.tag})
        _refill(self.shift, self.tr("All shifts"), [(shift_text(s), s) for s in shifts])
        _refill(self.tag, self.tr("All tags"), [(t, t) for t in tags])
        self._filter()

    def _filter(self) -> None:
        shift, tag = self.shift.currentData(), self.tag.currentData()
        rows = [
            n
            for n in self.notes
            if (shift is None or shift_of(n.at, self.shifts) == tuple(shift))
            and (tag is None or n.tag == tag)
        ]
        rows.sort(key=lambda n: (n.at, n.written), reverse=True)
        self.model.set_rows(rows)
        self.count.setText(self.tr("%n note(s)", "", len(rows)))
        self._allow()

    def _allow(self, *_: object) -> None:
        note = self.selected()
        self.replay_button.setEnabled(note is not None)
        self.trend_button.setEnabled(note is not None and bool(note.tag))
