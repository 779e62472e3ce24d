"""What a report says, gathered from the project's files: tag statistics from the historian, alarm KPIs
from the journal, operator actions from the audit trail. A section whose file is missing or unreadable
carries the reason instead of figures, so a report is still made and says what it lacks."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..alarms import AlarmConfig, AlarmKpis
from ..errors import HmiError
from ..history import HistoryReader
from ..history.schema import MINUTE_MS
from ..project import ProjectFolder, Tag
from ..quality import Quality
from ..security import audit
from ..storage import Storage
from .settings import ReportDef, Section

MINUTE = MINUTE_MS / 1000
MAX_ACTIONS = 2000
"""Operator actions listed at most; a report of a busy week says how many were left out."""


@dataclass(frozen=True)
class TagSummary:
    """One tag over the period: min/max/average of the stored samples with a value (None without any)."""

    name: str
    description: str
    units: str
    min: float | None
    max: float | None
    avg: float | None
    samples: int
    worst: Quality | None
    """The worst quality recorded in the period; None when nothing was recorded."""


@dataclass
class ReportData:
    """Everything one report of [start, end) shows, computed in the engine; renderers only lay it out."""

    title: str
    project: str
    start: float
    end: float
    sections: list[Section]
    alarm_config: AlarmConfig
    tags: list[TagSummary] = field(default_factory=list)
    kpis: AlarmKpis | None = None
    actions: list[audit.AuditEntry] = field(default_factory=list)
    actions_total: int = 0
    problems: dict[Section, str] = field(default_factory=dict)
    """Why a section has no figures (no history file yet, ...), by section."""


def tag_summary(reader: HistoryReader, tag: Tag, start: float, end: float) -> TagSummary:
    """The tag over [start, end): the minute rollups for the whole minutes inside, the raw samples for
    the parts of a minute at either edge."""
    name = tag.name
    first_minute = math.ceil(start / MINUTE) * MINUTE
    last_minute = max(first_minute, math.floor(end / MINUTE) * MINUTE)
    low: float | None = None
    high: float | None = None
    total = 0.0
    count = 0
    worst: Quality | None = None
    minutes = round((last_minute - first_minute) / MINUTE)
    if minutes:
        # buckets() covers up to the minute that holds its end: only the minutes before last_minute count.
        for bucket in reader.buckets(name, first_minute, last_minute, n=minutes):
            if bucket.t_start >= last_minute:
                continue
            worst = bucket.worst if worst is None else max(worst, bucket.worst)
            # A bucket with an average is of a number tag: its min and max are numbers.
            if bucket.count and bucket.avg is not None:
                assert isinstance(bucket.min, int | float) and isinstance(bucket.max, int | float)
                low = bucket.min if low is None else min(low, bucket.min)
                high = bucket.max if high is None else max(high, bucket.max)
                total += bucket.avg * bucket.count
                count += bucket.count
    edges = [(start, min(first_minute, end)), (max(last_minute, start), end)] if minutes else [(start, end)]
    for t0, t1 in edges:
        for ts, value, quality in reader.raw(name, t0, t1):
            if ts >= t1:
                continue  # raw() includes its end; the period and the next edge do not
            worst = quality if worst is None else max(worst, quality)
            if isinstance(value, int | float):  # Booleans too: their average is the share of time true
                number = float(value)
                low = number if low is None else min(low, number)
                high = number if high is None else max(high, number)
                total += number
                count += 1
    avg = total / count if count else None
    return TagSummary(name, tag.description, tag.units, low, high, avg, count, worst)


def collect(
    folder: ProjectFolder,
    name: str,
    start: float,
    end: float,
    storage: Storage,
) -> ReportData:
    """The data of report `name` of the project over [start, end)."""
    report: ReportDef = folder.project.reports[name]
    data = ReportData(
        title=report.title or name,
        project=folder.name,
        start=start,
        end=end,
        sections=list(report.sections),
        alarm_config=folder.project.alarm_settings,
    )
    if "tags" in report.sections:
        tags = folder.tags
        try:
            with storage.history_reader() as reader:
                data.tags = [tag_summary(reader, tags[t], start, end) for t in report.tags]
        except HmiError as exc:
            data.problems["tags"] = str(exc)
    if "alarms" in report.sections:
        try:
            data.kpis = storage.alarm_kpis(start, end, data.alarm_config)
        except HmiError as exc:
            data.problems["alarms"] = str(exc)
    if "actions" in report.sections:
        try:
            rows = storage.audit_rows(start, end)
        except HmiError as exc:
            data.problems["actions"] = str(exc)
        else:
            data.actions_total = len(rows)
            data.actions = [row.entry for row in reversed(rows[:MAX_ACTIONS])]
    return data


def alarm_report(
    project: str, kpis: AlarmKpis, config: AlarmConfig, title: str = "Alarm performance"
) -> ReportData:
    """A report holding only the alarm KPIs: the PDF of the app's alarm performance view."""
    return ReportData(title, project, kpis.start, kpis.end, ["alarms"], config, kpis=kpis)
