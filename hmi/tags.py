"""The live tag table: current sample per tag, and change notification to observers."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

from .quality import WAITING, Quality, Sample

log = logging.getLogger(__name__)

Observer = Callable[[str, Sample], None]


class TagTable:
    """Current value, quality and timestamp of every tag; observers hear each change.

    Observers are called synchronously on the engine's loop, so they must be cheap: the UI bridge
    only marks a tag dirty, the historian only enqueues.
    """

    def __init__(self, names: Iterable[str] = ()):
        start = time.time()
        self._samples: dict[str, Sample] = {n: Sample(None, Quality.BAD, start, WAITING) for n in names}
        self._observers: list[Observer] = []

    def __contains__(self, name: str) -> bool:
        return name in self._samples

    def __len__(self) -> int:
        return len(self._samples)

    def names(self) -> list[str]:
        return list(self._samples)

    def get(self, name: str) -> Sample:
        return self._samples[name]

    def add(self, name: str) -> None:
        self._samples.setdefault(name, Sample(None, Quality.BAD, time.time(), WAITING))

    def subscribe(self, observer: Observer) -> Callable[[], None]:
        """Register an observer; returns the function that removes it again."""
        self._observers.append(observer)
        return lambda: self._observers.remove(observer)

    def update(self, name: str, sample: Sample) -> None:
        """Store a new sample and notify observers; repeats of the same sample are not news."""
        if self._samples.get(name) == sample:
            return
        self._samples[name] = sample
        for observer in self._observers:
            try:
                observer(name, sample)
            except Exception:
                # One faulty observer must not starve the others of data.
                log.exception("tag observer %r failed on %s", observer, name)

    def mark_bad(self, names: Iterable[str], reason: str, ts: float | None = None) -> None:
        """Turn tags Bad at once, keeping their last value for diagnosis (never shown as good)."""
        ts = time.time() if ts is None else ts
        for name in names:
            last = self._samples[name]
            if last.quality is not Quality.BAD or last.reason != reason:
                self.update(name, Sample(last.value, Quality.BAD, ts, reason))
