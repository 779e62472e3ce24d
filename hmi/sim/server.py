"""The OPC-UA server that exposes the demo plant (and optional benchmark load tags) to clients."""

from __future__ import annotations

import asyncio
import logging
import math
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from asyncua import Server, ua
from asyncua.common.callback import CallbackType, ServerItemCallback

from ..notices import OPERATOR
from .conditions import SimConditions
from .meter import EnergyMeter, MeterServer
from .plant import TAGS, Plant, TagSpec
from .security import SimSecurity, secure

log = logging.getLogger(__name__)

DEFAULT_PORT = 48400
NAMESPACE_URI = "urn:openhmi:demo-plant"
NAMESPACE_INDEX = 2
LOAD_FOLDER_SIZE = 100
LOAD_SLICE_S = 0.05  # load tags are written in slices this far apart
LOAD_SLICE_MAX = 1000  # at most this many writes without yielding to the loop
_UNSET = object()

_VARIANT = {
    "Double": ua.VariantType.Double,
    "Boolean": ua.VariantType.Boolean,
    "Int32": ua.VariantType.Int32,
    "String": ua.VariantType.String,
}
# UNECE common codes, as OPC-UA Part 8 asks for EngineeringUnits.
_UNECE = {"%": "P1", "m3/h": "MQH", "°C": "CEL", "h": "HUR", "Nm": "NU"}
_UNECE_URI = "http://www.opcfoundation.org/UA/units/un/cefact"
_READ = ua.AccessLevel.CurrentRead.mask
_READ_WRITE = ua.AccessLevel.CurrentRead.mask | ua.AccessLevel.CurrentWrite.mask


def load_tag_names(n: int) -> list[str]:
    """String node ids (in namespace 2) of the n benchmark load tags."""
    return [f"Load.T{i:05d}" for i in range(n)]


def _node_id(name: str) -> ua.NodeId:
    return ua.NodeId(name, NAMESPACE_INDEX, ua.NodeIdType.String)


def _engineering_units(units: str) -> ua.EUInformation:
    unit_id = 0
    for char in _UNECE[units]:
        unit_id = unit_id << 8 | ord(char)
    return ua.EUInformation(_UNECE_URI, unit_id, ua.LocalizedText(units), ua.LocalizedText(units))


def _variable(
    parent: ua.NodeId,
    node_id: ua.NodeId,
    value: Any,
    vtype: ua.VariantType,
    *,
    writable: bool = False,
    type_definition: int = ua.ObjectIds.BaseDataVariableType,
    reference: int = ua.ObjectIds.HasComponent,
    datatype: ua.NodeId | None = None,
) -> ua.AddNodesItem:
    """An AddNodes request for one variable, so a whole folder can be added in one call."""
    name = str(node_id.Identifier).rpartition(".")[2]
    attrs = ua.VariableAttributes()
    attrs.DisplayName = ua.LocalizedText(name)
    attrs.Description = ua.LocalizedText(name)
    attrs.DataType = datatype or ua.NodeId(vtype.value)
    attrs.Value = ua.Variant(value, vtype)
    attrs.ValueRank = ua.ValueRank.Scalar
    attrs.AccessLevel = attrs.UserAccessLevel = _READ_WRITE if writable else _READ
    item = ua.AddNodesItem()
    item.RequestedNewNodeId = node_id
    item.BrowseName = ua.QualifiedName(name, NAMESPACE_INDEX)
    item.NodeClass = ua.NodeClass.Variable
    item.ParentNodeId = parent
    item.ReferenceTypeId = ua.NodeId(reference)
    item.TypeDefinition = ua.NodeId(type_definition)
    item.NodeAttributes = attrs
    return item


