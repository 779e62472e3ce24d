"""Dense curves draw about two points a pixel, and still show every spike and every gap."""

from __future__ import annotations

import numpy as np

from ui.trends.decimate import Decimator

N = 1_000_003  # not a multiple of any block size: the last block is short


def series() -> tuple[np.ndarray, np.ndarray]:
    x = 1.7e9 + np.arange(N, dtype=float)
    y = 50 + np.cumsum(np.random.default_rng(4).normal(0, 0.1, N))
    return x, y


def test_a_dense_range_comes_as_about_two_points_a_pixel_with_the_true_extremes():
    x, y = series()
    lo, hi = 400_000, 500_000
    dx, dy = Decimator(x, y).visible(x[lo], x[hi], 1000)
    assert 1000 <= len(dx) <= 2 * 1000 + 5
    assert np.all(np.diff(dx) >= 0)
    assert dy.min() <= y[lo : hi + 1].min() and dy.max() >= y[lo : hi + 1].max()
    assert dx[0] < x[lo] and dx[-1] > x[hi], "the line runs out of both edges of the view"
    assert dy[-1] == y[hi + 1]


def test_a_single_sample_spike_reaches_its_full_height_at_every_zoom():
    x, y = series()
    y[654_321] = 1e6
    decimator = Decimator(x, y)
    for span in (2_000, 50_000, 300_000, N):
        t0 = x[max(654_321 - span // 2, 0)]
        dx, dy = decimator.visible(t0, t0 + span, 1400)
        assert dy.max() == 1e6, span
        assert abs(dx[np.argmax(dy)] - x[654_321]) <= 2 * span / 1400, "drawn within a pixel or two"


def test_a_gap_of_bad_quality_stays_a_break_in_the_line():
    x, y = series()
    y[300_000:300_010] = np.nan  # a ten-second outage: far less than a pixel at this zoom
    dx, dy = Decimator(x, y).visible(x[0], x[-1], 1400)
    assert np.isnan(dy).any()
    gap_at = dx[np.flatnonzero(np.isnan(dy))]
    assert np.all(np.abs(gap_at - x[300_000]) <= 2 * N / 1400)
    assert np.isfinite(dy).sum() >= 2 * 1400 * 0.45, "the rest of the curve is still drawn"


def test_few_points_come_unchanged_and_a_pan_keeps_the_same_blocks():
    x, y = series()
    decimator = Decimator(x, y)
    dx, dy = decimator.visible(x[10], x[500], 1000)
    assert np.array_equal(dx, x[9:502]) and np.array_equal(dy, y[9:502])
    a = decimator.visible(x[100_000], x[200_000], 1000)
    b = decimator.visible(x[150_000], x[250_000], 1000)
    shared = np.intersect1d(a[0], b[0])
    assert len(shared) > 100
    for xs, ys in (a, b):  # the same block draws the same min and max from either view
        first = np.searchsorted(xs, shared[len(shared) // 2])
        assert ys[first] == a[1][np.searchsorted(a[0], shared[len(shared) // 2])]
