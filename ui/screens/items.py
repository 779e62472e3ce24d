"""Graphic items of a screen, drawn in ISA-101 style and refreshed from their tag bindings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsObject, QGraphicsSceneMouseEvent, QStyleOptionGraphicsItem, QWidget

from hmi.expr import Expression, ExpressionError
from hmi.project.model import Action, Item, Tag
from hmi.quality import Quality
from hmi.tags import TagTable

from .. import theme


@dataclass
class ItemContext:
    """What every item needs from its surroundings: live values, tag facts, and where clicks go."""

    table: TagTable
    tags: dict[str, Tag]
    act: Callable[[Item, Action], None]


class ScreenItem(QGraphicsObject):
    """Base of all items: evaluates bindings, tracks the worst quality of the tags it shows."""

    default_size = (100.0, 24.0)

    def __init__(self, model: Item, ctx: ItemContext):
        super().__init__()
        self.model = model
        self.ctx = ctx
        self.bindings = {prop: Expression(text) for prop, text in model.bind.items()}
        self.props: dict[str, Any] = {}
        self.quality = Quality.GOOD
        self.reason = ""
        w, h = model.size or self.default_size
        self.rect = QRectF(0, 0, w, h)
        self.setPos(*model.at)
        if model.on_click is not None:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            self.setAcceptedMouseButtons(Qt.MouseButton.LeftButton)
        else:
            self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def tag_names(self) -> set[str]:
        return {name for expr in self.bindings.values() for name in expr.names}

    def refresh(self) -> None:
        """Re-evaluate every binding from the table; draw Bad quality instead of trusting old values."""
        table = self.ctx.table
        worst, reason = Quality.GOOD, ""
        for prop, expr in self.bindings.items():
            samples = {n: table.get(n) for n in expr.names}
            for sample in samples.values():
                if sample.quality > worst:
                    worst, reason = sample.quality, sample.reason
            try:
                self.props[prop] = expr.evaluate({n: s.value for n, s in samples.items()})
            except ExpressionError as exc:
                self.props[prop] = None
                if worst is Quality.GOOD:
                    worst, reason = Quality.BAD, str(exc)
        self.quality, self.reason = worst, reason
        self.setToolTip(self._tooltip())
        self.update()

    def _tooltip(self) -> str:
        names = ", ".join(sorted(self.tag_names()))
        if self.quality is Quality.GOOD:
            return names
        return f"{names}\n{self.quality.name.title()} quality: {self.reason}"

    @property
    def bad(self) -> bool:
        return self.quality is not Quality.GOOD

    def boundingRect(self) -> QRectF:
        return self.rect.adjusted(-4, -22, 4, 22)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.model.on_click is not None and self.rect.contains(event.pos()):
            self.ctx.act(self.model, self.model.on_click)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        event.accept()

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.draw(p)
        if self.bad and self.bindings:
            self.draw_bad_marker(p)

    def draw(self, p: QPainter) -> None:
        raise NotImplementedError

    def draw_bad_marker(self, p: QPainter) -> None:
        """Magenta outline and '?' so untrustworthy values are obvious (also to the colour-blind)."""
        p.setPen(QPen(theme.BAD_QUALITY, 2, Qt.PenStyle.DashLine))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(self.rect.adjusted(-3, -3, 3, 3))
        p.setFont(theme.font(9, bold=True))
        p.setPen(theme.BAD_QUALITY)
        p.drawText(QPointF(self.rect.right() + 5, self.rect.top() + 10), "?")

    def draw_label(self, p: QPainter, below: bool = True) -> None:
        if not self.model.label:
            return
        p.setPen(theme.TEXT_DIM)
        p.setFont(theme.font(9, bold=True))
        r = self.rect
        box = (
            QRectF(r.left() - 40, r.bottom() + 2, r.width() + 80, 18)
            if below
            else QRectF(r.left() - 40, r.top() - 20, r.width() + 80, 18)
        )
        p.drawText(box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, self.model.label)

    def fraction(self, prop: str) -> float | None:
        """The bound value as 0..1 of its tag's engineering range (0..100 when it has none)."""
        value = self.props.get(prop)
        if not isinstance(value, int | float):
            return None
        expr = self.bindings[prop]
        tag = self.ctx.tags.get(next(iter(expr.names))) if expr.is_tag else None
        low, high = tag.range if tag is not None and tag.range else (0.0, 100.0)
        return min(1.0, max(0.0, (value - low) / (high - low)))


