"""The kinds of storage a project can use (`storage: {kind: ...}` in project.yaml), found through the
`openhmi.storage` entry points like the kinds of data source: a new backend is one module and one
line in its package's metadata. A frozen app has no metadata: the bundled kinds are named here."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING

from .port import Storage
from .settings import StorageConfig

if TYPE_CHECKING:
    from ..project import ProjectFolder

log = logging.getLogger(__name__)

GROUP = "openhmi.storage"
BUNDLED = {"sqlite": "hmi.storage.sqlite:KIND", "postgresql": "hmi.storage.postgres:KIND"}
"""Loaded by name when the entry points do not name the kind (a frozen app has none)."""


@dataclass(frozen=True)
class Place:
    """Which project the storage is for: its folder and name (a file backend derives its paths)."""

    root: Path
    name: str


@dataclass(frozen=True)
class StorageKind:
    """What the engine needs to know of one kind of storage."""

    name: str
    config: type[StorageConfig]
    """The model of the `storage:` block of this kind."""
    open: Callable[[StorageConfig, Place], Storage]
    """The project's storage; imports the database driver only then."""


@cache
def kinds() -> dict[str, StorageKind]:
    """Every registered kind by name: the bundled ones, then the entry points (which may replace them)."""
    paths = dict(BUNDLED)
    paths.update({e.name: e.value for e in entry_points(group=GROUP)})
    found: dict[str, StorageKind] = {}
    for name, path in paths.items():
        module, _, attribute = path.partition(":")
        try:
            found[name] = getattr(importlib.import_module(module), attribute)
        except (ImportError, AttributeError) as exc:
            log.warning("storage kind %s (%s) cannot be loaded: %s", name, path, exc)
    return found


def open_storage(folder: ProjectFolder) -> Storage:
    """The storage the project's settings name (SQLite files in the user's data dir by default)."""
    config = folder.project.storage
    return kinds()[config.kind].open(config, Place(folder.root, folder.name))
