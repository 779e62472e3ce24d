"""The screens and templates of the project: open one on the canvas, add, duplicate, rename (links
follow, via hmi.project.refactor), delete (after a confirmation naming what would dangle) and choose
the start screen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QGridLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hmi.errors import ProjectError
from hmi.project import refactor
from hmi.project.model import Screen, Template

from ..dialogs import confirm
from .document import Document

KINDS = ("screen", "template")


class ScreensPanel(QWidget):
    """Two lists (screens, templates); `open_requested(kind, name)` when one is to be shown."""

    open_requested = Signal(str, str)
    message = Signal(str)

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.lists: dict[str, QListWidget] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        for kind, title in zip(KINDS, (self.tr("Screens"), self.tr("Templates")), strict=True):
            layout.addWidget(QLabel(title))
            names = QListWidget()
            names.setObjectName(f"{kind}_list")
            names.currentItemChanged.connect(
                lambda entry, _old, k=kind: (
                    None if entry is None else self.open_requested.emit(k, entry.text())
                )
            )
            names.itemActivated.connect(lambda entry, k=kind: self.open_requested.emit(k, entry.text()))
            self.lists[kind] = names
            layout.addWidget(names, 1)
            buttons = QGridLayout()
            actions: list[tuple[str, Callable[..., None]]] = [
                (self.tr("Add"), lambda _=False, k=kind: self.add(k)),
                (self.tr("Duplicate"), lambda _=False, k=kind: self.duplicate(k)),
                (self.tr("Rename"), lambda _=False, k=kind: self.rename(k)),
                (self.tr("Delete"), lambda _=False, k=kind: self.delete(k)),
            ]
            if kind == "screen":
                actions.append((self.tr("Start screen"), lambda _=False: self.set_start()))
            for n, (text, slot) in enumerate(actions):
                button = QPushButton(text)
                button.clicked.connect(slot)
                buttons.addWidget(button, n // 3, n % 3)
            layout.addLayout(buttons)
        document.changed.connect(self.reload)
        self.reload()

    def show_current(self, kind: str, name: str) -> None:
        """Mark what the canvas shows (opened from elsewhere, e.g. the problems list)."""
        for k, view in self.lists.items():
            with QSignalBlocker(view):
                found = view.findItems(name, Qt.MatchFlag.MatchExactly) if k == kind else []
                view.setCurrentItem(found[0] if found else None)  # type: ignore[arg-type]  # None: no current item

    def reload(self) -> None:
        folder = self.document.folder
        for kind, names in (("screen", folder.screens), ("template", folder.templates)):
            view = self.lists[kind]
            current = self.current(kind)
            blocker = QSignalBlocker(view)  # rebuilding the list is not the user choosing a screen
            view.clear()
            for name in sorted(names):
                entry = QListWidgetItem(name)
                if kind == "screen" and name == folder.project.start_screen:
                    font = QFont(entry.font())
                    font.setBold(True)
                    entry.setFont(font)
                    entry.setToolTip(self.tr("Start screen"))
                view.addItem(entry)
                if name == current:
                    view.setCurrentItem(entry)
            blocker.unblock()

    def current(self, kind: str) -> str | None:
        entry = self.lists[kind].currentItem()
        return entry.text() if entry is not None else None

    def _ask_name(self, title: str, suggestion: str) -> str | None:
        name, ok = QInputDialog.getText(
            self, title, self.tr("File name (a-z, 0-9, - and _):"), text=suggestion
        )
        return name.strip() if ok and name.strip() else None

    def _run(self, text: str, edit: object) -> bool:
        """Apply a refactoring (a callable returning a Result); a refusal goes to the status bar."""
        try:
            result = edit()  # type: ignore[operator]
        except ProjectError as exc:
            self.message.emit("; ".join(exc.problems))
            return False
        self.document.apply_folder(text, result.folder)
        if result.dangling:
            self.message.emit(self.tr("Now dangling: {0}").format("; ".join(result.dangling)))
        return True

    def add(self, kind: str) -> None:
        folder = self.document.folder
        existing = folder.screens if kind == "screen" else folder.templates
        name = self._ask_name(self.tr("New {0}").format(kind), refactor.unique_name(f"new_{kind}", existing))
        if name is None:
            return
        if name in existing:
            self.message.emit(self.tr("There already is a {0} '{1}'").format(kind, name))
            return
        if kind == "screen":
            self.document.apply(self.tr("Add screen"), screens={**folder.screens, name: Screen(title=name)})
        else:
            template = Template(title=name, size=(320, 200))
            self.document.apply(self.tr("Add template"), templates={**folder.templates, name: template})
        self.open_requested.emit(kind, name)

    def duplicate(self, kind: str) -> None:
        source = self.current(kind)
        if source is None:
            return
        folder = self.document.folder
        existing = folder.screens if kind == "screen" else folder.templates
        name = self._ask_name(self.tr("Duplicate {0}").format(source), refactor.unique_name(source, existing))
        if name is None:
            return
        if kind == "screen":
            done = self._run(
                self.tr("Duplicate screen"), lambda: refactor.duplicate_screen(folder, source, name)
            )
        elif name in existing:
            self.message.emit(self.tr("There already is a {0} '{1}'").format(kind, name))
            return
        else:
            copy = Template.model_validate(folder.templates[source].model_dump())
            self.document.apply(self.tr("Duplicate template"), templates={**folder.templates, name: copy})
            done = True
        if done:
            self.open_requested.emit(kind, name)

    def rename(self, kind: str) -> None:
        old = self.current(kind)
        if old is None:
            return
        new = self._ask_name(self.tr("Rename {0}").format(old), old)
        if new is None or new == old:
            return
        folder = self.document.folder
        fn = refactor.rename_screen if kind == "screen" else refactor.rename_template
        if self._run(self.tr("Rename {0}").format(kind), lambda: fn(folder, old, new)):
            self.open_requested.emit(kind, new)

    def delete(self, kind: str) -> None:
        name = self.current(kind)
        if name is None:
            return
        folder = self.document.folder
        fn = refactor.delete_screen if kind == "screen" else refactor.delete_template
        try:
            preview = fn(folder, name)
        except ProjectError as exc:
            self.message.emit(str(exc))
            return
        question = self.tr("Delete {0} '{1}'?").format(kind, name)
        if preview.dangling:
            question += (
                "\n\n"
                + self.tr("These references would point at nothing:")
                + "\n"
                + "\n".join(preview.dangling)
            )
        if confirm(self, question):
            self.document.apply_folder(self.tr("Delete {0}").format(kind), preview.folder)

    def set_start(self) -> None:
        name = self.current("screen")
        project = self.document.folder.project
        if name is not None and name != project.start_screen:
            self.document.apply(
                self.tr("Start screen"), project=project.model_copy(update={"start_screen": name})
            )
