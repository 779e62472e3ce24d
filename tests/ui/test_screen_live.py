"""Screens against the real simulator: live bindings, templates, setpoints, faceplates, bad quality."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from hmi.errors import WriteRefused
from hmi.runtime import Runtime
from hmi.sim.server import SimulatorServer
from tests.support import demo_project, free_port, log_in, wait_for
from ui.dialogs import SetpointDialog
from ui.main_window import MainWindow
from ui.screens.context import ItemContext
from ui.screens.items import ScreenItem
from ui.screens.menu import TagMenu
from ui.screens.symbols.text import SetpointItem, ValueItem
from ui.screens.view import ScreenView
from ui.screens.window import FaceplateWindow

from .screen_support import magenta, render


def bound_to(view: ScreenView, tag: str, kind: type[ScreenItem] = ValueItem) -> ScreenItem:
    return next(i for i in view.items_ if type(i) is kind and tag in i.tag_names())


def click(view: ScreenView, item: ScreenItem, at: QPointF) -> None:
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(item.mapToScene(at)))


def when_modal(kind: type, respond: Callable[[Any], None], timeout: float = 5.0) -> None:
    """Call respond(widget) as soon as a modal widget of this kind is up (a modal dialog blocks the test)."""
    deadline = time.monotonic() + timeout

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind):
            respond(widget)
        elif time.monotonic() < deadline:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def enter_setpoint(dialog: SetpointDialog, outcome: dict) -> None:
    """Inside the modal setpoint dialog: try a value outside the limits, then one inside, and confirm."""
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.entry.setText("75")
    outcome["refused"] = not ok.isEnabled() and "outside the write limits" in dialog.problem.text()
    dialog.entry.setText("22.5")
    when_modal(QMessageBox, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    ok.click()


def test_pump_station_follows_the_simulator(qtbot, loop, tmp_path: Path):
    port = free_port()

    async def scenario():
        sim = SimulatorServer(port=port)
        await sim.start()
        runtime = Runtime(demo_project(tmp_path, port), start_simulator=False)
        log_in(runtime.security)
        window = MainWindow(runtime)
        qtbot.addWidget(window)
        trended: list[str] = []
        ctx = ItemContext.for_runtime(runtime, window.bridge, window._act, trend=trended.append)
        view = ScreenView(window.bridge, ctx)
        qtbot.addWidget(view)
        view.resize(1600, 900)
        view.show()
        view.show_screen(runtime.folder.screens["pumps"])
        await runtime.start()
        try:
            hours = [bound_to(view, "P101.RunHours"), bound_to(view, "P102.RunHours")]
            await wait_for(lambda: not any(h.bad for h in hours), what="run hours of both pumps")
            assert hours[0].text() != hours[1].text(), "two instances of one template, two pumps"
            pv = bound_to(view, "FIC101.PV")
            seen: set[str] = set()
            await wait_for(lambda: seen.add(pv.text()) or len(seen) >= 3, what="the flow to follow the plant")

            menu = TagMenu(pv)
            texts = [a.text() for a in menu.actions()]
            assert "Node: ns=2;s=FIC101.PV" in texts and any(t.startswith("Quality: Good") for t in texts)
            next(a for a in menu.actions() if a.text() == "Trend FIC101.PV").trigger()
            assert trended == ["FIC101.PV"]

            sp = bound_to(view, "FIC101.SP", SetpointItem)
            outcome: dict = {}
            when_modal(SetpointDialog, lambda dialog: enter_setpoint(dialog, outcome))
            click(view, sp, sp.box().center())
            assert outcome == {"refused": True}
            await wait_for(
                lambda: runtime.table.get("FIC101.SP").value == 22.5, what="the setpoint in the plant"
            )
            with pytest.raises(WriteRefused):
                await runtime.write("FIC101.SP", 75, "operator")

            pump = next(i for i in view.items_ if i.model.type == "pump" and "P102.Running" in i.tag_names())
            click(view, pump, pump.body.center())
            faceplate = next(w for w in ctx.popups.values() if isinstance(w, FaceplateWindow))
            assert faceplate.windowTitle() == "Pump P-102"
            inside = bound_to(faceplate.view, "P102.RunHours")
            await wait_for(lambda: inside.text() == hours[1].text(), what="the faceplate's live value")

            await sim.stop()
            bound = [i for i in view.items_ if i.tag_names()]
            await wait_for(lambda: all(i.bad for i in bound), timeout=5, what="every bound item to turn bad")
            assert all(magenta(render(i)) > 20 for i in bound)
        finally:
            ctx.close()
            await runtime.stop()
            await sim.stop()
            view.close_view()
            window.close()

    loop.run_until_complete(scenario())
