"""A server's own history (OPC-UA HistoryRead) as a second source for trends, in the local sample shape."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from asyncua import Node, ua

from ..quality import Quality
from .compression import coerce
from .errors import HistoryError
from .query import RawSample
from .settings import Kind

log = logging.getLogger(__name__)


async def read_opcua_history(
    node: Node, t0: float, t1: float, kind: Kind = "analog", max_values: int = 0
) -> list[RawSample]:
    """Raw history of `node` with t0 <= ts <= t1 (epoch s) as (ts, value, quality), oldest first, with
    values coerced as the local historian stores them (None when Bad). max_values 0 means all."""
    start, end = (datetime.fromtimestamp(t, UTC) for t in (t0, t1))
    try:
        values = await node.read_raw_history(start, end, numvalues=max_values, return_bounds=False)
    except ua.UaStatusCodeError as exc:
        raise HistoryError(f"the server refused to read history of {node.nodeid.to_string()}: {exc}") from exc
    samples = []
    for dv in values:
        stamp = dv.SourceTimestamp or dv.ServerTimestamp
        if stamp is None:
            continue  # a value with no time cannot be placed on a trend
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=UTC)
        quality = Quality.from_status(dv.StatusCode.value) if dv.StatusCode is not None else Quality.GOOD
        value = dv.Value.Value if dv.Value is not None else None
        samples.append((stamp.timestamp(), coerce(kind, value, quality), quality))
    log.debug("read %d history values of %s from the server", len(samples), node.nodeid.to_string())
    return samples
