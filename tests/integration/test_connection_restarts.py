"""A server restarted again and again leaves nothing of the sessions before behind: each old session's
publish loop held its subscription with every monitored item (found by bench/soak.py: 10 MiB a restart
with 10,000 tags, and a traceback a second in the log for each)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from hmi.runtime import Runtime
from hmi.sim.server import SimulatorServer
from tests.support import demo_project, free_port, wait_for

RESTARTS = 3


def publish_loops() -> int:
    return sum(t.get_coro().__qualname__ == "UaSession._publish_loop" for t in asyncio.all_tasks())


def test_restarts_leave_one_publishing_session(tmp_path: Path):
    async def scenario() -> None:
        port = free_port()
        runtime = Runtime(demo_project(tmp_path, port), start_simulator=False)
        sim = SimulatorServer(port=port)
        await sim.start()
        await runtime.start()
        try:
            for restart in range(RESTARTS + 1):
                beats = {runtime.table.get("Sim.Heartbeat").value}
                await wait_for(
                    lambda beats=beats: (
                        beats.add(runtime.table.get("Sim.Heartbeat").value) or len(beats) >= 3
                    ),
                    timeout=30,
                    what=f"values flowing after restart {restart}",
                )
                if restart < RESTARTS:
                    await sim.stop()
                    sim = SimulatorServer(port=port)
                    await sim.start()
            await wait_for(lambda: publish_loops() == 1, timeout=5, what="one session publishing")
        finally:
            await runtime.stop()
            await sim.stop()

    asyncio.run(scenario())
