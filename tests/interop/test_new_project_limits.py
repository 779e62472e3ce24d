"""A new project from node-opcua's plant: its limit alarms (ExclusiveLimitAlarmType with an InputNode)
become the tag's alarms, and the alarm objects' own variables are not taken for tags."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from hmi.opcua.browse import Browser
from hmi.opcua.survey import survey
from hmi.project import starter
from tests.support import free_port

from .servers import PLANT_NS, NodePlant

pytestmark = pytest.mark.usefixtures("node_opcua")


def test_the_servers_limit_alarms_become_the_tags_alarms(tmp_path: Path):
    async def scenario() -> starter.Plan:
        with NodePlant(free_port(), tmp_path / "pki") as plant:
            async with Browser(plant.endpoint) as browser:
                top = await browser.children(await browser.root())
                found = await survey(browser, [n for n in top if n.browse_name == "Plant"])
        return starter.plan(found.groups, "plant", found.limits)

    made = asyncio.run(scenario())
    tags = {t.name: t for t in made.tags}
    assert "TankLevel" in tags and not any("Exclusive" in n or "LimitState" in n for n in tags)
    alarms = tags["TankLevel"].alarms
    assert (alarms.hihi.limit, alarms.hi.limit, alarms.lo.limit, alarms.lolo.limit) == (95, 80, 20, 5)
    assert tags["TankLevel"].node == f"nsu={PLANT_NS};s=TankLevel"
    assert any("DateTime" in note for note in made.skipped)  # Stamp cannot be a tag, and says so
