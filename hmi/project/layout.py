"""Displays on a grid: the one layout of server variables dropped on a screen and of starter screens.

Qt-free: the caller measures each item (the editor with the runtime's own drawing, the command line
with an estimate) and passes the rectangles, relative to each item's `at`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from .model import Item, Tag

Rect = tuple[float, float, float, float]
"""x, y, width, height of what an item draws, relative to its `at`."""
GAP = (16.0, 16.0)
"""Between displays of a grid; vertically also room for an alarm marker above a display."""


def cell(rects: Sequence[Rect]) -> tuple[float, float]:
    """The grid's cell: room for the largest item (also what lies left of or above `at`) and the gap."""
    left, top = min(r[0] for r in rects), min(r[1] for r in rects)
    right, bottom = max(r[0] + r[2] for r in rects), max(r[1] + r[3] for r in rects)
    return right - left + GAP[0], bottom - top + GAP[1]


def columns(rects: Sequence[Rect], at: tuple[float, float], right: float, square: bool = True) -> int:
    """How many columns fit between `at` and `right`; with `square`, no more than make a square."""
    fit = max(1, int((right - at[0] + GAP[0]) // cell(rects)[0]))
    return max(1, min(math.ceil(math.sqrt(len(rects))), fit)) if square else fit


def arrange(
    items: Sequence[Item],
    rects: Sequence[Rect],
    at: tuple[float, float],
    right: float,
    snap: Callable[[float], float] = lambda v: v,
    square: bool = True,
) -> list[Item]:
    """The items in rows from `at` (top left) to `right`, as square as fits (or filling each row); in
    a column the items' `at` line up (labels left of a bar, say, get the room the widest needs)."""
    if not items:
        return []
    left, top = min(r[0] for r in rects), min(r[1] for r in rects)
    cell_w, cell_h = cell(rects)
    count = 1 if len(items) < 2 else columns(rects, at, right, square)
    return [
        item.model_copy(
            update={
                "at": (snap(at[0] - left + (n % count) * cell_w), snap(at[1] - top + (n // count) * cell_h))
            }
        )
        for n, item in enumerate(items)
    ]


def labels(tags: Sequence[Tag]) -> list[str]:
    """A display's label: the last part of its tag's name, or the whole name where that repeats."""
    short = [t.name.rsplit(".", 1)[-1] for t in tags]
    return [s if short.count(s) == 1 else t.name for s, t in zip(short, tags, strict=True)]
