"""Which samples of a tag are worth storing: on change with a deadband, periodic, or swinging door.

Filters run on the historian's writer thread, once per sample, so they are lean: `offer` says whether
to store the point offered (ts in integer ms, strictly increasing; value already coerced; quality as
int), and points other than the one offered (a swinging door's held point, a periodic sample) go out
through the `emit` callback. Every change of quality is stored, so a trend shows where data was Bad.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Protocol

from ..quality import Quality
from .settings import HistorianTag, Kind

Value = float | int | str | None
Point = tuple[int, Value, int]
Emit = Callable[[int, Value, int], None]

_BAD = int(Quality.BAD)


def _analog(value: Any) -> float | None:
    if type(value) is not float:
        try:
            value = float(value)
        except (TypeError, ValueError):
            return None
    return value if value == value else None  # NaN: SQLite would store it as NULL anyway


def _digital(value: Any) -> int | None:
    return None if value is None else int(bool(value))


def _string(value: Any) -> str | None:
    return None if value is None else str(value)


_COERCE: dict[str, Callable[[Any], Value]] = {"analog": _analog, "digital": _digital, "string": _string}


def coercer(kind: Kind) -> Callable[[Any], Value]:
    """How values of a kind are stored, for callers that handle Bad themselves (the writer's hot path)."""
    return _COERCE[kind]


def coerce(kind: Kind, value: Any, quality: int) -> Value:
    """The value as stored: float for analog, 0/1 for digital, text for string; None when Bad (a Bad
    value is not to be trusted or drawn)."""
    return None if quality == _BAD else _COERCE[kind](value)


class Filter(Protocol):
    """Decides per point whether to store it; `flush` emits any point held back for compression."""

    def offer(self, ts: int, value: Value, quality: int) -> bool: ...

    def flush(self) -> None: ...


class OnChange:
    """Store a point when quality changes or the value moves more than the deadband from the last stored."""

    __slots__ = ("deadband", "_value", "_quality")

    def __init__(self, deadband: float | None = None):
        self.deadband = deadband
        self._value: Value = None
        self._quality = -1

    def offer(self, ts: int, value: Value, quality: int) -> bool:
        if quality == self._quality:
            last = self._value
            if value is None or last is None:
                if value is last:
                    return False
            elif self.deadband is None:
                if value == last:
                    return False
            elif abs(value - last) <= self.deadband:  # type: ignore[operator]
                return False
        self._value = value
        self._quality = quality
        return True

    def flush(self) -> None:
        pass


class Periodic:
    """Store the current value at every multiple of the period, changed or not; quality changes at once.

    A boundary the writer passed while held up (a stalled disk) is skipped rather than filled with a value
    nobody knows was current then.
    """

    __slots__ = ("period_ms", "_emit", "_value", "_quality", "_last_ts")

    def __init__(self, period_s: float, emit: Emit):
        self.period_ms = max(1, round(period_s * 1000))
        self._emit = emit
        self._value: Value = None
        self._quality = -1
        self._last_ts = -1

    def offer(self, ts: int, value: Value, quality: int) -> bool:
        if quality != self._quality:
            # Emitted rather than returned: it may have to move past a sample stamped by the wall clock.
            self._last_ts = max(ts, self._last_ts + 1)
            self._emit(self._last_ts, value, quality)
        self._value = value
        self._quality = quality
        return False

    def tick(self, now_ms: int) -> None:
        """Emit the sample due at the latest period boundary up to now, unless stored already."""
        due = now_ms // self.period_ms * self.period_ms
        if self._quality >= 0 and due > self._last_ts:
            self._last_ts = due
            self._emit(due, self._value, self._quality)

    def next_due(self, now_ms: int) -> int:
        return (now_ms // self.period_ms + 1) * self.period_ms

    def flush(self) -> None:
        pass


class SwingingDoor:
    """Swinging-door compression: drop a point while one straight line from the last stored point passes
    within +/- deviation of every point dropped since; linear interpolation between stored points then
    reproduces every dropped value within the deviation.

    The classic door test only checks that some line fits; here the line to the candidate point itself
    must fit, so the bound holds for the stored line, not just for a line that was never stored.
    """

    __slots__ = ("deviation", "_emit", "_anchor", "_held", "_lo", "_hi")

    def __init__(self, deviation: float, emit: Emit):
        self.deviation = deviation
        self._emit = emit
        self._anchor: Point | None = None
        self._held: Point | None = None
        self._lo = -math.inf
        self._hi = math.inf

    def offer(self, ts: int, value: Value, quality: int) -> bool:
        anchor = self._anchor
        if anchor is None or quality != anchor[2] or value is None or anchor[1] is None:
            if anchor is not None and quality == anchor[2] and value is None and anchor[1] is None:
                return False  # still no value: nothing new to say
            self.flush()  # a quality change or gap ends the segment: store where it ended, and this
            self._anchor = (ts, value, quality)
            return True
        dt = ts - anchor[0]
        base = anchor[1]
        slope = (value - base) / dt  # type: ignore[operator]
        dev = self.deviation
        if self._lo <= slope <= self._hi:
            self._lo = max(self._lo, (value - dev - base) / dt)  # type: ignore[operator]
            self._hi = min(self._hi, (value + dev - base) / dt)  # type: ignore[operator]
            self._held = (ts, value, quality)
            return False
        # The line to this point misses one held back: store the last point that still fitted, restart there.
        held = self._held
        assert held is not None and held[1] is not None  # with nothing held the window is unbounded
        self._emit(*held)
        self._anchor = held
        dt = ts - held[0]
        self._lo = (value - dev - held[1]) / dt  # type: ignore[operator]
        self._hi = (value + dev - held[1]) / dt  # type: ignore[operator]
        self._held = (ts, value, quality)
        return False

    def flush(self) -> None:
        held = self._held
        if held is not None:
            self._emit(*held)
            self._anchor = held
            self._held, self._lo, self._hi = None, -math.inf, math.inf


def make_filter(tag: HistorianTag, emit: Emit) -> Filter:
    """The filter for a tag's settings (HistorianTag has checked that they fit its kind)."""
    s = tag.settings
    if s.mode == "periodic":
        assert s.period_s is not None
        return Periodic(s.period_s, emit)
    if s.mode == "swinging_door":
        assert s.deviation is not None
        return SwingingDoor(s.deviation, emit)
    return OnChange(tag.deadband)
