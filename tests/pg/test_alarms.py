"""Alarms shared by two stations of one site database: an acknowledgement, shelve or out-of-service
taken on one shows on the other within a second, each transition is journaled once with its station
and user, and a station that loses the database says so and refuses alarm actions until it is back."""

from __future__ import annotations

import asyncio
import logging
import statistics
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from hmi.alarms import ActionRefused, AlarmState
from hmi.notices import for_operator
from hmi.project import save_project
from hmi.quality import Quality, Sample
from hmi.runtime import Runtime
from hmi.storage import Place
from hmi.storage.postgres import schema
from hmi.storage.postgres.connect import connect
from hmi.storage.postgres.settings import PostgresConfig
from hmi.storage.postgres.storage import PostgresStorage
from tests.pg.conftest import Cluster
from tests.support import demo_project, free_port, log_in, wait_for

HI = "TK101.Level.HI"


def level(stations: tuple[Runtime, ...], value: float) -> None:
    """The same PLC value seen by every station, as their connections would see it."""
    for runtime in stations:
        runtime.table.update("TK101.Level", Sample(value, Quality.GOOD, time.time()))


def state(runtime: Runtime) -> AlarmState:
    return runtime.alarms.alarm(HI).state


@asynccontextmanager
async def two_stations(tmp_path: Path, pg_dsn: str) -> AsyncIterator[tuple[Runtime, Runtime]]:
    """A collector (north) and a viewer (south) of one project, users on the site."""
    folder = demo_project(tmp_path, free_port())
    folder.project.storage = PostgresConfig(kind="postgresql", dsn=pg_dsn, users="site")
    save_project(folder)
    with connect(pg_dsn) as con:
        schema.upgrade(con, "site")
    runtimes = []
    for name, role in (("north", "collector"), ("south", "viewer")):
        config = PostgresConfig(kind="postgresql", dsn=pg_dsn, role=role, users="site")  # type: ignore[arg-type]
        storage = PostgresStorage(config, Place(tmp_path / name, "demo"), station=name)
        runtimes.append(Runtime(folder, start_simulator=False, storage=storage))
    north, south = runtimes
    for runtime in runtimes:
        await runtime.start()
    try:
        await wait_for(
            lambda: all(r.shared_alarms is not None and r.shared_alarms.online for r in runtimes),
            what="both stations listening",
        )
        yield north, south
    finally:
        for runtime in runtimes:
            await runtime.stop()


def journal(dsn: str) -> list[tuple[str, str, str, str]]:
    with connect(dsn) as con:
        rows = con.execute(
            "SELECT new_state, actor, station, comment FROM alarm_journal WHERE alarm_id = %s ORDER BY id",
            (HI,),
        ).fetchall()
    return [tuple(r) for r in rows]


