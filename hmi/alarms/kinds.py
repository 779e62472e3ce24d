"""The kinds of alarm, in one table: what each is called, whether the clock drives it, its settings
under a tag's `alarms:` and how it triggers. A new kind is one module holding an `AlarmKindSpec`,
registered under the `openhmi.alarm_kinds` entry points; the built-in kinds are listed here."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points
from typing import Any

from .model import AlarmError
from .settings import AlarmDef, AlarmKind, DeviationAlarm, DiscreteAlarm, LimitAlarm, QualityAlarm, RateAlarm
from .trigger import (
    DeviationTrigger,
    DiscreteTrigger,
    LimitTrigger,
    QualityTrigger,
    RateTrigger,
    Reported,
    Trigger,
)

log = logging.getLogger(__name__)

GROUP = "openhmi.alarm_kinds"


@dataclass(frozen=True)
class AlarmKindSpec:
    """One kind of alarm."""

    name: str
    """Its key under a tag's `alarms:` and, upper-cased, the end of its alarms' ids (`TK101.Level.HI`)."""
    label: str
    """What a default message says after the tag name: 'TK101.Level high'."""
    short: str
    """Its letters in a tag's alarm summary: HH, H, ROC."""
    definition: type[AlarmDef] | None
    """Its settings under a tag's `alarms:`; None for a kind the engine is told about, never declared."""
    trigger: Callable[[str, Any], Trigger] | None
    """(tag, definition) -> the condition on the tag's samples; None for a kind raised and cleared by
    the engine's caller (a diagnosis), whatever the samples."""
    timed: bool = False
    """Re-evaluated on every clock tick, not only when an input changes (a rate decays with time)."""


BUILT_IN = (
    AlarmKindSpec("hihi", "high high", "HH", LimitAlarm, lambda tag, d: LimitTrigger(tag, d, above=True)),
    AlarmKindSpec("hi", "high", "H", LimitAlarm, lambda tag, d: LimitTrigger(tag, d, above=True)),
    AlarmKindSpec("lo", "low", "L", LimitAlarm, lambda tag, d: LimitTrigger(tag, d, above=False)),
    AlarmKindSpec("lolo", "low low", "LL", LimitAlarm, lambda tag, d: LimitTrigger(tag, d, above=False)),
    AlarmKindSpec("deviation", "deviation from setpoint", "DEV", DeviationAlarm, DeviationTrigger),
    AlarmKindSpec("rate", "changing too fast", "ROC", RateAlarm, RateTrigger, timed=True),
    AlarmKindSpec("discrete", "in alarm state", "DISC", DiscreteAlarm, DiscreteTrigger),
    AlarmKindSpec("bad_quality", "bad quality", "BADQ", QualityAlarm, lambda tag, d: QualityTrigger(tag)),
    AlarmKindSpec("advisory", "advisory", "ADV", None, None),
)
"""In the order a tag's alarms are listed; `AlarmKind` names the same built-in kinds for code."""
assert [k.name for k in BUILT_IN] == list(AlarmKind)


@cache
def alarm_kinds() -> dict[str, AlarmKindSpec]:
    """Every kind by name: the built-in ones, then the entry points' (new names only)."""
    found = {kind.name: kind for kind in BUILT_IN}
    for entry in entry_points(group=GROUP):
        try:
            kind = entry.load()
        except (ImportError, AttributeError) as exc:
            log.warning("alarm kind %s (%s) cannot be loaded: %s", entry.name, entry.value, exc)
            continue
        if not isinstance(kind, AlarmKindSpec) or kind.name != entry.name or kind.name in found:
            log.warning("alarm kind %s (%s) is not a new AlarmKindSpec of that name", entry.name, entry.value)
            continue
        found[kind.name] = kind
    return found


def declarable() -> dict[str, AlarmKindSpec]:
    """The kinds an engineer writes under a tag's `alarms:`."""
    return {name: kind for name, kind in alarm_kinds().items() if kind.definition is not None}


def make_trigger(tag: str, kind: str, definition: AlarmDef) -> Trigger:
    """The trigger for one alarm of a tag; an unknown kind is an error, not an alarm that never fires."""
    spec = alarm_kinds().get(kind)
    if spec is None:
        raise AlarmError(f"{tag}: unknown alarm kind {kind!r}: one of {', '.join(alarm_kinds())}")
    return Reported(tag) if spec.trigger is None else spec.trigger(tag, definition)
