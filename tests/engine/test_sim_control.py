"""Faults injected into a running plant and cleared again: the plant is as good as new afterwards."""

from __future__ import annotations

import pytest

from hmi.sim.control import FaultControl
from hmi.sim.faults import FaultError
from hmi.sim.plant import Plant


def test_cleared_faults_leave_the_plant_as_it_was_and_wrong_targets_are_refused():
    plant = Plant(seed=5)
    faults = FaultControl(plant)
    with pytest.raises(FaultError, match="cavitation strikes one of P101, P102, not 'J3'"):
        faults.inject("cavitation", "J3")
    with pytest.raises(FaultError, match="no fault kind 'melt'"):
        faults.inject("melt", "J3")
    faults.inject("cooling_loss", "J3", onset_in=0, severity=1.0, acceleration=30)
    faults.inject("stuck_sensor", "j2", onset_in=0)
    faults.inject("overheat", "J1")
    plant.step(120)
    assert [(f.kind, f.target) for f in faults.active()] == [
        ("cooling_loss", "J3"),
        ("stuck_sensor", "J2"),
        ("overheat", "J1"),
    ]
    hot = plant.values()["RC1.J3.Temp"]
    stuck = plant.values()["RC1.J2.Temp"]
    plant.step(10)
    assert plant.values()["RC1.J2.Temp"] == stuck

    assert faults.clear() == 3
    assert faults.active() == [] and plant.values()["RC1.Fault.OverheatJoint"] == 0
    plant.step(1)
    assert plant.values()["RC1.J2.Temp"] != stuck  # the transmitter reads again
    plant.step(1800)
    assert plant.values()["RC1.J3.Temp"] < hot - 2  # the joint cools back towards its normal 45 °C
    assert abs(plant.values()["RC1.J1.Temp"] - 38) < 2
