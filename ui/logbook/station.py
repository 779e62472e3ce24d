"""The logbook at the station: its menu, the note dialog opened from it and from screen items, and the
logbook window; writing is offered only to users who may (the engine checks again)."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from hmi.logbook import Logbook
from hmi.reports.schedule import shift_times
from hmi.runtime import Runtime
from hmi.security import Permission

from ..i18n import localized
from ..security.login import SessionControls
from .dialog import NoteDialog, NoteOpener
from .view import LogbookView


class LogbookControls(QObject):
    """`menu` for the main window, `opener` for screen items' context menus."""

    def __init__(
        self,
        runtime: Runtime,
        session: SessionControls,
        window: QMainWindow,
        *,
        moment: Callable[[], float | None],
        screen: Callable[[], str],
        replay: Callable[[float], None],
        trend: Callable[[str], None],
    ):
        super().__init__(window)
        self.runtime = runtime
        self.session = session
        self.window = window
        self.moment = moment
        """The moment a new note is about by default: the replayed one, else (None) now."""
        self.screen = screen
        self.replay = replay
        self.trend = trend
        self.logbook = Logbook(runtime.security, runtime.audit)
        self.opener = NoteOpener(self.refused, self.write)
        self.view: LogbookView | None = None
        folder = runtime.folder
        self.screens = {name: localized(s.title, s.titles) for name, s in folder.screens.items()}
        self.menu = QMenu(self.tr("&Logbook"), window)
        self.write_action = QAction(self.tr("Write shift &note…"), window, shortcut=QKeySequence("Ctrl+L"))
        self.write_action.triggered.connect(lambda: self.write(""))
        self.menu.addAction(self.write_action)
        show = QAction(self.tr("Shift &logbook…"), window, shortcut=QKeySequence("Ctrl+Shift+L"))
        show.setToolTip(self.tr("The notes of every shift, by shift and tag"))
        show.triggered.connect(self.show_logbook)
        self.menu.addAction(show)
        session.changed.connect(self._allow)
        self._allow()

    def refused(self) -> str | None:
        return self.session.refused(Permission.WRITE_SHIFT_NOTE)

    def write(self, tag: str = "") -> bool:
        """The note dialog about the moment shown (replayed or now), the current screen and `tag`."""
        if self.session.refuse(Permission.WRITE_SHIFT_NOTE):
            return False
        at = self.moment()
        dialog = NoteDialog(
            self.logbook,
            self.session.actor,
            self.screens,
            sorted(self.runtime.tags),
            time.time() if at is None else at,
            self.screen(),
            tag,
            self.window,
        )
        if not dialog.exec():
            return False
        self.window.statusBar().showMessage(self.tr("Note added to the shift logbook"), 5000)
        return True

    def show_logbook(self) -> None:
        if self.view is None:
            self.view = LogbookView(
                self.logbook,
                self.runtime.audit,
                self.runtime.storage,
                shift_times(self.runtime.folder),
                self.screens,
                self.window,
                write=lambda: self.write(""),
                replay=self.replay,
                trend=self.trend,
            )
            self.view.reload()
            self._allow()
        self.view.show()
        self.view.raise_()

    def close(self) -> None:
        if self.view is not None:
            self.view.stop()

    def _allow(self) -> None:
        refused = self.refused()
        self.write_action.setEnabled(refused is None)
        self.write_action.setToolTip(
            refused or self.tr("A note for the next shift, at a time, screen and tag")
        )
        if self.view is not None:
            self.view.write_button.setEnabled(refused is None)
            self.view.write_button.setToolTip(refused or "")
