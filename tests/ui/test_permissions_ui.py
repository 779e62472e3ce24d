"""What the operator sees of the permission path: confirmations in words, controls disabled up front
with who may, a supervisor's authorisation for one action, and quitting only with the right."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from hmi.project.model import Action, Item
from hmi.quality import Quality, Sample
from hmi.security.audit import search
from tests.support import PASSWORD, log_in
from ui import theme
from ui.alarms.summary import AlarmSummary
from ui.dialogs import SetpointDialog
from ui.main_window import MainWindow
from ui.screens.menu import TagMenu
from ui.screens.symbols.text import ValueItem
from ui.security.signature import SignDialog

from .screen_support import count, render
from .test_login import close, window_for
from .test_screen_live import bound_to, when_modal


def question_of(window: MainWindow, item: Item, action: Action) -> str:
    """The confirmation text an action asks (answered No: nothing is written)."""
    seen: dict[str, str] = {}

    def read(box: QMessageBox) -> None:
        seen["text"] = box.text()
        box.button(QMessageBox.StandardButton.No).click()

    when_modal(QMessageBox, read)
    window._act(item, action)
    return seen["text"]


def good(window: MainWindow, tag: str, value: object) -> None:
    window.runtime.table.update(tag, Sample(value, Quality.GOOD, time.time()))


def test_confirmations_name_the_object_the_action_in_words_and_old_to_new(qtbot, tmp_path: Path):
    window = window_for(qtbot, tmp_path)
    try:
        log_in(window.runtime.security, "operator", "otto")
        good(window, "P101.Cmd", True)
        pump = Item(type="pump", at=(0, 0), label="P-101")
        assert question_of(window, pump, Action(toggle="P101.Cmd")) == (
            "Stop pump P-101?\nPump P101 run command: on → off"
        )
        stop = Item(type="button", at=(0, 0), label="Start")
        good(window, "P101.Cmd", False)
        assert question_of(window, stop, Action(write="P101.Cmd", value=True)).startswith("Start ")
        assert question_of(window, stop, Action(write="P101.Cmd", value=True)).endswith(
            "Pump P101 run command: off → on"
        )

        good(window, "FIC101.SP", 20.0)
        asked: dict[str, str] = {}

        def enter(dialog: SetpointDialog) -> None:
            assert dialog.windowTitle() == "Change SP"
            dialog.entry.setText("25")
            when_modal(QMessageBox, lambda box: asked.update(text=box.text()) or box.reject())
            dialog.buttons.accepted.emit()
            dialog.reject()

        when_modal(SetpointDialog, enter)
        window._act(Item(type="value", at=(0, 0), label="SP"), Action(setpoint="FIC101.SP"))
        assert asked["text"] == "Change SP?\nInlet flow setpoint: 20 m³/h → 25 m³/h"
    finally:
        close(window)


def test_controls_a_viewer_may_not_use_are_disabled_up_front_with_who_may(qtbot, tmp_path: Path):
    window = window_for(qtbot, tmp_path)
    try:
        item = bound_to(window.view, "FIC101.SP", ValueItem)
        log_in(window.runtime.security, "operator", "otto")
        usable = count(render(item), theme.PIPE, 10)
        log_in(window.runtime.security, "viewer", "vera")
        assert count(render(item), theme.PIPE, 10) < usable / 2, "the entry box is drawn disabled"
        reason = window.ctx.refused(item.action())
        assert reason == (
            "vera (viewer) may not change values and start or stop equipment. "
            "Allowed for: operator, engineer, administrator."
        )
        opened: list[str] = []
        when_modal(SetpointDialog, lambda dialog: opened.append("dialog") or dialog.reject(), timeout=0.5)
        item.click()  # a dialog would have blocked here until answered
        assert opened == []

        menu = TagMenu(item)
        assert menu.operate is not None and not menu.operate.isEnabled()
        assert menu.operate.toolTip() == reason

        summary = AlarmSummary(window.runtime.alarms, lambda: "vera", window, window._refused_alarm_action)
        qtbot.addWidget(summary)
        assert not any(b.isEnabled() for b in summary.buttons["acknowledge"])
        assert "may not acknowledge alarms" in summary.buttons["acknowledge"][0].toolTip()
        assert window.banner.ack_refused

        log_in(window.runtime.security, "operator", "otto")
        summary.allow()
        assert all(b.isEnabled() for b in summary.buttons["acknowledge"] + summary.buttons["shelve"])
        assert not summary.buttons["remove_from_service"][0].isEnabled()
        assert "Allowed for: engineer, administrator." in summary.buttons["remove_from_service"][0].toolTip()
        assert window.ctx.refused(item.action()) is None and window.banner.ack_refused == ""
    finally:
        close(window)


def test_a_supervisor_authorises_one_action_of_a_viewer(qtbot, tmp_path: Path):
    window = window_for(qtbot, tmp_path)
    security = window.runtime.security
    try:
        log_in(security, "engineer", "sam")
        log_in(security, "viewer", "vera")
        action = Action(setpoint="FIC101.SP")
        assert window.ctx.refused(action) is not None

        def sign(dialog: SignDialog) -> None:
            assert dialog.windowTitle() == "Supervisor authorisation"
            dialog.name.setText("sam")
            dialog.password.setText("wrong-one-1")
            dialog.reason.setText("valve test")
            dialog.ok.click()
            assert dialog.isVisible() and "wrong user name or password" in dialog.problem.text()
            dialog.password.setText(PASSWORD)
            dialog.ok.click()

        when_modal(SignDialog, sign)
        assert window.session.authorise()
        assert window.ctx.refused(action) is None, "enabled for the one action"
        assert security.authorize("write", "vera")  # the action uses it up
        assert window.ctx.refused(action) is not None
        window.runtime.audit.flush()
        signed = search(window.runtime.audit.path, action="signed")[0].entry
        assert (signed.user, signed.new_value, signed.reason) == ("sam", "vera", "valve test")
    finally:
        close(window)


def test_quitting_asks_and_needs_the_right_to_quit(qtbot, tmp_path: Path):
    window = window_for(qtbot, tmp_path)
    security = window.runtime.security
    try:
        log_in(security, "operator", "otto")
        said: list[str] = []
        when_modal(QMessageBox, lambda box: said.append(box.text()) or box.accept())
        window.quit()
        assert window.isVisible()
        assert said == ["otto (operator) may not quit the HMI. Allowed for: engineer, administrator."]

        log_in(security, "engineer", "erik")
        no = QMessageBox.StandardButton.No
        when_modal(QMessageBox, lambda box: said.append(box.text()) or box.button(no).click())
        window.quit()
        assert window.isVisible() and said[-1].startswith("Quit OpenHMI?")

        when_modal(QMessageBox, lambda box: box.button(box.StandardButton.Yes).click())
        window.quit()
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
        window.runtime.audit.flush()
        rows = reversed(search(window.runtime.audit.path, action="quit"))
        quits = [(r.entry.user, r.entry.result) for r in rows]
        assert quits == [("otto", "refused"), ("erik", "ok")]
    finally:
        close(window)
