"""Templates: defined once with parameters, placed many times; every error names file and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hmi.cli import DEMO_PROJECT
from hmi.project import load_project, save_project
from hmi.project.io import check_project
from hmi.project.templates import as_screen, expand


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(DEMO_PROJECT, target)
    return target


def append_item(root: Path, screen: str, text: str) -> None:
    path = root / "screens" / f"{screen}.yaml"
    path.write_text(path.read_text() + text)


def next_index(screen: str) -> int:
    """Index the first appended item gets: the demo screen's item count."""
    return len(load_project(DEMO_PROJECT).screens[screen].items)


def test_expansion_fills_parameters_and_moves_items():
    folder = load_project(DEMO_PROJECT)
    template = folder.templates["pump_faceplate"]
    p101 = expand(template, {"tag": "P101"}, at=(100, 50))
    p102 = expand(template, {"tag": "P102", "label": "P-102"})
    assert p101[2].bind == {"running": "P101.Running", "fault": "P101.Fault"}
    assert p102[2].bind == {"running": "P102.Running", "fault": "P102.Fault"}
    assert p101[2].at == (template.items[2].at[0] + 100, template.items[2].at[1] + 50)
    assert p101[0].label == "Pump"  # the default
    assert p102[0].label == "P-102"
    assert as_screen(template, {"tag": "P102", "label": "P-102"}).title == "Pump P-102"


def test_unknown_placeholder_names_template_file_and_field(demo: Path):
    path = demo / "templates" / "pump_faceplate.yaml"
    path.write_text(path.read_text().replace("'{tag}.RunHours'", "'{tg}.RunHours'"))
    assert (
        "templates/pump_faceplate.yaml: items[7].bind.value: unknown parameter '{tg}'"
        in check_project(demo)[1]
    )


def test_schema_error_in_a_template_names_file_and_field(demo: Path):
    path = demo / "templates" / "pump_faceplate.yaml"
    path.write_text(path.read_text().replace("size: [580, 260]", "size: [580, 260]\ncolour: blue"))
    assert "templates/pump_faceplate.yaml: colour: unknown field" in check_project(demo)[1]


def test_instance_errors_name_screen_item_and_argument(demo: Path):
    n = next_index("robot")
    append_item(
        demo,
        "robot",
        "  - type: template\n    at: [0, 0]\n    template: pump_faceplate\n"
        "    args: {label: P-9, speed: '3'}\n"
        "  - type: template\n    at: [0, 0]\n    template: valve_faceplate\n"
        "  - type: template\n    at: [0, 0]\n    template: pump_faceplate\n    args: {tag: P103}\n",
    )
    problems = check_project(demo)[1]
    assert (
        f"screens/robot.yaml: items[{n}].args: missing argument 'tag' of template 'pump_faceplate'"
        in problems
    )
    assert (
        f"screens/robot.yaml: items[{n}].args.speed: unknown argument 'speed' of template 'pump_faceplate'"
        in problems
    )
    assert f"screens/robot.yaml: items[{n + 1}].template: unknown template 'valve_faceplate'" in problems
    where = f"screens/robot.yaml: items[{n + 2}] (pump_faceplate).items[2]"
    assert f"{where}.bind.running: unknown tag 'P103.Running'" in problems


def test_popup_actions_are_checked_like_instances(demo: Path):
    n = next_index("robot")
    append_item(demo, "robot", "  - type: button\n    at: [0, 0]\n    on_click: {popup: pump_faceplate}\n")
    problems = check_project(demo)[1]
    assert (
        f"screens/robot.yaml: items[{n}].on_click.args: missing argument 'tag' of template 'pump_faceplate'"
        in problems
    )


@pytest.mark.parametrize("source", ["../outside.svg", "/etc/passwd.svg", "symbols/../../x.svg"])
def test_image_paths_outside_the_project_are_rejected(demo: Path, source: str):
    append_item(demo, "robot", f"  - type: image\n    at: [0, 0]\n    source: '{source}'\n")
    n = next_index("robot")
    problems = check_project(demo)[1]
    assert any(p.startswith(f"screens/robot.yaml: items[{n}].source: '{source}'") for p in problems), problems


def test_image_that_is_not_there_is_named(demo: Path):
    append_item(demo, "robot", "  - type: image\n    at: [0, 0]\n    source: symbols/nothing.svg\n")
    n = next_index("robot")
    assert (
        f"screens/robot.yaml: items[{n}].source: no file 'symbols/nothing.svg' in the project folder"
        in (check_project(demo)[1])
    )


def test_load_then_save_of_the_demo_project_keeps_every_byte(demo: Path):
    before = {p: p.read_bytes() for p in demo.rglob("*") if p.is_file()}
    assert save_project(load_project(demo)) == []
    assert {p: p.read_bytes() for p in demo.rglob("*") if p.is_file()} == before


def test_a_changed_template_is_saved_alone_and_reads_back_equal(demo: Path):
    folder = load_project(demo)
    folder.templates["pump_faceplate"].title = "Pump {label} faceplate"
    assert save_project(folder) == ["templates/pump_faceplate.yaml"]
    assert load_project(demo).templates == folder.templates
