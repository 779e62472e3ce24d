"""A screen on a QGraphicsView: vector items that scale with the window and refresh per frame."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QResizeEvent
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QWidget

from hmi.project.model import Screen

from .. import theme
from ..bridge import TagBridge
from .items import ItemContext, ScreenItem, make_item


class ScreenView(QGraphicsView):
    """Shows one screen at a time, fitted to the window with its aspect ratio kept."""

    def __init__(self, bridge: TagBridge, ctx: ItemContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.bridge = bridge
        self.ctx = ctx
        self.items_: list[ScreenItem] = []
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setBackgroundBrush(theme.BACKGROUND)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)

    def show_screen(self, screen: Screen) -> None:
        for item in self.items_:
            self.bridge.unwatch(item.refresh)
        scene = QGraphicsScene(self)
        scene.setSceneRect(QRectF(0, 0, *screen.size))
        scene.setBackgroundBrush(theme.BACKGROUND)
        self.items_ = []
        for model in screen.items:
            item = make_item(model, self.ctx)
            scene.addItem(item)
            self.items_.append(item)
            if item.bindings:
                self.bridge.watch(item.tag_names(), item.refresh)
                item.refresh()
        old = self.scene()
        self.setScene(scene)
        if old is not None:
            old.deleteLater()
        self._fit()

    def _fit(self) -> None:
        if self.scene() is not None:
            self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()
