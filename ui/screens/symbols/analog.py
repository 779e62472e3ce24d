"""Analog indicators: bars and gauges with the normal range shaded and alarm limits marked, sparklines."""

from __future__ import annotations

import math
import time
from collections import deque

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPen, QPolygonF

from hmi.history.query import RawSample
from hmi.project.model import Item
from hmi.quality import Quality

from ... import theme
from ..base import ScreenItem
from ..context import ItemContext
from . import draw
from .draw import NO_BRUSH, NO_PEN

SPARK_POINTS = 720
"""Ring buffer size of a sparkline: enough for one point a second over its usual few minutes."""


class BarItem(ScreenItem):
    """Vertical or horizontal bar in the tag's engineering range, the value readable at a glance."""

    default_size = (26.0, 200.0)
    default_format = ".0f"
    antialiased = False

    def __init__(self, model: Item, ctx: ItemContext):
        super().__init__(model, ctx)
        if model.size is None and model.orientation == "horizontal":
            self.body = QRectF(0, 0, 200, 20)
        self.vertical = model.orientation == "vertical"
        r = self.body
        self._geom = (r.x(), r.y(), r.width(), r.height())
        """The body as plain numbers: the fill is placed from them on every change."""
        self.limits = draw.alarm_limits(self.tag())
        low, high = draw.normal_range(self.limits)
        self._band = None
        if low is not None or high is not None:
            band_lo = self.fraction_of(low) if low is not None else 0.0
            band_hi = self.fraction_of(high) if high is not None else 1.0
            self._band = self._span_rect(band_lo, band_hi)
        # What the bar draws on, with and without the alarm marker (above its top right corner):
        # tight, so that a bar repainting does not repaint the row of items above or below it.
        if self.vertical:
            h = draw.line_height(theme.pt("label"), bold=True)
            self._value_box = QRectF(r.center().x() - 40, r.top() - h - 4, 80, h)
            self._label = None
            self._extent = r.adjusted(-17, -20, 28, 6).united(self._value_box)
            if model.label:
                self._extent |= draw.caption_box(r)
            # Bars stand side by side with their readings above: the marker goes below, left of the label.
            label_half = (
                draw.width(model.label, theme.pt("caption"), bold=True) / 2
                if model.label
                else -6 - draw.MARKER / 2
            )
            room = label_half + 4 + draw.MARKER
            self._marker = QPointF(r.center().x() - room, r.bottom() + 6)
            marker = QRectF(self._marker.x() - 1, self._marker.y() - 1, draw.MARKER + 2, draw.MARKER + 2)
            self._alarm_extent = self._extent | marker
        else:
            # The value to the right, as wide as the widest it shows: a range end, one more digit and
            # a sign for a value out of range. The label to the left; without one, room for the '?'.
            size = theme.pt("label")
            widest = max(draw.width(self.with_units(end), size, bold=True) for end in self.span())
            value_w = widest + draw.width("-0", size, bold=True) + 4
            self._value_box = QRectF(r.right() + 8, r.top() - 2, value_w, r.height() + 4)
            label_w = draw.width(model.label, size, bold=True) + 6 if model.label else 0.0
            label = QRectF(r.left() - label_w, r.top() - 2, label_w - 6, r.height() + 4)
            self._label = draw.Words(label, model.label, size, draw.RIGHT, bold=True)
            left = max(label_w, 18.0)
            right = max(8 + value_w, 6 + draw.MARKER) + 2
            self._extent = r.adjusted(-left, -6, right, 6)
            self._alarm_extent = r.adjusted(-left, -draw.MARKER - 4, right, 6)
            self._marker = draw.marker_spot(r)
        box = self._value_box
        self._value_spot = (box.x(), box.y(), box.width(), box.height())
        self._value_align = draw.CENTER if self.vertical else draw.LEFT
        low_end, high_end = self.span()
        self._origin = self.fraction_of(0.0) if low_end < 0 < high_end else 0.0
        """Where the fill starts: zero when the range spans it, else the low end."""
        self.updated()

    def _along(self, frac: float) -> float:
        """Scene coordinate of a fraction of the range along the bar (bottom-up, or left to right)."""
        x, y, w, h = self._geom
        return y + h - h * frac if self.vertical else x + w * frac

    def _span_rect(self, a: float, b: float, thickness: float = 1.0) -> QRectF:
        """The bar between two fractions of the range, `thickness` of its width across, centred."""
        x, y, w, h = self._geom
        lo, hi = sorted((self._along(a), self._along(b)))
        if self.vertical:
            return QRectF(x + w * (1 - thickness) / 2, lo, w * thickness, hi - lo)
        return QRectF(lo, y + h * (1 - thickness) / 2, hi - lo, h * thickness)

    def updated(self) -> None:
        # What the value looks like is worked out once per change, not on every repaint.
        frac = self.fraction()
        self._fill = None if frac is None else self._span_rect(self._origin, frac, 0.5)  # half as wide
        words = self.with_units(self.props.get(self.main_prop))
        self._value = draw.placed(words, theme.pt("label"), self._value_align, True, self._value_spot)

    def draw(self, p: QPainter) -> None:
        r = self.body
        p.setPen(NO_PEN)
        p.setBrush(theme.PANEL)
        p.drawRect(r)
        if self._band is not None:
            p.setBrush(draw.NORMAL_BAND)
            p.drawRect(self._band)
        if self._fill is not None:
            origin = self._origin
            if origin:
                p.setPen(theme.PIPE)
                zero = self._span_rect(origin, origin)
                p.drawLine(zero.topLeft(), zero.bottomRight())
                p.setPen(NO_PEN)
            p.setBrush(draw.bad_brush() if self.bad else self.accent or theme.EQUIPMENT_ON)
            p.drawRect(self._fill)
        p.setPen(theme.OUTLINE)
        p.setBrush(NO_BRUSH)
        p.drawRect(r)
        for kind, limit in self.limits.items():
            at = self._along(self.fraction_of(limit))
            if self.vertical:
                letters = QPointF(r.right() + 5, at) if r.width() >= 30 else None
                draw.limit_tick(p, QPointF(r.left(), at), QPointF(r.right() + 4, at), kind, letters)
            else:
                draw.limit_tick(p, QPointF(at, r.top() - 4), QPointF(at, r.bottom()), kind)
        self._value.draw(p, theme.TEXT_DIM if self.bad else theme.TEXT)
        if self._label is None:
            draw.caption(p, self.body, self.model.label)
        else:
            self._label.draw(p, theme.TEXT_DIM)

    def extent(self) -> QRectF:
        return self._alarm_extent if self.alarm is not None else self._extent

    def marker_spot(self) -> QPointF:
        return self._marker


