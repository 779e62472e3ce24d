"""The base of every screen item: bindings evaluated from the tag table, quality, alarms, clicks, menu."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QGraphicsRectItem,
    QGraphicsSceneContextMenuEvent,
    QGraphicsSceneHoverEvent,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from hmi.alarms.model import Alarm
from hmi.expr import Expression, ExpressionError
from hmi.project.model import Action, Item, Tag
from hmi.quality import Quality

from .. import theme
from ..alarms.model import priority_text
from ..i18n import quality_text
from .context import ItemContext
from .menu import TagMenu
from .symbols import draw

log = logging.getLogger(__name__)

STYLE_PROPS = frozenset({"flowing", "visible", "blink", "rotation", "color"})
"""Bindings that style an item rather than show a process value: their tags' alarms are not its alarms."""
GOOD = Quality.GOOD
ANTIALIASING = QPainter.RenderHint.Antialiasing
"""Enum members looked up once: every paint and refresh of thousands of items needs them."""
REFUSED_OPACITY = 0.45
MARGIN = (44.0, 24.0, 44.0, 40.0)
"""Room around the symbol for its caption, alarm marker and bad-quality marker (left, top, right, bottom)."""


class ScreenItem(QGraphicsRectItem):
    """Evaluates bindings, tracks the worst quality and the most urgent alarm of the tags it shows.

    `body` is the symbol's own rectangle; the item's rect (QGraphicsRectItem's, never drawn as such) is
    its extent: the body plus room for caption and markers, see `extent`. Qt asks every item near a
    repaint for its bounding rect several times per frame; kept in C++ that answer costs no call into
    Python (Qt's walk over 2,000 items for a repaint took less than half the time). Not a
    QGraphicsObject: PySide sends every attribute access of a QObject through its property lookup.
    """

    default_size = (100.0, 24.0)
    main_prop = "value"
    """The binding whose tag gives units, range and alarm limits."""
    default_format = ""
    """How a number shows when the item has no `format` (else: floats with two decimals)."""
    alarm_frame = True
    """Draw the alarm frame and marker (an alarm indicator shows the alarm its own way)."""
    antialiased = True
    """Symbols of only upright rectangles and text are crisper without antialiasing, and paint faster."""

    def __init__(self, model: Item, ctx: ItemContext):
        super().__init__()
        self.setPen(draw.NO_PEN)  # the extent is the bounding rect exactly, no pen width around it
        self.model = model
        self.ctx = ctx
        self.bindings = {prop: Expression(text) for prop, text in model.bind.items()}
        self.rules = [(Expression(rule.when), QColor(rule.color)) for rule in model.colors]
        exprs = [*self.bindings.values(), *(expr for expr, _ in self.rules)]
        self._names = frozenset(name for expr in exprs for name in expr.names)
        self._alarm_tags = sorted(
            {n for prop, expr in self.bindings.items() if prop not in STYLE_PROPS for n in expr.names}
        )
        self._bare = {prop: next(iter(expr.names)) for prop, expr in self.bindings.items() if expr.is_tag}
        """Bindings that are one tag name: their value is the tag's, no evaluator needed."""
        self._look: tuple | None = None
        self.props: dict[str, Any] = {}
        self.quality = Quality.GOOD
        self.reason = ""
        self.alarm: Alarm | None = None
        self.accent: QColor | None = None
        w, h = model.size or self.default_size
        self.body = QRectF(0, 0, w, h)
        """The symbol's rectangle in item coordinates; subclasses may set it until `fit`."""
        self.setPos(*model.at)
        self.setTransformOriginPoint(self.body.center())
        self.clickable = clickable = self.action() is not None
        if clickable:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            self.setAcceptHoverEvents(True)  # to show a click the user may not do as refused, up front
        self.setAcceptedMouseButtons(Qt.MouseButton.LeftButton if clickable else Qt.MouseButton.NoButton)

    # -- bindings ------------------------------------------------------------------------------

    def tag_names(self) -> frozenset[str]:
        return self._names

    def alarm_tags(self) -> list[str]:
        return self._alarm_tags

    def descendants(self) -> list[ScreenItem]:
        """This item and the items inside it (a template instance has some)."""
        return [self]

    def refresh(self) -> None:
        """Re-evaluate every binding from the table; draw Bad quality instead of trusting old values.

        Repaints only when what the item shows changed (see `look`): at 2 Hz most displays of a slow
        value read the same from one change to the next."""
        table = self.ctx.table
        worst, reason = GOOD, ""
        for prop, expr in self.bindings.items():
            bare = self._bare.get(prop)
            if bare is not None:
                sample = table.get(bare)
                if sample.quality > worst:
                    worst, reason = sample.quality, sample.reason
                self.props[prop] = sample.value
                continue
            samples = {n: table.get(n) for n in expr.names}
            for sample in samples.values():
                if sample.quality > worst:
                    worst, reason = sample.quality, sample.reason
            try:
                self.props[prop] = expr.evaluate({n: s.value for n, s in samples.items()})
            except ExpressionError as exc:
                self.props[prop] = None
                if worst is GOOD:
                    worst, reason = Quality.BAD, str(exc)
        self.quality, self.reason = worst, reason
        self.accent = self._accent()
        self.refresh_alarm()
        if "visible" in self.props:
            self.setVisible(bool(self.props["visible"]))
        rotation = self.props.get("rotation")
        if rotation is not None and isinstance(rotation, int | float):
            self.setRotation(float(rotation))
        self.updated()
        look = self.look()
        if look != self._look:
            if look[-1] != (self._look and self._look[-1]):
                self.setToolTip(self._tooltip())
            self._look = look
            self.update()

    def look(self) -> tuple:
        """Everything a paint of the item depends on, but the blink phase (the view repaints blinking
        items on each toggle): equal looks draw the same pixels. Last, what the tooltip tells."""
        alarm = self.alarm
        return (
            self.shown(),
            None if self.accent is None else self.accent.rgba(),
            (
                self.quality,
                self.reason,
                None if alarm is None else (alarm.id, alarm.state, alarm.priority, alarm.message),
            ),
        )

    def shown(self) -> object:
        """The values the item shows; items that show a value as text compare the text."""
        return tuple(self.props.values())

    def refresh_alarm(self) -> None:
        alarms = [a for a in map(self.ctx.alarm_for, self._alarm_tags) if a is not None]
        alarm = min(alarms, key=lambda a: (not a.active, a.priority.number)) if alarms else None
        grows = (alarm is None) != (self.alarm is None)
        self.alarm = alarm
        if grows:
            self.fit()  # displays keep room for the alarm marker only when they need it

    def updated(self) -> None:
        """Hook after each refresh, for items that keep state (a sparkline's samples)."""

    def _accent(self) -> QColor | None:
        colour = self.props.get("color")
        if isinstance(colour, str) and QColor.isValidColorName(colour):
            return QColor(colour)
        if not self.rules:
            return None
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
            alarm = QCoreApplication.translate("ScreenItem", "Alarm %1: %2")
            lines.append(
                alarm.replace("%1", priority_text(self.alarm.priority)).replace("%2", self.alarm.message)
            )
        if self.bad:
            quality = QCoreApplication.translate("ScreenItem", "Quality: %1")
            lines.append(quality.replace("%1", quality_text(self.quality, self.reason)))
        return "\n".join(line for line in lines if line)

    @property
    def bad(self) -> bool:
        return self.quality is not GOOD

    def blinking(self) -> bool:
        return bool(self.props.get("blink")) or (self.alarm is not None and self.alarm.blinking)

    def tag(self, prop: str | None = None) -> Tag | None:
        """The tag a property is bound to when the binding is a plain tag name."""
        name = self._bare.get(prop or self.main_prop)
        return None if name is None else self.ctx.tags.get(name)

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
        """The bound value as text (see `format_value`)."""
        return self.format_value(self.props.get(prop or self.main_prop))

    def with_units(self, value: object) -> str:
        """A value as text followed by its tag's units."""
        return f"{self.format_value(value)} {self.units()}".strip()

    def format_value(self, value: object) -> str:
        """A value as text: the item's format, on/off words for booleans, '----' when there is none."""
        if value is None:
            return "----"
        if isinstance(value, bool):
            return self.model.on_text if value else self.model.off_text
        spec = self.model.format or self.default_format
        if isinstance(value, int | float) and spec:
            try:
                return format(value, spec)
            except ValueError:
                return str(value)
        if isinstance(value, float):
            return f"{value:.2f}"
        return str(value)

    # -- drawing -------------------------------------------------------------------------------

    def extent(self) -> QRectF:
        """All the item draws, now: its body, caption, frames and markers (the alarm's only while it has one).

        Tight, so that an item repainting does not repaint its neighbours."""
        left, top, right, bottom = (room * theme.zoom for room in MARGIN)  # captions grow with the text
        return self.body.adjusted(-left, -top, right, bottom)

    def fit(self) -> None:
        """Take the extent as the item's bounds: once built, and whenever `extent` changes."""
        self.setRect(self.extent())

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if self.antialiased:  # views paint without (see ScreenView); Qt restores the hint after each item
            p.setRenderHint(ANTIALIASING)
        opacity = p.opacity()
        if self.clickable and self.ctx.refused(self.action()):
            p.setOpacity(opacity * REFUSED_OPACITY)  # a control this user may not use looks disabled
        if self.alarm is None and self.quality is GOOD and not self.props.get("blink"):
            self.draw(p)  # the usual case, kept short: a busy screen repaints thousands of items a second
            return
        phase_on = self.ctx.blinker.on
        if not phase_on and self.props.get("blink"):
            p.setOpacity(p.opacity() * 0.3)
        self.draw(p)
        p.setOpacity(opacity)  # the alarm and quality marks in full, whoever is logged in
        if self.alarm is not None and self.alarm_frame:
            p.setRenderHint(ANTIALIASING)  # the priority markers are triangles, diamonds and circles
            draw.draw_alarm_look(p, self.marker_rect(), self.alarm, phase_on, self.marker_spot())
        if self.bad and self._names:
            self.draw_bad(p)

    def draw(self, p: QPainter) -> None:
        raise NotImplementedError

    def draw_bad(self, p: QPainter) -> None:
        draw.draw_bad_marker(p, self.marker_rect())

    def marker_rect(self) -> QRectF:
        """What the alarm frame and bad-quality frame surround: the symbol, or the value box of a display."""
        return self.body

    def marker_spot(self) -> QPointF:
        """The top left of the priority marker: where it covers nothing of this item or its neighbours."""
        return draw.marker_spot(self.marker_rect())

    # -- operator interaction ------------------------------------------------------------------

    def action(self) -> Action | None:
        """What a left click does; items such as a setpoint entry have one without `on_click`."""
        return self.model.on_click

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        # The room around the symbol (caption, markers) may lie over a neighbour: a press there is its.
        event.setAccepted(self.body.contains(event.pos()))

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.body.contains(event.pos()):
            self.click()

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        refused = self.ctx.refused(self.action())
        self.setCursor(Qt.CursorShape.ForbiddenCursor if refused else Qt.CursorShape.PointingHandCursor)
        self.setToolTip("\n".join(filter(None, [self._tooltip(), refused])))
        super().hoverEnterEvent(event)

    def click(self) -> None:
        action = self.action()
        if action is None or self.ctx.refused(action):
            return
        if action.popup is not None:
            views = self.scene().views() if self.scene() is not None else []
            if not views:
                self.ctx.popup(action.popup, action.args)
                return
            view = views[0]
            on_view = view.mapFromScene(self.sceneBoundingRect()).boundingRect()
            beside = QRect(view.viewport().mapToGlobal(on_view.topLeft()), on_view.size())
            self.ctx.popup(action.popup, action.args, view.window(), beside)
        else:
            self.ctx.act(self.model, action)

    def contextMenuEvent(self, event: QGraphicsSceneContextMenuEvent) -> None:
        if not self._names:
            event.ignore()
            return
        TagMenu(self).exec(event.screenPos())
