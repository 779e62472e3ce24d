"""Operator controls: push buttons, navigation links and two-position toggles."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPen

from hmi.project.model import Action

from ... import theme
from ..base import ScreenItem
from . import draw


class ButtonItem(ScreenItem):
    """A push button; its `on_click` writes a command, opens a faceplate or a trend."""

    default_size = (120.0, 32.0)

    def draw(self, p: QPainter) -> None:
        p.setPen(QPen(self.accent or theme.OUTLINE, 1.5))
        p.setBrush(theme.VALUE_BOX)
        p.drawRoundedRect(self.body, 3, 3)
        draw.text(p, self.body, self.model.label, theme.pt("button"), theme.TEXT, draw.CENTER)


class LinkItem(ButtonItem):
    """Navigation to another screen: a flat tab with a chevron, so it does not read as a command."""

    def draw(self, p: QPainter) -> None:
        r = self.body
        p.setPen(QPen(theme.PIPE, 1))
        p.setBrush(theme.PANEL)
        p.drawRect(r)
        draw.text(
            p,
            r.adjusted(10, 0, -22, 0),
            self.model.label,
            theme.pt("button"),
            theme.TEXT,
            draw.LEFT,
            bold=True,
        )
        draw.text(
            p, QRectF(r.right() - 22, r.top(), 18, r.height()), "›", 14, theme.TEXT_DIM, draw.CENTER, True
        )


class ToggleItem(ScreenItem):
    """A two-position switch over a boolean `state`; a click flips it after the operator confirms."""

    default_size = (110.0, 26.0)
    main_prop = "state"

    def action(self) -> Action | None:
        if self.model.on_click is not None:
            return self.model.on_click
        tag = self.tag()
        return Action(toggle=tag.name) if tag is not None and tag.writable else None

    def draw(self, p: QPainter) -> None:
        r = self.body
        state = self.props.get("state")
        track = QRectF(r.left(), r.top() + 3, 44, r.height() - 6)
        p.setPen(QPen(theme.OUTLINE, 1.5))
        p.setBrush(draw.equipment_brush(bool(state), self.bad, self.accent))
        p.drawRoundedRect(track, track.height() / 2, track.height() / 2)
        knob = track.height() - 6
        x = track.right() - knob - 3 if state else track.left() + 3
        p.setBrush(theme.VALUE_BOX)
        p.drawEllipse(QRectF(x, track.top() + 3, knob, knob))
        words = self.formatted() if state is not None else "----"
        draw.text(
            p,
            QRectF(track.right() + 8, r.top(), r.width() - 52, r.height()),
            words,
            theme.pt("label"),
            theme.TEXT,
            draw.LEFT,
            True,
        )
        draw.caption(p, QRectF(track.left(), r.top(), track.width(), r.height()), self.model.label)
