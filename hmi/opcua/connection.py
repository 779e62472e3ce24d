"""One OPC-UA server as a source of tag samples: subscribe, stay connected, write.

asyncua's `auto_reconnect` re-establishes a lost session; this class adds what it leaves out:
retrying a first connect that fails, turning every tag Bad the moment the link is lost, a fresh
subscription after every reconnect (node ids resolved again by namespace URI), a liveness watch
that never lets a silent subscription pass for Good, and a state the UI can show. A secure
connection opens only to a server whose certificate the user trusted (see security.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from asyncua import Client, ua
from asyncua.client.ua_client import UaClientState

from ..alarms import AlarmEngine
from ..errors import CommError, WriteRefused
from ..notices import OPERATOR
from ..project.model import Connection as ConnectionConfig
from ..project.model import Tag
from ..quality import COMM_FAILURE, NODE_UNKNOWN, STALE, Quality, Sample
from ..tags import TagTable
from .conditions import ConditionMonitor
from .credentials import Credentials, credential_name, keyring_service, stored_password
from .login import explain, identify, login_refused, secure
from .nodes import in_node_type, resolve, same_value, type_mismatch
from .redact import install as keep_secrets_out_of_the_log
from .security import CertificateRefused, CertInfo, Pki
from .servers import ServerChoice, close_client
from .subscription import TagSubscription

log = logging.getLogger(__name__)
keep_secrets_out_of_the_log()

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


class ConnectionState(Enum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
    STALE = "stale"
    """Connected, but the server sent neither data nor keep-alive in time: tags are Bad, repair under way."""
    LOST = "lost"
    STOPPED = "stopped"


@dataclass(frozen=True)
class ConnectionStatus:
    """What the UI shows for a connection: state, why, and when the next attempt is due."""

    state: ConnectionState
    detail: str = ""
    retry_at: float | None = None
    refused: CertInfo | None = None
    """The server certificate this connection refused, for the UI to offer a review and Trust."""
    since: float | None = None
    """When the server went silent (epoch s), for a STALE connection: the UI shows the age."""


@dataclass(frozen=True)
class ConnectionCounters:
    """What a connection did since it started, for the user to judge its health."""

    notifications: int
    """Data changes received."""
    overflows: int
    """Changes that came with the OverflowBit: the server's queue for the item dropped older ones."""
    reconnects: int
    last_error: str


@dataclass(frozen=True)
class WriteResult:
    """Outcome of a write the server accepted: whether reading back showed the value took."""

    confirmed: bool
    read_back: Any
    problem: str = ""
    """Why the write is not confirmed, in words: the value read back, or why it could not be read."""


