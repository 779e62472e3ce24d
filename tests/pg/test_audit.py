"""The site's audit trail in PostgreSQL: every station appends to one hash chain, at the same time
without forking it; rows wait on the station while the database is away and go in, in order, when
it is back; `hmi audit verify PROJECT` checks the chain in the database."""

from __future__ import annotations

import logging
import shutil
import threading
import time
from pathlib import Path

import psycopg
import pytest

from hmi.cli import DEMO_PROJECT, main
from hmi.logbook import Logbook, read_notes
from hmi.notices import for_operator
from hmi.security import SecurityConfig, UserStore
from hmi.security.service import Security
from hmi.storage import Place
from hmi.storage.postgres import schema
from hmi.storage.postgres.audit import PgAuditTrail
from hmi.storage.postgres.connect import connect
from hmi.storage.postgres.settings import PostgresConfig
from hmi.storage.postgres.storage import PostgresStorage
from tests.pg.conftest import PASSWORD, Cluster
from tests.support import log_in


@pytest.fixture
def site(pg_dsn: str, tmp_path: Path) -> Path:
    """A project on the site database, its schema made."""
    root = tmp_path / "site"
    shutil.copytree(DEMO_PROJECT, root)
    text = (root / "project.yaml").read_text()
    (root / "project.yaml").write_text(text + f"storage:\n  kind: postgresql\n  dsn: '{pg_dsn}'\n")
    with connect(pg_dsn) as con:
        schema.upgrade(con, "test")
    return root


def station(pg_dsn: str, tmp_path: Path, name: str) -> PostgresStorage:
    return PostgresStorage(
        PostgresConfig(kind="postgresql", dsn=pg_dsn), Place(tmp_path / name, "site"), station=name
    )


def tamper(dsn: str, sql: str) -> None:
    """What someone with the database owner's rights could do around the app."""
    with psycopg.connect(dsn, password=PASSWORD, autocommit=True) as con:
        con.execute("ALTER TABLE audit DISABLE TRIGGER USER")
        con.execute(sql)
        con.execute("ALTER TABLE audit ENABLE TRIGGER USER")


