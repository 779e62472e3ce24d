"""The live tag table: current sample per tag, and change notification to observers."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from .events import Event
from .quality import WAITING, Quality, Sample

Observer = Callable[[str, Sample], None]


class TagTable:
    """Current value, quality and timestamp of every tag; observers hear each change.

    Observers are called synchronously on the engine's loop, so they must be cheap: the UI bridge
    only marks a tag dirty, the historian only enqueues.
    """

    def __init__(self, names: Iterable[str] = ()):
        start = time.time()
        self._samples: dict[str, Sample] = {n: Sample(None, Quality.BAD, start, WAITING) for n in names}
        self.changed: Event[str, Sample] = Event("tag change")

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
        return self.changed.connect(observer)

    def update(self, name: str, sample: Sample) -> None:
        """Store a new sample and notify observers; repeats of the same sample are not news."""
        if self._samples.get(name) == sample:
            return
        self._samples[name] = sample
        self.changed.emit(name, sample)

    def mark_bad(self, names: Iterable[str], reason: str, ts: float | None = None) -> None:
        """Turn tags Bad at once, keeping their last value for diagnosis (never shown as good)."""
        ts = time.time() if ts is None else ts
        for name in names:
            last = self._samples[name]
            if last.quality is not Quality.BAD or last.reason != reason:
                self.update(name, Sample(last.value, Quality.BAD, ts, reason))

    def age(self, aged: Iterable[tuple[str, float]], now: float | None = None) -> None:
        """A Good value older than its tag's max_age_s is Uncertain: the source answers, the value froze."""
        now = time.time() if now is None else now
        for name, max_age_s in aged:
            sample = self._samples[name]
            if sample.good and now - sample.ts > max_age_s:
                reason = f"no change for over {max_age_s:g} s"
                self.update(name, Sample(sample.value, Quality.UNCERTAIN, sample.ts, reason))
