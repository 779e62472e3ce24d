"""A new project from what a server offers: tags named from browse paths with the server's units,
range, description and data type, alarms from its limits, a starter screen and a trend per folder.

Qt-free (the `hmi new` command uses it as the editor's File > New does); items are measured by the
caller, so the editor lays screens out with the runtime's own drawing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ..alarms.settings import LimitAlarm, Priority, TagAlarms
from ..errors import ProjectError
from . import layout
from .io import PROJECT_FILE, ProjectFolder, check_project, save_project
from .model import NUMERIC_TYPES, Action, Connection, Item, Pen, Project, Screen, Tag, TrendDef
from .refactor import NodeLike, tag_from_node
from .symbols import Bar, Label

SCREEN_SIZE = (1600, 900)
MARGIN = 24.0
HEADER_H = 64.0
"""Title and trend button above the displays."""
SECTION_GAP = 24.0
BAR_SIZE = (200.0, 20.0)
MAX_TREND_PENS = 8
"""A trend shows the first numeric tags of its folder: more curves than this no one reads."""
RANGE_DEADBAND = 0.01
"""Of the span: a value hovering at a range end does not make the alarm chatter."""

Measure = Callable[[Item, Mapping[str, Tag]], layout.Rect]
"""What an item draws, relative to its `at`, given the tags it may bind."""


@dataclass
class Folder:
    """The tags picked with one server folder: one starter screen (or more pages) and one trend."""

    title: str
    tags: list[Tag] = field(default_factory=list)


@dataclass
class Plan:
    """The folders of a new project, and the nodes that could not be tags (and why)."""

    folders: list[Folder]
    skipped: list[str] = field(default_factory=list)

    @property
    def tags(self) -> list[Tag]:
        return [t for f in self.folders for t in f.tags]


def priority_of(severity: float | None) -> Priority:
    """OPC-UA severity (1-1000) in the four ISA-18.2 priorities; none given: medium."""
    if severity is None or severity < 1:
        return Priority.MEDIUM
    return [Priority.LOW, Priority.MEDIUM, Priority.HIGH, Priority.CRITICAL][
        min(3, int((severity - 1) // 250))
    ]


def alarms_for(tag: Tag, limits: Mapping[str, float] | None, range_alarms: bool) -> TagAlarms:
    """The server's limit alarms of the tag; without them, with `range_alarms`, a low-priority alarm
    when the value leaves its engineering range (a reading the server itself calls out of range)."""
    what = tag.description if tag.description and tag.description != tag.name.rsplit(".", 1)[-1] else tag.name
    units = f" {tag.units}" if tag.units else ""
    words = {"hihi": "very high", "hi": "high", "lo": "low", "lolo": "very low"}
    if limits:
        priority = priority_of(limits.get("severity"))
        found = {
            kind: LimitAlarm(priority=priority, message=f"{what} {words[kind]}", limit=limits[kind])
            for kind in words
            if kind in limits
        }
        return TagAlarms.model_validate(found)
    if not range_alarms or tag.range is None or tag.type not in NUMERIC_TYPES or tag.writable:
        return TagAlarms()  # a setpoint or command is what an operator writes, not a reading
    low, high = tag.range
    band = round((high - low) * RANGE_DEADBAND, 6)
    return TagAlarms(
        hi=LimitAlarm(
            priority=Priority.LOW,
            message=f"{what} above its range ({high:g}{units})",
            limit=high,
            deadband=band,
        ),
        lo=LimitAlarm(
            priority=Priority.LOW,
            message=f"{what} below its range ({low:g}{units})",
            limit=low,
            deadband=band,
        ),
    )


def plan(
    groups: Mapping[str, Sequence[NodeLike]],
    connection: str,
    limits: Mapping[str, Mapping[str, float]] | None = None,
    range_alarms: bool = True,
) -> Plan:
    """Tags for the variables of each folder (named apart from each other), with their alarms."""
    limits = limits or {}
    names: set[str] = set()
    result = Plan([])
    for title, nodes in groups.items():
        folder = Folder(title)
        for node in nodes:
            try:
                tag = tag_from_node(node, connection, names)
                alarms = alarms_for(tag, limits.get(node.node), range_alarms)
            except ProjectError as exc:
                result.skipped += exc.problems
                continue
            except ValidationError as exc:  # e.g. the server's limits out of order
                result.skipped.append(f"{node.node}: alarms left out: {exc.errors()[0]['msg']}")
                alarms = TagAlarms()
            names.add(tag.name)
            if tag.writable and tag.range is not None and tag.type in NUMERIC_TYPES:
                tag = tag.model_copy(update={"write_limits": tag.range})  # no write beyond the range
            folder.tags.append(tag.model_copy(update={"alarms": alarms}))
        if folder.tags:
            result.folders.append(folder)
    return result


# -- screens and trends ----------------------------------------------------------------------------


def labels(tags: Sequence[Tag]) -> list[str]:
    """Displays' labels: the tags' names without the part they all share ('Load.T00001' -> 'T00001')."""
    parts = [t.name.split(".") for t in tags]
    shared = 0
    while all(len(p) > shared + 1 and p[shared] == parts[0][shared] for p in parts):
        shared += 1
    return [".".join(p[shared:]) for p in parts]


def displays(tags: Sequence[Tag]) -> list[list[Item]]:
    """Bars for numbers with a range, values for other numbers and texts, indicators for Booleans:
    three sections, each a grid of its own."""
    bars: list[Item] = []
    values: list[Item] = []
    indicators: list[Item] = []
    for tag, label in zip(tags, labels(tags), strict=True):
        if tag.type == "Boolean":
            indicators.append(Item(type="indicator", at=(0, 0), label=label, bind={"state": tag.name}))
        elif tag.type in NUMERIC_TYPES and tag.range is not None:
            bars.append(
                Bar(
                    type="bar",
                    at=(0, 0),
                    size=BAR_SIZE,
                    label=label,
                    orientation="horizontal",
                    bind={"value": tag.name},
                )
            )
        else:
            values.append(Item(type="value", at=(0, 0), label=label, bind={"value": tag.name}))
    return [s for s in (bars, values, indicators) if s]


def pages(sections: list[list[Item]], tags: Mapping[str, Tag], measure: Measure) -> list[list[Item]]:
    """The sections' grids one below the other from under the header; what does not fit the screen
    goes on to a next page."""
    width, height = SCREEN_SIZE
    right, bottom = width - MARGIN, height - MARGIN
    done: list[list[Item]] = [[]]
    y = HEADER_H
    for section in sections:
        rects = [measure(item, tags) for item in section]
        cell_h = layout.cell(rects)[1]
        count = layout.columns(rects, (MARGIN, y), right, square=False)
        start = 0
        while start < len(section):
            rows = int((bottom - y + layout.GAP[1]) // cell_h)
            if rows < 1:
                done.append([])
                y = HEADER_H
                continue
            end = min(len(section), start + rows * count)
            done[-1] += layout.arrange(
                section[start:end], rects[start:end], (MARGIN, y), right, round, square=False
            )
            y += math.ceil((end - start) / count) * cell_h - layout.GAP[1] + SECTION_GAP
            start = end
    return done


def slug(title: str, taken: set[str]) -> str:
    """A screen file name for a folder title: 'DemoPlant/RC1' -> 'demoplant-rc1'."""
    name = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "screen"
    n, found = 1, name
    while found in taken:
        n += 1
        found = f"{name}-{n}"
    return found


def trend_for(folder: Folder) -> TrendDef | None:
    numbers = [t for t in folder.tags if t.type in NUMERIC_TYPES][:MAX_TREND_PENS]
    return TrendDef(title=folder.title, pens=[Pen(tag=t.name) for t in numbers]) if numbers else None


def header(title: str, trend: str | None) -> list[Item]:
    items: list[Item] = [Label(type="label", at=(MARGIN, 20), label=title, font_size=16)]
    if trend is not None:
        at = (SCREEN_SIZE[0] - MARGIN - 120, 16)
        items.append(Item(type="button", at=at, size=(120, 32), label="Trend", on_click=Action(trend=trend)))
    return items


def screens_and_trends(
    folders: Sequence[Folder], measure: Measure
) -> tuple[dict[str, Screen], dict[str, TrendDef]]:
    tags = {t.name: t for f in folders for t in f.tags}
    screens: dict[str, Screen] = {}
    trends: dict[str, TrendDef] = {}
    for folder in folders:
        name = slug(folder.title, {*screens, *trends})
        trend = trend_for(folder)
        if trend is not None:
            trends[name] = trend
        filled = pages(displays(folder.tags), tags, measure)
        for n, items in enumerate(filled, start=1):
            title = folder.title if len(filled) == 1 else f"{folder.title} ({n}/{len(filled)})"
            page = name if len(filled) == 1 else slug(f"{name}-{n}", set(screens))
            screens[page] = Screen(
                title=title, size=SCREEN_SIZE, items=[*header(title, name if trend else None), *items]
            )
    return screens, trends


# -- the project folder ----------------------------------------------------------------------------


def build(
    root: Path,
    name: str,
    connection_name: str,
    connection: Connection,
    folders: Sequence[Folder],
    measure: Measure,
) -> ProjectFolder:
    """The new project in memory: one connection, the folders' tags, their screens and trends."""
    if not folders:
        raise ProjectError([f"{root}: no variables picked that can be tags: nothing to make a project of"])
    screens, trends = screens_and_trends(folders, measure)
    project = Project(
        name=name,
        start_screen=next(iter(screens)),
        connections={connection_name: connection},
        tags=[t for f in folders for t in f.tags],
        trends=trends,
    )
    return ProjectFolder(Path(root), project, screens)


