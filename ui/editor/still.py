"""Items drawn in the editor by the runtime's own classes, on preview values and deaf to the mouse:
the canvas and the palette's icons show exactly what operators will see."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping

from PySide6.QtCore import Qt

from hmi.diagnostics.monitor import DiagnosticsMonitor
from hmi.expr import ExpressionError
from hmi.project import ProjectFolder
from hmi.project.model import Item, Tag
from hmi.quality import WAITING, Quality, Sample
from hmi.tags import TagTable

from ..screens.items import ItemContext, ScreenItem, make_item

log = logging.getLogger(__name__)


def preview_value(tag: Tag) -> object:
    if tag.type == "Boolean":
        return False
    if tag.type == "String":
        return ""
    low, high = tag.range or (0.0, 100.0)
    return (low + high) / 2


class PreviewTable(TagTable):
    """Every tag Good at a preview value; names the project does not know read as waiting."""

    MISSING = Sample(None, Quality.BAD, 0.0, WAITING)

    def __init__(self, tags: Mapping[str, Tag]):
        super().__init__(tags)
        now = time.time()
        for name, tag in tags.items():
            self.update(name, Sample(preview_value(tag), Quality.GOOD, now))

    def get(self, name: str) -> Sample:
        return self._samples.get(name, self.MISSING)


def preview_context(folder: ProjectFolder, tags: Mapping[str, Tag] | None = None) -> ItemContext:
    """What items draw from in the editor: preview values, no actions; `tags` instead of the
    project's (e.g. with tags not added yet)."""
    tags = folder.tags if tags is None else tags
    return ItemContext(
        PreviewTable(tags),
        tags,
        lambda *_: None,
        templates=folder.templates,
        root=folder.root,
        diagnostics=DiagnosticsMonitor(folder.project.diagnostics, tags),  # health items show "learning"
    )


def still_item(model: Item, ctx: ItemContext) -> ScreenItem:
    """The runtime's item for `model`, drawn but deaf to the mouse (the canvas edits it instead)."""
    try:
        top = make_item(model, ctx)
    except (ExpressionError, KeyError, ValueError) as exc:
        # A broken binding is listed in the problems; the item is still drawn, unbound, to edit.
        log.debug("drawing %s unbound: %s", model.type, exc)
        top = make_item(model.model_copy(update={"bind": {}, "colors": []}), ctx)
    for item in top.descendants():
        item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        item.setAcceptHoverEvents(False)
        item.unsetCursor()
        if item.tag_names():
            item.refresh()
    return top
