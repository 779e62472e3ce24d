"""`hmi alarms report`: the alarm KPIs of a period, printed for people; `hmi alarms events`: the
server events journaled since a time."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime

from ..errors import HmiError
from ..storage import Storage
from .kpi import AlarmKpis
from .kpi_summary import PRIORITY_TARGETS
from .server_events import ServerEvent
from .settings import AlarmConfig, Priority

DAY = 86400.0


def moment(text: str) -> float:
    """ISO date or date-time ('2024-05-01', '2024-05-01T08:30'); local time unless it names a zone."""
    try:
        return datetime.fromisoformat(text).timestamp()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date or time such as 2024-05-01T08:30") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `hmi alarms report` (the caller adds PROJECT)."""
    add_period(parser)


def add_period(parser: argparse.ArgumentParser) -> None:
    """--from and --to of a command over a period of the journal or history; see `period`."""
    parser.add_argument(
        "--from",
        dest="start",
        type=moment,
        metavar="TIME",
        help="start of the period (default: 24 hours before --to)",
    )
    parser.add_argument(
        "--to", dest="end", type=moment, metavar="TIME", help="end of the period (default: now)"
    )


def add_event_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `hmi alarms events` (the caller adds PROJECT)."""
    parser.add_argument(
        "--since",
        type=moment,
        metavar="TIME",
        help="events from this time on (default: 24 hours ago)",
    )
    parser.add_argument("--text", default="", help="only events whose source, message or type contain this")
    parser.add_argument(
        "--priority",
        type=Priority,
        choices=list(Priority),
        action="append",
        help="only events of this priority (repeat for several); OPC-UA severity 800+ is critical, "
        "600+ high, 400+ medium, below low",
    )
    parser.add_argument(
        "--limit", type=int, default=1000, metavar="N", help="at most the newest N events (default: 1000)"
    )


def period(args: argparse.Namespace) -> tuple[float, float]:
    """The period of --from and --to: by default the 24 hours until now."""
    end = time.time() if args.end is None else args.end
    return (end - DAY if args.start is None else args.start), end


def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M")


def format_report(kpis: AlarmKpis, config: AlarmConfig) -> str:
    """The KPIs as a plain-text report with the EEMUA 191 reference figures beside them."""
    hours = (kpis.end - kpis.start) / 3600
    lines = [
        f"Alarm report {_when(kpis.start)} .. {_when(kpis.end)} ({hours:.1f} h)",
        "",
        f"  Alarms raised         {kpis.total:>8}",
        f"  Average per 10 min    {kpis.average_per_10min:>8.2f}   (about 1 acceptable, 2 manageable)",
        f"  Peak in any 10 min    {kpis.peak_10min:>8}",
        f"  Time in flood         {kpis.flood_percent:>7.1f} %   "
        f"(> {config.flood_count} in {config.flood_window / 60:g} min; target < 1 %)",
        f"  Advisories raised     {kpis.advisories:>8}   (condition monitoring: in none of these figures)",
        "",
        "Priority distribution       count        %   target",
    ]
    percent = kpis.priority_percent()
    for priority in Priority:
        lines.append(
            f"  {priority.value:<22} {kpis.priorities[priority]:>8} {percent[priority]:>7.1f} %   "
            f"{PRIORITY_TARGETS.get(priority, 'rare')}"
        )
    lines += ["", f"Top {len(kpis.top)} most frequent alarms"]
    lines += [
        f"  {i:>2}. {c.alarm_id:<40} {c.count:>6} {100 * c.count / kpis.total:>6.1f} %"
        for i, c in enumerate(kpis.top, 1)
    ]
    lines += [
        "",
        f"Chattering alarms (>= {config.chatter_count} within {config.chatter_window:g} s): "
        f"{len(kpis.chattering)}",
    ]
    lines += [
        f"  {c.alarm_id:<44} up to {c.count} within {config.chatter_window:g} s" for c in kpis.chattering
    ]
    lines += ["", f"Stale alarms (active > {config.stale_after / 3600:g} h): {len(kpis.stale)}"]
    lines += [
        f"  {s.alarm_id:<44} active since {_when(s.active_since)}, {s.active_for / 3600:.1f} h"
        for s in kpis.stale
    ]
    return "\n".join(lines)


def format_events(events: list[ServerEvent]) -> str:
    """One line an event, oldest first: time, priority and severity, connection, source, type, message."""
    return "\n".join(
        f"{datetime.fromtimestamp(e.ts).isoformat(' ', 'seconds')}  {e.priority:<8} {e.severity:>4}  "
        f"{e.connection}  {e.source}  {e.event_type}  {e.message}"
        for e in reversed(events)
    )


def run_events(args: argparse.Namespace, storage: Storage) -> int:
    """Print the events; 0 when done (with none: says so on stderr), 1 without a journal."""
    since = time.time() - DAY if args.since is None else args.since
    try:
        events = storage.server_events(since, None, args.text, args.priority or (), args.limit)
    except HmiError as exc:
        print(exc, file=sys.stderr)
        return 1
    if not events:
        print(f"no server events since {_when(since)}", file=sys.stderr)
        return 0
    print(format_events(events))
    if len(events) == args.limit:
        print(f"(the newest {args.limit}; use --since or --limit to see older ones)", file=sys.stderr)
    return 0


def run(args: argparse.Namespace, storage: Storage, config: AlarmConfig | None = None) -> int:
    """Print the report; 0 when done, 1 without a journal, 2 for a period that ends before it starts."""
    config = config or AlarmConfig()
    start, end = period(args)
    if start >= end:
        print(f"the period must end after it starts ({_when(start)} .. {_when(end)})", file=sys.stderr)
        return 2
    try:
        kpis = storage.alarm_kpis(start, end, config)
    except HmiError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(format_report(kpis, config))
    return 0
