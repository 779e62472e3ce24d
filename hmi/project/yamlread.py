"""Reading a project file without surprises: hostile or careless text gets a message, never a crash.

Parsing is libyaml's (fast, safe constructors only); the common case is read straight from its
events (yamlfast), everything else as follows. Before anything is built from the parsed nodes,
one pass refuses what no project needs and what could hang or exhaust the station: aliases (recursion,
"billion laughs"), duplicate keys, deep nesting, huge node counts, integers past 64 bits and numbers
that are not finite.
"""

from __future__ import annotations

import math
from typing import Any

import yaml

from . import yamlfast

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 32 * 1024 * 1024
"""Ten thousand tags take about 2 MB; a larger file is a mistake (or an attack), not a project."""
MAX_NODES = 2_000_000
MAX_DEPTH = 64
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
INT_MIN, INT_MAX = -(2**63), 2**64 - 1
"""The widest integers a tag can have (Int64, UInt64)."""
INT_TEXT_MAX = 32
SHOWN_DEPTH = 8


class YamlError(ValueError):
    """A file that cannot be used; the message starts with where (line, field path) when known."""


def field_path(loc: tuple[Any, ...]) -> str:
    """('items', 3, 'bind', 'level') -> 'items[3].bind.level'."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def too_large(size: int) -> YamlError:
    return YamlError(
        f"the file has {size / 2**20:.1f} MiB: a project file may have at most {MAX_FILE_BYTES // 2**20} MiB"
    )


def decode(data: bytes) -> str:
    """UTF-8 text of a file; a byte that is not UTF-8 is named with its offset and line."""
    if len(data) > MAX_FILE_BYTES:
        raise too_large(len(data))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise YamlError(
            f"line {line}: not UTF-8 text: byte 0x{data[exc.start]:02x} at offset {exc.start}; "
            "save the file as UTF-8"
        ) from None


def _where(path: tuple[Any, ...], node: yaml.Node) -> str:
    line = f"line {node.start_mark.line + 1}"
    shown = field_path(path[:SHOWN_DEPTH]) + ("..." if len(path) > SHOWN_DEPTH else "")
    return f"{shown}: {line}" if path else line


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    def get_single_data(self) -> Any:
        node = self.get_single_node()
        if node is None:
            return None
        self._vet(node)
        return self.construct_document(node)

    def _vet(self, root: yaml.Node) -> None:
        """Walk the node graph once (iteratively: no recursion to exhaust) before building anything."""
        seen: set[int] = set()
        stack: list[tuple[yaml.Node, tuple[Any, ...]]] = [(root, ())]
        while stack:
            node, path = stack.pop()
            if id(node) in seen:
                raise YamlError(
                    f"{field_path(path[:SHOWN_DEPTH]) or '(top)'}: an alias (*name) repeats the part at "
                    f"line {node.start_mark.line + 1}; project files do not use anchors and aliases: "
                    "use a template for repeated items"
                )
            seen.add(id(node))
            if len(seen) > MAX_NODES:
                raise YamlError(f"{_where(path, node)}: more than {MAX_NODES:,} values in one file")
            if len(path) > MAX_DEPTH:
                raise YamlError(f"{_where(path, node)}: nested more than {MAX_DEPTH} levels deep")
            self._vet_tag(node, path)
            if isinstance(node, yaml.MappingNode):
                stack += reversed(self._entries(node, path))
            elif isinstance(node, yaml.SequenceNode):
                stack += reversed([(child, (*path, i)) for i, child in enumerate(node.value)])
            else:
                self._vet_number(node, path)

    def _entries(self, node: yaml.MappingNode, path: tuple[Any, ...]) -> list[tuple[yaml.Node, tuple]]:
        first_line: dict[str, int] = {}
        entries = []
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise YamlError(f"{_where(path, key)}: a key must be a plain name, not a list or mapping")
            line = key.start_mark.line + 1
            if key.value in first_line:
                raise YamlError(
                    f"{_where((*path, key.value), key)}: duplicate key '{key.value}' "
                    f"(first on line {first_line[key.value]}): keep one"
                )
            first_line[key.value] = line
            entries.append((value, (*path, key.value)))
        return entries

    def _vet_tag(self, node: yaml.Node, path: tuple[Any, ...]) -> None:
        """Refuse an explicit tag (`!!timestamp`, `!!set`, `!custom`): the plain YAML types are enough."""
        if isinstance(node, yaml.ScalarNode):
            plain = not node.style  # None from PyYAML, "" from libyaml
            implied = self.resolve(yaml.ScalarNode, node.value, (plain, not plain))
        else:
            implied = self.resolve(type(node), None, (True, False))
        if node.tag != implied:
            raise YamlError(f"{_where(path, node)}: the tag {node.tag} is not used in project files")

    def _vet_number(self, node: yaml.Node, path: tuple[Any, ...]) -> None:
        if node.tag == INT_TAG:
            digits = node.value.lstrip("+-").replace("_", "")
            number = self.construct_yaml_int(node) if len(digits) <= INT_TEXT_MAX else None
            if number is None or not INT_MIN <= number <= INT_MAX:
                short = len(node.value) <= 24
                shown = node.value if short else f"{node.value[:12]}... ({len(digits)} digits)"
                raise YamlError(f"{_where(path, node)}: {shown} is beyond any 64-bit integer")
        elif node.tag == FLOAT_TAG and not math.isfinite(self.construct_yaml_float(node)):
            raise YamlError(f"{_where(path, node)}: {node.value} is not a finite number")


def loads(text: str) -> Any:
    """Plain data of one YAML document; YamlError says what is wrong and where."""
    if len(text) > MAX_FILE_BYTES:
        raise too_large(len(text))
    if yamlfast.available():
        try:
            return yamlfast.load(text, MAX_NODES, MAX_DEPTH, (INT_MIN, INT_MAX), INT_TEXT_MAX)
        except Exception:  # an error or an odd file: the careful reading says which, and where
            pass
    return loads_carefully(text)


def loads_carefully(text: str) -> Any:
    """As loads, always through the node graph and its vetting pass."""
    try:
        return yaml.load(text, Loader=_Loader)
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}: " if mark else ""
        raise YamlError(f"{where}not valid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YamlError(f"not valid YAML: {exc}") from None
    except (ValueError, TypeError, AttributeError, OverflowError) as exc:
        # What libyaml's constructors raise on values they cannot build: still a file to fix, not a crash.
        raise YamlError(f"not valid YAML: {exc}") from None
