"""Recent history for items that show the past (sparklines): read off the Qt thread, delivered once."""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Callable

from PySide6.QtCore import QObject

from hmi.history.query import RawSample
from hmi.storage import Storage

from ..trends.loader import HistoryLoader

Deliver = Callable[[list[RawSample]], None]


class Backfill(QObject):
    """Asks the historian for a tag's samples of a time span; the answer goes to the item that asked,
    if it still exists (a screen changed meanwhile drops it)."""

    def __init__(self, storage: Storage, parent: QObject | None = None):
        super().__init__(parent)
        self.loader = HistoryLoader(storage, self)
        self.loader.finished.connect(self._done)
        self._waiting: dict[str, weakref.WeakMethod] = {}
        self._keys = (f"backfill-{n}" for n in itertools.count(1))

    def request(self, tag: str, t0: float, t1: float, deliver: Deliver) -> None:
        key = next(self._keys)
        self._waiting[key] = weakref.WeakMethod(deliver)
        self.loader.submit(key, lambda reader: reader.raw(tag, t0, t1) if reader else [], supersede=False)

    def close(self) -> None:
        self.loader.close()
        self._waiting.clear()

    def _done(self, key: str, samples: object) -> None:
        ref = self._waiting.pop(key, None)
        deliver = ref() if ref is not None else None
        if deliver is not None and isinstance(samples, list):
            deliver(samples)
