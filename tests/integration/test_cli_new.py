"""`hmi new PROJECT --from opc.tcp://...` against the real simulator: 200 tags in one command, a
project `hmi check` passes and the engine runs; bad input is refused and loses nothing."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from hmi.project import load_project
from hmi.runtime import Runtime
from hmi.sim.plant import TAGS
from hmi.sim.security import SimSecurity
from hmi.sim.server import SimulatorServer
from tests.support import free_port, wait_for

EXTRA = 200 - len(TAGS)
"""The demo plant has 40 variables; the simulator adds benchmark variables (folder Load) up to 200."""


async def hmi(*args: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "hmi", *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(), 90)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def test_a_200_tag_project_from_the_simulator_passes_the_check_and_runs(tmp_path: Path):
    port = free_port()
    root = tmp_path / "plant200"

    async def scenario() -> None:
        async with SimulatorServer(port=port, load_tags=EXTRA):
            code, out, err = await hmi("new", str(root), "--from", f"opc.tcp://127.0.0.1:{port}")
            assert code == 0, err
            assert "200 tags" in out and "checked OK" in out
            code, out, err = await hmi("check", str(root))
            assert code == 0, out + err
            assert "OK (200 tags, 4 screens)" in out
            folder = load_project(root)
            runtime = Runtime(folder, start_simulator=False)
            await runtime.start()
            try:
                await wait_for(lambda: runtime.table.get("TK101.Level").good, 20, "a live value")
                await wait_for(lambda: runtime.table.get("Load.T00159").good, 20, "the last load tag")
            finally:
                await runtime.stop()

    asyncio.run(scenario())
    folder = load_project(root)
    tags = folder.tags
    level = tags["TK101.Level"]
    assert (level.units, level.range, level.type) == ("%", (0, 100), "Double")
    assert level.alarms.hi is not None and level.alarms.hi.limit == 100
    assert tags["FIC101.SP"].write_limits == (0, 30) and tags["FIC101.SP"].alarms.hi is None
    assert tags["P101.Running"].type == "Boolean"
    assert sorted(folder.screens) == ["demoplant", "load-1", "load-2", "load-3"]
    assert sorted(folder.project.trends) == ["demoplant", "load"]
    shown = {next(iter(i.bind.values())) for s in folder.screens.values() for i in s.items if i.bind}
    assert shown == set(tags)  # every tag has a display
    overview = folder.screens["demoplant"]
    kinds = {next(iter(i.bind.values())): i.type for i in overview.items if i.bind}
    assert (kinds["TK101.Level"], kinds["RC1.State"], kinds["P101.Running"]) == ("bar", "value", "indicator")


def test_a_folder_taken_by_path_a_full_folder_refused_and_an_unknown_path_named(tmp_path: Path):
    port = free_port()
    root = tmp_path / "pumps"
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine")

    async def scenario() -> None:
        async with SimulatorServer(port=port):
            url = f"opc.tcp://127.0.0.1:{port}"
            code, out, err = await hmi("new", str(root), "--from", url, "--folder", "DemoPlant/P101")
            assert code == 0, err
            assert "6 tags" in out
            code, _, err = await hmi("new", str(taken), "--from", url)
            assert code == 2 and "not empty" in err
            code, _, err = await hmi("new", str(tmp_path / "x"), "--from", url, "--folder", "DemoPlant/P999")
            assert code == 2 and "no node 'P999'" in err

    asyncio.run(scenario())
    assert sorted(load_project(root).tags) == [
        f"P101.{n}" for n in ("Auto", "Cmd", "Fault", "Reset", "RunHours", "Running")
    ]
    assert (taken / "notes.txt").read_text() == "mine" and sorted(p.name for p in taken.iterdir()) == [
        "notes.txt"
    ]
    assert not (tmp_path / "x").exists()


def test_an_untrusted_server_certificate_is_refused_with_the_command_that_trusts_it(tmp_path: Path):
    port = free_port()
    mode = "SignAndEncrypt"

    async def scenario() -> None:
        async with SimulatorServer(port=port, security=SimSecurity(tmp_path / "sim-pki")):
            url = f"opc.tcp://127.0.0.1:{port}"
            args = (
                "new",
                str(tmp_path / "secure"),
                "--from",
                url,
                "--mode",
                mode,
                "--policy",
                "Basic256Sha256",
            )
            code, _, err = await hmi(*args)
            assert code == 2 and "not trusted" in err
            fingerprint = err.split("hmi certs trust ")[1].split(")")[0]
            code, _, err = await hmi("certs", "trust", fingerprint)
            assert code == 0, err
            code, out, err = await hmi(*args)
            assert code == 0, err

    asyncio.run(scenario())
    connection = load_project(tmp_path / "secure").project.connections["plant"]
    assert (connection.security.mode, connection.security.policy) == (mode, "Basic256Sha256")
