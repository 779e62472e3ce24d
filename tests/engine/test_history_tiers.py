"""Rows and sealed chunks answer alike: the same samples through a sealing historian and a row-only one
give the same raw samples, buckets, values as of a time, CSV export and statistics."""

from __future__ import annotations

import io
import math
import sqlite3
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hmi.history import Bucket, Historian, HistorianTag, SqliteHistoryReader, export_csv, stats
from hmi.history import seal as sealing
from hmi.history.schema import open_for_writing
from hmi.history.seal import seal_all
from hmi.quality import Quality, Sample

HOUR = 3600
BASE = (time.time() // HOUR - 30) * HOUR  # on an hour, well inside the default retention
TAGS = [HistorianTag("flow"), HistorianTag("pump", "digital"), HistorianTag("mode", "string")]

quality = st.sampled_from(list(Quality))
gap_ms = st.one_of(st.integers(1, 3_000), st.integers(3_000, 400_000), st.integers(400_000, 8_000_000))
values = {
    "flow": st.one_of(st.none(), st.integers(-1_000_000, 1_000_000).map(lambda i: i / 1000)),
    "pump": st.booleans(),
    "mode": st.sampled_from(["auto", "manual", "cascade", "", "12.5 bar", "Ü"]),
}


@st.composite
def histories(draw: st.DrawFn) -> list[tuple[str, Sample]]:
    """Per tag a run of samples with gaps from milliseconds to hours and changes of quality, merged in
    time order as the tag table delivers them."""
    out = []
    for tag in TAGS:
        ts = BASE * 1000 + draw(st.integers(0, 3_600_000))
        for _ in range(draw(st.integers(0, 150))):
            ts += draw(gap_ms)
            out.append((tag.name, Sample(draw(values[tag.name]), draw(quality), ts / 1000)))
    return sorted(out, key=lambda item: item[1].ts)


def write(path: Path, samples: list[tuple[str, Sample]], cuts: list[int], seal: bool) -> None:
    """Record the samples, committing at each cut (bulk flushes, and rows sealed between flushes)."""
    with Historian(path, TAGS, seal=seal) as historian:
        for i, (name, sample) in enumerate(samples):
            if i in cuts:
                historian.flush()
            historian.record(name, sample)


def same_buckets(got: list[Bucket], want: list[Bucket]) -> bool:
    def key(b: Bucket) -> tuple:
        return b.t_start, b.t_end, b.min, b.max, b.first, b.last, b.count, b.worst

    return [key(b) for b in got] == [key(b) for b in want] and all(
        (g.avg is None and w.avg is None) or math.isclose(g.avg, w.avg, rel_tol=1e-9, abs_tol=1e-9)
        for g, w in zip(got, want, strict=True)
    )


def csv_text(path: Path, t0: float, t1: float) -> str:
    out = io.StringIO()
    export_csv(SqliteHistoryReader(path), None, t0, t1, out)
    return out.getvalue()


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Seal a piece of the open hour every few rows, so that short histories exercise extending chunks."""
    monkeypatch.setattr(sealing, "PIECE_ROWS", 8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    samples=histories(),
    cuts=st.lists(st.integers(0, 450), max_size=6),
    compact=st.booleans(),
    probes=st.lists(
        st.tuples(st.floats(-0.05, 1.05), st.floats(0.0, 1.1), st.integers(1, 2_500)), max_size=6
    ),
)
def test_sealed_history_answers_as_the_rows_did(
    tmp_path_factory, small_pieces, samples, cuts, compact, probes
):
    folder = tmp_path_factory.mktemp("tiers")
    rows, sealed = folder / "rows.sqlite", folder / "sealed.sqlite"
    write(rows, samples, cuts, seal=False)
    write(sealed, samples, cuts, seal=True)
    if compact:  # and whatever is still closed in rows, as `hmi history compact` does
        con = open_for_writing(sealed)
        for _ in seal_all(con):
            pass
        con.close()
    t0, t1 = BASE - HOUR, BASE + 400 * 8_000 + 2 * HOUR
    assert csv_text(sealed, t0, t1) == csv_text(rows, t0, t1)
    assert [(t.name, t.rows, t.first, t.last) for t in stats(sealed).tags] == [
        (t.name, t.rows, t.first, t.last) for t in stats(rows).tags
    ]
    if len(samples) < 2:
        return
    first, last = samples[0][1].ts, samples[-1][1].ts
    span = last - first
    with SqliteHistoryReader(rows) as want, SqliteHistoryReader(sealed) as got:
        for tag in TAGS:
            name = tag.name
            assert got.raw(name, t0, t1) == want.raw(name, t0, t1)
            for begin, length, n in probes:
                a = first + begin * span
                b = a + length * span
                assert got.raw(name, a, b) == want.raw(name, a, b)
                assert got.value_at(name, a) == want.value_at(name, a)
                for rollups in (True, False):
                    assert same_buckets(
                        got.buckets(name, a, b, n, rollups=rollups),
                        want.buckets(name, a, b, n, rollups=rollups),
                    )
            for _, sample in samples[:: max(1, len(samples) // 10)]:
                assert got.value_at(name, sample.ts) == want.value_at(name, sample.ts)


def value(i: int) -> float:
    """A rising, wavering analog: every sample differs from the last, so every one is stored."""
    return round(i + 0.4 * math.sin(i / 7), 3)


def test_a_long_history_is_sealed_and_its_year_view_reads_chunk_statistics(tmp_path: Path):
    """Closed hours become chunks of one hour each; only the open minutes stay as rows."""
    path = tmp_path / "h.sqlite"
    with Historian(path, [HistorianTag("x")]) as historian:
        for i in range(5 * HOUR):
            historian.record("x", Sample(value(i), Quality.GOOD, BASE + i))
    con = sqlite3.connect(path)
    chunks = con.execute("SELECT hour, samples FROM history_chunk ORDER BY hour").fetchall()
    rows = con.execute("SELECT count(*) FROM history_sample").fetchone()[0]
    con.close()
    assert [n for _, n in chunks[:4]] == [HOUR] * 4  # every closed hour whole
    assert rows <= 60  # the last minute, still open
    with SqliteHistoryReader(path) as reader:
        hours = reader.buckets("x", BASE, BASE + 5 * HOUR, 5)
        assert [b.count for b in hours] == [HOUR] * 5
        assert hours[0].first == value(0) and hours[-1].last == value(5 * HOUR - 1)
