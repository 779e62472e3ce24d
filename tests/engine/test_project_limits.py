"""Hand-broken or hostile project files: `hmi check` names file and field, never a traceback or a hang."""

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from hmi.cli import DEMO_PROJECT, main
from hmi.project.io import check_project
from hmi.project.model import MAX_ITEMS
from hmi.project.yamlread import MAX_FILE_BYTES


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(DEMO_PROJECT, target)
    return target


def edit(root: Path, rel: str, change: Callable[[str], str | bytes]) -> None:
    path = root / rel
    text = change(path.read_text(encoding="utf-8"))
    path.write_bytes(text if isinstance(text, bytes) else text.encode())


def checked(root: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """What `hmi check` prints, after asserting it failed as a check (exit 1), not as a crash."""
    assert main(["check", str(root)]) == 1
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    lines = out.out.splitlines()
    assert lines == check_project(root)[1]
    return lines


LAUGHS = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9 if i else ['lol'] * 9)}]\n" for i in range(10))

CASES = {
    "recursive alias": (
        "screens/overview.yaml",
        lambda t: t.replace("items:\n", "loop: &a [*a]\nitems:\n"),
        "screens/overview.yaml: loop[0]: an alias (*name) repeats the part at line 4; project files do not "
        "use anchors and aliases: use a template for repeated items",
    ),
    "billion laughs": (
        "screens/overview.yaml",
        lambda t: LAUGHS + t,
        "screens/overview.yaml: l1[0]: an alias (*name) repeats the part at line 1; project files do not "
        "use anchors and aliases: use a template for repeated items",
    ),
    "duplicate key": (
        "project.yaml",
        lambda t: t.replace("    units: '%'\n", "    units: '%'\n    units: m\n", 1),
        "project.yaml: tags[0].units: line 20: duplicate key 'units' (first on line 19): keep one",
    ),
    "5,000-digit integer": (
        "project.yaml",
        lambda t: t.replace("limit: 92", "limit: " + "9" * 5000),
        "project.yaml: tags[0].alarms.hihi.limit: line 26: 999999999999... (5000 digits) is beyond any "
        "64-bit integer",
    ),
    "integer past its field": (
        "project.yaml",
        lambda t: t.replace(
            "    simulator: true", "    simulator: true\n    publishing_interval_ms: 10000000000"
        ),
        "project.yaml: connections.plant.publishing_interval_ms: Input should be less than or equal to "
        "3600000",
    ),
    "NaN limit": (
        "project.yaml",
        lambda t: t.replace("limit: 92", "limit: .nan"),
        "project.yaml: tags[0].alarms.hihi.limit: line 26: .nan is not a finite number",
    ),
    "NaN as text": (
        "project.yaml",
        lambda t: t.replace("limit: 92", "limit: nan"),
        "project.yaml: tags[0].alarms.hihi.limit: not a finite number",
    ),
    "infinite range": (
        "project.yaml",
        lambda t: t.replace("range: [0, 100]", "range: [0, .inf]", 1),
        "project.yaml: tags[0].range[1]: line 21: .inf is not a finite number",
    ),
    "write limits beyond the tag's integer type": (
        "project.yaml",
        lambda t: t.replace(
            "    range: [0, 30]\n    writable: true\n    write_limits: [0, 30]",
            "    type: Byte\n    range: [0, 30]\n    writable: true\n    write_limits: [0, 300]",
            1,
        ),
        "project.yaml: tags[2]: write_limits 0..300 goes beyond 0..255 of Byte",
    ),
    "not UTF-8": (
        "screens/pumps.yaml",
        lambda t: t.replace("title: ", "title: Pumpen \xfc", 1).encode("latin-1", errors="ignore"),
        "screens/pumps.yaml: line 1: not UTF-8 text: byte 0xfc at offset 14; save the file as UTF-8",
    ),
    "nested too deep": (
        "screens/robot.yaml",
        lambda t: t + "deep: " + "[" * 100 + "]" * 100 + "\n",
        "screens/robot.yaml: deep[0][0][0][0][0][0][0]...: line 105: nested more than 64 levels deep",
    ),
    "too many items": (
        "screens/robot.yaml",
        lambda t: t + "".join(f"  - {{type: label, at: [{i}, 0]}}\n" for i in range(MAX_ITEMS)),
        f"screens/robot.yaml: items: List should have at most {MAX_ITEMS} items after validation, not "
        f"{MAX_ITEMS + 23}",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_hmi_check_names_file_and_field(demo: Path, capsys: pytest.CaptureFixture[str], case: str):
    rel, change, message = CASES[case]
    edit(demo, rel, change)
    assert message in checked(demo, capsys)


def test_a_file_too_large_is_refused_before_it_is_read(demo: Path, capsys: pytest.CaptureFixture[str]):
    with (demo / "templates" / "huge.yaml").open("wb") as out:
        out.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing to write, but that size to read
    assert checked(demo, capsys) == [
        f"templates/huge.yaml: the file has 32.0 MiB: a project file may have at most "
        f"{MAX_FILE_BYTES // 2**20} MiB"
    ]


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_links_out_of_the_project_folder_are_refused(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "plant.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    shutil.move(demo / "templates" / "joint_panel.yaml", outside / "joint_panel.yaml")
    os.symlink(outside / "joint_panel.yaml", demo / "templates" / "joint_panel.yaml")
    os.symlink(outside / "plant.svg", demo / "plant.svg")
    edit(demo, "screens/robot.yaml", lambda t: t + "  - {type: image, at: [0, 0], source: plant.svg}\n")
    problems = checked(demo, capsys)
    assert (
        f"templates/joint_panel.yaml: leads to {outside / 'joint_panel.yaml'}, outside the project folder: "
        "project files stay inside it"
    ) in problems
    assert (
        f"screens/robot.yaml: items[23].source: leads to {outside / 'plant.svg'}, outside the project "
        "folder: project files stay inside it"
    ) in problems


def test_a_link_inside_the_project_folder_is_fine(demo: Path):
    (demo / "images").mkdir()
    (demo / "images" / "plant.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    os.symlink(demo / "images" / "plant.svg", demo / "plant.svg")
    edit(demo, "screens/robot.yaml", lambda t: t + "  - {type: image, at: [0, 0], source: plant.svg}\n")
    assert check_project(demo)[1] == []
