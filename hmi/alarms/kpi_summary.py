"""The alarm KPIs judged against the EEMUA 191 / ISA-18.2 targets: the figures every report shows.

The labels and target texts are English; a front-end translates them (the app lists them for its
translator), so the view and the PDF say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from .kpi import AlarmKpis
from .settings import AlarmConfig, Priority

RATE_ACCEPTABLE = 1.0
"""Average alarms per 10 minutes that is very likely acceptable (EEMUA 191)."""
RATE_MANAGEABLE = 2.0
"""Average alarms per 10 minutes that is still manageable; above it the load is too high."""
FLOOD_TIME_TARGET = 1.0
"""Percent of the time in flood that a well-run alarm system stays under."""
STALE_TARGET = 5
"""ISA-18.2: fewer than 5 stale alarms present on any day."""
PRIORITY_TARGETS = {Priority.HIGH: "~5 %", Priority.MEDIUM: "~15 %", Priority.LOW: "~80 %"}


@dataclass(frozen=True)
class Figure:
    """One line of the summary table: what, how much, the target, and whether it is missed."""

    label: str
    value: str
    target: str
    exceeded: bool


def summary(kpis: AlarmKpis, config: AlarmConfig) -> list[Figure]:
    """The headline figures of the period, in the order a report lists them."""
    flood_rule = f"> {config.flood_count} / {config.flood_window / 60:g} min"
    return [
        Figure("Alarms raised", f"{kpis.total}", "", False),
        Figure(
            "Average alarms per 10 min",
            f"{kpis.average_per_10min:.2f}",
            f"~{RATE_ACCEPTABLE:g} acceptable, {RATE_MANAGEABLE:g} manageable",
            kpis.average_per_10min > RATE_MANAGEABLE,
        ),
        Figure(
            "Peak alarms in any 10 min",
            f"{kpis.peak_10min}",
            f"<= {config.flood_count}",
            kpis.peak_10min > config.flood_count,
        ),
        Figure(
            "Time in flood",
            f"{kpis.flood_percent:.1f} %",
            f"< {FLOOD_TIME_TARGET:g} % ({flood_rule})",
            kpis.flood_percent >= FLOOD_TIME_TARGET,
        ),
        Figure("Floods", f"{len(kpis.floods)}", "", False),
        Figure(
            "Chattering alarms",
            f"{len(kpis.chattering)}",
            f"0 (>= {config.chatter_count} in {config.chatter_window:g} s)",
            bool(kpis.chattering),
        ),
        Figure(
            "Stale alarms",
            f"{len(kpis.stale)}",
            f"< {STALE_TARGET} (active > {config.stale_after / 3600:g} h)",
            len(kpis.stale) >= STALE_TARGET,
        ),
    ]


def priority_rows(kpis: AlarmKpis) -> list[tuple[Priority, int, float, str]]:
    """(priority, alarms raised, percent of all, target share) for each priority, most urgent first."""
    percent = kpis.priority_percent()
    return [
        (p, kpis.priorities.get(p, 0), percent.get(p, 0.0), PRIORITY_TARGETS.get(p, "rare")) for p in Priority
    ]


def bucket_exceeded(count: int, config: AlarmConfig) -> bool:
    """A 10-minute bar drawn in the flood colour: more alarms than a flood allows."""
    return count > config.flood_count
