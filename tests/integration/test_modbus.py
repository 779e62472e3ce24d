"""The Modbus TCP source against a real pymodbus server on 127.0.0.1: types, scaling, polling
groups, per-tag errors, writes read back, loss and reconnect."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import yaml
from pymodbus.server import ModbusTcpServer
from pymodbus.simulator import DataType, SimData, SimDevice

from hmi.errors import WriteRefused
from hmi.modbus.address import decode, encode, parse
from hmi.project import load_project
from hmi.quality import COMM_FAILURE, Quality
from hmi.runtime import Runtime
from hmi.sources import ConnectionState
from tests.support import free_port, log_in, wait_for

HOLDING, INPUT, COILS = 3, 4, 1
"""Function codes whose table the server's setValues writes."""

TAGS: list[dict[str, Any]] = [
    {"name": "M.I16", "node": "hr0:int16", "type": "Int16", "writable": True},
    {"name": "M.U16", "node": "hr1:uint16", "type": "UInt16"},
    {"name": "M.I32", "node": "hr2:int32:wordswap", "type": "Int32"},
    {"name": "M.U32", "node": "hr4:uint32", "type": "UInt32"},
    {"name": "M.I64", "node": "hr6:int64:little", "type": "Int64"},
    {"name": "M.F32", "node": "hr10:float32:byteswap", "type": "Float", "writable": True},
    {"name": "M.F64", "node": "hr12:float64", "type": "Double"},
    {"name": "M.Scaled", "node": "hr16:uint16", "type": "Double", "scale": [0.1, -20], "writable": True},
    {"name": "M.Volts", "node": "ir0:float32", "type": "Double", "units": "V"},
    {"name": "M.Slow", "node": "ir2:uint16", "type": "UInt16", "group": "slow"},
    {"name": "M.Fast", "node": "ir3:uint16", "type": "UInt16", "group": "fast"},
    {"name": "M.Run", "node": "co0", "type": "Boolean", "writable": True},
    {"name": "M.Healthy", "node": "di1", "type": "Boolean"},
]
INITIAL = {
    "M.I16": -1234,
    "M.U16": 65000,
    "M.I32": -70000,
    "M.U32": 4_000_000_000,
    "M.I64": -(2**40),
    "M.F32": 1.5,
    "M.F64": 3.141592653589793,
    "M.Volts": 230.5,
    "M.Slow": 1,
    "M.Fast": 1,
}


class Device:
    """A pymodbus server with 20 holding registers, 10 input registers, 8 coils and 8 discrete
    inputs of unit 1; any other address is answered 'illegal data address'."""

    def __init__(self, port: int):
        self.port = port
        self.server: ModbusTcpServer | None = None

    async def start(self) -> None:
        bits = [SimData(0, count=8, values=False, datatype=DataType.BITS)]
        inputs = [SimData(0, count=8, values=True, datatype=DataType.BITS)]
        holding = [SimData(0, count=20, values=0, datatype=DataType.REGISTERS)]
        registers = [SimData(0, count=10, values=0, datatype=DataType.REGISTERS)]
        device = SimDevice(id=1, simdata=(bits, inputs, holding, registers))
        self.server = ModbusTcpServer(device, address=("127.0.0.1", self.port))
        await self.server.serve_forever(background=True)
        for tag in TAGS:
            if tag["name"] in INITIAL:
                await self.set(tag["node"], INITIAL[tag["name"]])
        await self.set("hr16:uint16", 250)  # 250 x 0.1 - 20 = 5.0

    async def stop(self) -> None:
        if self.server is not None:
            await self.server.shutdown()
            self.server = None

    async def set(self, node: str, value: int | float) -> None:
        address = parse(node)
        code = HOLDING if address.table == "hr" else INPUT
        assert self.server is not None
        await self.server.async_setValues(1, code, address.number, encode(value, address))

    async def registers(self, node: str) -> int | float:
        address = parse(node)
        assert self.server is not None
        values = await self.server.async_getValues(1, HOLDING, address.number, address.count)
        return decode([int(v) for v in values], address)

    async def coil(self, number: int) -> bool:
        assert self.server is not None
        return bool((await self.server.async_getValues(1, COILS, number, 1))[0])


def meter_project(root: Path, port: int, extra: list[dict[str, Any]] = ()) -> Any:
    connection = {
        "kind": "modbus",
        "host": "127.0.0.1",
        "port": port,
        "poll_ms": 200,
        "timeout_s": 1,
        "groups": {"fast": {"rate_ms": 100}, "slow": {"rate_ms": 60000}},
    }
    project = {
        "name": "Meter",
        "start_screen": "main",
        "connections": {"meter": connection},
        "tags": [{**t, "connection": "meter"} for t in [*TAGS, *extra]],
    }
    root.mkdir(parents=True, exist_ok=True)
    (root / "project.yaml").write_text(yaml.safe_dump(project, sort_keys=False), encoding="utf-8")
    (root / "screens").mkdir(exist_ok=True)
    screen = {"title": "Main", "items": [{"type": "value", "at": [0, 0], "bind": {"value": "M.Volts"}}]}
    (root / "screens" / "main.yaml").write_text(yaml.safe_dump(screen), encoding="utf-8")
    return load_project(root)


@pytest.fixture
def port() -> int:
    return free_port()


def good(runtime: Runtime, names: list[str]) -> bool:
    return all(runtime.table.get(n).good for n in names)


GOOD_TAGS = [t["name"] for t in TAGS]


