"""Sparkplug B benchmark: tag changes/s from one edge node to a host over a real mosquitto.

Each round, in the same run:
  engine  an edge node process (hmi.sparkplug.edge.EdgeNode over a tag table of N tags, every tag
          changed as fast as a feeder can: report by exception then sends the latest of each) and,
          in this process, a host (kind: sparkplug, hmi.sparkplug.host) into a tag table with an
          observer like the UI bridge's; then the edge node is killed (kill -9) and the time until
          every host tag is Bad is taken
  raw     a paho publisher process sending the same DDATA payloads (the same metrics per message,
          encoded once) as fast as paho takes them, and a paho subscriber here that decodes each
          (the generated protobuf module) and reads every metric's value: the least any Sparkplug
          host does
Prints changes/s, CPU seconds per 100,000 changes on each side, memory, lag (first and last quarter
of the window: growth means the host falls behind), kill-to-Bad; medians of the rounds; ends with
one JSON line of every figure.

    python bench/sparkplug.py            # 50,000 tags, 3 rounds of 30 s
    python bench/sparkplug.py --quick    # 5,000 tags, 2 rounds of 6 s: under 60 s
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import paho.mqtt.client as mqtt
import psutil
from paho.mqtt.enums import CallbackAPIVersion

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hmi.project.model import Tag  # noqa: E402
from hmi.quality import Quality, Sample  # noqa: E402
from hmi.sparkplug.config import SparkplugConnection  # noqa: E402
from hmi.sparkplug.edge import MAX_METRICS, MAX_UNSENT, EdgeNode  # noqa: E402
from hmi.sparkplug.host import EDGE_OFFLINE, SparkplugSource  # noqa: E402
from hmi.sparkplug.payload import DOUBLE, Payload, add_sample, new_payload, topic  # noqa: E402
from hmi.sparkplug.settings import Publish  # noqa: E402
from hmi.tags import TagTable  # noqa: E402

GROUP, NODE, DEVICE = "bench", "edge", "load"


def names(n: int) -> list[str]:
    return [f"L.T{i:05d}" for i in range(n)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- the other processes -------------------------------------------------------------------------


async def edge_role(broker: str, n: int) -> None:
    """An edge node of n Double tags, each changed as fast as this loop can, until killed."""
    tags = [Tag(name=name, connection=DEVICE, node="ns=2;s=x") for name in names(n)]
    table = TagTable(t.name for t in tags)
    node = EdgeNode(Publish(broker=broker, group=GROUP), NODE, tags, table)
    await node.start()
    while not node.born:
        await asyncio.sleep(0.05)
    print("ready", flush=True)
    update, all_names, value = table.update, list(table.names()), 0.0
    while True:
        value += 1.0
        now = time.time()
        for name in all_names:
            update(name, Sample(value, Quality.GOOD, now))
        await asyncio.sleep(0)  # the flusher's turn


def raw_payloads(n: int) -> list[bytes]:
    """DDATA payloads of n Double changes, MAX_METRICS a message, as the edge node encodes them."""
    sample, messages = Sample(1.0, Quality.GOOD, time.time()), []
    for start in range(0, n, MAX_METRICS):
        payload = new_payload(0)
        for alias in range(start, min(n, start + MAX_METRICS)):
            add_sample(payload, alias + 1, DOUBLE, sample)
        messages.append(payload.SerializeToString())
    return messages


def raw_publisher(port: int, n: int) -> None:
    """The same payloads through plain paho, as fast as it takes them (at most MAX_UNSENT unwritten)."""
    messages = raw_payloads(n)
    written = [0]
    client = mqtt.Client(CallbackAPIVersion.VERSION2)
    client.on_publish = lambda *_: written.__setitem__(0, written[0] + 1)
    client.connect("127.0.0.1", port)
    client.loop_start()
    print("ready", flush=True)
    target, sent = topic(GROUP, "DDATA", NODE, DEVICE), 0
    while True:
        for data in messages:
            while sent - written[0] > MAX_UNSENT:
                time.sleep(0.001)
            client.publish(target, data)
            sent += 1


# -- measuring -----------------------------------------------------------------------------------


def start_role(role: str, broker_port: int, n: int) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, __file__, "--role", role, "--port", str(broker_port), "--tags", str(n)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if line.strip() != "ready":
        process.kill()
        raise RuntimeError(f"{role} did not start: {line!r}")
    return process


def cpu_of(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


async def engine_round(port: int, n: int, seconds: float) -> dict[str, float]:
    tag_names = names(n)
    table = TagTable(tag_names)
    changes, lags = [0], []

    def observer(_name: str, sample: Sample) -> None:
        changes[0] += 1
        if changes[0] % 1000 == 0:
            lags.append(time.time() - sample.ts)

    table.subscribe(observer)
    edge = start_role("edge", port, n)
    config = SparkplugConnection(
        kind="sparkplug", broker=f"mqtt://127.0.0.1:{port}", group=GROUP, edge_node=NODE, write_timeout_s=5
    )
    tags = [Tag(name=name, connection="site", node=f"{DEVICE}/{name}") for name in tag_names]
    host = SparkplugSource("site", config, tags, table)
    await host.start()
    try:
        deadline = time.monotonic() + 120
        while not all(table.get(name).good for name in tag_names):
            if time.monotonic() > deadline:
                raise RuntimeError("the host never saw every tag Good")
            await asyncio.sleep(0.1)
        edge_proc = psutil.Process(edge.pid)
        start_n, start_cpu, start_edge_cpu = changes[0], time.process_time(), cpu_of(edge_proc)
        start_lags, start_t = len(lags), time.monotonic()
        await asyncio.sleep(seconds)
        elapsed = time.monotonic() - start_t
        delivered = changes[0] - start_n
        host_cpu, edge_cpu = time.process_time() - start_cpu, cpu_of(edge_proc) - start_edge_cpu
        edge_rss, host_rss = edge_proc.memory_info().rss / 2**20, psutil.Process().memory_info().rss / 2**20
        window = lags[start_lags:]
        quarter = max(1, len(window) // 4)
        counters = host.counters()

        edge.send_signal(signal.SIGKILL)
        killed = time.monotonic()
        while not all(table.get(name).reason == EDGE_OFFLINE for name in tag_names):
            if time.monotonic() - killed > 60:
                raise RuntimeError("the host tags never all turned Bad after the kill")
            await asyncio.sleep(0.005)
        to_bad = time.monotonic() - killed
    finally:
        if edge.poll() is None:
            edge.kill()
        edge.wait()
        await host.stop()
    return {
        "per_s": delivered / elapsed,
        "host_cpu": host_cpu / delivered * 100_000 if delivered else float("inf"),
        "edge_cpu": edge_cpu / delivered * 100_000 if delivered else float("inf"),
        "host_rss": host_rss,
        "edge_rss": edge_rss,
        "lag_first": statistics.median(window[:quarter]) if window else float("nan"),
        "lag_last": statistics.median(window[-quarter:]) if window else float("nan"),
        "kill_to_bad": to_bad,
        "dropped": counters.overflows,
        "messages_per_s": 0.0 if not delivered else counters.messages / max(elapsed, 1e-9),
    }


def raw_round(port: int, n: int, seconds: float) -> dict[str, float]:
    received = [0]
    subscribed = threading.Event()

    def decode(_client: object, _userdata: object, message: mqtt.MQTTMessage) -> None:
        metrics = Payload.FromString(message.payload).metrics
        for metric in metrics:
            _ = metric.double_value
        received[0] += len(metrics)

    client = mqtt.Client(CallbackAPIVersion.VERSION2)
    client.on_message = decode
    client.on_subscribe = lambda *_: subscribed.set()
    client.connect("127.0.0.1", port)
    client.subscribe(topic(GROUP, "DDATA", NODE, DEVICE))
    client.loop_start()
    subscribed.wait(10)
    publisher = start_role("raw-pub", port, n)
    try:
        pub_proc = psutil.Process(publisher.pid)
        time.sleep(1.0)  # past the publisher's first burst
        start_n, start_cpu, start_pub_cpu, start_t = (
            received[0],
            time.process_time(),
            cpu_of(pub_proc),
            time.monotonic(),
        )
        time.sleep(seconds)
        elapsed = time.monotonic() - start_t
        delivered = received[0] - start_n
        sub_cpu, pub_cpu = time.process_time() - start_cpu, cpu_of(pub_proc) - start_pub_cpu
    finally:
        publisher.kill()
        publisher.wait()
        client.disconnect()
        client.loop_stop()
    return {
        "per_s": delivered / elapsed,
        "host_cpu": sub_cpu / delivered * 100_000 if delivered else float("inf"),
        "edge_cpu": pub_cpu / delivered * 100_000 if delivered else float("inf"),
    }


class Mosquitto:
    """A broker of the benchmark's own, in a temp dir on a free port."""

    def __init__(self) -> None:
        binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        self.dir = Path(tempfile.mkdtemp(prefix="bench-mosquitto-"))
        self.port = free_port()
        config = self.dir / "mosquitto.conf"
        config.write_text(f"listener {self.port} 127.0.0.1\nallow_anonymous true\npersistence false\n")
        self.process = subprocess.Popen([binary, "-c", str(config)], stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("mosquitto did not start (apt-get install mosquitto)") from None
                time.sleep(0.05)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)
        shutil.rmtree(self.dir, ignore_errors=True)


