"""The audit trail killed while it writes: a crash is never taken for tampering, a deletion still is."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from hmi.security import AuditTrail, verify

WRITER = """
import sys
from hmi.security import AuditTrail

trail = AuditTrail(sys.argv[1])
print("ready", flush=True)
i = 0
while True:
    trail.record("otto", "write", f"FIC{i}.SP", old=i, new=i + 1, result="confirmed")
    trail.flush()
    i += 1
"""


def killed_while_writing(path: Path, after_s: float) -> None:
    """A real process appending audit rows one commit at a time, SIGKILLed `after_s` after it opened
    the trail: at a random point of its insert, anchor and commit."""
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True, env=os.environ.copy()
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
        with pytest.raises(subprocess.TimeoutExpired):  # still writing when the kill comes
            proc.wait(after_s)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        if proc.stdout is not None:
            proc.stdout.close()


def interrupted_rows(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT count(*) FROM audit WHERE action = 'audit_check' AND result = 'interrupted'"
        ).fetchone()[0]


def test_twenty_kills_while_writing_never_look_like_tampering(tmp_path: Path):
    path = tmp_path / "audit.sqlite"
    chance = random.Random(22)
    interrupted = 0
    for round_ in range(20):
        killed_while_writing(path, chance.uniform(0.05, 0.4))
        report = verify(path)
        assert report.ok, f"round {round_}: {report.problem}"
        assert report.rows > 0
        interrupted += any(note.endswith("(not tampering)") for note in report.notes)
    # Each interrupted write was said once in the trail itself, by the next writer, and the chain went on.
    with AuditTrail(path):
        pass
    report = verify(path)
    assert report.ok, report.problem
    assert interrupted_rows(path) == interrupted
    assert not any(note.endswith("(not tampering)") for note in report.notes)
    assert sum("the app stopped while writing" in note for note in report.notes) == interrupted


def test_a_deletion_after_a_kill_is_still_reported(tmp_path: Path):
    path = tmp_path / "audit.sqlite"
    killed_while_writing(path, 0.3)
    with AuditTrail(path) as trail:  # recovers, and writes a row of its own
        trail.record("otto", "logout")
    assert verify(path).ok
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER audit_no_delete")
        conn.execute("DELETE FROM audit WHERE id = (SELECT max(id) FROM audit)")
    report = verify(path)
    assert not report.ok
    assert "the newest 1 row(s) were deleted" in report.problem
