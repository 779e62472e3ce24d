"""History settings as they appear in project.yaml, and the tag description the historian works from.

Files are written with exclude_defaults, so the defaults here are what an engineer expects when a
key is left out: log every change of every tag, keep 30 days, cap the file at 1 GB.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .errors import HistoryError

Mode = Literal["on_change", "periodic", "swinging_door", "off"]
Kind = Literal["analog", "digital", "string"]

# The one mode each optional setting belongs to.
_MODE_OF = {
    "deadband": "on_change",
    "deadband_pct": "on_change",
    "period_s": "periodic",
    "deviation": "swinging_door",
}


class TagHistory(BaseModel):
    """How one tag is logged: every change beyond a deadband, every N s, swinging-door, or not at all."""

    model_config = ConfigDict(extra="forbid")

    mode: Mode = "on_change"
    deadband: float | None = Field(None, ge=0)
    """on_change: a value is stored when it differs from the last stored one by more than this."""
    deadband_pct: float | None = Field(None, gt=0, le=100)
    """on_change: the deadband as a percentage of the tag's engineering range."""
    period_s: float | None = Field(None, gt=0)
    """periodic: store the current value every this many seconds, changed or not."""
    deviation: float | None = Field(None, gt=0)
    """swinging_door: the stored line may stray at most this far from any value it replaces."""
    retention_days: float | None = Field(None, gt=0)
    """Keep this tag's history this long instead of the project's retention_days."""

    @model_validator(mode="after")
    def _combination(self) -> TagHistory:
        if self.deadband is not None and self.deadband_pct is not None:
            raise ValueError("give either deadband or deadband_pct, not both")
        for key, owner in _MODE_OF.items():
            if getattr(self, key) is not None and self.mode != owner:
                raise ValueError(f"{key} applies to mode '{owner}', not '{self.mode}'")
        if self.mode == "periodic" and self.period_s is None:
            raise ValueError("mode 'periodic' needs period_s (seconds between stored values)")
        if self.mode == "swinging_door" and self.deviation is None:
            raise ValueError("mode 'swinging_door' needs deviation (in the tag's engineering units)")
        return self


class HistoryConfig(BaseModel):
    """Project-wide history settings: how long to keep data, how big the file may grow, when to commit."""

    model_config = ConfigDict(extra="forbid")

    retention_days: float = Field(30.0, gt=0)
    max_size_mb: float = Field(1024.0, gt=0)
    """Above this the oldest history is purged first, so the file stops growing near this size."""
    flush_interval_s: float = Field(1.0, ge=0.05, le=60)
    """Data recorded is committed at least this often; a crash loses at most this much."""


@dataclass(frozen=True)
class HistorianTag:
    """A tag as the historian sees it: name, kind of value, engineering range and settings."""

    name: str
    kind: Kind = "analog"
    eng_range: tuple[float, float] | None = None
    settings: TagHistory = field(default_factory=TagHistory)

    def __post_init__(self) -> None:
        s = self.settings
        if self.kind not in ("analog", "digital", "string"):
            raise HistoryError(f"tag '{self.name}': unknown kind '{self.kind}' (analog, digital or string)")
        if self.kind != "analog":
            for key in ("deadband", "deadband_pct", "deviation"):
                if getattr(s, key) is not None:
                    raise HistoryError(
                        f"tag '{self.name}': {key} needs an analog tag; {self.kind} tags are logged on change"
                    )
        if s.deadband_pct is not None and self.eng_range is None:
            raise HistoryError(f"tag '{self.name}': deadband_pct needs the tag's engineering range")

    @property
    def deadband(self) -> float | None:
        """The absolute deadband, from deadband or deadband_pct of the engineering range."""
        s = self.settings
        if s.deadband_pct is not None and self.eng_range is not None:
            lo, hi = self.eng_range
            return abs(hi - lo) * s.deadband_pct / 100.0
        return s.deadband