class GaugeItem(ScreenItem):
    """A 270° dial: normal band, limit ticks, needle, and the value in figures under the hub."""

    default_size = (120.0, 120.0)
    START, SWEEP = 225.0, -270.0

    def _angle(self, frac: float) -> float:
        return self.START + self.SWEEP * frac

    def draw(self, p: QPainter) -> None:
        r = self.body
        dial = r.adjusted(10, 10, -10, -10)
        p.setPen(draw.outline(1.5))
        p.setBrush(theme.PANEL)
        p.drawEllipse(r)
        limits = draw.alarm_limits(self.tag())
        low, high = draw.normal_range(limits)
        if low is not None or high is not None:
            a = self.fraction_of(low) if low is not None else 0.0
            b = self.fraction_of(high) if high is not None else 1.0
            p.setPen(QPen(draw.NORMAL_BAND, 8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
            p.drawArc(dial, int(self._angle(a) * 16), int(self.SWEEP * (b - a) * 16))
        p.setPen(QPen(theme.PIPE, 2))
        p.drawArc(dial.adjusted(4, 4, -4, -4), int(self.START * 16), int(self.SWEEP * 16))
        c = r.center()
        radius = dial.width() / 2
        for kind, limit in limits.items():
            a, b = self._polar(c, radius - 8, limit), self._polar(c, radius + 4, limit)
            draw.limit_tick(p, a, b, kind)
        frac = self.fraction()
        if frac is not None and not self.bad:
            p.setPen(QPen(self.accent or theme.TEXT, 3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            p.drawLine(c, self._polar(c, radius - 6, None, frac))
        p.setPen(draw.NO_PEN)
        p.setBrush(theme.OUTLINE)
        p.drawEllipse(c, 4, 4)
        words = self.with_units(self.props.get(self.main_prop))
        box = QRectF(r.left(), c.y() + radius * 0.35, r.width(), 18)
        draw.text(
            p, box, words, theme.pt("label"), theme.TEXT_DIM if self.bad else theme.TEXT, draw.CENTER, True
        )
        draw.caption(p, r, self.model.label)

    def _polar(self, c: QPointF, radius: float, value: float | None, frac: float | None = None) -> QPointF:
        f = self.fraction_of(value) if value is not None else (frac or 0.0)
        a = math.radians(self._angle(f))
        return QPointF(c.x() + radius * math.cos(a), c.y() - radius * math.sin(a))


class SparklineItem(ScreenItem):
    """A mini trend of the last `span_s` seconds, kept from live samples; gaps where quality was bad."""

    default_size = (200.0, 48.0)

    def __init__(self, model: Item, ctx: ItemContext):
        super().__init__(model, ctx)
        self.samples: deque[tuple[float, float | None]] = deque(maxlen=SPARK_POINTS)
        tag = self.tag()
        if ctx.backfill is not None and tag is not None and tag.history.mode != "off":
            now = time.time()
            ctx.backfill.request(tag.name, now - model.span_s, now, self.backfilled)

    def updated(self) -> None:
        value = self.props.get(self.main_prop)
        self.samples.append((time.monotonic(), self._plotted(value, self.bad)))

    @staticmethod
    def _plotted(value: object, bad: bool) -> float | None:
        return (
            float(value)
            if not bad and isinstance(value, int | float) and not isinstance(value, bool)
            else None
        )

    def backfilled(self, history: list[RawSample]) -> None:
        """The span's samples from the historian, before the live ones (which the historian may not hold
        yet: it commits once a flush)."""
        to_monotonic = time.monotonic() - time.time()
        first_live = self.samples[0][0] if self.samples else math.inf
        older = [
            (ts + to_monotonic, self._plotted(value, quality is not Quality.GOOD))
            for ts, value, quality in history
            if ts + to_monotonic < first_live
        ]
        self.samples = deque([*older, *self.samples], maxlen=SPARK_POINTS)
        self.update()

    def shown(self) -> object:
        return self.samples[-1]  # a new sample moves the whole line

    def draw(self, p: QPainter) -> None:
        r = self.body
        p.setPen(draw.outline(1, theme.PIPE))
        p.setBrush(theme.VALUE_BOX)
        p.drawRect(r)
        now = time.monotonic()
        shown = [(t, v) for t, v in self.samples if t >= now - self.model.span_s]
        values = [v for _, v in shown if v is not None]
        draw.text(
            p,
            self._heading(),
            self.model.label,
            theme.pt("heading"),
            theme.TEXT_DIM,
            draw.LEFT,
            True,
        )
        if not values:
            return
        limits = draw.alarm_limits(self.tag())
        low, high = min(values), max(values)
        # Noise on a steady value must stay a flat line: at least 5 % of the engineering range is shown.
        span_low, span_high = self.span()
        pad = max((high - low) * 0.15, (span_high - span_low) * 0.025)
        low, high = low - pad, high + pad
        plot = r.adjusted(3, 3, -3, -3)

        def point(t: float, v: float) -> QPointF:
            x = plot.right() - plot.width() * (now - t) / self.model.span_s
            return QPointF(x, plot.bottom() - plot.height() * (v - low) / (high - low))

        for limit in limits.values():
            if low < limit < high:
                p.setPen(QPen(theme.TEXT_DIM, 1, Qt.PenStyle.DashLine))
                p.drawLine(point(now - self.model.span_s, limit), point(now, limit))
        p.setPen(QPen(self.accent or theme.TEXT, 1.5))
        segment = QPolygonF()
        for t, v in shown:
            if v is None:
                p.drawPolyline(segment)
                segment = QPolygonF()
            else:
                segment.append(point(t, v))
        p.drawPolyline(segment)
        words = f"{values[-1]:.1f} {self.units()}" if shown[-1][1] is not None else "----"
        draw.text(p, self._heading(), words, theme.pt("heading"), theme.TEXT, draw.RIGHT)

    def _heading(self) -> QRectF:
        r = self.body
        h = draw.line_height(theme.pt("heading"), bold=True)
        return QRectF(r.left(), r.top() - h - 2, r.width(), h)
