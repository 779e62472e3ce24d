"""The alarm engine's ISA-18.2 state model, driven by constructed samples and times."""

from __future__ import annotations

from typing import Any

import pytest

from hmi.alarms import (
    ActionRefused,
    Alarm,
    AlarmAction,
    AlarmConfig,
    AlarmEngine,
    AlarmError,
    AlarmState,
    Priority,
    TagAlarms,
)
from hmi.quality import COMM_FAILURE, WAITING, Quality, Sample
from hmi.tags import TagTable

S = AlarmState
LEVEL = "TK101.Level"
HI = "TK101.Level.HI"


def good(value: Any, ts: float) -> Sample:
    return Sample(value, Quality.GOOD, ts)


def make(alarms: dict[str, dict[str, Any]], **kwargs: Any) -> tuple[AlarmEngine, list[Alarm]]:
    """An engine over the given per-tag alarm definitions, and the list its listener fills."""
    engine = AlarmEngine({tag: TagAlarms.model_validate(a) for tag, a in alarms.items()}, **kwargs)
    heard: list[Alarm] = []
    engine.subscribe(heard.append)
    return engine, heard


def hi_engine(**hi: Any) -> tuple[AlarmEngine, list[Alarm]]:
    return make({LEVEL: {"hi": {"limit": 80, **hi}}})


def state(engine: AlarmEngine, alarm_id: str = HI) -> AlarmState:
    return engine.alarm(alarm_id).state


def test_full_cycle_raise_ack_clear():
    engine, heard = hi_engine()
    engine.on_sample(LEVEL, good(50, 1))
    assert state(engine) is S.NORMAL and heard == []
    engine.on_sample(LEVEL, good(85, 2))
    alarm = engine.alarm(HI)
    assert (alarm.state, alarm.active, alarm.acked, alarm.blinking) == (S.UNACK_ACTIVE, True, False, True)
    assert (alarm.value, alarm.limit, alarm.raised_at, alarm.changed_at) == (85, 80, 2, 2)
    assert alarm.message == "TK101.Level high" and alarm.priority is Priority.MEDIUM
    assert engine.acknowledge([HI], "alice", "seen", now=3) == [HI]
    assert state(engine) is S.ACK_ACTIVE and not engine.alarm(HI).blinking
    engine.on_sample(LEVEL, good(70, 4))
    assert state(engine) is S.NORMAL
    assert [a.state for a in heard] == [S.UNACK_ACTIVE, S.ACK_ACTIVE, S.NORMAL]
    assert engine.alarms() == []


def test_return_to_normal_unacknowledged_then_ack():
    engine, heard = hi_engine()
    engine.on_sample(LEVEL, good(85, 1))
    engine.on_sample(LEVEL, good(70, 2))
    assert state(engine) is S.RTN_UNACK and engine.alarm(HI).blinking
    assert [a.id for a in engine.alarms()] == [HI]
    engine.on_sample(LEVEL, good(90, 3))
    assert state(engine) is S.UNACK_ACTIVE, "raised again before the ack"
    engine.on_sample(LEVEL, good(70, 4))
    engine.acknowledge([HI], "bob", now=5)
    assert state(engine) is S.NORMAL
    assert [a.state for a in heard] == [S.UNACK_ACTIVE, S.RTN_UNACK, S.UNACK_ACTIVE, S.RTN_UNACK, S.NORMAL]


def test_ack_needs_nothing_to_ack_is_a_no_op():
    engine, heard = hi_engine()
    assert engine.acknowledge([HI], "alice", now=1) == []
    assert heard == []
    with pytest.raises(AlarmError, match="no alarm 'TK101.Level.XX'"):
        engine.acknowledge([HI, "TK101.Level.XX"], "alice", now=1)


def test_low_limits_and_priority_order():
    engine, _ = make(
        {
            LEVEL: {
                "lo": {"limit": 20},
                "lolo": {"limit": 10, "priority": "critical"},
                "hi": {"limit": 80, "priority": "low"},
            }
        }
    )
    engine.on_sample(LEVEL, good(5, 1))
    assert [a.id for a in engine.alarms()] == ["TK101.Level.LOLO", "TK101.Level.LO"]
    assert engine.unacked_counts() == {
        Priority.CRITICAL: 1,
        Priority.HIGH: 0,
        Priority.MEDIUM: 1,
        Priority.LOW: 0,
    }
    engine.on_sample(LEVEL, good(15, 2))
    assert state(engine, "TK101.Level.LOLO") is S.RTN_UNACK
    assert state(engine, "TK101.Level.LO") is S.UNACK_ACTIVE


