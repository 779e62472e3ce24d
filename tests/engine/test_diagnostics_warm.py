"""A warm start: after a restart the health models go on from what the historian recorded, so a fault
that starts soon after is found as early as if the engine had never stopped."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

from hmi.diagnostics.check import Level
from hmi.diagnostics.monitor import DiagnosticsMonitor
from hmi.diagnostics.settings import Asset
from hmi.diagnostics.warm import learn_from_history, warm_window
from hmi.history import Historian
from hmi.quality import Quality, Sample
from hmi.runtime import Runtime, historian_tag
from hmi.sim.faults import FaultKind
from hmi.sim.plant import Plant
from hmi.storage.sqlite import SqliteStorage
from hmi.tags import TagTable
from tests.engine.test_diagnostics import FOLDER, THERMAL
from tests.support import demo_project, free_port, wait_for

ASSETS = {"J3": Asset.model_validate(THERMAL["J3"])}  # learns for 900 s
RESTART_AT = 1200.0
ONSET = 1300.0
BASE = time.time() - 4 * 3600
"""Plant time 0 as a wall time: the history is recent, as a restart finds it."""


def plant() -> Plant:
    """The same plant each time: the same seed, the same cooling loss of J3 soon after the restart."""
    p = Plant(seed=11)
    p.inject(FaultKind.COOLING_LOSS, "J3", onset_in=ONSET, severity=0.7)
    return p


def live(p: Plant, table: TagTable, monitor: DiagnosticsMonitor | None, until: float) -> None:
    """Step the plant, its values to the tag table as a connection hands them, the monitor's clock."""
    while p.time < until:
        p.step(1.0)
        for name, value in p.values().items():
            if name in table:
                table.update(name, Sample(value, Quality.GOOD, BASE + p.time))
        if monitor is not None:
            monitor.tick(BASE + p.time)


def first_warning(monitor: DiagnosticsMonitor) -> float | None:
    return next((f.ts - BASE for f in monitor.findings if f.active), None)


def run_through(p: Plant, monitor: DiagnosticsMonitor, table: TagTable, until: float = 3600) -> float | None:
    detach = monitor.attach(table)
    live(p, table, monitor, until)
    detach()
    return first_warning(monitor)


def test_a_restart_with_history_finds_the_fault_as_early_as_no_restart(tmp_path: Path):
    uninterrupted = run_through(plant(), DiagnosticsMonitor(ASSETS, FOLDER.tags), TagTable(FOLDER.tags))
    assert uninterrupted is not None and uninterrupted > ONSET

    # Before the restart: the engine runs, the historian records, the models learn; then it stops.
    p, db = plant(), tmp_path / "history.sqlite"
    table = TagTable(FOLDER.tags)
    historian = Historian(db, [historian_tag(t) for t in FOLDER.project.tags], FOLDER.project.history)
    historian.start()
    table.subscribe(historian.record)
    before = DiagnosticsMonitor(ASSETS, FOLDER.tags)
    assert run_through(p, before, table, RESTART_AT) is None
    assert before.checks["J3"][0].level is Level.HEALTHY
    historian.close()

    # The restart: a new engine, whose models learn from that history first.
    assert warm_window(ASSETS) >= RESTART_AT
    warm, last = learn_from_history(ASSETS, FOLDER.tags, SqliteStorage(db), BASE + p.time)
    assert warm.checks["J3"][0].level is Level.HEALTHY
    after = DiagnosticsMonitor(ASSETS, FOLDER.tags)
    table = TagTable(FOLDER.tags)
    after.hold()
    detach = after.attach(table)
    live(p, table, None, RESTART_AT + 5)  # live data comes while the history is read
    after.release(warm, last, BASE + p.time)
    assert after.checks["J3"][0].level is Level.HEALTHY
    detach()
    restarted = run_through(p, after, table)
    assert restarted is not None and abs(restarted - uninterrupted) <= 10

    # Without the history, the models learn again, on the fault: it is found late or never.
    cold_plant = plant()
    live(cold_plant, TagTable(FOLDER.tags), None, RESTART_AT)
    cold = run_through(cold_plant, DiagnosticsMonitor(ASSETS, FOLDER.tags), TagTable(FOLDER.tags))
    assert cold is None or cold > uninterrupted + 300


def test_the_runtime_starts_its_models_from_the_history_file(tmp_path: Path):
    folder = demo_project(tmp_path, free_port())
    db = tmp_path / "history.sqlite"
    p = plant()
    table = TagTable(folder.tags)
    start = time.time() - RESTART_AT - 60
    with Historian(db, [historian_tag(t) for t in folder.project.tags], folder.project.history) as historian:
        table.subscribe(historian.record)
        while p.time < RESTART_AT:
            p.step(1.0)
            for name, value in p.values().items():
                if name in table:
                    table.update(name, Sample(value, Quality.GOOD, start + p.time))
    for asset in folder.project.diagnostics.values():
        if asset.thermal is not None:
            asset.thermal.learn_s = 900
    runtime = Runtime(folder, start_simulator=False, storage=SqliteStorage(db))

    async def scenario() -> None:
        await runtime.start()
        try:
            thermal = runtime.diagnostics.checks["J3"]
            await wait_for(lambda: thermal is not runtime.diagnostics.checks["J3"], what="the warm start")
            assert runtime.diagnostics.checks["J3"][0].level is Level.HEALTHY  # before any live sample
            assert runtime.diagnostics.checks["J3"][0].parameters["tau_s"] > 0
        finally:
            await runtime.stop()

    asyncio.run(scenario())


def test_the_warm_start_loads_the_fitting_libraries_so_no_live_fit_stalls_the_ui(
    tmp_path: Path,
):
    """scipy takes ~0.5 s to import: done by the first fit after a learning window, it stood the UI still
    for 0.8 s half an hour into bench/soak.py. A fresh interpreter shows who imports it."""
    code = (
        "import sys, time\n"
        "from hmi.diagnostics.settings import Asset\n"
        "from hmi.diagnostics.warm import learn_from_history\n"
        "from hmi.history.errors import HistoryError\n"
        "from hmi.storage.sqlite import SqliteStorage\n"
        "from tests.engine.test_diagnostics import THERMAL\n"
        "assert 'scipy.optimize' not in sys.modules\n"
        f"storage = SqliteStorage({str(tmp_path / 'h.sqlite')!r}, {str(tmp_path / 'a.sqlite')!r})\n"
        "try:\n"
        "    learn_from_history({'J3': Asset.model_validate(THERMAL['J3'])}, {}, storage, time.time())\n"
        "except HistoryError:\n"
        "    pass  # no history yet: the models learn live, with the libraries at hand\n"
        "print('scipy.optimize' in sys.modules, 'scipy.signal' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, timeout=60)
    assert done.stdout.split() == ["True", "True"], done.stdout + done.stderr
