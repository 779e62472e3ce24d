"""Two station processes on one site database: `hmi run --headless` collects history into PostgreSQL;
a second collector of the same project says so and writes nothing; a viewer reads the history."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hmi.project import save_project
from hmi.storage import Place
from hmi.storage.postgres import schema
from hmi.storage.postgres.connect import connect
from hmi.storage.postgres.settings import PostgresConfig
from hmi.storage.postgres.storage import PostgresStorage
from tests.support import demo_project, free_port


def station(data: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "hmi", *args]


def env(data: Path) -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "OPENHMI_DATA_DIR": str(data)}


@pytest.fixture
def site(tmp_path: Path, pg_dsn: str) -> Path:
    folder = demo_project(tmp_path, free_port())
    folder.project.connections["plant"].simulator = True
    folder.project.storage = PostgresConfig(kind="postgresql", dsn=pg_dsn)
    save_project(folder)
    with connect(pg_dsn) as con:
        schema.upgrade(con, "site")
    return folder.root


def samples(dsn: str) -> int:
    with connect(dsn) as con:
        row = con.execute("SELECT count(*) FROM history_sample").fetchone()
        return int(row[0]) if row else 0


def test_one_collector_writes_a_second_says_so_and_a_viewer_reads(site: Path, pg_dsn: str, tmp_path: Path):
    first = subprocess.Popen(
        station(tmp_path / "a", "run", str(site), "--headless", "--quit-after", "15"),
        env=env(tmp_path / "a"),
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while samples(pg_dsn) == 0:
            assert first.poll() is None and time.monotonic() < deadline, "the collector wrote no history"
            time.sleep(0.2)  # polling another process's writes: nothing to wait on in this one
        second = subprocess.run(
            station(tmp_path / "b", "run", str(site), "--headless", "--quit-after", "3"),
            env=env(tmp_path / "b"),
            capture_output=True,
            text=True,
            timeout=90,
        )
        assert second.returncode == 0, second.stderr
        assert "another collector (OpenHMI collector on" in second.stderr
    finally:
        _, said = first.communicate(timeout=90)
    assert first.returncode == 0, said
    assert "another collector" not in said and "Traceback" not in said
    waiting = list((tmp_path / "b").rglob("history-forward.sqlite"))
    assert all(sqlite3.connect(p).execute("SELECT count(*) FROM waiting").fetchone() == (0,) for p in waiting)
    viewer = PostgresStorage(
        PostgresConfig(kind="postgresql", dsn=pg_dsn, role="viewer"), Place(site, "demo")
    )
    with viewer.history_reader() as reader:
        assert "TK101.Level" in reader.tags()
        assert reader.raw("TK101.Level", time.time() - 600, time.time())
    info = subprocess.run(
        station(tmp_path / "c", "history", "info", str(site)),
        env=env(tmp_path / "c"),
        capture_output=True,
        text=True,
    )
    assert info.returncode == 0, info.stderr
    assert "EM1.Voltage" in info.stdout
