"""The replay clock: a moment in the past, moved by the operator or played at 1x-60x, and its frames read
from history off the Qt thread into the replay's own tag table and alarm index."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from hmi.history.query import RawSample
from hmi.project.model import Tag
from hmi.quality import Quality, Sample
from hmi.storage import Storage
from hmi.tags import TagTable
from hmi.writes import INT_RANGES

from ..trends.loader import HistoryLoader
from .context import ReplayAlarms, ReplayBridge
from .frames import Frame, FrameSource

SPEEDS = (1, 2, 5, 10, 30, 60)
TICK_MS = 100
"""How often playing moves the moment on: ten frames a second at any speed."""
KEPT_TIMINGS = 200


def _tr(text: str) -> str:
    return QCoreApplication.translate("Replay", text)


def as_live(tag: Tag | None, value: Any) -> Any:
    """A stored value as the tag delivers it live: history keeps booleans as 0/1 and integers as floats."""
    if value is None or tag is None:
        return value
    if tag.type == "Boolean":
        return bool(value)
    if tag.type in INT_RANGES and isinstance(value, float):
        return round(value)
    return value


class ReplayPlayer(QObject):
    """Holds the replayed moment `t`; `shown(t)` after each frame is on the screens."""

    shown = Signal(float)
    playingChanged = Signal(bool)
    failed = Signal(str)

    def __init__(
        self,
        storage: Storage,
        journal_path: Path,
        tags: Mapping[str, Tag],
        table: TagTable,
        bridge: ReplayBridge,
        alarms: ReplayAlarms,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.tags = tags
        self.table = table
        self.bridge = bridge
        self.alarms = alarms
        self.loader = HistoryLoader(storage, self)
        self.loader.finished.connect(self._on_result)
        self.loader.failed.connect(lambda kind, text: self.failed.emit(text) if kind == "frame" else None)
        self.source = FrameSource(journal_path)
        self.t = time.time()
        self.shown_t: float | None = None
        self.speed = 1
        self.timings: deque[tuple[float, float]] = deque(maxlen=KEPT_TIMINGS)
        """Per frame shown: worker ms (history reads) and ms from asking to drawn on the screens."""
        self._asked: dict[float, float] = {}
        self._timer = QTimer(self, interval=TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._wall = 0.0
        self._closed = False
        self._texts = {
            Quality.BAD: _tr("recorded as bad"),
            Quality.UNCERTAIN: _tr("recorded as uncertain"),
        }
        self._none = _tr("no history at this time")
        self._off = _tr("not kept in history")

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def seek(self, t: float) -> None:
        """Show the moment `t` (at most the present)."""
        self.t = min(t, time.time())
        self.refresh()

    def refresh(self) -> None:
        """Read the frame of the current moment again, for every tag the open replay screens show."""
        names = sorted(self.bridge.names())
        t, source = self.t, self.source
        self._asked[t] = time.perf_counter()
        self.loader.submit("frame", lambda reader: source.frame(reader, names, t))

    def set_speed(self, speed: int) -> None:
        self.speed = speed

    def play(self, on: bool = True) -> None:
        if on == self.playing:
            return
        if on:
            self._wall = time.monotonic()
            self._timer.start()
        else:
            self._timer.stop()
        self.playingChanged.emit(on)

    def close(self) -> None:
        self._closed = True  # a frame read before this may still be on its way: it is dropped
        self._timer.stop()
        self.loader.close()
        self.source.close()  # after the worker finished with it

    def _tick(self) -> None:
        wall = time.monotonic()
        self.t += (wall - self._wall) * self.speed
        self._wall = wall
        now = time.time()
        if self.t >= now:  # caught up with the present: the replay stops there
            self.t = now
            self.play(False)
        self.refresh()

    def _on_result(self, kind: str, frame: object) -> None:
        if kind != "frame" or not isinstance(frame, Frame) or self._closed:
            return
        for name, raw in frame.samples.items():
            if name in self.table:
                self.table.update(name, self._sample(name, raw, frame.t))
        self.alarms.set_alarms(frame.alarms)
        self.bridge.flush()  # now, not on the bridge's next frame: scrubbing follows the hand
        asked = self._asked.pop(frame.t, None)
        for older in [t for t in self._asked if self._asked[t] < (asked or 0.0)]:
            del self._asked[older]  # frames superseded before they ran
        if asked is not None:
            self.timings.append((frame.work_ms, (time.perf_counter() - asked) * 1000))
        self.shown_t = frame.t
        self.shown.emit(frame.t)

    def _sample(self, name: str, raw: RawSample | None, t: float) -> Sample:
        tag = self.tags.get(name)
        if raw is None:
            kept = tag is None or tag.history.mode != "off"
            return Sample(None, Quality.BAD, t, self._none if kept else self._off)
        ts, value, quality = raw
        return Sample(as_live(tag, value), quality, ts, self._texts.get(quality, ""))
