"""Alarms: definitions, the ISA-18.2 engine, the SQLite journal and EEMUA 191 KPIs. No Qt here."""

from __future__ import annotations

from .engine import AlarmEngine
from .journal import AlarmJournal, JournalEntry
from .kpi import AlarmKpis, alarm_kpis
from .model import ActionRefused, Alarm, AlarmAction, AlarmError, AlarmState
from .settings import (
    AlarmConfig,
    AlarmDef,
    AlarmKind,
    DeviationAlarm,
    DiscreteAlarm,
    LimitAlarm,
    Priority,
    QualityAlarm,
    RateAlarm,
    TagAlarms,
)

__all__ = [
    "ActionRefused",
    "Alarm",
    "AlarmAction",
    "AlarmConfig",
    "AlarmDef",
    "AlarmEngine",
    "AlarmError",
    "AlarmJournal",
    "AlarmKind",
    "AlarmKpis",
    "AlarmState",
    "DeviationAlarm",
    "DiscreteAlarm",
    "JournalEntry",
    "LimitAlarm",
    "Priority",
    "QualityAlarm",
    "RateAlarm",
    "TagAlarms",
    "alarm_kpis",
]
