"""OPC-UA as a kind of source (`kind: opcua`, the default): its config model, address check and factory."""

from __future__ import annotations

from typing import Any

from asyncua import ua

from ..project.model import Connection as ConnectionConfig
from ..project.model import Tag
from ..sources.port import SourceContext, TagSource
from ..sources.registry import SourceKind


def accepts(text: str) -> bool:
    try:
        ua.NodeId.from_string(text)
    except Exception:
        return False
    return True


EXAMPLE = "an OPC-UA node id such as ns=2;s=TK101.Level"


def tag_problems(tag: Tag, _config: Any) -> list[tuple[str, str]]:
    problems = []
    if not accepts(tag.node):
        problems.append(("node", f"{tag.node!r} is not {EXAMPLE}"))
    if tag.scale is not None:
        problems.append(("scale", "an OPC-UA server sends engineering values: scale is for raw sources"))
    if tag.group is not None:
        problems.append(("group", "an OPC-UA connection subscribes: polling groups are for Modbus"))
    return problems


def create(name: str, config: ConnectionConfig, tags: list[Tag], context: SourceContext) -> TagSource:
    from .connection import Connection

    return Connection(
        name,
        config,
        tags,
        context.table,
        context.alarms,
        events=context.events,
        credentials=context.credentials,
        pki=context.pki,
    )


KIND = SourceKind("opcua", ConnectionConfig, create, accepts, EXAMPLE, tag_problems)
