"""The demo plant as a Sparkplug B edge node (`hmi run --headless --publish`) on a real broker, read by
a plain MQTT client and decoded by another library (pysparkplug, its own build of the official schema)."""

from __future__ import annotations

import pysparkplug
from pysparkplug import _protobuf as other_schema

from tests.sparkplug.conftest import GROUP, NODE, EdgeProcess, Listener, until


def decode(message, birth=None):
    return pysparkplug.Message.from_mqtt_message(message, birth=birth).payload


def other_properties(raw: bytes, name: str) -> dict[str, object]:
    """A metric's properties as the other library's schema reads them."""
    payload = other_schema.Payload.FromString(raw)
    metric = next(m for m in payload.metrics if m.name == name)
    return {
        key: getattr(value, value.WhichOneof("value"))
        for key, value in zip(metric.properties.keys, metric.properties.values, strict=True)
    }


def test_births_data_and_death_as_another_library_reads_them(edge: EdgeProcess, listener: Listener):
    until(lambda: listener.of("DBIRTH", "plant"), 60, "the DBIRTH of the plant")
    until(lambda: len(listener.of("DDATA", "plant")) >= 3, 30, "data of the plant by exception")

    nbirth = decode(listener.of("NBIRTH")[0])
    assert listener.of("NBIRTH")[0].topic == f"spBv1.0/{GROUP}/NBIRTH/{NODE}"
    node_metrics = {m.name: m for m in nbirth.metrics}
    assert node_metrics["bdSeq"].datatype is pysparkplug.DataType.INT64
    assert node_metrics["Node Control/Rebirth"].value is False
    assert nbirth.seq == 0

    raw_birth = listener.of("DBIRTH", "plant")[0]
    dbirth = decode(raw_birth)
    born = {m.name: m for m in dbirth.metrics}
    assert len(born) == 40  # every tag of the plant connection
    assert born["TK101.Level"].datatype is pysparkplug.DataType.DOUBLE
    assert born["FIC101.Auto"].datatype is pysparkplug.DataType.BOOLEAN
    assert born["RC1.Fault.OverheatJoint"].datatype is pysparkplug.DataType.INT32
    level = other_properties(raw_birth.payload, "TK101.Level")
    assert level["engUnit"] == "%"
    assert (level["engLow"], level["engHigh"]) == (0.0, 100.0)
    assert level["Documentation"] == "Feed tank level"
    assert level["readOnly"] is True
    assert other_properties(raw_birth.payload, "FIC101.SP")["readOnly"] is False
    assert listener.of("DBIRTH", "meter") and listener.of("DBIRTH", "_alarms")

    # Data by exception: by alias, named again through the birth, values of the birth's types.
    changes = [m for message in listener.of("DDATA", "plant") for m in decode(message, dbirth).metrics]
    levels = [m.value for m in changes if m.name == "TK101.Level" and not m.is_null]
    assert levels and all(0 <= v <= 100 for v in levels)
    assert all(m.name in born for m in changes)

    # One sequence from the NBIRTH on, wrapping at 256.
    after_birth = [decode(m).seq for m in listener.messages if m.topic.split("/")[2] in ("DBIRTH", "DDATA")]
    assert after_birth[:4] == [1, 2, 3, 4][: len(after_birth[:4])]
    assert all(b == (a + 1) % 256 for a, b in zip(after_birth, after_birth[1:], strict=False))

    assert edge.stop() == 0
    until(lambda: listener.of("NDEATH"), 10, "the NDEATH of a clean stop")
    death = decode(listener.of("NDEATH")[0])
    assert death.bd_seq_metric.name == "bdSeq"
    assert death.bd_seq_metric.value == node_metrics["bdSeq"].value
    assert "Traceback" not in edge.output()
