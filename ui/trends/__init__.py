"""Trends: real-time and historical charts of tags, back-filled from the historian (pyqtgraph)."""

from __future__ import annotations

from .pens import PALETTE, TrendPen
from .view import TrendView
from .window import TrendWindow

__all__ = ["PALETTE", "TrendPen", "TrendView", "TrendWindow"]
