"""Project refactoring: renames follow every reference, deletes name what would dangle, nothing mutates."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hmi.cli import DEMO_PROJECT
from hmi.errors import ProjectError
from hmi.project import ProjectFolder, load_project, save_project
from hmi.project.refactor import (
    delete_screen,
    delete_tag,
    delete_template,
    duplicate_screen,
    rename_in_expression,
    rename_screen,
    rename_tag,
    rename_template,
    replace_tag,
    tag_from_node,
)
from hmi.project.symbols import Instance


@pytest.fixture
def demo(tmp_path: Path) -> ProjectFolder:
    root = tmp_path / "demo"
    shutil.copytree(DEMO_PROJECT, root)
    return load_project(root)


def all_text(folder: ProjectFolder) -> str:
    return "\n".join(p.read_text() for p in sorted(folder.root.rglob("*.yaml")))


def saved_and_reloaded(folder: ProjectFolder, removed: tuple[str, ...] = ()) -> ProjectFolder:
    """Save, check the files of removed screens/templates are gone, load again and compare."""
    save_project(folder)
    for rel in removed:
        assert not (folder.root / rel).exists()
    again = load_project(folder.root)
    assert again.project == folder.project
    assert again.screens == folder.screens
    assert again.templates == folder.templates
    return again


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TK1.Level", "TK2.Lvl"),
        ("TK1.Level + TK10.Level", "TK2.Lvl + TK10.Level"),
        ("TK1.Level.Hi or TK1.Levels > 2", "TK1.Level.Hi or TK1.Levels > 2"),
        ("  max(TK1.Level, 3) > 2", "  max(TK2.Lvl, 3) > 2"),
        ("'TK1.Level' == TK1 . Level", "'TK1.Level' == TK2.Lvl"),
        ("{tag}.Level > TK1.Level", "{tag}.Level > TK2.Lvl"),
        ("TK1.Level +", "TK1.Level +"),
    ],
)
def test_rename_in_expression_touches_whole_names_only(text: str, expected: str):
    assert rename_in_expression(text, "TK1.Level", "TK2.Lvl") == expected


def test_placeholder_named_like_the_tag_is_not_renamed():
    assert rename_in_expression("{tag} and tag", "tag", "T2") == "{tag} and T2"


def test_rename_tag_follows_bindings_actions_alarms_and_pens(demo: ProjectFolder):
    original_project = demo.project
    result = rename_tag(demo, "FIC101.SP", "FIC101.Setpoint")
    new = result.folder
    assert result.dangling == []
    assert new.problems() == []
    assert demo.project is original_project and "FIC101.SP" in demo.tags  # the input is untouched
    assert "FIC101.Setpoint" in new.tags and "FIC101.SP" not in new.tags
    assert new.tags["FIC101.PV"].alarms.deviation.setpoint == "FIC101.Setpoint"
    assert "FIC101.Setpoint" in [p.tag for p in new.project.trends["tank"].pens]
    overview = new.screens["overview"]
    assert any(i.on_click and i.on_click.setpoint == "FIC101.Setpoint" for i in overview.items)
    assert new.screens["robot"] is demo.screens["robot"]  # untouched parts are shared, not copied
    saved_and_reloaded(new)
    assert "FIC101.SP" not in all_text(new).replace("ns=2;s=FIC101.SP", "")


def test_rename_tag_follows_suppression_conditions(demo: ProjectFolder):
    new = rename_tag(demo, "FIC101.Auto", "FIC101.AutoMode").folder
    assert new.tags["FIC101.PV"].alarms.deviation.suppress_when == "not FIC101.AutoMode"
    assert new.problems() == []
    saved_and_reloaded(new)


def test_rename_tag_reports_names_a_template_builds(demo: ProjectFolder):
    result = rename_tag(demo, "TK101.Level", "TK101.Lvl")
    assert result.dangling
    assert all("(tank_faceplate)" in p and "'TK101.Level'" in p for p in result.dangling)
    # the direct bindings did follow
    assert not [p for p in result.folder.problems() if "(tank_faceplate)" not in p]


def test_rename_tag_follows_template_arguments_that_are_the_name(demo: ProjectFolder):
    panel = demo.templates["joint_panel"]
    item = panel.items[1].model_copy(update={"bind": {"value": "{pv}"}})
    template = panel.model_copy(
        update={"items": [item], "params": {**panel.params, "pv": panel.params["joint"]}}
    )
    robot = demo.screens["robot"]

    def panel_of(i: object) -> bool:
        return isinstance(i, Instance) and i.template == "joint_panel"

    instances = [
        i.model_copy(update={"args": {**i.args, "pv": "RC1.J1.Temp"}}) if panel_of(i) else i
        for i in robot.items
    ]
    folder = ProjectFolder(
        demo.root,
        demo.project,
        {**demo.screens, "robot": robot.model_copy(update={"items": instances})},
        {**demo.templates, "joint_panel": template},
    )
    assert folder.problems() == []
    new = rename_tag(folder, "RC1.J1.Temp", "RC1.J1.Temperature").folder
    assert new.problems() == []
    panels = [
        i for i in new.screens["robot"].items if isinstance(i, Instance) and i.template == "joint_panel"
    ]
    assert {i.args["pv"] for i in panels} == {"RC1.J1.Temperature"}


def test_rename_tag_refuses_bad_or_taken_names(demo: ProjectFolder):
    with pytest.raises(ProjectError, match="already exists"):
        rename_tag(demo, "FIC101.SP", "FIC101.PV")
    with pytest.raises(ProjectError, match="letters, digits"):
        rename_tag(demo, "FIC101.SP", "FIC 101")
    with pytest.raises(ProjectError, match="no tag"):
        rename_tag(demo, "NOPE", "X")


def test_replace_tag_with_a_new_name_renames(demo: ProjectFolder):
    tag = demo.tags["FIC101.SP"].model_copy(update={"name": "FIC101.Target", "units": "m3/h"})
    new = replace_tag(demo, "FIC101.SP", tag).folder
    assert new.tags["FIC101.Target"].units == "m3/h"
    assert new.problems() == []


def test_rename_screen_moves_links_and_start_screen(demo: ProjectFolder):
    result = rename_screen(demo, "overview", "plant-overview")
    new = result.folder
    assert result.dangling == [] and new.problems() == []
    assert new.project.start_screen == "plant-overview"
    assert list(new.screens) == ["plant-overview", "pumps", "robot"]
    links = [i.on_click.navigate for s in new.screens.values() for i in s.items if i.on_click]
    assert "plant-overview" in links and "overview" not in links
    saved_and_reloaded(new, removed=("screens/overview.yaml",))


def test_rename_screen_refuses_bad_names(demo: ProjectFolder):
    with pytest.raises(ProjectError, match="already exists"):
        rename_screen(demo, "overview", "pumps")
    with pytest.raises(ProjectError, match="lower-case"):
        rename_screen(demo, "overview", "Overview")


def test_rename_template_moves_instances_and_popups(demo: ProjectFolder):
    result = rename_template(demo, "pump_faceplate", "pump_panel")
    new = result.folder
    assert result.dangling == [] and new.problems() == []
    pumps = new.screens["pumps"].items
    assert {i.template for i in pumps if isinstance(i, Instance)} == {"pump_panel"}
    assert "pump_panel" in {i.on_click.popup for i in pumps if i.on_click and i.on_click.popup}
    saved_and_reloaded(new, removed=("templates/pump_faceplate.yaml",))


def test_duplicate_screen(demo: ProjectFolder):
    new = duplicate_screen(demo, "pumps", "pumps-2").folder
    assert new.screens["pumps-2"].title == demo.screens["pumps"].title + " (copy)"
    assert new.screens["pumps-2"].items == demo.screens["pumps"].items
    assert new.problems() == []
    saved_and_reloaded(new)


def test_deletes_list_what_would_dangle(demo: ProjectFolder):
    gone = delete_screen(demo, "pumps")
    assert "pumps" not in gone.folder.screens and "pumps" in demo.screens
    assert gone.dangling and all("navigate: unknown screen 'pumps'" in p for p in gone.dangling)
    tag = delete_tag(demo, "FIC101.SP")
    fields = {p.split(": ")[1] for p in tag.dangling}
    assert "tags[1].alarms" in fields
    assert "trends.tank.pens[2].tag" in fields
    assert any(f.endswith("on_click.setpoint") for f in fields)
    template = delete_template(demo, "pump_faceplate")
    assert any(p.endswith("template: unknown template 'pump_faceplate'") for p in template.dangling)
    assert any(p.endswith("popup: unknown template 'pump_faceplate'") for p in template.dangling)


class Node:
    def __init__(self, node: str, path: tuple[str, ...], data_type: str | None, writable: bool = False):
        self.node, self.path, self.data_type, self.writable = node, path, data_type, writable
        self.units, self.range, self.description = "%", (0.0, 100.0), ""


def test_tag_from_node_makes_valid_unique_names():
    tag = tag_from_node(Node("ns=2;s=TK101.Level", ("DemoPlant", "TK101", "Level"), "Double"), "plant", set())
    assert (tag.name, tag.node, tag.type, tag.units, tag.range) == (
        "TK101.Level",
        "ns=2;s=TK101.Level",
        "Double",
        "%",
        (0.0, 100.0),
    )
    again = tag_from_node(Node("ns=2;s=TK101.Level", (), "Double"), "plant", {"TK101.Level"})
    assert again.name == "TK101.Level_2"
    numeric = tag_from_node(Node("ns=3;i=1001", ("Line 1", "2nd pump", "speed%"), "Float", True), "p", set())
    assert numeric.name == "Line_1._2nd_pump.speed" and numeric.writable
    with pytest.raises(ProjectError, match="DateTime"):
        tag_from_node(Node("ns=0;i=2258", ("Server", "CurrentTime"), "DateTime"), "plant", set())


def test_rename_tag_follows_template_parameter_defaults(demo: ProjectFolder):
    pump = demo.templates["pump_faceplate"]
    params = {**pump.params, "speed": pump.params["label"].model_copy(update={"default": "FIC101.OP"})}
    folder = ProjectFolder(
        demo.root,
        demo.project,
        demo.screens,
        {**demo.templates, "pump_faceplate": pump.model_copy(update={"params": params})},
    )
    new = rename_tag(folder, "FIC101.OP", "FIC101.Out").folder
    assert new.templates["pump_faceplate"].params["speed"].default == "FIC101.Out"
    assert new.templates["pump_faceplate"].params["label"].default == "Pump"
    assert new.templates["tank_faceplate"] is folder.templates["tank_faceplate"]
