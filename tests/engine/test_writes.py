import pytest

from hmi.errors import WriteRefused
from hmi.project.model import Tag
from hmi.writes import coerce


def tag(**kw):
    base = {"name": "FIC101.SP", "connection": "plant", "node": "ns=2;s=FIC101.SP", "writable": True}
    return Tag(**(base | kw))


def test_numbers_are_converted_and_kept_within_limits():
    sp = tag(units="m³/h", write_limits=(0, 50))
    assert coerce(sp, "25.5") == 25.5
    assert coerce(sp, 50) == 50.0
    with pytest.raises(WriteRefused, match=r"60 m³/h is outside the write limits 0..50 m³/h"):
        coerce(sp, 60)
    with pytest.raises(WriteRefused, match="takes a number"):
        coerce(sp, "lots")
    with pytest.raises(WriteRefused, match="finite"):
        coerce(sp, "nan")


def test_integers_refuse_fractions_and_overflow():
    counter = tag(type="Int16")
    assert coerce(counter, "12") == 12
    with pytest.raises(WriteRefused, match="whole numbers"):
        coerce(counter, 1.5)
    with pytest.raises(WriteRefused, match="outside -32768..32767"):
        coerce(counter, 40000)


def test_booleans_accept_the_words_operators_use():
    cmd = tag(type="Boolean")
    assert coerce(cmd, "Start") is True
    assert coerce(cmd, "off") is False
    assert coerce(cmd, 1) is True
    with pytest.raises(WriteRefused, match="on/off"):
        coerce(cmd, "maybe")


def test_read_only_tags_are_refused():
    with pytest.raises(WriteRefused, match="read-only"):
        coerce(tag(writable=False), 1)


def test_64_bit_integers_keep_every_digit_and_huge_texts_are_refused_cheaply():
    big = tag(type="Int64")
    assert coerce(big, "9007199254740993") == 9007199254740993  # a float would give ...992
    assert coerce(tag(type="UInt64"), "18446744073709551615") == 2**64 - 1
    assert coerce(big, "8.0") == 8
    with pytest.raises(WriteRefused, match="outside its range"):
        coerce(big, "1e999999999")  # never built as an integer
    with pytest.raises(WriteRefused, match="whole numbers"):
        coerce(big, "8.5")


def test_values_go_in_the_node_type_and_read_backs_compare_in_its_precision():
    from asyncua import ua

    from hmi.opcua.nodes import in_node_type, same_value

    assert in_node_type("Mode", 8.0, ua.VariantType.Int16) == 8
    assert isinstance(in_node_type("Mode", 8.0, ua.VariantType.Int16), int)
    with pytest.raises(WriteRefused, match="Int16: 40000 is outside -32768..32767"):
        in_node_type("Mode", 40000, ua.VariantType.Int16)
    with pytest.raises(WriteRefused, match=r"Float: 1e\+39 is too large"):
        in_node_type("SP", 1e39, ua.VariantType.Float)
    with pytest.raises(WriteRefused, match="String: write text"):
        in_node_type("Name", 3.0, ua.VariantType.String)
    assert same_value(0.1, 0.10000000149011612, ua.VariantType.Float)
    assert not same_value(0.1, 0.10000000149011612, ua.VariantType.Double)
    assert not same_value(0.1, 0.2, ua.VariantType.Float)


def test_node_ids_by_namespace_uri_follow_the_servers_namespace_order():
    from asyncua import ua

    from hmi.opcua.nodes import resolve

    node, base = "nsu=urn:acme:plc;s=Boiler.P", "http://opcfoundation.org/UA/"
    assert resolve(node, [base, "urn:acme:plc"]) == ua.NodeId("Boiler.P", 1)
    assert resolve(node, [base, "urn:x", "urn:acme:plc"]) == ua.NodeId("Boiler.P", 2)
    assert resolve(node, [base]) == "the server has no namespace urn:acme:plc"
    assert resolve("ns=3;i=7", []) == ua.NodeId(7, 3)
