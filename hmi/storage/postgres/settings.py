"""`storage: {kind: postgresql, dsn: ..., role: collector|viewer}`: a site's history in PostgreSQL.

The DSN names the server, database and user, never the password: that comes from the environment
(OPENHMI_DB_PASSWORD), the OS keyring or a prompt (hmi.storage.postgres.connect)."""

from __future__ import annotations

from typing import Literal

from pydantic import field_validator

from ..settings import StorageConfig


class PostgresConfig(StorageConfig):
    kind: Literal["postgresql"]  # no default: always written, so the file says which storage it is
    dsn: str
    """libpq connection string or URI, e.g. `host=db1 dbname=plant user=hmi`."""
    role: Literal["collector", "viewer"] = "collector"
    """collector: this station writes history (one per project); viewer: it only reads."""
    users: Literal["station", "site"] = "station"
    """station: each station's own users (the default); site: one set of users and roles in the
    database for every station, lockouts included."""

    @field_validator("dsn")
    @classmethod
    def _no_password(cls, value: str) -> str:
        from psycopg import ProgrammingError
        from psycopg.conninfo import conninfo_to_dict

        try:
            parts = conninfo_to_dict(value)
        except ProgrammingError as exc:
            raise ValueError(f"not a PostgreSQL connection string: {exc}") from exc
        if "password" in parts:
            raise ValueError(
                "the DSN holds a password: remove it from the project and keep it in the keyring "
                "(`hmi db password PROJECT`) or in OPENHMI_DB_PASSWORD"
            )
        return value
