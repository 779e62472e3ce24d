"""The operator's main window: navigation, the live screen, connection state and messages."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDateTime, QLocale, QPoint, QRect, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hmi.alarms import AlarmError
from hmi.errors import WriteRefused
from hmi.expr import Expression
from hmi.opcua import ConnectionState, ConnectionStatus
from hmi.project import load_project
from hmi.project.model import Action, Item
from hmi.reports.schedule import shift_times
from hmi.runtime import Runtime
from hmi.security import Permission, PermissionDenied

from .alarms.banner import AlarmBanner
from .alarms.events_view import EventList
from .alarms.journal_view import AlarmHistory
from .alarms.kpi_view import AlarmKpiView
from .alarms.sound import Annunciator
from .alarms.summary import AlarmSummary
from .bridge import TagBridge
from .connections_view import ConnectionsDialog
from .diagnostics.dialog import DiagnosticsWindow
from .diagnostics.faults import tools_menu
from .dialogs import SetpointDialog, change_line, command_question, confirm
from .i18n import QT_TRANSLATE_NOOP, localized
from .logbook.station import LogbookControls
from .notifications import NotificationArea
from .replay.mode import ReplayMode
from .reports.dialog import reports_action
from .screens.items import ItemContext
from .screens.navigation import Navigator, add_nav_buttons, operator_mode_action
from .screens.view import ScreenView
from .screens.window import FaceplateWindow, ScreenWindow
from .security.login import SessionControls
from .security.permissions import action_permission
from .security.trust_dialog import CertificateNotice
from .settings import Settings
from .trends.window import TrendWindow
from .workstation import language_menu, show_about, theme_menu, zoom_menu

log = logging.getLogger(__name__)

STATE_TEXT = {
    ConnectionState.CONNECTING: QT_TRANSLATE_NOOP("MainWindow", "connecting"),
    ConnectionState.CONNECTED: QT_TRANSLATE_NOOP("MainWindow", "connected"),
    ConnectionState.STALE: QT_TRANSLATE_NOOP("MainWindow", "no updates"),
    ConnectionState.LOST: QT_TRANSLATE_NOOP("MainWindow", "lost"),
    ConnectionState.STOPPED: QT_TRANSLATE_NOOP("MainWindow", "stopped"),
}
TICKING_STATES = (ConnectionState.LOST, ConnectionState.STALE)
"""States whose text counts seconds (retry in, for) and that are drawn as a fault."""


class MainWindow(QMainWindow):
    closed = Signal()

    def __init__(self, runtime: Runtime, settings: Settings | None = None):
        super().__init__()
        self.runtime = runtime
        self.settings = settings or Settings.open()
        self.folder = runtime.folder
        self.setWindowTitle(f"{self.folder.name} — OpenHMI")
        self.bridge = TagBridge(runtime.table, self)
        self.ctx = ItemContext.for_runtime(
            runtime, self.bridge, self._act, trend=self.trend_tag, refused=self._refused_action
        )
        self.ctx.keep_clear = lambda: QRect(self.banner.mapToGlobal(QPoint(0, 0)), self.banner.size())
        self.view = ScreenView(self.bridge, self.ctx)
        self.navigator = Navigator(self.folder.project.start_screen, self)
        self.navigator.requested.connect(self.show_screen)
        self.trend_windows: list[TrendWindow] = []
        self._adhoc_trend: TrendWindow | None = None
        self.current = ""
        self._closing = False
        self._quit_granted = False
        self._tasks: set[asyncio.Task[Any]] = set()
        self.annunciator = Annunciator(runtime.alarms, parent=self)
        self.banner = AlarmBanner(runtime.alarms, self.annunciator)
        self.banner.open_summary.connect(self.show_alarm_summary)
        self.banner.acknowledge.connect(lambda ids: self._alarm_action(runtime.alarms.acknowledge, ids))
        self.alarm_summary: AlarmSummary | None = None
        self.alarm_history: AlarmHistory | None = None
        self.event_list: EventList | None = None
        self.alarm_kpis: AlarmKpiView | None = None
        self.diagnostics: DiagnosticsWindow | None = None
        self.editor: QMainWindow | None = None
        self.session = SessionControls(runtime, self)
        self.notes = LogbookControls(
            runtime,
            self.session,
            self,
            moment=lambda: self.replay.time,
            screen=lambda: self.current,
            replay=self.replay_at,
            trend=self.trend_tag,
        )
        self.ctx.note = self.notes.opener
        self.replay = ReplayMode(runtime, self.view, self.notes.logbook, self)
        self.replay.changed.connect(self._replay_changed)
        self.replay.message.connect(lambda text: self.statusBar().showMessage(text, 10000))

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._nav_bar())
        layout.addWidget(self.banner)
        layout.addWidget(self.session.notice)
        layout.addWidget(self.replay.bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.replay.frame, 1)
        self.setCentralWidget(central)
        self._menus()
        self._status_bar()
        self.show_screen(self.folder.project.start_screen)
        last = self.settings.last_screen(self.folder.root)
        if last in self.folder.screens:
            self.show_screen(last)
        self.restored = self.settings.restore_window(self)

    # -- layout --------------------------------------------------------------------------------

    def _nav_bar(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("NavBar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(8, 4, 8, 4)
        add_nav_buttons(self.navigator, self, row)
        self.title = QLabel()
        self.title.setObjectName("ScreenTitle")
        row.addWidget(self.title)
        self.nav = QButtonGroup(self)
        self.nav.setExclusive(True)
        self.nav_buttons: dict[str, QPushButton] = {}
        for name, screen in self.folder.screens.items():
            button = QPushButton(localized(screen.title, screen.titles))
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, n=name: self.show_screen(n))
            self.nav.addButton(button)
            self.nav_buttons[name] = button
            row.addWidget(button)
        row.addStretch(1)
        self.clock = QLabel()
        self.clock.setObjectName("Clock")
        row.addWidget(self.clock)
        return bar

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.edit_action = QAction(self.tr("&Edit project…"), self, shortcut=QKeySequence("Ctrl+E"))
        self.edit_action.setToolTip(self.tr("Open this project in the editor (engineers)"))
        self.edit_action.triggered.connect(self.open_editor)
        file_menu.addAction(self.edit_action)
        self.session.changed.connect(self._allow_edit)
        self.session.changed.connect(self._show_permissions)
        self._allow_edit()
        file_menu.addAction(reports_action(self, self.runtime))
        file_menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.quit)
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        second = QAction(self.tr("Open this screen in a &new window"), self, shortcut=QKeySequence("Ctrl+N"))
        second.triggered.connect(self.open_screen_window)
        view_menu.addAction(second)
        self.operator_mode = operator_mode_action(self)
        self.addAction(self.operator_mode)
        view_menu.addAction(self.operator_mode)
        connections = QAction(self.tr("&Connections…"), self)
        connections.setToolTip(self.tr("Each server's state, changes per second, reconnects and last error"))
        connections.triggered.connect(self.show_connections)
        view_menu.addAction(connections)
        diagnostics = QAction(self.tr("&Diagnostics…"), self)
        diagnostics.setToolTip(self.tr("Health of each asset: condition monitoring and its findings"))
        diagnostics.triggered.connect(lambda: self.show_diagnostics())
        view_menu.addAction(diagnostics)
        self.replay_action = QAction(self.tr("&Replay from history"), self, checkable=True)
        self.replay_action.setShortcut(QKeySequence("Ctrl+R"))
        self.replay_action.setToolTip(
            self.tr("Every screen as it was at a moment you choose, from the historian")
        )
        self.replay_action.toggled.connect(lambda on: self.replay.enter() if on else self.replay.leave())
        view_menu.addAction(self.replay_action)
        view_menu.addSeparator()
        view_menu.addMenu(theme_menu(self, self.settings))
        view_menu.addMenu(zoom_menu(self, self.settings))
        view_menu.addMenu(language_menu(self, self.settings, lambda text: self.statusBar().showMessage(text)))
        trends_menu = self.menuBar().addMenu(self.tr("&Trends"))
        for name, trend in self.folder.project.trends.items():
            action = QAction(localized(trend.title, trend.titles), self)
            action.triggered.connect(lambda _=False, n=name: self.open_trend(n))
            trends_menu.addAction(action)
        trends_menu.addSeparator()
        adhoc = QAction(self.tr("New &ad hoc trend"), self)
        adhoc.triggered.connect(
            lambda: self._show_trend(TrendWindow(self.runtime, parent=self, logbook=self.notes.logbook))
        )
        adhoc.setToolTip(self.tr("Right-click any value on a screen and choose Trend to add it"))
        trends_menu.addAction(adhoc)
        alarms_menu = self.menuBar().addMenu(self.tr("&Alarms"))
        for text, key, slot in (
            (self.tr("Alarm &summary"), "F2", self.show_alarm_summary),
            (self.tr("Alarm &history"), "F3", self.show_alarm_history),
            (self.tr("Server &events"), "F5", self.show_event_list),
            (self.tr("Alarm &performance (KPIs)"), "", self.show_alarm_kpis),
            (self.tr("&Silence horn"), "F4", self.annunciator.silence),
        ):
            action = QAction(text, self, shortcut=QKeySequence(key))
            action.triggered.connect(slot)
            alarms_menu.addAction(action)
        self.menuBar().addMenu(self.notes.menu)
        tools = tools_menu(self, self.runtime, self.session)
        if tools is not None:
            self.menuBar().addMenu(tools)
        self.menuBar().addMenu(self.session.menu)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About OpenHMI"), self)
        about.triggered.connect(lambda: show_about(self, self.runtime))
        help_menu.addAction(about)

    def _status_bar(self) -> None:
        bar = self.statusBar()
        self.notifications = NotificationArea(self)
        bar.addWidget(self.notifications)
        self.connection_labels: dict[str, QLabel] = {}
        self.connections_dialog: ConnectionsDialog | None = None
        self._detach: list[Callable[[], None]] = []
        for name, connection in self.runtime.connections.items():
            label = QLabel()
            self.connection_labels[name] = label
            bar.addPermanentWidget(label)
            self._detach.append(connection.on_status(lambda status, n=name: self._show_status(n, status)))
            self._show_status(name, connection.status)
            notice = CertificateNotice(connection, self, self.runtime.security)
            self._detach.append(notice.detach)
            bar.addPermanentWidget(notice)
        bar.addPermanentWidget(self.session.label)
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._every_second)
        self._tick.start(1000)
        self._every_second()

    # -- behaviour -----------------------------------------------------------------------------

    def show_screen(self, name: str) -> None:
        screen = self.folder.screens[name]
        self.view.show_screen(screen)
        self.replay.show_screen(screen)
        self.current = name
        self.navigator.visit(name)
        self.title.setText(localized(screen.title, screen.titles))
        self.nav_buttons[name].setChecked(True)

    def _allow_edit(self) -> None:
        """After every login, logout and signature: what the user may do shows enabled, nothing else."""
        self.edit_action.setEnabled(self.session.refused("edit_project") is None)
        refused = self._refused_alarm_action(Permission.ACKNOWLEDGE) or ""
        self.banner.ack_refused = refused
        tip = refused or self.tr("Acknowledge the unacknowledged alarms in the banner")
        self.banner.ack_button.setToolTip(tip)
        self.banner.ack_button.setEnabled(bool(self.banner.shown_ids()) and not refused)
        if self.alarm_summary is not None:
            self.alarm_summary.allow()

    def _refused_alarm_action(self, action: str) -> str | None:
        if self.replay.active:
            return self.replay.refusal
        return None if self.session.needs_signature(action) else self.session.refused(action)

    def open_editor(self) -> None:
        """The project from disk in the editor, saving as the logged-in user; the running screens
        keep what they loaded until the project is opened again."""
        if self.session.refuse("edit_project"):
            return
        from .editor.window import EditorWindow  # the editor's preview builds main windows itself

        self.editor = EditorWindow(load_project(self.folder.root), security=self.runtime.security)
        self.editor.show()
        note = self.tr("Saved changes take effect when the project is opened again")
        self.statusBar().showMessage(note, 10000)

    def replay_at(self, t: float) -> None:
        """The screens as they were at `t` (the logbook's 'Replay this moment')."""
        self.replay.enter(t)
        self.raise_()

    def _replay_changed(self, on: bool) -> None:
        """Writes and acknowledgements are refused during a replay: every control shows it up front."""
        self.replay_action.blockSignals(True)  # the action follows the mode, it does not start one
        self.replay_action.setChecked(on)
        self.replay_action.blockSignals(False)
        name = self.folder.name
        self.setWindowTitle(
            self.tr("%1 — REPLAY — OpenHMI").replace("%1", name) if on else f"{name} — OpenHMI"
        )
        self._allow_edit()
        self._show_permissions()

    def open_screen_window(self) -> None:
        """The current screen in a window of its own, e.g. for a second monitor."""
        ScreenWindow(self.current, self.folder.screens, self.ctx, self).show()

    def open_trend(self, name: str) -> None:
        self._show_trend(
            TrendWindow(self.runtime, self.folder.project.trends[name], self, self.notes.logbook)
        )

    def trend_tag(self, tag: str) -> None:
        """'Trend' on a screen item: add the tag to the newest ad hoc trend, or open one."""
        window = self._adhoc_trend
        if window is None or window not in self.trend_windows:
            window = self._adhoc_trend = TrendWindow(self.runtime, parent=self, logbook=self.notes.logbook)
            self._show_trend(window)
        try:
            window.add_tag(tag)
        except (KeyError, ValueError) as exc:
            self.statusBar().showMessage(self.tr("Cannot trend %s: %s") % (tag, exc), 8000)
        window.raise_()

    def _show_trend(self, window: TrendWindow) -> None:
        self.trend_windows.append(window)
        window.destroyed.connect(lambda _=None, w=window: self._forget_trend(w))
        window.show()

    def _forget_trend(self, window: TrendWindow) -> None:
        if window in self.trend_windows:
            self.trend_windows.remove(window)

    def show_alarm_summary(self) -> None:
        if self.alarm_summary is None:
            self.alarm_summary = AlarmSummary(
                self.runtime.alarms,
                lambda: self.session.actor,
                self,
                self._refused_alarm_action,
                lambda action: not self.session.refuse(action),
            )
            self.alarm_summary.navigate.connect(self.show_tag)
        self.alarm_summary.show()
        self.alarm_summary.raise_()

    def show_alarm_history(self) -> None:
        if self.alarm_history is None:
            self.alarm_history = AlarmHistory(self.runtime.journal, self)
        self.alarm_history.show()
        self.alarm_history.raise_()
        self.alarm_history.search()

    def show_event_list(self) -> None:
        if self.event_list is None:
            self.event_list = EventList(self.runtime.journal, self.runtime.events, self)
        self.event_list.show()
        self.event_list.raise_()

    def show_alarm_kpis(self) -> None:
        if self.alarm_kpis is None:
            project = self.folder.project
            self.alarm_kpis = AlarmKpiView(
                self.runtime.storage,
                project.alarm_settings,
                self,
                shifts=shift_times(self.folder),
                project=project.name,
            )
        self.alarm_kpis.show()
        self.alarm_kpis.raise_()
        self.alarm_kpis.refresh()

    def show_connections(self) -> None:
        if self.connections_dialog is None:
            self.connections_dialog = ConnectionsDialog(self.runtime, self)
        self.connections_dialog.show()
        self.connections_dialog.raise_()

    def show_diagnostics(self, asset: str | None = None) -> None:
        if self.diagnostics is None:
            self.diagnostics = DiagnosticsWindow(self.runtime.diagnostics, self.runtime.journal, self)
        if asset is not None:
            self.diagnostics.show_asset(asset)
        self.diagnostics.show()
        self.diagnostics.raise_()

    def show_tag(self, tag: str) -> None:
        """Go to the first screen that shows the tag (the alarm summary's double-click)."""
        for name, screen in self.folder.screens.items():
            if any(tag in Expression(text).names for item in screen.items for text in item.bind.values()):
                self.show_screen(name)
                self.raise_()
                return
        self.statusBar().showMessage(self.tr("No screen shows %s") % tag, 5000)

    def _alarm_action(self, action: Any, ids: list[str]) -> None:
        try:
            action(ids, self.session.actor)
        except AlarmError as exc:
            QMessageBox.warning(self, self.tr("Alarm action refused"), str(exc))

    def _show_status(self, name: str, status: ConnectionStatus) -> None:
        label = self.connection_labels[name]
        text = f"{name}: {self.tr(STATE_TEXT[status.state])}"
        if status.state is ConnectionState.LOST and status.retry_at is not None:
            text += self.tr(", retry in %n s", "", max(0, round(status.retry_at - time.time())))
        if status.state is ConnectionState.STALE and status.since is not None:
            text += self.tr(" for %n s", "", max(0, round(time.time() - status.since)))
        label.setText(text)
        label.setToolTip(status.detail)
        label.setObjectName("ConnectionLost" if status.state in TICKING_STATES else "")
        label.style().unpolish(label)
        label.style().polish(label)

    def _every_second(self) -> None:
        self.clock.setText(QLocale().toString(QDateTime.currentDateTime(), "ddd  yyyy-MM-dd  HH:mm:ss"))
        for name, connection in self.runtime.connections.items():
            if connection.status.state in TICKING_STATES:
                self._show_status(name, connection.status)

    def _show_permissions(self) -> None:
        """Another user: controls they may not use are drawn disabled, on every open screen."""
        for window in QApplication.topLevelWidgets():  # faceplates and screen windows too
            for view in window.findChildren(ScreenView):
                view.viewport().update()

    def _refused_action(self, action: Action | None) -> str | None:
        """Why the user may not do what a screen item's click does (shown up front), or None."""
        permission = action_permission(action)
        if permission is not None and self.replay.active:
            return self.replay.refusal
        if permission is None or self.session.needs_signature(permission):
            return None
        return self.session.refused(permission)

    def _object_name(self, item: Item, tag_name: str) -> str:
        """What the operator calls the thing acted on: the symbol's label, the faceplate's title, or
        the tag's description."""
        if item.label and item.type not in ("button", "value", "indicator", "label"):
            return item.label
        window = QApplication.activeWindow()
        if isinstance(window, FaceplateWindow) and window.windowTitle():
            return window.windowTitle()
        tag = self.runtime.tags[tag_name]
        return item.label or tag.description or tag.name

    def _act(self, item: Item, action: Action) -> None:
        permission = action_permission(action)
        if permission is not None and self.replay.active:
            self.statusBar().showMessage(self.replay.refusal, 10000)
            return
        if permission is not None and self.session.refuse(permission):
            return
        if action.navigate is not None:
            self.show_screen(action.navigate)
        elif action.setpoint is not None:
            tag = self.runtime.tags[action.setpoint]
            label = self._object_name(item, tag.name)
            dialog = SetpointDialog(tag, self.runtime.table.get(tag.name), self, label)
            if dialog.exec():
                self._write(tag.name, dialog.value)
        elif action.toggle is not None:
            tag = self.runtime.tags[action.toggle]
            now = bool(self.runtime.table.get(tag.name).value)
            question = command_question(item.type, self._object_name(item, tag.name), not now)
            if confirm(self, f"{question}\n{change_line(tag, now, not now)}"):
                self._write(tag.name, not now)
        elif action.trend is not None:
            self.open_trend(action.trend)
        elif action.open_diagnostics is not None:
            self.show_diagnostics(action.open_diagnostics)
        elif action.write is not None:
            tag = self.runtime.tags[action.write]
            name, old = self._object_name(item, tag.name), self.runtime.table.get(tag.name).value
            if isinstance(action.value, bool):
                verb = item.label if item.type == "button" else ""
                question = command_question(item.type, name, action.value, verb)
            else:
                question = self.tr("Change %1?").replace("%1", name)
            if confirm(self, f"{question}\n{change_line(tag, old, action.value)}"):
                self._write(action.write, action.value)

    def _write(self, tag: str, value: Any) -> None:
        task = asyncio.ensure_future(self._do_write(tag, value))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _do_write(self, tag: str, value: Any) -> None:
        try:
            result = await self.runtime.write(tag, value, self.session.actor)
        except WriteRefused as exc:
            self.statusBar().showMessage(self.tr("Not written: %s") % exc, 10000)
            QMessageBox.warning(self, self.tr("Write refused"), str(exc))
            return
        if result.confirmed:
            self.statusBar().showMessage(self.tr("{0} set to {1}").format(tag, value), 5000)
            return
        text = self.tr("{0}: written, but not confirmed: {1}").format(tag, result.problem)
        self.statusBar().showMessage(text, 10000)
        QMessageBox.warning(self, self.tr("Write not confirmed"), text)

    def bring_to_front(self) -> None:
        """A second launch on this project asked for this window (see ui/single_instance.py)."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def set_kiosk(self) -> None:
        """Kiosk: operator mode (full screen, no menus) with no way back to the engineering menus."""
        self.operator_mode.setChecked(True)  # shows the window full screen (set_operator_mode)
        self.operator_mode.setEnabled(False)

    def quit(self) -> None:
        """File > Quit: asks, and closes only for a user with the right to quit (engine-checked, audited)."""
        if self.may_quit():
            self.close()

    def may_quit(self) -> bool:
        """Confirmation, then the engine's check (a refusal in words, the signature if one is needed)."""
        if self._quit_granted:
            return True
        reason = self.session.refused(Permission.QUIT)
        if reason is not None and not self.session.needs_signature(Permission.QUIT):
            with contextlib.suppress(PermissionDenied):  # the engine's refusal goes into the audit trail
                self.runtime.security.quit(self.session.actor)
            QMessageBox.warning(self, self.tr("Not permitted"), reason)
            return False
        question = self.tr("Quit OpenHMI? This station stops showing the plant and its alarms.")
        if not confirm(self, question):
            return False
        if reason is not None and not self.session.sign_for(Permission.QUIT):
            return False
        try:
            self.runtime.security.quit(self.session.actor)
        except PermissionDenied as exc:
            QMessageBox.warning(self, self.tr("Not permitted"), str(exc))
            return False
        self._quit_granted = True
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        if event.spontaneous() and not self._closing and not self.may_quit():  # the window's close button
            event.ignore()
            return
        if self._closing:  # a second close (e.g. quit after the window was closed) finds nothing to free
            super().closeEvent(event)
            return
        self._closing = True
        for detach in self._detach:
            detach()
        if not self.operator_mode.isChecked():  # a full-screen kiosk would become the saved size
            self.settings.save_window(self, self.folder.root, self.current)
        self.notifications.close_handler()
        self._tick.stop()
        for window in list(self.trend_windows):
            window.close()
        self.replay.close()
        self.notes.close()
        self.ctx.close()
        self.bridge.close()
        self.banner.close_model()
        self.annunciator.close()
        self.session.close()
        for window in (
            self.alarm_summary,
            self.alarm_history,
            self.event_list,
            self.alarm_kpis,
            self.diagnostics,
            self.editor,
        ):
            if window is not None:
                window.close()
        super().closeEvent(event)
        self.closed.emit()
