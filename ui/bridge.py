"""Tag table -> Qt: coalesce a storm of changes into at most one refresh per frame; Qt signals -> the
engine's awaiting code."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TypeVar

from PySide6.QtCore import QObject, QTimer

from hmi.quality import Sample
from hmi.tags import TagTable

FRAME_MS = 50

T = TypeVar("T")


def settle(future: asyncio.Future[T], result: T) -> None:
    """Give `future` its result unless it has one: a signal may fire again after its awaiter has it."""
    if not future.done():
        future.set_result(result)


class TagBridge(QObject):
    """Observes the tag table; each watcher is called once per frame in which any of its tags changed.

    Frames come from a clock that runs while changes keep coming: a steady stream is applied in even
    portions every FRAME_MS, not in a double portion when a frame has to wait for its first change.
    """

    def __init__(self, table: TagTable, parent: QObject | None = None, frame_ms: int = FRAME_MS):
        super().__init__(parent)
        self.table = table
        self._dirty: set[str] = set()
        self._watchers: dict[str, list[Callable[[], None]]] = defaultdict(list)
        self._watched: dict[Callable[[], None], list[str]] = defaultdict(list)
        self._timer = QTimer(self)
        self._timer.setInterval(frame_ms)
        self._timer.timeout.connect(self.flush)
        self.frames = 0
        self._unsubscribe = table.subscribe(self._on_change)

    def close(self) -> None:
        self._unsubscribe()
        self._timer.stop()

    def watch(self, names: Iterable[str], callback: Callable[[], None]) -> None:
        for name in names:
            self._watchers[name].append(callback)
            self._watched[callback].append(name)

    def unwatch(self, callback: Callable[[], None]) -> None:
        # Only the callback's own tags: leaving a screen of 2,000 items must not scan every tag each time.
        for name in self._watched.pop(callback, ()):
            self._watchers[name].remove(callback)

    def _on_change(self, name: str, sample: Sample) -> None:
        # Runs for every change on the engine's loop (the Qt thread under qasync): keep it tiny.
        self._dirty.add(name)
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        if not self._dirty:  # the changes stopped: the clock waits for the next one
            self._timer.stop()
            return
        dirty, self._dirty = self._dirty, set()
        due: dict[Callable[[], None], None] = {}
        for name in dirty:
            for callback in self._watchers.get(name, ()):
                due[callback] = None
        for callback in due:
            callback()
        self.frames += 1
