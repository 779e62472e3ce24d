"""What a pen draws, without a window: ring buffers, history fetched raw or in buckets, the live join."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

from hmi.history import SqliteHistoryReader
from hmi.quality import Quality, Sample
from tests.ui.test_trend_view import good, write_history
from ui.trends.buffer import RingBuffer
from ui.trends.series import History, fetch_history, joined, plot_xy, uncertain_xy
from ui.trends.table import format_duration

BAD, UNCERTAIN = int(Quality.BAD), int(Quality.UNCERTAIN)


def test_ring_buffer_keeps_the_newest_samples_in_order_across_the_wrap():
    buffer = RingBuffer(started=0.0, capacity=5)
    for i in range(8):
        buffer.append(good(100.0 + i, float(i)))
    t, y, q = buffer.arrays()
    assert list(t) == [103.0, 104.0, 105.0, 106.0, 107.0] and list(y) == [3.0, 4.0, 5.0, 6.0, 7.0]
    assert list(buffer.after(105.0)[0]) == [106.0, 107.0]
    assert buffer.value_at(105.5) == (105.0, 5.0, 0)
    assert buffer.value_at(102.0) is None  # older than the buffer: ask the historian
    buffer.append(Sample(None, Quality.BAD, 90.0, "comm failure"))  # late quality change: kept, at the end
    t, y, q = buffer.arrays()
    assert t[-1] == 107.0 and math.isnan(y[-1]) and q[-1] == BAD


def test_live_samples_join_history_without_gap_or_repeat():
    history = History(0, 10, np.array([8.0, 10.0]), np.array([1.0, 2.0]), np.zeros(2, np.int8), 0.0, 10.0)
    live = RingBuffer(started=0.0, capacity=10)
    for ts, value in ((9.0, 1.5), (10.0004, 2.0), (10.5, 3.0), (11.0, 4.0)):
        live.append(good(ts, value))
    t, y, _ = joined(history, live, upto=10.9)
    assert list(t) == [8.0, 10.0, 10.5] and list(y) == [1.0, 2.0, 3.0]
    t, _, _ = joined(None, live, upto=math.inf)
    assert len(t) == 4


def test_bad_samples_break_the_line_after_holding_the_last_good_value():
    t = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    y = np.array([10.0, 11.0, 0.0, 0.0, 12.0])
    q = np.array([0, 0, BAD, BAD, 0], np.int8)
    x, v, _ = plot_xy(t, y, q, step=False, until=7.0)
    assert list(x) == [1.0, 2.0, 3.0, 3.0, 4.0, 5.0, 7.0]
    assert v[:3].tolist() == [10.0, 11.0, 11.0] and np.isnan(v[3:5]).all() and v[5:].tolist() == [12.0, 12.0]
    x, v, _ = plot_xy(t[:2], y[:2], q[:2], step=True, until=2.0)
    assert list(x) == [1.0, 2.0, 2.0] and list(v) == [10.0, 10.0, 11.0]


def test_uncertain_stretches_are_picked_out_to_be_drawn_dashed():
    t = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    y = np.array([10.0, 11.0, 12.0, 13.0, 14.0, 15.0])
    q = np.array([0, UNCERTAIN, 0, UNCERTAIN, UNCERTAIN, 0], np.int8)
    x, v, quality = plot_xy(t, y, q, step=False, until=8.0)
    ux, uy = uncertain_xy(x, v, quality)
    # the line from the Uncertain 11 to the good 12, then from 13 through 14 to the good 15, a break between
    assert ux.tolist() == [2.0, 3.0, 3.0, 4.0, 5.0, 6.0]
    assert uy[:2].tolist() == [11.0, 12.0] and math.isnan(uy[2]) and uy[3:].tolist() == [13.0, 14.0, 15.0]
    good = np.zeros(3, np.int8)
    assert len(uncertain_xy(*plot_xy(t[:3], y[:3], good, step=True, until=4.0))[0]) == 0


def test_history_comes_raw_when_it_fits_and_as_min_max_buckets_when_not(tmp_path):
    db = tmp_path / "h.db"
    t0 = time.time() - 10_000
    series = [good(t0 + i, float(i % 10)) for i in range(1000)]
    series[500] = good(series[500].ts, 99.0)
    series[700] = Sample(None, Quality.BAD, series[700].ts, "comm failure")
    write_history(db, {"T": series})
    with SqliteHistoryReader(db) as reader:
        raw = fetch_history(reader, "T", t0 + 100.5, t0 + 200, n=100)
        assert raw.width == 0 and len(raw.t) == 101  # the value in force at the start, then 100 samples
        assert raw.t[0] == pytest.approx(t0 + 100, abs=1e-3)
        assert raw.newest == pytest.approx(t0 + 200, abs=1e-3)

        bucketed = fetch_history(reader, "T", t0, t0 + 1000, n=50)
        assert bucketed.width == pytest.approx(20)
        assert len(bucketed.t) < 200 and np.nanmax(bucketed.y) == 99.0
        assert (bucketed.q == BAD).sum() == 1  # the outage breaks the line once
        assert np.all(np.diff(bucketed.t) >= 0)


def test_time_differences_read_as_an_operator_says_them():
    assert [format_duration(s) for s in (-38.24, 98, 3725, 3 * 86_400 + 7200)] == [
        "-38.2 s",
        "+1 min 38 s",
        "+1 h 02 min",
        "+3 d 02 h",
    ]
