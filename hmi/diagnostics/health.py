"""An asset's health at a glance, from its models: what a screen shows of it beside the process."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .check import Check, Level


@dataclass(frozen=True, slots=True)
class AssetHealth:
    """The worst state of the asset's models, the causes they warn of, and the nearest predicted HI."""

    level: Level
    """Warning if any model warns, else healthy once any model judges, else learning."""
    causes: tuple[str, ...] = ()
    time_to_hi: float | None = None
    """Seconds until a warning model predicts its HI limit (0: above it); None without a prediction."""
    learning: int = 0
    """Models still learning normal operation."""


def health(checks: Sequence[Check]) -> AssetHealth:
    learning = sum(c.level is Level.LEARNING for c in checks)
    warning = [c for c in checks if c.level is Level.WARNING]
    if warning:
        times = [c.time_to_hi for c in warning if c.time_to_hi is not None]
        causes = tuple(c.cause for c in warning)
        return AssetHealth(Level.WARNING, causes, min(times) if times else None, learning)
    return AssetHealth(Level.HEALTHY if learning < len(checks) else Level.LEARNING, learning=learning)
