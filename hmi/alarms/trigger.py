"""Alarm conditions per kind: from the current samples, does the condition hold, and what was measured.

The engine adds delays, acknowledgement and shelving on top; a trigger only answers "beyond the
limit or not" with the deadband applied while the alarm is active. A Bad value answers None
(unknown): the alarm then keeps its state instead of being raised or cleared on a value nobody has.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping
from typing import Any

from ..quality import WAITING, Quality, Sample
from .settings import DeviationAlarm, DiscreteAlarm, LimitAlarm, RateAlarm

Samples = Mapping[str, Sample]
Check = tuple[bool | None, Any]


def number(sample: Sample | None) -> float | None:
    """The sample's value as a float, or None when it is unknown (Bad, missing, NaN or not a number)."""
    if sample is None or sample.quality is Quality.BAD:
        return None
    value = sample.value
    if not isinstance(value, int | float):
        return None
    value = float(value)
    return None if math.isnan(value) else value


class Trigger:
    """Base: the tags a condition reads and the limit it compares with."""

    def __init__(self, tag: str, limit: Any = None):
        self.tag = tag
        self.limit = limit
        self.inputs: tuple[str, ...] = (tag,)

    def observe(self, name: str, sample: Sample) -> None:
        """Hear every sample of an input before check(); only triggers with memory need it."""

    def check(self, samples: Samples, now: float, active: bool) -> Check:
        """(condition holds, measured value); the condition is None when it cannot be known."""
        raise NotImplementedError


class LimitTrigger(Trigger):
    """Above a high limit or below a low one; clears only deadband inside the limit."""

    def __init__(self, tag: str, definition: LimitAlarm, above: bool):
        super().__init__(tag, definition.limit)
        self.deadband = definition.deadband
        self.above = above

    def check(self, samples: Samples, now: float, active: bool) -> Check:
        value = number(samples.get(self.tag))
        if value is None:
            return None, None
        if self.above:
            return value > (self.limit - self.deadband if active else self.limit), value
        return value < (self.limit + self.deadband if active else self.limit), value


class DeviationTrigger(Trigger):
    """|value - setpoint| beyond the limit; the measured value is the signed deviation."""

    def __init__(self, tag: str, definition: DeviationAlarm):
        super().__init__(tag, definition.limit)
        self.setpoint = definition.setpoint
        self.deadband = definition.deadband
        self.inputs = (tag, definition.setpoint)

    def check(self, samples: Samples, now: float, active: bool) -> Check:
        value, setpoint = number(samples.get(self.tag)), number(samples.get(self.setpoint))
        if value is None or setpoint is None:
            return None, None
        deviation = value - setpoint
        return abs(deviation) > (self.limit - self.deadband if active else self.limit), deviation


class RateTrigger(Trigger):
    """Rate of change over the last `window` seconds of the held value, in units per s or per min."""

    def __init__(self, tag: str, definition: RateAlarm):
        super().__init__(tag, definition.limit)
        self.scale = 60.0 if definition.per == "min" else 1.0
        self.direction = definition.direction
        self.window = definition.window
        self.deadband = definition.deadband
        self.history: deque[tuple[float, float]] = deque()

    def observe(self, name: str, sample: Sample) -> None:
        value = number(sample)
        if value is None:
            self.history.clear()  # a rate across a gap in the data means nothing
        else:
            self.history.append((sample.ts, value))

    def check(self, samples: Samples, now: float, active: bool) -> Check:
        history = self.history
        # Keep the latest sample at or before the window's start: it is the value held there.
        while len(history) > 1 and history[1][0] <= now - self.window:
            history.popleft()
        if not history or now <= history[0][0]:
            return None, None
        start_ts, start_value = history[0]
        rate = (history[-1][1] - start_value) / (now - start_ts) * self.scale
        threshold = self.limit - self.deadband if active else self.limit
        if self.direction == "rise":
            return rate > threshold, rate
        if self.direction == "fall":
            return rate < -threshold, rate
        return abs(rate) > threshold, rate


class DiscreteTrigger(Trigger):
    """The value equals the alarm state."""

    def __init__(self, tag: str, definition: DiscreteAlarm):
        super().__init__(tag, definition.state)

    def check(self, samples: Samples, now: float, active: bool) -> Check:
        sample = samples.get(self.tag)
        if sample is None or sample.quality is Quality.BAD:
            return None, None
        return sample.value == self.limit, sample.value


class Reported(Trigger):
    """A condition its caller reports (a diagnosis' finding): no sample raises or clears it."""

    def __init__(self, tag: str):
        super().__init__(tag)
        self.inputs = ()

    def check(self, samples: Samples, now: float, active: bool) -> Check:
        return None, None


class QualityTrigger(Trigger):
    """Bad quality for any reason but 'waiting for initial data'; the measured value is the reason."""

    def check(self, samples: Samples, now: float, active: bool) -> Check:
        sample = samples.get(self.tag)
        if sample is None:
            return None, None
        return sample.quality is Quality.BAD and sample.reason != WAITING, sample.reason
