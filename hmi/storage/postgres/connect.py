"""Connecting to the site's database: the password from OPENHMI_DB_PASSWORD, the OS keyring or a
prompt (never a file), and every failure said in words an engineer can act on."""

from __future__ import annotations

import getpass
import os
import sys

import keyring
import keyring.errors
import psycopg
from psycopg.conninfo import conninfo_to_dict

from ...history.errors import HistoryError

PASSWORD_ENV = "OPENHMI_DB_PASSWORD"
KEYRING_SERVICE = "OpenHMI database"
CONNECT_TIMEOUT_S = 5


def where(dsn: str) -> str:
    """user@host:port/dbname of a DSN, for messages."""
    p = conninfo_to_dict(dsn)
    return f"{p.get('user', '')}@{p.get('host', 'localhost')}:{p.get('port', 5432)}/{p.get('dbname', '')}"


def password(dsn: str, *, prompt: bool = False) -> str | None:
    """The password of the DSN's user: environment, keyring, then (if asked, on a terminal) a prompt."""
    found = os.environ.get(PASSWORD_ENV)
    if found:
        return found
    try:
        found = keyring.get_password(KEYRING_SERVICE, where(dsn))
    except keyring.errors.KeyringError:
        found = None
    if found is None and prompt and sys.stdin.isatty():
        found = getpass.getpass(f"password for {where(dsn)}: ")
    return found


def connect(dsn: str, *, autocommit: bool = True, prompt: bool = False) -> psycopg.Connection:
    """A connection; HistoryError saying what is wrong (no server, wrong password, no database)."""
    try:
        return psycopg.connect(
            dsn,
            password=password(dsn, prompt=prompt),
            autocommit=autocommit,
            connect_timeout=CONNECT_TIMEOUT_S,
            application_name="OpenHMI",
        )
    except psycopg.OperationalError as exc:
        raise HistoryError(explain(dsn, exc)) from exc


def explain(dsn: str, exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    target = where(dsn)
    if "password authentication failed" in text or "no password supplied" in text:
        return (
            f"database {target}: the password was refused ({text}); set it with `hmi db password` or "
            f"in {PASSWORD_ENV}"
        )
    if "does not exist" in text:
        return f"database {target}: {text}; create it, then run `hmi db init`"
    if isinstance(exc, psycopg.OperationalError):
        return f"database {target} unreachable: {text}"
    return f"database {target} refused the request: {text}"
