"""What a new project needs to know of the nodes an engineer picked on a server: the variables (read in
full: units, range, description) grouped by the folder they were picked with, and the limits of the
server's own limit alarms (Part 9 LimitAlarmType: HighHighLimit ... LowLowLimit of an InputNode).
"""

from __future__ import annotations

import asyncio
import functools
from collections import deque
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from typing import cast

from .browse import Browser, NodeInfo

MAX_VARIABLES = 10_000
"""A survey stops after this many variables (a whole server picked by mistake)."""
BATCH = 20
"""Variables read in full at once: a local server answers 200 in about a second."""
_SKIP = {"i=2253"}
"""The Server object: diagnostics, no process values."""
_LIMITS = {"HighHighLimit": "hihi", "HighLimit": "hi", "LowLimit": "lo", "LowLowLimit": "lolo"}
_CONDITION = {"ConditionName", "EnabledState"}
"""Properties every Part 9 condition has: an object with them is an alarm, not a folder of tags."""


@dataclass
class Survey:
    """The picked variables by folder ('DemoPlant/TK101'), in the order the server lists them."""

    groups: dict[str, list[NodeInfo]] = field(default_factory=dict)
    limits: dict[str, dict[str, float]] = field(default_factory=dict)
    """By variable node id: alarm kind ('hihi', 'hi', 'lo', 'lolo') -> limit, and 'severity' (1-1000)."""
    truncated: bool = False
    """Whether MAX_VARIABLES stopped the survey."""

    @property
    def variables(self) -> list[NodeInfo]:
        return [v for group in self.groups.values() for v in group]


def group_name(path: tuple[str, ...]) -> str:
    return "/".join(path) or "Objects"


async def survey(
    browser: Browser,
    picked: list[NodeInfo],
    known: MutableMapping[str, NodeInfo] | None = None,
    limit: int = MAX_VARIABLES,
) -> Survey:
    """Every variable of the picked nodes: a variable is grouped with its parent folder, a folder's
    variables at any depth with the folder. `known` holds nodes read in full already (and gets the new)."""
    known = {} if known is None else known
    result = Survey()
    seen: set[str] = set()
    conditions: list[dict[str, object]] = []

    def add(group: str, info: NodeInfo) -> None:
        if info.node not in seen and len(seen) < limit:
            seen.add(info.node)
            result.groups.setdefault(group, []).append(info)
        elif info.node not in seen:
            result.truncated = True

    for node in picked:
        if node.is_variable:
            add(group_name(node.path[:-1]), node)
        elif node.has_children:
            group = group_name(node.path)
            await _walk(browser, node, functools.partial(add, group), conditions)
    for group, infos in result.groups.items():
        result.groups[group] = await _in_full(browser, infos, known)
    for values in conditions:
        source = values.get("InputNode")
        target = next((v for v in result.variables if _same(browser, source, v.node)), None)
        if target is None:
            continue
        found = {_LIMITS[k]: float(cast(float, v)) for k, v in values.items() if k in _LIMITS and _number(v)}
        if found:
            if _number(values.get("Severity")):
                found["severity"] = float(values["Severity"])  # type: ignore[arg-type]
            result.limits.setdefault(target.node, found)
    return result


async def _walk(
    browser: Browser,
    folder: NodeInfo,
    add: Callable[[NodeInfo], None],
    conditions: list[dict[str, object]],
) -> None:
    """Breadth-first below `folder`; an alarm condition is read for its limits, not taken as a folder."""
    queue = deque([folder])
    while queue:
        parent = queue.popleft()
        children = await browser.children(parent)
        if parent is not folder and {c.browse_name for c in children} >= _CONDITION:
            conditions.append({c.browse_name: c.value for c in children if c.is_variable})
            continue
        for child in children:
            if child.is_variable:
                add(child)
            elif child.has_children and child.node not in _SKIP:
                queue.append(child)


async def _in_full(
    browser: Browser, infos: list[NodeInfo], known: MutableMapping[str, NodeInfo]
) -> list[NodeInfo]:
    missing = [i for i in infos if i.node not in known]
    for start in range(0, len(missing), BATCH):
        batch = missing[start : start + BATCH]
        for info in await asyncio.gather(*(browser.details(i) for i in batch)):
            known[info.node] = info
    return [known[i.node] for i in infos]


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _same(browser: Browser, node: object, variable: str) -> bool:
    text = getattr(node, "to_string", None)
    return text is not None and browser.same_node(text(), variable)
