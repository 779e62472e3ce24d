"""A server's OPC-UA Alarms & Conditions as alarms of the engine, acknowledged on the server.

Condition events from the Server object update external alarms (`AlarmEngine.update_external`);
an operator's acknowledgement calls the condition's Acknowledge method, and the alarm changes when
the server's next event says so. After every (re)connect a ConditionRefresh re-sends the retained
conditions; alarms the server no longer reports then return to normal.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from asyncua import Client, ua
from asyncua.common.events import Event, where_clause_from_evtype
from asyncua.common.subscription import Subscription

from ..alarms import Priority
from ..notices import OPERATOR
from ..permissions import SYSTEM
from ..sources.port import ServerAlarms
from .nodes import with_uri

log = logging.getLogger(__name__)

ACKNOWLEDGE = ua.NodeId(ua.ObjectIds.AcknowledgeableConditionType_Acknowledge)
CONDITION_REFRESH = ua.NodeId(ua.ObjectIds.ConditionType_ConditionRefresh)
REFRESH_START = ua.NodeId(ua.ObjectIds.RefreshStartEventType)
REFRESH_END = ua.NodeId(ua.ObjectIds.RefreshEndEventType)
FIELDS = (
    "EventId",
    "EventType",
    "SourceName",
    "Time",
    "Message",
    "Severity",
    "ConditionName",
    "Retain",
    "ActiveState/Id",
    "AckedState/Id",
    "Comment",
    "ClientUserId",
    "BranchId",
)
"""Event fields selected, by browse path; the ConditionId (NodeId) is selected as well."""
REFRESH_ATTEMPTS = 5
REFRESH_WAIT_S = 1.0
"""A refresh whose end marker has not come by then is sent again, at most REFRESH_ATTEMPTS times."""
EVENT_QUEUE = 1000
"""Events the server keeps for us between publishes: queue size 0 lets some servers keep one, and
two conditions changing at once would lose one (node-opcua does)."""
SEVERITY_PRIORITY = ((800, Priority.CRITICAL), (600, Priority.HIGH), (400, Priority.MEDIUM))


def priority(severity: int | None) -> Priority:
    """OPC-UA Severity (1-1000) as an ISA-18.2 priority: 800+ critical, 600+ high, 400+ medium, else low."""
    for lowest, found in SEVERITY_PRIORITY:
        if (severity or 0) >= lowest:
            return found
    return Priority.LOW


@dataclass
class _Known:
    """What acknowledging a condition needs: where it is, its latest event, and whether it is acked."""

    node: ua.NodeId
    event_id: bytes
    acked: bool


class ConditionMonitor:
    """Mirrors one connection's server conditions into the alarm engine and forwards acknowledgements."""

    def __init__(self, connection: str, engine: ServerAlarms):
        self.connection = connection
        self.engine = engine
        self._client: Client | None = None
        self._subscription: Subscription | None = None
        self._known: dict[str, _Known] = {}
        self._pending: dict[str, tuple[str, str]] = {}
        """Alarm id -> (actor, comment) of an acknowledgement sent and not yet confirmed."""
        self._refreshed: set[str] | None = None
        self._namespaces: list[str] = []
        self._refresh_end = asyncio.Event()
        self._refresher: asyncio.Task[None] | None = None
        self._calls: set[asyncio.Task[None]] = set()

    async def start(self, client: Client, subscription: Subscription, handle: int) -> None:
        """Add the Server object's condition events to `subscription` as the item `handle` (the
        subscription numbers its items, never asyncua) and ask for the current ones."""
        self._client = client
        self._subscription = subscription
        try:
            self._namespaces = await client.get_namespace_array()
            event_filter = ua.EventFilter()
            event_filter.SelectClauses = [select(name) for name in FIELDS] + [condition_id()]
            types = [client.get_node(t) for t in (ua.ObjectIds.ConditionType, REFRESH_START, REFRESH_END)]
            event_filter.WhereClause = await where_clause_from_evtype(types)
            (result,) = await subscription.create_monitored_items([event_request(event_filter, handle)])
            if isinstance(result, ua.StatusCode):
                result.check()
        except ua.UaError as exc:
            log.warning("%s: the server offers no alarms & conditions (%s)", self.connection, exc)
            self._subscription = None
            return
        self.refresh()

    async def stop(self) -> None:
        """Cancel a refresh or acknowledge still in flight (the connection is closing)."""
        tasks = [t for t in (self._refresher, *self._calls) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._refresher = None

    def refresh(self) -> None:
        """Ask, in the background, for the server to re-send its retained conditions (after a connect)."""
        if self._refresher is not None:
            self._refresher.cancel()
        self._refresher = asyncio.create_task(self._refresh(), name=f"{self.connection} condition refresh")

    async def _refresh(self) -> None:
        """ConditionRefresh until its end marker arrives: after a reconnect asyncua reports CONNECTED
        before it has rebuilt the subscription, and a refresh sent too early gets no answer."""
        for _ in range(REFRESH_ATTEMPTS):
            self._refresh_end.clear()
            await self._call_refresh()
            try:
                await asyncio.wait_for(self._refresh_end.wait(), REFRESH_WAIT_S)
                return
            except TimeoutError:
                continue
        log.info("%s: the server did not answer a condition refresh", self.connection)

    async def _call_refresh(self) -> None:
        client, subscription = self._client, self._subscription
        if client is None or subscription is None or subscription.subscription_id is None:
            return
        try:
            await client.get_node(ua.ObjectIds.ConditionType).call_method(
                CONDITION_REFRESH, ua.Variant(subscription.subscription_id, ua.VariantType.UInt32)
            )
        except (ua.UaError, TimeoutError, OSError) as exc:
            log.info("%s: condition refresh failed: %s", self.connection, exc)

    def on_event(self, event: Event) -> None:
        """One event of the subscription: a condition's new state, or a refresh marker."""
        event_type = getattr(event, "EventType", None)
        try:
            if event_type == REFRESH_START:
                self._refreshed = set()
            elif event_type == REFRESH_END:
                self._refresh_end.set()
                self._drop_unreported()
            elif getattr(event, "NodeId", None) is not None:
                self._update(event)
        except Exception:  # the caller also moves the data: one odd event must not stop it
            log.exception("%s: condition event not understood: %s", self.connection, event)

    def acknowledge(self, alarm_id: str, actor: str, comment: str) -> None:
        """The engine's forwarder: call the condition's Acknowledge on the server, in the background."""
        known = self._known.get(alarm_id)
        if self._client is None or known is None:
            log.warning(
                "%s: cannot acknowledge %s: not connected to its server",
                self.connection,
                alarm_id,
                extra=OPERATOR,
            )
            return
        self._pending[alarm_id] = (actor, comment)
        task = asyncio.create_task(self._call_acknowledge(alarm_id, known, comment), name=f"ack {alarm_id}")
        self._calls.add(task)
        task.add_done_callback(self._calls.discard)

    async def _call_acknowledge(self, alarm_id: str, known: _Known, comment: str) -> None:
        assert self._client is not None
        try:
            await self._client.get_node(known.node).call_method(
                ACKNOWLEDGE,
                ua.Variant(known.event_id, ua.VariantType.ByteString),
                ua.LocalizedText(comment),
            )
        except (ua.UaError, TimeoutError, OSError) as exc:
            self._pending.pop(alarm_id, None)
            log.warning(
                "%s: the server did not acknowledge %s: %s", self.connection, alarm_id, exc, extra=OPERATOR
            )

    def _update(self, event: Event) -> None:
        node: ua.NodeId = event.NodeId
        source = event.SourceName or ""
        alarm_id = self.alarm_id(node, getattr(event, "BranchId", None))
        active_id, acked_id = getattr(event, "ActiveState/Id"), getattr(event, "AckedState/Id")
        active = bool(event.Retain) if active_id is None else bool(active_id)
        acked = True if acked_id is None else bool(acked_id)
        previous = self._known.get(alarm_id)
        self._known[alarm_id] = _Known(node, event.EventId, acked)
        if self._refreshed is not None:
            self._refreshed.add(alarm_id)
        actor, comment = SYSTEM, ""
        if acked and previous is not None and not previous.acked:
            actor, comment = self._pending.pop(alarm_id, (event.ClientUserId or SYSTEM, ""))
            comment = plain_text(event.Comment) or comment
        self.engine.update_external(
            alarm_id,
            tag=source,
            priority=priority(event.Severity),
            message=plain_text(event.Message),
            active=active,
            acked=acked,
            ts=event.Time.timestamp() if event.Time else None,
            forward=self.acknowledge,
            actor=actor,
            comment=comment,
        )

    def alarm_id(self, condition: ua.NodeId, branch: ua.NodeId | None = None) -> str:
        """A condition's alarm id: its own ConditionId (by namespace URI, so a server restart keeps
        it), and its branch where it has one. Two conditions of one source and name stay two."""
        key = f"{self.connection}:{with_uri(condition, self._namespaces)}"
        if branch is not None and not branch.is_null():
            key += f"/branch={with_uri(branch, self._namespaces)}"
        return key

    def _drop_unreported(self) -> None:
        """After a refresh: a condition the server no longer retains cleared while we were away."""
        refreshed, self._refreshed = self._refreshed, None
        if refreshed is None:
            return  # an end marker without its start: nothing to compare with
        for alarm_id in [a for a in self._known if a not in refreshed]:
            del self._known[alarm_id]
            alarm = self.engine.alarm(alarm_id)
            self.engine.update_external(
                alarm_id,
                tag=alarm.tag,
                priority=alarm.priority,
                message=alarm.message,
                active=False,
                acked=True,
                ts=None,
                forward=self.acknowledge,
                comment="no longer reported by the server",
            )


def event_request(event_filter: ua.EventFilter, handle: int) -> ua.MonitoredItemCreateRequest:
    """The Server object's events through `event_filter`, reported on the item `handle`."""
    params = ua.MonitoringParameters()
    params.ClientHandle = handle
    params.QueueSize = EVENT_QUEUE
    params.DiscardOldest = True
    params.Filter = event_filter
    request = ua.MonitoredItemCreateRequest()
    request.ItemToMonitor = ua.ReadValueId(
        NodeId=ua.NodeId(ua.ObjectIds.Server), AttributeId=ua.AttributeIds.EventNotifier
    )
    request.MonitoringMode = ua.MonitoringMode.Reporting
    request.RequestedParameters = params
    return request


def select(path: str) -> ua.SimpleAttributeOperand:
    op = ua.SimpleAttributeOperand()
    op.TypeDefinitionId = ua.NodeId(ua.ObjectIds.BaseEventType)
    op.BrowsePath = [ua.QualifiedName(part, 0) for part in path.split("/")]
    op.AttributeId = ua.AttributeIds.Value
    return op


def condition_id() -> ua.SimpleAttributeOperand:
    """The condition's own NodeId, which is not an event field but what Acknowledge is called on."""
    op = ua.SimpleAttributeOperand()
    op.TypeDefinitionId = ua.NodeId(ua.ObjectIds.ConditionType)
    op.AttributeId = ua.AttributeIds.NodeId
    return op


def plain_text(value: ua.LocalizedText | str | None) -> str:
    if isinstance(value, ua.LocalizedText):
        return value.Text or ""
    return value or ""
