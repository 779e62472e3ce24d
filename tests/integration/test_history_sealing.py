"""A historian killed by SIGKILL while sealing leaves every committed sample exactly once: in the rows or
in a chunk, never both, never neither; and the file passes SQLite's integrity check."""

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

from hmi.history import SqliteHistoryReader
from hmi.history.codec import decode

TAGS = 5
T0 = (time.time() // 3600 - 240) * 3600  # ten days ago, on an hour: sealing runs far ahead of the clock
ROUNDS = 20

# Alternates bulk flushes (sealed in the commit) with one sample a tag a flush (rows sealed between
# flushes, in pieces of 50); the seal module's debug line comes inside each sealing transaction.
CHILD = textwrap.dedent(
    f"""
    import logging, sys
    from hmi.history import Historian, HistorianTag, HistoryConfig, SqliteHistoryReader
    from hmi.history import seal
    from hmi.quality import Quality, Sample

    seal.PIECE_ROWS = 50
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(message)s"))
    seal.log.addHandler(handler)
    seal.log.setLevel(logging.DEBUG)
    path, names = sys.argv[1], [f"T{{i}}" for i in range({TAGS})]
    try:
        with SqliteHistoryReader(path) as reader:
            last = reader.value_at("T0", 1e12)
    except Exception:
        last = None
    k = 0 if last is None else round(last[0] - {T0}) + 1
    with Historian(path, [HistorianTag(n) for n in names], HistoryConfig(flush_interval_s=0.05)) as h:
        for turn in range(10**9):
            for _ in range(700 if turn % 3 == 0 else 1):
                for name in names:
                    h.record(name, Sample(float(k % 1000) + 0.5, Quality.GOOD, {T0} + k))
                k += 1
            h.flush()
            print("committed", k, flush=True)
    """
)


def run_and_kill(path: Path, script: Path, rng: random.Random) -> int:
    """Run the child until a random sealing transaction is under way, kill -9 it there; return the
    number of samples a tag it knew to be committed."""
    child = subprocess.Popen([sys.executable, str(script), str(path)], stdout=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in child.stdout], daemon=True).start()
    committed, seals_left = 0, rng.randint(1, 40)
    try:
        while seals_left:
            line = lines.get(timeout=30)
            if line.startswith("committed"):
                committed = int(line.split()[1])
            elif line.startswith("history: sealed"):
                seals_left -= 1
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    return committed


def stored(path: Path) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """Sample times per tag id in the row table and in the chunks, as stored."""
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    rows: dict[int, list[int]] = {}
    for tag_id, ts in con.execute("SELECT tag_id, ts FROM history_sample ORDER BY tag_id, ts"):
        rows.setdefault(tag_id, []).append(ts)
    sealed: dict[int, list[int]] = {}
    for tag_id, ts, value, quality in con.execute(
        "SELECT c.tag_id, d.ts, d.value, d.quality FROM history_chunk c"
        " JOIN history_chunk_data d ON d.id = c.data_id ORDER BY c.tag_id, c.hour"
    ):
        sealed.setdefault(tag_id, []).extend(decode(ts, value, quality).ts.tolist())
    con.close()
    return rows, sealed


@pytest.mark.slow
def test_sigkill_while_sealing_leaves_each_sample_once(tmp_path: Path):
    path = tmp_path / "history.sqlite"
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    rng = random.Random(16)
    chunked = 0
    for _ in range(ROUNDS):  # each round starts on the file the last one was killed on
        committed = run_and_kill(path, script, rng)
        rows, sealed = stored(path)
        for tag_id in set(rows) | set(sealed):
            in_rows, in_chunks = rows.get(tag_id, []), sealed.get(tag_id, [])
            assert not set(in_rows) & set(in_chunks), "samples both in rows and in a chunk"
            every = sorted(in_chunks + in_rows)
            assert every == [round(T0 * 1000) + k * 1000 for k in range(len(every))], (
                "a sample lost or repeated"
            )
            assert len(every) >= committed, "a committed sample is gone"
        chunked += bool(sealed)
        with SqliteHistoryReader(path) as reader:  # and the reader sees them the same
            raw = reader.raw("T3", T0, T0 + 10**7)
        assert [ts for ts, _, _ in raw] == [T0 + k for k in range(len(raw))]
        assert all(value == float(k % 1000) + 0.5 for k, (_, value, _) in enumerate(raw))
    assert chunked == ROUNDS