class LabelItem(ScreenItem):
    def __init__(self, model: Item, ctx: ItemContext):
        super().__init__(model, ctx)
        self.rect = QRectF(0, 0, max(40.0, 9.0 * len(model.label)), 20)

    def draw(self, p: QPainter) -> None:
        p.setPen(theme.TEXT_DIM)
        p.setFont(theme.font(10, bold=True))
        p.drawText(self.rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.model.label)


class ValueItem(ScreenItem):
    """Label, value in a box, units: the numeric display operators read all day."""

    LABEL_W, BOX_W, UNITS_W = 56.0, 76.0, 50.0

    def __init__(self, model: Item, ctx: ItemContext):
        super().__init__(model, ctx)
        self.rect = QRectF(0, 0, self.LABEL_W + self.BOX_W + self.UNITS_W, 24)

    def text(self) -> str:
        value = self.props.get("value")
        if value is None:
            return "----"
        if isinstance(value, bool):
            return self.model.on_text if value else self.model.off_text
        if isinstance(value, int | float) and self.model.format:
            return format(value, self.model.format)
        if isinstance(value, float):
            return f"{value:.2f}"
        return str(value)

    def units(self) -> str:
        expr = self.bindings.get("value")
        tag = self.ctx.tags.get(next(iter(expr.names))) if expr is not None and expr.is_tag else None
        return tag.units if tag is not None else ""

    def draw(self, p: QPainter) -> None:
        p.setFont(theme.font(9, bold=True))
        p.setPen(theme.TEXT_DIM)
        p.drawText(
            QRectF(0, 0, self.LABEL_W - 6, 24),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            self.model.label,
        )
        box = QRectF(self.LABEL_W, 0, self.BOX_W, 24)
        p.setPen(QPen(theme.OUTLINE if self.model.on_click else theme.PIPE, 1))
        p.setBrush(theme.VALUE_BOX)
        p.drawRect(box)
        p.setFont(theme.font(11))
        p.setPen(theme.TEXT_DIM if self.bad else theme.TEXT)
        p.drawText(
            box.adjusted(4, 0, -6, 0),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            self.text(),
        )
        p.setFont(theme.font(9))
        p.setPen(theme.TEXT_DIM)
        p.drawText(QRectF(box.right() + 6, 0, self.UNITS_W, 24), Qt.AlignmentFlag.AlignVCenter, self.units())

    def draw_bad_marker(self, p: QPainter) -> None:
        p.setPen(QPen(theme.BAD_QUALITY, 2))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(QRectF(self.LABEL_W, 0, self.BOX_W, 24).adjusted(-1, -1, 1, 1))
        p.setFont(theme.font(9, bold=True))
        p.setPen(theme.BAD_QUALITY)
        p.drawText(QPointF(self.LABEL_W + 3, 16), "?")


class IndicatorItem(ValueItem):
    """A state shown as a word (AUTO / MAN, Running / Fault)."""

    def text(self) -> str:
        state = self.props.get("state")
        if state is None:
            return "----"
        if isinstance(state, bool):
            return self.model.on_text if state else self.model.off_text
        return str(state)

    def units(self) -> str:
        return ""


