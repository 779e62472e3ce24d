"""The editor's tag browser: a live server's address space as a lazily loaded tree, search by name, a
node's details, and variables dragged out as `application/x-openhmi-node` to become project tags.

Everything that talks to the server runs as an asyncio task on the qasync loop; the UI never waits.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection, Coroutine
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from hmi.errors import HmiError, ProjectError
from hmi.opcua.browse import Browser, NodeInfo
from hmi.opcua.credentials import Credentials
from hmi.opcua.security import Pki
from hmi.project.model import Connection, Tag
from hmi.project.refactor import tag_from_node

from ..alarms.model import shown
from .node_model import INFO_ROLE, LOADED_ROLE, NodeModel
from .register_map import RegisterMapView, register_map

log = logging.getLogger(__name__)

MAX_FOLDER_VARIABLES = 1000
"""A folder dragged carries at most this many variables (a whole server dragged by mistake)."""


class TagBrowser(QWidget):
    """Browse a server of the project. Mount it in a dock: `dock.setWidget(TagBrowser(document))`; call
    `await browser.disconnect_server()` (or `close_soon()`) when the editor closes. Selected nodes
    and folders are read in full in the background (`ready`); dropping them is the canvas's part (see
    node_model and node_drop); "Add as tags" adds them to the tags.
    """

    connected = Signal(bool)
    message = Signal(str)

    def __init__(self, document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.browser: Browser | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._details_for: str | None = None
        self.known: dict[str, NodeInfo] = {}
        """Nodes read in full (units, range, description), by node id: what dragged tags are made of."""
        self.below: dict[str, list[NodeInfo]] = {}
        """The variables found below a folder (at any depth), by the folder's node id."""
        self._preparing: asyncio.Task[Any] | None = None
        self.pki: Pki | None = None
        self.credentials: Credentials | None = None
        """Certificate store and passwords of the sessions (default: the app's store, the keyring)."""

        self.connection = QComboBox()
        self.connection.setToolTip(self.tr("Project connection that dragged tags will use"))
        self.endpoint = QLineEdit()
        self.endpoint.setPlaceholderText("opc.tcp://host:4840")
        self.connect_button = QPushButton(self.tr("Connect"))
        self.connect_button.clicked.connect(self._toggle_connection)
        self.connection.currentTextChanged.connect(self._connection_chosen)
        self.search_box = QLineEdit(placeholderText=self.tr("Search by name, Enter"), clearButtonEnabled=True)
        self.search_box.returnPressed.connect(lambda: self._spawn(self.search(self.search_box.text())))
        self.search_box.textChanged.connect(lambda text: None if text else self._show_tree())

        self.tree_model = NodeModel(self)
        self.search_model = NodeModel(self)
        self.view = QTreeView()
        self.view.setUniformRowHeights(True)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.expanded.connect(self._expanded)

        self.details: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, label in (
            ("node", self.tr("Node id")),
            ("path", self.tr("Path")),
            ("data_type", self.tr("Data type")),
            ("value", self.tr("Value")),
            ("access", self.tr("Access")),
            ("units", self.tr("Units")),
            ("range", self.tr("Range")),
            ("description", self.tr("Description")),
        ):
            self.details[key] = QLabel()
            self.details[key].setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.details[key].setWordWrap(True)
            form.addRow(label, self.details[key])
        self.add_button = QPushButton(self.tr("Add as tags"))
        self.add_button.setEnabled(False)
        self.add_button.clicked.connect(self.add_selected)
        self._set_view_model(self.tree_model)
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addLayout(form)
        details_layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        details_layout.addStretch(1)
        self.address_space = QSplitter(Qt.Orientation.Vertical)
        self.address_space.addWidget(self.view)
        self.address_space.addWidget(details)
        self.address_space.setSizes([360, 200])

        self.setMinimumWidth(360)
        self.status = QLabel(self.tr("Not connected"))
        self.status.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.connection, 1)
        top.addWidget(self.connect_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.endpoint)
        layout.addWidget(self.search_box)
        # An address space to browse is OPC-UA's; a Modbus device's registers are its kind's register map.
        self.registers = RegisterMapView()
        self.pages = QStackedWidget()
        self.pages.addWidget(self.address_space)
        self.pages.addWidget(self.registers)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.status)
        folder = document.folder
        shown = [
            n
            for n, c in folder.project.connections.items()
            if isinstance(c, Connection) or register_map(folder, n) is not None
        ]
        self.connection.addItems(shown)
        document.changed.connect(lambda *_: self._show_registers(self.connection.currentText()))

    # -- tags --------------------------------------------------------------------------------------

    def tag_for(self, info: NodeInfo, taken: Collection[str] = ()) -> Tag | None:
        """The project's tag of this variable, or the new tag it would become (named apart from the
        project's and `taken`, with what the server said of it); None when its type cannot be a tag."""
        existing = self.existing_tag(info)
        if existing is not None:
            return existing
        info = self.known.get(info.node, info)
        try:
            return tag_from_node(info, self.connection.currentText(), {*self.document.folder.tags, *taken})
        except (ProjectError, ValidationError):
            return None

    def existing_tag(self, info: NodeInfo) -> Tag | None:
        """The project tag already bound to this node on the chosen connection (whichever way its node
        id is written: by namespace index or URI)."""
        connection = self.connection.currentText()
        browser = self.browser
        for tag in self.document.folder.project.tags:
            if tag.connection != connection:
                continue
            if tag.node == info.node or (browser is not None and browser.same_node(tag.node, info.node)):
                return tag
        return None

    def tags_for(self, infos: list[NodeInfo]) -> list[Tag]:
        """The tags of these variables (those that can be tags), new ones named apart from each other."""
        tags: list[Tag] = []
        for info in infos:
            tag = self.tag_for(info, [t.name for t in tags])
            if tag is not None and tag not in tags:
                tags.append(tag)
        return tags

    def variables(self, infos: list[NodeInfo]) -> list[NodeInfo]:
        """The variables among these nodes and below the folders among them, once each, in order."""
        found: dict[str, NodeInfo] = {}
        for info in infos:
            for node in self.below.get(info.node, []) if info.has_children else [info]:
                if node.is_variable:
                    found.setdefault(node.node, self.known.get(node.node, node))
        return list(found.values())

    def selected_nodes(self) -> list[NodeInfo]:
        rows = self.view.selectionModel().selectedRows(0) if self.view.selectionModel() else []
        infos = [index.data(INFO_ROLE) for index in rows]
        return [info for info in infos if isinstance(info, NodeInfo)]

    def selected(self) -> NodeInfo | None:
        index = self.view.currentIndex()
        info = index.siblingAtColumn(0).data(INFO_ROLE) if index.isValid() else None
        return info if isinstance(info, NodeInfo) else None

    def add_selected(self) -> list[Tag]:
        """Add the selected variables (and those of selected folders) the project has no tag of yet
        to its tags, in one undoable edit."""
        tags = [
            t
            for t in self.tags_for(self.variables(self.selected_nodes()))
            if t.name not in self.document.folder.tags
        ]
        if not tags:
            self._say(self.tr("The project has tags of these nodes already"))
            return []
        project = self.document.folder.project
        self.document.apply(
            self.tr("Add %n tag(s)", "", len(tags)),
            project=project.model_copy(update={"tags": [*project.tags, *tags]}),
        )
        self._say(self.tr("%n tag(s) added", "", len(tags)))
        return tags

    async def prepare(self, nodes: list[NodeInfo]) -> list[NodeInfo]:
        """Read what dragging these nodes needs: every variable in full, folders' variables at any
        depth. Says when they are ready; returns the variables."""
        if self.browser is None:
            return []
        self._say(self.tr("Reading %n node(s)…", "", len(nodes)))
        try:
            for folder in (n for n in nodes if n.has_children and n.node not in self.below):
                self.below[folder.node] = await self._variables_below(folder)
            for info in self.variables(nodes):
                if info.node not in self.known:
                    self.known[info.node] = await self.browser.details(info)
        except HmiError as exc:
            self._say(str(exc), problem=True)
            return []
        variables = self.variables(nodes)
        tags = self.tags_for(variables)
        reused = sum(1 for t in tags if t.name in self.document.folder.tags)
        text = self.tr("%n variable(s) selected: drag them onto a screen, or Add as tags", "", len(tags))
        if reused:
            text += " " + self.tr("(%n already a tag of the project)", "", reused)
        self._say(text)
        return variables

    async def _variables_below(self, folder: NodeInfo) -> list[NodeInfo]:
        assert self.browser is not None
        found: list[NodeInfo] = []
        level = [folder]
        while level and len(found) < MAX_FOLDER_VARIABLES:
            children = [c for parent in level for c in await self.browser.children(parent)]
            found += [c for c in children if c.is_variable]
            level = [c for c in children if c.has_children]
        return found[:MAX_FOLDER_VARIABLES]

    @property
    def ready(self) -> bool:
        """Whether the selection is read in full (what a drag of it carries is complete)."""
        return self._preparing is None or self._preparing.done()

    def _selection_changed(self) -> None:
        if self._preparing is not None:
            self._preparing.cancel()
        nodes = self.selected_nodes()
        self.add_button.setEnabled(bool(nodes) and any(n.is_variable or n.has_children for n in nodes))
        self._preparing = self._spawn(self.prepare(nodes)) if self.browser is not None and nodes else None

    # -- connection ------------------------------------------------------------------------------

    def _connection_chosen(self, name: str) -> None:
        conn = self.document.folder.project.connections.get(name)
        if self._show_registers(name):
            if self.browser is not None:
                self._spawn(self.disconnect_server())
            return
        if isinstance(conn, Connection):
            self.endpoint.setText(conn.endpoint)
            if self.browser is None:
                self.status.setText(self.tr("Not connected"))

    def _show_registers(self, name: str) -> bool:
        """Show the register map of a connection that has one instead of an address space; False for
        one to browse (the browser then shows)."""
        rows = register_map(self.document.folder, name)
        mapped = rows is not None
        self.pages.setCurrentWidget(self.registers if mapped else self.address_space)
        for widget in (self.endpoint, self.connect_button, self.search_box):
            widget.setVisible(not mapped)
        if rows is not None:
            self.registers.show_rows(rows)
            words = self.tr(
                "%n tag(s) read from {0}: a device without an address space to browse", "", len(rows)
            )
            self.status.setStyleSheet("")
            self.status.setText(words.replace("{0}", name))
        return mapped

    def _config(self) -> Connection:
        base = self.document.folder.project.connections.get(self.connection.currentText())
        data = base.model_dump() if base is not None else {}
        return Connection.model_validate({**data, "endpoint": self.endpoint.text().strip()})

    def _toggle_connection(self) -> None:
        self._spawn(self.disconnect_server() if self.browser is not None else self.connect_server())

    async def connect_server(self) -> bool:
        """Connect to the endpoint in the field and show the top of the tree; False (and why) on failure."""
        await self.disconnect_server()
        try:
            browser = Browser(
                self._config(), name=self.connection.currentText(), credentials=self.credentials, pki=self.pki
            )
        except ValidationError as exc:
            self._say(exc.errors()[0]["msg"].removeprefix("Value error, "), problem=True)
            return False
        self._say(self.tr("Connecting to {0}…").format(browser.endpoint))
        self.connect_button.setEnabled(False)
        try:
            await browser.connect()
            root = await browser.root()
            top = await browser.children(root)
        except HmiError as exc:
            await browser.close()
            self._say(str(exc), problem=True)
            return False
        finally:
            self.connect_button.setEnabled(True)
        self.browser = browser
        self.tree_model.removeRows(0, self.tree_model.rowCount())
        for info in top:
            self.tree_model.appendRow(self.tree_model.row_for(info))
        self.connect_button.setText(self.tr("Disconnect"))
        self._say(self.tr("Connected to {0}: expand a folder, or search").format(browser.endpoint))
        self.connected.emit(True)
        return True

    async def disconnect_server(self) -> None:
        browser, self.browser = self.browser, None
        if browser is None:
            return
        await browser.close()
        self.known.clear()
        self.below.clear()
        self.tree_model.removeRows(0, self.tree_model.rowCount())
        self.search_model.removeRows(0, self.search_model.rowCount())
        self.connect_button.setText(self.tr("Connect"))
        self._say(self.tr("Not connected"))
        self.connected.emit(False)

    def close_soon(self) -> None:
        """Stop pending work and end the session without waiting (for a closing window)."""
        for task in list(self._tasks):
            task.cancel()
        if self.browser is not None:
            self._spawn(self.disconnect_server())

    # -- tree and search ---------------------------------------------------------------------------

    def _set_view_model(self, model: NodeModel) -> None:
        self.view.setModel(model)
        self.view.setRootIsDecorated(model is self.tree_model)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(1, 70)
        header.resizeSection(2, 80)
        self._details_for = None
        for label in self.details.values():
            label.clear()
        self.add_button.setEnabled(False)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())

    def _show_tree(self) -> None:
        if self.view.model() is not self.tree_model:
            self._set_view_model(self.tree_model)

    def _expanded(self, index: QModelIndex) -> None:
        model = self.view.model()
        assert isinstance(model, NodeModel)  # the view shows the tree or the search results
        item = model.itemFromIndex(index.siblingAtColumn(0))
        if item is not None and not item.data(LOADED_ROLE):
            item.setData(True, LOADED_ROLE)
            self._spawn(self.load_children(QPersistentModelIndex(item.index())))

    async def load_children(self, index: QPersistentModelIndex) -> None:
        """Fill a node's children in (the first time it is expanded)."""
        model = index.model()
        info = index.data(INFO_ROLE)
        if self.browser is None or not isinstance(model, NodeModel) or not isinstance(info, NodeInfo):
            return
        try:
            children = await self.browser.children(info)
        except HmiError as exc:
            self._say(str(exc), problem=True)
            return
        if not index.isValid():  # the tree was cleared meanwhile
            return
        item = model.itemFromIndex(model.index(index.row(), 0, index.parent()))
        item.removeRows(0, item.rowCount())
        for child in children:
            item.appendRow(model.row_for(child))

    async def search(self, text: str) -> list[NodeInfo]:
        """Show the nodes whose name contains `text` (breadth-first, first 100) instead of the tree."""
        if self.browser is None or not text.strip():
            self._show_tree()
            return []
        self._say(self.tr("Searching for {0}…").format(text))
        try:
            found = await self.browser.search(text, limit=100)
        except HmiError as exc:
            self._say(str(exc), problem=True)
            return []
        self.search_model.removeRows(0, self.search_model.rowCount())
        for info in found:
            row = self.search_model.row_for(info)
            row[0].setText(".".join(info.path) or info.display_name)
            self.search_model.appendRow(row)
        self._set_view_model(self.search_model)
        self._say(self.tr("%n node(s) found", "", len(found)))
        return found

    # -- details ---------------------------------------------------------------------------------

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        info = current.siblingAtColumn(0).data(INFO_ROLE) if current.isValid() else None
        if not isinstance(info, NodeInfo):
            return
        self._show_details(self.known.get(info.node, info))
        if self.browser is not None:
            self._details_for = info.node
            self._spawn(self.refresh_details(info))

    async def refresh_details(self, info: NodeInfo) -> NodeInfo | None:
        """Read the node again (value, units, range, description) and show it if it is still selected."""
        if self.browser is None:
            return None
        try:
            fresh = await self.browser.details(info)
        except HmiError as exc:
            self._say(str(exc), problem=True)
            return None
        self.known[info.node] = fresh
        if self._details_for == info.node:
            self._show_details(fresh, read_at=datetime.now())
        return fresh

    def _show_details(self, info: NodeInfo, read_at: datetime | None = None) -> None:
        access = ""
        if info.is_variable:
            access = self.tr("read and write") if info.writable else self.tr("read only")
        value = shown(info.value, digits=6)
        if value and read_at is not None:
            value += "   " + self.tr("at {0}").format(read_at.strftime("%H:%M:%S"))
        texts = {
            "node": info.node,
            "path": "/".join(info.path),
            "data_type": info.data_type or info.node_class,
            "value": value,
            "access": access,
            "units": info.units,
            "range": "" if info.range is None else f"{info.range[0]:g} … {info.range[1]:g}",
            "description": info.description,
        }
        for key, text in texts.items():
            self.details[key].setText(text)

    # -- plumbing ----------------------------------------------------------------------------------

    def _say(self, text: str, problem: bool = False) -> None:
        self.status.setStyleSheet("color: #b000b0;" if problem else "")
        self.status.setText(text)
        self.message.emit(text)

    def _spawn(self, work: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("tag browser task failed", exc_info=task.exception())
            self._say(str(task.exception()), problem=True)