def test_deadband_is_hysteresis_on_clearing():
    engine, _ = hi_engine(deadband=2)
    engine.on_sample(LEVEL, good(80, 1))
    assert state(engine) is S.NORMAL, "at the limit is not beyond it"
    engine.on_sample(LEVEL, good(80.5, 2))
    assert state(engine) is S.UNACK_ACTIVE
    engine.on_sample(LEVEL, good(79, 3))
    assert state(engine) is S.UNACK_ACTIVE, "inside the limit but not by the deadband"
    engine.on_sample(LEVEL, good(78, 4))
    assert state(engine) is S.RTN_UNACK


def test_on_delay_needs_the_condition_to_hold():
    engine, _ = hi_engine(on_delay=5)
    engine.on_sample(LEVEL, good(85, 10))
    engine.tick(14)
    assert state(engine) is S.NORMAL
    engine.on_sample(LEVEL, good(70, 14.5))
    engine.tick(16)
    assert state(engine) is S.NORMAL, "the condition went away: the delay starts over"
    engine.on_sample(LEVEL, good(85, 20))
    engine.tick(24.9)
    assert state(engine) is S.NORMAL
    engine.tick(25)
    assert state(engine) is S.UNACK_ACTIVE and engine.alarm(HI).raised_at == 25


def test_off_delay_needs_the_clear_to_hold():
    engine, _ = hi_engine(off_delay=3)
    engine.on_sample(LEVEL, good(85, 1))
    engine.acknowledge([HI], "alice", now=1)
    engine.on_sample(LEVEL, good(70, 2))
    engine.tick(4)
    assert state(engine) is S.ACK_ACTIVE
    engine.on_sample(LEVEL, good(85, 4.5))
    engine.on_sample(LEVEL, good(70, 5))
    engine.tick(7.9)
    assert state(engine) is S.ACK_ACTIVE
    engine.on_sample(LEVEL, good(70.5, 8))
    assert state(engine) is S.NORMAL, "a later sample also ends the delay"


def test_shelve_hides_until_expiry_then_re_announces():
    engine, heard = hi_engine()
    engine.on_sample(LEVEL, good(85, 1))
    assert engine.shelve([HI], "alice", "sensor being fixed", duration=60, now=10) == [HI]
    alarm = engine.alarm(HI)
    assert (alarm.state, alarm.shelved_until, alarm.blinking) == (S.SHELVED, 70, False)
    assert engine.unacked_counts()[Priority.MEDIUM] == 0
    engine.on_sample(LEVEL, good(70, 20))
    engine.on_sample(LEVEL, good(90, 30))
    assert state(engine) is S.SHELVED and engine.alarm(HI).active
    engine.tick(69)
    assert state(engine) is S.SHELVED
    engine.tick(70)
    assert state(engine) is S.UNACK_ACTIVE, "still active when the shelve ran out"
    assert heard[-1].shelved_until is None


def test_shelve_default_duration_unshelve_and_extend():
    engine, _ = make({LEVEL: {"hi": {"limit": 80}}}, config=AlarmConfig(shelve_duration=600))
    engine.shelve([HI], "alice", now=100)
    assert engine.alarm(HI).shelved_until == 700
    engine.shelve([HI], "alice", "longer", duration=3600, now=200)
    assert engine.alarm(HI).shelved_until == 3800
    assert engine.unshelve([HI], "bob", "back", now=300) == [HI]
    assert state(engine) is S.NORMAL
    assert engine.unshelve([HI], "bob", now=301) == []
    with pytest.raises(AlarmError, match="positive duration"):
        engine.shelve([HI], "alice", duration=0, now=1)


def test_shelving_an_unacknowledged_return_to_normal_ends_in_normal():
    engine, _ = hi_engine()
    engine.on_sample(LEVEL, good(85, 1))
    engine.on_sample(LEVEL, good(70, 2))
    engine.shelve([HI], "alice", duration=10, now=3)
    engine.tick(13)
    assert state(engine) is S.NORMAL


