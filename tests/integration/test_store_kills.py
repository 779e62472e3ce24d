"""SIGKILL while the historian, the alarm journal and the audit trail all write, as in the running app
(historian and journal share the history file): ten rounds, each starting on the files the last one was
killed on. Each round: SQLite's integrity check passes, nothing the child knew to be committed is gone,
at most about one flush interval is lost, and the audit chain verifies (a torn last write is named as
such, never as tampering, and the chain carries on).

Kills of a single store at chosen moments: tests/integration/test_history_durability.py and
test_history_sealing.py (the historian), tests/engine/test_audit_crash.py (the audit trail).
"""

from __future__ import annotations

import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from hmi.security import verify

ROUNDS = 10
FLUSH_S = 0.2
SLACK_S = 0.5  # the commit itself and a busy 2-core machine
TAGS = 20

CHILD = textwrap.dedent(
    f"""
    import sys, time
    from pathlib import Path
    from hmi.alarms import AlarmJournal, JournalEntry
    from hmi.history import Historian, HistorianTag, HistoryConfig
    from hmi.quality import Quality, Sample
    from hmi.security import AuditTrail

    history, audit_path, spill = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    seq_j, seq_a = map(int, sys.argv[4:])
    names = [f"T{{i}}" for i in range({TAGS})]
    config = HistoryConfig(flush_interval_s={FLUSH_S})
    with (
        AuditTrail(audit_path, spill_dir=spill) as audit,
        Historian(history, [HistorianTag(n) for n in names], config) as hist,
        AlarmJournal(history, spill_dir=spill) as journal,
    ):
        i = 0
        while True:
            now = time.time()
            for name in names:
                hist.record(name, Sample(float(i), Quality.GOOD, now))
            if i % 5 == 0:
                journal.record(JournalEntry(now, "TK.HI", "TK", "hi", "high", "normal", "unack_active",
                                            True, seq_j, 80.0, "system", "", "TK high"))
                seq_j += 1
            if i % 5 == 0:
                audit.record("otto", "write", "FIC101.SP", old=seq_a, new=seq_a + 1, result="confirmed")
                seq_a += 1
            i += 1
            if i % 100 == 0:
                print("progress", flush=True)
            if i % 300 == 0:
                hist.flush()
                assert journal.flush() and audit.flush()
                print("committed", repr(now), seq_j, seq_a, flush=True)
            time.sleep(0.001)
    """
)


def run_and_kill(tmp_path: Path, script: Path, rng: random.Random, seq: tuple[int, int]) -> tuple[str, float]:
    """Run the child, kill -9 it at a random moment after its second commit; return its last
    'committed' line and the time of the kill."""
    args = [tmp_path / "history.sqlite", tmp_path / "audit.sqlite", tmp_path / "spill", *seq]
    child = subprocess.Popen(
        [sys.executable, str(script), *map(str, args)], stdout=subprocess.PIPE, text=True
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in child.stdout], daemon=True).start()
    committed, commits, progress_left = "", 0, rng.randint(1, 6)
    try:
        while commits < 2 or progress_left > 0:
            line = lines.get(timeout=30)
            if line.startswith("committed"):
                committed, commits = line, commits + 1
            elif commits >= 2:
                progress_left -= 1
        killed_at = time.time()
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    return committed, killed_at


def sound(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)], path
    return con


@pytest.mark.slow
def test_sigkill_while_all_three_stores_write_loses_at_most_one_flush(tmp_path: Path):
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    rng = random.Random(20)
    seq = (0, 0)
    for round_ in range(ROUNDS):
        line, killed_at = run_and_kill(tmp_path, script, rng, seq)
        _, committed_ts, committed_j, committed_a = line.split()
        history = sound(tmp_path / "history.sqlite")
        newest = [
            ts / 1000 for (ts,) in history.execute("SELECT max(ts) FROM history_sample GROUP BY tag_id")
        ]
        journal = [v for (v,) in history.execute("SELECT value FROM alarm_journal ORDER BY id")]
        journal_ts = history.execute("SELECT max(ts) FROM alarm_journal").fetchone()[0]
        history.close()
        audit = sound(tmp_path / "audit.sqlite")
        trail = [
            int(v) for (v,) in audit.execute("SELECT old_value FROM audit WHERE action = 'write' ORDER BY id")
        ]
        audit_ts = audit.execute("SELECT max(ts) FROM audit WHERE action = 'write'").fetchone()[0]
        audit.close()
        where = f"round {round_}"
        # Nothing the child knew to be committed is gone, and no row is missing in between.
        # The history keeps milliseconds: the committed time to the millisecond is what must be there.
        assert len(newest) == TAGS and min(newest) >= int(float(committed_ts) * 1000) / 1000, where
        assert journal == list(range(len(journal))) and len(journal) >= int(committed_j), where
        assert trail == list(range(len(trail))) and len(trail) >= int(committed_a), where
        for store, last in (("history", min(newest)), ("journal", journal_ts), ("audit", audit_ts)):
            assert killed_at - last <= FLUSH_S + SLACK_S, (
                f"{where}: {store} lost the last {killed_at - last:.3f} s"
            )
        report = verify(tmp_path / "audit.sqlite")
        assert report.ok, f"{where}: {report.problem}"
        seq = (len(journal), len(trail))
    assert not list((tmp_path / "spill").glob("*")), "no row waited: the disk took them all"
