"""Shift notes on a trend: a quiet dashed line at the moment each note is about, its text on hover."""

from __future__ import annotations

from datetime import datetime

import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, QTimer

from hmi.logbook import Logbook, ShiftNote, read_notes
from hmi.storage.port import AuditLog, Storage

from .. import theme
from .view import BACKFILL_DELAY_MS, TrendView

MARK = "✎"


def hover_text(note: ShiftNote) -> str:
    where = " · ".join(part for part in (note.screen, note.tag) if part)
    head = f"{datetime.fromtimestamp(note.at):%Y-%m-%d %H:%M:%S}  {note.author}"
    return f"{head}{f'  ({where})' if where else ''}\n{note.text}"


class NoteMarkers(QObject):
    """Reads the notes about the visible time (and as much again either side) on the trend's history
    worker, again when the view leaves that range; new notes from `logbook` appear at once."""

    def __init__(self, view: TrendView, audit: AuditLog, storage: Storage, logbook: Logbook | None = None):
        super().__init__(view)
        self.view = view
        self.audit = audit
        self.storage = storage
        self.lines: dict[tuple[float, str, str], pg.InfiniteLine] = {}
        self._loaded: tuple[float, float] | None = None
        self._delay = QTimer(self, singleShot=True, interval=BACKFILL_DELAY_MS)
        self._delay.timeout.connect(self._ensure)
        view.item.sigXRangeChanged.connect(self._range_changed)
        view.loader.finished.connect(self._read)
        self._unsubscribe = logbook.subscribe(self.show_note) if logbook is not None else None
        self._ensure()

    def notes(self) -> list[ShiftNote]:
        return [line.note for line in self.lines.values()]

    def show_note(self, note: ShiftNote) -> None:
        key = (note.at, note.author, note.text)
        if key in self.lines:
            return
        line = pg.InfiniteLine(
            pos=note.at,
            angle=90,
            movable=False,
            pen=pg.mkPen(theme.TEXT_DIM, width=1, style=Qt.PenStyle.DashLine),
            hoverPen=pg.mkPen(theme.TEXT, width=2, style=Qt.PenStyle.DashLine),
            label=MARK,
            labelOpts={
                "position": 0.04,
                "color": theme.TEXT,
                "fill": theme.VALUE_BOX,
                "anchors": [(0.5, 1), (0.5, 1)],
            },
        )
        line.note = note
        text = hover_text(note)
        line.setToolTip(text)
        line.label.setToolTip(text)
        line.setZValue(50)  # over the curves, under the cursors
        self.view.item.addItem(line, ignoreBounds=True)
        self.lines[key] = line

    def _range_changed(self, *_: object) -> None:
        if not self._delay.isActive():  # not restarted: a live trend moves on every frame
            self._delay.start()

    def _ensure(self) -> None:
        t0, t1 = self.view.x_range()
        loaded = self._loaded
        if loaded is not None and loaded[0] <= t0 and t1 <= loaded[1]:
            return
        width = t1 - t0
        start, end = t0 - width, t1 + width
        self._loaded = (start, end)
        audit, storage = self.audit, self.storage

        def job(_reader: object) -> list[ShiftNote]:
            audit.flush()
            return read_notes(storage, start, end)

        self.view.loader.submit("notes", job)

    def _read(self, kind: str, notes: object) -> None:
        if kind != "notes" or not isinstance(notes, list):
            return
        for note in notes:
            self.show_note(note)

    def stop(self) -> None:
        """Stop hearing new notes (the trend closes)."""
        self._delay.stop()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
