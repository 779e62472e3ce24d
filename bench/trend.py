"""Trend benchmark: redraws of 10 pens x 1,000,000 points, a week of history drawn, UI latency when live.

    python bench/trend.py           # full run
    python bench/trend.py --quick   # under a minute

Offscreen. Redraws are forced synchronously (QWidget.grab) and timed from the pan or zoom to the
painted chart, against the same view drawing every point (no decimation: the baseline, same run).
History is timed from the request (a custom range) to the chart painted with it. Live latency is how
late a 10 ms timer fires while 20 pens take 10 samples a second each, against the same run without
a trend. The last line is JSON with every figure.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PySide6.QtCore import QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from hmi.history import Historian, HistorianTag  # noqa: E402
from hmi.project.model import Tag  # noqa: E402
from hmi.quality import Quality, Sample  # noqa: E402
from hmi.tags import TagTable  # noqa: E402
from ui.trends import TrendView  # noqa: E402

WEEK_S = 7 * 86_400
SIZE = (1400, 700)


def tags(n: int) -> dict[str, Tag]:
    names = [f"P{i:02d}.Value" for i in range(n)]
    return {name: Tag(name=name, connection="plant", node=f"ns=2;s={name}", units="bar") for name in names}


def open_view(table: TagTable, known: dict[str, Tag], db: Path, span_s: float) -> TrendView:
    view = TrendView(table, known, db, span_s=span_s)
    view.resize(*SIZE)
    view.show()
    for name in known:
        view.add_pen(name)
    QApplication.processEvents()
    return view


def close(view: TrendView) -> None:
    view.stop()
    view.close()
    view.deleteLater()
    QApplication.processEvents()


def timed_ms(action: Callable[[], None], view: TrendView) -> float:
    start = time.perf_counter()
    action()
    view.plot.grab()
    return (time.perf_counter() - start) * 1000


def redraw_figures(folder: Path, points: int, runs: int, baseline_runs: int) -> dict[str, object]:
    """Median redraw after a pan and after a zoom, with the view's settings and with them off."""
    known = tags(10)
    view = open_view(TagTable(known), known, folder / "none.sqlite", 3600)
    view.stop()  # no live data and no history: the curves hold the benchmark's points
    t0 = time.time() - points
    x = t0 + np.arange(points, dtype=float)
    rng = np.random.default_rng(1)
    view.set_range(t0 + 0.45 * points, t0 + 0.55 * points)  # a tenth: 100,000 points a pen in view
    ys = [50 + 10 * i + np.cumsum(rng.normal(0, 0.1, points)) for i in range(len(known))]
    for name, y in zip(known, ys, strict=True):
        view.plot.show_data(view.curve(name), x, y)
    view.plot.grab()

    def measure(n: int) -> dict[str, float]:
        pans = [timed_ms(lambda k=k: view.pan(0.1 if k % 2 else -0.1), view) for k in range(n)]
        zooms = [timed_ms(lambda k=k: view.zoom(0.5 if k % 2 else 2.0), view) for k in range(n)]
        everything = timed_ms(lambda: view.set_range(t0, t0 + points), view)
        view.set_range(t0 + 0.45 * points, t0 + 0.55 * points)
        return {"pan": statistics.median(pans), "zoom": statistics.median(zooms), "all": everything}

    fast = measure(runs)
    view.plot.dense_px = math.inf  # every curve takes all its points
    for name, y in zip(known, ys, strict=True):
        view.plot.show_data(view.curve(name), x, y)
    slow = measure(baseline_runs)
    close(view)
    return {
        "redraw_points": points,
        "redraw_pan_ms": round(fast["pan"], 1),
        "redraw_zoom_ms": round(fast["zoom"], 1),
        "redraw_all_ms": round(fast["all"], 1),
        "baseline_pan_ms": round(slow["pan"], 1),
        "baseline_zoom_ms": round(slow["zoom"], 1),
        "baseline_all_ms": round(slow["all"], 1),
        "pan_ratio": round(slow["pan"] / fast["pan"], 1),
        "zoom_ratio": round(slow["zoom"] / fast["zoom"], 1),
    }


def write_week(path: Path, end: float) -> float:
    """One tag at 1 s for a week, through the historian; returns the first time."""
    rng = random.Random(2)
    t0, value = end - WEEK_S, 50.0
    with Historian(path, [HistorianTag("P00.Value")]) as historian:
        for k in range(WEEK_S):
            value += rng.gauss(0, 0.2)
            historian.record("P00.Value", Sample(value, Quality.GOOD, t0 + k))
            if k % 10_000 == 0:
                historian.flush()  # a bulk load: stay within what a tag may queue between flushes
    return t0


