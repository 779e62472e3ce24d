"""Plain events a server emits (audit, system, device events: anything that is not a condition): the
record of one, and the feed that journals each and tells the event list as it arrives."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from ..events import Event

if TYPE_CHECKING:
    from ..storage.port import AlarmLog


class ServerEvent(NamedTuple):
    """One event of a server: when, which of its objects it is about, how severe (OPC-UA 1-1000 and
    our priority for it, mapped as for conditions), what it says, its type and our connection."""

    ts: float
    connection: str
    source: str
    severity: int
    priority: str
    message: str
    event_type: str


class EventFeed:
    """Where sources hand server events (the data-source port's `ServerEvents`): each is journaled,
    which never blocks (a flood past the journal's bound is dropped and counted), then announced."""

    def __init__(self, journal: AlarmLog):
        self.journal = journal
        self.arrived: Event[ServerEvent] = Event("server event")

    def record_event(self, event: ServerEvent) -> None:
        self.journal.record_event(event)
        self.arrived.emit(event)