def _tag_items(parent: ua.NodeId, spec: TagSpec, value: Any) -> list[ua.AddNodesItem]:
    """The variable for one plant tag; a Double with a range is an AnalogItem with EURange and units."""
    node_id = _node_id(spec.name)
    vtype = _VARIANT[spec.dtype]
    if spec.dtype != "Double" or spec.low is None or spec.high is None:
        return [_variable(parent, node_id, value, vtype, writable=spec.writable)]
    analog = ua.ObjectIds.AnalogItemType
    items = [_variable(parent, node_id, value, vtype, writable=spec.writable, type_definition=analog)]
    properties: list[tuple[str, Any, int]] = [("EURange", ua.Range(spec.low, spec.high), ua.ObjectIds.Range)]
    if spec.units:
        properties.append(("EngineeringUnits", _engineering_units(spec.units), ua.ObjectIds.EUInformation))
    for name, prop_value, datatype in properties:
        items.append(
            _variable(
                node_id,
                _node_id(f"{spec.name}.{name}"),
                prop_value,
                ua.VariantType.ExtensionObject,
                type_definition=ua.ObjectIds.PropertyType,
                reference=ua.ObjectIds.HasProperty,
                datatype=ua.NodeId(datatype),
            )
        )
    return items


def _folder_item(parent: ua.NodeId, node_id: ua.NodeId, name: str) -> ua.AddNodesItem:
    attrs = ua.ObjectAttributes()
    attrs.DisplayName = ua.LocalizedText(name)
    attrs.Description = ua.LocalizedText(name)
    item = ua.AddNodesItem()
    item.RequestedNewNodeId = node_id
    item.BrowseName = ua.QualifiedName(name, NAMESPACE_INDEX)
    item.NodeClass = ua.NodeClass.Object
    item.ParentNodeId = parent
    item.ReferenceTypeId = ua.NodeId(ua.ObjectIds.Organizes)
    item.TypeDefinition = ua.NodeId(ua.ObjectIds.FolderType)
    item.NodeAttributes = attrs
    return item


class _SharedDataValue(ua.DataValue):
    """A DataValue never changed after creation, so each subscriber can share it instead of a deep copy.

    asyncua deep-copies every value once per monitored item; that copy was ~85 % of the server's CPU.
    """

    __slots__ = ()

    def __deepcopy__(self, memo: dict[int, Any]) -> _SharedDataValue:
        return self


def _report_crash(task: asyncio.Task[None]) -> None:
    """Say so at once when a simulation task dies, as its values would silently freeze."""
    if not task.cancelled() and task.exception() is not None:
        log.error(
            "simulator task %s crashed; its values no longer change",
            task.get_name(),
            exc_info=task.exception(),
            extra=OPERATOR,
        )


