"""One OPC-UA server as a source of tag samples: subscribe, stay connected, write.

asyncua's `auto_reconnect` re-establishes a lost session and restores its subscriptions; this class
adds what it leaves out: retrying a first connect that fails, turning every tag Bad the moment the
link is lost, refreshing values that did not change across a reconnect, and a state the UI can show.
A secure connection opens only to a server whose certificate the user trusted (see security.py).
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
from asyncua.common.subscription import OpcEvent

from ..alarms import AlarmEngine
from ..errors import CommError, WriteRefused
from ..project.model import Connection as ConnectionConfig
from ..project.model import Tag
from ..quality import COMM_FAILURE, NODE_UNKNOWN, Quality, Sample
from ..tags import TagTable
from .conditions import ConditionMonitor
from .credentials import Credentials, keyring_service, stored_password
from .login import certificate_changed, explain, identify, login_refused, secure
from .security import CertificateRefused, CertInfo, Pki

log = logging.getLogger(__name__)

FIRST_RETRY_S = 1.0
MAX_RETRY_S = 30.0
REFUSED_RETRY_S = MAX_RETRY_S
"""A refused certificate or login is retried this late (or at once on `retry_now`): never in a spin."""


class ConnectionState(Enum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
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


@dataclass(frozen=True)
class WriteResult:
    """Outcome of a write the server accepted: whether reading back showed the value took."""

    confirmed: bool
    read_back: Any


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
        self.table = table
        self.status = ConnectionStatus(ConnectionState.CONNECTING)
        self.node_problems: dict[str, str] = {}
        """Tag name -> why the server does not serve it (reported per tag, not fatal)."""
        self._listeners: list[Callable[[ConnectionStatus], None]] = []
        self._client: Client | None = None
        self._task: asyncio.Task[None] | None = None
        self._handles: dict[int, str] = {}
        self._variant_types: dict[str, ua.VariantType] = {}
        self._consumer: asyncio.Task[None] | None = None
        self.conditions = ConditionMonitor(name, alarms) if config.conditions and alarms is not None else None
        """The server's Alarms & Conditions in `alarms`, when the project asks for them."""
        self.pki = pki or Pki()
        self._credentials = credentials or (lambda _name, user: stored_password(config.endpoint, user))
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
    ) -> None:
        self.status = ConnectionStatus(state, detail, retry_at, refused)
        if state is ConnectionState.LOST:
            log.warning("%s: %s", self.name, detail)
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
        if client.uaclient.state is UaClientState.CONNECTED:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(client.disconnect(), self.config.timeout_s)
                return
        # The server is gone: tell the supervisor to stop and drop the socket without a goodbye.
        client.uaclient.request_disconnect()
        for task in (client._supervisor_task, client._stale_watchdog_task, client._renew_channel_task):
            if task is not None:
                task.cancel()
        client.disconnect_socket()

    async def _run(self) -> None:
        delay = FIRST_RETRY_S
        while True:
            self._set_status(ConnectionState.CONNECTING, self.config.endpoint)
            try:
                await self._connect()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                await self._close_client()
                refused = exc.info if isinstance(exc, CertificateRefused) else None
                refused_login = login_refused(exc)
                if refused_login:
                    self._password = None  # ask again next time
                wait = REFUSED_RETRY_S if refused or refused_login else delay
                reason = explain(exc, self.config.identity, self.pki) or describe(exc)
                self._mark_all_bad(COMM_FAILURE)
                self._set_status(
                    ConnectionState.LOST,
                    f"{self.config.endpoint}: {reason}",
                    time.time() + wait,
                    refused,
                )
                self._retry.clear()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(wait):
                        await self._retry.wait()
                delay = min(delay * 2, MAX_RETRY_S)
                continue
            delay = FIRST_RETRY_S
            await self._follow_state()
            await self._close_client()  # only after a changed server certificate: start over and check it

    async def _connect(self) -> None:
        cfg = self.config
        client = Client(cfg.endpoint, timeout=cfg.timeout_s, watchdog_intervall=cfg.watchdog_s)
        client.name = client.description = "OpenHMI"
        client.application_uri = "urn:openhmi:client"
        client.connection_lost_callback = self._on_lost
        self._client = client
        if cfg.security.mode != "None":
            await secure(client, cfg.endpoint, cfg.security, self.pki)
        if cfg.identity.kind == "username":
            await self._ask_password()
        await identify(client, cfg.identity, self.pki, self._password)
        await client.connect(auto_reconnect=True, reconnect_max_delay=MAX_RETRY_S / 3)
        await self._check_nodes(client)
        await self._subscribe(client)

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
                f"(keyring set '{keyring_service(self.config.endpoint)}' {user})"
            )

    async def _check_nodes(self, client: Client) -> None:
        """Find nodes the server lacks, and each node's data type for writes."""
        names = list(self.tags)
        params = ua.ReadParameters()
        params.NodesToRead = [_read_id(self.tags[n].node, ua.AttributeIds.DataType) for n in names]
        results = await client.uaclient.read(params)
        self.node_problems.clear()
        for name, result in zip(names, results, strict=True):
            if not result.StatusCode.is_good():
                self.node_problems[name] = f"{NODE_UNKNOWN}: {self.tags[name].node}"
                continue
            type_id = result.Value.Value
            if isinstance(type_id, ua.NodeId) and type_id.NamespaceIndex == 0:
                with contextlib.suppress(ValueError):
                    self._variant_types[name] = ua.VariantType(type_id.Identifier)
        for name, problem in self.node_problems.items():
            log.warning("%s: tag %s: %s", self.name, name, problem)
            self.table.update(name, Sample(None, Quality.BAD, time.time(), NODE_UNKNOWN))

    async def _subscribe(self, client: Client) -> None:
        cfg = self.config
        sub = await client.create_subscription(cfg.publishing_interval_ms, queue_maxsize=0)
        requests = []
        self._handles = {}
        for handle, name in enumerate((n for n in self.tags if n not in self.node_problems), start=1):
            self._handles[handle] = name
            requests.append(_monitor_request(self.tags[name], handle, cfg.sampling_interval_ms))
        if requests:
            results = await sub.create_monitored_items(requests)
            for handle, result in zip(list(self._handles), results, strict=True):
                if isinstance(result, ua.StatusCode):
                    name = self._handles.pop(handle)
                    self.node_problems[name] = f"cannot monitor: {result.name}"
                    self.table.update(name, Sample(None, Quality.BAD, time.time(), self.node_problems[name]))
        if self.conditions is not None:
            await self.conditions.start(client, sub)
        self._consumer = asyncio.create_task(self._consume(sub), name=f"{self.name} data")

    async def _consume(self, sub: Any) -> None:
        """Move data-change events from asyncua's queue into the tag table, in arrival order."""
        handles, update = self._handles, self.table.update
        from_status = Quality.from_status
        while True:
            event = await sub.next_event()
            notif = getattr(event, "data", None)
            if notif is None:
                if self.conditions is not None and isinstance(event, OpcEvent):
                    self.conditions.on_event(event.event)
                continue
            item = notif.monitored_item
            name = handles.get(item.ClientHandle)
            if name is None:
                continue
            dv = item.Value
            code = dv.StatusCode.value if dv.StatusCode is not None else 0
            ts = dv.SourceTimestamp or dv.ServerTimestamp
            quality = from_status(code)
            reason = "" if quality is Quality.GOOD else dv.StatusCode.name
            update(name, Sample(event.value, quality, ts.timestamp() if ts else time.time(), reason))

    async def _follow_state(self) -> None:
        """Mirror asyncua's reconnect supervisor into our state until the client gives up."""
        client = self._client
        assert client is not None
        self._set_status(ConnectionState.CONNECTED, self.config.endpoint)
        try:
            async with client.uaclient.subscribe_state() as states:
                while True:
                    state = await self._next_state(states, client)
                    if state is None:
                        log.warning("%s: the server shows another certificate now", self.name)
                        return
                    if state is UaClientState.CONNECTED:
                        self._set_status(ConnectionState.CONNECTED, self.config.endpoint)
                        await self._refresh_bad()
                        if self.conditions is not None:
                            self.conditions.refresh()
                    elif state is UaClientState.DISCONNECTED and client.uaclient.is_disconnect_requested:
                        return
                    elif self.status.state is not ConnectionState.LOST and state in (
                        UaClientState.RECONNECTING,
                        UaClientState.DISCONNECTED,
                    ):
                        self._mark_all_bad(COMM_FAILURE)
                        self._set_status(ConnectionState.LOST, f"{self.config.endpoint}: reconnecting")
        finally:
            if self._consumer is not None:
                self._consumer.cancel()

    async def _next_state(self, states: Any, client: Client) -> UaClientState | None:
        """asyncua's next client state; None if the server's certificate changed while reconnecting."""
        if self.status.state is not ConnectionState.LOST or self.config.security.mode == "None":
            return await states.next_change()
        known = client.security_policy.peer_certificate
        change = asyncio.ensure_future(states.next_change())
        watch = asyncio.ensure_future(certificate_changed(self.config.endpoint, self.config.security, known))
        try:
            await asyncio.wait({change, watch}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (change, watch):
                task.cancel()
        return change.result() if change.done() and not change.cancelled() else None

    async def _on_lost(self, exc: Exception) -> None:
        self._mark_all_bad(COMM_FAILURE)
        self._set_status(ConnectionState.LOST, f"{self.config.endpoint}: {describe(exc)}; reconnecting")

    async def _refresh_bad(self) -> None:
        """After a reconnect that kept the session, unchanged values send no notification: read them."""
        client = self._client
        stale = [n for n in self._handles.values() if self.table.get(n).reason == COMM_FAILURE]
        if client is None or not stale:
            return
        params = ua.ReadParameters()
        params.NodesToRead = [_read_id(self.tags[n].node, ua.AttributeIds.Value) for n in stale]
        params.TimestampsToReturn = ua.TimestampsToReturn.Both
        try:
            results = await client.uaclient.read(params)
        except Exception as exc:
            log.info("%s: refresh after reconnect failed: %s", self.name, describe(exc))
            return
        for name, dv in zip(stale, results, strict=True):
            if self.table.get(name).reason != COMM_FAILURE:
                continue  # a notification got there first and is as new or newer
            quality = Quality.from_status(dv.StatusCode.value)
            ts = dv.SourceTimestamp or dv.ServerTimestamp
            value = dv.Value.Value if dv.Value is not None else None
            reason = "" if quality is Quality.GOOD else dv.StatusCode.name
            self.table.update(name, Sample(value, quality, ts.timestamp() if ts else time.time(), reason))

    # -- writes --------------------------------------------------------------------------------

    async def write(self, name: str, value: Any) -> WriteResult:
        """Send an already validated value in the node's own data type, then read it back."""
        client = self._client
        if client is None or self.status.state is not ConnectionState.CONNECTED:
            raise WriteRefused(f"{name}: not written: {self.name} is {self.status.state.value}")
        if name in self.node_problems:
            raise WriteRefused(f"{name}: not written: {self.node_problems[name]}")
        tag = self.tags[name]
        vtype = self._variant_types.get(name, ua.VariantType[tag.type])
        node = client.get_node(tag.node)
        try:
            await node.write_value(ua.DataValue(ua.Variant(value, vtype)))
        except ua.UaStatusCodeError as exc:
            raise WriteRefused(f"{name}: the server refused the write: {describe(exc)}") from None
        except (TimeoutError, OSError, CommError) as exc:
            raise WriteRefused(f"{name}: write failed: {describe(exc)}") from None
        read_back = await node.read_value()
        return WriteResult(read_back == value, read_back)


def _read_id(node: str, attribute: ua.AttributeIds) -> ua.ReadValueId:
    rv = ua.ReadValueId()
    rv.NodeId = ua.NodeId.from_string(node)
    rv.AttributeId = attribute
    return rv


def _monitor_request(tag: Tag, handle: int, sampling_ms: int) -> ua.MonitoredItemCreateRequest:
    params = ua.MonitoringParameters()
    params.ClientHandle = handle
    params.SamplingInterval = sampling_ms
    params.QueueSize = 1
    params.DiscardOldest = True
    if tag.deadband is not None:
        params.Filter = ua.DataChangeFilter(
            Trigger=ua.DataChangeTrigger.StatusValue,
            DeadbandType=ua.DeadbandType.Absolute,
            DeadbandValue=tag.deadband,
        )
    request = ua.MonitoredItemCreateRequest()
    request.ItemToMonitor = _read_id(tag.node, ua.AttributeIds.Value)
    request.MonitoringMode = ua.MonitoringMode.Reporting
    request.RequestedParameters = params
    return request


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
