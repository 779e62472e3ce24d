"""Properties of the alarm state machine over any sequence of values, ticks and user actions."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from hmi.alarms import Alarm, AlarmEngine, AlarmState, TagAlarms
from hmi.quality import COMM_FAILURE, Quality, Sample

S = AlarmState
TAG = "T.PV"
HI = "T.PV.HI"
LIMIT = 50.0

values = st.one_of(st.floats(0, 100, allow_nan=False), st.just(None))  # None: comm failure
operations = st.lists(
    st.one_of(
        st.tuples(st.just("sample"), values),
        st.tuples(st.just("tick"), st.none()),
        st.tuples(st.sampled_from(["ack", "shelve", "unshelve", "oos", "in_service"]), st.none()),
    ),
    max_size=40,
)


def engine_for(deadband: float, on_delay: float, off_delay: float) -> tuple[AlarmEngine, list[Alarm]]:
    alarms = TagAlarms.model_validate(
        {"hi": {"limit": LIMIT, "deadband": deadband, "on_delay": on_delay, "off_delay": off_delay}}
    )
    engine = AlarmEngine({TAG: alarms})
    heard: list[Alarm] = []
    engine.subscribe(heard.append)
    return engine, heard


def apply(engine: AlarmEngine, op: str, value: float | None, now: float) -> None:
    if op == "sample":
        sample = (
            Sample(value, Quality.BAD, now, COMM_FAILURE)
            if value is None
            else Sample(value, Quality.GOOD, now)
        )
        engine.on_sample(TAG, sample)
    elif op == "tick":
        engine.tick(now)
    elif op == "ack":
        engine.acknowledge([HI], "op", now=now)
    elif op == "shelve":
        engine.shelve([HI], "op", duration=3, now=now)
    elif op == "unshelve":
        engine.unshelve([HI], "op", now=now)
    elif op == "oos":
        engine.remove_from_service([HI], "op", now=now)
    else:
        engine.return_to_service([HI], "op", now=now)


def check_legal(engine: AlarmEngine, heard: list[Alarm]) -> None:
    alarm = engine.alarm(HI)
    if alarm.state in (S.UNACK_ACTIVE, S.ACK_ACTIVE):
        assert alarm.active
    if alarm.state in (S.NORMAL, S.RTN_UNACK):
        assert not alarm.active
    if alarm.state in (S.SHELVED, S.SUPPRESSED, S.OUT_OF_SERVICE):
        assert alarm.acked and not alarm.blinking
    assert alarm.blinking == (not alarm.acked)
    if alarm.state is S.SHELVED:
        assert alarm.shelved_until is not None
    if alarm.shelved_until is not None:
        assert alarm.state in (S.SHELVED, S.OUT_OF_SERVICE)
    assert engine.alarms() == ([] if alarm.state is S.NORMAL else [alarm])
    assert heard[-1:] in ([], [alarm]), "listeners saw the latest change"


@settings(max_examples=150, deadline=None)
@given(operations, st.sampled_from([0.0, 5.0]), st.sampled_from([0.0, 2.0]), st.sampled_from([0.0, 2.0]))
def test_never_an_illegal_state_and_ack_always_ends_blinking(
    ops: list[tuple[str, Any]], deadband: float, on_delay: float, off_delay: float
):
    engine, heard = engine_for(deadband, on_delay, off_delay)
    hidden = {S.SHELVED, S.SUPPRESSED, S.OUT_OF_SERVICE}
    now = 0.0
    for op, value in ops:
        now += 1
        before = engine.alarm(HI).state
        apply(engine, op, value, now)
        check_legal(engine, heard)
        after = engine.alarm(HI)
        if before in hidden and after.state not in hidden:
            assert after.state is (S.UNACK_ACTIVE if after.active else S.NORMAL), "back in view: announce"
    engine.acknowledge(engine.ids(), "op", now=now + 1)
    assert not engine.alarm(HI).blinking and sum(engine.unacked_counts().values()) == 0


@settings(max_examples=150, deadline=None)
@given(st.lists(values, max_size=60), st.sampled_from([0.0, 1.0, 5.0]))
def test_without_delays_active_follows_the_hysteresis(sequence: list[float | None], deadband: float):
    engine, _ = engine_for(deadband, 0.0, 0.0)
    expected = False
    for ts, value in enumerate(sequence):
        engine.on_sample(
            TAG,
            Sample(value, Quality.BAD, ts, COMM_FAILURE)
            if value is None
            else Sample(value, Quality.GOOD, ts),
        )
        if value is not None:  # unknown values leave the alarm as it was
            expected = value > (LIMIT - deadband if expected else LIMIT)
        assert engine.alarm(HI).active == expected
