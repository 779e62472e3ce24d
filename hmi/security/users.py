"""The station's users in SQLite: name, role, argon2id hash, enabled, failed attempts and lockout.

Whoever can write this file can change any user; it lives in the user's own data dir for that reason.
Each call opens a short connection: users change rarely, and the CLI may edit while the app runs.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..permissions import SYSTEM
from .errors import SecurityError
from .settings import Role

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    full_name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    password_hash TEXT NOT NULL,
    created REAL NOT NULL,
    changed REAL NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until REAL
);
"""
FIELDS = "name, full_name, role, enabled, password_hash, created, changed, failed_attempts, locked_until"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")


@dataclass(frozen=True)
class User:
    name: str
    full_name: str
    role: Role
    enabled: bool
    password_hash: str = field(repr=False)
    created: float
    changed: float
    failed_attempts: int = 0
    locked_until: float | None = None

    def locked(self, now: float) -> bool:
        return self.locked_until is not None and self.locked_until > now


def check_name(name: str) -> str:
    """The name if it is usable: letters, digits, '.', '_', '-', at most 32, not the engine's own."""
    if not NAME.match(name):
        raise SecurityError(f"user name {name!r}: use 1 to 32 letters, digits, '.', '_' or '-'")
    if name.lower() == SYSTEM:
        raise SecurityError(f"user name {name!r} is reserved for the engine")
    return name


class Users:
    """What Security asks of a user store: this station's file (UserStore) or the site's database
    (hmi.storage.postgres.users); passwords arrive already hashed, SecurityError says what failed."""

    def count(self) -> int:
        raise NotImplementedError

    def get(self, name: str) -> User | None:
        raise NotImplementedError

    def require(self, name: str) -> User:
        user = self.get(name)
        if user is None:
            raise SecurityError(f"no user {name!r}")
        return user

    def users(self) -> list[User]:
        raise NotImplementedError

    def add(self, name: str, role: Role, password_hash: str, full_name: str = "") -> User:
        raise NotImplementedError

    def update(self, name: str, *, touch: bool = True, **values: Any) -> User:
        """Set columns of one user; `touch` stamps `changed` (login counters do not)."""
        raise NotImplementedError


class UserStore(Users):
    """CRUD on the users file."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _owner_only(self.path)
        with self._connect() as conn:
            conn.executescript(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=10.0)) as conn:
            conn.execute("PRAGMA synchronous=FULL")
            with conn:
                yield conn

    def count(self) -> int:
        with self._connect() as conn:
            return conn.execute("SELECT count(*) FROM users").fetchone()[0]

    def get(self, name: str) -> User | None:
        with self._connect() as conn:
            row = conn.execute(f"SELECT {FIELDS} FROM users WHERE name = ?", (name,)).fetchone()
        return None if row is None else user_of(row)

    def users(self) -> list[User]:
        with self._connect() as conn:
            return [user_of(r) for r in conn.execute(f"SELECT {FIELDS} FROM users ORDER BY name")]

    def add(self, name: str, role: Role, password_hash: str, full_name: str = "") -> User:
        check_name(name)
        now = time.time()
        try:
            with self._connect() as conn:
                conn.execute(
                    "INSERT INTO users (name, full_name, role, password_hash, created, changed) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (name, full_name, Role(role).value, password_hash, now, now),
                )
        except sqlite3.IntegrityError:
            raise SecurityError(f"a user {name!r} exists already") from None
        return self.require(name)

    def update(self, name: str, *, touch: bool = True, **values: Any) -> User:
        if touch:
            values["changed"] = time.time()
        assignments = ", ".join(f"{column} = ?" for column in values)
        with self._connect() as conn:
            found = conn.execute(
                f"UPDATE users SET {assignments} WHERE name = ?", (*values.values(), name)
            ).rowcount
        if not found:
            raise SecurityError(f"no user {name!r}")
        return self.require(name)


def _owner_only(path: Path) -> None:
    """Create the file readable by its owner only (0600, like the app's private key), before SQLite does
    (its journal files take the same mode), and take group and others off one made more open before."""
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    if os.name == "posix" and stat.S_IMODE(path.stat().st_mode) & 0o077:
        os.chmod(path, 0o600)


def user_of(row: tuple[Any, ...]) -> User:
    """A User from its row of FIELDS."""
    name, full_name, role, enabled, password_hash, created, changed, failed, locked_until = row
    return User(
        name, full_name, Role(role), bool(enabled), password_hash, created, changed, failed, locked_until
    )
