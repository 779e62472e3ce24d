"""One query suite over both history backends: the same samples written through each backend's own
writer give the same raw samples, values at a time, buckets (from samples, minute and hour rollups)
and CSV export."""

from __future__ import annotations

import io
import math
import time
import uuid
from collections.abc import Iterator

import pytest

from hmi.history import HistorianTag, HistoryConfig, export_csv
from hmi.quality import Quality, Sample
from hmi.storage import Place, Storage
from hmi.storage.postgres import schema
from hmi.storage.postgres.connect import connect
from hmi.storage.postgres.settings import PostgresConfig
from hmi.storage.postgres.storage import PostgresStorage
from hmi.storage.sqlite import SqliteStorage
from tests.pg.conftest import PASSWORD, Cluster
from ui.trends.series import fetch_history

T0 = (time.time() // 3600 - 50) * 3600  # two days ago, on an hour: inside the default retention
SPAN = 3 * 3600
TAGS = [HistorianTag("A"), HistorianTag("D", "digital"), HistorianTag("S", "string")]


def samples() -> Iterator[tuple[str, Sample]]:
    for i in range(SPAN):
        ts = T0 + i + 0.25
        bad = 1000 <= i < 1060
        value = None if bad else round(50 + 40 * math.sin(i / 300) + (i % 7) * 0.1, 3)
        quality = Quality.BAD if bad else Quality.UNCERTAIN if i % 997 == 0 else Quality.GOOD
        yield "A", Sample(value, quality, ts)
        if i % 7 == 0:
            yield "D", Sample((i // 7) % 2, Quality.GOOD, ts)
        if i % 100 == 0:
            yield "S", Sample(f"step {i // 100 % 5}", Quality.GOOD, ts)


def fill(storage: Storage) -> None:
    writer = storage.history_writer(TAGS, HistoryConfig())
    writer.start()
    for name, sample in samples():
        writer.record(name, sample)
        if sample.ts - T0 > 0 and int(sample.ts - T0) % 2000 == 0 and name == "A":
            writer.flush()  # several batches, as a running collector writes them
    writer.close()


@pytest.fixture(scope="module")
def stores(pg_cluster: Cluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Storage]]:
    root = tmp_path_factory.mktemp("backends")
    name = f"q_{uuid.uuid4().hex[:10]}"
    pg_cluster.admin(f"CREATE DATABASE {name}")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("OPENHMI_DB_PASSWORD", PASSWORD)
        mp.setenv("OPENHMI_DATA_DIR", str(root / "data"))
        dsn = pg_cluster.dsn(name)
        with connect(dsn) as con:
            schema.upgrade(con, name)
        found: dict[str, Storage] = {
            "sqlite": SqliteStorage(root / "history.sqlite"),
            "postgresql": PostgresStorage(PostgresConfig(kind="postgresql", dsn=dsn), Place(root, "site")),
        }
        for storage in found.values():
            fill(storage)
        yield found
    pg_cluster.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgresql"])
def storage(request: pytest.FixtureRequest, stores: dict[str, Storage]) -> Storage:
    return stores[request.param]


def test_raw_gives_back_every_stored_sample(storage: Storage):
    with storage.history_reader() as reader:
        assert reader.tags() == ["A", "D", "S"]
        a = reader.raw("A", T0, T0 + SPAN)
        assert len(a) > 10_000 and a[0] == (T0 + 0.25, 50.0, Quality.UNCERTAIN)
        assert (T0 + 1000.25, None, Quality.BAD) in a
        assert [v for _, v, _ in reader.raw("D", T0, T0 + 30)] == [0, 1, 0, 1, 0]
        assert reader.raw("S", T0 + 99, T0 + 201) == [
            (T0 + 100.25, "step 1", Quality.GOOD),
            (T0 + 200.25, "step 2", Quality.GOOD),
        ]
        assert reader.raw("nothing", T0, T0 + SPAN) == []


def test_a_trend_of_a_tag_without_history_opens_empty(storage: Storage):
    with storage.history_reader() as reader:
        history = fetch_history(reader, "nothing", T0, T0 + SPAN, 100)
    assert len(history.t) == 0


def test_value_at_is_the_last_sample_at_or_before(storage: Storage):
    with storage.history_reader() as reader:
        assert reader.value_at("A", T0) is None
        assert reader.value_at("A", T0 + 1030) == (T0 + 1000.25, None, Quality.BAD)  # repeats are not stored
        assert reader.value_at("S", T0 + 350) == (T0 + 300.25, "step 3", Quality.GOOD)
        assert reader.value_at("D", T0 + 8) == (T0 + 7.25, 1, Quality.GOOD)


@pytest.mark.parametrize("n", [2000, 100, 2])  # widths of seconds (samples), minutes and hours (rollups)
def test_buckets_from_rollups_agree_with_buckets_from_samples(storage: Storage, n: int):
    with storage.history_reader() as reader:
        for tag in ("A", "D", "S"):
            fast = reader.buckets(tag, T0, T0 + SPAN, n)
            slow = reader.buckets(tag, T0, T0 + SPAN, n, rollups=False)
            assert sum(b.count for b in fast) == sum(b.count for b in slow)
            assert (
                min(b.min for b in fast if b.min is not None) == min(b.min for b in slow if b.min is not None)
                if tag != "S"
                else True
            )
            assert fast[0].first == slow[0].first and fast[-1].last == slow[-1].last


def test_both_backends_answer_the_same(stores: dict[str, Storage]):
    lite, pg = (stores[k].history_reader() for k in ("sqlite", "postgresql"))
    try:
        for tag in ("A", "D", "S"):
            assert lite.raw(tag, T0, T0 + SPAN) == pg.raw(tag, T0, T0 + SPAN)
            for t in (T0 - 1, T0 + 0.25, T0 + 1234.5, T0 + SPAN + 10):
                assert lite.value_at(tag, t) == pg.value_at(tag, t)
            for t0, t1, n in (
                (T0, T0 + SPAN, 2000),
                (T0, T0 + SPAN, 100),
                (T0, T0 + SPAN, 2),
                (T0 + 77, T0 + 4000, 50),
            ):
                a, b = lite.buckets(tag, t0, t1, n), pg.buckets(tag, t0, t1, n)
                assert len(a) == len(b)
                for x, y in zip(a, b, strict=True):
                    assert (x.t_start, x.t_end, x.min, x.max, x.first, x.last, x.count, x.worst) == (
                        y.t_start,
                        y.t_end,
                        y.min,
                        y.max,
                        y.first,
                        y.last,
                        y.count,
                        y.worst,
                    )
                    assert x.avg == pytest.approx(y.avg)
        outs = []
        for reader in (lite, pg):
            out = io.StringIO()
            export_csv(reader, None, T0, T0 + SPAN, out)
            outs.append(out.getvalue())
        assert outs[0] == outs[1] and outs[0].count("\n") > SPAN
    finally:
        lite.close()
        pg.close()


def test_info_counts_the_same_samples(stores: dict[str, Storage]):
    lite, pg = (stores[k].history_stats() for k in ("sqlite", "postgresql"))
    assert [(t.name, t.rows, t.first, t.last) for t in lite.tags] == [
        (t.name, t.rows, t.first, t.last) for t in pg.tags
    ]
    assert {t.name: t.rows for t in pg.tags}["D"] == math.ceil(SPAN / 7)
