"""The robot screen's condition-monitoring section: each joint's health from its models, grey while all
is well, the advisory look and the time to HI for a joint that overheats, and one click to its
diagnostics."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from hmi.diagnostics.check import Level
from hmi.quality import Quality, Sample
from hmi.sim.faults import FaultKind
from hmi.sim.plant import Plant
from hmi.tags import TagTable
from tests.support import demo_project, free_port
from ui import theme
from ui.screens.symbols.health import HealthItem

from .screen_support import count, render
from .workstation_support import make_window_fixture  # noqa: F401 (the make_window fixture)

JOINTS = [f"J{n}" for n in range(1, 7)]


def feed(plant: Plant, table: TagTable, seconds: float) -> None:
    """Step the real plant model and hand its values to the tag table, as its connection does."""
    end = plant.time + seconds
    while plant.time < end:
        plant.step(1.0)
        for name, value in plant.values().items():
            if name in table:
                table.update(name, Sample(value, Quality.GOOD, plant.time))


def test_each_joint_shows_its_health_and_a_warning_one_its_cause_and_time_to_hi(
    qtbot, make_window, tmp_path: Path
):
    folder = demo_project(tmp_path, free_port())
    for asset in folder.project.diagnostics.values():
        if asset.thermal is not None:
            asset.thermal.learn_s = 900
    window = make_window(folder=folder)
    runtime = window.runtime
    window.resize(1600, 1000)
    window.show()
    window.show_screen("robot")
    qtbot.waitExposed(window)
    health = {i.asset: i for i in window.view.items_ if isinstance(i, HealthItem)}
    assert sorted(health) == JOINTS
    assert all(i.health is not None and i.health.level is Level.LEARNING for i in health.values())

    detach = runtime.diagnostics.attach(runtime.table)
    plant = Plant(seed=31)
    plant.inject(FaultKind.COOLING_LOSS, "J3", onset_in=1000, severity=0.8)
    feed(plant, runtime.table, 1800)
    detach()
    j3, j1 = health["J3"], health["J1"]
    qtbot.waitUntil(lambda: j3.health is not None and j3.health.level is Level.WARNING, timeout=5000)
    assert j3.health.causes == ("cooling loss suspected",)
    assert j3.time_words().startswith("HI in ~")
    assert "cooling loss suspected" in j3.toolTip()
    assert count(render(j3), theme.ALARM[4]) > 100  # the advisory frame and marker
    assert j1.health is not None and j1.health.level is not Level.WARNING
    assert j1.time_words() == "" and count(render(j1), theme.ALARM[4]) == 0  # grey: nothing abnormal

    button = next(
        i
        for i in window.view.items_
        if i.model.type == "button" and i.model.on_click and i.model.on_click.open_diagnostics == "J3"
    )
    at = window.view.mapFromScene(button.sceneBoundingRect().center())
    QTest.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    view = window.diagnostics
    assert view is not None
    qtbot.waitExposed(view)
    assert view.asset.currentData() == "J3"
    assert view.panels[0].state.text() == "Warning: cooling loss suspected"

    view.show_asset("J1")  # a click on a health item opens its asset too
    at = window.view.mapFromScene(j3.sceneBoundingRect().center())
    QTest.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert view.asset.currentData() == "J3"
