"""Saving keeps the engineer's text: an edit shows in `git diff` as the lines that changed, nothing else.

Edits are made as the editor makes them (ui/editor/document.py): parts of the folder are replaced by
new model objects (`model_copy`, a refactoring's result, an item rebuilt from the inspector's form)
and `save_project` writes the folder.
"""

import difflib
import os
import shutil
import stat
from pathlib import Path

import pytest

from hmi.alarms.settings import TagAlarms
from hmi.cli import DEMO_PROJECT
from hmi.project import ProjectFolder, load_project, refactor, save_project
from hmi.project.model import Item, Screen
from hmi.project.symbols import parse_item


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(DEMO_PROJECT, target)
    return target


COMMENTS = {
    "project.yaml": [
        ("name: Demo Plant\n", "# The demo plant\nname: Demo Plant\n"),
        ("    simulator: true\n", "    simulator: true  # started by the app when nothing listens\n"),
        ("  - name: FIC101.PV\n", "\n  # Inlet flow loop\n  - name: FIC101.PV\n"),
        ("    description: Feed tank level\n", '    description: "Feed tank level"\n'),
    ],
    "screens/overview.yaml": [
        ("items:\n", "# Items are drawn in this order: later ones on top.\nitems:\n"),
        ("    label: FV-101\n", "    label: FV-101  # as on the P&ID\n"),
        ("  - type: tank\n", "\n  # Feed tank\n  - type: tank\n"),
    ],
}


def with_comments(root: Path) -> Path:
    for rel, edits in COMMENTS.items():
        path = root / rel
        text = path.read_text(encoding="utf-8")
        for old, new in edits:
            assert old in text
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    return root


