"""The trend view on real history files (written by the Historian) and a real tag table, offscreen."""

from __future__ import annotations

import csv
import math
import time
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage

from hmi.history import Historian, HistorianTag, SqliteHistoryReader
from hmi.project.model import Pen, Tag
from hmi.quality import Quality, Sample
from hmi.storage.sqlite import SqliteStorage
from hmi.tags import TagTable
from ui.trends import TrendView
from ui.trends.table import A, B

LEVEL, FLOW, PRESSURE = "TK1.Level", "FI1.Flow", "PT1.Pressure"
TAGS = {
    LEVEL: Tag(name=LEVEL, connection="plant", node="ns=2;s=TK1.Level", units="%", range=(0, 100)),
    FLOW: Tag(name=FLOW, connection="plant", node="ns=2;s=FI1.Flow", units="m³/h"),
    PRESSURE: Tag(name=PRESSURE, connection="plant", node="ns=2;s=PT1.Pressure", units="bar"),
}


def write_history(path: Path, samples: dict[str, list[Sample]]) -> None:
    """Log samples through the real historian, as the running engine would."""
    with Historian(path, [HistorianTag(name) for name in samples]) as historian:
        for name, series in samples.items():
            for sample in series:
                historian.record(name, sample)
        historian.flush()


def good(ts: float, value: float) -> Sample:
    return Sample(value, Quality.GOOD, ts)


def curve_xy(view: TrendView, tag: str) -> tuple[np.ndarray, np.ndarray]:
    x, y = view.curve(tag).getOriginalDataset()
    return (np.zeros(0), np.zeros(0)) if x is None else (x, y)


def at(x: np.ndarray, t: float) -> np.ndarray:
    """Where x is t, to the millisecond the history keeps (np.isclose is relative: useless at 1.7e9)."""
    return np.abs(x - t) < 5e-4


@pytest.fixture
def make_view(qtbot):
    views: list[TrendView] = []

    def make(db: Path, *tags: str, span_s: float = 600.0, table: TagTable | None = None) -> TrendView:
        view = TrendView(table or TagTable(TAGS), TAGS, SqliteStorage(db), span_s=span_s)
        qtbot.addWidget(view)
        view.resize(900, 500)
        view.show()
        for tag in tags:
            view.add_pen(tag)
        views.append(view)
        return view

    yield make
    for view in views:
        view.stop()


def test_backfill_draws_the_stored_samples_of_the_range(tmp_path, qtbot, make_view):
    db = tmp_path / "h.db"
    now = time.time()
    stored = [good(now - 400 + i, 20 + (i % 50) * 0.5) for i in range(300)]
    write_history(db, {LEVEL: stored})
    view = make_view(db, LEVEL)

    def drawn() -> bool:
        x, _ = curve_xy(view, LEVEL)
        return len(x) > 0 and {round(s.ts, 3) for s in stored} <= set(np.round(x, 3))

    qtbot.waitUntil(drawn, timeout=5000)
    x, y = curve_xy(view, LEVEL)
    by_time = dict(zip(np.round(x, 3), y, strict=True))
    assert [by_time[round(s.ts, 3)] for s in stored] == [s.value for s in stored]
    assert view.live


def test_long_ranges_come_as_buckets_that_keep_a_single_sample_spike(tmp_path, qtbot, make_view):
    db = tmp_path / "h.db"
    now = time.time()
    start = now - 86_400
    series = [good(start + 10 * i, 50 + math.sin(i / 50)) for i in range(8640)]
    series[4321] = good(series[4321].ts, 1000.0)
    write_history(db, {FLOW: series})
    view = make_view(db, FLOW)
    view.set_range(start, now)

    def spike_drawn() -> bool:
        _, y = curve_xy(view, FLOW)
        return len(y) > 0 and np.nanmax(y) == 1000.0

    qtbot.waitUntil(spike_drawn, timeout=5000)
    x, y = curve_xy(view, FLOW)
    assert len(x) < len(series) / 2, "a day at 10 s should be drawn from buckets, not raw"
    assert np.nanmin(y) == pytest.approx(min(s.value for s in series if s.value != 1000.0))


