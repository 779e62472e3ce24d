"""Faults of the site database: down at start, lost mid-run, a wrong password, a newer schema, a
second collector. Each is said plainly, and no sample collected is lost or written twice."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from hmi.cli import DEMO_PROJECT, main
from hmi.history import HistorianTag, HistoryConfig, HistoryError
from hmi.notices import for_operator
from hmi.quality import Quality, Sample
from hmi.storage import Place
from hmi.storage.postgres import schema, writer
from hmi.storage.postgres.connect import connect
from hmi.storage.postgres.settings import PostgresConfig
from hmi.storage.postgres.storage import PostgresStorage
from tests.pg.conftest import Cluster

T0 = (time.time() // 3600 - 5) * 3600
TAG = [HistorianTag("A")]


@pytest.fixture
def storage(pg_dsn: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PostgresStorage:
    monkeypatch.setattr(writer, "RETRY_S", 0.05)
    with connect(pg_dsn) as con:
        schema.upgrade(con, "test")
    return PostgresStorage(PostgresConfig(kind="postgresql", dsn=pg_dsn), Place(tmp_path, "site"))


def stored(storage: PostgresStorage) -> list[float]:
    with storage.history_reader() as reader:
        return [ts for ts, _, _ in reader.raw("A", 0, 2e9)]


def feed(historian: writer.PgHistorian, start: int, count: int) -> None:
    for i in range(start, start + count):
        historian.record("A", Sample(float(i), Quality.GOOD, T0 + i))
    historian.flush()


def until_collecting(historian: writer.PgHistorian) -> None:
    """Flush until the writer is connected again (it retries every RETRY_S)."""
    deadline = time.monotonic() + 10
    while not historian.collecting and time.monotonic() < deadline:
        historian.flush()
    assert historian.collecting


def said(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(r.getMessage() for r in caplog.records if for_operator(r))


def test_down_at_start_and_lost_mid_run_lose_nothing(
    storage: PostgresStorage, pg_cluster: Cluster, caplog: pytest.LogCaptureFixture
):
    pg_cluster.stop()
    try:
        historian = storage.history_writer(TAG, HistoryConfig())
        historian.start()  # the database is down: starts all the same
        feed(historian, 0, 100)
    finally:
        pg_cluster.start()
    assert "unreachable" in said(caplog) and "forwarded when it is back" in said(caplog)
    feed(historian, 100, 100)  # back: the buffer goes first, then the new samples
    assert stored(storage) == [T0 + i for i in range(200)]
    pg_cluster.stop()
    try:
        feed(historian, 200, 100)  # lost mid-run
    finally:
        pg_cluster.start()
    feed(historian, 300, 10)
    historian.close()
    assert stored(storage) == [T0 + i for i in range(310)]
    assert "samples that waited" in said(caplog)


def test_samples_kept_through_a_restart_are_forwarded_at_the_next_start(
    storage: PostgresStorage, pg_cluster: Cluster
):
    historian = storage.history_writer(TAG, HistoryConfig())
    pg_cluster.stop()
    try:
        historian.start()
        feed(historian, 0, 50)
        historian.close()
    finally:
        pg_cluster.start()
    again = storage.history_writer(TAG, HistoryConfig())
    again.start()
    feed(again, 50, 5)
    again.close()
    assert stored(storage) == [T0 + i for i in range(55)]


def test_a_wrong_password_is_said_and_the_samples_wait(
    storage: PostgresStorage, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    monkeypatch.setenv("OPENHMI_DB_PASSWORD", "wrong")
    with pytest.raises(HistoryError, match="the password was refused"):
        storage.history_reader()
    historian = storage.history_writer(TAG, HistoryConfig())
    historian.start()
    feed(historian, 0, 20)
    assert "the password was refused" in said(caplog)
    monkeypatch.setenv("OPENHMI_DB_PASSWORD", "s3cret-test")
    until_collecting(historian)
    feed(historian, 20, 1)
    historian.close()
    assert len(stored(storage)) == 21


def test_a_newer_schema_is_refused_and_left_alone(storage: PostgresStorage, pg_dsn: str, caplog):
    with connect(pg_dsn) as con:
        con.execute("UPDATE openhmi_meta SET value = '99' WHERE key = 'schema'")
        with pytest.raises(HistoryError, match="schema 99, newer than this OpenHMI knows"):
            schema.upgrade(con, "site")
        assert schema.version(con) == 99
    historian = storage.history_writer(TAG, HistoryConfig())
    historian.start()
    feed(historian, 0, 5)
    historian.close()
    assert "newer than this OpenHMI knows" in said(caplog)
    assert historian.collecting is False


def test_a_second_collector_says_so_and_writes_no_duplicates(
    storage: PostgresStorage, tmp_path: Path, pg_dsn: str, caplog: pytest.LogCaptureFixture
):
    first = storage.history_writer(TAG, HistoryConfig())
    first.start()
    other = PostgresStorage(PostgresConfig(kind="postgresql", dsn=pg_dsn), Place(tmp_path / "other", "site"))
    second = other.history_writer(TAG, HistoryConfig())
    second.start()
    feed(first, 0, 10)
    for i in range(10):
        second.record("A", Sample(float(i), Quality.GOOD, T0 + i + 0.5))
    second.flush()
    assert "another collector (OpenHMI collector on" in said(caplog)
    assert first.collecting and not second.collecting
    first.close()
    second.close()
    assert stored(storage) == [T0 + i for i in range(10)]


def test_a_viewer_reads_and_never_writes(storage: PostgresStorage, pg_dsn: str, tmp_path: Path):
    collector = storage.history_writer(TAG, HistoryConfig())
    collector.start()
    feed(collector, 0, 3)
    collector.close()
    viewer = PostgresStorage(
        PostgresConfig(kind="postgresql", dsn=pg_dsn, role="viewer"), Place(tmp_path / "v", "site")
    )
    quiet = viewer.history_writer(TAG, HistoryConfig())
    quiet.start()
    quiet.record("A", Sample(99.0, Quality.GOOD, T0 + 10))
    quiet.close()
    with viewer.history_reader() as reader:
        assert [v for _, v, _ in reader.raw("A", 0, 2e9)] == [0.0, 1.0, 2.0]


def test_hmi_db_init_upgrade_and_info(pg_dsn: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    root = tmp_path / "site"
    shutil.copytree(DEMO_PROJECT, root)
    text = (root / "project.yaml").read_text()
    (root / "project.yaml").write_text(text + f"storage:\n  kind: postgresql\n  dsn: '{pg_dsn}'\n")
    assert main(["db", "info", str(root)]) == 1
    assert "no OpenHMI schema" in capsys.readouterr().out
    assert main(["db", "init", str(root)]) == 0
    assert f"schema 0 -> {schema.SCHEMA_VERSION}" in capsys.readouterr().out
    assert main(["db", "upgrade", str(root)]) == 0
    assert "up to date" in capsys.readouterr().out
    assert main(["db", "info", str(root)]) == 0
    assert f"schema:     {schema.SCHEMA_VERSION}" in capsys.readouterr().out


def test_a_password_in_the_dsn_is_refused_with_where_it_belongs():
    with pytest.raises(ValueError, match="keep it in the keyring"):
        PostgresConfig(kind="postgresql", dsn="host=db1 dbname=plant user=hmi password=hunter2")


def test_retention_drops_whole_days(storage: PostgresStorage, pg_dsn: str):
    historian = storage.history_writer(TAG, HistoryConfig())
    historian.start()
    old = T0 - 40 * 86_400
    historian.record("A", Sample(1.0, Quality.GOOD, old))
    feed(historian, 0, 1)
    historian.close()
    with connect(pg_dsn) as con:  # the collector dropped the day past the 30 days itself
        assert schema.partitions(con) == [int(T0 * 1000) // schema.DAY_MS]
        assert schema.drop_before(con, int((time.time() - 30 * 86_400) * 1000)) == 0
    assert stored(storage) == [T0]


@pytest.fixture(autouse=True)
def _operator_log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)


def test_a_day_dropped_by_hand_is_made_again_and_nothing_is_lost(storage: PostgresStorage, pg_dsn: str):
    historian = storage.history_writer(TAG, HistoryConfig())
    historian.start()
    feed(historian, 0, 10)
    with connect(pg_dsn) as con:
        for day in schema.partitions(con):
            con.execute(f"DROP TABLE {schema.partition_name(day)}")
    feed(historian, 10, 10)  # refused: no partition; the samples wait, the writer reconnects
    until_collecting(historian)
    feed(historian, 20, 1)
    historian.close()
    assert stored(storage) == [T0 + i for i in range(10, 21)]  # what was in the dropped day is gone


def test_a_full_disk_under_the_buffer_keeps_the_samples_in_memory(
    pg_dsn: str,
    pg_cluster: Cluster,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
):
    monkeypatch.setattr(writer, "RETRY_S", 0.05)
    with connect(pg_dsn) as con:
        schema.upgrade(con, "test")
    disk = tmp_path / "disk"
    disk.mkdir()
    if (
        os.geteuid() != 0
        or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)]).returncode
    ):
        pytest.skip("needs root to mount a small tmpfs")
    try:
        monkeypatch.setenv("OPENHMI_DATA_DIR", str(disk))
        storage = PostgresStorage(PostgresConfig(kind="postgresql", dsn=pg_dsn), Place(tmp_path, "site"))
        historian = storage.history_writer(TAG, HistoryConfig())
        pg_cluster.stop()
        try:
            historian.start()
            feed(historian, 0, 5)  # in the buffer
            filler = fill(disk)
            feed(historian, 5, 2000)  # the buffer's disk is full: they wait in memory
            assert "wait in memory" in said(caplog)
            filler.unlink()
        finally:
            pg_cluster.start()
        until_collecting(historian)
        feed(historian, 2005, 1)
        historian.close()
        assert stored(storage) == [T0 + i for i in range(2006)]
    finally:
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
    return filler
