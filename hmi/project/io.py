"""Load a project folder with every problem named by file and field; save edits into the files' own text."""

from __future__ import annotations

import gc
import logging
import math
import os
import re
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ..errors import ProjectError
from ..expr import Expression, ExpressionError
from . import roundtrip, yamlfmt, yamlread
from . import templates as tpl
from .model import Action, Item, Project, Screen, Tag, Template
from .symbols import Image, Instance
from .yamlread import field_path

PROJECT_FILE = "project.yaml"
SCREENS_DIR = "screens"
TEMPLATES_DIR = "templates"
SCREEN_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

_MESSAGES = {"Field required": "missing", "Extra inputs are not permitted": "unknown field"}

log = logging.getLogger(__name__)


@dataclass
class _OnDisk:
    """A file as last read or written: its text, and its content as the models dump it. For a file as
    loaded, the content is worked out from the text when a save first asks: most loads never save."""

    text: str
    rel: str
    _data: dict[str, Any] | None = None

    @property
    def data(self) -> dict[str, Any]:
        if self._data is None:
            self._data = _dump(_model_of(self.rel).model_validate(yamlread.loads(self.text)))
        return self._data


def _describe(err: ErrorDetails) -> str:
    msg = err["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return _MESSAGES.get(msg, msg)


@dataclass
class ProjectFolder:
    """A loaded project: project.yaml, screens and templates, with what was on disk to keep saves minimal."""

    root: Path
    project: Project
    screens: dict[str, Screen]
    templates: dict[str, Template] = field(default_factory=dict)
    _on_disk: dict[str, _OnDisk] = field(default_factory=dict, repr=False)

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
        names = seen
        for i, tag in enumerate(project.tags):
            if not _has_alarms(tag):  # most tags: nothing to look up, and quicker to see
                continue
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
        tags = self.tags  # once: every item asks
        for name, screen in self.screens.items():
            file = self.screen_file(name)
            for i, item in enumerate(screen.items):
                found += self._item_problems(f"{file}: items[{i}]", item, tags)
        return found

    def _item_problems(self, where: str, item: Item, tags: dict[str, Tag]) -> list[str]:
        """Unknown tags, screens, trends and templates one item refers to; a template is checked expanded."""
        found: list[str] = []
        exprs = [(f"bind.{prop}", text) for prop, text in item.bind.items()]
        exprs += [(f"colors[{i}].when", rule.when) for i, rule in enumerate(item.colors)]
        for path, text in exprs:
            try:
                names = Expression(text).names
            except ExpressionError as exc:
                found.append(f"{where}.{path}: {exc}")
                continue
            found += [f"{where}.{path}: unknown tag '{n}'" for n in sorted(names - tags.keys())]
        if isinstance(item, Image):
            outside = _inside(self.root, self.root / item.source, f"{where}.source")
            if outside is not None:
                found.append(outside)
            elif not (self.root / item.source).is_file():
                found.append(f"{where}.source: no file '{item.source}' in the project folder")
        if isinstance(item, Instance):
            found += self._instance_problems(where, item.template, item.args, item.at, tags)
        if item.on_click is not None:
            found += self._action_problems(f"{where}.on_click", item.on_click, tags)
        return found

    def _instance_problems(
        self, where: str, name: str, args: dict[str, str], at: tuple[float, float], tags: dict[str, Tag]
    ) -> list[str]:
        template = self.templates.get(name)
        if template is None:
            field_name = "popup" if where.endswith("on_click") else "template"
            return [f"{where}.{field_name}: unknown template '{name}'"]
        found = [f"{where}.{p}" for p in tpl.argument_problems(name, template, args)]
        if found or tpl.template_problems(template):
            return found
        for i, item in enumerate(tpl.expand(template, args, at)):
            found += self._item_problems(f"{where} ({name}).items[{i}]", item, tags)
        return found

    def _action_problems(self, where: str, action: Action, tags: dict[str, Tag]) -> list[str]:
        found: list[str] = []
        if action.navigate is not None and action.navigate not in self.screens:
            found.append(f"{where}.navigate: unknown screen '{action.navigate}'")
        if action.trend is not None and action.trend not in self.project.trends:
            found.append(f"{where}.trend: unknown trend '{action.trend}'")
        if action.popup is not None:
            found += self._instance_problems(where, action.popup, action.args, (0.0, 0.0), tags)
        if action.open_diagnostics is not None and action.open_diagnostics not in self.project.diagnostics:
            found.append(f"{where}.open_diagnostics: unknown asset '{action.open_diagnostics}'")
        for key in ("write", "setpoint", "toggle"):
            target = getattr(action, key)
            if target is None:
                continue
            if target not in tags:
                found.append(f"{where}.{key}: unknown tag '{target}'")
            elif not tags[target].writable:
                found.append(f"{where}.{key}: tag '{target}' is not writable")
        return found


def _has_alarms(tag: Tag) -> bool:
    alarms = tag.alarms
    return bool(alarms.__pydantic_extra__) or any(v is not None for v in alarms.__dict__.values())


def _inside(root: Path, path: Path, rel: str) -> str | None:
    """A problem when `path` (a link, or in a linked folder) leads out of the project folder (RULE 2)."""
    target = path.resolve()
    if target.is_relative_to(root.resolve()):
        return None
    return f"{rel}: leads to {target}, outside the project folder: project files stay inside it"


def _non_finite(value: Any, loc: tuple[Any, ...] = ()) -> list[str]:
    """Field paths holding NaN or infinity, which no setting means (also when a field took the text 'nan')."""
    if isinstance(value, float):
        return [] if math.isfinite(value) else [field_path(loc)]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _non_finite(v, (*loc, k))]
    if isinstance(value, list | tuple):
        return [p for i, v in enumerate(value) for p in _non_finite(v, (*loc, i))]
    return []


