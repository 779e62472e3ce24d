"""Sparkplug B as a kind of source (`kind: sparkplug`): config model, tag checks, the metrics in use."""

from __future__ import annotations

import re
from typing import Any

from ..project.model import Tag
from ..sources.port import SourceContext, TagSource
from ..sources.registry import SourceKind
from .config import SparkplugConnection

EXAMPLE = "a Sparkplug metric such as plant/TK101.Level (the device, '/', the metric name)"
_METRIC = re.compile(r"^([^/+#\s]+)/(.+)$")


def split(node: str) -> tuple[str, str] | None:
    """(device, metric name) of a tag's node, or None."""
    match = _METRIC.match(node)
    return (match.group(1), match.group(2)) if match else None


def accepts(text: str) -> bool:
    return split(text) is not None


def tag_problems(tag: Tag, config: SparkplugConnection) -> list[tuple[str, str]]:
    parts = split(tag.node)
    problems = []
    if parts is None:
        problems.append(("node", f"{tag.node!r} is not {EXAMPLE}"))
    elif config.device is not None and parts[0] != config.device:
        problems.append(("node", f"{tag.node!r}: the connection serves device {config.device!r} only"))
    if tag.scale is not None:
        problems.append(("scale", "an edge node sends engineering values: scale is for raw sources"))
    if tag.group is not None:
        problems.append(("group", "an edge node reports by exception: polling groups are for Modbus"))
    if tag.deadband is not None:
        problems.append(("deadband", "an edge node reports every change it has: deadband is for OPC-UA"))
    return problems


def metrics_in_use(config: SparkplugConnection, tags: list[Tag]) -> list[dict[str, Any]]:
    """The metrics the project's tags of one connection name, by device and name (the live list of an
    edge node's metrics is hmi.sparkplug.browse)."""
    rows = []
    for tag in tags:
        parts = split(tag.node)
        if parts is not None:
            rows.append(
                {"edge_node": config.edge_node, "device": parts[0], "metric": parts[1], "tag": tag.name}
            )
    return sorted(rows, key=lambda r: (r["device"], r["metric"]))


def create(name: str, config: SparkplugConnection, tags: list[Tag], context: SourceContext) -> TagSource:
    from .host import SparkplugSource

    return SparkplugSource(name, config, tags, context.table, context.alarms)


KIND = SourceKind("sparkplug", SparkplugConnection, create, accepts, EXAMPLE, tag_problems, metrics_in_use)
