"""Templates (faceplates): groups of items defined once with `{param}` placeholders, placed many times.

Expansion works on the items' plain data, so every string field (bindings, labels, actions) can use
parameters, and the result is validated again as ordinary items.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from .model import Item, Screen, Template
from .symbols import parse_item

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _strings(data: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every string in nested data with its field path (`bind.running`, `on_click.args.tag`)."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, Mapping):
        for key, value in data.items():
            yield from _strings(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list | tuple):
        for i, value in enumerate(data):
            yield from _strings(value, f"{path}[{i}]")


def _substitute(data: Any, values: Mapping[str, str]) -> Any:
    if isinstance(data, str):
        return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), data)
    if isinstance(data, Mapping):
        return {key: _substitute(value, values) for key, value in data.items()}
    if isinstance(data, list):
        return [_substitute(value, values) for value in data]
    return data


def template_problems(template: Template) -> list[str]:
    """Problems inside one template file, as 'field: message' (the caller prefixes the file)."""
    found = []
    for i, item in enumerate(template.items):
        if item.type == "template":
            found.append(f"items[{i}].type: a template cannot contain another template")
        for path, text in _strings(item.model_dump(mode="json", exclude_defaults=True), ""):
            for name in PLACEHOLDER.findall(text):
                if name not in template.params:
                    found.append(f"items[{i}].{path}: unknown parameter '{{{name}}}'")
    return found


def argument_problems(name: str, template: Template, args: Mapping[str, str]) -> list[str]:
    """Missing and unknown arguments of one instance, as 'field: message' relative to its `args`."""
    found = [
        f"args: missing argument '{param}' of template '{name}'"
        for param, spec in template.params.items()
        if spec.default is None and param not in args
    ]
    found += [
        f"args.{arg}: unknown argument '{arg}' of template '{name}'"
        for arg in args
        if arg not in template.params
    ]
    return found


def arguments(template: Template, args: Mapping[str, str]) -> dict[str, str]:
    """Parameter values of an instance: its arguments over the template's defaults."""
    values = {param: spec.default for param, spec in template.params.items() if spec.default is not None}
    values.update(args)
    return values


def expand(template: Template, args: Mapping[str, str], at: tuple[float, float] = (0.0, 0.0)) -> list[Item]:
    """The template's items with the parameters filled in, moved by `at`."""
    values = arguments(template, args)
    items = []
    for item in template.items:
        data = _substitute(item.model_dump(mode="json", exclude_defaults=True), values)
        data["at"] = [data["at"][0] + at[0], data["at"][1] + at[1]]
        items.append(parse_item(data))
    return items


def title(template: Template, args: Mapping[str, str]) -> str:
    return _substitute(template.title, arguments(template, args))


def as_screen(template: Template, args: Mapping[str, str]) -> Screen:
    """A template on its own, as the screen a faceplate popup shows."""
    return Screen(title=title(template, args), size=template.size, items=expand(template, args))
