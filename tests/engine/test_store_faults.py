"""The historian, alarm journal and audit trail on a disk that fails them while they run, and on a file
that is empty or garbage at start: a clear message, no crash, nothing stored lost, recovery after.

Journal and audit rows waiting through a full disk are tests/engine/test_waiting_rows.py, damaged files
at start through the commands tests/integration/test_cli_datafiles.py; this covers the rest.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path

import pytest

from hmi.alarms import AlarmJournal
from hmi.history import Historian, HistorianTag, HistoryConfig, HistoryError
from hmi.notices import for_operator
from hmi.quality import Quality, Sample
from hmi.security import AuditTrail, verify
from tests.engine.test_waiting_rows import chattr, count, entry, fill, immutable, small_disk, told

__all__ = ["immutable", "small_disk"]  # fixtures

TAGS = [f"T{i}" for i in range(5)]
T0 = (time.time() // 3600 - 5) * 3600  # five hours ago: the writer seals closed hours in between


def record(historian: Historian, start: int, stop: int, step_s: float = 0.5) -> None:
    for i in range(start, stop):
        for n, name in enumerate(TAGS):
            historian.record(name, Sample(float((i * 7 + n) % 23), Quality.GOOD, T0 + i * step_s))


def stored(path: Path) -> int:
    """Samples in the file, in rows and in sealed chunks."""
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        rows = con.execute("SELECT count(*) FROM history_sample").fetchone()[0]
        sealed = con.execute("SELECT coalesce(sum(samples), 0) FROM history_chunk").fetchone()[0]
    con.close()
    return rows + sealed


def historian(path: Path) -> Historian:
    return Historian(path, [HistorianTag(n) for n in TAGS], HistoryConfig(flush_interval_s=0.1))


def no_rollback_errors(caplog: pytest.LogCaptureFixture) -> None:
    said = [r.getMessage() for r in caplog.records]
    assert not any("cannot rollback" in m for m in said), said
    assert not any(r.exc_info for r in caplog.records), said  # no traceback on the operator's screen


def test_samples_wait_while_the_disk_is_full_and_are_written_when_it_has_space(
    small_disk: Path, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.WARNING)
    path = small_disk / "history.sqlite"
    with historian(path) as h:
        record(h, 0, 100)
        h.flush()
        filler = fill(small_disk)
        record(h, 100, 30_000)
        with pytest.raises(HistoryError, match="disk full"):
            h.flush()
        waiting = told(caplog, "history: disk full: ")
        assert waiting and "samples waiting" in waiting[-1] and str(path) in waiting[-1], waiting
        filler.unlink()
        h.flush()
        assert told(caplog, f"history file {path} written again")
    no_rollback_errors(caplog)
    assert stored(path) == 30_000 * len(TAGS)


def test_samples_wait_while_the_file_is_read_only(
    tmp_path: Path, immutable: list[Path], caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.WARNING)
    path = tmp_path / "history.sqlite"
    with historian(path) as h:
        record(h, 0, 100)
        h.flush()
        immutable += [path, Path(f"{path}-wal")]
        chattr("+i", immutable)
        record(h, 100, 2000)
        with pytest.raises(HistoryError, match="read-only"):
            h.flush()
        assert told(caplog, "history: read-only: ")
        chattr("-i", immutable)
        h.flush()
    no_rollback_errors(caplog)
    assert stored(path) == 2000 * len(TAGS)


def test_audit_rows_wait_while_the_file_is_read_only(
    tmp_path: Path, immutable: list[Path], caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.WARNING)
    path = tmp_path / "audit.sqlite"
    with AuditTrail(path, spill_dir=tmp_path / "spill") as audit:
        audit.record("otto", "login")
        assert audit.flush()
        immutable += [path, Path(f"{path}-wal")]
        chattr("+i", immutable)
        for i in range(30):
            audit.record("otto", "write", f"FIC{i}.SP", old=i, new=i + 1, result="confirmed")
        assert not audit.flush()
        assert audit.waiting == 30
        assert told(caplog, "read-only: 30 audit rows waiting")
        chattr("-i", immutable)
        assert audit.flush()
    no_rollback_errors(caplog)
    report = verify(path)
    assert report.ok and report.rows == 31, report.problem


@pytest.mark.parametrize("store", ["history", "alarm journal", "audit trail"])
def test_an_empty_file_in_place_of_a_store_is_said_and_used(
    tmp_path: Path, store: str, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.WARNING)
    path = tmp_path / f"{store.replace(' ', '-')}.sqlite"
    path.write_bytes(b"")
    if store == "history":
        with historian(path) as h:
            record(h, 0, 10)
        assert stored(path) == 10 * len(TAGS)
    elif store == "alarm journal":
        with AlarmJournal(path, spill_dir=tmp_path / "spill") as journal:
            journal.record(entry(1))
        assert count(path, "alarm_journal") == 1
    else:
        with AuditTrail(path, spill_dir=tmp_path / "spill") as audit:
            audit.record("otto", "login")
        assert verify(path).ok
    said = [r.getMessage() for r in caplog.records if for_operator(r)]
    assert any(f"{path} was empty (0 bytes)" in m for m in said), said
