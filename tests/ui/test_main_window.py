"""The main window on the demo project against the real simulator, offscreen."""

from __future__ import annotations

from pathlib import Path

from hmi.runtime import Runtime
from hmi.sim.server import SimulatorServer
from tests.support import demo_project, free_port, wait_for
from ui.main_window import MainWindow
from ui.screens.items import ValueItem


def value_item(window: MainWindow, tag: str) -> ValueItem:
    return next(
        i for i in window.view.items_ if isinstance(i, ValueItem) and i.model.bind.get("value") == tag
    )


def test_window_shows_live_values_and_bad_quality_when_the_server_goes(qtbot, loop, tmp_path: Path):
    port = free_port()

    async def scenario():
        sim = SimulatorServer(port=port)
        await sim.start()
        runtime = Runtime(demo_project(tmp_path, port), start_simulator=False)
        window = MainWindow(runtime)
        qtbot.addWidget(window)
        window.resize(1600, 960)
        window.show()
        await runtime.start()
        try:
            level = value_item(window, "TK101.Level")
            await wait_for(lambda: level.text() != "----" and not level.bad, what="level shown")
            assert level.units() == "%"
            flow = value_item(window, "FIC101.PV")
            cycles = value_item(window, "RC1.CycleCount")
            texts = {flow.text() + cycles.text()}
            await wait_for(
                lambda: texts.add(flow.text() + cycles.text()) or len(texts) >= 3,
                what="displayed values to change",
            )
            assert "plant: connected" in window.connection_labels["plant"].text()

            await sim.stop()
            await wait_for(lambda: level.bad, timeout=5, what="level drawn as bad quality")
            assert "comm failure" in level.toolTip()
            assert "lost" in window.connection_labels["plant"].text()
            assert window.connection_labels["plant"].objectName() == "ConnectionLost"
        finally:
            await runtime.stop()
            await sim.stop()
            window.close()

    loop.run_until_complete(scenario())
