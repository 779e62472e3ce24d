"""Storage kind `postgresql`: history in a site's PostgreSQL database, shared by every station of
the project; psycopg is imported only when such a project is opened."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..registry import Place, StorageKind
from ..settings import StorageConfig
from .settings import PostgresConfig

if TYPE_CHECKING:
    from .storage import PostgresStorage


def _open(config: StorageConfig, place: Place) -> PostgresStorage:
    from .storage import PostgresStorage

    assert isinstance(config, PostgresConfig)
    return PostgresStorage(config, place)


KIND = StorageKind("postgresql", PostgresConfig, _open)
