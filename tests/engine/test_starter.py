"""A starter project made from browsed nodes, without a server: what the tags, alarms, screens and
trends become, and that the folder written passes `hmi check`."""

from __future__ import annotations

from pathlib import Path

import pytest

from hmi.errors import ProjectError
from hmi.opcua.browse import NodeInfo
from hmi.project import load_project, starter
from hmi.project.io import check_project
from hmi.project.model import Connection

NS = "nsu=urn:test"


def variable(path: str, data_type: str = "Double", **details) -> NodeInfo:
    parts = tuple(path.split("/"))
    return NodeInfo(
        f"{NS};s={'.'.join(parts[1:])}", parts[-1], parts[-1], "Variable", parts, data_type, **details
    )


def project(tmp_path: Path, groups, limits=None, range_alarms=True):
    made = starter.plan(groups, "plc", limits, range_alarms)
    config = Connection(endpoint="opc.tcp://plc:4840")
    return made, starter.build(tmp_path / "new", "New", "plc", config, made.folders, starter.rough_measure)


def test_tags_alarms_screens_and_trend_of_a_folder(tmp_path: Path):
    groups = {
        "Line/TK1": [
            variable("Line/TK1/Level", units="%", range=(0, 100), description="Tank level"),
            variable("Line/TK1/Setpoint", units="%", range=(0, 100), writable=True),
            variable("Line/TK1/Pump", "Boolean"),
            variable("Line/TK1/State", "String"),
            variable("Line/TK1/Stamp", "DateTime"),
        ]
    }
    limits = {f"{NS};s=TK1.Level": {"hihi": 95, "hi": 80, "lo": 20, "severity": 700}}
    made, folder = project(tmp_path, groups, limits)
    assert made.skipped == [
        f"{NS};s=TK1.Stamp: data type DateTime cannot be a tag (Boolean, SByte, Byte, "
        "Int16, UInt16, Int32, UInt32, Int64, UInt64, Float, Double, String)"
    ]
    tags = folder.tags
    assert sorted(tags) == ["TK1.Level", "TK1.Pump", "TK1.Setpoint", "TK1.State"]
    level = tags["TK1.Level"].alarms
    assert (level.hihi.limit, level.hi.limit, level.lo.limit, level.lolo) == (95, 80, 20, None)
    assert level.hi.priority == "high" and level.hi.message == "Tank level high"
    assert tags["TK1.Setpoint"].write_limits == (0, 100) and not list(tags["TK1.Setpoint"].alarms.defined())

    assert starter.create(folder) == []
    loaded, problems = check_project(folder.root)
    assert problems == [] and loaded is not None
    screen = loaded.screens["line-tk1"]
    bound = {next(iter(i.bind.values())): (i.type, i.label) for i in screen.items if i.bind}
    assert bound == {
        "TK1.Level": ("bar", "Level"),
        "TK1.Setpoint": ("bar", "Setpoint"),
        "TK1.State": ("value", "State"),
        "TK1.Pump": ("indicator", "Pump"),
    }
    trend = loaded.project.trends["line-tk1"]
    assert [p.tag for p in trend.pens] == ["TK1.Level", "TK1.Setpoint"]
    button = next(i for i in screen.items if i.type == "button")
    assert button.on_click.trend == "line-tk1"


def test_range_alarms_low_priority_at_the_range_ends_or_none(tmp_path: Path):
    groups = {"A": [variable("A/Flow", units="m3/h", range=(0, 30))]}
    _, folder = project(tmp_path, groups)
    alarms = folder.tags["Flow"].alarms
    assert (alarms.hi.limit, alarms.lo.limit, alarms.hi.deadband, alarms.hi.priority) == (30, 0, 0.3, "low")
    assert alarms.hi.message == "Flow above its range (30 m3/h)"
    _, folder = project(tmp_path, groups, range_alarms=False)
    assert not list(folder.tags["Flow"].alarms.defined())


def test_limits_out_of_order_leave_the_alarms_out_and_say_so(tmp_path: Path):
    groups = {"A": [variable("A/Level", range=(0, 100))]}
    made, folder = project(tmp_path, groups, {f"{NS};s=Level": {"hi": 10, "lo": 50}})
    assert "alarms left out" in made.skipped[0]
    assert not list(folder.tags["Level"].alarms.defined())


def test_a_big_folder_goes_on_pages_that_never_overlap(tmp_path: Path):
    groups = {"Load": [variable(f"Load/G/T{i:03d}") for i in range(200)]}
    _, folder = project(tmp_path, groups)
    assert list(folder.screens)[:2] == ["load-1", "load-2"]
    for screen in folder.screens.values():
        boxes = []
        for item in screen.items:
            if not item.bind:
                continue
            x, y, w, h = starter.rough_measure(item, folder.tags)
            box = (item.at[0] + x, item.at[1] + y, item.at[0] + x + w, item.at[1] + y + h)
            assert box[0] >= 0 and box[2] <= screen.size[0] and box[3] <= screen.size[1]
            assert all(box[2] <= b[0] or b[2] <= box[0] or box[3] <= b[1] or b[3] <= box[1] for b in boxes)
            boxes.append(box)
    assert sum(1 for s in folder.screens.values() for i in s.items if i.bind) == 200
    assert screen.items[-1].label == "T199"  # G.T199: the part all names share left out


def test_a_folder_with_files_is_refused_and_kept(tmp_path: Path):
    _, folder = project(tmp_path, {"A": [variable("A/X")]})
    folder.root.mkdir()
    (folder.root / "keep.txt").write_text("mine")
    with pytest.raises(ProjectError, match="not empty"):
        starter.create(folder)
    assert [p.name for p in folder.root.iterdir()] == ["keep.txt"]


def test_nothing_picked_that_can_be_a_tag_is_an_error(tmp_path: Path):
    with pytest.raises(ProjectError, match="no variables"):
        project(tmp_path, {"A": [variable("A/Stamp", "DateTime")]})
    _, folder = project(tmp_path, {"A": [variable("A/X")]})
    assert starter.create(folder) == [] and load_project(folder.root).tags["X"].connection == "plc"
