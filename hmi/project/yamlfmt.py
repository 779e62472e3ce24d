"""The project's YAML dialect: safe reading, and one way of writing new values for clean diffs.

Values written anew (a new item, a changed field) follow the style of the shipped files: short lists
and small mappings of plain values on one line (`at: [120, 200]`, `bind: {level: TK101.Level}`),
list items indented under their key, whole numbers without `.0`. Reading is YAML 1.1 (libyaml), so a
string such as `yes` or `on` is quoted when written.
"""

from __future__ import annotations

import io
import math
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import LiteralScalarString, SingleQuotedScalarString

from .yamlread import YamlError, loads

__all__ = ["YamlError", "dumps", "loads", "round_trip", "styled"]

FLOW_DICT_MAX = 50
"""A mapping of scalars shorter than this (as text) is written on one line: `bind: {level: TK101.Level}`."""
WIDTH = 4096
"""Never fold a long line: one field, one line in a diff."""
_STR_TAG = "tag:yaml.org,2002:str"
_resolver = yaml.resolver.Resolver()
_INDICATORS = "-?:,[]{}#&*!|>'\"%@`"


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, bool | int | float | str)


class _Representer(RoundTripRepresenter):
    def represent_float(self, data: float) -> Any:
        # 100 and 100.0 are the same value to the models; write the shorter one.
        if data.is_integer() and abs(data) < 1e15:
            return self.represent_int(int(data))
        if not math.isfinite(data):
            return super().represent_float(data)
        # YAML 1.1 reads 1e-07 as a string: its floats have a point (1.0e-07), as PyYAML writes them.
        text = repr(data)
        if "." not in text and "e" in text:
            text = text.replace("e", ".0e", 1)
        return self.represent_scalar("tag:yaml.org,2002:float", text)

    def represent_none(self, data: None) -> Any:
        return self.represent_scalar("tag:yaml.org,2002:null", "null")


_Representer.add_representer(float, _Representer.represent_float)
_Representer.add_representer(type(None), _Representer.represent_none)


def round_trip(mapping: int = 2, offset: int = 2) -> YAML:
    """A ruamel.yaml reader/writer that keeps comments, order and quoting, indenting as given."""
    rt = YAML(typ="rt")
    rt.Representer = _Representer
    rt.preserve_quotes = True
    rt.width = WIDTH
    rt.indent(mapping=mapping, sequence=mapping + offset, offset=offset)
    return rt


def needs_quotes(text: str) -> bool:
    """Whether a string can only be written quoted (roughly: ruamel.yaml decides the fine cases)."""
    return (
        not text
        or text[0] in _INDICATORS
        or text != text.strip()
        or any(mark in text for mark in (": ", " #", "\n"))
        or text.endswith(":")
        or _resolver.resolve(yaml.ScalarNode, text, (True, False)) != _STR_TAG
    )


def styled(value: Any) -> Any:
    """Plain data as round-trip nodes in the dialect's style."""
    if isinstance(value, dict):
        node = CommentedMap((k, styled(v)) for k, v in value.items())
        flow = bool(value) and all(_scalar(v) for v in value.values()) and len(repr(value)) <= FLOW_DICT_MAX
        node.fa.set_flow_style() if flow else node.fa.set_block_style()
        return node
    if isinstance(value, list | tuple):
        seq = CommentedSeq(styled(v) for v in value)
        flow = all(_scalar(v) for v in value) or all(
            isinstance(v, list | tuple) and all(_scalar(x) for x in v) for v in value
        )
        seq.fa.set_flow_style() if flow else seq.fa.set_block_style()
        return seq
    if isinstance(value, str):
        if "\n" in value:
            return LiteralScalarString(value)
        if _resolver.resolve(yaml.ScalarNode, value, (True, False)) != _STR_TAG:
            return SingleQuotedScalarString(value)  # 'yes', '12', 'null' stay strings when read back
    return value


def dumps(data: Any) -> str:
    """Text of plain data in the dialect's style (dicts keep their order)."""
    out = io.StringIO()
    round_trip().dump(styled(data), out)
    return out.getvalue()
