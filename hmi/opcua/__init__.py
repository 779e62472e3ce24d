"""OPC-UA connections that speak in tags and qualities over asyncua."""

from ..sources.status import ConnectionCounters, ConnectionState, ConnectionStatus, WriteResult
from .connection import Connection
from .credentials import Credentials
from .security import CertificateRefused, CertInfo, Pki

__all__ = [
    "CertInfo",
    "CertificateRefused",
    "Connection",
    "ConnectionCounters",
    "ConnectionState",
    "ConnectionStatus",
    "Credentials",
    "Pki",
    "WriteResult",
]
