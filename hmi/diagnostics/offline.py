"""The project's health models over history: the same models as live, fed from the historian.

The models learn on the start of the period (each its `learn_s` or cycles) and judge the rest, so
that an engineer can tune them on last month's data.
"""

from __future__ import annotations

import csv
import heapq
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import TextIO

from ..history.port import HistoryReader
from ..quality import Quality
from ..storage import Storage
from .check import Finding
from .monitor import DiagnosticsMonitor
from .settings import Asset

TICK_S = 1.0
CSV_COLUMNS = ("time", "asset", "check", "alarm_id", "tag", "state", "message", "value", "limit", "evidence")


def _stream(
    reader: HistoryReader, tag: str, start: float, end: float
) -> Iterator[tuple[float, str, object, Quality]]:
    for ts, value, quality in reader.iter_raw(tag, start, end):
        yield ts, tag, value, quality


def diagnose(
    assets: Mapping[str, Asset], tags: Mapping[str, object], storage: Storage, start: float, end: float
) -> list[Finding]:
    """Every finding of the models over [start, end] of the project's history (HistoryError if none)."""
    monitor = DiagnosticsMonitor(assets, tags)
    replay(monitor, storage, start, end)
    return list(monitor.findings)


def replay(monitor: DiagnosticsMonitor, storage: Storage, start: float, end: float) -> dict[str, float]:
    """Feed the monitor its tags' history over [start, end] in time order, ticking once a second of it;
    returns the time of the last sample of each tag (HistoryError if there is no history)."""
    reader = storage.history_reader()
    last: dict[str, float] = {}
    try:
        streams = [_stream(reader, tag, start, end) for tag in monitor.tags()]  # a cursor each, in step
        next_tick = start
        for ts, tag, value, quality in heapq.merge(*streams, key=lambda row: row[0]):
            while ts >= next_tick:
                monitor.tick(next_tick)
                next_tick += TICK_S
            last[tag] = ts
            if quality is Quality.BAD or isinstance(value, str) or value is None:
                for check in monitor.checks_of(tag):
                    check.on_gap(tag, ts)
            else:
                monitor.feed(tag, ts, float(value))  # type: ignore[arg-type]  # a number: str and None are gaps
    finally:
        reader.close()
    return last


def transitions(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that raised or cleared an advisory, without those that reworded an active one."""
    active: set[str] = set()
    changes = []
    for finding in findings:
        if finding.active != (finding.alarm_id in active):
            changes.append(finding)
        (active.add if finding.active else active.discard)(finding.alarm_id)
    return changes


def when(ts: float) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M:%S")


def write_csv(findings: list[Finding], out: TextIO) -> None:
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for f in findings:
        state = "raised" if f.active else "cleared"
        writer.writerow(
            [
                when(f.ts),
                f.asset,
                f.check,
                f.alarm_id,
                f.tag,
                state,
                f.message,
                f.value,
                f.limit,
                f.evidence_text(),
            ]
        )
