"""`verify`: does the audit trail tell the truth? The hash chain row by row, then the signed
checkpoints and the anchor (hmi/security/checkpoints.py) for what the chain alone cannot show."""

from __future__ import annotations

import itertools
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .audit import CONTENT, FAILED, GENESIS, INTERRUPTED, TABLE, AuditRow, _row, connect_reader, digest
from .checkpoints import (
    MISMATCH,
    UNSIGNED,
    CheckpointLog,
    Statement,
    anchor_or_error,
    checkpoint_paths,
    compare_anchor,
    fingerprint,
    read_checkpoints,
    station_key_path,
    station_public_key,
)
from .errors import AuditError


@dataclass(frozen=True)
class ChainReport:
    """The outcome of `verify`: ok, or the first row found wrong and what seems to have happened;
    `notes`: what was checked against (checkpoints, key) and findings that are no tampering."""

    rows: int
    problem: str = ""
    row: AuditRow | None = None
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problem


def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M:%S")


def verify(path: Path, *, key_path: Path | None = None, checkpoint_copy: Path | None = None) -> ChainReport:
    """Walk the chain from the first row; report the first edited, inserted or deleted row.

    Deleted middle rows show as a gap in the ids, or (renumbered) as a row that no longer chains.
    Deleted newest rows, or valid-looking ones appended, show against the signed checkpoints and the
    anchor. A file that is no audit trail, or a damaged one, is a verdict too. AuditError: no file.
    """
    path = Path(path)
    if not path.is_file():
        raise AuditError(f"no audit trail at {path}")
    station = station_public_key(key_path or station_key_path())
    logs = [read_checkpoints(p) for p in checkpoint_paths(path, checkpoint_copy)]
    notes: list[str] = []
    statements, problem = _checkpoints(logs, station, notes)
    if problem:
        return ChainReport(0, problem, notes=tuple(notes))
    try:
        conn = connect_reader(path)
    except AuditError as exc:
        return ChainReport(0, str(exc), notes=tuple(notes))
    previous, before_previous, last_id, count = GENESIS, None, 0, 0
    last_row: AuditRow | None = None
    try:
        head = conn.execute(f"SELECT hash FROM {TABLE} ORDER BY id LIMIT 1").fetchone()
        first = head[0] if head else GENESIS
        statements = _of_this_trail(statements, first, station, notes)
        expected: dict[int, list[Statement]] = defaultdict(list)
        for statement in statements:
            expected[statement.rows].append(statement)
        cursor = conn.execute(f"SELECT id, {CONTENT}, hash FROM {TABLE} ORDER BY id")
        for raw, raw_next in itertools.pairwise(itertools.chain(cursor, [None])):
            row = _row(raw)
            following = None if raw_next is None else _row(raw_next)
            broken = _break(row, following, previous, before_previous, last_id, last_row)
            if broken is None:
                broken = _finding(row, notes)
            before_previous, previous, last_id, last_row = previous, row.hash, row.id, row
            count += 1
            if broken is None:
                broken = next(
                    (
                        (
                            f"row {row.id} is not the one the checkpoint of {_when(s.ts)} signed: the chain "
                            f"was rewritten",
                            row,
                        )
                        for s in expected.get(count, ())
                        if s.last_hash != row.hash
                    ),
                    None,
                )
            if broken is not None:
                return ChainReport(count - 1, *broken, notes=tuple(notes))
    except sqlite3.DatabaseError as exc:
        return ChainReport(
            count,
            f"the file is damaged after row {last_id}: {exc} (truncated, or changed outside the app); "
            f"restore it from a backup",
            last_row,
            tuple(notes),
        )
    finally:
        conn.close()
    newest = max(statements, key=lambda s: s.rows, default=None)
    if newest is not None and newest.rows > count:
        return ChainReport(
            count,
            f"the newest {newest.rows - count} row(s) were deleted: the signed checkpoint of "
            f"{_when(newest.ts)} counts {newest.rows}",
            last_row,
            tuple(notes),
        )
    found = compare_anchor(anchor_or_error(path), count, previous, first, station, bool(statements))
    if found is not None:
        kind, why = found
        if kind == MISMATCH:
            return ChainReport(count, why, last_row, tuple(notes))
        notes.append(why if kind == UNSIGNED else f"{why} (not tampering)")
    return ChainReport(count, notes=tuple(notes))


