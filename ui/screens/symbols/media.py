"""Images from the project folder: SVG drawn as vectors (crisp at any zoom), PNG and JPEG as pixels."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QPen
from PySide6.QtSvg import QSvgRenderer

from hmi.project.model import Item

from ... import theme
from ..base import ScreenItem
from ..context import ItemContext
from . import draw

log = logging.getLogger(__name__)


def resolve(root: Path | None, source: str) -> Path | None:
    """The file inside the project folder, or None when it would lead outside it (links included)."""
    if root is None:
        return None
    base = root.resolve()
    path = (base / source).resolve()
    return path if path.is_relative_to(base) and path.is_file() else None


class ImageItem(ScreenItem):
    """A project symbol; bindings still give it quality, alarms, visibility and rotation."""

    default_size = (64.0, 64.0)

    def __init__(self, model: Item, ctx: ItemContext):
        super().__init__(model, ctx)
        self.svg: QSvgRenderer | None = None
        self.image: QImage | None = None
        path = resolve(ctx.root, model.source or "")
        if path is None:
            log.warning("image %s is not a file inside the project folder", model.source)
        elif path.suffix.lower() == ".svg":
            self.svg = QSvgRenderer(str(path))
        else:
            self.image = QImage(str(path))

    def draw(self, p: QPainter) -> None:
        r = self.body
        if self.svg is not None and self.svg.isValid():
            self.svg.render(p, r)
        elif self.image is not None and not self.image.isNull():
            p.drawImage(r, self.image)
        else:
            p.setPen(QPen(theme.TEXT_DIM, 1, Qt.PenStyle.DotLine))
            p.drawRect(r)
            draw.text(p, r, self.model.source or "", theme.pt("heading"), theme.TEXT_DIM, draw.CENTER)
        draw.caption(p, QRectF(r), self.model.label)
