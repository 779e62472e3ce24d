"""Value quality and the sample every tag value travels in."""

from __future__ import annotations

from enum import IntEnum
from typing import Any, NamedTuple


class Quality(IntEnum):
    """OPC-UA severity classes; the order is 'how bad' so max() gives the worst."""

    GOOD = 0
    UNCERTAIN = 1
    BAD = 2

    @classmethod
    def from_status(cls, code: int) -> Quality:
        """Severity from the top two bits of an OPC-UA StatusCode value."""
        return _SEVERITY[code >> 30]


_SEVERITY = (Quality.GOOD, Quality.UNCERTAIN, Quality.BAD, Quality.BAD)

# Reasons shown to the operator next to a Bad or Uncertain value.
WAITING = "waiting for initial data"
COMM_FAILURE = "comm failure"
STALE = "stale: no updates from server"
NODE_UNKNOWN = "node not found on server"


class Sample(NamedTuple):
    """One value of a tag: the value, its quality, the source timestamp (epoch s) and why it is not Good.

    A named tuple, not a dataclass: one is made per data change, and this is five times cheaper."""

    value: Any
    quality: Quality
    ts: float
    reason: str = ""

    @property
    def good(self) -> bool:
        return self.quality is Quality.GOOD