def test_cursor_reads_the_stored_value_and_quality_and_the_delta(tmp_path, qtbot, make_view):
    db = tmp_path / "h.db"
    now = time.time()
    stored = [good(now - 3000 + 10 * i, float(i)) for i in range(200)]
    write_history(db, {PRESSURE: stored})
    table = TagTable(TAGS)
    view = make_view(db, PRESSURE, table=table)
    view.set_range(now - 3200, now)

    when = stored[57].ts + 4.2  # between two samples: the value in force is the earlier one
    view.show_cursor(A, when)
    qtbot.waitUntil(lambda: view.model.reading(A, PRESSURE) is not None, timeout=5000)
    with SqliteHistoryReader(db) as reader:
        ts, value, quality = reader.value_at(PRESSURE, when)
    reading = view.model.reading(A, PRESSURE)
    assert (reading.ts, reading.value, reading.quality) == (ts, value, quality) == (ts, 57.0, Quality.GOOD)

    live_at = time.time()
    table.update(PRESSURE, good(live_at, 90.5))  # cursor B reads the live buffer
    view.show_cursor(B, live_at + 0.5)
    reading_b = view.model.reading(B, PRESSURE)
    assert (reading_b.value, reading_b.quality) == (90.5, Quality.GOOD)
    assert view.model.delta(PRESSURE) == pytest.approx(90.5 - 57.0)
    column = view.model.DELTA
    assert view.model.data(view.model.index(0, column)) == "+33.5"


def test_bad_quality_is_a_gap_not_a_line_through_the_outage(tmp_path, qtbot, make_view):
    db = tmp_path / "h.db"
    now = time.time()
    t0 = now - 500
    series = [good(t0 + i, 10.0 + i % 7) for i in range(100)]
    series.append(Sample(None, Quality.BAD, t0 + 100, "comm failure"))
    series += [good(t0 + 150 + i, 30.0 + i % 5) for i in range(100)]
    write_history(db, {LEVEL: series})
    table = TagTable(TAGS)
    view = make_view(db, LEVEL, table=table)
    qtbot.waitUntil(lambda: at(curve_xy(view, LEVEL)[0], t0 + 150).any(), timeout=5000)

    x, y = curve_xy(view, LEVEL)
    inside = (x > t0 + 100.001) & (x < t0 + 149.999)  # stored to the millisecond
    assert not np.any(np.isfinite(y[inside])), "nothing may be drawn inside the outage"
    at_start = np.flatnonzero(at(x, t0 + 100))
    assert np.isnan(y[at_start]).any(), "the outage starts with a break"
    assert y[at_start][0] == series[99].value, "the last good value holds until the outage"

    table.mark_bad([LEVEL], "comm failure")  # live: the same for a connection lost now
    qtbot.waitUntil(lambda: np.isnan(curve_xy(view, LEVEL)[1][-1]), timeout=2000)


def test_csv_export_matches_the_history_file_plus_the_live_tail(tmp_path, qtbot, make_view):
    db = tmp_path / "h.db"
    now = time.time()
    write_history(
        db,
        {
            LEVEL: [good(now - 300 + 2 * i, 40 + i * 0.25) for i in range(100)],
            FLOW: [good(now - 299 + 3 * i, 12.5 - i * 0.1) for i in range(60)],
        },
    )
    table = TagTable(TAGS)
    view = make_view(db, LEVEL, FLOW, table=table)
    with SqliteHistoryReader(db) as reader:
        newest = reader.value_at(LEVEL, now)[0]
    table.update(LEVEL, good(newest, 99.0))  # the newest stored sample again: not exported twice
    live = [good(now + 0.5, 41.5), good(now + 1.0, 42.5)]
    for sample in live:
        table.update(LEVEL, sample)
    view.set_range(now - 250, now + 2)
    qtbot.waitUntil(lambda: view.x_range()[0] == pytest.approx(now - 250), timeout=2000)

    out = tmp_path / "visible.csv"
    with qtbot.waitSignal(view.exported, timeout=5000):
        view.export_csv(out)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))

    t0, t1 = view.x_range()
    with SqliteHistoryReader(db) as reader:
        expected = [(ts, tag, v, q.name) for tag in (LEVEL, FLOW) for ts, v, q in reader.raw(tag, t0, t1)]
    expected += [(s.ts, LEVEL, s.value, "GOOD") for s in live]
    got = [(float(r["epoch_s"]), r["tag"], float(r["value"]), r["quality"]) for r in rows]
    assert sorted(got) == sorted((round(ts, 3), tag, v, q) for ts, tag, v, q in expected)
    first = rows[0]
    local = datetime.fromisoformat(first["time"])
    assert local.utcoffset() is not None
    assert local.timestamp() == pytest.approx(float(first["epoch_s"]), abs=1e-3)


def test_png_export_writes_the_chart_at_its_size(tmp_path, make_view):
    view = make_view(tmp_path / "none.db", LEVEL)
    path = tmp_path / "chart.png"
    assert view.export_png(path)
    image = QImage(str(path))
    ratio = view.plot.devicePixelRatioF()
    assert (image.width(), image.height()) == (
        round(view.plot.width() * ratio),
        round(view.plot.height() * ratio),
    )