def walk(rows: Iterable[AuditRow]) -> ChainReport:
    """The hash chain alone, from the first row: a site's trail in its database, where the server
    keeps the rows append-only and no anchor or checkpoint file lies beside it."""
    previous, before_previous, last_id, count = GENESIS, None, 0, 0
    last_row: AuditRow | None = None
    for row, following in itertools.pairwise(itertools.chain(rows, [None])):
        assert row is not None
        broken = _break(row, following, previous, before_previous, last_id, last_row)
        if broken is not None:
            return ChainReport(count, *broken)
        before_previous, previous, last_id, last_row = previous, row.hash, row.id, row
        count += 1
    return ChainReport(count)


def _checkpoints(
    logs: list[CheckpointLog], station: str | None, notes: list[str]
) -> tuple[list[Statement], str]:
    """Every checkpoint of both logs; a problem when one is forged or signed by another key."""
    statements: dict[Statement, None] = {}
    for log in logs:
        if not log.present and any(other.present for other in logs):
            notes.append(f"no checkpoint log at {log.path}")
        if log.unreadable:
            notes.append(
                f"{log.unreadable} line(s) of {log.path} are no checkpoint (cut short by a crash, or edited)"
            )
        for statement in log.statements:
            if not statement.signed or not statement.genuine():
                return [], f"a checkpoint in {log.path} was edited or forged: its signature does not match"
            if station is not None and statement.key != station:
                return [], (
                    f"a checkpoint in {log.path} is signed by another key ({fingerprint(statement.key)}), "
                    f"not this station's ({fingerprint(station)})"
                )
            statements[statement] = None
    return list(statements), ""


def _of_this_trail(
    statements: list[Statement], first: str, station: str | None, notes: list[str]
) -> list[Statement]:
    """The checkpoints of this trail (one moved aside and begun anew leaves its own in the logs), and
    a note of how many, the newest and whose key signed them."""
    mine = [s for s in statements if s.first == first]
    if len(mine) < len(statements):
        notes.append(
            f"{len(statements) - len(mine)} checkpoint(s) of another trail at this path (one moved aside "
            f"or replaced) are not used"
        )
    if not mine:
        notes.append("no signed checkpoints yet")
        return mine
    newest = max(mine, key=lambda s: s.rows)
    whose = (
        "this station's key"
        if station is not None
        else "no station key on this machine: compare it with the one `hmi audit verify` shows there"
    )
    notes.append(
        f"{len(mine)} signed checkpoint(s), the newest of row {newest.rows} at {_when(newest.ts)}; "
        f"key {fingerprint(newest.key)} ({whose})"
    )
    return mine


def _finding(row: AuditRow, notes: list[str]) -> tuple[str, AuditRow] | None:
    """A check the app itself recorded: a mismatch it found is a problem for good, a write a crash
    cut short is a note."""
    entry = row.entry
    if entry.action != "audit_check":
        return None
    if entry.result == INTERRUPTED:
        notes.append(f"row {row.id} ({_when(entry.ts)}): {entry.reason}")
        return None
    if entry.result == FAILED:
        return f"row {row.id}: on {_when(entry.ts)} the app found that {entry.reason}", row
    return None


def _break(
    row: AuditRow,
    following: AuditRow | None,
    previous: str,
    before_previous: str | None,
    last_id: int,
    last_row: AuditRow | None,
) -> tuple[str, AuditRow] | None:
    """Why `row` does not follow the verified part of the chain, and the row to blame; None if it does."""
    if row.id != last_id + 1:
        return f"row(s) {last_id + 1}..{row.id - 1} were deleted (the chain breaks at row {row.id})", row
    if row.hash == digest(previous, row.entry, row.station):
        return None
    if (
        last_row is not None
        and before_previous is not None
        and row.hash == digest(before_previous, row.entry, row.station)
    ):
        return f"row {last_row.id} was inserted: row {row.id} chains to the row before it", last_row
    if following is not None and following.hash == digest(previous, following.entry, following.station):
        return f"row {row.id} was inserted: the next row chains to the row before it", row
    if following is not None and following.hash == digest(row.hash, following.entry, following.station):
        return f"row {row.id} was edited (or row {row.id - 1} edited and its hash recomputed)", row
    return f"the chain breaks at row {row.id}: edited, or rows before it deleted and renumbered", row
