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
