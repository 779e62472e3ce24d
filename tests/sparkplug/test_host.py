"""A station as a Sparkplug B host: a `kind: sparkplug` connection in this process, the demo plant's
headless engine as the edge node in another, a real mosquitto between them."""

from __future__ import annotations

import asyncio
import json
import signal
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from hmi.alarms.model import Alarm
from hmi.alarms.settings import Priority, TagAlarms
from hmi.errors import WriteRefused
from hmi.paths import audit_db
from hmi.project import ProjectFolder, load_project
from hmi.quality import Quality
from hmi.runtime import Runtime
from hmi.security.audit import CONFIRMED, DIFFERS, REFUSED
from hmi.sources import ConnectionState
from hmi.sparkplug.host import BROKER_LOST, EDGE_OFFLINE, NOT_BORN, SparkplugSource
from hmi.sparkplug.payload import Payload, bd_seq_of, bd_seq_payload, new_payload
from tests.sparkplug.conftest import GROUP, NODE, Broker, EdgeProcess, Listener
from tests.support import log_in, wait_for

TAGS: list[dict[str, Any]] = [
    {"name": "TK101.Level", "node": "plant/TK101.Level", "units": "%", "range": [0, 100]},
    {"name": "FIC101.SP", "node": "plant/FIC101.SP", "writable": True, "write_limits": [0, 50]},
    {"name": "FIC101.Auto", "node": "plant/FIC101.Auto", "type": "Boolean"},
    {"name": "EM1.Voltage", "node": "meter/EM1.Voltage", "units": "V"},
    {"name": "Nowhere", "node": "plant/No.Such.Metric"},
]
"""FIC101.SP may go to 50 here; the edge node's own project allows 0..30."""


def station(root: Path, broker: Broker, tags: list[dict[str, Any]] = TAGS, **settings: Any) -> Runtime:
    connection = {
        **settings,
        "kind": "sparkplug",
        "broker": broker.url,
        "group": GROUP,
        "edge_node": NODE,
        "write_timeout_s": 10,
    }
    project = {
        "name": "Station",
        "start_screen": "main",
        "connections": {"site": connection},
        "tags": [{**t, "connection": "site"} for t in tags],
    }
    root.mkdir(parents=True)
    (root / "project.yaml").write_text(yaml.safe_dump(project, sort_keys=False), encoding="utf-8")
    (root / "screens").mkdir()
    screen = {"title": "Main", "items": [{"type": "value", "at": [0, 0], "bind": {"value": tags[0]["name"]}}]}
    (root / "screens" / "main.yaml").write_text(yaml.safe_dump(screen), encoding="utf-8")
    return Runtime(load_project(root), start_simulator=False)


def source(runtime: Runtime) -> SparkplugSource:
    found = runtime.connections["site"]
    assert isinstance(found, SparkplugSource)
    return found


async def live(runtime: Runtime) -> None:
    """Until the plant's values arrive Good through the edge node and change."""
    table = runtime.table
    await wait_for(lambda: table.get("TK101.Level").good, 60, "TK101.Level Good from the edge node")
    first = table.get("TK101.Level").value
    await wait_for(lambda: table.get("TK101.Level").value != first, 20, "TK101.Level to change")


@pytest.fixture
def host(tmp_path: Path, broker: Broker) -> Runtime:
    return station(tmp_path / "station", broker)


