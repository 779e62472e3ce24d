"""A Modbus TCP connection in project.yaml (`kind: modbus`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..project.model import Model, SourceConfig


class PollGroup(Model):
    """Tags read together at one rate (a tag names its group in `group:`)."""

    rate_ms: int = Field(gt=0)


class ModbusConnection(SourceConfig):
    """One Modbus TCP device (or gateway): polled, group by group, in blocks of registers."""

    kind: Literal["modbus"]
    host: str
    port: int = Field(502, ge=1, le=65535)
    unit: int = Field(1, ge=0, le=255)
    """The device (unit) id behind the address: 1 for most devices, the slave id behind a gateway."""
    simulator: bool = False
    """The demo's energy meter: the built-in simulator serves it beside the plant."""
    poll_ms: int = Field(1000, gt=0)
    """How often the tags that name no group are read."""
    groups: dict[str, PollGroup] = Field(default_factory=dict)
    timeout_s: float = Field(2.0, gt=0)
    max_block: int = Field(100, ge=1, le=125)
    """Most registers read in one request: some devices answer fewer than the protocol's 125."""

    def describe(self) -> str:
        return f"modbus://{self.host}:{self.port} unit {self.unit}"
