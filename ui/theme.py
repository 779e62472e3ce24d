"""The ISA-101 palettes: calm greys for the process, colour only for abnormal states.

Two themes share one set of module-level colours: `light` (the default, a grey control room by day)
and `dark` (a dimmed control room). `apply(name)` changes the colours in place, so painters that read
`theme.TEXT` or hold on to the QColor object both draw the new theme on their next repaint. Alarm
colours keep their meaning and value in both themes.
"""

from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont, QPen
from PySide6.QtWidgets import QApplication, QGraphicsView

RESOURCES = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent)) / "resources"
"""The source tree's resources, or the unpacked bundle's when frozen by PyInstaller."""

THEMES = ("light", "dark")
DEFAULT = "light"

PALETTES: dict[str, dict[str, str]] = {
    "light": {
        "BACKGROUND": "#d6d6d6",
        "PANEL": "#e4e4e4",
        "OUTLINE": "#4d4d4d",
        "EQUIPMENT_ON": "#5a5a5a",
        "LIQUID": "#8fa3b3",
        "PIPE": "#7a7a7a",
        "PIPE_FLOWING": "#3c3c3c",
        "TEXT": "#141414",
        "TEXT_DIM": "#5e5e5e",
        "VALUE_BOX": "#f2f2f2",
        "BAD_QUALITY": "#b000b0",
        "NORMAL_BAND": "#c9c9c9",
        "GRID": "#c4c4c4",
    },
    "dark": {
        "BACKGROUND": "#23272b",
        "PANEL": "#2e3338",
        "OUTLINE": "#a9b0b6",
        "EQUIPMENT_ON": "#b4bac0",
        "LIQUID": "#4f6a80",
        "PIPE": "#6f767c",
        "PIPE_FLOWING": "#c4cace",
        "TEXT": "#e6e8ea",
        "TEXT_DIM": "#9aa1a7",
        "VALUE_BOX": "#15181b",
        "BAD_QUALITY": "#ff4dff",
        "NORMAL_BAND": "#3b4148",
        "GRID": "#454c53",
    },
}

_light = PALETTES["light"]
BACKGROUND = QColor(_light["BACKGROUND"])
PANEL = QColor(_light["PANEL"])
OUTLINE = QColor(_light["OUTLINE"])
EQUIPMENT_ON = QColor(_light["EQUIPMENT_ON"])
"""Running equipment is filled, stopped is hollow (ISA-101: state by fill, not green/red)."""
LIQUID = QColor(_light["LIQUID"])
PIPE = QColor(_light["PIPE"])
PIPE_FLOWING = QColor(_light["PIPE_FLOWING"])
TEXT = QColor(_light["TEXT"])
TEXT_DIM = QColor(_light["TEXT_DIM"])
VALUE_BOX = QColor(_light["VALUE_BOX"])
BAD_QUALITY = QColor(_light["BAD_QUALITY"])
"""Magenta marks values that cannot be trusted (bad or stale quality)."""
NORMAL_BAND = QColor(_light["NORMAL_BAND"])
"""The normal operating band behind bars and gauges."""
GRID = QColor(_light["GRID"])
"""Grid lines of trend charts."""
ALARM = {1: QColor("#d40000"), 2: QColor("#ff8c00"), 3: QColor("#f0d000"), 4: QColor("#3aa0e0")}

current = DEFAULT

TEXT_PT: dict[str, float] = {
    "value": 13.0,  # the figures operators read all day: ~16 px digits on a 1080p screen
    "label": 10.0,  # a display's label and units, a bar's reading, alarm texts
    "caption": 10.0,  # an equipment tag under its symbol (P-101)
    "heading": 9.0,  # a sparkline's title, an image's name
    "small": 8.0,  # the limit letters beside a bar
    "button": 11.0,
}
"""Screen text sizes by role, in points at 100 %: legible from 1 m at 1920x1080."""

