"""The site's audit trail in PostgreSQL: one hash chain for every station of the project, each row
naming the station that wrote it (and the station is part of the row's hash).

Stations append at the same time: each commit takes the table's EXCLUSIVE lock (readers go on), reads
the last row and chains its rows to it, so two stations never fork the chain; the row id is the
position in the chain (no sequence: its gaps would read as deleted rows). Triggers refuse UPDATE,
DELETE and TRUNCATE, and `verify` walks the chain from the first row (hmi.security.chain.walk).

As with the file trail, callers only enqueue and one writer thread commits (hmi.backlog). While the
database cannot be reached, rows wait in this station's spill file, at once rather than after a
memory bound (an outage of a server lasts), and go in, oldest first, when it answers again."""

from __future__ import annotations

import logging
import socket
import time
from pathlib import Path
from typing import Any

import psycopg

from ...backlog import Backlog, Writer
from ...history.errors import HistoryError
from ...security.audit import GENESIS, MEMORY_ROWS, OK, AuditEntry, AuditRow, digest, like_pattern, text
from ...security.chain import ChainReport, walk
from ...security.errors import AuditError
from . import schema
from .connect import connect, explain, where

log = logging.getLogger(__name__)

COLUMNS = "id, ts, user_name, action, target, old_value, new_value, result, reason, hash, station"


def station_name() -> str:
    """How this station is named in the site's shared records: its host name."""
    return socket.gethostname()


def _clean(value: Any) -> Any:
    """PostgreSQL text holds no NUL character: it is kept visibly (and hashed as kept)."""
    return value.replace("\x00", "\\x00") if isinstance(value, str) else value


class PgAuditTrail:
    """Appends this station's rows to the site trail in `dsn` from a writer thread of its own; rows it
    cannot write yet wait in `spill_dir`. Call close() at shutdown."""

    def __init__(self, dsn: str, station: str, spill_dir: Path, memory_rows: int = MEMORY_ROWS):
        self.dsn = dsn
        self.target = where(dsn)
        self.station = station
        self._con: psycopg.Connection | None = None
        self._closed = False
        waiting = Backlog(
            Path(self.target),
            "audit trail",
            "audit rows",
            len(AuditEntry._fields),
            memory_rows,
            spill_dir,
            durable=True,
        )
        self._writer = Writer(waiting, self._commit, name="audit-pg", batch_size=500, stopping=self._stop)

    def __enter__(self) -> PgAuditTrail:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def lost(self) -> int:
        return self._writer.backlog.lost

    @property
    def waiting(self) -> int:
        """Rows the database has not taken yet, in memory or in the spill file."""
        return len(self._writer.backlog)

    @property
    def written(self) -> int:
        return self._writer.written

    def record(
        self,
        user: str,
        action: str,
        target: str = "",
        *,
        old: Any = None,
        new: Any = None,
        result: str = OK,
        reason: str = "",
    ) -> None:
        """Queue one row stamped now; returns at once."""
        if self._closed:
            raise AuditError("the audit trail is closed")
        self._writer.put(AuditEntry(time.time(), user, action, target, text(old), text(new), result, reason))

    def flush(self, timeout: float | None = 30.0) -> bool:
        """Wait until every row recorded so far is in the database; False if rows still wait."""
        return True if self._closed else self._writer.flush(timeout)

    def close(self) -> None:
        """Write what is queued (what the database refuses waits in the spill file for the next start)."""
        if self._closed:
            return
        self._closed = True
        self._writer.stop()

    def _commit(self, rows: list[tuple[Any, ...]]) -> None:
        """Chain `rows` to the site trail's last row, in one transaction under the table lock; OSError
        (the Backlog's 'cannot write now') when the database cannot be reached or refuses them."""
        try:
            con = self._connection()
            with con.transaction():
                con.execute("LOCK TABLE audit IN EXCLUSIVE MODE")
                tail = con.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
                last_id, last = tail if tail is not None else (0, GENESIS)
                hashed = []
                for entry in (AuditEntry(*(_clean(v) for v in r)) for r in rows):
                    last_id, last = last_id + 1, digest(last, entry, self.station)
                    hashed.append((last_id, *entry, last, self.station))
                con.cursor().executemany(
                    f"INSERT INTO audit ({COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    hashed,
                )
        except psycopg.Error as exc:
            self._drop_connection()
            raise OSError(explain(self.dsn, exc)) from exc

    def _connection(self) -> psycopg.Connection:
        if self._con is None or self._con.closed:
            try:
                con = connect(self.dsn)
            except HistoryError as exc:
                raise OSError(str(exc)) from exc
            try:
                schema.check(con, self.target)
            except HistoryError as exc:
                con.close()
                raise OSError(str(exc)) from exc
            self._con = con
        return self._con

    def _drop_connection(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def _stop(self) -> None:
        self._drop_connection()


def _row(raw: tuple[Any, ...]) -> AuditRow:
    return AuditRow(raw[0], AuditEntry(*raw[1:9]), raw[9], raw[10])


def _connect(dsn: str) -> psycopg.Connection:
    try:
        con = connect(dsn)
        schema.check(con, where(dsn))
    except HistoryError as exc:
        raise AuditError(str(exc)) from exc
    return con


def search(
    dsn: str,
    start: float | None = None,
    end: float | None = None,
    user: str = "",
    action: str = "",
    text: str = "",
    limit: int | None = 5000,
) -> list[AuditRow]:
    """The site trail's rows, as hmi.security.audit.search finds them in a file, newest first."""
    where_: list[str] = []
    params: list[Any] = []
    for clause, value in (
        ("ts >= %s", start),
        ("ts < %s", end),
        ("user_name = %s", user or None),
        ("action = %s", action or None),
    ):
        if value is not None:
            where_.append(clause)
            params.append(value)
    if text:
        pattern = like_pattern(text)
        columns = ("target", "old_value", "new_value", "reason")
        where_.append("(" + " OR ".join(f"{c} ILIKE %s" for c in columns) + ")")
        params += [pattern] * len(columns)
    sql = f"SELECT {COLUMNS} FROM audit WHERE {' AND '.join(where_) or 'true'} ORDER BY id DESC"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    try:
        with _connect(dsn) as con:
            return [_row(r) for r in con.execute(sql, params)]
    except psycopg.Error as exc:
        raise AuditError(explain(dsn, exc)) from exc


def choices(dsn: str) -> tuple[list[str], list[str]]:
    """The users and the actions in the site trail."""
    try:
        with _connect(dsn) as con:
            users = con.execute("SELECT DISTINCT user_name FROM audit ORDER BY 1").fetchall()
            actions = con.execute("SELECT DISTINCT action FROM audit ORDER BY 1").fetchall()
    except psycopg.Error as exc:
        raise AuditError(explain(dsn, exc)) from exc
    return [u for (u,) in users], [a for (a,) in actions]


def verify(dsn: str) -> ChainReport:
    """Walk the site trail's chain from the first row (AuditError: no database or schema)."""
    try:
        with _connect(dsn) as con, con.transaction(), con.cursor(name="audit_verify") as cursor:
            cursor.itersize = 5000
            cursor.execute(f"SELECT {COLUMNS} FROM audit ORDER BY id")
            return walk(_row(r) for r in cursor)
    except psycopg.Error as exc:
        raise AuditError(explain(dsn, exc)) from exc
