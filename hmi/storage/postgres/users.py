"""The site's users in PostgreSQL (`storage: {kind: postgresql, users: site}`): one set of users and
roles for every station, and the failed-login count and lockout with them, so an account locked on
one station is locked on all. Names are unique whatever their case, as in the station's file.

Each call takes a short connection, as the file store does: users change rarely, and the CLI may
edit them while stations run."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from ...history.errors import HistoryError
from ...security.errors import SecurityError
from ...security.settings import Role
from ...security.users import FIELDS, User, Users, check_name, user_of
from . import schema
from .connect import connect, explain, where


class PgUserStore(Users):
    def __init__(self, dsn: str):
        self.dsn = dsn

    def __str__(self) -> str:
        return f"the site's users in PostgreSQL {where(self.dsn)}"

    @contextmanager
    def _connect(self) -> Iterator[psycopg.Connection]:
        """A connection in one transaction; SecurityError saying why there is none."""
        try:
            with connect(self.dsn, autocommit=False) as con:
                schema.check(con, where(self.dsn))
                yield con
        except HistoryError as exc:
            raise SecurityError(f"the site's users cannot be read: {exc}") from exc
        except psycopg.errors.UniqueViolation:
            raise
        except psycopg.Error as exc:
            raise SecurityError(f"the site's users cannot be read: {explain(self.dsn, exc)}") from exc

    def count(self) -> int:
        with self._connect() as con:
            row = con.execute("SELECT count(*) FROM site_user").fetchone()
        return int(row[0]) if row else 0

    def get(self, name: str) -> User | None:
        with self._connect() as con:
            row = con.execute(
                f"SELECT {FIELDS} FROM site_user WHERE lower(name) = lower(%s)", (name,)
            ).fetchone()
        return None if row is None else user_of(row)

    def users(self) -> list[User]:
        with self._connect() as con:
            return [user_of(r) for r in con.execute(f"SELECT {FIELDS} FROM site_user ORDER BY lower(name)")]

    def add(self, name: str, role: Role, password_hash: str, full_name: str = "") -> User:
        check_name(name)
        now = time.time()
        try:
            with self._connect() as con:
                con.execute(
                    "INSERT INTO site_user (name, full_name, role, password_hash, created, changed)"
                    " VALUES (%s, %s, %s, %s, %s, %s)",
                    (name, full_name, Role(role).value, password_hash, now, now),
                )
        except psycopg.errors.UniqueViolation:
            raise SecurityError(f"a user {name!r} exists already") from None
        return self.require(name)

    def update(self, name: str, *, touch: bool = True, **values: Any) -> User:
        if touch:
            values["changed"] = time.time()
        assignments = ", ".join(f"{column} = %s" for column in values)
        with self._connect() as con:
            found = con.execute(
                f"UPDATE site_user SET {assignments} WHERE lower(name) = lower(%s)", (*values.values(), name)
            ).rowcount
        if not found:
            raise SecurityError(f"no user {name!r}")
        return self.require(name)
