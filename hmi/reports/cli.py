"""`hmi report PROJECT NAME`: make one of the project's reports as PDF, for a period or its last one."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..alarms.cli import moment
from ..errors import HmiError
from ..project import ProjectFolder
from ..storage import open_storage
from .data import collect
from .pdf import render
from .schedule import last_period, report_file

DAY = 86400.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `hmi report` after PROJECT."""
    parser.add_argument("name", metavar="NAME", help="the report's name under `reports:` in project.yaml")
    parser.add_argument(
        "--from", dest="start", type=moment, metavar="TIME", help="start of the period (default: see --to)"
    )
    parser.add_argument(
        "--to",
        dest="end",
        type=moment,
        metavar="TIME",
        help="end of the period (default: the report's last scheduled period, or the last 24 hours)",
    )
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="PDF to write (default: reports folder)"
    )


def period(args: argparse.Namespace, schedule: list[str], now: float) -> tuple[float, float]:
    """The period asked for; what is not given comes from the schedule's last period, or 24 hours."""
    if args.start is None and args.end is None and schedule:
        return last_period(schedule, now)
    end = now if args.end is None else args.end
    return (end - DAY if args.start is None else args.start), end


def run(args: argparse.Namespace, folder: ProjectFolder) -> int:
    """Write the PDF and print its path; 2 for an unknown report or a wrong period, 1 if it fails."""
    reports = folder.project.reports
    if args.name not in reports:
        known = ", ".join(sorted(reports)) or "none: add one under `reports:` in project.yaml"
        print(f"no report '{args.name}' in {folder.root}; its reports: {known}", file=sys.stderr)
        return 2
    start, end = period(args, reports[args.name].schedule, time.time())
    if start >= end:
        print("the period must end after it starts", file=sys.stderr)
        return 2
    output = args.output or report_file(folder, args.name, end)
    try:
        data = collect(folder, args.name, start, end, open_storage(folder))
        render(data, output)
    except (HmiError, OSError) as exc:
        print(f"report {args.name} not written: {exc}", file=sys.stderr)
        return 1
    print(output)
    return 0
