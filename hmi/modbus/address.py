"""A Modbus tag's address (table, register or bit number, how a value is laid out in registers), and
its value to and from those registers (encoding, word and byte order, scale).

    hr0:float32          holding registers 0-1, a float32, big-endian (ABCD)
    ir10:uint32:wordswap input registers 10-11, low word first (CDAB)
    hr4:int16            one holding register
    co5, di3             a coil, a discrete input

Orders: big (ABCD, the Modbus default), little (DCBA), wordswap (CDAB), byteswap (BADC).
Addresses are the zero-based numbers sent on the wire (register 40001 is hr0).
"""

from __future__ import annotations

import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, cast

from ..errors import WriteRefused

if TYPE_CHECKING:
    from ..project.model import Tag

Table = Literal["hr", "ir", "co", "di"]
TABLES: dict[str, str] = {
    "hr": "holding registers",
    "ir": "input registers",
    "co": "coils",
    "di": "discrete inputs",
}
ENCODINGS: dict[str, tuple[str, int]] = {
    "int16": ("h", 1),
    "uint16": ("H", 1),
    "int32": ("i", 2),
    "uint32": ("I", 2),
    "int64": ("q", 4),
    "uint64": ("Q", 4),
    "float32": ("f", 2),
    "float64": ("d", 4),
}
"""Encoding -> struct format and registers it takes."""
ORDERS = ("big", "little", "wordswap", "byteswap")
BITS = ("co", "di")
WRITABLE = ("hr", "co")
LAST = 65535

_ADDRESS = re.compile(r"^(hr|ir|co|di)(\d{1,5})(?::([a-z0-9]+))?(?::([a-z]+))?$")
EXAMPLE = "a Modbus address such as hr0:float32 (hr, ir, co or di, the number, encoding and order)"


@dataclass(frozen=True)
class Address:
    table: Table
    number: int
    encoding: str = "int16"
    """For registers: a key of ENCODINGS; 'bit' for coils and discrete inputs."""
    order: str = "big"

    @property
    def count(self) -> int:
        """Registers (or bits) the value takes."""
        return 1 if self.table in BITS else ENCODINGS[self.encoding][1]

    @property
    def is_bit(self) -> bool:
        return self.table in BITS

    def __str__(self) -> str:
        text = f"{self.table}{self.number}"
        if not self.is_bit:
            text += f":{self.encoding}" + (f":{self.order}" if self.order != "big" else "")
        return text


class AddressError(ValueError):
    """The text is not a Modbus address; says why in words."""


def parse(text: str) -> Address:
    match = _ADDRESS.match(text)
    if match is None:
        raise AddressError(f"{text!r} is not {EXAMPLE}")
    table = cast(Table, match.group(1))  # one of the four, by the pattern
    number, encoding, order = int(match.group(2)), match.group(3), match.group(4)
    if table in BITS:
        if encoding is not None:
            raise AddressError(f"{text!r}: {TABLES[table]} hold one bit: no encoding after the number")
        return Address(table, number, "bit")
    encoding = encoding or "int16"
    if encoding not in ENCODINGS:
        raise AddressError(f"{text!r}: unknown encoding {encoding!r}: one of {', '.join(ENCODINGS)}")
    order = order or "big"
    if order not in ORDERS:
        raise AddressError(f"{text!r}: unknown order {order!r}: one of {', '.join(ORDERS)}")
    address = Address(table, number, encoding, order)
    if number + address.count - 1 > LAST:
        raise AddressError(f"{text!r}: the value would end past register {LAST}")
    return address


def accepts(text: str) -> bool:
    """Whether `text` is meant as a Modbus address (a table and a number); the rest is checked with
    the tag's connection, so that the error names what is wrong in it."""
    return re.match(r"^(hr|ir|co|di)\d", text) is not None


def _ordered(registers: Sequence[int], order: str) -> list[int]:
    """Registers in big-endian word and byte order from those of `order` (and back: it is its own inverse)."""
    registers = list(registers)
    if order in ("little", "wordswap"):
        registers = registers[::-1]
    if order in ("little", "byteswap"):
        registers = [(r >> 8) | ((r & 0xFF) << 8) for r in registers]
    return registers


def decode(registers: Sequence[int], address: Address) -> int | float:
    fmt, count = ENCODINGS[address.encoding]
    data = struct.pack(f">{count}H", *_ordered(registers, address.order))
    value: int | float = struct.unpack(f">{fmt}", data)[0]
    return value


def encode(value: int | float, address: Address) -> list[int]:
    """The registers of `value`; struct.error when it does not fit the encoding."""
    fmt, count = ENCODINGS[address.encoding]
    data = struct.pack(f">{fmt}", value)
    return _ordered(list(struct.unpack(f">{count}H", data)), address.order)


def limits(encoding: str) -> tuple[int, int] | None:
    """The integer range of an integer encoding, None for floats."""
    fmt, count = ENCODINGS[encoding]
    if fmt in "fd":
        return None
    bits = 16 * count
    return (0, 2**bits - 1) if fmt.isupper() else (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)


def engineering(tag: Tag, raw: int | float) -> int | float:
    """The tag's value from the register's: scaled, and a float where the tag is one."""
    if tag.scale is not None:
        factor, offset = tag.scale
        return raw * factor + offset
    return float(raw) if tag.type in ("Float", "Double") else raw


def raw_value(tag: Tag, address: Address, value: int | float) -> int | float:
    """What goes into the registers for an engineering value; WriteRefused when it does not fit."""
    raw: int | float = value
    if tag.scale is not None:
        factor, offset = tag.scale
        raw = (value - offset) / factor
    bounds = limits(address.encoding)
    if bounds is None:
        try:
            struct.pack(">f" if address.encoding == "float32" else ">d", raw)
        except (OverflowError, struct.error):
            raise WriteRefused(f"{tag.name}: {value:g} does not fit {address.encoding}") from None
        return raw
    whole = round(raw)
    if not bounds[0] <= whole <= bounds[1]:
        raise WriteRefused(
            f"{tag.name}: {value:g} is {whole} in the register, outside {address.encoding} "
            f"{bounds[0]}..{bounds[1]}"
        )
    return whole