def create(folder: ProjectFolder) -> list[str]:
    """Write the project into its folder, which must be new or empty; the problems `hmi check` finds
    in what was written (none, unless something is wrong with this module)."""
    root = folder.root
    if (root / PROJECT_FILE).exists() or (root.is_dir() and any(root.iterdir())):
        raise ProjectError([f"{root}: the folder is not empty: a new project needs a new or empty folder"])
    save_project(folder)
    return check_project(root)[1]


def rough_measure(item: Item, tags: Mapping[str, Tag]) -> layout.Rect:
    """An estimate of what the runtime draws, for a layout without Qt (`hmi new`): generous, so that
    the displays never overlap; the editor measures exactly."""
    label_w = len(item.label) * 8.0 + 10
    tag = tags.get(next(iter(item.bind.values()), ""))
    units = len(tag.units) * 8.0 if tag is not None else 0.0
    if item.type == "bar":
        low, high = tag.range if tag is not None and tag.range else (0.0, 100.0)
        value_w = max(len(f"{low:g}"), len(f"{high:g}")) * 8.0 + units + 30
        w, h = item.size or BAR_SIZE
        return -max(label_w, 18.0), -10.0, max(label_w, 18.0) + w + value_w, h + 20
    body = max(56.0, label_w) + 92 + max(50.0, units + 8)
    return -6.0, -10.0, body + 12, 48.0
