"""Navigation pieces: history back/forward/home, a screen in a window of its own, zoom, operator mode."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMainWindow

from hmi.cli import DEMO_PROJECT
from hmi.project import load_project
from hmi.tags import TagTable
from ui.bridge import TagBridge
from ui.screens.navigation import Navigator, operator_mode_action
from ui.screens.window import ScreenWindow

from .screen_support import collect_qt_garbage, context

pytestmark = pytest.mark.usefixtures(collect_qt_garbage.__name__)


def test_history_goes_back_forward_and_home(qtbot):
    nav = Navigator("overview")
    asked: list[str] = []
    nav.requested.connect(asked.append)
    for name in ("overview", "pumps", "robot"):
        nav.visit(name)
    nav.visit("robot")  # the screen already shown: no new entry
    assert nav.history == ["overview", "pumps", "robot"]
    nav.back()
    nav.back()
    nav.back()  # nothing further back
    assert asked == ["pumps", "overview"] and nav.current == "overview"
    assert not nav.can_go_back() and nav.can_go_forward()
    nav.forward()
    nav.visit("robot")  # a new visit drops what was ahead
    nav.visit("overview")
    assert nav.history == ["overview", "pumps", "robot", "overview"] and not nav.can_go_forward()
    nav.back()
    nav.home()
    assert asked[-1] == "overview" and nav.current == "overview"


def test_a_screen_window_navigates_on_its_own_and_zooms(qtbot):
    folder = load_project(DEMO_PROJECT)
    table = TagTable(folder.tags)
    bridge = TagBridge(table)
    ctx = context(folder, table)
    ctx.bridge = bridge
    window = ScreenWindow("overview", folder.screens, ctx)  # deletes itself on close
    window.show()
    link = next(i for i in window.view.items_ if i.model.on_click and i.model.on_click.navigate == "robot")
    link.click()
    assert window.current == "robot" and window.windowTitle() == folder.screens["robot"].title
    assert len([i for i in window.view.items_ if i.model.type == "bar"]) == 12, "six joint panels of two bars"
    back, forward, home = window.navigator.actions(window)
    back.trigger()
    assert window.current == "overview" and window.chooser.currentData() == "overview"
    forward.trigger()
    assert window.current == "robot"
    home.trigger()
    assert window.current == "overview"

    view = window.view
    fitted = view.transform().m11()
    QTest.keyClick(view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom == 1.25 and abs(view.transform().m11() - fitted * 1.25) < 1e-6
    view.set_zoom(100)
    assert view.zoom == 8.0
    QTest.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom == 1.0 and abs(view.transform().m11() - fitted) < 1e-6
    window.close()
    bridge.close()


def test_operator_mode_is_full_screen_without_menus(qtbot):
    main = QMainWindow()
    qtbot.addWidget(main)
    main.menuBar().addMenu("&File")
    main.show()
    action = operator_mode_action(main)
    action.setChecked(True)
    assert main.windowState() & Qt.WindowState.WindowFullScreen
    assert main.menuBar().isHidden()
    action.setChecked(False)
    assert not main.windowState() & Qt.WindowState.WindowFullScreen
    assert not main.menuBar().isHidden()
