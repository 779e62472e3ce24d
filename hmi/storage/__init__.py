"""Where a project's history, alarm journal and audit trail live: one Storage per project, from its
`storage:` settings, handed to every part that reads or writes them (see port.py)."""

from __future__ import annotations

from .port import AlarmLog, AuditLog, Storage
from .registry import Place, StorageKind, kinds, open_storage
from .settings import SqliteConfig, StorageConfig

__all__ = [
    "AlarmLog",
    "AuditLog",
    "Place",
    "SqliteConfig",
    "Storage",
    "StorageConfig",
    "StorageKind",
    "kinds",
    "open_storage",
]
