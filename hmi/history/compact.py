"""`hmi history compact`: seal every closed row of a history file, then rewrite it to give free space back.

Used on files from before schema 2 (the writer would seal them too, but in slices between flushes)
and on files that cannot shrink by themselves: the rewrite also turns on incremental auto-vacuum, so
that the size cap gives purged space back from then on.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import HistoryError
from .schema import open_for_writing
from .seal import seal_all

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Compacted:
    """What compacting did to a history file (sizes include its write-ahead log)."""

    path: Path
    bytes_before: int
    bytes_after: int


def compact(
    path: Path, progress: Progress | None = None, rewriting: Callable[[], None] | None = None
) -> Compacted:
    """Seal, reporting (done, total) to `progress`; then rewrite the file (`rewriting` is told first).
    The project should not be running: the rewrite needs the file to itself."""
    path = Path(path)
    if not path.is_file():
        raise HistoryError(f"no history file at {path}")
    before = file_bytes(path)
    con = open_for_writing(path)
    try:
        for done, total in seal_all(con):
            if progress is not None:
                progress(done, total)
        if rewriting is not None:
            rewriting()
        log.info("history: rewriting %s to give its free space back", path)
        con.execute("PRAGMA auto_vacuum = INCREMENTAL")  # VACUUM applies it
        con.execute("VACUUM")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.OperationalError as exc:
        raise HistoryError(
            f"cannot compact history file {path}: {exc}. Stop OpenHMI on this project and try again "
            f"(rows sealed so far stay sealed)"
        ) from exc
    finally:
        con.close()
    after = file_bytes(path)
    log.info("history: compacted %s from %.1f MB to %.1f MB", path, before / 1e6, after / 1e6)
    return Compacted(path, before, after)


def file_bytes(path: Path) -> int:
    """Size of the file with its write-ahead log."""
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
