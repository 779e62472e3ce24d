"""Tools > Simulator faults…: inject into the built-in plant simulator the faults `hmi sim --fault` knows,
while it runs, and clear them, for demos and training. Engineers and administrators only (the
inject_faults permission); the engine checks and audits each injection (Runtime.inject_fault).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QAction, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMenu,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hmi.errors import HmiError
from hmi.security import Permission
from hmi.sim import control
from hmi.sim.control import IMMEDIATE, PlantFault

from .. import theme
from ..i18n import QT_TRANSLATE_NOOP
from .words import tr

if TYPE_CHECKING:
    from hmi.runtime import Runtime

    from ..security.login import SessionControls

KIND_TEXT = {
    "cooling_loss": QT_TRANSLATE_NOOP("Diagnostics", "Cooling loss (develops slowly)"),
    "bearing_wear": QT_TRANSLATE_NOOP("Diagnostics", "Bearing wear (torque drifts over hours)"),
    "collision": QT_TRANSLATE_NOOP("Diagnostics", "Collision (one torque spike)"),
    "stuck_sensor": QT_TRANSLATE_NOOP("Diagnostics", "Stuck temperature sensor"),
    "cavitation": QT_TRANSLATE_NOOP("Diagnostics", "Pump cavitation (noisy flow)"),
    "overheat": QT_TRANSLATE_NOOP("Diagnostics", "Overheat, at once"),
    "spike": QT_TRANSLATE_NOOP("Diagnostics", "Torque spike, at once"),
}
RANDOM_ONSET = -1
"""The onset spin box's lowest value: a random time, as `hmi sim --fault` does."""


def simulated(runtime: Runtime) -> bool:
    """Whether the project runs on the built-in plant simulator (the demo): only then is there a menu."""
    return any(getattr(c, "simulator", False) for c in runtime.folder.project.connections.values())


def refused(runtime: Runtime, session: SessionControls) -> str | None:
    """Why the user may not inject faults now, in the user's language; None when they may."""
    if runtime.plant_faults is None:
        return QCoreApplication.translate(
            "Diagnostics",
            "No plant simulator runs inside this station: an outside one takes hmi sim --fault.",
        )
    return session.refused(Permission.INJECT_FAULTS)


def tools_menu(window: QMainWindow, runtime: Runtime, session: SessionControls) -> QMenu | None:
    """Tools with Simulator faults…, disabled with the reason for those who may not; None off the demo."""
    if not simulated(runtime):
        return None
    menu = QMenu(QCoreApplication.translate("Diagnostics", "&Tools"), window)
    menu.setToolTipsVisible(True)
    action = QAction(QCoreApplication.translate("Diagnostics", "Simulator &faults…"), window)
    dialog: list[FaultsDialog] = []

    def allow() -> None:
        reason = refused(runtime, session)
        action.setEnabled(reason is None)
        tip = reason or QCoreApplication.translate(
            "Diagnostics", "Inject faults into the simulated plant and clear them (demos, training)"
        )
        action.setToolTip(tip)
        action.setStatusTip(tip)

    def open_dialog() -> None:
        if not dialog:
            dialog.append(FaultsDialog(runtime, session, window))
        dialog[0].show()
        dialog[0].raise_()

    action.triggered.connect(open_dialog)
    session.changed.connect(allow)
    menu.aboutToShow.connect(allow)  # the simulator starts after the window is built
    allow()
    menu.addAction(action)
    menu.setObjectName("ToolsMenu")
    return menu


