"""Server variables dropped on a screen: the project tags they are (an existing tag of the same node
is reused, never duplicated) and one display each, Booleans as indicators, laid out on a grid."""

from __future__ import annotations

from collections.abc import Callable

from hmi.project import ProjectFolder
from hmi.project.layout import Rect, arrange, labels
from hmi.project.model import Item, Project, Tag
from hmi.project.refactor import unique_name

from ..screens.context import ItemContext
from .still import preview_context, still_item


def display_for(tag: Tag, at: tuple[float, float], label: str) -> Item:
    """An indicator for a Boolean (a state in words), a value display for anything else."""
    if tag.type == "Boolean":
        return Item(type="indicator", at=at, label=label, bind={"state": tag.name})
    return Item(type="value", at=at, label=label, bind={"value": tag.name})


def bound_tags(dragged: list[Tag], folder: ProjectFolder) -> tuple[list[Tag], Project | None]:
    """The tags the displays bind to and the project with the new ones added (None: none new).

    A dragged tag is the project's own when one of that name or node exists (the project may have
    changed since the drag began); otherwise it is added under a free name."""
    tags = dict(folder.tags)
    by_node = {(t.connection, t.node): t for t in tags.values()}
    bound: dict[str, Tag] = {}
    added: list[Tag] = []
    for tag in dragged:
        same = tags.get(tag.name)
        if same is None or (same.connection, same.node) != (tag.connection, tag.node):
            same = by_node.get((tag.connection, tag.node))
        if same is None:
            same = tag.model_copy(update={"name": unique_name(tag.name, tags)})
            tags[same.name] = by_node[(same.connection, same.node)] = same
            added.append(same)
        bound.setdefault(same.name, same)
    project = folder.project
    new = project.model_copy(update={"tags": [*project.tags, *added]}) if added else None
    return list(bound.values()), new


def measure(item: Item, ctx: ItemContext) -> Rect:
    """What the runtime draws of `item`: its body, relative to its `at`."""
    body = still_item(item, ctx).body
    return body.x(), body.y(), body.width(), body.height()


def grid(
    tags: list[Tag],
    at: tuple[float, float],
    folder: ProjectFolder,
    width: float,
    snap: Callable[[float], float],
) -> list[Item]:
    """One display per tag, in rows from `at` (top left) within `width`, as square as fits."""
    items = [display_for(t, at, label) for t, label in zip(tags, labels(tags), strict=True)]
    if len(items) < 2:
        return items
    ctx = preview_context(folder, {**folder.tags, **{t.name: t for t in tags}})
    return arrange(items, [measure(item, ctx) for item in items], at, width, snap)
