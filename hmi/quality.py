"""Value quality and the sample every tag value travels in."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any


class Quality(IntEnum):
    """OPC-UA severity classes; the order is 'how bad' so max() gives the worst."""

    GOOD = 0
    UNCERTAIN = 1
    BAD = 2

    @classmethod
    def from_status(cls, code: int) -> Quality:
        """Severity from the top two bits of an OPC-UA StatusCode value."""
        severity = (code >> 30) & 0b11
        if severity == 0:
            return cls.GOOD
        if severity == 1:
            return cls.UNCERTAIN
        return cls.BAD


# Reasons shown to the operator next to a Bad or Uncertain value.
WAITING = "waiting for initial data"
COMM_FAILURE = "comm failure"
NODE_UNKNOWN = "node not found on server"


@dataclass(frozen=True, slots=True)
class Sample:
    """One value of a tag: the value, its quality, the source timestamp (epoch s) and why it is not Good."""

    value: Any
    quality: Quality
    ts: float
    reason: str = ""

    @property
    def good(self) -> bool:
        return self.quality is Quality.GOOD