class FaultsDialog(QWidget):
    """Choose a fault, its asset, onset, severity and speed of development; inject; see and clear all."""

    def __init__(self, runtime: Runtime, session: SessionControls, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Tool)
        self.setWindowTitle(self.tr("Simulator faults"))
        self.runtime, self.session = runtime, session
        self.kind = QComboBox()
        for kind in control.KINDS:
            self.kind.addItem(tr(KIND_TEXT[kind]), kind)
        self.target = QComboBox()
        self.onset = QSpinBox(minimum=RANDOM_ONSET, maximum=3600, value=0, suffix=self.tr(" s"))
        self.onset.setSpecialValueText(self.tr("at a random time within 10 min"))
        self.severity = QDoubleSpinBox(minimum=0.1, maximum=1.0, singleStep=0.1, value=1.0, decimals=2)
        self.speed = QSpinBox(minimum=1, maximum=100, value=1, prefix="×")
        self.speed.setToolTip(self.tr("How many times faster than a real fault it develops"))
        form = QFormLayout()
        form.addRow(self.tr("Fault"), self.kind)
        form.addRow(self.tr("Asset"), self.target)
        form.addRow(self.tr("Starts in"), self.onset)
        form.addRow(self.tr("Severity"), self.severity)
        form.addRow(self.tr("Develops faster"), self.speed)
        self.inject_button = QPushButton(self.tr("Inject"))
        self.inject_button.clicked.connect(self.inject)
        self.clear_button = QPushButton(self.tr("Clear all faults"))
        self.clear_button.clicked.connect(self.clear)
        buttons = QHBoxLayout()
        buttons.addWidget(self.inject_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        self.result = QLabel(wordWrap=True)
        self.result.setObjectName("FaultResult")
        self.present = QListWidget()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        layout.addWidget(QLabel(self.tr("Faults in the plant")))
        layout.addWidget(self.present, 1)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self._timer = QTimer(self, interval=1000)
        self._timer.timeout.connect(self.refresh)
        session.changed.connect(self.refresh)
        self.resize(520, 460)
        self.refresh()

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.target.clear()
        self.target.addItems(list(control.targets(kind)))
        developing = kind not in IMMEDIATE
        for field in (self.onset, self.severity, self.speed):
            field.setEnabled(developing)

    def inject(self) -> None:
        kind, target = self.kind.currentData(), self.target.currentText()
        onset = self.onset.value()
        try:
            done = self.runtime.inject_fault(
                kind,
                target,
                self.session.actor,
                onset_in=None if onset == RANDOM_ONSET else float(onset),
                severity=self.severity.value(),
                acceleration=float(self.speed.value()),
            )
        except HmiError as exc:
            self._say(str(exc), problem=True)
        else:
            self._say(self.tr("Injected: %1").replace("%1", done))
        self.refresh()

    def clear(self) -> None:
        try:
            count = self.runtime.clear_faults(self.session.actor)
        except HmiError as exc:
            self._say(str(exc), problem=True)
        else:
            self._say(self.tr("%n fault(s) cleared", "", count))
        self.refresh()

    def _say(self, words: str, problem: bool = False) -> None:
        self.result.setText(words)
        self.result.setStyleSheet(f"color: {theme.ALARM[1].name()};" if problem else "")

    def refresh(self) -> None:
        """The buttons as the user may use them, and the faults now present."""
        reason = refused(self.runtime, self.session)
        for button in (self.inject_button, self.clear_button):
            button.setEnabled(reason is None)
            button.setToolTip(reason or "")
        if reason is not None:
            self._say(reason)
        faults = self.runtime.plant_faults
        rows = [fault_words(f) for f in faults.active()] if faults is not None else []
        rows = rows or [self.tr("None: the plant is healthy")]
        if [self.present.item(i).text() for i in range(self.present.count())] != rows:
            self.present.clear()
            self.present.addItems(rows)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt)
        self._timer.start()
        self.refresh()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt)
        self._timer.stop()
        super().hideEvent(event)


def fault_words(fault: PlantFault) -> str:
    """'Cooling loss (develops slowly) on J3: 40 % developed, severity 0.80', or when it starts."""
    what = (
        QCoreApplication.translate("Diagnostics", "%1 on %2")
        .replace("%1", tr(KIND_TEXT[fault.kind]))
        .replace("%2", fault.target)
    )
    if fault.kind in IMMEDIATE:
        return what
    if fault.starts_in > 0:
        state = QCoreApplication.translate("Diagnostics", "starts in %1 s").replace(
            "%1", f"{fault.starts_in:.0f}"
        )
    else:
        state = QCoreApplication.translate("Diagnostics", "%1 % developed").replace(
            "%1", f"{100 * fault.progress:.0f}"
        )
    severity = QCoreApplication.translate("Diagnostics", "severity %1").replace("%1", f"{fault.severity:.2f}")
    return (
        QCoreApplication.translate("Diagnostics", "%1: %2, %3")
        .replace("%1", what)
        .replace("%2", state)
        .replace("%3", severity)
    )
