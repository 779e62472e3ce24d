"""The setpoint dialog checks the entry against type and limits while the operator types."""

from PySide6.QtWidgets import QDialogButtonBox

from hmi.cli import DEMO_PROJECT
from hmi.project import load_project
from hmi.quality import Quality, Sample
from ui.dialogs import SetpointDialog


def test_setpoint_entry_outside_limits_cannot_be_confirmed(qtbot):
    tag = load_project(DEMO_PROJECT).tags["FIC101.SP"]
    dialog = SetpointDialog(tag, Sample(15.0, Quality.GOOD, 0.0))
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.entry.text() == "15"
    dialog.entry.clear()
    qtbot.keyClicks(dialog.entry, "75")
    assert not ok.isEnabled()
    assert "outside the write limits 0..30" in dialog.problem.text()
    dialog.entry.clear()
    qtbot.keyClicks(dialog.entry, "abc")
    assert "takes a number" in dialog.problem.text()
    dialog.entry.clear()
    qtbot.keyClicks(dialog.entry, "20.5")
    assert ok.isEnabled()
    assert dialog.value == 20.5
