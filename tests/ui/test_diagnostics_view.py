"""The diagnostics view on the demo's models: grey while healthy, the advisory colour and the finding
when a model warns, the measurement beside the model and the findings from the journal."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from hmi.alarms import AlarmEngine, AlarmJournal
from hmi.diagnostics.monitor import DiagnosticsMonitor
from hmi.sim.faults import FaultKind
from hmi.sim.plant import Plant
from tests.engine.test_diagnostics import FOLDER, run
from ui import theme
from ui.diagnostics.dialog import ADVISORY, DiagnosticsWindow


def test_a_warning_model_stands_out_with_its_finding_trend_and_history(qtbot, tmp_path: Path):
    journal = AlarmJournal(tmp_path / "h.sqlite")
    engine = AlarmEngine({t.name: t.alarms for t in FOLDER.project.tags}, journal=journal)
    assets = {name: FOLDER.project.diagnostics[name].model_copy(deep=True) for name in ("J1", "J3")}
    for asset in assets.values():
        assert asset.thermal is not None
        asset.thermal.learn_s = 900
    monitor = DiagnosticsMonitor(assets, FOLDER.tags, engine)
    plant = Plant(seed=31)
    plant.inject(FaultKind.COOLING_LOSS, "J3", onset_in=1000, severity=0.8)
    run(plant, monitor, 1800, dt=1.0)
    assert engine.alarm("J3.THERMAL").active

    view = DiagnosticsWindow(monitor, journal)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)

    assert view.asset.currentText() == "Robot joint 1"
    assert view.health.text() == "Healthy"
    thermal = view.panels[0]
    assert thermal.state.text() == "Healthy" and theme.TEXT.name() in thermal.state.styleSheet()
    assert view.tabs.tabBar().tabTextColor(0) != ADVISORY

    view.show_asset("J3")
    assert view.asset.currentText() == "Robot joint 3"
    thermal = view.panels[0]
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == [
        "Thermal model",
        "Torque signature",
        "Sensor",
    ]
    assert thermal.state.text() == "Warning: cooling loss suspected"
    assert ADVISORY.name() in thermal.state.styleSheet()
    assert view.tabs.tabBar().tabTextColor(0) == ADVISORY
    assert view.health.text() == "1 model(s) warning"
    assert thermal.prediction.text().startswith("Prediction: HI in ~")
    assert (
        "Learned: time constant " in thermal.learned.text()
        and " s, rise at full load " in thermal.learned.text()
    )
    assert "Evidence: residual_K=" in thermal.learned.text()
    x, measured = thermal.measured.getData()
    _, expected = thermal.expected.getData()
    assert len(x) > 50 and measured[-1] > expected[-1] + 1.5  # hotter than the model expects
    assert thermal.limit.isVisible() and thermal.limit.value() == 1.5

    qtbot.waitUntil(lambda: view.history.rowCount() >= 1, timeout=5000)
    model = view.history
    row = [model.data(model.index(0, c), Qt.ItemDataRole.DisplayRole) for c in range(model.columnCount())]
    assert row[1:3] == ["Thermal model", "Raised"]
    assert row[3].startswith("Advisory — J3: cooling loss suspected") and "residual_K=" in row[4]
    view.close()
    journal.close()


def test_the_view_follows_the_models_a_warm_start_hands_over(qtbot):
    assets = {"J3": FOLDER.project.diagnostics["J3"].model_copy(deep=True)}
    assert assets["J3"].thermal is not None
    assets["J3"].thermal.learn_s = 900
    monitor = DiagnosticsMonitor(assets, FOLDER.tags)
    monitor.hold()
    view = DiagnosticsWindow(monitor, None)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    assert view.panels[0].state.text() == "Learning normal operation"
    warm = DiagnosticsMonitor(assets, FOLDER.tags)  # as if it had learned from the history
    run(Plant(seed=31), warm, 1000, dt=1.0)
    monitor.release(warm, {}, 1000.0)
    qtbot.waitUntil(lambda: view.panels[0].check is monitor.checks["J3"][0], timeout=3000)
    assert view.panels[0].state.text() == "Healthy" and view.tabs.count() == 3
    view.close()