def test_pens_share_an_axis_by_units_or_by_axis_name(tmp_path, make_view):
    view = make_view(tmp_path / "none.db", LEVEL, FLOW)
    view.add_pen(PRESSURE, Pen(tag=PRESSURE, axis="process"))
    view.add_pen("FI1.Flow")  # already there: kept, not doubled
    assert [p.tag for p in view.pens] == [LEVEL, FLOW, PRESSURE]
    assert len({p.color for p in view.pens}) == 3
    assert len(view.plot.extra) == 2  # % on the left, m³/h and 'process' on the right
    assert view.item.getAxis("left").labelText == "TK1.Level [%]"
    view.remove_pen(FLOW)
    assert len(view.plot.extra) == 1
    assert view.model.rowCount() == 2
    with pytest.raises(KeyError, match="unknown tag 'NOPE'"):
        view.add_pen("NOPE")


def test_keys_pan_zoom_and_go_back_to_live_while_data_keeps_coming(tmp_path, qtbot, make_view):
    table = TagTable(TAGS)
    view = make_view(tmp_path / "none.db", LEVEL, span_s=600, table=table)
    view.setFocus()
    t0, t1 = view.x_range()
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert not view.live
    a0, a1 = view.x_range()
    assert (a0, a1) == pytest.approx((t0 - 60, t1 - 60), abs=1)
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    b0, b1 = view.x_range()
    assert b1 - b0 == pytest.approx(300, abs=1)

    frozen = curve_xy(view, LEVEL)[0].copy()
    table.update(LEVEL, good(time.time(), 55.0))  # paused: collected, not drawn yet
    qtbot.wait(120)
    assert np.array_equal(curve_xy(view, LEVEL)[0], frozen)
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.live
    assert 55.0 in curve_xy(view, LEVEL)[1]
    assert view.x_range()[1] == pytest.approx(time.time(), abs=1)


@pytest.mark.parametrize("span", [20, 900, 8 * 3600, 7 * 86_400])
def test_time_axis_labels_are_local_time_at_every_zoom(tmp_path, make_view, span):
    view = make_view(tmp_path / "none.db", LEVEL)
    now = time.time()
    view.set_range(now - span, now)
    view.plot.grab()  # lays out and paints the axis
    axis = view.item.getAxis("bottom")
    levels = axis.tickValues(now - span, now, axis.width())
    spacing, ticks = next((s, t) for s, t in reversed(levels) if t)
    labels = axis.tickStrings(ticks, 1, spacing)
    assert len(ticks) >= 3 and all(labels) and len(set(labels)) == len(labels)
    if span <= 8 * 3600:  # clock times of local time
        assert labels[0].startswith(datetime.fromtimestamp(ticks[0]).strftime("%H:%M"))
    assert "local time" in axis.labelText


def test_uncertain_values_are_drawn_dashed_and_a_value_on_a_grid_line_shows(tmp_path, qtbot, make_view):
    """80 % lies on a grid line of the 0..100 axis: the curve is drawn over the grid, whole where the
    value is good, dashed (about half of it) where it is Uncertain."""
    db = tmp_path / "h.db"
    t0 = time.time() - 590
    series = [good(t0 + i, 80.0) for i in range(0, 200, 2)]
    series += [Sample(80.0, Quality.UNCERTAIN, t0 + i, "sensor not calibrated") for i in range(200, 400, 2)]
    series += [good(t0 + i, 80.0) for i in range(400, 580, 2)]
    write_history(db, {LEVEL: series})
    view = make_view(db, LEVEL)
    qtbot.waitUntil(lambda: at(curve_xy(view, LEVEL)[0], t0 + 400).any(), timeout=5000)  # good again
    plot, box = view.plot, view.plot.plotItem.vb
    image = plot.grab().toImage()
    colour = QColor(view.pens[0].color)

    def drawn(a: float, b: float) -> int:
        """Pixels in the pen's colour between times a and b."""
        xa, xb = (int(plot.mapFromScene(box.mapViewToScene(QPointF(t0 + t, 80.0))).x()) for t in (a, b))
        return sum(
            1
            for x in range(xa, xb)
            for y in range(image.height())
            if abs(QColor(image.pixel(x, y)).red() - colour.red()) < 24
            and abs(QColor(image.pixel(x, y)).blue() - colour.blue()) < 24
            and abs(QColor(image.pixel(x, y)).green() - colour.green()) < 24
        )

    whole, dashed = drawn(40, 160), drawn(240, 360)
    assert whole > 0.8 * (160 - 40) * box.width() / 600, "the good value on the grid line is drawn"
    assert 0.25 * whole < dashed < 0.75 * whole, (whole, dashed)
