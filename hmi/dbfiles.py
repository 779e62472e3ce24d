"""Opening the app's own SQLite files (alarm journal, audit trail) for reading, with a clear error."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .errors import HmiError

BUSY_TIMEOUT_S = 10.0
"""How long a connection waits for another one's write lock before it gives up."""


def connect_reader(path: Path, table: str, what: str, error: type[HmiError]) -> sqlite3.Connection:
    """A read-only connection to `path`; `error` naming `what` when the file or its `table` is missing."""
    if not Path(path).is_file():
        raise error(f"no {what} at {path}")
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone() is None:
        conn.close()
        raise error(f"{path} holds no {what}")
    return conn
