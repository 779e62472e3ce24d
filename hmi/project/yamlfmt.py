"""The project's YAML dialect: safe loading, and one canonical way of writing for clean diffs."""

from __future__ import annotations

from typing import Any

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FLOW_DICT_MAX = 50
"""A mapping of scalars shorter than this (as text) is written on one line: `bind: {level: TK101.Level}`."""


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, bool | int | float | str)


class _Dumper(yaml.SafeDumper):
    def represent_list(self, data: list) -> yaml.Node:
        flow = all(_scalar(v) for v in data) or all(
            isinstance(v, list) and all(_scalar(x) for x in v) for v in data
        )
        return self.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow and bool(data))

    def represent_dict(self, data: dict) -> yaml.Node:
        flow = bool(data) and all(_scalar(v) for v in data.values()) and len(repr(data)) <= FLOW_DICT_MAX
        return self.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)

    def represent_str(self, data: str) -> yaml.Node:
        style = "|" if "\n" in data else None
        return self.represent_scalar("tag:yaml.org,2002:str", data, style=style)

    def represent_float(self, data: float) -> yaml.Node:
        # 100 and 100.0 are the same value to the models; write the shorter one.
        if data.is_integer() and abs(data) < 1e15:
            return self.represent_int(int(data))
        return super().represent_float(data)

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key, as most hand-written YAML does.
        super().increase_indent(flow, False)


_Dumper.add_representer(list, _Dumper.represent_list)
_Dumper.add_representer(dict, _Dumper.represent_dict)
_Dumper.add_representer(str, _Dumper.represent_str)
_Dumper.add_representer(float, _Dumper.represent_float)


def dumps(data: Any) -> str:
    """Canonical text of plain data (dicts keep their order)."""
    return yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )


def loads(text: str) -> Any:
    return yaml.load(text, Loader=Loader)
