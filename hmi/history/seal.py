"""Sealing: a tag's closed rows become one compressed chunk per hour, in one transaction that deletes them.

Rows are closed once the tag has a committed sample in a later minute: nothing can be written before
that any more, and their minutes are rolled up. A closed hour is sealed whole; the open hour is sealed
(and later extended) once PIECE_ROWS of its rows are closed, so the row table holds minutes, not hours.

Two paths. A bulk flush (many samples of a tag at once) seals its closed rows in the commit itself,
without writing them as rows first. Rows written one flush at a time are sealed from the row table
between flushes, one tag-hour a transaction, within a time budget; a file from before schema 2 is
worked through the same way, oldest first, with its progress logged.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..notices import OPERATOR
from . import chunks
from .schema import HOUR_MS, MINUTE_MS

log = logging.getLogger(__name__)

PIECE_ROWS = 600
BACKLOG_MS = 2 * HOUR_MS  # rows of a tag spanning more at start are a backlog, worked through in steps
PROGRESS_STEP = 0.1

Row = tuple[int, int, Any, int]  # (tag id, ts, value, quality), as the writer inserts them

_ROWS = "SELECT ts, value, quality FROM history_sample WHERE tag_id = ? AND ts < ? ORDER BY ts"
_COUNT = "SELECT count(*) FROM history_sample WHERE tag_id = ?"
_FIRST = "SELECT min(ts) FROM history_sample WHERE tag_id = ?"


@dataclass(slots=True)
class TagState:
    """What the sealer knows of one tag's row table."""

    tag_id: int
    first_row: int | None  # ts of the oldest row, None when there is none
    table_rows: int | None  # rows in the table; None for a backlog not counted
    last: int = -1  # ts of the newest committed sample
    piece_at: int = 0  # table rows at which to try sealing a piece of the open hour; 0: PIECE_ROWS

    @property
    def limit(self) -> int:
        """Rows before this are closed."""
        return self.last // MINUTE_MS * MINUTE_MS


def load_states(con: sqlite3.Connection, tag_ids: list[int]) -> dict[int, TagState]:
    """The sealer's view of the tags' rows in the file: oldest, newest, and how many unless a backlog."""
    states = {}
    for tag_id in tag_ids:
        first, last = con.execute(
            "SELECT (SELECT min(ts) FROM history_sample WHERE tag_id = ?1),"
            " (SELECT max(ts) FROM history_sample WHERE tag_id = ?1)",
            (tag_id,),
        ).fetchone()
        if first is None:
            states[tag_id] = TagState(tag_id, None, 0)
            continue
        backlog = last - first >= BACKLOG_MS
        rows = None if backlog else con.execute(_COUNT, (tag_id,)).fetchone()[0]
        states[tag_id] = TagState(tag_id, first, rows, last)
    return states


