"""Alarms shared by the stations of a site on PostgreSQL.

Every station evaluates the project's alarms from the live values itself, so an alarm is raised on
all of them; what an operator does to alarms is shared: the station where it was done checks,
journals and audits it, then says so on a NOTIFY channel, and every other station applies the same
change to its own alarms (AlarmEngine.follow) within a fraction of a second.

The journal holds each transition once, with the station and user: the collector journals what the
process and the clock do (raised, cleared, shelve expired), each station what its users do. Rows wait
on the station's disk while the database is away, as the audit trail's do. While a station cannot
listen, its alarm actions are refused (read-only) and the operator is told: an acknowledgement the
other stations never hear of would leave them ringing."""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from ...alarms.journal import MEMORY_ROWS, AlarmJournal, JournalEntry, search_events
from ...alarms.kpi import AlarmKpis, kpis
from ...alarms.model import AlarmAction, AlarmError, AlarmState
from ...alarms.server_events import ServerEvent
from ...alarms.settings import AlarmConfig, AlarmKind, Priority
from ...backlog import Backlog, Writer
from ...history.errors import HistoryError
from ...notices import OPERATOR
from ...permissions import SYSTEM
from ...security.audit import like_pattern
from ..port import SharedAction
from . import schema
from .connect import connect, explain, where

log = logging.getLogger(__name__)

COLUMNS = (
    "ts, alarm_id, tag, kind, priority, old_state, new_state, active, value, limit_value, "
    "actor, comment, message"
)
CHANNEL = "openhmi_alarm_actions"
IDS_PER_NOTICE = 40
"""Alarm ids per notification: a NOTIFY payload holds at most 8000 bytes."""
RETRY_S = 1.0


def _json(value: Any) -> Jsonb | None:
    """A journaled value as JSON, keeping numbers numbers; bytes as their hex text."""
    if value is None:
        return None
    return Jsonb(value.hex() if isinstance(value, bytes) else value)