def test_values_live_then_bad_at_once_on_kill_and_back_with_the_next_session(
    edge: EdgeProcess, host: Runtime, listener: Listener
):
    async def scenario() -> float:
        await host.start()
        try:
            await live(host)
            table, site = host.table, source(host)
            assert site.status.state is ConnectionState.CONNECTED
            assert table.get("FIC101.Auto").value in (True, False)
            await wait_for(lambda: table.get("EM1.Voltage").good, 30, "the meter's voltage")
            assert 300 < table.get("EM1.Voltage").value < 500
            assert table.get("Nowhere").quality is Quality.BAD and table.get("Nowhere").reason == NOT_BORN
            assert site.node_problems == {"Nowhere": NOT_BORN}
            counters = site.counters()
            assert counters.messages > 0 and counters.notifications > 0 and counters.overflows == 0
            assert counters.latency_ms is not None and 0 <= counters.latency_ms < 1000  # through the broker

            edge.kill()
            killed = time.monotonic()
            others = [n for n in host.table.names() if n != "Nowhere"]
            await wait_for(
                lambda: all(table.get(n).reason == EDGE_OFFLINE for n in others), 10, "every tag Bad"
            )
            took = time.monotonic() - killed
            assert all(table.get(n).quality is Quality.BAD for n in others)
            assert site.status.state is ConnectionState.LOST and EDGE_OFFLINE in site.status.detail
            born_with = bd_seq_of(Payload.FromString(listener.of("NBIRTH")[-1].payload))
            assert bd_seq_of(Payload.FromString(listener.of("NDEATH")[-1].payload)) == born_with  # the will

            edge.restart()  # a new session: the next bdSeq, kept across the restart
            await live(host)
            assert bd_seq_of(Payload.FromString(listener.of("NBIRTH")[-1].payload)) == born_with + 1
            assert site.status.state is ConnectionState.CONNECTED
            return took
        finally:
            await host.stop()

    took = asyncio.run(scenario())
    assert took <= 5 + 1  # the edge node's keep-alive (default 5 s) + 1 s; a killed process's socket closes


def test_a_sequence_gap_asks_for_a_rebirth(edge: EdgeProcess, host: Runtime, listener: Listener):
    async def scenario() -> None:
        await host.start()
        try:
            await live(host)
            site = source(host)
            births = len(listener.of("NBIRTH"))
            stray = new_payload((site._next_seq or 0) + 17)  # a message the host never expected next
            info = listener.client.publish(f"spBv1.0/{GROUP}/DDATA/{NODE}/plant", stray.SerializeToString())
            info.wait_for_publish(5)
            await wait_for(lambda: site.gaps >= 1, 10, "the gap seen")
            await wait_for(lambda: len(listener.of("NBIRTH")) > births, 10, "the edge node born again")
            rebirth = listener.of("NCMD")
            assert rebirth and "Node Control/Rebirth" in str(rebirth[-1].payload)
            await live(host)
            assert site.status.state is ConnectionState.CONNECTED

            # The will of an older session (another bdSeq) is not this edge node's death.
            stale = bd_seq_payload(((site._bd_seq or 0) + 5) % 256).SerializeToString()
            listener.client.publish(f"spBv1.0/{GROUP}/NDEATH/{NODE}", stale).wait_for_publish(5)
            await live(host)
            assert site.status.state is ConnectionState.CONNECTED
        finally:
            await host.stop()

    asyncio.run(scenario())


def test_writes_go_to_the_plant_through_the_edge_node_and_are_confirmed_by_its_read_back(
    edge: EdgeProcess, host: Runtime, listener: Listener
):
    async def scenario() -> None:
        await host.start()
        try:
            await live(host)
            operator = log_in(host.security, "operator")
            result = await host.write("FIC101.SP", "12.5", operator)
            assert result.confirmed and result.read_back == 12.5, result
            await wait_for(lambda: host.table.get("FIC101.SP").value == 12.5, 10, "the setpoint shown")

            # The edge node's engine has its own limits (0..30): it refuses, and says why.
            with pytest.raises(WriteRefused, match="edge node refused the write.*outside the write limits"):
                await host.write("FIC101.SP", 40, operator)
            assert host.table.get("FIC101.SP").value == 12.5
            assert source(host).counters().notifications > 0

            commands = len(listener.of("DCMD"))
            viewer = log_in(host.security, "viewer")
            with pytest.raises(WriteRefused, match="viewer .* may not change values"):
                await host.write("FIC101.SP", 10, viewer)
            assert len(listener.of("DCMD")) == commands  # nothing went out

            # An edge node that answers nothing (frozen): the write is reported not confirmed.
            source(host).config.write_timeout_s = 1
            operator = log_in(host.security, "operator")
            edge.process.send_signal(signal.SIGSTOP)
            try:
                silent = await host.write("FIC101.SP", 11, operator)
            finally:
                edge.process.send_signal(signal.SIGCONT)
            assert not silent.confirmed
            assert silent.problem == "sent, but no read-back from the edge node in 1 s"
        finally:
            await host.stop()

    asyncio.run(scenario())
    rows = audit_rows(host)
    assert [(r["user"], r["new_value"], r["result"]) for r in rows] == [
        ("operator", "12.5", CONFIRMED),
        ("operator", "40", REFUSED),
        ("viewer", "10", REFUSED),
        ("operator", "11.0", DIFFERS),
    ]
    # The edge node's engine audits what it wrote for the hosts, and what it refused.
    assert edge.stop() == 0
    at_edge = audit_rows(audit_db(edge.root, "Demo Plant"))
    assert [(r["user"], r["new_value"], r["result"]) for r in at_edge][:2] == [
        ("system", "12.5", CONFIRMED),
        ("system", "40.0", REFUSED),
    ]


