"""Alarms a server owns (OPC-UA conditions) in the engine: server state, forwarded acks, local shelving."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hmi.alarms import AlarmEngine, AlarmError, AlarmJournal, AlarmState, Priority, TagAlarms
from hmi.opcua.conditions import priority

S = AlarmState
ID = "plant:RC1.OverTemp"


class AckRequests:
    """The forwarder the engine is given: records the acknowledgements it asks the server for."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str, str]] = []

    def forward(self, alarm_id: str, actor: str, comment: str) -> None:
        self.asked.append((alarm_id, actor, comment))


def report(engine: AlarmEngine, server: AckRequests, active: bool, acked: bool, ts: float, **kw: Any) -> None:
    kw.setdefault("message", "RC1 joint 3 over temperature")
    engine.update_external(
        ID,
        tag="RC1",
        priority=Priority.CRITICAL,
        active=active,
        acked=acked,
        ts=ts,
        forward=server.forward,
        **kw,
    )


def test_server_states_drive_the_alarm_and_acks_are_forwarded_then_journaled(tmp_path: Path):
    with AlarmJournal(tmp_path / "j.db") as journal:
        engine, server = AlarmEngine({}, journal=journal), AckRequests()
        heard: list[AlarmState] = []
        engine.subscribe(lambda a: heard.append(a.state))
        report(engine, server, active=True, acked=False, ts=10)
        alarm = engine.alarm(ID)
        assert (alarm.state, alarm.tag, alarm.priority, alarm.raised_at) == (
            S.UNACK_ACTIVE,
            "RC1",
            Priority.CRITICAL,
            10,
        )
        assert engine.alarms() == [alarm] and engine.unacked_counts()[Priority.CRITICAL] == 1

        assert engine.acknowledge([ID], "alice", "checked", now=11) == [ID]
        assert server.asked == [(ID, "alice", "checked")]
        assert engine.alarm(ID).state is S.UNACK_ACTIVE  # until the server says it is acknowledged
        report(engine, server, active=True, acked=True, ts=12, actor="alice", comment="checked")
        assert engine.alarm(ID).state is S.ACK_ACTIVE
        assert engine.acknowledge([ID], "bob") == [] and len(server.asked) == 1

        report(engine, server, active=False, acked=True, ts=13, message="RC1 joints back below 72 °C")
        assert engine.alarm(ID).state is S.NORMAL and engine.alarms() == []
        assert engine.alarm(ID).message == "RC1 joints back below 72 °C"
        assert heard == [S.UNACK_ACTIVE, S.ACK_ACTIVE, S.NORMAL]
        journal.flush()
        rows = sorted(journal.search(), key=lambda e: e.ts)
    assert [(e.ts, e.old_state, e.new_state, e.actor, e.comment) for e in rows] == [
        (10, "normal", "unack_active", "system", ""),
        (12, "unack_active", "ack_active", "alice", "checked"),
        (13, "ack_active", "normal", "system", ""),
    ]


def test_cleared_before_ack_waits_in_rtn_unack_and_a_new_message_alone_is_announced():
    engine, server = AlarmEngine({}), AckRequests()
    heard: list[str] = []
    engine.subscribe(lambda a: heard.append(a.message))
    report(engine, server, active=True, acked=False, ts=1)
    report(engine, server, active=True, acked=False, ts=2, message="RC1 joint 3 hotter still")
    assert heard == ["RC1 joint 3 over temperature", "RC1 joint 3 hotter still"]
    report(engine, server, active=False, acked=False, ts=3)
    assert engine.alarm(ID).state is S.RTN_UNACK
    engine.acknowledge([ID], "alice")
    report(engine, server, active=False, acked=True, ts=4, actor="alice")
    assert engine.alarm(ID).state is S.NORMAL


def test_shelving_is_local_and_unshelving_shows_the_servers_ack_state():
    engine, server = AlarmEngine({}), AckRequests()
    report(engine, server, active=True, acked=False, ts=1)
    engine.shelve([ID], "alice", duration=60, now=2)
    assert engine.alarm(ID).state is S.SHELVED and server.asked == []
    report(engine, server, active=True, acked=False, ts=3)
    assert engine.alarm(ID).state is S.SHELVED
    engine.unshelve([ID], "alice", now=4)
    assert engine.alarm(ID).state is S.UNACK_ACTIVE  # the server still waits for an acknowledgement


def test_a_server_cannot_update_a_project_alarm():
    engine = AlarmEngine({"TK101.Level": TagAlarms.model_validate({"hi": {"limit": 80}})})
    with pytest.raises(AlarmError, match="project alarm"):
        engine.update_external(
            "TK101.Level.HI", tag="TK101.Level", priority=Priority.LOW, message="", active=True, acked=False,
            forward=AckRequests().forward,
        )  # fmt: skip


@pytest.mark.parametrize(
    ("severity", "expected"),
    [(1000, Priority.CRITICAL), (800, Priority.CRITICAL), (799, Priority.HIGH), (600, Priority.HIGH),
     (400, Priority.MEDIUM), (399, Priority.LOW), (1, Priority.LOW), (None, Priority.LOW)],
)  # fmt: skip
def test_severity_maps_to_priority(severity: int | None, expected: Priority):
    assert priority(severity) is expected
