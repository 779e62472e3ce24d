"""`hmi check` shows a Modbus connection's register map: what each tag reads, and how."""

from __future__ import annotations

from hmi.cli import DEMO_PROJECT, main
from hmi.modbus.kind import order_letters


def test_check_lists_the_register_map_of_the_modbus_connection(capsys):
    assert main(["check", str(DEMO_PROJECT)]) == 0
    out = capsys.readouterr().out.splitlines()
    at = out.index("meter (modbus): 4 tag(s) in its register map")
    assert out[at + 1].split() == ["tag", "table", "address", "type", "order", "scale", "group"]
    energy = "EM1.Energy   input registers  6-7      uint32   big (ABCD)  x 0.1 + 0  energy (10000 ms)"
    assert out[at + 5] == f"  {energy}"


def test_word_and_byte_orders_in_letters():
    assert [order_letters(o, 2) for o in ("big", "little", "wordswap", "byteswap")] == [
        "ABCD",
        "DCBA",
        "CDAB",
        "BADC",
    ]
    assert order_letters("byteswap", 1) == "BA" and order_letters("wordswap", 4) == "GHEFCDAB"