def test_suppressed_by_design_while_condition_holds():
    engine, heard = make(
        {"P101.Running": {}, "FT101.Flow": {"lo": {"limit": 5, "suppress_when": "not P101.Running"}}}
    )
    flow_lo = "FT101.Flow.LO"
    engine.on_sample("P101.Running", good(True, 1))
    engine.on_sample("FT101.Flow", good(10, 1))
    engine.on_sample("P101.Running", good(False, 2))
    assert state(engine, flow_lo) is S.SUPPRESSED
    engine.on_sample("FT101.Flow", good(0, 3))
    assert state(engine, flow_lo) is S.SUPPRESSED and engine.alarm(flow_lo).active
    assert engine.unacked_counts()[Priority.MEDIUM] == 0
    engine.on_sample("P101.Running", good(True, 4))
    assert state(engine, flow_lo) is S.UNACK_ACTIVE, "flow still low once the pump runs"
    assert heard[0].state is S.SUPPRESSED


def test_suppression_with_unknown_input_keeps_the_alarm_visible():
    engine, _ = make({"FT101.Flow": {"lo": {"limit": 5, "suppress_when": "not P101.Running"}}})
    engine.on_sample("P101.Running", Sample(None, Quality.BAD, 1, WAITING))
    engine.on_sample("FT101.Flow", good(0, 2))
    assert state(engine, "FT101.Flow.LO") is S.UNACK_ACTIVE


def test_out_of_service_and_back():
    engine, _ = hi_engine()
    engine.on_sample(LEVEL, good(85, 1))
    assert engine.remove_from_service([HI], "tech", "transmitter replaced", now=2) == [HI]
    assert state(engine) is S.OUT_OF_SERVICE
    engine.shelve([HI], "alice", duration=5, now=3)
    assert state(engine) is S.OUT_OF_SERVICE, "out of service outranks shelved"
    engine.tick(8)
    engine.on_sample(LEVEL, good(10, 9))
    assert engine.return_to_service([HI], "tech", now=10) == [HI]
    assert state(engine) is S.NORMAL
    assert engine.return_to_service([HI], "tech", now=11) == []


def test_every_action_asks_the_authorizer():
    asked: list[tuple[AlarmAction, str]] = []

    def only_supervisors(action: AlarmAction, actor: str) -> bool:
        asked.append((action, actor))
        return actor == "supervisor" or action is AlarmAction.ACKNOWLEDGE

    engine, _ = make({LEVEL: {"hi": {"limit": 80}}}, authorize=only_supervisors)
    engine.on_sample(LEVEL, good(85, 1))
    with pytest.raises(ActionRefused, match="operator is not permitted to remove from service"):
        engine.remove_from_service([HI], "operator", now=2)
    assert state(engine) is S.UNACK_ACTIVE
    engine.acknowledge([HI], "operator", now=3)
    engine.shelve([HI], "supervisor", now=4)
    assert asked == [
        (AlarmAction.REMOVE_FROM_SERVICE, "operator"),
        (AlarmAction.ACKNOWLEDGE, "operator"),
        (AlarmAction.SHELVE, "supervisor"),
    ]


def test_chattering_flagged_and_fades():
    engine, heard = hi_engine()
    for t in (0, 10, 20):
        engine.on_sample(LEVEL, good(85, t))
        engine.on_sample(LEVEL, good(70, t + 1))
        assert engine.alarm(HI).chattering is (t == 20)
    engine.tick(70)
    assert engine.alarm(HI).chattering, "raised at 20: still within the last minute"
    engine.tick(80)
    assert not engine.alarm(HI).chattering
    assert heard[-1].chattering is False and heard[-1].state is S.RTN_UNACK


def test_three_raises_spread_over_more_than_a_minute_do_not_chatter():
    engine, _ = hi_engine()
    for t in (0, 30, 60):
        engine.on_sample(LEVEL, good(85, t))
        engine.on_sample(LEVEL, good(70, t + 1))
    assert not engine.alarm(HI).chattering


def test_comm_failure_freezes_limit_alarms_and_raises_bad_quality():
    engine, _ = make({LEVEL: {"hi": {"limit": 80}, "lo": {"limit": 20}, "bad_quality": {"priority": "high"}}})
    engine.on_sample(LEVEL, good(85, 1))
    engine.on_sample(LEVEL, Sample(85, Quality.BAD, 2, COMM_FAILURE))
    assert state(engine) is S.UNACK_ACTIVE, "not cleared by a value nobody has"
    assert state(engine, "TK101.Level.LO") is S.NORMAL
    bad = engine.alarm("TK101.Level.BAD_QUALITY")
    assert (bad.state, bad.value, bad.priority) == (S.UNACK_ACTIVE, COMM_FAILURE, Priority.HIGH)
    engine.on_sample(LEVEL, Sample(None, Quality.BAD, 3, COMM_FAILURE))
    engine.on_sample(LEVEL, good(50, 4))
    assert state(engine) is S.RTN_UNACK
    assert state(engine, "TK101.Level.BAD_QUALITY") is S.RTN_UNACK


