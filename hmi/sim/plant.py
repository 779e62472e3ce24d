"""The demo plant's process model: a feed tank, its flow loop, two pumps, a heater and a robot cell.

Pure Python with no I/O, so it can be stepped in simulated time by tests and in real time by the server.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Any

from .faults import (
    CAVITATION_LOSS,
    CAVITATION_NOISE_M3H,
    COLLISION_S,
    COOLING_LOSS_C,
    WEAR_FRICTION,
    WEAR_NOISE,
    Fault,
    FaultKind,
)
from .robot import (  # noqa: F401  (ROBOT_* and SPIKE_FACTOR: the plant's figures, for its users)
    JOINTS,
    ROBOT_AMBIENT_C,
    ROBOT_CYCLE_S,
    ROBOT_RESTART_C,
    ROBOT_TRIP_C,
    SPIKE_FACTOR,
    TEMP_NOISE_C,
    RobotCell,
    lag,
)

MAX_SUBSTEP_S = 0.1  # integration step; larger steps are split so the PI loop stays stable

TANK_VOLUME_M3 = 12.0  # TK101 at 100 %
INFLOW_MAX_M3H = 30.0  # through FV101 fully open
VALVE_TAU_S = 2.0
PUMP_FLOW_M3H = 15.0  # per pump at 50 % level
PUMP_SPIN_TAU_S = 1.5
PUMP_FEEDBACK_S = 1.0  # running feedback follows the command after this long
DRY_RUN_LEVEL = 3.0
AUTO_START_LEVEL = 60.0  # a pump in auto starts above this tank level (%) ...
AUTO_STOP_LEVEL = 25.0  # ... and stops below this one

STEAM_MAX_KW = 800.0
STEAM_TEMP_C = 120.0
AMBIENT_C = 20.0
HEAT_LOSS_KW_K = 1.5
WATER_KW_K_PER_M3H = 1000.0 / 3600.0 * 4.186
E101_TAU_S = 45.0


@dataclass(frozen=True, slots=True)
class TagSpec:
    """One variable the plant exposes: OPC-UA data type name, units, engineering range, writability."""

    name: str
    dtype: str  # "Double", "Boolean", "Int32" or "String"
    units: str = ""
    low: float | None = None
    high: float | None = None
    writable: bool = False


def _tag_specs() -> list[TagSpec]:
    specs = [
        TagSpec("TK101.Level", "Double", "%", 0, 100),
        TagSpec("FIC101.PV", "Double", "m3/h", 0, INFLOW_MAX_M3H),
        TagSpec("FIC101.SP", "Double", "m3/h", 0, INFLOW_MAX_M3H, writable=True),
        TagSpec("FIC101.OP", "Double", "%", 0, 100, writable=True),
        TagSpec("FIC101.Auto", "Boolean", writable=True),
        TagSpec("FV101.Position", "Double", "%", 0, 100),
    ]
    for pump in ("P101", "P102"):
        specs += [
            TagSpec(f"{pump}.Cmd", "Boolean", writable=True),
            TagSpec(f"{pump}.Auto", "Boolean", writable=True),
            TagSpec(f"{pump}.Running", "Boolean"),
            TagSpec(f"{pump}.Fault", "Boolean"),
            TagSpec(f"{pump}.Reset", "Boolean", writable=True),
            TagSpec(f"{pump}.RunHours", "Double", "h", 0, 100_000),
        ]
    specs += [
        TagSpec("FI102.PV", "Double", "m3/h", 0, 35),
        TagSpec("E101.InletTemp", "Double", "°C", 0, 50),
        TagSpec("E101.OutletTemp", "Double", "°C", 0, 150),
        TagSpec("E101.SteamValve", "Double", "%", 0, 100, writable=True),
    ]
    for j, joint in enumerate(JOINTS, start=1):
        limit = math.ceil(3 * joint.peak / 10) * 10  # room for a torque spike
        specs.append(TagSpec(f"RC1.J{j}.Torque", "Double", "Nm", -limit, limit))
    specs += [TagSpec(f"RC1.J{j}.Temp", "Double", "°C", 0, 120) for j in range(1, 7)]
    specs += [
        TagSpec("RC1.CycleCount", "Int32"),
        TagSpec("RC1.State", "String"),
        TagSpec("RC1.Run", "Boolean", writable=True),
        TagSpec("RC1.Fault.OverheatJoint", "Int32", "", 0, 6, writable=True),
        TagSpec("RC1.Fault.TorqueSpikeJoint", "Int32", "", 0, 6, writable=True),
        TagSpec("Sim.Heartbeat", "Int32"),
    ]
    return specs


TAGS: list[TagSpec] = _tag_specs()


def _finite(value: Any) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{value!r} is not a finite number")
    return number


def _joint_number(value: Any) -> int:
    number = int(value)
    if not 0 <= number <= 6:
        raise ValueError(f"joint {number} does not exist (0 for none, 1-6)")
    return number


@dataclass
class Pump:
    """A fixed-speed outlet pump with a starter: running feedback, trip on dry run, fault reset; in auto
    the tank level starts and stops it (with hysteresis), in manual the operator's command does."""

    run_hours: float
    cmd: bool = False
    auto: bool = False
    running: bool = False
    fault: bool = False
    reset: bool = False
    flow: float = 0.0  # m3/h actually delivered
    cavitation: float = 0.0  # 0..1, from an injected fault
    _pending_s: float = field(default=0.0, init=False, repr=False)

    def step(self, dt: float, level: float, kick: float = 0.0) -> None:
        """`kick`: a random flow disturbance (m3/h), felt only while cavitating."""
        if self.reset:
            self.fault = False
            self.reset = False
        if self.auto and not self.fault:
            if level > AUTO_START_LEVEL:
                self.cmd = True
            elif level < AUTO_STOP_LEVEL:
                self.cmd = False
        if self.fault:
            self.running = False
        elif self.cmd != self.running:
            self._pending_s += dt
            if self._pending_s >= PUMP_FEEDBACK_S:
                self.running, self._pending_s = self.cmd, 0.0
        else:
            self._pending_s = 0.0
        if self.running and level < DRY_RUN_LEVEL:
            # The starter drops out, so the pump stays stopped after a reset until it is started again.
            self.fault, self.running, self.cmd = True, False, False
        if self.running:
            self.run_hours += dt / 3600
        # Suction head adds a little flow as the level rises (self-regulating around 50 %).
        target = PUMP_FLOW_M3H * (0.93 + 0.14 * level / 100) if self.running else 0.0
        target *= 1.0 - CAVITATION_LOSS * self.cavitation
        self.flow = lag(self.flow, target, dt, PUMP_SPIN_TAU_S)
        if self.running and self.cavitation:
            self.flow = max(0.0, self.flow + kick * self.cavitation)


