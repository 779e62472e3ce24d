"""Text on a screen: labels, numeric displays, state words, setpoint entries and alarm indicators."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPen

from hmi.project.model import Action, Item

from ... import theme
from ..base import ScreenItem
from ..context import ItemContext
from . import draw


class LabelItem(ScreenItem):
    """Static text, or a `text` binding shown with the item's format."""

    main_prop = "text"

    WRAP = draw.LEFT | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap

    def __init__(self, model: Item, ctx: ItemContext):
        super().__init__(model, ctx)
        self.size_pt = (model.font_size or theme.TEXT_PT["label"]) * theme.zoom
        self.wrapped = model.size is not None
        """Given a size, the words wrap inside its width (and may run below it at a large text zoom)."""
        if not self.wrapped:
            self.body = QRectF(0, 0, draw.width(model.label, self.size_pt, bold=True) + 4, self.size_pt * 2)

    def draw(self, p: QPainter) -> None:
        words = self.formatted() if "text" in self.bindings else self.model.label
        colour = self.accent or (theme.TEXT if self.model.font_size else theme.TEXT_DIM)
        if self.wrapped and draw.width(words, self.size_pt, bold=True) > self.body.width():
            p.setFont(theme.font(self.size_pt, bold=True))
            p.setPen(colour)
            p.drawText(self.body, self.WRAP, words)
        else:
            draw.text(p, self.body, words, self.size_pt, colour, draw.LEFT, bold=True)

    def extent(self) -> QRectF:
        if not self.wrapped:
            return super().extent()
        metrics = QFontMetricsF(theme.font(self.size_pt, bold=True))
        return super().extent() | metrics.boundingRect(self.body, self.WRAP, self.model.label)


class ValueItem(ScreenItem):
    """Label, value in a box, units: the numeric display operators read all day."""

    LABEL_W, BOX_W, UNITS_W, H = 56.0, 76.0, 50.0, 24.0
    """Columns that line displays up; given a narrower size, a display shrinks them to its words. At a
    larger text zoom the box grows to its figures."""
    MIN_BOX = 36.0
    antialiased = False

    def __init__(self, model: Item, ctx: ItemContext):
        super().__init__(model, ctx)
        units = self.units()
        label, value = theme.pt("label"), theme.pt("value")
        h = max(self.H, draw.line_height(value) + 4)
        label_w = max(self.LABEL_W, draw.width(model.label, label, bold=True) + 8)
        units_w = self.UNITS_W
        words = max(draw.width(model.on_text, value), draw.width(model.off_text, value)) + 24
        box_w = max(self.BOX_W, words)
        if model.size is not None:
            box_w = model.size[0] - label_w - units_w
            if box_w < self.MIN_BOX:
                label_w = draw.width(model.label, label, bold=True) + 8 if model.label else 0.0
                units_w = draw.width(units, label) + 8 if units else 0.0
                box_w = max(self.MIN_BOX, model.size[0] - label_w - units_w)
        self.body = QRectF(0, 0, label_w + box_w + units_w, h)
        self._box = QRectF(label_w, 0, box_w, h)
        self._label = draw.Words(QRectF(0, 0, label_w - 6, h), model.label, label, draw.RIGHT, bold=True)
        units_at = self._box.right() + 6
        self._units = draw.Words(QRectF(units_at, 0, max(units_w - 6, 0.0), h), units, label, draw.LEFT)
        value, bad = self._box.adjusted(4, 0, -6, 0), self._box.adjusted(16, 0, -6, 0)  # bad: room for '?'
        self._spots = tuple((r.x(), r.y(), r.width(), r.height()) for r in (value, bad))
        # The frames around the box, the units' words and, only while there is an alarm, its marker
        # above the box (see draw.draw_alarm_look).
        right = max(self.body.right(), units_at + draw.width(units, label)) - self.body.right()
        self._extent = self.body.adjusted(-4, -4, right + 2, 4)
        marker_right = self._box.right() + 6 + draw.MARKER + 2 - self.body.right()
        self._alarm_extent = self.body.adjusted(-6, -draw.MARKER - 4, max(right, marker_right) + 2, 6)
        self.updated()

    def box(self) -> QRectF:
        return QRectF(self._box)

    def text(self) -> str:
        return self.formatted()

    def updated(self) -> None:
        # The value as text once per change; placed in the box at its next paint, if it changes.
        self._text = self.text()
        self._value = None

    def shown(self) -> object:
        return self._text, *(v for prop, v in self.props.items() if prop != self.main_prop)

    def draw(self, p: QPainter) -> None:
        self._label.draw(p, theme.TEXT_DIM)
        self._units.draw(p, None)  # in the label's colour
        self.draw_box(p, self._box)
        bad = self.bad
        if self._value is None:
            self._value = draw.placed(self._text, theme.pt("value"), self.align(), False, self._spots[bad])
        self._value.draw(p, theme.TEXT_DIM if bad else theme.TEXT)

    def align(self) -> Qt.AlignmentFlag:
        return draw.RIGHT

    def draw_box(self, p: QPainter, box: QRectF) -> None:
        p.setPen(theme.PIPE)  # a solid pen of width 1
        p.setBrush(self.accent or theme.VALUE_BOX)
        p.drawRect(box)

    def marker_rect(self) -> QRectF:
        return self.box()

    def draw_bad(self, p: QPainter) -> None:
        draw.draw_bad_marker(p, self.box(), inside=True)

    def extent(self) -> QRectF:
        return self._alarm_extent if self.alarm is not None else self._extent


