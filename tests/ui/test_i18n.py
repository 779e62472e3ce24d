"""Languages: with zh_CN the menus, alarm views, dialogs and Qt's own buttons speak Chinese."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import QDialogButtonBox

from hmi.alarms import AlarmState, Priority
from hmi.cli import DEMO_PROJECT
from hmi.project import load_project
from hmi.sim.control import PlantFault
from ui import i18n
from ui.alarms.model import AlarmTableModel, priority_text, state_text
from ui.diagnostics.faults import FaultsDialog, fault_words
from ui.dialogs import SetpointDialog

from .workstation_support import make_window_fixture  # noqa: F401 (the make_window fixture)


@pytest.fixture
def chinese(qapp):
    before = QLocale()
    locale = i18n.install(qapp, "zh_CN")
    yield locale
    i18n.install(qapp, "en")
    QLocale.setDefault(before)


def test_chinese_translation_loads(chinese):
    assert chinese.name() == "zh_CN"
    assert state_text(AlarmState.UNACK_ACTIVE) == "未确认"
    assert priority_text(Priority.CRITICAL) == "1 紧急"
    assert QCoreApplication.translate("Symbols", "FAULT") == "故障"


def test_main_window_menus_and_alarm_views_in_chinese(chinese, make_window):
    window = make_window()
    menus = [action.text() for action in window.menuBar().actions()]
    for menu in ("文件(&F)", "视图(&V)", "趋势(&T)", "报警(&A)", "帮助(&H)"):
        assert menu in menus
    alarms_menu = window.menuBar().actions()[menus.index("报警(&A)")].menu()
    alarm_items = [a.text() for a in alarms_menu.actions()]
    assert "报警汇总(&S)" in alarm_items and "喇叭消音(&S)" in alarm_items
    assert window.banner.ack_button.text() == "确认所示"
    assert window.connection_labels["plant"].text() in ("plant: 正在连接", "plant: 已停止")

    window.show_alarm_summary()
    summary = window.alarm_summary
    assert summary.windowTitle() == "报警汇总"
    model: AlarmTableModel = summary.model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == ["时间", "优先级", "位号"]
    header = summary.table.horizontalHeader()
    for column in range(model.columnCount()):
        assert header.sectionSize(column) >= header.sectionSizeHint(column), f"heading {column} not cut"
    assert summary.view.currentText() == "活动及未确认"


def test_qt_own_texts_and_dialogs_in_chinese(chinese, make_window):
    window = make_window()
    tag = window.runtime.tags["FIC101.SP"]
    dialog = SetpointDialog(tag, window.runtime.table.get(tag.name), window)
    assert dialog.windowTitle() == "修改 Inlet flow setpoint"  # the object as named in the project
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel.text() == "取消"  # from Qt's own qtbase_zh_CN.qm
    dialog.deleteLater()


def test_project_titles_follow_the_language(chinese, make_window, tmp_path: Path):
    root = tmp_path / "plant"
    shutil.copytree(DEMO_PROJECT, root)
    screen = root / "screens" / "pumps.yaml"
    text = screen.read_text(encoding="utf-8")
    screen.write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("titles:")), "utf-8"
    )
    window = make_window(folder=load_project(root))
    assert window.nav_buttons["overview"].text() == "工厂总貌"  # the demo's own Chinese titles
    assert window.title.text() == "工厂总貌"
    assert window.nav_buttons["pumps"].text() == load_project(root).screens["pumps"].title  # no variant


def test_engine_qualities_and_roles_in_chinese(chinese):
    from hmi.quality import COMM_FAILURE, Quality
    from ui.i18n import quality_text

    assert quality_text(Quality.BAD, f"{COMM_FAILURE}: timeout") == "坏值 (通信故障: timeout)"
    assert QCoreApplication.translate("Permissions", "operator") == "操作员"


def test_the_logged_in_user_s_role_is_named_in_the_language(chinese, make_window):
    from hmi.permissions import SYSTEM

    window = make_window()
    security = window.runtime.security
    security.add_user(SYSTEM, "admin", "administrator", "test-pass-1")
    security.add_user(SYSTEM, "anna", "operator", "test-pass-1")
    security.login("anna", "test-pass-1")
    window.session._update()
    assert window.session.label.text() == "用户：anna（操作员）"


def test_the_simulator_faults_tools_speak_chinese(chinese, make_window, qtbot):
    window = make_window()
    menus = {a.menu().objectName(): a.text() for a in window.menuBar().actions() if a.menu()}
    assert menus["ToolsMenu"] == "工具(&T)"
    dialog = FaultsDialog(window.runtime, window.session)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "仿真器故障"
    assert dialog.kind.itemText(0) == "冷却失效（缓慢发展）"
    assert dialog.clear_button.text() == "清除所有故障"
    cooling = PlantFault("cooling_loss", "J3", starts_in=0, progress=0.4, severity=0.8)
    assert fault_words(cooling) == "J3 上的冷却失效（缓慢发展）：已发展 40 %，严重度 0.80"
