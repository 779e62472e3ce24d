"""The port every source of tag values plugs into: what the runtime asks of it, what it is given."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from ..alarms.record import Forwarder
from ..alarms.settings import Priority
from ..permissions import SYSTEM
from ..project.model import SourceConfig, Tag
from ..tags import TagTable
from .status import ConnectionCounters, ConnectionStatus, WriteResult

if TYPE_CHECKING:
    from ..alarms.model import Alarm
    from ..alarms.server_events import ServerEvent
    from ..opcua.credentials import Credentials
    from ..opcua.security import Pki


class ServerAlarms(Protocol):
    """Where a source puts the alarms its server owns (OPC-UA conditions): the alarm engine."""

    def update_external(
        self,
        alarm_id: str,
        *,
        tag: str,
        priority: Priority,
        message: str,
        active: bool,
        acked: bool,
        forward: Forwarder,
        ts: float | None = None,
        actor: str = SYSTEM,
        comment: str = "",
    ) -> None: ...

    def alarm(self, alarm_id: str) -> Alarm: ...


class ServerEvents(Protocol):
    """Where a source puts the plain events its server emits (not conditions): the event feed."""

    def record_event(self, event: ServerEvent) -> None: ...


@dataclass(frozen=True)
class SourceContext:
    """What the runtime lends every source: the table its tags live in and the station's services."""

    table: TagTable
    alarms: ServerAlarms | None = None
    credentials: Credentials | None = None
    """Passwords of user identities: a prompt or the keyring."""
    pki: Pki | None = None
    """The station's certificate store: trusting goes through the runtime's check point."""
    events: ServerEvents | None = None
    """Where plain server events go: the runtime's event feed."""


class TagSource(Protocol):
    """One connection of the project: keeps the tags it owns current in the table, with quality,
    whatever the link does. Every value it cannot vouch for is Bad with the reason; a lost link
    turns all its tags Bad at once and is re-established by the source itself, with backoff."""

    @property
    def name(self) -> str: ...

    @property
    def config(self) -> SourceConfig: ...

    @property
    def tags(self) -> dict[str, Tag]:
        """The tags it owns, by name."""

    @property
    def status(self) -> ConnectionStatus: ...

    @property
    def node_problems(self) -> dict[str, str]:
        """Tag name -> why this source cannot serve it (per tag, never fatal to the others)."""

    async def start(self) -> None:
        """Begin connecting in the background; tags stay Bad until the device answers."""

    async def stop(self) -> None:
        """Disconnect; the status ends STOPPED."""

    def on_status(self, listener: Callable[[ConnectionStatus], None]) -> Callable[[], None]:
        """Call `listener` on every state change; returns the function that stops it."""

    def retry_now(self) -> None:
        """Cut a wait before the next connect short."""

    def counters(self) -> ConnectionCounters: ...

    def describe(self) -> str:
        """Where the source is, for the user: endpoint, host and port."""

    async def _write(self, name: str, value: Any) -> WriteResult:
        """Send an already validated value, then read it back; WriteRefused says why not.

        Not public: `Runtime.write`, the one way to write (permission, limits, audit), calls it."""


SourceFactory = Callable[[str, Any, list[Tag], SourceContext], TagSource]
"""(connection name, its config, its tags, context) -> the source."""
TagCheck = Callable[[Tag, Any], list[tuple[str, str]]]
"""(tag, its connection's config) -> (field, problem) for each setting the kind cannot serve."""
