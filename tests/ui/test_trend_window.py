"""A project trend in its window against the real simulator: live data, ad hoc pens, presets, offscreen."""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import numpy as np
import pytest
import qasync
import shiboken6
from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QApplication

from hmi.runtime import Runtime
from hmi.sim.server import SimulatorServer
from tests.support import demo_project, free_port, wait_for
from ui.trends import TrendWindow


def run_on_qt_loop(qapp: QApplication, scenario: Callable[[], Awaitable[None]]) -> None:
    """Run `scenario` on a fresh qasync loop, then close the loop and collect the garbage here.

    PySide crashes when cyclic garbage holding Qt objects (such as a closed loop's socket notifiers) is
    collected inside a later test's Qt loop; so collect before starting and after closing.
    """
    gc.collect()
    qapp.setQuitOnLastWindowClosed(False)  # closing the trend window must not end the loop
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(scenario())
    finally:
        loop.close()
        asyncio.set_event_loop(None)
        del loop
        gc.collect()


def drawn(window: TrendWindow, tag: str, t: float) -> int:
    """How many finite points of the pen's curve are newer than t."""
    x, y = window.view.curve(tag).getOriginalDataset()
    return 0 if x is None else int(np.count_nonzero((x > t) & np.isfinite(y)))


def test_live_values_from_the_simulator_reach_the_plot(qapp, tmp_path: Path):
    port = free_port()

    async def scenario() -> None:
        sim = SimulatorServer(port=port)
        await sim.start()
        folder = demo_project(tmp_path, port)
        runtime = Runtime(folder, start_simulator=False)
        window = TrendWindow(runtime, folder.project.trends["tank"])
        window.show()
        opened = time.time()
        await runtime.start()
        try:
            view = window.view
            assert [p.tag for p in view.pens] == ["TK101.Level", "FIC101.PV", "FIC101.SP"]
            assert window.windowTitle().startswith("Feed tank and inlet flow")
            await wait_for(lambda: drawn(window, "FIC101.PV", opened) >= 3, what="live flow drawn")
            x, y = view.curve("FIC101.PV").getOriginalDataset()
            assert y[-1] == pytest.approx(runtime.table.get("FIC101.PV").value)
            assert view.live and view.x_range()[1] == pytest.approx(time.time(), abs=1.5)

            window.add_tag("RC1.J1.Temp")  # the API behind "Trend" on a screen item
            window.panel.chooser.setText("TK101.Temp")
            window.panel.add_chosen()
            assert "unknown tag" in window.statusBar().currentMessage()
            window.panel.chooser.setText("RC1.J2.Temp")
            window.panel.add_chosen()
            assert [p.tag for p in view.pens][-2:] == ["RC1.J1.Temp", "RC1.J2.Temp"]
            await wait_for(lambda: drawn(window, "RC1.J2.Temp", opened) >= 1, what="added pen drawn")
            window.panel.table.selectRow(0)
            window.panel.remove_selected()
            assert "TK101.Level" not in [p.tag for p in view.pens]

            preset = next(a for a in window.findChildren(type(window.live_action)) if a.text() == "5 min")
            view.pan(-0.5)
            assert not view.live and not window.live_action.isChecked()
            preset.trigger()
            assert view.live and window.live_action.isChecked()
            assert view.x_range()[1] - view.x_range()[0] == pytest.approx(300, abs=1)
            start = QDateTime.currentDateTime().addSecs(-7200)
            window.start_edit.setDateTime(start)
            window.end_edit.setDateTime(start.addSecs(1800))
            window.show_custom_range()
            assert not view.live
            begin = start.toSecsSinceEpoch()
            assert view.x_range() == pytest.approx((begin, begin + 1800), abs=1)
            window.cursor_action.setChecked(True)
            window.delta_action.setChecked(True)
            assert not window.panel.table.isColumnHidden(view.model.DELTA)
        finally:
            window.close()
            await wait_for(lambda: not shiboken6.isValid(window), what="the closed window deleted")
            await runtime.stop()
            await sim.stop()

    run_on_qt_loop(qapp, scenario)
