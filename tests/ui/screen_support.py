"""Helpers of the screen tests: a context over a real tag table, and painting an item to pixels."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionGraphicsItem

from hmi.diagnostics.monitor import DiagnosticsMonitor
from hmi.project import ProjectFolder
from hmi.project.model import Action, Item
from hmi.tags import TagTable
from ui import theme
from ui.screens.context import AlarmIndex, ItemContext
from ui.screens.items import ScreenItem


@pytest.fixture
def collect_qt_garbage() -> Iterator[None]:
    """Collect the test's Qt objects now: collected later inside another test's Qt loop they crash PySide."""
    yield
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


def context(
    folder: ProjectFolder,
    table: TagTable,
    act: Callable[[Item, Action], None] = lambda item, action: None,
    alarms: AlarmIndex | None = None,
    root: Path | None = None,
) -> ItemContext:
    return ItemContext(
        table,
        folder.tags,
        act,
        alarms=alarms,
        templates=folder.templates,
        root=root or folder.root,
        diagnostics=DiagnosticsMonitor(folder.project.diagnostics, folder.tags),
    )


def render(item: ScreenItem) -> QImage:
    """The item painted alone on a white image the size of its bounding rect."""
    rect = item.boundingRect()
    image = QImage(int(rect.width()) + 2, int(rect.height()) + 2, QImage.Format.Format_ARGB32)
    image.fill(QColor("#ffffff"))
    p = QPainter(image)
    p.translate(-rect.left() + 1, -rect.top() + 1)
    item.paint(p, QStyleOptionGraphicsItem(), None)
    p.end()
    return image


def count(image: QImage, colour: QColor, tolerance: int = 24) -> int:
    """Pixels within `tolerance` of a colour in every channel."""
    pixels = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes())
    bgr = pixels.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, : image.width(), :3].astype(int)
    target = np.array([colour.blue(), colour.green(), colour.red()])
    return int((np.abs(bgr - target) <= tolerance).all(axis=2).sum())


def magenta(image: QImage) -> int:
    return count(image, theme.BAD_QUALITY)
