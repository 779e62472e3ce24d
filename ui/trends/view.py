"""The trend chart: pens over local time, live or historical, back-filled from the historian, with cursors."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from hmi.history import HistoryReader
from hmi.project.model import Pen, Tag
from hmi.quality import WAITING, Sample
from hmi.storage import Storage
from hmi.tags import TagTable

from .buffer import RingBuffer
from .cursor import Cursors
from .export import LiveArrays, write_csv
from .loader import HistoryLoader
from .pens import TrendPen, make_pen, plottable
from .plot import TrendPlot
from .series import History, fetch_history, joined, plot_xy, uncertain_xy
from .table import A, B, PenTableModel, Reading

log = logging.getLogger(__name__)

FRAME_MS = (100, 1000)
"""Live redraws come once a pixel's worth of time has passed, within these bounds."""
BACKFILL_DELAY_MS = 150
"""Pause after the last pan or zoom step before history is asked for the new range."""
RELOAD_EVERY_S = 2.0
"""Live mode refreshes history at most this often, to keep the live tail short."""
TAIL_PX = 4
"""Live samples a pixel after the loaded history before it is refreshed: bounds the per-frame work."""
PAN_STEP = 0.1
ZOOM_STEP = 2.0


@dataclass(frozen=True)
class _Request:
    """The history asked for last: its range, its resolution, whether it reached the present."""

    t0: float
    t1: float
    width: float
    to_now: bool
    at: float


