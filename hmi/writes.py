"""Turning what an operator typed into a value a tag accepts, or a clear refusal."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import WriteRefused
from .project.model import Tag

INT_RANGES = {
    "SByte": (-(2**7), 2**7 - 1),
    "Byte": (0, 2**8 - 1),
    "Int16": (-(2**15), 2**15 - 1),
    "UInt16": (0, 2**16 - 1),
    "Int32": (-(2**31), 2**31 - 1),
    "UInt32": (0, 2**32 - 1),
    "Int64": (-(2**63), 2**63 - 1),
    "UInt64": (0, 2**64 - 1),
}
TRUE_WORDS = {"1", "true", "on", "yes", "run", "start"}
FALSE_WORDS = {"0", "false", "off", "no", "stop"}


def coerce(tag: Tag, value: Any) -> Any:
    """Convert to the tag's type and enforce its write limits; raise WriteRefused saying why not."""
    if not tag.writable:
        raise WriteRefused(f"{tag.name} is read-only")
    kind = tag.type
    if kind == "String":
        return str(value)
    if kind == "Boolean":
        return _boolean(tag, value)
    number: float | int
    if kind in INT_RANGES:
        number = _whole(tag, value)
        check_int_range(f"{tag.name} is {kind}", kind, number)
    else:
        number = _number(tag, value)
    if tag.write_limits is not None:
        least, most = tag.write_limits
        if not least <= number <= most:
            units = f" {tag.units}" if tag.units else ""
            raise WriteRefused(
                f"{tag.name}: {number:g}{units} is outside the write limits {least:g}..{most:g}{units}"
            )
    return number


def check_int_range(what: str, kind: str, number: int) -> None:
    """Refuse an integer outside the range of its OPC-UA integer type, saying `what` has that type."""
    low, high = INT_RANGES[kind]
    if not low <= number <= high:
        raise WriteRefused(f"{what}: {number} is outside {low}..{high}")


def _boolean(tag: Tag, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise WriteRefused(f"{tag.name} takes on/off (true/false), not {value!r}")


def _whole(tag: Tag, value: Any) -> int:
    """An integer exactly as typed: 9007199254740993 stays itself (a float would make it ...992)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            exact = Decimal(value.strip())
        except InvalidOperation:
            raise WriteRefused(f"{tag.name} takes a number, not {value!r}") from None
        if not exact.is_finite() or exact != exact.to_integral_value():
            raise WriteRefused(f"{tag.name} takes whole numbers, not {value!r}")
        if exact.adjusted() >= 20:  # more digits than any 64-bit integer: never build the huge int
            raise WriteRefused(f"{tag.name} is {tag.type}: {value.strip()} is outside its range")
        return int(exact)
    number = _number(tag, value)
    if not number.is_integer():
        raise WriteRefused(f"{tag.name} takes whole numbers, not {value!r}")
    return int(number)


def _number(tag: Tag, value: Any) -> float:
    if isinstance(value, bool):
        raise WriteRefused(f"{tag.name} takes a number, not {value!r}")
    try:
        number = float(value.strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise WriteRefused(f"{tag.name} takes a number, not {value!r}") from None
    if not math.isfinite(number):
        raise WriteRefused(f"{tag.name} takes a finite number, not {value!r}")
    return number
