"""`bench/history.py --backend postgresql`: the PostgreSQL historian against raw psycopg COPY of the
same rows in the same run, a week at 1 s into 2,000 buckets, a year into 2,000 buckets from the hour
rollups. Starts its own cluster (as the tests do) unless given --dsn."""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from hmi.history import HistorianTag, HistoryConfig
from hmi.quality import Quality, Sample
from hmi.storage import Place
from hmi.storage.postgres import schema
from hmi.storage.postgres.connect import connect
from hmi.storage.postgres.settings import PostgresConfig
from hmi.storage.postgres.storage import PostgresStorage
from hmi.storage.postgres.writer import COPY
from tests.pg.conftest import PASSWORD, make_cluster

COPY_TYPES = ["int4", "int8", "float8", "text", "int2"]  # the columns of COPY, for write_row

WEEK_S = 7 * 86_400


def _database(admin_dsn: str) -> str:
    name = f"bench_{uuid.uuid4().hex[:8]}"
    with connect(admin_dsn) as con:
        con.execute(f"CREATE DATABASE {name}")
    dsn = admin_dsn.replace("dbname=postgres", f"dbname={name}")
    with connect(dsn) as con:
        schema.upgrade(con, name)
    return dsn


def _rows(tags: int, seconds: int, t0: float) -> list[tuple[str, Sample]]:
    return [
        (f"T{k:04d}", Sample(float((i * 7 + k) % 1000) / 10, Quality.GOOD, t0 + i))
        for i in range(seconds)
        for k in range(tags)
    ]


def _ingest(dsn: str, folder: Path, samples: list[tuple[str, Sample]], names: list[str]) -> float:
    storage = PostgresStorage(PostgresConfig(kind="postgresql", dsn=dsn), Place(folder, uuid.uuid4().hex))
    historian = storage.history_writer([HistorianTag(n) for n in names], HistoryConfig(flush_interval_s=60))
    historian.start()
    start = time.perf_counter()
    block = len(names) * 600  # ten minutes of the plant a flush, within the per-tag queues
    for i, (name, sample) in enumerate(samples, 1):
        historian.record(name, sample)
        if i % block == 0:
            historian.flush()
    historian.flush()
    elapsed = time.perf_counter() - start
    historian.close()
    return len(samples) / elapsed


def _raw_copy(dsn: str, samples: list[tuple[str, Sample]], names: list[str]) -> float:
    with connect(dsn) as con:
        ids = {n: i for i, n in enumerate(names, 1)}
        schema.ensure_partitions(con, {round(s.ts * 1000) // schema.DAY_MS for _, s in samples}, set())
        start = time.perf_counter()
        with con.transaction(), con.cursor().copy(COPY) as copy:
            copy.set_types(COPY_TYPES)
            for name, s in samples:
                copy.write_row((ids[name], round(s.ts * 1000), s.value, None, int(s.quality)))
        return len(samples) / (time.perf_counter() - start)


def run(quick: bool, dsn: str | None) -> dict[str, object]:
    cluster = None
    if dsn is None:
        cluster = make_cluster()
        dsn = cluster.dsn("postgres")
        os.environ["OPENHMI_DB_PASSWORD"] = PASSWORD
    figures: dict[str, object] = {"backend": "postgresql"}
    folder = Path(tempfile.mkdtemp())
    os.environ.setdefault("OPENHMI_DATA_DIR", str(folder / "data"))
    try:
        tags, seconds, runs = (100, 600, 3) if quick else (1000, 600, 5)
        t0 = (time.time() // 86_400 - 2) * 86_400
        samples = _rows(tags, seconds, t0)
        names = [f"T{k:04d}" for k in range(tags)]
        engine, raw = [], []
        for _ in range(runs):
            engine.append(_ingest(_database(dsn), folder, samples, names))
            raw.append(_raw_copy(_database(dsn), samples, names))
        figures["ingest_samples"] = len(samples)
        figures["engine_per_s"] = round(statistics.median(engine))
        figures["raw_copy_per_s"] = round(statistics.median(raw))
        figures["ingest_ratio"] = round(figures["engine_per_s"] / figures["raw_copy_per_s"], 2)  # type: ignore[operator]
        week_db = _database(dsn)
        week_t0 = (time.time() // 86_400 - 8) * 86_400
        week_s = 86_400 if quick else WEEK_S
        _ingest(week_db, folder, _rows(1, week_s, week_t0), ["T0000"])
        storage = PostgresStorage(PostgresConfig(kind="postgresql", dsn=week_db), Place(folder, "week"))
        with storage.history_reader() as reader:
            times = []
            for _ in range(5):
                start = time.perf_counter()
                found = reader.buckets("T0000", week_t0, week_t0 + week_s, 2000)
                times.append((time.perf_counter() - start) * 1000)
            figures["week_buckets"] = len(found)
            figures["week_buckets_ms"] = round(statistics.median(times), 1)
            with connect(week_db) as con:  # a year of hour rollups, as a year of ingest leaves them
                hour0 = int(week_t0 // 3600) - 365 * 24
                con.execute(
                    "INSERT INTO history_hour SELECT 1, h, 0, 100, 180000, 3600, 0, 1, 2, NULL, NULL"
                    " FROM generate_series(%s::bigint, %s::bigint) h ON CONFLICT DO NOTHING",
                    (hour0, hour0 + 365 * 24 - 1),
                )
            times = []
            for _ in range(5):
                start = time.perf_counter()
                found = reader.buckets("T0000", hour0 * 3600, (hour0 + 365 * 24) * 3600, 2000)
                times.append((time.perf_counter() - start) * 1000)
            figures["year_buckets"] = len(found)
            figures["year_buckets_ms"] = round(statistics.median(times), 1)
    finally:
        if cluster is not None:
            cluster.stop()
            shutil.rmtree(cluster.data.parent, ignore_errors=True)
        shutil.rmtree(folder, ignore_errors=True)
    print(f"postgresql ingest, {figures['ingest_samples']:,} samples, median of {runs} paired runs:")
    print(f"  historian (COPY + rollups)  {figures['engine_per_s']:>10,} samples/s")
    print(f"  raw psycopg COPY            {figures['raw_copy_per_s']:>10,} rows/s")
    print(f"  ratio {figures['ingest_ratio']} (target >= 0.7)")
    span = "a day" if quick else "a week"
    print(
        f"  {span} at 1 s into {figures['week_buckets']} buckets:"
        f" {figures['week_buckets_ms']} ms (target < 100)"
    )
    year = f"{figures['year_buckets']} buckets: {figures['year_buckets_ms']} ms (target < 200)"
    print(f"  a year from hour rollups into {year}")
    return figures
