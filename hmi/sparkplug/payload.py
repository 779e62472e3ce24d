"""Sparkplug B payloads and topics: a tag as a birth metric, a sample as a data metric, and back."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from ..quality import Quality, Sample
from .sparkplug_b_pb2 import Payload

NAMESPACE = "spBv1.0"
Metric = Payload.Metric

# Sparkplug B datatypes (the schema's DataType enum) of the project's tag types.
INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64 = 1, 2, 3, 4, 5, 6, 7, 8
FLOAT, DOUBLE, BOOLEAN, STRING, TEXT = 9, 10, 11, 12, 14
DATATYPES: dict[str, int] = {
    "SByte": INT8,
    "Byte": UINT8,
    "Int16": INT16,
    "UInt16": UINT16,
    "Int32": INT32,
    "UInt32": UINT32,
    "Int64": INT64,
    "UInt64": UINT64,
    "Float": FLOAT,
    "Double": DOUBLE,
    "Boolean": BOOLEAN,
    "String": STRING,
}
TAG_TYPES: dict[int, str] = {number: name for name, number in DATATYPES.items()} | {TEXT: "String"}
BITS = {INT8: 8, INT16: 16, INT32: 32, INT64: 64}
"""Signed integers travel as their two's complement in an unsigned field."""
LONG = (INT64, UINT64)

GOOD, UNCERTAIN, BAD = 192, 64, 0
"""The Sparkplug `Quality` property (OPC DA codes)."""
QUALITY_CODES = {Quality.GOOD: GOOD, Quality.UNCERTAIN: UNCERTAIN, Quality.BAD: BAD}

BD_SEQ = "bdSeq"
REBIRTH = "Node Control/Rebirth"
WRITE = "write"
"""Property of the metric an edge node sends after a DCMD write: "confirmed" or why not."""
CONFIRMED = "confirmed"
REFUSED = "refused: "
"""How the `write` property of a write the edge node's engine refused begins (the reason follows)."""


def topic(group: str, kind: str, node: str, device: str | None = None) -> str:
    return "/".join([NAMESPACE, group, kind, node, *([device] if device else [])])


@dataclass(frozen=True)
class Topic:
    group: str
    kind: str
    node: str
    device: str | None


def parse_topic(text: str) -> Topic | None:
    """A Sparkplug B topic's parts; None for any other topic (STATE included)."""
    parts = text.split("/")
    if len(parts) not in (4, 5) or parts[0] != NAMESPACE:
        return None
    return Topic(parts[1], parts[2], parts[3], parts[4] if len(parts) == 5 else None)


def millis(ts: float) -> int:
    return int(ts * 1000)


def set_value(metric: Metric, datatype: int, value: Any) -> None:
    """The value into the field its datatype travels in; None as is_null."""
    if value is None:
        metric.is_null = True
    elif datatype == BOOLEAN:
        metric.boolean_value = bool(value)
    elif datatype in (STRING, TEXT):
        metric.string_value = str(value)
    elif datatype == FLOAT:
        metric.float_value = float(value)
    elif datatype == DOUBLE:
        metric.double_value = float(value)
    elif datatype in LONG:
        metric.long_value = int(value) & 0xFFFFFFFFFFFFFFFF
    else:
        metric.int_value = int(value) & 0xFFFFFFFF


def get_value(metric: Metric, datatype: int) -> Any:
    """The metric's value as the datatype means it; None when it is null or has none."""
    field = None if metric.is_null else metric.WhichOneof("value")
    return None if field is None else _narrow(datatype, getattr(metric, field))


def _narrow(datatype: int, value: Any) -> Any:
    """An integer of its datatype's width and sign: a sign-extended Int8 (0xFFFFFFFF) and a narrow
    one (0xFF) read alike."""
    if not isinstance(value, int) or isinstance(value, bool):
        return value
    if datatype in BITS:
        bits = BITS[datatype]
        value &= (1 << bits) - 1
        return value - (1 << bits) if value >> (bits - 1) else value
    if datatype in (UINT8, UINT16):
        return value & ((1 << (8 if datatype == UINT8 else 16)) - 1)
    return value


def add_property(metric: Metric, key: str, datatype: int, value: Any) -> None:
    properties = metric.properties
    properties.keys.append(key)
    entry = properties.values.add()
    entry.type = datatype
    if datatype == BOOLEAN:
        entry.boolean_value = bool(value)
    elif datatype == STRING:
        entry.string_value = str(value)
    elif datatype == DOUBLE:
        entry.double_value = float(value)
    else:
        entry.int_value = int(value) & 0xFFFFFFFF


def properties(metric: Metric) -> dict[str, Any]:
    """The metric's properties by key, each as its own type."""
    if not metric.HasField("properties"):
        return {}
    found: dict[str, Any] = {}
    for key, entry in zip(metric.properties.keys, metric.properties.values, strict=False):
        field = entry.WhichOneof("value")
        if field is not None and not entry.is_null:
            found[key] = _narrow(entry.type, getattr(entry, field))
    return found


def quality_of(props: dict[str, Any]) -> Quality:
    """Our quality from the Quality property (absent means Good)."""
    code = props.get("Quality", GOOD)
    if not isinstance(code, int) or code >= GOOD:
        return Quality.GOOD
    return Quality.UNCERTAIN if code >= UNCERTAIN else Quality.BAD


def add_sample(
    payload: Payload, alias: int, datatype: int, sample: Sample, name: str | None = None
) -> Metric:
    """A data metric of a sample: by alias (with the name in a birth), its timestamp, the value when it
    is not Bad, Quality and Reason when it is not Good."""
    metric = payload.metrics.add()
    if name is not None:
        metric.name = name
    metric.alias = alias
    metric.timestamp = millis(sample.ts)
    metric.datatype = datatype
    quality = sample.quality
    set_value(metric, datatype, None if quality is Quality.BAD else sample.value)
    if quality is not Quality.GOOD:
        add_property(metric, "Quality", INT32, QUALITY_CODES[quality])
        if sample.reason:
            add_property(metric, "Reason", STRING, sample.reason)
    return metric


def new_payload(seq: int | None) -> Payload:
    payload = Payload()
    payload.timestamp = millis(time.time())
    if seq is not None:
        payload.seq = seq
    return payload


def bd_seq_payload(bd_seq: int) -> Payload:
    """An NDEATH: the session's bdSeq alone (no seq)."""
    payload = new_payload(None)
    metric = payload.metrics.add()
    metric.name = BD_SEQ
    metric.datatype = INT64
    metric.long_value = bd_seq
    return payload


def bd_seq_of(payload: Payload) -> int | None:
    return next((int(m.long_value) for m in payload.metrics if m.name == BD_SEQ), None)


def rebirth_request() -> bytes:
    """The NCMD that asks an edge node for its births again."""
    payload = new_payload(None)
    metric = payload.metrics.add()
    metric.name, metric.datatype, metric.boolean_value = REBIRTH, BOOLEAN, True
    return payload.SerializeToString()