class Connection:
    """A project connection: keeps its tags in the table current, with quality, whatever the link does."""

    def __init__(
        self,
        name: str,
        config: ConnectionConfig,
        tags: list[Tag],
        table: TagTable,
        alarms: AlarmEngine | None = None,
        *,
        credentials: Credentials | None = None,
        pki: Pki | None = None,
    ):
        self.name = name
        self.config = config
        self.tags = {t.name: t for t in tags}
        self._aged = [(t.name, t.max_age_s) for t in tags if t.max_age_s is not None]
        """The tags a value may grow too old on: looked at twice a second, so only these."""
        self.table = table
        self.status = ConnectionStatus(ConnectionState.CONNECTING)
        self.node_problems: dict[str, str] = {}
        """Tag name -> why the server does not serve it (reported per tag, not fatal)."""
        self._listeners: list[Callable[[ConnectionStatus], None]] = []
        self._client: Client | None = None
        self._task: asyncio.Task[None] | None = None
        self._nodes: dict[str, ua.NodeId] = {}
        """Tag name -> its node id with the namespace index the server uses now."""
        self._variant_types: dict[str, ua.VariantType] = {}
        self.conditions = ConditionMonitor(name, alarms) if config.conditions and alarms is not None else None
        """The server's Alarms & Conditions in `alarms`, when the project asks for them."""
        self.subscription = TagSubscription(
            name, config, table, self.conditions, self._on_subscription_status, self._on_flowing
        )
        self.reconnects = 0
        self.last_error = ""
        self.servers = ServerChoice(name, config, self._open)
        """Which server is in use: the endpoint, or a backup of higher ServiceLevel."""
        self._asking = asyncio.Lock()
        self._repairs = 0
        self._subscription_ended = False
        self._lost_reason = "connection lost"
        self.pki = pki or Pki()
        self._credentials = credentials or (lambda _name, user: stored_password(config.endpoint, user, name))
        self._password: str | None = None
        self._retry = asyncio.Event()

    # -- state ---------------------------------------------------------------------------------

    def on_status(self, listener: Callable[[ConnectionStatus], None]) -> Callable[[], None]:
        """Call `listener` on every state change; returns the function that stops it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _set_status(
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
        for listener in self._listeners:
            listener(self.status)

    def _mark_all_bad(self, reason: str) -> None:
        self.table.mark_bad(self.tags, reason)

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Begin connecting in the background; tags stay Bad until the server answers."""
        self._task = asyncio.create_task(self._run(), name=f"connection {self.name}")

    def retry_now(self) -> None:
        """Cut a wait before the next connect short, e.g. once the user trusted the certificate."""
        self._retry.set()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self.conditions is not None:
            await self.conditions.stop()
        await self._close_client()
        self._set_status(ConnectionState.STOPPED)

    async def _close_client(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        await self.subscription.close()
        await close_client(client, self.config.timeout_s)

    async def _run(self) -> None:
        delay = FIRST_RETRY_S
        while True:
            self._set_status(ConnectionState.CONNECTING, self.servers.active)
            try:
                await self._connect()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                await self._close_client()
                refused = exc.info if isinstance(exc, CertificateRefused) else None
                refused_login = login_refused(exc) or isinstance(exc, IdentityRefused)
                if refused_login:
                    self._password = None  # ask again next time
                wait = REFUSED_RETRY_S if refused or refused_login else delay
                reason = explain(exc, self.config.identity, self.pki) or describe(exc)
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
            await self._close_client()
            self.reconnects += 1
            if self.status.state is not ConnectionState.LOST:  # asyncua's lost callback said it already
                self._lost(f"{reason}; reconnecting", FIRST_RETRY_S)
            await self._wait_retry(FIRST_RETRY_S)

    def counters(self) -> ConnectionCounters:
        sub = self.subscription
        return ConnectionCounters(sub.notifications, sub.overflows, self.reconnects, self.last_error)

    def _lost(self, reason: str, wait: float, refused: CertInfo | None = None) -> None:
        self.last_error = reason
        self._mark_all_bad(COMM_FAILURE)
        self._set_status(
            ConnectionState.LOST, f"{self.servers.active}: {reason}", time.time() + wait, refused
        )

    async def _wait_retry(self, wait: float) -> None:
        self._retry.clear()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(wait):
                await self._retry.wait()

    async def _connect(self) -> None:
        problem = insecure_identity(self.config)
        if problem is not None:
            raise IdentityRefused(problem)
        client = await self.servers.best()
        client.connection_lost_callback = self._on_lost
        self._lost_reason = "connection lost"
        self._client = client
        self._set_status(ConnectionState.CONNECTED, self.servers.describe())  # before the first values arrive
        await self._subscribe(client)

    async def _open(self, endpoint: str) -> Client:
        """A session with one server; the client is closed again if it fails."""
        cfg = self.config
        client = Client(endpoint, timeout=cfg.timeout_s, watchdog_intervall=cfg.watchdog_s)
        client.name = client.description = "OpenHMI"
        client.application_uri = "urn:openhmi:client"
        try:
            if cfg.security.mode != "None":
                await secure(client, endpoint, cfg.security, self.pki)
            if cfg.identity.kind == "username":  # only to a server already trusted
                async with self._asking:  # one prompt for the endpoint and its backups
                    await self._ask_password()
            await identify(client, cfg.identity, self.pki, self._password)
            await client.connect(auto_reconnect=False)  # reconnects are ours: a new session each time
        except BaseException:
            await close_client(client, cfg.timeout_s)
            raise
        return client

    async def _ask_password(self) -> None:
        """The password of the user identity, from the provider (a prompt, the keyring), once."""
        user = self.config.identity.user
        assert user is not None
        if self._password is None:
            self._set_status(ConnectionState.CONNECTING, f"asking the password of user {user}")
            answer = self._credentials(self.name, user)
            self._password = await answer if inspect.isawaitable(answer) else answer
        if self._password is None:
            raise CommError(
                f"no password for user {user}: log in from the window, or store it in the OS keyring "
                f"(keyring set '{keyring_service(self.config.endpoint)}' {user}), or give a headless "
                f"service the systemd credential {credential_name(self.name)}"
            )

    async def _subscribe(self, client: Client) -> None:
        """Resolve every tag's node in the server's namespaces as they are now, find the nodes it
        lacks and their data types, and (re)create the subscription: every item sends its value."""
        self._subscription_ended = False
        namespaces = await client.get_namespace_array()
        self.node_problems.clear()
        self._nodes = {}
        for name, tag in self.tags.items():
            node = resolve(tag.node, namespaces)
            if isinstance(node, str):
                self._refuse(name, f"{NODE_UNKNOWN}: {node}", NODE_UNKNOWN)
            else:
                self._nodes[name] = node
        await self._read_types(client)
        nodes = {n: (self.tags[n], node) for n, node in self._nodes.items() if n not in self.node_problems}
        for name, problem in (await self.subscription.open(client, nodes)).items():
            self._refuse(name, problem)
        client.uaclient.ensure_publish_loop()  # a loop that ended on the old subscription's last answer

    async def _read_types(self, client: Client) -> None:
        """Each node's data type and value rank, for writes in the node's own type and to refuse
        what a tag cannot hold; a node that is not there is named."""
        names = list(self._nodes)
        attributes = (ua.AttributeIds.DataType, ua.AttributeIds.ValueRank)
        params = ua.ReadParameters()
        params.NodesToRead = [
            ua.ReadValueId(NodeId=self._nodes[n], AttributeId=a) for n in names for a in attributes
        ]
        results = await client.uaclient.read(params) if names else []
        self._variant_types.clear()
        for name, result, rank in zip(names, results[::2], results[1::2], strict=True):
            if not result.StatusCode.is_good():
                self._refuse(name, f"{NODE_UNKNOWN}: {self.tags[name].node}", NODE_UNKNOWN)
                continue
            type_id = result.Value.Value
            if isinstance(type_id, ua.NodeId) and type_id.NamespaceIndex == 0:
                with contextlib.suppress(ValueError):
                    self._variant_types[name] = ua.VariantType(type_id.Identifier)
            if rank.StatusCode.is_good() and isinstance(rank.Value.Value, int) and rank.Value.Value >= 1:
                self._refuse(name, "the node holds an array: a tag takes a single value")
                continue
            problem = type_mismatch(self.tags[name].type, self._variant_types.get(name))
            if problem is not None:
                self._refuse(name, problem)

    def _refuse(self, name: str, problem: str, reason: str | None = None) -> None:
        """The server cannot serve this tag: named in node_problems, Bad with `reason` (the problem)."""
        log.warning("%s: tag %s: %s", self.name, name, problem)
        self.node_problems[name] = problem
        self.table.update(name, Sample(None, Quality.BAD, time.time(), reason or problem))

    def _on_flowing(self) -> None:
        """The subscription's first data, or a keep-alive after a repair: no longer stale."""
        if self.status.state is ConnectionState.STALE:
            self._set_status(ConnectionState.CONNECTED, f"{self.servers.describe()}: updates flowing again")
            self._repairs = 0

    def _on_subscription_status(self, status: ua.StatusCode) -> None:
        """The server ended the subscription (e.g. BadTimeout): recreate it at the next liveness check."""
        log.warning("%s: the server ended the subscription: %s", self.name, status.name)
        self._subscription_ended = True

    async def _follow_session(self) -> str:
        """Watch the session until it is lost or stays silent; returns why it ended."""
        client = self._client
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
            await self.subscription.close()

    async def _resubscribe(self, client: Client) -> None:
        try:
            async with asyncio.timeout(3 * self.config.timeout_s):  # requests wait while asyncua reconnects
                await self._subscribe(client)
        except Exception as exc:  # the liveness check goes on: silence leads to a new session
            log.warning("%s: subscribing failed: %s", self.name, describe(exc))

    async def _check_liveness(self, client: Client) -> str | None:
        """Never let a silent subscription pass for Good: mark its tags Bad and recreate it; the
        reason to open a new session when that did not bring data back either."""
        self._age_tags()
        switch = await self.servers.degraded(client)
        if switch is not None:
            return switch
        sub, endpoint = self.subscription, self.servers.active
        if sub.heard() and sub.silent_s() < sub.stale_after_s:  # keep-alives count, not only data
            self._on_flowing()
        if sub.silent_s() < sub.stale_after_s and not self._subscription_ended:
            return None
        if self.status.state is not ConnectionState.STALE:
            silent = sub.silent_s()
            why = "the server ended the subscription" if self._subscription_ended else f"for {silent:.1f} s"
            self.table.mark_bad(sub.tags, STALE)
            self._set_status(
                ConnectionState.STALE, f"{endpoint}: no updates from server {why}", since=time.time() - silent
            )
        self._repairs += 1
        if self._repairs > SUBSCRIPTION_REPAIRS:
            self._repairs = 0
            return "no updates from server, also after recreating the subscription"
        log.info("%s: recreating the subscription", self.name)
        await self._resubscribe(client)
        return None

    def _age_tags(self) -> None:
        """A Good value older than its tag's max_age_s is Uncertain: the server answers, the value froze."""
        now = time.time()
        for name, max_age_s in self._aged:
            sample = self.table.get(name)
            if sample.good and now - sample.ts > max_age_s:
                reason = f"no change for over {max_age_s:g} s"
                self.table.update(name, Sample(sample.value, Quality.UNCERTAIN, sample.ts, reason))

    async def _on_lost(self, exc: Exception) -> None:
        """asyncua saw the link go (before it reports the state): every tag Bad at once."""
        self._lost_reason = describe(exc)
        self._lost(f"{self._lost_reason}; reconnecting", FIRST_RETRY_S)

    # -- writes --------------------------------------------------------------------------------

    async def _write(self, name: str, value: Any) -> WriteResult:
        """Send an already validated value in the node's own data type, then read it back. Every
        failure, whatever its cause, is a WriteRefused saying why.

        Not public: `Runtime.write`, the one way to write (permission, limits, audit), calls it."""
        client = self._client
        if client is None or self.status.state is not ConnectionState.CONNECTED:
            raise WriteRefused(f"{name}: not written: {self.name} is {self.status.state.value}")
        if name in self.node_problems or name not in self._nodes:
            raise WriteRefused(f"{name}: not written: {self.node_problems.get(name, NODE_UNKNOWN)}")
        vtype = self._variant_types.get(name, ua.VariantType[self.tags[name].type])
        value = in_node_type(name, value, vtype)
        node = client.get_node(self._nodes[name])
        try:
            await node.write_value(ua.DataValue(ua.Variant(value, vtype)))
        except ua.UaStatusCodeError as exc:
            raise WriteRefused(f"{name}: the server refused the write: {describe(exc)}") from None
        except Exception as exc:
            raise WriteRefused(f"{name}: write failed: {describe(exc)}") from None
        try:
            read_back = await node.read_value()
        except Exception as exc:
            return WriteResult(False, None, f"written, but reading it back failed: {describe(exc)}")
        if same_value(value, read_back, vtype):
            return WriteResult(True, read_back)
        return WriteResult(False, read_back, f"reads back {read_back!r}")


class IdentityRefused(CommError):
    """The connection's user identity cannot be used as configured; nothing was sent to a server."""


def insecure_identity(config: ConnectionConfig) -> str | None:
    """Why a user name and password must not go to this server as configured, or None."""
    if config.identity.kind == "username" and config.security.mode == "None":
        return (
            f"user {config.identity.user} is not logged in over security mode None: the password would "
            "go out unencrypted; use security mode SignAndEncrypt (or Sign) for a user name identity"
        )
    return None


def describe(exc: BaseException) -> str:
    """A short operator-readable reason for a communication exception."""
    if isinstance(exc, ua.UaStatusCodeError):
        return ua.StatusCode(exc.code).name
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused (is the server running?)"
    if isinstance(exc, asyncio.TimeoutError | TimeoutError):
        return "no answer (timeout)"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc) or type(exc).__name__
