"""The historian: per-tag logging settings, the SQLite history file, trend queries, retention, export.

No Qt here. The engine feeds `Historian.record` from the tag table; trends read through a
`HistoryReader` (hmi.history.port) on a worker thread; `hmi.history.opcua_source.read_opcua_history`
reads a server's own history into the same shape (not imported here, so that the history CLI does
not load asyncua).
"""

from __future__ import annotations

from .errors import HistoryDamaged, HistoryError
from .export import HistoryStats, TagStats, export_csv, stats
from .port import HistoryReader, HistoryWriter
from .query import Bucket, RawSample, SqliteHistoryReader
from .settings import HistorianTag, HistoryConfig, TagHistory
from .store import Historian

__all__ = [
    "Bucket",
    "HistorianTag",
    "Historian",
    "HistoryConfig",
    "HistoryDamaged",
    "HistoryError",
    "HistoryReader",
    "HistoryWriter",
    "HistoryStats",
    "RawSample",
    "SqliteHistoryReader",
    "TagHistory",
    "TagStats",
    "export_csv",
    "stats",
]
