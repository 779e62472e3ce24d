"""A server's plain events (audit, system, device events: anything that is not a condition) as records
for the event feed.

They come on a monitored item of their own on the Server object, beside the condition item, so a server
that refuses one keeps the other. The item has no where clause (servers differ in the operators they
evaluate); conditions and refresh markers are passed over here: they belong to the alarm list.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque

from asyncua import Client, ua
from asyncua.common.events import Event
from asyncua.common.subscription import Subscription

from ..alarms.server_events import ServerEvent
from ..sources.port import ServerEvents
from .conditions import REFRESH_END, REFRESH_START, condition_id, event_request, plain_text, priority, select

log = logging.getLogger(__name__)

FIELDS = ("EventType", "SourceName", "Time", "Message", "Severity")
"""Event fields selected, by browse path; the ConditionId as well, to tell conditions apart."""


class EventMonitor:
    """Hands one connection's plain server events to `sink`, each with its event type's name."""

    def __init__(self, connection: str, sink: ServerEvents):
        self.connection = connection
        self.sink = sink
        self._client: Client | None = None
        self._item: int | None = None
        """The server's handle of our event item: how its events are told from the condition item's."""
        self._names: dict[ua.NodeId, str] = {}
        self._queue: deque[Event] = deque()
        """Events not handed over yet: from the first whose type's name is being read on."""
        self._reading: set[ua.NodeId] = set()
        self._reads: set[asyncio.Task[None]] = set()

    async def start(self, client: Client, subscription: Subscription, handle: int) -> None:
        """Add the Server object's events to `subscription` as the item `handle`."""
        self._client, self._item = client, None
        try:
            event_filter = ua.EventFilter()
            event_filter.SelectClauses = [select(name) for name in FIELDS] + [condition_id()]
            (result,) = await subscription.create_monitored_items([event_request(event_filter, handle)])
            if isinstance(result, ua.StatusCode):
                result.check()
        except ua.UaError as exc:
            log.warning("%s: the server sends no events (%s)", self.connection, exc)
            return
        self._item = result

    async def stop(self) -> None:
        """Cancel type names still being read (the connection is closing)."""
        for task in self._reads:
            task.cancel()
        await asyncio.gather(*self._reads, return_exceptions=True)
        self._queue.clear()
        self._reading.clear()

    @property
    def listening(self) -> bool:
        """Whether the server took our event item on the current subscription."""
        return self._item is not None

    def owns(self, event: Event) -> bool:
        """Whether `event` came on our item (the condition item has its own)."""
        return self._item is not None and getattr(event, "server_handle", None) == self._item

    def on_event(self, event: Event) -> None:
        condition = getattr(event, "NodeId", None)
        if isinstance(condition, ua.NodeId) and not condition.is_null():
            return  # a condition's event: the alarm list has it
        if getattr(event, "EventType", None) in (REFRESH_START, REFRESH_END):
            return
        self._queue.append(event)
        self._drain()

    def _drain(self) -> None:
        """Hand over the events in arrival order, up to the first whose type name is still being read."""
        while self._queue:
            event = self._queue[0]
            try:
                name = self._name(getattr(event, "EventType", None))
                if name is None:
                    return
                self._hand_over(event, name)
            except Exception:  # the caller also moves the data: one odd event must not stop it
                log.exception("%s: server event not understood: %s", self.connection, event)
            self._queue.popleft()

    def _name(self, event_type: ua.NodeId | None) -> str | None:
        """The name of `event_type`; None while it is read from the server (a type of its own)."""
        if event_type is None:
            return ""
        if event_type not in self._names:
            if event_type.NamespaceIndex != 0:
                if event_type not in self._reading:
                    self._reading.add(event_type)
                    read = self._read_name(event_type)
                    task = asyncio.create_task(read, name=f"{self.connection} event type")
                    self._reads.add(task)
                    task.add_done_callback(self._reads.discard)
                return None
            self._names[event_type] = ua.ObjectIdNames.get(event_type.Identifier, str(event_type))
        return self._names[event_type]

    async def _read_name(self, event_type: ua.NodeId) -> None:
        """A server's own event type is named by its browse name, read once."""
        name = str(event_type)
        if self._client is not None:
            try:
                name = (await self._client.get_node(event_type).read_browse_name()).Name or name
            except (ua.UaError, TimeoutError, OSError) as exc:
                log.info("%s: cannot read the name of event type %s: %s", self.connection, event_type, exc)
        self._names[event_type] = name
        self._reading.discard(event_type)
        self._drain()

    def _hand_over(self, event: Event, type_name: str) -> None:
        severity = int(getattr(event, "Severity", None) or 0)
        stamp = getattr(event, "Time", None)
        self.sink.record_event(
            ServerEvent(
                stamp.timestamp() if stamp is not None and stamp.year > 1601 else time.time(),
                self.connection,
                getattr(event, "SourceName", None) or "",
                severity,
                priority(severity).value,
                plain_text(getattr(event, "Message", None)),
                type_name,
            )
        )