class Sealer:
    """Seals closed rows of the tags it knows, on one connection; used by one thread."""

    def __init__(self, con: sqlite3.Connection, states: dict[int, TagState]):
        self.con = con
        self.states = states
        self._backlog_ms = sum(_span(s) for s in states.values() if s.table_rows is None)
        self._reported = 0.0
        if self._backlog_ms:
            log.info(
                "history: compressing %.0f tag-hours of older samples, oldest first",
                self._backlog_ms / HOUR_MS,
                extra=OPERATOR,
            )

    # -- in the writer's commit ------------------------------------------------------------------

    def seal_batch(self, state: TagState, batch: list[Row]) -> list[Row]:
        """Seal the closed part of a tag's batch (with its few rows already in the table) inside the
        caller's transaction; return the rows still to insert. Only for batches at least as big as what
        the table holds, so the work stays in proportion to the flush."""
        if len(batch) < PIECE_ROWS // 10 or state.table_rows is None or state.table_rows > len(batch):
            return batch
        limit = batch[-1][1] // MINUTE_MS * MINUTE_MS
        if batch[0][1] >= limit:
            return batch
        table: list[tuple] = []
        if state.first_row is not None:
            table = self.con.execute(_ROWS, (state.tag_id, limit)).fetchall()
        closed = table + [row[1:] for row in batch if row[1] < limit]
        sealed_to = self._seal_closed(state.tag_id, closed, limit, PIECE_ROWS // 4)
        if sealed_to is None:
            return batch
        kept = [row for row in table if row[0] >= sealed_to]
        state.table_rows = len(kept)
        state.first_row = kept[0][0] if kept else None
        state.piece_at = 0
        return [row for row in batch if row[1] >= sealed_to]

    def committed(self, state: TagState, rows: int, first: int, last: int) -> None:
        """The writer committed `rows` rows of the tag, from `first` to `last`."""
        if rows:
            if state.first_row is None:
                state.first_row = first
            if state.table_rows is not None:
                state.table_rows += rows
            state.last = max(state.last, last)

    # -- between flushes -------------------------------------------------------------------------

    def run(self, budget_s: float | None) -> bool:
        """Seal closed rows from the table, oldest first, one tag-hour a transaction, until none are left
        or `budget_s` is spent; True while work remains."""
        deadline = None if budget_s is None else time.monotonic() + budget_s
        while True:
            due = [s for s in self.states.values() if self._has_work(s)]
            if not due:
                return False
            for state in sorted(due, key=lambda s: s.first_row or 0):
                self._step(state)
                if deadline is not None and time.monotonic() >= deadline:
                    return True

    def progress(self) -> tuple[int, int]:
        """(ms of the backlog sealed, ms of backlog there was at start)."""
        left = sum(_span(s) for s in self.states.values() if s.table_rows is None)
        return self._backlog_ms - min(left, self._backlog_ms), self._backlog_ms

    @staticmethod
    def _has_work(state: TagState) -> bool:
        first = state.first_row
        if first is None or first >= state.limit:
            return False
        if (first // HOUR_MS + 1) * HOUR_MS <= state.limit:
            return True  # a closed hour
        return state.table_rows is None or state.table_rows >= (state.piece_at or PIECE_ROWS)

    def _step(self, state: TagState) -> None:
        assert state.first_row is not None
        upto = min((state.first_row // HOUR_MS + 1) * HOUR_MS, state.limit)
        con = self.con
        con.execute("BEGIN IMMEDIATE")
        try:
            rows = con.execute(_ROWS, (state.tag_id, upto)).fetchall()
            sealed_to = self._seal_closed(state.tag_id, rows, state.limit)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        if not rows:  # purged meanwhile
            state.first_row = con.execute(_FIRST, (state.tag_id,)).fetchone()[0]
            state.table_rows = con.execute(_COUNT, (state.tag_id,)).fetchone()[0]
            return
        if sealed_to is None:  # too few closed rows in the open hour for a piece: try again with more
            if state.table_rows is None:
                state.table_rows = con.execute(_COUNT, (state.tag_id,)).fetchone()[0]
            state.piece_at = state.table_rows + max(1, PIECE_ROWS // 10)
            return
        state.first_row = con.execute(_FIRST, (state.tag_id,)).fetchone()[0]
        state.piece_at = 0
        if state.table_rows is not None:
            state.table_rows -= len(rows)
        elif state.first_row is None or state.last - state.first_row < BACKLOG_MS:
            state.table_rows = con.execute(_COUNT, (state.tag_id,)).fetchone()[0]
        self._report()

    # -- both ------------------------------------------------------------------------------------

    def _seal_closed(self, tag_id: int, rows: list[tuple], limit: int, piece: int = 0) -> int | None:
        """Seal rows (ts, value, quality), all before `limit`, hour by hour; the open hour only with
        `piece` rows or more (PIECE_ROWS if 0). Return the time up to which the tag is now sealed, None
        if nothing was."""
        sealed_to = None
        start = 0
        while start < len(rows):
            hour = rows[start][0] // HOUR_MS
            hour_end = (hour + 1) * HOUR_MS
            end = start
            while end < len(rows) and rows[end][0] < hour_end:
                end += 1
            closed_hour = hour_end <= limit
            if not closed_hour and end - start < (piece or PIECE_ROWS):
                break
            sealed_to = hour_end if closed_hour else limit
            self._seal_hour(tag_id, hour, rows[start:end], sealed_to)
            start = end
        return sealed_to

    def _seal_hour(self, tag_id: int, hour: int, rows: list[tuple], upto: int) -> None:
        """Replace the rows of one hour before `upto` (and the hour's earlier chunk) by one chunk."""
        con = self.con
        ts = [row[0] for row in rows]
        values = [row[1] for row in rows]
        quality = [row[2] for row in rows]
        earlier = chunks.take(con, tag_id, hour)
        if earlier is not None:
            ts = earlier.ts.tolist() + ts
            values = earlier.value_list() + values
            quality = earlier.quality.tolist() + quality
        chunks.write(con, tag_id, ts, values, quality)
        log.debug("history: sealed %d samples of tag %d up to %d", len(ts), tag_id, upto)
        con.execute("DELETE FROM history_sample WHERE tag_id = ? AND ts < ?", (tag_id, upto))
        con.execute("DELETE FROM history_minute WHERE tag_id = ? AND minute < ?", (tag_id, upto // MINUTE_MS))

    def _report(self) -> None:
        if not self._backlog_ms:
            return
        done, total = self.progress()
        share = done / total
        if share >= 1.0:
            log.info("history: older samples are all compressed", extra=OPERATOR)
            self._backlog_ms = 0
        elif share >= self._reported + PROGRESS_STEP:
            self._reported = share
            log.info("history: compressing older samples, %.0f %% done", share * 100)


def _span(state: TagState) -> int:
    return 0 if state.first_row is None else max(state.limit - state.first_row, 0)


def seal_all(con: sqlite3.Connection) -> Iterator[tuple[int, int]]:
    """Seal every closed row of the file (for `hmi history compact`), yielding (done, total) in tag-ms
    as it goes."""
    ids = [tag_id for (tag_id,) in con.execute("SELECT id FROM history_tag")]
    states = load_states(con, ids)
    for state in states.values():
        if state.first_row is not None:
            state.table_rows = None  # all of it a backlog, for one progress figure
    sealer = Sealer(con, states)
    while sealer.run(0.2):
        yield sealer.progress()
    yield sealer.progress()
