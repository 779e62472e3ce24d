"""RC1, the demo's six-axis robot: joint torques over the motion cycle and motor temperatures."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

ROBOT_CYCLE_S = 8.0
ROBOT_AMBIENT_C = 28.0
JOINT_TAU_S = 180.0
OVERHEAT_RATE_C_S = 0.1
SPIKE_FACTOR = 2.5
SPIKE_S = 0.5
ROBOT_TRIP_C = 80.0
ROBOT_RESTART_C = 70.0
TEMP_NOISE_C = 0.03  # joint temperature transmitters


@dataclass(frozen=True, slots=True)
class JointProfile:
    """A joint's nominal torque over the motion cycle: gravity offset plus two harmonics, in Nm."""

    offset: float
    first: float
    second: float
    phase: float
    nominal_temp: float  # steady temperature at this duty, °C

    def torque(self, phase: float) -> float:
        """Nominal torque at a point of the cycle (phase in 0..1)."""
        angle = 2 * math.pi * phase
        return self.offset + self.first * math.sin(angle + self.phase) + self.second * math.sin(2 * angle)

    def _samples(self) -> list[float]:
        return [self.torque(i / 400) for i in range(400)]

    @property
    def peak(self) -> float:
        """The nominal envelope: the largest torque magnitude of the cycle."""
        return max(abs(t) for t in self._samples())

    @property
    def mean_square_load(self) -> float:
        """Mean of (torque / peak)^2 over the cycle: the joint's duty, which sets its temperature."""
        peak = self.peak
        return sum((t / peak) ** 2 for t in self._samples()) / 400


JOINTS = (
    JointProfile(0.0, 80.0, 25.0, 0.0, 38.0),  # J1 base rotation
    JointProfile(110.0, 45.0, 15.0, 1.1, 49.0),  # J2 shoulder, carries the arm's weight
    JointProfile(55.0, 30.0, 10.0, 2.3, 45.0),  # J3 elbow
    JointProfile(4.0, 14.0, 5.0, 0.7, 41.0),  # J4 wrist roll
    JointProfile(6.0, 10.0, 4.0, 1.9, 43.0),  # J5 wrist bend
    JointProfile(0.0, 6.0, 2.5, 2.9, 36.0),  # J6 flange
)


def lag(value: float, target: float, dt: float, tau: float) -> float:
    """Exact first-order lag step, stable for any dt."""
    return target + (value - target) * math.exp(-dt / tau)


@dataclass
class Joint:
    """One robot axis: measured torque and motor temperature, with the injected-fault state."""

    profile: JointProfile
    peak: float = field(init=False)
    torque: float = 0.0
    thermal: float = field(init=False)  # model temperature without the injected overheat
    overheat: float = 0.0  # extra °C from an injected overheat fault
    spike_s: float = 0.0  # time left of an injected torque spike
    spike_factor: float = SPIKE_FACTOR  # its height, times the peak
    cooling: float = 1.0  # thermal resistance, times the healthy one (a cooling loss raises it)
    friction: float = 0.0  # bearing friction torque, Nm
    noise_gain: float = 1.0  # torque noise, times the healthy one
    stuck_at: float | None = None  # reading of a frozen temperature transmitter
    _heat_gain: float = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.peak = self.profile.peak
        self._heat_gain = (self.profile.nominal_temp - ROBOT_AMBIENT_C) / self.profile.mean_square_load
        self.thermal = self.profile.nominal_temp

    @property
    def temp(self) -> float:
        return self.thermal + self.overheat

    def step(
        self, dt: float, phase: float, moving: bool, overheating: bool, noise: float, payload: float = 1.0
    ) -> None:
        noise *= self.noise_gain * self.peak
        self.torque = noise
        if moving:
            # Friction opposes the motion, whose speed follows the cycle's first harmonic.
            speed = math.cos(2 * math.pi * phase + self.profile.phase)
            self.torque += payload * self.profile.torque(phase) + math.copysign(self.friction, speed)
        if self.spike_s > 1e-9:  # a float countdown, so not exactly zero at the end
            self.torque = math.copysign(self.spike_factor * self.peak, self.torque) + noise
            self.spike_s -= dt
        rise = self._heat_gain * self.cooling * min((self.torque / self.peak) ** 2, 9.0)
        self.thermal = lag(self.thermal, ROBOT_AMBIENT_C + rise, dt, JOINT_TAU_S * self.cooling)
        if overheating:
            self.overheat += OVERHEAT_RATE_C_S * dt
        else:
            self.overheat = lag(self.overheat, 0.0, dt, JOINT_TAU_S)


@dataclass
class RobotCell:
    """RC1: a six-axis robot repeating one motion cycle, tripping to Fault on joint over-temperature."""

    run: bool = True
    faulted: bool = False
    cycle_count: int = 0
    phase: float = 0.0
    overheat_joint: int = 0
    spike_joint: int = 0
    payload: float = 1.0  # load of the motion, times the nominal one (the torques scale with it)
    joints: list[Joint] = field(default_factory=lambda: [Joint(p) for p in JOINTS])

    @property
    def state(self) -> str:
        if self.faulted:
            return "Fault"
        return "Running" if self.run else "Stopped"

    def request_run(self, run: bool) -> None:
        """Run=True also resets a trip, but only once every joint has cooled below the restart limit."""
        if run and self.faulted:
            if max(j.temp for j in self.joints) >= ROBOT_RESTART_C:
                raise ValueError(f"RC1 cannot restart until every joint is below {ROBOT_RESTART_C:g} °C")
            self.faulted = False
        self.run = run

    def step(self, dt: float, rng: random.Random) -> None:
        if self.spike_joint:
            self.joints[self.spike_joint - 1].spike_s = SPIKE_S
            self.spike_joint = 0
        moving = self.run and not self.faulted
        if moving:
            self.phase += dt / ROBOT_CYCLE_S
            if self.phase >= 1.0:
                self.phase -= 1.0
                self.cycle_count = (self.cycle_count + 1) % 2**31
        for number, joint in enumerate(self.joints, start=1):
            overheating = self.overheat_joint == number
            joint.step(dt, self.phase, moving, overheating, rng.gauss(0.0, 0.015), self.payload)
        if not self.faulted and max(j.temp for j in self.joints) >= ROBOT_TRIP_C:
            self.faulted, self.run = True, False
