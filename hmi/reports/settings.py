"""Report definitions as they appear under `reports:` in project.yaml.

```yaml
reports:
  shift:
    title: Shift report
    schedule: ['06:00', '14:00', '22:00']   # each covers the time since the one before
    tags: [TK101.Level, FIC101.PV]
    sections: [tags, alarms, actions]
```
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Section = Literal["tags", "alarms", "actions"]
SECTIONS: tuple[Section, ...] = ("tags", "alarms", "actions")
TIME_OF_DAY = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class ReportDef(BaseModel):
    """A shift or day report: when it is made, which tags it summarises and what it holds."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    title: str = ""
    """Heading of the report; empty means the report's name."""
    schedule: list[str] = Field(default_factory=list)
    """Local times of day ('HH:MM') the headless engine makes the report at, each covering the time
    since the one before: one time is a day report, three are shift reports. Empty: on demand only."""
    tags: list[str] = Field(default_factory=list)
    """Tags whose minimum, maximum and average over the period the report lists."""
    sections: list[Section] = Field(default_factory=lambda: list(SECTIONS))
    """What the report holds, in this order."""

    @field_validator("schedule", mode="before")
    @classmethod
    def _times_of_day(cls, value: object) -> object:
        if not isinstance(value, list):
            return value
        for entry in value:
            if not isinstance(entry, str) or not TIME_OF_DAY.match(entry):
                raise ValueError(f"{entry!r} is not a time of day: write it quoted as 'HH:MM', e.g. '06:00'")
        if len(set(value)) != len(value):
            raise ValueError("a time of day is listed twice")
        return sorted(value)

    @field_validator("sections")
    @classmethod
    def _sections_once(cls, value: list[Section]) -> list[Section]:
        if not value or len(set(value)) != len(value):
            raise ValueError(f"list each of {', '.join(SECTIONS)} at most once, and at least one")
        return value
