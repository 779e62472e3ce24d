"""Screens outside the main window: any screen in a window of its own (a second monitor), faceplates."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QVBoxLayout, QWidget

from hmi.project import templates
from hmi.project.model import Action, Item, Screen

from ..i18n import localized
from .context import ItemContext
from .navigation import Navigator, add_nav_buttons
from .view import ScreenView


class ScreenWindow(QWidget):
    """A top-level window with its own screen, history and screen chooser; other actions go to `ctx.act`."""

    def __init__(
        self, screen_name: str, screens: Mapping[str, Screen], ctx: ItemContext, parent: QWidget | None = None
    ):
        super().__init__(parent, Qt.WindowType.Window)
        if ctx.bridge is None:
            raise ValueError("a screen window needs the context's tag bridge")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.screens = screens
        self.forward_act = ctx.act
        self.view = ScreenView(ctx.bridge, dataclasses.replace(ctx, act=self._act))
        self.navigator = Navigator(screen_name, self)
        self.navigator.requested.connect(self.show_screen)
        self.chooser = QComboBox()
        for name, screen in screens.items():
            self.chooser.addItem(localized(screen.title, screen.titles), name)
        self.chooser.activated.connect(lambda i: self.show_screen(self.chooser.itemData(i)))
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 4, 6, 4)
        add_nav_buttons(self.navigator, self, bar)
        bar.addWidget(self.chooser)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.resize(1280, 760)
        self.show_screen(screen_name)

    @property
    def current(self) -> str | None:
        return self.navigator.current

    def show_screen(self, name: str) -> None:
        screen = self.screens[name]
        self.view.show_screen(screen)
        self.navigator.visit(name)
        self.chooser.setCurrentIndex(self.chooser.findData(name))
        self.setWindowTitle(localized(screen.title, screen.titles))

    def _act(self, item: Item, action: Action) -> None:
        if action.navigate is not None:
            self.show_screen(action.navigate)
        else:
            self.forward_act(item, action)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.view.close_view()
        super().closeEvent(event)


class FaceplateWindow(QWidget):
    """A template shown on its own at its natural size: the Level-3 detail of one piece of equipment."""

    def __init__(self, template: str, args: dict[str, str], ctx: ItemContext, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Tool)
        if ctx.bridge is None:
            raise ValueError("a faceplate needs the context's tag bridge")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        screen = templates.as_screen(ctx.templates[template], args)
        self.setWindowTitle(localized(screen.title, screen.titles))
        self.view = ScreenView(ctx.bridge, ctx)
        self.view.show_screen(screen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.resize(*screen.size)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.view.close_view()
        super().closeEvent(event)


GAP = 12
"""Between a faceplate and the object it belongs to."""


def place_beside(size: QSize, anchor: QRect, area: QRect, keep_clear: QRect | None = None) -> QPoint:
    """Where a window of `size` goes: beside `anchor` (right, left, below, above, in that order) inside
    `area`, never over `keep_clear` (the alarm banner) and, where the room allows, not over the anchor."""
    if keep_clear is not None and keep_clear.intersects(area):
        area = QRect(area)
        area.setTop(max(area.top(), keep_clear.bottom() + 1))
    w, h = size.width(), size.height()
    candidates = [
        QPoint(anchor.right() + GAP, anchor.top()),
        QPoint(anchor.left() - GAP - w, anchor.top()),
        QPoint(anchor.left(), anchor.bottom() + GAP),
        QPoint(anchor.left(), anchor.top() - GAP - h),
    ]
    placed = [_inside(point, size, area) for point in candidates]
    for point in placed:
        if not QRect(point, size).intersects(anchor):
            return point
    return placed[0]


def _inside(point: QPoint, size: QSize, area: QRect) -> QPoint:
    x = min(max(point.x(), area.left()), area.right() + 1 - size.width())
    y = min(max(point.y(), area.top()), area.bottom() + 1 - size.height())
    return QPoint(max(x, area.left()), max(y, area.top()))
