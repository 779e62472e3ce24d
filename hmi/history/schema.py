"""The history tables in the project's SQLite file, and how connections to that file are opened and checked.

The file is shared: the alarm journal and audit trail keep their own tables in it, so every table
here is prefixed `history_` and nothing assumes it owns the file.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import sqlite_utils

from .errors import HistoryDamaged, HistoryError
from .settings import HistorianTag

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2  # 2: sealed chunks (hmi.history.chunks) beside the rows
MINUTE_MS = 60_000
HOUR_MS = 3_600_000

# Samples keyed (tag, time) in a clustered B-tree: one tag's range is contiguous on disk and a row
# costs ~20 bytes. `value` has no declared type, so REAL, 0/1 and TEXT are stored as given.
_SAMPLE_DDL = """
CREATE TABLE IF NOT EXISTS history_sample (
    tag_id INTEGER NOT NULL,
    ts INTEGER NOT NULL,        -- epoch milliseconds
    value,                      -- float (analog), 0/1 (digital), text (string), NULL when Bad
    quality INTEGER NOT NULL,   -- hmi.quality.Quality: 0 good, 1 uncertain, 2 bad
    PRIMARY KEY (tag_id, ts)
) WITHOUT ROWID
"""

# One row per tag and minute, written when the minute is over; statistics are over samples with a value.
_MINUTE_DDL = """
CREATE TABLE IF NOT EXISTS history_minute (
    tag_id INTEGER NOT NULL,
    minute INTEGER NOT NULL,    -- epoch minutes
    vmin, vmax,
    vsum REAL NOT NULL,
    n INTEGER NOT NULL,         -- samples with a value
    vfirst, vlast,
    worst INTEGER NOT NULL,     -- worst quality of all samples, valued or not
    PRIMARY KEY (tag_id, minute)
) WITHOUT ROWID
"""

# Sealed samples: per tag and hour, the statistics (as in history_minute, plus the chunk's extent) ...
_CHUNK_DDL = """
CREATE TABLE IF NOT EXISTS history_chunk (
    tag_id INTEGER NOT NULL,
    hour INTEGER NOT NULL,      -- epoch hours
    t_first INTEGER NOT NULL,   -- first and last sample, epoch ms
    t_last INTEGER NOT NULL,
    q_last INTEGER NOT NULL,    -- quality of the last sample
    samples INTEGER NOT NULL,   -- all samples, valued or not
    vmin, vmax,
    vsum REAL NOT NULL,
    n INTEGER NOT NULL,
    worst INTEGER NOT NULL,
    vfirst, vlast,
    data_id INTEGER NOT NULL,   -- history_chunk_data.id
    PRIMARY KEY (tag_id, hour)
) WITHOUT ROWID
"""

# ... and the compressed arrays apart, so that reading statistics does not page through them.
_CHUNK_DATA_DDL = """
CREATE TABLE IF NOT EXISTS history_chunk_data (
    id INTEGER PRIMARY KEY,
    ts BLOB NOT NULL,
    value BLOB NOT NULL,
    quality BLOB NOT NULL
)
"""

# Statistics of one tag's samples per bucket of ?2 ms in [?3, ?4): (bucket, min, max, sum, count, worst,
# first, last), over samples with a value except `worst`. Also builds the minute rollups (?2 = a minute).
SAMPLE_BUCKETS = """
WITH g AS (
    SELECT ts / ?2 AS b, min(value) AS vmin, max(value) AS vmax, total(value) AS vsum, count(value) AS n,
        max(quality) AS worst,
        min(CASE WHEN value IS NOT NULL THEN ts END) AS t_first,
        max(CASE WHEN value IS NOT NULL THEN ts END) AS t_last
    FROM history_sample WHERE tag_id = ?1 AND ts >= ?3 AND ts < ?4 GROUP BY b)
SELECT g.b, g.vmin, g.vmax, g.vsum, g.n, g.worst, f.value, l.value
FROM g LEFT JOIN history_sample f ON f.tag_id = ?1 AND f.ts = g.t_first
    LEFT JOIN history_sample l ON l.tag_id = ?1 AND l.ts = g.t_last
ORDER BY g.b
"""


def connect(path: Path, *, writer: bool) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), usable from any one thread at a time."""
    try:
        # timeout: wait up to 5 s for the alarm journal or audit trail writing to the same file.
        con = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=5.0)
        if writer:
            con.execute("PRAGMA synchronous = NORMAL")
            con.execute("PRAGMA cache_size = -32000")
            con.execute("PRAGMA journal_size_limit = 67108864")
        else:
            con.execute("PRAGMA query_only = 1")
    except sqlite3.DatabaseError as exc:
        raise describe(path, exc) from exc
    return con