def test_values_of_every_type_order_and_scale_arrive_good(tmp_path: Path, port: int):
    async def scenario():
        device = Device(port)
        await device.start()
        runtime = Runtime(meter_project(tmp_path / "p", port), start_simulator=False)
        await runtime.start()
        try:
            await wait_for(lambda: good(runtime, GOOD_TAGS), what="every Modbus tag Good")
            values = {n: runtime.table.get(n).value for n in GOOD_TAGS}
            for name, expected in INITIAL.items():
                assert values[name] == pytest.approx(expected), name
            assert values["M.Scaled"] == pytest.approx(5.0)
            assert values["M.Run"] is False and values["M.Healthy"] is True
            assert runtime.connections["meter"].status.state is ConnectionState.CONNECTED
        finally:
            await runtime.stop()
            await device.stop()

    asyncio.run(scenario())


def test_an_illegal_address_is_bad_for_that_tag_only(tmp_path: Path, port: int):
    async def scenario():
        device = Device(port)
        await device.start()
        extra = [
            {"name": "M.Missing", "node": "hr500:float32", "type": "Double", "writable": True},
            {"name": "M.Beside", "node": "hr18:uint16", "type": "UInt16"},
        ]
        runtime = Runtime(meter_project(tmp_path / "p", port, extra), start_simulator=False)
        log_in(runtime.security)
        await runtime.start()
        try:
            await wait_for(lambda: good(runtime, [*GOOD_TAGS, "M.Beside"]), what="the others Good")
            missing = runtime.table.get("M.Missing")
            assert missing.quality is Quality.BAD and "illegal data address" in missing.reason
            assert "illegal data address" in runtime.connections["meter"].node_problems["M.Missing"]
            with pytest.raises(WriteRefused, match="illegal data address"):
                await runtime.write("M.Missing", 1.0, actor="operator")
        finally:
            await runtime.stop()
            await device.stop()

    asyncio.run(scenario())


def test_writes_are_sent_in_the_registers_encoding_and_read_back(tmp_path: Path, port: int):
    async def scenario():
        device = Device(port)
        await device.start()
        runtime = Runtime(meter_project(tmp_path / "p", port), start_simulator=False)
        log_in(runtime.security)
        await runtime.start()
        try:
            await wait_for(lambda: good(runtime, GOOD_TAGS), what="every Modbus tag Good")
            result = await runtime.write("M.F32", "2.25", actor="operator")
            assert result.confirmed and result.read_back == 2.25
            assert await device.registers("hr10:float32:byteswap") == 2.25
            assert (await runtime.write("M.Scaled", 7.5, actor="operator")).confirmed
            assert await device.registers("hr16:uint16") == 275  # (7.5 + 20) / 0.1
            assert (await runtime.write("M.Run", True, actor="operator")).confirmed
            assert await device.coil(0) is True
            with pytest.raises(WriteRefused, match="outside int16"):
                await runtime.connections["meter"]._write("M.I16", 40000)
            await wait_for(lambda: runtime.table.get("M.F32").value == 2.25, what="the poll to show it")
        finally:
            await runtime.stop()
            await device.stop()

    asyncio.run(scenario())


def test_each_polling_group_is_read_at_its_own_rate(tmp_path: Path, port: int):
    async def scenario():
        device = Device(port)
        await device.start()
        runtime = Runtime(meter_project(tmp_path / "p", port), start_simulator=False)
        await runtime.start()
        try:
            await wait_for(lambda: good(runtime, GOOD_TAGS), what="every Modbus tag Good")
            await device.set("ir2:uint16", 2)
            await device.set("ir3:uint16", 2)
            await wait_for(lambda: runtime.table.get("M.Fast").value == 2, what="the fast group")
            await wait_for(lambda: runtime.table.get("M.Volts").value is not None, what="the default group")
            assert runtime.table.get("M.Slow").value == 1  # read once a minute: not yet again
        finally:
            await runtime.stop()
            await device.stop()

    asyncio.run(scenario())


def test_a_lost_device_turns_every_tag_bad_and_the_source_reconnects(tmp_path: Path, port: int):
    async def scenario():
        device = Device(port)
        await device.start()
        runtime = Runtime(meter_project(tmp_path / "p", port), start_simulator=False)
        source = runtime.connections["meter"]
        states: list[ConnectionState] = []
        source.on_status(lambda status: states.append(status.state))
        await runtime.start()
        try:
            await wait_for(lambda: good(runtime, GOOD_TAGS), what="every Modbus tag Good")
            await device.stop()
            await wait_for(lambda: source.status.state is ConnectionState.LOST, what="the loss seen")
            assert all(runtime.table.get(n).reason == COMM_FAILURE for n in GOOD_TAGS)
            assert source.status.retry_at is not None and source.status.detail.startswith("modbus://")
            await device.start()
            await wait_for(lambda: good(runtime, GOOD_TAGS), 20, "values back after the restart")
            assert source.status.state is ConnectionState.CONNECTED
            assert source.counters().reconnects >= 1
            assert states[:2] == [ConnectionState.CONNECTING, ConnectionState.CONNECTED]
        finally:
            await runtime.stop()
            await device.stop()

    asyncio.run(scenario())


def test_a_device_not_there_at_start_is_retried_with_backoff(tmp_path: Path, port: int):
    async def scenario():
        runtime = Runtime(meter_project(tmp_path / "p", port), start_simulator=False)
        source = runtime.connections["meter"]
        await runtime.start()
        device = Device(port)
        try:
            await wait_for(lambda: source.status.state is ConnectionState.LOST, what="the first refusal")
            assert "refused" in source.status.detail
            await device.start()
            await wait_for(lambda: good(runtime, GOOD_TAGS), 20, "values once the device is up")
        finally:
            await runtime.stop()
            await device.stop()

    asyncio.run(scenario())