class IndicatorItem(ValueItem):
    """A state shown as a word (AUTO / MAN, Running / Stopped); a colour only through `colors`."""

    main_prop = "state"

    def units(self, prop: str | None = None) -> str:
        return ""

    def align(self) -> Qt.AlignmentFlag:
        return draw.CENTER


class SetpointItem(ValueItem):
    """A value the operator may change: a raised entry box; a click opens the setpoint dialog."""

    def action(self) -> Action | None:
        if self.model.on_click is not None:
            return self.model.on_click
        expr = self.bindings.get("value")
        return Action(setpoint=next(iter(expr.names))) if expr is not None and expr.is_tag else None

    def draw_box(self, p: QPainter, box: QRectF) -> None:
        p.setPen(QPen(theme.OUTLINE, 1.5))
        p.setBrush(self.accent or theme.VALUE_BOX)
        p.drawRect(box)
        p.setPen(draw.NO_PEN)
        p.setBrush(theme.OUTLINE)
        p.drawPolygon(
            [
                QPointF(box.left() + 2, box.top() + 2),
                QPointF(box.left() + 9, box.top() + 2),
                QPointF(box.left() + 2, box.top() + 9),
            ]
        )


class AlarmIndicatorItem(ScreenItem):
    """The most urgent alarm of its tags in words, beside the priority marker; 'No alarm' otherwise."""

    default_size = (260.0, 22.0)
    alarm_frame = False

    def draw(self, p: QPainter) -> None:
        r = self.body
        p.setPen(QPen(theme.PIPE, 1))
        p.setBrush(theme.VALUE_BOX)
        p.drawRect(r)
        alarm = self.alarm
        room = r.adjusted(24, 0, -4, 0)
        if alarm is None:
            words = self.model.label or draw.tr("No alarm")
            size = theme.pt("label")
            draw.text(p, room, draw.elided(words, size, room.width()), size, theme.TEXT_DIM, draw.LEFT)
            return
        if alarm.blinking and self.ctx.blinker.on:  # the frame blinks; the marker and its shape stay
            p.setPen(QPen(theme.ALARM[alarm.priority.number], 2))
            p.setBrush(draw.NO_BRUSH)
            p.drawRect(r.adjusted(1, 1, -1, -1))
        marker = QPointF(r.left() + 3, r.center().y() - draw.MARKER / 2)
        draw.draw_alarm_marker(p, marker, alarm.priority.number)
        state = "" if alarm.acked else draw.tr("  (unack)")
        colour = theme.TEXT if alarm.active else theme.TEXT_DIM
        size = theme.pt("label")
        words = draw.elided(alarm.message + state, size, room.width(), bold=alarm.active)
        draw.text(p, room, words, size, colour, draw.LEFT, bold=alarm.active)