class TankItem(ScreenItem):
    default_size = (120.0, 240.0)

    def draw(self, p: QPainter) -> None:
        r = self.rect
        p.setPen(QPen(theme.OUTLINE, 2))
        p.setBrush(theme.PANEL)
        p.drawRoundedRect(r, 10, 10)
        frac = self.fraction("level")
        if frac is not None:
            fill = QRectF(
                r.left() + 3, r.bottom() - 3 - (r.height() - 6) * frac, r.width() - 6, (r.height() - 6) * frac
            )
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(theme.TEXT_DIM if self.bad else theme.LIQUID)
            p.drawRect(fill)
        p.setPen(theme.TEXT_DIM)
        p.setFont(theme.font(10, bold=True))
        p.drawText(
            QRectF(r.left(), r.top() - 22, r.width(), 20), Qt.AlignmentFlag.AlignCenter, self.model.label
        )


class PumpItem(ScreenItem):
    """Filled when running, hollow when stopped; a fault carries the alarm marker and the word."""

    default_size = (60.0, 60.0)

    def draw(self, p: QPainter) -> None:
        r = self.rect
        running = bool(self.props.get("running"))
        p.setPen(QPen(theme.OUTLINE, 2))
        p.setBrush(theme.EQUIPMENT_ON if running and not self.bad else theme.PANEL)
        p.drawEllipse(r)
        tri = QPolygonF(
            [
                QPointF(r.left() + r.width() * 0.3, r.top() + r.height() * 0.25),
                QPointF(r.left() + r.width() * 0.3, r.top() + r.height() * 0.75),
                QPointF(r.left() + r.width() * 0.8, r.center().y()),
            ]
        )
        p.setBrush(theme.PANEL if running and not self.bad else theme.OUTLINE)
        p.setPen(Qt.PenStyle.NoPen)
        p.drawPolygon(tri)
        self.draw_label(p)
        if self.props.get("fault"):
            draw_alarm_marker(p, QPointF(r.right() + 4, r.top() - 4), 1)
            p.setPen(theme.ALARM[1])
            p.setFont(theme.font(9, bold=True))
            p.drawText(
                QRectF(r.left() - 20, r.bottom() + 18, r.width() + 40, 16),
                Qt.AlignmentFlag.AlignHCenter,
                "FAULT",
            )


class ValveItem(ScreenItem):
    """Bow-tie valve; filled when open, with its position in percent beside it."""

    default_size = (48.0, 48.0)

    def draw(self, p: QPainter) -> None:
        r = self.rect
        cy = r.center().y()
        path = QPainterPath()
        path.moveTo(r.left(), cy - r.height() * 0.3)
        path.lineTo(r.right(), cy + r.height() * 0.3)
        path.lineTo(r.right(), cy - r.height() * 0.3)
        path.lineTo(r.left(), cy + r.height() * 0.3)
        path.closeSubpath()
        frac = self.fraction("position") if "position" in self.bindings else None
        p.setPen(QPen(theme.OUTLINE, 2))
        p.setBrush(theme.EQUIPMENT_ON if frac and frac > 0.01 and not self.bad else theme.PANEL)
        p.drawPath(path)
        p.drawLine(QPointF(r.center().x(), cy), QPointF(r.center().x(), r.top() - 6))
        p.drawRect(QRectF(r.center().x() - 10, r.top() - 16, 20, 10))
        self.draw_label(p)


class ExchangerItem(ScreenItem):
    default_size = (60.0, 60.0)

    def draw(self, p: QPainter) -> None:
        r = self.rect
        p.setPen(QPen(theme.OUTLINE, 2))
        p.setBrush(theme.PANEL)
        p.drawEllipse(r)
        zig = QPolygonF([QPointF(r.left() + 6, r.center().y())])
        for i in range(1, 6):
            y = r.top() + r.height() * (0.3 if i % 2 else 0.7)
            zig.append(QPointF(r.left() + 6 + i * (r.width() - 12) / 6, y))
        zig.append(QPointF(r.right() - 6, r.center().y()))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPolyline(zig)
        self.draw_label(p)


