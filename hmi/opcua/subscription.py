"""One connection's subscription: a monitored item per tag, the data moved into the tag table, and
the clock that says whether the server is still talking.

The subscription is ours, not asyncua's: after every reconnect and every liveness repair it is
created anew (the server then re-sends every item's value), so no server's notion of a restored
subscription can leave values frozen while they show Good.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Callable
from datetime import datetime

from asyncua import Client, ua
from asyncua.common.subscription import DataChangeEvent, OpcEvent, StatusChangeEvent, Subscription

from ..project.model import Connection as ConnectionConfig
from ..project.model import Tag
from ..quality import Quality, Sample
from ..sources.status import Latency
from ..tags import TagTable
from .conditions import ConditionMonitor
from .nodes import fits
from .server_events import EventMonitor

log = logging.getLogger(__name__)

LIFETIME_KEEPALIVES = 30
"""The server keeps a subscription this many keep-alive periods without a publish request."""


class TagSubscription:
    """Creates the subscription for a set of resolved nodes and feeds their samples to the table."""

    def __init__(
        self,
        name: str,
        config: ConnectionConfig,
        table: TagTable,
        conditions: ConditionMonitor | None,
        events: EventMonitor | None,
        on_status_change: Callable[[ua.StatusCode], None],
        on_first_data: Callable[[], None],
    ):
        self.name = name
        self.config = config
        self.table = table
        self.conditions = conditions
        self.events = events
        self._on_status_change = on_status_change
        self._on_first_data = on_first_data
        self._sub: Subscription | None = None
        self._consumer: asyncio.Task[None] | None = None
        self._handles: dict[int, str] = {}
        self._types: dict[str, str] = {}
        self._clock = time.monotonic()
        self.interval_s = config.publishing_interval_ms / 1000
        self.keepalive_count = 1
        self.notifications = 0
        """Data changes received since the connection was made (for the rate shown to the user)."""
        self.overflows = 0
        """Notifications whose value had the OverflowBit: the server's queue for that item dropped some."""
        self.latency = Latency()

    @property
    def stale_after_s(self) -> float:
        """Silence longer than this means the server stopped talking: the revised keep-alive period
        (keep-alive count x publishing interval) and a margin for one late publish."""
        keepalive = self.keepalive_count * self.interval_s
        return keepalive + max(1.0, self.interval_s, keepalive / 2)

    def silent_s(self) -> float:
        """Seconds since the server last sent anything for this subscription (data or keep-alive)."""
        heard = self._sub.last_publish_at if self._sub is not None else None
        return time.monotonic() - max(heard or 0.0, self._clock)

    def heard(self) -> bool:
        """Whether the server sent anything for this subscription since it was (re)created."""
        heard = self._sub.last_publish_at if self._sub is not None else None
        return heard is not None and heard > self._clock

    @property
    def tags(self) -> list[str]:
        return list(self._handles.values())

    async def open(self, client: Client, nodes: dict[str, tuple[Tag, ua.NodeId]]) -> dict[str, str]:
        """Create the subscription and its items; returns tag -> why the server refused to monitor it."""
        cfg = self.config
        keepalive = max(1, math.ceil(cfg.keepalive_s * 1000 / cfg.publishing_interval_ms))
        params = ua.CreateSubscriptionParameters()
        params.RequestedPublishingInterval = cfg.publishing_interval_ms
        params.RequestedMaxKeepAliveCount = keepalive
        params.RequestedLifetimeCount = keepalive * LIFETIME_KEEPALIVES
        params.MaxNotificationsPerPublish = 10000
        params.PublishingEnabled = True
        sub = Subscription(client.uaclient.session, params, queue_maxsize=0)
        revised = await sub.init()
        # The new one first, then the old one goes: the session is never without a subscription, so
        # no pending publish request is answered BadNoSubscription (asyncua's loop would end on it).
        old = self._sub
        await self.close()
        self._sub = sub
        if old is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(old.delete(), self.config.timeout_s)
        self._clock = time.monotonic()
        self.interval_s = max(revised.RevisedPublishingInterval, 1.0) / 1000
        self.keepalive_count = max(int(revised.RevisedMaxKeepAliveCount), 1)
        if revised.RevisedPublishingInterval != cfg.publishing_interval_ms:
            log.info(
                "%s: the server revised the publishing interval to %g ms, keep-alive count %d",
                self.name,
                revised.RevisedPublishingInterval,
                self.keepalive_count,
            )
        problems: dict[str, str] = {}
        self._handles = dict(enumerate(nodes, start=1))
        self._types = {name: tag.type for name, (tag, _) in nodes.items()}
        requests = [
            _monitor_request(tag, node, handle, cfg.sampling_interval_ms)
            for handle, (tag, node) in zip(self._handles, nodes.values(), strict=True)
        ]
        if requests:
            results = await sub.create_monitored_items(requests)
            for handle, result in zip(list(self._handles), results, strict=True):
                if isinstance(result, ua.StatusCode):
                    problems[self._handles.pop(handle)] = f"cannot monitor: {result.name}"
        self._consumer = asyncio.create_task(self._consume(sub), name=f"{self.name} data")
        if self.conditions is not None:
            await self.conditions.start(client, sub, len(nodes) + 1)  # after the tags' 1..N
        if self.events is not None:
            await self.events.start(client, sub, len(nodes) + 2)
        return problems

    async def close(self) -> None:
        """Stop moving data; the subscription goes with its session (or is replaced by `open`)."""
        if self._consumer is not None:
            self._consumer.cancel()
            await asyncio.wait([self._consumer])  # never swallows a cancel of the caller itself
            self._consumer = None
        self._sub = None

    async def _consume(self, sub: Subscription) -> None:
        """Move data-change events from asyncua's queue into the tag table, in arrival order."""
        handles, update = self._handles, self.table.update
        checks = {handle: fits(self._types[name]) for handle, name in handles.items()}
        from_status, arrived = Quality.from_status, self.latency.arrived
        first = True
        while True:
            event = await sub.next_event()
            if not isinstance(event, DataChangeEvent):
                if isinstance(event, StatusChangeEvent):
                    self._on_status_change(event.notification.Status)
                elif isinstance(event, OpcEvent):
                    if self.events is not None and self.events.owns(event.event):
                        self.events.on_event(event.event)
                    elif self.conditions is not None:
                        self.conditions.on_event(event.event)
                continue
            notif = event.data
            item = notif.monitored_item
            name = handles.get(item.ClientHandle)
            if name is None:
                continue
            self.notifications += 1
            if first:
                first = False
                self._on_first_data()
            dv = item.Value
            code = dv.StatusCode.value if dv.StatusCode is not None else 0
            if code & INFO_TYPE_MASK == INFO_TYPE_DATA_VALUE and code & OVERFLOW_BIT:
                self.overflows += 1
            source, server = _epoch(dv.SourceTimestamp), _epoch(dv.ServerTimestamp)
            if server or source:
                arrived(server or source)
            stamp = source or server or time.time()
            value = event.value
            if value is not None and not checks[item.ClientHandle](value):
                why = (
                    f"type mismatch: the server sends {type(value).__name__}, the tag is {self._types[name]}"
                )
                update(name, Sample(None, Quality.BAD, stamp, why))
                continue
            quality = from_status(code)
            reason = "" if quality is Quality.GOOD else dv.StatusCode.name
            update(name, Sample(value, quality, stamp, reason))


def _epoch(stamp: datetime | None) -> float:
    """A DataValue's timestamp as epoch seconds; 0.0 when absent or the DateTime minimum (1601),
    which some servers (node-opcua) send for "no server timestamp"."""
    return stamp.timestamp() if stamp is not None and stamp.year > 1601 else 0.0


INFO_TYPE_MASK, INFO_TYPE_DATA_VALUE, OVERFLOW_BIT = 0xC00, 0x400, 0x80
"""A StatusCode's info bits: with InfoType DataValue, the Overflow bit (Part 4, 7.39.1)."""


def _monitor_request(
    tag: Tag, node: ua.NodeId, handle: int, sampling_ms: int
) -> ua.MonitoredItemCreateRequest:
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
    request.ItemToMonitor = ua.ReadValueId(NodeId=node, AttributeId=ua.AttributeIds.Value)
    request.MonitoringMode = ua.MonitoringMode.Reporting
    request.RequestedParameters = params
    return request
