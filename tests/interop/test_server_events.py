"""Plain server events from a stack we did not write (node-opcua): journaled with their source,
severity and type, and never mixed with the conditions, which stay in the alarm list."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from hmi.alarms import AlarmState, Priority
from hmi.alarms.server_events import ServerEvent
from hmi.opcua import Connection
from hmi.runtime import Runtime
from tests.support import free_port, log_in, wait_for

from .servers import PLANT_NS, NodePlant, plant_project

pytestmark = pytest.mark.usefixtures("node_opcua")


def test_a_plain_event_is_journaled_and_announced_and_conditions_are_not_events(tmp_path: Path):
    async def scenario():
        with NodePlant(free_port(), tmp_path / "pki") as plant:
            folder = plant_project(tmp_path / "project", plant.endpoint, conditions=True, events=True)
            runtime = Runtime(folder, start_simulator=False)
            heard: list[ServerEvent] = []
            runtime.events.arrived.connect(heard.append)
            await runtime.start()
            try:
                log_in(runtime.security, "operator", "op")
                connection = runtime.connections["plant"]
                assert isinstance(connection, Connection) and connection.events is not None
                await wait_for(lambda: connection.events.listening, 10, "the event item")
                await wait_for(lambda: runtime.table.get("TankLevel").good, 10, "TankLevel Good")

                plant.raise_event("Pump7", 700, "Motor overload trip")
                await wait_for(lambda: len(heard) == 1, 10, "the event")
                await runtime.write("TankLevel", "85", actor="op")  # raises both limit alarms of Tank
                tank = {f"plant:nsu={PLANT_NS};s=Tank.{k}" for k in ("Exclusive", "NonExclusive")}
                raised = lambda: {a.id for a in runtime.alarms.alarms() if a.state is AlarmState.UNACK_ACTIVE}  # noqa: E731
                await wait_for(lambda: tank <= raised(), 10, "both tank alarms")
                plant.raise_event("Dryer", 90, "Filter cleaned")
                await wait_for(lambda: len(heard) == 2, 10, "the second event")
                assert runtime.journal.flush()
                journaled = runtime.journal.search_events()
            finally:
                await runtime.stop()
        assert journaled == heard[::-1]  # newest first, and nothing but the two plain events
        overload = heard[0]
        assert (overload.connection, overload.source, overload.severity, overload.message) == (
            "plant",
            "Pump7",
            700,
            "Motor overload trip",
        )
        assert (overload.priority, overload.event_type) == (Priority.HIGH.value, "SystemEventType")
        assert heard[1].priority == Priority.LOW.value
        assert runtime.journal.search_events(text="overload") == [overload]
        assert runtime.journal.search_events(priorities=[Priority.LOW]) == [heard[1]]

    asyncio.run(scenario())


def test_a_server_that_refuses_the_event_items_keeps_every_tag_flowing(tmp_path: Path):
    """node-opcua refusing event filters of more fields than it allows (both our event items): every
    tag goes on changing."""

    async def scenario():
        with NodePlant(free_port(), tmp_path / "pki", max_select=3) as plant:
            folder = plant_project(tmp_path / "project", plant.endpoint, conditions=True, events=True)
            runtime = Runtime(folder, start_simulator=False)
            await runtime.start()
            try:
                connection = runtime.connections["plant"]
                assert isinstance(connection, Connection) and connection.events is not None
                values = []
                runtime.table.subscribe(
                    lambda name, s: name == "Counter" and s.good and values.append(s.value)
                )
                await wait_for(lambda: len(set(values)) >= 5, 10, "Counter changing")
                assert not connection.events.listening
                assert all(runtime.table.get(t).good for t in ("Level", "Setpoint", "TankLevel"))
            finally:
                await runtime.stop()

    asyncio.run(scenario())
