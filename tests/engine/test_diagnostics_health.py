"""An asset's health at a glance (what the robot screen shows), and the click that opens an asset's
diagnostics: checked against the project's assets like every other reference."""

from __future__ import annotations

import shutil
from pathlib import Path

from hmi.cli import DEMO_PROJECT
from hmi.diagnostics.check import Level
from hmi.project.io import check_project
from hmi.sim.faults import FaultKind
from hmi.sim.plant import Plant
from tests.engine.test_diagnostics import THERMAL, monitor_of, run


def test_health_is_learning_then_healthy_then_the_warning_with_its_cause_and_time_to_hi():
    monitor = monitor_of(THERMAL)
    assert monitor.health("J3").level is Level.LEARNING
    plant = Plant(seed=11)
    plant.inject(FaultKind.COOLING_LOSS, "J3", onset_in=1000, severity=0.7)
    run(plant, monitor, 1000, dt=1.0)
    assert monitor.health("J3").level is Level.HEALTHY
    assert monitor.health("J3").time_to_hi is None  # no prediction while nothing is wrong
    while monitor.health("J3").level is not Level.WARNING:
        run(plant, monitor, 10, dt=1.0)
        assert plant.time < 4000, "the cooling loss is found"
    health = monitor.health("J3")
    assert health.causes == ("cooling loss suspected",)
    hi_at = plant.time + (health.time_to_hi or 0)
    assert health.time_to_hi is not None and health.time_to_hi > 60
    finding = monitor.findings[-1]
    assert finding.message.startswith("J3: cooling loss suspected, HI in ~")  # the words the alarm list has
    while plant.values()["RC1.J3.Temp"] < 60:
        run(plant, monitor, 10, dt=1.0)
    assert abs(plant.time - hi_at) < 0.5 * (hi_at - finding.ts) + 120  # the prediction was about right


def test_a_click_opening_an_unknown_asset_is_named_with_its_file_and_item(tmp_path: Path):
    root = tmp_path / "demo"
    shutil.copytree(DEMO_PROJECT, root)
    path = root / "templates" / "joint_health.yaml"
    path.write_text(
        path.read_text().replace("{open_diagnostics: '{joint}'}", "{open_diagnostics: 'X{joint}'}")
    )
    problems = check_project(root)[1]
    assert any(
        p.startswith("screens/robot.yaml: items[")
        and p.endswith(".on_click.open_diagnostics: unknown asset 'XJ1'")
        for p in problems
    ), problems
