"""Replay benchmark: a day of the demo plant through the engine's own writers, then replay frames over it.

The demo plant is simulated at 1 s for the period (a pump trip that raises the tank level alarms, an
operator acknowledging), logged by the Historian and journaled by the AlarmEngine exactly as the
running engine would. Then the main window replays the overview screen:
- seek: one moment after another at random over the period; each frame is timed from asking to drawn
  (history reads on the worker, the items refreshed, the view repainted), and its replay part alone
  (asked to items refreshed);
- scrub: the slider dragged across the whole period at 60 moves a second, while a 20 ms probe timer
  measures how late the UI thread answers (what the operator's hand feels);
- baseline: the same screen's tags all changed in the live table and the frame drawn (a live frame).
Ends with one JSON line of every figure.

    python bench/replay.py             # 24 h of history
    python bench/replay.py --quick     # 2 h
    python bench/replay.py --keep DIR  # keep the project and its data in DIR (for screenshots)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from hmi.cli import DEMO_PROJECT  # noqa: E402
from hmi.project import ProjectFolder, load_project  # noqa: E402
from hmi.quality import Quality, Sample  # noqa: E402
from hmi.sim.history import simulate_history  # noqa: E402


def wait(app: QApplication, condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the replay frame did not come")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def measure(folder: ProjectFolder, hours: float, end: float, seeks: int) -> dict[str, float]:
    from hmi.runtime import Runtime
    from ui.main_window import MainWindow
    from ui.settings import Settings

    app = QApplication.instance() or QApplication([])
    runtime = Runtime(folder, start_simulator=False)
    window = MainWindow(runtime, Settings.open(Path(tempfile.mkdtemp()) / "settings.ini"))
    window.resize(1920, 1080)
    window.show()
    mode = window.replay
    start = end - hours * 3600
    mode.enter(start + 60)
    wait(app, lambda: mode.player is not None and mode.player.shown_t is not None)
    player, view = mode.player, mode.view
    assert player is not None and view is not None
    rng = random.Random(1)
    frames, reads, work = [], [], []
    for _ in range(seeks):
        t = start + rng.random() * hours * 3600
        asked = time.perf_counter()
        mode.seek(t)
        wait(app, lambda t=t: player.shown_t == t)
        view.viewport().repaint()
        frames.append((time.perf_counter() - asked) * 1000)
        reads.append(player.timings[-1][0])
        work.append(player.timings[-1][1])

    lateness: list[float] = []
    probe = QTimer(interval=20)
    due = [time.perf_counter() + 0.02]

    def tick() -> None:
        now = time.perf_counter()
        lateness.append(max(0.0, (now - due[0]) * 1000))
        due[0] = now + 0.02

    probe.timeout.connect(tick)
    probe.start()
    shown: list[float] = []
    player.shown.connect(shown.append)
    moves = 120
    for i in range(moves):  # two seconds of dragging across the whole period
        mode.bar.timeline.setValue(round(i / moves * hours * 3600))
        until = time.perf_counter() + 1 / 60
        while time.perf_counter() < until:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 2)
    probe.stop()
    scrub_shown = len(shown)

    mode.leave()
    live = window.view
    names = sorted({n for item in live.items_ for n in item.tag_names()})
    baseline = []
    for k in range(seeks):
        asked = time.perf_counter()
        for name in names:
            runtime.table.update(name, Sample(float(k % 7), Quality.GOOD, time.time()))
        window.bridge.flush()
        app.processEvents()  # as the replay's wait for its frame does: the items' own repaints
        live.viewport().repaint()
        baseline.append((time.perf_counter() - asked) * 1000)
    window.close()
    runtime.audit.close()
    runtime.journal.close()
    frame_p50 = statistics.median(frames)
    return {
        "frame_p50_ms": round(frame_p50, 2),
        "frame_p99_ms": round(percentile(frames, 99), 2),
        "history_reads_p50_ms": round(statistics.median(reads), 2),
        "replay_work_p50_ms": round(statistics.median(work), 2),
        "scrub_frames_shown": scrub_shown,
        "scrub_moves": moves,
        "scrub_ui_late_p99_ms": round(percentile(lateness, 99), 2) if lateness else 0.0,
        "live_frame_p50_ms": round(statistics.median(baseline), 2),
        "ratio": round(frame_p50 / statistics.median(baseline), 2),
        "tags_on_screen": len(names),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="2 h of history instead of 24 h")
    parser.add_argument("--keep", type=Path, help="make the project and its data here, and keep them")
    args = parser.parse_args()
    hours = 2.0 if args.quick else 24.0
    base = args.keep or Path(tempfile.mkdtemp(prefix="replay-bench-"))
    os.environ["OPENHMI_DATA_DIR"] = str(base / "data")
    root = base / "demo-plant"
    if not root.exists():
        shutil.copytree(DEMO_PROJECT, root)
    folder = load_project(root)
    folder.project.connections["plant"].simulator = False
    end = time.time()
    began = time.perf_counter()
    offered = simulate_history(folder, hours, end)
    made_s = time.perf_counter() - began
    print(f"history: {hours:g} h of the demo plant, {offered:,} samples offered, made in {made_s:.0f} s")
    figures = measure(folder, hours, end, 60 if args.quick else 200)
    print(f"replay frame (seek to drawn): p50 {figures['frame_p50_ms']} ms, p99 {figures['frame_p99_ms']} ms")
    print(
        f"  of which the replay's own work (asked to items refreshed): "
        f"p50 {figures['replay_work_p50_ms']} ms,"
        f" history reads on the worker p50 {figures['history_reads_p50_ms']} ms; the rest is painting"
    )
    print(
        f"  a live frame of the same {figures['tags_on_screen']} tags: p50 {figures['live_frame_p50_ms']} ms"
    )
    print(
        f"scrubbing {figures['scrub_moves']} moves in 2 s: {figures['scrub_frames_shown']} frames shown, "
        f"UI thread late by {figures['scrub_ui_late_p99_ms']} ms at p99"
    )
    print(json.dumps({"bench": "replay", "hours": hours, **figures}))
    if args.keep is None:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
