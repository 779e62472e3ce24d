"""The history schema in PostgreSQL and its versioned migrations (`hmi db init|upgrade|info`).

Samples are partitioned by day on their time (epoch ms), natively, or as a TimescaleDB hypertable
when the extension is installed; retention drops whole days. Per-minute and per-hour rollups sit
beside them, recomputed for every minute a batch touched, in the batch's transaction."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import psycopg

from ...history.errors import HistoryError

log = logging.getLogger(__name__)

DAY_MS = 86_400_000
_ROLLUP_COLUMNS = """
    vmin double precision, vmax double precision, vsum double precision NOT NULL,
    n integer NOT NULL, worst smallint NOT NULL,
    vfirst double precision, vlast double precision, sfirst text, slast text"""

# Each migration takes the schema from the version before it to its own; never edit a released one.
MIGRATIONS: list[str] = [
    f"""
    CREATE TABLE openhmi_meta (key text PRIMARY KEY, value text NOT NULL);
    CREATE TABLE history_tag (id serial PRIMARY KEY, name text NOT NULL UNIQUE, kind text NOT NULL);
    CREATE TABLE history_minute (tag_id integer NOT NULL, minute bigint NOT NULL, {_ROLLUP_COLUMNS},
        PRIMARY KEY (tag_id, minute));
    CREATE TABLE history_hour (tag_id integer NOT NULL, hour bigint NOT NULL, {_ROLLUP_COLUMNS},
        PRIMARY KEY (tag_id, hour));
    """,
    # The site's audit trail: one hash chain for every station (hmi.storage.postgres.audit).
    """
    CREATE TABLE audit (
        id bigint PRIMARY KEY,
        station text NOT NULL,
        ts double precision NOT NULL,
        user_name text NOT NULL,
        action text NOT NULL,
        target text NOT NULL,
        old_value text,
        new_value text,
        result text NOT NULL,
        reason text NOT NULL,
        hash text NOT NULL
    );
    CREATE INDEX audit_ts ON audit (ts);
    CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$;
    CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit
        FOR EACH ROW EXECUTE FUNCTION audit_append_only();
    CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
        FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
    """,
    # The site's users (hmi.storage.postgres.users), when a project keeps them there.
    """
    CREATE TABLE site_user (
        name text PRIMARY KEY,
        full_name text NOT NULL DEFAULT '',
        role text NOT NULL,
        enabled integer NOT NULL DEFAULT 1,
        password_hash text NOT NULL,
        created double precision NOT NULL,
        changed double precision NOT NULL,
        failed_attempts integer NOT NULL DEFAULT 0,
        locked_until double precision
    );
    CREATE UNIQUE INDEX site_user_name ON site_user (lower(name));
    """,
    # The site's alarm journal (hmi.storage.postgres.alarms): each transition once, its station named.
    """
    CREATE TABLE alarm_journal (
        id bigserial PRIMARY KEY,
        ts double precision NOT NULL,
        alarm_id text NOT NULL,
        tag text NOT NULL,
        kind text NOT NULL,
        priority text NOT NULL,
        old_state text NOT NULL,
        new_state text NOT NULL,
        active boolean NOT NULL,
        value jsonb,
        limit_value jsonb,
        actor text NOT NULL,
        comment text NOT NULL,
        message text NOT NULL,
        station text NOT NULL
    );
    CREATE INDEX alarm_journal_ts ON alarm_journal (ts);
    CREATE INDEX alarm_journal_alarm ON alarm_journal (alarm_id, ts);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)
_SAMPLE_COLUMNS = """
    tag_id integer NOT NULL,
    ts bigint NOT NULL,
    value double precision,
    text text,
    quality smallint NOT NULL,
    PRIMARY KEY (tag_id, ts)"""


@dataclass(frozen=True)
class SchemaInfo:
    version: int | None
    timescale: bool
    partitions: int
    tags: int


def version(con: psycopg.Connection) -> int | None:
    """The schema version of the database, None if OpenHMI never initialised it."""
    if con.execute("SELECT to_regclass('openhmi_meta')").fetchone() == (None,):
        return None
    row = con.execute("SELECT value FROM openhmi_meta WHERE key = 'schema'").fetchone()
    return None if row is None else int(row[0])


