"""Pens of a trend: the palette, and what each pen takes from its definition and its tag."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hmi.project.model import Pen, Tag

PALETTE = (
    "#1f5fa8",  # blue
    "#c45a00",  # burnt orange
    "#2a7f3f",  # green
    "#7b3fa0",  # violet
    "#00838f",  # teal
    "#8c564b",  # brown
    "#b03060",  # raspberry
    "#556b2f",  # olive
    "#3c3c3c",  # graphite
    "#9a7b00",  # ochre
)
"""Distinguishable on the light grey plot without being loud; magenta stays reserved for Bad quality."""

STEP_TYPES = {"Boolean"}


@dataclass(frozen=True)
class TrendPen:
    """One curve: the tag, its colour, units, axis group and Y range, and whether it is drawn in steps."""

    tag: str
    color: str
    units: str
    description: str
    axis: str
    """Pens with the same axis key share a Y axis."""
    range: tuple[float, float] | None
    step: bool

    @property
    def label(self) -> str:
        return f"{self.tag} [{self.units}]" if self.units else self.tag


def plottable(tag: Tag) -> bool:
    """Text tags have no curve."""
    return tag.type != "String"


def make_pen(definition: Pen, tag: Tag, taken: Iterable[str]) -> TrendPen:
    """The pen for `definition`: its own colour or the first palette colour not `taken` yet."""
    used = set(taken)
    color = definition.color or next((c for c in PALETTE if c not in used), PALETTE[len(used) % len(PALETTE)])
    return TrendPen(
        tag=tag.name,
        color=color,
        units=tag.units,
        description=tag.description,
        axis=definition.axis or f"units:{tag.units}",
        range=definition.range or tag.range,
        step=tag.type in STEP_TYPES,
    )


def axis_groups(pens: Iterable[TrendPen]) -> dict[str, list[TrendPen]]:
    """Pens by axis key, in the order the keys first appear."""
    groups: dict[str, list[TrendPen]] = {}
    for pen in pens:
        groups.setdefault(pen.axis, []).append(pen)
    return groups


def group_range(pens: list[TrendPen]) -> tuple[float, float] | None:
    """The fixed Y range of an axis: the union of its pens' ranges, or None (auto) if any pen has none."""
    ranges = [pen.range for pen in pens]
    if any(r is None for r in ranges):
        return None
    return min(r[0] for r in ranges), max(r[1] for r in ranges)  # type: ignore[index]


def group_label(pens: list[TrendPen]) -> str:
    """Axis title: the units, and the tag when the axis has one pen."""
    units = sorted({pen.units for pen in pens if pen.units})
    if len(pens) == 1:
        return pens[0].label
    return ", ".join(units)
