"""What a pen draws: history fetched for a range (raw or min/max buckets), joined to the live tail.

No Qt here: these functions run on the loader's worker thread and in tests.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import islice

import numpy as np

from hmi.history import HistoryReader
from hmi.quality import Quality

from .buffer import RingBuffer, numeric

_BAD = int(Quality.BAD)
_GOOD = int(Quality.GOOD)
_UNCERTAIN = int(Quality.UNCERTAIN)
JOIN_TOLERANCE_S = 0.0005
"""History keeps milliseconds: a live sample within half of one of the newest stored one is that one."""

Arrays = tuple[np.ndarray, np.ndarray, np.ndarray]


@dataclass(frozen=True)
class History:
    """One pen's history over [t0, t1]: points (t, y, q), raw samples or min/max pairs of buckets."""

    t0: float
    t1: float
    t: np.ndarray
    y: np.ndarray
    q: np.ndarray
    width: float
    """Bucket width in seconds; 0 for raw samples."""
    newest: float | None
    """Time of the newest stored sample at or before t1: the live tail starts after it."""

    @classmethod
    def empty(cls, t0: float, t1: float) -> History:
        return cls(t0, t1, np.zeros(0), np.zeros(0), np.zeros(0, np.int8), 0.0, None)


def fetch_history(reader: HistoryReader, tag: str, t0: float, t1: float, n: int) -> History:
    """History of `tag` for a plot about n pixels wide over [t0, t1], led by the value the tag had at t0.

    Up to 2n samples come raw; more come as n min/max buckets (two points each), so a one-sample spike
    still reaches its full height on screen.
    """
    stream = reader.iter_raw(tag, t0, t1)
    rows = list(islice(stream, 2 * n + 1))
    stream.close()
    before = reader.value_at(tag, t0)
    head = [before] if before is not None and before[0] < t0 else []
    last = reader.value_at(tag, t1)
    newest = None if last is None else last[0]
    if len(rows) <= 2 * n:
        t, y, q = _raw_arrays(head + rows)
        return History(t0, t1, t, y, q, 0.0, newest)
    buckets = reader.buckets(tag, t0, t1, n)
    width = buckets[0].t_end - buckets[0].t_start
    # Buckets are aligned to multiples of their width: the first may start before t0 and hold the head.
    points = [(ts, numeric(v), int(qual)) for ts, v, qual in head if ts < buckets[0].t_start]
    for b in buckets:
        if b.count == 0:
            points.append((b.t_start, math.nan, _BAD))
            continue
        quality = _GOOD if b.worst is Quality.GOOD else _UNCERTAIN
        lo, hi = numeric(b.min), numeric(b.max)
        first, second = (lo, hi) if numeric(b.first) <= numeric(b.last) else (hi, lo)
        points.append((b.t_start, first, quality))
        points.append((b.t_start + width / 2, second, quality))
        if b.worst is Quality.BAD:  # an outage within the bucket breaks the line after it
            points.append((b.t_start + width * 0.75, math.nan, _BAD))
    t, y, q = _point_arrays(points)
    if newest is not None:
        t = np.minimum(t, newest)  # the last bucket's points never pass the newest sample
    return History(t0, t1, t, y, q, width, newest)


def _raw_arrays(rows: list) -> Arrays:
    return _point_arrays([(ts, numeric(value), int(quality)) for ts, value, quality in rows])


def _point_arrays(points: list[tuple[float, float, int]]) -> Arrays:
    if not points:
        return np.zeros(0), np.zeros(0), np.zeros(0, np.int8)
    t, y, q = zip(*points, strict=True)
    return np.array(t, dtype=float), np.array(y, dtype=float), np.array(q, dtype=np.int8)


def joined(history: History | None, live: RingBuffer, upto: float) -> Arrays:
    """History followed by the live samples newer than its newest stored sample (no gap, no repeat)
    and not newer than `upto` (a paused view shows the data it had when it was paused)."""
    after = -math.inf if history is None or history.newest is None else history.newest + JOIN_TOLERANCE_S
    lt, ly, lq = live.after(after)
    keep = slice(0, int(np.searchsorted(lt, upto, side="right")))
    if history is None:
        return lt[keep], ly[keep], lq[keep]
    return (
        np.concatenate((history.t, lt[keep])),
        np.concatenate((history.y, ly[keep])),
        np.concatenate((history.q, lq[keep])),
    )


def plot_xy(
    t: np.ndarray, y: np.ndarray, q: np.ndarray, step: bool, until: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Curve points and the quality each line leaving a point stands for. Bad samples become NaN
    breaks (drawn with connect='finite'), the value before an outage is held until it starts, step
    pens hold every value until the next sample, and the last value, unless Bad, holds `until` (the
    present: a tag that has not changed is still at its value)."""
    if len(t) and q[-1] != _BAD and until > t[-1]:
        t, y, q = np.append(t, until), np.append(y, y[-1]), np.append(q, q[-1])
    bad = q == _BAD
    y = np.where(bad, math.nan, y)
    if step:
        return np.repeat(t, 2)[1:], np.repeat(y, 2)[:-1], np.repeat(q, 2)[:-1]
    starts = np.flatnonzero(bad[1:] & ~bad[:-1]) + 1
    if not len(starts):
        return t, y, q
    return (
        np.insert(t, starts, t[starts]),
        np.insert(y, starts, y[starts - 1]),
        np.insert(q, starts, q[starts - 1]),
    )


def uncertain_xy(x: np.ndarray, y: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The stretches of a curve (from plot_xy) whose values are Uncertain, each ended by a NaN break:
    the chart draws them dashed over the curve, so a doubtful value never looks like a good one."""
    leaving = q[:-1] == _UNCERTAIN  # the line from point k to k + 1
    if not leaving.any():
        return x[:0], y[:0]
    on = np.zeros(len(x), bool)
    on[:-1] |= leaving
    on[1:] |= leaving
    ends = np.zeros(len(x), bool)
    ends[1:] = leaving & ~np.append(leaving[1:], False)
    xs, ys = x[on], y[on]
    breaks = np.flatnonzero(ends[on][:-1]) + 1
    return np.insert(xs, breaks, xs[breaks - 1]), np.insert(ys, breaks, math.nan)
