"""The engine against the real demo simulator on a free port: data, writes, loss and recovery."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from hmi.errors import WriteRefused
from hmi.opcua import ConnectionState
from hmi.project.model import Tag
from hmi.quality import COMM_FAILURE, NODE_UNKNOWN, Quality
from hmi.runtime import Runtime
from hmi.sim.server import SimulatorServer
from tests.support import demo_project, free_port, log_in, wait_for


@pytest.fixture
def port() -> int:
    return free_port()


def monitored_items(sim: SimulatorServer) -> int:
    """Items on the server: one per tag, plus the Alarms & Conditions event item of the connection."""
    subs = sim._server.iserver.subscription_service.subscriptions.values()
    return sum(len(s.monitored_item_srv._monitored_items) for s in subs)


def all_good(runtime: Runtime) -> bool:
    """Every tag of the plant (the demo's energy meter is a Modbus device these tests do not serve)."""
    return all(runtime.table.get(n).good for n in runtime.connections["plant"].tags)


def test_subscribed_values_arrive_with_quality_and_timestamp(tmp_path: Path, port: int):
    async def scenario():
        async with SimulatorServer(port=port):
            runtime = Runtime(demo_project(tmp_path, port), start_simulator=False)
            seen: list[float] = []
            runtime.table.subscribe(lambda n, s: n == "RC1.J1.Torque" and s.good and seen.append(s.value))
            await runtime.start()
            try:
                await wait_for(lambda: all_good(runtime), what="every tag Good")
                await wait_for(lambda: len(set(seen)) >= 3, what="torque to change")
                level = runtime.table.get("TK101.Level")
                assert 0 <= level.value <= 100
                assert abs(level.ts - time.time()) < 60  # the source timestamp, in epoch seconds (UTC)
                assert runtime.connections["plant"].status.state is ConnectionState.CONNECTED
            finally:
                await runtime.stop()

    asyncio.run(scenario())


def test_write_setpoint_reads_back_and_limits_refuse(tmp_path: Path, port: int):
    async def scenario():
        async with SimulatorServer(port=port) as sim:
            runtime = Runtime(demo_project(tmp_path, port), start_simulator=False)
            log_in(runtime.security, "operator", "tester")
            await runtime.start()
            try:
                await wait_for(lambda: runtime.table.get("FIC101.SP").good, what="SP Good")
                result = await runtime.write("FIC101.SP", "22.5", actor="tester")
                assert result.confirmed
                await wait_for(lambda: runtime.table.get("FIC101.SP").value == 22.5, what="SP change seen")
                assert sim.plant.values()["FIC101.SP"] == 22.5
                with pytest.raises(WriteRefused, match="outside the write limits 0..30"):
                    await runtime.write("FIC101.SP", 75, actor="tester")
                with pytest.raises(WriteRefused, match="read-only"):
                    await runtime.write("TK101.Level", 10, actor="tester")
                assert sim.plant.values()["FIC101.SP"] == 22.5
                # Booleans and integers travel in the node's own data type.
                assert (await runtime.write("P102.Cmd", True, actor="tester")).confirmed
                assert (await runtime.write("RC1.Fault.OverheatJoint", "3", actor="tester")).confirmed
                await wait_for(lambda: runtime.table.get("P102.Running").value is True, what="P102 running")
            finally:
                await runtime.stop()

    asyncio.run(scenario())


def test_unknown_node_is_reported_per_tag_and_not_fatal(tmp_path: Path, port: int):
    async def scenario():
        async with SimulatorServer(port=port):
            folder = demo_project(tmp_path, port)
            ghost = Tag(name="Ghost.PV", connection="plant", node="ns=2;s=Ghost.PV", writable=True)
            folder.project.tags.append(ghost)
            runtime = Runtime(folder, start_simulator=False)
            log_in(runtime.security, "operator", "tester")
            await runtime.start()
            try:
                await wait_for(lambda: runtime.table.get("TK101.Level").good, what="TK101.Level Good")
                ghost = runtime.table.get("Ghost.PV")
                assert ghost.quality is Quality.BAD
                assert ghost.reason == NODE_UNKNOWN
                assert "Ghost.PV" in runtime.connections["plant"].node_problems
                with pytest.raises(WriteRefused, match="not found"):
                    await runtime.write("Ghost.PV", 1.0, actor="tester")
            finally:
                await runtime.stop()

    asyncio.run(scenario())


def test_server_down_at_start_is_retried_until_it_comes(tmp_path: Path, port: int):
    async def scenario():
        runtime = Runtime(demo_project(tmp_path, port), start_simulator=False)
        await runtime.start()
        connection = runtime.connections["plant"]
        try:
            await wait_for(lambda: connection.status.state is ConnectionState.LOST, what="state lost")
            assert connection.status.retry_at is not None
            assert runtime.table.get("TK101.Level").reason == COMM_FAILURE
            async with SimulatorServer(port=port):
                await wait_for(lambda: all_good(runtime), timeout=15, what="Good after the server came up")
                assert connection.status.state is ConnectionState.CONNECTED
        finally:
            await runtime.stop()

    asyncio.run(scenario())


def test_server_restart_turns_tags_bad_then_good_with_one_subscription_each(tmp_path: Path, port: int):
    async def scenario():
        runtime = Runtime(demo_project(tmp_path, port), start_simulator=False)
        plant = runtime.connections["plant"].tags
        tags = len(plant)
        sim = SimulatorServer(port=port)
        await sim.start()
        await runtime.start()
        connection = runtime.connections["plant"]
        try:
            await wait_for(lambda: all_good(runtime), what="every tag Good")
            await wait_for(
                lambda: monitored_items(sim) == tags + 1, what="an item per tag and one for events"
            )
            await sim.stop()
            await wait_for(
                lambda: all(runtime.table.get(n).reason == COMM_FAILURE for n in plant),
                timeout=5,
                what="every tag Bad (comm failure) within 5 s",
            )
            assert connection.status.state is ConnectionState.LOST
            sim = SimulatorServer(port=port)
            await sim.start()
            await wait_for(lambda: all_good(runtime), timeout=20, what="every tag Good after restart")
            beats = {runtime.table.get("Sim.Heartbeat").value}
            await wait_for(
                lambda: beats.add(runtime.table.get("Sim.Heartbeat").value) or len(beats) >= 3,
                what="values flowing again",
            )
            assert connection.status.state is ConnectionState.CONNECTED
            await wait_for(lambda: monitored_items(sim) == tags + 1, what="no item twice after the restart")
        finally:
            await runtime.stop()
            await sim.stop()

    asyncio.run(scenario())


def test_deadband_holds_back_small_changes(tmp_path: Path, port: int):
    async def scenario():
        async with SimulatorServer(port=port):
            folder = demo_project(tmp_path, port)
            folder.project.tags.append(
                Tag(name="Quiet.Torque", connection="plant", node="ns=2;s=RC1.J1.Torque", deadband=10000)
            )
            runtime = Runtime(folder, start_simulator=False)
            counts = {"RC1.J1.Torque": 0, "Quiet.Torque": 0}
            runtime.table.subscribe(
                lambda n, s: n in counts and s.good and counts.__setitem__(n, counts[n] + 1)
            )
            await runtime.start()
            try:
                await wait_for(lambda: counts["RC1.J1.Torque"] >= 10, what="ten torque changes")
                assert counts["Quiet.Torque"] == 1  # the initial value only
            finally:
                await runtime.stop()

    asyncio.run(scenario())


def test_a_failing_status_listener_does_not_end_the_connection(tmp_path: Path, port: int):
    async def scenario():
        async with SimulatorServer(port=port):
            runtime = Runtime(demo_project(tmp_path, port), start_simulator=False)
            heard: list[ConnectionState] = []

            def broken(_status: object) -> None:
                raise RuntimeError("a defect in a view")

            runtime.connections["plant"].on_status(broken)
            runtime.connections["plant"].on_status(lambda status: heard.append(status.state))
            await runtime.start()
            try:
                await wait_for(lambda: all_good(runtime), what="every tag Good despite the failing listener")
                assert ConnectionState.CONNECTED in heard
            finally:
                await runtime.stop()

    asyncio.run(scenario())
