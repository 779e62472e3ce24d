"""OPC-UA HistoryRead from a real asyncua server, in the same sample shape as the local history."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

from asyncua import Client, Server, ua

from hmi.history.opcua_source import read_opcua_history
from hmi.quality import Quality
from tests.support import free_port

T0 = float(int(time.time()) - 600)
WRITES = [
    (0.0, 10.5, ua.StatusCodes.Good),
    (1.5, 11.0, ua.StatusCodes.Good),
    (2.0, 11.0, ua.StatusCodes.BadCommunicationError),
    (4.25, 12.0, ua.StatusCodes.UncertainLastUsableValue),
]


def data_value(dt: float, value: float, status: int) -> ua.DataValue:
    stamp = datetime.fromtimestamp(T0 + dt, UTC)
    return ua.DataValue(
        ua.Variant(value, ua.VariantType.Double),
        ua.StatusCode(status),
        SourceTimestamp=stamp,
        ServerTimestamp=stamp,
    )


def test_raw_history_of_a_node_reads_into_local_samples():
    async def scenario() -> None:
        url = f"opc.tcp://127.0.0.1:{free_port()}/"
        server = Server()
        await server.init()
        server.set_endpoint(url)
        idx = await server.register_namespace("urn:openhmi:test")
        level = await server.nodes.objects.add_variable(idx, "TK101.Level", 0.0)
        async with server:
            await server.historize_node_data_change(level, period=None)
            async with Client(url) as client:
                node = client.get_node(level.nodeid)
                for i, write in enumerate(WRITES):
                    await level.write_value(data_value(*write))
                    await until_history_has(node, i + 1)
                samples = await read_opcua_history(node, T0, T0 + 60)
                assert samples == [
                    (T0, 10.5, Quality.GOOD),
                    (T0 + 1.5, 11.0, Quality.GOOD),
                    (T0 + 2.0, None, Quality.BAD),
                    (T0 + 4.25, 12.0, Quality.UNCERTAIN),
                ]
                assert await read_opcua_history(node, T0 + 1, T0 + 3) == samples[1:3]

    asyncio.run(scenario())


async def until_history_has(node, count: int, timeout: float = 5.0) -> None:
    """Each write must reach the server's history before the next, or its subscription may merge them."""
    deadline = time.monotonic() + timeout
    while len(await read_opcua_history(node, T0 - 1, T0 + 60)) < count:
        assert time.monotonic() < deadline, f"the server's history did not reach {count} values"
        await asyncio.sleep(0.02)
