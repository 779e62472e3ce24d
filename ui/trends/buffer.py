"""Live samples of one pen in numpy ring buffers: cheap to append per change, cheap to slice per frame."""

from __future__ import annotations

import math

import numpy as np

from hmi.quality import Quality, Sample

DEFAULT_CAPACITY = 100_000
"""Samples kept per pen: about 2.8 h at 10 Hz; older data comes back from the historian."""

_BAD = int(Quality.BAD)


def numeric(value: object) -> float:
    """A sample's value as a float to plot; NaN where there is nothing to plot (None, text)."""
    if isinstance(value, bool | int | float):
        return float(value)
    return math.nan


class RingBuffer:
    """The newest `capacity` samples (time, value, quality), oldest first, as contiguous numpy views.

    Every sample is written twice, at i and i + capacity, so the window of the newest samples is always
    one contiguous slice: reading never copies or wraps.
    """

    def __init__(self, started: float, capacity: int = DEFAULT_CAPACITY):
        self.started = started
        """Since when every change goes into this buffer."""
        self.capacity = capacity
        self._t = np.zeros(2 * capacity)
        self._y = np.zeros(2 * capacity)
        self._q = np.zeros(2 * capacity, dtype=np.int8)
        self._next = 0  # where the next sample goes, in [0, capacity)
        self._len = 0

    def __len__(self) -> int:
        return self._len

    def append(self, sample: Sample) -> None:
        """Add a sample; one not newer than the last is kept just at the last time (a quality change)."""
        quality = int(sample.quality)
        value = math.nan if quality == _BAD else numeric(sample.value)
        ts = sample.ts
        if self._len and ts < self._t[self._next - 1 + self.capacity]:
            ts = self._t[self._next - 1 + self.capacity]
        i, j = self._next, self._next + self.capacity
        self._t[i] = self._t[j] = ts
        self._y[i] = self._y[j] = value
        self._q[i] = self._q[j] = quality
        self._next = (i + 1) % self.capacity
        self._len = min(self._len + 1, self.capacity)

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(t, y, q) of every sample held, oldest first; views valid until the next append."""
        end = self._next + self.capacity
        window = slice(end - self._len, end)
        return self._t[window], self._y[window], self._q[window]

    def after(self, t: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(t, y, q) of the samples newer than t."""
        ts, ys, qs = self.arrays()
        i = int(np.searchsorted(ts, t, side="right"))
        return ts[i:], ys[i:], qs[i:]

    def first_time(self) -> float | None:
        ts = self.arrays()[0]
        return float(ts[0]) if len(ts) else None

    def value_at(self, t: float) -> tuple[float, float, int] | None:
        """(ts, value, quality) of the last sample at or before t, or None if the buffer starts later."""
        ts, ys, qs = self.arrays()
        i = int(np.searchsorted(ts, t, side="right")) - 1
        if i < 0:
            return None
        return float(ts[i]), float(ys[i]), int(qs[i])
