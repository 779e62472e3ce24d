"""The health models on the demo plant's own data: each finds its fault, none warns in normal operation."""

from __future__ import annotations

import random

import pytest

from hmi.cli import DEMO_PROJECT
from hmi.diagnostics.check import Finding
from hmi.diagnostics.monitor import DiagnosticsMonitor
from hmi.diagnostics.settings import Asset
from hmi.project import load_project
from hmi.sim.faults import FaultKind
from hmi.sim.plant import Plant

FOLDER = load_project(DEMO_PROJECT)
J3_TEMP_HI = 60.0
J3_TORQUE_HI = 100.0


def monitor_of(assets: dict[str, dict]) -> DiagnosticsMonitor:
    return DiagnosticsMonitor({n: Asset.model_validate(a) for n, a in assets.items()}, FOLDER.tags)


def run(
    plant: Plant, monitor: DiagnosticsMonitor, seconds: float, dt: float, payload: random.Random | None = None
) -> None:
    """Step the plant and feed the monitor the changed values, as the tag table would; with `payload`,
    the robot's payload changes every 10 minutes."""
    tags = monitor.tags()
    last: dict[str, object] = {}
    end = plant.time + seconds
    next_tick = next_change = plant.time
    while plant.time < end:
        if payload is not None and plant.time >= next_change:
            plant.robot.payload = payload.uniform(0.7, 1.2)
            next_change += 600
        plant.step(dt)
        values = plant.values()
        for name in tags:
            if last.get(name) != values[name]:
                last[name] = values[name]
                monitor.feed(name, plant.time, float(values[name]))
        if plant.time >= next_tick:
            monitor.tick(plant.time)
            next_tick += 1.0


def raised(monitor: DiagnosticsMonitor) -> list[Finding]:
    return [f for f in monitor.findings if f.active]


THERMAL = {"J3": {"thermal": {"temp": "RC1.J3.Temp", "load": "RC1.J3.Torque", "ambient": 28, "learn_s": 900}}}
TORQUE = {"J3": {"torque": {"torque": "RC1.J3.Torque", "cycle": "RC1.CycleCount"}}}
SENSOR = {"J3": {"sensors": [{"tag": "RC1.J3.Temp", "learn_s": 300}]}}
PUMP = {
    "P101": {
        "pump": {
            "running": "P101.Running",
            "flow": "FI102.PV",
            "level": "TK101.Level",
            "shared_with": ["P102.Running"],
            "learn_s": 600,
        }
    }
}


def test_cooling_loss_is_found_well_before_the_hi_limit_with_its_cause_and_time_to_hi():
    plant = Plant(seed=11)
    monitor = monitor_of(THERMAL)
    plant.inject(FaultKind.COOLING_LOSS, "J3", onset_in=1000, severity=0.7)
    run(plant, monitor, 1000, dt=1.0, payload=random.Random(11))  # a varying load tells tau
    assert not raised(monitor)
    check = monitor.checks["J3"][0]
    assert check.parameters["tau_s"] == pytest.approx(180, rel=0.15)  # the plant's own time constant
    hi_at = None
    while hi_at is None:
        run(plant, monitor, 10, dt=1.0)
        if plant.values()["RC1.J3.Temp"] > J3_TEMP_HI:
            hi_at = plant.time
    first = raised(monitor)[0]
    assert first.alarm_id == "J3.THERMAL" and first.tag == "RC1.J3.Temp"
    assert first.message.startswith("J3: cooling loss suspected, HI in ~")
    assert first.message.endswith("min at the present trend")
    assert first.evidence["residual_K"] > first.evidence["limit_K"] and "rise_K" in first.evidence
    assert hi_at - first.ts >= (hi_at - 1000) / 2  # at least half the time from onset to HI


def test_thermal_model_follows_a_varying_payload_without_a_warning():
    plant = Plant(seed=12)
    monitor = monitor_of(THERMAL)
    run(plant, monitor, 3 * 3600, dt=1.0, payload=random.Random(12))
    assert monitor.checks["J3"][0].level.value == "healthy"
    assert raised(monitor) == []


