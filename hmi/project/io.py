"""Load a project folder with every problem named by file and field; save it back byte-stable."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import ProjectError
from ..expr import Expression, ExpressionError
from . import templates as tpl
from . import yamlfmt
from .model import Action, Item, Project, Screen, Tag, Template

PROJECT_FILE = "project.yaml"
SCREENS_DIR = "screens"
TEMPLATES_DIR = "templates"
SCREEN_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

_MESSAGES = {"Field required": "missing", "Extra inputs are not permitted": "unknown field"}


def field_path(loc: tuple[Any, ...]) -> str:
    """('items', 3, 'bind', 'level') -> 'items[3].bind.level'."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _describe(err: dict[str, Any]) -> str:
    msg = err["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return _MESSAGES.get(msg, msg)


@dataclass
class ProjectFolder:
    """A loaded project: project.yaml, screens and templates, with what was on disk to keep saves minimal."""

    root: Path
    project: Project
    screens: dict[str, Screen]
    templates: dict[str, Template] = field(default_factory=dict)
    _on_disk: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        return self.project.name

    @property
    def tags(self) -> dict[str, Tag]:
        return {t.name: t for t in self.project.tags}

    def screen_file(self, screen: str) -> str:
        return f"{SCREENS_DIR}/{screen}.yaml"

    def template_file(self, template: str) -> str:
        return f"{TEMPLATES_DIR}/{template}.yaml"

    def problems(self) -> list[str]:
        """Cross-file problems: references to tags, connections and screens that do not exist."""
        found: list[str] = []
        project = self.project
        seen: set[str] = set()
        for i, tag in enumerate(project.tags):
            if tag.name in seen:
                found.append(f"{PROJECT_FILE}: tags[{i}].name: duplicate tag '{tag.name}'")
            seen.add(tag.name)
            if tag.connection not in project.connections:
                found.append(f"{PROJECT_FILE}: tags[{i}].connection: unknown connection '{tag.connection}'")
        names = {t.name for t in project.tags}
        for i, tag in enumerate(project.tags):
            for other in sorted(tag.alarms.referenced_tags() - names):
                found.append(f"{PROJECT_FILE}: tags[{i}].alarms: unknown tag '{other}'")
        for trend_name, trend in project.trends.items():
            for i, pen in enumerate(trend.pens):
                if pen.tag not in names:
                    where = f"trends.{trend_name}.pens[{i}].tag"
                    found.append(f"{PROJECT_FILE}: {where}: unknown tag '{pen.tag}'")
        if project.start_screen not in self.screens:
            found.append(f"{PROJECT_FILE}: start_screen: unknown screen '{project.start_screen}'")
        for name, template in self.templates.items():
            found += [f"{self.template_file(name)}: {p}" for p in tpl.template_problems(template)]
        for name, screen in self.screens.items():
            file = self.screen_file(name)
            for i, item in enumerate(screen.items):
                found += self._item_problems(f"{file}: items[{i}]", item)
        return found

    def _item_problems(self, where: str, item: Item) -> list[str]:
        """Unknown tags, screens, trends and templates one item refers to; a template is checked expanded."""
        found: list[str] = []
        tags = self.tags
        exprs = [(f"bind.{prop}", text) for prop, text in item.bind.items()]
        exprs += [(f"colors[{i}].when", rule.when) for i, rule in enumerate(item.colors)]
        for path, text in exprs:
            try:
                names = Expression(text).names
            except ExpressionError as exc:
                found.append(f"{where}.{path}: {exc}")
                continue
            found += [f"{where}.{path}: unknown tag '{n}'" for n in sorted(names - tags.keys())]
        if item.source is not None and not (self.root / item.source).is_file():
            found.append(f"{where}.source: no file '{item.source}' in the project folder")
        if item.template is not None:
            found += self._instance_problems(where, item.template, item.args, item.at)
        if item.on_click is not None:
            found += self._action_problems(f"{where}.on_click", item.on_click)
        return found

    def _instance_problems(
        self, where: str, name: str, args: dict[str, str], at: tuple[float, float]
    ) -> list[str]:
        template = self.templates.get(name)
        if template is None:
            field_name = "popup" if where.endswith("on_click") else "template"
            return [f"{where}.{field_name}: unknown template '{name}'"]
        found = [f"{where}.{p}" for p in tpl.argument_problems(name, template, args)]
        if found or tpl.template_problems(template):
            return found
        for i, item in enumerate(tpl.expand(template, args, at)):
            found += self._item_problems(f"{where} ({name}).items[{i}]", item)
        return found

    def _action_problems(self, where: str, action: Action) -> list[str]:
        found: list[str] = []
        tags = self.tags
        if action.navigate is not None and action.navigate not in self.screens:
            found.append(f"{where}.navigate: unknown screen '{action.navigate}'")
        if action.trend is not None and action.trend not in self.project.trends:
            found.append(f"{where}.trend: unknown trend '{action.trend}'")
        if action.popup is not None:
            found += self._instance_problems(where, action.popup, action.args, (0.0, 0.0))
        for key in ("write", "setpoint", "toggle"):
            target = getattr(action, key)
            if target is None:
                continue
            if target not in tags:
                found.append(f"{where}.{key}: unknown tag '{target}'")
            elif not tags[target].writable:
                found.append(f"{where}.{key}: tag '{target}' is not writable")
        return found


def _read(path: Path, rel: str, model: type[BaseModel], problems: list[str]) -> tuple[Any, BaseModel | None]:
    try:
        data = yamlfmt.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        problems.append(f"{rel}: cannot read: {exc.strerror}")
        return None, None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        problems.append(f"{rel}: {where}not valid YAML: {getattr(exc, 'problem', exc)}")
        return None, None
    if not isinstance(data, dict):
        problems.append(f"{rel}: expected a mapping of fields at the top")
        return None, None
    try:
        return data, model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            path_text = field_path(err["loc"]) or "(top)"
            problems.append(f"{rel}: {path_text}: {_describe(err)}")
        return data, None


def _read_dir(root: Path, folder: str, model: type[BaseModel], problems: list[str]) -> dict[str, Any]:
    """Every `folder/*.yaml` as `model`, keyed by file stem; bad files are left out and reported."""
    loaded: dict[str, Any] = {}
    for path in sorted((root / folder).glob("*.yaml")):
        rel = f"{folder}/{path.name}"
        if not SCREEN_NAME.match(path.stem):
            problems.append(f"{rel}: file names use lower-case letters, digits, - and _")
            continue
        _, value = _read(path, rel, model, problems)
        if value is not None:
            loaded[path.stem] = value
    return loaded


def check_project(root: Path) -> tuple[ProjectFolder | None, list[str]]:
    """Load what can be loaded and list every problem; the folder is None when it cannot be used."""
    root = Path(root)
    problems: list[str] = []
    if not (root / PROJECT_FILE).is_file():
        return None, [f"{root}: no {PROJECT_FILE} here: not a project folder"]
    _, project = _read(root / PROJECT_FILE, PROJECT_FILE, Project, problems)
    screens = _read_dir(root, SCREENS_DIR, Screen, problems)
    templates = _read_dir(root, TEMPLATES_DIR, Template, problems)
    if project is None:
        return None, problems
    folder = ProjectFolder(root, project, screens, templates)  # type: ignore[arg-type]
    folder._on_disk = _dumps_of(folder)
    problems += folder.problems()
    return folder, problems


def load_project(root: Path | str) -> ProjectFolder:
    """Load and validate a project folder; raise ProjectError listing every problem found."""
    folder, problems = check_project(Path(root))
    if problems or folder is None:
        raise ProjectError(problems)
    return folder


def _dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_defaults=True)


def _dumps_of(folder: ProjectFolder) -> dict[str, dict[str, Any]]:
    files = {PROJECT_FILE: _dump(folder.project)}
    files.update({folder.screen_file(n): _dump(s) for n, s in folder.screens.items()})
    files.update({folder.template_file(n): _dump(t) for n, t in folder.templates.items()})
    return files


def save_project(folder: ProjectFolder) -> list[str]:
    """Write the files whose content changed (canonical YAML, atomic replace) and remove the files of
    screens and templates that are gone; returns the names of the files touched.

    An unchanged file keeps its bytes, comments and layout included.
    """
    written = []
    current = _dumps_of(folder)
    for rel, data in current.items():
        if folder._on_disk.get(rel) == data:
            continue
        _write_atomic(folder.root / rel, yamlfmt.dumps(data))
        written.append(rel)
    # A screen or template renamed or deleted since the load must not come back with the next one.
    for rel in folder._on_disk.keys() - current.keys():
        (folder.root / rel).unlink(missing_ok=True)
        written.append(rel)
    folder._on_disk = current
    return written


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
