"""The editor's tag table: every project tag as a row, edited in place, with CSV import and export.

Every change goes through `document.apply`, so undo covers it; a cell whose new text the Tag model
refuses is not applied and the reason is shown. Renaming a tag renames its references too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hmi.errors import ProjectError
from hmi.project.io import field_path
from hmi.project.model import DataType, Tag
from hmi.project.refactor import Result, delete_tag, replace_tag, unique_name
from hmi.project.tagcsv import ImportResult, export_tags, import_tags

from ..dialogs import confirm
from ..i18n import QT_TRANSLATE_NOOP
from .alarm_dialog import AlarmDialog, alarm_summary

NAME, CONNECTION, NODE, TYPE, UNITS, DESCRIPTION, RANGE, WRITABLE, LIMITS, HISTORY, ALARMS = range(11)
COLUMNS = (
    QT_TRANSLATE_NOOP("TagTable", "Name"),
    QT_TRANSLATE_NOOP("TagTable", "Connection"),
    QT_TRANSLATE_NOOP("TagTable", "Node id"),
    QT_TRANSLATE_NOOP("TagTable", "Type"),
    QT_TRANSLATE_NOOP("TagTable", "Units"),
    QT_TRANSLATE_NOOP("TagTable", "Description"),
    QT_TRANSLATE_NOOP("TagTable", "Range"),
    QT_TRANSLATE_NOOP("TagTable", "Writable"),
    QT_TRANSLATE_NOOP("TagTable", "Write limits"),
    QT_TRANSLATE_NOOP("TagTable", "History"),
    QT_TRANSLATE_NOOP("TagTable", "Alarms"),
)
WIDTHS = (170, 95, 190, 70, 55, 200, 90, 75, 95, 110, 200)
_FIELDS = {NAME: "name", CONNECTION: "connection", NODE: "node", TYPE: "type", UNITS: "units"}
_FIELDS |= {DESCRIPTION: "description"}
HISTORY_HINT = QT_TRANSLATE_NOOP(
    "TagTable",
    "on_change [deadband | N%], periodic SECONDS, swinging_door DEVIATION, or off",
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("TagTable", text)


def pair_text(pair: tuple[float, float] | None) -> str:
    return "" if pair is None else f"{pair[0]:g} … {pair[1]:g}"


def parse_pair(text: str) -> tuple[float, float] | None:
    """'0 … 100', '0..100', '0, 100' or '0 100' -> (0, 100); empty -> None."""
    parts = [p for p in re.split(r"\s*(?:\.\.|…|,|;|\s)\s*", text.strip()) if p]
    if not parts:
        return None
    try:
        low, high = (float(p) for p in parts)
    except ValueError:
        raise ValueError(_tr("give two numbers, low and high, such as 0 … 100")) from None
    return low, high


_HISTORY_PARAM = {"periodic": "period_s", "swinging_door": "deviation"}


def history_text(tag: Tag) -> str:
    h = tag.history
    if h.mode == "on_change":
        extra = f" {h.deadband:g}" if h.deadband is not None else ""
        extra = f" {h.deadband_pct:g}%" if h.deadband_pct is not None else extra
        return "on_change" + extra
    value = getattr(h, _HISTORY_PARAM.get(h.mode, ""), None)
    return h.mode + (f" {value:g}" if value is not None else "")


def parse_history(text: str, tag: Tag) -> dict[str, Any]:
    """The history settings the cell text asks for; the tag's retention is kept."""
    words = text.split()
    mode = words[0] if words else "on_change"
    data: dict[str, Any] = {"mode": mode, "retention_days": tag.history.retention_days}
    if len(words) > 2:
        raise ValueError(_tr(HISTORY_HINT))
    if len(words) == 2:
        value = words[1]
        key = _HISTORY_PARAM.get(mode, "deadband_pct" if value.endswith("%") else "deadband")
        try:
            data[key] = float(value.removesuffix("%"))
        except ValueError:
            raise ValueError(_tr(HISTORY_HINT)) from None
    return {k: v for k, v in data.items() if v is not None}


def refusal(exc: Exception) -> str:
    """A validation failure as one line: 'field: why' for each error."""
    if isinstance(exc, ValidationError):
        return "; ".join(
            (f"{field_path(e['loc'])}: " if e["loc"] else "") + e["msg"].removeprefix("Value error, ")
            for e in exc.errors()
        )
    if isinstance(exc, ProjectError):
        return "; ".join(exc.problems)
    return str(exc)


