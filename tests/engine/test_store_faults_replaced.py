"""A store's file replaced (renamed over), moved or deleted while the app writes it (#22 item 9): SQLite
would go on writing into the file it opened, which nobody reads and which is gone when it closes. The
writer notices at its next commit, tells the operator, and nothing is lost: the historian and alarm
journal (one shared file) go on in a copy of the file they had open and leave the new one alone; the
audit trail keeps a copy as evidence and goes on in the new file, whose anchor check records the change.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from pathlib import Path

import pytest

from hmi.alarms import AlarmJournal
from hmi.history import Historian, HistorianTag, HistoryConfig
from hmi.notices import for_operator
from hmi.quality import Quality, Sample
from hmi.security import AuditTrail, verify
from tests.engine.test_store_faults import stored as samples
from tests.engine.test_waiting_rows import count, entry

TAGS = ["TK101.Level", "P101.Speed"]
T0 = time.time() - 600


def record(historian: Historian, start: int, stop: int) -> None:
    for i in range(start, stop):
        for name in TAGS:
            historian.record(name, Sample(float(i), Quality.GOOD, T0 + i * 0.1))


def operator_heard(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if for_operator(r)]


def copy_of(path: Path, target: Path) -> None:
    """What a restore from a backup puts in place: a consistent copy, renamed over the file."""
    source, dest = sqlite3.connect(path), sqlite3.connect(f"{target}.tmp")
    source.backup(dest)
    source.close(), dest.close()
    os.replace(f"{target}.tmp", target)


@pytest.mark.parametrize("how", ["renamed over", "moved away"])
def test_history_and_journal_go_on_in_a_copy_and_leave_the_new_file_alone(
    tmp_path: Path, how: str, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.WARNING)
    path = tmp_path / "history.sqlite"
    config = HistoryConfig(flush_interval_s=0.1)
    with (
        Historian(path, [HistorianTag(n) for n in TAGS], config) as historian,
        AlarmJournal(path, spill_dir=tmp_path / "spill") as journal,
    ):
        record(historian, 0, 100)
        journal.record(entry(0))
        historian.flush()
        assert journal.flush()
        if how == "renamed over":
            copy_of(path, tmp_path / "backup.sqlite")  # an older backup, restored over the live file
            record(historian, 100, 150)
            historian.flush()
            os.replace(tmp_path / "backup.sqlite", path)
        else:
            os.replace(path, tmp_path / "archive.sqlite")
        record(historian, 150, 300)
        for i in range(1, 11):
            journal.record(entry(i))
        historian.flush()
        assert journal.flush()
        kept = sorted(tmp_path.glob("history.replaced-*.sqlite"))
        assert len(kept) == 1, list(tmp_path.iterdir())
        said = operator_heard(caplog)
        for store in ("history file", "alarm journal"):
            assert any(
                m.startswith(f"{store} {path} was replaced, moved or deleted while OpenHMI was writing it")
                and f"kept in {kept[0]}" in m
                and "Restart OpenHMI to use it" in m
                for m in said
            ), said
    # Everything written is in the copy, before the change and after; the new file is as it was put there.
    assert samples(kept[0]) == (300 if how == "renamed over" else 250) * len(TAGS)
    assert count(kept[0], "alarm_journal") == 11
    if how == "renamed over":
        assert samples(path) == 100 * len(TAGS) and count(path, "alarm_journal") == 1
    else:
        assert not path.exists()
        assert samples(tmp_path / "archive.sqlite") == 100 * len(TAGS)
    with Historian(path, [HistorianTag(n) for n in TAGS]):  # the next start uses the file at the path
        pass


def test_the_audit_trail_keeps_the_replaced_file_and_records_the_change(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.WARNING)
    path = tmp_path / "audit.sqlite"
    with AuditTrail(path, spill_dir=tmp_path / "spill") as audit:
        for i in range(5):
            audit.record("otto", "write", f"FIC{i}.SP", old=i, new=i + 1, result="confirmed")
        assert audit.flush()
        copy_of(path, tmp_path / "backup.sqlite")
        for i in range(5, 8):
            audit.record("otto", "write", f"FIC{i}.SP", old=i, new=i + 1, result="confirmed")
        assert audit.flush()
        os.replace(tmp_path / "backup.sqlite", path)  # three rows gone, as an attacker with a backup would
        audit.record("mia", "login")
        assert audit.flush()
        kept = sorted(tmp_path.glob("audit.replaced-*.sqlite"))
        assert len(kept) == 1
    said = operator_heard(caplog)
    assert any(
        m.startswith(f"audit trail {path} was replaced, moved or deleted while OpenHMI was writing it")
        and f"kept in {kept[0]} (keep it: it is the evidence)" in m
        for m in said
    ), said
    assert any("does not match its anchor (the newest 3 row(s) were deleted" in m for m in said), said
    assert count(kept[0], "audit") == 8  # the evidence: every row as it was
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT user, action, result FROM audit ORDER BY id").fetchall()
    conn.close()
    assert rows[5:] == [("system", "audit_check", "failed"), ("mia", "login", "ok")]
    assert not verify(path).ok  # the deletion stays visible to verify
