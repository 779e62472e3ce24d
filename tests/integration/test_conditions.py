"""OPC-UA Alarms & Conditions from the real simulator: raised, acked on the server, cleared, journaled."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml
from asyncua import Server, ua

from hmi.alarms import AlarmState, Priority
from hmi.opcua import ConnectionState
from hmi.project import load_project
from hmi.runtime import Runtime
from hmi.sim.server import SimulatorServer
from hmi.storage.sqlite import SqliteStorage
from tests.support import demo_project, free_port, log_in, wait_for

OVERTEMP = "plant:nsu=urn:openhmi:demo-plant;s=RC1.OverTemp"
"""Keyed by the condition's own node id, by namespace URI."""
URI = "urn:openhmi:test:many-tags"
J3 = 2  # index of joint 3 in the plant model


@pytest.fixture
def port() -> int:
    return free_port()


def state(runtime: Runtime) -> AlarmState | None:
    found = [a for a in runtime.alarms.alarms() if a.id == OVERTEMP]
    return found[0].state if found else None


def overheat(sim: SimulatorServer, extra_c: float) -> None:
    """Set joint 3's injected overheat directly: nominal 45 °C + 31 is past the 75 °C raise limit."""
    sim.plant.robot.joints[J3].overheat = extra_c


def test_condition_appears_is_acknowledged_on_the_server_and_clears(tmp_path: Path, port: int):
    async def scenario():
        async with SimulatorServer(port=port) as sim:
            runtime = Runtime(
                demo_project(tmp_path, port), start_simulator=False, storage=SqliteStorage(tmp_path / "h.db")
            )
            log_in(runtime.security, "operator", "alice")
            await runtime.start()
            try:
                await wait_for(lambda: runtime.table.get("RC1.J3.Temp").good, what="RC1.J3.Temp Good")
                assert state(runtime) is None
                overheat(sim, 31.0)
                await wait_for(lambda: state(runtime) is AlarmState.UNACK_ACTIVE, 5, "OverTemp raised")
                alarm = runtime.alarms.alarm(OVERTEMP)
                assert alarm.priority is Priority.CRITICAL and alarm.tag == "RC1"
                assert alarm.message.startswith("RC1 joint 3 over temperature: 7")
                assert runtime.alarms.unacked_counts()[Priority.CRITICAL] >= 1

                assert runtime.alarms.acknowledge([OVERTEMP], "alice", "checked") == [OVERTEMP]
                server_side = sim.conditions.overtemp
                await wait_for(lambda: state(runtime) is AlarmState.ACK_ACTIVE, 5, "OverTemp acknowledged")
                assert (server_side.active, server_side.acked, server_side.comment) == (True, True, "checked")

                overheat(sim, 0.0)
                await wait_for(lambda: state(runtime) is None, 5, "OverTemp back to normal")
                assert not server_side.active
                assert runtime.alarms.alarm(OVERTEMP).state is AlarmState.NORMAL
            finally:
                await runtime.stop()
            rows = sorted(runtime.journal.search(text=OVERTEMP), key=lambda e: e.ts)
            assert [(e.old_state, e.new_state, e.actor, e.comment) for e in rows] == [
                ("normal", "unack_active", "system", ""),
                ("unack_active", "ack_active", "alice", "checked"),
                ("ack_active", "normal", "system", ""),
            ]
            assert rows[-1].message == "RC1 joints back below 72 °C"

    asyncio.run(scenario())


def test_condition_cleared_while_disconnected_returns_to_normal_after_refresh(tmp_path: Path, port: int):
    async def scenario():
        sim = SimulatorServer(port=port)
        await sim.start()
        runtime = Runtime(
            demo_project(tmp_path, port), start_simulator=False, storage=SqliteStorage(tmp_path / "h.db")
        )
        await runtime.start()
        connection = runtime.connections["plant"]
        try:
            overheat(sim, 31.0)
            await wait_for(lambda: state(runtime) is AlarmState.UNACK_ACTIVE, 10, "OverTemp raised")
            await sim.stop()
            await wait_for(lambda: connection.status.state is ConnectionState.LOST, 10, "connection lost")
            assert state(runtime) is AlarmState.UNACK_ACTIVE  # kept as last known until the server answers
            sim = SimulatorServer(port=port)  # a restarted server whose robot is cool again
            await sim.start()
            await wait_for(lambda: state(runtime) is None, 20, "OverTemp dropped after the refresh")
        finally:
            await runtime.stop()
            await sim.stop()
        rows = sorted(runtime.journal.search(text=OVERTEMP), key=lambda e: e.ts)
        assert [(e.new_state, e.actor, e.comment) for e in rows] == [
            ("unack_active", "system", ""),
            ("normal", "system", "no longer reported by the server"),
        ]

    asyncio.run(scenario())


