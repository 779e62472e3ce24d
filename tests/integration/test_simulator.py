"""The simulator served over OPC-UA, exercised with a real asyncua client in the same loop."""

from __future__ import annotations

import asyncio
import socket
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from asyncua import Client, ua

from hmi.sim.plant import TAGS
from hmi.sim.server import NAMESPACE_URI, SimulatorServer, load_tag_names

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def node(client: Client, name: str) -> Any:
    return client.get_node(ua.NodeId(name, 2))


async def eventually(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait until the condition holds, checking every 20 ms; fail after the timeout."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


class Recorder:
    """Subscription handler keeping every notified value per node id."""

    def __init__(self) -> None:
        self.values: dict[str, list[Any]] = defaultdict(list)

    def datachange_notification(self, node: Any, val: Any, data: Any) -> None:
        self.values[node.nodeid.Identifier].append(val)


async def subscribe(client: Client, names: list[str], interval_ms: int = 50) -> Recorder:
    recorder = Recorder()
    subscription = await client.create_subscription(interval_ms, recorder)
    await subscription.subscribe_data_change([node(client, n) for n in names], queuesize=10)
    return recorder


def test_typed_tags_in_namespace_2_then_a_restart_on_the_same_port_in_load_mode() -> None:
    async def scenario() -> None:
        port = free_port()
        async with SimulatorServer(port=port) as sim, Client(sim.endpoint) as client:
            assert (await client.get_namespace_array()).index(NAMESPACE_URI) == 2
            nodes = [node(client, t.name) for t in TAGS]
            datatypes = await client.read_attributes(nodes, ua.AttributeIds.DataType)
            for tag, datatype in zip(TAGS, datatypes, strict=True):
                assert datatype.Value.Value == ua.NodeId(getattr(ua.ObjectIds, tag.dtype)), tag.name
            values = await client.read_values(nodes)
            expected = {"Double": float, "Boolean": bool, "Int32": int, "String": str}
            assert all(type(v) is expected[t.dtype] for t, v in zip(TAGS, values, strict=True))

            level = await client.nodes.objects.get_child(["2:DemoPlant", "2:TK101", "2:Level"])
            assert level.nodeid == ua.NodeId("TK101.Level", 2)
            eu_range = await level.get_child("2:EURange")
            assert await eu_range.read_value() == ua.Range(0.0, 100.0)

            access = await client.read_attributes(nodes, ua.AttributeIds.UserAccessLevel)
            for tag, level_value in zip(TAGS, access, strict=True):
                writable = bool(level_value.Value.Value & ua.AccessLevel.CurrentWrite.mask)
                assert writable == tag.writable, tag.name
            with pytest.raises(ua.UaStatusCodeError):
                await node(client, "TK101.Level").write_value(10.0)

        # stop() has freed the port: a new server, in load mode this time, binds it at once and serves.
        names = load_tag_names(500)
        sim = SimulatorServer(port=port, load_tags=500, load_rate=5.0)
        async with sim, Client(sim.endpoint) as client:
            assert await node(client, "RC1.State").read_value() == "Running"
            seen = await subscribe(client, names, interval_ms=100)
            await eventually(lambda: all(len(set(seen.values[n])) >= 4 for n in names), timeout=10)
            assert all(type(seen.values[n][-1]) is float for n in names)

    asyncio.run(scenario())


def test_load_tag_names_are_zero_padded() -> None:
    assert load_tag_names(3) == ["Load.T00000", "Load.T00001", "Load.T00002"]
    assert load_tag_names(10_000)[-1] == "Load.T09999"


def test_values_move_and_writes_reach_the_plant() -> None:
    async def scenario() -> None:
        async with SimulatorServer(port=free_port(), step_s=0.05) as sim, Client(sim.endpoint) as client:
            names = ["TK101.Level", "FIC101.OP", "P102.Running", "P101.Reset", "RC1.Fault.TorqueSpikeJoint"]
            seen = await subscribe(client, names)
            await eventually(lambda: len(set(seen.values["TK101.Level"])) >= 3)

            await node(client, "FIC101.SP").write_value(25.0)
            assert sim.plant.fic.sp == 25.0
            assert await node(client, "FIC101.SP").read_value() == 25.0
            start_op = seen.values["FIC101.OP"][-1]
            await eventually(lambda: seen.values["FIC101.OP"][-1] > start_op + 10)

            await node(client, "P102.Cmd").write_value(True)
            await eventually(lambda: seen.values["P102.Running"][-1] is True)

            await node(client, "P101.Reset").write_value(True)
            await eventually(lambda: seen.values["P101.Reset"][-2:] == [True, False])

            await node(client, "RC1.Fault.TorqueSpikeJoint").write_value(ua.Variant(4, ua.VariantType.Int32))
            await eventually(lambda: seen.values["RC1.Fault.TorqueSpikeJoint"][-2:] == [4, 0])

            joint = node(client, "RC1.Fault.OverheatJoint")
            await joint.write_value(ua.Variant(9, ua.VariantType.Int32))  # no joint 9: the plant refuses it
            assert sim.plant.robot.overheat_joint == 0
            async with asyncio.timeout(5):
                while await joint.read_value() != 0:  # the plant's value is written back
                    await asyncio.sleep(0.02)

    asyncio.run(scenario())


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGTERM")
def test_cli_serves_with_a_fault_and_exits_cleanly_on_sigterm() -> None:
    script = (
        "import argparse, sys\n"
        "from hmi.sim import cli\n"
        "parser = argparse.ArgumentParser()\n"
        "cli.add_arguments(parser)\n"
        "sys.exit(cli.run(parser.parse_args(sys.argv[1:])))\n"
    )
    port = free_port()

    async def scenario() -> None:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-c", script, "--port", str(port), "--fault", "overheat:3",
            cwd=REPO, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            assert proc.stdout is not None and proc.stderr is not None
            async with asyncio.timeout(20):
                line = (await proc.stdout.readline()).decode()
            assert f"opc.tcp://127.0.0.1:{port}" in line
            async with Client(f"opc.tcp://127.0.0.1:{port}") as client:
                assert await node(client, "RC1.Fault.OverheatJoint").read_value() == 3
            proc.terminate()
            async with asyncio.timeout(10):
                assert await proc.wait() == 0
            assert "Traceback" not in (await proc.stderr.read()).decode()
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()

    asyncio.run(scenario())
