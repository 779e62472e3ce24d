"""The kinds of source a connection can be (`kind:` in project.yaml), found through the
`openhmi.sources` entry points, like the front-ends: a new protocol is one module and one line in
its package's metadata. A frozen app has no metadata: the bundled kinds are named here for it."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points
from typing import Any

from ..project.model import SourceConfig, Tag
from .port import SourceContext, SourceFactory, TagCheck, TagSource

log = logging.getLogger(__name__)

GROUP = "openhmi.sources"
BUNDLED = {
    "opcua": "hmi.opcua.kind:KIND",
    "modbus": "hmi.modbus.kind:KIND",
    "sparkplug": "hmi.sparkplug.kind:KIND",
}
"""Loaded by name when the entry points do not name the kind (a frozen app has none)."""


@dataclass(frozen=True)
class SourceKind:
    """What the engine needs to know of one kind of source."""

    name: str
    config: type[SourceConfig]
    """The model of a connection of this kind in project.yaml."""
    create: SourceFactory
    """Builds the running source; imports the protocol library only then."""
    accepts: Callable[[str], bool]
    """Whether a text is meant as an address of this kind (a tag alone, before its connection is
    known); the kind's `tag_problems` then judge it in full."""
    example: str
    """The address format in words with an example, for error messages."""
    tag_problems: TagCheck
    """A tag's address, type and settings checked against its connection of this kind."""
    browse: Callable[[Any, list[Tag]], list[dict[str, Any]]] | None = None
    """(config, the connection's tags) -> rows of the addresses in use, for the editor's tag browser,
    where a device has no address space to browse (a register map)."""


@cache
def kinds() -> dict[str, SourceKind]:
    """Every registered kind by name: the bundled ones, then the entry points (which may replace them)."""
    paths = dict(BUNDLED)
    paths.update({e.name: e.value for e in entry_points(group=GROUP)})
    found: dict[str, SourceKind] = {}
    for name, path in paths.items():
        module, _, attribute = path.partition(":")
        try:
            kind = getattr(importlib.import_module(module), attribute)
        except (ImportError, AttributeError) as exc:
            log.warning("data source kind %s (%s) cannot be loaded: %s", name, path, exc)
            continue
        found[name] = kind
    return found


def create_source(name: str, config: SourceConfig, tags: list[Tag], context: SourceContext) -> TagSource:
    """The source of one project connection, of its kind."""
    return kinds()[config.kind].create(name, config, tags, context)


def address_problem(text: str) -> str | None:
    """Why no kind of source reads `text` as an address, or None."""
    known = kinds().values()
    if any(kind.accepts(text) for kind in known):
        return None
    return f"{text!r} is not " + " nor ".join(kind.example for kind in known)