def test_bearing_wear_shows_as_torque_drift_before_the_torque_hi():
    plant = Plant(seed=13)
    monitor = monitor_of(TORQUE)
    run(plant, monitor, 600, dt=0.25)  # 75 cycles: the signature is learned
    plant.inject(FaultKind.BEARING_WEAR, "J3", onset_in=0, severity=0.8, acceleration=8)
    hi_at = None
    while hi_at is None:
        run(plant, monitor, 8, dt=0.25)
        hi_at = plant.time if monitor.checks["J3"][0]._envelope[-1][1] > J3_TORQUE_HI else None
    found = raised(monitor)
    assert found and found[0].ts < hi_at
    assert "wear" in found[0].message and found[0].evidence["drift_Nm"] > found[0].evidence["drift_limit_Nm"]


def test_collision_is_one_spike_found_at_once_and_cleared_after_a_few_cycles():
    plant = Plant(seed=14)
    monitor = monitor_of(TORQUE)
    run(plant, monitor, 600, dt=0.25, payload=random.Random(14))
    assert raised(monitor) == []
    onset = plant.time + 5
    plant.inject(FaultKind.COLLISION, "J3", onset_in=5, severity=0.6)
    run(plant, monitor, 120, dt=0.25)
    first, *rest = monitor.findings
    assert first.active and "collision suspected" in first.message and first.ts - onset < 10
    assert not monitor.findings[-1].active  # back on the signature


def test_stuck_temperature_sensor_is_found_after_the_stuck_time():
    plant = Plant(seed=15)
    monitor = monitor_of(SENSOR)
    run(plant, monitor, 400, dt=1.0)
    assert raised(monitor) == []
    plant.inject(FaultKind.STUCK_SENSOR, "J3", onset_in=0)
    run(plant, monitor, 90, dt=1.0)
    (finding,) = raised(monitor)
    assert finding.message.startswith("J3: RC1.J3.Temp stuck at ") and finding.alarm_id == "J3.SENSOR"


def test_flat_line_at_a_range_end_is_named_so():
    monitor = monitor_of(SENSOR)
    for t in range(400):
        monitor.feed("RC1.J3.Temp", float(t), 40 + 0.01 * (t % 7))
        monitor.tick(float(t))
    for t in range(400, 440):
        monitor.feed("RC1.J3.Temp", float(t), 120.0 - 0.001 * (t % 2))  # noisy, but pinned at the top
        monitor.tick(float(t))
    assert "flat-lined at its high range end" in raised(monitor)[0].message


def test_drift_between_related_measurements():
    monitor = monitor_of(
        {
            "E101": {
                "sensors": [
                    {"tag": "E101.InletTemp", "related": "E101.OutletTemp", "window_s": 60, "learn_s": 600}
                ]
            }
        }
    )
    rng = random.Random(3)
    for t in range(1800):
        drift = 0.0 if t < 1200 else (t - 1200) * 0.01
        monitor.feed("E101.InletTemp", float(t), 15 + rng.gauss(0, 0.05) + drift)
        monitor.feed("E101.OutletTemp", float(t), 40 + rng.gauss(0, 0.05))
        monitor.tick(float(t))
    (finding,) = raised(monitor)[:1]
    assert "drifting from E101.OutletTemp" in finding.message and finding.ts > 1200


def test_pump_cavitation_is_told_by_its_noisy_flow():
    plant = Plant(seed=16)
    monitor = monitor_of(PUMP)
    run(plant, monitor, 900, dt=0.5)
    assert raised(monitor) == [] and monitor.checks["P101"][0].level.value == "healthy"
    plant.inject(FaultKind.CAVITATION, "P101", onset_in=0, severity=0.9)
    run(plant, monitor, 1200, dt=0.5)
    assert "P101: cavitation suspected: flow noise x" in raised(monitor)[0].message


def test_pump_past_its_service_interval_says_service_is_due():
    pump = {**PUMP["P101"]["pump"], "run_hours": "P101.RunHours", "service_h": 14_000}
    plant = Plant(seed=17)
    monitor = monitor_of({"P101": {"pump": pump}})
    run(plant, monitor, 5, dt=0.5)
    assert raised(monitor)[0].message.startswith("P101: service due: 14,23")
    assert raised(monitor)[0].message.endswith("run hours (interval 14,000 h)")


def test_the_demo_project_watches_six_joints_and_two_pumps():
    assert list(FOLDER.project.diagnostics) == ["J1", "J2", "J3", "J4", "J5", "J6", "P101", "P102"]
    kinds = {
        name: [c.kind for c in checks]
        for name, checks in DiagnosticsMonitor(FOLDER.project.diagnostics).checks.items()
    }
    assert kinds["J1"] == ["thermal", "torque", "sensor"] and kinds["P102"] == ["pump"]
