"""`hmi history export|info PROJECT ...`: the history sub-commands on a project's storage."""

from __future__ import annotations

import argparse
import re
import sys
import time
from datetime import datetime
from pathlib import Path

import click

from ..cli_help import examples
from ..storage import Storage
from .errors import HistoryError
from .export import HistoryStats, export_csv, format_time

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800}
_RELATIVE = re.compile(r"^([+-])\s*(\d+(?:\.\d+)?)\s*([smhdw])$")


def parse_time(text: str, now: float | None = None) -> float:
    """Epoch seconds from 'now', a relative time such as '-1h', '-7d', '-30m', or an ISO 8601 time
    (local time unless it carries an offset, e.g. '2024-05-01 08:00' or '2024-05-01T06:00Z')."""
    now = time.time() if now is None else now
    text = text.strip()
    if text.lower() == "now":
        return now
    match = _RELATIVE.match(text.lower())
    if match:
        sign, amount, unit = match.groups()
        offset = float(amount) * _UNITS[unit]
        return now - offset if sign == "-" else now + offset
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"cannot read time '{text}': use 'now', a relative time like -1h, -7d, -30m, or ISO 8601 "
            f"like 2024-05-01T08:00"
        ) from None
    return moment.astimezone().timestamp()  # a naive time is taken as local time


def _time_arg(text: str) -> float:
    try:
        return parse_time(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _tags_arg(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def _project_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", nargs="?", type=Path, help="project folder (default: the demo plant)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the `export`, `info` and `compact` sub-commands; each takes an optional PROJECT, as args.project
    (a Path or None for the default project), for the caller to resolve to the history file."""
    sub = parser.add_subparsers(dest="history_command", required=True, metavar="{export,info,compact}")
    export = sub.add_parser(
        "export",
        help="write a project's history as CSV",
        description="Write raw samples as CSV: time (ISO 8601), tag, value, quality.",
        **examples(
            "hmi history export my-plant --tags TK101.Level,FIC101.PV --from -8h --to now --out level.csv",
            "hmi history export --from 2026-11-01 --to 2026-11-02",
        ),
    )
    _project_arg(export)
    export.add_argument(
        "--tags",
        type=_tags_arg,
        nargs="+",
        metavar="TAG",
        help="tags to export, space or comma separated (default: every tag with history)",
    )
    export.add_argument(
        "--from",
        dest="t_from",
        type=_time_arg,
        default="-1d",
        metavar="TIME",
        help="start: ISO 8601 local time, or relative like -1h, -7d, now (default: -1d)",
    )
    export.add_argument(
        "--to",
        dest="t_to",
        type=_time_arg,
        default="now",
        metavar="TIME",
        help="end, in the same forms (default: now)",
    )
    # Let `--from -1h` through: argparse otherwise takes '-1h' for an option (private, checked by a test).
    export._negative_number_matcher = re.compile(r"^-\d+(\.\d+)?[smhdw]?$")
    export.add_argument("--format", choices=["csv"], default="csv", help="output format (default: csv)")
    export.add_argument("--out", type=Path, metavar="FILE", help="output file (default: standard output)")
    info = sub.add_parser(
        "info",
        help="show tags, samples, time span and size of a project's history",
        **examples("hmi history info my-plant"),
    )
    _project_arg(info)
    packed = sub.add_parser(
        "compact",
        help="compress all closed history and shrink the file (with the project stopped)",
        description="Seal every closed sample into compressed chunks (files from older versions are "
        "upgraded this way at once, not bit by bit while logging), then rewrite the file so that it "
        "gives free space back, now and after every purge from then on. Stop the project first.",
        **examples("hmi history compact my-plant"),
    )
    _project_arg(packed)


def run(args: argparse.Namespace, storage: Storage) -> int:
    """Run the chosen sub-command on the project's history; 0 on success, 1 with a message on stderr."""
    try:
        if args.history_command == "export":
            return _export(args, storage)
        if args.history_command == "compact":
            return _compact(storage)
        _print_info(storage.history_stats())
        return 0
    except (HistoryError, OSError) as exc:
        print(f"hmi history: {exc}", file=sys.stderr)
        return 1


def _export(args: argparse.Namespace, storage: Storage) -> int:
    tags = None if args.tags is None else [name for group in args.tags for name in group]
    if args.t_to < args.t_from:
        raise HistoryError(f"--to ({format_time(args.t_to)}) is before --from ({format_time(args.t_from)})")
    with storage.history_reader() as reader:
        if args.out is None:
            export_csv(reader, tags, args.t_from, args.t_to, sys.stdout)
            return 0
        with args.out.open("w", newline="", encoding="utf-8") as out:
            count = export_csv(reader, tags, args.t_from, args.t_to, out)
        print(f"{count} samples written to {args.out}", file=sys.stderr)
    return 0


def _compact(storage: Storage) -> int:
    with click.progressbar(length=1, label="compressing history", file=sys.stderr) as bar:

        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - (bar.pos or 0))

        result = storage.compact(progress, lambda: bar.update((bar.length or 0) - (bar.pos or 0)))
    print(f"{result.path}: {_size(result.bytes_before)} -> {_size(result.bytes_after)}", file=sys.stderr)
    return 0


def _size(n: float) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def _print_info(info: HistoryStats) -> None:
    per_sample = f"{info.bytes_per_sample:.1f}" if info.bytes_per_sample else "-"
    span = (
        f"{format_time(info.first)} .. {format_time(info.last)}"
        if info.first is not None and info.last is not None
        else "no samples"
    )
    print(f"history file:     {info.path}")
    print(f"file size:        {_size(info.file_bytes)} (history tables {_size(info.history_bytes)})")
    print(f"tags:             {len(info.tags)}")
    print(f"samples:          {info.rows:,}")
    print(f"time span:        {span}")
    print(f"bytes per sample: {per_sample}")
    if info.tags:
        width = max(len(tag.name) for tag in info.tags)
        print(f"\n{'tag':<{width}}  {'kind':<7}  {'samples':>12}  first .. last")
        for tag in info.tags:
            extent = "-"
            if tag.first is not None and tag.last is not None:
                extent = f"{format_time(tag.first)} .. {format_time(tag.last)}"
            print(f"{tag.name:<{width}}  {tag.kind:<7}  {tag.rows:>12,}  {extent}")