def texts(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.yaml"))}


def changed_lines(before: str, after: str) -> list[str]:
    """The diff's -/+ lines, as `git diff` shows them."""
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def replace_item(folder: ProjectFolder, screen: str, index: int, **changes: object) -> None:
    """An inspector edit: the item rebuilt from its form's data, the screen replaced."""
    data = folder.screens[screen].items[index].model_dump(mode="json", exclude_defaults=True)
    data.update(changes)
    items = list(folder.screens[screen].items)
    items[index] = parse_item({k: v for k, v in data.items() if v is not None})
    folder.screens = {**folder.screens, screen: folder.screens[screen].model_copy(update={"items": items})}


@pytest.mark.parametrize("commented", [False, True], ids=["demo", "demo with comments"])
def test_load_then_save_unchanged_gives_the_same_bytes(demo: Path, commented: bool):
    if commented:
        with_comments(demo)
    before = {p: p.read_bytes() for p in demo.rglob("*") if p.is_file()}
    assert save_project(load_project(demo)) == []
    assert {p: p.read_bytes() for p in demo.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("commented", [False, True], ids=["demo", "demo with comments"])
def test_an_inspector_edit_changes_only_its_lines(demo: Path, commented: bool):
    if commented:
        with_comments(demo)
    before = texts(demo)
    folder = load_project(demo)
    replace_item(folder, "overview", 2, label="FV-101A", at=[160, 230])
    assert save_project(folder) == ["screens/overview.yaml"]
    after = texts(demo)
    assert {k for k in after if after[k] != before[k]} == {"screens/overview.yaml"}
    eol = "  # as on the P&ID" if commented else ""
    assert changed_lines(before["screens/overview.yaml"], after["screens/overview.yaml"]) == [
        "-    at: [150, 226]",
        "+    at: [160, 230]",
        f"-    label: FV-101{eol}",
        f"+    label: FV-101A{eol}",
    ]
    # `size: [1600, 900]` is the default size of a screen: the engineer wrote it, it stays.
    assert "\nsize: [1600, 900]\n" in after["screens/overview.yaml"]
    assert load_project(demo).screens == folder.screens


def test_comments_and_blank_lines_stay_where_they_belong_when_last_fields_come_and_go(demo: Path):
    with_comments(demo)
    before = texts(demo)["screens/overview.yaml"]
    folder = load_project(demo)
    before_tank = next(i for i, it in enumerate(folder.screens["overview"].items) if it.type == "tank") - 1
    replace_item(folder, "overview", before_tank, label="Flow", on_click=None)  # the last field goes
    save_project(folder)
    after = texts(demo)["screens/overview.yaml"]
    assert "    off_text: MAN\n\n  # Feed tank\n  - type: tank\n" in after
    assert "# Items are drawn in this order: later ones on top.\nitems:\n" in after
    assert changed_lines(before, after) == [
        "-    label: Mode",
        "+    label: Flow",
        "-    on_click: {toggle: FIC101.Auto}",
    ]
    replace_item(folder, "overview", before_tank, on_click={"navigate": "pumps"})  # a new last field
    save_project(folder)
    after = texts(demo)["screens/overview.yaml"]
    assert "    on_click: {navigate: pumps}\n\n  # Feed tank\n  - type: tank\n" in after
    assert changed_lines(before, after) == [
        "-    label: Mode",
        "+    label: Flow",
        "-    on_click: {toggle: FIC101.Auto}",
        "+    on_click: {navigate: pumps}",
    ]


def test_a_tag_renamed_everywhere_changes_only_the_lines_that_name_it(demo: Path):
    with_comments(demo)
    before = texts(demo)
    folder = load_project(demo)
    result = refactor.rename_tag(folder, "FV101.Position", "FV101.Pos")
    folder.project, folder.screens = result.folder.project, result.folder.screens  # Document.apply_folder
    save_project(folder)
    after = texts(demo)
    for rel in after:
        for line in changed_lines(before[rel], after[rel]):
            assert "FV101.Pos" in line, f"{rel}: {line}"
    assert "# Inlet flow loop" in after["project.yaml"]
    assert '    description: "Feed tank level"\n' in after["project.yaml"]
    assert "    simulator: true  # started by the app when nothing listens\n" in after["project.yaml"]


def test_a_new_item_is_written_in_the_style_of_the_others(demo: Path):
    before = texts(demo)["screens/overview.yaml"]
    folder = load_project(demo)
    screen = folder.screens["overview"]
    new = Item(type="value", at=(40.0, 200.0), label="Flow", bind={"value": "FIC101.PV"}, format=".1f")
    items = [*screen.items[:3], new, *screen.items[3:]]
    folder.screens = {**folder.screens, "overview": screen.model_copy(update={"items": items})}
    save_project(folder)
    assert changed_lines(before, texts(demo)["screens/overview.yaml"]) == [
        "+  - type: value",
        "+    at: [40, 200]",
        "+    label: Flow",
        "+    bind: {value: FIC101.PV}",
        "+    format: .1f",
    ]


def test_a_new_tag_lands_in_the_list_with_a_string_that_reads_back_as_text(demo: Path):
    before = texts(demo)["project.yaml"]
    folder = load_project(demo)
    changes = {"name": "TK102.Level", "node": "ns=2;s=TK102.Level", "description": "yes"}
    tag = folder.tags["TK101.Level"].model_copy(update={**changes, "alarms": TagAlarms()})
    folder.project = folder.project.model_copy(update={"tags": [*folder.project.tags, tag]})
    save_project(folder)
    lines = changed_lines(before, texts(demo)["project.yaml"])
    assert lines == [
        "+  - name: TK102.Level",
        "+    connection: plant",
        "+    node: ns=2;s=TK102.Level",
        "+    units: '%'",
        "+    description: 'yes'",
        "+    range: [0, 100]",
    ]
    assert load_project(demo).tags["TK102.Level"].description == "yes"


def test_hand_formatting_away_from_the_edit_is_kept(demo: Path):
    """Layout ruamel.yaml would write differently (spacing in lists, list items not indented, Windows
    line ends) stays as it is outside the lines that changed."""
    path = demo / "screens" / "robot.yaml"
    text = path.read_text(encoding="utf-8").replace("\n  - ", "\n- ").replace("\n    ", "\n  ")
    text = text.replace("size: [1600, 900]", "size: [ 1600, 900 ]")
    path.write_bytes(text.replace("\n", "\r\n").encode())
    before = path.read_bytes().decode()
    folder = load_project(demo)
    old_label = folder.screens["robot"].items[0].label
    replace_item(folder, "robot", 0, label="ROBOT CELL R1")
    save_project(folder)
    after = path.read_bytes().decode()
    assert changed_lines(before, after) == [f"-  label: {old_label}", "+  label: ROBOT CELL R1"]
    assert after.count("\r\n") == after.count("\n")


def test_saving_keeps_permissions_and_new_files_follow_the_umask(demo: Path):
    (demo / "project.yaml").chmod(0o640)
    folder = load_project(demo)
    folder.project = folder.project.model_copy(update={"name": "Renamed plant"})
    folder.screens = {**folder.screens, "spare": Screen(title="Spare")}
    old_umask = os.umask(0o022)
    try:
        save_project(folder)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((demo / "project.yaml").stat().st_mode) == 0o640
    assert stat.S_IMODE((demo / "screens" / "spare.yaml").stat().st_mode) == 0o644


def test_a_failed_write_leaves_the_old_file_whole_and_no_temporary_file(demo: Path, monkeypatch):
    before = texts(demo)
    folder = load_project(demo)
    folder.project = folder.project.model_copy(update={"name": "Renamed plant"})

    def full_disk(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError):
        save_project(folder)
    monkeypatch.undo()
    assert texts(demo) == before
    assert sorted(p.name for p in demo.iterdir()) == ["project.yaml", "screens", "templates"]
    assert save_project(folder) == ["project.yaml"]  # the edit is still there to save
