"""An edge node's metrics as its births list them: what the tag browser and the editor offer as tags of a
`kind: sparkplug` connection (each fits `hmi.project.refactor.tag_from_node`, like a browsed OPC-UA node)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from dataclasses import dataclass
from typing import Any

from google.protobuf.message import DecodeError

from ..errors import CommError
from .config import SparkplugConnection
from .link import Link
from .payload import (
    TAG_TYPES,
    Payload,
    get_value,
    parse_topic,
    properties,
    rebirth_request,
    topic,
)
from .settings import parse_broker

SETTLE_S = 0.5
"""After the NBIRTH, the births are taken as complete once no DBIRTH came for this long."""


@dataclass(frozen=True)
class MetricInfo:
    node: str
    """DEVICE/METRIC: the node of a tag of this metric."""
    path: tuple[str, ...]
    """The metric name's parts: its folders ('/') and dotted words, a tag name suggested from them."""
    device: str
    metric: str
    data_type: str | None
    """The tag type the metric's datatype becomes; None for those no tag can hold (DataSet, Template...)."""
    writable: bool
    units: str = ""
    description: str = ""
    range: tuple[float, float] | None = None
    value: Any = None


def metric_info(device: str, metric: Payload.Metric) -> MetricInfo:
    props = properties(metric)
    low, high = props.get("engLow"), props.get("engHigh")
    span = None
    if isinstance(low, int | float) and isinstance(high, int | float):
        span = (float(low), float(high))
    parts = tuple(word for folder in metric.name.split("/") for word in folder.split(".") if word)
    return MetricInfo(
        node=f"{device}/{metric.name}",
        path=parts,
        device=device,
        metric=metric.name,
        data_type=TAG_TYPES.get(metric.datatype),
        writable=props.get("readOnly") is not True,
        units=str(props.get("engUnit", "")),
        description=str(props.get("Documentation", "")),
        range=span if span is not None and span[0] < span[1] else None,
        value=get_value(metric, metric.datatype),
    )


async def browse(config: SparkplugConnection, timeout_s: float = 10.0) -> list[MetricInfo]:
    """Ask the edge node for its births and list the metrics of its devices (of the connection's device
    alone if it names one), by device and name. CommError when no birth comes within `timeout_s`."""
    found: dict[str, MetricInfo] = {}
    born = asyncio.Event()
    last_birth = [0.0]
    loop = asyncio.get_running_loop()

    def heard(text: str, data: bytes) -> None:
        parsed = parse_topic(text)
        if parsed is None:
            return
        with contextlib.suppress(DecodeError):
            payload = Payload.FromString(data)
            if parsed.kind == "NBIRTH":
                found.clear()
                born.set()
            elif parsed.kind == "DBIRTH" and parsed.device and config.device in (None, parsed.device):
                for metric in payload.metrics:
                    info = metric_info(parsed.device, metric)
                    found[info.node] = info
            last_birth[0] = time.monotonic()

    def up() -> None:
        link.publish(topic(config.group, "NCMD", config.edge_node), rebirth_request())

    link = Link(
        f"openhmi-browse-{os.getpid()}-{id(found):x}",
        parse_broker(config.broker),
        config.keepalive_s,
        loop,
        on_message=heard,
        on_up=up,
        on_down=lambda _reason: None,
        subscriptions=[
            topic(config.group, "NBIRTH", config.edge_node),
            topic(config.group, "DBIRTH", config.edge_node, "+"),
        ],
    )
    link.start()
    try:
        try:
            async with asyncio.timeout(timeout_s):
                await born.wait()
                while time.monotonic() - last_birth[0] < SETTLE_S:
                    await asyncio.sleep(SETTLE_S / 5)
        except TimeoutError:
            if not born.is_set():
                raise CommError(
                    f"{config.describe()}: no birth from edge node {config.edge_node} in {timeout_s:g} s"
                ) from None
    finally:
        await asyncio.to_thread(link.stop)
    return sorted(found.values(), key=lambda m: (m.device, m.metric))
