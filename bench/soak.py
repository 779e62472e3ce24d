"""Long run: the demo plant (its built-in simulator) in the main window, offscreen, plus 10,000 load tags
from a simulator process of their own that is paused (SIGSTOP/SIGCONT) and killed and restarted in turn.

    python bench/soak.py                  # 60 minutes
    python bench/soak.py --minutes 2      # what CI runs
    python bench/soak.py --quick          # 45 s

Every period (a minute; shorter runs: a third of the run) it prints the app's resident memory, its
threads and asyncio tasks, the Qt thread's latency (how late a 50 ms QTimer fires) and the load
changes received per second; at the end a verdict on growth from the slope of memory over the run
after the warm-up, and one line of JSON with every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402
import qasync  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402

from hmi import logs  # noqa: E402
from hmi.cli import DEMO_PROJECT  # noqa: E402
from hmi.project import ProjectFolder, load_project  # noqa: E402
from hmi.project.model import Connection as ConnectionConfig  # noqa: E402
from hmi.project.model import Tag  # noqa: E402
from hmi.sim.server import load_tag_names  # noqa: E402
from tests.support import free_port  # noqa: E402

T = TypeVar("T")
TICK_MS = 50
SAMPLE_S = 2.0
PAUSE_S = 10.0
GROWTH_MIB_PER_MIN = 1.0
"""Memory growing faster than this after the warm-up, and by more than GROWTH_SHARE of it over the
run, is a trend; slower is noise (pages the allocator keeps, history caches filling)."""
GROWTH_SHARE = 0.03
RECOVERY_S = 120.0
"""How long values may take to come back after the load server restarts (10,000 tags take a while)."""


class LoadServer:
    """`hmi sim` in load mode in a process of its own, to pause and kill."""

    def __init__(self, port: int, tags: int, rate: float):
        self.port, self.tags, self.rate = port, tags, rate
        self.proc: subprocess.Popen[str] | None = None

    @property
    def endpoint(self) -> str:
        return f"opc.tcp://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "hmi", "sim", "--port", str(self.port), "--tags", str(self.tags)]
            + ["--rate", str(self.rate)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        line = await asyncio.to_thread(self.proc.stdout.readline)
        if "simulator on" not in line:
            self.stop()
            raise RuntimeError(f"the load simulator did not start: {line!r}")

    def signal(self, signum: signal.Signals) -> None:
        assert self.proc is not None
        self.proc.send_signal(signum)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.kill()
            self.proc.wait(10)
            if self.proc.stdout is not None:
                self.proc.stdout.close()
            self.proc = None


@dataclass
class Period:
    """The figures of one report period."""

    end_s: float
    rss_mib: float
    threads: int
    tasks: int
    late_p50_ms: float
    late_p99_ms: float
    late_max_ms: float
    changes_per_s: float
    history_queued: int
    events: list[str] = field(default_factory=list)


class Probe:
    """The Qt thread's lateness: a QTimer every TICK_MS, and how much later than that each tick came."""

    def __init__(self) -> None:
        self.late_ms: list[float] = []
        self._last = time.monotonic()
        self._timer = QTimer()
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = time.monotonic()
        self.late_ms.append(max(0.0, (now - self._last) * 1000 - TICK_MS))
        self._last = now

    def take(self) -> list[float]:
        taken, self.late_ms = sorted(self.late_ms), []
        return taken or [0.0]


