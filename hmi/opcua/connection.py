"""One OPC-UA server as a source of tag samples (a `TagSource`): the facade over the layers.

Like asyncua's own `Client` over `UaClient` and `UaSession`, each file is one level:
  supervisor.py    reconnect with backoff, liveness, the state the UI shows
  session.py       one session in tags: security, identity, nodes, writes
  subscription.py  the subscription's items and data into the tag table
  servers.py       which of the redundant servers to use
A secure connection opens only to a server whose certificate the user trusted (see security.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import WriteRefused
from ..project.model import Connection as ConnectionConfig
from ..project.model import Tag
from ..sources.port import ServerAlarms, ServerEvents
from ..sources.status import ConnectionCounters, ConnectionState, ConnectionStatus, WriteResult
from ..tags import TagTable
from .conditions import ConditionMonitor
from .credentials import Credentials
from .redact import install as keep_secrets_out_of_the_log
from .security import Pki
from .server_events import EventMonitor
from .servers import ServerChoice
from .session import TagSession
from .subscription import TagSubscription
from .supervisor import Supervisor

keep_secrets_out_of_the_log()


class Connection:
    """A project connection: keeps its tags in the table current, with quality, whatever the link does."""

    def __init__(
        self,
        name: str,
        config: ConnectionConfig,
        tags: list[Tag],
        table: TagTable,
        alarms: ServerAlarms | None = None,
        *,
        events: ServerEvents | None = None,
        credentials: Credentials | None = None,
        pki: Pki | None = None,
    ):
        self.name = name
        self.config = config
        self.tags = {t.name: t for t in tags}
        self.table = table
        self.conditions = ConditionMonitor(name, alarms) if config.conditions and alarms is not None else None
        """The server's Alarms & Conditions in `alarms`, when the project asks for them."""
        self.events = EventMonitor(name, events) if config.events and events is not None else None
        """The server's plain events in `events`, when the project asks for them."""
        self.subscription = TagSubscription(
            name, config, table, self.conditions, self.events, self._on_subscription_status, self._on_flowing
        )
        self._session = TagSession(
            name,
            config,
            self.tags,
            table,
            self.subscription,
            credentials=credentials,
            pki=pki or Pki(),
            on_asking=lambda detail: self._supervisor.set_status(ConnectionState.CONNECTING, detail),
        )
        self._supervisor = Supervisor(name, self.tags, table, self._session)

    # The subscription is made before the supervisor that hears it.
    def _on_subscription_status(self, status: Any) -> None:
        self._supervisor.on_subscription_status(status)

    def _on_flowing(self) -> None:
        self._supervisor.on_flowing()

    # -- what the UI and the runtime see -------------------------------------------------------

    @property
    def status(self) -> ConnectionStatus:
        return self._supervisor.status

    @property
    def node_problems(self) -> dict[str, str]:
        """Tag name -> why the server does not serve it (reported per tag, not fatal)."""
        return self._session.node_problems

    @property
    def servers(self) -> ServerChoice:
        """Which server is in use: the endpoint, or a backup of higher ServiceLevel."""
        return self._session.servers

    @property
    def pki(self) -> Pki:
        return self._session.pki

    @pki.setter
    def pki(self, pki: Pki) -> None:
        self._session.pki = pki

    @property
    def reconnects(self) -> int:
        return self._supervisor.reconnects

    @property
    def last_error(self) -> str:
        return self._supervisor.last_error

    def describe(self) -> str:
        return self.servers.describe()

    def counters(self) -> ConnectionCounters:
        sub = self.subscription
        return ConnectionCounters(
            sub.notifications,
            sub.overflows,
            self.reconnects,
            self.last_error,
            latency_ms=sub.latency.median_ms(),
        )

    def on_status(self, listener: Callable[[ConnectionStatus], None]) -> Callable[[], None]:
        """Call `listener` on every state change; returns the function that stops it."""
        return self._supervisor.status_changed.connect(listener)

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Begin connecting in the background; tags stay Bad until the server answers."""
        self._supervisor.start()

    def retry_now(self) -> None:
        """Cut a wait before the next connect short, e.g. once the user trusted the certificate."""
        self._supervisor.retry_now()

    async def stop(self) -> None:
        await self._supervisor.stop()
        if self.conditions is not None:
            await self.conditions.stop()
        if self.events is not None:
            await self.events.stop()
        await self._session.close()
        self._supervisor.set_status(ConnectionState.STOPPED)

    # -- writes --------------------------------------------------------------------------------

    async def _write(self, name: str, value: Any) -> WriteResult:
        """Send an already validated value in the node's own data type, then read it back. Every
        failure, whatever its cause, is a WriteRefused saying why.

        Not public: `Runtime.write`, the one way to write (permission, limits, audit), calls it."""
        client = self._session.client
        if client is None or self.status.state is not ConnectionState.CONNECTED:
            raise WriteRefused(f"{name}: not written: {self.name} is {self.status.state.value}")
        return await self._session.write(client, name, value)
