"""Process equipment in ISA-101 style: vessels, rotating machines, valves, exchangers and lines."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF

from hmi.project.model import Item

from ... import theme
from ..base import ScreenItem
from ..context import ItemContext
from . import draw


class TankItem(ScreenItem):
    """A vessel with its level as a fill, and its level alarm limits marked on the wall."""

    default_size = (120.0, 240.0)
    main_prop = "level"

    def draw(self, p: QPainter) -> None:
        r = self.body
        p.setPen(draw.outline())
        p.setBrush(theme.PANEL)
        p.drawRoundedRect(r, 12, 12)
        inner = r.adjusted(3, 3, -3, -3)
        frac = self.fraction()
        if frac is not None:
            p.setPen(draw.NO_PEN)
            p.setBrush(draw.bad_brush() if self.bad else QBrush(self.accent or theme.LIQUID))
            h = inner.height() * frac
            p.drawRoundedRect(QRectF(inner.left(), inner.bottom() - h, inner.width(), h), 9, 9)
        for kind, limit in draw.alarm_limits(self.tag()).items():
            y = inner.bottom() - inner.height() * self.fraction_of(limit)
            draw.limit_tick(
                p, QPointF(r.right() - 12, y), QPointF(r.right() + 6, y), kind, QPointF(r.right() + 8, y)
            )
        draw.caption(p, r, self.model.label, below=False)


class RotatingItem(ScreenItem):
    """Pump, motor, fan, compressor: filled while running, hollow when stopped, FAULT spelt out."""

    default_size = (60.0, 60.0)
    main_prop = "running"

    def draw(self, p: QPainter) -> None:
        r = self.body
        running = bool(self.props.get("running"))
        p.setPen(draw.outline())
        p.setBrush(draw.equipment_brush(running, self.bad, self.accent))
        p.drawEllipse(r)
        ink = theme.PANEL if running and not self.bad else theme.OUTLINE
        self.glyph(p, r, ink)
        draw.caption(p, r, self.model.label)
        if self.props.get("fault"):
            below = r.bottom() + (24 if self.model.label else 6)
            box = QRectF(r.left() - 20, below, r.width() + 40, 16)
            draw.text(p, box, draw.tr("FAULT"), theme.pt("label"), theme.TEXT, draw.TOP, bold=True)

    def glyph(self, p: QPainter, r: QRectF, ink: QColor) -> None:
        raise NotImplementedError


class PumpItem(RotatingItem):
    def glyph(self, p: QPainter, r: QRectF, ink: QColor) -> None:
        w, h = r.width(), r.height()
        tri = QPolygonF(
            [
                QPointF(r.left() + w * 0.3, r.top() + h * 0.25),
                QPointF(r.left() + w * 0.3, r.top() + h * 0.75),
                QPointF(r.left() + w * 0.8, r.center().y()),
            ]
        )
        p.setPen(draw.NO_PEN)
        p.setBrush(ink)
        p.drawPolygon(tri)


class MotorItem(RotatingItem):
    def glyph(self, p: QPainter, r: QRectF, ink: QColor) -> None:
        draw.text(p, r, "M", r.height() * 0.28, ink, draw.CENTER, bold=True)


class FanItem(RotatingItem):
    """Three blades around a hub."""

    def glyph(self, p: QPainter, r: QRectF, ink: QColor) -> None:
        c = r.center()
        radius = min(r.width(), r.height()) * 0.38
        p.setPen(draw.NO_PEN)
        p.setBrush(ink)
        for k in range(3):
            a = math.radians(90 + k * 120)
            tip = QPointF(c.x() + radius * math.cos(a), c.y() - radius * math.sin(a))
            side = QPointF(
                c.x() + radius * 0.55 * math.cos(a + 0.6), c.y() - radius * 0.55 * math.sin(a + 0.6)
            )
            p.drawPolygon(QPolygonF([c, side, tip]))
        p.drawEllipse(c, radius * 0.15, radius * 0.15)


class CompressorItem(RotatingItem):
    """The circle with a narrowing trapezoid: gas goes in wide and leaves compressed."""

    def glyph(self, p: QPainter, r: QRectF, ink: QColor) -> None:
        w, h = r.width(), r.height()
        p.setPen(draw.outline(2, ink))
        p.setBrush(draw.NO_BRUSH)
        p.drawPolygon(
            QPolygonF(
                [
                    QPointF(r.left() + w * 0.15, r.top() + h * 0.2),
                    QPointF(r.right() - w * 0.15, r.top() + h * 0.35),
                    QPointF(r.right() - w * 0.15, r.bottom() - h * 0.35),
                    QPointF(r.left() + w * 0.15, r.bottom() - h * 0.2),
                ]
            )
        )


def _bow_tie(r: QRectF) -> QPainterPath:
    cy, half = r.center().y(), r.height() * 0.3
    path = QPainterPath()
    path.moveTo(r.left(), cy - half)
    path.lineTo(r.right(), cy + half)
    path.lineTo(r.right(), cy - half)
    path.lineTo(r.left(), cy + half)
    path.closeSubpath()
    return path


class ValveItem(ScreenItem):
    """Bow-tie valve: `open` (on/off, square actuator) or `position` (control, dome actuator, % open)."""

    default_size = (48.0, 48.0)
    default_format = ".0f"

    @property
    def main_prop(self) -> str:  # type: ignore[override]
        return "position" if "position" in self.bindings else "open"

    def draw(self, p: QPainter) -> None:
        r = self.body
        cx, cy = r.center().x(), r.center().y()
        if self.main_prop == "position":
            frac = self.fraction()
            opened = frac is not None and frac > 0.01
        else:
            opened = bool(self.props.get("open"))
        p.setPen(draw.outline())
        p.setBrush(draw.equipment_brush(opened, self.bad and bool(self.bindings), self.accent))
        p.drawPath(_bow_tie(r))
        top = r.top() + r.height() * 0.2
        p.drawLine(QPointF(cx, cy), QPointF(cx, top - 4))
        p.setBrush(theme.PANEL)
        if self.main_prop == "position":
            p.drawChord(QRectF(cx - 12, top - 16, 24, 24), 0, 180 * 16)
            p.drawLine(QPointF(cx - 12, top - 4), QPointF(cx + 12, top - 4))
            box = QRectF(cx + 16, top - 18, 44, 16)
            draw.text(
                p,
                box,
                f"{self.formatted()} %" if self.props.get("position") is not None else "",
                theme.pt("heading"),
                theme.TEXT,
                draw.LEFT,
            )
        else:
            p.drawRect(QRectF(cx - 9, top - 16, 18, 12))
        draw.caption(p, r, self.model.label)


class CheckValveItem(ScreenItem):
    """Flow passes left to right only: a bow tie with the blocking half filled and a seat bar."""

    default_size = (40.0, 32.0)

    def draw(self, p: QPainter) -> None:
        r = self.body
        cx = r.center().x()
        p.setPen(draw.outline())
        p.setBrush(theme.PANEL)
        p.drawPath(_bow_tie(r))
        half = QPolygonF(
            [
                QPointF(cx, r.center().y()),
                QPointF(r.right(), r.top() + r.height() * 0.2),
                QPointF(r.right(), r.bottom() - r.height() * 0.2),
            ]
        )
        p.setBrush(theme.OUTLINE)
        p.drawPolygon(half)
        p.drawLine(QPointF(cx, r.top()), QPointF(cx, r.bottom()))
        draw.caption(p, r, self.model.label)


class ExchangerItem(ScreenItem):
    default_size = (60.0, 60.0)

    def draw(self, p: QPainter) -> None:
        r = self.body
        p.setPen(draw.outline())
        p.setBrush(theme.PANEL)
        p.drawEllipse(r)
        zig = QPolygonF([QPointF(r.left() + 6, r.center().y())])
        for i in range(1, 6):
            y = r.top() + r.height() * (0.3 if i % 2 else 0.7)
            zig.append(QPointF(r.left() + 6 + i * (r.width() - 12) / 6, y))
        zig.append(QPointF(r.right() - 6, r.center().y()))
        p.setBrush(draw.NO_BRUSH)
        p.drawPolyline(zig)
        draw.caption(p, r, self.model.label)


class PipeItem(ScreenItem):
    """A process line with arrows in the flow direction; darker and thicker while `flowing`."""

    ARROW = 7.0

    def __init__(self, model: Item, ctx: ItemContext):
        super().__init__(model, ctx)
        self.line = draw.polyline(model.points or [(0, 0), (100, 0)])
        self.body = self.line.boundingRect()
        start = self.line[0]
        self._question = QRectF(start.x() - 4, start.y() - 20, 14, 16)
        """The bad-quality '?' over the line's start."""

    def extent(self) -> QRectF:
        # Arrows and the thick line on every side, and the '?' (its glyph a little taller than its box).
        margin = self.ARROW + 4
        return self.body.adjusted(-margin, -margin, margin, margin) | self._question.adjusted(-2, -3, 2, 3)

    def draw(self, p: QPainter) -> None:
        flowing = bool(self.props.get("flowing")) and not self.bad
        colour = self.accent or (theme.PIPE_FLOWING if flowing else theme.PIPE)
        p.setPen(draw.outline(5 if flowing else 4, colour))
        p.drawPolyline(self.line)
        p.setPen(draw.NO_PEN)
        p.setBrush(colour)
        for a, b in zip(self.line, list(self.line)[1:], strict=False):
            length = math.hypot(b.x() - a.x(), b.y() - a.y())
            if length < 4 * self.ARROW:
                continue
            ux, uy = (b.x() - a.x()) / length, (b.y() - a.y()) / length
            mid = QPointF((a.x() + b.x()) / 2, (a.y() + b.y()) / 2)
            tip = QPointF(mid.x() + ux * self.ARROW, mid.y() + uy * self.ARROW)
            back = QPointF(mid.x() - ux * self.ARROW, mid.y() - uy * self.ARROW)
            p.drawPolygon(
                QPolygonF(
                    [
                        tip,
                        QPointF(back.x() - uy * self.ARROW, back.y() + ux * self.ARROW),
                        QPointF(back.x() + uy * self.ARROW, back.y() - ux * self.ARROW),
                    ]
                )
            )

    def draw_bad(self, p: QPainter) -> None:
        """The line itself dashed in magenta: a frame around an L-shaped line would cover the plant."""
        p.setPen(QPen(theme.BAD_QUALITY, 2, Qt.PenStyle.DashLine))
        p.setBrush(draw.NO_BRUSH)
        p.drawPolyline(self.line)
        draw.text(p, self._question, "?", 10, theme.BAD_QUALITY, draw.CENTER, True)
