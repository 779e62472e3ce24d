"""The Sparkplug B names and the `publish:` section of project.yaml (the engine as an edge node)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field, field_validator

DEFAULT_PORT = 1883


@dataclass(frozen=True)
class Broker:
    host: str
    port: int
    path: str = ""

    def __str__(self) -> str:
        return f"mqtt://{self.host}:{self.port}"


def parse_broker(url: str) -> Broker:
    """mqtt://host[:port][/path]; ValueError saying what is wrong."""
    parsed = urlparse(url)
    if parsed.scheme != "mqtt" or not parsed.hostname:
        raise ValueError(f"{url!r} is not a broker address such as mqtt://127.0.0.1:1883")
    try:
        port = parsed.port or DEFAULT_PORT
    except ValueError:
        raise ValueError(f"{url!r}: the port is not a number from 1 to 65535") from None
    return Broker(parsed.hostname, port, parsed.path.strip("/"))


SPARKPLUG_ID = re.compile(r"^[^/+#\s]+$")
"""A group, edge node or device id: a topic level of its own, no wildcards."""


def sparkplug_id(value: str) -> str:
    if not SPARKPLUG_ID.match(value):
        raise ValueError(f"{value!r}: a Sparkplug id has no '/', '+', '#' or spaces")
    return value


def broker_url(value: str) -> str:
    parse_broker(value)
    return value


def node_id_of(project_name: str) -> str:
    """The default edge node id of a project: its name with every run of other signs made one '_'."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", project_name).strip("_") or "openhmi"


class Publish(BaseModel):
    """`publish:`: the headless engine as a Sparkplug B edge node on an MQTT broker."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    broker: str
    """mqtt://host[:port]"""
    group: str = "openhmi"
    node: str | None = None
    """The edge node id; by default the project's name."""
    keepalive_s: int = Field(5, ge=1, le=3600)
    """MQTT keep-alive: a node that froze (not one that died: its socket closes) is declared dead by
    the broker after 1.5 times this."""
    flush_ms: int = Field(50, ge=1, le=10_000)
    """Changes are gathered this long into one DDATA per device."""

    _broker = field_validator("broker")(broker_url)
    _ids = field_validator("group", "node")(lambda v: v if v is None else sparkplug_id(v))
