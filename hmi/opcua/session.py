"""One session with an OPC-UA server at a time, in tags: opened with the connection's security and
identity (at the best of its redundant servers), every tag's node resolved by namespace URI and
checked, the subscription made, writes sent in the node's own type and read back.

Nothing here retries or decides when a link is lost: that is the supervisor's job (supervisor.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from asyncua import Client, ua

from ..errors import CommError, WriteRefused
from ..project.model import Connection as ConnectionConfig
from ..project.model import Tag
from ..quality import NODE_UNKNOWN, Quality, Sample
from ..sources.status import WriteResult
from ..tags import TagTable
from .conditions import ConditionMonitor
from .credentials import Credentials, credential_name, keyring_service, stored_password
from .login import identify, secure
from .nodes import in_node_type, resolve, same_value, type_mismatch
from .security import Pki
from .servers import ServerChoice, close_client
from .subscription import TagSubscription

log = logging.getLogger(__name__)


class TagSession:
    """The client of the session in use, the nodes of the tags and what the server refused."""

    def __init__(
        self,
        name: str,
        config: ConnectionConfig,
        tags: dict[str, Tag],
        table: TagTable,
        subscription: TagSubscription,
        *,
        credentials: Credentials | None,
        pki: Pki,
        on_asking: Callable[[str], None],
    ):
        self.name = name
        self.config = config
        self.tags = tags
        self.table = table
        self.subscription = subscription
        self.pki = pki
        self._credentials = credentials or (lambda _name, user: stored_password(config.endpoint, user, name))
        self._password: str | None = None
        self._asking = asyncio.Lock()
        self._on_asking = on_asking
        self.client: Client | None = None
        self.node_problems: dict[str, str] = {}
        """Tag name -> why the server does not serve it (reported per tag, not fatal)."""
        self._nodes: dict[str, ua.NodeId] = {}
        """Tag name -> its node id with the namespace index the server uses now."""
        self._variant_types: dict[str, ua.VariantType] = {}
        self.servers = ServerChoice(name, config, self.open)
        """Which server is in use: the endpoint, or a backup of higher ServiceLevel."""

    @property
    def conditions(self) -> ConditionMonitor | None:
        return self.subscription.conditions

    def forget_password(self) -> None:
        """The server refused the login: ask again next time."""
        self._password = None

    async def connect(self, on_lost: Callable[[Exception], Awaitable[None]]) -> Client:
        """A session with the best server; `on_lost` hears asyncua see the link go."""
        problem = insecure_identity(self.config)
        if problem is not None:
            raise IdentityRefused(problem)
        client = await self.servers.best()
        client.connection_lost_callback = on_lost
        self.client = client
        return client

    async def open(self, endpoint: str) -> Client:
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
            self._on_asking(f"asking the password of user {user}")
            answer = self._credentials(self.name, user)
            self._password = await answer if inspect.isawaitable(answer) else answer
        if self._password is None:
            raise CommError(
                f"no password for user {user}: log in from the window, or store it in the OS keyring "
                f"(keyring set '{keyring_service(self.config.endpoint)}' {user}), or give a headless "
                f"service the systemd credential {credential_name(self.name)}"
            )

    async def close(self) -> None:
        client, self.client = self.client, None
        if client is None:
            return
        await self.subscription.close()
        await close_client(client, self.config.timeout_s)

    # -- tags ----------------------------------------------------------------------------------

    async def subscribe(self, client: Client) -> None:
        """Resolve every tag's node in the server's namespaces as they are now, find the nodes it
        lacks and their data types, and (re)create the subscription: every item sends its value."""
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

    async def resubscribe(self, client: Client) -> None:
        try:
            async with asyncio.timeout(3 * self.config.timeout_s):  # requests wait while asyncua reconnects
                await self.subscribe(client)
        except Exception as exc:  # the liveness check goes on: silence leads to a new session
            log.warning("%s: subscribing failed: %s", self.name, describe(exc))

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

    async def write(self, client: Client, name: str, value: Any) -> WriteResult:
        """Send an already validated value in the node's own data type, then read it back."""
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