@dataclass
class FlowController:
    """FIC101: a PI controller on inlet flow (flow loops run without derivative action)."""

    sp: float = 15.0
    op: float = 50.0
    auto: bool = True
    gain: float = 2.0  # % per m3/h
    reset_s: float = 2.5
    _integral: float = field(default=50.0, init=False, repr=False)

    def step(self, dt: float, pv: float) -> None:
        error = self.sp - pv
        if not self.auto:
            self._integral = self.op - self.gain * error  # track, so switching to auto does not bump
            return
        self._integral += self.gain * error * dt / self.reset_s
        self._integral = min(100.0, max(0.0, self._integral))
        self.op = min(100.0, max(0.0, self.gain * error + self._integral))


class Plant:
    """The whole demo plant; `step(dt)` advances it, `values()` reads it, `write()` is an operator write."""

    def __init__(self, seed: int | None = None):
        self.rng = random.Random(seed)
        self.time = 0.0  # simulated seconds since start
        self.level = 50.0
        self.fic = FlowController()
        self.valve = 50.0
        self.inflow = 0.5 * INFLOW_MAX_M3H
        self.pumps = {
            "P101": Pump(run_hours=14_230.5, cmd=True, running=True, flow=PUMP_FLOW_M3H),
            "P102": Pump(run_hours=9_876.2),
        }
        self.steam_valve = 40.0
        self.inlet_temp = 15.0
        self.outlet_temp = self._e101_target()
        self.robot = RobotCell()
        self.faults: list[Fault] = []
        self._struck: set[Fault] = set()  # one-off faults (collision, stuck sensor) that have happened
        self._measured: dict[str, float] = {}
        self._pv_noise = 0.0
        self._measure()

    def inject(
        self,
        kind: FaultKind,
        target: str,
        *,
        onset_in: float | None = None,
        severity: float | None = None,
        acceleration: float = 1.0,
    ) -> Fault:
        """Start a developing fault (see faults.Fault.make); FaultError if the target cannot have it."""
        fault = Fault.make(
            kind, target, self.time, self.rng, onset_in=onset_in, severity=severity, acceleration=acceleration
        )
        self.faults.append(fault)
        return fault

    def clear_faults(self) -> list[Fault]:
        """End every fault, the immediate ones (overheat, spike) too: the struck assets are as good as new.
        Temperatures then settle back with their own time constants. Returns the developing faults ended."""
        cleared, self.faults = self.faults, []
        self._struck.clear()
        for joint in self.robot.joints:
            joint.cooling, joint.friction, joint.noise_gain, joint.stuck_at = 1.0, 0.0, 1.0, None
        for pump in self.pumps.values():
            pump.cavitation = 0.0
        self.robot.overheat_joint = self.robot.spike_joint = 0
        return cleared

    def _apply_faults(self) -> None:
        """Set each struck asset's state from how far its faults have developed."""
        now = self.time
        for fault in self.faults:
            if now < fault.onset:
                continue
            strength = fault.strength(now)
            if fault.kind is FaultKind.CAVITATION:
                self.pumps[fault.target].cavitation = strength
                continue
            joint = self.robot.joints[int(fault.target[1:]) - 1]
            nominal = joint.profile.nominal_temp
            if fault.kind is FaultKind.COOLING_LOSS:
                joint.cooling = 1.0 + strength * (COOLING_LOSS_C - nominal) / (nominal - ROBOT_AMBIENT_C)
            elif fault.kind is FaultKind.BEARING_WEAR:
                joint.friction = WEAR_FRICTION * strength * joint.peak
                joint.noise_gain = 1.0 + WEAR_NOISE * strength
            elif fault not in self._struck:
                self._struck.add(fault)
                if fault.kind is FaultKind.COLLISION:
                    joint.spike_s, joint.spike_factor = COLLISION_S, 1.5 + 1.5 * fault.severity
                else:
                    joint.stuck_at = self._measured[f"RC1.{fault.target}.Temp"]

    @property
    def outflow(self) -> float:
        return sum(p.flow for p in self.pumps.values())

    def step(self, dt: float) -> None:
        """Advance the plant by dt seconds of process time, in substeps of at most MAX_SUBSTEP_S."""
        if dt <= 0:
            return
        count = math.ceil(dt / MAX_SUBSTEP_S)
        for _ in range(count):
            self._substep(dt / count)
        self._measure()

    def _substep(self, dt: float) -> None:
        self.time += dt
        if self.faults:
            self._apply_faults()
        self.fic.step(dt, max(0.0, self.inflow + self._pv_noise))
        self.valve = lag(self.valve, self.fic.op, dt, VALVE_TAU_S)
        supply = 1.0 + 0.02 * math.sin(2 * math.pi * self.time / 300)  # slow header pressure swing
        self.inflow = INFLOW_MAX_M3H * self.valve / 100 * supply
        for pump in self.pumps.values():
            kick = self.rng.gauss(0.0, CAVITATION_NOISE_M3H * math.sqrt(dt / 0.1)) if pump.cavitation else 0.0
            pump.step(dt, self.level, kick)
        volume = self.level / 100 * TANK_VOLUME_M3 + (self.inflow - self.outflow) * dt / 3600
        self.level = min(100.0, max(0.0, volume / TANK_VOLUME_M3 * 100))  # full tank spills to overflow
        self.inlet_temp = 15.0 + 1.5 * math.sin(2 * math.pi * self.time / 1800)
        self.outlet_temp = lag(self.outlet_temp, self._e101_target(), dt, E101_TAU_S)
        self.robot.step(dt, self.rng)

    def _e101_target(self) -> float:
        """Steady outlet temperature from the heat balance of steam, process stream and losses."""
        stream = self.outflow * WATER_KW_K_PER_M3H
        heat = STEAM_MAX_KW * self.steam_valve / 100
        balance = (stream * self.inlet_temp + HEAT_LOSS_KW_K * AMBIENT_C + heat) / (stream + HEAT_LOSS_KW_K)
        return min(STEAM_TEMP_C, balance)

    def _measure(self) -> None:
        """Sample the transmitters once per step, each with its own small noise."""
        gauss = self.rng.gauss
        self._pv_noise = gauss(0.0, 0.05)  # the controller sees the same noisy PV as the operator
        self._measured = {
            "TK101.Level": min(100.0, max(0.0, self.level + gauss(0.0, 0.05))),
            "FIC101.PV": max(0.0, self.inflow + self._pv_noise),
            "FI102.PV": max(0.0, self.outflow + gauss(0.0, 0.05)),
            "E101.InletTemp": self.inlet_temp + gauss(0.0, 0.03),
            "E101.OutletTemp": self.outlet_temp + gauss(0.0, 0.05),
        }
        for number, joint in enumerate(self.robot.joints, start=1):
            reading = joint.temp + gauss(0.0, TEMP_NOISE_C) if joint.stuck_at is None else joint.stuck_at
            self._measured[f"RC1.J{number}.Temp"] = reading

    def values(self) -> dict[str, Any]:
        """Every tag's current value, keyed by the names in TAGS."""
        values: dict[str, Any] = dict(self._measured)
        values |= {
            "FIC101.SP": self.fic.sp,
            "FIC101.OP": self.fic.op,
            "FIC101.Auto": self.fic.auto,
            "FV101.Position": self.valve,
            "E101.SteamValve": self.steam_valve,
        }
        for name, pump in self.pumps.items():
            values |= {
                f"{name}.Cmd": pump.cmd,
                f"{name}.Running": pump.running,
                f"{name}.Fault": pump.fault,
                f"{name}.Reset": pump.reset,
                f"{name}.Auto": pump.auto,
                f"{name}.RunHours": pump.run_hours,
            }
        robot = self.robot
        for number, joint in enumerate(robot.joints, start=1):
            values[f"RC1.J{number}.Torque"] = joint.torque
        values |= {
            "RC1.CycleCount": robot.cycle_count,
            "RC1.State": robot.state,
            "RC1.Run": robot.run,
            "RC1.Fault.OverheatJoint": robot.overheat_joint,
            "RC1.Fault.TorqueSpikeJoint": robot.spike_joint,
            "Sim.Heartbeat": int(self.time + 1e-9) % 2**31,
        }
        return values

    def write(self, name: str, value: Any) -> None:
        """Apply an operator write; the plant acts on it at the next step. Raises ValueError if refused."""
        head, _, attr = name.rpartition(".")
        if name == "FIC101.SP":
            self.fic.sp = min(INFLOW_MAX_M3H, max(0.0, _finite(value)))
        elif name == "FIC101.OP":
            if self.fic.auto:
                raise ValueError("FIC101 is in auto: the controller sets OP")
            self.fic.op = min(100.0, max(0.0, _finite(value)))
        elif name == "FIC101.Auto":
            self.fic.auto = bool(value)
        elif name == "E101.SteamValve":
            self.steam_valve = min(100.0, max(0.0, _finite(value)))
        elif head in self.pumps and attr == "Cmd" and self.pumps[head].auto:
            raise ValueError(f"{head} is in auto: the tank level starts and stops it")
        elif head in self.pumps and attr in ("Cmd", "Reset", "Auto"):
            setattr(self.pumps[head], attr.lower(), bool(value))
        elif name == "RC1.Run":
            self.robot.request_run(bool(value))
        elif name == "RC1.Fault.OverheatJoint":
            self.robot.overheat_joint = _joint_number(value)
        elif name == "RC1.Fault.TorqueSpikeJoint":
            self.robot.spike_joint = _joint_number(value)
        else:
            raise ValueError(f"{name} is not writable")
