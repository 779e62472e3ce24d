"""The Edit and Arrange menus' work on the canvas selection: clipboard, delete, align, distribute,
z-order, group. Each is one undoable edit through the canvas. The clipboard holds the items as the
YAML of a screen file's `items:`, so they paste into another screen, another editor or a text file."""

from __future__ import annotations

from pydantic import ValidationError
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from hmi.project.model import Item, SourceConfig
from hmi.project.symbols import Instance

from . import arrange
from .canvas import Canvas
from .document import Document

PASTE_OFFSET = 20.0


class CanvasCommands(QObject):
    """Edit/Arrange commands on `canvas`; `message` tells the status bar why one did nothing."""

    message = Signal(str)

    def __init__(self, canvas: Canvas):
        super().__init__(canvas)
        self.canvas = canvas

    def _chosen(self) -> list[Item]:
        items = self.canvas.model_items()
        return [items[i] for i in self.canvas.selected if i < len(items)]

    # -- clipboard -----------------------------------------------------------------------------

    def copy(self) -> None:
        chosen = self._chosen()
        if not chosen:
            return
        # Plain text only: a QMimeData handed to the clipboard crashes PySide6 6.11 at exit (offscreen).
        QApplication.clipboard().setText(arrange.to_yaml(chosen))

    def cut(self) -> None:
        self.copy()
        self.delete(self.tr("Cut"))

    def paste(self) -> None:
        text = QApplication.clipboard().text()
        try:
            pasted = arrange.from_yaml(text)
        except (ValueError, ValidationError) as exc:
            self.message.emit(self.tr("Nothing to paste: {0}").format(str(exc).splitlines()[0]))
            return
        self._add(self.tr("Paste"), pasted)

    def duplicate(self) -> None:
        self._add(self.tr("Duplicate"), self._chosen())

    def _add(self, text: str, new: list[Item]) -> None:
        """Append `new` and select it; items landing exactly on existing ones are shifted into view."""
        if not new:
            return
        items = self.canvas.model_items()
        taken = {it.at for it in items}
        if any(it.at in taken for it in new):
            new = [arrange.moved(it, PASTE_OFFSET, PASTE_OFFSET) for it in new]
        self.canvas.set_items(text, [*items, *new], select=list(range(len(items), len(items) + len(new))))

    def delete(self, text: str | None = None) -> None:
        if self.canvas.selected:
            items = arrange.delete(self.canvas.model_items(), self.canvas.selected)
            self.canvas.set_items(text or self.tr("Delete"), items, select=[])

    def select_all(self) -> None:
        self.canvas.select(list(range(len(self.canvas.rects))))

    # -- arrange -------------------------------------------------------------------------------

    def align(self, edge: str) -> None:
        items = arrange.align(self.canvas.model_items(), self.canvas.rects, self.canvas.selected, edge)
        self.canvas.set_items(self.tr("Align"), items)

    def distribute(self, axis: str) -> None:
        items = arrange.distribute(self.canvas.model_items(), self.canvas.rects, self.canvas.selected, axis)
        self.canvas.set_items(self.tr("Distribute"), items)

    def order(self, where: str) -> None:
        if self.canvas.selected:
            items, chosen = arrange.reorder(self.canvas.model_items(), self.canvas.selected, where)
            self.canvas.set_items(self.tr("Change order"), items, select=chosen)

    def group(self) -> None:
        """The selection becomes a new frameless template placed where it was (the model's group)."""
        canvas = self.canvas
        if len(canvas.selected) < 2 or canvas.target[0] != "screen":
            self.message.emit(self.tr("Select two or more items of a screen to group them"))
            return
        folder = canvas.document.folder
        name = next(f"group_{n}" for n in range(1, 10_000) if f"group_{n}" not in folder.templates)
        items, template, index = arrange.group(canvas.model_items(), canvas.rects, canvas.selected, name)
        screen = folder.screens[canvas.target[1]].model_copy(update={"items": items})
        canvas.selected = [index]
        canvas.document.apply(
            self.tr("Group"),
            screens={**folder.screens, canvas.target[1]: screen},
            templates={**folder.templates, name: template},
        )
        canvas.selection_changed.emit()

    def ungroup(self) -> None:
        """A selected template instance becomes its items again (the template itself stays)."""
        canvas = self.canvas
        chosen = self._chosen()
        templates = canvas.document.folder.templates
        if len(chosen) != 1 or not isinstance(chosen[0], Instance) or chosen[0].template not in templates:
            self.message.emit(self.tr("Select one template instance to ungroup it"))
            return
        index = canvas.selected[0]
        count = len(templates[chosen[0].template].items)
        items = arrange.ungroup(canvas.model_items(), index, templates)
        canvas.set_items(self.tr("Ungroup"), items, select=list(range(index, index + count)))


def edit_connections(
    document: Document, text: str, connections: dict[str, SourceConfig], renamed: dict[str, str]
) -> bool:
    """The project's connections replaced in one undoable edit, the tags of a renamed one following
    it; False when nothing changed."""
    project = document.folder.project
    tags = [
        t.model_copy(update={"connection": renamed[t.connection]}) if t.connection in renamed else t
        for t in project.tags
    ]
    if connections == project.connections and not renamed:
        return False
    document.apply(text, project=project.model_copy(update={"connections": connections, "tags": tags}))
    return True