_LEAVES = frozenset({str, int, bool, type(None)})


def _any_non_finite(model: BaseModel) -> bool:
    """Whether the model's dump holds NaN or infinity, found in its fields: the common case, without
    a dump of it all and the paths."""
    stack: list[Any] = [model]
    while stack:
        item = stack.pop()
        if type(item) in _LEAVES:  # most values; and isinstance(x, BaseModel) is slow (an ABC)
            continue
        if isinstance(item, float):
            if not math.isfinite(item):
                return True
        elif isinstance(item, BaseModel):
            stack += item.__dict__.values()
            stack += (item.__pydantic_extra__ or {}).values()
        elif isinstance(item, dict):
            stack += item.values()
        elif isinstance(item, list | tuple):
            stack += item
    return False


def _read(root: Path, rel: str, model: type[BaseModel], problems: list[str]) -> tuple[Any, str]:
    """The file `rel` validated as `model` and its text; (None, '') when it cannot be used."""
    path = root / rel
    if (outside := _inside(root, path, rel)) is not None:
        problems.append(outside)
        return None, ""
    try:
        if path.stat().st_size > yamlread.MAX_FILE_BYTES:  # said before reading it all into memory
            raise yamlread.too_large(path.stat().st_size)
        text = yamlread.decode(path.read_bytes())
        data = yamlread.loads(text)
    except OSError as exc:
        problems.append(f"{rel}: cannot read: {exc.strerror}")
        return None, ""
    except yamlread.YamlError as exc:
        problems.append(f"{rel}: {exc}")
        return None, ""
    if not isinstance(data, dict):
        problems.append(f"{rel}: expected a mapping of fields at the top")
        return None, ""
    try:
        value = model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            path_text = field_path(err["loc"]) or "(top)"
            problems.append(f"{rel}: {path_text}: {_describe(err)}")
        return None, ""
    bad = _non_finite(value.model_dump()) if _any_non_finite(value) else []
    problems += [f"{rel}: {where}: not a finite number" for where in bad]
    return (None, "") if bad else (value, text)