def test_broker_loss_turns_every_tag_bad(edge: EdgeProcess, host: Runtime, broker: Broker):
    async def scenario() -> None:
        await host.start()
        try:
            await live(host)
            broker.stop()
            table = host.table
            await wait_for(lambda: all(table.get(n).reason == BROKER_LOST for n in table.names()), 10, "Bad")
            assert source(host).status.state is ConnectionState.LOST
        finally:
            await host.stop()

    asyncio.run(scenario())


def audit_rows(where: Runtime | Path) -> list[dict[str, Any]]:
    with sqlite3.connect(where.audit.path if isinstance(where, Runtime) else where) as db:
        db.row_factory = sqlite3.Row
        return [dict(r) for r in db.execute("SELECT * FROM audit WHERE action = 'write' ORDER BY rowid")]


def voltage_alarm_at_once(folder: ProjectFolder) -> None:
    """The supply voltage (~400 V) above a HI limit of 100 V: an alarm from the start."""
    voltage = next(t for t in folder.project.tags if t.name == "EM1.Voltage")
    voltage.alarms = TagAlarms.model_validate({"hi": {"limit": 100, "message": "Supply voltage high"}})


def test_the_edge_nodes_alarms_show_on_the_station_and_its_acknowledgement_goes_back(
    tmp_path: Path, broker: Broker, listener: Listener
):
    edge = EdgeProcess(tmp_path / "edge", broker, tmp_path / "edge.log", edit=voltage_alarm_at_once)
    # The station serves the meter alone, and the alarms of the whole edge node.
    meter = [t for t in TAGS if t["node"].startswith("meter/")]
    host = station(tmp_path / "station", broker, meter, alarms=True, device="meter")

    async def scenario() -> None:
        await host.start()
        try:
            await wait_for(lambda: host.table.get("EM1.Voltage").good, 60, "the voltage Good")
            alarms = host.alarms

            def unacked() -> list[Alarm]:
                return [a for a in alarms.alarms() if a.id.startswith("site:") and a.blinking and a.active]

            await wait_for(lambda: unacked(), 60, "an alarm of the edge node, unacknowledged")
            alarm = unacked()[0]
            edge_id = alarm.id.removeprefix("site:")
            assert (alarm.tag, alarm.message, alarm.priority) == (
                "EM1.Voltage",
                "Supply voltage high",
                Priority.MEDIUM,
            )
            operator = log_in(host.security, "operator")
            assert alarms.acknowledge([alarm.id], operator, "seen on the station") == [alarm.id]
            await wait_for(lambda: alarms.alarm(alarm.id).acked, 10, "the edge node's acknowledgement")
            # The edge node's engine acknowledged it, and tells the hosts who did.
            said = [
                m.string_value
                for message in listener.of("DDATA", "_alarms")
                for m in Payload.FromString(message.payload).metrics
                if m.string_value.startswith("{")
            ]
            acts = [json.loads(text) for text in said]
            assert any(
                a["action"] == "acknowledge"
                and a["alarms"] == [edge_id]
                and a["comment"] == "acknowledged by operator at a Sparkplug host: seen on the station"
                for a in acts
            ), acts
        finally:
            await host.stop()
            edge.stop()

    asyncio.run(scenario())
