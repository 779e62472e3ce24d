"""Filters keep what they must: deadband and swinging door bounds, every quality change, periodic samples."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hmi.history.compression import OnChange, Periodic, SwingingDoor, coerce
from hmi.quality import Quality

GOOD, UNCERTAIN, BAD = (int(q) for q in Quality)

steps = st.lists(
    st.tuples(st.integers(1, 5_000), st.floats(-1e3, 1e3, allow_nan=False)), min_size=1, max_size=300
)
qualified_steps = st.lists(
    st.tuples(
        st.integers(1, 5_000), st.floats(-1e3, 1e3, allow_nan=False), st.sampled_from([GOOD, UNCERTAIN, BAD])
    ),
    min_size=1,
    max_size=200,
)


def points(raw: list[tuple]) -> list[tuple[int, float | None, int]]:
    """Strictly increasing ms timestamps; Bad values are None, as the writer hands them over."""
    out, ts = [], 1_700_000_000_000
    for dt, value, *quality in raw:
        ts += dt
        q = quality[0] if quality else GOOD
        out.append((ts, None if q == BAD else value, q))
    return out


def run(make, pts: list[tuple]) -> list[tuple]:
    """Offer every point to the filter made by make(emit); return what it stored, flush included."""
    stored: list[tuple] = []
    filt = make(lambda *p: stored.append(p))
    for p in pts:
        if filt.offer(*p):
            stored.append(p)
    filt.flush()
    return stored


def interpolate(stored: list[tuple], ts: int) -> float:
    """The value a trend draws at ts: a line between the stored points around it."""
    for (t0, v0, _), (t1, v1, _) in zip(stored, stored[1:], strict=False):
        if t0 <= ts <= t1:
            return v0 + (v1 - v0) * (ts - t0) / (t1 - t0)
    assert stored[-1][0] == ts, f"{ts} outside the stored span"
    return stored[-1][1]


@settings(max_examples=300, deadline=None)
@given(steps, st.floats(0.001, 200))
def test_swinging_door_reconstruction_stays_within_the_deviation(raw, deviation):
    pts = points(raw)
    stored = run(lambda emit: SwingingDoor(deviation, emit), pts)
    assert stored[0] == pts[0] and stored[-1] == pts[-1]
    assert set(stored) <= set(pts)
    assert [p[0] for p in stored] == sorted({p[0] for p in stored})
    for ts, value, _ in pts:
        assert abs(interpolate(stored, ts) - value) <= deviation * (1 + 1e-9) + 1e-9


def test_swinging_door_keeps_two_points_of_a_noisy_straight_line():
    pts = points([(1000, 0.5 * i + (0.04 if i % 2 else -0.04)) for i in range(1000)])
    assert len(run(lambda emit: SwingingDoor(0.1, emit), pts)) == 2
    assert len(run(lambda emit: SwingingDoor(0.05, emit), pts)) > 100


@settings(max_examples=300, deadline=None)
@given(steps, st.floats(0, 100))
def test_deadband_stores_moves_beyond_it_and_drops_only_values_within_it(raw, deadband):
    pts = points(raw)
    stored = run(lambda emit: OnChange(deadband), pts)
    assert stored[0] == pts[0]
    for before, after in zip(stored, stored[1:], strict=False):
        assert abs(after[1] - before[1]) > deadband
    last = None
    for p in pts:
        if p in stored:
            last = p
        else:
            assert abs(p[1] - last[1]) <= deadband


def test_on_change_without_deadband_stores_every_change_and_no_repeat():
    pts = points([(10, v) for v in (1, 1, 2, 2, 2, 1, 3)])
    assert [p[1] for p in run(lambda emit: OnChange(), pts)] == [1, 2, 1, 3]


@settings(max_examples=300, deadline=None)
@given(qualified_steps)
def test_every_quality_change_is_stored_by_every_filter(raw):
    pts = points(raw)
    changes = [p for i, p in enumerate(pts) if i == 0 or p[2] != pts[i - 1][2]]
    for make in (
        lambda emit: OnChange(5.0),
        lambda emit: SwingingDoor(1e6, emit),
        lambda emit: Periodic(3600, emit),
    ):
        stored = run(make, pts)
        assert [p for p in changes if p not in stored] == []
        assert [p[0] for p in stored] == sorted({p[0] for p in stored})


def test_bad_values_store_once_until_the_value_returns():
    pts = [(1, 5.0, GOOD), (2, None, BAD), (3, None, BAD), (4, 6.0, GOOD)]
    for make in (lambda emit: OnChange(), lambda emit: SwingingDoor(1.0, emit)):
        assert run(make, pts) == [(1, 5.0, GOOD), (2, None, BAD), (4, 6.0, GOOD)]


def test_periodic_samples_the_current_value_at_each_boundary_even_without_change():
    stored: list[tuple] = []
    periodic = Periodic(0.5, lambda *p: stored.append(p))
    periodic.tick(1_000)  # nothing known yet: nothing to store
    assert periodic.offer(1_100, 7.0, GOOD) is False
    for now in (1_400, 1_500, 1_700, 1_999, 2_000, 3_600):
        periodic.tick(now)
    assert stored == [(1_100, 7.0, GOOD), (1_500, 7.0, GOOD), (2_000, 7.0, GOOD), (3_500, 7.0, GOOD)]
    assert periodic.next_due(3_600) == 4_000


def test_periodic_stores_a_quality_change_at_once_and_after_its_last_sample():
    stored: list[tuple] = []
    periodic = Periodic(1.0, lambda *p: stored.append(p))
    periodic.offer(500, 1.0, GOOD)
    periodic.offer(800, 2.0, GOOD)
    periodic.tick(2_000)
    periodic.offer(1_900, None, BAD)  # the source clock is behind the wall clock
    assert stored == [(500, 1.0, GOOD), (2_000, 2.0, GOOD), (2_001, None, BAD)]


def test_values_are_coerced_to_what_is_stored():
    assert coerce("analog", 3, GOOD) == 3.0
    assert coerce("analog", float("nan"), GOOD) is None
    assert coerce("analog", "n/a", UNCERTAIN) is None
    assert coerce("analog", 4.5, BAD) is None
    assert coerce("digital", True, GOOD) == 1
    assert coerce("digital", 0, GOOD) == 0
    assert coerce("string", 12, GOOD) == "12"
