"""OPC-UA connections that speak in tags and qualities over asyncua."""

from .connection import Connection, ConnectionState, ConnectionStatus, WriteResult
from .credentials import Credentials
from .security import CertificateRefused, CertInfo, Pki

__all__ = [
    "CertInfo",
    "CertificateRefused",
    "Connection",
    "ConnectionState",
    "ConnectionStatus",
    "Credentials",
    "Pki",
    "WriteResult",
]
