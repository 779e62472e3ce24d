"""The alarm summary: every current alarm, sortable and filterable, with ack, shelve and service."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hmi.alarms import Alarm, AlarmEngine, AlarmError, AlarmState, Priority

from ..i18n import QT_TRANSLATE_NOOP
from .model import LIVE_STATES, AlarmTableModel, fix_columns, priority_text

VIEWS = {
    QT_TRANSLATE_NOOP("AlarmSummary", "Active and unacknowledged"): LIVE_STATES,
    QT_TRANSLATE_NOOP("AlarmSummary", "Unacknowledged"): frozenset(
        {AlarmState.UNACK_ACTIVE, AlarmState.RTN_UNACK}
    ),
    QT_TRANSLATE_NOOP("AlarmSummary", "Shelved"): frozenset({AlarmState.SHELVED}),
    QT_TRANSLATE_NOOP("AlarmSummary", "Suppressed"): frozenset({AlarmState.SUPPRESSED}),
    QT_TRANSLATE_NOOP("AlarmSummary", "Out of service"): frozenset({AlarmState.OUT_OF_SERVICE}),
    QT_TRANSLATE_NOOP("AlarmSummary", "All"): frozenset(AlarmState) - {AlarmState.NORMAL},
}
SHELVE_TIMES = {
    QT_TRANSLATE_NOOP("AlarmSummary", "15 min"): 900,
    QT_TRANSLATE_NOOP("AlarmSummary", "1 h"): 3600,
    QT_TRANSLATE_NOOP("AlarmSummary", "4 h"): 4 * 3600,
    QT_TRANSLATE_NOOP("AlarmSummary", "8 h"): 8 * 3600,
    QT_TRANSLATE_NOOP("AlarmSummary", "12 h"): 12 * 3600,
}


class AlarmSummary(QWidget):
    """A window of its own (it can live on a second monitor); `navigate(tag)` is the double-click."""

    navigate = Signal(str)

    def __init__(
        self,
        engine: AlarmEngine,
        actor: Callable[[], str],
        parent: QWidget | None = None,
        refused: Callable[[str], str | None] = lambda _action: None,
        ask: Callable[[str], bool] = lambda _action: True,
    ):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("Alarm summary"))
        self.engine = engine
        self.actor = actor
        self.refused = refused
        """Why the user may not do an alarm action now (its button is disabled with it), or None."""
        self.ask = ask
        """Asked before an action goes to the engine: False stops it (e.g. a signature not given)."""
        self.buttons: dict[str, list[QPushButton]] = {}
        self.model = AlarmTableModel(engine, self._accept, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        # Priority first, newest first within it: the engine's own order, kept by a stable sort.
        self.table.horizontalHeader().setSortIndicator(1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        fix_columns(self.table)
        self.table.doubleClicked.connect(self._go_to)

        self.views = {self.tr(name): states for name, states in VIEWS.items()}
        self.view = QComboBox()
        self.view.addItems(list(self.views))
        self.view.currentTextChanged.connect(lambda _: self.model.reload())
        self.priorities = {p: QCheckBox(priority_text(p)) for p in Priority}
        self.text = QLineEdit(placeholderText=self.tr("Filter by tag, area or message"))
        self.text.textChanged.connect(lambda _: self.model.reload())
        filters = QHBoxLayout()
        filters.addWidget(self.view)
        for box in self.priorities.values():
            box.setChecked(True)
            box.toggled.connect(lambda _: self.model.reload())
            filters.addWidget(box)
        filters.addWidget(self.text, 1)

        self.comment = QLineEdit(placeholderText=self.tr("Comment for the journal (optional)"))
        self.shelve_time = QComboBox()
        self.shelve_times = {self.tr(name): seconds for name, seconds in SHELVE_TIMES.items()}
        self.shelve_time.addItems(list(self.shelve_times))
        self.shelve_time.setCurrentIndex(1)  # 1 h
        actions = QHBoxLayout()
        for text, slot in (
            (self.tr("Acknowledge"), self.ack_selected),
            (self.tr("Acknowledge all shown"), self.ack_all_shown),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            actions.addWidget(button)
            self.buttons.setdefault("acknowledge", []).append(button)
        actions.addWidget(QLabel(self.tr("Shelve for")))
        actions.addWidget(self.shelve_time)
        for text, slot, permission in (
            (self.tr("Shelve"), self.shelve_selected, "shelve"),
            (self.tr("Unshelve"), self.unshelve_selected, "unshelve"),
            (self.tr("Out of service"), self.remove_selected, "remove_from_service"),
            (self.tr("Return to service"), self.return_selected, "return_to_service"),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            actions.addWidget(button)
            self.buttons.setdefault(permission, []).append(button)
        actions.addWidget(self.comment, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        self.resize(1200, 500)
        self.allow()

    def allow(self) -> None:
        """Each action's buttons enabled only for a user who may; the tooltip says who may."""
        for permission, buttons in self.buttons.items():
            reason = self.refused(permission)
            for button in buttons:
                button.setEnabled(reason is None)
                button.setToolTip(reason or "")

    def _accept(self, alarm: Alarm) -> bool:
        if not hasattr(self, "view"):
            return alarm.state in LIVE_STATES
        if alarm.state not in self.views[self.view.currentText()]:
            return False
        if not self.priorities[alarm.priority].isChecked():
            return False
        needle = self.text.text().strip().lower()
        return not needle or needle in alarm.id.lower() or needle in alarm.message.lower()

    def selected_ids(self) -> list[str]:
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        return [self.model.alarm_at(r).id for r in sorted(rows)]

    def _apply(self, action: Callable[..., list[str]], ids: list[str], **kw: object) -> None:
        if not ids or not self.ask(action.__name__):  # the engine's method is named for its permission
            return
        try:
            action(ids, self.actor(), self.comment.text().strip(), **kw)
        except AlarmError as exc:
            QMessageBox.warning(self, self.tr("Alarm action refused"), str(exc))
            return
        self.comment.clear()
        self.model.reload()  # show the result now, not a frame later

    def ack_selected(self) -> None:
        self._apply(self.engine.acknowledge, self.selected_ids())

    def ack_all_shown(self) -> None:
        self._apply(self.engine.acknowledge, [a.id for a in self.model.rows if a.blinking])

    def shelve_selected(self) -> None:
        duration = self.shelve_times[self.shelve_time.currentText()]
        self._apply(self.engine.shelve, self.selected_ids(), duration=duration)

    def unshelve_selected(self) -> None:
        self._apply(self.engine.unshelve, self.selected_ids())

    def remove_selected(self) -> None:
        self._apply(self.engine.remove_from_service, self.selected_ids())

    def return_selected(self) -> None:
        self._apply(self.engine.return_to_service, self.selected_ids())

    def _go_to(self, index: QModelIndex) -> None:
        self.navigate.emit(self.model.alarm_at(index.row()).tag)

    def closeEvent(self, event) -> None:  # noqa: ANN001
        self.model.close()
        super().closeEvent(event)
