"""The editor's canvas: a screen or template drawn by the runtime's own items, edited with the mouse.

Items are drawn by `make_item` exactly as operators will see them, on a table of preview values
(mid-range numbers, false booleans, all Good) so nothing shows as Bad while editing. The items take
no mouse input; the view hit-tests the drawn rectangles itself and every change it makes is one
`Document.apply`, so undo covers moves, resizes and drops alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import ValidationError
from PySide6.QtCore import QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsObject, QGraphicsScene, QGraphicsView, QWidget

from hmi.project import templates as tpl
from hmi.project.model import Item, Project, Screen, Tag, Template

from .. import theme
from ..screens.items import ScreenItem
from . import arrange, node_drop
from .arrange import Rect
from .document import Document
from .node_model import MIME_TYPE as NODE_MIME
from .node_model import node_payload
from .still import preview_context, still_item

PALETTE_MIME = "application/x-openhmi-item"
"""Drag payload of the palette: an item type (`pump`) or `template:NAME`, as UTF-8 text."""
NUDGE_MERGE = 0x4E55
"""Arrow-key nudges in a row are one undo step."""
HANDLE = 4.0
SELECTION = QColor("#1f5fbf")
"""Editor chrome only: selection must stand out against the calm grey process graphics."""
ZOOM_MIN, ZOOM_MAX = 0.1, 8.0
GRID_MIN_PX = 12.0
"""Closest drawn grid lines on screen; snapping still uses the full grid."""


class Overlay(QGraphicsObject):
    """Selection frames, resize handles and the rubber band, drawn above every item."""

    def __init__(self, canvas: Canvas):
        super().__init__()
        self.canvas = canvas
        self.band: QRectF | None = None
        self.ghost: QRectF | None = None
        self.setZValue(1e9)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return QRectF(-1e5, -1e5, 2e5, 2e5)

    def paint(self, p: QPainter, option: object, widget: QWidget | None = None) -> None:
        scale = 1 / max(self.canvas.transform().m11(), 1e-3)
        pen = QPen(SELECTION, 1.5 * scale, Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        for rect in self.canvas.selected_rects():
            p.drawRect(rect)
        if self.ghost is not None:
            p.drawRect(self.ghost)
        handles = self.canvas.handles()
        p.setPen(QPen(SELECTION, scale))
        p.setBrush(QColor("#ffffff"))
        for point in handles:
            p.drawRect(
                QRectF(
                    point.x() - HANDLE * scale,
                    point.y() - HANDLE * scale,
                    2 * HANDLE * scale,
                    2 * HANDLE * scale,
                )
            )
        if self.band is not None:
            p.setPen(QPen(SELECTION, scale, Qt.PenStyle.DotLine))
            p.setBrush(QColor(31, 95, 191, 30))
            p.drawRect(self.band)


@dataclass
class _Drag:
    """A press followed by moves: a rubber band, moving the selection by (dx, dy), or resizing by a handle."""

    mode: Literal["band", "move", "resize"]
    start: QPointF
    handle: int = -1
    dx: float = 0.0
    dy: float = 0.0
    origins: dict[int, QPointF] = field(default_factory=dict)
    """Where each moved item was, to follow the mouse from."""


def _qrect(r: Rect) -> QRectF:
    return QRectF(r.x, r.y, r.w, r.h)


class Canvas(QGraphicsView):
    """One screen (or template) of the document, editable; `selection_changed` after any (de)selection."""

    selection_changed = Signal()
    target_changed = Signal()

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.target: tuple[str, str] = ("screen", "")
        self.selected: list[int] = []
        self.grid = 10.0
        self.show_grid = True
        self.snap_on = True
        self.auto_fit = True
        self.drawn: list[ScreenItem | None] = []
        self.rects: list[Rect] = []
        self._drag: _Drag | None = None
        self.setScene(QGraphicsScene(self))
        self.overlay = Overlay(self)
        self.setRenderHints(QPainter.RenderHint.TextAntialiasing)  # as the runtime's ScreenView
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAcceptDrops(True)
        self.setMouseTracking(True)
        document.changed.connect(self.rebuild)

    # -- what is shown -------------------------------------------------------------------------

    def open(self, kind: str, name: str) -> None:
        """Show screen or template `name` (kind 'screen' or 'template')."""
        self.target = (kind, name)
        self.selected = []
        self.rebuild()
        self.fit()
        self.target_changed.emit()
        self.selection_changed.emit()

    def container(self) -> Screen | Template | None:
        kind, name = self.target
        folder = self.document.folder
        return (folder.screens if kind == "screen" else folder.templates).get(name)

    def model_items(self) -> list[Item]:
        container = self.container()
        return list(container.items) if container is not None else []

    def _shown_items(self, container: Screen | Template) -> list[Item]:
        """What to draw: a template's items with its defaults (or parameter names) filled in."""
        if isinstance(container, Template):
            try:
                return tpl.expand(container, arrange.preview_args(container))
            except ValueError:
                return list(container.items)
        return list(container.items)

    def rebuild(self) -> None:
        """Redraw from the document (after any edit, undo or redo), keeping the selection's indexes."""
        scene = self.scene()
        if self.overlay.scene() is scene:
            scene.removeItem(self.overlay)  # kept: it holds the band and ghost of a drag in progress
        scene.clear()
        self.drawn, self.rects = [], []
        container = self.container()
        if container is None:
            folder = self.document.folder
            fallback = folder.project.start_screen if folder.project.start_screen in folder.screens else ""
            if self.target != ("screen", fallback) and (fallback or folder.screens):
                self.open("screen", fallback or next(iter(folder.screens)))
                return
            scene.addItem(self.overlay)
            return
        scene.setSceneRect(QRectF(0, 0, *container.size))
        ctx = preview_context(self.document.folder)
        for model in self._shown_items(container):
            item = still_item(model, ctx)
            scene.addItem(item)
            self.drawn.append(item)
            self.rects.append(self._rect_of(item))
        scene.addItem(self.overlay)
        self.selected = [i for i in self.selected if i < len(self.rects)]
        self.overlay.update()

    @staticmethod
    def _rect_of(item: ScreenItem) -> Rect:
        r = item.mapRectToScene(item.body)
        return Rect(r.x(), r.y(), r.width(), r.height())

    # -- selection -----------------------------------------------------------------------------

    def select(self, indexes: list[int]) -> None:
        self.selected = sorted({i for i in indexes if 0 <= i < len(self.rects)})
        self.overlay.update()
        self.selection_changed.emit()

    def selected_rects(self) -> list[QRectF]:
        """Frames of the selection, following the mouse while it is being moved."""
        drag = self._drag
        dx, dy = (drag.dx, drag.dy) if drag is not None and drag.mode == "move" else (0.0, 0.0)
        return [_qrect(self.rects[i]).translated(dx, dy) for i in self.selected if i < len(self.rects)]

    def handles(self) -> list[QPointF]:
        """The eight resize handles of a single selection: corners first, then edge middles."""
        if len(self.selected) != 1 or self._drag is not None and self._drag.mode == "move":
            return []
        r = self.overlay.ghost or _qrect(self.rects[self.selected[0]])
        cx, cy = r.center().x(), r.center().y()
        return [
            r.topLeft(),
            r.topRight(),
            r.bottomRight(),
            r.bottomLeft(),
            QPointF(cx, r.top()),
            QPointF(r.right(), cy),
            QPointF(cx, r.bottom()),
            QPointF(r.left(), cy),
        ]

    def item_at(self, point: QPointF) -> int | None:
        """The topmost item whose drawn rectangle (widened a little for thin pipes) holds `point`."""
        slack = 4.0 / max(self.transform().m11(), 1e-3)
        for i in range(len(self.rects) - 1, -1, -1):
            if _qrect(self.rects[i]).adjusted(-slack, -slack, slack, slack).contains(point):
                return i
        return None

    def _handle_at(self, point: QPointF) -> int | None:
        reach = (HANDLE + 2) / max(self.transform().m11(), 1e-3)
        for n, h in enumerate(self.handles()):
            if abs(h.x() - point.x()) <= reach and abs(h.y() - point.y()) <= reach:
                return n
        return None

    # -- applying edits ------------------------------------------------------------------------

    def set_items(
        self,
        text: str,
        items: list[Item],
        *,
        merge_id: int = -1,
        select: list[int] | None = None,
        project: Project | None = None,
    ) -> None:
        """One undoable edit replacing the shown container's items (and the selection with `select`),
        with a new `project` in the same step when given (a dropped tag)."""
        name = self.target[1]
        container = self.container()
        if container is None:
            return
        if select is not None:
            self.selected = select
        new = container.model_copy(update={"items": items})
        folder = self.document.folder
        if isinstance(new, Screen):
            self.document.apply(
                text, project=project, screens={**folder.screens, name: new}, merge_id=merge_id
            )
        else:
            self.document.apply(
                text, project=project, templates={**folder.templates, name: new}, merge_id=merge_id
            )
        self.selection_changed.emit()

    def snap(self, value: float) -> float:
        return arrange.snap(value, self.grid) if self.snap_on else round(value, 1)

    def nudge(self, dx: float, dy: float) -> None:
        if self.selected:
            items = arrange.move(self.model_items(), self.selected, dx, dy)
            self.set_items(self.tr("Nudge"), items, merge_id=NUDGE_MERGE)

    # -- mouse ---------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        point = self.mapToScene(event.position().toPoint())
        handle = self._handle_at(point)
        if handle is not None:
            self._drag = _Drag("resize", point, handle=handle)
            return
        hit = self.item_at(point)
        toggle = event.modifiers() & (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier)
        if hit is None:
            if not toggle:
                self.select([])
            self._drag = _Drag("band", point)
            return
        if toggle:
            self.select(
                [i for i in self.selected if i != hit] if hit in self.selected else [*self.selected, hit]
            )
            return
        if hit not in self.selected:
            self.select([hit])
        origins = {i: drawn.pos() for i in self.selected if (drawn := self.drawn[i]) is not None}
        self._drag = _Drag("move", point, origins=origins)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        drag = self._drag
        if drag is None:
            point = self.mapToScene(event.position().toPoint())
            on_handle = self._handle_at(point) is not None
            self.viewport().setCursor(
                Qt.CursorShape.SizeAllCursor
                if on_handle or self.item_at(point) is not None
                else Qt.CursorShape.ArrowCursor
            )
            return
        point = self.mapToScene(event.position().toPoint())
        start = drag.start
        if drag.mode == "band":
            self.overlay.band = QRectF(start, point).normalized()
        elif drag.mode == "move":
            anchor = self.rects[self.selected[0]]
            dx = self.snap(anchor.x + point.x() - start.x()) - anchor.x
            dy = self.snap(anchor.y + point.y() - start.y()) - anchor.y
            drag.dx, drag.dy = dx, dy
            for i, origin in drag.origins.items():
                if (drawn := self.drawn[i]) is not None:
                    drawn.setPos(origin + QPointF(dx, dy))
        else:
            self.overlay.ghost = self._resized(drag.handle, point)
        self.overlay.update()
        self.scene().update()

    def _resized(self, handle: int, point: QPointF) -> QRectF:
        r = _qrect(self.rects[self.selected[0]])
        x, y = self.snap(point.x()), self.snap(point.y())
        left, top, right, bottom = r.left(), r.top(), r.right(), r.bottom()
        if handle in (0, 3, 7):
            left = min(x, right - 4)
        if handle in (1, 2, 5):
            right = max(x, left + 4)
        if handle in (0, 1, 4):
            top = min(y, bottom - 4)
        if handle in (2, 3, 6):
            bottom = max(y, top + 4)
        return QRectF(QPointF(left, top), QPointF(right, bottom))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        drag, self._drag = self._drag, None
        if drag is None:
            super().mouseReleaseEvent(event)
            return
        if drag.mode == "band":
            band, self.overlay.band = self.overlay.band, None
            if band is not None and band.width() > 2 and band.height() > 2:
                inside = [i for i, r in enumerate(self.rects) if band.intersects(_qrect(r))]
                toggle = event.modifiers() & (
                    Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier
                )
                self.select([*self.selected, *inside] if toggle else inside)
        elif drag.mode == "move":
            dx, dy = drag.dx, drag.dy
            if dx or dy:
                self.set_items(self.tr("Move"), arrange.move(self.model_items(), self.selected, dx, dy))
        else:
            ghost, self.overlay.ghost = self.overlay.ghost, None
            if ghost is not None:
                self.resize_selected(Rect(ghost.x(), ghost.y(), ghost.width(), ghost.height()))
        self.overlay.update()

    def resize_selected(self, new: Rect) -> None:
        """Stretch the single selected item so that what it draws covers `new`."""
        if len(self.selected) != 1:
            return
        i = self.selected[0]
        items = self.model_items()
        items[i] = arrange.resize(items[i], self.rects[i], new)
        self.set_items(self.tr("Resize"), items)

    # -- keys, zoom, grid ----------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        steps = {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, -1),
            Qt.Key.Key_Down: (0, 1),
        }
        step = steps.get(Qt.Key(event.key()))
        if step is not None and self.selected:
            size = 10.0 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1.0
            self.nudge(step[0] * size, step[1] * size)
            return
        if event.key() == Qt.Key.Key_Escape:
            self.select([])
            return
        super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_by(1.25 ** (event.angleDelta().y() / 120))
            event.accept()
        else:
            super().wheelEvent(event)

    def zoom(self) -> float:
        return self.transform().m11()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.auto_fit:
            self.fit()

    def zoom_by(self, factor: float) -> None:
        self.auto_fit = False
        factor = min(ZOOM_MAX, max(ZOOM_MIN, self.zoom() * factor)) / self.zoom()
        self.scale(factor, factor)
        self.overlay.update()

    def fit(self) -> None:
        """The whole page in view; it stays fitted as the window resizes until the user zooms."""
        self.auto_fit = True
        self.fitInView(
            self.scene().sceneRect().adjusted(-20, -20, 20, 20), Qt.AspectRatioMode.KeepAspectRatio
        )

    def set_grid(self, shown: bool) -> None:
        self.show_grid = shown
        self.viewport().update()

    def drawBackground(self, p: QPainter, rect: QRectF | QRect) -> None:
        p.fillRect(rect, theme.PANEL)
        page = self.scene().sceneRect()
        p.fillRect(page, theme.BACKGROUND)
        if not self.show_grid or self.grid <= 0:
            return
        step = self.grid
        while step * self.zoom() < GRID_MIN_PX:  # zoomed out: every 2nd, 4th... line, never a grey wash
            step *= 2
        p.setPen(QPen(theme.GRID, 0))
        area = page.intersected(rect)
        x = area.left() - area.left() % step
        while x <= area.right():
            p.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()))
            x += step
        y = area.top() - area.top() % step
        while y <= area.bottom():
            p.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            y += step

    # -- drops from the palette and the tag browser --------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if self.container() is not None and (mime.hasFormat(PALETTE_MIME) or mime.hasFormat(NODE_MIME)):
            event.acceptProposedAction()
        else:
            event.ignore()

    dragMoveEvent = dragEnterEvent  # type: ignore[assignment]

    def dropEvent(self, event: QDropEvent) -> None:
        point = self.mapToScene(event.position().toPoint())
        if self.drop(event.mimeData(), point):
            event.acceptProposedAction()
        else:
            event.ignore()

    def drop(self, mime: object, point: QPointF) -> bool:
        """Create what the drag carries at `point`: a palette item, or a display of each server variable
        dragged (see node_drop: existing tags reused, new ones added in the same undoable step)."""
        from .palette import new_item

        at = (self.snap(point.x()), self.snap(point.y()))
        folder = self.document.folder
        items = self.model_items()
        if mime.hasFormat(PALETTE_MIME):  # type: ignore[attr-defined]
            payload = bytes(mime.data(PALETTE_MIME)).decode("utf-8")  # type: ignore[attr-defined]
            try:
                item = new_item(payload, at, folder)
            except (KeyError, ValueError):
                return False
            self.set_items(self.tr("Add {0}").format(item.type), [*items, item], select=[len(items)])
            return True
        node = node_payload(mime)  # type: ignore[arg-type]
        container = self.container()
        if node is None or not node.get("tags") or container is None:
            return False
        try:
            dragged = [Tag.model_validate(t) for t in node["tags"]]
        except (ValidationError, TypeError):
            return False
        tags, project = node_drop.bound_tags(dragged, folder)
        added = node_drop.grid(tags, at, folder, container.size[0], self.snap)
        self.set_items(
            self.tr("Add {0}").format(tags[0].name)
            if len(tags) == 1
            else self.tr("Add %n tag(s)", "", len(tags)),
            [*items, *added],
            select=list(range(len(items), len(items) + len(added))),
            project=project,
        )
        return True
