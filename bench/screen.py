"""Screen benchmark: 2,000 bound items whose tags change at 2 Hz, drawn offscreen.

Measures, per frame of the tag bridge, the work of applying updates (bindings re-evaluated) and of
repainting the view, and the UI's event latency (how late a 20 ms probe timer fires, p50/p99).
Frame work is timed twice: wall time, and the CPU time of the UI thread (steadier on a shared machine).
Ends with one JSON line of every figure.

    python bench/screen.py               # 20 s of load
    python bench/screen.py --quick       # 6 s
    python bench/screen.py --scattered   # tags change in random screen order, not row by row

Row by row, a frame's changed items lie in a band of rows; scattered, they are spread over the whole
screen and Qt looks at every item for each repaint (the harder case: a plant's tags change in no order).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtGui import QPaintEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from hmi.project.model import Item, Screen, Tag  # noqa: E402
from hmi.project.symbols import Bar  # noqa: E402
from hmi.quality import Quality, Sample  # noqa: E402
from hmi.tags import TagTable  # noqa: E402
from ui.bridge import TagBridge  # noqa: E402
from ui.screens.items import ItemContext  # noqa: E402
from ui.screens.view import ScreenView  # noqa: E402

ITEMS = 2000
RATE_HZ = 2.0
FEED_MS = 50
PROBE_MS = 20
COLUMNS = 32


def build_screen(names: list[str]) -> Screen:
    """A dense screen: numeric displays and bars in a grid of 120 x 44 cells, each bound to its own tag.

    Every item draws inside its cell, as on a real screen: overlapping items would repaint their
    neighbours. A bar's value and its bad-quality mark need room on both sides of it.
    """
    items = []
    for i, name in enumerate(names):
        x, y = (i % COLUMNS) * 120, (i // COLUMNS) * 44
        if i % 4 == 3:
            items.append(
                Bar(
                    type="bar",
                    at=(x + 18, y + 14),
                    size=(24, 14),
                    orientation="horizontal",
                    bind={"value": name},
                )
            )
        else:
            items.append(
                Item(
                    type="value",
                    at=(x + 4, y),
                    size=(100, 24),
                    label="PV",
                    bind={"value": name},
                    format=".1f",
                )
            )
    return Screen(title="Load", size=(COLUMNS * 120, (ITEMS // COLUMNS) * 44 + 44), items=items)


class TimedView(ScreenView):
    """Times each repaint Qt makes of the view: only the regions of items that changed."""

    paint_ms: list[float] = []
    paint_cpu_ms: list[float] = []

    def paintEvent(self, event: QPaintEvent) -> None:
        start, cpu = time.perf_counter(), time.thread_time()
        super().paintEvent(event)
        self.paint_ms.append((time.perf_counter() - start) * 1e3)
        self.paint_cpu_ms.append((time.thread_time() - cpu) * 1e3)


def run(seconds: float, scattered: bool = False) -> dict[str, float]:
    app = QApplication.instance() or QApplication([])
    names = [f"Load.T{i:05d}" for i in range(ITEMS)]
    order = random.Random(1).sample(names, ITEMS) if scattered else names
    tags = {n: Tag(name=n, connection="load", node=f"ns=2;s={n}", range=(0, 100), units="%") for n in names}
    table = TagTable(names)
    bridge = TagBridge(table)
    view = TimedView(bridge, ItemContext(table, tags, lambda item, action: None, bridge=bridge))
    view.resize(1600, 900)
    view.show()
    view.show_screen(build_screen(names))
    app.processEvents()
    gc.freeze()  # as the app does once started (ui/app.py)

    apply_ms: list[float] = []
    apply_cpu_ms: list[float] = []
    flush = bridge.flush

    def timed_flush() -> None:
        start, cpu = time.perf_counter(), time.thread_time()
        flush()
        apply_ms.append((time.perf_counter() - start) * 1e3)
        apply_cpu_ms.append((time.thread_time() - cpu) * 1e3)

    bridge._timer.timeout.disconnect()
    bridge._timer.timeout.connect(timed_flush)

    per_feed = int(ITEMS * RATE_HZ * FEED_MS / 1000)
    cursor = [0]

    def feed() -> None:
        now = time.time()
        for _ in range(per_feed):
            k = cursor[0] % ITEMS
            table.update(order[k], Sample(50 + 45 * ((now * 0.3 + k) % 2 - 1), Quality.GOOD, now))
            cursor[0] += 1

    lateness: list[float] = []
    last = [time.perf_counter()]

    def probe() -> None:
        now = time.perf_counter()
        lateness.append(max(0.0, now - last[0] - PROBE_MS / 1000) * 1e3)
        last[0] = now

    loop = QEventLoop()
    feeder = QTimer(interval=FEED_MS, timeout=feed)
    prober = QTimer(interval=PROBE_MS, timeout=probe)
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    feeder.start()
    prober.start()
    loop.exec()
    feeder.stop()
    prober.stop()
    changes = cursor[0]
    bridge.close()
    view.close_view()
    view.close()
    lateness.sort()
    paint_ms = view.paint_ms[1:]  # the first paint draws the whole screen once
    paint_cpu_ms = view.paint_cpu_ms[1:]
    frame = [a + p for a, p in zip(apply_ms, paint_ms, strict=False)]
    frame_cpu = [a + p for a, p in zip(apply_cpu_ms, paint_cpu_ms, strict=False)]
    return {
        "bench": "screen",
        "items": ITEMS,
        "rate_hz": RATE_HZ,
        "order": "scattered" if scattered else "rows",
        "seconds": seconds,
        "changes_per_s": round(changes / seconds),
        "frames": len(frame),
        "apply_median_ms": round(statistics.median(apply_ms), 2),
        "paint_median_ms": round(statistics.median(paint_ms), 2),
        "frame_median_ms": round(statistics.median(frame), 2),
        "frame_p99_ms": round(sorted(frame)[int(len(frame) * 0.99)], 2),
        "apply_cpu_median_ms": round(statistics.median(apply_cpu_ms), 2),
        "paint_cpu_median_ms": round(statistics.median(paint_cpu_ms), 2),
        "frame_cpu_median_ms": round(statistics.median(frame_cpu), 2),
        "latency_p50_ms": round(lateness[len(lateness) // 2], 1),
        "latency_p99_ms": round(lateness[int(len(lateness) * 0.99)], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 6 s run")
    parser.add_argument("--scattered", action="store_true", help="tags change in random screen order")
    args = parser.parse_args()
    figures = run(6.0 if args.quick else 20.0, args.scattered)
    rate = f"{figures['changes_per_s']:,} changes/s"
    print(f"{ITEMS:,} bound items, every tag changing at {RATE_HZ:g} Hz ({rate}, {figures['order']})")
    print(
        f"  per frame: apply {figures['apply_median_ms']} ms + repaint {figures['paint_median_ms']} ms "
        f"= {figures['frame_median_ms']} ms median, {figures['frame_p99_ms']} ms p99 (target < 16 ms median)"
    )
    print(
        f"  per frame, CPU time of the UI thread: apply {figures['apply_cpu_median_ms']} ms"
        f" + repaint {figures['paint_cpu_median_ms']} ms = {figures['frame_cpu_median_ms']} ms median"
    )
    print(
        f"  UI event latency: p50 {figures['latency_p50_ms']} ms, p99 {figures['latency_p99_ms']} ms "
        "(target p99 < 50 ms)"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
