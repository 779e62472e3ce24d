"""Sources of tag values behind one port: each project connection is a `TagSource` of its `kind`
(opcua, modbus, or one a package registers under the `openhmi.sources` entry points)."""

from .port import ServerAlarms, ServerEvents, SourceContext, TagSource
from .registry import SourceKind, create_source, kinds
from .status import ConnectionCounters, ConnectionState, ConnectionStatus, WriteResult

__all__ = [
    "ConnectionCounters",
    "ConnectionState",
    "ConnectionStatus",
    "ServerAlarms",
    "ServerEvents",
    "SourceContext",
    "SourceKind",
    "TagSource",
    "WriteResult",
    "create_source",
    "kinds",
]
