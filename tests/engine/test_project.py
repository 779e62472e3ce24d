"""Project folders: validation names file and field; saving is byte-stable and minimal."""

import shutil
from pathlib import Path

import pytest

from hmi.cli import DEMO_PROJECT, main
from hmi.errors import ProjectError
from hmi.project import load_project, save_project
from hmi.project.io import check_project


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(DEMO_PROJECT, target)
    return target


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def problems_of(root: Path) -> list[str]:
    return check_project(root)[1]


def test_demo_project_is_valid():
    folder = load_project(DEMO_PROJECT)
    assert folder.project.start_screen in folder.screens
    assert "TK101.Level" in folder.tags


def test_load_then_save_unchanged_changes_no_byte(demo: Path):
    before = snapshot(demo)
    assert save_project(load_project(demo)) == []
    assert snapshot(demo) == before


def test_saving_writes_only_what_changed_and_reads_back_equal(demo: Path):
    folder = load_project(demo)
    folder.screens["overview"].items[0].label = "FEED SECTION"
    before = snapshot(demo)
    assert save_project(folder) == ["screens/overview.yaml"]
    after = snapshot(demo)
    assert {k for k in after if after[k] != before[k]} == {"screens/overview.yaml"}
    again = load_project(demo)
    assert again.screens == folder.screens
    # The written form is canonical: a second load -> change -> save cycle is stable too.
    again.screens["overview"].items[0].label = "FEED SECTION"
    save_project(again)
    assert snapshot(demo) == after


def test_a_screen_removed_from_the_project_loses_its_file(demo: Path):
    folder = load_project(demo)
    folder.screens["renamed"] = folder.screens.pop("robot")
    assert sorted(save_project(folder)) == ["screens/renamed.yaml", "screens/robot.yaml"]
    assert not (demo / "screens" / "robot.yaml").exists()
    reloaded, problems = check_project(demo)  # the links to 'robot' dangle now: that is the editor's job
    assert "renamed" in reloaded.screens and "robot" not in reloaded.screens


def test_canonical_text_keeps_short_lists_on_one_line(demo: Path):
    folder = load_project(demo)
    folder.project.name = "Renamed"
    save_project(folder)
    text = (demo / "project.yaml").read_text()
    assert "name: Renamed" in text
    assert "range: [0, 100]" in text


def test_unknown_tag_in_a_binding_names_file_item_and_property(demo: Path):
    path = demo / "screens" / "overview.yaml"
    path.write_text(
        path.read_text().replace("bind: {position: FV101.Position}", "bind: {position: FV10.Position}")
    )
    problems = problems_of(demo)
    assert "screens/overview.yaml: items[2].bind.position: unknown tag 'FV10.Position'" in problems


def test_schema_errors_name_the_field_path(demo: Path):
    path = demo / "project.yaml"
    text = path.read_text().replace("range: [0, 100]", "range: [100, 0]", 1)
    text = text.replace("    simulator: true", "    simulator: true\n    colour: blue")
    path.write_text(text)
    problems = problems_of(demo)
    assert "project.yaml: connections.plant.colour: unknown field" in problems
    assert "project.yaml: tags[0].range: low 100 must be below high 0" in problems


def test_broken_yaml_names_file_and_line(demo: Path):
    (demo / "screens" / "overview.yaml").write_text("title: Plant\nitems:\n  - type: [unclosed\n")
    problems = problems_of(demo)
    assert len(problems) >= 1
    assert problems[0].startswith("screens/overview.yaml: line ")
    assert "not valid YAML" in problems[0]


def test_cross_references_are_checked(demo: Path):
    path = demo / "project.yaml"
    text = path.read_text().replace("start_screen: overview", "start_screen: nowhere")
    text = text.replace("connection: plant", "connection: plnt", 1)
    path.write_text(text)
    problems = problems_of(demo)
    assert "project.yaml: start_screen: unknown screen 'nowhere'" in problems
    assert "project.yaml: tags[0].connection: unknown connection 'plnt'" in problems


def test_alarms_reading_unknown_tags_are_named(demo: Path):
    path = demo / "project.yaml"
    text = path.read_text().replace("suppress_when: not FIC101.Auto", "suppress_when: not FIC101.Atuo")
    path.write_text(text.replace("setpoint: FIC101.SP", "setpoint: FIC101.PS"))
    problems = problems_of(demo)
    assert "project.yaml: tags[1].alarms: unknown tag 'FIC101.Atuo'" in problems
    assert "project.yaml: tags[1].alarms: unknown tag 'FIC101.PS'" in problems


def test_actions_must_target_writable_tags(demo: Path):
    path = demo / "screens" / "overview.yaml"
    path.write_text(
        path.read_text().replace("on_click: {setpoint: FIC101.SP}", "on_click: {setpoint: FIC101.PV}")
    )
    assert (
        "screens/overview.yaml: items[6].on_click.setpoint: tag 'FIC101.PV' is not writable"
        in problems_of(demo)
    )


def test_load_project_raises_with_every_problem(demo: Path):
    path = demo / "screens" / "overview.yaml"
    path.write_text(path.read_text().replace("TK101.Level}", "TK10.Level}"))
    with pytest.raises(ProjectError) as err:
        load_project(demo)
    assert len(err.value.problems) == 2
    assert all("unknown tag 'TK10.Level'" in p for p in err.value.problems)


def test_hmi_check_prints_problems_and_fails(demo: Path, capsys):
    assert main(["check", str(DEMO_PROJECT)]) == 0
    assert "OK" in capsys.readouterr().out
    path = demo / "screens" / "overview.yaml"
    path.write_text(path.read_text().replace("TK101.Level}", "TK10.Level}"))
    assert main(["check", str(demo)]) == 1
    out = capsys.readouterr().out
    assert "screens/overview.yaml: items[9].bind.level: unknown tag 'TK10.Level'" in out


def test_not_a_project_folder(tmp_path: Path):
    assert problems_of(tmp_path) == [f"{tmp_path}: no project.yaml here: not a project folder"]