def wait_signal(signal: object, timeout_ms: int = 10_000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(loop.quit)  # type: ignore[attr-defined]


def history_figures(folder: Path, runs: int) -> dict[str, object]:
    """Median time from asking for a week of one tag to the chart painted with it."""
    db = folder / "week.sqlite"
    end = time.time()
    build = time.perf_counter()
    t0 = write_week(db, end)
    build_s = time.perf_counter() - build
    known = tags(1)
    view = open_view(TagTable(known), known, db, 3600)
    wait_signal(view.historyLoaded)
    times, points = [], 0
    for k in range(runs):
        view.set_range(t0 + WEEK_S / 2, t0 + WEEK_S / 2 + 86_400 + k)  # a day between: the week is asked anew
        wait_signal(view.historyLoaded)
        start = time.perf_counter()
        view.set_range(t0 - k, end)
        wait_signal(view.historyLoaded)
        view.plot.grab()
        times.append((time.perf_counter() - start) * 1000)
        points = len(view.plot.points(view.curve("P00.Value"))[0])
    close(view)
    return {
        "week_samples": WEEK_S,
        "week_build_s": round(build_s, 1),
        "week_drawn_ms": round(statistics.median(times), 1),
        "week_points_drawn": points,
    }


def lateness(seconds: float, table: TagTable, names: list[str]) -> list[float]:
    """How late (ms) a 10 ms timer fires while every tag changes 10 times a second."""
    rng = random.Random(3)
    late: list[float] = []
    last = [time.perf_counter()]

    def probe() -> None:
        now = time.perf_counter()
        late.append(max(0.0, (now - last[0]) * 1000 - 10))
        last[0] = now

    def feed() -> None:
        ts = time.time()
        for name in names:
            table.update(name, Sample(50 + rng.random(), Quality.GOOD, ts))

    timers = []
    for interval, slot in ((10, probe), (100, feed)):
        timer = QTimer(interval=interval, timerType=Qt.TimerType.PreciseTimer)
        timer.timeout.connect(slot)
        timer.start()
        timers.append(timer)
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    last[0] = time.perf_counter()
    loop.exec()
    for timer in timers:
        timer.stop()
    return late


def live_figures(folder: Path, seconds: float) -> dict[str, object]:
    """Event latency with 20 live pens on a 60 s span (the fastest redraw), against no trend at all."""
    known = tags(20)
    names = list(known)
    base = lateness(seconds, TagTable(known), names)
    table = TagTable(known)
    now = time.time()
    for k in range(600):  # the last minute, so the view starts full
        for name in names:
            table.update(name, Sample(50.0 + k % 7, Quality.GOOD, now - 60 + k / 10))
    view = open_view(table, known, folder / "none.sqlite", 60)
    with_trend = lateness(seconds, table, names)
    interval = view._frame.interval()
    close(view)

    def p(values: list[float], q: float) -> float:
        return round(float(np.percentile(values, q)), 1)

    return {
        "live_pens": len(names),
        "live_s": seconds,
        "live_redraw_every_ms": interval,
        "live_p50_ms": p(with_trend, 50),
        "live_p99_ms": p(with_trend, 99),
        "live_max_ms": round(max(with_trend), 1),
        "idle_p99_ms": p(base, 99),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller run, under a minute")
    quick = parser.parse_args().quick
    runs, baseline_runs, history_runs, live_s = (5, 2, 3, 5.0) if quick else (15, 3, 7, 20.0)
    app = QApplication.instance() or QApplication([])
    f: dict[str, object] = {"bench": "trend", "quick": quick}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        f |= redraw_figures(folder, 1_000_000, runs, baseline_runs)
        print(f"redraw, 10 pens x {f['redraw_points']:,} points, a tenth in view, median of {runs}:")
        for step in ("pan", "zoom"):
            print(
                f"  after a {step:<4} {f[f'redraw_{step}_ms']:7.1f} ms (target < 33)   every point drawn"
                f" {f[f'baseline_{step}_ms']:8.1f} ms ({f[f'{step}_ratio']}x)"
            )
        print(
            f"  all 1,000,000 points in view {f['redraw_all_ms']:.1f} ms"
            f" (baseline {f['baseline_all_ms']:.1f} ms)"
        )
        f |= history_figures(folder, history_runs)
        print(f"history, one tag, a week at 1 s ({WEEK_S:,} samples, written in {f['week_build_s']} s):")
        print(
            f"  request to drawn {f['week_drawn_ms']:.1f} ms, median of {history_runs} (target < 200),"
            f" {f['week_points_drawn']:,} points drawn"
        )
        f |= live_figures(folder, live_s)
        print(
            f"live, {f['live_pens']} pens at 10 Hz for {live_s:.0f} s,"
            f" redrawn every {f['live_redraw_every_ms']} ms:"
        )
        print(
            f"  10 ms timer late by p50 {f['live_p50_ms']} ms, p99 {f['live_p99_ms']} ms (target < 50),"
            f" max {f['live_max_ms']} ms; without a trend p99 {f['idle_p99_ms']} ms"
        )
    print(json.dumps(f))
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
