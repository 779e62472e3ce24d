"""The faults of a running plant, injected and cleared while it runs: `hmi sim --fault` at start, the
demo's Tools > Simulator faults at any time (through the runtime, which checks and audits).

The immediate faults write the plant's own fault tags (overheat a joint, one torque spike); the
developing ones (faults.FaultKind) grow from their onset as real faults do.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import HmiError
from . import faults
from .faults import FaultError, FaultKind
from .plant import Plant

IMMEDIATE = {"overheat": "RC1.Fault.OverheatJoint", "spike": "RC1.Fault.TorqueSpikeJoint"}
"""Faults that act at once, by the plant tag that takes the joint's number."""
KINDS = (*(k.value for k in FaultKind), *IMMEDIATE)


class FaultRefused(HmiError):
    """A fault was not injected or cleared; the message says why."""


def targets(kind: str) -> tuple[str, ...]:
    """The assets a fault kind can strike (FaultError for a kind the plant does not have)."""
    if kind in IMMEDIATE:
        return faults.JOINT_TARGETS
    if kind not in KINDS:
        raise FaultError(f"no fault kind {kind!r}: one of {', '.join(KINDS)}")
    return faults.targets(FaultKind(kind))


@dataclass(frozen=True, slots=True)
class PlantFault:
    """A fault present in the plant, for the list of what is injected."""

    kind: str
    target: str
    starts_in: float
    """Plant seconds until its onset; 0 once it has begun."""
    progress: float
    """0 to 1: how far it has developed (1 for an immediate fault)."""
    severity: float


class FaultControl:
    """Inject faults into a plant and clear them again."""

    def __init__(self, plant: Plant):
        self.plant = plant

    def inject(
        self,
        kind: str,
        target: str,
        *,
        onset_in: float | None = None,
        severity: float | None = None,
        acceleration: float = 1.0,
    ) -> str:
        """Start a fault; what was done, in words for the log and the audit trail. FaultError if the
        target cannot have it (or the onset, severity or acceleration is out of range)."""
        target = target.upper()
        if target not in targets(kind):
            raise FaultError(f"{kind} strikes one of {', '.join(targets(kind))}, not {target!r}")
        if kind in IMMEDIATE:
            self.plant.write(IMMEDIATE[kind], int(target[1:]))
            return f"{kind} on {target} at once"
        fault = self.plant.inject(
            FaultKind(kind), target, onset_in=onset_in, severity=severity, acceleration=acceleration
        )
        onset = fault.onset - self.plant.time
        return f"{kind} on {target}, onset in {onset:.0f} s, severity {fault.severity:.2f}"

    def active(self) -> list[PlantFault]:
        """The injected faults still present, developing ones first."""
        now = self.plant.time
        found = [
            PlantFault(f.kind.value, f.target, max(0.0, f.onset - now), f.progress(now), f.severity)
            for f in self.plant.faults
        ]
        overheating = self.plant.robot.overheat_joint
        if overheating:
            found.append(PlantFault("overheat", f"J{overheating}", 0.0, 1.0, 1.0))
        return found

    def clear(self) -> int:
        """End every fault; how many there were."""
        count = len(self.active())
        self.plant.clear_faults()
        return count
