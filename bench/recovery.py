"""How soon values flow again after a server of another stack (node-opcua) is paused or restarted.

    python bench/recovery.py            # pauses of 5, 15 and 60 s, then 3 restarts
    python bench/recovery.py --quick    # pauses of 5 and 15 s, 1 restart

For each event: seconds from the server resuming (or listening again) to the first new value of a
node that changes 10 times a second, for the engine and, as the baseline in the same run, raw
asyncua with its own auto_reconnect. 'never' means nothing came within the wait (40 s).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from asyncua import Client, ua  # noqa: E402

from hmi.runtime import Runtime  # noqa: E402
from tests.interop.servers import PLANT_NS, NodePlant, plant_project  # noqa: E402
from tests.support import free_port  # noqa: E402

WAIT_S = 40.0


class Arrivals:
    """Monotonic times at which a new Counter value arrived."""

    def __init__(self) -> None:
        self.times: list[float] = []

    def add(self) -> None:
        self.times.append(time.monotonic())

    async def first_after(self, start: float) -> float | None:
        deadline = start + WAIT_S
        while time.monotonic() < deadline:
            later = [t for t in self.times if t > start]
            if later:
                return later[0] - start
            await asyncio.sleep(0.02)
        return None


class RawHandler:
    def __init__(self, arrivals: Arrivals):
        self.arrivals = arrivals

    def datachange_notification(self, node: Any, value: Any, data: Any) -> None:
        self.arrivals.add()


async def raw_client(plant: NodePlant, arrivals: Arrivals) -> Client:
    client = Client(plant.endpoint, timeout=4)
    await client.connect(auto_reconnect=True)
    index = await client.get_namespace_index(PLANT_NS)
    sub = await client.create_subscription(100, RawHandler(arrivals))
    await sub.subscribe_data_change(client.get_node(ua.NodeId("Counter", index)))
    return client


async def measure(pauses: list[int], restarts: int) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp())
    port = free_port()
    plant = NodePlant(port, tmp / "pki").start()
    engine, raw = Arrivals(), Arrivals()
    runtime = Runtime(plant_project(tmp / "project", plant.endpoint), start_simulator=False)
    runtime.table.subscribe(lambda name, s: name == "Counter" and s.good and engine.add())
    await runtime.start()
    client = await raw_client(plant, raw)
    results: dict[str, Any] = {}
    try:
        await asyncio.sleep(3)  # both running
        for pause in pauses:
            plant.pause()
            await asyncio.sleep(pause)  # the pause being measured
            plant.resume()
            resumed = time.monotonic()
            results[f"pause_{pause}s"] = await _both(engine, raw, resumed)
            print(f"pause {pause:3d} s: {_text(results[f'pause_{pause}s'])}")
        for n in range(restarts):
            plant.kill()
            await asyncio.sleep(2)
            plant = NodePlant(port, tmp / "pki", namespaces_before=n + 1).start()
            listening = time.monotonic()
            results[f"restart_{n + 1}"] = await _both(engine, raw, listening)
            print(f"restart {n + 1}: {_text(results[f'restart_{n + 1}'])} (namespace moved by {n + 1})")
    finally:
        await runtime.stop()
        with_timeout = asyncio.wait_for(client.disconnect(), 5)
        await asyncio.gather(with_timeout, return_exceptions=True)
        plant.kill()
    return results


async def _both(engine: Arrivals, raw: Arrivals, start: float) -> dict[str, float | None]:
    found = await asyncio.gather(engine.first_after(start), raw.first_after(start))
    return {"engine_s": found[0], "raw_asyncua_s": found[1]}


def _text(result: dict[str, float | None]) -> str:
    def one(value: float | None) -> str:
        return "never" if value is None else f"{value:5.2f} s"

    return f"engine {one(result['engine_s'])}, raw asyncua {one(result['raw_asyncua_s'])}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="pauses of 5 and 15 s, one restart")
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)  # asyncua's reconnect tracebacks are not the figures
    pauses, restarts = ([5, 15], 1) if args.quick else ([5, 15, 60], 3)
    results = asyncio.run(measure(pauses, restarts))
    print(json.dumps({"bench": "recovery", "stack": "node-opcua", **results}))


if __name__ == "__main__":
    main()