ZOOMS = (1.0, 1.15, 1.3, 1.5)
"""The station-wide text zoom the operator may choose (View > Text size)."""
zoom = 1.0


def pt(role: str) -> float:
    """The size of a role's text on screens at the station's zoom."""
    return TEXT_PT[role] * zoom


@cache
def font(size: float = 10, bold: bool = False) -> QFont:
    """Shared: painting thousands of items asks for the same few fonts every frame. Do not modify it.

    Sizes are in points, so text scales with the screen's DPI (Qt 6 scales per monitor)."""
    f = QFont("DejaVu Sans")
    f.setPointSizeF(size)
    f.setBold(bold)
    return f


def stylesheet(name: str = DEFAULT) -> str:
    """The theme's style sheet with every font size at the station's zoom."""
    text = (RESOURCES / "themes" / f"{name}.qss").read_text(encoding="utf-8")
    return re.sub(r"(\d+(?:\.\d+)?)pt\b", lambda m: f"{float(m.group(1)) * zoom:g}pt", text)


def set_zoom(factor: float, app: QApplication | None = None) -> None:
    """Scale every text of the app: style sheet (menus, tables, banner) and screens (their windows
    lay their items out again)."""
    global zoom
    if factor not in ZOOMS:
        raise ValueError(f"unknown text zoom {factor}; choose one of {', '.join(f'{z:g}' for z in ZOOMS)}")
    zoom = factor
    apply(current, app)
    app = app or QApplication.instance()  # type: ignore[assignment]
    for widget in app.topLevelWidgets() if app is not None else ():
        for view in widget.findChildren(QGraphicsView):
            relayout = getattr(view, "relayout", None)  # a screen: its items size themselves to their text
            if relayout is not None:
                relayout()


def apply(name: str, app: QApplication | None = None) -> None:
    """Switch every window to theme `name`: palette colours, the style sheet, and a repaint of screens."""
    global current
    if name not in PALETTES:
        raise ValueError(f"unknown theme {name!r}; choose one of {', '.join(THEMES)}")
    current = name
    module = sys.modules[__name__]
    old = {attribute: QColor(getattr(module, attribute)) for attribute in PALETTES[name]}
    for attribute, value in PALETTES[name].items():
        getattr(module, attribute).setRgba(QColor(value).rgba())
    app = app or QApplication.instance()  # type: ignore[assignment]
    if app is None:
        return
    app.setStyleSheet(stylesheet(name))
    for widget in app.topLevelWidgets():
        for view in widget.findChildren(QGraphicsView):
            if isinstance(view, pg.GraphicsView):
                _repaint_chart(view, old)
            else:
                _repaint_screen(view)
        widget.update()


def _repaint_screen(view: QGraphicsView) -> None:
    """Backgrounds are brushes copied at set-up, and items may cache their pixels: renew both."""
    view.setBackgroundBrush(BACKGROUND)
    scene = view.scene()
    if scene is not None:
        scene.setBackgroundBrush(BACKGROUND)
        for item in scene.items():
            item.update()
    view.viewport().update()


def _repaint_chart(view: pg.GraphicsView, old: dict[str, QColor]) -> None:
    """Trend charts: the panel behind the curves (and the dashes over Uncertain stretches), the grid,
    and the axes drawn in text colour (an axis in a pen's colour keeps it)."""
    view.setBackground(PANEL)
    for item in view.scene().items():
        if isinstance(item, pg.PlotDataItem) and QPen(item.opts["pen"]).color() == old["PANEL"]:
            gaps = QPen(item.opts["pen"])  # the dashes over Uncertain stretches, in the panel colour
            gaps.setColor(PANEL)
            item.setPen(gaps)
        if not isinstance(item, pg.AxisItem):
            continue
        if item.textPen().color() == old["TEXT"]:
            item.setPen(pg.mkPen(TEXT))
            item.setTextPen(pg.mkPen(TEXT))
        if item.tickPen().color() == old["GRID"]:
            item.setTickPen(pg.mkPen(GRID))