def check(con: sqlite3.Connection, path: Path) -> None:
    """Run SQLite's quick_check; raise HistoryDamaged naming the file and what to do if it finds damage
    (a file that is no database at all raises sqlite3.DatabaseError, for the caller to describe)."""
    findings = [row[0] for row in con.execute("PRAGMA quick_check(5)")]
    if findings != ["ok"]:
        raise _damaged(path, "; ".join(findings))


def open_for_writing(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) and check the history file, switch it to WAL and create the tables."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise HistoryError(f"cannot create the folder for history file {path}: {exc}") from exc
    con = connect(path, writer=True)
    try:
        check(con, path)
        # Takes effect only on a file with no tables yet; `hmi history compact` converts older ones.
        con.execute("PRAGMA auto_vacuum = INCREMENTAL")
        con.execute("PRAGMA journal_mode = WAL")
        _create(con, path)
    except sqlite3.DatabaseError as exc:
        con.close()
        raise describe(path, exc) from exc
    except BaseException:
        con.close()
        raise
    return con


def _create(con: sqlite3.Connection, path: Path) -> None:
    db = sqlite_utils.Database(con)
    db.table("history_meta").create({"key": str, "value": str}, pk="key", if_not_exists=True)
    db.table("history_tag").create(
        {"id": int, "name": str, "kind": str}, pk="id", not_null={"name", "kind"}, if_not_exists=True
    )
    db.table("history_tag").create_index(["name"], unique=True, if_not_exists=True)
    db.execute(_SAMPLE_DDL)
    db.execute(_MINUTE_DDL)
    db.table("history_meta").insert({"key": "schema", "value": str(SCHEMA_VERSION)}, ignore=True)
    version = int(db.table("history_meta").get("schema")["value"])
    if version > SCHEMA_VERSION:
        raise HistoryError(
            f"history file {path} was written by a newer OpenHMI (schema {version}, this one reads "
            f"{SCHEMA_VERSION}); upgrade OpenHMI or point the project at another history file"
        )
    con.execute("BEGIN IMMEDIATE")
    try:
        con.execute(_CHUNK_DDL)
        con.execute(_CHUNK_DATA_DDL)
        con.execute("UPDATE history_meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION),))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    if version < SCHEMA_VERSION:
        # The rows stay valid as they are; the writer compresses them in steps (see hmi.history.seal).
        log.info("history file %s upgraded from schema %d to %d", path, version, SCHEMA_VERSION)


def register(con: sqlite3.Connection, tags: Iterable[HistorianTag]) -> dict[str, int]:
    """Add the tags (or update their kind) and return the id of every tag the file knows."""
    con.execute("BEGIN")
    con.executemany(
        "INSERT INTO history_tag (name, kind) VALUES (?, ?)"
        " ON CONFLICT(name) DO UPDATE SET kind = excluded.kind",
        [(tag.name, tag.kind) for tag in tags],
    )
    con.execute("COMMIT")
    return dict(con.execute("SELECT name, id FROM history_tag"))


def has_tables(con: sqlite3.Connection) -> bool:
    """Whether a historian ever created its tables in this file."""
    return "history_sample" in sqlite_utils.Database(con).table_names()


def has_chunks(con: sqlite3.Connection) -> bool:
    """Whether the file has the tables of schema 2 (a reader may open a file no writer upgraded yet)."""
    return "history_chunk" in sqlite_utils.Database(con).table_names()


def used_bytes(con: sqlite3.Connection) -> int:
    """Bytes of the file in use by any table; free pages are reused before the file grows."""
    pages = (
        con.execute("PRAGMA page_count").fetchone()[0] - con.execute("PRAGMA freelist_count").fetchone()[0]
    )
    return pages * con.execute("PRAGMA page_size").fetchone()[0]


def describe(path: Path, exc: sqlite3.DatabaseError) -> HistoryError:
    """The HistoryError to raise for an SQLite error on the file: damaged, or cannot be opened."""
    if isinstance(exc, sqlite3.OperationalError):
        return HistoryError(f"cannot open history file {path}: {exc}; check the path and its permissions")
    return _damaged(path, str(exc))


def _damaged(path: Path, detail: str) -> HistoryDamaged:
    return HistoryDamaged(
        f"history file {path} is damaged ({detail}). Stop OpenHMI, move the file aside (keep it for "
        f"diagnosis, e.g. `sqlite3 {path.name} .recover`) and start again: a new, empty history file "
        f"will be created."
    )