def test_two_stations_writing_at_once_keep_one_valid_chain(site: Path, pg_dsn: str, tmp_path: Path):
    stations = [station(pg_dsn, tmp_path, name) for name in ("north", "south")]
    trails = [s.audit() for s in stations]
    go = threading.Barrier(2)

    def write(trail: PgAuditTrail, name: str) -> None:
        go.wait()
        for i in range(300):
            trail.record("alice", "write", f"{name}.T{i}", old=i, new=i + 1)
            if i % 7 == 0:
                trail.flush()  # many small commits, interleaved with the other station's

    threads = [
        threading.Thread(target=write, args=(t, s.station)) for t, s in zip(trails, stations, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for trail in trails:
        assert trail.flush()
        trail.close()
    report = stations[0].verify_audit()
    assert report.ok, report.problem
    assert report.rows == 600
    rows = stations[1].audit_rows()
    assert {r.station for r in rows} == {"north", "south"}
    assert all(r.entry.target.startswith(r.station) for r in rows)
    assert [r.id for r in reversed(rows)] == list(range(1, 601))


def test_the_trail_is_append_only_and_an_edit_or_deletion_is_found(site: Path, pg_dsn: str, tmp_path: Path):
    storage = station(pg_dsn, tmp_path, "north")
    with storage.audit() as trail:
        for i in range(5):
            trail.record("alice", "write", "TK101.Setpoint", old=i, new=i + 1)
    with psycopg.connect(pg_dsn, password=PASSWORD, autocommit=True) as con:
        with pytest.raises(psycopg.Error, match="append-only"):
            con.execute("UPDATE audit SET new_value = '99' WHERE id = 3")
        with pytest.raises(psycopg.Error, match="append-only"):
            con.execute("DELETE FROM audit WHERE id = 5")
    assert storage.verify_audit().ok
    tamper(pg_dsn, "UPDATE audit SET station = 'south' WHERE id = 2")  # the station is in the hash too
    report = storage.verify_audit()
    assert not report.ok and report.row is not None and report.row.id == 2
    assert "row 2 was edited" in report.problem


def test_rows_wait_while_the_database_is_away_and_go_in_in_order(
    site: Path, pg_dsn: str, tmp_path: Path, pg_cluster: Cluster, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.WARNING)
    storage = station(pg_dsn, tmp_path, "north")
    pg_cluster.stop()
    try:
        trail = storage.audit()  # the database is down at start: it starts all the same
        for i in range(10):
            trail.record("alice", "write", "A", new=i)
        assert trail.flush(10) is False
        assert trail.waiting == 10
        trail.close()  # and the station stops before it is back: the rows are kept on its disk
    finally:
        pg_cluster.start()
    said = "\n".join(r.getMessage() for r in caplog.records if for_operator(r))
    assert "10 audit rows waiting" in said and "unreachable" in said
    trail = storage.audit()  # the next start forwards them before anything new
    trail.record("alice", "write", "A", new=10)
    assert trail.flush(10)
    pg_cluster.stop()
    try:
        for i in range(11, 20):  # lost mid-run
            trail.record("alice", "write", "A", new=i)
        assert trail.flush(5) is False
    finally:
        pg_cluster.start()
    assert trail.flush(10)
    assert trail.waiting == 0 and trail.lost == 0
    trail.close()
    assert [r.entry.new_value for r in reversed(storage.audit_rows())] == [str(i) for i in range(20)]
    assert storage.verify_audit().ok


def test_hmi_audit_verify_checks_the_chain_in_the_database(
    site: Path, pg_dsn: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    with station(pg_dsn, tmp_path, "north").audit() as trail:
        for i in range(3):
            trail.record("alice", "write", "A", new=i)
    assert main(["audit", "verify", str(site)]) == 0
    out = capsys.readouterr().out
    assert "PostgreSQL" in out and "OK, 3 rows" in out
    tamper(pg_dsn, "DELETE FROM audit WHERE id = 2")
    assert main(["audit", "verify", str(site)]) == 1
    assert "row(s) 2..2 were deleted" in capsys.readouterr().out


def test_a_database_without_the_audit_schema_says_what_to_run(pg_dsn: str, tmp_path: Path, caplog):
    caplog.set_level(logging.WARNING)
    storage = station(pg_dsn, tmp_path, "north")
    trail = storage.audit()
    trail.record("alice", "login")
    assert trail.flush(5) is False
    trail.close()
    assert "run `hmi db init PROJECT`" in "\n".join(r.getMessage() for r in caplog.records)


def run(coro) -> None:
    import asyncio

    import qasync

    loop = qasync.QEventLoop()
    try:
        loop.run_until_complete(coro)
    finally:
        loop.close()
        asyncio.set_event_loop(None)


def test_the_audit_window_shows_every_stations_rows_and_checks_the_chain(
    qtbot, site: Path, pg_dsn: str, tmp_path: Path
):
    from ui.security.audit_view import AuditModel, AuditView

    north, south = station(pg_dsn, tmp_path, "north"), station(pg_dsn, tmp_path, "south")
    with south.audit() as trail:
        trail.record("bob", "write", "TK101.Setpoint", old=1, new=2)
    mine = north.audit()
    mine.record("alice", "alarm_ack", "TK101.Level.HI")
    view = AuditView(mine, north)
    qtbot.addWidget(view)
    run(view.run_search())
    assert [(r.station, r.entry.user) for r in view.model.rows] == [("north", "alice"), ("south", "bob")]
    assert not view.table.isColumnHidden(AuditModel.STATION)
    assert view.model.data(view.model.index(1, AuditModel.STATION)) == "south"
    view.text.setText("setpoint")
    run(view.run_search())
    assert [r.entry.user for r in view.model.rows] == ["bob"]
    run(view.run_verify())
    assert "Chain intact: 2 row(s)" in view.chain.text()
    mine.close()


def test_a_shift_note_on_one_station_is_read_back_on_another(site: Path, pg_dsn: str, tmp_path: Path):
    north, south = station(pg_dsn, tmp_path, "north"), station(pg_dsn, tmp_path, "south")
    trail = north.audit()
    security = Security(UserStore(tmp_path / "users.sqlite"), SecurityConfig(), trail)
    log_in(security, "operator")
    try:
        Logbook(security, trail).write(
            "operator", "P-101 seal weeping, watch it", time.time(), tag="P101.Flow"
        )
        assert trail.flush()
        (note,) = read_notes(south, tag="P101.Flow")
        assert (note.author, note.text) == ("operator", "P-101 seal weeping, watch it")
    finally:
        trail.close()
