"""Alarm flood benchmark: 10,000 transitions in 10 s through the engine into the journal.

Measures the time per evaluation and the journal's backlog during the flood, checks every row
landed, how late the Qt event loop gets with the banner and summary open during the flood, and
landed, and compares journal insert throughput with raw sqlite3 executemany on the same schema
(WAL, synchronous=FULL) in the same run.

    python bench/alarms.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from hmi.alarms import Alarm, AlarmEngine, AlarmJournal, JournalEntry, TagAlarms
from hmi.alarms.journal import INSERT, SCHEMA
from hmi.quality import Quality, Sample

TAGS = 1000
FLOOD = 10_000
FLOOD_SECONDS = 10.0
SLOT_S = 0.01
PROBE_MS = 20


def build(path: Path) -> tuple[AlarmEngine, AlarmJournal, list[str]]:
    tags = [f"Area{i // 100:02d}.TT{i % 100:02d}.PV" for i in range(TAGS)]
    hi = TagAlarms.model_validate({"hi": {"limit": 80, "deadband": 1}})
    journal = AlarmJournal(path)
    engine = AlarmEngine(dict.fromkeys(tags, hi), journal=journal)
    heard: list[Alarm] = []
    engine.subscribe(heard.append)  # stands in for the UI bridge
    return engine, journal, tags


def paced_flood(path: Path) -> dict[str, float]:
    """FLOOD transitions spread evenly over FLOOD_SECONDS, as they would arrive from servers."""
    engine, journal, tags = build(path)
    per_slot = int(FLOOD * SLOT_S / FLOOD_SECONDS)
    costs: list[float] = []
    start = time.perf_counter()
    for n in range(0, FLOOD, per_slot):
        due = start + n / FLOOD * FLOOD_SECONDS
        while (wait := due - time.perf_counter()) > 0:
            time.sleep(wait)
        now = time.time()
        for k in range(n, n + per_slot):
            sample = Sample(90.0 if (k // TAGS) % 2 == 0 else 50.0, Quality.GOOD, now)
            t = time.perf_counter()
            engine.on_sample(tags[k % TAGS], sample)
            costs.append(time.perf_counter() - t)
        engine.tick(now)
    fed = time.perf_counter()
    journal.flush()
    drained = time.perf_counter()
    journal.close()
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT count(*) FROM alarm_journal").fetchone()[0]
    costs.sort()
    return {
        "flood_transitions": FLOOD,
        "flood_s": round(fed - start, 2),
        "eval_mean_us": round(statistics.fmean(costs) * 1e6, 1),
        "eval_p99_us": round(costs[int(len(costs) * 0.99)] * 1e6, 1),
        "eval_max_us": round(costs[-1] * 1e6, 1),
        "max_backlog_rows": journal.max_backlog,
        "drain_after_flood_ms": round((drained - fed) * 1e3, 1),
        "journal_rows": rows,
        "journal_lost": journal.lost,
    }


def ui_flood(path: Path) -> dict[str, float]:
    """The same paced flood fed on the Qt thread with the banner and summary open: how late do
    the operator's events get? A probe timer due every PROBE_MS records its lateness."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from ui.alarms.banner import AlarmBanner
    from ui.alarms.sound import Annunciator
    from ui.alarms.summary import AlarmSummary

    app = QApplication.instance() or QApplication([])
    engine, journal, tags = build(path)
    annunciator = Annunciator(engine)
    banner = AlarmBanner(engine, annunciator)
    summary = AlarmSummary(engine, lambda: "bench")
    banner.show()
    summary.show()
    per_slot = int(FLOOD * SLOT_S / FLOOD_SECONDS)
    lateness: list[float] = []
    fed = [0]
    loop = QEventLoop()

    def feed() -> None:
        now = time.time()
        for k in range(fed[0], fed[0] + per_slot):
            engine.on_sample(
                tags[k % TAGS], Sample(90.0 if (k // TAGS) % 2 == 0 else 50.0, Quality.GOOD, now)
            )
        fed[0] += per_slot
        if fed[0] >= FLOOD:
            loop.quit()

    last = [time.perf_counter()]

    def probe() -> None:
        now = time.perf_counter()
        lateness.append(max(0.0, now - last[0] - PROBE_MS / 1000))
        last[0] = now

    feeder = QTimer(interval=int(SLOT_S * 1000), timeout=feed)
    prober = QTimer(interval=PROBE_MS, timeout=probe)
    start = time.perf_counter()
    feeder.start()
    prober.start()
    loop.exec()
    took = time.perf_counter() - start
    feeder.stop()
    prober.stop()
    app.processEvents()
    shown = summary.model.rowCount()
    for closable in (summary, banner):
        closable.close()
    banner.close_model()
    annunciator.close()
    journal.close()
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT count(*) FROM alarm_journal").fetchone()[0]
    lateness.sort()
    return {
        "ui_flood_s": round(took, 2),
        "ui_latency_p50_ms": round(lateness[len(lateness) // 2] * 1e3, 1),
        "ui_latency_p99_ms": round(lateness[int(len(lateness) * 0.99)] * 1e3, 1),
        "ui_latency_max_ms": round(lateness[-1] * 1e3, 1),
        "ui_summary_rows": shown,
        "ui_journal_rows": rows,
    }


def full_speed(path: Path, transitions: int) -> dict[str, float]:
    """The same transitions with no pacing: how far the engine is from its limit."""
    engine, journal, tags = build(path)
    now = time.time()
    samples = [Sample(90.0 if (k // TAGS) % 2 == 0 else 50.0, Quality.GOOD, now) for k in range(transitions)]
    start = time.perf_counter()
    for k, sample in enumerate(samples):
        engine.on_sample(tags[k % TAGS], sample)
    fed = time.perf_counter()
    journal.flush()
    done = time.perf_counter()
    journal.close()
    return {
        "engine_max_per_s": round(transitions / (fed - start)),
        "engine_and_journal_per_s": round(transitions / (done - start)),
    }


def entries(count: int) -> list[JournalEntry]:
    now = time.time()
    return [
        JournalEntry(
            now + i * 1e-3,
            f"Area{i % 10}.TT{i % 100:02d}.PV.HI",
            f"Area{i % 10}.TT{i % 100:02d}.PV",
            "hi",
            "medium",
            "normal",
            "unack_active",
            True,
            90.0,
            80.0,
            "system",
            "",
            "high",
        )
        for i in range(count)
    ]


def journal_throughput(path: Path, rows: list[JournalEntry]) -> tuple[float, float]:
    """(rows/s committed, microseconds a caller spends per record())."""
    journal = AlarmJournal(path)
    start = time.perf_counter()
    for row in rows:
        journal.record(row)
    handed = time.perf_counter()
    journal.flush(timeout=None)
    done = time.perf_counter()
    journal.close()
    return len(rows) / (done - start), (handed - start) / len(rows) * 1e6


def raw_throughput(path: Path, rows: list[JournalEntry], batch: int = 5000) -> float:
    """Baseline: the same rows and schema straight through sqlite3.executemany."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.executescript(SCHEMA)
    start = time.perf_counter()
    for i in range(0, len(rows), batch):
        with conn:
            conn.executemany(INSERT, rows[i : i + batch])
    done = time.perf_counter()
    conn.close()
    return len(rows) / (done - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller throughput runs, under 60 s")
    quick = parser.parse_args().quick
    bulk = 50_000 if quick else 300_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        figures: dict[str, float] = {"bench": "alarms", "quick": quick, "tags": TAGS}
        print(f"Flood: {FLOOD} transitions over {FLOOD_SECONDS:g} s across {TAGS} alarms ...")
        figures |= paced_flood(folder / "flood.sqlite")
        print(
            f"  fed in {figures['flood_s']} s; per evaluation mean {figures['eval_mean_us']} us, "
            f"p99 {figures['eval_p99_us']} us, max {figures['eval_max_us']} us"
        )
        print(
            f"  journal backlog at most {figures['max_backlog_rows']} rows, drained "
            f"{figures['drain_after_flood_ms']} ms after the flood; rows {figures['journal_rows']} "
            f"of {FLOOD}, lost {figures['journal_lost']}"
        )
        figures |= ui_flood(folder / "ui.sqlite")
        print(
            f"With banner and summary open, fed on the Qt thread in {figures['ui_flood_s']} s: UI event "
            f"latency p50 {figures['ui_latency_p50_ms']} ms, p99 {figures['ui_latency_p99_ms']} ms, max "
            f"{figures['ui_latency_max_ms']} ms; {figures['ui_journal_rows']} journal rows"
        )
        figures |= full_speed(folder / "fast.sqlite", FLOOD * (2 if quick else 10))
        print(
            f"Unpaced: engine {figures['engine_max_per_s']:,} transitions/s, "
            f"with journal drained {figures['engine_and_journal_per_s']:,}/s"
        )
        rows = entries(bulk)
        journal_per_s, record_us = journal_throughput(folder / "journal.sqlite", rows)
        raw_per_s = raw_throughput(folder / "raw.sqlite", rows)
        figures |= {
            "bulk_rows": bulk,
            "journal_per_s": round(journal_per_s),
            "record_us": round(record_us, 2),
            "raw_per_s": round(raw_per_s),
            "ratio": round(journal_per_s / raw_per_s, 2),
        }
        print(
            f"Insert {bulk:,} rows (WAL, synchronous=FULL): journal {journal_per_s:,.0f}/s "
            f"(caller {record_us:.2f} us a row), raw executemany {raw_per_s:,.0f}/s, "
            f"ratio {figures['ratio']}"
        )
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
