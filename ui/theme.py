"""The ISA-101 palette: calm greys for the process, colour only for abnormal states."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtGui import QColor, QFont

RESOURCES = Path(__file__).resolve().parent.parent / "resources"

BACKGROUND = QColor("#d6d6d6")
PANEL = QColor("#e4e4e4")
OUTLINE = QColor("#4d4d4d")
EQUIPMENT_ON = QColor("#5a5a5a")
"""Running equipment is filled dark grey; stopped is hollow (ISA-101: state by fill, not green/red)."""
LIQUID = QColor("#8fa3b3")
PIPE = QColor("#7a7a7a")
PIPE_FLOWING = QColor("#3c3c3c")
TEXT = QColor("#141414")
TEXT_DIM = QColor("#5e5e5e")
VALUE_BOX = QColor("#f2f2f2")
BAD_QUALITY = QColor("#b000b0")
"""Magenta marks values that cannot be trusted (bad or stale quality)."""
ALARM = {1: QColor("#d40000"), 2: QColor("#ff8c00"), 3: QColor("#f0d000"), 4: QColor("#3aa0e0")}


@cache
def font(size: float = 10, bold: bool = False) -> QFont:
    """Shared: painting thousands of items asks for the same few fonts every frame. Do not modify it."""
    f = QFont("DejaVu Sans")
    f.setPointSizeF(size)
    f.setBold(bold)
    return f


def stylesheet() -> str:
    return (RESOURCES / "themes" / "light.qss").read_text(encoding="utf-8")
