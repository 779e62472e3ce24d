"""File > New: a project from a server in two steps. Where and which server (security and the trust
flow included); then pick variables and whole folders in the server browser, and the project is made:
tags, alarms from the server's limits, a starter screen and a trend per folder, checked as written.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from pathlib import Path

from pydantic import ValidationError
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hmi.errors import HmiError, ProjectError
from hmi.opcua.survey import survey
from hmi.project import ProjectFolder, starter
from hmi.project.io import check_project
from hmi.project.layout import Rect
from hmi.project.model import Item, Project, Tag
from hmi.security.service import Security

from ..security.trust_dialog import TrustDialog
from ..security.users_view import PROBLEM_STYLE, problem_label
from .connections_dialog import ConnectionForm, connect_trusting, problem_text, station_pki
from .document import Document
from .still import preview_context, still_item
from .tag_browser import TagBrowser

log = logging.getLogger(__name__)


def measure(folder: ProjectFolder) -> starter.Measure:
    """What the runtime draws of an item (its extent, labels and readings included), relative to `at`."""
    contexts: dict[int, object] = {}

    def extent(item: Item, tags: Mapping[str, Tag]) -> Rect:
        ctx = contexts.setdefault(id(tags), preview_context(folder, dict(tags)))
        rect = still_item(item, ctx).rect()  # type: ignore[arg-type]
        return rect.x(), rect.y(), rect.width(), rect.height()

    return extent


class NewProjectDialog(QDialog):
    """Two pages: the folder and the server, then the nodes to take. `created(root)` once written."""

    created = Signal(Path)

    def __init__(self, security: Security | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("New project from a server"))
        self.security = security
        self.trust_dialog: TrustDialog | None = None
        self.folder: ProjectFolder | None = None
        """The project written, once it is."""
        self.made: starter.Plan | None = None
        self._task: asyncio.Task[object] | None = None

        self.location = QLineEdit(placeholderText=self.tr("a new or empty folder"))
        choose = QPushButton(self.tr("Choose…"))
        choose.clicked.connect(self._choose_folder)
        where = QHBoxLayout()
        where.addWidget(self.location, 1)
        where.addWidget(choose)
        self.name = QLineEdit(placeholderText=self.tr("the folder's name"))
        self.server = ConnectionForm()
        self.server.name.setText("plant")
        self.server.endpoint.setText("opc.tcp://127.0.0.1:48400")
        intro = QLabel(
            self.tr(
                "Make a project from what an OPC-UA server offers: its variables become tags with their "
                "units, ranges and limits, and every folder you pick a screen and a trend."
            ),
            wordWrap=True,
        )
        form = self.server.form
        form.insertRow(0, self.tr("Project folder"), where)
        form.insertRow(1, self.tr("Project name"), self.name)
        form.insertRow(2, QLabel(self.tr("<b>Server</b>")))
        first = QWidget()
        first_layout = QVBoxLayout(first)
        first_layout.addWidget(intro)
        first_layout.addWidget(self.server)
        first_layout.addStretch(1)

        self.browser: TagBrowser | None = None
        self.second = QWidget()
        self.range_alarms = QCheckBox(self.tr("Alarm when a value leaves its engineering range"))
        self.range_alarms.setToolTip(
            self.tr("For variables without limit alarms of their own on the server (low priority)")
        )
        self.range_alarms.setChecked(True)
        hint = QLabel(
            self.tr(
                "Select variables and whole folders (Ctrl or Shift for more). Each folder becomes a screen "
                "of its values and a trend."
            ),
            wordWrap=True,
        )
        second = QVBoxLayout(self.second)
        second.addWidget(hint)
        second.addWidget(self.range_alarms)

        self.pages = QStackedWidget()
        self.pages.addWidget(first)
        self.pages.addWidget(self.second)
        self.problem = problem_label()
        self.back_button = QPushButton(self.tr("Back"))
        self.next_button = QPushButton(self.tr("Connect"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.back_button.clicked.connect(self._back)
        self.next_button.clicked.connect(self._next)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.problem, 1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self.next_button.setDefault(True)
        self._page(0)
        self.resize(980, 760)

    # -- pages -----------------------------------------------------------------------------------

    def _page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.back_button.setVisible(index > 0)
        self.next_button.setText(self.tr("Connect") if index == 0 else self.tr("Create project"))

    def _choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Project folder"), self.location.text())
        if path:
            self.location.setText(path)

    def _say(self, text: str, problem: bool = True) -> None:
        self.problem.setStyleSheet(PROBLEM_STYLE if problem else "")
        self.problem.setText(text)

    def _back(self) -> None:
        if self.browser is not None:
            self.browser.close_soon()
        self._page(0)

    def _next(self) -> None:
        if self._task is not None and not self._task.done():
            return
        work = self.connect_server() if self.pages.currentIndex() == 0 else self.create()
        self._task = asyncio.ensure_future(work)

    def root(self) -> Path | None:
        text = self.location.text().strip()
        return Path(text).expanduser() if text else None

    # -- connecting ------------------------------------------------------------------------------

    async def connect_server(self) -> bool:
        """Try the server (the trust flow if its certificate is new), then show it in the browser."""
        root = self.root()
        if root is None:
            self._say(self.tr("Choose a folder for the project"))
            return False
        if root.exists() and (not root.is_dir() or any(root.iterdir())):
            self._say(self.tr("{0} is not empty: a new project needs a new or empty folder").format(root))
            return False
        name = self.server.connection_name() or "plant"
        try:
            config = self.server.config()
        except ValidationError as exc:
            self._say(problem_text(exc))
            return False
        self._say(self.tr("Connecting to {0}…").format(config.endpoint), problem=False)
        self.next_button.setEnabled(False)
        try:
            probe = await connect_trusting(config, name, self, self.security, self.server.password.text)
            await probe.close()
        except HmiError as exc:
            self._say(str(exc))
            return False
        finally:
            self.next_button.setEnabled(True)
        self.server.keep_password()
        skeleton = ProjectFolder(
            root,
            Project(name=self.name.text().strip() or root.name, start_screen="", connections={name: config}),
            {},
        )
        if self.browser is not None:
            self.browser.close_soon()
            self.browser.deleteLater()
        self.browser = TagBrowser(Document(skeleton, parent=self))
        self.browser.pki = station_pki(self.security)
        password = self.server.password.text()
        self.browser.credentials = lambda _c, _u: password or None
        self.browser.add_button.hide()  # every variable picked becomes a tag: no adding one by one
        self.browser.status.hide()  # its words are for dragging: this dialog says what picking does
        self.browser.message.connect(self._picked)
        self.second.layout().insertWidget(1, self.browser, 1)
        if not await self.browser.connect_server():
            self._say(self.browser.status.text())
            return False
        self._say("", problem=False)
        self._page(1)
        return True

    def _picked(self, text: str) -> None:
        browser = self.browser
        if browser is None or browser.browser is None or not browser.ready:
            self._say(text, problem=False)
            return
        count = len(browser.tags_for(browser.variables(browser.selected_nodes())))
        self._say(self.tr("%n variable(s) selected: each becomes a tag", "", count), problem=False)

    # -- making the project -----------------------------------------------------------------------

    async def create(self) -> ProjectFolder | None:
        """Read what was picked in full, make the project, write it and check it as `hmi check` does."""
        browser = self.browser
        if browser is None or browser.browser is None:
            return None
        picked = browser.selected_nodes()
        if not picked:
            self._say(self.tr("Select the variables or folders to take"))
            return None
        self.next_button.setEnabled(False)
        self._say(self.tr("Reading %n node(s)…", "", len(picked)), problem=False)
        try:
            found = await survey(browser.browser, picked, browser.known)  # what the selection read is reused
            skeleton = browser.document.folder
            name, config = next(iter(skeleton.project.connections.items()))
            made = starter.plan(found.groups, name, found.limits, self.range_alarms.isChecked())
            folder = starter.build(
                skeleton.root, skeleton.name, name, config, made.folders, measure(skeleton)
            )
            problems = starter.create(folder)
        except ProjectError as exc:
            self._say("\n".join(exc.problems))
            return None
        except (HmiError, OSError) as exc:
            self._say(str(exc))
            return None
        finally:
            self.next_button.setEnabled(True)
        if problems:  # the project is written; the editor lists what to fix
            log.warning("new project %s: %d problem(s): %s", folder.root, len(problems), problems[:3])
        loaded, _ = check_project(folder.root)
        self.folder = loaded or folder
        self.made = made
        for note in made.skipped:
            log.info("new project: left out %s", note)
        await browser.disconnect_server()
        self.created.emit(folder.root)
        self.accept()
        return self.folder

    def reject(self) -> None:
        if self.browser is not None:
            self.browser.close_soon()
        super().reject()
