"""A warm start: the health models learn from the historian's recent data when the engine starts, so
that a restart does not blind condition monitoring for the learning period."""

from __future__ import annotations

from collections.abc import Mapping

from ..storage import Storage
from .monitor import DiagnosticsMonitor
from .offline import replay
from .settings import Asset
from .thermal import preload

LEARN_SPANS = 2
"""History replayed: this many times the longest learning period of the project's models, so that each
learns on the older part and judges the newer part before the live data comes."""
LEAST_S = 3600.0


def warm_window(assets: Mapping[str, Asset]) -> float:
    """Seconds of history a warm start replays."""
    spans = [LEAST_S / LEARN_SPANS]
    for asset in assets.values():
        models = [asset.thermal, asset.pump, *asset.sensors]
        spans += [m.learn_s for m in models if m is not None]
    return LEARN_SPANS * max(spans)


def learn_from_history(
    assets: Mapping[str, Asset], tags: Mapping[str, object], storage: Storage, end: float
) -> tuple[DiagnosticsMonitor, dict[str, float]]:
    """Models that have seen the history before `end` (for DiagnosticsMonitor.release), and the last
    sample time of each tag; HistoryError when there is no history. Runs off the event loop: a few
    seconds of work for an hour of a robot cell's data."""
    if any(asset.thermal for asset in assets.values()):
        preload()
    monitor = DiagnosticsMonitor(assets, tags)
    last = replay(monitor, storage, end - warm_window(assets), end)
    return monitor, last
