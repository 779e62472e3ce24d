"""Which server of a connection to use: its endpoint or a backup (non-transparent redundancy, OPC-UA
Part 4 6.6.2), chosen by ServiceLevel when connecting and left when it degrades."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable

from asyncua import Client, ua
from asyncua.client.ua_client import UaClientState

from ..project.model import Connection as ConnectionConfig

log = logging.getLogger(__name__)

SERVICE_LEVEL = ua.NodeId(ua.ObjectIds.Server_ServiceLevel)
HEALTHY = 255
BACKUP_PROBE_S = 10.0
"""While the active server is degraded, its backups are asked for their ServiceLevel this often
(each time a session opened and closed): a better one is taken, none is flooded with sessions."""

Opener = Callable[[str], Awaitable[Client]]
"""Opens a session with the server at an endpoint (security, identity), or raises why not."""


class ServerChoice:
    """The server a connection uses, and the ServiceLevel it last reported."""

    def __init__(self, name: str, config: ConnectionConfig, open_session: Opener):
        self.name = name
        self.config = config
        self._open = open_session
        self.active = config.endpoint
        self.level = HEALTHY
        self._level_checked = 0.0
        self._probed = -BACKUP_PROBE_S

    @property
    def endpoints(self) -> list[str]:
        return [self.config.endpoint, *self.config.backups]

    def describe(self) -> str:
        """The active server, and its ServiceLevel where there are redundant ones to choose from."""
        if not self.config.backups:
            return self.active
        return f"{self.active} (service level {self.level})"

    async def best(self) -> Client:
        """A session with the server of the highest ServiceLevel (the first listed of equals); the
        others' sessions are closed. Raises the endpoint's own error when no server answers."""
        endpoints = self.endpoints
        opened = await asyncio.gather(*(self._ranked(e) for e in endpoints), return_exceptions=True)
        answered = [(r[1], -i, r[0]) for i, r in enumerate(opened) if not isinstance(r, BaseException)]
        if not answered:
            failure = opened[0]
            assert isinstance(failure, BaseException)
            raise failure
        self.level, rank, client = max(answered, key=lambda a: (a[0], a[1]))
        for _, _, other in answered:
            if other is not client:
                await close_client(other, self.config.timeout_s)
        self.active = endpoints[-rank]
        for endpoint, result in zip(endpoints, opened, strict=True):
            if isinstance(result, BaseException) and endpoint != self.active:
                log.info("%s: backup %s does not answer: %s", self.name, endpoint, result)
        return client

    async def degraded(self, client: Client) -> str | None:
        """Why to switch servers: the active one's ServiceLevel fell below the minimum and another
        answers with a better one (looked at every watchdog_s, the others every BACKUP_PROBE_S)."""
        cfg = self.config
        if not cfg.backups or time.monotonic() - self._level_checked < cfg.watchdog_s:
            return None
        self._level_checked = time.monotonic()
        try:
            async with asyncio.timeout(cfg.timeout_s):
                self.level = await _service_level(client)
        except Exception as exc:
            log.info("%s: reading the service level failed: %s", self.name, exc)
            return None
        if self.level >= cfg.min_service_level or time.monotonic() - self._probed < BACKUP_PROBE_S:
            return None
        self._probed = time.monotonic()
        for endpoint in (e for e in self.endpoints if e != self.active):
            try:
                _, level = await self._ranked(endpoint, keep=False)
            except Exception:
                continue
            if level > self.level:
                low = f"service level {self.level} below {cfg.min_service_level}"
                return f"{low}: switching to {endpoint} ({level})"
        return None

    async def _ranked(self, endpoint: str, keep: bool = True) -> tuple[Client, int]:
        """A session with the server and its ServiceLevel (not read without backups to compare)."""
        client = await self._open(endpoint)
        try:
            level = await _service_level(client) if self.config.backups else HEALTHY
        except BaseException:
            await close_client(client, self.config.timeout_s)
            raise
        if not keep:
            await close_client(client, self.config.timeout_s)
        return client, level


async def _service_level(client: Client) -> int:
    return int(await client.get_node(SERVICE_LEVEL).read_value())


async def close_client(client: Client, timeout_s: float) -> None:
    """End a session politely if the server is there, else drop the socket without a goodbye."""
    if client.uaclient.state is UaClientState.CONNECTED:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(client.disconnect(), timeout_s)
            return
    client.uaclient.request_disconnect()
    _end_client_tasks(client)
    client.disconnect_socket()


def _end_client_tasks(client: Client) -> None:
    """End the client's own tasks (supervisor, stale watchdog, channel renewal) without a goodbye.

    asyncua ends them only in `close_session`, which first tries to reach the server: a warning in
    the user's log when it is gone, a wait for the timeout when it is frozen. The disconnect request
    alone ends each at its next wake-up, for the channel renewal up to an hour later: one pending task
    per reconnect. The session's publish loop never ends: it retries every second for good, holding the
    session with every monitored item of its subscription (10 MiB a reconnect with 10,000 tags). So,
    and only here, its private task attributes."""
    tasks = (client._supervisor_task, client._stale_watchdog_task, client._renew_channel_task)
    for task in (*tasks, client.uaclient._publish_task):
        if task is not None:
            task.cancel()
