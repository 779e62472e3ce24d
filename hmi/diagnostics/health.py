"""An asset's health at a glance, from its models: what a screen shows of it beside the process."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .check import Check, Level


@dataclass(frozen=True, slots=True)
class AssetHealth:
    """The worst state of the asset's models, the causes they warn of, and the nearest predicted HI."""

    level: Level
    """Warning if any model warns, else learning while any model still learns, else healthy."""
    causes: tuple[str, ...] = ()
    time_to_hi: float | None = None
    """Seconds until a warning model predicts its HI limit (0: above it); None without a prediction."""


def health(checks: Sequence[Check]) -> AssetHealth:
    warning = [c for c in checks if c.level is Level.WARNING]
    if warning:
        times = [c.time_to_hi for c in warning if c.time_to_hi is not None]
        return AssetHealth(Level.WARNING, tuple(c.cause for c in warning), min(times) if times else None)
    if not checks or any(c.level is Level.LEARNING for c in checks):
        return AssetHealth(Level.LEARNING)
    return AssetHealth(Level.HEALTHY)