class _DropBindTraceback(logging.Filter):
    """Hide asyncua's traceback for a port that cannot be bound: the OSError reaches the caller anyway."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], OSError))


class SimulatorServer:
    """The demo plant on an OPC-UA endpoint, stepped in the caller's asyncio loop.

    Security None only, unless `security` adds signed and encrypted endpoints (and users).
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = DEFAULT_PORT,
        *,
        load_tags: int = 0,
        load_rate: float = 1.0,
        step_s: float = 0.1,
        security: SimSecurity | None = None,
        modbus_port: int | None = None,
        speed: float = 1.0,
    ):
        """`modbus_port`: also serve the energy meter (meter.py) on Modbus TCP at this port. `speed`: plant
        seconds per second, so that slow faults develop within a test."""
        if load_tags < 0 or load_rate <= 0 or step_s <= 0 or speed <= 0:
            raise ValueError("load_tags must be >= 0, load_rate, step_s and speed > 0")
        self.endpoint = f"opc.tcp://{host}:{port}"
        self.plant = Plant()
        self.conditions = SimConditions()
        self._load_tags = load_tags
        self._load_rate = load_rate
        self._step_s = step_s
        self.speed = speed
        self.security = security
        self._server: Server | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._vtypes = {spec.name: _VARIANT[spec.dtype] for spec in TAGS}
        self._writable = {_node_id(spec.name): spec.name for spec in TAGS if spec.writable}
        self._published: dict[str, Any] = {}
        self.meter = EnergyMeter(self.plant)
        self._meter_server = MeterServer(self.meter, host, modbus_port) if modbus_port is not None else None

    async def __aenter__(self) -> SimulatorServer:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    async def start(self) -> None:
        """Build the address space and listen; returns once clients can connect."""
        if self._server is not None:
            raise RuntimeError(f"simulator on {self.endpoint} is already running")
        server = Server()
        server.iserver.bind_condition_methods = True  # ConditionRefresh for the conditions below
        await server.init()
        server.set_endpoint(self.endpoint)
        server.set_server_name("OpenHMI demo plant simulator")
        if self.security is None:
            server.set_security_policy([ua.SecurityPolicyType.NoSecurity])
            server.set_identity_tokens([ua.AnonymousIdentityToken])
        else:
            await secure(server, self.security)
        index = await server.register_namespace(NAMESPACE_URI)
        if index != NAMESPACE_INDEX:
            raise RuntimeError(f"namespace {NAMESPACE_URI} got index {index}, expected {NAMESPACE_INDEX}")
        self._add_nodes(server, self._plant_items() + self._load_items())
        await self.conditions.start(server, _node_id("DemoPlant.RC1"), NAMESPACE_INDEX)
        server.subscribe_server_callback(CallbackType.PostWrite, self._on_client_write)
        quiet = _DropBindTraceback()
        logging.getLogger("asyncua.server.server").addFilter(quiet)
        try:
            await server.start()  # raises OSError when the port is taken; the caller reports it
        finally:
            logging.getLogger("asyncua.server.server").removeFilter(quiet)
        self._server = server
        self._published = {}
        await self._publish_plant()
        if self._meter_server is not None:
            try:
                await self._meter_server.start()
            except Exception:
                await self.stop()
                raise
        self._tasks = [asyncio.create_task(self._run_plant(), name="sim-plant")]
        if self._load_tags:
            self._tasks.append(asyncio.create_task(self._run_load(), name="sim-load"))
        for task in self._tasks:
            task.add_done_callback(_report_crash)
        log.info("simulator listening on %s (%d load tags)", self.endpoint, self._load_tags)

    async def stop(self) -> None:
        """Stop stepping and close the port, so a new server can bind it right away."""
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            await asyncio.wait(self._tasks)
        self._tasks = []
        if self._meter_server is not None:
            await self._meter_server.stop()
        server, self._server = self._server, None
        if server is None:
            return
        # asyncua's clock task sleeps 1 s between ticks and stop() waits for it; cancel it instead.
        clock = server.iserver.time_task
        if clock is not None:
            clock.cancel()
            await asyncio.wait([clock])
            server.iserver.time_task = None
        await server.stop()
        log.info("simulator on %s stopped", self.endpoint)

    def _add_nodes(self, server: Server, items: list[ua.AddNodesItem]) -> None:
        for item, result in zip(items, server.iserver.node_mgt_service.add_nodes(items), strict=True):
            if not result.StatusCode.is_good():
                raise RuntimeError(f"could not add node {item.RequestedNewNodeId}: {result.StatusCode}")

    def _plant_items(self) -> list[ua.AddNodesItem]:
        """Folders Objects/DemoPlant/<unit>[/<sub>] holding each tag's variable."""
        items: list[ua.AddNodesItem] = []
        folders: set[str] = set()

        def folder(path: str) -> ua.NodeId:
            node_id = _node_id(f"DemoPlant.{path}" if path else "DemoPlant")
            if path not in folders:
                folders.add(path)
                head, _, name = path.rpartition(".")
                parent = folder(head) if path else ua.NodeId(ua.ObjectIds.ObjectsFolder)
                items.append(_folder_item(parent, node_id, name or "DemoPlant"))
            return node_id

        values = self.plant.values()
        for spec in TAGS:
            items += _tag_items(folder(spec.name.rpartition(".")[0]), spec, values[spec.name])
        return items

    def _load_items(self) -> list[ua.AddNodesItem]:
        if not self._load_tags:
            return []
        root = _node_id("Load")
        items = [_folder_item(ua.NodeId(ua.ObjectIds.ObjectsFolder), root, "Load")]
        # asyncua adds a child in time proportional to its siblings, so keep folders small.
        names = load_tag_names(self._load_tags)
        for start in range(0, len(names), LOAD_FOLDER_SIZE):
            group = f"G{start // LOAD_FOLDER_SIZE:03d}"
            folder = _node_id(f"Load.{group}")
            items.append(_folder_item(root, folder, group))
            for name in names[start : start + LOAD_FOLDER_SIZE]:
                items.append(_variable(folder, _node_id(name), 0.0, ua.VariantType.Double))
        return items

    def _on_client_write(self, event: ServerItemCallback, _dispatcher: object) -> None:
        """Hand each accepted client write of a writable tag to the plant for its next step."""
        for write, status in zip(event.request_params.NodesToWrite, event.response_params, strict=True):
            name = self._writable.get(write.NodeId)
            if name is None or write.AttributeId != ua.AttributeIds.Value or not status.is_good():
                continue
            # Forget what was published so the plant's own view is written back, even if it refused.
            self._published.pop(name, None)
            try:
                self.plant.write(name, write.Value.Value.Value)
            except ValueError as exc:
                log.warning("write to %s refused: %s", name, exc)

    async def _publish_plant(self) -> None:
        """Write every plant value that changed since the last publish into the address space."""
        assert self._server is not None
        now = datetime.now(UTC)
        for name, value in self.plant.values().items():
            if self._published.get(name, _UNSET) == value:
                continue
            self._published[name] = value
            variant = ua.Variant(value, self._vtypes[name], is_array=False)
            datavalue = _SharedDataValue(variant, SourceTimestamp=now, ServerTimestamp=now)
            await self._server.write_attribute_value(_node_id(name), datavalue)

    async def _run_plant(self) -> None:
        """Step the plant in real time every step_s and publish it."""
        loop = asyncio.get_running_loop()
        last = due = loop.time()
        while True:
            due += self._step_s
            await asyncio.sleep(due - loop.time())
            now = loop.time()
            dt = min(now - last, 5.0) * self.speed  # after a suspension, do not leap ahead
            self.plant.step(dt)
            last = now
            due = max(due, now - self._step_s)  # when late, carry on instead of bursting to catch up
            await self._publish_plant()
            await self.conditions.update(self.plant.values())
            if self._meter_server is not None:
                self.meter.step(dt)
                await self._meter_server.publish()

    async def _run_load(self) -> None:
        """Change every load tag load_rate times a second: a sine with its own phase per tag.

        The tags are written in slices spread over the period, as a real device would, so that
        publish responses stay small and the loop is never blocked for long. Writes go straight into
        the address space's attribute objects and their monitored-item callbacks: what asyncua's
        write_attribute_value does, minus the lookups and type checks.
        """
        assert self._server is not None
        aspace = self._server.iserver.aspace
        names = load_tag_names(self._load_tags)
        attrs = [aspace[_node_id(name)].attributes[ua.AttributeIds.Value] for name in names]
        phases = [2 * math.pi * i / len(attrs) for i in range(len(attrs))]
        period = 1.0 / self._load_rate
        slices = max(1, round(period / LOAD_SLICE_S), math.ceil(len(attrs) / LOAD_SLICE_MAX))
        bounds = [len(attrs) * k // slices for k in range(slices + 1)]
        double = ua.VariantType.Double
        loop = asyncio.get_running_loop()
        due = loop.time()
        tick = 0
        while True:
            angle = 2 * math.pi * tick / (60 * self._load_rate)  # one period a minute
            for first, end in zip(bounds, bounds[1:], strict=False):
                now = datetime.now(UTC)
                for attr, phase in zip(attrs[first:end], phases[first:end], strict=True):
                    variant = ua.Variant(50.0 + 40.0 * math.sin(angle + phase), double, is_array=False)
                    attr.value = datavalue = _SharedDataValue(
                        variant, SourceTimestamp=now, ServerTimestamp=now
                    )
                    if attr.datachange_callbacks:  # one per monitored item on this tag
                        for handle, callback in list(attr.datachange_callbacks.items()):
                            await callback(handle, datavalue)
                due += period / slices
                delay = due - loop.time()
                if delay < -period:  # more than a tick behind: skip ahead rather than burst
                    log.debug("load tick %d late by %.3f s", tick, -delay)
                    due = loop.time()
                await asyncio.sleep(max(delay, 0.0))
            tick += 1
