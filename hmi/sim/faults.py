"""Faults of the demo plant that develop the way real ones do: slowly, from a random onset.

A fault has a kind, the asset it strikes (a robot joint J1-J6 or a pump P101/P102), an onset in plant
seconds, a severity in (0, 1] and a development time; `progress(now)` runs from 0 at the onset to 1
once fully developed. An acceleration factor shortens the development, for tests and benchmarks.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from enum import StrEnum


class FaultKind(StrEnum):
    COOLING_LOSS = "cooling_loss"
    """A joint motor's cooling fails: its thermal resistance (and time constant) grows."""
    BEARING_WEAR = "bearing_wear"
    """Friction grows in a joint's bearing: torque drifts up over the cycle, and gets noisier."""
    COLLISION = "collision"
    """A joint hits something: one short torque spike."""
    STUCK_SENSOR = "stuck_sensor"
    """A joint's temperature transmitter freezes at its last reading."""
    CAVITATION = "cavitation"
    """A pump cavitates: its flow drops a little and becomes noisy."""


DEVELOP_S = {
    FaultKind.COOLING_LOSS: 1800.0,
    FaultKind.BEARING_WEAR: 4 * 3600.0,
    FaultKind.COLLISION: 0.0,
    FaultKind.STUCK_SENSOR: 0.0,
    FaultKind.CAVITATION: 900.0,
}
"""Plant seconds from onset to full severity, before acceleration."""
COOLING_LOSS_C = 90.0  # a fully developed cooling loss of severity 1 would settle a joint here
WEAR_FRICTION = 0.6  # friction torque of fully developed bearing wear, as a fraction of the peak
WEAR_NOISE = 2.0  # extra torque noise of fully developed bearing wear, times the normal noise
COLLISION_S = 0.3  # how long a collision's torque spike lasts
CAVITATION_LOSS = 0.1  # flow lost by a fully cavitating pump, as a fraction
CAVITATION_NOISE_M3H = 0.5  # flow fluctuation driven each 0.1 s by a fully cavitating pump
JOINT_FAULTS = frozenset(
    {FaultKind.COOLING_LOSS, FaultKind.BEARING_WEAR, FaultKind.COLLISION, FaultKind.STUCK_SENSOR}
)
JOINT_TARGETS = tuple(f"J{n}" for n in range(1, 7))
PUMP_TARGETS = ("P101", "P102")
ONSET_WITHIN_S = 600.0
"""A fault injected with no onset starts at a random time within this many plant seconds."""
_SPEC = re.compile(r"^(?P<kind>[a-z_]+):(?P<target>[A-Za-z0-9]+)$")


class FaultError(ValueError):
    """A fault the plant cannot have, e.g. cavitation of a robot joint."""


def targets(kind: FaultKind) -> tuple[str, ...]:
    return JOINT_TARGETS if kind in JOINT_FAULTS else PUMP_TARGETS


def parse(text: str) -> tuple[FaultKind, str]:
    """KIND:TARGET, e.g. cooling_loss:J3 or cavitation:P101."""
    match = _SPEC.match(text.strip())
    kinds = ", ".join(k.value for k in FaultKind)
    if match is None or match["kind"] not in FaultKind.__members__.values():
        raise FaultError(f"expected KIND:TARGET with KIND one of {kinds}, got {text!r}")
    kind = FaultKind(match["kind"])
    target = match["target"].upper()
    if target not in targets(kind):
        raise FaultError(f"{kind.value} strikes one of {', '.join(targets(kind))}, not {match['target']!r}")
    return kind, target


@dataclass(frozen=True, slots=True)
class Fault:
    kind: FaultKind
    target: str
    onset: float
    """Plant time (s) at which it starts."""
    severity: float
    develop_s: float

    @classmethod
    def make(
        cls,
        kind: FaultKind,
        target: str,
        now: float,
        rng: random.Random,
        *,
        onset_in: float | None = None,
        severity: float | None = None,
        acceleration: float = 1.0,
    ) -> Fault:
        """A fault starting `onset_in` s from now (random within ONSET_WITHIN_S / acceleration when None),
        of the given severity (random in 0.5-1 when None)."""
        if target not in targets(kind):
            raise FaultError(f"{kind.value} strikes one of {', '.join(targets(kind))}, not {target!r}")
        if acceleration <= 0:
            raise FaultError(f"the acceleration factor must be positive, not {acceleration:g}")
        if onset_in is None:
            onset_in = rng.uniform(0.0, ONSET_WITHIN_S / acceleration)
        if severity is None:
            severity = rng.uniform(0.5, 1.0)
        if not 0.0 < severity <= 1.0 or onset_in < 0:
            raise FaultError(
                f"severity must be in (0, 1] and the onset not in the past ({severity:g}, {onset_in:g})"
            )
        return cls(kind, target, now + onset_in, severity, DEVELOP_S[kind] / acceleration)

    def progress(self, now: float) -> float:
        """0 before the onset, rising to 1 over the development time."""
        if now < self.onset:
            return 0.0
        if self.develop_s <= 0:
            return 1.0
        return min(1.0, (now - self.onset) / self.develop_s)

    def strength(self, now: float) -> float:
        """Severity times progress: how far the fault has gone."""
        return self.severity * self.progress(now)
