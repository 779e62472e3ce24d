"""The main window on the demo project against the real simulator, offscreen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtTest import QTest

from hmi.runtime import Runtime
from hmi.sim.server import SimulatorServer
from tests.support import demo_project, free_port, wait_for
from ui.main_window import MainWindow
from ui.screens.items import ValueItem
from ui.screens.window import FaceplateWindow, place_beside


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


def test_a_faceplate_opens_beside_its_object_and_never_over_the_alarm_banner(qtbot, tmp_path: Path):
    runtime = Runtime(demo_project(tmp_path, free_port()), start_simulator=False)
    window = MainWindow(runtime)
    qtbot.addWidget(window)
    window.resize(800, 800)
    window.show()
    qtbot.waitExposed(window)
    pump = next(i for i in window.view.items_ if i.model.type == "pump" and "P101.Running" in i.tag_names())
    at = window.view.mapFromScene(pump.sceneBoundingRect().center())
    QTest.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    faceplate = next(w for w in window.ctx.popups.values() if isinstance(w, FaceplateWindow))
    qtbot.waitExposed(faceplate)
    placed = faceplate.frameGeometry()
    banner = QRect(window.banner.mapToGlobal(QPoint(0, 0)), window.banner.size())
    on_view = window.view.mapFromScene(pump.sceneBoundingRect()).boundingRect()
    symbol = QRect(window.view.viewport().mapToGlobal(on_view.topLeft()), on_view.size())
    assert not placed.intersects(banner), "the alarm banner stays in sight"
    assert not placed.intersects(symbol), "the pump clicked stays in sight"
    window.close()


def test_faceplate_placement_prefers_the_right_then_the_left_and_stays_on_the_screen():
    area, banner = QRect(0, 0, 1920, 1080), QRect(0, 60, 1920, 100)
    size = QSize(300, 400)
    right = place_beside(size, QRect(400, 500, 60, 60), area, banner)
    assert right == QPoint(400 + 60 - 1 + 12, 500)  # QRect.right() is the last pixel inside
    left = place_beside(size, QRect(1700, 500, 60, 60), area, banner)
    assert left == QPoint(1700 - 12 - 300, 500)
    high = place_beside(size, QRect(400, 170, 60, 60), area, banner)
    assert high.y() >= banner.bottom() + 1, "pushed below the banner, not over it"
    low = place_beside(size, QRect(400, 1000, 60, 60), area, banner)
    assert QRect(low, size).bottom() <= area.bottom(), "kept on the screen"
