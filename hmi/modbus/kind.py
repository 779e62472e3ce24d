"""Modbus TCP as a kind of source (`kind: modbus`): config model, tag checks, register map, factory."""

from __future__ import annotations

from ..project.model import NUMERIC_TYPES, Tag
from ..sources.port import SourceContext, TagSource
from ..sources.registry import SourceKind
from ..writes import INT_RANGES
from .address import EXAMPLE, TABLES, WRITABLE, AddressError, accepts, limits, parse
from .config import ModbusConnection

FLOATS = ("Float", "Double")


def tag_problems(tag: Tag, config: ModbusConnection) -> list[tuple[str, str]]:
    """What a Modbus device cannot serve as the tag asks: its address, type, scale, group, writes."""
    try:
        address = parse(tag.node)
    except AddressError as exc:
        return [("node", str(exc))]
    problems = []
    table = TABLES[address.table]
    if address.is_bit:
        if tag.type != "Boolean":
            problems.append(("type", f"{table} hold on/off: the tag type is Boolean, not {tag.type}"))
        if tag.scale is not None:
            problems.append(("scale", f"{table} hold on/off: nothing to scale"))
    elif tag.type not in NUMERIC_TYPES:
        problems.append(("type", f"{address.encoding} registers hold a number: {tag.type} cannot take it"))
    elif tag.scale is not None or limits(address.encoding) is None:
        if tag.type not in FLOATS:
            why = "a scaled value" if tag.scale is not None else f"{address.encoding} holds fractions: it"
            problems.append(("type", f"{why} needs a tag type Float or Double, not {tag.type}"))
    else:
        low, high = limits(address.encoding) or (0, 0)
        if tag.type in INT_RANGES:
            least, most = INT_RANGES[tag.type]
            if low < least or high > most:
                problems.append(
                    ("type", f"{address.encoding} runs {low}..{high}: {tag.type} cannot hold it all")
                )
    if tag.writable and address.table not in WRITABLE:
        problems.append(("writable", f"{table} are read-only: only holding registers and coils are written"))
    if tag.group is not None and tag.group not in config.groups:
        known = ", ".join(config.groups) or "none defined"
        problems.append(("group", f"unknown polling group {tag.group!r} (groups: {known})"))
    if tag.deadband is not None:
        problems.append(("deadband", "a Modbus tag reports every change it reads: deadband is for OPC-UA"))
    return problems


REGISTER_MAP = ("tag", "table", "address", "type", "order", "scale", "group")
"""The columns of a register map row, in the order shown."""


def order_letters(order: str, registers: int) -> str:
    """How the value's bytes lie in its registers, A the most significant: wordswap of two is CDAB."""
    words = [["ABCDEFGH"[2 * i], "ABCDEFGH"[2 * i + 1]] for i in range(registers)]
    if order in ("little", "wordswap"):
        words.reverse()
    if order in ("little", "byteswap"):
        words = [word[::-1] for word in words]
    return "".join(letter for word in words for letter in word)


def register_map(config: ModbusConnection, tags: list[Tag]) -> list[dict[str, str]]:
    """The registers and bits the project's tags of one connection read, in table and address order:
    what the editor's tag browser and `hmi check` show for a Modbus connection, whose device has no
    address space to browse. One row a tag, every column (REGISTER_MAP) as text."""
    rows = []
    for tag in tags:
        try:
            address = parse(tag.node)
        except AddressError:
            continue
        last = address.number + address.count - 1
        group = tag.group or "default"
        rate = config.groups[tag.group].rate_ms if tag.group in config.groups else config.poll_ms
        factor, offset = tag.scale or (1.0, 0.0)
        key = (address.table, address.number)
        rows.append(
            (
                key,
                {
                    "tag": tag.name,
                    "table": TABLES[address.table],
                    "address": f"{address.number}" + (f"-{last}" if last > address.number else ""),
                    "type": "bit" if address.is_bit else address.encoding,
                    "order": ""
                    if address.is_bit
                    else f"{address.order} ({order_letters(address.order, address.count)})",
                    "scale": "" if tag.scale is None else f"x {factor:g} + {offset:g}",
                    "group": f"{group} ({rate:g} ms)",
                },
            )
        )
    return [row for _, row in sorted(rows, key=lambda r: r[0])]


def create(name: str, config: ModbusConnection, tags: list[Tag], context: SourceContext) -> TagSource:
    from .source import ModbusSource

    return ModbusSource(name, config, tags, context.table)


KIND = SourceKind("modbus", ModbusConnection, create, accepts, EXAMPLE, tag_problems, register_map)