def test_a_server_that_refuses_event_items_leaves_every_one_of_hundreds_of_tags_flowing(
    tmp_path: Path, port: int
):
    """asyncua numbers its own event items from 201: with our tags numbered 1..N, a server that
    refuses the event item (its Server object sends no events) took the 201st tag's item with it,
    and that tag showed its last value for good. The subscription numbers every item itself: the
    condition item and the plain event item, both refused here."""
    names = [f"T{i:03d}" for i in range(260)]
    project = {
        "name": "Many tags",
        "start_screen": "main",
        "connections": {
            "plc": {"endpoint": f"opc.tcp://127.0.0.1:{port}", "conditions": True, "events": True}
        },
        "tags": [{"name": n, "connection": "plc", "node": f"nsu={URI};s={n}"} for n in names],
    }
    (tmp_path / "p" / "screens").mkdir(parents=True)
    (tmp_path / "p" / "project.yaml").write_text(yaml.safe_dump(project), encoding="utf-8")
    screen = {"title": "Main", "items": [{"type": "value", "at": [0, 0], "bind": {"value": names[0]}}]}
    (tmp_path / "p" / "screens" / "main.yaml").write_text(yaml.safe_dump(screen), encoding="utf-8")

    async def scenario():
        server = Server()
        await server.init()
        server.set_endpoint(f"opc.tcp://127.0.0.1:{port}")
        ns = await server.register_namespace(URI)
        objects = await server.nodes.objects.add_object(ns, "Plc")
        nodes = [await objects.add_variable(ua.NodeId(n, ns), n, 0.0) for n in names]
        await server.nodes.server.write_attribute(
            ua.AttributeIds.EventNotifier, ua.DataValue(ua.Variant(0, ua.VariantType.Byte))
        )
        async with server:
            runtime = Runtime(
                load_project(tmp_path / "p"), start_simulator=False, storage=SqliteStorage(tmp_path / "h.db")
            )
            await runtime.start()
            try:
                for step in range(1, 4):
                    for node in nodes:
                        await node.write_value(float(step))
                    await wait_for(
                        lambda s=step: all(runtime.table.get(n).value == s for n in names), 10, f"step {step}"
                    )
                assert all(runtime.table.get(n).good for n in names)
                events = runtime.connections["plc"].events
                assert events is not None and not events.listening
            finally:
                await runtime.stop()

    asyncio.run(scenario())


def test_a_server_event_of_its_own_type_is_journaled_under_that_type_name(tmp_path: Path, port: int):
    """A type the server defines (not in namespace 0) is named by its browse name, read once; events
    of any type arriving while it is read keep their order."""
    project = {
        "name": "Events",
        "start_screen": "main",
        "connections": {"plc": {"endpoint": f"opc.tcp://127.0.0.1:{port}", "events": True}},
        "tags": [{"name": "T", "connection": "plc", "node": f"nsu={URI};s=T"}],
    }
    (tmp_path / "p" / "screens").mkdir(parents=True)
    (tmp_path / "p" / "project.yaml").write_text(yaml.safe_dump(project), encoding="utf-8")
    screen = {"title": "Main", "items": [{"type": "value", "at": [0, 0], "bind": {"value": "T"}}]}
    (tmp_path / "p" / "screens" / "main.yaml").write_text(yaml.safe_dump(screen), encoding="utf-8")

    async def scenario():
        server = Server()
        await server.init()
        server.set_endpoint(f"opc.tcp://127.0.0.1:{port}")
        ns = await server.register_namespace(URI)
        objects = await server.nodes.objects.add_object(ns, "Plc")
        await objects.add_variable(ua.NodeId("T", ns), "T", 0.0)
        trip = await server.create_custom_event_type(ns, "PumpTripEventType", ua.ObjectIds.BaseEventType)
        custom = await server.get_event_generator(trip, server.nodes.server)
        plain = await server.get_event_generator(ua.ObjectIds.SystemEventType, server.nodes.server)
        async with server:
            runtime = Runtime(
                load_project(tmp_path / "p"), start_simulator=False, storage=SqliteStorage(tmp_path / "h.db")
            )
            heard = []
            runtime.events.arrived.connect(heard.append)
            await runtime.start()
            try:
                events = runtime.connections["plc"].events
                await wait_for(lambda: events is not None and events.listening, 10, "the event item")
                for generator, source, message in (
                    (custom, "P-101", "Tripped on overload"),
                    (custom, "P-102", "Tripped on dry run"),
                    (plain, "Server", "Backup done"),
                ):
                    generator.event.SourceName, generator.event.Severity = source, 700
                    await generator.trigger(message=message)
                await wait_for(lambda: len(heard) == 3, 10, "three events")
            finally:
                await runtime.stop()
        assert [(e.event_type, e.source, e.message) for e in heard] == [
            ("PumpTripEventType", "P-101", "Tripped on overload"),
            ("PumpTripEventType", "P-102", "Tripped on dry run"),
            ("SystemEventType", "Server", "Backup done"),
        ]
        assert runtime.journal.search_events(text="pumptrip") == heard[1::-1]

    asyncio.run(scenario())
