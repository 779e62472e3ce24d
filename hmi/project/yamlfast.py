"""The common case of a project file, read straight from libyaml's events: a third of the time and
far less memory than composing the whole node graph first (50,000 tags: about 1 s instead of 7 s).

It takes only files that the careful reader (yamlread) would take as they are: plain mappings,
lists and scalars that resolve to null, bool, int, float or str, within its limits. Anything else,
an error included, raises Unusual, and the careful reader reads the file again to say exactly what
is wrong; so both give the same data and the same messages.
"""

from __future__ import annotations

import math
from typing import Any

import yaml
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

_CParser: Any = getattr(getattr(yaml, "cyaml", None), "CParser", None)
"""None for a PyYAML built without libyaml: the careful reader then does it all."""

STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
_PLAIN_TAGS = {"tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", INT_TAG, FLOAT_TAG}
_CACHED_LEN = 40
"""Plain scalars up to this long are resolved once per file (keys, units, numbers, connection names)."""

_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()
_CONSTRUCT = yaml.constructor.SafeConstructor.yaml_constructors
"""By tag, straight: construct_object would remember every node it built."""


class Unusual(Exception):
    """Something the careful reader must judge: an error, or YAML a project file does not normally use."""


def available() -> bool:
    return _CParser is not None


def load(text: str, max_nodes: int, max_depth: int, ints: tuple[int, int], int_text_max: int) -> Any:
    """The plain data of `text`'s one document, within the careful reader's bounds: values, nesting,
    integers (range, and digits in the text); floats are finite."""
    get_event: Any = _CParser(text).get_event
    resolve = _resolver.resolve
    plain_values: dict[str, Any] = {}
    # The open containers: each with whether it is a mapping, its key texts, the key awaiting a value.
    stack: list[tuple[Any, bool, set[str] | None, Any]] = []
    current: Any = None
    is_map = False
    keys: set[str] | None = None
    key: Any = None
    root: Any = None
    nodes = 0
    documents = 0
    while (event := get_event()) is not None:
        kind = type(event)
        if kind is ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                raise Unusual
            text_value = event.value
            if not event.implicit[0]:  # quoted: a string whatever it says
                value: Any = text_value
            elif (value := plain_values.get(text_value, plain_values)) is plain_values:
                value = _plain(text_value, resolve, ints, int_text_max)
                if len(text_value) <= _CACHED_LEN:
                    plain_values[text_value] = value
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor is not None or event.tag is not None or len(stack) >= max_depth:
                raise Unusual
            text_value = None
            value = {} if kind is MappingStartEvent else []
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            current, is_map, keys, key = stack.pop()
            continue
        elif kind is DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise Unusual
            continue
        elif kind is StreamStartEvent or kind is DocumentEndEvent or kind is StreamEndEvent:
            continue
        else:  # an alias
            raise Unusual
        nodes += 1
        if nodes > max_nodes:
            raise Unusual
        if is_map:
            assert keys is not None
            if key is keys:  # this is a key; `keys` itself marks "no key yet"
                if text_value is None or text_value in keys:
                    raise Unusual
                keys.add(text_value)
                key = value
                continue
            current[key] = value
            key = keys
        elif current is not None:
            current.append(value)
        else:
            root = value
        if text_value is None:
            stack.append((current, is_map, keys, key))
            current, is_map = value, kind is MappingStartEvent
            keys = set() if is_map else None
            key = keys
    return root


def _plain(text: str, resolve: Any, ints: tuple[int, int], int_text_max: int) -> Any:
    tag = resolve(yaml.ScalarNode, text, (True, False))
    if tag == STR_TAG:
        return text
    if tag not in _PLAIN_TAGS:  # a date, a merge key <<: the careful reader knows what they become
        raise Unusual
    if tag == INT_TAG and len(text.lstrip("+-").replace("_", "")) > int_text_max:
        raise Unusual
    value = _CONSTRUCT[tag](_constructor, yaml.ScalarNode(tag, text))
    if tag == INT_TAG and not ints[0] <= value <= ints[1]:
        raise Unusual
    if tag == FLOAT_TAG and not math.isfinite(value):
        raise Unusual
    return value
