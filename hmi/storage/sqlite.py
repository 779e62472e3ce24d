"""The embedded default: a project's history and alarm journal in one SQLite file, its audit trail
in another, both in the user's data dir (hmi.paths), exactly as before storage became a setting."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .. import dbfiles
from ..alarms.journal import AlarmJournal, search_events
from ..alarms.kpi import AlarmKpis, alarm_kpis
from ..alarms.model import AlarmError
from ..alarms.server_events import ServerEvent
from ..alarms.settings import AlarmConfig, Priority
from ..history import Historian, HistorianTag, HistoryConfig, HistoryError, SqliteHistoryReader
from ..history.compact import Compacted, compact
from ..history.export import HistoryStats, stats
from ..paths import audit_db, history_db, users_db
from ..security import audit
from ..security.audit import AuditRow, AuditTrail
from ..security.chain import ChainReport, verify
from ..security.users import UserStore
from .port import Progress
from .registry import Place, StorageKind
from .settings import SqliteConfig, StorageConfig


class SqliteStorage:
    """The Storage of SQLite files `history` (history and alarm journal) and `audit`."""

    def __init__(self, history: Path, audit: Path | None = None):
        self.history_path = Path(history)
        self.audit_path = Path(audit) if audit is not None else self.history_path.with_name("audit.sqlite")

    def location(self) -> str:
        return str(self.history_path.parent)

    def history_writer(self, tags: list[HistorianTag], config: HistoryConfig) -> Historian:
        return Historian(self.history_path, tags, config)

    def history_reader(self) -> SqliteHistoryReader:
        reader = SqliteHistoryReader(self.history_path)
        try:
            with self._described():
                reader.tags()  # a file that is no database says so here, not in the middle of a query
        except BaseException:
            reader.close()
            raise
        return reader

    def history_stats(self) -> HistoryStats:
        with self._described():
            return stats(self.history_path)

    def compact(self, progress: Progress, rewriting: Callable[[], None]) -> Compacted:
        with self._described():
            return compact(self.history_path, progress, rewriting)

    def journal(self) -> AlarmJournal:
        return AlarmJournal(self.history_path)

    def alarm_kpis(self, start: float, end: float, config: AlarmConfig | None = None) -> AlarmKpis:
        try:
            return alarm_kpis(self.history_path, start, end, config)
        except sqlite3.Error as exc:  # damaged past the first page: found only as the rows are read
            raise AlarmError(
                dbfiles.describe(self.history_path, "alarm journal", exc, writing=False)
            ) from exc

    def server_events(
        self,
        start: float | None = None,
        end: float | None = None,
        text: str = "",
        priorities: Iterable[Priority] = (),
        limit: int = 1000,
    ) -> list[ServerEvent]:
        return search_events(self.history_path, start, end, text, priorities, limit)

    def audit(self) -> AuditTrail:
        return AuditTrail(self.audit_path)

    def audit_rows(self, start: float | None = None, end: float | None = None) -> list[AuditRow]:
        return audit.search(self.audit_path, start, end, limit=None)

    def audit_search(
        self,
        start: float | None = None,
        end: float | None = None,
        user: str = "",
        action: str = "",
        text: str = "",
        limit: int | None = 5000,
    ) -> list[AuditRow]:
        return audit.search(self.audit_path, start, end, user, action, text, limit)

    def audit_choices(self) -> tuple[list[str], list[str]]:
        return audit.distinct(self.audit_path, "user"), audit.distinct(self.audit_path, "action")

    def verify_audit(self) -> ChainReport:
        return verify(self.audit_path)

    def audit_location(self) -> str:
        return str(self.audit_path)

    def shared_alarms(self) -> None:
        return None

    def user_store(self) -> UserStore:
        return UserStore(users_db())

    @contextmanager
    def _described(self) -> Iterator[None]:
        """A file that is no history file at all: named with what to do, never a traceback."""
        try:
            yield
        except sqlite3.Error as exc:
            message = dbfiles.describe(self.history_path, "history file", exc, writing=False)
            raise HistoryError(message) from exc


def _open(config: StorageConfig, place: Place) -> SqliteStorage:
    return SqliteStorage(history_db(place.root, place.name), audit_db(place.root, place.name))


KIND = StorageKind("sqlite", SqliteConfig, _open)
