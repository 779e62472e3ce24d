"""The time axis: ticks in local time at every zoom, and the dates of the visible range beneath them."""

from __future__ import annotations

from datetime import datetime

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication


def range_title(t0: float, t1: float) -> str:
    """The visible dates, so that tick labels showing only clock times can still be placed in time."""
    try:
        a, b = datetime.fromtimestamp(t0).astimezone(), datetime.fromtimestamp(t1).astimezone()
    except (OverflowError, OSError, ValueError):  # a view not placed in time yet
        return ""
    zone = a.strftime("%Z") or a.strftime("UTC%z")
    if a.date() == b.date():
        dates = a.strftime("%a %d %b %Y")
    elif a.year == b.year:
        dates = f"{a:%a %d %b} – {b:%a %d %b %Y}"
    else:
        dates = f"{a:%a %d %b %Y} – {b:%a %d %b %Y}"
    return QCoreApplication.translate("TimeAxis", "{dates} (local time, {zone})").format(
        dates=dates, zone=zone
    )


class TimeAxis(pg.DateAxisItem):
    """pyqtgraph's date axis in local time, titled with the dates of the visible range."""

    _title = ""

    def __init__(self) -> None:
        super().__init__(orientation="bottom")

    def setRange(self, mn: float, mx: float) -> None:
        super().setRange(mn, mx)
        title = range_title(min(mn, mx), max(mn, mx))
        if title != self._title:
            self._title = title
            self.setLabel(title)
