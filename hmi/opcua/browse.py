"""Browse a live server's address space for the editor: children of a node, search by name, node details.

A short-lived asyncua session of its own (not a project Connection: no subscriptions, no tags), set
up with the same security and identity as the project's connection when one is given.
"""

from __future__ import annotations

import inspect
import logging
from collections import deque
from dataclasses import dataclass, replace
from types import TracebackType
from typing import Any

from asyncua import Client, ua

from ..errors import CommError
from ..project.model import Connection as ConnectionConfig
from .credentials import Credentials, stored_password
from .login import explain, identify, secure
from .nodes import resolve, with_uri
from .security import Pki
from .session import describe

log = logging.getLogger(__name__)

OBJECTS = "i=85"
"""The Objects folder: where a server's instance nodes start."""
_HIERARCHICAL = ua.NodeId(ua.ObjectIds.HierarchicalReferences)
_CLASSES = ua.NodeClass.Object | ua.NodeClass.Variable | ua.NodeClass.Method
_SKIP_IN_SEARCH = {"i=2253"}
"""The Server object: thousands of diagnostics nodes no project tag lives in."""


@dataclass(frozen=True)
class NodeInfo:
    """One node as the browser shows it; `node` is the id as project tags write it, by namespace URI
    (`nsu=urn:openhmi:demo-plant;s=TK101.Level`) so that it survives the server reordering them."""

    node: str
    browse_name: str
    display_name: str
    node_class: str
    """Object, Variable, Method, ..."""
    path: tuple[str, ...] = ()
    """Browse names from the Objects folder down to this node."""
    data_type: str | None = None
    """Of a variable: the built-in type's name (Double, Boolean, ...) or the type's node id."""
    value: Any = None
    writable: bool = False
    readable: bool = True
    units: str = ""
    range: tuple[float, float] | None = None
    """Engineering range of an analog item (EURange), when the server gives one."""
    description: str = ""

    @property
    def is_variable(self) -> bool:
        return self.node_class == "Variable"

    @property
    def has_children(self) -> bool:
        """Whether a tree should offer to expand it (a variable's properties show as its details)."""
        return self.node_class == "Object"


def _node_id(expanded: ua.ExpandedNodeId | ua.NodeId) -> ua.NodeId:
    return ua.NodeId(expanded.Identifier, expanded.NamespaceIndex, expanded.NodeIdType)


def _type_name(type_id: Any) -> str | None:
    if not isinstance(type_id, ua.NodeId):
        return None
    if type_id.NamespaceIndex == 0 and isinstance(type_id.Identifier, int):
        return ua.ObjectIdNames.get(type_id.Identifier, type_id.to_string())
    return type_id.to_string()


def _read_id(node: ua.NodeId, attribute: ua.AttributeIds) -> ua.ReadValueId:
    return ua.ReadValueId(NodeId=node, AttributeId=attribute)


