"""A screen on a QGraphicsView: vector items fitted to the window, zoom and pan, refreshed per frame."""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QKeyEvent, QPainter, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QWidget

from hmi.project.model import Screen

from .. import theme
from ..bridge import TagBridge
from .items import ItemContext, ScreenItem, make_item

ZOOM_STEP = 1.25
ZOOM_MAX = 8.0


class ScreenView(QGraphicsView):
    """Shows one screen at a time, fitted with its aspect ratio kept; Ctrl+wheel or Ctrl +/-/0 zoom.

    Zoomed in, dragging the background pans. Items repaint only when their tags or alarms change,
    and items that blink repaint with the shared blink phase.
    """

    def __init__(self, bridge: TagBridge, ctx: ItemContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.bridge = bridge
        self.ctx = ctx
        self.screen_: Screen | None = None
        self.items_: list[ScreenItem] = []
        self._by_tag: dict[str, list[ScreenItem]] = defaultdict(list)
        self.zoom = 1.0
        # Items that need antialiasing turn it on for themselves: most of a dense screen (displays, bars)
        # is upright rectangles and text, crisper and faster without it.
        self.setRenderHints(QPainter.RenderHint.TextAntialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setBackgroundBrush(theme.BACKGROUND)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        # Items' bounding rects hold all they draw, fringes included: Qt need not widen every repaint
        # by two pixels, which on a dense screen repaints the neighbouring row of items as well.
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        ctx.blinker.toggled.connect(self._blink)
        if ctx.alarms is not None:
            ctx.alarms.changed.connect(self._alarms_changed)

    def show_screen(self, screen: Screen) -> None:
        self._forget()
        scene = QGraphicsScene(self)
        scene.setSceneRect(QRectF(0, 0, *screen.size))
        scene.setBackgroundBrush(theme.BACKGROUND)
        self.items_ = []
        self._by_tag = defaultdict(list)
        for model in screen.items:
            top = make_item(model, self.ctx)
            scene.addItem(top)
            for item in top.descendants():
                self.items_.append(item)
                names = item.tag_names()
                if names:
                    self.bridge.watch(names, item.refresh)
                    for name in item.alarm_tags():
                        self._by_tag[name].append(item)
                if item.bindings or item.rules:  # constant bindings (a fixed rotation) apply once
                    item.refresh()
        old = self.scene()
        self.setScene(scene)
        if old is not None:
            old.deleteLater()
        self.screen_ = screen
        self.zoom = 1.0
        self._fit()

    def relayout(self) -> None:
        """Build the screen's items again (the text zoom changed: items size themselves to their text)."""
        if self.screen_ is not None:
            zoom = self.zoom
            self.show_screen(self.screen_)
            self.set_zoom(zoom)

    def _forget(self) -> None:
        for item in self.items_:
            self.bridge.unwatch(item.refresh)

    def close_view(self) -> None:
        """Stop following tags, alarms and the blink (the view's window closes)."""
        self._forget()
        self.items_ = []
        self.ctx.blinker.toggled.disconnect(self._blink)
        if self.ctx.alarms is not None:
            self.ctx.alarms.changed.disconnect(self._alarms_changed)

    def _alarms_changed(self, tags: set[str]) -> None:
        due = {id(item): item for tag in tags for item in self._by_tag.get(tag, ())}
        for item in due.values():
            item.refresh_alarm()
            item.update()

    def _blink(self) -> None:
        for item in self.items_:
            if item.blinking():
                item.update()

    # -- zoom and pan --------------------------------------------------------------------------

    def set_zoom(self, zoom: float) -> None:
        """Zoom relative to the fitted screen; 1 shows it whole, and pans are only possible above 1."""
        self.zoom = min(ZOOM_MAX, max(1.0, zoom))
        drag = QGraphicsView.DragMode.ScrollHandDrag if self.zoom > 1.0 else QGraphicsView.DragMode.NoDrag
        self.setDragMode(drag)
        self._fit()

    def _fit(self) -> None:
        scene = self.scene()
        if scene is None:
            return
        center = self.mapToScene(self.viewport().rect().center())
        self.fitInView(scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom > 1.0:
            self.scale(self.zoom, self.zoom)
            self.centerOn(center)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            self.set_zoom(self.zoom * ZOOM_STEP**steps)
            event.accept()
        else:
            super().wheelEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            key = event.key()
            if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
                self.set_zoom(self.zoom * ZOOM_STEP)
                return
            if key == Qt.Key.Key_Minus:
                self.set_zoom(self.zoom / ZOOM_STEP)
                return
            if key == Qt.Key.Key_0:
                self.set_zoom(1.0)
                return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()
