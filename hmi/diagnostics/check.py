"""What every health model shares: its state (learning, healthy, warning), its findings, its trace.

A check hears Good numeric samples of its input tags (`on_sample`), gaps in them (`on_gap`) and the
clock (`tick`); when its judgement changes it hands a Finding to `emit`. Sample time is the clock:
the same check runs live and over history.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

TRACE_POINTS = 2000
"""Points of measurement, expectation and residual kept for the diagnostics view."""
REWORD_S = 60.0
"""An active finding's words (its prediction) are updated at most this often."""


class Level(StrEnum):
    LEARNING = "learning"
    HEALTHY = "healthy"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """A check's judgement at one time; an advisory alarm while `active`.

    `message` says the cause in words (and the prediction); `evidence` holds the figures behind it.
    """

    alarm_id: str
    asset: str
    check: str
    tag: str
    ts: float
    active: bool
    message: str
    value: float | None = None
    limit: float | None = None
    evidence: dict[str, float] = field(default_factory=dict)

    def evidence_text(self) -> str:
        """'residual=3.42, limit=1.5, tau_s=181': the figures, for the journal and the CSV."""
        return ", ".join(f"{name}={_figure(value)}" for name, value in self.evidence.items())


def _figure(value: float) -> str:
    return f"{value:.4g}" if math.isfinite(value) else str(value)


def about(seconds: float) -> str:
    """A predicted time in words: '<1 min', '~18 min', '~2.5 h', '~3 d'."""
    if seconds < 60:
        return "<1 min"
    if seconds < 5400:
        return f"~{round(seconds / 60)} min"
    if seconds < 172800:
        return f"~{seconds / 3600:.1f} h"
    return f"~{round(seconds / 86400)} d"


def lasting(seconds: float) -> str:
    """A duration in words: '45 s', '12 min', '2.5 h'."""
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def slope(points: Sequence[tuple[float, float]]) -> float | None:
    """Least-squares slope of (t, y) points, per second; None for fewer than 3 or no spread in t."""
    n = len(points)
    if n < 3:
        return None
    t0 = points[0][0]
    mt = sum(p[0] - t0 for p in points) / n
    my = sum(p[1] for p in points) / n
    sxx = sum((p[0] - t0 - mt) ** 2 for p in points)
    if sxx <= 0:
        return None
    return sum((p[0] - t0 - mt) * (p[1] - my) for p in points) / sxx


Emit = Callable[[Finding], None]


class Check:
    """Base of the health models; subclasses set `inputs` and call `judge` when they conclude."""

    kind = ""
    """thermal, torque, sensor or pump."""

    def __init__(self, asset: str, alarm_id: str, tag: str, emit: Emit):
        self.asset = asset
        self.alarm_id = alarm_id
        self.tag = tag
        """The measurement the finding is about (the advisory shows on its screen items)."""
        self.inputs: tuple[str, ...] = (tag,)
        self.emit = emit
        self.level = Level.LEARNING
        self.finding: Finding | None = None
        """The last finding, active or cleared."""
        self.parameters: dict[str, float] = {}
        """What the model learned, for the diagnostics view."""
        self.trace: deque[tuple[float, float, float, float]] = deque(maxlen=TRACE_POINTS)
        """(ts, measured, expected, residual); NaN where the model has no expectation yet."""
        self.prediction = ""
        self.time_to_hi: float | None = None
        """Seconds until the HI limit at the present trend (0 above it), where the model predicts one."""
        self.cause = ""
        """The cause in the last finding's words, without the asset's name or the outlook."""

    def on_sample(self, name: str, ts: float, value: float) -> None:
        raise NotImplementedError

    def on_gap(self, name: str, ts: float) -> None:
        """The input turned Bad (or stopped being a number): memory across the gap means nothing."""

    def tick(self, now: float) -> None:
        """About once a second: checks of time without data (a stuck sensor) run here."""

    def learned(self, parameters: dict[str, float]) -> None:
        self.parameters = parameters
        if self.level is Level.LEARNING:
            self.level = Level.HEALTHY

    def judge(
        self,
        ts: float,
        active: bool,
        cause: str,
        value: float | None = None,
        limit: float | None = None,
        evidence: dict[str, float] | None = None,
        outlook: str = "",
    ) -> None:
        """Emit a finding when the judgement (or, while active, its words) changed; `outlook` (a
        prediction) follows the cause in the message."""
        last = self.finding
        if not active and (last is None or not last.active):
            return
        message = f"{self.asset}: {cause}" + (f", {outlook}" if outlook else "")
        if (
            last is not None
            and last.active == active
            and (last.message == message or ts - last.ts < REWORD_S)
        ):
            return
        self.finding = Finding(
            self.alarm_id,
            self.asset,
            self.kind,
            self.tag,
            ts,
            active,
            message,
            value,
            limit,
            {**(evidence or {}), **self.parameters},
        )
        self.cause = cause
        self.level = Level.WARNING if active else Level.HEALTHY
        self.emit(self.finding)
