"""Tools > Simulator faults… on the demo with its built-in simulator: refused with the reason for an
operator, an engineer injects a fault that reaches the tag stream and clears it again, all audited."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from hmi.runtime import Runtime
from hmi.security.audit import search
from hmi.sim.control import FaultRefused
from hmi.storage.sqlite import SqliteStorage
from tests.support import demo_project, free_port, log_in, wait_for
from ui.diagnostics.faults import FaultsDialog
from ui.main_window import MainWindow
from ui.settings import Settings


def simulator_faults(window: MainWindow):
    menu = next(
        a.menu() for a in window.menuBar().actions() if a.menu() and a.menu().objectName() == "ToolsMenu"
    )
    menu.aboutToShow.emit()
    return menu.actions()[0]


def test_faults_are_for_engineers_reach_the_plant_clear_again_and_are_audited(qtbot, loop, tmp_path: Path):
    folder = demo_project(tmp_path, free_port())
    folder.project.connections["plant"].simulator = True  # the built-in simulator, on a free port
    folder.project.connections["meter"].port = free_port()
    runtime = Runtime(folder, storage=SqliteStorage(tmp_path / "h.sqlite"))
    window = MainWindow(runtime, Settings.open(tmp_path / "s.ini"))
    qtbot.addWidget(window)

    async def scenario() -> None:
        await runtime.start()
        try:
            await wait_for(lambda: runtime.table.get("RC1.Fault.OverheatJoint").value == 0, what="the plant")
            action = simulator_faults(window)
            assert not action.isEnabled() and "Log in first" in action.toolTip()

            log_in(runtime.security, "operator")
            action = simulator_faults(window)
            assert not action.isEnabled()
            assert "operator (operator) may not inject and clear simulator faults" in action.toolTip()
            with pytest.raises(FaultRefused, match="may not inject"):
                runtime.inject_fault("cooling_loss", "J3", "operator")
            assert runtime.plant_faults is not None and not runtime.plant_faults.active()

            log_in(runtime.security, "engineer")
            action = simulator_faults(window)
            assert action.isEnabled()
            action.trigger()
            dialog = next(w for w in window.findChildren(FaultsDialog))
            qtbot.waitExposed(dialog)
            assert dialog.present.item(0).text() == "None: the plant is healthy"

            dialog.kind.setCurrentIndex(dialog.kind.findData("overheat"))
            assert not dialog.onset.isEnabled()  # an immediate fault has no onset
            dialog.target.setCurrentText("J3")
            dialog.inject_button.click()
            assert dialog.result.text() == "Injected: overheat on J3 at once"
            await wait_for(lambda: runtime.table.get("RC1.Fault.OverheatJoint").value == 3, what="the fault")

            dialog.kind.setCurrentIndex(dialog.kind.findData("cavitation"))
            assert [dialog.target.itemText(i) for i in range(dialog.target.count())] == ["P101", "P102"]
            dialog.onset.setValue(120)
            dialog.severity.setValue(0.6)
            dialog.inject_button.click()
            assert dialog.result.text().startswith(
                "Injected: cavitation on P101, onset in 120 s, severity 0.60"
            )
            rows = [dialog.present.item(i).text() for i in range(dialog.present.count())]
            assert rows == [
                "Pump cavitation (noisy flow) on P101: starts in 120 s, severity 0.60",
                "Overheat, at once on J3",
            ]

            dialog.clear_button.click()
            assert dialog.result.text() == "2 fault(s) cleared"
            assert dialog.present.item(0).text() == "None: the plant is healthy"
            await wait_for(lambda: runtime.table.get("RC1.Fault.OverheatJoint").value == 0, what="the clear")

            runtime.security.logout()
            qtbot.waitUntil(lambda: not dialog.inject_button.isEnabled())
            dialog.close()
        finally:
            window.close()
            await runtime.stop()

    loop.run_until_complete(asyncio.wait_for(scenario(), 60))
    seen = [
        (e.user, e.action, e.target, e.result)
        for e in (r.entry for r in reversed(search(runtime.audit.path)))
        if e.action in ("inject_fault", "clear_faults")
    ]
    assert seen == [
        ("operator", "inject_fault", "cooling_loss:J3", "refused"),
        ("engineer", "inject_fault", "overheat:J3", "ok"),
        ("engineer", "inject_fault", "cavitation:P101", "ok"),
        ("engineer", "clear_faults", "simulator", "ok"),
    ]
