"""OPC-UA connections that speak in tags and qualities over asyncua."""

from .connection import Connection, ConnectionState, ConnectionStatus, WriteResult

__all__ = ["Connection", "ConnectionState", "ConnectionStatus", "WriteResult"]
