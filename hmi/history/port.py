"""What the engine, the UI and the CLI ask of a history backend: a writer fed from the tag table and
a reader for trends, reports and exports. The SQLite historian is one backend (hmi.storage.sqlite);
a backend is chosen by the project's `storage:` settings (hmi.storage)."""

from __future__ import annotations

from collections.abc import Generator
from contextlib import AbstractContextManager
from typing import Protocol

from ..quality import Sample
from .query import Bucket, RawSample


class HistoryWriter(Protocol):
    """Takes samples from the tag table and stores them off the engine's loop."""

    def start(self) -> None:
        """Open the store (HistoryError with what to do if it cannot be used) and start writing."""

    def record(self, name: str, sample: Sample) -> None:
        """Queue a sample of a tag; never blocks; tags not logged are ignored."""

    def flush(self) -> None:
        """Block until everything recorded so far is stored (HistoryError if it cannot be)."""

    def close(self) -> None:
        """Flush what can be and stop; nothing recorded is lost (a backend may keep it for the next start)."""


class HistoryReader(Protocol):
    """Read-only queries; safe to share between threads. Times are epoch seconds."""

    def tags(self) -> list[str]:
        """Names of every tag with (or once with) history, sorted."""

    def raw(self, tag: str, t0: float, t1: float) -> list[RawSample]:
        """Stored samples with t0 <= ts <= t1, oldest first."""

    def iter_raw(self, tag: str, t0: float, t1: float) -> Generator[RawSample]:
        """Like raw() but streamed."""

    def snapshot(self) -> AbstractContextManager[None]:
        """Every query inside answers from one state of the store."""

    def value_at(self, tag: str, t: float) -> RawSample | None:
        """The last sample at or before t, or None."""

    def buckets(self, tag: str, t0: float, t1: float, n: int = 2000, *, rollups: bool = True) -> list[Bucket]:
        """About n aligned buckets covering [t0, t1] (only those holding samples), oldest first."""

    def close(self) -> None: ...

    def __enter__(self) -> HistoryReader: ...

    def __exit__(self, *exc: object) -> None: ...