def _read_dir(root: Path, folder: str, model: type[BaseModel], problems: list[str]) -> dict[str, Any]:
    """Every `folder/*.yaml` as (`model`, text), keyed by file stem; bad files are left out and reported."""
    loaded: dict[str, Any] = {}
    for path in sorted((root / folder).glob("*.yaml")):
        rel = f"{folder}/{path.name}"
        if not SCREEN_NAME.match(path.stem):
            problems.append(f"{rel}: file names use lower-case letters, digits, - and _")
            continue
        value, text = _read(root, rel, model, problems)
        if value is not None:
            loaded[path.stem] = (value, text)
    return loaded


@contextmanager
def _collector_paused() -> Iterator[None]:
    """A load builds a million objects and frees almost none: the cycle collector would go through them
    again and again for nothing (a third of the time of a 50,000-tag load)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check_project(root: Path) -> tuple[ProjectFolder | None, list[str]]:
    """Load what can be loaded and list every problem; the folder is None when it cannot be used."""
    with _collector_paused():
        return _check_project(Path(root))


def _check_project(root: Path) -> tuple[ProjectFolder | None, list[str]]:
    problems: list[str] = []
    if not (root / PROJECT_FILE).is_file():
        return None, [f"{root}: no {PROJECT_FILE} here: not a project folder"]
    project, project_text = _read(root, PROJECT_FILE, Project, problems)
    screens = _read_dir(root, SCREENS_DIR, Screen, problems)
    templates = _read_dir(root, TEMPLATES_DIR, Template, problems)
    if project is None:
        return None, problems
    folder = ProjectFolder(
        root, project, {n: m for n, (m, _) in screens.items()}, {n: m for n, (m, _) in templates.items()}
    )
    texts = {PROJECT_FILE: project_text}
    texts.update({folder.screen_file(n): t for n, (_, t) in screens.items()})
    texts.update({folder.template_file(n): t for n, (_, t) in templates.items()})
    folder._on_disk = {rel: _OnDisk(text, rel) for rel, text in texts.items()}
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


def _model_of(rel: str) -> type[BaseModel]:
    if rel == PROJECT_FILE:
        return Project
    return Screen if rel.startswith(f"{SCREENS_DIR}/") else Template


def _text_of(rel: str, on_disk: _OnDisk | None, data: dict[str, Any]) -> str:
    """The file's new text: its old text with the changes patched in, or the dialect's text when new."""
    if on_disk is None or not on_disk.text:
        return yamlfmt.dumps(data)
    try:
        text = roundtrip.render(on_disk.text, on_disk.data, data)
        if _dump(_model_of(rel).model_validate(yamlread.loads(text))) == data:
            return text
        log.warning("%s: the patched text does not read back as edited; writing it afresh", rel)
    except Exception as exc:  # ruamel.yaml raises many kinds; a save must not fail for want of a patch
        log.warning("%s: cannot patch the text (%s); writing it afresh", rel, exc)
    return yamlfmt.dumps(data)


def save_project(folder: ProjectFolder) -> list[str]:
    """Write the files whose content changed (atomic replace) and remove the files of screens and
    templates that are gone; returns the names of the files touched.

    An unchanged file keeps its bytes; a changed one keeps its comments, layout and quoting, and only
    the lines of the values that changed differ.
    """
    written = []
    current = _dumps_of(folder)
    for rel, data in current.items():
        on_disk = folder._on_disk.get(rel)
        if on_disk is not None and on_disk.data == data:
            continue
        text = _text_of(rel, on_disk, data)
        _write_atomic(folder.root / rel, text)
        folder._on_disk[rel] = _OnDisk(text, rel, data)
        written.append(rel)
    # A screen or template renamed or deleted since the load must not come back with the next one.
    for rel in folder._on_disk.keys() - current.keys():
        (folder.root / rel).unlink(missing_ok=True)
        del folder._on_disk[rel]
        written.append(rel)
    return written


def _write_atomic(path: Path, text: str) -> None:
    """Replace the file in one step (a crash leaves the old file or the new one, never half of one),
    keeping its permission bits; a new file gets the folder's usual ones (the umask applies)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if os.name == "posix":  # the rename itself must reach the disk too
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
