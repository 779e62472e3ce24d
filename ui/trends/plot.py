"""The chart itself: an ISA-101 styled pyqtgraph plot with one Y axis per group of pens over a time axis."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from .. import theme
from .axis import TimeAxis
from .decimate import Decimator
from .pens import TrendPen, axis_groups, group_label, group_range

GRID = theme.GRID  # the theme changes it in place
"""Opaque grid lines: pyqtgraph's translucent ones cost ~20 ms a repaint on the raster engine."""
DENSE_PX = 2
"""Points a pixel above which a curve draws only the min and max of each pixel's worth of its points."""
PEN_WIDTH = 1
"""Wider lines go through the stroker: 4x slower to draw on the raster engine."""


class TrendPlot(pg.PlotWidget):
    """Curves of pens over local time: the first axis group on the left, the others on the right.

    Extra groups get their own ViewBox under the main one, linked in time; the main box takes the
    mouse (time pan and zoom only: Y ranges come from the pens) and so moves them all.
    """

    def __init__(self) -> None:
        super().__init__(background=theme.PANEL, axisItems={"bottom": TimeAxis()})
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go to the trend view (arrows, +/-, Home)
        item = self.plotItem
        item.hideButtons()
        item.setMenuEnabled(False)
        item.vb.setMenuEnabled(False)
        item.vb.setMouseEnabled(x=True, y=False)
        item.vb.disableAutoRange(axis=pg.ViewBox.XAxis)
        item.showGrid(x=True, y=True)
        for name in ("bottom", "left"):
            axis = item.getAxis(name)
            axis.setZValue(item.vb.zValue() - 1)  # its grid under the curves: a value on a line shows
            axis.setTickPen(pg.mkPen(GRID))
            axis.setStyle(tickAlpha=255)
            _style(axis, theme.TEXT)
        item.getAxis("left").setStyle(maxTickLevel=0)  # labelled lines only: a calm grid
        item.layout.setContentsMargins(2, 6, 12, 2)  # room for the last time label on the right
        self.extra: list[tuple[pg.ViewBox, pg.AxisItem]] = []
        self.dense_px: float = DENSE_PX
        self._dense: dict[pg.PlotDataItem, Decimator] = {}
        self._uncertain: dict[pg.PlotDataItem, pg.PlotDataItem] = {}
        """Each curve's overlay: its Uncertain stretches dashed in the panel colour, drawn over it."""
        item.vb.sigResized.connect(self._sync_boxes)
        item.vb.sigResized.connect(self._decimate_all)
        item.vb.sigXRangeChanged.connect(self._decimate_all)

    def rebuild(self, pens: list[TrendPen]) -> dict[str, pg.PlotDataItem]:
        """New axes and curves for `pens`, replacing the old ones; the caller sets their data with
        show_data. Curves are new each time: clipping asks a curve's box for its range, and fails
        while a reused curve is being moved between boxes."""
        item, scene = self.plotItem, self.scene()
        for box in [item.vb] + [box for box, _axis in self.extra]:
            for curve in [c for c in box.addedItems if isinstance(c, pg.PlotDataItem)]:
                box.removeItem(curve)
        for box, axis in self.extra:
            item.layout.removeItem(axis)
            scene.removeItem(axis)
            scene.removeItem(box)
        self.extra = []
        self._dense, self._uncertain = {}, {}
        curves: dict[str, pg.PlotDataItem] = {}
        for i, group in enumerate(axis_groups(pens).values()):
            box, axis = (item.vb, item.getAxis("left")) if i == 0 else self._add_box(i)
            _style(axis, group[0].color if len(group) == 1 else theme.TEXT)
            axis.setLabel(group_label(group))
            fixed = group_range(group)
            if fixed is None:
                box.enableAutoRange(axis=pg.ViewBox.YAxis)
                box.setAutoVisible(y=True)
            else:
                box.disableAutoRange(axis=pg.ViewBox.YAxis)
                box.setYRange(*fixed, padding=0.02)
            for pen in group:
                curve = pg.PlotDataItem(
                    pen=pg.mkPen(pen.color, width=PEN_WIDTH), connect="finite", name=pen.label
                )
                box.addItem(curve)
                curves[pen.tag] = curve
                gaps = pg.mkPen(theme.PANEL, width=PEN_WIDTH)
                gaps.setDashPattern([4, 4])  # half the line left: plainly dashed, not dotted
                self._uncertain[curve] = overlay = pg.PlotDataItem(pen=gaps, connect="finite")
                box.addItem(overlay)
        self._sync_boxes()
        return curves

    def show_data(
        self,
        curve: pg.PlotDataItem,
        x: np.ndarray,
        y: np.ndarray,
        uncertain: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        """Set a curve's points, and its `uncertain` stretches (series.uncertain_xy) that show dashed.

        A curve with more points than the plot has pixels to show them draws the min and max of each
        pixel's worth (see decimate.py), chosen anew when the time range or the plot's width changes.
        pyqtgraph's own clipping and peak downsampling did the same from all the points in view on
        every pan, and read the Y range from them as well: too slow for 10 pens x 1M."""
        self._set(curve, x, y)
        overlay = self._uncertain.get(curve)
        if overlay is not None:
            self._set(overlay, *(uncertain or (x[:0], y[:0])))

    def _set(self, curve: pg.PlotDataItem, x: np.ndarray, y: np.ndarray) -> None:
        if len(x) > self.dense_px * max(self.plotItem.vb.width(), 1.0):
            self._dense[curve] = decimator = Decimator(x, y)
            self._decimate(curve, decimator)
        else:
            self._dense.pop(curve, None)
            curve.setData(x, y)

    def points(self, curve: pg.PlotDataItem) -> tuple[np.ndarray, np.ndarray]:
        """All the points given to a curve, decimated or not."""
        decimator = self._dense.get(curve)
        if decimator is not None:
            return decimator.x, decimator.y
        x, y = curve.getOriginalDataset()
        return (np.zeros(0), np.zeros(0)) if x is None else (x, y)

    def _decimate(self, curve: pg.PlotDataItem, decimator: Decimator) -> None:
        box = self.plotItem.vb
        t0, t1 = box.viewRange()[0]
        curve.setData(*decimator.visible(t0, t1, max(int(box.width()), 1)))

    def _decimate_all(self, *_: object) -> None:
        for curve, decimator in self._dense.items():
            self._decimate(curve, decimator)

    def fit(self) -> None:
        """Auto-range the Y axes now, after new data: left to the paint, the new range costs a second one."""
        for box in [self.plotItem.vb] + [box for box, _axis in self.extra]:
            if box.autoRangeEnabled()[1]:
                box.updateAutoRange()

    def _add_box(self, column: int) -> tuple[pg.ViewBox, pg.AxisItem]:
        box, axis = pg.ViewBox(enableMenu=False), pg.AxisItem("right")
        box.setZValue(-10)  # under the main box, which takes the mouse
        box.setMouseEnabled(x=False, y=False)
        self.scene().addItem(box)
        axis.linkToView(box)
        box.setXLink(self.plotItem.vb)
        self.plotItem.layout.addItem(axis, 2, 2 + column)
        self.extra.append((box, axis))
        return box, axis

    def _sync_boxes(self, *_: object) -> None:
        main = self.plotItem.vb
        for box, _axis in self.extra:
            box.setGeometry(main.sceneBoundingRect())
            box.linkedViewChanged(main, box.XAxis)


def _style(axis: pg.AxisItem, color: QColor | str) -> None:
    font = theme.font(9)
    axis.setStyle(tickFont=font, tickTextOffset=4)
    axis.setPen(pg.mkPen(color))
    axis.setTextPen(pg.mkPen(color))
    axis.label.setFont(font)