def check(con: psycopg.Connection, target: str) -> None:
    """HistoryError unless the database holds exactly this version's schema."""
    found = version(con)
    if found is None:
        raise HistoryError(f"database {target} has no OpenHMI schema yet: run `hmi db init PROJECT` once")
    _refuse_newer(found, target)
    if found < SCHEMA_VERSION:
        raise HistoryError(
            f"database {target} has schema {found}, this OpenHMI needs {SCHEMA_VERSION}: "
            "run `hmi db upgrade PROJECT` (with the collectors stopped)"
        )


def _refuse_newer(found: int, target: str) -> None:
    if found > SCHEMA_VERSION:
        raise HistoryError(
            f"database {target} has schema {found}, newer than this OpenHMI knows ({SCHEMA_VERSION}): "
            "upgrade OpenHMI on this station; nothing was changed"
        )


def has_timescale(con: psycopg.Connection) -> bool:
    return (
        con.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'").fetchone() is not None
    )


def upgrade(con: psycopg.Connection, target: str) -> tuple[int, int]:
    """Apply the migrations the database lacks, in one transaction; (version before, after)."""
    with con.transaction():
        con.execute("SELECT pg_advisory_xact_lock(hashtext('openhmi-migrate'))")
        before = version(con) or 0
        _refuse_newer(before, target)
        for number in range(before + 1, SCHEMA_VERSION + 1):
            con.execute(MIGRATIONS[number - 1])
            if number == 1:
                _create_samples(con)
            con.execute(
                "INSERT INTO openhmi_meta VALUES ('schema', %s) ON CONFLICT (key) DO UPDATE SET value = %s",
                (str(number), str(number)),
            )
    if before < SCHEMA_VERSION:
        log.info("database %s upgraded from schema %d to %d", target, before, SCHEMA_VERSION)
    return before, SCHEMA_VERSION


def _create_samples(con: psycopg.Connection) -> None:
    if has_timescale(con):
        con.execute("CREATE EXTENSION IF NOT EXISTS timescaledb")
        con.execute(f"CREATE TABLE history_sample ({_SAMPLE_COLUMNS})")
        con.execute(f"SELECT create_hypertable('history_sample', 'ts', chunk_time_interval => {DAY_MS})")
        con.execute("INSERT INTO openhmi_meta VALUES ('timescale', '1')")
    else:
        con.execute(f"CREATE TABLE history_sample ({_SAMPLE_COLUMNS}) PARTITION BY RANGE (ts)")


def timescale(con: psycopg.Connection) -> bool:
    return con.execute("SELECT 1 FROM openhmi_meta WHERE key = 'timescale'").fetchone() is not None


def partition_name(day: int) -> str:
    return f"history_sample_d{day}"


def ensure_partitions(con: psycopg.Connection, days: set[int], known: set[int]) -> None:
    """Create the day partitions of `days` that are not in `known` (which is updated)."""
    for day in sorted(days - known):
        con.execute(
            f"CREATE TABLE IF NOT EXISTS {partition_name(day)} PARTITION OF history_sample"
            f" FOR VALUES FROM ({day * DAY_MS}) TO ({(day + 1) * DAY_MS})"
        )
        known.add(day)


def partitions(con: psycopg.Connection) -> list[int]:
    """The days that have a partition, oldest first."""
    rows = con.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
        " WHERE i.inhparent = 'history_sample'::regclass"
    ).fetchall()
    return sorted(int(name.removeprefix("history_sample_d")) for (name,) in rows)


def drop_before(con: psycopg.Connection, cutoff_ms: int) -> int:
    """Drop the days of samples that end before `cutoff_ms`, and the rollups before it; days dropped."""
    day = cutoff_ms // DAY_MS
    with con.transaction():
        if timescale(con):
            con.execute("SELECT drop_chunks('history_sample', older_than => %s::bigint)", (day * DAY_MS,))
            dropped = 0
        else:
            old = [d for d in partitions(con) if d < day]
            for d in old:
                con.execute(f"DROP TABLE IF EXISTS {partition_name(d)}")
            dropped = len(old)
        con.execute("DELETE FROM history_minute WHERE minute < %s", (day * DAY_MS // 60_000,))
        con.execute("DELETE FROM history_hour WHERE hour < %s", (day * DAY_MS // 3_600_000,))
    return dropped


def info(con: psycopg.Connection) -> SchemaInfo:
    found = version(con)
    if found is None:
        return SchemaInfo(None, has_timescale(con), 0, 0)
    tags = con.execute("SELECT count(*) FROM history_tag").fetchone()
    return SchemaInfo(found, timescale(con), len(partitions(con)), int(tags[0]) if tags else 0)