class TrendView(QWidget):
    """Pens of `table` tags on shared or own Y axes; live (scrolling) or paused; history from `storage`."""

    liveChanged = Signal(bool)
    pensChanged = Signal()
    historyLoaded = Signal()
    exported = Signal(str, int)
    """path, rows written."""
    message = Signal(str)
    """Something the operator should read (a failed query or export)."""

    def __init__(
        self,
        table: TagTable,
        tags: Mapping[str, Tag],
        storage: Storage,
        span_s: float = 3600.0,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.table = table
        self.tags = tags
        self.pens: list[TrendPen] = []
        self.model = PenTableModel(self)
        self._buffers: dict[str, RingBuffer] = {}
        self._history: dict[str, History] = {}
        self._curves: dict[str, pg.PlotDataItem] = {}
        self._dirty: set[str] = set()
        self._live = True
        self._paused_at = 0.0
        self._span = span_s
        self._request: _Request | None = None

        self.plot = TrendPlot()
        self.item: pg.PlotItem = self.plot.plotItem
        self.cursors = Cursors(self.item, self)
        self.cursors.moved.connect(self._read_cursor)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.loader = HistoryLoader(storage, self)
        self.loader.finished.connect(self._on_result)
        self.loader.failed.connect(self._on_failure)
        self._frame = QTimer(self)
        self._frame.timeout.connect(self._tick)
        self._backfill = QTimer(self, singleShot=True, interval=BACKFILL_DELAY_MS)
        self._backfill.timeout.connect(self._ensure_history)
        self.item.vb.sigXRangeChanged.connect(self._on_range_changed)
        self.item.vb.sigResized.connect(self._retime)
        self.item.vb.sigRangeChangedManually.connect(self._on_user_range)
        self._unsubscribe = table.subscribe(self._on_sample)
        self._stopped = False
        self._scroll()
        self._frame.start(FRAME_MS[0])

    # -- pens ---------------------------------------------------------------------------------------

    def add_pen(self, tag: str, definition: Pen | None = None) -> TrendPen:
        """Add a curve for `tag` (KeyError if unknown, ValueError for a text tag); an existing pen is kept."""
        for pen in self.pens:
            if pen.tag == tag:
                return pen
        if tag not in self.tags:
            raise KeyError(f"unknown tag '{tag}'")
        if not plottable(self.tags[tag]):
            raise ValueError(f"tag '{tag}' holds text and cannot be trended")
        pen = make_pen(definition or Pen(tag=tag), self.tags[tag], (p.color for p in self.pens))
        self.pens.append(pen)
        self._buffers[tag] = RingBuffer(started=time.time())
        current = self.table.get(tag)
        if current.reason != WAITING:  # the table's placeholder before any data is not a sample
            self._buffers[tag].append(current)
        self._pens_changed()
        return pen

    def remove_pen(self, tag: str) -> None:
        pen = next((p for p in self.pens if p.tag == tag), None)
        if pen is None:
            return
        self.pens.remove(pen)
        del self._buffers[tag]
        self._history.pop(tag, None)
        self._dirty.discard(tag)
        self._pens_changed()

    def curve(self, tag: str) -> pg.PlotDataItem:
        return self._curves[tag]

    def _pens_changed(self) -> None:
        self._curves = self.plot.rebuild(self.pens)
        self.model.set_pens(self.pens)
        self._request = None  # the new set of pens needs its history
        self._ensure_history()
        self._draw_all()
        for which in (A, B):
            self._read_cursor(which)
        self.pensChanged.emit()

    # -- time range: live, paused, pan, zoom --------------------------------------------------------

    @property
    def live(self) -> bool:
        return self._live

    @property
    def span(self) -> float:
        return self._span

    def x_range(self) -> tuple[float, float]:
        t0, t1 = self.item.vb.viewRange()[0]
        return t0, t1

    def set_live(self, live: bool) -> None:
        """Live: the right edge follows the present. Paused: the view stays and shows the data it had;
        data keeps being collected and shows again on going live."""
        if live == self._live:
            return
        self._live = live
        self._paused_at = time.time()
        if live:
            self._scroll()
        self._draw_all()
        self.liveChanged.emit(live)

    def set_span(self, seconds: float) -> None:
        """Show the last `seconds` and go live (the time-range presets)."""
        self._span = seconds
        self._retime()
        self.set_live(True)
        self._scroll()

    def set_range(self, t0: float, t1: float) -> None:
        """Show [t0, t1], paused (a custom range)."""
        self.set_live(False)
        self._span = t1 - t0
        self._retime()
        self.item.setXRange(t0, t1, padding=0)
        self._ensure_history()

    def pan(self, fraction: float) -> None:
        """Move the view by a fraction of its width (negative: into the past); pauses."""
        t0, t1 = self.x_range()
        self.set_range(t0 + fraction * (t1 - t0), t1 + fraction * (t1 - t0))

    def zoom(self, factor: float) -> None:
        """Show `factor` times the span: live keeps the right edge at now, paused zooms about the middle."""
        if self._live:
            self.set_span(self._span * factor)
            return
        t0, t1 = self.x_range()
        middle, half = (t0 + t1) / 2, (t1 - t0) * factor / 2
        self.set_range(middle - half, middle + half)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Left:
            self.pan(-PAN_STEP)
        elif key == Qt.Key.Key_Right:
            self.pan(PAN_STEP)
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(1 / ZOOM_STEP)
        elif key == Qt.Key.Key_Minus:
            self.zoom(ZOOM_STEP)
        elif key == Qt.Key.Key_Home:
            self.set_live(True)
        else:
            super().keyPressEvent(event)

    def _scroll(self) -> None:
        now = time.time()
        self.item.setXRange(now - self._span, now, padding=0)

    def _retime(self, *_: object) -> None:
        """Redraw live as often as the newest pixel column changes, bounded by FRAME_MS."""
        px = max(self.item.vb.width(), 1.0)
        self._frame.setInterval(int(min(max(self._span / px * 1000, FRAME_MS[0]), FRAME_MS[1])))

    def _on_user_range(self, *_: object) -> None:
        self.set_live(False)

    def _on_range_changed(self, *_: object) -> None:
        if not self._live:  # live mode asks on every frame
            self._backfill.start()

    # -- live data ----------------------------------------------------------------------------------

    def _on_sample(self, name: str, sample: Sample) -> None:
        # Called for every change of every tag on the Qt thread: only buffer it.
        buffer = self._buffers.get(name)
        if buffer is not None:
            buffer.append(sample)
            self._dirty.add(name)

    def _tick(self) -> None:
        if self.cursors.time(A) is None:
            self.model.set_readings(A, None, {p.tag: Reading.of(self._latest(p.tag)) for p in self.pens})
        if not self._live:
            return
        self._scroll()
        self._ensure_history()
        dirty, self._dirty = self._dirty, set()
        for tag in dirty:
            self._draw(tag)
        self.plot.fit()

    def _latest(self, tag: str) -> tuple[float, float, int] | None:
        t, y, q = self._buffers[tag].arrays()
        return (float(t[-1]), float(y[-1]), int(q[-1])) if len(t) else None

    def _draw(self, tag: str) -> None:
        pen = next(p for p in self.pens if p.tag == tag)
        until = time.time() if self._live else self._paused_at
        history, buffer = self._history.get(tag), self._buffers[tag]
        # The last value holds as far as the data is known: to now, unless history stops before live began.
        known = until if history is None or history.t1 >= buffer.started else history.t1
        x, y, q = plot_xy(*joined(history, buffer, until), pen.step, known)
        self.plot.show_data(self._curves[tag], x, y, uncertain_xy(x, y, q))

    def _draw_all(self) -> None:
        self._dirty.clear()
        for pen in self.pens:
            self._draw(pen.tag)

    # -- history ------------------------------------------------------------------------------------

    def _ensure_history(self) -> None:
        """Ask for history when the view left the loaded range or zoomed in past its resolution; in live
        mode also when the live tail has grown long (a quarter of the span, or TAIL_PX points a pixel)."""
        if not self.pens or self._stopped:
            return
        t0, t1 = self.x_range()
        px = max(self.item.vb.width(), 100.0)
        r, now = self._request, time.time()
        if r is not None and r.t0 <= t0 and (t1 <= r.t1 or r.to_now) and r.width <= 2 * (t1 - t0) / px:
            if not (self._live and r.to_now) or now - r.at < RELOAD_EVERY_S:
                return
            tail = max(len(buffer.after(r.t1)[0]) for buffer in self._buffers.values())
            if now - r.t1 < self._span / 4 and tail < TAIL_PX * px:
                return
        margin = 0 if self._live else (t1 - t0) / 2
        r0, r1 = t0 - margin, min(t1 + margin, now)
        n = max(16, int(px * (r1 - r0) / max(t1 - t0, 1e-3)))
        self._request = _Request(r0, r1, (r1 - r0) / n, self._live or r1 >= now, now)
        tags = [p.tag for p in self.pens]
        log.debug("trend: history of %d pens over %.0f s in %d buckets", len(tags), r1 - r0, n)
        self.loader.submit("history", lambda reader: _fetch_all(reader, tags, r0, r1, n))

    @Slot(str, object)
    def _on_result(self, kind: str, result: object) -> None:
        if self._stopped:
            return
        if kind == "history":
            assert isinstance(result, dict)
            self._history.update((tag, h) for tag, h in result.items() if tag in self._buffers)
            self._draw_all()
            self.historyLoaded.emit()
        elif kind in (A, B):
            assert isinstance(result, dict)
            self.model.set_readings(kind, self.cursors.time(kind), result)
        elif kind == "export":
            assert isinstance(result, tuple)
            path, rows = result
            self.exported.emit(path, rows)

    @Slot(str, str)
    def _on_failure(self, kind: str, text: str) -> None:
        if kind == "export":
            self.message.emit(self.tr("The export failed: {0}").format(text))
        else:
            self.message.emit(self.tr("History could not be read: {0}").format(text))

    # -- cursors ------------------------------------------------------------------------------------

    def show_cursor(self, which: str, t: float | None = None) -> None:
        """Place ruler A or B at t (default: a third or two thirds across the view)."""
        t0, t1 = self.x_range()
        self.cursors.show(which, t if t is not None else t0 + (t1 - t0) * (1 if which == A else 2) / 3)

    def hide_cursor(self, which: str) -> None:
        self.cursors.hide(which)

    def _read_cursor(self, which: str) -> None:
        """Readings at the ruler: from the live buffers where they reach, else from the historian."""
        t = self.cursors.time(which)
        if t is None:
            self.model.set_readings(which, None, {})
            return
        near: dict[str, Reading | None] = {}
        far: list[str] = []
        for pen in self.pens:
            buffer = self._buffers[pen.tag]
            first = buffer.first_time()
            if first is not None and t >= first:
                near[pen.tag] = Reading.of(buffer.value_at(t))
            else:
                far.append(pen.tag)
        self.model.set_readings(which, t, near)
        if far:
            self.loader.submit(which, lambda reader: _values_at(reader, far, t))

    # -- export -------------------------------------------------------------------------------------

    def export_csv(self, path: Path) -> None:
        """Write every pen's samples in the visible range (history, then live) to CSV on the worker;
        `exported` tells when it is done."""
        t0, t1 = self.x_range()
        live: dict[str, LiveArrays] = {}
        for p in self.pens:
            t, y, q = self._buffers[p.tag].arrays()
            live[p.tag] = (t.copy(), y.copy(), q.copy())  # the views change while the worker writes
        tags = [p.tag for p in self.pens]
        self.loader.submit(
            "export", lambda reader: (str(path), write_csv(reader, tags, live, t0, t1, path)), supersede=False
        )

    def export_png(self, path: Path) -> bool:
        """Save the chart as it is on screen."""
        return self.plot.grab().save(str(path), "PNG")

    def stop(self) -> None:
        """Stop listening to the tag table and wait for the history worker; call before the view goes."""
        if self._stopped:
            return
        self._stopped = True
        self._frame.stop()
        self._backfill.stop()
        self._unsubscribe()
        self.loader.close()


def _fetch_all(reader: HistoryReader | None, tags: list[str], t0: float, t1: float, n: int) -> dict:
    if reader is None:
        return {}
    return {tag: fetch_history(reader, tag, t0, t1, n) for tag in tags}


def _values_at(reader: HistoryReader | None, tags: list[str], t: float) -> dict[str, Reading | None]:
    return {tag: None if reader is None else Reading.of(reader.value_at(tag, t)) for tag in tags}
