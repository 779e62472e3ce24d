"""An asset's health from condition monitoring: its state, what its models warn of, the time to HI.

The asset is the one its click opens (`on_click: {open_diagnostics: J3}`). ISA-101: grey words while
the models learn or find nothing; a warning gets the advisory marker and frame, like an advisory alarm.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPen

from hmi.diagnostics.check import Level, about
from hmi.diagnostics.health import AssetHealth
from hmi.project.model import Item
from hmi.quality import Quality

from ... import theme
from ...diagnostics.words import LEVEL_TEXT, tr
from ..base import ScreenItem
from ..context import ItemContext
from . import draw

ADVISORY = 4
"""The priority number (marker and colour) of an advisory alarm."""
WRAP = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap


class HealthItem(ScreenItem):
    """Follows its asset's input tags: each change may change what the models conclude."""

    default_size = (240.0, 56.0)
    alarm_frame = False

    def __init__(self, model: Item, ctx: ItemContext):
        super().__init__(model, ctx)
        action = model.on_click
        self.asset = action.open_diagnostics if action is not None else None
        monitor = ctx.diagnostics
        asset = monitor.assets.get(self.asset) if monitor is not None and self.asset else None
        self._names = frozenset(asset.tags()) if asset is not None else frozenset()
        self.health: AssetHealth | None = None
        self.refresh()

    def refresh(self) -> None:
        monitor, asset = self.ctx.diagnostics, self.asset
        known = monitor is not None and asset is not None and asset in monitor.checks
        self.health = monitor.health(asset) if monitor is not None and asset is not None and known else None
        worst = max((self.ctx.table.get(name) for name in self._names), key=lambda s: s.quality, default=None)
        self.quality, self.reason = (worst.quality, worst.reason) if worst else (Quality.GOOD, "")
        look = (self.health, self.quality, self.reason)
        if look != self._look:
            self._look = look
            self.setToolTip(self._tooltip())
            self.update()

    def _tooltip(self) -> str:
        health = self.health
        lines = [tr("Click for the diagnostics of %1").replace("%1", self.asset or "")]
        if health is not None:
            lines += list(health.causes)
        return "\n".join([*lines, super()._tooltip()])

    def time_words(self) -> str:
        """'HI in ~18 min', 'Above HI', or nothing without a prediction."""
        seconds = self.health.time_to_hi if self.health is not None else None
        if seconds is None:
            return ""
        return tr("Above HI") if seconds <= 0 else tr("HI in %1").replace("%1", about(seconds))

    def draw(self, p: QPainter) -> None:
        r = self.body
        health = self.health
        warning = health is not None and health.level is Level.WARNING
        p.setPen(QPen(theme.ALARM[ADVISORY], 2) if warning else QPen(theme.PIPE, 1))
        p.setBrush(theme.VALUE_BOX)
        p.drawRect(r.adjusted(1, 1, -1, -1) if warning else r)
        size, line = theme.pt("label"), draw.line_height(theme.pt("label"), bold=True)
        top = QRectF(r.left() + 6, r.top() + 3, r.width() - 12, line)
        if health is None:
            words = tr("No diagnostics for %1").replace("%1", self.asset) if self.asset else tr("No asset")
            draw.text(p, top, draw.elided(words, size, top.width()), size, theme.TEXT_DIM, draw.LEFT)
            return
        if warning:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            draw.draw_alarm_marker(p, QPointF(top.left(), top.center().y() - draw.MARKER / 2), ADVISORY)
            top.setLeft(top.left() + draw.MARKER + 6)
        when = self.time_words()
        room = top.width() - (draw.width(when, size, bold=True) + 8 if when else 0)
        state = draw.elided(tr(LEVEL_TEXT[health.level]), size, room, bold=warning)
        colour = theme.TEXT if health.level is not Level.LEARNING else theme.TEXT_DIM
        draw.text(p, top, state, size, colour, draw.LEFT, bold=warning)
        if when:
            draw.text(p, top, when, size, theme.TEXT, draw.RIGHT, bold=True)
        below = QRectF(r.left() + 6, top.bottom() + 2, r.width() - 12, r.bottom() - top.bottom() - 4)
        words = "; ".join(health.causes)
        if health.level is Level.HEALTHY:
            words = tr("No finding; %n still learning", "", health.learning)
            if not health.learning:
                words = tr("No finding")
        p.setFont(theme.font(size))
        p.setPen(theme.TEXT if warning else theme.TEXT_DIM)
        p.drawText(below, WRAP, _fitted(words, size, below))


def _fitted(words: str, size: float, box: QRectF) -> str:
    """The words, cut with an ellipsis where they would run below the box (the tooltip has them all)."""
    metrics = QFontMetricsF(theme.font(size))
    kept = words.split(" ")
    text = words
    while len(kept) > 1 and metrics.boundingRect(box, WRAP, text).height() > box.height():
        kept.pop()
        text = " ".join(kept) + "…"
    return text
