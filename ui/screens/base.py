"""The base of every screen item: bindings evaluated from the tag table, quality, alarms, clicks, menu."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QGraphicsObject,
    QGraphicsSceneContextMenuEvent,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from hmi.alarms.model import Alarm
from hmi.expr import Expression, ExpressionError
from hmi.project.model import Action, Item, Tag
from hmi.quality import Quality

from .context import ItemContext
from .menu import TagMenu
from .symbols import draw

log = logging.getLogger(__name__)

STYLE_PROPS = frozenset({"flowing", "visible", "blink", "rotation", "color"})
"""Bindings that style an item rather than show a process value: their tags' alarms are not its alarms."""
MARGIN = (44.0, 24.0, 44.0, 40.0)
"""Room around the symbol for its caption, alarm marker and bad-quality marker (left, top, right, bottom)."""


class ScreenItem(QGraphicsObject):
    """Evaluates bindings, tracks the worst quality and the most urgent alarm of the tags it shows."""

    default_size = (100.0, 24.0)
    main_prop = "value"
    """The binding whose tag gives units, range and alarm limits."""
    alarm_frame = True
    """Draw the alarm frame and marker (an alarm indicator shows the alarm its own way)."""

    def __init__(self, model: Item, ctx: ItemContext):
        super().__init__()
        self.model = model
        self.ctx = ctx
        self.bindings = {prop: Expression(text) for prop, text in model.bind.items()}
        self.rules = [(Expression(rule.when), QColor(rule.color)) for rule in model.colors]
        self.props: dict[str, Any] = {}
        self.quality = Quality.GOOD
        self.reason = ""
        self.alarm: Alarm | None = None
        self.accent: QColor | None = None
        w, h = model.size or self.default_size
        self.rect = QRectF(0, 0, w, h)
        self.setPos(*model.at)
        self.setTransformOriginPoint(self.rect.center())
        clickable = self.action() is not None
        if clickable:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAcceptedMouseButtons(Qt.MouseButton.LeftButton if clickable else Qt.MouseButton.NoButton)

    # -- bindings ------------------------------------------------------------------------------

    def tag_names(self) -> set[str]:
        exprs = [*self.bindings.values(), *(expr for expr, _ in self.rules)]
        return {name for expr in exprs for name in expr.names}

    def alarm_tags(self) -> list[str]:
        return sorted(
            {n for prop, expr in self.bindings.items() if prop not in STYLE_PROPS for n in expr.names}
        )

    def descendants(self) -> list[ScreenItem]:
        """This item and the items inside it (a template instance has some)."""
        return [self]

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
        self.accent = self._accent()
        self.refresh_alarm()
        if "visible" in self.props:
            self.setVisible(bool(self.props["visible"]))
        rotation = self.props.get("rotation")
        if isinstance(rotation, int | float):
            self.setRotation(float(rotation))
        self.updated()
        self.setToolTip(self._tooltip())
        self.update()

    def refresh_alarm(self) -> None:
        alarms = [a for a in map(self.ctx.alarm_for, self.alarm_tags()) if a is not None]
        self.alarm = min(alarms, key=lambda a: (not a.active, a.priority.number)) if alarms else None

    def updated(self) -> None:
        """Hook after each refresh, for items that keep state (a sparkline's samples)."""

    def _accent(self) -> QColor | None:
        colour = self.props.get("color")
        if isinstance(colour, str) and QColor.isValidColorName(colour):
            return QColor(colour)
        values = {n: self.ctx.table.get(n).value for expr, _ in self.rules for n in expr.names}
        for expr, rule_colour in self.rules:
            try:
                if expr.evaluate(values):
                    return rule_colour
            except ExpressionError:
                continue
        return None

    def _tooltip(self) -> str:
        lines = [", ".join(sorted(self.tag_names()))]
        if self.alarm is not None:
            lines.append(f"{self.alarm.priority.value.title()} alarm: {self.alarm.message}")
        if self.bad:
            lines.append(f"{self.quality.name.title()} quality: {self.reason}")
        return "\n".join(line for line in lines if line)

    @property
    def bad(self) -> bool:
        return self.quality is not Quality.GOOD

    def blinking(self) -> bool:
        return bool(self.props.get("blink")) or (self.alarm is not None and self.alarm.blinking)

    def tag(self, prop: str | None = None) -> Tag | None:
        """The tag a property is bound to when the binding is a plain tag name."""
        expr = self.bindings.get(prop or self.main_prop)
        return self.ctx.tags.get(next(iter(expr.names))) if expr is not None and expr.is_tag else None

    def units(self, prop: str | None = None) -> str:
        tag = self.tag(prop)
        return tag.units if tag is not None else ""

    def span(self, prop: str | None = None) -> tuple[float, float]:
        """The engineering range of the property's tag (0..100 when it has none)."""
        tag = self.tag(prop)
        return tag.range if tag is not None and tag.range else (0.0, 100.0)

    def fraction_of(self, value: float, prop: str | None = None) -> float:
        low, high = self.span(prop)
        return min(1.0, max(0.0, (value - low) / (high - low)))

    def fraction(self, prop: str | None = None) -> float | None:
        """The bound value as 0..1 of its tag's engineering range."""
        value = self.props.get(prop or self.main_prop)
        if not isinstance(value, int | float) or isinstance(value, bool):
            return None
        return self.fraction_of(value, prop)

    def formatted(self, prop: str | None = None) -> str:
        """The bound value as text: its format, on/off words for booleans, '----' when there is none."""
        value = self.props.get(prop or self.main_prop)
        if value is None:
            return "----"
        if isinstance(value, bool):
            return self.model.on_text if value else self.model.off_text
        if isinstance(value, int | float) and self.model.format:
            try:
                return format(value, self.model.format)
            except ValueError:
                return str(value)
        if isinstance(value, float):
            return f"{value:.2f}"
        return str(value)

    # -- drawing -------------------------------------------------------------------------------

    def boundingRect(self) -> QRectF:
        left, top, right, bottom = MARGIN
        return self.rect.adjusted(-left, -top, right, bottom)

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        phase_on = self.ctx.blinker.on
        if self.props.get("blink") and not phase_on:
            p.setOpacity(0.3)
        self.draw(p)
        p.setOpacity(1.0)
        if self.alarm is not None and self.alarm_frame:
            draw.draw_alarm_look(p, self.marker_rect(), self.alarm, phase_on)
        if self.bad and self.tag_names():
            self.draw_bad(p)

    def draw(self, p: QPainter) -> None:
        raise NotImplementedError

    def draw_bad(self, p: QPainter) -> None:
        draw.draw_bad_marker(p, self.marker_rect())

    def marker_rect(self) -> QRectF:
        """What the alarm frame and bad-quality frame surround: the symbol, or the value box of a display."""
        return self.rect

    # -- operator interaction ------------------------------------------------------------------

    def action(self) -> Action | None:
        """What a left click does; items such as a setpoint entry have one without `on_click`."""
        return self.model.on_click

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        event.accept()

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.rect.contains(event.pos()):
            self.click()

    def click(self) -> None:
        action = self.action()
        if action is None:
            return
        if action.popup is not None:
            views = self.scene().views() if self.scene() is not None else []
            self.ctx.popup(action.popup, action.args, views[0].window() if views else None)
        else:
            self.ctx.act(self.model, action)

    def contextMenuEvent(self, event: QGraphicsSceneContextMenuEvent) -> None:
        if not self.tag_names():
            event.ignore()
            return
        TagMenu(self).exec(event.screenPos())