class Browser:
    """An open session for browsing one server. Use `async with Browser(config) as b:` or connect/close."""

    def __init__(
        self,
        config: ConnectionConfig | str,
        *,
        name: str = "browse",
        credentials: Credentials | None = None,
        pki: Pki | None = None,
    ):
        self.config = ConnectionConfig(endpoint=config) if isinstance(config, str) else config
        self.name = name
        endpoint = self.config.endpoint
        self._credentials = credentials or (lambda name, user: stored_password(endpoint, user, name))
        self._pki = pki
        self._client: Client | None = None
        self._namespaces: list[str] = []

    @property
    def endpoint(self) -> str:
        return self.config.endpoint

    @property
    def connected(self) -> bool:
        return self._client is not None

    def same_node(self, a: str, b: str) -> bool:
        """Whether two node ids (by index `ns=` or by URI `nsu=`) name the same node of this server."""
        first = resolve(a, self._namespaces)
        return isinstance(first, ua.NodeId) and first == resolve(b, self._namespaces)

    async def __aenter__(self) -> Browser:
        await self.connect()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def connect(self) -> None:
        """Open a session; raises CommError with a reason the engineer can act on."""
        cfg = self.config
        client = Client(cfg.endpoint, timeout=cfg.timeout_s)
        client.name = client.description = "OpenHMI editor"
        client.application_uri = "urn:openhmi:client"
        pki = self._pki or Pki()
        try:
            if cfg.security.mode != "None":
                await secure(client, cfg.endpoint, cfg.security, pki)
            await identify(client, cfg.identity, pki, await self._password())
            await client.connect()
            self._namespaces = await client.get_namespace_array()
        except CommError:
            raise
        except Exception as exc:
            reason = explain(exc, cfg.identity, pki) or describe(exc)
            raise CommError(f"cannot browse {cfg.endpoint}: {reason}") from None
        self._client = client

    async def _password(self) -> str | None:
        identity = self.config.identity
        if identity.kind != "username" or identity.user is None:
            return None
        answer = self._credentials(self.name, identity.user)
        password = await answer if inspect.isawaitable(answer) else answer
        if password is None:
            raise CommError(f"no password for user {identity.user}: browsing needs one")
        return password

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            try:
                await client.disconnect()
            except Exception as exc:  # the server may be gone already; closing must not fail
                log.debug("closing browse session to %s: %s", self.endpoint, exc)

    def _id(self, node: str) -> ua.NodeId:
        found = resolve(node, self._namespaces)
        if isinstance(found, str):
            raise CommError(f"{node}: {found}")
        return found

    def _need(self) -> Client:
        if self._client is None:
            raise CommError(f"not connected to {self.endpoint}")
        return self._client

    async def root(self) -> NodeInfo:
        """The Objects folder, the top of the tree."""
        return NodeInfo(OBJECTS, "Objects", "Objects", "Object")

    async def children(self, parent: NodeInfo | str) -> list[NodeInfo]:
        """The objects, variables and methods below `parent`, variables with type, value and access."""
        info = parent if isinstance(parent, NodeInfo) else NodeInfo(parent, "", "", "Object")
        found = await self._browse([info])
        return await self._with_attributes(found[info.node])

    async def _browse(self, parents: list[NodeInfo]) -> dict[str, list[NodeInfo]]:
        """Children of many nodes in one request each way (browse, then continuation points)."""
        client = self._need()
        params = ua.BrowseParameters()
        params.NodesToBrowse = []
        for parent in parents:
            desc = ua.BrowseDescription()
            desc.NodeId = self._id(parent.node)
            desc.BrowseDirection = ua.BrowseDirection.Forward
            desc.ReferenceTypeId = _HIERARCHICAL
            desc.IncludeSubtypes = True
            desc.NodeClassMask = _CLASSES
            desc.ResultMask = ua.BrowseResultMask.All
            params.NodesToBrowse.append(desc)
        try:
            results = await client.uaclient.browse(params)
            found: dict[str, list[NodeInfo]] = {}
            for parent, result in zip(parents, results, strict=True):
                refs = list(result.References or [])
                point = result.ContinuationPoint
                while point:
                    more = await client.uaclient.browse_next(
                        ua.BrowseNextParameters(ContinuationPoints=[point])
                    )
                    refs += more[0].References or []
                    point = more[0].ContinuationPoint
                found[parent.node] = [self._info(parent, ref) for ref in refs]
            return found
        except (ua.UaError, OSError, TimeoutError) as exc:
            raise CommError(f"browsing {self.endpoint} failed: {describe(exc)}") from None

    def _info(self, parent: NodeInfo, ref: ua.ReferenceDescription) -> NodeInfo:
        browse_name = ref.BrowseName.Name or ""
        return NodeInfo(
            node=with_uri(_node_id(ref.NodeId), self._namespaces),
            browse_name=browse_name,
            display_name=ref.DisplayName.Text or browse_name,
            node_class=ref.NodeClass.name,
            path=(*parent.path, browse_name),
        )

    async def _with_attributes(self, nodes: list[NodeInfo]) -> list[NodeInfo]:
        """Variables filled in with data type, value and access level, in one read."""
        variables = [n for n in nodes if n.is_variable]
        if not variables:
            return nodes
        attributes = (ua.AttributeIds.DataType, ua.AttributeIds.Value, ua.AttributeIds.UserAccessLevel)
        params = ua.ReadParameters()
        params.NodesToRead = [_read_id(self._id(n.node), a) for n in variables for a in attributes]
        try:
            values = await self._need().uaclient.read(params)
        except (ua.UaError, OSError, TimeoutError) as exc:
            raise CommError(f"reading from {self.endpoint} failed: {describe(exc)}") from None
        filled = {}
        for i, node in enumerate(variables):
            dtype, value, access = values[3 * i : 3 * i + 3]
            mask = access.Value.Value if access.StatusCode.is_good() and access.Value else 0
            filled[node.node] = replace(
                node,
                data_type=_type_name(dtype.Value.Value if dtype.Value else None),
                value=value.Value.Value if value.StatusCode.is_good() and value.Value else None,
                readable=bool(mask & ua.AccessLevel.CurrentRead.mask),
                writable=bool(mask & ua.AccessLevel.CurrentWrite.mask),
            )
        return [filled.get(n.node, n) for n in nodes]

    async def details(self, info: NodeInfo) -> NodeInfo:
        """The node read again (current value), with description, units and engineering range."""
        (fresh,) = await self._with_attributes([info])
        client = self._need()
        node = client.get_node(self._id(info.node))
        try:
            description = await node.read_description()
            props = {}
            if info.is_variable:
                for child in await node.get_properties():
                    name = (await child.read_browse_name()).Name
                    if name in ("EURange", "EngineeringUnits"):
                        props[name] = await child.read_value()
        except (ua.UaError, OSError, TimeoutError) as exc:
            raise CommError(f"reading from {self.endpoint} failed: {describe(exc)}") from None
        units = props.get("EngineeringUnits")
        eu_range = props.get("EURange")
        return replace(
            fresh,
            description=description.Text or "",
            units=(units.DisplayName.Text or "") if isinstance(units, ua.EUInformation) else "",
            range=(eu_range.Low, eu_range.High) if isinstance(eu_range, ua.Range) else None,
        )

    async def search(self, text: str, *, limit: int = 50, max_nodes: int = 5000) -> list[NodeInfo]:
        """Nodes whose browse name, display name, path or node id contains `text` (any case), breadth-first
        from the Objects folder; stops after `limit` matches or `max_nodes` nodes looked at."""
        wanted = text.strip().lower()
        if not wanted:
            return []
        matches: list[NodeInfo] = []
        queue: deque[NodeInfo] = deque([await self.root()])
        seen = {OBJECTS}
        looked = 0
        while queue and len(matches) < limit and looked < max_nodes:
            level = [queue.popleft() for _ in range(min(len(queue), 100))]
            for children in (await self._browse(level)).values():
                for child in children:
                    if child.node in seen:
                        continue
                    seen.add(child.node)
                    looked += 1
                    haystack = (
                        f"{child.browse_name}\n{child.display_name}\n{'.'.join(child.path)}\n{child.node}"
                    )
                    if wanted in haystack.lower() and len(matches) < limit:
                        matches.append(child)
                    if child.has_children and child.node not in _SKIP_IN_SEARCH:
                        queue.append(child)
        return await self._with_attributes(matches)
