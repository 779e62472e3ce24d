"""When reports are due, and the task of the headless engine that makes them.

A schedule is a list of local times of day; the report made at one of them covers the time since the
one before (the day before's last for the first of the day). Local time, so a shift report at 06:00
stays at 06:00 across daylight-saving changes.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from ..errors import HmiError
from ..paths import project_data_dir
from ..project import ProjectFolder
from ..storage import Storage
from .data import collect
from .pdf import render

log = logging.getLogger(__name__)

DEFAULT_SHIFTS = ("06:00", "14:00", "22:00")
"""Shift changes assumed when the project defines no shift report."""
Clock = Callable[[], float]


def _at(day: datetime, hhmm: str) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return day.replace(hour=hours, minute=minutes, second=0, microsecond=0)


def next_time(schedule: list[str] | tuple[str, ...], after: float) -> float:
    """The first scheduled moment strictly after `after` (epoch seconds)."""
    now = datetime.fromtimestamp(after)
    for days in (0, 1):
        day = now + timedelta(days=days)
        for hhmm in sorted(schedule):
            moment = _at(day, hhmm).timestamp()
            if moment > after:
                return moment
    raise ValueError("an empty schedule is never due")


def previous_time(schedule: list[str] | tuple[str, ...], before: float) -> float:
    """The last scheduled moment strictly before `before`."""
    now = datetime.fromtimestamp(before)
    for days in (0, 1):
        day = now - timedelta(days=days)
        for hhmm in sorted(schedule, reverse=True):
            moment = _at(day, hhmm).timestamp()
            if moment < before:
                return moment
    raise ValueError("an empty schedule has no periods")


def last_period(schedule: list[str] | tuple[str, ...], now: float) -> tuple[float, float]:
    """The last period of the schedule that has ended by `now`: [the moment before, that moment)."""
    end = previous_time(schedule, now + 1e-3)
    return previous_time(schedule, end), end


def shift_times(folder: ProjectFolder) -> list[str]:
    """The project's shift changes: the first report made more than once a day, else DEFAULT_SHIFTS."""
    for report in folder.project.reports.values():
        if len(report.schedule) > 1:
            return list(report.schedule)
    return list(DEFAULT_SHIFTS)


def reports_dir(folder: ProjectFolder) -> Path:
    """Where the engine puts the reports it makes: beside the project's history, per user."""
    return project_data_dir(folder.root, folder.name) / "reports"


def report_file(folder: ProjectFolder, name: str, end: float) -> Path:
    return reports_dir(folder) / f"{name}-{datetime.fromtimestamp(end):%Y%m%d-%H%M}.pdf"


class ReportScheduler:
    """Makes each scheduled report of a project when its time comes (none are made up for times the
    engine was not running). `clock` is injectable so that a test can stand just before a due time."""

    def __init__(
        self,
        folder: ProjectFolder,
        storage: Storage,
        *,
        before: Callable[[], None] = lambda: None,
        clock: Clock = time.time,
    ):
        self.folder = folder
        self.storage = storage
        self.before = before
        """Called (on a worker thread) before a report is made: commit what the engine still holds."""
        self.clock = clock
        self.made: list[Path] = []

    def due(self, after: float) -> tuple[float, list[str]]:
        """The next moment after `after` at which reports are due, and which."""
        times = {
            name: next_time(report.schedule, after)
            for name, report in self.folder.project.reports.items()
            if report.schedule
        }
        if not times:
            return float("inf"), []
        moment = min(times.values())
        return moment, sorted(name for name, t in times.items() if t == moment)

    async def run(self) -> None:
        """Until cancelled: wait for the next due moment, then make the reports due then."""
        after = self.clock()
        while True:
            moment, names = self.due(after)
            if not names:
                return
            await asyncio.sleep(max(0.0, moment - self.clock()))
            while self.clock() < moment:  # a sleep may end a little early
                await asyncio.sleep(moment - self.clock())
            for name in names:
                await asyncio.to_thread(self.make, name, moment)
            after = moment

    def make(self, name: str, end: float) -> Path | None:
        """Make the report of `name` for the period ending at `end`; None (and logged) if that fails."""
        report = self.folder.project.reports[name]
        start = previous_time(report.schedule, end)
        path = report_file(self.folder, name, end)
        try:
            self.before()
            data = collect(self.folder, name, start, end, self.storage)
            render(data, path)
        except (HmiError, OSError) as exc:
            log.error("report %s for %s could not be made: %s", name, datetime.fromtimestamp(end), exc)
            return None
        log.info("report %s written to %s", name, path)
        self.made.append(path)
        return path