class TagTableModel(QAbstractTableModel):
    """The document's tags as rows; `setData` applies an edit to the document or emits `refused`."""

    refused = Signal(str)
    applied = Signal(str)
    """A message about an edit that was applied, such as references that could not follow a rename."""

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.tags: list[Tag] = list(document.folder.project.tags)
        document.changed.connect(self._reload)

    def _reload(self) -> None:
        tags = list(self.document.folder.project.tags)
        if len(tags) != len(self.tags):
            self.beginResetModel()
            self.tags = tags
            self.endResetModel()
        elif tags != self.tags:
            self.tags = tags
            self.dataChanged.emit(self.index(0, 0), self.index(len(tags) - 1, len(COLUMNS) - 1))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.tags)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(COLUMNS[section])
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.ToolTipRole
            and section == HISTORY
        ):
            return _tr(HISTORY_HINT)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == WRITABLE:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if index.column() == ALARMS:
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        tag, column = self.tags[index.row()], index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == WRITABLE:
            return Qt.CheckState.Checked if tag.writable else Qt.CheckState.Unchecked
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(tag, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == ALARMS:
                return _tr("Double-click to edit the limit alarms")
            if column == HISTORY:
                return _tr(HISTORY_HINT)
            return self._text(tag, column) or None
        return None

    @staticmethod
    def _text(tag: Tag, column: int) -> str:
        if column in _FIELDS:
            return str(getattr(tag, _FIELDS[column]))
        if column == RANGE:
            return pair_text(tag.range)
        if column == LIMITS:
            return pair_text(tag.write_limits)
        if column == HISTORY:
            return history_text(tag)
        if column == ALARMS:
            return alarm_summary(tag.alarms)
        return ""

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ):
        if not index.isValid():
            return False
        tag, column = self.tags[index.row()], index.column()
        try:
            new = self.edited(tag, column, value, role)
        except (ValueError, ValidationError, ProjectError) as exc:
            self.refused.emit(_tr("{0} not changed: {1}").format(tag.name, refusal(exc)))
            return False
        if new != tag:
            self.replace(
                tag.name, new, _tr("Edit {0} of tag {1}").format(_tr(COLUMNS[column]).lower(), tag.name)
            )
        return True

    def edited(self, tag: Tag, column: int, value: Any, role: int) -> Tag:
        """The tag with one cell changed; raises ValueError or ValidationError when that is not valid."""
        data = tag.model_dump()
        if column == WRITABLE and role == Qt.ItemDataRole.CheckStateRole:
            data["writable"] = Qt.CheckState(value) == Qt.CheckState.Checked
            if not data["writable"]:
                data["write_limits"] = None  # limits mean nothing on a read-only tag
        elif column in _FIELDS:
            data[_FIELDS[column]] = str(value).strip()
            if column == NAME and data["name"] != tag.name and data["name"] in self.document.folder.tags:
                raise ValueError(_tr("tag {0} already exists").format(data["name"]))
        elif column in (RANGE, LIMITS):
            data["range" if column == RANGE else "write_limits"] = parse_pair(str(value))
        elif column == HISTORY:
            data["history"] = parse_history(str(value), tag)
        else:
            return tag
        return Tag.model_validate(data)

    def replace(self, old: str, tag: Tag, text: str) -> None:
        """Apply a new definition of tag `old` (renaming its references when the name changed)."""
        self.apply(replace_tag(self.document.folder, old, tag), text)

    def apply(self, result: Result, text: str) -> None:
        """Push a refactoring's folder to the document as one undoable edit."""
        folder, new = self.document.folder, result.folder
        parts: dict[str, Any] = {"project": new.project}
        if new.screens is not folder.screens:
            parts["screens"] = new.screens
        if new.templates is not folder.templates:
            parts["templates"] = new.templates
        self.document.apply(text, **parts)
        if result.dangling:
            self.applied.emit(
                _tr("{0}: {1} reference(s) could not follow, see Problems").format(text, len(result.dangling))
            )


class ChoiceDelegate(QStyledItemDelegate):
    """Drop-down lists for the type and connection columns, so only valid choices can be made."""

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QWidget:
        if index.column() == TYPE:
            choices = list(DataType.__args__)  # type: ignore[attr-defined]
        elif index.column() == CONNECTION:
            choices = list(self.document.folder.project.connections)
        else:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.addItems(choices)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentText(index.data(Qt.ItemDataRole.EditRole))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText())
        else:
            super().setModelData(editor, model, index)


