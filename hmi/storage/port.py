"""What the engine, the UI and the CLI ask of a storage backend: one object per project that hands
out the history writer and readers, the alarm journal and the audit trail, so that no caller opens a
file or a database itself. Each backend registers a `StorageKind` (hmi.storage.registry)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..alarms.journal import JournalEntry
    from ..alarms.kpi import AlarmKpis
    from ..alarms.model import AlarmAction, AlarmState
    from ..alarms.server_events import ServerEvent
    from ..alarms.settings import AlarmConfig, Priority
    from ..history.compact import Compacted
    from ..history.export import HistoryStats
    from ..history.port import HistoryReader, HistoryWriter
    from ..history.settings import HistorianTag, HistoryConfig
    from ..security.audit import AuditRow
    from ..security.chain import ChainReport
    from ..security.users import Users

Progress = Callable[[int, int], None]


class AlarmLog(Protocol):
    """The alarm journal: transitions queued by the engine and written on a thread of its own."""

    @property
    def written(self) -> int: ...

    @property
    def lost(self) -> int: ...

    @property
    def backlog(self) -> int: ...

    @property
    def waiting(self) -> int: ...

    @property
    def events_dropped(self) -> int: ...

    def record(self, entry: JournalEntry) -> None: ...

    def record_event(self, event: ServerEvent) -> None: ...

    def flush(self, timeout: float | None = 30.0) -> bool: ...

    def close(self) -> None: ...

    def search(
        self,
        start: float | None = None,
        end: float | None = None,
        text: str = "",
        priorities: Iterable[Priority] = (),
        states: Iterable[AlarmState] = (),
        limit: int = 1000,
    ) -> list[JournalEntry]: ...

    def search_events(
        self,
        start: float | None = None,
        end: float | None = None,
        text: str = "",
        priorities: Iterable[Priority] = (),
        limit: int = 1000,
    ) -> list[ServerEvent]: ...


class AuditLog(Protocol):
    """The hash-chained audit trail: rows queued by the check point and written on a thread of its own."""

    @property
    def lost(self) -> int: ...

    @property
    def waiting(self) -> int: ...

    def record(
        self,
        user: str,
        action: str,
        target: str = "",
        *,
        old: object = None,
        new: object = None,
        result: str = ...,
        reason: str = "",
    ) -> None: ...

    def flush(self, timeout: float | None = 30.0) -> bool: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class SharedAction:
    """What a user of `station` did to alarms: the change every other station of a site applies."""

    action: AlarmAction
    ids: list[str]
    actor: str
    comment: str
    station: str
    until: float | None = None
    """A shelve's end (epoch s), the same on every station."""
    sent: float = 0.0
    """When it was said (epoch s), for the latency figures."""


class SharedAlarms(Protocol):
    """The alarm actions of a site's stations, said to each other (hmi.storage.postgres.alarms)."""

    station: str
    """How this station is named to the others."""

    @property
    def online(self) -> bool:
        """Whether this station hears the others now: while it does not, its alarm actions are refused."""

    def start(self, deliver: Callable[[SharedAction], object]) -> None:
        """Listen; `deliver` gets the others' actions, on a thread of the listener's."""

    def publish(self, action: SharedAction) -> None: ...

    def close(self) -> None: ...


class Storage(Protocol):
    """Where one project's history, alarm journal and audit trail are kept."""

    def location(self) -> str:
        """Where the data is, in words for the operator (a folder, a database)."""

    def history_writer(self, tags: list[HistorianTag], config: HistoryConfig) -> HistoryWriter: ...

    def history_reader(self) -> HistoryReader:
        """A reader (HistoryError while there is no history yet)."""

    def history_stats(self) -> HistoryStats: ...

    def compact(self, progress: Progress, rewriting: Callable[[], None]) -> Compacted:
        """Compress and shrink what is stored, with the project stopped."""

    def journal(self) -> AlarmLog: ...

    def alarm_kpis(self, start: float, end: float, config: AlarmConfig | None = None) -> AlarmKpis: ...

    def server_events(
        self,
        start: float | None = None,
        end: float | None = None,
        text: str = "",
        priorities: Iterable[Priority] = (),
        limit: int = 1000,
    ) -> list[ServerEvent]:
        """The journaled server events, newest first, read without opening the journal for writing."""

    def audit(self) -> AuditLog: ...

    def audit_rows(self, start: float | None = None, end: float | None = None) -> list[AuditRow]:
        """The trail's rows in [start, end), newest first (AuditError while there is none)."""

    def audit_search(
        self,
        start: float | None = None,
        end: float | None = None,
        user: str = "",
        action: str = "",
        text: str = "",
        limit: int | None = 5000,
    ) -> list[AuditRow]:
        """Rows newest first in [start, end) of `user` and `action` (any when empty) whose target,
        values or reason contain `text` (any case); AuditError while there is no trail."""

    def audit_choices(self) -> tuple[list[str], list[str]]:
        """The users and the actions that occur in the trail, for filter lists."""

    def verify_audit(self) -> ChainReport: ...

    def audit_location(self) -> str:
        """Where the audit trail is, in words for the operator."""

    def shared_alarms(self) -> SharedAlarms | None:
        """The alarm actions shared with the site's other stations; None where a station is alone."""

    def user_store(self) -> Users:
        """The users who may log in: this station's own, or a site's shared ones."""
