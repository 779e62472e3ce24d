"""Screen items by type name, and the template instance that groups the items of a faceplate."""

from __future__ import annotations

import importlib
import logging
from functools import cache

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPen

from hmi.project import templates
from hmi.project.model import Item
from hmi.project.symbols import Instance, symbols

from .. import theme
from .base import ScreenItem
from .context import ItemContext
from .symbols.draw import draw_alarm_marker
from .symbols.text import ValueItem

__all__ = [
    "item_class",
    "ItemContext",
    "ScreenItem",
    "TemplateItem",
    "ValueItem",
    "draw_alarm_marker",
    "make_item",
]

log = logging.getLogger(__name__)


class TemplateItem(ScreenItem):
    """A placed template: its items, parameters filled in, drawn on a quiet panel of the template's size."""

    def __init__(self, model: Instance, ctx: ItemContext):
        super().__init__(model, ctx)
        template = ctx.templates.get(model.template)
        self.children_: list[ScreenItem] = []
        self.frame = True
        if template is None:
            log.warning("template %s is not loaded: its instance is drawn empty", model.template)
            return
        self.frame = template.frame
        self.body = QRectF(0, 0, *(model.size or template.size))
        self.children_ = [make_item(child, ctx) for child in templates.expand(template, model.args)]
        for child in self.children_:
            child.setParentItem(self)

    def descendants(self) -> list[ScreenItem]:
        return [self, *(d for child in self.children_ for d in child.descendants())]

    def extent(self) -> QRectF:
        return self.body.adjusted(-1, -1, 1, 1)  # the frame's pen straddles the rect's edge

    def draw(self, p: QPainter) -> None:
        if self.frame:
            p.setPen(QPen(theme.PIPE, 1))
            p.setBrush(theme.PANEL)
            p.drawRect(self.body)


@cache
def item_class(kind: str) -> type[ScreenItem]:
    """The class that draws items of a symbol (its registered painter); KeyError for an unknown one."""
    module, _, name = symbols()[kind].painter.partition(":")
    return getattr(importlib.import_module(module), name)


def make_item(model: Item, ctx: ItemContext) -> ScreenItem:
    item = item_class(model.type)(model, ctx)
    item.fit()
    return item
