"""Browsing the real simulator: the tree, search by name, a variable's type, value and engineering data."""

from __future__ import annotations

import asyncio

import pytest

from hmi.errors import CommError
from hmi.opcua.browse import Browser
from hmi.project.refactor import tag_from_node
from hmi.sim.server import SimulatorServer
from tests.support import free_port

DEMO = "nsu=urn:openhmi:demo-plant;s="
"""How the browser writes the demo plant's node ids: by namespace URI."""


def test_search_finds_the_tank_level_with_type_value_and_range():
    async def scenario() -> None:
        async with SimulatorServer(port=free_port()) as sim, Browser(sim.endpoint) as browser:
            (level,) = await browser.search("TK101.Level")
            assert level.node == "nsu=urn:openhmi:demo-plant;s=TK101.Level"  # by namespace URI
            assert level.path == ("DemoPlant", "TK101", "Level")
            assert level.data_type == "Double" and not level.writable
            assert level.value == pytest.approx(sim.plant.values()["TK101.Level"], abs=5)
            details = await browser.details(level)
            assert (details.units, details.range) == ("%", (0.0, 100.0))
            tag = tag_from_node(details, "plant", existing_names=set())
            assert (tag.name, tag.node, tag.type, tag.range) == (
                "TK101.Level",
                level.node,
                "Double",
                (0, 100),
            )

    asyncio.run(scenario())


def test_children_walk_from_objects_to_a_writable_variable():
    async def scenario() -> None:
        async with SimulatorServer(port=free_port()) as sim, Browser(sim.endpoint) as browser:
            top = await browser.children(await browser.root())
            plant = next(n for n in top if n.browse_name == "DemoPlant")
            assert plant.has_children and not plant.is_variable
            units = {n.browse_name: n for n in await browser.children(plant)}
            assert {"TK101", "FIC101", "P101", "RC1"} <= units.keys()
            fic = {n.browse_name: n for n in await browser.children(units["FIC101"])}
            assert fic["SP"].writable and fic["SP"].data_type == "Double"
            assert fic["Auto"].data_type == "Boolean" and isinstance(fic["Auto"].value, bool)
            assert fic["PV"].path == ("DemoPlant", "FIC101", "PV")

    asyncio.run(scenario())


def test_search_respects_its_limit_and_ignores_case():
    async def scenario() -> None:
        async with SimulatorServer(port=free_port()) as sim, Browser(sim.endpoint) as browser:
            temps = await browser.search("temp")
            assert {f"{DEMO}RC1.J1.Temp", f"{DEMO}E101.InletTemp"} <= {n.node for n in temps}
            assert len(await browser.search("temp", limit=3)) == 3
            assert await browser.search("no such node anywhere") == []

    asyncio.run(scenario())


def test_connect_to_nothing_says_why():
    async def scenario() -> None:
        browser = Browser(f"opc.tcp://127.0.0.1:{free_port()}")
        with pytest.raises(CommError, match="cannot browse .*refused"):
            await browser.connect()
        assert not browser.connected

    asyncio.run(scenario())