def test_comm_failure_does_not_raise_a_pending_alarm():
    engine, _ = hi_engine(on_delay=5)
    engine.on_sample(LEVEL, good(85, 1))
    engine.on_sample(LEVEL, Sample(85, Quality.BAD, 2, COMM_FAILURE))
    engine.tick(10)
    assert state(engine) is S.NORMAL


def test_waiting_for_first_data_is_not_bad_quality():
    table = TagTable([LEVEL])
    engine, heard = make({LEVEL: {"bad_quality": {}, "lo": {"limit": 20}}})
    engine.attach(table)
    assert heard == []
    table.update(LEVEL, good(10, 1))
    assert state(engine, "TK101.Level.LO") is S.UNACK_ACTIVE
    table.mark_bad([LEVEL], COMM_FAILURE, ts=2)
    assert state(engine, "TK101.Level.BAD_QUALITY") is S.UNACK_ACTIVE


def test_deviation_from_setpoint_follows_both_tags():
    engine, _ = make({"TIC1.PV": {"deviation": {"setpoint": "TIC1.SP", "limit": 5, "deadband": 1}}})
    dev = "TIC1.PV.DEVIATION"
    engine.on_sample("TIC1.PV", good(50, 1))
    assert state(engine, dev) is S.NORMAL, "no setpoint yet"
    engine.on_sample("TIC1.SP", good(56, 2))
    assert state(engine, dev) is S.UNACK_ACTIVE and engine.alarm(dev).value == -6
    engine.on_sample("TIC1.SP", good(54.5, 3))
    assert state(engine, dev) is S.UNACK_ACTIVE
    engine.on_sample("TIC1.PV", good(50.5, 4))
    assert state(engine, dev) is S.RTN_UNACK


def test_rate_of_change_per_minute_decays_on_tick():
    engine, _ = make({"J1.Temp": {"rate": {"limit": 6, "per": "min", "window": 10, "direction": "rise"}}})
    rate = "J1.Temp.RATE"
    engine.on_sample("J1.Temp", good(40, 0))
    engine.on_sample("J1.Temp", good(40.5, 5))
    assert state(engine, rate) is S.NORMAL, "6 per minute, not more"
    engine.on_sample("J1.Temp", good(42, 10))
    assert state(engine, rate) is S.UNACK_ACTIVE and engine.alarm(rate).value == pytest.approx(12)
    engine.tick(20)
    assert state(engine, rate) is S.RTN_UNACK, "held value: the rate falls to zero"
    engine.on_sample("J1.Temp", good(30, 21))
    assert state(engine, rate) is S.RTN_UNACK, "a fall is not watched"


def test_discrete_state_and_a_listener_that_fails():
    engine, heard = make(
        {"P101.Fault": {"discrete": {"state": True, "priority": "high", "message": "Pump P-101 tripped"}}}
    )
    engine.subscribe(lambda alarm: 1 / 0)
    engine.on_sample("P101.Fault", good(True, 1))
    fault = engine.alarm("P101.Fault.DISCRETE")
    assert (fault.state, fault.message, fault.limit) == (S.UNACK_ACTIVE, "Pump P-101 tripped", True)
    assert len(heard) == 1, "a failing listener does not stop the others"


def test_disabled_alarms_do_not_exist_and_other_tags_are_ignored():
    engine, heard = make({LEVEL: {"hi": {"limit": 80, "enabled": False}, "lo": {"limit": 20}}})
    assert engine.ids() == ["TK101.Level.LO"]
    engine.on_sample("Other.Tag", good(1, 1))
    assert heard == []


def test_ack_selection_and_all():
    tags = {f"T{i}.PV": {"hi": {"limit": 1}} for i in range(5)}
    engine, _ = make(tags)
    for i in range(5):
        engine.on_sample(f"T{i}.PV", good(2, i))
    assert engine.acknowledge(["T1.PV.HI", "T3.PV.HI"], "alice", now=10) == ["T1.PV.HI", "T3.PV.HI"]
    assert sorted(a.id for a in engine.alarms() if a.blinking) == ["T0.PV.HI", "T2.PV.HI", "T4.PV.HI"]
    acked = engine.acknowledge([a.id for a in engine.alarms()], "alice", now=11)
    assert sorted(acked) == ["T0.PV.HI", "T2.PV.HI", "T4.PV.HI"]
    assert not any(a.blinking for a in engine.alarms())
    assert sum(engine.unacked_counts().values()) == 0