def quantile(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))]


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (x, y) points; 0 for fewer than two."""
    if len(points) < 2:
        return 0.0
    n = len(points)
    mx, my = sum(x for x, _ in points) / n, sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else 0.0


@dataclass
class Faults:
    """What the injector did: events not reported yet, and when the load server last listened again."""

    events: list[str] = field(default_factory=list)
    restarted_at: float | None = None
    back_after_s: float | None = None
    """Seconds from the last restart to the first load value after it."""


async def inject(load: LoadServer, run_s: float, started: float, faults: Faults) -> None:
    """Pause the load server, then kill and restart it, in turn, spread over the run; the last part of
    the run (half of a short one) stays quiet, to see the values flow again and memory settle."""
    every = min(90.0, max(3.0, run_s / 5))
    quiet = run_s / 2 if run_s < 300 else min(run_s / 2, 60.0)
    pause = min(PAUSE_S, every / 2)
    kind = 0
    while time.monotonic() - started + every < run_s - quiet:
        await asyncio.sleep(every - (pause if kind == 0 else 1.0))
        at = time.monotonic() - started
        if kind == 0:
            load.signal(signal.SIGSTOP)
            await asyncio.sleep(pause)
            load.signal(signal.SIGCONT)
            faults.events.append(f"paused {pause:.0f} s at {at:.0f} s")
        else:
            load.stop()
            await asyncio.sleep(1.0)
            await load.start()
            faults.restarted_at, faults.back_after_s = time.monotonic(), None
            faults.events.append(
                f"killed at {at:.0f} s, listening again at {faults.restarted_at - started:.0f} s"
            )
        kind = 1 - kind


async def watched(step: Awaitable[T], what: str, limit_s: float = 60.0) -> T:
    """Await `step`; past `limit_s` print where every task is, once: a hang names itself."""

    async def dump() -> None:
        await asyncio.sleep(limit_s)
        print(f"{what} takes over {limit_s:.0f} s; where the tasks are:", flush=True)
        for task in asyncio.all_tasks():
            task.print_stack(limit=6, file=sys.stdout)

    watchdog = asyncio.create_task(dump(), name="soak watchdog")
    try:
        return await step
    finally:
        watchdog.cancel()


def build_project(tmp: Path, load: LoadServer) -> ProjectFolder:
    """A copy of the demo on free ports with its built-in simulator, plus the load connection and tags."""
    root = tmp / "demo"
    shutil.copytree(DEMO_PROJECT, root)
    folder = load_project(root)
    plant = folder.project.connections["plant"]
    plant.endpoint = f"opc.tcp://127.0.0.1:{free_port()}"  # type: ignore[union-attr]
    meter = folder.project.connections["meter"]
    meter.port = free_port()  # type: ignore[union-attr]
    folder.project.connections["load"] = ConnectionConfig(endpoint=load.endpoint)
    folder.project.tags.extend(
        Tag(name=n, connection="load", node=f"ns=2;s={n}") for n in load_tag_names(load.tags)
    )
    return folder


async def soak(
    minutes: float, tags: int, rate: float, tmp: Path
) -> tuple[list[Period], list[tuple[float, float]], list[str], Faults]:
    from hmi.runtime import Runtime
    from ui.main_window import MainWindow
    from ui.settings import Settings

    load = LoadServer(free_port(), tags, rate)
    await load.start()
    settings = Settings.open(tmp / "settings.ini")
    runtime = Runtime(build_project(tmp, load))
    window = MainWindow(runtime, settings)
    changes = 0

    faults = Faults()

    def count(name: str, sample: object) -> None:
        nonlocal changes
        if name.startswith("Load."):
            changes += 1
            if faults.restarted_at is not None and faults.back_after_s is None:
                faults.back_after_s = time.monotonic() - faults.restarted_at

    detach = runtime.table.subscribe(count)
    await runtime.start()
    window.resize(1920, 1080)
    window.show()
    gc.freeze()  # as the app does once it is up
    process = psutil.Process()
    run_s = minutes * 60
    period_s = min(60.0, run_s / 3)
    started = time.monotonic()
    probe = Probe()
    injector = asyncio.create_task(inject(load, run_s, started, faults), name="soak faults")
    periods: list[Period] = []
    memory: list[tuple[float, float]] = []
    try:
        next_report, counted = started + period_s, 0
        while (now := time.monotonic()) < started + run_s:
            await asyncio.sleep(min(SAMPLE_S, max(0.0, next_report - now)))
            now = time.monotonic()
            rss = process.memory_info().rss / 2**20
            memory.append(((now - started) / 60, rss))
            if now >= next_report - 0.01:
                late = probe.take()
                periods.append(
                    Period(
                        now - started,
                        rss,
                        process.num_threads(),
                        len(asyncio.all_tasks()),
                        quantile(late, 0.5),
                        quantile(late, 0.99),
                        late[-1],
                        (changes - counted) / period_s,
                        runtime.historian.queued,
                        faults.events[:],
                    )
                )
                faults.events.clear()
                counted = changes
                next_report += period_s
                print(row(periods[-1]), flush=True)
        # A restart still under way ends, and the values must come back after it (a short run ends soon).
        await watched(asyncio.wait_for(injector, RECOVERY_S), "the last restart", RECOVERY_S / 2)
        deadline = time.monotonic() + RECOVERY_S
        while faults.restarted_at is not None and faults.back_after_s is None and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        if faults.events:
            print(f"after the last period: {'; '.join(faults.events)}", flush=True)
    finally:
        injector.cancel()
        detach()
        window.close()
        stopping = time.monotonic()
        await watched(runtime.stop(), "stopping the runtime")
        print(f"the runtime stopped in {time.monotonic() - stopping:.1f} s", flush=True)
        load.stop()
    deadline = time.monotonic() + 5.0  # a closed session's publish loop ends after its 1 s retry wait
    while len(asyncio.all_tasks()) > 1 and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    left = [t.get_coro().__qualname__ for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    return periods, memory, left, faults


HEADER = "  time    RSS MiB  threads  tasks  UI late p50/p99/max ms  load changes/s  history queued  events"


def row(p: Period) -> str:
    late = f"{p.late_p50_ms:.0f}/{p.late_p99_ms:.0f}/{p.late_max_ms:.0f}"
    return (
        f"{p.end_s / 60:5.1f} min {p.rss_mib:8.1f} {p.threads:8d} {p.tasks:6d}  {late:>22}  "
        f"{p.changes_per_s:14.0f}  {p.history_queued:14d}  {'; '.join(p.events)}"
    )


def verdict(
    periods: list[Period], memory: list[tuple[float, float]], left: list[str], faults: Faults, minutes: float
) -> dict[str, object]:
    warm = min(2.0, minutes / 2.5)  # subscriptions and SQLite's page cache (32 MB) fill in about 2 min
    steady = [(t, rss) for t, rss in memory if t >= warm]
    rss_slope = slope(steady)
    mean = sum(rss for _, rss in steady) / max(1, len(steady))
    grows = rss_slope > GROWTH_MIB_PER_MIN and rss_slope * (minutes - warm) > GROWTH_SHARE * mean
    half = periods[: max(1, len(periods) // 2)]
    more_threads = periods[-1].threads - max(p.threads for p in half)
    more_tasks = periods[-1].tasks - max(p.tasks for p in half)
    problems = []
    if grows:
        problems.append(f"memory grows {rss_slope:.1f} MiB/min")
    if more_threads > 2:
        problems.append(f"{more_threads} more threads than in the first half")
    if more_tasks > 5:  # a reconnect under way has a few tasks of its own
        problems.append(f"{more_tasks} more asyncio tasks than in the first half")
    if left:
        problems.append(f"{len(left)} asyncio task(s) still running after the runtime stopped")
    if faults.restarted_at is not None and faults.back_after_s is None:
        problems.append(f"no load values within {RECOVERY_S:.0f} s of the last restart")
    return {
        "bench": "soak",
        "minutes": minutes,
        "rss_mib_first": round(periods[0].rss_mib, 1),
        "rss_mib_last": round(periods[-1].rss_mib, 1),
        "rss_slope_mib_per_min": round(rss_slope, 2),
        "threads_max": max(p.threads for p in periods),
        "tasks_max": max(p.tasks for p in periods),
        "ui_late_p99_ms": round(max(p.late_p99_ms for p in periods), 1),
        "ui_late_max_ms": round(max(p.late_max_ms for p in periods), 1),
        "load_changes_per_s": round(sum(p.changes_per_s for p in periods) / len(periods)),
        "load_back_after_restart_s": None if faults.back_after_s is None else round(faults.back_after_s, 1),
        "history_queued_last": periods[-1].history_queued,
        "tasks_left_after_stop": len(left),
        "verdict": "; ".join(problems) or "no growth",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=60.0, help="how long to run (default 60)")
    parser.add_argument("--quick", action="store_true", help="run 45 s")
    parser.add_argument("--tags", type=int, default=10_000, help="load tags (default 10,000)")
    parser.add_argument("--rate", type=float, default=1.0, help="changes a second of each load tag (1)")
    args = parser.parse_args()
    minutes = 0.75 if args.quick else args.minutes
    if minutes <= 0 or args.tags < 0 or args.rate <= 0:
        parser.error("--minutes and --rate must be > 0, --tags >= 0")
    with tempfile.TemporaryDirectory(prefix="openhmi-soak-") as tmp:
        os.environ["OPENHMI_DATA_DIR"] = str(Path(tmp) / "data")  # history, journal, audit: thrown away
        from ui.app import application
        from ui.settings import Settings

        logs.configure()  # as the app logs, without asyncua's reconnect noise; warnings and errors only
        logging.getLogger().setLevel(logging.WARNING)
        app = application(Settings.open(Path(tmp) / "settings.ini"))
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        print(f"soak: the demo plant plus {args.tags} load tags at {args.rate:g} Hz for {minutes:g} min")
        print(HEADER, flush=True)
        with loop:
            periods, memory, left, faults = loop.run_until_complete(
                soak(minutes, args.tags, args.rate, Path(tmp))
            )
    figures = verdict(periods, memory, left, faults, minutes)
    if left:  # not growth: what stopping leaves behind, once
        print(f"asyncio tasks still running 5 s after the runtime stopped: {', '.join(left)}")
    print(
        f"verdict: {figures['verdict']} (memory {figures['rss_slope_mib_per_min']} MiB/min after the warm-up)"
    )
    print(json.dumps(figures))
    return 0 if figures["verdict"] == "no growth" else 1


if __name__ == "__main__":
    sys.exit(main())
