"""The rows of the editor's tag browser: browsed nodes (name, data type, value), loaded lazily, and
the drag of a selection (`application/x-openhmi-node`) that becomes project tags where it is dropped."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QMimeData, QModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from hmi.opcua.browse import NodeInfo

from ..alarms.model import shown

if TYPE_CHECKING:
    from .tag_browser import TagBrowser

MIME_TYPE = "application/x-openhmi-node"
"""Drag payload: JSON {connection, tags}; `tags` are full project tags (`Tag.model_validate(t)`), the
project's own for a node it has a tag of, else new ones named uniquely against it at drag time."""
INFO_ROLE = Qt.ItemDataRole.UserRole + 1
LOADED_ROLE = Qt.ItemDataRole.UserRole + 2


def node_payload(mime: QMimeData) -> dict[str, Any] | None:
    """The node a drag carries, for the canvas's drop handler; None when it carries none."""
    if not mime.hasFormat(MIME_TYPE):
        return None
    return json.loads(bytes(mime.data(MIME_TYPE).data()).decode("utf-8"))


class NodeModel(QStandardItemModel):
    """Browse results as rows (name, data type, value); variables that can be tags can be dragged."""

    def __init__(self, owner: TagBrowser):
        super().__init__(0, 3, owner)
        self.owner = owner
        # In the browser's context: lupdate reads `owner.tr` as a context named "owner".
        self.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("TagBrowser", "Name"),
                QCoreApplication.translate("TagBrowser", "Type"),
                QCoreApplication.translate("TagBrowser", "Value"),
            ]
        )

    def row_for(self, info: NodeInfo) -> list[QStandardItem]:
        name = QStandardItem(info.display_name)
        name.setData(info, INFO_ROLE)
        name.setToolTip(info.node)
        name.setEditable(False)
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if info.has_children or (info.is_variable and self.owner.tag_for(info) is not None):
            flags |= Qt.ItemFlag.ItemIsDragEnabled  # a folder drags its variables
        name.setFlags(flags)
        if info.has_children:
            placeholder = QStandardItem(QCoreApplication.translate("TagBrowser", "Loading…"))
            placeholder.setFlags(Qt.ItemFlag.ItemIsEnabled)
            name.appendRow(placeholder)
        cells = [QStandardItem(info.data_type or ""), QStandardItem(shown(info.value, digits=6))]
        for cell in cells:
            cell.setFlags(flags)
        return [name, *cells]

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData | None:  # type: ignore[override]
        # None starts no drag (Qt takes a null pointer; the stubs do not say so)
        infos = [i.siblingAtColumn(0).data(INFO_ROLE) for i in indexes if i.column() == 0]
        tags = self.owner.tags_for(self.owner.variables([i for i in infos if isinstance(i, NodeInfo)]))
        if not tags:
            return None
        payload = {
            "connection": self.owner.connection.currentText(),
            "tags": [t.model_dump(mode="json", exclude_defaults=True) for t in tags],
        }
        mime = QMimeData()
        mime.setData(MIME_TYPE, json.dumps(payload).encode("utf-8"))
        mime.setText("\n".join(t.name for t in tags))
        return mime
