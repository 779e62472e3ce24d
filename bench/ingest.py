"""Ingest benchmark: changes/s from an OPC-UA server into the tag table and its observers.

The simulator runs in its own process in load mode (N tags, each changing at RATE Hz). In the same
run, this process subscribes to the same tags three ways, one after the other, several rounds:
  raw      asyncua Client with a no-op callback handler (asyncua's documented handler API)
  raw_iter asyncua Client in iterator mode with a no-op consumer (the API the engine uses)
  engine   OpenHMI's Connection -> TagTable -> an observer like the UI bridge's
Each prints changes/s and client CPU seconds per 100,000 changes (the server is usually the limit,
so CPU is the fairer judge). Ends with one JSON line of every figure.

    python bench/ingest.py            # 10,000 tags at 1 Hz, 5 rounds of 15 s
    python bench/ingest.py --quick    # under 60 s
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psutil
from asyncua import Client

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hmi.opcua import Connection  # noqa: E402
from hmi.project.model import Connection as ConnectionConfig  # noqa: E402
from hmi.project.model import Tag  # noqa: E402
from hmi.sim.server import load_tag_names  # noqa: E402
from hmi.tags import TagTable  # noqa: E402

PUBLISH_MS = 500
WATCHDOG_S = 5.0
"""Both clients probe the server this rarely, so a stall of the shared 2-core machine is not a disconnect."""


class Counter:
    """Counts deliveries; `since` gives changes and CPU seconds over a measuring window."""

    def __init__(self) -> None:
        self.count = 0

    def datachange_notification(self, node: object, val: object, data: object) -> None:
        self.count += 1


async def warm_up(counter: Counter, n: int, timeout: float = 120) -> None:
    """Wait until the initial values of all n items have been delivered, so they are not measured."""
    deadline = time.monotonic() + timeout
    while counter.count < n:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {counter.count} of {n} initial values after {timeout} s")
        await asyncio.sleep(0.1)


async def measure(counter: Counter, seconds: float) -> tuple[float, float]:
    """Changes per second and client CPU seconds per 100,000 changes over `seconds`."""
    start_n, start_cpu, start_t = counter.count, time.process_time(), time.monotonic()
    await asyncio.sleep(seconds)
    changes = counter.count - start_n
    cpu = time.process_time() - start_cpu
    rate = changes / (time.monotonic() - start_t)
    return rate, (cpu / changes * 100_000) if changes else float("inf")


async def run_raw(endpoint: str, names: list[str], seconds: float, iterator: bool) -> tuple[float, float]:
    client = Client(endpoint, timeout=30, watchdog_intervall=WATCHDOG_S)
    await client.connect()
    counter = Counter()
    try:
        nodes = [client.get_node(f"ns=2;s={n}") for n in names]
        if iterator:
            sub = await client.create_subscription(PUBLISH_MS, queue_maxsize=0)

            async def drain() -> None:
                while True:
                    await sub.next_event()
                    counter.count += 1

            task = asyncio.create_task(drain())
        else:
            sub = await client.create_subscription(PUBLISH_MS, counter)
        await sub.subscribe_data_change(nodes, sampling_interval=100)
        await warm_up(counter, len(names))
        result = await measure(counter, seconds)
        if iterator:
            task.cancel()
        return result
    finally:
        await client.disconnect()


async def run_engine(endpoint: str, names: list[str], seconds: float) -> tuple[float, float, float]:
    tags = [Tag(name=n, connection="load", node=f"ns=2;s={n}") for n in names]
    table = TagTable(names)
    counter = Counter()
    dirty: set[str] = set()

    def observer(name: str, sample: object) -> None:
        dirty.add(name)  # what the UI bridge does per change
        counter.count += 1

    table.subscribe(observer)
    cfg = ConnectionConfig(
        endpoint=endpoint, publishing_interval_ms=PUBLISH_MS, timeout_s=30, watchdog_s=WATCHDOG_S
    )
    connection = Connection("load", cfg, tags, table)
    await connection.start()
    try:
        await warm_up(counter, len(names))
        rss = psutil.Process().memory_info().rss / 2**20
        rate, cpu = await measure(counter, seconds)
        return rate, cpu, rss
    finally:
        await connection.stop()


def start_simulator(port: int, tags: int, rate: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "hmi", "sim", "--port", str(port), "--tags", str(tags), "--rate", str(rate)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if "simulator on" not in line:
        proc.kill()
        raise RuntimeError(f"simulator did not start: {line!r}")
    return proc


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def bench(tags: int, rate: float, rounds: int, seconds: float) -> dict[str, float]:
    port = free_port()
    endpoint = f"opc.tcp://127.0.0.1:{port}"
    names = load_tag_names(tags)
    base_rss = psutil.Process().memory_info().rss / 2**20
    sim = start_simulator(port, tags, rate)
    results: dict[str, list[tuple[float, float]]] = {"raw": [], "raw_iter": [], "engine": []}
    rss = []
    try:
        for r in range(rounds):
            results["raw"].append(await run_raw(endpoint, names, seconds, iterator=False))
            results["raw_iter"].append(await run_raw(endpoint, names, seconds, iterator=True))
            rate_e, cpu_e, rss_e = await run_engine(endpoint, names, seconds)
            results["engine"].append((rate_e, cpu_e))
            rss.append(rss_e)
            print(
                f"round {r + 1}/{rounds}: "
                + ", ".join(f"{k} {v[-1][0]:,.0f}/s {v[-1][1]:.2f} cpu-s/100k" for k, v in results.items()),
                flush=True,
            )
    finally:
        sim.terminate()
        sim.wait(timeout=30)
    med = {
        k: (statistics.median(x[0] for x in v), statistics.median(x[1] for x in v))
        for k, v in results.items()
    }
    figures = {
        "bench": "ingest",
        "tags": tags,
        "rate_hz": rate,
        "rounds": rounds,
        "seconds_per_round": seconds,
        "engine_per_s": round(med["engine"][0]),
        "raw_per_s": round(med["raw"][0]),
        "raw_iter_per_s": round(med["raw_iter"][0]),
        "ratio": round(med["engine"][0] / med["raw"][0], 3),
        "ratio_vs_iter": round(med["engine"][0] / med["raw_iter"][0], 3),
        "engine_cpu_s_per_100k": round(med["engine"][1], 3),
        "raw_cpu_s_per_100k": round(med["raw"][1], 3),
        "raw_iter_cpu_s_per_100k": round(med["raw_iter"][1], 3),
        "cpu_ratio": round(med["raw"][1] / med["engine"][1], 3),
        "cpu_ratio_vs_iter": round(med["raw_iter"][1] / med["engine"][1], 3),
        "engine_rss_mib": round(statistics.median(rss), 1),
        "rss_before_mib": round(base_rss, 1),
    }
    print()
    print(f"{tags:,} tags at {rate:g} Hz, median of {rounds} rounds of {seconds:g} s")
    for k, (r_, c_) in med.items():
        print(f"  {k:9s} {r_:>10,.0f} changes/s   {c_:6.2f} client CPU s per 100k changes")
    print(
        f"  engine / raw handler: {figures['ratio']:.2f}x throughput, "
        f"{figures['cpu_ratio']:.2f}x CPU efficiency"
    )
    print(
        f"  engine / raw iterator: {figures['ratio_vs_iter']:.2f}x throughput, "
        f"{figures['cpu_ratio_vs_iter']:.2f}x CPU efficiency"
    )
    print(
        f"  resident memory with {tags:,} tags subscribed: {figures['engine_rss_mib']} MiB "
        f"(process before any client: {figures['rss_before_mib']} MiB)"
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a shorter run, under 60 s")
    parser.add_argument("--tags", type=int)
    parser.add_argument("--rate", type=float, default=1.0)
    args = parser.parse_args()
    logging.getLogger("asyncua").setLevel(logging.ERROR)
    tags = args.tags or (2_000 if args.quick else 10_000)
    rounds, seconds = (1, 6.0) if args.quick else (5, 15.0)
    figures = asyncio.run(bench(tags, args.rate, rounds, seconds))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
