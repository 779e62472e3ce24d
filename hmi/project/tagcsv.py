"""Tags as CSV for bulk editing in a spreadsheet: export the tag list, import it back with per-row errors.

One row a tag. Import merges by name: a row updates the tag of that name (its alarms are kept, as
are fields whose column the file leaves out) or adds a new one. Rows are numbered as a spreadsheet
shows them: the header is row 1.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from .model import Tag

COLUMNS = (
    "name",
    "connection",
    "node",
    "type",
    "units",
    "description",
    "range_lo",
    "range_hi",
    "writable",
    "write_lo",
    "write_hi",
    "deadband",
    "scale_factor",
    "scale_offset",
    "group",
    "history",
    "history_deadband",
    "history_deadband_pct",
    "history_period_s",
    "history_deviation",
    "history_retention_days",
)
REQUIRED = ("name", "connection", "node")
_PAIRS = {
    "range": ("range_lo", "range_hi"),
    "write_limits": ("write_lo", "write_hi"),
    "scale": ("scale_factor", "scale_offset"),
}
_HISTORY = (
    {"history": "mode"}
    | {f"history_{k}": k for k in ("deadband", "deadband_pct", "period_s")}
    | {
        "history_deviation": "deviation",
        "history_retention_days": "retention_days",
    }
)
_NUMBERS = {"deadband", *(c for pair in _PAIRS.values() for c in pair)} | (set(_HISTORY) - {"history"})
_TRUE, _FALSE = {"true", "yes", "1", "y"}, {"false", "no", "0", "n", ""}


@dataclass
class ImportResult:
    """The tag list after the import, what changed, and one message per refused row or field."""

    tags: list[Tag]
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def tag_row(tag: Tag) -> dict[str, str]:
    """One tag as CSV cells."""
    row = {
        "name": tag.name,
        "connection": tag.connection,
        "node": tag.node,
        "type": tag.type,
        "units": tag.units,
        "description": tag.description,
        "writable": "true" if tag.writable else "false",
        "deadband": _number(tag.deadband),
        "group": tag.group or "",
    }
    for key, (lo, hi) in _PAIRS.items():
        pair = getattr(tag, key)
        row[lo], row[hi] = (_number(pair[0]), _number(pair[1])) if pair else ("", "")
    for column, key in _HISTORY.items():
        value = getattr(tag.history, key)
        row[column] = value if column == "history" else _number(value)
    return {c: row[c] for c in COLUMNS}


def export_tags(tags: Iterable[Tag]) -> str:
    """CSV text of the tags, every column, header first."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for tag in tags:
        writer.writerow(tag_row(tag))
    return out.getvalue()


def _column_of(loc: tuple[Any, ...]) -> str | None:
    """The CSV column a validation error location points at, if any."""
    if not loc:
        return None
    if loc[0] in _PAIRS:
        return _PAIRS[loc[0]][1 if loc[1:2] == (1,) else 0]
    if loc[0] == "history":
        if len(loc) > 1:
            return next((c for c, k in _HISTORY.items() if k == loc[1]), "history")
        return "history"
    return str(loc[0])


def _cells_to_data(
    cells: dict[str, str], base: dict[str, Any], where: str, errors: list[str]
) -> dict[str, Any]:
    """Tag data from one row's cells over `base` (the existing tag's data); bad cells become errors."""
    data = dict(base)
    history = dict(data.get("history") or {})
    numbers: dict[str, float | None] = {}
    unreadable: set[str] = set()
    for column, text in cells.items():
        text = text.strip()
        if column in _NUMBERS:
            try:
                numbers[column] = float(text) if text else None
            except ValueError:
                unreadable.add(column)
                errors.append(f"{where}, column {column}: {text!r} is not a number")
        elif column == "writable":
            if text.lower() not in _TRUE | _FALSE:
                errors.append(f"{where}, column writable: {text!r} is not true or false")
            data["writable"] = text.lower() in _TRUE
        elif column == "history":
            history["mode"] = text or "on_change"
        elif column == "type":
            data["type"] = text or "Double"
        elif column == "group":
            data["group"] = text or None
        else:
            data[column] = text
    for key, (lo, hi) in _PAIRS.items():
        if (lo in numbers or hi in numbers) and not unreadable & {lo, hi}:
            low, high = numbers.get(lo), numbers.get(hi)
            if (low is None) != (high is None):
                errors.append(
                    f"{where}, column {hi if high is None else lo}: give both {lo} and {hi}, or neither"
                )
            data[key] = None if low is None or high is None else (low, high)
    if "deadband" in numbers:
        data["deadband"] = numbers["deadband"]
    for column, key in _HISTORY.items():
        if column in numbers:
            history[key] = numbers[column]
    data["history"] = {k: v for k, v in history.items() if v is not None}
    return data


def import_tags(
    text: str, existing: Iterable[Tag] = (), connections: Collection[str] | None = None
) -> ImportResult:
    """Merge the CSV `text` into the `existing` tags; rows with errors are left out and reported.

    An unknown column refuses the whole file (a misspelt header must not silently drop data).
    `connections`, when given, are the project's connection names a row may use.
    """
    tags = list(existing)
    index = {t.name: i for i, t in enumerate(tags)}
    result = ImportResult(tags)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), dialect=_dialect(text))
    header = [h.strip() for h in reader.fieldnames or []]
    unknown = [h for h in header if h not in COLUMNS]
    missing = [c for c in REQUIRED if c not in header]
    if unknown or missing:
        if unknown:
            result.errors.append(
                f"row 1: unknown column {', '.join(unknown)} (columns: {', '.join(COLUMNS)})"
            )
        if missing:
            result.errors.append(f"row 1: missing column {', '.join(missing)}")
        return result
    reader.fieldnames = header
    seen: set[str] = set()
    for number, raw in enumerate(reader, start=2):
        where = f"row {number}"
        if None in raw:
            result.errors.append(f"{where}: more cells than columns")
            continue
        cells = {k: v or "" for k, v in raw.items()}
        name = cells["name"].strip()
        if name in seen:
            result.errors.append(f"{where}, column name: tag '{name}' is already in an earlier row")
            continue
        seen.add(name)
        row_errors: list[str] = []
        old = tags[index[name]] if name in index else None
        base = old.model_dump(exclude_defaults=True) if old is not None else {}
        data = _cells_to_data(cells, base, where, row_errors)
        if connections is not None and data.get("connection") not in connections:
            row_errors.append(f"{where}, column connection: unknown connection '{data.get('connection')}'")
        if not row_errors:
            try:
                tag = Tag.model_validate(data)
            except ValidationError as exc:
                for err in exc.errors():
                    column = _column_of(err["loc"])
                    message = err["msg"].removeprefix("Value error, ")
                    row_errors.append(
                        f"{where}, column {column}: {message}" if column else f"{where}: {message}"
                    )
        if row_errors:
            result.errors += row_errors
            continue
        if old is None:
            index[name] = len(tags)
            tags.append(tag)
            result.added.append(name)
        elif tag != old:
            tags[index[name]] = tag
            result.updated.append(name)
    return result


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    """Comma by default; semicolon or tab when the header uses it (spreadsheets in many locales do)."""
    header = text.lstrip("\ufeff").partition("\n")[0]
    try:
        return csv.Sniffer().sniff(header, delimiters=",;\t")
    except csv.Error:
        return csv.excel
