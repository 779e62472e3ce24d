"""A historian killed by SIGKILL mid-logging leaves a sound file that lost at most the last flush interval."""

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

from hmi.history import Historian, HistorianTag

FLUSH_S = 0.2
SCHEDULING_SLACK_S = 0.3  # the commit itself and a busy 2-core machine
TAGS = 20

CHILD = textwrap.dedent(
    f"""
    import sys, time
    from hmi.history import Historian, HistorianTag, HistoryConfig
    from hmi.quality import Quality, Sample

    names = [f"T{{i}}" for i in range({TAGS})]
    config = HistoryConfig(flush_interval_s={FLUSH_S})
    with Historian(sys.argv[1], [HistorianTag(n) for n in names], config) as h:
        i = 0
        while True:  # about 1 kHz a tag: 20,000 samples/s until killed
            now = time.time()
            for name in names:
                h.record(name, Sample(float(i), Quality.GOOD, now))
            i += 1
            if i % 100 == 0:
                print("progress", flush=True)
            if i % 300 == 0:
                h.flush()
                print("committed", repr(now), flush=True)
            time.sleep(0.001)
    """
)


def log_and_kill(path: Path, script: Path, rng: random.Random) -> tuple[float, float]:
    """Run the logging child, kill -9 it at a random moment after its second commit; return
    (the last time it knew to be committed, the time of the kill)."""
    child = subprocess.Popen([sys.executable, str(script), str(path)], stdout=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in child.stdout], daemon=True).start()
    committed, commits, progress_left = 0.0, 0, rng.randint(1, 5)
    try:
        while commits < 2 or progress_left > 0:
            line = lines.get(timeout=10)
            if line.startswith("committed"):
                committed, commits = float(line.split()[1]), commits + 1
            elif commits >= 2:
                progress_left -= 1
        killed_at = time.time()
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    return committed, killed_at


@pytest.mark.slow
def test_sigkill_during_heavy_logging_loses_at_most_the_last_flush_interval(tmp_path: Path):
    path = tmp_path / "history.sqlite"
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    rng = random.Random(3)
    for _ in range(2):  # the second run starts on the file the first one was killed on
        committed, killed_at = log_and_kill(path, script, rng)
        con = sqlite3.connect(path)
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        newest = [ts / 1000 for (ts,) in con.execute("SELECT max(ts) FROM history_sample GROUP BY tag_id")]
        con.close()
        assert len(newest) == TAGS
        assert min(newest) >= committed  # nothing the child knew to be committed is gone
        lost = killed_at - min(newest)
        assert lost <= FLUSH_S + SCHEDULING_SLACK_S, f"lost the last {lost:.3f} s"
    with Historian(path, [HistorianTag("T0")]):
        pass  # the start-up check passes on the killed file