class BarItem(ScreenItem):
    """Vertical bar in its engineering range; the value's position is readable at a glance."""

    default_size = (26.0, 200.0)

    def draw(self, p: QPainter) -> None:
        r = self.rect
        p.setPen(QPen(theme.OUTLINE, 1))
        p.setBrush(theme.PANEL)
        p.drawRect(r)
        frac = self.fraction("value")
        if frac is not None:
            h = (r.height() - 2) * frac
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(theme.TEXT_DIM if self.bad else theme.EQUIPMENT_ON)
            p.drawRect(QRectF(r.left() + 1, r.bottom() - 1 - h, r.width() - 2, h))
        value = self.props.get("value")
        p.setPen(theme.TEXT)
        p.setFont(theme.font(8))
        text = "--" if not isinstance(value, int | float) else f"{value:.0f}"
        p.drawText(
            QRectF(r.left() - 12, r.top() - 18, r.width() + 24, 16), Qt.AlignmentFlag.AlignHCenter, text
        )
        self.draw_label(p)


class PipeItem(ScreenItem):
    def __init__(self, model: Item, ctx: ItemContext):
        super().__init__(model, ctx)
        self.line = QPolygonF([QPointF(x, y) for x, y in (model.points or [(0, 0), (100, 0)])])
        self.rect = self.line.boundingRect()

    def draw(self, p: QPainter) -> None:
        flowing = bool(self.props.get("flowing")) and not self.bad
        p.setPen(
            QPen(
                theme.PIPE_FLOWING if flowing else theme.PIPE,
                5 if flowing else 4,
                Qt.PenStyle.SolidLine,
                Qt.PenCapStyle.FlatCap,
                Qt.PenJoinStyle.MiterJoin,
            )
        )
        p.drawPolyline(self.line)

    def draw_bad_marker(self, p: QPainter) -> None:
        """A pipe has no value of its own to mistrust; its flow shows as not flowing."""


class ButtonItem(ScreenItem):
    default_size = (120.0, 32.0)

    def draw(self, p: QPainter) -> None:
        p.setPen(QPen(theme.OUTLINE, 1))
        p.setBrush(theme.VALUE_BOX)
        p.drawRoundedRect(self.rect, 3, 3)
        p.setPen(theme.TEXT)
        p.setFont(theme.font(10))
        p.drawText(self.rect, Qt.AlignmentFlag.AlignCenter, self.model.label)


def draw_alarm_marker(p: QPainter, at: QPointF, priority: int) -> None:
    """ISA-101 priority marker: colour paired with a shape and a number (1 square, 2 triangle, ...)."""
    size = 16.0
    p.setPen(QPen(QColor("#202020"), 1))
    p.setBrush(QBrush(theme.ALARM[priority]))
    box = QRectF(at.x(), at.y(), size, size)
    if priority == 1:
        p.drawRect(box)
    elif priority == 2:
        p.drawPolygon(QPolygonF([QPointF(box.center().x(), box.top()), box.bottomRight(), box.bottomLeft()]))
    elif priority == 3:
        c = box.center()
        p.drawPolygon(
            QPolygonF(
                [
                    QPointF(c.x(), box.top()),
                    QPointF(box.right(), c.y()),
                    QPointF(c.x(), box.bottom()),
                    QPointF(box.left(), c.y()),
                ]
            )
        )
    else:
        p.drawEllipse(box)
    p.setPen(QColor("#ffffff") if priority in (1, 4) else QColor("#000000"))
    p.setFont(theme.font(8, bold=True))
    p.drawText(box.adjusted(0, 2 if priority == 2 else 0, 0, 0), Qt.AlignmentFlag.AlignCenter, str(priority))


ITEM_CLASSES: dict[str, type[ScreenItem]] = {
    "label": LabelItem,
    "value": ValueItem,
    "indicator": IndicatorItem,
    "tank": TankItem,
    "pump": PumpItem,
    "valve": ValveItem,
    "exchanger": ExchangerItem,
    "bar": BarItem,
    "pipe": PipeItem,
    "button": ButtonItem,
    "link": ButtonItem,
}


def make_item(model: Item, ctx: ItemContext) -> ScreenItem:
    return ITEM_CLASSES[model.type](model, ctx)
