"""Node ids and values as a server has them: namespace URIs to indexes, values in a node's own type."""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from asyncua import ua

from ..errors import WriteRefused
from ..project.model import NUMERIC_TYPES
from ..writes import INT_RANGES, check_int_range


def resolve(node: str, namespaces: list[str]) -> ua.NodeId | str:
    """The node id of a project's `ns=...` or `nsu=<uri>;...` text against the server's namespace
    array as it is now; a text saying why not when the server has no such namespace."""
    parsed = ua.NodeId.from_string(node)
    if isinstance(parsed, ua.ExpandedNodeId) and parsed.NamespaceUri:
        if parsed.NamespaceUri not in namespaces:
            return f"the server has no namespace {parsed.NamespaceUri}"
        return ua.NodeId(parsed.Identifier, namespaces.index(parsed.NamespaceUri), parsed.NodeIdType)
    return ua.NodeId(parsed.Identifier, parsed.NamespaceIndex, parsed.NodeIdType)


def with_uri(node: ua.NodeId, namespaces: list[str]) -> str:
    """A node id by namespace URI, the same whatever index the server gives the namespace today."""
    if node.NamespaceIndex == 0 or node.NamespaceIndex >= len(namespaces):
        return node.to_string()
    local = ua.NodeId(node.Identifier, 0, node.NodeIdType).to_string()
    return f"nsu={namespaces[node.NamespaceIndex]};{local}"


_NUMBERS = {ua.VariantType[name] for name in NUMERIC_TYPES}
_KINDS = {"Boolean": {ua.VariantType.Boolean}, "String": {ua.VariantType.String}}


def type_mismatch(tag_type: str, vtype: ua.VariantType | None) -> str | None:
    """Why a tag of `tag_type` cannot show a node of `vtype` (None: it can, or the node's type is
    abstract and each value is checked as it comes)."""
    if vtype is None or vtype in _KINDS.get(tag_type, _NUMBERS):
        return None
    return f"type mismatch: the node is {vtype.name}, the tag is {tag_type}"


def fits(tag_type: str) -> Callable[[Any], bool]:
    """The check each value from the server passes before the tag takes it."""
    if tag_type == "Boolean":
        return lambda v: isinstance(v, bool)
    if tag_type == "String":
        return lambda v: isinstance(v, str)
    return lambda v: isinstance(v, int | float) and not isinstance(v, bool)


_FLOATS = {ua.VariantType.Float, ua.VariantType.Double}
FLOAT32_MAX = 3.4028234663852886e38


def in_node_type(name: str, value: Any, vtype: ua.VariantType) -> Any:
    """`value` (already checked against the tag) as the node's data type takes it, or WriteRefused:
    a tag without `type:` on an Int16 node writes 8, not 8.0."""
    if vtype.name in INT_RANGES:
        if isinstance(value, str) or not float(value).is_integer():
            raise WriteRefused(f"{name}: the server's node is {vtype.name}: {value!r} is not a whole number")
        number = int(value)
        check_int_range(f"{name}: the server's node is {vtype.name}", vtype.name, number)
        return number
    if vtype in _FLOATS:
        if isinstance(value, str | bool):
            raise WriteRefused(f"{name}: the server's node is {vtype.name}, not a {type(value).__name__}")
        if vtype is ua.VariantType.Float and abs(float(value)) > FLOAT32_MAX:
            raise WriteRefused(f"{name}: the server's node is Float: {value!r} is too large for it")
        return float(value)
    if vtype is ua.VariantType.Boolean and not isinstance(value, bool):
        raise WriteRefused(f"{name}: the server's node is Boolean: {value!r} is not on/off")
    if vtype is ua.VariantType.String and not isinstance(value, str):
        raise WriteRefused(f"{name}: the server's node is String: write text, not {value!r}")
    return value


def same_value(written: Any, read_back: Any, vtype: ua.VariantType) -> bool:
    """Whether a read-back confirms a write, within the node type's precision (0.1 in a Float
    node reads back as 0.10000000149011612)."""
    if vtype is ua.VariantType.Float and isinstance(read_back, float):
        return _float32(written) == _float32(read_back)
    return bool(written == read_back)


def _float32(value: float) -> float:
    return float(struct.unpack("f", struct.pack("f", value))[0])
