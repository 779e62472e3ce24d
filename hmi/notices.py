"""Which engine log records an operator is shown: the ones they must act on, marked `extra=OPERATOR`.

Everything else the engine logs (a tag missing on the server, a sample older than the last one, a
listener's traceback) is a diagnostic for the engineer's log file, never a cue on the operator's screen.
"""

from __future__ import annotations

import logging
from typing import Final

OPERATOR: Final = {"for_operator": True}
"""`log.warning(..., extra=OPERATOR)`: the operator sees this in the notification area."""


def for_operator(record: logging.LogRecord) -> bool:
    return bool(getattr(record, "for_operator", False))
