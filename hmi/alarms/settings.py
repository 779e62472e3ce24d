"""Alarm definitions as they appear in project.yaml: per-tag alarms and project-wide alarm settings.

Every duration is in seconds. Files are written with exclude_defaults, so the defaults here are the
values an engineer expects when a key is left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import InitErrorDetails

from ..errors import error_at
from ..expr import Expression, ExpressionError


class Priority(StrEnum):
    """ISA-18.2 priorities; `number` is the figure shown beside the colour and shape."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def number(self) -> int:
        return _PRIORITY_NUMBER[self]


_PRIORITY_NUMBER = {p: i for i, p in enumerate(Priority, start=1)}


class AlarmKind(StrEnum):
    """What an alarm watches; the key under a tag's `alarms:` and, upper-cased, the end of its id."""

    HIHI = "hihi"
    HI = "hi"
    LO = "lo"
    LOLO = "lolo"
    DEVIATION = "deviation"
    RATE = "rate"
    DISCRETE = "discrete"
    BAD_QUALITY = "bad_quality"
    ADVISORY = "advisory"
    """A condition-monitoring finding (hmi.diagnostics): never declared under a tag's `alarms:`."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class AlarmDef(_Model):
    """What every alarm has: priority, text, delays, and whether it is in use."""

    priority: Priority = Priority.MEDIUM
    message: str = ""
    """Text shown to the operator; empty means '<tag> <kind>', e.g. 'TK101.Level high'."""
    on_delay: float = Field(0.0, ge=0)
    """Seconds the condition must hold before the alarm is raised."""
    off_delay: float = Field(0.0, ge=0)
    """Seconds the condition must stay clear before the alarm returns to normal."""
    enabled: bool = True
    suppress_when: str = ""
    """Condition over tags (e.g. `not P101.Running`) under which the alarm is suppressed by design."""

    @field_validator("suppress_when")
    @classmethod
    def _parses(cls, value: str) -> str:
        if value.strip():
            try:
                Expression(value)
            except ExpressionError as exc:
                raise ValueError(str(exc)) from None
        return value

    def condition_tags(self) -> frozenset[str]:
        """Tags the suppression condition reads (for the project loader to check they exist)."""
        return Expression(self.suppress_when).names if self.suppress_when.strip() else frozenset()


class LimitAlarm(AlarmDef):
    """HIHI/HI (value above limit) or LO/LOLO (value below limit)."""

    limit: float
    deadband: float = Field(0.0, ge=0)
    """The value must come back this far inside the limit before the alarm clears."""


class DeviationAlarm(AlarmDef):
    """The value differs from a setpoint tag by more than `limit` (either direction)."""

    setpoint: str
    limit: float = Field(gt=0)
    deadband: float = Field(0.0, ge=0)


class RateAlarm(AlarmDef):
    """The value changes faster than `limit` units per second (or per minute with `per: min`)."""

    limit: float = Field(gt=0)
    per: Literal["s", "min"] = "s"
    direction: Literal["both", "rise", "fall"] = "both"
    window: float = Field(10.0, gt=0)
    """Seconds over which the rate is measured: longer is steadier on a noisy signal."""
    deadband: float = Field(0.0, ge=0)
    """In the same units as `limit`."""


class DiscreteAlarm(AlarmDef):
    """The value equals `state` (e.g. a fault bit is true, a mode word is 'TRIPPED')."""

    state: bool | int | float | str = True


class QualityAlarm(AlarmDef):
    """The tag's quality is Bad (comm failure, sensor failure), not merely waiting for first data."""


class TagAlarms(_Model):
    """The `alarms:` of one tag: at most one alarm of each kind, keyed by kind. The built-in kinds are
    fields; a registered kind's alarm (hmi.alarms.kinds) is read as that kind's definition."""

    model_config = ConfigDict(extra="allow", validate_assignment=True)

    hihi: LimitAlarm | None = None
    hi: LimitAlarm | None = None
    lo: LimitAlarm | None = None
    lolo: LimitAlarm | None = None
    deviation: DeviationAlarm | None = None
    rate: RateAlarm | None = None
    discrete: DiscreteAlarm | None = None
    bad_quality: QualityAlarm | None = None

    @model_validator(mode="after")
    def _registered_kinds(self) -> TagAlarms:
        from .kinds import alarm_kinds, declarable

        extra = self.__pydantic_extra__ or {}
        kinds = declarable()
        errors: list[InitErrorDetails] = []
        for name, data in extra.items():
            kind = kinds.get(name)
            if kind is None or kind.definition is None:
                known = ", ".join(kinds)
                why = "is not declared under a tag" if name in alarm_kinds() else "is unknown"
                errors.append(error_at((name,), f"alarm kind {name!r} {why}: one of {known}", data))
                continue
            try:
                extra[name] = kind.definition.model_validate(data)
            except ValidationError as exc:
                errors += [error_at((name, *e["loc"]), e["msg"], e["input"]) for e in exc.errors()]
        if errors:
            raise ValidationError.from_exception_data("alarms", errors)
        return self

    @model_validator(mode="after")
    def _limits_ordered(self) -> TagAlarms:
        ladder = [(k, getattr(self, k)) for k in ("lolo", "lo", "hi", "hihi")]
        present = [(k, d.limit) for k, d in ladder if d is not None and d.enabled]
        for (low_kind, low), (high_kind, high) in zip(present, present[1:], strict=False):
            if low >= high:
                raise ValueError(f"{low_kind} limit {low} must be below {high_kind} limit {high}")
        return self

    def defined(self) -> Iterator[tuple[str, AlarmDef]]:
        """Every enabled alarm of the tag with its kind's name, in the order of the kinds' table."""
        from .kinds import alarm_kinds

        for kind in alarm_kinds():
            definition = getattr(self, kind, None)
            if definition is not None and definition.enabled:
                yield kind, definition

    def referenced_tags(self) -> frozenset[str]:
        """Other tags these alarms read: setpoints and names in suppression conditions."""
        names: set[str] = set()
        for _kind, definition in self.defined():
            names |= definition.condition_tags()
            if isinstance(definition, DeviationAlarm):
                names.add(definition.setpoint)
        return frozenset(names)


class AlarmConfig(_Model):
    """Project-wide alarm settings (EEMUA 191 / ISA-18.2 figures by default)."""

    chatter_count: int = Field(3, ge=2)
    chatter_window: float = Field(60.0, gt=0)
    """An alarm raised chatter_count times within chatter_window seconds is chattering."""
    flood_count: int = Field(10, ge=1)
    flood_window: float = Field(600.0, gt=0)
    """More than flood_count alarms within flood_window seconds is a flood."""
    stale_after: float = Field(86400.0, gt=0)
    """An alarm active longer than this many seconds is stale."""
    shelve_duration: float = Field(3600.0, gt=0)
    """How long a shelve lasts when the operator does not choose."""
