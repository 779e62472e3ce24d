"""Store-and-forward: samples the database could not take wait here, in a SQLite file on this
station's disk, in the order they came, until they are forwarded (hmi.storage.postgres.writer)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ...history.errors import HistoryError

Row = tuple[str, int, Any, int]  # tag name, ts (ms), value, quality


class ForwardBuffer:
    """A FIFO of sample rows on disk; used from the writer thread only."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._con = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._con.execute("PRAGMA journal_mode = WAL")
            self._con.execute("PRAGMA synchronous = FULL")  # what waits here exists nowhere else
            self._con.execute(
                "CREATE TABLE IF NOT EXISTS waiting (seq INTEGER PRIMARY KEY, tag TEXT NOT NULL,"
                " ts INTEGER NOT NULL, value, quality INTEGER NOT NULL)"
            )
        except (OSError, sqlite3.Error) as exc:
            raise HistoryError(f"cannot open the local history buffer {self.path}: {exc}") from exc
        self.count = self._con.execute("SELECT count(*) FROM waiting").fetchone()[0]

    def put(self, rows: Iterable[Row]) -> int:
        rows = list(rows)
        self._con.execute("BEGIN IMMEDIATE")
        try:
            self._con.executemany("INSERT INTO waiting (tag, ts, value, quality) VALUES (?, ?, ?, ?)", rows)
            self._con.execute("COMMIT")
        except sqlite3.Error:
            if self._con.in_transaction:
                self._con.execute("ROLLBACK")
            raise
        self.count += len(rows)
        return len(rows)

    def oldest(self, limit: int) -> tuple[int, list[Row]]:
        """Up to `limit` of the oldest rows and the seq of the last of them (0 when empty)."""
        rows = self._con.execute(
            "SELECT seq, tag, ts, value, quality FROM waiting ORDER BY seq LIMIT ?", (limit,)
        ).fetchall()
        return (rows[-1][0] if rows else 0), [row[1:] for row in rows]

    def drop_through(self, seq: int, count: int) -> None:
        """Forget the rows up to `seq` once the database has committed them."""
        self._con.execute("DELETE FROM waiting WHERE seq <= ?", (seq,))
        self.count -= count

    def last_times(self) -> dict[str, tuple[int, int]]:
        """The newest (ts, quality) waiting for each tag."""
        rows = self._con.execute(
            "SELECT tag, ts, quality FROM waiting w"
            " WHERE seq = (SELECT max(seq) FROM waiting WHERE tag = w.tag)"
        ).fetchall()
        return {tag: (ts, quality) for tag, ts, quality in rows}

    def close(self) -> None:
        self._con.close()
