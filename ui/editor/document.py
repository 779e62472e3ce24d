"""The project being edited: one undo stack, and every edit replaces whole model objects (snapshots).

Models held by the stack are never mutated: an edit builds new ones (`model_copy(update=...)`), so
undo only has to put the previous objects back. Snapshots of a screen's item list are cheap next to
the bugs of hand-written inverse operations.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from hmi.project import ProjectFolder, save_project
from hmi.project.model import Project, Screen, Template
from hmi.security.service import Security

PARTS = ("project", "screens", "templates")


class Edit(QUndoCommand):
    """Replace parts of the folder; undo puts the previous parts back."""

    def __init__(self, document: Document, text: str, after: dict[str, Any], merge_id: int):
        super().__init__(text)
        self.document = document
        self.after = after
        self.before = {part: getattr(document.folder, part) for part in after}
        self.merge_id = merge_id

    def id(self) -> int:
        return self.merge_id

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, Edit) or other.merge_id != self.merge_id:
            return False
        for part, value in other.before.items():
            self.before.setdefault(part, value)
        self.after.update(other.after)
        return True

    def redo(self) -> None:
        self.document._set(self.after)

    def undo(self) -> None:
        self.document._set(self.before)


class Document(QObject):
    """The project being edited; `changed` after any edit, undo or redo."""

    changed = Signal()

    def __init__(
        self, folder: ProjectFolder, security: Security | None = None, parent: QObject | None = None
    ):
        super().__init__(parent)
        self.folder = folder
        self.security = security
        """Saves go through its permission check and audit when given (the editor's logged-in user)."""
        self.undo = QUndoStack(self)

    def apply(
        self,
        text: str,
        *,
        project: Project | None = None,
        screens: dict[str, Screen] | None = None,
        templates: dict[str, Template] | None = None,
        merge_id: int = -1,
    ) -> None:
        """Push one undoable edit replacing the given parts; merge_id >= 0 merges repeats (nudges, typing)."""
        after = {
            part: value
            for part, value in zip(PARTS, (project, screens, templates), strict=True)
            if value is not None
        }
        if after:
            self.undo.push(Edit(self, text, after, merge_id))

    def apply_folder(self, text: str, folder: ProjectFolder) -> None:
        """Push the parts of another folder (a refactoring's result) that differ from the current ones."""
        parts = {
            part: getattr(folder, part)
            for part in PARTS
            if getattr(folder, part) is not getattr(self.folder, part)
        }
        self.apply(text, **parts)

    def _set(self, parts: dict[str, Any]) -> None:
        for part, value in parts.items():
            setattr(self.folder, part, value)
        self.changed.emit()

    def problems(self) -> list[str]:
        """What `hmi check` would say about the current state."""
        return self.folder.problems()

    @property
    def dirty(self) -> bool:
        return not self.undo.isClean()

    def save(self, actor: str | None = None) -> list[str]:
        """Write the changed files (as `actor`, checked and audited, when there is a security service)."""
        if self.security is not None:
            written = self.security.save_project(self.folder, actor or "")
        else:
            written = save_project(self.folder)
        self.undo.setClean()
        return written
