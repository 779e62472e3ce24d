"""Opening the app's own SQLite files (alarm journal, audit trail), with errors that name the file and
say what to do: a file that is not a database, a damaged one, one that cannot be written; noticing that
a file was replaced while it is written."""

from __future__ import annotations

import errno
import logging
import os
import shutil
import sqlite3
import threading
import time
from pathlib import Path

from .errors import HmiError
from .notices import OPERATOR

log = logging.getLogger(__name__)

BUSY_TIMEOUT_S = 10.0
"""How long a connection waits for another one's write lock before it gives up."""
LOW_SPACE_BYTES = 1 << 20
"""Free space below which a failed write is put down to a full disk."""


def cause(path: Path, exc: sqlite3.Error | OSError) -> str:
    """Why a write to `path` failed, in words an operator can act on: 'disk full', 'read-only', ..."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    code = getattr(exc, "errno", None)
    if name.startswith("SQLITE_FULL") or code == errno.ENOSPC or _free(path) < LOW_SPACE_BYTES:
        return "disk full"
    if name.startswith(("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_CANTOPEN", "SQLITE_AUTH")) or code in (
        errno.EROFS,
        errno.EACCES,
        errno.EPERM,
    ):
        return "read-only"
    # SQLite reports a write refused by the file system (an immutable file) as a disk I/O error.
    if any(p.exists() and not os.access(p, os.W_OK) for p in (Path(path), Path(f"{path}-wal"))):
        return "read-only"
    return "cannot write"


def _free(path: Path) -> int:
    for folder in (Path(path).parent, *Path(path).parents):
        try:
            return shutil.disk_usage(folder).free
        except OSError:
            continue
    return LOW_SPACE_BYTES


def tell_if_empty(path: Path, what: str) -> None:
    """A file of 0 bytes opens as a new, empty database: say so, as it may have held data."""
    path = Path(path)
    if path.is_file() and path.stat().st_size == 0:
        log.warning(
            "%s was empty (0 bytes): a new, empty %s is started in it; if it held data, stop OpenHMI and "
            "restore the file from a backup",
            path,
            what,
            extra=OPERATOR,
        )


def damaged(exc: sqlite3.Error) -> bool:
    """Whether `exc` says the file is no database, or a damaged or truncated one."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in str(exc)


def describe(path: Path, what: str, exc: sqlite3.Error, *, writing: bool = True) -> str:
    """The message for `exc` met while opening, reading (`writing` False) or writing `what` (e.g.
    'alarm journal') at `path`: what is wrong with the file and what to do."""
    detail = str(exc)
    if damaged(exc):
        keep = "keep it: it is the evidence" if what == "audit trail" else "keep it for diagnosis"
        return (
            f"{path} is not a usable {what}: {detail} (the file is damaged, truncated or was replaced). "
            f"Stop OpenHMI, move the file aside ({keep}) and start again: a new, empty one is created."
        )
    if not writing:
        return f"cannot read the {what} {path}: {detail}; check that the file and its folder are readable"
    reason = cause(path, exc)
    if reason == "disk full":
        return f"cannot write the {what} {path}: the disk is full ({detail}); free space and start again"
    return (
        f"cannot write the {what} {path}: {detail}. Make the file and its folder writable for the user "
        f"running OpenHMI, or set OPENHMI_DATA_DIR to a folder that is"
    )


def open_writer(
    path: Path, what: str, error: type[HmiError], schema: str, **options: object
) -> sqlite3.Connection:
    """A connection for the single writer of `path` (WAL, synchronous=FULL, `schema` created); `error`
    with a message from describe() when the file cannot be used. `options` go to sqlite3.connect."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise error(f"cannot create the folder of the {what} {path}: {exc}") from exc
    for target in (path, path.parent):
        if target.exists() and not os.access(target, os.W_OK):  # SQLite would find out at the first row
            raise error(
                f"cannot write the {what} {path}: {'its folder' if target == path.parent else 'the file'} "
                f"is read-only. Make the file and its folder writable for the user running OpenHMI, or "
                f"set OPENHMI_DATA_DIR to a folder that is"
            )
    tell_if_empty(path, what)
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, check_same_thread=False, **options)  # type: ignore[call-overload]
    except sqlite3.Error as exc:
        raise error(describe(path, what, exc)) from exc
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.executescript(schema)
    except sqlite3.Error as exc:
        conn.close()
        raise error(describe(path, what, exc)) from exc
    return conn


def connect_reader(path: Path, table: str, what: str, error: type[HmiError]) -> sqlite3.Connection:
    """A read-only connection to `path`; `error` naming `what` when the file or its `table` is missing,
    or the file is no database."""
    if not Path(path).is_file():
        raise error(f"no {what} at {path}")
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as exc:
        raise error(describe(path, what, exc, writing=False)) from exc
    try:
        found = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    except sqlite3.Error as exc:
        conn.close()
        raise error(describe(path, what, exc, writing=False)) from exc
    if found is None:
        conn.close()
        raise error(f"{path} holds no {what}")
    return conn


def file_id(path: Path) -> tuple[int, int] | None:
    """The (device, inode) of the file at `path`; None when there is none."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


_kept: dict[tuple[int, int], Path] = {}
"""Where this process keeps the contents of a file that was replaced under its writers: one copy for
every writer of it (the historian and the alarm journal share one file)."""
_kept_lock = threading.Lock()


class Watch:
    """Notices that the file a writer has open is no longer the one at its path (replaced, moved or
    deleted): SQLite goes on writing into the file it opened, which nobody reads and which is gone when
    the writer closes. One stat a commit."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.opened = file_id(self.path)

    def replaced(self) -> bool:
        return self.opened is not None and file_id(self.path) != self.opened

    def keep(self, conn: sqlite3.Connection) -> Path:
        """Copy the file `conn` has open to a new file beside the path (unless another writer of this
        process did already) and return its path. The write-ahead log goes into the file first, so that
        no connection opening the path later reads it as the new file's (SQLite pairs them by name).
        sqlite3.Error (nothing copied) when the copy cannot be written."""
        assert self.opened is not None
        with _kept_lock:
            kept = _kept.get(self.opened)
            if kept is not None:
                return kept
            kept = _free_name(self.path)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            try:
                target = sqlite3.connect(kept)
                try:
                    conn.backup(target)
                finally:
                    target.close()
            except sqlite3.Error:
                kept.unlink(missing_ok=True)
                raise
            _kept[self.opened] = kept
            return kept


def _free_name(path: Path) -> Path:
    """`history.sqlite` -> `history.replaced-20261203-174700.sqlite`, numbered if that is taken."""
    base = f"{path.stem}.replaced-{time.strftime('%Y%m%d-%H%M%S')}"
    kept, n = path.with_name(f"{base}{path.suffix}"), 1
    while kept.exists():
        kept, n = path.with_name(f"{base}-{n}{path.suffix}"), n + 1
    return kept
