"""Project-wide edits whose references follow: rename, duplicate and delete screens, templates and tags.

Every function takes a loaded ProjectFolder and returns a Result holding a new folder (same root and
on-disk state, so saving writes only what changed); models held by the caller are never mutated.
Objects that do not change are passed through as the same objects.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, Protocol, get_args

from ..errors import ProjectError
from ..expr import CONSTANTS, FUNCTIONS, dotted
from .io import SCREEN_NAME, ProjectFolder
from .model import TAG_NAME, Action, DataType, Item, Screen, Tag, Template
from .symbols import Instance
from .templates import PLACEHOLDER


@dataclass(frozen=True)
class Result:
    """The folder after an edit, and the references it leaves pointing at nothing (`hmi check` lines)."""

    folder: ProjectFolder
    dangling: list[str]


def _result(old: ProjectFolder, new: ProjectFolder) -> Result:
    before = set(old.problems())
    return Result(new, [p for p in new.problems() if p not in before])


def _replace(folder: ProjectFolder, **parts: Any) -> ProjectFolder:
    return dataclasses.replace(folder, **parts)


# -- expressions -------------------------------------------------------------------------------


def _char_index(lines: list[str], lineno: int, byte_col: int) -> int:
    """ast positions are line numbers and UTF-8 byte columns; this is the index in the joined text."""
    start = sum(len(line) for line in lines[: lineno - 1])
    return start + len(lines[lineno - 1].encode()[:byte_col].decode())


def rename_in_expression(text: str, old: str, new: str) -> str:
    """`text` with the tag name `old` replaced by `new` wherever it is a whole name.

    The expression is parsed, so `TK1.Level` never touches `TK10.Level` or `TK1.Level.Hi`. Template
    placeholders (`{tag}.Level`) are kept; text that does not parse is returned unchanged.
    """
    if old not in text:
        return text
    masked = PLACEHOLDER.sub(lambda m: "_" * len(m.group(0)), text)
    body = masked.strip()
    lead = len(masked) - len(masked.lstrip())
    try:
        tree = ast.parse(body, mode="eval")
    except SyntaxError:
        return text
    lines = body.splitlines(keepends=True)
    spans: list[tuple[int, int]] = []

    def visit(node: ast.AST) -> None:
        name = dotted(node) if isinstance(node, ast.Attribute | ast.Name) else None
        if name is None or not isinstance(node, ast.Attribute | ast.Name):
            for child in ast.iter_child_nodes(node):
                visit(child)
            return
        if name == old and name not in FUNCTIONS and name not in CONSTANTS:
            start = _char_index(lines, node.lineno, node.col_offset)
            end = _char_index(lines, node.end_lineno or node.lineno, node.end_col_offset or 0)
            spans.append((lead + start, lead + end))

    visit(tree)
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text


# -- walking items ------------------------------------------------------------------------------

ItemFn = Callable[[Item], Item]


def _map_items(items: list[Item], fn: ItemFn) -> list[Item] | None:
    """The items through `fn`, or None when none changed."""
    mapped = [fn(item) for item in items]
    return None if all(a is b for a, b in zip(mapped, items, strict=True)) else mapped


def _map_folder_items(folder: ProjectFolder, fn: ItemFn) -> dict[str, Any]:
    """New `screens` and `templates` dicts (parts that changed) with `fn` applied to every item."""
    parts: dict[str, Any] = {}
    for part in ("screens", "templates"):
        current = getattr(folder, part)
        changed = False
        result = {}
        for name, owner in current.items():
            items = _map_items(owner.items, fn)
            if items is not None:
                owner = owner.model_copy(update={"items": items})
                changed = True
            result[name] = owner
        if changed:
            parts[part] = result
    return parts


def _map_action(item: Item, fn: Callable[[Action], Action]) -> Item:
    if item.on_click is None:
        return item
    action = fn(item.on_click)
    return item if action is item.on_click else item.model_copy(update={"on_click": action})


def _renamed_key(mapping: dict[str, object], old: str, new: str) -> dict[str, object]:
    """The dict with key `old` renamed in place (order kept)."""
    return {new if key == old else key: value for key, value in mapping.items()}


# -- screens -------------------------------------------------------------------------------------


def _check_new_file_name(kind: str, name: str, existing: Collection[str]) -> None:
    if not SCREEN_NAME.match(name):
        raise ProjectError([f"{kind} name {name!r}: use lower-case letters, digits, - and _"])
    if name in existing:
        raise ProjectError([f"{kind} '{name}' already exists"])


def _need(kind: str, name: str, existing: Collection[str]) -> None:
    if name not in existing:
        raise ProjectError([f"no {kind} '{name}'"])


def rename_screen(folder: ProjectFolder, old: str, new: str) -> Result:
    """Rename a screen; `navigate:` actions in screens and templates and the start screen follow."""
    _need("screen", old, folder.screens)
    _check_new_file_name("screen", new, folder.screens)

    def action(a: Action) -> Action:
        return a.model_copy(update={"navigate": new}) if a.navigate == old else a

    parts = _map_folder_items(folder, lambda item: _map_action(item, action))
    screens = _renamed_key(parts.get("screens", folder.screens), old, new)
    project = folder.project
    if project.start_screen == old:
        project = project.model_copy(update={"start_screen": new})
    new_folder = _replace(
        folder, project=project, screens=screens, templates=parts.get("templates", folder.templates)
    )
    return _result(folder, new_folder)


def duplicate_screen(folder: ProjectFolder, source: str, new: str, title: str | None = None) -> Result:
    """A copy of a screen under a new name (and title, by default the source's with ' (copy)')."""
    _need("screen", source, folder.screens)
    _check_new_file_name("screen", new, folder.screens)
    original = folder.screens[source]
    copy = Screen.model_validate(original.model_dump())
    copy = copy.model_copy(update={"title": title if title is not None else f"{original.title} (copy)"})
    return _result(folder, _replace(folder, screens={**folder.screens, new: copy}))


def delete_screen(folder: ProjectFolder, name: str) -> Result:
    """The folder without the screen; `dangling` lists the links and start screen left pointing at it."""
    _need("screen", name, folder.screens)
    screens = {k: v for k, v in folder.screens.items() if k != name}
    return _result(folder, _replace(folder, screens=screens))


# -- templates -----------------------------------------------------------------------------------


def rename_template(folder: ProjectFolder, old: str, new: str) -> Result:
    """Rename a template; every instance (`template:` items) and `popup:` action follows."""
    _need("template", old, folder.templates)
    _check_new_file_name("template", new, folder.templates)

    def action(a: Action) -> Action:
        return a.model_copy(update={"popup": new}) if a.popup == old else a

    def item(it: Item) -> Item:
        if isinstance(it, Instance) and it.template == old:
            it = it.model_copy(update={"template": new})
        return _map_action(it, action)

    parts = _map_folder_items(folder, item)
    templates = _renamed_key(parts.get("templates", folder.templates), old, new)
    new_folder = _replace(folder, screens=parts.get("screens", folder.screens), templates=templates)
    return _result(folder, new_folder)


def delete_template(folder: ProjectFolder, name: str) -> Result:
    """The folder without the template; `dangling` lists the instances and popups left without it."""
    _need("template", name, folder.templates)
    templates = {k: v for k, v in folder.templates.items() if k != name}
    return _result(folder, _replace(folder, templates=templates))


# -- tags ----------------------------------------------------------------------------------------


def _rename_args(args: dict[str, str], old: str, new: str) -> dict[str, str] | None:
    """Template arguments that are exactly the tag name (a template binding `{pv}`), renamed."""
    if old not in args.values():
        return None
    return {key: new if value == old else value for key, value in args.items()}


def _tag_in_action(a: Action, old: str, new: str) -> Action:
    update: dict[str, object] = {
        key: new for key in ("write", "setpoint", "toggle") if getattr(a, key) == old
    }
    args = _rename_args(a.args, old, new)
    if args is not None:
        update["args"] = args
    return a.model_copy(update=update) if update else a


def _tag_in_item(it: Item, old: str, new: str) -> Item:
    update: dict[str, object] = {}
    bind = {prop: rename_in_expression(text, old, new) for prop, text in it.bind.items()}
    if bind != it.bind:
        update["bind"] = bind
    colors = [r.model_copy(update={"when": rename_in_expression(r.when, old, new)}) for r in it.colors]
    if any(a.when != b.when for a, b in zip(colors, it.colors, strict=True)):
        update["colors"] = colors
    args = _rename_args(it.args, old, new) if isinstance(it, Instance) else None
    if args is not None:
        update["args"] = args
    it = it.model_copy(update=update) if update else it
    return _map_action(it, lambda a: _tag_in_action(a, old, new))


def _tag_in_alarms(tag: Tag, old: str, new: str) -> Tag:
    """Deviation setpoints and suppression conditions of one tag's alarms, renamed."""
    alarms = tag.alarms
    update: dict[str, object] = {}
    for kind in type(alarms).model_fields:
        definition = getattr(alarms, kind)
        if definition is None:
            continue
        changes: dict[str, object] = {}
        suppress = rename_in_expression(definition.suppress_when, old, new)
        if suppress != definition.suppress_when:
            changes["suppress_when"] = suppress
        if getattr(definition, "setpoint", None) == old:
            changes["setpoint"] = new
        if changes:
            update[kind] = definition.model_copy(update=changes)
    return tag.model_copy(update={"alarms": alarms.model_copy(update=update)}) if update else tag


def rename_tag(folder: ProjectFolder, old: str, new: str) -> Result:
    """Rename a tag and every reference: bindings and colour rules (parsed, whole names only), action
    targets, template arguments and parameter defaults equal to the name, other tags' alarms, trend pens.

    Names a template builds from parameters (`{tag}.Level` with `tag: TK101`) cannot follow a rename of
    one tag; they are returned in `dangling`.
    """
    _need("tag", old, folder.tags)
    if not TAG_NAME.match(new):
        raise ProjectError([f"tag name {new!r} must be words of letters, digits and _ joined by dots"])
    if new in folder.tags:
        raise ProjectError([f"tag '{new}' already exists"])
    tags = []
    for tag in folder.project.tags:
        if tag.name == old:
            tag = tag.model_copy(update={"name": new})
        tags.append(_tag_in_alarms(tag, old, new))
    trends = {}
    for trend_name, trend in folder.project.trends.items():
        pens = [p.model_copy(update={"tag": new}) if p.tag == old else p for p in trend.pens]
        trends[trend_name] = trend.model_copy(update={"pens": pens}) if pens != trend.pens else trend
    project = folder.project.model_copy(update={"tags": tags, "trends": trends})
    parts = _map_folder_items(folder, lambda it: _tag_in_item(it, old, new))
    templates = parts.get("templates", folder.templates)
    if any(p.default == old for t in templates.values() for p in t.params.values()):
        parts["templates"] = {name: _tag_in_defaults(t, old, new) for name, t in templates.items()}
    return _result(folder, _replace(folder, project=project, **parts))


def _tag_in_defaults(template: Template, old: str, new: str) -> Template:
    """Parameter defaults that are exactly the tag name, renamed."""
    if not any(p.default == old for p in template.params.values()):
        return template
    params = {
        k: p.model_copy(update={"default": new}) if p.default == old else p
        for k, p in template.params.items()
    }
    return template.model_copy(update={"params": params})


def delete_tag(folder: ProjectFolder, name: str) -> Result:
    """The folder without the tag; `dangling` lists every binding, action, alarm and pen that used it."""
    _need("tag", name, folder.tags)
    project = folder.project.model_copy(update={"tags": [t for t in folder.project.tags if t.name != name]})
    return _result(folder, _replace(folder, project=project))


def replace_tag(folder: ProjectFolder, old: str, tag: Tag) -> Result:
    """Replace one tag's definition; a changed name is a rename, so references follow."""
    if tag.name != old:
        renamed = rename_tag(folder, old, tag.name).folder
    else:
        _need("tag", old, folder.tags)
        renamed = folder
    tags = [tag if t.name == tag.name else t for t in renamed.project.tags]
    return _result(folder, _replace(renamed, project=renamed.project.model_copy(update={"tags": tags})))


# -- tags from a server's address space ----------------------------------------------------------


class NodeLike(Protocol):
    """What tag_from_node needs of a browsed node (hmi.opcua.browse.NodeInfo has it, frozen)."""

    @property
    def node(self) -> str: ...
    @property
    def path(self) -> tuple[str, ...]: ...
    @property
    def data_type(self) -> str | None: ...
    @property
    def writable(self) -> bool: ...


_NOT_NAME = re.compile(r"[^A-Za-z0-9_]+")


def _name_part(text: str) -> str:
    part = _NOT_NAME.sub("_", text).strip("_") or "x"
    return part if not part[0].isdigit() else f"_{part}"


def suggest_tag_name(node: str, path: tuple[str, ...]) -> str:
    """The node's string id when it is already a tag name (`ns=2;s=TK101.Level`), else its browse path."""
    _, _, identifier = node.partition(";s=")
    if TAG_NAME.match(identifier):
        return identifier
    return ".".join(_name_part(p) for p in path) or "Tag"


def unique_name(name: str, existing: Collection[str]) -> str:
    """`name`, or `name_2`, `name_3`... whichever is not taken."""
    if name not in existing:
        return name
    n = 2
    while f"{name}_{n}" in existing:
        n += 1
    return f"{name}_{n}"


def tag_from_node(info: NodeLike, connection: str, existing_names: Collection[str]) -> Tag:
    """A project tag for a browsed variable, with a valid name not among `existing_names`.

    Raises ProjectError when the node's data type cannot be a tag (e.g. a structure or a DateTime).
    """
    allowed = get_args(DataType)
    if info.data_type not in allowed:
        raise ProjectError(
            [f"{info.node}: data type {info.data_type} cannot be a tag ({', '.join(allowed)})"]
        )
    data: dict[str, object] = {
        "name": unique_name(suggest_tag_name(info.node, info.path), existing_names),
        "connection": connection,
        "node": info.node,
        "type": info.data_type,
        "writable": info.writable,
    }
    for key in ("units", "description", "range"):
        value = getattr(info, key, None)
        if value:
            data[key] = value
    return Tag.model_validate(data)
