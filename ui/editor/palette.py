"""The palette: every item type the model knows and every template of the project, dragged onto the
canvas to place one (PALETTE_MIME), or double-clicked to place one in the middle of the screen."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QMimeData, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QGraphicsScene, QTreeWidget, QTreeWidgetItem, QWidget

from hmi.project import ProjectFolder
from hmi.project.model import Item
from hmi.project.symbols import Instance, parse_item, symbols

from ..screens.context import ItemContext
from .canvas import PALETTE_MIME
from .document import Document
from .still import preview_context, still_item

PAYLOAD_ROLE = Qt.ItemDataRole.UserRole + 1
ICON = 22


def item_types() -> list[str]:
    """Every registered symbol but `template` (templates are listed by name)."""
    return [name for name in symbols() if name != "template"]


def new_item(payload: str, at: tuple[float, float], folder: ProjectFolder) -> Item:
    """The item a palette entry (`pump`, `template:NAME`) places at `at`, with its class's default size;
    KeyError for a template the project lacks, ValueError for a type no symbol has."""
    kind, _, name = payload.partition(":")
    if kind == "template":
        template = folder.templates[name]
        args = {p: p for p, spec in template.params.items() if spec.default is None}
        return Instance(type="template", at=at, template=name, args=args)
    symbol = symbols().get(kind)
    if symbol is None:
        raise ValueError(f"no item type {kind!r}")
    return parse_item({"type": kind, "at": at, "label": symbol.label, **symbol.new})


def symbol_icon(kind: str, folder: ProjectFolder, ctx: ItemContext) -> QIcon:
    """The symbol drawn by the runtime itself, small, without its label (an empty icon if it cannot be
    drawn alone)."""
    if kind == "image":  # a picture of the project's own: nothing to show before one is chosen
        return QIcon()
    try:
        model = new_item(kind, (0.0, 0.0), folder).model_copy(update={"label": ""})
        item = still_item(model, ctx)
    except (ValueError, KeyError, OSError):
        return QIcon()
    scene = QGraphicsScene()
    scene.addItem(item)
    source = item.mapRectToScene(item.body)
    pixmap = QPixmap(ICON * 2, ICON * 2)  # drawn at twice the size: crisp on high-DPI screens
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scene.render(painter, QRectF(2, 2, ICON * 2 - 4, ICON * 2 - 4), source)
    painter.end()
    return QIcon(pixmap)


class Palette(QTreeWidget):
    """Symbols and templates; `place` asks to add one where the user double-clicked nothing in particular."""

    place = Signal(str)

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.setHeaderHidden(True)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setRootIsDecorated(True)
        self.setIconSize(QSize(ICON, ICON))
        self.symbols = QTreeWidgetItem(self, [self.tr("Symbols")])
        ctx = preview_context(document.folder)
        for kind in item_types():
            entry = QTreeWidgetItem(self.symbols, [kind.replace("_", " ")])
            entry.setData(0, PAYLOAD_ROLE, kind)
            entry.setIcon(0, symbol_icon(kind, document.folder, ctx))
            entry.setToolTip(0, self.tr("Drag onto the screen, or double-click to add"))
        self.templates = QTreeWidgetItem(self, [self.tr("Templates")])
        for node in (self.symbols, self.templates):
            node.setFlags(node.flags() & ~Qt.ItemFlag.ItemIsDragEnabled)
        self.expandAll()
        self.itemDoubleClicked.connect(self._double_clicked)
        document.changed.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        """List the project's templates again (added, renamed or removed)."""
        names = sorted(self.document.folder.templates)
        listed = [self.templates.child(i) for i in range(self.templates.childCount())]
        if [entry.text(0) for entry in listed if entry is not None] == names:
            return
        self.templates.takeChildren()
        for name in names:
            entry = QTreeWidgetItem(self.templates, [name])
            entry.setData(0, PAYLOAD_ROLE, f"template:{name}")

    def mimeTypes(self) -> list[str]:
        return [PALETTE_MIME]

    def mimeData(self, items: Sequence[QTreeWidgetItem]) -> QMimeData | None:  # type: ignore[override]
        # None starts no drag (Qt takes a null pointer; the stubs do not say so)
        payload = next((i.data(0, PAYLOAD_ROLE) for i in items if i.data(0, PAYLOAD_ROLE)), None)
        if payload is None:
            return None
        return payload_mime(payload)

    def _double_clicked(self, entry: QTreeWidgetItem) -> None:
        payload = entry.data(0, PAYLOAD_ROLE)
        if payload:
            self.place.emit(payload)


def payload_mime(payload: str) -> QMimeData:
    mime = QMimeData()
    mime.setData(PALETTE_MIME, payload.encode("utf-8"))
    return mime
