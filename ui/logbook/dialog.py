"""Writing a shift note: when it is about, on which screen and tag, and what the next shift should know."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from hmi.logbook import Logbook, LogbookError, ShiftNote
from hmi.security import SecurityError

from ..security.users_view import problem_label


@dataclass(frozen=True)
class NoteOpener:
    """What a screen item's menu needs to offer 'Shift note…': why the user may not (None: they may),
    and how to open the dialog for a tag."""

    refused: Callable[[], str | None]
    open: Callable[[str], object]


class NoteDialog(QDialog):
    """The note form; 'Add to logbook' keeps it through the engine's permission check, and a refusal or
    a note that cannot be kept stays in view with the text kept."""

    def __init__(
        self,
        logbook: Logbook,
        actor: str,
        screens: Mapping[str, str],
        tags: list[str],
        at: float,
        screen: str = "",
        tag: str = "",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Shift note"))
        self.logbook = logbook
        self.actor = actor
        self.tags = set(tags)
        self.note: ShiftNote | None = None
        self.at = QDateTimeEdit(
            QDateTime.fromMSecsSinceEpoch(round(at * 1000)),
            calendarPopup=True,
            displayFormat="yyyy-MM-dd HH:mm:ss",
        )
        self.at.setToolTip(self.tr("The moment the note is about; it shows in trends and replays there"))
        self.screen_choice = QComboBox()
        self.screen_choice.addItem(self.tr("(no screen)"), "")
        for name, title in screens.items():
            self.screen_choice.addItem(title, name)
        self.screen_choice.setCurrentIndex(max(0, self.screen_choice.findData(screen)))
        self.tag = QComboBox(editable=True)
        self.tag.addItem("")
        self.tag.addItems(sorted(tags))
        self.tag.setCurrentText(tag)
        self.tag.setPlaceholderText(self.tr("(no tag)"))
        completer = QCompleter(sorted(tags), self.tag)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.tag.setCompleter(completer)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(self.tr("What the next shift should know"))
        self.text.setMinimumSize(520, 160)
        form = QFormLayout()
        form.addRow(self.tr("About"), self.at)
        form.addRow(self.tr("Screen"), self.screen_choice)
        form.addRow(self.tr("Tag"), self.tag)
        form.addRow(self.tr("Note"), self.text)
        self.problem = problem_label()
        self.problem.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton(self.tr("Add to logbook"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.keep)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.text.setFocus()

    def keep(self) -> None:
        tag = self.tag.currentText().strip()
        if tag and tag not in self.tags:
            self._show(
                self.tr("There is no tag %s in this project: pick one from the list or leave it empty") % tag
            )
            return
        try:
            self.note = self.logbook.write(
                self.actor,
                self.text.toPlainText(),
                self.at.dateTime().toMSecsSinceEpoch() / 1000,
                self.screen_choice.currentData() or "",
                tag,
            )
        except (LogbookError, SecurityError) as exc:
            self._show(str(exc))
            return
        self.accept()

    def _show(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()