def test_an_action_on_one_station_shows_on_the_other_within_a_second_and_is_journaled_once(
    tmp_path: Path, pg_dsn: str
):
    async def scenario() -> None:
        async with two_stations(tmp_path, pg_dsn) as (north, south):
            log_in(north.security, "operator", "otto")
            south.security.login("otto", "test-pass-1")  # the site's user, on the other station
            level((north, south), 88.0)
            await wait_for(lambda: state(north) is state(south) is AlarmState.UNACK_ACTIVE, what="raised")
            north.alarms.acknowledge([HI], "otto", "seen on north")
            await wait_for(lambda: state(south) is AlarmState.ACK_ACTIVE, timeout=1.0, what="ack on south")
            south.alarms.shelve([HI], "otto", "noisy", duration=600)
            await wait_for(lambda: state(north) is AlarmState.SHELVED, timeout=1.0, what="shelve on north")
            assert north.alarms.alarm(HI).shelved_until == south.alarms.alarm(HI).shelved_until
            south.alarms.unshelve([HI], "otto")
            # Back from a shelve an active alarm is announced again, on both stations.
            await wait_for(lambda: state(north) is AlarmState.UNACK_ACTIVE, timeout=1.0, what="unshelve")
            log_in(north.security, "engineer", "sue")
            north.alarms.remove_from_service([HI], "sue", "sensor swap")
            await wait_for(
                lambda: state(south) is AlarmState.OUT_OF_SERVICE, timeout=1.0, what="out of service"
            )
            north.alarms.return_to_service([HI], "sue")
            await wait_for(
                lambda: state(south) is state(north) is not AlarmState.OUT_OF_SERVICE,
                timeout=1.0,
                what="in service",
            )
            for runtime in (north, south):
                assert runtime.journal.flush() and runtime.audit.flush()
        assert journal(pg_dsn) == [
            ("unack_active", "system", "north", ""),
            ("ack_active", "otto", "north", "seen on north"),
            ("shelved", "otto", "south", "noisy"),
            ("unack_active", "otto", "south", ""),
            ("out_of_service", "sue", "north", "sensor swap"),
            (state(north).value, "sue", "north", ""),
        ]
        audited = [
            (r.station, r.entry.action) for r in reversed(north.storage.audit_rows()) if r.entry.target == HI
        ]
        assert audited == [
            ("north", "acknowledge"),
            ("south", "shelve"),
            ("south", "unshelve"),
            ("north", "remove_from_service"),
            ("north", "return_to_service"),
        ]

    asyncio.run(scenario())


def test_acknowledge_to_the_other_station_takes_well_under_a_second(tmp_path: Path, pg_dsn: str):
    delays: list[float] = []

    async def scenario() -> None:
        async with two_stations(tmp_path, pg_dsn) as (north, south):
            log_in(north.security, "operator", "otto")
            for _ in range(20):
                level((north, south), 88.0)
                await wait_for(lambda: state(south) is AlarmState.UNACK_ACTIVE, what="raised")
                started = time.perf_counter()
                north.alarms.acknowledge([HI], "otto")
                await wait_for(lambda: state(south) is AlarmState.ACK_ACTIVE, timeout=1.0, what="ack")
                delays.append(time.perf_counter() - started)
                level((north, south), 50.0)
                await wait_for(lambda: state(south) is AlarmState.NORMAL, what="cleared")

    asyncio.run(scenario())
    assert statistics.quantiles(delays, n=100)[98] < 1.0


def test_a_station_that_loses_the_database_refuses_alarm_actions_and_says_so(
    tmp_path: Path, pg_dsn: str, pg_cluster: Cluster, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.WARNING)

    async def scenario() -> None:
        async with two_stations(tmp_path, pg_dsn) as (north, south):
            log_in(north.security, "operator", "otto")
            await asyncio.to_thread(pg_cluster.stop)
            try:
                await wait_for(lambda: not north.shared_alarms.online, what="north offline")  # type: ignore[union-attr]
                level((north, south), 88.0)  # raised while the database is away: journaled later
                await wait_for(lambda: state(north) is AlarmState.UNACK_ACTIVE, what="raised")
                with pytest.raises(ActionRefused, match="read-only on this station"):
                    north.alarms.acknowledge([HI], "otto")
                assert state(north) is state(south) is AlarmState.UNACK_ACTIVE
            finally:
                await asyncio.to_thread(pg_cluster.start)
            await wait_for(lambda: north.shared_alarms.online and south.shared_alarms.online, what="back")  # type: ignore[union-attr]
            north.alarms.acknowledge([HI], "otto")
            await wait_for(lambda: state(south) is AlarmState.ACK_ACTIVE, timeout=1.0, what="ack shared")
            assert north.journal.flush(10)

    asyncio.run(scenario())
    said = "\n".join(r.getMessage() for r in caplog.records if for_operator(r))
    assert "alarm actions are read-only on this station: the site database cannot be reached" in said
    assert "alarm actions are shared with the other stations again" in said
    assert [s for s, *_ in journal(pg_dsn)] == ["unack_active", "ack_active"]
