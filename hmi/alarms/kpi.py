"""Alarm system performance (EEMUA 191 / ISA-18.2) over a period, computed from the journal.

An "alarm" here is an annunciation: a transition into Unacknowledged Active. Shelved, suppressed
and out-of-service alarms are not annunciated, so they do not count towards rates and floods.
Advisories (condition-monitoring findings) are counted on their own and in no other figure.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .journal import TABLE, connect_reader
from .kinds import alarm_kinds
from .model import AlarmError, AlarmState
from .settings import AlarmConfig, AlarmKind, Priority

RATE_WINDOW = 600.0
"""The EEMUA reference window for the average and peak alarm rate: 10 minutes."""
TOP = 10


@dataclass(frozen=True)
class AlarmCount:
    """An alarm and how often it did something (raised, or raised within the chatter window)."""

    alarm_id: str
    count: int


@dataclass(frozen=True)
class StaleAlarm:
    """An alarm active longer than the stale limit; active_for runs to its clear or to the period end."""

    alarm_id: str
    active_since: float
    active_for: float


@dataclass(frozen=True)
class Flood:
    """A stretch of the period during which more than flood_count alarms fell in one flood window."""

    start: float
    duration: float
    count: int
    """Alarms raised whose window overlaps the flood: the ones that made it."""


@dataclass(frozen=True)
class RateBucket:
    """Alarms raised in [start, end): one bar of the alarm rate per 10 minutes."""

    start: float
    end: float
    count: int


@dataclass(frozen=True)
class AlarmKpis:
    """The alarm KPIs of one period [start, end)."""

    start: float
    end: float
    total: int
    average_per_10min: float
    peak_10min: int
    flood_percent: float
    top: list[AlarmCount]
    chattering: list[AlarmCount]
    stale: list[StaleAlarm]
    priorities: dict[Priority, int] = field(default_factory=dict)
    floods: list[Flood] = field(default_factory=list)
    rate: list[RateBucket] = field(default_factory=list)
    """Alarms per 10 minutes over the period, buckets on the clock's 10 minutes (the first and the
    last may be shorter)."""
    advisories: int = 0
    """Advisories raised in the period: findings of condition monitoring, left out of every other figure."""

    def priority_percent(self) -> dict[Priority, float]:
        return {p: (100.0 * n / self.total if self.total else 0.0) for p, n in self.priorities.items()}


def sliding_window(
    times: list[float], window: float, threshold: int, start: float, end: float
) -> tuple[int, list[tuple[float, float]]]:
    """(most events in any window, the spans within [start, end) with more than `threshold` events in
    the window ending there); `times` sorted, each event counts over [t, t + window)."""
    edges = sorted([(t, 1) for t in times] + [(t + window, -1) for t in times])
    count = peak = 0
    spans: list[tuple[float, float]] = []
    previous = start
    for t, step in edges:
        if count > threshold:
            low, high = max(previous, start), min(t, end)
            if high > low:
                if spans and spans[-1][1] == low:
                    spans[-1] = (spans[-1][0], high)
                else:
                    spans.append((low, high))
        count += step
        peak = max(peak, count)
        previous = t
    return peak, spans


def rate_buckets(
    times: list[float], start: float, end: float, width: float = RATE_WINDOW
) -> list[RateBucket]:
    """Events per `width` seconds over [start, end), buckets aligned to multiples of width since the
    epoch (on the local clock's 10 minutes), the first and last cut to the period; `times` sorted."""
    buckets: list[RateBucket] = []
    edge = start
    i = bisect_left(times, start)
    while edge < end:
        upper = min(end, (edge // width + 1) * width)
        first = i
        while i < len(times) and times[i] < upper:
            i += 1
        buckets.append(RateBucket(edge, upper, i - first))
        edge = upper
    return buckets


def most_within(times: list[float], window: float) -> int:
    """Most events in any span shorter than `window` seconds; `times` sorted."""
    most = first = 0
    for last, t in enumerate(times):
        while t - times[first] >= window:
            first += 1
        most = max(most, last - first + 1)
    return most


def alarm_kpis(db_path: Path, start: float, end: float, config: AlarmConfig | None = None) -> AlarmKpis:
    """Read the journal in `db_path` and compute the KPIs of [start, end); AlarmError if there is none."""
    config = config or AlarmConfig()
    conn = connect_reader(db_path)
    try:
        active_since: dict[str, float] = dict(
            conn.execute(
                f"""SELECT alarm_id, MIN(ts) FROM {TABLE} AS j
                WHERE ts < :start AND active = 1 AND kind != :advisory AND ts > COALESCE(
                    (SELECT MAX(ts) FROM {TABLE} AS k
                     WHERE k.alarm_id = j.alarm_id AND k.ts < :start AND k.active = 0), -1e308)
                GROUP BY alarm_id""",
                {"start": start, "advisory": AlarmKind.ADVISORY.value},
            )
        )
        rows = conn.execute(
            f"SELECT ts, alarm_id, kind, priority, new_state, active FROM {TABLE} "
            "WHERE ts >= ? AND ts < ? ORDER BY ts, id",
            (start, end),
        ).fetchall()
    finally:
        conn.close()
    return kpis(active_since, rows, start, end, config)


def kpis(
    active_since: dict[str, float],
    rows: Iterable[tuple[float, str, str, str, str, Any]],
    start: float,
    end: float,
    config: AlarmConfig,
) -> AlarmKpis:
    """The KPIs of [start, end) from the journal's rows in it, oldest first (ts, alarm_id, kind,
    priority, new_state, active), and when each alarm active at `start` became so."""
    raised: dict[str, list[float]] = defaultdict(list)
    priorities = dict.fromkeys(Priority, 0)
    times: list[float] = []
    longest: dict[str, StaleAlarm] = {}

    def note_stale(alarm_id: str, since: float, until: float) -> None:
        if until - since > config.stale_after and (
            alarm_id not in longest or until - since > longest[alarm_id].active_for
        ):
            longest[alarm_id] = StaleAlarm(alarm_id, since, until - since)

    advisories = 0
    for ts, alarm_id, kind, priority, new_state, active in rows:
        if _kind(kind, alarm_id) == AlarmKind.ADVISORY:
            advisories += new_state == AlarmState.UNACK_ACTIVE
            continue
        if new_state == AlarmState.UNACK_ACTIVE:
            raised[alarm_id].append(ts)
            times.append(ts)
            priorities[Priority(priority)] += 1
        if active and alarm_id not in active_since:
            active_since[alarm_id] = ts
        elif not active and alarm_id in active_since:
            note_stale(alarm_id, active_since.pop(alarm_id), ts)
    for alarm_id, since in active_since.items():
        note_stale(alarm_id, since, end)

    peak = sliding_window(times, RATE_WINDOW, config.flood_count, start, end)[0]
    spans = sliding_window(times, config.flood_window, config.flood_count, start, end)[1]
    floods = [
        Flood(low, high - low, bisect_left(times, high) - bisect_right(times, low - config.flood_window))
        for low, high in spans
    ]
    counts = Counter({alarm_id: len(ts) for alarm_id, ts in raised.items()})
    chatter = [
        AlarmCount(a, n)
        for a, ts in raised.items()
        if (n := most_within(ts, config.chatter_window)) >= config.chatter_count
    ]
    span = end - start
    return AlarmKpis(
        start=start,
        end=end,
        total=len(times),
        average_per_10min=len(times) * RATE_WINDOW / span if span > 0 else 0.0,
        peak_10min=peak,
        flood_percent=100.0 * sum(f.duration for f in floods) / span if span > 0 else 0.0,
        top=[AlarmCount(a, n) for a, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]],
        chattering=sorted(chatter, key=lambda c: (-c.count, c.alarm_id)),
        stale=sorted(longest.values(), key=lambda s: -s.active_for),
        priorities=priorities,
        floods=floods,
        rate=rate_buckets(times, start, end),
        advisories=advisories,
    )


def _kind(text: str, alarm_id: str) -> str:
    if text not in alarm_kinds():
        raise AlarmError(f"alarm journal: {alarm_id} has an unknown kind {text!r}")
    return text
