"""Purging old history: by age (per tag or project-wide) and by the file's size cap, oldest data first.

Work is cut into steps of a few thousand rows or a few hundred chunks, each its own short transaction,
so the writer thread can interleave purging with its regular flushes and nobody waits on a long delete.
Sealed history goes by whole chunks (an hour of a tag), so a tag keeps up to an hour more than asked.
Freed pages are reused before the file grows; a file in incremental auto-vacuum mode (new files, and
any file after `hmi history compact`) also gives them back to the file system, a few at a time.
"""

from __future__ import annotations

import logging
import math
import sqlite3
import time
from collections import deque
from datetime import datetime

from ..notices import OPERATOR
from .schema import HOUR_MS, MINUTE_MS, has_chunks, used_bytes

log = logging.getLogger(__name__)

STEP_ROWS = 5_000
STEP_CHUNKS = 200
VACUUM_PAGES = 256  # pages given back per step (1 MB at 4 kB pages)
AGE_CHECK_EVERY_S = 60.0
SIZE_TARGET = 0.9  # purge down to this share of the cap, so purging does not restart at every flush


class Retention:
    """Keeps the history tables within their age limits and the file within its size cap."""

    def __init__(
        self,
        con: sqlite3.Connection,
        retention_days: float,
        max_bytes: int,
        tag_days: dict[int, float] | None = None,
    ):
        self._con = con
        self._days = retention_days
        self._tag_days = dict(tag_days or {})
        self._max_bytes = max_bytes
        self._work: deque[tuple[int, int]] = deque()  # (tag id, delete samples before this ms)
        self._next_age_check = -math.inf
        self._warned_full = False
        self._chunked = has_chunks(con)
        self._incremental = con.execute("PRAGMA auto_vacuum").fetchone()[0] == 2
        self._reclaim = False  # pages were freed: give them back, or say why the file keeps its size
        self._warned_size = False

    def run(self, now: float, budget_s: float | None = None) -> bool:
        """Purge until done or `budget_s` is spent; True while work remains. `now` is epoch seconds."""
        deadline = None if budget_s is None else time.monotonic() + budget_s
        while True:
            if not self._work and not self._plan(now):
                return self._give_back(deadline)
            self._step()
            if deadline is not None and time.monotonic() >= deadline:
                return True

    def _give_back(self, deadline: float | None) -> bool:
        """Return freed pages to the file system in steps (True while some are left), or report once that
        this file keeps its size."""
        if not self._reclaim:
            return False
        if not self._incremental:
            if not self._warned_size:
                free = self._con.execute("PRAGMA freelist_count").fetchone()[0]
                page = self._con.execute("PRAGMA page_size").fetchone()[0]
                log.warning(
                    "history: purged old data; the file keeps its size (%.1f MB free inside it, reused "
                    "before it grows) until `hmi history compact` is run on the project",
                    free * page / 1e6,
                )
                self._warned_size = True
            self._reclaim = False
            return False
        while self._con.execute("PRAGMA freelist_count").fetchone()[0]:
            self._con.execute(f"PRAGMA incremental_vacuum({VACUUM_PAGES})").fetchall()
            if deadline is not None and time.monotonic() >= deadline:
                return True
        self._reclaim = False
        return False

    def _plan(self, now: float) -> bool:
        if now >= self._next_age_check:
            self._next_age_check = now + AGE_CHECK_EVERY_S
            self._plan_age(now)
        if not self._work:
            self._plan_size()
        return bool(self._work)

    def _plan_age(self, now: float) -> None:
        for (tag_id,) in self._con.execute("SELECT id FROM history_tag").fetchall():
            days = self._tag_days.get(tag_id, self._days)
            cutoff = int((now - days * 86_400) * 1000) // MINUTE_MS * MINUTE_MS
            if self._has_before(tag_id, cutoff):
                self._work.append((tag_id, cutoff))

    def _plan_size(self) -> None:
        used = used_bytes(self._con)
        if used <= self._max_bytes:
            self._warned_full = False
            return
        spans = self._spans()
        if not spans:
            if not self._warned_full:
                log.warning(
                    "history file is over its %.0f MB cap, but holds no history to purge",
                    self._max_bytes / 1e6,
                    extra=OPERATOR,
                )
                self._warned_full = True
            return
        oldest = min(first for first, _, _ in spans.values())
        newest = max(last for _, last, _ in spans.values())
        # Assume data is spread evenly over time: drop the share of the span that brings us under target,
        # and at least the oldest chunk (it goes whole).
        share = (used - SIZE_TARGET * self._max_bytes) / used
        least = min(end for first, _, end in spans.values() if first == oldest)
        cutoff = max(oldest + share * (newest - oldest), least)
        cutoff = math.ceil(cutoff / MINUTE_MS) * MINUTE_MS
        log.info(
            "history file uses %.1f MB of its %.1f MB cap: purging data before %s",
            used / 1e6,
            self._max_bytes / 1e6,
            datetime.fromtimestamp(cutoff / 1000).isoformat(" ", "seconds"),
        )
        self._work.extend((tag_id, cutoff) for tag_id, (first, _, _) in spans.items() if first < cutoff)

    def _spans(self) -> dict[int, tuple[int, int, int]]:
        """First and last sample time of every tag that has samples, sealed or not, and the end of its
        first chunk (or minute, if it has no chunk)."""
        spans = {}
        for (tag_id,) in self._con.execute("SELECT id FROM history_tag").fetchall():
            first, last = self._con.execute(
                "SELECT (SELECT min(ts) FROM history_sample WHERE tag_id = ?1),"
                " (SELECT max(ts) FROM history_sample WHERE tag_id = ?1)",
                (tag_id,),
            ).fetchone()
            first_end = None if first is None else first + MINUTE_MS
            if self._chunked:
                sealed = self._con.execute(
                    "SELECT t_first, t_last FROM history_chunk WHERE tag_id = ? ORDER BY hour LIMIT 1",
                    (tag_id,),
                ).fetchone()
                if sealed is not None:
                    first, first_end = sealed[0], sealed[1] + 1
                    if last is None:
                        last = self._con.execute(
                            "SELECT max(t_last) FROM history_chunk WHERE tag_id = ?", (tag_id,)
                        ).fetchone()[0]
            if first is not None and last is not None and first_end is not None:  # the tag holds data
                spans[tag_id] = (first, last, first_end)
        return spans

    def _has_before(self, tag_id: int, cutoff: int) -> bool:
        row = self._con.execute(
            "SELECT 1 FROM history_sample WHERE tag_id = ? AND ts < ? LIMIT 1", (tag_id, cutoff)
        ).fetchone()
        if row is None and self._chunked:
            row = self._con.execute(
                "SELECT 1 FROM history_chunk WHERE tag_id = ? AND hour <= ? AND t_last < ? LIMIT 1",
                (tag_id, cutoff // HOUR_MS, cutoff),
            ).fetchone()
        return row is not None

    def _step(self) -> None:
        """Delete up to STEP_ROWS of the first work item's samples, with the minutes they emptied, or
        once those are gone up to STEP_CHUNKS of its chunks that end before the cutoff."""
        tag_id, cutoff = self._work[0]
        con = self._con
        row = con.execute(
            "SELECT ts FROM history_sample WHERE tag_id = ? AND ts < ? ORDER BY ts LIMIT 1 OFFSET ?",
            (tag_id, cutoff, STEP_ROWS - 1),
        ).fetchone()
        upto = cutoff if row is None else row[0] + 1
        con.execute("BEGIN IMMEDIATE")
        try:
            con.execute("DELETE FROM history_sample WHERE tag_id = ? AND ts < ?", (tag_id, upto))
            con.execute(
                "DELETE FROM history_minute WHERE tag_id = ? AND minute < ?", (tag_id, upto // MINUTE_MS)
            )
            done = row is None and self._drop_chunks(tag_id, cutoff)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        self._reclaim = True
        if done:
            self._work.popleft()

    def _drop_chunks(self, tag_id: int, cutoff: int) -> bool:
        """Delete up to STEP_CHUNKS chunks of the tag that end before the cutoff; True if none are left."""
        if not self._chunked:
            return True
        found = self._con.execute(
            "SELECT hour, data_id FROM history_chunk WHERE tag_id = ? AND hour <= ? AND t_last < ?"
            " ORDER BY hour LIMIT ?",
            (tag_id, cutoff // HOUR_MS, cutoff, STEP_CHUNKS),
        ).fetchall()
        if found:
            self._con.executemany("DELETE FROM history_chunk_data WHERE id = ?", [(d,) for _, d in found])
            self._con.execute(
                "DELETE FROM history_chunk WHERE tag_id = ? AND hour <= ? AND t_last < ?",
                (tag_id, found[-1][0], cutoff),
            )
        return len(found) < STEP_CHUNKS
