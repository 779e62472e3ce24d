"""The editor window: canvas in the middle, palette and screens on the left, inspector on the right,
tags, tag browser and problems below; menus and a toolbar for every command."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QFrame,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QToolBar,
    QWidget,
)

from hmi.permissions import refusal
from hmi.project import ProjectFolder
from hmi.security.errors import PermissionDenied
from hmi.security.service import Security, Session, open_security
from hmi.security.settings import Permission

from ..security.login import LoginDialog
from ..security.permissions import role_name
from .canvas import Canvas
from .commands import CanvasCommands
from .connections_dialog import ConnectionsDialog
from .document import Document
from .inspector import Inspector
from .new_project import NewProjectDialog
from .palette import Palette, new_item
from .preview import Preview
from .problems import ProblemsPanel
from .recovery import Autosave
from .screens_panel import ScreensPanel
from .tag_browser import TagBrowser
from .tag_table import TagTable

log = logging.getLogger(__name__)
Button = QMessageBox.StandardButton


class EditorWindow(QMainWindow):
    """Edits one project folder; `closed` once the window has closed (saved, discarded or nothing to do)."""

    closed = Signal()

    def __init__(
        self, folder: ProjectFolder, autosave_ms: int | None = None, security: Security | None = None
    ):
        super().__init__()
        self.document = Document(folder, parent=self)
        self.canvas = Canvas(self.document)
        self.commands = CanvasCommands(self.canvas)
        self.preview: Preview | None = None
        self.dialog: QDialog | None = None
        """The connections or new project dialog, while open."""
        self.successor: EditorWindow | None = None
        """The editor of the project File > New made (it replaces this one)."""
        self.security = security
        """The running station's session (Edit from the main window), else opened at the first save."""
        self._own_security = security is None
        self._unsubscribe: Callable[[], None] | None = None
        self.autosave = Autosave(self.document, *(() if autosave_ms is None else (autosave_ms,)))
        self.setCentralWidget(self.canvas)
        self.setDockNestingEnabled(True)
        self._docks()
        self._menus()
        self.commands.message.connect(self.say)
        self.screens.message.connect(self.say)
        self.document.changed.connect(self._update_title)
        self.document.undo.cleanChanged.connect(self._update_title)
        self.where = QLabel()
        self.statusBar().addPermanentWidget(self.where)
        self.user = QLabel()
        self.statusBar().addPermanentWidget(self.user)
        if security is not None:
            self._watch(security)
        self.canvas.target_changed.connect(self._target_changed)
        start = folder.project.start_screen
        if start in folder.screens or folder.screens:
            self.canvas.open("screen", start if start in folder.screens else next(iter(folder.screens)))
        self._update_title()

    # -- layout --------------------------------------------------------------------------------

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea, name: str) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _docks(self) -> None:
        self.symbols = Palette(self.document)
        self.symbols.place.connect(self.place)
        self.screens = ScreensPanel(self.document)
        self.screens.open_requested.connect(self.canvas.open)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.screens)
        left.addWidget(self.symbols)
        left.setSizes([360, 440])
        self._dock(self.tr("Screens and symbols"), left, Qt.DockWidgetArea.LeftDockWidgetArea, "left")
        self.inspector = Inspector(self.canvas)
        right = self._dock(
            self.tr("Properties"), self.inspector, Qt.DockWidgetArea.RightDockWidgetArea, "inspector"
        )
        self.problems = ProblemsPanel(self.document)
        self.problems.select_item.connect(self.show_item)
        self.tags = TagTable(self.document)
        self.tags.message.connect(self.say)
        self.problems.select_tag.connect(self._show_tag)
        bottom = self._dock(
            self.tr("Problems"), self.problems, Qt.DockWidgetArea.BottomDockWidgetArea, "problems"
        )
        self.tags_dock = self._dock(
            self.tr("Tags"), self.tags, Qt.DockWidgetArea.BottomDockWidgetArea, "tags"
        )
        self.tabifyDockWidget(bottom, self.tags_dock)
        self.browser = TagBrowser(self.document)
        self.browser.message.connect(self.say)
        # Scrolled: its search and details would otherwise make the bottom docks tall.
        scrolled = QScrollArea()
        scrolled.setWidgetResizable(True)
        scrolled.setFrameShape(QFrame.Shape.NoFrame)
        scrolled.setWidget(self.browser)
        browser = self._dock(
            self.tr("Server browser"), scrolled, Qt.DockWidgetArea.BottomDockWidgetArea, "browser"
        )
        self.tabifyDockWidget(self.tags_dock, browser)
        bottom.raise_()
        self._sized_docks = [(bottom, 230, Qt.Orientation.Vertical), (right, 340, Qt.Orientation.Horizontal)]

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Dock sizes only hold once the window has its own size: set them at the first show.
        for dock, size, orientation in self._sized_docks:
            self.resizeDocks([dock], [size], orientation)
        self._sized_docks = []

    def _action(
        self,
        menu_name: str,
        text: str,
        slot: Callable[[], object],
        key: str | QKeySequence.StandardKey | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if isinstance(key, QKeySequence.StandardKey):
            action.setShortcuts(key)
        elif key:
            action.setShortcut(QKeySequence(key))
        action.triggered.connect(lambda _=False: slot())
        self.menus[menu_name].addAction(action)
        return action

    def _menus(self) -> None:
        bar = self.menuBar()
        self.menus = {
            name: bar.addMenu(title)
            for name, title in (
                ("file", self.tr("&File")),
                ("edit", self.tr("&Edit")),
                ("arrange", self.tr("&Arrange")),
                ("view", self.tr("&View")),
            )
        }
        c = self.commands
        self.new_action = self._action(
            "file", self.tr("&New project from a server…"), self.new_project, QKeySequence.StandardKey.New
        )
        self.connections_action = self._action("file", self.tr("C&onnections…"), self.edit_connections)
        self.menus["file"].addSeparator()
        self.save_action = self._action("file", self.tr("&Save"), self.save, QKeySequence.StandardKey.Save)
        self.switch_action = self._action("file", self.tr("S&witch user…"), self.switch_user)
        self.preview_action = self._action("file", self.tr("&Preview"), self.start_preview, "F5")
        self.menus["file"].addSeparator()
        self._action("file", self.tr("&Close"), self.close, QKeySequence.StandardKey.Close)
        undo = self.document.undo.createUndoAction(self, self.tr("&Undo"))
        undo.setShortcuts(QKeySequence.StandardKey.Undo)
        redo = self.document.undo.createRedoAction(self, self.tr("&Redo"))
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.menus["edit"].addActions([undo, redo])
        self.menus["edit"].addSeparator()
        self._action("edit", self.tr("Cu&t"), c.cut, QKeySequence.StandardKey.Cut)
        self._action("edit", self.tr("&Copy"), c.copy, QKeySequence.StandardKey.Copy)
        self._action("edit", self.tr("&Paste"), c.paste, QKeySequence.StandardKey.Paste)
        self._action("edit", self.tr("&Duplicate"), c.duplicate, "Ctrl+D")
        self._action("edit", self.tr("De&lete"), c.delete, QKeySequence.StandardKey.Delete)
        self._action("edit", self.tr("Select &all"), c.select_all, QKeySequence.StandardKey.SelectAll)
        for edge, text in (
            ("left", self.tr("Align &left")),
            ("hcenter", self.tr("Align &centres horizontally")),
            ("right", self.tr("Align &right")),
            ("top", self.tr("Align &top")),
            ("vcenter", self.tr("Align centres &vertically")),
            ("bottom", self.tr("Align &bottom")),
        ):
            self._action("arrange", text, partial(c.align, edge))
        self.menus["arrange"].addSeparator()
        self._action("arrange", self.tr("Distribute &horizontally"), lambda: c.distribute("x"))
        self._action("arrange", self.tr("Distribute v&ertically"), lambda: c.distribute("y"))
        self.menus["arrange"].addSeparator()
        self._action("arrange", self.tr("Bring to &front"), lambda: c.order("top"), "Ctrl+Shift+]")
        self._action("arrange", self.tr("Bring &forward"), lambda: c.order("up"), "Ctrl+]")
        self._action("arrange", self.tr("Send back&ward"), lambda: c.order("down"), "Ctrl+[")
        self._action("arrange", self.tr("Send to bac&k"), lambda: c.order("bottom"), "Ctrl+Shift+[")
        self.menus["arrange"].addSeparator()
        self._action("arrange", self.tr("&Group (as a template)"), c.group, "Ctrl+G")
        self._action("arrange", self.tr("&Ungroup"), c.ungroup, "Ctrl+Shift+G")
        self.grid_action = self._action("view", self.tr("Show &grid"), lambda: None)
        self.grid_action.setCheckable(True)
        self.grid_action.setChecked(True)
        self.grid_action.toggled.connect(self.canvas.set_grid)
        self.snap_action = self._action("view", self.tr("&Snap to grid"), lambda: None)
        self.snap_action.setCheckable(True)
        self.snap_action.setChecked(True)
        self.snap_action.toggled.connect(lambda on: setattr(self.canvas, "snap_on", on))
        self._action(
            "view", self.tr("Zoom &in"), lambda: self.canvas.zoom_by(1.25), QKeySequence.StandardKey.ZoomIn
        )
        self._action(
            "view", self.tr("Zoom &out"), lambda: self.canvas.zoom_by(0.8), QKeySequence.StandardKey.ZoomOut
        )
        self._action("view", self.tr("&Fit screen"), self.canvas.fit, "Ctrl+0")
        self._toolbar(undo, redo)

    def _toolbar(self, undo: QAction, redo: QAction) -> None:
        tools = QToolBar(self.tr("Editor"), self)
        tools.setObjectName("tools")
        tools.setMovable(False)
        tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        tools.addActions([self.save_action, undo, redo])
        tools.addSeparator()
        tools.addAction(self.preview_action)
        tools.addSeparator()
        tools.addActions([self.grid_action, self.snap_action])
        self.grid_size = QSpinBox()
        self.grid_size.setRange(2, 100)
        self.grid_size.setValue(int(self.canvas.grid))
        self.grid_size.setSuffix(" px")
        self.grid_size.setToolTip(self.tr("Grid size"))
        self.grid_size.valueChanged.connect(self._set_grid_size)
        tools.addWidget(self.grid_size)
        self.addToolBar(tools)

    def _set_grid_size(self, size: int) -> None:
        self.canvas.grid = float(size)
        self.canvas.viewport().update()

    # -- behaviour -----------------------------------------------------------------------------

    def say(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _target_changed(self) -> None:
        kind, name = self.canvas.target
        self.screens.show_current(kind, name)
        self.where.setText(
            (self.tr("Screen: {0}") if kind == "screen" else self.tr("Template: {0}")).format(name)
        )

    def _update_title(self) -> None:
        self.setWindowTitle(
            self.tr("{0}{1} - OpenHMI Editor").format(
                self.document.folder.name, "*" if self.document.dirty else ""
            )
        )

    def place(self, payload: str) -> None:
        """A palette entry double-clicked: the new item goes to the middle of the visible area."""
        point = self.canvas.mapToScene(self.canvas.viewport().rect().center())
        items = self.canvas.model_items()
        item = new_item(
            payload, (self.canvas.snap(point.x()), self.canvas.snap(point.y())), self.document.folder
        )
        self.canvas.set_items(self.tr("Add {0}").format(item.type), [*items, item], select=[len(items)])

    def show_item(self, screen: str, index: int) -> None:
        if screen in self.document.folder.screens:
            self.canvas.open("screen", screen)
            self.canvas.select([index])

    def _show_tag(self, name: str) -> None:
        self.tags_dock.raise_()
        self.tags.select_tag(name)

    def save(self) -> bool:
        """Save as the logged-in user when this station has users (asking once), else without one. A
        user who may not save is offered to switch to one who may: the edits stay meanwhile."""
        actor = self._saving_user()
        if actor is None:
            self.say(self.tr("Not saved: log in as a user allowed to edit the project"))
            return False
        while True:
            try:
                written = self.document.save(actor)
                break
            except PermissionDenied as exc:
                if not (self.ask_switch_user(str(exc)) and self.switch_user(str(exc))):
                    self.say(self.tr("Not saved: {0}").format(exc))
                    return False
                actor = self.security.actor if self.security is not None else ""
            except OSError as exc:
                QMessageBox.critical(self, self.tr("Save failed"), str(exc))
                return False
        text = self.tr("Saved: {0}").format(", ".join(written)) if written else self.tr("No changes to save")
        if not actor:
            text += " " + self.tr("(no users on this station: saved without a login)")
        self.say(text)
        self._update_title()
        return True

    def _station_security(self) -> Security | None:
        """The station's users and session (opened the first time); None when the station has no
        users, and saves need no login."""
        if self.security is None:
            security = open_security(self.document.folder)
            if security.needs_first_user():
                if security.audit is not None:
                    security.audit.close()
                return None
            self.security = security
            self._watch(security)
        self.document.security = self.security
        return self.security

    def _saving_user(self) -> str | None:
        """'' when the station has no users; the user name after a login; None when the login was
        cancelled."""
        security = self._station_security()
        if security is None:
            return ""
        if not security.actor and not self.log_in(security):
            return None
        return security.actor

    def switch_user(self, why: str = "") -> bool:
        """Log in as another user (one who may save, say), the unsaved edits kept; False if cancelled."""
        security = self._station_security()
        if security is None:
            self.say(self.tr("This station has no users: saving needs no login"))
            return False
        if not self.log_in(security, why):
            return False
        self.say(self.tr("Logged in as {0}").format(security.actor))
        return True

    def log_in(self, security: Security, why: str = "") -> bool:
        intro = f"{why}\n{self.tr('Log in as a user who may save: your changes stay in the editor.')}"
        return bool(LoginDialog(security, self, intro=intro if why else "").exec())

    def save_refusal(self) -> str | None:
        """Why the logged-in user may not save the project (None: they may, or nobody is logged in yet
        and saving will ask for a login)."""
        security = self.security
        if security is None or not security.actor:
            return None
        return refusal(security.authorize, Permission.EDIT_PROJECT, security.actor)

    def ask_switch_user(self, reason: str) -> bool:
        """Saving was refused: True when the engineer chooses to switch to another user."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Not allowed to save"), reason, parent=self)
        box.setInformativeText(self.tr("Switch to a user who may save? Your changes stay in the editor."))
        switch = box.addButton(self.tr("Switch user…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(Button.Cancel)
        box.setDefaultButton(switch)
        box.exec()
        return box.clickedButton() is switch

    def _watch(self, security: Security) -> None:
        """Show who is logged in, in the status bar, as it changes."""
        self._unsubscribe = security.subscribe(self._show_user)
        self._show_user(security.session)

    def _show_user(self, session: Session | None) -> None:
        self.user.setText(
            self.tr("User: {0} ({1})").format(session.user, role_name(session.role))
            if session is not None
            else self.tr("Not logged in")
        )

    def edit_connections(self) -> None:
        """The connections dialog (not modal: trying a connection runs on the engine's loop)."""
        self.dialog = ConnectionsDialog(self.document, self._station_security(), self)
        self.dialog.open()

    def new_project(self) -> None:
        """File > New: the project made from a server opens in an editor of its own, and this one closes
        (asking about unsaved changes as usual)."""
        self.dialog = dialog = NewProjectDialog(self._station_security(), self)
        dialog.created.connect(lambda _root: self._open_new(dialog))
        dialog.open()

    def _open_new(self, dialog: NewProjectDialog) -> None:
        folder = dialog.folder
        if folder is None:
            return
        self.successor = EditorWindow(folder)
        self.successor.resize(self.size())
        self.successor.show()
        made = dialog.made
        text = self.tr("{0}: {1} tags, {2} screens, {3} trends").format(
            folder.root, len(folder.project.tags), len(folder.screens), len(folder.project.trends)
        )
        if made is not None and made.skipped:
            text += " " + self.tr("(%n node(s) left out: see the log)", "", len(made.skipped))
        self.successor.say(text)
        self.close()

    def start_preview(self) -> None:
        if self.preview is not None:
            self.preview.window.raise_()
            return
        self.preview = Preview(self.document, parent=self)
        self.preview.finished.connect(self._preview_done)
        self.preview.start()
        self.say(self.tr("Preview running: close its window to return to the editor"))

    def _preview_done(self) -> None:
        self.preview = None
        self.activateWindow()

    def offer_recovery(self) -> None:
        """After a crash: offer the autosaved unsaved changes of this project."""
        when = self.autosave.pending()
        if when is None:
            return
        if self.ask_recover(when):
            problems = self.autosave.restore()
            self.say(
                self.tr("Recovered unsaved changes") + (f" ({len(problems)} problems)" if problems else "")
            )
        else:
            self.autosave.discard()

    def ask_recover(self, when: datetime) -> bool:
        text = self.tr(
            "The editor closed with unsaved changes to this project (autosaved {0}). Recover them?"
        )
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Recover changes"),
            text.format(when.strftime("%Y-%m-%d %H:%M")),
            Button.Yes | Button.No,
            self,
        )
        return box.exec() == Button.Yes

    def ask_unsaved(self, refused: str | None = None) -> QMessageBox.StandardButton:
        """Save, Discard or Cancel; when the logged-in user may not save (`refused` says why), Save
        switches user first."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Unsaved changes"),
            self.tr("Save the changes to {0} before closing?").format(self.document.folder.name),
            Button.Save | Button.Discard | Button.Cancel,
            self,
        )
        if refused is not None:
            box.setInformativeText(
                refused + "\n" + self.tr("Switch to a user who may save, or discard the changes.")
            )
            box.button(Button.Save).setText(self.tr("Switch user and save…"))
        box.setDefaultButton(Button.Save)
        return Button(box.exec())

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.document.dirty:
            refused = self.save_refusal()
            answer = self.ask_unsaved(refused)
            saved = answer == Button.Save and (refused is None or self.switch_user(refused)) and self.save()
            if answer == Button.Cancel or (answer == Button.Save and not saved):
                event.ignore()
                return
        self.autosave.stop()
        self.autosave.discard()
        if self.preview is not None:
            self.preview.close()
        self.browser.close_soon()
        if self._unsubscribe is not None:
            self._unsubscribe()
        if self._own_security and self.security is not None and self.security.audit is not None:
            self.security.audit.close()
        super().closeEvent(event)
        self.closed.emit()
