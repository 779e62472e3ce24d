"""The simulator's OPC-UA Alarms & Conditions: RC1.OverTemp, raised while a robot joint runs hot.

asyncua's server fires events and answers ConditionRefresh (bind_condition_methods) but has no
condition logic: this module keeps each condition's state, emits an AlarmConditionType event on every
change, and answers the clients' Acknowledge calls.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from asyncua import Server, ua
from asyncua.server.event_generator import EventGenerator

log = logging.getLogger(__name__)

OVERTEMP_RAISE_C = 75.0
OVERTEMP_CLEAR_C = 72.0
OVERTEMP_SEVERITY = 800
JOINTS = range(1, 7)
ACKNOWLEDGE = ua.NodeId(ua.ObjectIds.AcknowledgeableConditionType_Acknowledge)


class SimCondition:
    """One alarm condition: its active and acknowledged states and the generator that announces them."""

    def __init__(self, node_id: ua.NodeId, generator: EventGenerator):
        self.node_id = node_id
        self.active = False
        self.acked = True
        self.comment = ""
        self.event_id: bytes | None = None
        """EventId of the last event: a client acknowledges the condition by naming it."""
        self._generator = generator

    async def set_active(self, active: bool, message: str) -> None:
        """Raise or clear the condition; raising it needs a new acknowledgement."""
        if active == self.active:
            return
        self.active = active
        if active:
            self.acked = False
            self.comment = ""
        await self._emit(message)

    async def acknowledge(self, event_id: bytes, comment: str) -> ua.StatusCode:
        """A client's Acknowledge: it must name the latest event of an unacknowledged condition."""
        if event_id != self.event_id:
            return ua.StatusCode(ua.StatusCodes.BadEventIdUnknown)
        if self.acked:
            return ua.StatusCode(ua.StatusCodes.BadConditionBranchAlreadyAcked)
        self.acked = True
        self.comment = comment
        await self._emit()
        return ua.StatusCode()

    async def _emit(self, message: str | None = None) -> None:
        event = self._generator.event
        setattr(event, "ActiveState/Id", self.active)
        event.ActiveState = ua.LocalizedText("Active" if self.active else "Inactive")
        setattr(event, "AckedState/Id", self.acked)
        event.AckedState = ua.LocalizedText("Acknowledged" if self.acked else "Unacknowledged")
        # The server keeps retained conditions for ConditionRefresh and forgets the others.
        event.Retain = self.active or not self.acked
        event.Comment = ua.LocalizedText(self.comment)
        await self._generator.trigger(message=message)
        self.event_id = event.EventId.Value
        log.info(
            "condition %s: %s, %s",
            self.node_id.to_string(),
            event.ActiveState.Text,
            event.AckedState.Text,
        )


class SimConditions:
    """The simulator's conditions: created in the address space, checked after each plant step."""

    def __init__(self) -> None:
        self.overtemp: SimCondition | None = None
        self._by_node: dict[ua.NodeId, SimCondition] = {}

    async def start(self, server: Server, robot: ua.NodeId, namespace: int) -> None:
        """Add RC1.OverTemp under the robot's folder and answer Acknowledge calls (before server.start())."""
        node_id = ua.NodeId("RC1.OverTemp", namespace)
        attrs = ua.ObjectAttributes()
        attrs.DisplayName = attrs.Description = ua.LocalizedText("OverTemp")
        item = ua.AddNodesItem()
        item.RequestedNewNodeId = node_id
        item.BrowseName = ua.QualifiedName("OverTemp", namespace)
        item.NodeClass = ua.NodeClass.Object
        item.ParentNodeId = robot
        item.ReferenceTypeId = ua.NodeId(ua.ObjectIds.HasComponent)
        item.TypeDefinition = ua.NodeId(ua.ObjectIds.AlarmConditionType)
        item.NodeAttributes = attrs
        (await server.iserver.isession.add_nodes([item]))[0].StatusCode.check()

        generator = await server.get_event_generator(ua.ObjectIds.AlarmConditionType, ua.ObjectIds.Server)
        event = generator.event
        event.NodeId = node_id  # the ConditionId a client selects and calls Acknowledge on
        event.SourceNode = robot
        event.SourceName = "RC1"
        event.ConditionName = "OverTemp"
        event.Severity = OVERTEMP_SEVERITY
        setattr(event, "EnabledState/Id", True)
        event.EnabledState = ua.LocalizedText("Enabled")
        self.overtemp = SimCondition(node_id, generator)
        self._by_node[node_id] = self.overtemp
        server.link_method(server.get_node(ACKNOWLEDGE), self._acknowledge)

    async def update(self, values: Mapping[str, Any]) -> None:
        """Raise RC1.OverTemp when the hottest joint reaches the raise limit; clear it below the other."""
        condition = self.overtemp
        if condition is None:
            return
        joint, temp = max(((j, values[f"RC1.J{j}.Temp"]) for j in JOINTS), key=lambda jt: jt[1])
        if not condition.active and temp >= OVERTEMP_RAISE_C:
            await condition.set_active(True, f"RC1 joint {joint} over temperature: {temp:.1f} °C")
        elif condition.active and temp < OVERTEMP_CLEAR_C:
            await condition.set_active(False, f"RC1 joints back below {OVERTEMP_CLEAR_C:g} °C")

    async def _acknowledge(
        self, parent: ua.NodeId, event_id: ua.Variant, comment: ua.Variant
    ) -> ua.StatusCode:
        """The Acknowledge method of every condition here; `parent` is the condition it was called on."""
        condition = self._by_node.get(parent)
        if condition is None:
            return ua.StatusCode(ua.StatusCodes.BadNodeIdInvalid)
        text = comment.Value.Text if isinstance(comment.Value, ua.LocalizedText) else str(comment.Value or "")
        return await condition.acknowledge(event_id.Value, text or "")
