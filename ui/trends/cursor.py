"""Two vertical rulers on the chart: A reads every pen's value, B the differences from A."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, Signal

from .. import theme
from .table import A, B, format_duration, format_time


class Cursors(QObject):
    """The rulers A and B of one plot; `moved(which)` whenever one is placed or dragged."""

    moved = Signal(str)

    def __init__(self, plot: pg.PlotItem, parent: QObject | None = None):
        super().__init__(parent)
        self._plot = plot
        self.lines: dict[str, pg.InfiniteLine] = {}
        # B's label sits lower than A's, so that the two never overlap when the rulers are close.
        for which, style, height in ((A, Qt.PenStyle.SolidLine, 0.97), (B, Qt.PenStyle.DashLine, 0.90)):
            line = pg.InfiniteLine(
                angle=90,
                movable=True,
                pen=pg.mkPen(theme.TEXT, width=1, style=style),
                hoverPen=pg.mkPen(theme.TEXT, width=2, style=style),
                label="",
                labelOpts={"position": height, "color": theme.TEXT, "fill": theme.VALUE_BOX, "movable": True},
            )
            line.setZValue(100)
            line.sigPositionChanged.connect(lambda _line, w=which: self._changed(w))
            self.lines[which] = line

    def shown(self, which: str) -> bool:
        return self.lines[which].scene() is not None

    def time(self, which: str) -> float | None:
        return self.lines[which].value() if self.shown(which) else None

    def show(self, which: str, t: float) -> None:
        line = self.lines[which]
        if not self.shown(which):
            self._plot.addItem(line, ignoreBounds=True)
        line.setValue(t)
        self._changed(which)

    def hide(self, which: str) -> None:
        if self.shown(which):
            self._plot.removeItem(self.lines[which])
            self._changed(which)

    def _changed(self, which: str) -> None:
        self._label(A)
        self._label(B)
        self.moved.emit(which)

    def _label(self, which: str) -> None:
        t = self.time(which)
        if t is None:
            return
        text = f"{which.upper()}  {format_time(t)}"
        ta = self.time(A)
        if which == B and ta is not None:
            text += f"  Δt {format_duration(t - ta)}"
        self.lines[which].label.setFormat(text)
