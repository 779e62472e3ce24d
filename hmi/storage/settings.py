"""The `storage:` block of project.yaml: where history, the alarm journal and the audit trail live.

Left out, a project keeps them in SQLite files in the user's data dir, as it always did. Each kind
of storage (hmi.storage.registry) brings its own model of this block."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


class StorageConfig(BaseModel):
    """Base of every kind's settings: `kind` chooses the backend."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    kind: str


class SqliteConfig(StorageConfig):
    """SQLite files per project in the user's data dir (the default)."""

    kind: Literal["sqlite"] = "sqlite"
