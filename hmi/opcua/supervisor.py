"""What keeps an OPC-UA connection alive: connect and reconnect with backoff, watch the session and
the subscription's liveness, and say the state at every step.

asyncua's `auto_reconnect` re-establishes a lost session; this adds what it leaves out: retrying a
first connect that fails, turning every tag Bad the moment the link is lost, a fresh session and
subscription after every loss, a liveness watch that never lets a silent subscription pass for Good,
and a state the UI can show.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from asyncua import Client, ua
from asyncua.client.ua_client import UaClientState

from ..events import Event
from ..notices import OPERATOR
from ..project.model import Tag
from ..quality import COMM_FAILURE, STALE
from ..sources.status import ConnectionState, ConnectionStatus
from ..tags import TagTable
from .login import explain, login_refused
from .security import CertificateRefused, CertInfo
from .session import IdentityRefused, TagSession, describe

log = logging.getLogger(__name__)

FIRST_RETRY_S = 1.0
MAX_RETRY_S = 5.0
"""The longest wait between attempts at a server that does not answer: one back from a pause or a
restart shows values within seconds, and an attempt on the LAN costs little."""
REFUSED_RETRY_S = 30.0
"""A refused certificate or login is retried this late (or at once on `retry_now`): never in a spin."""
LIVENESS_CHECK_S = 0.5
"""How often a connected subscription's silence and each tag's age are looked at."""
SUBSCRIPTION_REPAIRS = 1
"""A silent subscription is recreated this many times in its session before a new session is opened."""


class Supervisor:
    """Runs one connection's sessions one after the other, for as long as the connection is started."""

    def __init__(self, name: str, tags: dict[str, Tag], table: TagTable, session: TagSession):
        self.name = name
        self.tags = tags
        self.table = table
        self.session = session
        self._aged = [(t.name, t.max_age_s) for t in tags.values() if t.max_age_s is not None]
        """The tags a value may grow too old on: looked at twice a second, so only these."""
        self.status = ConnectionStatus(ConnectionState.CONNECTING)
        self.status_changed: Event[ConnectionStatus] = Event(f"{name} status")
        self.reconnects = 0
        self.last_error = ""
        self._task: asyncio.Task[None] | None = None
        self._repairs = 0
        self._subscription_ended = False
        self._lost_reason = "connection lost"
        self._retry = asyncio.Event()

    # -- state ---------------------------------------------------------------------------------

    def set_status(
        self,
        state: ConnectionState,
        detail: str = "",
        retry_at: float | None = None,
        refused: CertInfo | None = None,
        since: float | None = None,
    ) -> None:
        self.status = ConnectionStatus(state, detail, retry_at, refused, since)
        if state in (ConnectionState.LOST, ConnectionState.STALE):
            log.warning("%s: %s", self.name, detail, extra=OPERATOR)
        else:
            log.info("%s: %s %s", self.name, state.value, detail)
        self.status_changed.emit(self.status)  # a failing listener never ends the connection task

    def on_flowing(self) -> None:
        """The subscription's first data, or a keep-alive after a repair: no longer stale."""
        if self.status.state is ConnectionState.STALE:
            self.set_status(
                ConnectionState.CONNECTED, f"{self.session.servers.describe()}: updates flowing again"
            )
            self._repairs = 0

    def on_subscription_status(self, status: ua.StatusCode) -> None:
        """The server ended the subscription (e.g. BadTimeout): recreate it at the next liveness check."""
        log.warning("%s: the server ended the subscription: %s", self.name, status.name)
        self._subscription_ended = True

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"connection {self.name}")

    def retry_now(self) -> None:
        self._retry.set()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        delay = FIRST_RETRY_S
        session = self.session
        while True:
            self.set_status(ConnectionState.CONNECTING, session.servers.active)
            try:
                await self._connect()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                await session.close()
                refused = exc.info if isinstance(exc, CertificateRefused) else None
                refused_login = login_refused(exc) or isinstance(exc, IdentityRefused)
                if refused_login:
                    session.forget_password()
                wait = REFUSED_RETRY_S if refused or refused_login else delay
                reason = explain(exc, session.config.identity, session.pki) or describe(exc)
                self._lost(reason, wait, refused)
                await self._wait_retry(wait)
                delay = min(delay * 2, MAX_RETRY_S)
                continue
            delay = FIRST_RETRY_S
            try:
                reason = await self._follow_session()
            except Exception as exc:  # a defect here must not end the connection for good
                log.exception("%s: watching the session failed", self.name)
                reason = describe(exc)
            await session.close()
            self.reconnects += 1
            if self.status.state is not ConnectionState.LOST:  # asyncua's lost callback said it already
                self._lost(f"{reason}; reconnecting", FIRST_RETRY_S)
            await self._wait_retry(FIRST_RETRY_S)

    async def _connect(self) -> None:
        client = await self.session.connect(self._on_lost)
        self._lost_reason = "connection lost"
        # Before the first values arrive.
        self.set_status(ConnectionState.CONNECTED, self.session.servers.describe())
        self._subscription_ended = False
        await self.session.subscribe(client)

    def _lost(self, reason: str, wait: float, refused: CertInfo | None = None) -> None:
        self.last_error = reason
        self.table.mark_bad(self.tags, COMM_FAILURE)
        self.set_status(
            ConnectionState.LOST, f"{self.session.servers.active}: {reason}", time.time() + wait, refused
        )

    async def _wait_retry(self, wait: float) -> None:
        self._retry.clear()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(wait):
                await self._retry.wait()

    async def _on_lost(self, exc: Exception) -> None:
        """asyncua saw the link go (before it reports the state): every tag Bad at once."""
        self._lost_reason = describe(exc)
        self._lost(f"{self._lost_reason}; reconnecting", FIRST_RETRY_S)

    # -- liveness ------------------------------------------------------------------------------

    async def _follow_session(self) -> str:
        """Watch the session until it is lost or stays silent; returns why it ended."""
        client = self.session.client
        assert client is not None
        try:
            async with client.uaclient.subscribe_state() as states:
                while client.uaclient.state is UaClientState.CONNECTED:
                    try:
                        await states.next_change(LIVENESS_CHECK_S)
                    except TimeoutError:
                        silent = await self._check_liveness(client)
                        if silent is not None:
                            return silent
                return self._lost_reason
        finally:
            await self.session.subscription.close()

    async def _check_liveness(self, client: Client) -> str | None:
        """Never let a silent subscription pass for Good: mark its tags Bad and recreate it; the
        reason to open a new session when that did not bring data back either."""
        self.table.age(self._aged)
        switch = await self.session.servers.degraded(client)
        if switch is not None:
            return switch
        sub, endpoint = self.session.subscription, self.session.servers.active
        if sub.heard() and sub.silent_s() < sub.stale_after_s:  # keep-alives count, not only data
            self.on_flowing()
        if sub.silent_s() < sub.stale_after_s and not self._subscription_ended:
            return None
        if self.status.state is not ConnectionState.STALE:
            silent = sub.silent_s()
            why = "the server ended the subscription" if self._subscription_ended else f"for {silent:.1f} s"
            self.table.mark_bad(sub.tags, STALE)
            self.set_status(
                ConnectionState.STALE, f"{endpoint}: no updates from server {why}", since=time.time() - silent
            )
        self._repairs += 1
        if self._repairs > SUBSCRIPTION_REPAIRS:
            self._repairs = 0
            return "no updates from server, also after recreating the subscription"
        log.info("%s: recreating the subscription", self.name)
        self._subscription_ended = False
        await self.session.resubscribe(client)
        return None
