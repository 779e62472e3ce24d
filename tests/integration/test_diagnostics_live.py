"""Condition monitoring live: the real simulator, accelerated, and the runtime on the demo project."""

from __future__ import annotations

import asyncio

import pytest

from hmi.alarms import AlarmKind, AlarmState
from hmi.runtime import Runtime
from hmi.sim.faults import FaultKind
from hmi.sim.server import SimulatorServer
from hmi.storage.sqlite import SqliteStorage
from tests.support import demo_project, free_port, wait_for

SPEED = 40.0
"""Plant seconds per second: the joint's 180 s time constant takes 4.5 s, a cooling loss a minute."""


@pytest.mark.slow
def test_an_injected_cooling_loss_raises_the_advisory_before_the_hi_alarm(tmp_path):
    port = free_port()
    folder = demo_project(tmp_path, port)
    thermal = folder.project.diagnostics["J3"].thermal
    assert thermal is not None
    thermal.learn_s, thermal.tau_s = 15.0, 180 / SPEED  # the models judge in sample (wall) time
    order: list[str] = []

    async def scenario() -> None:
        async with SimulatorServer(port=port, speed=SPEED) as sim:
            sim.plant.inject(FaultKind.COOLING_LOSS, "J3", onset_in=25 * SPEED, severity=1.0)
            runtime = Runtime(folder, start_simulator=False, storage=SqliteStorage(tmp_path / "h.sqlite"))

            def note(alarm) -> None:
                if alarm.active and alarm.id in ("J3.THERMAL", "RC1.J3.Temp.HI") and alarm.id not in order:
                    order.append(alarm.id)

            runtime.alarms.subscribe(note)
            await runtime.start()
            try:
                await wait_for(lambda: "RC1.J3.Temp.HI" in order, timeout=100, what="the HI alarm of J3")
                advisory = runtime.alarms.alarm("J3.THERMAL")
                journal = runtime.journal
            finally:
                await runtime.stop()
        assert order == ["J3.THERMAL", "RC1.J3.Temp.HI"]
        assert advisory.kind is AlarmKind.ADVISORY and advisory.state is AlarmState.UNACK_ACTIVE
        assert advisory.message.startswith("Advisory — J3: cooling loss suspected")
        assert advisory.priority.number == 4
        hi = runtime.alarms.alarm("RC1.J3.Temp.HI")
        assert hi.raised_at - advisory.raised_at > 5  # seconds here: minutes of plant time
        rows = journal.search(text="J3.THERMAL")
        assert rows and rows[-1].kind == "advisory" and "residual_K=" in rows[-1].comment

    asyncio.run(scenario())
