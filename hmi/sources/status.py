"""What every source of tag values reports, whatever its protocol: state, counters, write outcome."""

from __future__ import annotations

import statistics
import time
from collections import deque
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..opcua.security import CertInfo


class ConnectionState(Enum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
    STALE = "stale"
    """Connected, but the server sent neither data nor keep-alive in time: tags are Bad, repair under way."""
    LOST = "lost"
    STOPPED = "stopped"


@dataclass(frozen=True)
class ConnectionStatus:
    """What the UI shows for a connection: state, why, and when the next attempt is due."""

    state: ConnectionState
    detail: str = ""
    retry_at: float | None = None
    refused: CertInfo | None = None
    """The server certificate this connection refused, for the UI to offer a review and Trust."""
    since: float | None = None
    """When the server went silent (epoch s), for a STALE connection: the UI shows the age."""


@dataclass(frozen=True)
class ConnectionCounters:
    """What a connection did since it started, for the user to judge its health."""

    notifications: int
    """Data changes received."""
    overflows: int
    """Changes that came with the OverflowBit: the server's queue for the item dropped older ones."""
    reconnects: int
    last_error: str
    messages: int = 0
    """Messages received, for a source whose messages carry many changes (Sparkplug B); 0 otherwise."""
    queue_depth: int = 0
    """Messages received and not yet applied to the tags; those past its bound count as overflows."""
    latency_ms: float | None = None
    """Median delay from the server stamping a change to its arrival here, over the recent ones
    (it includes any difference between the two machines' clocks); None before the first."""


class Latency:
    """The recent delays between a value's stamp at the sender and its arrival."""

    RECENT = 512

    def __init__(self) -> None:
        self._delays: deque[float] = deque(maxlen=self.RECENT)

    def arrived(self, stamped: float) -> None:
        """A change stamped at `stamped` (epoch s) by the sender came in now."""
        self._delays.append(time.time() - stamped)

    def median_ms(self) -> float | None:
        return statistics.median(self._delays) * 1000 if self._delays else None


@dataclass(frozen=True)
class WriteResult:
    """Outcome of a write the server accepted: whether reading back showed the value took."""

    confirmed: bool
    read_back: Any
    problem: str = ""
    """Why the write is not confirmed, in words: the value read back, or why it could not be read."""
