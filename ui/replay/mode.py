"""Replay mode of the main window: the screens from history at a chosen moment, in a frame of their own,
the band above them, and the refusal every write and acknowledgement gets meanwhile."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from hmi.logbook import Logbook, ShiftNote, read_notes
from hmi.project.model import Screen
from hmi.runtime import Runtime
from hmi.tags import TagTable

from ..screens.symbols.analog import SparklineItem
from ..screens.view import ScreenView
from .bar import ReplayBar, band_style
from .context import ReplayAlarms, ReplayBackfill, ReplayBridge, ReplayContext
from .player import ReplayPlayer

SETTLE_MS = 300
"""After the last jump, screens with sparklines are built again so that they show the span before it."""
START_BEFORE_S = 3600.0
"""Where a replay opened from the menu starts: an hour ago."""


class ReplayMode(QObject):
    """Owns the replay while there is one; `changed(on)` when it starts or ends."""

    changed = Signal(bool)
    message = Signal(str)

    def __init__(self, runtime: Runtime, live: ScreenView, logbook: Logbook, parent: QWidget):
        super().__init__(parent)
        self.runtime = runtime
        self.live = live
        self.logbook = logbook
        self.bar = ReplayBar(parent)
        self.bar.hide()
        self.frame = QFrame(parent)
        self.frame.setObjectName("ReplayFrame")
        self.frame.setStyleSheet(band_style())
        self.frame.hide()
        QVBoxLayout(self.frame).setContentsMargins(4, 4, 4, 4)
        self.refusal = self.tr(
            "Replay shows history: writes and acknowledgements are off. Go back to live to act."
        )
        self.view: ScreenView | None = None
        self.player: ReplayPlayer | None = None
        self.notes: list[ShiftNote] = []
        self.start, self.seconds = 0.0, int(self.bar.spans.currentData())
        self._settle = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._settle.timeout.connect(self._rebuild_sparklines)
        self._teardown: list[Callable[[], None]] = []
        self.bar.live.connect(self.leave)
        self.bar.seek.connect(self.seek)
        self.bar.play.connect(self._play)
        self.bar.speed.connect(lambda factor: self.player and self.player.set_speed(factor))
        self.bar.span.connect(self._set_span)
        self._unsubscribe = logbook.subscribe(self._noted)

    @property
    def active(self) -> bool:
        return self.player is not None

    @property
    def time(self) -> float | None:
        """The moment the replay screens show (None when live)."""
        return None if self.player is None else self.player.t

    def enter(self, t: float | None = None) -> None:
        """Show the screens as they were at `t` (default an hour ago); in a replay already, go there."""
        t = time.time() - START_BEFORE_S if t is None else t
        if self.player is not None:
            self.seek(t)
            return
        runtime = self.runtime
        table = TagTable(runtime.tags)
        bridge = ReplayBridge(table, self)
        alarms = ReplayAlarms(self)
        player = ReplayPlayer(
            runtime.storage, runtime.journal.path, runtime.tags, table, bridge, alarms, self
        )
        backfill = ReplayBackfill(player.loader, lambda: player.t, self)
        ctx = ReplayContext.over(
            self.live.ctx, table=table, bridge=bridge, alarms=alarms, backfill=backfill, opened=player.refresh
        )
        view = ScreenView(bridge, ctx)
        self.frame.layout().addWidget(view)
        if self.live.screen_ is not None:
            view.show_screen(self.live.screen_)
        view.setUpdatesEnabled(False)  # until the first frame: never a screen of empty values
        player.set_speed(self.bar.speeds.currentData())
        player.loader.finished.connect(self._notes_read)
        player.shown.connect(self._shown)
        player.playingChanged.connect(self._playing)
        player.failed.connect(self._failed)
        self._teardown = [player.close, view.close_view, ctx.close, bridge.close, view.deleteLater]
        self.view, self.player = view, player
        self.bar.set_playing(False)
        self.bar.show()
        self.seek(t)
        self.changed.emit(True)

    def leave(self) -> None:
        """Back to the live screens."""
        if self.player is None:
            return
        self._settle.stop()
        for step in self._teardown:
            step()
        self._teardown = []
        self.view = self.player = None
        self.frame.hide()
        self.bar.hide()
        self.live.show()
        self.changed.emit(False)

    def show_screen(self, screen: Screen) -> None:
        """The window changed screen: the replay follows, drawn once its frame has been read."""
        if self.view is not None and self.player is not None:
            self.view.setUpdatesEnabled(False)
            self.view.show_screen(screen)
            self.player.refresh()

    def seek(self, t: float) -> None:
        if self.player is None:
            return
        t = min(t, time.time())
        if not self.start <= t <= self.start + self.seconds:
            self._place(t)
        self.player.seek(t)
        if not self.player.playing:
            self._settle.start()

    def close(self) -> None:
        self.leave()
        self._unsubscribe()

    # -- the player's answers ------------------------------------------------------------------

    def _shown(self, t: float) -> None:
        if self.view is None or self.player is None:
            return
        if not self.view.updatesEnabled():
            self.view.setUpdatesEnabled(True)
            if not self.frame.isVisible():
                self.live.hide()
                self.frame.show()
        if not self.start <= t <= self.start + self.seconds:
            self._place(t)
        self.bar.show_time(t, self.player.playing)

    def _failed(self, text: str) -> None:
        """A frame could not be read: say so, and show the screen with what it has rather than freeze it."""
        self.message.emit(self.tr("History could not be read: %s") % text)
        if self.view is not None:
            self.view.setUpdatesEnabled(True)
            self.live.hide()
            self.frame.show()

    def _playing(self, on: bool) -> None:
        self.bar.set_playing(on)
        if self.player is not None:
            self.bar.show_time(self.player.t, on)
            if not on:
                self._settle.start()

    def _play(self, on: bool) -> None:
        if self.player is None:
            return
        if on and self.player.t >= time.time() - 1:
            self.message.emit(self.tr("The replay is at the present: go back in time to play"))
            self.bar.set_playing(False)
            return
        self._settle.stop()
        self.player.play(on)

    # -- the slider's span and its notes -------------------------------------------------------

    def _set_span(self, seconds: int) -> None:
        self.seconds = seconds
        if self.player is not None:
            self._place(self.player.t)

    def _place(self, t: float) -> None:
        """The slider's span around `t`, ending at the present at the latest."""
        now = time.time()
        end = min(now, t + self.seconds / 2) if t < now - self.seconds else now
        self.start = end - self.seconds
        self.bar.set_span(self.start, self.seconds)
        self.bar.timeline.show_time(t)
        self._load_notes()

    def _load_notes(self) -> None:
        if self.player is None:
            return
        audit, storage = self.runtime.audit, self.runtime.storage
        start, end = self.start, self.start + self.seconds

        def job(_reader: object) -> list[ShiftNote]:
            audit.flush()
            return read_notes(storage, start, end)

        self.player.loader.submit("notes", job)

    def _notes_read(self, kind: str, notes: object) -> None:
        if kind == "notes" and isinstance(notes, list):
            self.notes = notes
            self.bar.set_notes(notes)
            if self.player is not None and self.player.shown_t is not None:
                self.bar.show_time(self.player.shown_t, self.player.playing)

    def _noted(self, note: ShiftNote) -> None:
        if self.player is not None and self.start <= note.at <= self.start + self.seconds:
            self.notes = sorted([*self.notes, note], key=lambda n: n.at)
            self.bar.set_notes(self.notes)
            self.bar.show_time(self.player.t, self.player.playing)

    def _rebuild_sparklines(self) -> None:
        """Sparklines draw the span before the replayed moment: build screens that have them again."""
        view = self.view
        if view is None or view.screen_ is None:
            return
        if any(isinstance(item, SparklineItem) for item in view.items_):
            view.show_screen(view.screen_)
