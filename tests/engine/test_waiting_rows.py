"""No row lost: alarm journal and audit trail rows wait while the disk refuses them, in memory and then
in a spill file elsewhere, the operator is told how many, and they are written when it takes them again.

The failures are real: a full disk is a small tmpfs filled to the last byte; a read-only file is one
made immutable (`chattr +i`: the tests run as root here, and root ignores permission bits). Both need
root; elsewhere these tests are skipped.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from hmi.alarms import AlarmJournal, JournalEntry
from hmi.notices import for_operator
from hmi.security import AuditTrail, verify


def entry(i: int) -> JournalEntry:
    return JournalEntry(
        float(i), "TK101.Level.HI", "TK101.Level", "hi", "high", "normal", "unack_active", True, 85.0, 80.0,
        "system", "", "Tank 101 high " + "x" * 400,
    )  # fmt: skip


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 4 MiB file system."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if (
        os.geteuid() != 0
        or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)]).returncode
    ):
        pytest.skip("needs root to mount a small tmpfs")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=True)


def fill(disk: Path) -> Path:
    """Take every free byte of `disk`; delete the file returned to give the space back."""
    filler = disk / "filler"
    with open(filler, "wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError:
            pass
    assert shutil.disk_usage(disk).free < 65536
    return filler


@pytest.fixture
def immutable() -> Iterator[list[Path]]:
    """Files listed here are made immutable by the test and made writable again at the end."""
    if os.geteuid() != 0 or shutil.which("chattr") is None:
        pytest.skip("needs root and chattr for a file even root cannot write")
    files: list[Path] = []
    yield files
    subprocess.run(["chattr", "-i", *map(str, files)], check=False)


def chattr(flag: str, files: list[Path]) -> None:
    subprocess.run(["chattr", flag, *map(str, files)], check=True)


def count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def told(caplog: pytest.LogCaptureFixture, start: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if for_operator(r) and r.getMessage().startswith(start)]


def test_alarm_rows_wait_while_the_disk_is_full_and_are_written_when_it_has_space(
    small_disk: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.WARNING)
    path, spill = small_disk / "history.sqlite", tmp_path / "spill"
    with AlarmJournal(path, spill_dir=spill, memory_rows=100) as journal:
        journal.record(entry(0))
        assert journal.flush()
        filler = fill(small_disk)
        for i in range(1, 301):
            journal.record(entry(i))
        assert not journal.flush()
        assert journal.waiting > 100 and journal.lost == 0
        assert told(caplog, "disk full: ") and "alarm rows waiting" in told(caplog, "disk full: ")[-1]
        assert list(spill.iterdir()), "beyond 100 rows in memory they wait in the spill file"
        filler.unlink()
        assert journal.flush()
        assert journal.waiting == 0 and journal.written == 301 and journal.lost == 0
    assert told(caplog, f"alarm journal {path} written again")
    assert count(path, "alarm_journal") == 301
    assert not list(spill.iterdir())


def test_alarm_rows_wait_while_the_file_is_read_only(
    tmp_path: Path, immutable: list[Path], caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.WARNING)
    path = tmp_path / "history.sqlite"
    with AlarmJournal(path, spill_dir=tmp_path / "spill") as journal:
        journal.record(entry(0))
        assert journal.flush()
        immutable += [path, Path(f"{path}-wal")]
        chattr("+i", immutable)
        for i in range(1, 51):
            journal.record(entry(i))
        assert not journal.flush()
        assert journal.waiting == 50
        assert told(caplog, "read-only: 50 alarm rows waiting")  # in words, never a rollback error
        assert not any("cannot rollback" in r.getMessage() for r in caplog.records)
        chattr("-i", immutable)
        assert journal.flush()
    assert count(path, "alarm_journal") == 51


def test_rows_still_waiting_at_shutdown_are_written_at_the_next_start(small_disk: Path, tmp_path: Path):
    path, spill = small_disk / "history.sqlite", tmp_path / "spill"
    with AlarmJournal(path, spill_dir=spill) as journal:
        journal.record(entry(0))
        assert journal.flush()
        filler = fill(small_disk)
        for i in range(1, 21):
            journal.record(entry(i))
    assert list(spill.iterdir())
    filler.unlink()
    with AlarmJournal(path, spill_dir=spill) as journal:
        assert journal.flush()
    assert count(path, "alarm_journal") == 21
    assert [e.ts for e in reversed(AlarmJournal.search(journal, limit=100))] == [float(i) for i in range(21)]


def test_audit_rows_wait_while_the_disk_is_full_and_the_chain_stays_true(
    small_disk: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.WARNING)
    path, spill = small_disk / "audit.sqlite", tmp_path / "spill"
    with AuditTrail(path, spill_dir=spill, memory_rows=10) as audit:
        audit.record("otto", "login")
        assert audit.flush()
        filler = fill(small_disk)
        for i in range(40):
            audit.record("otto", "write", f"FIC{i}.SP", old=i, new=i + 1, result="confirmed")
        assert not audit.flush()
        assert audit.waiting == 40 and audit.lost == 0
        assert told(caplog, "disk full: ") and "audit rows waiting" in told(caplog, "disk full: ")[-1]
        report = verify(path)
        assert report.ok, report.problem  # a refused write is neither tampering nor a crash
        filler.unlink()
        assert audit.flush()
    report = verify(path)
    assert report.ok and report.rows == 41, report.problem
    assert not any(note.endswith("(not tampering)") for note in report.notes)
    assert count(path, "audit WHERE action = 'audit_check'") == 0
