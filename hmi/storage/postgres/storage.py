"""The Storage of a project on PostgreSQL: history in the site database (written by the one
collector, read by every station), the site's one audit trail and alarm journal, which every
station appends to, the alarm actions the stations share, and (if the project says so) the site's
users. Only the store-and-forward buffers are this station's files."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ...alarms.journal import search_events
from ...alarms.kpi import AlarmKpis
from ...alarms.server_events import ServerEvent
from ...alarms.settings import AlarmConfig, Priority
from ...history.compact import Compacted
from ...history.errors import HistoryError
from ...history.export import HistoryStats, TagStats
from ...history.settings import HistorianTag, HistoryConfig
from ...paths import history_db, project_data_dir, users_db
from ...security.audit import AuditRow
from ...security.chain import ChainReport
from ...security.users import Users, UserStore
from ..port import Progress
from ..registry import Place
from . import alarms, audit
from .connect import connect, where
from .reader import PgHistoryReader
from .settings import PostgresConfig
from .users import PgUserStore
from .writer import PgHistorian


class NullWriter:
    """A viewer's history writer: the collector stores the samples, a viewer only reads them."""

    def start(self) -> None: ...

    def record(self, name: str, sample: object) -> None: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...


class PostgresStorage:
    def __init__(self, config: PostgresConfig, place: Place, station: str | None = None):
        self.config = config
        self.place = place
        self.station = station or audit.station_name()
        """How this station is named in the site's shared records."""

    @property
    def events_file(self) -> Path:
        """Server events are the station's own: they stay in its SQLite journal, as on a lone station."""
        return history_db(self.place.root, self.place.name)

    @property
    def buffer_path(self) -> Path:
        return project_data_dir(self.place.root, self.place.name) / "history-forward.sqlite"

    def location(self) -> str:
        return f"PostgreSQL {where(self.config.dsn)} ({self.config.role})"

    def history_writer(self, tags: list[HistorianTag], config: HistoryConfig) -> PgHistorian | NullWriter:
        if self.config.role == "viewer":
            return NullWriter()
        return PgHistorian(self.config.dsn, tags, config, self.buffer_path)

    def history_reader(self) -> PgHistoryReader:
        return PgHistoryReader(self.config.dsn)

    def history_stats(self) -> HistoryStats:
        with connect(self.config.dsn) as con:
            rows = con.execute(
                "SELECT t.name, t.kind, count(s.ts), min(s.ts), max(s.ts) FROM history_tag t"
                " LEFT JOIN history_sample s ON s.tag_id = t.id GROUP BY t.id ORDER BY t.name"
            ).fetchall()
            size = con.execute(
                "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c"
                " WHERE c.relname LIKE 'history_%%' AND c.relkind = 'r'"
            ).fetchone()
        tags = [
            TagStats(n, k, c, None if a is None else a / 1000, None if b is None else b / 1000)
            for n, k, c, a, b in rows
        ]
        total = int(size[0]) if size else 0
        return HistoryStats(self.location(), total, total, tags)

    def compact(self, progress: Progress, rewriting: Callable[[], None]) -> Compacted:
        raise HistoryError("compact is for SQLite history files; the database server reclaims space itself")

    def journal(self) -> alarms.PgAlarmJournal:
        spill = project_data_dir(self.place.root, self.place.name)
        collector = self.config.role == "collector"
        return alarms.PgAlarmJournal(self.config.dsn, self.station, collector, spill, self.events_file)

    def alarm_kpis(self, start: float, end: float, config: AlarmConfig | None = None) -> AlarmKpis:
        return alarms.alarm_kpis(self.config.dsn, start, end, config)

    def shared_alarms(self) -> alarms.AlarmShare:
        return alarms.AlarmShare(self.config.dsn, self.station)

    def server_events(
        self,
        start: float | None = None,
        end: float | None = None,
        text: str = "",
        priorities: Iterable[Priority] = (),
        limit: int = 1000,
    ) -> list[ServerEvent]:
        return search_events(
            history_db(self.place.root, self.place.name), start, end, text, priorities, limit
        )

    def audit(self) -> audit.PgAuditTrail:
        spill = project_data_dir(self.place.root, self.place.name)
        return audit.PgAuditTrail(self.config.dsn, self.station, spill)

    def audit_rows(self, start: float | None = None, end: float | None = None) -> list[AuditRow]:
        return audit.search(self.config.dsn, start, end, limit=None)

    def audit_search(
        self,
        start: float | None = None,
        end: float | None = None,
        user: str = "",
        action: str = "",
        text: str = "",
        limit: int | None = 5000,
    ) -> list[AuditRow]:
        return audit.search(self.config.dsn, start, end, user, action, text, limit)

    def audit_choices(self) -> tuple[list[str], list[str]]:
        return audit.choices(self.config.dsn)

    def verify_audit(self) -> ChainReport:
        return audit.verify(self.config.dsn)

    def audit_location(self) -> str:
        return f"audit trail in PostgreSQL {where(self.config.dsn)}"

    def user_store(self) -> Users:
        return PgUserStore(self.config.dsn) if self.config.users == "site" else UserStore(users_db())
