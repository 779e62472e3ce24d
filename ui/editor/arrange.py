"""Edits of a list of items, as pure functions returning new lists: move, resize, align, distribute,
z-order, delete, group into a template and back, copy as YAML. No Qt: the canvas measures the items
(`Rect`s as drawn) and pushes the results through the document."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import NamedTuple

from hmi.project import templates as tpl
from hmi.project import yamlfmt
from hmi.project.model import Item, Template
from hmi.project.symbols import Instance, Pipe


class Rect(NamedTuple):
    """An item's drawn extent in screen coordinates (not always `at` + `size`: labels size themselves)."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


EDGES = ("left", "hcenter", "right", "top", "vcenter", "bottom")


def snap(value: float, grid: float) -> float:
    return round(value / grid) * grid if grid > 0 else value


def moved(item: Item, dx: float, dy: float) -> Item:
    return item.model_copy(update={"at": (item.at[0] + dx, item.at[1] + dy)})


def move(items: Sequence[Item], indexes: Collection[int], dx: float, dy: float) -> list[Item]:
    return [moved(it, dx, dy) if i in indexes else it for i, it in enumerate(items)]


def resize(item: Item, drawn: Rect, new: Rect) -> Item:
    """The item stretched so that what it draws covers `new`; a pipe's points are scaled along."""
    dx, dy = new.x - drawn.x, new.y - drawn.y
    update: dict[str, object] = {"at": (item.at[0] + dx, item.at[1] + dy)}
    if isinstance(item, Pipe):
        sx = new.w / drawn.w if drawn.w else 1.0
        sy = new.h / drawn.h if drawn.h else 1.0
        points = item.points or [(0.0, 0.0), (100.0, 0.0)]
        update["points"] = [(round(x * sx, 1), round(y * sy, 1)) for x, y in points]
    else:
        update["size"] = (round(new.w, 1), round(new.h, 1))
    return item.model_copy(update=update)


def align(items: Sequence[Item], rects: Sequence[Rect], indexes: Collection[int], edge: str) -> list[Item]:
    """Line the chosen items up on the outermost edge (or the mean centre) of the group."""
    chosen = [i for i in indexes if 0 <= i < len(items)]
    if len(chosen) < 2:
        return list(items)
    rs = [rects[i] for i in chosen]
    target = {
        "left": min(r.x for r in rs),
        "right": max(r.right for r in rs),
        "top": min(r.y for r in rs),
        "bottom": max(r.bottom for r in rs),
        "hcenter": sum(r.x + r.w / 2 for r in rs) / len(rs),
        "vcenter": sum(r.y + r.h / 2 for r in rs) / len(rs),
    }[edge]
    out = list(items)
    for i in chosen:
        r = rects[i]
        now = {
            "left": r.x,
            "right": r.right,
            "top": r.y,
            "bottom": r.bottom,
            "hcenter": r.x + r.w / 2,
            "vcenter": r.y + r.h / 2,
        }[edge]
        horizontal = edge in ("left", "right", "hcenter")
        out[i] = moved(items[i], target - now if horizontal else 0.0, 0.0 if horizontal else target - now)
    return out


def distribute(
    items: Sequence[Item], rects: Sequence[Rect], indexes: Collection[int], axis: str
) -> list[Item]:
    """Equal gaps between the chosen items along `axis` ('x' or 'y'); the outermost two stay put."""
    chosen = sorted(
        (i for i in indexes if 0 <= i < len(items)), key=lambda i: rects[i][0 if axis == "x" else 1]
    )
    if len(chosen) < 3:
        return list(items)
    pos = (lambda r: r.x) if axis == "x" else (lambda r: r.y)
    extent = (lambda r: r.w) if axis == "x" else (lambda r: r.h)
    first, last = rects[chosen[0]], rects[chosen[-1]]
    total = pos(last) + extent(last) - pos(first)
    gap = (total - sum(extent(rects[i]) for i in chosen)) / (len(chosen) - 1)
    out = list(items)
    cursor = pos(first)
    for i in chosen:
        shift = cursor - pos(rects[i])
        out[i] = moved(items[i], shift, 0.0) if axis == "x" else moved(items[i], 0.0, shift)
        cursor += extent(rects[i]) + gap
    return out


def reorder(items: Sequence[Item], indexes: Collection[int], where: str) -> tuple[list[Item], list[int]]:
    """Raise/lower by one ('up'/'down') or to the 'top'/'bottom'; later items draw on top.
    Returns the new list and the chosen items' new indexes."""
    chosen = sorted(i for i in indexes if 0 <= i < len(items))
    order = list(range(len(items)))
    if where in ("top", "bottom"):
        rest = [i for i in order if i not in chosen]
        order = rest + chosen if where == "top" else chosen + rest
    elif where == "up":
        for i in reversed(chosen):
            pos = order.index(i)
            if pos + 1 < len(order) and order[pos + 1] not in chosen:
                order[pos], order[pos + 1] = order[pos + 1], order[pos]
    else:
        for i in chosen:
            pos = order.index(i)
            if pos > 0 and order[pos - 1] not in chosen:
                order[pos], order[pos - 1] = order[pos - 1], order[pos]
    return [items[i] for i in order], sorted(order.index(i) for i in chosen)


def delete(items: Sequence[Item], indexes: Collection[int]) -> list[Item]:
    return [it for i, it in enumerate(items) if i not in indexes]


def group(
    items: Sequence[Item], rects: Sequence[Rect], indexes: Collection[int], name: str
) -> tuple[list[Item], Template, int]:
    """The chosen items moved into a new template (without frame) placed where they were.

    The model has no group item: a template is its group, reusable and ungroupable again.
    Returns the new item list, the template and the instance's index."""
    chosen = sorted(i for i in indexes if 0 <= i < len(items))
    rs = [rects[i] for i in chosen]
    left, top = min(r.x for r in rs), min(r.y for r in rs)
    width, height = max(r.right for r in rs) - left, max(r.bottom for r in rs) - top
    members = [moved(items[i], -left, -top) for i in chosen]
    template = Template(
        title=name, size=(max(1, round(width)), max(1, round(height))), items=members, frame=False
    )
    instance = Instance(type="template", at=(left, top), template=name)
    rest = [it for i, it in enumerate(items) if i not in chosen]
    position = chosen[-1] - len(chosen) + 1
    rest.insert(position, instance)
    return rest, template, position


def ungroup(items: Sequence[Item], index: int, templates: Mapping[str, Template]) -> list[Item]:
    """A template instance replaced by its items, arguments filled in, where it stood."""
    item = items[index]
    assert isinstance(item, Instance)
    template = templates[item.template]
    return [*items[:index], *tpl.expand(template, item.args, item.at), *items[index + 1 :]]


def preview_args(template: Template) -> dict[str, str]:
    """Arguments that draw a template on its own: each parameter's default, else its own name."""
    return {
        name: spec.default if spec.default is not None else name for name, spec in template.params.items()
    }


def to_yaml(items: Sequence[Item]) -> str:
    """The clipboard text of items: the same YAML as in a screen file's `items:`."""
    return yamlfmt.dumps([it.model_dump(mode="json", exclude_defaults=True) for it in items])


def from_yaml(text: str) -> list[Item]:
    """Items from clipboard text; raises ValueError (or a pydantic error) when it holds none."""
    data = yamlfmt.loads(text)
    if isinstance(data, dict):
        data = data.get("items", [data])
    if not isinstance(data, list):
        raise ValueError("the clipboard holds no items")
    return [Item.model_validate(d) for d in data]