def median(rounds: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in rounds)


def bench(n: int, rounds: int, seconds: float) -> dict[str, object]:
    broker = Mosquitto()
    engine: list[dict[str, float]] = []
    raw: list[dict[str, float]] = []
    try:
        for r in range(rounds):
            engine.append(asyncio.run(engine_round(broker.port, n, seconds)))
            raw.append(raw_round(broker.port, n, seconds))
            e, w = engine[-1], raw[-1]
            print(
                f"round {r + 1}/{rounds}: engine {e['per_s']:,.0f}/s (lag {e['lag_first']:.2f} -> "
                f"{e['lag_last']:.2f} s, kill to Bad {e['kill_to_bad']:.3f} s), raw {w['per_s']:,.0f}/s",
                flush=True,
            )
    finally:
        broker.stop()
    figures: dict[str, object] = {
        "bench": "sparkplug",
        "tags": n,
        "rounds": rounds,
        "seconds_per_round": seconds,
        "engine_per_s": round(median(engine, "per_s")),
        "raw_per_s": round(median(raw, "per_s")),
        "ratio": round(median(engine, "per_s") / median(raw, "per_s"), 3),
        "host_cpu_s_per_100k": round(median(engine, "host_cpu"), 3),
        "edge_cpu_s_per_100k": round(median(engine, "edge_cpu"), 3),
        "raw_sub_cpu_s_per_100k": round(median(raw, "host_cpu"), 3),
        "raw_pub_cpu_s_per_100k": round(median(raw, "edge_cpu"), 3),
        "host_rss_mib": round(median(engine, "host_rss"), 1),
        "edge_rss_mib": round(median(engine, "edge_rss"), 1),
        "lag_first_quarter_s": round(median(engine, "lag_first"), 3),
        "lag_last_quarter_s": round(median(engine, "lag_last"), 3),
        "kill_to_all_bad_s": round(median(engine, "kill_to_bad"), 3),
        "host_dropped_messages": int(max(r["dropped"] for r in engine)),
    }
    print()
    print(f"{n:,} tags on one edge node, median of {rounds} rounds of {seconds:g} s")
    print(f"  engine  {figures['engine_per_s']:>10,} changes/s delivered to the host")
    print(f"  raw     {figures['raw_per_s']:>10,} changes/s (paho publish/subscribe + decode, same payloads)")
    print(f"  ratio   {figures['ratio']:.2f}")
    print(
        f"  CPU s per 100k changes: host {figures['host_cpu_s_per_100k']}, "
        f"edge {figures['edge_cpu_s_per_100k']} (raw subscriber {figures['raw_sub_cpu_s_per_100k']}, "
        f"publisher {figures['raw_pub_cpu_s_per_100k']})"
    )
    print(f"  memory: host {figures['host_rss_mib']} MiB, edge {figures['edge_rss_mib']} MiB")
    print(
        f"  lag: {figures['lag_first_quarter_s']} s in the first quarter, "
        f"{figures['lag_last_quarter_s']} s in the last"
    )
    print(f"  edge node killed -> every host tag Bad: {figures['kill_to_all_bad_s']} s")
    print(f"  messages the host dropped: {figures['host_dropped_messages']}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="5,000 tags, 2 rounds of 6 s")
    parser.add_argument("--tags", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--role", choices=("edge", "raw-pub"), help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.role == "edge":
        asyncio.run(edge_role(f"mqtt://127.0.0.1:{args.port}", args.tags))
        return
    if args.role == "raw-pub":
        raw_publisher(args.port, args.tags)
        return
    n = args.tags or (5_000 if args.quick else 50_000)
    rounds = args.rounds or (2 if args.quick else 3)
    seconds = args.seconds or (6.0 if args.quick else 30.0)
    os.environ.setdefault("OPENHMI_DATA_DIR", tempfile.mkdtemp(prefix="bench-sparkplug-"))
    print(json.dumps(bench(n, rounds, seconds)))


if __name__ == "__main__":
    main()