class PgAlarmJournal:
    """The AlarmLog of one station into the site journal; `collector`: this station journals the
    process's transitions (the others leave them to it)."""

    def __init__(
        self,
        dsn: str,
        station: str,
        collector: bool,
        spill_dir: Path,
        events_file: Path,
        memory_rows: int = MEMORY_ROWS,
    ):
        self.dsn = dsn
        self.events_file = events_file
        """Server events are this station's own: they stay in its SQLite journal file."""
        self._events: AlarmJournal | None = None
        self.target = where(dsn)
        self.station = station
        self.collector = collector
        self._con: psycopg.Connection | None = None
        self._closed = False
        waiting = Backlog(
            Path(self.target),
            "alarm journal",
            "alarm rows",
            len(JournalEntry._fields),
            memory_rows,
            spill_dir,
            durable=True,
        )
        self._writer = Writer(waiting, self._commit, name="alarm-journal-pg", stopping=self._drop_connection)

    def __enter__(self) -> PgAlarmJournal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def written(self) -> int:
        return self._writer.written

    @property
    def lost(self) -> int:
        return self._writer.backlog.lost

    @property
    def backlog(self) -> int:
        return self._writer.queued - self.written - self.lost

    @property
    def waiting(self) -> int:
        return len(self._writer.backlog)

    def record(self, entry: JournalEntry) -> None:
        if self._closed:
            raise AlarmError("the alarm journal is closed")
        if entry.actor == SYSTEM and not self.collector:
            return  # the collector journals what the process does, once for the site
        self._writer.put(entry)

    @property
    def events_dropped(self) -> int:
        return 0 if self._events is None else self._events.events_dropped

    def record_event(self, event: ServerEvent) -> None:
        if self._closed:
            raise AlarmError("the alarm journal is closed")
        if self._events is None:
            self._events = AlarmJournal(self.events_file)
        self._events.record_event(event)

    def search_events(
        self,
        start: float | None = None,
        end: float | None = None,
        text: str = "",
        priorities: Iterable[Priority] = (),
        limit: int = 1000,
    ) -> list[ServerEvent]:
        return search_events(self.events_file, start, end, text, priorities, limit)

    def flush(self, timeout: float | None = 30.0) -> bool:
        if self._closed:
            return True
        events = self._events is None or self._events.flush(timeout)
        return self._writer.flush(timeout) and events

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._writer.stop()
        if self._events is not None:
            self._events.close()

    def _commit(self, rows: list[tuple[Any, ...]]) -> None:
        try:
            if self._con is None or self._con.closed:
                self._con = _connect(self.dsn, OSError)
            with self._con.transaction():
                self._con.cursor().executemany(
                    f"INSERT INTO alarm_journal ({COLUMNS}, station) VALUES ({', '.join(['%s'] * 14)})",
                    # `active` came back from a spill file as SQLite's integer
                    [(*r[:7], bool(r[7]), _json(r[8]), _json(r[9]), *r[10:], self.station) for r in rows],
                )
        except psycopg.Error as exc:
            self._drop_connection()
            raise OSError(explain(self.dsn, exc)) from exc

    def _drop_connection(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def search(
        self,
        start: float | None = None,
        end: float | None = None,
        text: str = "",
        priorities: Iterable[Priority] = (),
        states: Iterable[AlarmState] = (),
        limit: int = 1000,
    ) -> list[JournalEntry]:
        """The site journal's rows, as AlarmJournal.search finds them in a file."""
        where_: list[str] = []
        params: list[Any] = []
        for clause, value in (("ts >= %s", start), ("ts < %s", end)):
            if value is not None:
                where_.append(clause)
                params.append(value)
        if text:
            where_.append("(alarm_id ILIKE %s OR message ILIKE %s)")
            params += [like_pattern(text)] * 2
        for column, values in (("priority", priorities), ("new_state", states)):
            chosen = [str(v) for v in values]
            if chosen:
                where_.append(f"{column} = ANY(%s)")
                params.append(chosen)
        sql = (
            f"SELECT {COLUMNS} FROM alarm_journal WHERE {' AND '.join(where_) or 'true'}"
            " ORDER BY ts DESC, id DESC LIMIT %s"
        )
        try:
            with _connect(self.dsn, AlarmError) as con:
                return [JournalEntry._make(row) for row in con.execute(sql, [*params, limit])]
        except psycopg.Error as exc:
            raise AlarmError(explain(self.dsn, exc)) from exc


def _connect(dsn: str, error: type[Exception]) -> psycopg.Connection:
    """A connection to a database with this version's schema; `error` saying why not."""
    try:
        con = connect(dsn)
        try:
            schema.check(con, where(dsn))
        except BaseException:
            con.close()
            raise
    except HistoryError as exc:
        raise error(str(exc)) from exc
    return con


def alarm_kpis(dsn: str, start: float, end: float, config: AlarmConfig | None = None) -> AlarmKpis:
    """The KPIs of [start, end) from the site journal (hmi.alarms.kpi, the same as from a file)."""
    try:
        with _connect(dsn, AlarmError) as con:
            active_since: dict[str, float] = dict(
                con.execute(
                    """SELECT alarm_id, min(ts) FROM alarm_journal AS j
                    WHERE ts < %(start)s AND active AND kind != %(advisory)s AND ts > coalesce(
                        (SELECT max(ts) FROM alarm_journal AS k
                         WHERE k.alarm_id = j.alarm_id AND k.ts < %(start)s AND NOT k.active), '-infinity')
                    GROUP BY alarm_id""",
                    {"start": start, "advisory": AlarmKind.ADVISORY.value},
                ).fetchall()
            )
            rows = con.execute(
                "SELECT ts, alarm_id, kind, priority, new_state, active FROM alarm_journal"
                " WHERE ts >= %s AND ts < %s ORDER BY ts, id",
                (start, end),
            ).fetchall()
    except psycopg.Error as exc:
        raise AlarmError(explain(dsn, exc)) from exc
    return kpis(active_since, rows, start, end, config or AlarmConfig())


class AlarmShare:
    """This station's side of the shared alarm actions: `publish` says an action on the channel,
    `start(deliver)` listens for the others' (deliver is called on the listener thread).

    `online`: whether this station hears the others now; while it does not, its own alarm actions
    are to be refused (hmi.runtime)."""

    def __init__(self, dsn: str, station: str):
        self.dsn = dsn
        self.target = where(dsn)
        self.station = station
        self._me = uuid.uuid4().hex
        """Tells this process's own notifications apart (two stations may share a host name)."""
        self.online = False
        self._online = threading.Event()
        self._stop = threading.Event()
        self._outbox: queue.SimpleQueue[SharedAction | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._told_down = False

    def start(self, deliver: Callable[[SharedAction], object]) -> None:
        self._threads = [
            threading.Thread(target=self._listen, args=(deliver,), name="alarm-share-listen", daemon=True),
            threading.Thread(target=self._send, name="alarm-share-send", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def wait_online(self, timeout: float) -> bool:
        return self._online.wait(timeout)

    def publish(self, action: SharedAction) -> None:
        self._outbox.put(action)

    def close(self) -> None:
        self._stop.set()
        self._outbox.put(None)
        for thread in self._threads:
            thread.join(10)
        self._threads = []

    def _listen(self, deliver: Callable[[SharedAction], object]) -> None:
        while not self._stop.is_set():
            try:
                with _connect(self.dsn, OSError) as con:
                    con.execute(f"LISTEN {CHANNEL}")
                    self._up()
                    while not self._stop.is_set():
                        for notice in con.notifies(timeout=0.5):
                            action = self._read(notice.payload)
                            if action is not None:
                                deliver(action)
            except OSError as exc:
                self._down(str(exc))
                self._stop.wait(RETRY_S)
            except psycopg.Error as exc:
                self._down(explain(self.dsn, exc))
                self._stop.wait(RETRY_S)

    def _read(self, payload: str) -> SharedAction | None:
        try:
            raw = json.loads(payload)
            if raw.pop("from") == self._me:
                return None
            return SharedAction(**{**raw, "action": AlarmAction(raw["action"])})
        except (ValueError, TypeError, KeyError) as exc:
            log.warning("alarm action from the site database not understood (%s): %.200s", exc, payload)
            return None

    def _send(self) -> None:
        con: psycopg.Connection | None = None
        action = self._outbox.get()
        while action is not None:
            try:
                if con is None or con.closed:
                    con = _connect(self.dsn, OSError)
                for i in range(0, len(action.ids), IDS_PER_NOTICE):
                    part = {**asdict(action), "ids": action.ids[i : i + IDS_PER_NOTICE], "sent": time.time()}
                    con.execute("SELECT pg_notify(%s, %s)", (CHANNEL, json.dumps({**part, "from": self._me})))
            except (OSError, psycopg.Error) as exc:
                # Said as soon as the database is back: refused actions never get here, and one
                # taken just as it went away is late rather than never heard of.
                log.warning("alarm action not shared yet (%s): tried again", exc)
                if con is not None:
                    con.close()
                    con = None
                if self._stop.wait(RETRY_S):
                    break
                continue
            action = self._outbox.get()
        if con is not None:
            con.close()

    def _up(self) -> None:
        self.online = True
        self._online.set()
        if self._told_down:
            log.warning(
                "site database %s is back: alarm actions are shared with the other stations again",
                self.target,
                extra=OPERATOR,
            )
            self._told_down = False

    def _down(self, why: str) -> None:
        self.online = False
        self._online.clear()
        if not self._told_down:
            log.warning(
                "alarm actions are read-only on this station: the site database cannot be reached "
                "(%s); alarms still show this station's own view",
                why,
                extra=OPERATOR,
            )
            self._told_down = True
