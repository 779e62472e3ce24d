"""Screen items by type name, and the template instance that groups the items of a faceplate."""

from __future__ import annotations

import logging

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPen

from hmi.project import templates
from hmi.project.model import Item

from .. import theme
from .base import ScreenItem
from .context import ItemContext
from .symbols.analog import BarItem, GaugeItem, SparklineItem
from .symbols.controls import ButtonItem, LinkItem, ToggleItem
from .symbols.draw import draw_alarm_marker
from .symbols.equipment import (
    CheckValveItem,
    CompressorItem,
    ExchangerItem,
    FanItem,
    MotorItem,
    PipeItem,
    PumpItem,
    TankItem,
    ValveItem,
)
from .symbols.media import ImageItem
from .symbols.text import AlarmIndicatorItem, IndicatorItem, LabelItem, SetpointItem, ValueItem

__all__ = [
    "ITEM_CLASSES",
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

    def __init__(self, model: Item, ctx: ItemContext):
        super().__init__(model, ctx)
        template = ctx.templates.get(model.template or "")
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


ITEM_CLASSES: dict[str, type[ScreenItem]] = {
    "label": LabelItem,
    "value": ValueItem,
    "indicator": IndicatorItem,
    "setpoint": SetpointItem,
    "alarm": AlarmIndicatorItem,
    "tank": TankItem,
    "pump": PumpItem,
    "motor": MotorItem,
    "fan": FanItem,
    "compressor": CompressorItem,
    "valve": ValveItem,
    "check_valve": CheckValveItem,
    "exchanger": ExchangerItem,
    "pipe": PipeItem,
    "bar": BarItem,
    "gauge": GaugeItem,
    "sparkline": SparklineItem,
    "button": ButtonItem,
    "link": LinkItem,
    "toggle": ToggleItem,
    "image": ImageItem,
    "template": TemplateItem,
}


def make_item(model: Item, ctx: ItemContext) -> ScreenItem:
    item = ITEM_CLASSES[model.type](model, ctx)
    item.fit()
    return item