class TagTable(QWidget):
    """The tag table editor. Mount it in a dock: `dock.setWidget(TagTable(document))`; connect `message`
    to the status bar. `select_tag(name)` shows a tag (e.g. from the problems panel)."""

    message = Signal(str)

    def __init__(self, document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.model = TagTableModel(document, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit(placeholderText=self.tr("Filter tags"), clearButtonEnabled=True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        buttons = QHBoxLayout()
        buttons.addWidget(self.filter, 1)
        for text, slot in (
            (self.tr("Add"), self.add_tag),
            (self.tr("Delete"), self._delete_selected),
            (self.tr("Alarms…"), self._edit_current_alarms),
            (self.tr("Import CSV…"), self._ask_import),
            (self.tr("Export CSV…"), self._ask_export),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setItemDelegate(ChoiceDelegate(document, self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        header = self.view.horizontalHeader()
        for column, width in enumerate(WIDTHS):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.view.doubleClicked.connect(self._double_clicked)
        self.status = QLabel()
        self.status.setObjectName("TagTableStatus")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.view)
        layout.addWidget(self.status)
        self.model.refused.connect(lambda text: self._say(text, problem=True))
        self.model.applied.connect(self._say)
        self.dialog: AlarmDialog | None = None

    def _say(self, text: str, problem: bool = False) -> None:
        self.status.setStyleSheet("color: #b000b0;" if problem else "")
        self.status.setText(text)
        self.status.setToolTip(text)
        self.message.emit(text)

    def select_tag(self, name: str) -> None:
        """Scroll to and select the tag's row (clearing a filter that hides it)."""
        rows = [i for i, t in enumerate(self.model.tags) if t.name == name]
        if not rows:
            return
        index = self.proxy.mapFromSource(self.model.index(rows[0], NAME))
        if not index.isValid():
            self.filter.clear()
            index = self.proxy.mapFromSource(self.model.index(rows[0], NAME))
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)

    def add_tag(self) -> Tag:
        """A new tag with a free name on the first connection, selected for editing."""
        folder = self.document.folder
        name = unique_name("NewTag", folder.tags)
        connection = next(iter(folder.project.connections), "plant")
        tag = Tag(name=name, connection=connection, node=f"ns=2;s={name}")
        project = folder.project.model_copy(update={"tags": [*folder.project.tags, tag]})
        self.document.apply(self.tr("Add tag {0}").format(name), project=project)
        self.select_tag(name)
        return tag

    def selected_names(self) -> list[str]:
        rows = {self.proxy.mapToSource(i).row() for i in self.view.selectionModel().selectedRows()}
        return [self.model.tags[r].name for r in sorted(rows)]

    def deleted(self, names: list[str]) -> Result:
        """The project without these tags, and the references that would be left dangling."""
        folder = self.document.folder
        for name in names:
            folder = delete_tag(folder, name).folder
        before = set(self.document.folder.problems())
        return Result(folder, [p for p in folder.problems() if p not in before])

    def delete_tags(self, names: list[str]) -> list[str]:
        """Delete the tags as one undoable edit; returns the references left dangling."""
        if not names:
            return []
        result = self.deleted(names)
        self.model.apply(result, self.tr("Delete %n tag(s)", "", len(names)))
        return result.dangling

    def _delete_selected(self) -> None:
        names = self.selected_names()
        dangling = self.deleted(names).dangling if names else []
        if dangling:
            shown = "\n".join(dangling[:12]) + ("\n…" if len(dangling) > 12 else "")
            question = self.tr("{0} reference(s) would point at nothing:\n{1}\n\nDelete anyway?").format(
                len(dangling), shown
            )
            if not confirm(self, question):
                return
        self.delete_tags(names)

    def import_csv(self, path: Path | str) -> ImportResult:
        """Merge a CSV file's tags into the project (one undoable edit); bad rows are left out and listed."""
        path = Path(path)
        folder = self.document.folder
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            result = ImportResult(list(folder.project.tags), errors=[f"{path.name}: {exc}"])
        else:
            result = import_tags(text, folder.project.tags, folder.project.connections)
        if result.added or result.updated:
            project = folder.project.model_copy(update={"tags": result.tags})
            self.document.apply(self.tr("Import tags from {0}").format(path.name), project=project)
        summary = self.tr("{0}: {1} added, {2} updated, {3} problem(s)").format(
            path.name, len(result.added), len(result.updated), len(result.errors)
        )
        self._say(summary, problem=bool(result.errors))
        return result

    def export_csv(self, path: Path | str) -> None:
        Path(path).write_text(export_tags(self.document.folder.project.tags), encoding="utf-8")
        self._say(self.tr("{0} tags written to {1}").format(len(self.model.tags), Path(path).name))

    def _ask_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import tags"), "", self.tr("CSV files (*.csv)"))
        if not path:
            return
        result = self.import_csv(path)
        if result.errors:
            box = QMessageBox(
                QMessageBox.Icon.Warning, self.tr("Import tags"), self.status.text(), parent=self
            )
            box.setInformativeText(self.tr("These rows were left out:"))
            box.setDetailedText("\n".join(result.errors))
            box.exec()

    def _ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export tags"), "tags.csv", self.tr("CSV files (*.csv)")
        )
        if path:
            self.export_csv(path)

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.column() == ALARMS:
            self.edit_alarms(self.model.tags[self.proxy.mapToSource(index).row()].name)

    def _edit_current_alarms(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.edit_alarms(self.model.tags[self.proxy.mapToSource(index).row()].name)

    def edit_alarms(self, name: str) -> AlarmDialog:
        """Open the alarm settings of a tag (window-modal); OK applies them as one undoable edit."""
        tag = self.document.folder.tags[name]
        self.dialog = dialog = AlarmDialog(tag, self)

        def done() -> None:
            current = self.document.folder.tags.get(name)
            if current is not None and dialog.alarms != current.alarms:
                new = current.model_copy(update={"alarms": dialog.alarms})
                self.model.replace(name, new, self.tr("Edit alarms of tag {0}").format(name))

        dialog.accepted.connect(done)
        dialog.open()
        return dialog
