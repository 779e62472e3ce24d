"""The demo plant's process model on its own, stepped in simulated time."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hmi.sim.plant import AUTO_START_LEVEL, AUTO_STOP_LEVEL, DRY_RUN_LEVEL, ROBOT_TRIP_C, TAGS, Plant

PYTHON_TYPES = {"Double": float, "Boolean": bool, "Int32": int, "String": str}


def run(plant: Plant, seconds: float, dt: float = 0.1) -> None:
    for _ in range(round(seconds / dt)):
        plant.step(dt)


def run_until(plant: Plant, condition: Callable[[], bool], limit_s: float, dt: float = 0.1) -> float:
    """Step until the condition holds; the simulated seconds it took (fails past the limit)."""
    start = plant.time
    while not condition():
        assert plant.time - start < limit_s, f"condition not met within {limit_s} s of process time"
        plant.step(dt)
    return plant.time - start


@pytest.fixture
def plant() -> Plant:
    return Plant(seed=1)


def test_starts_running_so_a_fresh_demo_moves(plant: Plant) -> None:
    values = plant.values()
    assert set(values) == {t.name for t in TAGS}
    assert 45 < values["TK101.Level"] < 55
    assert values["FIC101.Auto"] and values["P101.Running"] and not values["P102.Running"]
    assert values["RC1.State"] == "Running"
    assert all(35 <= values[f"RC1.J{j}.Temp"] <= 55 for j in range(1, 7))
    run(plant, 30)
    assert abs(plant.values()["TK101.Level"] - values["TK101.Level"]) < 2  # calm, not drifting away
    assert plant.values()["RC1.CycleCount"] >= 3


def test_level_rises_when_inflow_exceeds_outflow_and_falls_otherwise(plant: Plant) -> None:
    start = plant.level
    plant.write("P101.Cmd", False)
    run(plant, 120)
    assert plant.level > start + 3
    risen = plant.level
    plant.write("P101.Cmd", True)
    plant.write("P102.Cmd", True)
    plant.write("FIC101.SP", 5.0)
    run(plant, 120)
    assert plant.level < risen - 3


def test_pid_in_auto_brings_pv_to_setpoint(plant: Plant) -> None:
    plant.write("FIC101.SP", 22.0)
    run_until(plant, lambda: abs(plant.inflow - 22.0) < 0.3, limit_s=30)
    pvs = []
    for _ in range(50):
        plant.step(0.1)
        pvs.append(plant.values()["FIC101.PV"])
    assert sum(pvs) / len(pvs) == pytest.approx(22.0, abs=0.3)


def test_manual_mode_honours_the_operators_output(plant: Plant) -> None:
    with pytest.raises(ValueError, match="auto"):
        plant.write("FIC101.OP", 70.0)
    plant.write("FIC101.Auto", False)
    plant.write("FIC101.OP", 70.0)
    plant.write("FIC101.SP", 5.0)  # the controller must not act on it in manual
    run(plant, 15)
    values = plant.values()
    assert values["FIC101.OP"] == 70.0
    assert values["FV101.Position"] == pytest.approx(70.0, abs=0.5)
    assert values["FIC101.PV"] == pytest.approx(21.0, abs=1.0)


def test_valve_position_follows_output_with_a_lag(plant: Plant) -> None:
    plant.write("FIC101.Auto", False)
    plant.write("FIC101.OP", 90.0)
    run(plant, 1)
    assert 55 < plant.valve < 80  # on its way, not there yet
    run(plant, 10)
    assert plant.valve == pytest.approx(90.0, abs=0.5)


def test_running_feedback_follows_the_command_after_about_a_second(plant: Plant) -> None:
    plant.write("P102.Cmd", True)
    took = run_until(plant, lambda: plant.pumps["P102"].running, limit_s=3)
    assert 0.8 <= took <= 1.3


def test_dry_running_pump_trips_and_reset_clears_the_fault(plant: Plant) -> None:
    plant.write("FIC101.Auto", False)
    plant.write("FIC101.OP", 0.0)
    plant.level = 6.0
    run_until(plant, lambda: plant.pumps["P101"].fault, limit_s=120)
    pump = plant.values()
    assert plant.level < DRY_RUN_LEVEL + 0.5
    assert pump["P101.Fault"] and not pump["P101.Running"] and not pump["P101.Cmd"]
    run(plant, 5)
    assert plant.values()["FI102.PV"] < 0.5  # nothing pumps any more

    plant.write("P101.Reset", True)
    assert plant.values()["P101.Reset"]
    plant.step(0.1)
    values = plant.values()
    assert not values["P101.Fault"] and not values["P101.Reset"] and not values["P101.Running"]


def test_a_pump_in_auto_follows_the_tank_level_and_refuses_manual_commands(plant: Plant) -> None:
    plant.write("P102.Auto", True)
    plant.level = AUTO_START_LEVEL + 5
    run_until(plant, lambda: plant.pumps["P102"].running, limit_s=3)
    with pytest.raises(ValueError, match="P102 is in auto"):
        plant.write("P102.Cmd", False)
    plant.level = AUTO_STOP_LEVEL - 5
    run_until(plant, lambda: not plant.pumps["P102"].running, limit_s=3)
    plant.write("P102.Auto", False)
    plant.write("P102.Cmd", True)  # manual again: the operator's command counts
    run_until(plant, lambda: plant.pumps["P102"].running, limit_s=3)
    assert plant.values()["P102.Auto"] is False


def test_run_hours_accumulate_only_while_running(plant: Plant) -> None:
    before = {name: pump.run_hours for name, pump in plant.pumps.items()}
    run(plant, 360, dt=1.0)
    assert plant.pumps["P101"].run_hours - before["P101"] == pytest.approx(0.1, abs=1e-6)
    assert plant.pumps["P102"].run_hours == before["P102"]


def test_more_steam_heats_the_outlet_with_a_first_order_lag(plant: Plant) -> None:
    run(plant, 60, dt=1.0)
    start = plant.outlet_temp
    plant.write("E101.SteamValve", 80.0)
    run(plant, 45, dt=1.0)
    halfway = plant.outlet_temp
    run(plant, 400, dt=1.0)
    settled = plant.outlet_temp
    assert settled > start + 10
    assert start < halfway < settled
    assert (halfway - start) / (settled - start) == pytest.approx(1 - math.exp(-1), abs=0.1)


def test_overheat_fault_raises_the_joint_temperature_steadily(plant: Plant) -> None:
    plant.write("RC1.Fault.OverheatJoint", 3)
    temps = []
    for _ in range(6):
        run(plant, 10, dt=0.5)
        temps.append(plant.robot.joints[2].temp)
    rises = [b - a for a, b in zip(temps, temps[1:], strict=False)]
    assert all(0.7 < rise < 1.3 for rise in rises), rises  # about 1 °C per 10 s
    assert abs(plant.robot.joints[1].temp - 49.0) < 1.5  # the others stay put
    plant.write("RC1.Fault.OverheatJoint", 0)
    run(plant, 60, dt=0.5)
    assert plant.robot.joints[2].temp < temps[-1]


def test_overheated_robot_trips_and_restarts_only_when_cool(plant: Plant) -> None:
    plant.write("RC1.Fault.OverheatJoint", 1)
    run_until(plant, lambda: plant.robot.state == "Fault", limit_s=600, dt=1.0)
    assert plant.robot.joints[0].temp >= ROBOT_TRIP_C
    assert not plant.values()["RC1.Run"]
    with pytest.raises(ValueError, match="below"):
        plant.write("RC1.Run", True)
    plant.write("RC1.Fault.OverheatJoint", 0)
    cycles = plant.robot.cycle_count
    run(plant, 300, dt=1.0)
    assert plant.robot.cycle_count == cycles  # a tripped robot does not move
    plant.write("RC1.Run", True)
    assert plant.values()["RC1.State"] == "Running"


def test_torque_spike_exceeds_the_nominal_envelope_once(plant: Plant) -> None:
    joint = plant.robot.joints[1]
    plant.write("RC1.Fault.TorqueSpikeJoint", 2)
    above = []
    for _ in range(200):
        plant.step(0.1)
        above.append(abs(joint.torque) > 1.5 * joint.peak)
        assert plant.values()["RC1.Fault.TorqueSpikeJoint"] == 0
        assert abs(joint.torque) < 3 * joint.peak
    first = above.index(True)
    assert sum(above) == 5 and all(above[first : first + 5])  # one burst of 0.5 s
    assert max(abs(j.torque) / j.peak for j in plant.robot.joints if j is not joint) < 1.1


def test_refused_writes_name_the_reason(plant: Plant) -> None:
    with pytest.raises(ValueError, match="not writable"):
        plant.write("TK101.Level", 10.0)
    with pytest.raises(ValueError, match="joint 7"):
        plant.write("RC1.Fault.OverheatJoint", 7)
    with pytest.raises(ValueError, match="finite"):
        plant.write("FIC101.SP", math.nan)
    plant.write("FIC101.SP", 99.0)
    assert plant.values()["FIC101.SP"] == 30.0  # clamped to the setpoint high limit


def test_heartbeat_counts_seconds(plant: Plant) -> None:
    run(plant, 5)
    assert plant.values()["Sim.Heartbeat"] == 5


SWITCHES = ["FIC101.Auto", "P101.Cmd", "P102.Cmd", "P101.Reset", "RC1.Run"]
WRITES = st.one_of(
    st.tuples(st.sampled_from(["FIC101.SP", "FIC101.OP", "E101.SteamValve"]), st.floats(-50, 150)),
    st.tuples(st.sampled_from(SWITCHES), st.booleans()),
    st.tuples(st.sampled_from(["RC1.Fault.OverheatJoint", "RC1.Fault.TorqueSpikeJoint"]), st.integers(0, 6)),
)
ACTIONS = st.lists(st.one_of(WRITES, st.floats(0.05, 20.0)), max_size=15)


@settings(max_examples=40, deadline=None)
@given(start_level=st.floats(0, 100), actions=ACTIONS)
def test_any_command_sequence_keeps_the_plant_in_range(start_level: float, actions: list) -> None:
    plant = Plant(seed=2)
    plant.level = start_level
    for action in actions:
        if isinstance(action, float):
            plant.step(action)
        else:
            with contextlib.suppress(ValueError):  # refused writes are part of the game
                plant.write(*action)
        values = plant.values()
        assert 0.0 <= values["TK101.Level"] <= 100.0
        assert 0.0 <= values["FV101.Position"] <= 100.0
        for tag in TAGS:
            assert type(values[tag.name]) is PYTHON_TYPES[tag.dtype], tag.name
            if tag.dtype == "Double":
                assert math.isfinite(values[tag.name]), tag.name
