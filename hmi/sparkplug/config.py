"""A Sparkplug B edge node as a connection in project.yaml (`kind: sparkplug`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from ..project.model import SourceConfig
from .settings import broker_url, parse_broker, sparkplug_id


class SparkplugConnection(SourceConfig):
    """One edge node on a broker: its metrics are the connection's tags (node: DEVICE/METRIC)."""

    kind: Literal["sparkplug"]
    broker: str
    """mqtt://host[:port]"""
    group: str
    edge_node: str
    device: str | None = None
    """Only this device of the edge node; every tag's node then starts with it."""
    keepalive_s: int = Field(5, ge=1, le=3600)
    """MQTT keep-alive of the station's own session: a broker gone silent is noticed after ~1.5x this."""
    write_timeout_s: float = Field(5.0, gt=0)
    """How long a write waits for the edge node's read-back."""
    alarms: bool = False
    """Show the edge node's alarms (its `_alarms` device) with the station's; acknowledging one asks the
    edge node to."""
    host_id: str | None = None
    """The MQTT client id of this station's session; by default one of its own per process."""

    _broker = field_validator("broker")(broker_url)
    _ids = field_validator("group", "edge_node", "device", "host_id")(
        lambda v: v if v is None else sparkplug_id(v)
    )

    def describe(self) -> str:
        device = f"/{self.device}" if self.device else ""
        return f"{parse_broker(self.broker)} spBv1.0/{self.group}/{self.edge_node}{device}"
